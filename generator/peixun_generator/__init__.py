"""Realistic, calibrated platform exports (see EXPORTS.md) for the warehouse to ingest.

``generate(scale, out)`` writes ``out/<source>/<export_date>/<file>``; the last export date of
each source reproduces ``calibration_targets(scale)`` exactly.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from . import gansu, itp1, itp2, jiangxi, population, regular, school_based, snapshots, traps
from .constants import (
    BASIS_AS_OF,
    BUREAU_SOURCE,
    CITY_DIRECT,
    CITY_SOURCE,
    GANSU_BUREAU_SOURCE,
    GANSU_SOURCE,
    ITP1_BASIS,
    ITP1_BASIS_AS_OF,
    ITP1_BUREAU_CITY_DIRECT,
    ITP1_PROGRAM,
    ITP1_PROGRESS_PERIOD,
    ITP1_SOURCE,
    ITP2_BASIS,
    ITP2_PROGRAM,
    PERIOD,
    REGULAR_BASIS,
    REGULAR_PROGRAM,
    SURVEY_ITEM,
    VENDOR_SOURCE,
    XLSX_MAX_ROWS,
)
from .profiles import PROFILES, Profile, calibration_targets, get_profile
from .schema import (
    ASSESSMENT_SCORES,
    ASSESSMENTS,
    COURSES,
    ENROLLMENTS,
    REGISTRATIONS,
    SCHOOL_ACCEPTANCE,
    SCHOOL_ACTIVITIES,
    SCHOOL_PARTICIPATION,
    SURVEYS,
    TARGETS,
    TEACHERS,
    TUTORS,
    VENDOR_CLAIMS,
    WORKSHOPS,
    format_ids,
)
from .timeline import NAT, end_of
from .writers import ExportWriter

__all__ = ["XLSX_MAX_ROWS", "calibration_targets", "generate", "write_gansu"]

TEACHER_COLUMNS = [c.name for c in TEACHERS.columns]
COURSE_COLUMNS = ["course_id", "course_name", "category", "community", "subject", "credit_hours", "tutor_id"]
SUPERSEDED_ERROR_SHARE = 0.005


def _teacher_frame(roster: pd.DataFrame) -> pd.DataFrame:
    return roster.rename(columns={"teacher_no": "teacher_id"})[TEACHER_COLUMNS]


def _course_frame(courses: pd.DataFrame) -> pd.DataFrame:
    return courses.rename(columns={"course_no": "course_id", "tutor_no": "tutor_id"})[COURSE_COLUMNS]


def _bureau(targets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """应参训人数: the 2201 headcounts, then ITP 1.0's 专任教师 frozen on 2017-01-10 (period ALL)."""
    parts = []
    for program, basis, key in ((REGULAR_PROGRAM, REGULAR_BASIS, "regular_district_teachers"),
                                (ITP2_PROGRAM, ITP2_BASIS, "itp2_district_teachers")):
        frame = targets[key]
        parts.append(pd.DataFrame({
            "program": program, "period": PERIOD, "district": frame["district"],
            "expected_teachers": frame["expected_teachers"], "basis": basis, "as_of": BASIS_AS_OF,
        }))
    progress = targets["itp1_district_progress"]
    parts.append(pd.DataFrame({
        "program": ITP1_PROGRAM, "period": ITP1_PROGRESS_PERIOD,
        "district": progress["district"].replace({CITY_DIRECT: ITP1_BUREAU_CITY_DIRECT}),
        "expected_teachers": progress["full_time_teachers"], "basis": ITP1_BASIS, "as_of": ITP1_BASIS_AS_OF,
    }))
    return pd.concat(parts, ignore_index=True)


