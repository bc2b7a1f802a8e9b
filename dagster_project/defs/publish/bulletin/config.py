"""config/bulletin.yml: the issuer, issue numbering, distribution footer, placeholders and, per program,
the published tables a bulletin shows.

Validated when read (pydantic); a mistake is a BulletinConfigError naming the file, the key path and
the problem, as config/quality.yml's errors do.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dagster_project import settings
from dagster_project.lib.config_files import load_model

FOOTER_KEYS = ("报", "送", "发")


class BulletinConfigError(ValueError):
    """config/bulletin.yml is not what the bulletin needs; one line per problem."""


class Placeholder(BaseModel):
    """A section the data cannot write (awards, meetings): a marked box for the officer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: str = Field(min_length=1)
    prompt: str = Field(min_length=1)


class TableEntry(BaseModel):
    """A published table of the bulletin; `period` when it is published under another period (ALL)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str = Field(min_length=1)
    period: str | None = None


class ProgramBulletin(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    first_issue: int = Field(1, ge=1)  # 第N期 of a period's first export date
    total_before: int = Field(0, ge=0)  # 总第M期: issues printed before the warehouse drafted them
    tables: tuple[TableEntry, ...]
    rate_chart: tuple[str, ...] = ()  # rate columns drawn by district, from the first table with districts

    @field_validator("tables", mode="before")
    @classmethod
    def _entries(cls, tables: list) -> list:
        return [{"table": t} if isinstance(t, str) else t for t in tables]


class BulletinConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    issuer: str = Field(min_length=1)
    title: str = Field(min_length=1)
    footer: dict[str, str]
    placeholders: tuple[Placeholder, ...] = ()
    programs: dict[str, ProgramBulletin]

    @field_validator("footer")
    @classmethod
    def _footer(cls, footer: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in footer if k not in FOOTER_KEYS]
        if unknown:
            raise ValueError(f"unknown line {', '.join(unknown)} (expected {', '.join(FOOTER_KEYS)})")
        return footer

    @field_validator("programs")
    @classmethod
    def _known_tables(cls, programs: dict[str, ProgramBulletin]) -> dict[str, ProgramBulletin]:
        from dagster_project.cli import report_names

        known = set(report_names())
        unknown = sorted({e.table for p in programs.values() for e in p.tables} - known)
        if unknown:
            raise ValueError(f"unknown table {', '.join(unknown)} (tables: {', '.join(sorted(known))})")
        return programs


def load_bulletin_config(path: Path | None = None) -> BulletinConfig:
    path = path or settings.config_dir() / "bulletin.yml"
    return load_model(path, BulletinConfig, BulletinConfigError)
