"""What both peers need to know about the exports, read from the documents the platforms agreed to.

The peers stand outside the project's code: they read the input contract as an analyst would
have it (config/: headers per dialect, yes/no values, column types, keys) and the bureau's lists
(dbt/seeds/: district and subject aliases, program rules), never the ingest or dbt code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIG = REPO_ROOT / "config"
SEEDS = REPO_ROOT / "dbt" / "seeds"
FILE_NAME = re.compile(r"^(?P<stem>.+?)(?:_(?P<stamp>\d{8}))?\.(?P<ext>csv|xlsx)$", re.IGNORECASE)

UNKNOWN_DISTRICT = "未知区域"
UNKNOWN_SUBJECT = "未知学科"
LEARNING_COMMUNITY = "学习社区"
RESEARCH_COMMUNITY = "研修社区"
# Entities the compared tables are computed from (config/entities.yml names).
USED_ENTITIES = ("teachers", "courses", "enrollments", "registrations", "workshops", "targets")


@dataclass(frozen=True)
class Dialect:
    name: str
    encoding: str
    true_values: tuple[str, ...]
    false_values: tuple[str, ...]
    headers: dict[str, dict[str, tuple[str, ...]]]  # entity -> canonical column -> header aliases


@dataclass(frozen=True)
class EntitySpec:
    name: str
    file: str
    types: dict[str, str]  # canonical column -> text | integer | number | boolean | percent | date | datetime
    key: tuple[str, ...]
    optional: frozenset[str]


@dataclass(frozen=True)
class ExportFile:
    """The in-force file of one entity in the latest export-date folder of one source."""

    source: str
    export_date: str
    entity: str
    path: Path


def _yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@cache
def entities() -> dict[str, EntitySpec]:
    specs = {}
    for name, spec in _yaml(CONFIG / "entities.yml").items():
        columns = spec["columns"]
        specs[name] = EntitySpec(
            name,
            spec["file"],
            {c: a["type"] for c, a in columns.items() if not a.get("pii")},
            tuple(c for c, a in columns.items() if a.get("key")),
            frozenset(c for c, a in columns.items() if a.get("optional")),
        )
    return specs


@cache
def dialects() -> dict[str, Dialect]:
    """Each dialect's headers, with the yes/no values every dialect shares (vocabulary.yml)."""
    booleans = _yaml(CONFIG / "vocabulary.yml")["booleans"]
    found = {}
    for path in sorted((CONFIG / "dialects").glob("*.yml")):
        spec = _yaml(path)
        headers = {
            entity: {col: tuple([h] if isinstance(h, str) else h) for col, h in cols.items()}
            for entity, cols in spec["headers"].items()
        }
        found[spec["name"]] = Dialect(
            spec["name"], spec["encoding"], tuple(booleans[True]), tuple(booleans[False]), headers
        )
    return found


@cache
def source_dialects() -> dict[str, str]:
    return _yaml(CONFIG / "sources.yml")


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def district_aliases() -> dict[str, str]:
    return {row["alias"]: row["district"] for row in _seed("district_aliases")}


@cache
def subject_aliases() -> dict[str, str]:
    return {row["alias"]: row["subject"] for row in _seed("subject_aliases")}


@cache
def bulletin_districts() -> tuple[str, ...]:
    return tuple(row["district"] for row in _seed("districts"))


@cache
def programs() -> dict[str, dict[str, str]]:
    """Program rules by program name: participant_rule, completion_rule, required_hours, has_workshops."""
    return {row["program"]: row for row in _seed("programs")}


def latest_files(raw: Path) -> list[ExportFile]:
    """The in-force file of each used entity in each source's latest export-date folder.

    In a folder, the latest `_YYYYMMDD` delivery of an entity is in force (no suffix = oldest).
    """
    by_stem = {spec.file: spec.name for spec in entities().values() if spec.name in USED_ENTITIES}
    found = []
    for source in sorted(p for p in raw.iterdir() if p.is_dir() and not p.name.startswith(".")):
        dates = sorted(p for p in source.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name))
        if not dates:
            continue
        deliveries: dict[str, list[tuple[str, Path]]] = {}
        for path in dates[-1].iterdir():
            match = FILE_NAME.match(path.name)
            if path.is_file() and match and match["stem"] in by_stem:
                deliveries.setdefault(by_stem[match["stem"]], []).append((match["stamp"] or "", path))
        found += [ExportFile(source.name, dates[-1].name, entity, max(files)[1])
                  for entity, files in sorted(deliveries.items())]
    return found
