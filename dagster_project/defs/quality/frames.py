"""The frame each suite validates: the dbt model of dbt/models/quality it is named after (schema qa).

A frame's rows are the subjects of its checks (an export unit, a district, a course, a report
cell), so a city's 3.2 million enrollments reach pandas as a few hundred rows. The model holds all
the SQL; read here with `select *`, it gets only what depends on the run: its time (freshness)
and config/quality.yml (thresholds, exempt entities), plus the Chinese file names of the entities.

The model's YAML (dbt/models/quality/_quality__models.yml) says where the results go: meta.validates
is the table whose asset carries the checks, or a template over the frame's columns
("landing.{entity}": each row reports on its own table); meta.grain names a row in Data Docs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dagster_project.defs.dbt.resource import compiled_sql
from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.quality.policy import QualityConfig
from dagster_project.project import dbt_project

ROW_LABEL = "_row"  # the frame's index: its grain's values, what GX and Data Docs show for a failing row


@dataclass(frozen=True)
class FrameInputs:
    config: QualityConfig
    now: dt.datetime


@dataclass(frozen=True)
class Frame:
    suite: str  # qa.<model>, the name of expectations/<suite>.json
    validates: str  # the table whose asset gets the results, or a template over the frame's columns
    grain: tuple[str, ...]  # the columns that name a row
    tables: tuple[str, ...]  # every table the results can go to
    models: tuple[str, ...]  # dbt models the frame reads; none: only what the ingest wrote

    @property
    def model(self) -> str:
        return self.suite.split(".", 1)[1]

    @property
    def before_dbt(self) -> bool:
        """Reads only the ingest's tables: checked between ingestion and dbt, which it builds itself."""
        return not self.models

    def table_of(self, row: dict[str, Any]) -> str:
        return self.validates.format_map(row)


Runtime = Callable[[FrameInputs], tuple[str, dict[str, Any]]]


def export_units(inputs: FrameInputs) -> tuple[str, dict[str, Any]]:
    """Hours since the unit was first loaded, as of the run; whether its entity is held to freshness."""
    files = load_config().entities
    entity_zh = " ".join(f"when '{name}' then '{entity.file}'" for name, entity in files.items())
    columns = f"""
        date_diff('second', first_loaded_at, $now) / 3600.0 as hours_since_export,
        not list_contains(cast($freshness_exempt as varchar[]), entity) as is_freshness_checked,
        case entity {entity_zh} end as entity_zh"""
    return columns, {"now": inputs.now, "freshness_exempt": list(inputs.config.freshness_exempt_entities)}


def enrollments_referenced(inputs: FrameInputs) -> tuple[str, dict[str, Any]]:
    """Which shares are over the threshold: up to it a warning (unknown_keys), above it an error, never both."""
    columns = """
        unknown_course_share > $share_max as unknown_course_over_threshold,
        unknown_teacher_share > $share_max as unknown_teacher_over_threshold"""
    return columns, {"share_max": inputs.config.thresholds.unknown_key_share_max}


RUNTIME: dict[str, Runtime] = {
    "qa.qa_export_units": export_units,
    "qa.qa_enrollments_referenced": enrollments_referenced,
}


def read_frame(con: duckdb.DuckDBPyConnection, frame: Frame, inputs: FrameInputs) -> pd.DataFrame:
    """The suite's frame, rows in a stable order (by the model's columns), indexed by their grain."""
    columns, parameters = RUNTIME[frame.suite](inputs) if frame.suite in RUNTIME else ("", {})
    label = ", ".join(f"cast({c} as varchar)" for c in frame.grain)
    return con.execute(
        f"select *, {columns + ',' if columns else ''} concat_ws(' ', {label}) as {ROW_LABEL} "
        f"from {frame.suite} order by all",
        parameters,
    ).df().set_index(ROW_LABEL, verify_integrity=True)


def frame_of(suite: str) -> Frame:
    """The frame of expectations/<suite>.json: the dbt model qa.<model> as dbt parsed it."""
    frames = _frames(dbt_project.manifest_path, dbt_project.manifest_path.stat().st_mtime_ns)
    if suite not in frames:
        raise KeyError(f"expectations/{suite}.json validates no model of dbt/models/quality (schema qa) in "
                       f"{dbt_project.manifest_path} (parsed before the model was added? `dbt parse`)")
    return frames[suite]


@cache
def _frames(manifest_path: Path, modified_ns: int) -> dict[str, Frame]:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    relations = {
        key: f"{node['schema']}.{node.get('alias') or node.get('identifier') or node['name']}"
        for nodes in (manifest["nodes"], manifest["sources"])
        for key, node in nodes.items()
    }
    frames = {}
    for key, node in manifest["nodes"].items():
        if node["resource_type"] != "model" or node["fqn"][1] != "quality":
            continue
        meta = node["config"].get("meta") or node.get("meta") or {}
        if "validates" not in meta or "grain" not in meta:
            raise ValueError(f"{node['original_file_path']}: its YAML needs meta.validates and meta.grain")
        parents = [relations[p] for p in node["depends_on"]["nodes"]]
        pattern = re.compile("".join(".+" if part.startswith("{") else re.escape(part)
                                     for part in re.split(r"(\{\w+\})", meta["validates"])))
        tables = sorted(p for p in parents if pattern.fullmatch(p)) if "{" in meta["validates"] else [meta["validates"]]
        frames[relations[key]] = Frame(
            suite=relations[key],
            validates=meta["validates"],
            grain=tuple(meta["grain"]),
            tables=tuple(tables),
            models=tuple(sorted(relations[p] for p in node["depends_on"]["nodes"] if p.startswith("model."))),
        )
    return frames


def create_views(con: duckdb.DuckDBPyConnection, frames: list[Frame]) -> list[str]:
    """Create the views of frames read before dbt's nightly build (over the ingest's tables), so the ingest
    checks read them as the code defines them: from the SQL dbt compiled for them when the project was
    prepared (defs/dbt/resource.py), as `dbt run` would create them but with no dbt process (several
    seconds). The nightly build creates them again with the rest. Returns the models created."""
    sql = compiled_sql([frame.model for frame in frames]) if frames else {}
    for frame in frames:
        con.execute(f"create schema if not exists {frame.suite.split('.', 1)[0]}")
        con.execute(f"create or replace view {frame.suite} as (\n{sql[frame.model]}\n)")
    return [frame.model for frame in frames]
