"""Sensors: start the nightly job when exports arrive; record every run's history.

`new_export_sensor` fingerprints each export folder <raw>/<source>/<export_date>/ (file
names, sizes, modification times). A new folder, or a new or changed file in one, starts
the nightly job once the files have stopped changing for SETTLE_SECONDS and no nightly
run is queued or running (the warehouse takes one writer); until then the cursor stays,
so the change is picked up on a later tick. The run covers the pending export dates
(dagster_project/defs/operations/partitions.py), the new folder's date among them.

It is STOPPED until someone starts it (Dagster UI, Automation; the state is kept in the home's
Dagster instance): opening the UI on a folder of exports must not start a nightly run by surprise.
The schedule is the nightly trigger; the sensor is for offices whose exports arrive at odd hours.
The run-status sensors only record runs (and send their digest), they start nothing: they run by default.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from dagster_project.defs.operations.jobs import CLI_TRIGGER, IN_PROGRESS, TRIGGER_TAG, nightly_job
from dagster_project.defs.operations.partitions import nightly_range, range_tags
from dagster_project.defs.operations.run_history import record_run
from dagster_project.lib.home_lock import holder
from dagster_project.lib.warehouse import WarehouseResource

SETTLE_SECONDS = 120  # a platform copying a large export takes a while; wait until it is done


@dataclass(frozen=True)
class ExportSnapshot:
    folders: dict[str, str]  # "<source>/<export_date>" -> digest of its files, sizes and mtimes
    newest_mtime: float  # seconds since the epoch; 0 when there is no file


def scan_exports(raw_dir: Path) -> ExportSnapshot:
    folders, newest = {}, 0.0
    if not raw_dir.is_dir():
        return ExportSnapshot(folders, newest)
    for folder in sorted(p for p in raw_dir.glob("*/*") if p.is_dir() and not p.parent.name.startswith(".")):
        files = []
        for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))):
            stat = path.stat()
            files.append((path.name, stat.st_size, stat.st_mtime_ns))
            newest = max(newest, stat.st_mtime)
        folders[f"{folder.parent.name}/{folder.name}"] = hashlib.sha256(json.dumps(files).encode()).hexdigest()[:16]
    return ExportSnapshot(folders, newest)


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Start the nightly job when a new export folder or a new or changed export file arrives.",
)
def new_export_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    snapshot = scan_exports(warehouse.raw_path)
    seen = json.loads(context.cursor) if context.cursor else {}
    changed = sorted(folder for folder, digest in snapshot.folders.items() if seen.get(folder) != digest)
    cursor = json.dumps(snapshot.folders, sort_keys=True)
    if not changed:
        if seen != snapshot.folders:  # folders were removed: nothing to load, remember the new state
            context.update_cursor(cursor)
        return dg.SkipReason(f"no new or changed export under {warehouse.raw_path}")
    waited = time.time() - snapshot.newest_mtime
    if waited < SETTLE_SECONDS:
        return dg.SkipReason(f"exports still arriving in {', '.join(changed)} (last change {waited:.0f} s ago)")
    running = holder(warehouse.home_path)
    if context.instance.get_runs(dg.RunsFilter(job_name=nightly_job.name, statuses=IN_PROGRESS), limit=1) or running:
        return dg.SkipReason(f"a nightly run is in progress; {', '.join(changed)} will be loaded after it")
    keys = nightly_range(context.instance, warehouse.raw_path)
    context.update_cursor(cursor)
    if keys is None:
        return dg.SkipReason(f"no export folder <source>/<YYYY-MM-DD> under {warehouse.raw_path}")
    context.log.info(f"new or changed exports: {', '.join(changed)}; export dates {keys.start} to {keys.end}")
    return dg.RunRequest(
        run_key=hashlib.sha256(cursor.encode()).hexdigest()[:16],
        tags={**range_tags(keys), "peixun/trigger": "new_export", "peixun/exports": ", ".join(changed)[:200]},
    )


def _record(context: dg.RunStatusSensorContext, warehouse: WarehouseResource,
            failure: str | None = None) -> dg.SkipReason | None:
    """Record the run against the warehouse it used (run config overrides the resource's defaults), then
    send the project office its digest: scheduled and sensor-started runs alert like `peixun run` does.
    `peixun run` records its own runs and sends their digest: its runs share the instance, not twice."""
    from dagster_project.defs.operations.alerts import send_run_digest

    if context.dagster_run.tags.get(TRIGGER_TAG) == CLI_TRIGGER:
        return dg.SkipReason(f"run {context.dagster_run.run_id} was started by peixun, which recorded it")
    overrides = context.dagster_run.run_config.get("resources", {}).get("warehouse", {}).get("config", {})
    used = WarehouseResource(**{**warehouse.model_dump(), **overrides})
    run_id = context.dagster_run.run_id
    record_run(context.instance, run_id, used.database)
    send_run_digest(used.home_path, run_id, failure=failure)
    return None


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[nightly_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Record each successful nightly run in ops.run_history and send its digest.",
)
def record_successful_run(context: dg.RunStatusSensorContext, warehouse: WarehouseResource):
    return _record(context, warehouse)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.FAILURE,
    monitored_jobs=[nightly_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Record each failed nightly run in ops.run_history and send its digest.",
)
def record_failed_run(context: dg.RunStatusSensorContext, warehouse: WarehouseResource):
    return _record(context, warehouse, failure=f"夜间任务运行失败（Dagster 运行 {context.dagster_run.run_id}）")
