"""vendor_jjw, 2201 能力提升工程2.0 校本研修: 教研组, activities, participation, whole-school acceptance.

The final truth (every event with its instant); snapshots.py cuts the full export of each date.

- Every teacher of the vendor's roster is a member of one 教研组 of their school: the school's
  teachers of one subject, or its 综合教研组 for subjects with fewer than MIN_GROUP teachers.
- Each group's leader publishes several activities; every member has a row for each of them.
- An online activity counts for a member who completed it (participants of the online courses
  are diligent, the others mostly not); a 线下活动 counts, up to 10 hours, for the members the
  leader designated once the leader uploaded evidence, which some leaders never do. A few
  线下活动 are set above 10 hours (a data problem the warehouse clamps and reports).
- Schools pass their 整校验收 from August on, some not yet; a few teachers are removed from their
  school between exports and the platform clears their records.
- Data problems that load: participation in an activity the export does not have, and activities
  of a school the roster does not know (without members).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .allocation import repeat_index
from .constants import (
    CITY_DIRECT,
    CITY_DIRECT_ALIASES,
    PRESCHOOL_ALIAS,
    PRESCHOOL_SUBJECT,
    SCHOOL_BASED_CAP,
    SCHOOL_OFFLINE,
    SCHOOL_OFFLINE_MAX_HOURS,
    SCHOOL_ONLINE_HOURS,
)
from .profiles import Profile
from .timeline import DAY, NAT, between, end_of, seconds

ACTIVITY_TYPES: tuple[str, ...] = (*SCHOOL_ONLINE_HOURS, SCHOOL_OFFLINE)
TYPE_SHARES = np.array([0.30, 0.25, 0.20, 0.25])
OFFLINE_HOURS = np.array([2, 3, 4, 5, 6, 8, 10])
OFFLINE_WEIGHTS = np.array([0.10, 0.10, 0.20, 0.15, 0.20, 0.15, 0.10])
OVER_MAX_HOURS = np.array([12, 15, 20])  # set by a leader above the maximum
MIN_GROUP = 3
MIXED_GROUP = "综合"
ACTIVITIES_PER_GROUP = (7, 12)  # inclusive
DESIGNATED_SHARE = 0.85
NO_EVIDENCE_SHARE = 0.15
REMOVED_SHARE = 0.004
ACCEPTED_SHARE = 0.6
FAILED_SHARE = 0.1  # of the others: an acceptance attempt that did not pass
UNKNOWN_SCHOOL = "219999"  # prefix of schools no roster knows
UNKNOWN_ACTIVITY_GAP = 100  # activity numbers this far past the last one exist in no export
OPEN = dt.date(2022, 4, 25)
ACCEPTANCE_OPEN = dt.date(2022, 8, 1)


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return (prefix + pd.Series(numbers).astype(str).str.zfill(width)).to_numpy(dtype=object)


def _groups(teachers: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """(group index of each teacher, groups: school_id, group_id, group_name), groups sorted by school."""
    school = teachers["school_id"].to_numpy().astype(str)
    subject = teachers["subject"].replace({PRESCHOOL_ALIAS: PRESCHOOL_SUBJECT}).to_numpy().astype(str)
    size = pd.Series(school).groupby([school, subject]).transform("size").to_numpy()
    subject = np.where(size < MIN_GROUP, MIXED_GROUP, subject)
    code, keys = pd.factorize(pd.Series(school).str.cat(subject, sep="|"), sort=True)
    parts = pd.Series(keys, dtype=object).str.split("|", n=1, expand=True)
    groups = pd.DataFrame({
        "school_id": parts[0].to_numpy(dtype=object),
        "group_id": _ids("JYZ", np.arange(1, len(keys) + 1), 6),
        "group_name": (parts[1] + "教研组").to_numpy(dtype=object),
    })
    return code, groups


def build(profile: Profile, teachers: pd.DataFrame, participants: np.ndarray, traps: int,
          rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Final truth: activities, participation and acceptance of the vendor roster ``teachers``.

    ``participants``: teacher_no of the online programme's participants (they are the diligent ones).
    """
    first, last = profile.vendor_dates[0], profile.vendor_dates[-1]
    open_at, close_at = seconds(OPEN, 8), seconds(last) - 3 * DAY
    group_of, groups = _groups(teachers)
    n_groups = len(groups)

    # Activities: several per group, published over the programme's months.
    per_group = rng.integers(ACTIVITIES_PER_GROUP[0], ACTIVITIES_PER_GROUP[1] + 1, n_groups)
    group, _ = repeat_index(per_group)
    n_act = group.size
    kind = rng.choice(len(ACTIVITY_TYPES), size=n_act, p=TYPE_SHARES)
    published = between(open_at, close_at, rng, n_act)
    offline = kind == ACTIVITY_TYPES.index(SCHOOL_OFFLINE)
    hours_set = np.where(offline, rng.choice(OFFLINE_HOURS, size=n_act, p=OFFLINE_WEIGHTS), 0)
    evidence_at = np.where(offline & (rng.random(n_act) >= NO_EVIDENCE_SHARE),
                           published + rng.integers(1, 20, n_act) * DAY + rng.integers(0, DAY, n_act), NAT)
    over = rng.choice(np.flatnonzero(offline & (published < close_at - 20 * DAY)), size=2 * traps, replace=False)
    hours_set[over] = rng.choice(OVER_MAX_HOURS, size=over.size)
    evidence_at[over] = published[over] + rng.integers(1, 10, over.size) * DAY

    # Participation: every member of the group, for every activity of it.
    members = np.argsort(group_of, kind="stable")
    size = np.bincount(group_of, minlength=n_groups)
    start = np.cumsum(size) - size
    act, pos = repeat_index(size[group])
    teacher = members[start[group[act]] + pos]
    n_rows = act.size
    active = np.isin(teachers["teacher_no"].to_numpy(), participants)
    diligence = np.where(active, rng.beta(4.0, 1.3, active.size), rng.beta(1.0, 4.0, active.size))
    online_row = ~offline[act]
    done = online_row & (rng.random(n_rows) < diligence[teacher])
    lag = (rng.gamma(2.0, 3.5, n_rows) * DAY).astype(np.int64) + rng.integers(600, 4 * 3600, n_rows)
    completed_at = np.where(done, published[act] + lag, NAT)
    designated = offline[act] & (rng.random(n_rows) < DESIGNATED_SHARE)
    removed = rng.random(active.size) < REMOVED_SHARE
    removed[rng.integers(0, active.size)] = True  # at least one, even in the sample
    removed_at = np.where(removed, between(end_of(first) + 1, seconds(last), rng, active.size), NAT)

    # Data problems that load: an activity the export does not have; activities of unknown schools.
    stray = rng.choice(n_rows, size=traps, replace=False)
    ghosts = rng.choice(n_act, size=traps, replace=False)
    n_all = n_act + traps
    activity_no = np.empty(n_all, dtype=np.int64)
    activity_no[np.lexsort((np.arange(n_all), np.r_[published, published[ghosts]]))] = np.arange(1, n_all + 1)
    ghost_school = _ids(UNKNOWN_SCHOOL, np.arange(1, traps + 1), 3)
    activities = pd.DataFrame({
        "activity_no": activity_no,
        "school_id": np.r_[groups["school_id"].to_numpy()[group], ghost_school],
        "group_id": np.r_[groups["group_id"].to_numpy()[group], _ids("JYZ9", np.arange(1, traps + 1), 5)],
        "group_name": np.r_[groups["group_name"].to_numpy()[group], np.full(traps, MIXED_GROUP + "教研组", object)],
        "type": np.asarray(ACTIVITY_TYPES, dtype=object)[np.r_[kind, kind[ghosts]]],
        "hours_set": np.r_[hours_set, hours_set[ghosts]],
        "published_at": np.r_[published, published[ghosts]],
        "evidence_at": np.r_[evidence_at, evidence_at[ghosts]],
    }).sort_values("activity_no").reset_index(drop=True)
    teacher_no = teachers["teacher_no"].to_numpy()
    participation = pd.DataFrame({
        "activity_no": np.r_[activity_no[act], n_all + UNKNOWN_ACTIVITY_GAP + np.arange(traps)],
        "teacher_no": np.r_[teacher_no[teacher], teacher_no[teacher[stray]]],
        "designated": np.r_[designated, np.zeros(traps, bool)],
        "completed_at": np.r_[completed_at, published[act[stray]] + DAY],
        "removed_at": np.r_[removed_at[teacher], removed_at[teacher[stray]]],
    }).sort_values(["activity_no", "teacher_no"], kind="stable").reset_index(drop=True)

    # 整校验收: every school with members; passed from August on, some not (yet).
    schools = np.unique(groups["school_id"].to_numpy().astype(str))
    u = rng.random(schools.size)
    decided = between(seconds(ACCEPTANCE_OPEN, 9), seconds(last) - 3600, rng, schools.size)
    result = np.where(u < ACCEPTED_SHARE, 1, np.where(u < ACCEPTED_SHARE + (1 - ACCEPTED_SHARE) * FAILED_SHARE, 0, -1))
    acceptance = pd.DataFrame({
        "school_id": schools.astype(object),
        "result": result.astype(np.int8),
        "decided_at": np.where(result >= 0, decided, NAT),
    })
    district = teachers["district"].replace(dict.fromkeys(CITY_DIRECT_ALIASES, CITY_DIRECT))
    roster = pd.DataFrame({"teacher_id": teacher_no, "district": district.to_numpy(dtype=object),
                           "school_id": teachers["school_id"].to_numpy(dtype=object)})
    return {"activities": activities, "participation": participation, "acceptance": acceptance, "roster": roster}


