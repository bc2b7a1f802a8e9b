"""Jobs are asset selections."""

import dagster as dg

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    description="The nightly job: ingest every new export, build the warehouse, check it, publish it.",
)
