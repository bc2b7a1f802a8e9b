"""The export contract as the generator writes it: which columns each entity has and how each is formatted.

File names and headers are not defined here: they come from the repository's `config/`
(`entities.yml` for file names, `dialects/<dialect>.yml` for headers; the first alias of a column
is the header written), so the generator and the ingest read one contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .constants import BUREAU_SOURCE, CITY_SOURCE, ITP1_SOURCE, VENDOR_SOURCE

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"


@cache
def _config(name: str) -> dict:
    return yaml.safe_load((CONFIG_DIR / name).read_text(encoding="utf-8")) or {}


def header(dialect: str, entity: str, column: str) -> str:
    """The header the dialect writes for a canonical column (its first alias in config/dialects/)."""
    aliases = _config(f"dialects/{dialect}.yml")["headers"][entity][column]
    return aliases if isinstance(aliases, str) else aliases[0]


def file_stem(entity: str) -> str:
    """The export's file name stem (Chinese), from config/entities.yml."""
    return _config("entities.yml")[entity]["file"]


@dataclass(frozen=True)
class Column:
    """One exported column: canonical name and formatting kind (id, text, name, place, yn, result, ...)."""

    name: str
    kind: str


@dataclass(frozen=True)
class Entity:
    """One export file type, by its canonical name in config/entities.yml."""

    name: str
    title: str  # vendor XLSX title prefix, e.g. 选课数据导出
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        return file_stem(self.name)

    def headers(self, dialect: str) -> list[str]:
        return [header(dialect, self.name, c.name) for c in self.columns]


def _cols(*rows: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(*r) for r in rows)


TEACHERS = Entity("teachers", "学员数据导出", _cols(
    ("teacher_id", "id"),
    ("national_id", "text"),
    ("name", "name"),
    ("phone", "text"),
    ("district", "place"),
    ("school_id", "text"),
    ("school_name", "place"),
    ("school_ownership", "text"),
    ("stage", "text"),
    ("subject", "text"),
    ("is_full_time", "yn"),
    ("status", "text"),
))
COURSES = Entity("courses", "课程数据导出", _cols(
    ("course_id", "id"),
    ("course_name", "text"),
    ("program", "text"),
    ("period", "text"),
    ("category", "text"),
    ("community", "text"),
    ("subject", "text"),
    ("credit_hours", "hours"),
    ("tutor_id", "id"),
))
ENROLLMENTS = Entity("enrollments", "选课数据导出", _cols(
    ("enrollment_id", "id"),
    ("teacher_id", "id"),
    ("course_id", "id"),
    ("period", "text"),
    ("enrolled_at", "datetime"),
    ("paid", "paid"),
    ("progress", "percent"),
    ("passed", "result"),
    ("hours_earned", "number"),
    ("passed_at", "datetime"),
))
REGISTRATIONS = Entity("registrations", "注册登录数据导出", _cols(
    ("teacher_id", "id"),
    ("program", "text"),
    ("period", "text"),
    ("registered_at", "datetime"),
    ("first_login_at", "datetime"),
    ("login_count", "number"),
    ("posts", "number"),
    ("homework_submitted", "number"),
))
WORKSHOPS = Entity("workshops", "工作坊数据导出", _cols(
    ("teacher_id", "id"),
    ("workshop_id", "text"),
    ("period", "text"),
    ("joined_at", "datetime"),
    ("completed", "yn"),
    ("submitted", "yn"),
    ("certified", "result"),
))
TARGETS = Entity("targets", "应参训人数", _cols(
    ("program", "text"),
    ("period", "text"),
    ("district", "text"),
    ("expected_teachers", "number"),
    ("basis", "text"),
    ("as_of", "text"),
))
TUTORS = Entity("tutors", "辅导教师", _cols(
    ("tutor_id", "id"),
    ("district", "text"),
    ("course_id", "id"),
    ("class_id", "text"),
))
SURVEYS = Entity("surveys", "满意度调查", _cols(
    ("response_id", "id"),
    ("teacher_id", "id"),
    ("course_id", "id"),
    ("item", "text"),
    ("level", "text"),
))

ASSESSMENTS = Entity("assessments", "发展测评数据导出", _cols(
    ("teacher_id", "id"),
    ("district", "place"),
    ("window_start", "date"),
    ("window_end", "date"),
    ("completed", "yn"),
    ("completed_at", "datetime"),
))

DIALECTS = {CITY_SOURCE: "city", VENDOR_SOURCE: "vendor", BUREAU_SOURCE: "city", ITP1_SOURCE: "city"}

# Integer surrogate -> exported ID: (prefix, zero-padded width), per source.
ID_FORMATS: dict[str, dict[str, tuple[str, int]]] = {
    CITY_SOURCE: {
        "teacher_id": ("T", 7), "course_id": ("C2201", 4), "enrollment_id": ("E2201", 8),
        "tutor_id": ("FD", 5), "response_id": ("WJ", 7),
    },
    VENDOR_SOURCE: {
        "teacher_id": ("JJW", 8), "course_id": ("NL2201", 4), "enrollment_id": ("DD", 10), "tutor_id": ("JJWFD", 4),
    },
    # course_id encodes its period: TSKC170205 is course 5 of period 1702.
    ITP1_SOURCE: {
        "teacher_id": ("TS", 7), "course_id": ("TSKC", 6), "enrollment_id": ("TSXK", 8), "tutor_id": ("TSFD", 4),
    },
}


def format_ids(source: str, column: str, values: list[int] | object) -> list[str]:
    """Python-side twin of the SQL ID formatting, for small tables."""
    prefix, width = ID_FORMATS[source][column]
    return [f"{prefix}{int(v):0{width}d}" for v in values]  # type: ignore[union-attr]
