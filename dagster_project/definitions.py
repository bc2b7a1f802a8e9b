"""The one Definitions object: `dagster dev -m dagster_project.definitions`."""

import dagster as dg

from dagster_project.assets.dbt import warehouse_models
from dagster_project.assets.ingest import landing_tables
from dagster_project.jobs import nightly_job
from dagster_project.project import dbt_resource
from dagster_project.resources import WarehouseResource
from dagster_project.schedules import nightly_schedule

defs = dg.Definitions(
    assets=[landing_tables, warehouse_models],
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": dbt_resource(),
    },
)
