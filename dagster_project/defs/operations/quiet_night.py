"""A night with nothing new (无新数据之夜): no export date is pending, and the installed analytics.duckdb
was built from the warehouse's loads in force and from this code (publish/fingerprint.py).

Such a night runs the ingest and its checks alone: the ingest finds every file unchanged, and the landing
checks judge the exports as of tonight, freshness among them (a platform that stopped delivering is
reported on exactly such nights). dbt, the warehouse checks and the publication are left out of the run:
they would rebuild, check and copy what analysts already read. The run is tagged with the version it keeps
(`peixun/kept_version`), which ops.run_history, `peixun status` and the digest show.

`peixun run` and the schedule plan it before launching, so the run holds only the steps it runs (each
asset of a run costs Dagster events even when its step is skipped). A nightly run launched otherwise
(the sensor, the Dagster UI) reaches the same decision in its dbt step (defs/dbt/assets.py).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.defs.ingest.assets import landing_tables
from dagster_project.defs.operations.partitions import pending_export_dates
from dagster_project.defs.publish.fingerprint import KEPT_TAG, kept_version
from dagster_project.defs.publish.versions import PUBLISHED_FILE
from dagster_project.lib.warehouse import WAREHOUSE_FILE

# The run of a night with nothing new: the ingest's assets, with their checks (the landing suites).
INGEST_ASSETS = sorted(landing_tables.keys)


def version_kept_tonight(instance: dg.DagsterInstance, raw_dir: Path, home: Path) -> str | None:
    """The installed version when tonight has nothing new (see the module docstring); None otherwise."""
    database = home / WAREHOUSE_FILE
    if not database.exists() or pending_export_dates(instance, raw_dir):
        return None
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            kept = kept_version(con, home / PUBLISHED_FILE)
    except duckdb.IOException:  # a run started meanwhile holds the warehouse: plan a whole night, it will wait
        return None
    return kept.version if kept else None


def kept_tags(version: str | None) -> dict[str, str]:
    return {KEPT_TAG: version} if version else {}
