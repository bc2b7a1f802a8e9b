"""One dbt project, two engines: the sample built on Spark equals the nightly job's DuckDB build.

Run by `make test-spark` (own environment with pyspark and dbt-spark; Java 17). The Spark build runs
every model, seed, data test and unit test of dbt/ (the unit tests hold the hand-computed rate
strings); then every intermediate table, mart and report must hold the same rows as on DuckDB; then
a re-delivered export rebuilds exactly its export date on both engines.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from dbt_runs import Engine, run_dbt
from landing import Redelivery, redeliver
from relations import compare, compared_relations, spark_table_path

REBUILT = "marts.fct_course_training"  # reads the re-delivered enrollments
KINDS = ("model", "seed", "test", "unit_test")


def test_spark_builds_every_model_and_passes_every_test_as_duckdb_does(spark_build, duckdb_build):
    manifest = json.loads((spark_build.engine.work / "target" / "manifest.json").read_text())
    expected = {
        "model success": sum(node["resource_type"] == "model" for node in manifest["nodes"].values()),
        "seed success": sum(node["resource_type"] == "seed" for node in manifest["nodes"].values()),
        "test pass": sum(node["resource_type"] == "test" for node in manifest["nodes"].values()),
        "unit_test pass": len(manifest["unit_tests"]),
    }
    assert expected["model success"] > 90 and expected["unit_test pass"] >= 40
    assert {key: n for key, n in spark_build.results.items() if key.split()[0] in KINDS} == expected
    assert duckdb_build == expected


def test_every_table_mart_and_report_is_the_same_on_both_engines(spark_build):
    relations = compared_relations(spark_build.reference)
    assert len(relations) >= 60
    differences = _differences(spark_build.reference, spark_build.engine.tables, relations)
    assert not differences, "\n".join(differences)


def test_a_redelivered_export_rebuilds_exactly_its_date_on_both_engines(spark_build, duckdb_copy, tmp_path):
    delivery = _largest_enrollments_export(spark_build.reference)
    incremental = _incremental_tables(spark_build.engine)
    before = _partition_files(spark_build.engine.tables, incremental)

    kept = redeliver(duckdb_copy, spark_build.landing, delivery)
    assert kept > 0
    run_dbt(Engine.duckdb(duckdb_copy, tmp_path / "duckdb"), "run", name="run-redelivered")
    spark_build.seconds["register_landing again"] = run_dbt(
        spark_build.engine, "run-operation", "register_landing", "--args",
        json.dumps({"location": str(spark_build.landing)}), name="register-redelivered",
    )
    spark_build.seconds["dbt run, one export date re-delivered"] = run_dbt(
        spark_build.engine, "run", name="run-redelivered"
    )
    after = _partition_files(spark_build.engine.tables, incremental)

    # Spark: only the re-delivered date's partitions were written, and at least the enrollments' tables were
    rewritten = {(table, part) for (table, part), files in after.items() if before.get((table, part)) != files}
    assert {part for _, part in rewritten} == {f"export_date={delivery.export_date}"}
    assert (REBUILT, f"export_date={delivery.export_date}") in rewritten

    # DuckDB: the date's rows changed, every other date's stayed
    changed, unchanged = _rows_by_date(spark_build.reference, duckdb_copy, REBUILT, delivery.export_date)
    assert changed and unchanged

    # and the two engines still agree on everything
    differences = _differences(duckdb_copy, spark_build.engine.tables, compared_relations(duckdb_copy))
    assert not differences, "\n".join(differences)


def _differences(warehouse: Path, spark_tables: Path, relations: list[str]) -> list[str]:
    return [str(d) for relation in relations if (d := compare(warehouse, spark_tables, relation))]


def _largest_enrollments_export(warehouse: Path) -> Redelivery:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        source_name, export_date = con.execute(
            "select source_name, cast(export_date as varchar) from landing.enrollments "
            "group by all order by count(*) desc, 1, 2 limit 1"
        ).fetchone()
    return Redelivery("enrollments", source_name, export_date, keep="enrollment_id not like '%7'")


def _incremental_tables(engine: Engine) -> list[str]:
    manifest = json.loads((engine.work / "target" / "manifest.json").read_text())
    return sorted(
        f"{node['schema']}.{node['name']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    )


def _partition_files(tables: Path, relations: list[str]) -> dict[tuple[str, str], frozenset]:
    """Per incremental table and partition folder, its data files with their sizes and modification times."""
    files: dict[tuple[str, str], frozenset] = {}
    for relation in relations:
        folder = spark_table_path(tables, relation)
        for partition in sorted(p for p in folder.iterdir() if p.is_dir() and "=" in p.name):
            files[(relation, partition.name)] = frozenset(
                (f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in partition.glob("*.parquet")
            )
    return files


def _rows_by_date(before: Path, after: Path, relation: str, export_date: str) -> tuple[bool, bool]:
    """(the date's rows differ, every other date's rows are the same) between two DuckDB warehouses."""
    con = duckdb.connect()
    con.execute(f"attach '{before}' as before_ (read_only)")
    con.execute(f"attach '{after}' as after_ (read_only)")

    def differing(where: str) -> int:
        rows = "select * from {db}." + relation + " where " + where
        return con.execute(
            f"select count(*) from (({rows.format(db='before_')} except all {rows.format(db='after_')}) "
            f"union all ({rows.format(db='after_')} except all {rows.format(db='before_')}))"
        ).fetchone()[0]

    same_date = f"export_date = date '{export_date}'"
    return differing(same_date) > 0, differing(f"not ({same_date})") == 0
