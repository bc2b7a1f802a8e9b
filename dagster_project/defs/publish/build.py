"""Build a new analytics database from the working warehouse, in bulk, with its documentation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dagster_project.defs.publish.fingerprint import code_fingerprint, landing_fingerprint
from dagster_project.defs.publish.relations import PublishedRelation, is_personal
from dagster_project.lib.labels import column_labels_zh

# Readable by DuckDB 1.0 and later (desktop clients often bundle an older driver).
STORAGE_VERSION = "v1.0.0"


@dataclass(frozen=True)
class BuildStats:
    tables: int
    rows: int
    dropped_columns: tuple[str, ...]  # schema.table.column left out as personal data


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _copy(con: duckdb.DuckDBPyConnection, relation: PublishedRelation) -> tuple[int, list[str]]:
    """Copy one relation as a table (reports are views in the warehouse), without personal columns."""
    columns = [
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns where table_catalog = 'warehouse' "
            "and table_schema = ? and table_name = ? order by ordinal_position",
            [relation.schema, relation.name],
        ).fetchall()
    ]
    if not columns:
        raise duckdb.CatalogException(f"{relation.schema}.{relation.name} is not in the warehouse")
    kept = ", ".join(f'"{c}"' for c in columns if not is_personal(c))
    con.execute(f'create schema if not exists analytics."{relation.schema}"')
    con.execute(
        f'create table analytics."{relation.schema}"."{relation.name}" as '
        f'select {kept} from warehouse."{relation.schema}"."{relation.name}"'
    )
    ((rows,),) = con.execute(f'select count(*) from analytics."{relation.schema}"."{relation.name}"').fetchall()
    return rows, [f"{relation.schema}.{relation.name}.{c}" for c in columns if is_personal(c)]


def _document(
    con: duckdb.DuckDBPyConnection, relations: Sequence[PublishedRelation], row_counts: list[int], publication: dict
) -> None:
    """docs.tables, docs.columns (dbt descriptions, Chinese labels) and docs.publication."""
    con.execute("create schema analytics.docs")
    con.execute(
        "create temp table described (table_schema varchar, table_name varchar, layer varchar, "
        "description varchar, grain varchar, row_count bigint, warehouse_materialization varchar, title_zh varchar)"
    )
    con.executemany(
        "insert into described values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [r.schema, r.name, r.layer, r.description, r.grain, rows, r.materialized, r.title_zh]
            for r, rows in zip(relations, row_counts, strict=True)
        ],
    )
    con.execute(
        "create temp table column_docs (table_schema varchar, table_name varchar, column_name varchar, "
        "description varchar)"
    )
    con.executemany(
        "insert into column_docs values (?, ?, ?, ?)",
        [[r.schema, r.name, c, d] for r in relations for c, d in r.column_descriptions.items() if d],
    )
    con.execute("create temp table labels (column_name varchar, label_zh varchar)")
    con.executemany("insert into labels values (?, ?)", list(column_labels_zh().items()))
    con.execute("create temp table own_labels (table_schema varchar, table_name varchar, column_name varchar, "
                "label_zh varchar)")
    own = [[r.schema, r.name, c, label] for r in relations for c, label in r.labels_zh.items()]
    if own:
        con.executemany("insert into own_labels values (?, ?, ?, ?)", own)
    con.execute("create table analytics.docs.tables as select * from described order by table_schema, table_name")
    con.execute("""
        create table analytics.docs.columns as
        select c.table_schema, c.table_name, c.ordinal_position, c.column_name, c.data_type,
               coalesce(o.label_zh, l.label_zh) as label_zh, d.description
        from information_schema.columns c
        left join column_docs d using (table_schema, table_name, column_name)
        left join own_labels o using (table_schema, table_name, column_name)
        left join labels l using (column_name)
        where c.table_catalog = 'analytics' and c.table_schema != 'docs'
        order by c.table_schema, c.table_name, c.ordinal_position""")
    # The fingerprints say what the version was built from (fingerprint.py): a night with nothing new keeps it.
    con.execute(
        "create table analytics.docs.publication as select ?::varchar as version, ?::timestamp as published_at, "
        "?::varchar as run_id, (select max(export_date) from warehouse.ingest.load_manifest "
        "where status = 'loaded') as exports_through, ?::varchar as landing_fingerprint, "
        "?::varchar as code_fingerprint",
        [publication["version"], publication["published_at"], publication["run_id"],
         landing_fingerprint(con, "warehouse.ingest.load_manifest"), code_fingerprint()],
    )


def build(
    target: Path, warehouse: Path, relations: Sequence[PublishedRelation], version: str, run_id: str
) -> BuildStats:
    """Write `target` from scratch: every published relation as a table, then the docs schema."""
    row_counts, dropped = [], []
    with duckdb.connect() as con:
        con.execute(f"attach {_sql_path(warehouse)} as warehouse (read_only)")
        con.execute(f"attach {_sql_path(target)} as analytics (storage_version '{STORAGE_VERSION}')")
        for relation in relations:
            rows, personal = _copy(con, relation)
            row_counts.append(rows)
            dropped += personal
        _document(con, relations, row_counts, {"version": version, "published_at": dt.datetime.now(), "run_id": run_id})
        con.execute("detach warehouse")
        con.execute("checkpoint analytics")
        con.execute("detach analytics")
    return BuildStats(len(relations), sum(row_counts), tuple(dropped))
