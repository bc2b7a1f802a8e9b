"""The pandas peer: the compared tables as an analyst without this project would compute them.

Read each latest export with pandas (read_csv in the dialect's encoding, read_excel with the
title row skipped), fold and trim the text, drop the rows the input contract rejects (bad dates,
percents, numbers or flags, missing or repeated keys), then merge, group and count.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import contract
from benchmarks.contract import ExportFile
from benchmarks.tables import TOTAL_ROW

TEACHER_KEY = ["source_name", "export_date", "program", "period", "teacher_id"]


def read_export(file: ExportFile) -> pd.DataFrame:
    """One export as text columns named canonically (NFKC-folded, trimmed, empty = missing), valid rows only."""
    dialect = contract.dialects()[contract.source_dialects()[file.source]]
    spec = contract.entities()[file.entity]
    if file.path.suffix.lower() == ".xlsx":
        raw = pd.read_excel(file.path, header=1, dtype=str)
    else:
        raw = pd.read_csv(file.path, encoding=dialect.encoding, dtype=str, keep_default_na=False)
    raw.columns = [str(c).strip() for c in raw.columns.str.normalize("NFKC")]
    frame = pd.DataFrame(index=raw.index)
    for column in spec.types:
        header = next((h for h in dialect.headers[file.entity][column] if h in raw.columns), None)
        if header is None:
            if column not in spec.optional:
                raise ValueError(f"{file.path}: no column for {column}")
            frame[column] = pd.Series(pd.NA, index=raw.index, dtype="str")
        else:
            frame[column] = raw[header].str.normalize("NFKC").str.strip().replace("", pd.NA)
    frame = frame.dropna(how="all")
    typed = _typed(frame, spec.types, dialect.true_values, dialect.false_values)
    bad = (frame.notna() & typed.isna()).any(axis=1) | frame[list(spec.key)].isna().any(axis=1)
    bad |= frame.duplicated(subset=list(spec.key), keep="first")
    typed = typed[~bad]
    typed.insert(0, "source_name", file.source)
    typed.insert(1, "export_date", file.export_date)
    return typed


def _typed(frame: pd.DataFrame, types: dict[str, str], true_values, false_values) -> pd.DataFrame:
    typed = pd.DataFrame(index=frame.index)
    for column, kind in types.items():
        text = frame[column]
        if kind == "text":
            typed[column] = text
        elif kind in ("integer", "number"):
            number = pd.to_numeric(text, errors="coerce")
            typed[column] = number.where(number % 1 == 0) if kind == "integer" else number
        elif kind == "percent":
            number = pd.to_numeric(text.str.rstrip("%"), errors="coerce")
            typed[column] = number.where(number.between(0, 100))
        elif kind == "boolean":
            flags = {**dict.fromkeys(true_values, True), **dict.fromkeys(false_values, False)}
            typed[column] = text.map(flags).astype("boolean")
        else:
            iso = text.str.replace("/", "-").str.replace("年", "-").str.replace("月", "-").str.replace("日", "")
            parsed = pd.to_datetime(iso, format="%Y-%m-%d %H:%M:%S", errors="coerce")
            parsed = parsed.fillna(pd.to_datetime(iso, format="%Y-%m-%d %H:%M", errors="coerce"))
            typed[column] = parsed.fillna(pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce"))
    return typed


def read_latest(raw: Path) -> dict[str, pd.DataFrame]:
    """Every used entity, all sources' latest exports stacked."""
    parts: dict[str, list[pd.DataFrame]] = {}
    for file in contract.latest_files(raw):
        parts.setdefault(file.entity, []).append(read_export(file))
    return {entity: pd.concat(frames, ignore_index=True) for entity, frames in parts.items()}


