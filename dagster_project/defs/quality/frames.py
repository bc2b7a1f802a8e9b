"""The small frame each suite validates, computed by DuckDB from the warehouse.

A frame's rows are the subjects of its checks (an export unit, a district, a course, a
report cell), so a city's 3.2 million enrollments reach pandas as a few hundred rows.
Each builder returns the frame and the runtime expectation parameters it provides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.quality.policy import QualityConfig
from dagster_project.lib.labels import column_labels_zh


@dataclass(frozen=True)
class FrameInputs:
    config: QualityConfig
    now: dt.datetime


Builder = Callable[[duckdb.DuckDBPyConnection, FrameInputs], tuple[pd.DataFrame, dict[str, Any]]]


@dataclass(frozen=True)
class Frame:
    build: Builder
    landing_column: str | None = None  # rows report on landing.<value of this column>, else on the suite's table
    reads: tuple[str, ...] = ()  # other dbt-built tables the frame reads (its checks wait for them)


def pct(numerator: str, denominator: str) -> str:
    """SQL text of a ratio of counts as the bulletins print it: two decimals, half-up, exact."""
    return (
        f"case when ({denominator}) > 0 then printf('%.2f%%', "
        f"(({numerator}) * 20000 + ({denominator})) // (2 * ({denominator})) / 100.0) end"
    )


def export_units(con: duckdb.DuckDBPyConnection, inputs: FrameInputs) -> tuple[pd.DataFrame, dict[str, Any]]:
    """ingest.load_manifest: each export unit in force with its quarantine, row-count and freshness figures."""
    entities = load_config().entities
    landing_rows = "\n        union all\n        ".join(
        f"select '{name}' as entity, source_name, export_date, count(*) as landing_rows "
        f"from landing.{name} group by all"
        for name in entities
    )
    frame = con.execute(
        f"""
        with loads as (
            select load_id, source_name, export_date, entity, source_file, raw_rows, quarantined_rows
            from ingest.load_manifest
            where status = 'loaded' and entity is not null and export_date is not null
        ),
        first_loads as (
            select source_name, export_date, entity, min(loaded_at) as first_loaded_at
            from ingest.load_manifest
            where status in ('loaded', 'replaced') and entity is not null
            group by all
        ),
        duplicates as (
            select load_id, count(*) as duplicate_key_rows
            from ingest.quarantine
            where reason like '%duplicate key%'
            group by all
        ),
        landing_rows as (
            {landing_rows}
        ),
        units as (
            select
                loads.source_name,
                loads.export_date,
                loads.entity,
                regexp_extract(loads.source_file, '[^/]+$') as file_name,
                loads.raw_rows,
                loads.quarantined_rows,
                coalesce(duplicates.duplicate_key_rows, 0) as duplicate_key_rows,
                coalesce(landing_rows.landing_rows, 0) as landing_rows,
                first_loads.first_loaded_at
            from loads
            left join duplicates on loads.load_id = duplicates.load_id
            left join landing_rows
                on loads.entity = landing_rows.entity
                and loads.source_name = landing_rows.source_name
                and loads.export_date = landing_rows.export_date
            left join first_loads
                on loads.entity = first_loads.entity
                and loads.source_name = first_loads.source_name
                and loads.export_date = first_loads.export_date
        ),
        compared as (
            select
                *,
                lag(export_date) over previous as previous_export_date,
                lag(landing_rows) over previous as previous_rows,
                export_date = max(export_date) over (partition by source_name, entity) as is_latest_export
            from units
            window previous as (partition by source_name, entity order by export_date)
        )
        select
            *,
            quarantined_rows / nullif(raw_rows, 0) as quarantine_share,
            {pct('quarantined_rows', 'raw_rows')} as quarantine_pct,
            (previous_rows - landing_rows) / nullif(previous_rows, 0) as row_drop_share,
            {pct('previous_rows - landing_rows', 'previous_rows')} as row_drop_pct,
            date_diff('second', first_loaded_at, ?::timestamp) / 3600.0 as hours_since_export,
            not list_contains(?::varchar[], entity) as is_freshness_checked
        from compared
        order by source_name, entity, export_date
        """,
        [inputs.now, list(inputs.config.freshness_exempt_entities)],
    ).df()
    frame["entity_zh"] = frame["entity"].map({name: entity.file for name, entity in entities.items()})
    return frame, {}


def district_rows(con: duckdb.DuckDBPyConnection, inputs: FrameInputs) -> tuple[pd.DataFrame, dict[str, Any]]:
    """marts.fct_district_training with the previous export's counters and the rates as printed."""
    frame = con.execute(
        f"""
        with districts as (
            select
                export_date, program, period, district, school_ownership,
                expected_teachers, participants, participants_outside_roster, graduates, graduates_outside_roster,
                course_completed, workshop_selected, workshop_completed, submitted, certified,
                enrollments_paid, enrollments_learning, enrollments_passed
            from marts.fct_district_training
        )
        select
            *,
            concat_ws(' ', program, period, district)
                || case when school_ownership = '全部' then '' else '（' || school_ownership || '）' end as scope,
            case when period = 'ALL' then '培训率' else '参训率' end as participation_label,
            export_date = max(export_date) over (partition by program, period) as is_latest,
            -- the bureau sets targets for this program period (ITP 1.0 has them for the programme, ALL, only)
            bool_or(expected_teachers is not null) over (partition by program, period, export_date) as has_targets,
            lag(export_date) over previous as previous_export_date,
            lag(enrollments_passed) over previous as previous_enrollments_passed,
            lag(certified) over previous as previous_certified,
            {pct('participants', 'expected_teachers')} as participation_pct,
            {pct('graduates', 'expected_teachers')} as graduation_pct,
            {pct('enrollments_learning', 'enrollments_paid')} as learning_pct,
            {pct('enrollments_passed', 'enrollments_paid')} as pass_pct,
            {pct('course_completed', 'participants')} as course_completion_pct,
            {pct('workshop_completed', 'participants')} as workshop_completion_pct,
            {pct('certified', 'participants')} as certification_pct
        from districts
        window previous as (partition by program, period, district, school_ownership order by export_date)
        order by program, period, district, school_ownership, export_date
        """
    ).df()
    return frame, {}