def teacher_hours(activities: pd.DataFrame, participation: pd.DataFrame,
                  acceptance: pd.DataFrame) -> pd.DataFrame:
    """Per teacher of a snapshot (snapshots.py frames): raw, counted, dropped, shortfall, registered, pending.

    The truth the warehouse must reproduce, by the rule of PROGRAMS.md section 1.
    """
    a = activities.set_index("activity_id")
    rows = participation.join(a[["school_id", "group_id", "type", "hours_set", "evidence_uploaded"]],
                              on="activity_id")
    fixed = rows["type"].map(SCHOOL_ONLINE_HOURS).astype(float).to_numpy()
    online = ~np.isnan(fixed) & rows["completed_at"].notna().to_numpy()
    offline = ((rows["type"] == SCHOOL_OFFLINE).to_numpy() & rows["designated"].to_numpy(bool)
               & rows["evidence_uploaded"].astype("boolean").fillna(False).to_numpy(bool))
    hours_set = rows["hours_set"].astype("Float64").fillna(0).to_numpy(float)
    hours = np.where(online, np.nan_to_num(fixed), 0) + np.where(
        offline, np.minimum(hours_set, SCHOOL_OFFLINE_MAX_HOURS), 0)
    per = rows.assign(hours=hours).groupby("teacher_id").agg(
        raw_hours=("hours", "sum"), school_id=("school_id", "first"), group_id=("group_id", "first"))
    per["counted_hours"] = per["raw_hours"].clip(upper=SCHOOL_BASED_CAP)
    per["dropped_hours"] = per["raw_hours"] - per["counted_hours"]
    per["shortfall_hours"] = SCHOOL_BASED_CAP - per["counted_hours"]
    accepted = set(acceptance.loc[acceptance["passed"] == 1, "school_id"])
    per["registered_hours"] = np.where(per["school_id"].isin(accepted), per["counted_hours"], 0)
    per["pending_hours"] = per["counted_hours"] - per["registered_hours"]
    return per


