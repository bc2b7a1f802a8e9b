"""vendor_jjw, 2201 能力提升工程2.0: final-truth tables calibrated per district."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .allocation import capped_allocate, rank_within, repeat_index
from .catalog import itp2_names
from .constants import DISTRICT_CODES, ITP2_COURSE_HOURS, ITP2_MIN_PASSES
from .population import roster
from .profiles import Profile
from .timeline import DAY, NAT, between, seconds

NONLOGIN_SHARE = 0.02  # registered, never logged in (not participants)
UNREGISTERED_SHARE = 0.005  # known to the vendor, not registered for 2201
SECOND_WORKSHOP_SHARE = 0.06


def _extras(participants: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (np.ceil(participants * NONLOGIN_SHARE).astype(np.int64) + 1,
            np.ceil(participants * UNREGISTERED_SHARE).astype(np.int64) + 1)


def roster_need(targets: dict[str, pd.DataFrame]) -> np.ndarray:
    """People each district needs for the vendor roster."""
    part = targets["itp2_district_teachers"]["participants"].to_numpy()
    nonlogin, unregistered = _extras(part)
    return part + nonlogin + unregistered


def _district_rows(
    k_courses: int, t: pd.Series, e: pd.Series, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Paid enrollments (n) and passes (p) per course-selected teacher of one district.

    Teachers are ordered completed first; completed teachers pass >= ITP2_MIN_PASSES courses,
    the others at most ITP2_MIN_PASSES - 1, and the district totals are exact.
    """
    n_cc, n_nc = int(t["course_completed"]), int(t["course_selected"] - t["course_completed"])
    non_pass = int(e["enrollments_paid"] - e["enrollments_passed"])
    p_nc = rng.integers(0, ITP2_MIN_PASSES, n_nc)
    zeros = np.flatnonzero(p_nc == 0)
    p_nc[zeros[non_pass:]] = 1  # every selected teacher needs at least one paid row
    p_cc = capped_allocate(int(e["enrollments_passed"]) - int(p_nc.sum()), np.full(n_cc, ITP2_MIN_PASSES),
                           np.full(n_cc, k_courses), rng.gamma(3.0, 1.0, n_cc), rng)
    p = np.r_[p_cc, p_nc]
    weights = np.r_[np.ones(n_cc), np.full(n_nc, 4.0)] * rng.gamma(1.0, 1.0, p.size)
    q = capped_allocate(non_pass, (p == 0).astype(np.int64), k_courses - p, weights, rng)
    return p + q, p