def course_rows(con: duckdb.DuckDBPyConnection, inputs: FrameInputs) -> tuple[pd.DataFrame, dict[str, Any]]:
    """marts.fct_course_training: each catalog course's enrollment counts."""
    frame = con.execute(
        """
        select
            source_name, export_date, course_id, course_name, program, period, is_zero_enrollment,
            enrollments_paid, enrollments_learning, enrollments_passed,
            export_date = max(export_date) over (partition by source_name) as is_latest
        from marts.fct_course_training
        order by source_name, course_id, export_date
        """
    ).df()
    return frame, {}


def enrollment_keys(con: duckdb.DuckDBPyConnection, inputs: FrameInputs) -> tuple[pd.DataFrame, dict[str, Any]]:
    """intermediate.int_enrollments_referenced (per export): enrollments of unknown courses and teachers."""
    frame = con.execute(
        f"""
        with exports as (
            select source_name, export_date, enrollments, unknown_course_enrollments, unknown_teacher_enrollments
            from intermediate.int_enrollments_referenced
        )
        select
            *,
            unknown_course_enrollments / enrollments as unknown_course_share,
            unknown_teacher_enrollments / enrollments as unknown_teacher_share,
            unknown_course_enrollments / enrollments > $share_max as unknown_course_over_threshold,
            unknown_teacher_enrollments / enrollments > $share_max as unknown_teacher_over_threshold,
            {pct('unknown_course_enrollments', 'enrollments')} as unknown_course_pct,
            {pct('unknown_teacher_enrollments', 'enrollments')} as unknown_teacher_pct,
            export_date = max(export_date) over (partition by source_name) as is_latest
        from exports
        order by source_name, export_date
        """,
        {"share_max": inputs.config.thresholds["unknown_key_share_max"]},
    ).df()
    return frame, {}