def district_truth(activities: pd.DataFrame, participation: pd.DataFrame, acceptance: pd.DataFrame,
                   roster: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per district (canonical name) at a snapshot: teachers, reached 25, hours counted / registered /
    pending, schools with members whose 整校验收 passed, 线下活动 awaiting evidence (with designated
    members) and the hours they would bring (designated members x the clamped hours), 线下活动 set
    above the maximum."""
    per = teacher_hours(activities, participation, acceptance)
    district_of = roster.set_index("teacher_id")["district"]
    school_district = roster.drop_duplicates("school_id").set_index("school_id")["district"]
    per["district"] = district_of.reindex(per.index).to_numpy()
    teachers = per.groupby("district").agg(
        teachers=("counted_hours", "size"), reached=("shortfall_hours", lambda s: int((s == 0).sum())),
        counted_hours=("counted_hours", "sum"), registered_hours=("registered_hours", "sum"),
        pending_hours=("pending_hours", "sum"))
    passed = set(acceptance.loc[acceptance["passed"] == 1, "school_id"])
    member_schools = per["school_id"].dropna().unique()
    accepted = school_district.reindex([s for s in member_schools if s in passed]).value_counts()
    accepted = accepted.rename("schools_accepted")
    offline = activities[(activities["type"] == SCHOOL_OFFLINE)].set_index("activity_id")
    designated = participation[participation["designated"]].groupby("activity_id").size()
    waiting = offline[~offline["evidence_uploaded"].astype(bool)].join(designated.rename("members"), how="inner")
    waiting = waiting.assign(
        district=school_district.reindex(waiting["school_id"]).to_numpy(),
        hours=waiting["members"] * np.minimum(waiting["hours_set"].astype(float), SCHOOL_OFFLINE_MAX_HOURS))
    awaiting = waiting.groupby("district").agg(awaiting_evidence=("members", "size"), awaiting_hours=("hours", "sum"))
    over = offline[offline["hours_set"].astype(float) > SCHOOL_OFFLINE_MAX_HOURS]
    over_max = school_district.reindex(over["school_id"]).value_counts().rename("over_max_activities")
    table = pd.concat([teachers, accepted, awaiting, over_max], axis=1).fillna(0).astype(np.int64)
    return {district: {k: int(v) for k, v in row.items()} for district, row in table.sort_index().iterrows()}
