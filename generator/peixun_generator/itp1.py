"""gz_itp1, 能力提升工程 (ITP 1.0) periods 1501-1702: final-truth tables calibrated to the
2017-11-27 bulletin (1702 subject and community tables, programme progress, 发展测评).

The 1702 tables are solved at teacher level first (``teacher_types``): every 1702 teacher
studies the courses of one subject and carries six flags (enrolled / learning / passed, in
学习社区 and in 研修社区); the counts per subject and flag combination come from exact integer
allocation, so the published cells hold by construction. Programme progress is a per-district
choice of participants, off-roster participants and graduates (>= 5 passed 10-hour courses);
earlier periods' enrollments are laid out to give each teacher exactly the passes chosen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .allocation import allocate_table, largest_remainder, rank_within, repeat_index, split
from .catalog import itp1_names
from .constants import (
    CITY_DIRECT,
    CITY_DIRECT_ALIASES,
    DISTRICTS,
    ITP1_COMMUNITY_CATEGORY,
    ITP1_COURSE_HOURS,
    ITP1_DEFAULT_FIRST_PERIOD,
    ITP1_FIRST_PERIOD,
    ITP1_MIN_PASSES,
    ITP1_PERIODS,
    ITP1_WINDOWS,
    LEARNING_COMMUNITY,
    PRESCHOOL_ALIAS,
    PRESCHOOL_SUBJECT,
    RESEARCH_COMMUNITY,
    STATUSES,
    SUBJECTS,
)
from .population import extend, roster
from .profiles import Profile
from .timeline import DAY, NAT, between, seconds

# Flags of a 1702 teacher type: enrolled (paid) in 学习社区 / 研修社区, learning there (progress > 0),
# passed there (>= 1 passed course). Period completion = passed in both.
FLAGS = ("in_l", "in_r", "learn_l", "learn_r", "pass_l", "pass_r")
OFF_ROSTER_SHARE = 0.02  # participants off the frozen roster beyond what the >100% districts need
IDLE_OFF_SHARE = 0.01  # roster rows of leavers who never trained
NOT_FULL_TIME_SHARE = 0.4  # of off-roster teachers: 在职 but not 专任 (教研室, 进修学校); the rest left
LEAVER_WEIGHTS = np.array([0.3, 0.45, 0.25])  # 离职, 退休, 调出
PRIOR_FAIL_SHARE = 0.15  # teachers with one unpassed paid course in an earlier period
EXTRA_GRAD_SHARE = 0.25  # graduates with a course or two beyond the 5 needed
UNPAID_1702_SHARE = 0.05  # 1702 teachers with an unpaid selection of another subject's course
IDLE_BROWSER_SHARE = 0.1  # never-trained roster teachers with one unpaid 1702 selection
FAILED_SHARE = 0.1  # 1702 rows studied to the end but assessed 否
CITY_DIRECT_ALIAS_SHARE = 0.3  # 发展测评 rows of 市直属 written 市直属学校


@dataclass(frozen=True)
class TeacherTypes:
    """1702 teacher types: ``flags[t]`` (bool, one column per FLAGS) and ``counts[s, t]`` per subject."""

    flags: np.ndarray
    counts: np.ndarray


def teacher_types(subject: pd.DataFrame, community: pd.DataFrame) -> TeacherTypes:
    """Teacher types and their counts per subject reproducing both 1702 tables exactly.

    Per subject s: teachers = enrolled_s, (learn_l or learn_r) = learning_s, (pass_l and pass_r) =
    completed_s. Per community c: in_c = enrolled_c, learn_c = learning_c, pass_c = completed_c.
    learn ⊆ in and pass ⊆ learn for each community. Raises if the tables cannot hold together.
    """
    enrolled, learning, completed = (int(subject[c].sum()) for c in
                                     ("enrolled_teachers", "learning_teachers", "completed_teachers"))
    c = community.set_index("community")
    e_l, e_r = (int(c.at[k, "enrolled_teachers"]) for k in (LEARNING_COMMUNITY, RESEARCH_COMMUNITY))
    n_l, n_r = (int(c.at[k, "learning_teachers"]) for k in (LEARNING_COMMUNITY, RESEARCH_COMMUNITY))
    p_l, p_r = (int(c.at[k, "completed_teachers"]) for k in (LEARNING_COMMUNITY, RESEARCH_COMMUNITY))
    both = e_l + e_r - enrolled  # enrolled in both communities
    learn_both = n_l + n_r - learning  # learning in both
    l_only, r_only = n_l - learn_both, n_r - learn_both  # learning in one community only
    still = learn_both - completed  # learning in both, not (yet) passed in both
    idle = enrolled - learning  # no progress anywhere
    assert 0 <= both <= min(e_l, e_r) and max(e_l, e_r) <= enrolled, "community enrolment inconsistent"
    assert n_l <= e_l and n_r <= e_r and completed <= learn_both <= both, "learning counts inconsistent"
    assert min(l_only, r_only, idle) >= 0 and completed <= min(p_l, p_r), "learning / passing inconsistent"
    # Learners seen in one community only may also be enrolled (without progress) in the other.
    only_l, only_r = e_l - both, e_r - both  # enrolled in one community only
    lo_l, lo_r = max(l_only - only_l, 0), max(r_only - only_r, 0)
    spare = both - learn_both - lo_l - lo_r
    x_l, x_r, x_idle = np.array([lo_l, lo_r, 0]) + split(spare, np.array([l_only - lo_l, r_only - lo_r, idle]))
    # Passes beyond the completers: 研修社区 first (scarce), then 学习社区 in the room left.
    r_both, r_one = split(p_r - completed, np.array([still, r_only]))
    l_both, l_one = split(p_l - completed, np.array([still - r_both, l_only]))
    l_one_in_r, l_one_l = split(int(l_one), np.array([x_l, l_only - x_l]))
    r_one_in_l, r_one_r = split(int(r_one), np.array([x_r, r_only - x_r]))
    types = [  # (flags, global count, group: 0 completer, 1 learner, 2 idle)
        ((1, 1, 1, 1, 1, 1), completed, 0),
        ((1, 1, 1, 1, 1, 0), l_both, 1),
        ((1, 1, 1, 1, 0, 1), r_both, 1),
        ((1, 1, 1, 1, 0, 0), still - r_both - l_both, 1),
        ((1, 1, 1, 0, 1, 0), l_one_in_r, 1),
        ((1, 1, 1, 0, 0, 0), x_l - l_one_in_r, 1),
        ((1, 0, 1, 0, 1, 0), l_one_l, 1),
        ((1, 0, 1, 0, 0, 0), l_only - x_l - l_one_l, 1),
        ((1, 1, 0, 1, 0, 1), r_one_in_l, 1),
        ((1, 1, 0, 1, 0, 0), x_r - r_one_in_l, 1),
        ((0, 1, 0, 1, 0, 1), r_one_r, 1),
        ((0, 1, 0, 1, 0, 0), r_only - x_r - r_one_r, 1),
        ((1, 1, 0, 0, 0, 0), x_idle, 2),
        ((1, 0, 0, 0, 0, 0), only_l - l_only + x_l, 2),
        ((0, 1, 0, 0, 0, 0), only_r - r_only + x_r, 2),
    ]
    flags = np.array([t[0] for t in types], dtype=bool)
    total = np.array([t[1] for t in types], dtype=np.int64)
    group = np.array([t[2] for t in types])
    assert (total >= 0).all(), f"negative type count {total.tolist()}"
    e_s, n_s, c_s = (subject[k].to_numpy(np.int64) for k in
                     ("enrolled_teachers", "learning_teachers", "completed_teachers"))
    assert (c_s <= n_s).all() and (n_s <= e_s).all(), "subject counts not nested"
    counts = np.zeros((len(subject), len(types)), dtype=np.int64)
    for g, rows in ((0, c_s), (1, n_s - c_s), (2, e_s - n_s)):
        counts[:, group == g] = allocate_table(rows, total[group == g])

    # Recompute both tables from the types: they must be the published ones.
    f = dict(zip(FLAGS, flags.T, strict=True))
    assert (counts.sum(1) == e_s).all() and (counts[:, f["learn_l"] | f["learn_r"]].sum(1) == n_s).all()
    assert (counts[:, f["pass_l"] & f["pass_r"]].sum(1) == c_s).all()
    per_type = counts.sum(0)
    for k, (e, n, p) in {"l": (e_l, n_l, p_l), "r": (e_r, n_r, p_r)}.items():
        assert (per_type[f["in_" + k]].sum(), per_type[f["learn_" + k]].sum(), per_type[f["pass_" + k]].sum()) \
            == (e, n, p), f"community {k} off"
    assert (flags[:, 2:4] <= flags[:, 0:2]).all() and (flags[:, 4:6] <= flags[:, 2:4]).all()
    return TeacherTypes(flags, counts)


@dataclass(frozen=True)
class RosterPlan:
    """Per district: participants, graduates, off-roster participants, never-trained rows."""

    participants: np.ndarray
    graduates: np.ndarray
    off_roster: np.ndarray  # participants not (在职 and 专任): >= participants - full_time_teachers
    idle_on: np.ndarray  # on the roster, never trained
    idle_off: np.ndarray  # left, never trained

    @property
    def size(self) -> np.ndarray:
        return self.participants + self.idle_on + self.idle_off


def roster_plan(progress: pd.DataFrame) -> RosterPlan:
    """Who the 教师信息 roster holds, per district, so that 在职 专任 teachers = full_time_teachers.

    Where participants exceed the frozen headcount (花都 增城 天河 海珠 番禺) the excess are
    teachers off the roster (left, retired, moved, not full-time), plus a few percent everywhere.
    """
    full_time = progress["full_time_teachers"].to_numpy(np.int64)
    part = progress["participants"].to_numpy(np.int64)
    grads = progress["graduates"].to_numpy(np.int64)
    assert (grads <= part).all()
    off = np.minimum(np.maximum(part - full_time, 0) + np.ceil(part * OFF_ROSTER_SHARE).astype(np.int64), part)
    idle_on = full_time - (part - off)
    assert (idle_on >= 0).all()
    return RosterPlan(part, grads, off, idle_on, np.ceil(full_time * IDLE_OFF_SHARE).astype(np.int64))


@dataclass(frozen=True)
class Catalog:
    """One period's catalog layout (the same in every period): 学习社区 courses by subject, then
    one 研修社区 course per subject. Positions are 0-based within the period."""

    learning: np.ndarray  # 学习社区 courses per subject
    first_learning: np.ndarray  # position of a subject's first 学习社区 course
    research: np.ndarray  # position of a subject's 研修社区 course
    block: np.ndarray  # positions ordered subject by subject (学习社区 then 研修社区)
    block_start: np.ndarray  # index into ``block`` where a subject starts

    @property
    def size(self) -> int:
        return self.block.size


def catalog_layout(n_learning: int, weights: np.ndarray) -> Catalog:
    """At least one 学习社区 course per subject, the rest by weight (largest remainder)."""
    n_subjects = len(SUBJECTS)
    learning = 1 + largest_remainder(n_learning - n_subjects, weights)
    first = np.cumsum(learning) - learning
    research = n_learning + np.arange(n_subjects)
    owner, pos = repeat_index(learning + 1)
    block = np.where(pos < learning[owner], first[owner] + pos, research[owner])
    return Catalog(learning, first, research, block, np.cumsum(learning + 1) - (learning + 1))


def _courses(layout: Catalog, rng: np.random.Generator) -> pd.DataFrame:
    n_subjects = len(SUBJECTS)
    owner, pos = repeat_index(layout.learning)
    subject_idx = np.r_[owner, np.arange(n_subjects)]
    learning = np.r_[np.ones(owner.size, bool), np.zeros(n_subjects, bool)]
    rank = np.r_[pos, np.zeros(n_subjects, np.int64)]
    frames = []
    for p, period in enumerate(ITP1_PERIODS):  # six periods
        subject = np.asarray(SUBJECTS, dtype=object)[subject_idx]
        name = itp1_names(subject, learning, rank + p)
        if period < "1701":  # the older catalogs call 幼教 学前教育
            subject = np.where(subject == PRESCHOOL_SUBJECT, PRESCHOOL_ALIAS, subject).astype(object)
        community = np.where(learning, LEARNING_COMMUNITY, RESEARCH_COMMUNITY).astype(object)
        tutored = learning & (period == ITP1_PERIODS[-1])
        frames.append(pd.DataFrame({
            "course_no": int(period) * 100 + np.arange(1, layout.size + 1),
            "course_name": name,
            "period": period,
            "category": pd.Series(community).map(ITP1_COMMUNITY_CATEGORY).to_numpy(object),
            "community": community,
            "subject": subject,
            "credit_hours": ITP1_COURSE_HOURS,
            "tutor_no": np.where(tutored, rng.integers(1000, 10_000, layout.size), 0),
        }))
    return pd.concat(frames, ignore_index=True)


def _windows(events_end: int) -> tuple[np.ndarray, np.ndarray]:
    open_ = np.array([seconds(dt.date.fromisoformat(a), 8) for a, _ in ITP1_WINDOWS])
    close = np.array([seconds(dt.date.fromisoformat(b), 20) for _, b in ITP1_WINDOWS])
    close[-1] = events_end
    return open_, close


def build(profile: Profile, targets: dict[str, pd.DataFrame], persons: pd.DataFrame,
          rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Teachers, courses, enrollments and 发展测评 rows at the last gz_itp1 export date."""
    subjects = targets["itp1_subject"]
    types = teacher_types(subjects, targets["itp1_community"])
    plan = roster_plan(targets["itp1_district_progress"])
    layout = catalog_layout(profile.itp1_learning_courses, subjects["enrolled_teachers"].to_numpy(float) + 1)
    last = profile.itp1_dates[-1]
    events_end = seconds(last) + 22 * 3600
    open_, close = _windows(events_end)

    # The roster: people per district, ranked; participants first, the off-roster ones among them first.
    people = extend(persons, plan.size, rng)
    rank = rank_within(people["district"].to_numpy(), rng)
    idx = np.flatnonzero(rank < plan.size[people["district"].to_numpy()])
    d, r = people["district"].to_numpy()[idx], rank[idx]
    n = idx.size
    participant = r < plan.participants[d]
    off_roster = np.where(participant, r < plan.off_roster[d], r >= (plan.participants + plan.idle_on)[d])
    own_subject = pd.Series(people["subject"].to_numpy()[idx]).map({s: i for i, s in enumerate(SUBJECTS)})
    own_subject = own_subject.to_numpy(np.int64)

    # 1702 teachers: participants of the subject where possible, topped up from the others.
    need = subjects["enrolled_teachers"].to_numpy(np.int64)
    part = np.flatnonzero(participant)
    first = rank_within(own_subject[part], rng) < need[own_subject[part]]
    subject = np.full(n, -1, dtype=np.int64)
    subject[part[first]] = own_subject[part[first]]
    short = need - np.bincount(subject[part[first]], minlength=need.size)
    assert short.sum() <= (~first).sum(), "fewer participants than 1702 teachers"
    fill = rng.permutation(part[~first])[: short.sum()]
    subject[fill] = np.repeat(np.arange(need.size), short)
    sel = np.flatnonzero(subject >= 0)
    sel = sel[np.lexsort((rng.random(sel.size), subject[sel]))]
    ttype = np.full(n, -1, dtype=np.int64)
    ttype[sel] = np.repeat(np.tile(np.arange(len(types.flags)), need.size), types.counts.ravel())
    in1702 = ttype >= 0
    flag = np.zeros((n, len(FLAGS)), dtype=bool)
    flag[in1702] = types.flags[ttype[in1702]]
    completer = flag[:, 4] & flag[:, 5]
    course_subject = np.where(in1702, subject, own_subject)

    # Graduates per district: those who finished before 1702 first, then 1702 completers.
    key = rng.random(n) + in1702 - 0.5 * completer + 3.0 * ~participant
    graduate = participant & (rank_within(d, rng, key) < plan.graduates[d])

    rows_1702, passes_1702 = _rows_1702(layout, course_subject, flag, graduate, open_[-1], events_end, rng)
    prior = _prior_rows(layout, d, course_subject, participant, graduate, in1702, passes_1702, open_, close, rng)
    unpaid = _unpaid_rows(layout, course_subject, in1702, participant, open_[-1], events_end, rng)
    parts = [rows_1702, prior, unpaid]
    rows = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    teacher_no = rng.permutation(n) + 1
    by_time = np.lexsort((np.arange(rows["teacher"].size), rows["enrolled_at"]))
    enrollments = pd.DataFrame({
        "enrollment_no": np.arange(1, by_time.size + 1),
        "teacher_no": teacher_no[rows["teacher"][by_time]],
        "course_no": rows["course_no"][by_time],
        "enrolled_at": rows["enrolled_at"][by_time],
        "paid": rows["paid"][by_time],
        "progress": rows["progress"][by_time].astype(np.int16),
        "result": rows["result"][by_time].astype(np.int8),
        "credit_hours": np.full(by_time.size, ITP1_COURSE_HOURS, dtype=np.int64),
        "assessed_at": rows["assessed_at"][by_time],
    })

    status = np.full(n, STATUSES[0], dtype=object)
    left = off_roster & (rng.random(n) >= NOT_FULL_TIME_SHARE)
    status[left] = np.asarray(STATUSES[1:], dtype=object)[rng.choice(3, size=int(left.sum()), p=LEAVER_WEIGHTS)]
    frame = people.iloc[idx].reset_index(drop=True).assign(
        subject=np.asarray(SUBJECTS, dtype=object)[course_subject], is_full_time=~(off_roster & ~left),
        status=status)
    teachers = roster(frame, np.arange(n), teacher_no, rng)
    assessments = _assessments(targets["itp1_assessment"], d, graduate, in1702, teacher_no, events_end, rng)
    return {"teachers": teachers, "courses": _courses(layout, rng), "enrollments": enrollments,
            "assessments": assessments}


