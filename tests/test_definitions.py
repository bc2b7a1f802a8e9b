"""The one Definitions object: assets, job, schedule (configurable cron) and the export sensor."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.defs.dbt.resource import prepare_dbt
from dagster_project.defs.quality.policy import Severity, load_quality_config
from dagster_project.lib.warehouse import WarehouseResource
from dagster_project.project import dbt_project
from tests.scenario import write_scenario

SETTLED = time.time() - 3600


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    prepare_dbt()
    from dagster_project.definitions import defs

    return defs


def test_definitions_load_with_ingest_dbt_and_publish(defs):
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert {"ingest", "staging", "intermediate", "marts", "reports", "reference", "publish"} <= groups
    assert dg.AssetKey("analytics") in defs.resolve_job_def("nightly").asset_layer.asset_graph.get_all_asset_keys()
    assert [s.name for s in defs.sensors] == ["new_export_sensor", "record_successful_run", "record_failed_run"]


def test_dagster_loads_the_module_as_make_dev_does(defs):
    # `dagster dev -m dagster_project.definitions` refuses a module holding more than one Definitions object
    dagster = str(Path(sys.executable).parent / "dagster")
    done = subprocess.run([dagster, "definitions", "validate", "-m", "dagster_project.definitions"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "All code locations passed validation." in done.stdout + done.stderr


def test_publish_waits_for_every_published_model_and_seed(defs):
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    published = {
        dg.AssetKey([node["schema"], node["alias"]])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "seed"
        or (node["resource_type"] == "model" and node["fqn"][1] in ("marts", "reports"))
    }
    parents = set(defs.resolve_asset_graph().get(dg.AssetKey("analytics")).parent_keys)
    assert parents == published
    assert dg.AssetKey(["marts", "fct_school_training"]) in parents


def test_dbt_tests_are_asset_checks_named_and_described_as_in_the_yaml(defs):
    graph = defs.resolve_asset_graph()
    grain = graph.get_check_spec(dg.AssetCheckKey(dg.AssetKey(["marts", "fct_district_training"]),
                                                  "fct_district_training_grain"))
    assert grain.description == "One row per export date, program, period, district and school ownership."
    assert dg.AssetKey(["qa", "qa_district_training"]) in graph.get_all_asset_keys()  # the quality frames


def test_schedule_runs_at_two_beijing_time_by_default(defs):
    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Asia/Shanghai")


def test_schedule_cron_comes_from_the_environment():
    code = ("from dagster_project.defs.operations.schedules import nightly_schedule as s; "
            "print(s.cron_schedule, s.execution_timezone)")
    env = {**os.environ, "PEIXUN_SCHEDULE_CRON": "30 5 * * 1-5"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "30 5 * * 1-5 Asia/Shanghai"


def _age(folder: Path) -> None:
    """Date the files long ago, as if they had settled (the sensor waits until exports stop changing)."""
    for path in folder.rglob("*"):
        os.utime(path, (SETTLED, SETTLED))


@pytest.fixture
def sensor_context(tmp_path):
    raw = write_scenario(tmp_path / "raw")
    _age(raw)
    warehouse = WarehouseResource(raw_dir=str(raw), home=str(tmp_path / "home"))
    with dg.DagsterInstance.ephemeral() as instance, dg.build_sensor_context(
        instance=instance, resources={"warehouse": warehouse}  # a context manager: the resource is one
    ) as context:
        yield raw, context


def _evaluate(context):
    from dagster_project.defs.operations.sensors import new_export_sensor

    return new_export_sensor(context)


def test_sensor_starts_a_run_for_exports_not_seen_then_waits(sensor_context):
    raw, context = sensor_context
    first = _evaluate(context)
    assert isinstance(first, dg.RunRequest)
    assert first.tags["peixun/exports"] == "bureau/2022-04-20, gz_city/2022-06-30, vendor_jjw/2022-09-19"
    assert first.partition_key_range == dg.PartitionKeyRange("2022-04-20", "2022-09-19")  # nothing published yet
    assert set(json.loads(context.cursor)) == {"bureau/2022-04-20", "gz_city/2022-06-30", "vendor_jjw/2022-09-19"}
    assert isinstance(_evaluate(context), dg.SkipReason)


def test_sensor_runs_for_a_new_export_folder_once_it_has_settled(sensor_context):
    raw, context = sensor_context
    _evaluate(context)
    new = raw / "vendor_jjw" / "2022-09-26"
    new.mkdir()
    (new / "选课记录.xlsx").write_bytes((raw / "vendor_jjw" / "2022-09-19" / "选课记录.xlsx").read_bytes())
    cursor = context.cursor
    waiting = _evaluate(context)
    assert isinstance(waiting, dg.SkipReason) and "still arriving in vendor_jjw/2022-09-26" in waiting.skip_message
    assert context.cursor == cursor
    _age(new)
    request = _evaluate(context)
    assert isinstance(request, dg.RunRequest) and request.tags["peixun/exports"] == "vendor_jjw/2022-09-26"
    assert context.instance.get_dynamic_partitions("export_date") == [
        "2022-04-20", "2022-06-30", "2022-09-19", "2022-09-26"]


def test_sensor_runs_for_a_changed_file_in_a_known_folder(sensor_context):
    raw, context = sensor_context
    _evaluate(context)
    redelivered = raw / "gz_city" / "2022-06-30" / "选课记录.csv"
    redelivered.write_text(redelivered.read_text(encoding="utf-8-sig") + "\n", encoding="utf-8-sig")
    _age(raw)
    request = _evaluate(context)
    assert isinstance(request, dg.RunRequest) and request.tags["peixun/exports"] == "gz_city/2022-06-30"


def test_sensor_waits_while_a_nightly_run_is_in_progress(sensor_context):
    _, context = sensor_context
    context.instance.add_run(dg.DagsterRun(job_name="nightly", status=dg.DagsterRunStatus.STARTED))
    skipped = _evaluate(context)
    assert isinstance(skipped, dg.SkipReason) and "in progress" in skipped.skip_message
    assert context.cursor is None


def test_schedule_runs_the_pending_export_dates_and_skips_while_a_run_holds_the_warehouse(tmp_path):
    from dagster_project.defs.operations.schedules import nightly_schedule

    warehouse = WarehouseResource(raw_dir=str(write_scenario(tmp_path / "raw")), home=str(tmp_path / "home"))
    with dg.instance_for_test() as instance, dg.build_schedule_context(
        instance=instance, resources={"warehouse": warehouse}, scheduled_execution_time=dt.datetime.now(dt.UTC)
    ) as context:
        request = nightly_schedule(context)
        assert isinstance(request, dg.RunRequest)
        assert request.partition_key_range == dg.PartitionKeyRange("2022-04-20", "2022-09-19")
        instance.add_run(dg.DagsterRun(job_name="nightly", status=dg.DagsterRunStatus.STARTED))
        skipped = nightly_schedule(context)
        assert isinstance(skipped, dg.SkipReason) and "in progress" in skipped.skip_message


def test_opening_the_ui_starts_no_run_sensor_stopped_and_missed_ticks_skipped(defs, tmp_path):
    from dagster_project.defs.operations.schedules import nightly_schedule

    statuses = {s.name: s.default_status for s in defs.sensors}
    assert statuses == {"new_export_sensor": dg.DefaultSensorStatus.STOPPED,
                        "record_successful_run": dg.DefaultSensorStatus.RUNNING,
                        "record_failed_run": dg.DefaultSensorStatus.RUNNING}
    assert defs.resolve_schedule_def("nightly_schedule").default_status == dg.DefaultScheduleStatus.RUNNING
    # The daemon, started again in the morning (`make dev`), evaluates the 02:00 tick it missed: skipped.
    warehouse = WarehouseResource(raw_dir=str(write_scenario(tmp_path / "raw")), home=str(tmp_path / "home"))
    missed = dt.datetime(2022, 9, 20, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with dg.instance_for_test() as instance, dg.build_schedule_context(
        instance=instance, resources={"warehouse": warehouse}, scheduled_execution_time=missed
    ) as context:
        skipped = nightly_schedule(context)
        assert isinstance(skipped, dg.SkipReason)
        assert skipped.skip_message.startswith("the run due at 2022-09-20 02:00 UTC+08:00 was missed")
        assert instance.get_dynamic_partitions("export_date") == []  # nothing looked at, nothing started


def test_only_error_checks_are_blocking_and_the_job_runs_one_step_at_a_time(defs):
    from dagster_project.defs.quality.checks import landing_quality_checks, warehouse_quality_checks

    severity = load_quality_config().severity
    specs = [spec for checks in (landing_quality_checks, warehouse_quality_checks) for spec in checks.check_specs]
    assert {spec.name: spec.blocking for spec in specs} == {
        name: level is Severity.ERROR for name, level in severity.items()}
    # The order of the steps (and the warehouse's one writer) does not rest on what blocks: one step at a time.
    assert defs.resolve_job_def("nightly").executor_def.name == dg.in_process_executor.name
