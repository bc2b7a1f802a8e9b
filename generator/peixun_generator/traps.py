"""Extra rows the warehouse must quarantine or tolerate; they never move a calibrated count.

Each function returns rows shaped like the snapshot frame plus ``ov_<column>`` raw-text
overrides ('' = empty cell) and a ``__pos`` sort key that interleaves them with the real rows
(real row i sits at 2*i, a trap at an odd key).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .constants import UNKNOWN_DISTRICT
from .population import names, national_ids, phones
from .timeline import to_datetime

BAD_DATE = {"city": "2022-13-45", "vendor": "2022年13月1日"}
BAD_PERCENT = {"city": "135", "vendor": "abc%"}
BAD_HOURS = "三"
UNKNOWN_COURSE_BASE = 9000
UNKNOWN_TEACHER_BASE = 9_000_000


def _positions(n_real: int, count: int, rng: np.random.Generator) -> np.ndarray:
    return 2 * rng.integers(0, max(n_real, 1), count) + 1


def _copy(frame: pd.DataFrame, count: int, rng: np.random.Generator, mask: np.ndarray | None = None) -> pd.DataFrame:
    pool = np.flatnonzero(mask) if mask is not None else np.arange(len(frame))
    return frame.iloc[rng.choice(pool, size=count, replace=pool.size < count)].reset_index(drop=True)


def enrollments(frame: pd.DataFrame, dialect: str, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """Bad date, bad percent, missing keys, duplicate ids, orphan course / teacher (all unpaid)."""
    kinds = ["bad_date", "bad_percent", "no_id", "no_teacher", "orphan_course", "orphan_teacher"]
    rows = _copy(frame, count * len(kinds), rng)
    kind = np.repeat(kinds, count)
    rows["enrollment_id"] = int(frame["enrollment_id"].max()) + 1 + np.arange(len(rows))
    rows["paid"] = False
    rows["progress"] = np.where(kind == "bad_percent", rows["progress"], 0).astype(np.int16)
    rows["passed"] = np.int8(-1)
    rows["hours_earned"] = 0
    rows["passed_at"] = pd.NaT
    rows.loc[kind == "orphan_course", "course_id"] = UNKNOWN_COURSE_BASE + np.arange(count)
    rows.loc[kind == "orphan_teacher", "teacher_id"] = UNKNOWN_TEACHER_BASE + np.arange(count)
    rows["ov_enrolled_at"] = np.where(kind == "bad_date", BAD_DATE[dialect], None)
    rows["ov_progress"] = np.where(kind == "bad_percent", BAD_PERCENT[dialect], None)
    rows["ov_enrollment_id"] = np.where(kind == "no_id", "", None)
    rows["ov_teacher_id"] = np.where(kind == "no_teacher", "", None)
    rows["__pos"] = _positions(len(frame), len(rows), rng)

    # Duplicates: a stale second copy of a real row, after it; the first occurrence is the true one.
    src = rng.choice(np.flatnonzero(frame["paid"].to_numpy()), size=count, replace=False)
    dup = frame.iloc[src].reset_index(drop=True)
    dup["paid"] = False
    dup["progress"] = (dup["progress"] // 2).astype(np.int16)
    dup["passed"] = np.int8(-1)
    dup["hours_earned"] = 0
    dup["passed_at"] = pd.NaT
    dup["__pos"] = 2 * np.minimum(src + rng.integers(0, 50, count), len(frame) - 1) + 1
    return pd.concat([rows, dup], ignore_index=True)


def teachers(frame: pd.DataFrame, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """A teacher in an unknown district (no activity anywhere) and teachers without an ID."""
    rows = _copy(frame, 2 * count, rng)
    region = rows["national_id"].str.slice(0, 6).to_numpy().astype(str)
    rows["national_id"] = national_ids(region, rng, taken=frame["national_id"].to_numpy())
    rows["name"] = names(len(rows), rng)
    rows["phone"] = phones(len(rows), rng)
    rows["teacher_id"] = int(frame["teacher_id"].max()) + 1 + np.arange(len(rows))
    rows.loc[: count - 1, "district"] = UNKNOWN_DISTRICT
    rows["ov_teacher_id"] = np.where(np.arange(len(rows)) >= count, "", None)
    rows["__pos"] = _positions(len(frame), len(rows), rng)
    return rows


def courses(frame: pd.DataFrame, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """Catalog rows whose 学时 is not a number."""
    rows = _copy(frame, count, rng)
    rows["course_id"] = int(frame["course_id"].max()) + 1 + np.arange(count)
    rows["course_name"] = rows["course_name"] + "（新版）"
    rows["tutor_id"] = 0
    rows["ov_credit_hours"] = BAD_HOURS
    rows["__pos"] = 2 * len(frame) + 1 + 2 * np.arange(count)
    return rows


def registrations(frame: pd.DataFrame, roster_ids: np.ndarray, dialect: str, count: int,
                  rng: np.random.Generator) -> pd.DataFrame:
    """Registrations with an impossible date, for teachers not otherwise registered."""
    free = np.setdiff1d(roster_ids, frame["teacher_id"].to_numpy())
    rows = _copy(frame, count, rng, frame["first_login_at"].isna().to_numpy())
    rows["teacher_id"] = rng.choice(free, size=count, replace=False)
    rows["first_login_at"] = pd.NaT
    rows[["login_count", "posts", "homework_submitted"]] = 0
    rows["ov_registered_at"] = BAD_DATE[dialect]
    rows["__pos"] = _positions(len(frame), count, rng)
    return rows


def workshops(frame: pd.DataFrame, roster_ids: np.ndarray, dialect: str, count: int,
              rng: np.random.Generator) -> pd.DataFrame:
    """Workshop rows with an impossible join date, for teachers without a workshop."""
    free = np.setdiff1d(roster_ids, frame["teacher_id"].to_numpy())
    rows = _copy(frame, count, rng)
    rows["teacher_id"] = rng.choice(free, size=count, replace=False)
    rows[["completed", "submitted"]] = False
    rows["certified"] = np.int8(-1)
    rows["joined_at"] = to_datetime(np.zeros(count, dtype=np.int64))
    rows["ov_joined_at"] = BAD_DATE[dialect]
    rows["__pos"] = _positions(len(frame), count, rng)
    return rows


def assessments(frame: pd.DataFrame, roster_ids: np.ndarray, dialect: str, count: int,
                rng: np.random.Generator) -> pd.DataFrame:
    """发展测评 rows with an impossible window start, for teachers not otherwise scheduled."""
    free = np.setdiff1d(roster_ids, frame["teacher_id"].to_numpy())
    rows = _copy(frame, count, rng)
    rows["teacher_id"] = rng.choice(free, size=count, replace=False)
    rows["completed"] = False
    rows["completed_at"] = pd.NaT
    rows["ov_window_start"] = BAD_DATE[dialect]
    rows["__pos"] = _positions(len(frame), count, rng)
    return rows


def school_activities(frame: pd.DataFrame, dialect: str, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """校本研修活动 rows with an impossible publication date or 学时 that is not a number (new activity IDs)."""
    rows = _copy(frame, 2 * count, rng)
    rows["activity_id"] = int(frame["activity_id"].max()) + 1 + np.arange(len(rows))
    bad_date = np.arange(len(rows)) < count
    rows["ov_published_at"] = np.where(bad_date, BAD_DATE[dialect], None)
    rows["ov_hours_set"] = np.where(bad_date, None, BAD_HOURS)
    rows["__pos"] = _positions(len(frame), len(rows), rng)
    return rows


def school_participation(frame: pd.DataFrame, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """校本研修参与 rows without a teacher, and stale second copies of real rows (after them, not completed)."""
    rows = _copy(frame, count, rng)
    rows["ov_teacher_id"] = ""
    rows["__pos"] = _positions(len(frame), count, rng)
    src = rng.choice(len(frame), size=count, replace=False)
    dup = frame.iloc[src].reset_index(drop=True)
    dup["designated"] = False
    dup["completed_at"] = pd.NaT
    dup["__pos"] = 2 * np.minimum(src + rng.integers(1, 50, count), len(frame) - 1) + 1
    return pd.concat([rows, dup], ignore_index=True)
