"""When the nightly job runs."""

import os

import dagster as dg

from dagster_project.jobs import nightly_job

DEFAULT_CRON = "0 2 * * *"  # 02:00 every day, Beijing time (Asia/Shanghai)


def nightly_cron() -> str:
    """PEIXUN_SCHEDULE_CRON, read when the definitions load (restart `dagster dev` to change it)."""
    return os.environ.get("PEIXUN_SCHEDULE_CRON") or DEFAULT_CRON


nightly_schedule = dg.ScheduleDefinition(
    job=nightly_job,
    cron_schedule=nightly_cron(),  # interpreted in Beijing time (Asia/Shanghai)
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
