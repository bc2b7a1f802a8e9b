"""When the nightly job runs.

The schedule is RUNNING by default: under a Dagster daemon (`make dev` runs one; so does a
deployment) it starts the nightly job at PEIXUN_SCHEDULE_CRON. Its state lives in the home's
Dagster instance, which lasts: a tick missed while no daemon ran (the UI closed at night) is not
caught up when the UI opens again. It is skipped, so opening the UI never starts a run by surprise.
"""

import datetime as dt

import dagster as dg

from dagster_project import settings
from dagster_project.defs.operations.jobs import IN_PROGRESS, nightly_job
from dagster_project.defs.operations.partitions import nightly_range, range_tags
from dagster_project.defs.operations.quiet_night import INGEST_ASSETS, kept_tags, version_kept_tonight
from dagster_project.lib.home_lock import holder
from dagster_project.lib.warehouse import WarehouseResource

MISSED_AFTER = dt.timedelta(hours=1)  # a tick evaluated this long after its time was missed: skipped


def nightly_cron() -> str:
    """PEIXUN_SCHEDULE_CRON (default 02:00 every day, Beijing time), read when the definitions load
    (restart `dagster dev` to change it)."""
    return settings.load().schedule_cron


@dg.schedule(
    job=nightly_job,
    cron_schedule=nightly_cron(),  # interpreted in Beijing time (Asia/Shanghai)
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def nightly_schedule(context: dg.ScheduleEvaluationContext, warehouse: WarehouseResource):
    """The nightly run over the pending export dates (dagster_project/defs/operations/partitions.py), unless a run
    (say, started by the export sensor, or `peixun run`) still holds the warehouse, or the tick's time is long past.
    A night with nothing new runs the ingest and its checks alone (quiet_night.py)."""
    scheduled = context.scheduled_execution_time
    if scheduled is not None and dt.datetime.now(dt.UTC) - scheduled > MISSED_AFTER:
        return dg.SkipReason(
            f"the run due at {scheduled:%Y-%m-%d %H:%M %Z} was missed (no Dagster daemon was running then); "
            "missed nights are not caught up when the UI opens: run `peixun run`, or launch the job in the UI"
        )
    if context.instance.get_runs(dg.RunsFilter(job_name=nightly_job.name, statuses=IN_PROGRESS), limit=1):
        return dg.SkipReason("a nightly run is still in progress; the warehouse has one writer")
    running = holder(warehouse.home_path)
    if running is not None:
        return dg.SkipReason(f"run {running.describe()} ({running.command}) holds {warehouse.home_path}")
    keys = nightly_range(context.instance, warehouse.raw_path)
    if keys is None:
        return dg.SkipReason(f"no export folder <source>/<YYYY-MM-DD> under {warehouse.raw_path}")
    kept = version_kept_tonight(context.instance, warehouse.raw_path, warehouse.home_path)
    return dg.RunRequest(tags={**range_tags(keys), "peixun/trigger": "schedule", **kept_tags(kept)},
                         asset_selection=INGEST_ASSETS if kept else None)
