"""When the nightly job runs."""

import os

import dagster as dg

from dagster_project.jobs import IN_PROGRESS, nightly_job

DEFAULT_CRON = "0 2 * * *"  # 02:00 every day, Beijing time (Asia/Shanghai)


def nightly_cron() -> str:
    """PEIXUN_SCHEDULE_CRON, read when the definitions load (restart `dagster dev` to change it)."""
    return os.environ.get("PEIXUN_SCHEDULE_CRON") or DEFAULT_CRON


@dg.schedule(
    job=nightly_job,
    cron_schedule=nightly_cron(),  # interpreted in Beijing time (Asia/Shanghai)
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def nightly_schedule(context: dg.ScheduleEvaluationContext):
    """The nightly run, unless one (say, started by the export sensor) still holds the warehouse."""
    if context.instance.get_runs(dg.RunsFilter(job_name=nightly_job.name, statuses=IN_PROGRESS), limit=1):
        return dg.SkipReason("a nightly run is still in progress; the warehouse has one writer")
    return dg.RunRequest()