def build(profile: Profile, targets: dict[str, pd.DataFrame], persons: pd.DataFrame,
          rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Teachers, courses, enrollments, registrations and workshops at the last vendor date."""
    tt = targets["itp2_district_teachers"]
    et = targets["itp2_district_enrollments"]
    part_q = tt["participants"].to_numpy()
    nonlogin_q, unreg_q = _extras(part_q)
    district = persons["district"].to_numpy()
    rank = rank_within(district, rng)
    known = np.flatnonzero(rank < (part_q + nonlogin_q + unreg_q)[district])
    teacher_no = np.zeros(district.size, dtype=np.int64)
    teacher_no[known] = rng.permutation(known.size) + 1
    teachers = roster(persons, known, teacher_no[known], rng)

    last = profile.vendor_dates[-1]
    open_at, events_end = seconds(dt.date(2022, 4, 25), 8), seconds(last) - 2 * 3600
    enroll_end = events_end - 4 * DAY
    n_people = district.size
    participant = rank < part_q[district]
    registered = rank < (part_q + nonlogin_q)[district]
    reg_at = between(open_at, seconds(dt.date(2022, 6, 30)), rng, n_people)
    login_at = np.where(participant, between(reg_at, reg_at + 10 * DAY, rng, n_people), NAT)

    k = profile.itp2_courses
    course_perm = rng.permutation(k)
    owners, positions, paid_l, passed_l, learn_l = [], [], [], [], []
    for d in range(len(DISTRICT_CODES)):
        sel = np.flatnonzero((district == d) & (rank < tt["course_selected"].iat[d]))
        sel = sel[np.argsort(rank[sel])]
        n, p = _district_rows(k, tt.iloc[d], et.iloc[d], rng)
        owner, pos = repeat_index(n)
        is_pass = pos < p[owner]
        learn = is_pass.copy()
        gap = int(et["enrollments_learning"].iat[d] - et["enrollments_passed"].iat[d])
        learn[rng.choice(np.flatnonzero(~is_pass), size=gap, replace=False)] = True
        # Unpaid extras: a few selected teachers' next course; most unselected participants' first.
        extra_sel = np.flatnonzero((n < k) & (rng.random(n.size) < 0.03))
        idle = np.flatnonzero((district == d) & participant & (rank >= tt["course_selected"].iat[d]))
        idle = idle[rng.random(idle.size) < 0.6]
        owners += [sel[owner], sel[extra_sel], idle]
        positions += [pos, n[extra_sel], np.zeros(idle.size, np.int64)]
        paid_l.append(np.r_[np.ones(owner.size, bool), np.zeros(extra_sel.size + idle.size, bool)])
        passed_l.append(np.r_[is_pass, np.zeros(extra_sel.size + idle.size, bool)])
        learn_l.append(np.r_[learn, np.zeros(extra_sel.size + idle.size, bool)])
    person = np.concatenate(owners)
    pos = np.concatenate(positions)
    paid, passed, learning = np.concatenate(paid_l), np.concatenate(passed_l), np.concatenate(learn_l)
    n_rows = person.size

    start = (k * rng.beta(1.0, 1.6, n_people)).astype(np.int64)  # popular courses first
    course = course_perm[(start[person] + pos) % k]
    per_person = np.bincount(person, minlength=n_people)
    progress = np.zeros(n_rows, dtype=np.int16)
    progress[passed] = np.where(rng.random(int(passed.sum())) < 0.85, 1000, rng.integers(800, 1000, int(passed.sum())))
    studying = learning & ~passed
    failed = studying & (rng.random(n_rows) < 0.3)
    progress[studying] = (1000 * rng.beta(2.0, 1.2, int(studying.sum()))).clip(1, 999).astype(np.int16)
    progress[failed] = 1000
    preview = ~paid & (rng.random(n_rows) < 0.2)
    progress[preview] = rng.integers(1, 100, int(preview.sum()))
    result = np.where(passed, 1, np.where(failed, 0, -1)).astype(np.int8)
    login = login_at[person]
    step = (enroll_end - login) / (per_person[person] + 1)  # a teacher's enrollments follow each other
    enrolled_at = login + (step * (pos + rng.random(n_rows))).astype(np.int64)
    assessed_at = np.where(result >= 0, between(enrolled_at, events_end, rng, n_rows, power=0.8), NAT)
    by_time = np.lexsort((np.arange(n_rows), enrolled_at))
    enrollments = pd.DataFrame({
        "enrollment_no": np.arange(1, n_rows + 1),
        "teacher_no": teacher_no[person[by_time]],
        "course_no": course[by_time] + 1,
        "enrolled_at": enrolled_at[by_time],
        "paid": paid[by_time],
        "progress": progress[by_time],
        "result": result[by_time],
        "credit_hours": np.full(n_rows, ITP2_COURSE_HOURS, dtype=np.int64),
        "assessed_at": assessed_at[by_time],
    })

    reg = np.flatnonzero(registered)
    active = participant[reg]
    registrations = pd.DataFrame({
        "teacher_no": teacher_no[reg],
        "registered_at": reg_at[reg],
        "first_login_at": login_at[reg],
        "login_count": np.where(active, 1 + rng.negative_binomial(3, 0.1, reg.size), 0),
        "posts": np.where(active, rng.negative_binomial(2, 0.12, reg.size), 0),
        "homework": np.where(active, rng.negative_binomial(4, 0.4, reg.size), 0),
    }).sort_values("registered_at", kind="stable").reset_index(drop=True)

    name, subject = itp2_names(k, rng)
    category = np.where(rng.random(k) < 0.6, "专业必修", np.where(rng.random(k) < 0.5, "通识必修", "任意选修"))
    tutored = rng.random(k) < 0.3
    courses = pd.DataFrame({
        "course_no": np.arange(1, k + 1), "course_name": name, "category": category.astype(object),
        "community": np.full(k, None, dtype=object), "subject": subject,
        "credit_hours": np.full(k, ITP2_COURSE_HOURS), "tutor_no": np.where(tutored, rng.integers(1000, 10_000, k), 0),
    })
    workshops = _workshops(tt, district, rank, participant, login_at, teacher_no, events_end, rng)
    return {"teachers": teachers, "courses": courses, "enrollments": enrollments,
            "registrations": registrations, "workshops": workshops}


def _workshops(tt: pd.DataFrame, district: np.ndarray, rank: np.ndarray, participant: np.ndarray,
               login_at: np.ndarray, teacher_no: np.ndarray, events_end: int,
               rng: np.random.Generator) -> pd.DataFrame:
    """工作坊 rows: the workshop chain is a prefix of a rank loosely correlated with course completion."""
    people = np.flatnonzero(participant)
    d = district[people]
    part_q = tt["participants"].to_numpy()
    key = rank[people] + rng.normal(0.0, 0.25, people.size) * part_q[d]
    order = np.lexsort((key, d))
    starts = np.r_[0, np.cumsum(np.bincount(d, minlength=len(part_q)))[:-1]]
    j = np.empty(people.size, dtype=np.int64)
    j[order] = np.arange(people.size) - starts[d[order]]
    chosen = j < tt["workshop_selected"].to_numpy()[d]
    people, d, j = people[chosen], d[chosen], j[chosen]
    level = ((j < tt["workshop_completed"].to_numpy()[d]).astype(np.int8)
             + (j < tt["submitted"].to_numpy()[d]) + (j < tt["certified"].to_numpy()[d]))
    n = people.size
    per_district = np.maximum(3, np.ceil(tt["workshop_selected"].to_numpy() / 500).astype(np.int64))
    ws = rng.integers(0, per_district[d])

    second = rng.random(n) < SECOND_WORKSHOP_SHARE
    row_person = np.r_[np.arange(n), np.flatnonzero(second)]
    row_ws = np.r_[ws, (ws[second] + 1 + rng.integers(0, 2, int(second.sum()))) % per_district[d[second]]]
    row_level = np.r_[level, np.full(int(second.sum()), -1, np.int8)]  # -1: joined only
    m = row_person.size
    login = login_at[people[row_person]]
    joined = between(login + DAY, np.minimum(login + 60 * DAY, seconds(dt.date(2022, 7, 31))), rng, m)
    joined[n:] += 5 * DAY
    completed = np.minimum(joined + rng.integers(10, 60, m) * DAY, events_end - 3 * DAY)
    submitted = np.minimum(completed + rng.integers(1, 20, m) * DAY, events_end - 2 * DAY)
    certified = np.minimum(submitted + rng.integers(1, 15, m) * DAY, events_end)
    stray_submit = (row_level <= 0) & (rng.random(m) < 0.08)  # submitted without completing: not counted
    cert_fail = (row_level == 2) & (rng.random(m) < 0.5)
    frame = pd.DataFrame({
        "teacher_no": teacher_no[people[row_person]],
        "workshop_id": ("GZ" + np.asarray(DISTRICT_CODES, dtype=object)[d[row_person]] + "WS"
                        + pd.Series(row_ws + 1).astype(str).str.zfill(3).to_numpy()),
        "joined_at": joined,
        "completed_at": np.where(row_level >= 1, completed, NAT),
        "submitted_at": np.where((row_level >= 2) | stray_submit, submitted, NAT),
        "certified_at": np.where((row_level == 3) | cert_fail, certified, NAT),
        "certified_ok": row_level == 3,
    })
    return frame.sort_values("joined_at", kind="stable").reset_index(drop=True)
