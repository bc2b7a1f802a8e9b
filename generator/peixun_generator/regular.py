"""gz_city, 2201 市常规远程培训: final-truth tables calibrated to the regular bulletin."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .allocation import capped_allocate, largest_remainder, rank_within
from .catalog import regular_categories, regular_names
from .constants import BUCKET_MARGIN, DISTRICTS, NO_ENROLLMENT_BUCKET, PASS_BUCKETS, SURVEY_LEVELS
from .population import roster
from .profiles import Profile
from .timeline import DAY, NAT, between, seconds

MIN_COURSE_SIZE = 30
HOURS = np.array([10, 15, 20, 24, 30])
HOURS_WEIGHTS = np.array([0.25, 0.3, 0.25, 0.1, 0.1])
PUBLIC_HOURS = 30


def roster_need(targets: dict[str, pd.DataFrame]) -> np.ndarray:
    """People each district needs for the city roster (expected headcount plus leavers)."""
    expected = targets["regular_district_teachers"]["expected_teachers"].to_numpy()
    return np.ceil(expected * 1.03).astype(np.int64) + 3


def _course_plan(profile: Profile, totals: pd.Series, n_part: int, rng: np.random.Generator) -> pd.DataFrame:
    """Per course: paid enrollments, passed enrollments and bucket, exactly on target.

    Weak-bucket courses are drawn small; the >=90% courses absorb the remaining failures.
    Redraws (rarely) until the failure budget fits the >=90% courses' room.
    """
    n = profile.regular_courses
    top_label = PASS_BUCKETS[0][0]
    paid, passed_total = int(totals["enrollments_paid"]), int(totals["enrollments_passed"])
    while True:
        bucket = np.concatenate([np.full(c, label, dtype=object) for label, c in profile.buckets.items()])
        bucket = bucket[rng.permutation(n)]
        empty = bucket == NO_ENROLLMENT_BUCKET
        top = bucket == top_label
        public = np.zeros(n, dtype=bool)
        public[rng.choice(np.flatnonzero(top), size=2, replace=False)] = True
        size = np.zeros(n, dtype=np.int64)
        size[public] = largest_remainder(int(totals["public_enrollments_paid"]), np.array([0.53, 0.47]))
        other = ~public & ~empty
        low = other & ~top
        weights = rng.lognormal(0.0, 0.8, n) * np.where(low, 0.35, 1.0)
        size[other] = capped_allocate(
            paid - int(size[public].sum()), np.full(int(other.sum()), MIN_COURSE_SIZE),
            np.full(int(other.sum()), n_part), weights[other], rng,
        )
        passed = np.zeros(n, dtype=np.int64)
        for label, lo, hi in PASS_BUCKETS[1:]:
            mine = bucket == label
            rate = rng.uniform(lo + BUCKET_MARGIN, hi - BUCKET_MARGIN, int(mine.sum()))
            s_min = np.ceil((lo + BUCKET_MARGIN) * size[mine])
            s_max = np.floor((hi - BUCKET_MARGIN) * size[mine])
            passed[mine] = np.clip(np.rint(rate * size[mine]), s_min, s_max).astype(np.int64)
        fails_left = (paid - passed_total) - int((size - passed)[low].sum())
        max_fail = np.floor((1 - PASS_BUCKETS[0][1] - BUCKET_MARGIN) * size[top]).astype(np.int64)
        if 0 <= fails_left <= max_fail.sum():
            break
    fails = capped_allocate(fails_left, np.zeros(int(top.sum()), np.int64), max_fail,
                            size[top] * rng.gamma(0.8, 1.0, int(top.sum())), rng)
    passed[top] = size[top] - fails
    return pd.DataFrame({"size": size, "passed": passed, "bucket": bucket, "public": public})


def build(profile: Profile, targets: dict[str, pd.DataFrame], persons: pd.DataFrame,
          rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Teachers, courses, enrollments, registrations, tutors and surveys at the last city date."""
    totals = targets["regular_totals"].iloc[0]
    last = profile.city_dates[-1]
    open_at, events_end = seconds(dt.date(2022, 4, 20), 8), seconds(last) - 2 * 3600
    district = persons["district"].to_numpy()
    n_people = district.size
    part_quota = targets["regular_district_teachers"]["participants"].to_numpy()
    is_part = rank_within(district, rng) < part_quota[district]
    part_idx = np.flatnonzero(is_part)
    teacher_no = rng.permutation(n_people) + 1
    teachers = roster(persons, np.arange(n_people), teacher_no, rng)

    plan = _course_plan(profile, totals, part_idx.size, rng)
    n_courses = len(plan)
    name, subject = regular_names(n_courses, plan["public"].to_numpy(), rng)
    category, community = regular_categories(n_courses, plan["public"].to_numpy(), rng)
    hours = np.where(plan["public"], PUBLIC_HOURS, HOURS[rng.choice(HOURS.size, n_courses, p=HOURS_WEIGHTS)])

    # Registration and first login per person (participants always log in).
    registered = is_part | (rng.random(n_people) < 0.45)
    logged_in = is_part | (registered & (rng.random(n_people) < 0.6))
    reg_at = between(open_at, open_at + 30 * DAY, rng, n_people)
    login_at = np.where(logged_in, between(reg_at, reg_at + 5 * DAY, rng, n_people), NAT)
    enroll_end = events_end - 3 * DAY

    # Paid rows: courses laid end to end, teachers cycled, so no teacher repeats within a course.
    order = np.r_[np.flatnonzero(plan["public"]), rng.permutation(np.flatnonzero(~plan["public"]))]
    row_course = np.repeat(order, plan["size"].to_numpy()[order])
    n_paid = row_course.size
    row_person = rng.permutation(part_idx)[np.arange(n_paid) % part_idx.size]
    passed = rank_within(row_course, rng) < plan["passed"].to_numpy()[row_course]
    learning = passed.copy()
    learning[rng.choice(np.flatnonzero(~passed), int(totals["enrollments_learning"] - totals["enrollments_passed"]),
                        replace=False)] = True

    # Unpaid rows: registered non-participants who browsed one course (some previewed it).
    browsers = np.flatnonzero(~is_part & logged_in & (rng.random(n_people) < 0.5))
    open_courses = np.flatnonzero(plan["size"].to_numpy() > 0)
    row_person = np.r_[row_person, browsers]
    row_course = np.r_[row_course, open_courses[rng.integers(0, open_courses.size, browsers.size)]]
    paid = np.r_[np.ones(n_paid, bool), np.zeros(browsers.size, bool)]
    passed = np.r_[passed, np.zeros(browsers.size, bool)]
    n_rows = row_person.size

    progress = np.zeros(n_rows, dtype=np.int16)
    progress[passed] = np.where(rng.random(int(passed.sum())) < 0.9, 1000, rng.integers(800, 1000, int(passed.sum())))
    studying = np.r_[learning & ~passed[:n_paid], np.zeros(browsers.size, bool)]
    failed = studying & (rng.random(n_rows) < 0.3)
    progress[studying] = (1000 * rng.beta(2.0, 1.2, int(studying.sum()))).clip(1, 999).astype(np.int16)
    progress[failed] = 1000
    preview = ~paid & (rng.random(n_rows) < 0.2)
    progress[preview] = rng.integers(1, 100, int(preview.sum()))
    result = np.where(passed, 1, np.where(failed, 0, -1)).astype(np.int8)

    enrolled_at = between(login_at[row_person], enroll_end, rng, n_rows, power=1.3)
    assessed_at = np.where(result >= 0, between(enrolled_at, events_end, rng, n_rows, power=0.8), NAT)
    by_time = np.lexsort((np.arange(n_rows), enrolled_at))
    enrollments = pd.DataFrame({
        "enrollment_no": np.arange(1, n_rows + 1),
        "teacher_no": teacher_no[row_person[by_time]],
        "course_no": row_course[by_time] + 1,
        "enrolled_at": enrolled_at[by_time],
        "paid": paid[by_time],
        "progress": progress[by_time],
        "result": result[by_time],
        "credit_hours": hours[row_course[by_time]],
        "assessed_at": assessed_at[by_time],
    })

    reg_people = np.flatnonzero(registered)
    registrations = _registrations(reg_people, logged_in, reg_at, login_at, row_person[:n_paid], totals, rng)
    registrations.insert(0, "teacher_no", teacher_no[reg_people])
    registrations = registrations.sort_values("registered_at", kind="stable").reset_index(drop=True)

    tutor_course, tutors = _tutors(profile, plan, rng)
    courses = pd.DataFrame({
        "course_no": np.arange(1, n_courses + 1), "course_name": name, "category": category,
        "community": community, "subject": subject, "credit_hours": hours, "tutor_no": tutor_course,
    })
    surveys = _surveys(enrollments, tutor_course, targets["regular_tutor_satisfaction"], events_end, rng)
    return {"teachers": teachers, "courses": courses, "enrollments": enrollments,
            "registrations": registrations, "tutors": tutors, "surveys": surveys}


