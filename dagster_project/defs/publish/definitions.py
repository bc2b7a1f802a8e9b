"""Publishing: analytics.duckdb, the analysts' read-only database."""

import dagster as dg

from dagster_project.defs.publish.assets import analytics

defs = dg.Definitions(assets=[analytics])
