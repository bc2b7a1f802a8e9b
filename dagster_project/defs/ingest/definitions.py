"""Ingest: the landing tables, loaded from every platform's exports."""

import dagster as dg

from dagster_project.defs.ingest.assets import landing_tables

defs = dg.Definitions(assets=[landing_tables])
