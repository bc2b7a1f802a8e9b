"""Data quality: the Great Expectations suites as asset checks on the tables they validate."""

import dagster as dg

from dagster_project.defs.quality.checks import landing_quality_checks, warehouse_quality_checks

defs = dg.Definitions(asset_checks=[landing_quality_checks, warehouse_quality_checks])
