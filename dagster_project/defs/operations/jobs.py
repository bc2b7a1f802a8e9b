"""Jobs are asset selections."""

import dagster as dg

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    description="The nightly job: ingest every new export, build the warehouse, check it, publish it.",
)

# A nightly run in one of these states holds the warehouse (one writer): schedule and sensor wait.
IN_PROGRESS = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]
