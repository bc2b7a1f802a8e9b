"""Publishing to analysts: analytics.duckdb in the home folder, built anew and swapped in atomically."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dagster_project.defs.publish.build import build
from dagster_project.defs.publish.relations import published_relations
from dagster_project.defs.publish.versions import (
    PUBLISHED_FILE,
    install,
    new_version_name,
    previous_version,
    prune,
    remove_leftovers,
    versions_dir,
)

# The Dagster asset that publishes (defs/publish/assets.py); run history reads its materialisations.
PUBLISHED_ASSET = "analytics"


@dataclass(frozen=True)
class Publication:
    version: str
    path: Path
    tables: int
    rows: int
    dropped_columns: tuple[str, ...]
    pruned: tuple[str, ...]
    seconds: float


def publish(
    warehouse: Path,
    home: Path,
    run_id: str,
    manifest: Mapping[str, Any],
    layer_of: Callable[[Mapping[str, Any]], str | None],
    keep: int,
    analysts_group: str = "",
) -> Publication:
    """Build a new version from the warehouse, install it as <home>/analytics.duckdb (readable by the
    analysts' group), keep the newest `keep` published versions. A version joins the rollback
    candidates only once installed; what an earlier failed publication left is removed first."""
    started = time.perf_counter()
    remove_leftovers(home)
    name = new_version_name(run_id)
    version = versions_dir(home) / name
    partial = version.with_name(name + ".partial")
    try:
        stats = build(partial, warehouse, published_relations(manifest, layer_of), name, run_id)
        os.replace(partial, version)
    finally:
        partial.unlink(missing_ok=True)
    published = install(home, version, analysts_group)
    pruned = prune(home, keep)
    return Publication(
        name,
        published,
        stats.tables,
        stats.rows,
        stats.dropped_columns,
        tuple(p.name for p in pruned),
        time.perf_counter() - started,
    )


def rollback(home: Path, analysts_group: str = "") -> str:
    """Install the version published before the current one; returns its name."""
    version = previous_version(home)
    install(home, version, analysts_group)
    return version.name


__all__ = ["PUBLISHED_ASSET", "PUBLISHED_FILE", "Publication", "publish", "rollback"]
