"""Export generator (sample scale): determinism, contract, traps, and calibration recomputed
independently from the written files (the way a warehouse would read them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path

import fastexcel
import numpy as np
import pandas as pd
import pytest
from peixun_generator import calibration_targets, generate, itp1, population, snapshots
from peixun_generator.profiles import get_profile
from peixun_generator.timeline import end_of

CITY_HEADERS = {
    "教师信息": "教师编号 身份证号 姓名 手机号码 区域 学校编号 学校名称 办学性质 学段 任教学科 是否专任教师 在职状态",
    "课程目录": "课程编号 课程名称 培训项目 期次 课程类别 社区 学科 学时 辅导教师编号",
    "选课记录": "选课编号 教师编号 课程编号 期次 选课时间 支付状态 学习进度 是否通过 获得学时 通过时间",
    "注册登录": "教师编号 培训项目 期次 注册时间 首次登录时间 登录次数 发帖数 提交作业数",
    "辅导教师": "辅导教师编号 区域 课程编号 班级编号",
    "满意度调查": "问卷编号 教师编号 课程编号 评价项目 满意度",
    "应参训人数": "培训项目 期次 区域 应参训人数 统计口径 口径日期",
    "发展测评": "教师编号 区域 测评开始日期 测评结束日期 是否完成 完成时间",
    "项目报告指标": "培训项目 期次 区域 指标 报告值 截止日期 来源文件",
}
VENDOR_HEADERS = {
    "教师信息": "学员编号 证件号码 学员姓名 联系电话 所属区县 单位编码 单位名称 学校类型 任教学段 学科 "
    "专任教师 人员状态",
    "课程目录": "课程代码 课程名称 项目名称 培训期次 课程类型 所属社区 学科 课程学时 辅导老师工号",
    "选课记录": "订单号 学员编号 课程代码 培训期次 报名时间 是否缴费 学习进度 考核结果 获得学时 合格时间",
    "注册登录": "学员编号 项目名称 培训期次 注册日期 首次登录 登录次数 研讨发帖数 作业提交数",
    "工作坊": "学员编号 坊编号 培训期次 加入时间 是否完成 成果提交 认证结果",
    "考核成绩": "学员编号 项目名称 培训期次 班级 课程学习时长 有效发言数 研修心得 作业考核 互评次数 实践成绩 "
    "成果成绩 是否优秀",
    "满意度调查": "问卷编号 教师编号 课程编号 评价项目 满意度",
    "校本研修活动": "活动ID 单位编码 教研组ID 教研组 项目名称 培训期次 活动类型 活动学时 佐证材料 发布日期",
    "校本研修参与": "活动ID 学员编号 是否指定 完成日期",
    "整校验收": "单位编码 项目名称 培训期次 是否通过 验收日期",
}
VENDOR_SOURCES = ("vendor_jjw", "vendor_ahtvu")
# Canonical column names, in header order, shared by both dialects.
CANON = {
    "教师信息": "teacher_id national_id name phone district school_id school_name ownership stage subject "
    "full_time status",
    "课程目录": "course_id course_name program period category community subject hours tutor_id",
    "选课记录": "enrollment_id teacher_id course_id period enrolled_at paid progress passed hours_earned passed_at",
    "注册登录": "teacher_id program period registered_at first_login login_count posts homework",
    "工作坊": "teacher_id workshop_id period joined_at completed submitted certified",
    "辅导教师": "tutor_id district course_id class_id",
    "满意度调查": "response_id teacher_id course_id item level",
    "应参训人数": "program period district expected basis as_of",
    "发展测评": "teacher_id district window_start window_end completed completed_at",
    "校本研修活动": "activity_id school_id group_id group_name program period type hours_set evidence published_at",
    "校本研修参与": "activity_id teacher_id designated completed_at",
    "整校验收": "school_id program period passed passed_at",
}
DATE_COLUMNS = {"enrolled_at", "passed_at", "registered_at", "first_login", "joined_at", "window_start", "window_end",
                "completed_at", "published_at"}
KEYS = {"选课记录": ["enrollment_id", "teacher_id"], "教师信息": ["teacher_id"], "课程目录": ["course_id"],
        "发展测评": ["teacher_id", "window_start"], "校本研修活动": ["activity_id"],
        "校本研修参与": ["activity_id", "teacher_id"], "整校验收": ["school_id"]}
DISTRICT_ALIASES = {"市直属学校": "市直属", "市直": "市直属"}
SUBJECT_ALIASES = {"学前教育": "幼教"}
FILE_RE = re.compile(r"^(?P<entity>[^_.]+)(?:_(?P<stamp>\d{8}))?\.(?:csv|xlsx)$")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sample")
    return out, generate("sample", out)


def read_raw(path: Path) -> tuple[list[str], pd.DataFrame]:
    """Header and all-text rows of one export file, as delivered."""
    if path.suffix == ".xlsx":
        sheet = fastexcel.read_excel(path).load_sheet(0, header_row=1, dtypes="string")
        frame = sheet.to_pandas().fillna("")
        frame = frame[(frame != "").any(axis=1)]  # vendors append empty rows
        return list(frame.columns), frame
    vendor = "vendor_" in path.parent.parent.name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030" if vendor else "utf-8-sig")
    return list(frame.columns), frame


def in_force(folder: Path) -> dict[str, Path]:
    """Entity -> file in force (latest _YYYYMMDD suffix; no suffix counts as oldest)."""
    best: dict[str, tuple[str, Path]] = {}
    for path in folder.iterdir():
        m = FILE_RE.match(path.name)
        stamp = m["stamp"] or ""
        if m["entity"] not in best or stamp > best[m["entity"]][0]:
            best[m["entity"]] = (stamp, path)
    return {entity: path for entity, (_, path) in best.items()}


def _parse_dates(values: pd.Series) -> pd.Series:
    out = pd.to_datetime(values, format="ISO8601", errors="coerce")
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%Y年%m月%d日"):
        out = out.fillna(pd.to_datetime(values, format=fmt, errors="coerce"))
    return out


def load(path: Path) -> pd.DataFrame:
    """Canonical, cleaned rows of one file; unparseable rows and duplicate keys dropped."""
    entity = FILE_RE.match(path.name)["entity"]
    _, raw = read_raw(path)
    frame = raw.set_axis(CANON[entity].split(), axis=1)
    frame = frame.apply(lambda s: s.map(lambda v: unicodedata.normalize("NFKC", v).strip()))
    ok = pd.Series(True, index=frame.index)
    for col in KEYS.get(entity, []):
        ok &= frame[col] != ""
    for col in DATE_COLUMNS & set(frame.columns):
        parsed = _parse_dates(frame[col])
        ok &= (frame[col] == "") | parsed.notna()
    if "progress" in frame:
        frame["progress"] = pd.to_numeric(frame["progress"].str.rstrip("%"), errors="coerce")
        ok &= frame["progress"].between(0, 100)
    if "hours" in frame:
        frame["hours"] = pd.to_numeric(frame["hours"], errors="coerce")
        ok &= frame["hours"].notna()
    if "district" in frame:
        frame["district"] = frame["district"].replace(DISTRICT_ALIASES)
    if "subject" in frame:
        frame["subject"] = frame["subject"].replace(SUBJECT_ALIASES)
    frame = frame[ok]
    if entity == "选课记录":
        frame = frame[~frame["enrollment_id"].duplicated()]
        frame = frame.assign(hours_earned=pd.to_numeric(frame["hours_earned"]))
    if entity == "校本研修活动":
        hours = pd.to_numeric(frame["hours_set"], errors="coerce")
        frame = frame[(frame["hours_set"] == "") | hours.notna()].assign(hours_set=hours)
        frame = frame[~frame["activity_id"].duplicated()]
    if entity == "校本研修参与":
        frame = frame[~frame[KEYS[entity]].duplicated()]
    return frame


def _snapshot(root: Path, source: str, day: str | None = None) -> dict[str, pd.DataFrame]:
    folders = sorted((root / source).iterdir())
    folder = folders[-1] if day is None else root / source / day
    return {entity: load(path) for entity, path in in_force(folder).items()}


def _paid_enrollments(s: dict[str, pd.DataFrame], program: str, paid_word: str) -> pd.DataFrame:
    courses = s["课程目录"]
    courses = courses[(courses["program"] == program) & (courses["period"] == "2201")]
    e = s["选课记录"].merge(courses[["course_id", "category"]], on="course_id")
    e = e.merge(s["教师信息"][["teacher_id", "district"]], on="teacher_id")
    return e.assign(paid=e["paid"] == paid_word)


def itp2_tables(root: Path, day: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    s = _snapshot(root, "vendor_jjw", day)
    e = _paid_enrollments(s, "能力提升工程2.0", "已支付")
    e = e[e["paid"]].assign(learning=lambda x: x["progress"] > 0, passed=lambda x: x["passed"] == "通过")
    enr = e.groupby("district").agg(
        enrollments_paid=("paid", "size"), enrollments_learning=("learning", "sum"),
        enrollments_passed=("passed", "sum"))
    hours = e[e["passed"]].groupby("teacher_id")["hours_earned"].sum()
    district = s["教师信息"].set_index("teacher_id")["district"]
    reg = s["注册登录"]
    participants = reg.loc[(reg["first_login"] != "") & (reg["program"] == "能力提升工程2.0"), "teacher_id"]
    w = s["工作坊"]
    done = w["completed"] == "Y"
    sub = done & (w["submitted"] == "Y")
    sets = {
        "participants": set(participants),
        "course_selected": set(e["teacher_id"]),
        "course_completed": set(hours[hours >= 25].index),
        "workshop_selected": set(w["teacher_id"]),
        "workshop_completed": set(w.loc[done, "teacher_id"]),
        "submitted": set(w.loc[sub, "teacher_id"]),
        "certified": set(w.loc[sub & (w["certified"] == "通过"), "teacher_id"]),
    }
    teachers = pd.DataFrame({k: district.loc[list(v)].value_counts() for k, v in sets.items()}).fillna(0)
    return teachers.astype(int), enr.astype(int)


def _bureau(root: Path, program: str) -> pd.Series:
    b = _snapshot(root, "bureau")["应参训人数"]
    b = b[b["program"] == program]
    return b.set_index("district")["expected"].astype(int)


def _check(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    expected = expected.set_index(expected.columns[0])
    pd.testing.assert_frame_equal(actual.loc[expected.index, expected.columns], expected,
                                  check_dtype=False, check_names=False)


def test_deterministic(sample: tuple[Path, dict], tmp_path: Path) -> None:
    root, summary = sample
    again = generate("sample", tmp_path)
    assert summary["files"] == again["files"]
    for name in summary["files"]:
        assert _sha(root / name) == _sha(tmp_path / name), name


GUANGZHOU_SOURCES = ("gz_city", "vendor_jjw", "bureau", "gz_itp1")  # Jiangxi's: tests/test_generate_jiangxi.py


def test_layout_headers_and_dialects(sample: tuple[Path, dict]) -> None:
    root, summary = sample
    files = [f for f in summary["files"] if f.split("/")[0] in GUANGZHOU_SOURCES]
    gansu = [f for f in summary["files"] if f.split("/")[0] in ("vendor_ahtvu", "bureau_tianshui")]
    assert sum((root / f).stat().st_size for f in files) <= 5.6e6  # with the vendor's 校本研修 files
    assert sum((root / f).stat().st_size for f in gansu) <= 1.5e6  # one fixed project, the same at every scale
    for name in files + gansu:
        path = root / name
        source, day, file = name.split("/")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
        entity = FILE_RE.match(file)["entity"]
        header, _ = read_raw(path)
        if source in VENDOR_SOURCES:
            assert header == VENDOR_HEADERS[entity].split(), name
            if path.suffix == ".xlsx":
                title = fastexcel.read_excel(path).load_sheet(0, header_row=None, n_rows=1).to_pandas().iat[0, 0]
                assert re.fullmatch(rf".+（截止{day[:4]}年\d+月\d+日）", title)
            else:
                path.read_bytes().decode("gb18030")
        else:
            assert header == CITY_HEADERS[entity].split(), name
            assert path.suffix == ".csv" and path.read_bytes().startswith(b"\xef\xbb\xbf")
    city = root / "gz_city" / "2022-06-30" / "选课记录.csv"
    row = r"\nE2201\d{8},T\d{7},C2201\d{4},2201,2022-\d\d-\d\d \d\d:\d\d:\d\d,[是否],\d+,"
    assert re.search(row, city.read_text("utf-8-sig"))
    _, vendor = read_raw(root / "vendor_jjw" / "2022-09-19" / "选课记录_20220920.xlsx")
    assert vendor["学习进度"].str.fullmatch(r"[\d０-９]+(\.[\d０-９])?%|abc%").all()
    assert set(vendor["是否缴费"]) == {"已支付", "未支付"} and set(vendor["考核结果"]) == {"通过", "未通过", ""}
    assert vendor["报名时间"].str.contains("/").any() and vendor["报名时间"].str.contains("年").any()


def test_itp2_calibration(sample: tuple[Path, dict]) -> None:
    root, _ = sample
    targets = calibration_targets("sample")
    teachers, enrollments = itp2_tables(root)
    teachers["expected_teachers"] = _bureau(root, "能力提升工程2.0")
    _check(teachers, targets["itp2_district_teachers"])
    _check(enrollments, targets["itp2_district_enrollments"])


def test_snapshots_never_fall(sample: tuple[Path, dict]) -> None:
    root, _ = sample
    days = sorted(p.name for p in (root / "vendor_jjw").iterdir())
    assert len(days) >= 2
    (t0, e0), (t1, e1) = itp2_tables(root, days[0]), itp2_tables(root, days[-1])
    assert (t0.reindex_like(t1).fillna(0) <= t1).all().all() and (e0 <= e1).all().all()
    assert (e0 < e1).any().any()


def test_regular_calibration(sample: tuple[Path, dict]) -> None:
    root, _ = sample
    targets = calibration_targets("sample")
    s = _snapshot(root, "gz_city")
    courses = s["课程目录"]
    e = _paid_enrollments(s, "市常规远程培训", "是")
    paid = e[e["paid"]].assign(learning=lambda x: x["progress"] > 0, passed=lambda x: x["passed"] == "是")
    reg = s["注册登录"]
    totals = {
        "courses": len(courses), "courses_with_tutor": int((courses["tutor_id"] != "").sum()),
        "tutors": s["辅导教师"]["tutor_id"].nunique(), "expected_teachers": int(_bureau(root, "市常规远程培训").sum()),
        "participants": paid["teacher_id"].nunique(), "enrollments_paid": len(paid),
        "enrollments_learning": int(paid["learning"].sum()), "enrollments_passed": int(paid["passed"].sum()),
        "public_enrollments_paid": int((paid["category"] == "公需").sum()),
        "login_count": int(reg["login_count"].astype(int).sum()), "posts": int(reg["posts"].astype(int).sum()),
        "homework_submitted": int(reg["homework"].astype(int).sum()), "survey_responses": len(s["满意度调查"]),
    }
    assert totals == targets["regular_totals"].iloc[0].to_dict()

    per_course = paid.groupby("course_id").agg(n=("passed", "size"), k=("passed", "sum"))
    tenths = per_course["k"] * 10 // per_course["n"]  # exact: floor of rate in tenths
    bucket = tenths.map(lambda t: ">=90%" if t >= 9 else f"{t * 10}-{t * 10 + 10}%" if t >= 6 else "<60%")
    counts = bucket.value_counts()
    counts["no enrollments"] = (~courses["course_id"].isin(e["course_id"])).sum()
    _check(counts.to_frame("courses"), targets["regular_course_buckets"])
    rate = (per_course["k"] / per_course["n"]).to_numpy()[:, None]
    assert (abs(rate - [[0.6, 0.7, 0.8, 0.9]]) >= 0.003 - 1e-12).all()  # >= 0.3 pp off every bucket edge
    _check(s["满意度调查"]["level"].value_counts().to_frame("responses"), targets["regular_tutor_satisfaction"])
    by_district = pd.DataFrame({"participants": paid.groupby("district")["teacher_id"].nunique(),
                                "expected_teachers": _bureau(root, "市常规远程培训")})
    _check(by_district, targets["regular_district_teachers"])


def itp1_tables(root: Path, day: str | None = None) -> dict[str, pd.DataFrame]:
    """The four ITP 1.0 tables (counts) recomputed from gz_itp1's files and the bureau's targets."""
    s = _snapshot(root, "gz_itp1", day)
    courses = s["课程目录"]
    courses = courses.loc[courses["program"] == "能力提升工程", ["course_id", "period", "community", "subject"]]
    teachers = s["教师信息"]
    e = s["选课记录"].drop(columns="period").merge(courses, on="course_id")
    e = e.merge(teachers[["teacher_id", "district"]], on="teacher_id")
    e = e[e["paid"] == "是"].assign(learning=lambda x: x["progress"] > 0, passed=lambda x: x["passed"] == "是")

    p = e[e["period"] == "1702"]
    by_community = p.groupby(["community", "teacher_id"]).agg(learning=("learning", "any"), passed=("passed", "any"))
    by_community["completed"] = by_community["learning"] & by_community["passed"]
    passed = by_community["passed"].unstack("community", fill_value=False)
    period_done = passed["学习社区"] & passed["研修社区"]
    by_subject = p.groupby(["subject", "teacher_id"])["learning"].any().reset_index()
    by_subject["completed"] = by_subject["learning"] & by_subject["teacher_id"].map(period_done).fillna(False)

    def counts(frame: pd.DataFrame, key: str) -> pd.DataFrame:
        return frame.groupby(key).agg(enrolled_teachers=("learning", "size"), learning_teachers=("learning", "sum"),
                                      completed_teachers=("completed", "sum"))

    hours = e[e["passed"]].groupby("teacher_id")["hours_earned"].sum()
    district = teachers.set_index("teacher_id")["district"]
    participants = pd.Index(e["teacher_id"].unique())
    graduates = hours.index[hours >= 50]
    on_roster = teachers.set_index("teacher_id").eval("status == '在职' and full_time == '是'")
    bureau = _snapshot(root, "bureau")["应参训人数"]
    bureau = bureau[(bureau["program"] == "能力提升工程") & (bureau["period"] == "ALL")]
    progress = pd.DataFrame({
        "full_time_teachers": bureau.set_index("district")["expected"].astype(int),
        "participants": district.loc[participants].value_counts(),
        "graduates": district.loc[graduates].value_counts(),
        "outside_roster": district.loc[participants[~on_roster.loc[participants].to_numpy()]].value_counts(),
    }).fillna(0).astype(int)

    a = s["发展测评"]
    start, end = pd.to_datetime(a["window_start"]), pd.to_datetime(a["window_end"])
    at = pd.to_datetime(a["completed_at"].replace("", None))
    done = (a["completed"] == "是") & (at >= start) & (at < end + pd.Timedelta(days=1))
    a = a.assign(window=a["window_start"] + ".." + a["window_end"], done=done)
    assessment = a.groupby(["district", "window"]).agg(expected=("done", "size"), completed=("done", "sum"))
    return {
        "itp1_subject": counts(by_subject, "subject"),
        "itp1_community": counts(by_community.reset_index(), "community"),
        "itp1_district_progress": progress,
        "itp1_assessment": assessment.reset_index("window"),
    }


def test_itp1_calibration(sample: tuple[Path, dict]) -> None:
    root, _ = sample
    assert [p.name for p in (root / "gz_itp1").iterdir()] == ["2017-11-27"]  # one export date in the sample
    targets = calibration_targets("sample")
    got = itp1_tables(root)
    for name in ("itp1_subject", "itp1_community", "itp1_district_progress"):
        _check(got[name], targets[name])
    _check(got["itp1_assessment"], targets["itp1_assessment"])
    progress = got["itp1_district_progress"]
    # Participants above the frozen headcount are all explained by teachers off the roster.
    assert (progress["outside_roster"] >= progress["participants"] - progress["full_time_teachers"]).all()
    assert (progress["participants"] > progress["full_time_teachers"]).any()
    # The 1702 teachers are participants, and each studied one subject's courses.
    s = _snapshot(root, "gz_itp1")
    e = s["选课记录"]
    paid_1702 = e[(e["paid"] == "是") & (e["period"] == "1702")]
    subjects = paid_1702.merge(s["课程目录"][["course_id", "subject"]], on="course_id")
    assert subjects.groupby("teacher_id")["subject"].nunique().max() == 1
    assert len(subjects["teacher_id"].unique()) == targets["itp1_subject"]["enrolled_teachers"].sum()


def test_itp1_earlier_snapshot_never_higher() -> None:
    """Counters at 2017-11-20 (derived from the final truth) never exceed those at 2017-11-27."""
    profile = get_profile("city")
    targets = calibration_targets("sample")
    persons = population.build_persons(np.full(12, 200), np.random.default_rng(1))
    final = itp1.build(dataclasses.replace(get_profile("sample"), itp1_dates=profile.itp1_dates), targets, persons,
                       np.random.default_rng(2))["enrollments"]
    last = end_of(profile.itp1_dates[-1])

    def counts(day: dt.date) -> pd.Series:
        e = snapshots.enrollments(final, end_of(day), last)
        e = e[e["paid"]]
        return pd.Series({
            "participants": e["teacher_id"].nunique(), "learning": int((e["progress"] > 0).sum()),
            "passed": int((e["passed"] == 1).sum()), "hours": int(e["hours_earned"].sum()),
            "rows_1702": int((e["course_id"] // 100 == 1702).sum()),
        })

    early, late = counts(profile.itp1_dates[0]), counts(profile.itp1_dates[-1])
    assert (early <= late).all() and (early < late).any(), (early, late)


def test_itp1_tables_that_cannot_hold_together_are_refused() -> None:
    targets = calibration_targets("sample")
    community = targets["itp1_community"].copy()
    community.loc[1, "completed_teachers"] = int(targets["itp1_subject"]["completed_teachers"].sum()) - 1
    with pytest.raises(AssertionError):
        itp1.teacher_types(targets["itp1_subject"], community)


def test_traps_present(sample: tuple[Path, dict]) -> None:
    root, _ = sample
    city_day = sorted((root / "gz_city").iterdir())[-1]
    vendor_day = sorted((root / "vendor_jjw").iterdir())[-1]
    for folder, bad_date, bad_percent in ((city_day, "2022-13-45", "135"), (vendor_day, "2022年13月1日", "abc%")):
        files = in_force(folder)
        _, e = read_raw(files["选课记录"])
        e.columns = CANON["选课记录"].split()
        _, t = read_raw(files["教师信息"])
        t.columns = CANON["教师信息"].split()
        _, c = read_raw(files["课程目录"])
        c.columns = CANON["课程目录"].split()
        assert (e["enrolled_at"] == bad_date).any() and (e["progress"] == bad_percent).any()
        assert (e["enrollment_id"] == "").any() and (e["teacher_id"] == "").any()
        assert e.loc[e["enrollment_id"] != "", "enrollment_id"].duplicated().any()
        orphans = e[~e["course_id"].isin(c["course_id"]) | ~e["teacher_id"].isin(t["teacher_id"])]
        assert orphans["course_id"].ne("").any() and not orphans["paid"].isin(["是", "已支付"]).any()
        assert (c["hours"] == "三").any() and (t["teacher_id"] == "").any()
        district = t["district"].str.strip().str.strip("\u3000")
        assert {"市直属学校", "市直", "开发区"} <= set(district) and (t["subject"] == "学前教育").any()
        ghost = t.loc[district == "开发区", "teacher_id"]
        assert not e["teacher_id"].isin(ghost).any()
        paid = e[e["paid"].isin(["是", "已支付"])]
        leavers = t.loc[~t["status"].isin(["在职"]) | t["full_time"].isin(["否", "N", ""]), "teacher_id"]
        assert paid["teacher_id"].isin(leavers).any()
        registrations = read_raw(files["注册登录"])[1]
        assert registrations.iloc[:, 3].isin([bad_date]).any()
    itp1_files = in_force(root / "gz_itp1" / "2017-11-27")
    _, e = read_raw(itp1_files["选课记录"])
    _, c = read_raw(itp1_files["课程目录"])
    _, a = read_raw(itp1_files["发展测评"])
    assert (e["选课时间"] == "2022-13-45").any() and (c["学时"] == "三").any()
    assert (a["测评开始日期"] == "2022-13-45").any()
    assert set(a["区域"]) >= {"市直属", "市直属学校"}
    enrollment_files = sorted(vendor_day.glob("选课记录_*"))
    assert len(enrollment_files) == 2 and _sha(enrollment_files[0]) != _sha(enrollment_files[1])
    _, roster = read_raw(in_force(vendor_day)["教师信息"])
    assert roster["学员姓名"].str.contains("\u3000| $").any()
    _, courses = read_raw(in_force(vendor_day)["课程目录"])
    sheet = fastexcel.read_excel(in_force(vendor_day)["课程目录"]).load_sheet(0, header_row=1, dtypes="string")
    assert sheet.height > len(courses)  # empty tail rows


# 校本研修 hours (PROGRAMS.md section 1), written out here rather than taken from the generator.
ONLINE_HOURS = {"教学研讨": 2, "研修作业": 5, "听课评课": 5}


def school_based_teachers(root: Path, day: str | None = None) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Per teacher of the vendor's 校本研修 files: raw, counted, registered hours, district; and the snapshot."""
    s = _snapshot(root, "vendor_jjw", day)
    activities = s["校本研修活动"]
    rows = s["校本研修参与"].merge(activities, on="activity_id", how="left")
    online = rows["type"].map(ONLINE_HOURS).where(rows["completed_at"] != "", 0).fillna(0)
    offline = ((rows["type"] == "线下活动") & (rows["designated"] == "Y") & (rows["evidence"] == "已上传"))
    rows["hours"] = online + np.where(offline, rows["hours_set"].clip(upper=10), 0)
    per = rows.groupby("teacher_id").agg(raw=("hours", "sum"), school_id=("school_id", "first"))
    per["counted"] = per["raw"].clip(upper=25)
    accepted = s["整校验收"].loc[lambda a: a["passed"] == "通过", "school_id"]
    per["registered"] = per["counted"].where(per["school_id"].isin(accepted), 0)
    per["district"] = s["教师信息"].set_index("teacher_id")["district"].reindex(per.index)
    return per, s


