"""dbt: every model, seed and data test of dbt/ as Dagster assets and asset checks."""

import dagster as dg

from dagster_project.defs.dbt.assets import warehouse_models
from dagster_project.defs.dbt.resource import dbt_resource

defs = dg.Definitions(assets=[warehouse_models], resources={"dbt": dbt_resource()})