def _registrations(reg_people: np.ndarray, logged_in: np.ndarray, reg_at: np.ndarray, login_at: np.ndarray,
                   paid_person: np.ndarray, totals: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """One row per registered person; login/post/homework sums hit the published totals."""
    n = reg_people.size
    active = logged_in[reg_people]
    paid_rows = np.bincount(paid_person, minlength=logged_in.size)[reg_people]
    w = np.where(active, rng.gamma(2.0, 1.0, n) * (1 + paid_rows), 0.0)
    logins = active.astype(np.int64)
    logins += rng.multinomial(int(totals["login_count"]) - int(active.sum()), w / w.sum())
    posts = rng.multinomial(int(totals["posts"]), _norm(w * rng.gamma(0.8, 1.0, n)))
    homework = rng.multinomial(int(totals["homework_submitted"]), _norm(np.where(paid_rows > 0, w, 0.0)))
    return pd.DataFrame({
        "registered_at": reg_at[reg_people], "first_login_at": login_at[reg_people],
        "login_count": logins, "posts": posts, "homework": homework,
    })


def _norm(w: np.ndarray) -> np.ndarray:
    return w / w.sum()


def _tutors(profile: Profile, plan: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, pd.DataFrame]:
    """Tutor of each course (0 = none) and the 辅导教师 rows (one per class); big courses get tutors."""
    eligible = np.flatnonzero((plan["size"] > 0) & ~plan["public"])
    size = plan["size"].to_numpy()[eligible].astype(float)
    chosen = np.sort(rng.choice(eligible, size=profile.tutor_courses, replace=False, p=size / size.sum()))
    two_classes = rng.choice(chosen, size=profile.tutors - profile.tutor_courses, replace=False)
    course = np.sort(np.r_[chosen, two_classes])
    klass = np.r_[1, (course[1:] == course[:-1]) + 1]
    tutor_no = rng.choice(np.arange(10_000, 100_000), size=course.size, replace=False)
    tutor_course = np.zeros(len(plan), dtype=np.int64)
    tutor_course[course[klass == 1]] = tutor_no[klass == 1]
    tutors = pd.DataFrame({
        "tutor_no": tutor_no,
        "district": np.asarray(DISTRICTS, dtype=object)[rng.integers(0, len(DISTRICTS), course.size)],
        "course_no": course + 1,
        "class_no": klass,
    })
    return tutor_course, tutors


def _surveys(enrollments: pd.DataFrame, tutor_course: np.ndarray, levels: pd.DataFrame, events_end: int,
             rng: np.random.Generator) -> pd.DataFrame:
    """Satisfaction answers: tutor levels from tutored courses, 无辅导教师 from the others."""
    counts = levels["responses"].to_numpy()
    paid = enrollments[enrollments["paid"].to_numpy()]
    tutored = tutor_course[paid["course_no"].to_numpy() - 1] > 0
    rows_t = rng.choice(np.flatnonzero(tutored), size=int(counts[:-1].sum()), replace=False)
    rows_n = rng.choice(np.flatnonzero(~tutored), size=int(counts[-1]), replace=False)
    level = np.r_[np.repeat(np.asarray(SURVEY_LEVELS[:-1], dtype=object), counts[:-1]),
                  np.full(int(counts[-1]), SURVEY_LEVELS[-1], dtype=object)]
    picked = paid.iloc[np.r_[rows_t, rows_n]]
    answered = between(picked["enrolled_at"].to_numpy() + DAY, events_end, rng, len(picked), power=0.7)
    order = np.argsort(answered, kind="stable")
    return pd.DataFrame({
        "response_no": np.arange(1, len(picked) + 1),
        "teacher_no": picked["teacher_no"].to_numpy()[order],
        "course_no": picked["course_no"].to_numpy()[order],
        "level": level[order],
        "answered_at": answered[order],
    })
