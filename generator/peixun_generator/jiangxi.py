"""Jiangxi 全员培训 2021-2022 (seed 003): five vendors' platforms and the bureau's list of vendors.

Each vendor (承训机构, jiangxi_vendors.py) exports from its own source folder in its own dialect:
教师信息 (with 设区市 and 持有教师资格证), 课程目录, 选课记录 on three dates (one in 报名、注册, one in
网络研修与送培送教, one after 考核), and 考核结果 after 考核. The bureau (bureau_jx) delivers 承训机构,
the vendors and the cities each serves (附件1), dated the notice's day. A few teachers of 赣江新区,
which has no vendor, study on the platform of the vendor serving 南昌 and 九江.

What the data holds, so the warehouse has something to find: teachers in post with and without a
teacher's certificate (参训对象 = both), teachers who never study, who start and stop, who pass
part of what they selected or all of it (more than 60 hours for some); 考核结果 合格 for most who
completed and for some who did not (50 hours 合格 is 2 credits); a few courses passed after
网络研修 ended (09-30) and a few assessments dated outside 考核 (10-01..10-15); the 支付状态 column
filled at random (teachers never pay: no rule may read it); the contract's traps (bad dates and
percents, missing keys, duplicate keys, orphan courses and teachers, an unknown district).

All of it is drawn from this module's own random streams (300..309), so the other data sets are
unchanged by it. Bulk work is numpy; the files are written by writers.ExportWriter (DuckDB).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import traps
from .allocation import largest_remainder
from .catalog import REGULAR_TOPICS
from .constants import (
    JX_ASSESSMENT,
    JX_BUREAU_SOURCE,
    JX_EXPORT_DATES,
    JX_NOTICE_DATE,
    JX_PROGRAM,
    JX_REGISTRATION,
    JX_SCHOOL_YEAR,
    JX_STUDY,
    JX_UNIT_PRICE,
    STAGES,
    STATUSES,
)
from .jiangxi_regions import CITIES, NEW_AREA, City
from .jiangxi_vendors import NEW_AREA_VENDOR, VENDORS, Vendor
from .population import _subjects, names, national_ids, phones
from .schema import ASSESSMENT_RESULTS, COURSES, ENROLLMENTS, INSTITUTIONS, JX_TEACHERS
from .timeline import DAY, NAT, end_of, seconds, to_datetime
from .writers import ExportWriter

STREAM = 300  # this data set's random streams: 300..309
GENERAL_TOPICS = (  # 通识课程 of the notice (四、2)
    "“红色文化”教材使用", "“赣教云•教学通”平台使用", "“中小学思政课”建设", "劳动教育课程设置", "新高考改革",
    "信息技术应用能力", "疫情防控知识", "依法治教", "师德师风教育", "校园安全", "教育教学方法与教学改革",
    "教师职业生涯规划", "班级管理", "心理健康教育", "线上教学技能", "线上教学学生差异化辅导策略",
)
GENERAL_SHARE = 0.3
STAGE_WEIGHTS = np.array([0.18, 0.42, 0.22, 0.10, 0.05, 0.03])  # 幼儿园 小学 初中 高中 中职 特殊教育
STAGE_SCHOOL_SIZE = np.array([15, 45, 60, 90, 70, 20])
SCHOOL_SUFFIX = ("幼儿园", "小学", "中学", "高级中学", "职业中学", "特殊教育学校")
STATUS_WEIGHTS = np.array([0.96, 0.015, 0.015, 0.01])
CERTIFICATE_SHARE = 0.95
FULL_TIME_SHARE = 0.93
PRIVATE_SHARE = 0.06
PAID_SHARE = 0.3  # 支付状态 / 是否缴费 set at random: the program never charges teachers

# How a teacher takes part: none (no course), idle (selected, never studied), started (studied, passed
# nothing), partial (passed some of what was selected), complete (passed all of it).
ENGAGEMENTS = ("none", "idle", "started", "partial", "complete")
ENGAGEMENT_ELIGIBLE = np.array([0.02, 0.05, 0.03, 0.10, 0.80])
ENGAGEMENT_OTHER = np.array([0.55, 0.10, 0.05, 0.05, 0.25])  # not in post, or no certificate
DESIGNED_HOURS = 60  # the hours a teacher selects at least (每年设计60学时)
EXTRA_HOURS_SHARE = 0.3  # select up to 20 hours more
LATE_REGISTRATION_SHARE = 0.15  # select courses after 报名、注册 closed
LATE_START_SHARE = 0.2  # start studying 10 to 60 days after they could
LATE_STUDY_SHARE = 0.01  # finish after 网络研修 closed (09-30): study outside its phase
LATE_ASSESSMENT_SHARE = 0.003  # assessed after 考核 closed (10-15)
PASS_IF_COMPLETE = 0.97
PASS_IF_PARTIAL = ((40, 0.7), (20, 0.35), (0, 0.05))  # (earned hours at least, chance of 合格)


@dataclass(frozen=True)
class JiangxiProfile:
    teachers: int  # in the 11 cities
    new_area_teachers: int  # in 赣江新区, which has no vendor
    courses_per_vendor: int
    course_hours: tuple[int, ...]
    hours_weights: tuple[float, ...]
    traps: int  # of each kind, per vendor with traps


PROFILES = {
    # The bundled sample: about 1,000 teachers, 3-4 courses each (the bundled data/raw stays small).
    "sample": JiangxiProfile(1_000, 6, 24, (10, 15, 20, 30), (0.25, 0.3, 0.25, 0.2), 1),
    # Jiangxi's size: about 400,000 teachers, about 10 courses each (4 million enrollments after 考核).
    "jiangxi": JiangxiProfile(400_000, 60, 120, (4, 5, 6, 8, 10), (0.2, 0.25, 0.3, 0.15, 0.1), 5),
}
TRAP_SOURCES = ("jx_srt", "jx_jjw", "jx_aopeng")


def _at(day: str, hour: int = 0) -> int:
    return seconds(dt.date.fromisoformat(day), hour)


def _uniform(lo: int | np.ndarray, hi: int | np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    lo = np.asarray(lo, dtype=np.int64)
    return lo + ((np.asarray(hi, dtype=np.int64) - lo) * rng.random(n)).astype(np.int64)


def _vendor_of(city: City) -> Vendor:
    if city is NEW_AREA:
        return next(v for v in VENDORS if v.source == NEW_AREA_VENDOR)
    return next(v for v in VENDORS if city.name in v.cities)


def teachers(profile: JiangxiProfile, rng: np.random.Generator) -> pd.DataFrame:
    """Every teacher of the province: city, district, school, post, certificate, engagement, vendor."""
    cities = (*CITIES, NEW_AREA)
    counts = np.append(largest_remainder(profile.teachers, np.array([c.weight for c in CITIES])),
                       profile.new_area_teachers)
    city = np.repeat(np.arange(len(cities)), counts)
    n = city.size
    district = np.empty(n, dtype=object)
    district_code = np.empty(n, dtype=object)
    for i, c in enumerate(cities):  # twelve cities: the rows of each are drawn in bulk
        mine = np.flatnonzero(city == i)
        weights = np.ones(len(c.districts))
        weights[0] = 2.0  # the city proper has more schools
        pick = rng.choice(len(c.districts), size=mine.size, p=weights / weights.sum())
        district[mine] = np.asarray([d[0] for d in c.districts], dtype=object)[pick]
        district_code[mine] = np.asarray([d[1] for d in c.districts], dtype=object)[pick]
    stage = rng.choice(len(STAGES), size=n, p=STAGE_WEIGHTS)
    frame = pd.DataFrame({"city_idx": city, "district": district, "district_code": district_code, "stage_idx": stage})
    # Schools: per district and stage, enough for their teachers; a teacher joins one at random.
    size = frame.groupby(["district_code", "stage_idx"])["city_idx"].transform("size").to_numpy()
    n_schools = np.maximum(1, np.ceil(size / STAGE_SCHOOL_SIZE[stage])).astype(np.int64)
    school_no = (rng.random(n) * n_schools).astype(np.int64) + 1
    school_id = (district_code.astype(str) + (stage + 1).astype(str) + np.char.zfill(school_no.astype(str), 3))
    suffix = np.asarray(SCHOOL_SUFFIX, dtype=object)[stage]
    school_name = district + "第" + school_no.astype(str).astype(object) + suffix
    schools, first = np.unique(school_id, return_inverse=True)
    private = (rng.random(schools.size) < PRIVATE_SHARE)[first]
    status = rng.choice(len(STATUSES), size=n, p=STATUS_WEIGHTS)
    holds = rng.random(n) < CERTIFICATE_SHARE
    eligible = (status == 0) & holds
    u = rng.random(n)
    engagement = np.where(eligible, np.searchsorted(np.cumsum(ENGAGEMENT_ELIGIBLE), u, side="right"),
                          np.searchsorted(np.cumsum(ENGAGEMENT_OTHER), u, side="right"))
    region = np.where(rng.random(n) < 0.2, np.asarray([c.districts[0][1] for c in CITIES])[
        rng.integers(0, len(CITIES), n)], district_code.astype(str))  # some were born in another city
    vendors = [_vendor_of(c) for c in cities]
    source = np.asarray([v.source for v in vendors], dtype=object)[city]
    return frame.assign(
        city=np.asarray([c.name for c in cities], dtype=object)[city],
        national_id=national_ids(region.astype(str), rng),
        name=names(n, rng),
        phone=phones(n, rng),
        school_id=school_id.astype(object),
        school_name=school_name,
        school_ownership=np.where(private, "民办", "公办").astype(object),
        stage=np.asarray(STAGES, dtype=object)[stage],
        subject=_subjects(stage, rng),
        is_full_time=rng.random(n) < FULL_TIME_SHARE,
        status=np.asarray(STATUSES, dtype=object)[status],
        holds_certificate=holds,
        engagement=np.minimum(engagement, len(ENGAGEMENTS) - 1),
        source=source,
    )


def courses(profile: JiangxiProfile, rng: np.random.Generator) -> pd.DataFrame:
    """A vendor's catalog: 通识课程 on the notice's topics, 专业课程 per subject."""
    c = profile.courses_per_vendor
    hours = rng.choice(np.asarray(profile.course_hours), size=c, p=np.asarray(profile.hours_weights))
    general = rng.random(c) < GENERAL_SHARE
    subject = _subjects(rng.choice(len(STAGES), size=c, p=STAGE_WEIGHTS), rng)
    topic = np.asarray(REGULAR_TOPICS, dtype=object)[rng.integers(0, len(REGULAR_TOPICS), c)]
    general_topic = np.asarray(GENERAL_TOPICS, dtype=object)[rng.integers(0, len(GENERAL_TOPICS), c)]
    number = "（" + (np.arange(c) + 1).astype(str).astype(object) + "）"
    return pd.DataFrame({
        "course_id": np.arange(1, c + 1, dtype=np.int64),
        "course_name": np.where(general, general_topic, subject + topic) + number,
        "category": np.where(general, "通识课程", "专业课程").astype(object),
        "community": None,
        "subject": np.where(general, "通识", subject).astype(object),
        "credit_hours": hours.astype(np.int64),
        "tutor_id": np.zeros(c, dtype=np.int64),
    })


def enrollments(roster: pd.DataFrame, catalog: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Final truth of a vendor's 选课记录: what each teacher selected, studied and passed, and when.

    A teacher selects consecutive courses of the catalog from a random start until the selected
    hours reach a target (60, or up to 80); course i is studied between two instants of the
    teacher's study span and, if passed, passed at the end of it.
    """
    hours = catalog["credit_hours"].to_numpy()
    c, n = hours.size, len(roster)
    engagement = roster["engagement"].to_numpy()
    target = DESIGNED_HOURS + np.where(rng.random(n) < EXTRA_HOURS_SHARE, rng.integers(1, 21, n), 0)
    width = min(c, -(-(DESIGNED_HOURS + 20) // int(hours.min())) + 1)
    pick = (rng.integers(0, c, n)[:, None] + np.arange(width)) % c
    selected = (np.cumsum(hours[pick], axis=1) < target[:, None]).sum(axis=1) + 1
    selected = np.where(engagement == ENGAGEMENTS.index("none"), 0, selected)
    partial = engagement == ENGAGEMENTS.index("partial")
    passes = np.select(
        [engagement == ENGAGEMENTS.index("complete"), partial],
        [selected, (rng.random(n) * np.maximum(selected - 1, 1)).astype(np.int64) + 1], 0)
    # When: selection in 报名、注册 (some later); study from 网络研修's start until a finish by 09-30 (a few later).
    late = rng.random(n) < LATE_REGISTRATION_SHARE
    enrolled = np.where(late, _uniform(_at(JX_STUDY[0], 8), _at("2022-08-20", 20), rng, n),
                        _uniform(_at(JX_REGISTRATION[0], 8), _at(JX_REGISTRATION[1], 20), rng, n))
    start = np.maximum(enrolled, _at(JX_STUDY[0], 8)) + np.where(
        rng.random(n) < LATE_START_SHARE, _uniform(10 * DAY, 60 * DAY, rng, n), _uniform(0, 10 * DAY, rng, n))
    finish = _uniform(_at("2022-08-10", 8), _at(JX_STUDY[1], 20), rng, n)
    finish = np.where(rng.random(n) < LATE_STUDY_SHARE, _uniform(_at("2022-10-02", 8), _at("2022-10-12", 20), rng, n),
                      finish)
    finish = np.maximum(finish, start + 3 * DAY)

    owner = np.repeat(np.arange(n), selected)
    position = np.arange(owner.size) - np.repeat(np.cumsum(selected) - selected, selected)
    k = selected[owner]
    span = (finish - start)[owner]
    course_start = start[owner] + span * position // k
    course_end = start[owner] + span * (position + 1) // k
    passed = position < passes[owner]
    in_progress = (position == passes[owner]) & np.isin(engagement[owner], [ENGAGEMENTS.index("partial"),
                                                                             ENGAGEMENTS.index("started")])
    progress = np.where(passed, 1000, np.where(in_progress, rng.integers(50, 950, owner.size), 0))
    return pd.DataFrame({
        "enrollment_no": np.arange(1, owner.size + 1, dtype=np.int64),
        "teacher_no": roster["teacher_no"].to_numpy()[owner],
        "course_no": catalog["course_id"].to_numpy()[pick[owner, position]],
        "credit_hours": hours[pick[owner, position]],
        "enrolled_at": enrolled[owner] + position * 60,
        "course_start": course_start,
        "course_end": course_end,
        "progress": progress.astype(np.int16),
        "result": np.where(passed, 1, -1).astype(np.int8),
        "paid": rng.random(owner.size) < PAID_SHARE,
    })


def snapshot(final: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """选课记录 as of ``as_of``: progress grows over each course's span; a pass shows once it happened."""
    f = final[final["enrolled_at"].to_numpy() <= as_of]
    begin, end = f["course_start"].to_numpy(), f["course_end"].to_numpy()
    share = np.clip((as_of - begin) / np.maximum(end - begin, 1), 0.0, 1.0)
    done = (f["result"].to_numpy() == 1) & (end <= as_of)
    progress = np.floor(f["progress"].to_numpy() * share).astype(np.int16)
    progress = np.where(done, progress, np.minimum(progress, 999))
    return pd.DataFrame({
        "enrollment_id": f["enrollment_no"].to_numpy(),
        "teacher_id": f["teacher_no"].to_numpy(),
        "course_id": f["course_no"].to_numpy(),
        "enrolled_at": to_datetime(f["enrolled_at"].to_numpy()),
        "paid": f["paid"].to_numpy(),
        "progress": progress,
        "passed": np.where(done, 1, -1).astype(np.int8),
        "hours_earned": np.where(done, f["credit_hours"].to_numpy(), 0),
        "passed_at": to_datetime(np.where(done, end, NAT)),
    })


def results(roster: pd.DataFrame, final: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """考核结果 of everyone who selected a course: 合格 for most who completed, some who did not."""
    earned = final.loc[final["result"].to_numpy() == 1].groupby("teacher_no")["credit_hours"].sum()
    who = roster.loc[roster["teacher_no"].isin(final["teacher_no"].unique())]
    n = len(who)
    hours = earned.reindex(who["teacher_no"].to_numpy(), fill_value=0).to_numpy()
    engagement = who["engagement"].to_numpy()
    chance = np.select([hours >= at for at, _ in PASS_IF_PARTIAL], [p for _, p in PASS_IF_PARTIAL], 0.0)
    chance = np.where(engagement == ENGAGEMENTS.index("complete"), PASS_IF_COMPLETE, chance)
    chance = np.where(hours == 0, 0.0, chance)
    day = _uniform(_at(JX_ASSESSMENT[0]), _at(JX_ASSESSMENT[1]) + DAY, rng, n) // DAY * DAY
    late = rng.random(n) < LATE_ASSESSMENT_SHARE
    day = np.where(late, _at("2022-10-16") + rng.integers(0, 4, n) * DAY, day)
    return pd.DataFrame({
        "teacher_id": who["teacher_no"].to_numpy(),
        "result": (rng.random(n) < chance).astype(np.int8),
        "assessed_at": to_datetime(day),
    })


def _result_traps(frame: pd.DataFrame, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """A teacher's result delivered twice, the second time flipped: a duplicate key, quarantined."""
    src = rng.choice(len(frame), size=count, replace=False)
    rows = frame.iloc[src].reset_index(drop=True)
    rows["result"] = (1 - rows["result"]).astype(np.int8)
    rows["__pos"] = 2 * np.minimum(src + 3, len(frame) - 1) + 1
    return rows


def _roster_frame(roster: pd.DataFrame, vendor: Vendor) -> pd.DataFrame:
    """教师信息 as the vendor writes it: its teacher numbers, the city in its long or short form."""
    frame = roster.rename(columns={"teacher_no": "teacher_id"})[[c.name for c in JX_TEACHERS.columns]].copy()
    if not vendor.long_city_names:
        frame["city"] = frame["city"].map({c.name: c.short for c in (*CITIES, NEW_AREA)})
    return frame


def _bureau() -> pd.DataFrame:
    rows = [(v.institution, city) for v in VENDORS for city in v.cities]
    return pd.DataFrame({"institution": [r[0] for r in rows], "city": [r[1] for r in rows], "program": JX_PROGRAM,
                         "school_year": JX_SCHOOL_YEAR, "unit_price": JX_UNIT_PRICE})


def generate(scale: str, out: Path, seed: int) -> dict:
    """Write the Jiangxi exports of ``scale`` (sample | jiangxi) under ``out``; return rows written per file."""
    profile = PROFILES[scale]
    for source in (*(v.source for v in VENDORS), JX_BUREAU_SOURCE):
        shutil.rmtree(out / source, ignore_errors=True)

    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, STREAM + stream])

    people = teachers(profile, rng(1))
    course_rng, enrollment_rng, result_rng, trap_rng = rng(2), rng(3), rng(4), rng(5)
    writer = ExportWriter(out, rng(0))
    days = [dt.date.fromisoformat(d) for d in JX_EXPORT_DATES]
    try:
        writer.write(JX_BUREAU_SOURCE, dt.date.fromisoformat(JX_NOTICE_DATE), INSTITUTIONS, _bureau())
        for vendor in VENDORS:
            roster = people.loc[people["source"].to_numpy() == vendor.source].reset_index(drop=True)
            roster["teacher_no"] = np.arange(1, len(roster) + 1, dtype=np.int64)
            catalog = courses(profile, course_rng)
            final = enrollments(roster, catalog, enrollment_rng)
            verdicts = results(roster, final, result_rng)
            frame = _roster_frame(roster, vendor)
            trapped = vendor.source in TRAP_SOURCES
            teacher_traps = traps.teachers(frame, profile.traps, trap_rng) if trapped else None
            program = {"program": vendor.program, "period": JX_SCHOOL_YEAR}
            for day in days:
                snap = snapshot(final, end_of(day))
                kept = {"container": vendor.container}
                writer.write(vendor.source, day, JX_TEACHERS, frame, teacher_traps, **kept)
                writer.write(vendor.source, day, COURSES, catalog, None, program, **kept)
                enrollment_traps = traps.enrollments(snap, vendor.dialect, profile.traps, trap_rng) if trapped else None
                writer.write(vendor.source, day, ENROLLMENTS, snap, enrollment_traps, {"period": JX_SCHOOL_YEAR},
                             **kept)
                if day >= dt.date.fromisoformat(JX_ASSESSMENT[1]):
                    writer.write(vendor.source, day, ASSESSMENT_RESULTS, verdicts,
                                 _result_traps(verdicts, profile.traps, trap_rng) if trapped else None,
                                 {"program": vendor.program, "school_year": JX_SCHOOL_YEAR}, **kept)
    finally:
        writer.close()
    return dict(sorted(writer.written.items()))
