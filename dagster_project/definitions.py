"""The one Definitions object (`dagster dev -m dagster_project.definitions`): each domain's, merged."""

import dagster as dg

from dagster_project.defs.dbt.definitions import defs as dbt_defs
from dagster_project.defs.ingest.definitions import defs as ingest_defs
from dagster_project.defs.operations.definitions import defs as operations_defs
from dagster_project.defs.publish.definitions import defs as publish_defs
from dagster_project.defs.quality.definitions import defs as quality_defs
from dagster_project.lib.warehouse import WarehouseResource

defs = dg.Definitions.merge(
    ingest_defs,
    dbt_defs,
    quality_defs,
    publish_defs,
    operations_defs,
    # Every run executes in one process: the warehouse takes one writer anyway, and the run's warehouse
    # resource, initialised once, holds the home for the whole run (lib/home_lock.py).
    dg.Definitions(resources={"warehouse": WarehouseResource()}, executor=dg.in_process_executor),
)
