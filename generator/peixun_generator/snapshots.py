"""Full snapshots as of an export date, derived from the final truth (counters never fall)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .timeline import NAT, to_datetime


def _happened(at: np.ndarray, as_of: int) -> np.ndarray:
    return (at != NAT) & (at <= as_of)


def _fraction(start: np.ndarray, stop: np.ndarray | int, as_of: int) -> np.ndarray:
    """Share of [start, stop] elapsed at ``as_of`` (exactly 1.0 once ``as_of`` >= stop)."""
    span = np.maximum(np.asarray(stop, dtype=np.int64) - start, 1)
    return np.clip((as_of - start) / span, 0.0, 1.0)


def enrollments(final: pd.DataFrame, as_of: int, last: int) -> pd.DataFrame:
    """选课记录 as of ``as_of``: rows enrolled by then; passes only if assessed by then."""
    f = final[final["enrolled_at"].to_numpy() <= as_of]
    enrolled, assessed = f["enrolled_at"].to_numpy(), f["assessed_at"].to_numpy()
    done = _happened(assessed, as_of)
    result = np.where(done, f["result"].to_numpy(), -1).astype(np.int8)
    target = np.where(assessed != NAT, assessed, last)
    progress = np.floor(f["progress"].to_numpy() * _fraction(enrolled, target, as_of)).astype(np.int16)
    progress = np.where((f["result"].to_numpy() >= 0) & ~done, np.minimum(progress, 999), progress)
    passed = result == 1
    return pd.DataFrame({
        "enrollment_id": f["enrollment_no"].to_numpy(),
        "teacher_id": f["teacher_no"].to_numpy(),
        "course_id": f["course_no"].to_numpy(),
        "enrolled_at": to_datetime(enrolled),
        "paid": f["paid"].to_numpy(),
        "progress": progress,
        "passed": result,
        "hours_earned": np.where(passed, f["credit_hours"].to_numpy(), 0),
        "passed_at": to_datetime(np.where(passed, assessed, NAT)),
    })


def registrations(final: pd.DataFrame, as_of: int, last: int) -> pd.DataFrame:
    """注册登录 as of ``as_of``: activity counters grow towards their final values."""
    f = final[final["registered_at"].to_numpy() <= as_of]
    reg, login = f["registered_at"].to_numpy(), f["first_login_at"].to_numpy()
    seen = _happened(login, as_of)
    frac = _fraction(reg, last, as_of)

    def grown(col: str, floor: int) -> np.ndarray:
        value = np.ceil(f[col].to_numpy() * frac).astype(np.int64)
        return np.where(seen, np.maximum(value, floor), 0)

    return pd.DataFrame({
        "teacher_id": f["teacher_no"].to_numpy(),
        "registered_at": to_datetime(reg),
        "first_login_at": to_datetime(np.where(seen, login, NAT)),
        "login_count": grown("login_count", 1),
        "posts": grown("posts", 0),
        "homework_submitted": grown("homework", 0),
    })


def workshops(final: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """工作坊 as of ``as_of``: flags set only once their (internal) event happened."""
    f = final[final["joined_at"].to_numpy() <= as_of]
    certified = _happened(f["certified_at"].to_numpy(), as_of)
    return pd.DataFrame({
        "teacher_id": f["teacher_no"].to_numpy(),
        "workshop_id": f["workshop_id"].to_numpy(),
        "joined_at": to_datetime(f["joined_at"].to_numpy()),
        "completed": _happened(f["completed_at"].to_numpy(), as_of),
        "submitted": _happened(f["submitted_at"].to_numpy(), as_of),
        "certified": np.where(certified, np.where(f["certified_ok"].to_numpy(), 1, 0), -1).astype(np.int8),
    })


def surveys(final: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """满意度调查 answers given by ``as_of``."""
    f = final[final["answered_at"].to_numpy() <= as_of]
    return pd.DataFrame({
        "response_id": f["response_no"].to_numpy(),
        "teacher_id": f["teacher_no"].to_numpy(),
        "course_id": f["course_no"].to_numpy(),
        "level": f["level"].to_numpy(),
    })


def assessments(final: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """发展测评 as of ``as_of``: every scheduled row; completed once it was done by then."""
    done = _happened(final["completed_at"].to_numpy(), as_of)
    return pd.DataFrame({
        "teacher_id": final["teacher_no"].to_numpy(),
        "district": final["district"].to_numpy(),
        "window_start": to_datetime(final["window_start"].to_numpy()),
        "window_end": to_datetime(final["window_end"].to_numpy()),
        "completed": done,
        "completed_at": to_datetime(np.where(done, final["completed_at"].to_numpy(), NAT)),
    })


def school_activities(final: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """校本研修活动 published by ``as_of``; a 线下活动's evidence shows once uploaded (NULL for online ones)."""
    f = final[final["published_at"].to_numpy() <= as_of]
    offline = f["hours_set"].to_numpy() > 0
    uploaded = _happened(f["evidence_at"].to_numpy(), as_of)
    return pd.DataFrame({
        "activity_id": f["activity_no"].to_numpy(),
        "school_id": f["school_id"].to_numpy(),
        "group_id": f["group_id"].to_numpy(),
        "group_name": f["group_name"].to_numpy(),
        "type": f["type"].to_numpy(),
        "hours_set": pd.Series(f["hours_set"].to_numpy(), dtype="Int64").mask(~offline).array,
        "evidence_uploaded": pd.Series(uploaded, dtype="boolean").mask(~offline).array,
        "published_at": to_datetime(f["published_at"].to_numpy()),
    })


def school_participation(final: pd.DataFrame, activities: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """校本研修参与 as of ``as_of``: members of the activities published by then, except teachers removed
    from their school by then (the platform clears their records); completions made by then."""
    published = pd.Series(activities["published_at"].to_numpy(), index=activities["activity_no"].to_numpy())
    at = final["activity_no"].map(published).to_numpy()
    completed = final["completed_at"].to_numpy()
    seen = np.where(np.isnan(at), completed, at) <= as_of  # a row of an unknown activity: once completed
    removed = _happened(final["removed_at"].to_numpy(), as_of)
    f = final[seen & ~removed]
    return pd.DataFrame({
        "activity_id": f["activity_no"].to_numpy(),
        "teacher_id": f["teacher_no"].to_numpy(),
        "designated": f["designated"].to_numpy(),
        "completed_at": to_datetime(np.where(_happened(f["completed_at"].to_numpy(), as_of),
                                             f["completed_at"].to_numpy(), NAT)),
    })


def school_acceptance(final: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """整校验收 as of ``as_of``: every school of the programme; its result once decided (empty before)."""
    decided = _happened(final["decided_at"].to_numpy(), as_of)
    result = np.where(decided, final["result"].to_numpy(), -1).astype(np.int8)
    return pd.DataFrame({
        "school_id": final["school_id"].to_numpy(),
        "passed": result,
        "passed_at": to_datetime(np.where(result == 1, final["decided_at"].to_numpy(), NAT)),
    })
