"""vendor_ahtvu and bureau_tianshui: 国培计划 2017 in Gansu (seed 002, PROGRAMS.md §2).

One vendor export dated 2017-12-25 (教师信息, 注册登录, 考核成绩, 课程目录, 满意度调查), the
Tianshui office's 申报 plan (应参训人数, 2017-09-30) and the vendor report's own figures
(项目报告指标, filed 2018-01-31). The records reproduce the report's figures as of 2017-12-25
exactly: 调训 6983 (中小学 6588, 幼儿园 395) against a plan of 6893, every trainee logged in,
6958 learners (学习率 99.64%), 6888 合格 under 双合格 (合格率 98.99% of learners), 837 优秀, 70
classes, and 359 survey answers per item reproducing the published shares where a count of 359
can (item 5's 0.48% and item 7's 6.96% cannot: the records hold 0.84% and 6.69%).

The size is the project's, whatever the scale: Gansu is one fixed project, not a city to scale.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .allocation import largest_remainder, rank_within, repeat_index
from .population import names, national_ids, phones
from .timeline import between, seconds, to_datetime

PROGRAM = "国培计划"
PERIOD = "2017"
EXPORT_DATE = dt.date(2017, 12, 25)
PLAN_DATE = dt.date(2017, 9, 30)  # the bureau's 申报 headcount, frozen before the project started
CLAIMS_DATE = dt.date(2018, 1, 31)  # the report is filed at the end of the 培训总结阶段
PLAN_BASIS = "申报"
REGION_CODE = "6205"  # 天水市

# Per 区县, in the report's order: canonical name, the names the vendor also writes, class prefix,
# region code, classes, trainees (调训), of whom 幼儿园, the 申报 plan, trainees who never studied,
# learners who failed 双合格, 优秀学员. Totals: 70 classes, 6983 trainees (395 幼儿园), plan 6893,
# 25 never studied, 70 failed, 6888 合格, 837 优秀.
DISTRICTS = ("天水市直", "秦州区", "武山县")
DISTRICT_ALIASES = (("天水市市直",), ("秦州",), ("武山",))
CLASS_PREFIXES = ("市直", "秦州", "武山")
DISTRICT_CODES = ("620500", "620502", "620524")
CLASSES = np.array([16, 34, 20])
TRAINED = np.array([1580, 3420, 1983])
KINDERGARTEN = np.array([90, 190, 115])
PLANNED = np.array([1560, 3380, 1953])
NOT_LEARNING = np.array([5, 12, 8])
FAILED_LEARNERS = np.array([14, 35, 21])
EXCELLENT = np.array([190, 410, 237])
ALIAS_SHARE = 0.2  # teachers whose 所属区县 the vendor writes in a short form

# School stages of the 中小学 trainees (幼儿园 is its own stage) and their subjects.
SCHOOL_STAGES = ("小学", "初中", "高中")
SCHOOL_STAGE_WEIGHTS = np.array([0.52, 0.30, 0.18])
SUBJECTS = {
    "幼儿园": (("学前教育",), (1.0,)),
    "小学": (("语文", "数学", "英语", "科学", "音乐", "体育", "美术", "信息技术"), (32, 28, 10, 6, 6, 7, 6, 5)),
    "初中": (("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治", "体育"),
             (16, 16, 15, 9, 7, 7, 8, 7, 8, 7)),
    "高中": (("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治", "信息技术"),
             (15, 15, 15, 10, 9, 9, 8, 7, 7, 5)),
}
SCHOOL_WORDS = ("城关", "西关", "东关", "中梁", "皂郊", "太京", "平南", "齐寿", "铁炉", "藉口", "天水郡", "玉泉",
                "石马坪", "马力", "洛门", "鸳鸯", "滩歌", "四门", "桦林", "沿安", "渭北", "龙台", "榆盘", "杨河")
SCHOOL_SUFFIX = {"幼儿园": "幼儿园", "小学": "小学", "初中": "初级中学", "高中": "中学"}
TEACHERS_PER_SCHOOL = {"幼儿园": 15, "小学": 28, "初中": 45, "高中": 90}

# 考核成绩: the 双合格 items' raw values (scored by the warehouse from the program's configuration).
STUDY_TARGET = 1620  # minutes for the full 20 points of 课程学习时间
POSTS_TARGET = 15
REFLECTIONS_TARGET = 2
REVIEWS_TARGET = 10
ONLINE_PASS = 36  # of 60
OFFLINE_PASS = 24  # of 40
ITEM_POINTS = {"study_minutes": (20, STUDY_TARGET), "workshop_posts": (15, POSTS_TARGET),
               "reflections": (10, REFLECTIONS_TARGET), "peer_reviews": (5, REVIEWS_TARGET)}
HOMEWORK_POINTS = 10

# Satisfaction survey (the report's table): answers per item and level, 359 respondents.
SURVEY_LEVELS = ("非常满意", "满意", "一般", "不满意")
SURVEY = (
    ("学员对项目的整体满意度", (140, 190, 27, 2)),
    ("平台功能", (126, 206, 27, 0)),
    ("研修（培训）课程和活动安排", (115, 213, 30, 1)),
    ("研修（培训）资源提供", (117, 216, 26, 0)),
    ("研修（培训）模式、方法选择", (90, 233, 33, 3)),  # printed 0.48% (1.7 answers); 3 answers are 0.84%
    ("培训考核设置", (309, 9, 29, 12)),
    ("坊主活动开展", (210, 123, 24, 2)),  # printed 6.96% (sum 100.28%); 24 answers are 6.69%
    ("坊主工作负责程度", (246, 92, 20, 1)),
    ("培训专家团队", (201, 123, 34, 1)),
    ("培训机构管理队伍", (122, 205, 31, 1)),
    ("学习支持服务人员", (130, 201, 26, 2)),
)
SURVEY_RESPONDENTS = 359
SURVEY_COURSE_NO = 9001  # the questionnaire, a zero-hour entry of the project's catalog

# The catalog: 53 专题 in four categories, 429 hours (the report's 课程超市).
CATALOG = (("技术素养课程", 8, 6), ("综合课程", 30, 10), ("专题课程", 9, 7), ("教师专业发展课程", 6, 3))

DOCUMENT_BASIC = "国培计划（2017）甘肃项目绩效自评报告·一、项目基本情况"
DOCUMENT_REVIEW = "国培计划（2017）甘肃项目绩效自评报告·二、评估总结"
# The report's figures as it prints them (项目报告指标): (document, as_of, metric, value). The
# survey table's cells are metric 满意度/<item>/<level>.
CLAIMS = (
    (DOCUMENT_BASIC, "2017-12-20", "项目申报人数", "6893"),
    (DOCUMENT_BASIC, "2017-12-20", "实际结业人数", "6983"),
    (DOCUMENT_BASIC, "2017-12-25", "调训人数", "6983"),
    (DOCUMENT_BASIC, "2017-12-25", "中小学教师人数", "6588"),
    (DOCUMENT_BASIC, "2017-12-25", "幼儿园教师人数", "395"),
    (DOCUMENT_BASIC, "2017-12-25", "参训人数", "6983"),
    (DOCUMENT_BASIC, "2017-12-25", "参训率", "100 %"),
    (DOCUMENT_BASIC, "2017-12-25", "登录率", "100%"),
    (DOCUMENT_BASIC, "2017-12-25", "学习率", "99.64%"),
    (DOCUMENT_BASIC, "2017-12-25", "合格率", "98.99%"),
    (DOCUMENT_REVIEW, "2017-12-20", "调训人数", "6983"),
    (DOCUMENT_REVIEW, "2017-12-20", "超出计划人数", "90"),
    (DOCUMENT_REVIEW, "2017-12-20", "参训率", "100 %"),
    (DOCUMENT_REVIEW, "2017-12-20", "登录率", "100%"),
    (DOCUMENT_REVIEW, "2017-12-20", "学习率", "99.64%"),
    (DOCUMENT_REVIEW, "2017-12-20", "合格率", "98.99%"),
    (DOCUMENT_REVIEW, "2017-12-20", "班级数", "70"),
    (DOCUMENT_REVIEW, "2018-01-31", "优秀学员人数", "837"),
    (DOCUMENT_REVIEW, "2018-01-31", "合格人数", "6953"),
    (DOCUMENT_REVIEW, "2018-01-31", "合格率", "99.1%"),
    (DOCUMENT_REVIEW, "2018-01-31", "问卷人数", "359"),
)
# The survey table as printed (percent points, as the report writes them).
SURVEY_PRINTED = (
    ("39%", "52.92%", "7.52%", "0.56%"), ("35.1%", "57.38%", "7.52%", "0%"), ("32.03%", "59.33%", "8.36%", "0.28%"),
    ("32.59%", "60.17%", "7.24%", "0%"), ("25.07%", "64.9%", "9.19%", "0.48%"), ("86.07%", "2.51%", "8.08%", "3.34%"),
    ("58.5%", "34.26%", "6.96%", "0.56%"), ("68.52%", "25.63%", "5.57%", "0.28%"),
    ("55.99%", "34.26%", "9.47%", "0.28%"), ("33.98%", "57.1%", "8.64%", "0.28%"),
    ("36.21%", "55.99%", "7.24%", "0.56%"),
)

BAD_NUMBER = "一千六百"  # a trap row's 课程学习时长


def half_up_points(points: int, value: np.ndarray, target: int) -> np.ndarray:
    """points × min(1, value / target), rounded half-up to two decimals, exactly (integer arithmetic)."""
    v = np.minimum(np.asarray(value, dtype=np.int64), target)
    return ((200 * points * v + target) // (2 * target)) / 100


def online_score(frame: pd.DataFrame) -> np.ndarray:
    """网络研修 (of 60): the five online items, each proportional and rounded before the sum."""
    total = sum(half_up_points(p, frame[c].to_numpy(), t) for c, (p, t) in ITEM_POINTS.items())
    return np.round(total + HOMEWORK_POINTS * frame["homework_passed"].to_numpy(), 2)


def _roster(rng: np.random.Generator) -> pd.DataFrame:
    """The 6983 trainees: district, stage, school, subject, class; kindergarten teachers per district."""
    district = np.repeat(np.arange(len(DISTRICTS)), TRAINED)
    kindergarten = rank_within(district, rng) < KINDERGARTEN[district]
    stage = np.where(kindergarten, "幼儿园",
                     np.asarray(SCHOOL_STAGES, dtype=object)[rng.choice(3, district.size,
                                                                        p=SCHOOL_STAGE_WEIGHTS)]).astype(object)
    subject = np.empty(district.size, dtype=object)
    for name, (options, weights) in SUBJECTS.items():
        mine = stage == name
        w = np.asarray(weights, dtype=float)
        subject[mine] = np.asarray(options, dtype=object)[rng.choice(len(options), int(mine.sum()), p=w / w.sum())]

    # Schools: per district and stage, about TEACHERS_PER_SCHOOL teachers each.
    school_name = np.empty(district.size, dtype=object)
    school_id = np.empty(district.size, dtype=object)
    for d, place in enumerate(("天水市", "天水市秦州区", "武山县")):
        for s, (name, size) in enumerate(TEACHERS_PER_SCHOOL.items()):
            mine = np.flatnonzero((district == d) & (stage == name))
            n_schools = max(1, round(mine.size / size))
            school = rng.integers(0, n_schools, mine.size)
            word = np.asarray([SCHOOL_WORDS[(k + 5 * d) % len(SCHOOL_WORDS)] + ("" if k < len(SCHOOL_WORDS)
                               else f"第{k // len(SCHOOL_WORDS) + 1}") for k in range(n_schools)], dtype=object)
            school_name[mine] = place + word[school] + SCHOOL_SUFFIX[name]
            school_id[mine] = [f"{DISTRICT_CODES[d]}{s + 1}{k:03d}" for k in school]

    # Classes: a district's teachers by stage and school, cut into its classes (whole schools mostly).
    order = np.lexsort((school_id, stage != "幼儿园", district))
    class_no = np.empty(district.size, dtype=np.int64)
    for d in range(len(DISTRICTS)):
        mine = order[district[order] == d]
        sizes = largest_remainder(mine.size, np.ones(CLASSES[d]))
        class_no[mine] = np.repeat(np.arange(1, CLASSES[d] + 1), sizes)
    class_id = np.asarray(CLASS_PREFIXES, dtype=object)[district] + np.char.zfill(class_no.astype(str), 2) + "班"

    region = np.asarray(DISTRICT_CODES)[district]
    region = np.where(rng.random(district.size) < 0.3, REGION_CODE + "2" + rng.integers(1, 6, district.size)
                      .astype(str), region)  # born elsewhere in 天水市
    written = np.asarray(DISTRICTS, dtype=object)[district]
    alias = rng.random(district.size) < ALIAS_SHARE
    written[alias] = np.asarray([a[0] for a in DISTRICT_ALIASES], dtype=object)[district[alias]]
    ownership = np.where(kindergarten & (rng.random(district.size) < 0.2), "民办", "公办")
    return pd.DataFrame({
        "district_no": district, "district": written, "stage": stage, "subject": subject,
        "school_id": school_id, "school_name": school_name, "school_ownership": ownership,
        "class_id": class_id.astype(object), "national_id": national_ids(region.astype(str), rng),
        "name": names(district.size, rng), "phone": phones(district.size, rng),
    })


def _outcomes(district: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per trainee: 0 never studied, 1 studied and failed 双合格, 2 合格, 3 合格 and 优秀 (chosen later)."""
    rank = rank_within(district, rng)
    idle = NOT_LEARNING[district]
    failed = idle + FAILED_LEARNERS[district]
    return np.where(rank < idle, 0, np.where(rank < failed, 1, 2))


