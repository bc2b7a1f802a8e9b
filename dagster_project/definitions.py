"""The one Definitions object: `dagster dev -m dagster_project.definitions`."""

import dagster as dg

from dagster_project.assets.dbt import warehouse_models
from dagster_project.assets.ingest import landing_tables
from dagster_project.assets.publish import analytics
from dagster_project.checks import quality_checks
from dagster_project.jobs import nightly_job
from dagster_project.project import dbt_resource
from dagster_project.resources import WarehouseResource
from dagster_project.schedules import nightly_schedule
from dagster_project.sensors import new_export_sensor, record_failed_run, record_successful_run

defs = dg.Definitions(
    assets=[landing_tables, warehouse_models, analytics],
    asset_checks=quality_checks,
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[new_export_sensor, record_successful_run, record_failed_run],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": dbt_resource(),
    },
)
