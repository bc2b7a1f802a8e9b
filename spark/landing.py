"""The landing tables as a Spark deployment receives them: Parquet, partitioned by source and export date.

`export_landing` writes a DuckDB warehouse's sources (the dbt sources of
dbt/models/staging/platform/_platform__sources.yml: the landing tables and the ingest bookkeeping)
under one folder, <location>/<schema>/<table>/, the landing tables in Hive layout
(source_name=.../export_date=.../*.parquet); dbt's `register_landing` macro registers them in Spark.
`redeliver` replaces one entity's export of one source and date in both places, as a platform's
re-delivered file does, and records the new load in the manifest.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

PARTITIONED_SCHEMA = "landing"
UNPARTITIONED_TABLES = ("ingest.load_manifest", "ingest.quarantine")


def export_landing(warehouse: Path, location: Path) -> dict[str, int]:
    """Write every landing table and the ingest bookkeeping of `warehouse` under `location`; rows per table."""
    rows: dict[str, int] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        landing = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by 1",
                [PARTITIONED_SCHEMA],
            ).fetchall()
        ]
        for table in landing:
            target = location / PARTITIONED_SCHEMA / table
            target.parent.mkdir(parents=True, exist_ok=True)
            con.execute(
                f"copy {PARTITIONED_SCHEMA}.{table} to '{target}' "
                "(format parquet, partition_by (source_name, export_date), overwrite_or_ignore)"
            )
            rows[f"{PARTITIONED_SCHEMA}.{table}"] = _count(con, f"{PARTITIONED_SCHEMA}.{table}")
        for relation in UNPARTITIONED_TABLES:
            _write_whole(con, relation, location)
            rows[relation] = _count(con, relation)
    return rows


@dataclass(frozen=True)
class Redelivery:
    """One entity's export of one source and date, delivered again with the rows `keep` selects."""

    entity: str
    source_name: str
    export_date: str
    keep: str  # SQL predicate over the landing rows

    @property
    def partition(self) -> str:
        return f"source_name={self.source_name}/export_date={self.export_date}"


def redeliver(warehouse: Path, location: Path, delivery: Redelivery) -> int:
    """Apply `delivery` to the warehouse's landing and manifest and to their Parquet copies; rows kept."""
    table = f"{PARTITIONED_SCHEMA}.{delivery.entity}"
    with duckdb.connect(str(warehouse)) as con:
        where = "source_name = ? and export_date = ?"
        key = [delivery.source_name, delivery.export_date]
        con.execute(f"delete from {table} where {where} and not coalesce(({delivery.keep}), false)", key)
        kept = con.execute(f"select count(*) from {table} where {where}", key).fetchone()[0]
        con.execute(
            """
            insert into ingest.load_manifest
            select * replace (
                load_id || '-redelivered' as load_id,
                (select max(loaded_at) from ingest.load_manifest) + interval 1 hour as loaded_at,
                ? as loaded_rows,
                raw_rows - loaded_rows + ? as raw_rows
            )
            from ingest.load_manifest
            where entity = ? and source_name = ? and export_date = ? and status = 'loaded'
            """,
            [kept, kept, delivery.entity, *key],
        )
        con.execute(
            "update ingest.load_manifest set status = 'replaced' where entity = ? and source_name = ? "
            "and export_date = ? and status = 'loaded' and not ends_with(load_id, '-redelivered')",
            [delivery.entity, *key],
        )
        partition = location / PARTITIONED_SCHEMA / delivery.entity / delivery.partition
        shutil.rmtree(partition)
        partition.mkdir(parents=True)
        columns = ", ".join(
            name
            for (name,) in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "and column_name not in ('source_name', 'export_date') order by ordinal_position",
                [PARTITIONED_SCHEMA, delivery.entity],
            ).fetchall()
        )
        con.execute(
            f"copy (select {columns} from {table} where source_name = '{delivery.source_name}' "
            f"and export_date = date '{delivery.export_date}') "
            f"to '{partition / 'redelivered.parquet'}' (format parquet)"
        )
        _write_whole(con, "ingest.load_manifest", location)
    return kept


def _write_whole(con: duckdb.DuckDBPyConnection, relation: str, location: Path) -> None:
    schema, table = relation.split(".")
    target = location / schema / table
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    # JSON (quarantine.raw_values) has no Parquet type Spark reads: it lands as its text
    json_columns = [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "and data_type = 'JSON'",
            [schema, table],
        ).fetchall()
    ]
    replace = f" replace ({', '.join(f'cast({c} as varchar) as {c}' for c in json_columns)})" if json_columns else ""
    con.execute(f"copy (select *{replace} from {relation}) to '{target / 'part-0.parquet'}' (format parquet)")


def _count(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    return con.execute(f"select count(*) from {relation}").fetchone()[0]
