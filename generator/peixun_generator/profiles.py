"""Scales and the exact calibration targets each scale reproduces at its last export date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .allocation import half_up, largest_remainder, share_counts
from .constants import (
    CITY_DIRECT,
    DISTRICTS,
    ITP1_BUREAU_CITY_DIRECT,
    LEARNING_COMMUNITY,
    NO_ENROLLMENT_BUCKET,
    PASS_BUCKETS,
    REGULAR_PASS_RATE_BP,
    RESEARCH_COMMUNITY,
    SUBJECTS,
    SURVEY_LEVELS,
    SURVEY_SHARES_BP,
)

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"

# The published 从化区 participants (8344) is a typo: its rates and the 合计 row imply 8644.
ITP2_PARTICIPANT_FIXES = {"从化区": 8644}

# Published 2201 regular figures (city scale).
REGULAR_CITY = {
    "courses": 880,
    "courses_with_tutor": 261,
    "tutors": 269,
    "expected_teachers": 168314,
    "participants": 163956,
    "enrollments_paid": 1163976,
    "enrollments_learning": 1141262,
    "enrollments_passed": 1137437,
    "public_enrollments_paid": 155416,
    "login_count": 1600372,
    "posts": 3028404,
    "homework_submitted": 437331,
}
CITY_BUCKETS = {">=90%": 779, "80-90%": 91, "70-80%": 2, "60-70%": 4, "<60%": 1, NO_ENROLLMENT_BUCKET: 3}
SAMPLE_BUCKETS = {">=90%": 49, "80-90%": 6, "70-80%": 1, "60-70%": 1, "<60%": 1, NO_ENROLLMENT_BUCKET: 2}

ITP2_TEACHER_COLUMNS = [
    "district", "expected_teachers", "participants", "course_selected", "course_completed",
    "workshop_selected", "workshop_completed", "submitted", "certified",
]
ITP2_ENROLLMENT_COLUMNS = ["district", "enrollments_paid", "enrollments_learning", "enrollments_passed"]
ITP1_TEACHER_COUNTS = ["enrolled_teachers", "learning_teachers", "completed_teachers"]
ITP1_PROGRESS_COLUMNS = ["district", "full_time_teachers", "participants", "graduates"]
ITP1_ASSESSMENT_COLUMNS = ["district", "window", "expected", "completed"]


@dataclass(frozen=True)
class Profile:
    """Everything that differs between scales."""

    scale: str
    factor: float
    buckets: dict[str, int]
    tutor_courses: int
    tutors: int
    itp2_courses: int
    city_dates: tuple[dt.date, ...]
    vendor_dates: tuple[dt.date, ...]
    redelivery: bool
    traps: int
    itp1_dates: tuple[dt.date, ...]
    itp1_learning_courses: int  # 学习社区 courses per ITP 1.0 period (研修社区: one per subject)

    @property
    def regular_courses(self) -> int:
        return sum(self.buckets.values())

    def scaled(self, count: int) -> int:
        """Scale a published count (half-up, so order between counts is kept)."""
        return half_up(count * self.factor)


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


PROFILES = {
    "sample": Profile(
        "sample", 1 / 150, SAMPLE_BUCKETS, 18, 19, 40,
        (_d("2022-06-30"),), (_d("2022-09-12"), _d("2022-09-19")), True, 1,
        (_d("2017-11-27"),), 18,
    ),
    "city": Profile(
        "city", 1.0, CITY_BUCKETS, 261, 269, 150,
        (_d("2022-06-16"), _d("2022-06-23"), _d("2022-06-30")),
        (_d("2022-09-12"), _d("2022-09-19")), True, 5,
        (_d("2017-11-20"), _d("2017-11-27")), 35,
    ),
    # Province: 5.04 x the city's published counts, 20.0 M enrollments in the latest exports.
    "province": Profile(
        "province", 5.04, CITY_BUCKETS, 261, 269, 150,
        (_d("2022-06-23"), _d("2022-06-30")), (_d("2022-09-12"), _d("2022-09-19")), False, 5,
        (_d("2017-11-20"), _d("2017-11-27")), 35,
    ),
}


def get_profile(scale: str) -> Profile:
    """The profile of a scale (sample, city, province)."""
    if scale not in PROFILES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {sorted(PROFILES)}")
    return PROFILES[scale]


def _reference(name: str) -> pd.DataFrame:
    frame = pd.read_csv(REFERENCE_DIR / name, dtype={"district": str})
    frame = frame[frame["district"].isin(DISTRICTS)]
    return frame.set_index("district").loc[list(DISTRICTS)].reset_index()


def _scale_frame(frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns[1:].intersection(out.select_dtypes("number").columns):
        out[col] = [profile.scaled(int(v)) for v in out[col]]
        out[col] = out[col].astype(np.int64)
    return out


def _regular_passed(paid: int, approx: int) -> int:
    """Passed count nearest ``approx`` whose pass rate rounds half-up to the published one."""
    lo = -(-(2 * REGULAR_PASS_RATE_BP - 1) * paid // 20_000)
    hi = -(-(2 * REGULAR_PASS_RATE_BP + 1) * paid // 20_000) - 1
    return min(max(approx, lo), hi)


def _rows(name: str, key: str, order: list[str], columns: list[str]) -> pd.DataFrame:
    """Rows of a reference table in ``order`` (总计 / 合计 rows left out), canonical district names."""
    frame = pd.read_csv(REFERENCE_DIR / name, dtype={key: str})
    frame[key] = frame[key].replace({ITP1_BUREAU_CITY_DIRECT: CITY_DIRECT})
    return frame.set_index(key).loc[order].reset_index()[columns]


def _itp1_targets(profile: Profile) -> dict[str, pd.DataFrame]:
    """ITP 1.0: the 1702 subject and community tables, programme progress, 发展测评 (counts, scaled)."""
    assessment = pd.read_csv(REFERENCE_DIR / "gz_ALL_itp1_assessment.csv", dtype={"district": str})
    tables = {
        "itp1_subject": _rows("gz_1702_itp1_subject.csv", "subject", list(SUBJECTS),
                              ["subject", *ITP1_TEACHER_COUNTS]),
        "itp1_community": _rows("gz_1702_itp1_community.csv", "community",
                                [LEARNING_COMMUNITY, RESEARCH_COMMUNITY], ["community", *ITP1_TEACHER_COUNTS]),
        "itp1_district_progress": _rows("gz_ALL_itp1_district_progress.csv", "district", list(DISTRICTS),
                                        ITP1_PROGRESS_COLUMNS),
        "itp1_assessment": _rows("gz_ALL_itp1_assessment.csv", "district",
                                 [d for d in assessment["district"] if d in DISTRICTS], ITP1_ASSESSMENT_COLUMNS),
    }
    return {name: _scale_frame(frame, profile) for name, frame in tables.items()}


@cache
def _targets(scale: str) -> dict[str, pd.DataFrame]:
    profile = get_profile(scale)
    teachers = _reference("gz_2201_itp2_district_teachers.csv")
    for district, value in ITP2_PARTICIPANT_FIXES.items():
        teachers.loc[teachers["district"] == district, "participants"] = value
    teachers = _scale_frame(teachers[ITP2_TEACHER_COLUMNS], profile)
    enrollments = _scale_frame(_reference("gz_2201_itp2_district_enrollments.csv")[ITP2_ENROLLMENT_COLUMNS], profile)

    totals = {k: profile.scaled(v) for k, v in REGULAR_CITY.items()}
    totals["courses"] = profile.regular_courses
    totals["courses_with_tutor"] = profile.tutor_courses
    totals["tutors"] = profile.tutors
    totals["enrollments_passed"] = _regular_passed(totals["enrollments_paid"], totals["enrollments_passed"])
    city_survey = int(share_counts(SURVEY_SHARES_BP, 1).sum())
    survey = share_counts(SURVEY_SHARES_BP, profile.scaled(city_survey) if profile.factor > 1 else 1)
    totals["survey_responses"] = int(survey.sum())

    part = largest_remainder(totals["participants"], teachers["participants"].to_numpy())
    gap = np.maximum(teachers["expected_teachers"] - teachers["participants"], 0) + 0.01 * teachers["participants"]
    slack = largest_remainder(totals["expected_teachers"] - totals["participants"], gap.to_numpy())
    regular_districts = pd.DataFrame(
        {"district": list(DISTRICTS), "expected_teachers": part + slack, "participants": part}
    )
    labels = [b[0] for b in PASS_BUCKETS] + [NO_ENROLLMENT_BUCKET]
    return {
        "itp2_district_teachers": teachers,
        "itp2_district_enrollments": enrollments,
        "regular_totals": pd.DataFrame([totals]).astype(np.int64),
        "regular_course_buckets": pd.DataFrame(
            {"bucket": labels, "courses": np.array([profile.buckets[b] for b in labels], dtype=np.int64)}
        ),
        "regular_tutor_satisfaction": pd.DataFrame(
            {"level": list(SURVEY_LEVELS), "responses": survey.astype(np.int64)}
        ),
        "regular_district_teachers": regular_districts,
        **_itp1_targets(profile),
    }


def calibration_targets(scale: str) -> dict[str, pd.DataFrame]:
    """Tables the generated data reproduces exactly at the last export date (fresh copies)."""
    return {name: frame.copy() for name, frame in _targets(scale).items()}
