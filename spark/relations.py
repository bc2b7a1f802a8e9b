"""The built relations of both engines, read side by side in DuckDB and compared by content.

Spark keeps a table as Parquet under <warehouse>/<schema>.db/<table>/ (Hive layout for partitioned
tables); DuckDB reads those files directly, so the comparison needs no Spark session. Content is
compared as a multiset of rows over the same column names (order of rows and of columns aside), each
value in one canonical form: numbers as doubles rounded to 9 decimals (sums may add in another
order), dates and times as ISO text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

COMPARED_SCHEMAS = ("reference", "intermediate", "marts", "reports")
NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER", "FLOAT", "DOUBLE", "DECIMAL")
TEMPORAL = ("DATE", "TIMESTAMP", "TIME")


@dataclass(frozen=True)
class Difference:
    """Why a relation differs between the engines; `row` is the first differing row, if any."""

    relation: str
    reason: str
    row: dict | None = None

    def __str__(self) -> str:
        return f"{self.relation}: {self.reason}" + (f"; first differing row: {self.row}" if self.row else "")


def compared_relations(warehouse: Path) -> list[str]:
    """The tables of the compared schemas (seeds, intermediate, marts) and every report (a view on DuckDB,
    a table on Spark)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_schema || '.' || table_name, table_type from information_schema.tables "
            f"where table_schema in {COMPARED_SCHEMAS} order by 1"
        ).fetchall()
    return [name for name, kind in rows if kind == "BASE TABLE" or name.startswith("reports.")]


def spark_table_path(spark_tables: Path, relation: str) -> Path:
    schema, table = relation.split(".")
    return spark_tables / f"{schema}.db" / table


def compare(warehouse: Path, spark_tables: Path, relation: str) -> Difference | None:
    """None when `relation` has the same content on both engines, else the first difference."""
    folder = spark_table_path(spark_tables, relation)
    if not folder.is_dir():
        return Difference(relation, f"not built on Spark (no table folder {folder})")
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{warehouse}' as duck (read_only)")
        files = [str(p) for p in sorted(folder.rglob("*.parquet")) if not p.name.startswith((".", "_"))]
        if files:
            listed = ", ".join(f"'{f}'" for f in files)
            con.execute(
                f"create temp view spark_side as select * from read_parquet([{listed}], hive_partitioning = true, "
                "hive_types_autocast = false, union_by_name = true)"
            )
        else:
            return _empty_spark_side(con, relation)
        duck_types = _types(con, f"duck.{relation}")
        spark_types = _types(con, "spark_side")
        missing = sorted(set(duck_types) - set(spark_types))
        extra = sorted(set(spark_types) - set(duck_types))
        if missing or extra:
            return Difference(relation, f"columns differ: only on DuckDB {missing}, only on Spark {extra}")
        duck = _canonical(f"duck.{relation}", duck_types)
        spark = _canonical("spark_side", {name: duck_types[name] for name in spark_types}, from_spark=spark_types)
        for left, right, side in ((duck, spark, "DuckDB"), (spark, duck, "Spark")):
            cursor = con.execute(f"select * from ({left} except all {right}) limit 1")
            first = cursor.fetchall()
            names = [column[0] for column in cursor.description]
            if first:
                counts = con.execute(
                    f"select (select count(*) from ({duck})), (select count(*) from ({spark}))"
                ).fetchone()
                return Difference(
                    relation,
                    f"a row only on {side} (rows: DuckDB {counts[0]}, Spark {counts[1]})",
                    dict(zip(names, first[0], strict=True)),
                )
        return None
    finally:
        con.close()


def _empty_spark_side(con: duckdb.DuckDBPyConnection, relation: str) -> Difference | None:
    rows = con.execute(f"select count(*) from duck.{relation}").fetchone()[0]
    return None if rows == 0 else Difference(relation, f"empty on Spark, {rows} rows on DuckDB")


def _types(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {name: kind for name, kind, *_ in con.execute(f"describe {relation}").fetchall()}


def _canonical(relation: str, types: dict[str, str], from_spark: dict[str, str] | None = None) -> str:
    """Every column of `relation` in the canonical form its DuckDB type asks for, in name order."""
    columns = []
    for name in sorted(types):
        kind = types[name].split("(")[0]
        column = f'"{name}"'
        if from_spark is not None and from_spark[name] == "VARCHAR" and kind != "VARCHAR":
            # a partition column read from its folder name; Hive writes NULL as __HIVE_DEFAULT_PARTITION__
            column = f"nullif({column}, '__HIVE_DEFAULT_PARTITION__')"
        if kind in NUMERIC:
            value = f"round(cast({column} as double), 9)"
        elif kind.startswith(TEMPORAL):
            value = f"cast(cast({column} as {types[name]}) as varchar)"
        elif kind == "BOOLEAN":
            value = f"cast({column} as boolean)"
        else:
            value = f"cast({column} as varchar)"
        columns.append(f'{value} as "{name}"')
    return f"select {', '.join(columns)} from {relation}"
