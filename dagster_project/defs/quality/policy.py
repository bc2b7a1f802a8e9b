"""config/quality.yml: the severity of each check and the thresholds the suites are run with."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from dagster_project import settings


class Severity(StrEnum):
    ERROR = "ERROR"  # blocks publishing
    WARN = "WARN"  # reported only


@dataclass(frozen=True)
class QualityConfig:
    severity: dict[str, Severity]
    thresholds: dict[str, float]
    freshness_exempt_entities: tuple[str, ...]
    max_subjects_per_check: int


def load_quality_config(path: Path | None = None) -> QualityConfig:
    path = path or settings.config_dir() / "quality.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    severity = {}
    for check, value in raw["severity"].items():
        if value not in Severity.__members__:
            raise ValueError(f"{path}: check {check}: severity must be ERROR or WARN, not {value!r}")
        severity[check] = Severity(value)
    return QualityConfig(
        severity=severity,
        thresholds={name: float(value) for name, value in raw["thresholds"].items()},
        freshness_exempt_entities=tuple(raw.get("freshness_exempt_entities") or ()),
        max_subjects_per_check=int(raw["digest"]["max_subjects_per_check"]),
    )
