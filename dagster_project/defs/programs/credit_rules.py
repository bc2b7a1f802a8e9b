"""A program's credit rule (学分) from config/programs/<code>.yml, validated by pydantic.

A mistake is a ProgramConfigError naming the file, the key and the problem
("config/programs/jiangxi.yml: school_years.2021-2022.credits.hours_per_credit: Input should be
greater than 0 (got 0)"). The numbers live only in the file; the SQL reads their compiled seed.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dagster_project import settings
from dagster_project.defs.dbt.program_seeds import PROGRAM_FILE as SCHOOL_BASED_FILE
from dagster_project.defs.ingest.contract import fold, load_config

Hours = Annotated[float, Field(gt=0)]


class ProgramConfigError(ValueError):
    """A program file is not what the credit rule needs; the message names the file, key and problem."""


class Rounding(StrEnum):
    FLOOR = "floor"  # down to `decimals` digits (a whole credit by default)
    HALF_UP = "half_up"
    EXACT = "exact"  # credited hours / hours per credit, unrounded


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CreditRule(_Spec):
    hours_per_credit: Hours
    credited_hours_cap: Hours
    requires_result: str  # the 考核结果 that earns credits (a yes/no word of config/vocabulary.yml)
    rounding: Rounding = Rounding.FLOOR
    decimals: int = Field(default=0, ge=0, le=3)

    @field_validator("requires_result")
    @classmethod
    def _a_vocabulary_word(cls, word: str) -> str:
        config = load_config()
        if fold(word) not in config.true_values + config.false_values:
            raise ValueError(f"{word!r} is not a yes/no word of config/vocabulary.yml")
        return word

    @property
    def requires_passed(self) -> bool:
        """The result as the staging views hold it (is_passed)."""
        return fold(self.requires_result) in load_config().true_values


class SchoolYear(_Spec):
    credits: CreditRule


class ProgramConfig(_Spec):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name_zh: str
    aliases: Annotated[tuple[str, ...], Field(min_length=1)]
    sources: Annotated[tuple[str, ...], Field(min_length=1)]  # source folders, `*` = any characters
    school_years: Annotated[dict[str, SchoolYear], Field(min_length=1)]

    @field_validator("school_years")
    @classmethod
    def _year_names(cls, years: dict[str, SchoolYear]) -> dict[str, SchoolYear]:
        for name in years:
            first, _, second = name.partition("-")
            if not (first.isdigit() and second.isdigit() and int(second) == int(first) + 1):
                raise ValueError(f"{name!r} is not a school year like 2021-2022")
        return years


def programs_dir() -> Path:
    return settings.config_dir() / "programs"


def _shown(path: Path) -> str:
    return str(path.relative_to(settings.REPO_ROOT)) if path.is_relative_to(settings.REPO_ROOT) else str(path)


def load_program(path: Path) -> ProgramConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProgramConfigError(f"{_shown(path)}: missing") from None
    except yaml.YAMLError as error:
        raise ProgramConfigError(f"{_shown(path)}: not valid YAML ({' '.join(str(error).split())})") from None
    try:
        return ProgramConfig.model_validate(raw if raw is not None else {})
    except ValidationError as error:
        problems = [
            f"{_shown(path)}: {'.'.join(str(part) for part in e['loc']) or '(top level)'}: {e['msg']}"
            + (f" (got {e['input']!r})" if e["type"] not in ("missing", "extra_forbidden", "dict_type") else "")
            for e in error.errors()
        ]
        raise ProgramConfigError("\n".join(problems)) from None


def load_programs(root: Path | None = None) -> list[ProgramConfig]:
    """Every config/programs/*.yml in file-name order, but school_based.yml: the 校本研修 hours of
    能力提升工程2.0, another rule kind, read by defs/dbt/program_seeds.py until one program schema
    holds every kind (issue 13)."""
    paths = sorted((root or programs_dir()).glob("*.yml"))
    return [load_program(path) for path in paths if path.name != SCHOOL_BASED_FILE.name]
