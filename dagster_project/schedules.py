"""When the nightly job runs."""

import dagster as dg

from dagster_project.jobs import nightly_job

nightly_schedule = dg.ScheduleDefinition(
    job=nightly_job,
    cron_schedule="0 2 * * *",  # 02:00 every day, Beijing time (Asia/Shanghai)
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