def _scores(outcome: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Raw item values per trainee whose 双合格 outcome is the one given."""
    n = outcome.size
    study = np.where(rng.random(n) < 0.85, rng.integers(STUDY_TARGET, 2600, n), rng.integers(1150, STUDY_TARGET, n))
    posts = np.where(rng.random(n) < 0.8, rng.integers(POSTS_TARGET, 40, n), rng.integers(6, POSTS_TARGET, n))
    reflections = np.where(rng.random(n) < 0.9, 2, rng.choice([1, 3, 4], n))
    homework = rng.random(n) < 0.97
    reviews = np.where(rng.random(n) < 0.85, rng.integers(REVIEWS_TARGET, 16, n), rng.integers(4, REVIEWS_TARGET, n))
    practice = rng.integers(24, 41, n) / 2  # 12 .. 20 in half points
    results = rng.integers(24, 41, n) / 2
    frame = pd.DataFrame({
        "study_minutes": study, "workshop_posts": posts, "reflections": reflections, "homework_passed": homework,
        "peer_reviews": reviews, "practice_score": practice, "results_score": results,
    })
    passed = outcome >= 2
    # 合格: raise whatever falls short (study time first, then posts) and offline to at least 24.
    low = passed & (online_score(frame) < ONLINE_PASS)
    frame.loc[low, "study_minutes"] = STUDY_TARGET + rng.integers(0, 300, int(low.sum()))
    low = passed & (online_score(frame) < ONLINE_PASS)
    frame.loc[low, "workshop_posts"] = POSTS_TARGET
    short = passed & (frame["practice_score"] + frame["results_score"] < OFFLINE_PASS)
    frame.loc[short, "results_score"] = OFFLINE_PASS - frame.loc[short, "practice_score"]

    # Failed learners: two of PROGRAMS.md's vectors, then drop-outs and offline shortfalls.
    fail = np.flatnonzero(outcome == 1)
    vectors = {  # 35 online with 40 offline (total 75); 60 online with 23 offline
        fail[0]: (810, 0, 2, True, 10, 20.0, 20.0),
        fail[1]: (STUDY_TARGET, POSTS_TARGET, 2, True, REVIEWS_TARGET, 12.0, 11.0),
    }
    for i, values in vectors.items():
        frame.loc[i, list(frame.columns)] = values
    rest = fail[2:]
    dropped = rest[: rest.size * 3 // 5]
    k = dropped.size
    frame.loc[dropped, "study_minutes"] = rng.integers(60, 900, k)
    frame.loc[dropped, "workshop_posts"] = rng.integers(0, 5, k)
    frame.loc[dropped, "reflections"] = rng.integers(0, 2, k)
    frame.loc[dropped, "homework_passed"] = False
    frame.loc[dropped, "peer_reviews"] = rng.integers(0, 4, k)
    frame.loc[dropped, "practice_score"] = rng.integers(0, 21, k) / 2
    frame.loc[dropped, "results_score"] = rng.integers(0, 21, k) / 2
    offline_short = rest[rest.size * 3 // 5:]
    k = offline_short.size
    frame.loc[offline_short, "practice_score"] = rng.integers(0, 25, k) / 2
    frame.loc[offline_short, "results_score"] = rng.integers(0, 22, k) / 2

    idle = outcome == 0
    frame.loc[idle, ["study_minutes", "workshop_posts", "reflections", "peer_reviews"]] = 0
    frame.loc[idle, "homework_passed"] = False
    frame.loc[idle, ["practice_score", "results_score"]] = 0.0

    online = online_score(frame)
    offline = frame["practice_score"].to_numpy() + frame["results_score"].to_numpy()
    assert ((online >= ONLINE_PASS) & (offline >= OFFLINE_PASS) == passed).all(), "outcomes not reproduced"
    return frame.assign(online=online, offline=offline)


def build(rng: np.random.Generator, survey_rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Every Gansu frame (final truth at 2017-12-25), in the writer's canonical columns."""
    people = _roster(rng)
    n = len(people)
    teacher_no = rng.permutation(n) + 1
    outcome = _outcomes(people["district_no"].to_numpy(), rng)
    scores = _scores(outcome, rng)
    # 优秀: the best totals of each district's 合格, ties broken at random.
    total = scores["online"].to_numpy() + scores["offline"].to_numpy()
    key = -(total + rng.random(n) * 8) - 1000 * (outcome >= 2)
    excellent = (outcome >= 2) & (rank_within(people["district_no"].to_numpy(), rng, key)
                                  < EXCELLENT[people["district_no"].to_numpy()])

    teachers = pd.DataFrame({
        "teacher_id": teacher_no, "national_id": people["national_id"], "name": people["name"],
        "phone": people["phone"], "district": people["district"], "school_id": people["school_id"],
        "school_name": people["school_name"], "school_ownership": people["school_ownership"],
        "stage": people["stage"], "subject": people["subject"], "is_full_time": rng.random(n) < 0.97,
        "status": "在职",
    }).sort_values("teacher_id", kind="stable").reset_index(drop=True)

    open_at, close_at = seconds(dt.date(2017, 10, 10), 8), seconds(EXPORT_DATE, 22)
    registered = between(seconds(dt.date(2017, 9, 1), 9), seconds(dt.date(2017, 10, 9), 18), rng, n)
    first_login = np.maximum(between(open_at, seconds(dt.date(2017, 10, 31), 22), rng, n, power=1.8),
                             registered + 3600)
    learning = outcome >= 1
    posts = scores["workshop_posts"].to_numpy() + rng.integers(0, 12, n) * learning
    registrations = pd.DataFrame({
        "teacher_id": teacher_no, "registered_at": to_datetime(registered),
        "first_login_at": to_datetime(first_login),
        "login_count": np.where(learning, rng.integers(6, 90, n), rng.integers(1, 3, n)),
        "posts": posts, "homework_submitted": np.where(scores["homework_passed"], 1 + (rng.random(n) < 0.05),
                                                       (rng.random(n) < 0.5) * learning),
    }).sort_values("registered_at", kind="stable").reset_index(drop=True)

    assessment = pd.DataFrame({
        "teacher_id": teacher_no, "class_id": people["class_id"],
        **{c: scores[c].to_numpy() for c in ("study_minutes", "workshop_posts", "reflections", "peer_reviews",
                                             "practice_score", "results_score")},
        "homework_passed": scores["homework_passed"].to_numpy().astype(np.int8),
        "excellent": excellent,
    })
    assessment = assessment.sort_values(["class_id", "teacher_id"], kind="stable").reset_index(drop=True)
    assessment = assessment[["teacher_id", "class_id", "study_minutes", "workshop_posts", "reflections",
                             "homework_passed", "peer_reviews", "practice_score", "results_score", "excellent"]]

    surveys = _survey(teacher_no[learning], survey_rng, close_at)
    return {"teachers": teachers, "registrations": registrations, "assessment_scores": assessment,
            "courses": _catalog(), "surveys": surveys, "targets": _plan(), "vendor_claims": _claims()}


def _survey(learners: np.ndarray, rng: np.random.Generator, close_at: int) -> pd.DataFrame:
    """359 respondents (learners) answer every item; a respondent's levels go together (one latent mood)."""
    respondents = rng.choice(learners, SURVEY_RESPONDENTS, replace=False)
    mood = rng.random(SURVEY_RESPONDENTS)
    rows = []
    for item, counts in SURVEY:
        order = np.argsort(mood + rng.normal(0, 0.35, SURVEY_RESPONDENTS), kind="stable")
        level = np.empty(SURVEY_RESPONDENTS, dtype=object)
        level[order] = np.repeat(np.asarray(SURVEY_LEVELS, dtype=object), counts)
        rows.append(pd.DataFrame({"teacher_id": respondents, "item": item, "level": level}))
    frame = pd.concat(rows, ignore_index=True)
    owner, _ = repeat_index(np.full(len(SURVEY), SURVEY_RESPONDENTS))
    frame = frame.assign(__respondent=np.tile(np.arange(SURVEY_RESPONDENTS), len(SURVEY)), __item=owner)
    frame = frame.sort_values(["__respondent", "__item"], kind="stable").reset_index(drop=True)
    return pd.DataFrame({
        "response_id": np.arange(1, len(frame) + 1), "teacher_id": frame["teacher_id"].to_numpy(),
        "course_id": SURVEY_COURSE_NO, "item": frame["item"].to_numpy(), "level": frame["level"].to_numpy(),
    })


def _catalog() -> pd.DataFrame:
    rows = []
    for category, count, hours in CATALOG:
        for k in range(count):
            rows.append((category, f"{category.removesuffix('课程')}专题{k + 1:02d}", hours))
    frame = pd.DataFrame(rows, columns=["category", "course_name", "credit_hours"])
    frame.loc[len(frame)] = ("项目总结", "培训满意度调查问卷", 0)
    return pd.DataFrame({
        "course_id": np.r_[np.arange(1, len(frame)), SURVEY_COURSE_NO], "course_name": frame["course_name"],
        "category": frame["category"], "community": None, "subject": "信息技术应用能力提升",
        "credit_hours": frame["credit_hours"], "tutor_id": 0,
    })


def _plan() -> pd.DataFrame:
    return pd.DataFrame({
        "program": PROGRAM, "period": PERIOD, "district": list(DISTRICTS), "expected_teachers": PLANNED,
        "basis": PLAN_BASIS, "as_of": PLAN_DATE.isoformat(),
    })


def _claims() -> pd.DataFrame:
    rows = [(doc, as_of, metric, value) for doc, as_of, metric, value in CLAIMS]
    for (item, _), printed in zip(SURVEY, SURVEY_PRINTED, strict=True):
        rows += [(DOCUMENT_REVIEW, "2018-01-31", f"满意度/{item}/{level}", value)
                 for level, value in zip(SURVEY_LEVELS, printed, strict=True)]
    frame = pd.DataFrame(rows, columns=["document", "as_of", "metric", "claimed_value"])
    return pd.DataFrame({
        "program": PROGRAM, "period": PERIOD, "district": None, "metric": frame["metric"],
        "claimed_value": frame["claimed_value"], "as_of": pd.to_datetime(frame["as_of"]),
        "document": frame["document"],
    })


def traps(assessment: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A stale second copy of a trainee's row (duplicate key) and a row whose minutes are words."""
    n = len(assessment)
    src = rng.choice(n, 2, replace=False)
    rows = assessment.iloc[src].reset_index(drop=True)
    rows.loc[0, ["study_minutes", "practice_score", "results_score"]] = (0, 0.0, 0.0)
    rows.loc[1, "teacher_id"] = int(assessment["teacher_id"].max()) + 1
    rows["ov_study_minutes"] = [None, BAD_NUMBER]
    rows["__pos"] = 2 * np.minimum(src + rng.integers(1, 40, 2), n - 1) + 1  # after the row it copies
    return rows