def school_based_districts(root: Path, day: str | None = None) -> pd.DataFrame:
    per, s = school_based_teachers(root, day)
    school_district = s["教师信息"].drop_duplicates("school_id").set_index("school_id")["district"]
    teachers = per.groupby("district").agg(
        teachers=("counted", "size"), reached=("counted", lambda c: int((c == 25).sum())),
        counted_hours=("counted", "sum"), registered_hours=("registered", "sum"))
    teachers["pending_hours"] = teachers["counted_hours"] - teachers["registered_hours"]
    acceptance = s["整校验收"]
    passed = acceptance.loc[acceptance["passed"] == "通过", "school_id"]
    accepted = school_district.reindex(per.loc[per["school_id"].isin(passed), "school_id"].unique()).value_counts()
    offline = s["校本研修活动"].loc[lambda a: a["type"] == "线下活动"]
    p = s["校本研修参与"]
    designated = p[p["designated"] == "Y"].groupby("activity_id").size().rename("members")
    waiting = offline[offline["evidence"] == "未上传"].merge(designated, left_on="activity_id", right_index=True)
    waiting = waiting.assign(district=school_district.reindex(waiting["school_id"]).to_numpy(),
                             hours=waiting["members"] * waiting["hours_set"].clip(upper=10))
    over = offline[offline["hours_set"] > 10]
    table = pd.concat([
        teachers, accepted.rename("schools_accepted"),
        waiting.groupby("district").agg(awaiting_evidence=("members", "size"), awaiting_hours=("hours", "sum")),
        school_district.reindex(over["school_id"]).value_counts().rename("over_max_activities"),
    ], axis=1)
    return table.fillna(0).astype(np.int64).sort_index()


