"""config/quality.yml: the severity of each check and the thresholds the suites are run with.

Read into a pydantic model: a mistake is a QualityConfigError naming the file, the key and the
problem ("config/quality.yml: thresholds.row_drop_share_max: Input should be less than or equal
to 1 (got 1.5)"), raised when the definitions load, never half-way through a night.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dagster_project import settings
from dagster_project.lib.config_files import load_model

Share = Annotated[float, Field(ge=0, le=1)]


class Severity(StrEnum):
    ERROR = "ERROR"  # blocks publishing
    WARN = "WARN"  # reported only


class QualityConfigError(ValueError):
    """config/quality.yml is not what the checks need; the message names the file, key and problem."""


class Thresholds(BaseModel):
    """Passed to the suites as expectation parameters ({"$PARAMETER": name})."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    quarantine_share_max: Share
    row_drop_share_max: Share
    freshness_max_hours: float = Field(gt=0)
    unknown_key_share_max: Share


class Digest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_subjects_per_check: int = Field(ge=1)


class QualityConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    severity: dict[str, Severity]
    thresholds: Thresholds
    freshness_exempt_entities: tuple[str, ...] = ()
    digest: Digest

    @field_validator("freshness_exempt_entities")
    @classmethod
    def _known_entities(cls, entities: tuple[str, ...]) -> tuple[str, ...]:
        from dagster_project.defs.ingest.contract import load_config

        known = load_config().entities
        unknown = [e for e in entities if e not in known]
        if unknown:
            raise ValueError(f"{', '.join(unknown)} not an entity of config/entities.yml ({', '.join(known)})")
        return entities

    @property
    def max_subjects_per_check(self) -> int:
        return self.digest.max_subjects_per_check


def load_quality_config(path: Path | None = None) -> QualityConfig:
    path = path or settings.config_dir() / "quality.yml"
    return load_model(path, QualityConfig, QualityConfigError)