def _corrupt(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The first, wrong delivery: some paid rows shown unpaid, some passes missing."""
    bad = frame.copy()
    for mask, column, value in ((bad["paid"].to_numpy(), "paid", False), (bad["passed"].to_numpy() == 1, "passed", -1)):
        rows = np.flatnonzero(mask)
        pick = rng.choice(rows, size=max(3, int(rows.size * SUPERSEDED_ERROR_SHARE)), replace=False)
        bad.loc[pick, column] = value
    return bad


def _write_city(writer: ExportWriter, profile: Profile, data: dict[str, pd.DataFrame],
                rng: np.random.Generator) -> None:
    teachers = _teacher_frame(data["teachers"])
    courses = _course_frame(data["courses"])
    tutors = data["tutors"].rename(columns={"tutor_no": "tutor_id", "course_no": "course_id"})
    tutors["class_id"] = (np.asarray(format_ids(CITY_SOURCE, "course_id", tutors["course_id"]), dtype=object)
                          + "-" + tutors.pop("class_no").astype(str).str.zfill(2).to_numpy())
    roster_ids = teachers["teacher_id"].to_numpy()
    last = end_of(profile.city_dates[-1])
    program = {"program": REGULAR_PROGRAM, "period": PERIOD}
    k = profile.traps
    teacher_traps, course_traps = traps.teachers(teachers, k, rng), traps.courses(courses, k, rng)
    for day in profile.city_dates:
        as_of = end_of(day)
        enrollments = snapshots.enrollments(data["enrollments"], as_of, last)
        registrations = snapshots.registrations(data["registrations"], as_of, last)
        writer.write(CITY_SOURCE, day, TEACHERS, teachers, teacher_traps)
        writer.write(CITY_SOURCE, day, COURSES, courses, course_traps, program)
        writer.write(CITY_SOURCE, day, ENROLLMENTS, enrollments, traps.enrollments(enrollments, "city", k, rng),
                     {"period": PERIOD})
        writer.write(CITY_SOURCE, day, REGISTRATIONS, registrations,
                     traps.registrations(registrations, roster_ids, "city", k, rng), program)
        writer.write(CITY_SOURCE, day, TUTORS, tutors)
        writer.write(CITY_SOURCE, day, SURVEYS, snapshots.surveys(data["surveys"], as_of), None,
                     {"item": SURVEY_ITEM})


def _write_vendor(writer: ExportWriter, profile: Profile, data: dict[str, pd.DataFrame],
                  rng: np.random.Generator) -> None:
    teachers = _teacher_frame(data["teachers"])
    courses = _course_frame(data["courses"])
    roster_ids = teachers["teacher_id"].to_numpy()
    last_day = profile.vendor_dates[-1]
    last = end_of(last_day)
    program = {"program": ITP2_PROGRAM, "period": PERIOD}
    k = profile.traps
    teacher_traps, course_traps = traps.teachers(teachers, k, rng), traps.courses(courses, k, rng)
    for day in profile.vendor_dates:
        as_of = end_of(day)
        enrollments = snapshots.enrollments(data["enrollments"], as_of, last)
        registrations = snapshots.registrations(data["registrations"], as_of, last)
        workshops = snapshots.workshops(data["workshops"], as_of)
        writer.write(VENDOR_SOURCE, day, TEACHERS, teachers, teacher_traps)
        writer.write(VENDOR_SOURCE, day, COURSES, courses, course_traps, program)
        enrollment_traps = traps.enrollments(enrollments, "vendor", k, rng)
        if profile.redelivery and day == last_day:
            writer.write(VENDOR_SOURCE, day, ENROLLMENTS, _corrupt(enrollments, rng), enrollment_traps,
                         {"period": PERIOD})
            suffix = (day + dt.timedelta(days=1)).strftime("%Y%m%d")
        else:
            suffix = None
        writer.write(VENDOR_SOURCE, day, ENROLLMENTS, enrollments, enrollment_traps, {"period": PERIOD}, suffix)
        writer.write(VENDOR_SOURCE, day, REGISTRATIONS, registrations,
                     traps.registrations(registrations, roster_ids, "vendor", k, rng), program)
        writer.write(VENDOR_SOURCE, day, WORKSHOPS, workshops,
                     traps.workshops(workshops, roster_ids, "vendor", k, rng), {"period": PERIOD})


def _write_itp1(writer: ExportWriter, profile: Profile, data: dict[str, pd.DataFrame],
                rng: np.random.Generator) -> None:
    teachers = _teacher_frame(data["teachers"])
    courses = _course_frame(data["courses"]).assign(period=data["courses"]["period"].to_numpy())
    roster_ids = teachers["teacher_id"].to_numpy()
    last = end_of(profile.itp1_dates[-1])
    k = profile.traps
    teacher_traps, course_traps = traps.teachers(teachers, k, rng), traps.courses(courses, k, rng)
    for day in profile.itp1_dates:
        as_of = end_of(day)
        enrollments = snapshots.enrollments(data["enrollments"], as_of, last)
        enrollments["period"] = (enrollments["course_id"].to_numpy() // 100).astype(str)  # TSKC<period><nn>
        assessments = snapshots.assessments(data["assessments"], as_of)
        writer.write(ITP1_SOURCE, day, TEACHERS, teachers, teacher_traps)
        writer.write(ITP1_SOURCE, day, COURSES, courses, course_traps, {"program": ITP1_PROGRAM})
        writer.write(ITP1_SOURCE, day, ENROLLMENTS, enrollments, traps.enrollments(enrollments, "city", k, rng))
        writer.write(ITP1_SOURCE, day, ASSESSMENTS, assessments,
                     traps.assessments(assessments, roster_ids, "city", k, rng))


def write_gansu(out: Path, seed: int = 2201) -> tuple[dict[str, int], dict[str, int]]:
    """国培计划 2017 (Gansu): its own sources, writer and RNG streams (200-209), the same at every scale.

    Returns rows per file written and final-truth rows per source/entity.
    """
    data = gansu.build(np.random.default_rng([seed, 200]), np.random.default_rng([seed, 201]))
    writer = ExportWriter(out, np.random.default_rng([seed, 202]))
    program = {"program": gansu.PROGRAM, "period": gansu.PERIOD}
    day = gansu.EXPORT_DATE
    try:
        writer.write(GANSU_BUREAU_SOURCE, gansu.PLAN_DATE, TARGETS, data["targets"])
        writer.write(GANSU_BUREAU_SOURCE, gansu.CLAIMS_DATE, VENDOR_CLAIMS, data["vendor_claims"])
        writer.write(GANSU_SOURCE, day, TEACHERS, data["teachers"])
        writer.write(GANSU_SOURCE, day, COURSES, data["courses"], None, program)
        writer.write(GANSU_SOURCE, day, REGISTRATIONS, data["registrations"], None, program)
        writer.write(GANSU_SOURCE, day, ASSESSMENT_SCORES, data["assessment_scores"],
                     gansu.traps(data["assessment_scores"], np.random.default_rng([seed, 203])), program)
        writer.write(GANSU_SOURCE, day, SURVEYS, data["surveys"])
    finally:
        writer.close()
    source = {"targets": GANSU_BUREAU_SOURCE, "vendor_claims": GANSU_BUREAU_SOURCE}
    return writer.written, {f"{source.get(name, GANSU_SOURCE)}/{name}": len(frame) for name, frame in data.items()}

def _write_school_based(writer: ExportWriter, profile: Profile, data: dict[str, pd.DataFrame],
                        rng: np.random.Generator) -> dict[str, dict[str, int]]:
    """校本研修 files of every vendor export date; the truth at the last date (counts per district)."""
    program = {"program": ITP2_PROGRAM, "period": PERIOD}
    k = profile.traps
    for day in profile.vendor_dates:
        as_of = end_of(day)
        activities = snapshots.school_activities(data["activities"], as_of)
        participation = snapshots.school_participation(data["participation"], data["activities"], as_of)
        acceptance = snapshots.school_acceptance(data["acceptance"], as_of)
        writer.write(VENDOR_SOURCE, day, SCHOOL_ACTIVITIES, activities,
                     traps.school_activities(activities, "vendor", k, rng), program)
        writer.write(VENDOR_SOURCE, day, SCHOOL_PARTICIPATION, participation,
                     traps.school_participation(participation, k, rng))
        writer.write(VENDOR_SOURCE, day, SCHOOL_ACCEPTANCE, acceptance, None, program)
    return school_based.district_truth(activities, participation, acceptance, data["roster"])


def generate(scale: str, out: Path, seed: int = 2201) -> dict:
    """Write every source's exports for ``scale`` under ``out``; return a summary.

    Summary: files written (relative paths), rows per file (incl. trap rows), final-truth rows per
    source/entity, seconds. Deterministic for a seed. Existing ``out/<source>`` folders of the
    sources written are replaced. Guangzhou's data sets are written at the scales sample, city and
    province, with Gansu's 国培计划 2017 (gansu.py, one fixed project, the same at each of them); Jiangxi's
    全员培训 (jiangxi.py) at sample, and alone at its own size with ``jiangxi``.
    """
    started = time.perf_counter()
    out = Path(out)
    summary = _guangzhou(scale, out, seed) if scale in PROFILES else {"people": 0, "files": [], "rows_per_file": {},
                                                                     "rows_per_entity": {}}
    if scale in jiangxi.PROFILES:
        written = jiangxi.generate(scale, out, seed)
        summary["files"] = sorted([*summary["files"], *written])
        summary["rows_per_file"] = dict(sorted({**summary["rows_per_file"], **written}.items()))
    return {"scale": scale, "seed": seed, **summary, "seconds": round(time.perf_counter() - started, 1)}


def _guangzhou(scale: str, out: Path, seed: int) -> dict:
    """Guangzhou's data sets (市常规远程培训, 能力提升工程2.0 and 1.0, the bureau's targets), and Gansu's."""
    profile = get_profile(scale)
    targets = calibration_targets(scale)
    for source in (CITY_SOURCE, VENDOR_SOURCE, BUREAU_SOURCE, ITP1_SOURCE, GANSU_SOURCE, GANSU_BUREAU_SOURCE):
        shutil.rmtree(out / source, ignore_errors=True)

    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, stream])

    sizes = np.maximum(regular.roster_need(targets), itp2.roster_need(targets))
    persons = population.build_persons(sizes, rng(1))
    writer = ExportWriter(out, rng(2))
    school_writer = ExportWriter(out, rng(101))  # its own stream: the other data sets' files stay byte-identical
    try:
        writer.write(BUREAU_SOURCE, dt.date.fromisoformat(BASIS_AS_OF), TARGETS, _bureau(targets))
        city = regular.build(profile, targets, persons, rng(3))
        rows = {f"{CITY_SOURCE}/{name}": len(frame) for name, frame in city.items()}
        _write_city(writer, profile, city, rng(4))
        del city
        vendor = itp2.build(profile, targets, persons, rng(5))
        rows |= {f"{VENDOR_SOURCE}/{name}": len(frame) for name, frame in vendor.items()}
        _write_vendor(writer, profile, vendor, rng(6))
        registrations = vendor["registrations"]
        participants = registrations.loc[registrations["first_login_at"].to_numpy() != NAT, "teacher_no"].to_numpy()
        school = school_based.build(profile, vendor["teachers"], participants, profile.traps, rng(100))
        del vendor, registrations
        rows |= {f"{VENDOR_SOURCE}/school_{name}": len(frame) for name, frame in school.items()
                 if name != "roster"}
        school_truth = _write_school_based(school_writer, profile, school, rng(102))
        del school
        itp1_data = itp1.build(profile, targets, persons, rng(7))
        rows |= {f"{ITP1_SOURCE}/{name}": len(frame) for name, frame in itp1_data.items()}
        _write_itp1(writer, profile, itp1_data, rng(8))
    finally:
        writer.close()
        school_writer.close()
    gansu_written, gansu_rows = write_gansu(out, seed)
    written = writer.written | school_writer.written | gansu_written
    return {
        "people": int(sizes.sum()),
        "files": sorted(written),
        "rows_per_file": dict(sorted(written.items())),
        "rows_per_entity": rows | gansu_rows,
        "school_based": school_truth,
    }