def test_school_based_files_reproduce_the_generated_truth(sample: tuple[Path, dict]) -> None:
    root, summary = sample
    truth = pd.DataFrame(summary["school_based"]).T.sort_index()
    got = school_based_districts(root)
    pd.testing.assert_frame_equal(got[truth.columns], truth, check_dtype=False, check_names=False)
    assert truth["teachers"].sum() == len(school_based_teachers(root)[0])
    # every ITP 2.0 teacher of the vendor is in a 教研组; some reached 25, some not; some schools accepted, not all
    roster = _snapshot(root, "vendor_jjw")["教师信息"].loc[lambda t: t["district"] != "开发区"]  # a trap teacher
    members = set(school_based_teachers(root)[0].index)
    first_day = sorted(p.name for p in (root / "vendor_jjw").iterdir())[0]
    removed = set(school_based_teachers(root, first_day)[0].index) - members
    assert set(roster["teacher_id"]) - members == removed and removed
    assert 0 < truth["reached"].sum() < truth["teachers"].sum()
    assert 0 < truth["registered_hours"].sum() < truth["counted_hours"].sum()
    assert truth["awaiting_evidence"].sum() > 0 and truth["over_max_activities"].sum() >= 2


def test_school_based_hours_never_fall_except_for_removed_teachers(sample: tuple[Path, dict]) -> None:
    root, _ = sample
    days = sorted(p.name for p in (root / "vendor_jjw").iterdir())
    early, late = school_based_teachers(root, days[0])[0], school_based_teachers(root, days[-1])[0]
    kept = early.index.intersection(late.index)
    assert len(kept) < len(early)  # removed from their school: records cleared
    assert (late.loc[kept, "raw"] >= early.loc[kept, "raw"]).all()
    assert (late.loc[kept, "registered"] >= early.loc[kept, "registered"]).all()
    assert (late.loc[kept, "registered"] > early.loc[kept, "registered"]).any()  # schools accepted in between


def test_school_based_data_problems_present(sample: tuple[Path, dict]) -> None:
    root, _ = sample
    files = in_force(sorted((root / "vendor_jjw").iterdir())[-1])
    _, a = read_raw(files["校本研修活动"])
    _, p = read_raw(files["校本研修参与"])
    _, acceptance = read_raw(files["整校验收"])
    _, t = read_raw(files["教师信息"])
    assert (a["发布日期"] == "2022年13月1日").any() and (a["活动学时"] == "三").any()
    assert (p["学员编号"] == "").any() and p.loc[p["学员编号"] != "", ["活动ID", "学员编号"]].duplicated().any()
    hours = pd.to_numeric(a["活动学时"], errors="coerce")
    assert ((hours > 10) & (a["佐证材料"] == "已上传")).any()
    assert (a.loc[a["活动类型"] == "线下活动", "佐证材料"] == "未上传").any()
    assert set(a.loc[a["活动类型"] != "线下活动", "活动学时"]) == {""}
    assert not p["活动ID"].isin(a["活动ID"]).all()  # participation in an activity the export does not have
    assert not a["单位编码"].isin(t["单位编码"]).all()  # activities of a school the roster does not know
    assert set(acceptance["是否通过"]) == {"通过", "未通过", ""}
