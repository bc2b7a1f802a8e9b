"""The one Definitions object (`dagster dev -m dagster_project.definitions`): each domain's, merged.

Dagster loads the one Definitions object it finds at this module's scope, so the domains' own are
reached through their modules, never imported here by name.
"""

import dagster as dg

from dagster_project.defs.dbt import definitions as dbt
from dagster_project.defs.ingest import definitions as ingest
from dagster_project.defs.operations import definitions as operations
from dagster_project.defs.publish import definitions as publish
from dagster_project.defs.quality import definitions as quality
from dagster_project.lib.warehouse import WarehouseResource

defs = dg.Definitions.merge(
    ingest.defs,
    dbt.defs,
    quality.defs,
    publish.defs,
    operations.defs,
    # Every run executes in one process: the warehouse takes one writer anyway, and the run's warehouse
    # resource, initialised once, holds the home for the whole run (lib/home_lock.py).
    dg.Definitions(resources={"warehouse": WarehouseResource()}, executor=dg.in_process_executor),
)
