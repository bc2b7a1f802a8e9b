"""Export dates are Dagster partitions: which dates a run covers, and what it does with them."""

from __future__ import annotations

import shutil
import time

import dagster as dg
import duckdb
import pytest
from dagster._core.storage.tags import BACKFILL_ID_TAG

from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.defs.operations.partitions import (
    EXPORT_DATES,
    backfill_range,
    dates_between,
    nightly_range,
    pending_export_dates,
    range_tags,
    register_export_dates,
)
from dagster_project.defs.publish.publication import PUBLISHED_ASSET
from tests.scenario import write_scenario

DATES = ["2022-04-20", "2022-06-30", "2022-09-19"]  # bureau, gz_city, vendor_jjw in the scenario


def _published(instance: dg.DagsterInstance, *dates: str) -> None:
    for date in dates:
        instance.report_runless_asset_event(dg.AssetMaterialization(PUBLISHED_ASSET, partition=date))
    time.sleep(0.01)


def test_partitions_stay_in_date_order_when_a_late_platform_delivers_an_older_date():
    with dg.DagsterInstance.ephemeral() as instance:
        assert register_export_dates(instance, ["2022-09-19", "2022-04-20"]) == ["2022-04-20", "2022-09-19"]
        assert register_export_dates(instance, ["2022-06-30", "2022-09-26"]) == [
            "2022-04-20", "2022-06-30", "2022-09-19", "2022-09-26"]
        assert register_export_dates(instance, []) == instance.get_dynamic_partitions(EXPORT_DATES.name)


def test_a_date_is_pending_until_published_after_its_last_change(tmp_path):
    raw = write_scenario(tmp_path / "raw")
    with dg.DagsterInstance.ephemeral() as instance:
        assert pending_export_dates(instance, raw) == DATES
        assert nightly_range(instance, raw) == dg.PartitionKeyRange("2022-04-20", "2022-09-19")
        _published(instance, *DATES)
        assert pending_export_dates(instance, raw) == []
        # nothing new: the night checks (freshness included) and publishes the latest date again
        assert nightly_range(instance, raw) == dg.PartitionKeyRange("2022-09-19", "2022-09-19")

        redelivered = raw / "gz_city" / "2022-06-30" / "选课记录_20220701.csv"
        shutil.copy(raw / "gz_city" / "2022-06-30" / "选课记录.csv", redelivered)
        assert nightly_range(instance, raw) == dg.PartitionKeyRange("2022-06-30", "2022-06-30")
        _published(instance, "2022-06-30")
        shutil.copytree(raw / "vendor_jjw" / "2022-09-19", raw / "vendor_jjw" / "2022-09-26")
        assert nightly_range(instance, raw) == dg.PartitionKeyRange("2022-09-26", "2022-09-26")


def test_backfill_range_covers_the_export_folders_between_two_dates(tmp_path):
    raw = write_scenario(tmp_path / "raw")
    assert dates_between(raw, "2022-05-01", "2022-12-31") == ["2022-06-30", "2022-09-19"]
    with pytest.raises(ValueError, match="no export folder dated 2023-01-01 to 2023-12-31"):
        dates_between(raw, "2023-01-01", "2023-12-31")
    with pytest.raises(ValueError, match="an export date is YYYY-MM-DD, not '2022-13-01'"):
        dates_between(raw, "2022-13-01", "2022-12-31")
    with dg.DagsterInstance.ephemeral() as instance:
        assert backfill_range(instance, raw, "2022-05-01", "2022-12-31") == dg.PartitionKeyRange(
            "2022-06-30", "2022-09-19")


def _manifest(database, run_id: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select source_name, cast(export_date as varchar), status from ingest.load_manifest "
            "where run_id = ? and status <> 'unchanged' group by all order by all", [run_id]).fetchall()


def _partitions(instance: dg.DagsterInstance, key: list[str] | str) -> set[str]:
    return instance.get_materialized_partitions(dg.AssetKey(key))


def test_nightly_runs_materialize_their_export_dates_and_a_dagster_backfill_reloads_its_range(tmp_path):
    raw = write_scenario(tmp_path / "raw")
    home = tmp_path / "home"
    database = home / "warehouse.duckdb"
    with dg.instance_for_test() as instance:
        first = run_nightly(raw, home, instance=instance)
        assert first.success
        assert _partitions(instance, PUBLISHED_ASSET) == set(DATES)
        # dbt's models are whole tables, not one per export date: one materialization a run
        model = dg.AssetKey(["marts", "fct_district_training"])
        assert _partitions(instance, model.path) == set()
        assert instance.get_latest_materialization_event(model).run_id == first.run_id
        assert {date for _, date, _ in _manifest(database, first.run_id)} == set(DATES)

        shutil.copytree(raw / "vendor_jjw" / "2022-09-19", raw / "vendor_jjw" / "2022-09-26")
        second = run_nightly(raw, home, instance=instance)
        assert second.success
        assert _manifest(database, second.run_id) == [("vendor_jjw", "2022-09-26", "loaded")]
        runs = {r.run_id: r for r in instance.get_runs()}
        assert runs[second.run_id].tags == {**runs[second.run_id].tags, **range_tags(
            dg.PartitionKeyRange("2022-09-26", "2022-09-26"))}
        with duckdb.connect(str(database), read_only=True) as con:
            assert con.execute("select export_dates, models_built > 0 from ops.run_history where run_id = ?",
                               [second.run_id]).fetchone() == ("2022-09-26", True)

        # What a backfill of 2022-06-30 launched in the Dagster UI runs: the range, tagged as a backfill.
        from dagster_project.definitions import defs

        backfill = defs.resolve_job_def("nightly").execute_in_process(
            instance=instance,
            run_config={"resources": {"warehouse": {"config": {"raw_dir": str(raw), "home": str(home)}}}},
            tags={**range_tags(dg.PartitionKeyRange("2022-06-30", "2022-06-30")), BACKFILL_ID_TAG: "ui"},
        )
        assert backfill.success
        assert {(source, date) for source, date, _ in _manifest(database, backfill.run_id)} == {
            ("gz_city", "2022-06-30")}  # loaded again although unchanged