def _rows_1702(layout: Catalog, subject: np.ndarray, flag: np.ndarray, graduate: np.ndarray, open_at: int,
               events_end: int, rng: np.random.Generator) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Paid 1702 rows per teacher type, in the teacher's subject; returns rows and passes per teacher.

    A community's first row carries its flags (passed / studying / untouched); further 学习社区
    rows are studied only by teachers learning there and pass only for those who passed there,
    never taking a non-graduate to 5 passes.
    """
    n = subject.size
    in_l, in_r, learn_l, learn_r, pass_l, pass_r = flag.T
    room = layout.learning[np.maximum(subject, 0)]
    n_l = np.where(in_l, np.minimum(rng.geometric(0.55, n), room), 0)
    owner_l, pos_l = repeat_index(n_l)
    owner_r = np.flatnonzero(in_r)
    owner = np.r_[owner_l, owner_r]
    pos = np.r_[pos_l, np.zeros(owner_r.size, np.int64)]
    learning = np.r_[np.ones(owner_l.size, bool), np.zeros(owner_r.size, bool)]
    cap = np.where(graduate, np.iinfo(np.int64).max // 2, ITP1_MIN_PASSES - 1 - pass_l - pass_r)
    extra = np.minimum(rng.binomial(np.maximum(n_l - 1, 0), 0.4), cap) * pass_l
    passed = np.where(learning, pass_l[owner] & (pos <= extra[owner]), pass_r[owner])
    primary = pos == 0
    learns = np.where(learning, learn_l[owner], learn_r[owner]) & (primary | (rng.random(owner.size) < 0.5))
    offset = rng.integers(0, 1 << 30, n)
    position = np.where(learning, layout.first_learning[subject[owner]] + (offset[owner] + pos) % room[owner],
                        layout.research[subject[owner]])
    enrolled_at = between(open_at, events_end - 4 * DAY, rng, owner.size, power=1.4)
    studying = learns & ~passed
    failed = studying & (rng.random(owner.size) < FAILED_SHARE)
    progress = np.where(passed, np.where(rng.random(owner.size) < 0.9, 1000, rng.integers(800, 1000, owner.size)), 0)
    progress = np.where(studying, (1000 * rng.beta(2.0, 1.5, owner.size)).clip(1, 999), progress)
    progress = np.where(failed, 1000, progress)
    result = np.where(passed, 1, np.where(failed, 0, -1))
    assessed = np.where(result >= 0, between(enrolled_at + 3 * DAY, events_end, rng, owner.size, power=0.8), NAT)
    rows = {
        "teacher": owner, "course_no": int(ITP1_PERIODS[-1]) * 100 + 1 + position, "enrolled_at": enrolled_at,
        "paid": np.ones(owner.size, bool), "progress": progress, "result": result, "assessed_at": assessed,
    }
    return rows, np.bincount(owner, weights=passed, minlength=n).astype(np.int64)


def _prior_rows(layout: Catalog, district: np.ndarray, subject: np.ndarray, participant: np.ndarray,
                graduate: np.ndarray, in1702: np.ndarray, passes_1702: np.ndarray, open_: np.ndarray,
                close: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Paid rows of 1501-1701: graduates reach >= 5 passes in all, the others stay below.

    A teacher's rows are spread evenly over the periods since the district started; within a
    period they take their subject's courses first (from a random one, then the next subject's),
    all distinct.
    """
    n = subject.size
    need = np.maximum(ITP1_MIN_PASSES - passes_1702, 0)
    bonus = (rng.random(n) < EXTRA_GRAD_SHARE) * rng.integers(1, 3, n)
    short = rng.integers(0, np.maximum(ITP1_MIN_PASSES - passes_1702, 1))  # 0 .. 4 - passes_1702
    h0 = np.where(graduate, need + bonus, np.where(participant, short, 0))
    fail = (participant & (rng.random(n) < PRIOR_FAIL_SHARE)) | (participant & ~in1702 & (h0 == 0))
    count = h0 + fail
    first = pd.Series(np.asarray(DISTRICTS, dtype=object)[district]).map(ITP1_FIRST_PERIOD)
    first = first.fillna(ITP1_DEFAULT_FIRST_PERIOD).map(ITP1_PERIODS.index).to_numpy(np.int64)
    span = len(ITP1_PERIODS) - 1 - first  # periods before 1702
    owner, j = repeat_index(count)
    c, a = count[owner], span[owner]
    k = j * a // c  # rows 0..c-1 spread over a periods
    q = j + (-(k * c) // a)  # j - first row of its period: the row's place within the period
    turn = rng.integers(0, 1 << 30, n)[owner]
    period = first[owner] + (k + turn) % a
    own = layout.learning[subject[owner]] + 1  # the subject's courses in a period
    inner = np.where(q < own, (turn + q) % own, q)  # own courses from a random one, then the next subject's
    position = layout.block[(layout.block_start[subject[owner]] + inner) % layout.size]
    passed = j < h0[owner]
    enrolled_at = between(open_[period], open_[period] + (close[period] - open_[period]) * 2 // 5, rng, owner.size)
    progress = np.where(passed, np.where(rng.random(owner.size) < 0.9, 1000, rng.integers(800, 1000, owner.size)),
                        np.where(rng.random(owner.size) < 0.4, 0, rng.integers(1, 1000, owner.size)))
    assessed = np.where(passed, between(enrolled_at + 7 * DAY, close[period], rng, owner.size), close[period])
    codes = np.array([int(p) for p in ITP1_PERIODS])
    return {
        "teacher": owner, "course_no": codes[period] * 100 + 1 + position, "enrolled_at": enrolled_at,
        "paid": np.ones(owner.size, bool), "progress": progress, "result": passed.astype(np.int64),
        "assessed_at": assessed,
    }


def _unpaid_rows(layout: Catalog, subject: np.ndarray, in1702: np.ndarray, participant: np.ndarray,
                 open_at: int, events_end: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Unpaid 1702 selections (never counted): another subject's course of some 1702 teachers,
    and a first look at the catalog by some roster teachers who never trained."""
    n = subject.size
    u = rng.random(n)
    other = np.flatnonzero(in1702 & (u < UNPAID_1702_SHARE))
    idle = np.flatnonzero(~participant & (u < IDLE_BROWSER_SHARE))
    owner = np.r_[other, idle]
    position = np.r_[layout.first_learning[(subject[other] + 1) % len(SUBJECTS)],
                     rng.integers(0, layout.size, idle.size)]
    preview = rng.random(owner.size) < 0.3
    return {
        "teacher": owner, "course_no": int(ITP1_PERIODS[-1]) * 100 + 1 + position,
        "enrolled_at": between(open_at, events_end - 4 * DAY, rng, owner.size),
        "paid": np.zeros(owner.size, bool), "progress": np.where(preview, rng.integers(1, 100, owner.size), 0),
        "result": np.full(owner.size, -1), "assessed_at": np.full(owner.size, NAT),
    }


def _assessments(table: pd.DataFrame, district: np.ndarray, graduate: np.ndarray, in1702: np.ndarray,
                 teacher_no: np.ndarray, events_end: int, rng: np.random.Generator) -> pd.DataFrame:
    """发展测评: graduates (those who finished before 1702 first) scheduled in their district's window."""
    row = pd.Series(np.arange(len(table)), index=table["district"]).reindex(list(DISTRICTS)).to_numpy()
    assert not np.isnan(row).any(), "every district has a 发展测评 window"
    row = row.astype(np.int64)[district]
    expected = table["expected"].to_numpy(np.int64)[row]
    key = rng.random(district.size) + in1702 + 3.0 * ~graduate
    chosen = np.flatnonzero(rank_within(district, rng, key) < expected)
    assert graduate[chosen].all() and chosen.size == table["expected"].sum()
    row = row[chosen]
    done = rank_within(row, rng) < table["completed"].to_numpy(np.int64)[row]
    bounds = table["window"].str.split("..", n=1, expand=True, regex=False)
    start = np.array([seconds(dt.date.fromisoformat(s)) for s in bounds[0]])[row]
    end = np.array([seconds(dt.date.fromisoformat(s)) for s in bounds[1]])[row]
    completed_at = np.where(done, between(start + 8 * 3600, np.minimum(end + 22 * 3600, events_end), rng, row.size),
                            NAT)
    name = np.asarray(DISTRICTS, dtype=object)[district[chosen]]
    alias = (name == CITY_DIRECT) & (rng.random(row.size) < CITY_DIRECT_ALIAS_SHARE)
    name[alias] = CITY_DIRECT_ALIASES[0]
    frame = pd.DataFrame({
        "teacher_no": teacher_no[chosen], "district": name, "window_start": start, "window_end": end,
        "completed_at": completed_at,
    })
    return frame.sort_values(["window_start", "teacher_no"], kind="stable").reset_index(drop=True)