def compute(raw: Path) -> dict[str, pd.DataFrame]:
    data = read_latest(raw)
    districts, subjects = contract.district_aliases(), contract.subject_aliases()
    teachers = data["teachers"].assign(district=lambda t: t["district"].map(lambda d: districts.get(d, d)))
    courses = data["courses"].assign(subject=lambda c: c["subject"].map(lambda s: subjects.get(s, s)))
    targets = data["targets"].assign(district=lambda t: t["district"].map(lambda d: districts.get(d, d)))

    enrollments = data["enrollments"].rename(columns={"period": "enrollment_period"}).merge(
        courses[["source_name", "export_date", "course_id", "program", "period", "community", "subject"]],
        on=["source_name", "export_date", "course_id"], how="left",
    ).merge(
        teachers[["source_name", "export_date", "teacher_id", "district", "school_ownership"]],
        on=["source_name", "export_date", "teacher_id"], how="left",
    )
    enrollments["period"] = enrollments["period"].fillna(enrollments["enrollment_period"])
    enrollments["district"] = enrollments["district"].fillna(contract.UNKNOWN_DISTRICT)
    enrollments["is_paid"] = enrollments["paid"].fillna(False).astype(bool)
    enrollments["is_learning"] = enrollments["progress"].fillna(0) > 0
    # passed counts only on paid enrollments, everywhere below
    enrollments["is_passed"] = enrollments["passed"].fillna(False).astype(bool) & enrollments["is_paid"]
    enrollments["passed_hours"] = enrollments["hours_earned"].fillna(0).where(enrollments["is_passed"], 0)

    periods = _teacher_periods(enrollments[enrollments["program"].notna()], data, courses, teachers)
    return {
        **_district_tables(enrollments[enrollments["program"].notna()], periods, targets),
        "subjects": _subjects(enrollments, periods),
        "courses": _courses(enrollments, courses),
    }


def _teacher_periods(enrollments, data, courses, teachers) -> pd.DataFrame:
    """One row per teacher per program period per export, with the program's rules applied."""
    programs = pd.DataFrame(contract.programs().values())
    paid = enrollments.assign(
        paid_learning=enrollments["is_paid"] & enrollments["is_learning"],
        passed_learning=enrollments["is_passed"] & (enrollments["community"] == contract.LEARNING_COMMUNITY),
        passed_research=enrollments["is_passed"] & (enrollments["community"] == contract.RESEARCH_COMMUNITY),
    )
    enrollment_stats = paid.groupby(TEACHER_KEY, dropna=False).agg(
        enrollments_paid=("is_paid", "sum"),
        passed_hours=("passed_hours", "sum"),
        passed_learning=("passed_learning", "sum"),
        passed_research=("passed_research", "sum"),
    ).reset_index()
    registrations = data["registrations"].assign(logged_in=lambda r: r["first_login_at"].notna())
    registration_stats = registrations.groupby(TEACHER_KEY, dropna=False).agg(
        has_logged_in=("logged_in", "any")).reset_index()
    workshop_programs = courses.merge(programs[programs["has_workshops"] == "true"][["program"]], on="program")[
        ["source_name", "export_date", "period", "program"]].drop_duplicates()
    workshops = data["workshops"].merge(workshop_programs, on=["source_name", "export_date", "period"])
    done = workshops["completed"].fillna(False).astype(bool)
    handed_in = done & workshops["submitted"].fillna(False).astype(bool)
    workshops = workshops.assign(
        done=done, handed_in=handed_in, certified_ok=handed_in & workshops["certified"].fillna(False).astype(bool)
    )
    workshop_stats = workshops.groupby(TEACHER_KEY, dropna=False).agg(
        workshop_completed=("done", "any"), submitted=("handed_in", "any"), certified=("certified_ok", "any"),
    ).reset_index().assign(workshop_selected=True)

    periods = (
        pd.concat([s[TEACHER_KEY] for s in (enrollment_stats, registration_stats, workshop_stats)])
        .drop_duplicates()
        .merge(enrollment_stats, on=TEACHER_KEY, how="left")
        .merge(registration_stats, on=TEACHER_KEY, how="left")
        .merge(workshop_stats, on=TEACHER_KEY, how="left")
        .merge(teachers[["source_name", "export_date", "teacher_id", "district"]],
               on=["source_name", "export_date", "teacher_id"], how="left")
        .merge(programs, on="program", how="left")
    )
    periods["district"] = periods["district"].fillna(contract.UNKNOWN_DISTRICT)
    flags = ["has_logged_in", "workshop_selected", "workshop_completed", "submitted", "certified"]
    periods[flags] = periods[flags].fillna(False).astype(bool)
    counts = ["enrollments_paid", "passed_hours", "passed_learning", "passed_research"]
    periods[counts] = periods[counts].fillna(0)
    periods["course_selected"] = periods["enrollments_paid"] > 0
    periods["participant"] = np.where(
        periods["participant_rule"] == "first_login", periods["has_logged_in"], periods["course_selected"])
    required = pd.to_numeric(periods["required_hours"], errors="coerce")
    periods["course_completed"] = np.select(
        [periods["completion_rule"] == "passed_hours", periods["completion_rule"] == "both_communities"],
        [periods["passed_hours"] >= required, (periods["passed_learning"] > 0) & (periods["passed_research"] > 0)],
        False,
    )
    return periods


