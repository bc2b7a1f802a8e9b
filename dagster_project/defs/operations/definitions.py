"""Operations: the nightly job, its schedule, the sensors that start it and record each run."""

import dagster as dg

from dagster_project.defs.operations.jobs import nightly_job
from dagster_project.defs.operations.schedules import nightly_schedule
from dagster_project.defs.operations.sensors import new_export_sensor, record_failed_run, record_successful_run

defs = dg.Definitions(
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[new_export_sensor, record_successful_run, record_failed_run],
)
