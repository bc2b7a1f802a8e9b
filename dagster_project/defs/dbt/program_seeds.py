"""The 校本研修 program's configuration (config/programs/school_based.yml) compiled into dbt seeds.

The YAML is the one place of the program's numbers (hours per activity type, the 线下活动 maximum,
the hours a teacher must reach and the cap, when hours are registered); the SQL reads only the seeds
written here (dbt/seeds/school_based_rules.csv, school_activity_rules.csv). An invalid file is an
error naming the file and the key, e.g.
`config/programs/school_based.yml: activity_types.线下活动.max_hours: required when hours is set_by_leader`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Literal

from pydantic import Field, StrictStr, model_validator

from dagster_project import settings
from dagster_project.defs.ingest.contract import _read_yaml, _Spec, _validated

SET_BY_LEADER = "set_by_leader"
PROGRAM_FILE = Path("programs") / "school_based.yml"
SEEDS = ("school_based_rules.csv", "school_activity_rules.csv")
OVERALL_PARTS = ("course_completed", "workshop_completed", "certified")


class ActivityType(_Spec):
    """What one completed activity of a 活动类型 credits a member."""

    hours: float | Literal["set_by_leader"] = Field(union_mode="left_to_right")
    max_hours: float | None = Field(default=None, gt=0)
    counts_when: Literal["completed_online", "designated_with_evidence"]

    @model_validator(mode="after")
    def _hours(self) -> ActivityType:
        if self.hours == SET_BY_LEADER and self.max_hours is None:
            raise ValueError("max_hours: required when hours is set_by_leader")
        if isinstance(self.hours, float) and self.hours <= 0:
            raise ValueError("hours: must be above 0 (or set_by_leader)")
        if isinstance(self.hours, float) and self.max_hours is not None:
            raise ValueError("max_hours: only for hours set_by_leader")
        return self


class SchoolBasedProgram(_Spec):
    """校本研修 (学时累计制): the programs it counts for, the requirement, the cap, the registration gate."""

    programs: list[StrictStr] = Field(min_length=1)
    required_hours: float = Field(gt=0)
    hours_cap: float = Field(gt=0)
    registration: Literal["school_acceptance", "immediately"]
    activity_types: dict[StrictStr, ActivityType] = Field(min_length=1)
    overall_requires: list[Literal["course_completed", "workshop_completed", "certified"]] = []

    @model_validator(mode="after")
    def _reachable(self) -> SchoolBasedProgram:
        if self.required_hours > self.hours_cap:
            raise ValueError("required_hours: above hours_cap, no teacher could reach it")
        return self


def load_program(path: Path | None = None) -> SchoolBasedProgram:
    path = path or settings.config_dir() / PROGRAM_FILE
    return _validated(path, SchoolBasedProgram, _read_yaml(path))


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _number(value: float) -> str:
    return f"{value:g}"


def seed_files(program: SchoolBasedProgram) -> dict[str, str]:
    """The seeds' CSV text by file name: one row per program, one per program × activity type."""
    gate = "school_acceptance" if program.registration == "school_acceptance" else "none"
    overall = ["true" if part in program.overall_requires else "false" for part in OVERALL_PARTS]
    rules = _csv(["program", "required_hours", "hours_cap", "registration_gate",
                  *(f"overall_requires_{part}" for part in OVERALL_PARTS)],
                 [[p, _number(program.required_hours), _number(program.hours_cap), gate, *overall]
                  for p in program.programs])
    activities = _csv(
        ["program", "activity_type", "hours_rule", "hours", "max_hours", "counts_when"],
        [[p, name, SET_BY_LEADER if kind.hours == SET_BY_LEADER else "fixed",
          _number(0 if kind.hours == SET_BY_LEADER else kind.hours),
          _number(kind.max_hours if kind.hours == SET_BY_LEADER else kind.hours), kind.counts_when]
         for p in program.programs for name, kind in program.activity_types.items()],
    )
    return dict(zip(SEEDS, (rules, activities), strict=True))


def compile_seeds(seeds_dir: Path, path: Path | None = None) -> list[Path]:
    """Write the seeds from the YAML; only files whose text changed are written (dbt's parse stays partial)."""
    written = []
    for name, text in seed_files(load_program(path)).items():
        target = seeds_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written