def teacher_names(con: duckdb.DuckDBPyConnection, inputs: FrameInputs) -> tuple[pd.DataFrame, dict[str, Any]]:
    """staging.stg_platform__teachers: teachers per canonical district and subject, and the known names."""
    frame = con.execute(
        """
        with teachers as (
            select source_name, export_date, district, subject from staging.stg_platform__teachers
        ),
        named as (
            select source_name, export_date, 'district' as attribute, district as value, count(*) as teachers
            from teachers group by all
            union all
            select source_name, export_date, 'subject' as attribute, subject as value, count(*) as teachers
            from teachers group by all
        )
        select *, export_date = max(export_date) over (partition by source_name) as is_latest
        from named
        order by source_name, export_date, attribute, value
        """
    ).df()
    parameters = {
        "known_districts": [d for (d,) in con.execute("select district from marts.dim_district").fetchall()],
        "known_subjects": [s for (s,) in con.execute("select subject from marts.dim_subject").fetchall()],
    }
    return frame, parameters


def unknown_programs(con: duckdb.DuckDBPyConnection, inputs: FrameInputs) -> tuple[pd.DataFrame, dict[str, Any]]:
    """qa.qa_unknown_programs (dbt): per source, export and unknown program, its courses, registrations, enrollments."""
    frame = con.execute("select * from qa.qa_unknown_programs order by source_name, export_date, program").df()
    return frame, {}


def report_totals(view: str) -> Builder:
    """reports.<view>: for each count column, the 合计 / 总计 row's value and the sum of the other rows.

    The row label is the view's first column after the `_` keys (district, subject, ...).
    """

    def build(con: duckdb.DuckDBPyConnection, inputs: FrameInputs) -> tuple[pd.DataFrame, dict[str, Any]]:
        columns = con.execute(
            "select column_name, data_type in ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT') "
            "from information_schema.columns where table_schema = 'reports' and table_name = ? "
            "and not starts_with(column_name, '_') order by ordinal_position",
            [view],
        ).fetchall()
        if not columns:
            raise LookupError(f"reports.{view} is not in the warehouse")
        label = columns[0][0]
        per_column = "\n            union all\n            ".join(
            f"""select _period as period, _export_date as export_date, '{column}' as measure,
                   max("{label}") filter (where is_total) as total_label,
                   max("{column}") filter (where is_total) as total,
                   sum("{column}") filter (where not is_total) as row_sum
            from report group by _period, _export_date having bool_or(is_total)"""
            for column, is_count in columns
            if is_count
        )
        frame = con.execute(
            f"""
            with report as (
                select *, "{label}" in ('合计', '总计') as is_total from reports.{view}
            )
            {per_column}
            order by period, export_date, measure
            """
        ).df()
        labels = column_labels_zh()
        frame["measure_zh"] = frame["measure"].map(lambda c: labels.get(c, c))
        return frame, {}

    return build


FRAMES: dict[str, Frame] = {
    "ingest.load_manifest": Frame(export_units, landing_column="entity"),
    "marts.fct_district_training": Frame(district_rows),
    "marts.fct_course_training": Frame(course_rows),
    "intermediate.int_enrollments_referenced": Frame(enrollment_keys),
    "staging.stg_platform__teachers": Frame(teacher_names, reads=("marts.dim_district", "marts.dim_subject")),
    "qa.qa_unknown_programs": Frame(unknown_programs),
}


def qa_rows(view: str) -> Builder:
    """qa.<view> (a dbt model of schema qa): its rows are the subjects of its checks, as they are."""

    def build(con: duckdb.DuckDBPyConnection, inputs: FrameInputs) -> tuple[pd.DataFrame, dict[str, Any]]:
        return con.execute(f"select * from qa.{view}").df(), {}

    return build


def frame_of(suite: str) -> Frame:
    """The frame a suite validates; every published table reports.report_* gets its totals frame, every
    qa.qa_* model (one row per subject) its own rows."""
    if suite in FRAMES:
        return FRAMES[suite]
    schema, name = suite.split(".", 1)
    if schema == "reports" and name.startswith("report_"):
        return Frame(report_totals(name))
    if schema == "qa" and name.startswith("qa_"):
        return Frame(qa_rows(name))
    raise KeyError(f"expectations/{suite}.json validates no known frame (dagster_project/defs/quality/frames.py)")


def reported_tables(suite: str) -> list[str]:
    """The warehouse tables whose asset checks a suite's results go to."""
    if frame_of(suite).landing_column:
        return [f"landing.{name}" for name in load_config().entities]
    return [suite]
