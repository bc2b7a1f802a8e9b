"""Jobs are asset selections."""

import dagster as dg

NIGHTLY_JOB = "nightly"

nightly_job = dg.define_asset_job(
    NIGHTLY_JOB,
    selection=dg.AssetSelection.all(),
    description="The nightly job: ingest every new export, build the warehouse, check it, publish it.",
    # One step at a time, in the run's own process (definitions.py gives every job the in-process executor):
    # the warehouse takes one DuckDB writer, so no two steps write it at once, whatever the checks' blocking says.
)

# A nightly run in one of these states holds the warehouse (one writer): schedule and sensor wait.
IN_PROGRESS = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]

# Who started a run: "schedule", "new_export" (the sensor) or CLI_TRIGGER (`peixun run` / `peixun backfill`,
# which record the run and send its digest themselves); runs launched in the UI carry none.
TRIGGER_TAG = "peixun/trigger"
CLI_TRIGGER = "cli"