def _district_tables(enrollments, periods, targets) -> dict[str, pd.DataFrame]:
    """The ITP 2.0 district tables (teachers and enrollments) with their 合计 rows, at the latest export."""
    itp2 = [p for p, rule in contract.programs().items() if rule["program_code"] == "itp2"]
    keys = ["export_date", "program", "period", "district"]
    teacher_counts = periods[periods["program"].isin(itp2)].groupby(keys).agg(
        participants=("participant", "sum"), course_selected=("course_selected", "sum"),
        course_completed=("course_completed", "sum"), workshop_selected=("workshop_selected", "sum"),
        workshop_completed=("workshop_completed", "sum"), submitted=("submitted", "sum"),
        certified=("certified", "sum"),
    ).reset_index()
    paid = enrollments[enrollments["is_paid"]]
    enrollment_counts = paid.assign(
        learning=paid["is_learning"], passed=paid["is_passed"]).groupby(keys).agg(
        enrollments_paid=("is_paid", "sum"), enrollments_learning=("learning", "sum"),
        enrollments_passed=("passed", "sum")).reset_index()
    latest_targets = targets[targets["export_date"] == targets["export_date"].max()]
    table = (
        teacher_counts.merge(enrollment_counts, on=keys, how="left")
        .merge(latest_targets[["program", "period", "district", "expected_teachers"]],
               on=["program", "period", "district"], how="left")
    )
    enrollment_columns = ["enrollments_paid", "enrollments_learning", "enrollments_passed"]
    table[enrollment_columns] = table[enrollment_columns].fillna(0)
    table = table[table["district"].isin(contract.bulletin_districts()) | (table["participants"] > 0)
                  | (table["enrollments_paid"] > 0)]
    table = table[table["export_date"] == table.groupby("period")["export_date"].transform("max")]
    totals = table.groupby(["export_date", "program", "period"]).sum(numeric_only=True, min_count=1).reset_index()
    table = pd.concat([table, totals.assign(district=TOTAL_ROW)], ignore_index=True)
    return {"district_teachers": table, "district_enrollments": table}


def _subjects(enrollments, periods) -> pd.DataFrame:
    """Teachers with a paid enrollment in each subject's courses (programs the bureau's list knows); of them
    learning; of them completed."""
    paid = enrollments[enrollments["program"].isin(contract.programs()) & enrollments["is_paid"]].copy()
    paid["subject"] = paid["subject"].fillna(contract.UNKNOWN_SUBJECT)
    teacher_subjects = paid.groupby([*TEACHER_KEY, "subject"], dropna=False).agg(
        is_learning=("is_learning", "any")).reset_index()
    rows = teacher_subjects.merge(periods[[*TEACHER_KEY, "course_completed"]], on=TEACHER_KEY, how="left")
    rows["completed"] = rows["is_learning"] & rows["course_completed"].fillna(False).astype(bool)
    table = rows.groupby(["program", "period", "export_date", "subject"]).agg(
        enrolled_teachers=("teacher_id", "size"), learning_teachers=("is_learning", "sum"),
        completed_teachers=("completed", "sum")).reset_index()
    return table[table["export_date"] == table.groupby(["program", "period"])["export_date"].transform("max")]


def _courses(enrollments, courses) -> pd.DataFrame:
    keys = ["source_name", "export_date", "course_id"]
    paid = enrollments[enrollments["is_paid"]]
    counts = paid.assign(learning=paid["is_learning"]).groupby(keys).agg(
        enrollments_paid=("is_paid", "sum"), enrollments_learning=("learning", "sum"),
        enrollments_passed=("is_passed", "sum")).reset_index()
    known = courses[courses["program"].isin(contract.programs())]  # a program no rule knows is left out
    table = known[keys].merge(counts, on=keys, how="left")
    return table.fillna({c: 0 for c in ("enrollments_paid", "enrollments_learning", "enrollments_passed")})
