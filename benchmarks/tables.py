"""The tables the three contenders must produce identically, and how the pipeline's are read.

All at the latest export date (latest in-force files of each source):

- district_teachers: reports.report_itp2_district_teachers, the ITP 2.0 teacher counts per
  district and the 合计 row, at the latest export date of each period.
- district_enrollments: reports.report_itp2_district_enrollments, the ITP 2.0 enrollment
  counts (人次) per district and 合计, same date.
- subjects: marts.fct_subject_training, all school ownerships (全部): teachers with a paid
  enrollment in the subject's courses, of them learning, of them completed, per program period
  at its latest export date.
- courses: marts.fct_course_training, paid / learning / passed enrollments per catalogue course
  (zero-enrollment courses included) at the latest export of each source.

Rates are ratios of these counts through one formula, so equal counts mean equal rates.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

KEYS: dict[str, list[str]] = {
    "district_teachers": ["period", "export_date", "district"],
    "district_enrollments": ["period", "export_date", "district"],
    "subjects": ["program", "period", "export_date", "subject"],
    "courses": ["source_name", "export_date", "course_id"],
}
COUNTS: dict[str, list[str]] = {
    "district_teachers": [
        "expected_teachers", "participants", "course_selected", "course_completed",
        "workshop_selected", "workshop_completed", "submitted", "certified",
    ],
    "district_enrollments": ["enrollments_paid", "enrollments_learning", "enrollments_passed"],
    "subjects": ["enrolled_teachers", "learning_teachers", "completed_teachers"],
    "courses": ["enrollments_paid", "enrollments_learning", "enrollments_passed"],
}
TOTAL_ROW = "合计"

PIPELINE_SQL = {
    "district_teachers": f"""
        select _period as period, cast(_export_date as varchar) as export_date, district,
               {", ".join(COUNTS["district_teachers"])}
        from reports.report_itp2_district_teachers
        qualify _export_date = max(_export_date) over (partition by _period)""",
    "district_enrollments": f"""
        select _period as period, cast(_export_date as varchar) as export_date, district,
               {", ".join(COUNTS["district_enrollments"])}
        from reports.report_itp2_district_enrollments
        qualify _export_date = max(_export_date) over (partition by _period)""",
    "subjects": f"""
        select program, period, cast(export_date as varchar) as export_date, subject,
               {", ".join(COUNTS["subjects"])}
        from marts.fct_subject_training
        where school_ownership = '全部'
        qualify export_date = max(export_date) over (partition by program, period)""",
    "courses": f"""
        select source_name, cast(export_date as varchar) as export_date, course_id,
               {", ".join(COUNTS["courses"])}
        from marts.fct_course_training
        qualify export_date = max(export_date) over (partition by source_name)""",
}


def normalise(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table's columns in order, keys as text, counts as nullable integers, rows sorted by key."""
    keys, counts = KEYS[name], COUNTS[name]
    out = pd.DataFrame({k: frame[k].astype(str) for k in keys})
    for column in counts:
        out[column] = pd.array(frame[column], dtype="Int64")
    return out.sort_values(keys, ignore_index=True)


def pipeline_tables(warehouse: Path) -> dict[str, pd.DataFrame]:
    """The compared tables as the nightly job left them in its warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {name: normalise(name, con.sql(sql).df()) for name, sql in PIPELINE_SQL.items()}


def differences(name: str, expected: pd.DataFrame, actual: pd.DataFrame, limit: int = 5) -> list[str]:
    """Rows missing on either side and counts that differ, as readable lines (empty when identical)."""
    keys = KEYS[name]
    joined = expected.merge(actual, on=keys, how="outer", suffixes=("", "__other"), indicator=True)
    sides = {"left_only": "the pipeline", "right_only": "the peer"}
    problems = [
        f"{name}: row {dict(zip(keys, row, strict=True))} only in {sides[side]}"
        for *row, side in joined.loc[joined["_merge"] != "both", [*keys, "_merge"]].itertuples(index=False)
    ]
    both = joined[joined["_merge"] == "both"]
    for column in COUNTS[name]:
        mine, other = both[column], both[f"{column}__other"]
        differ = ~((mine == other).fillna(False) | (mine.isna() & other.isna()))
        for _, row in both[differ].iterrows():
            problems.append(
                f"{name}: {dict(zip(keys, row[keys], strict=True))} {column}: pipeline {row[column]}, "
                f"peer {row[f'{column}__other']}"
            )
    return problems[:limit] + ([f"{name}: ... {len(problems) - limit} more"] if len(problems) > limit else [])


def save(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        normalise(name, frame).to_parquet(folder / f"{name}.parquet", index=False)


def load(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: normalise(name, pd.read_parquet(folder / f"{name}.parquet")) for name in KEYS}
