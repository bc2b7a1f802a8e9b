"""Program rules and vocabulary shared by the generator (one place, named)."""

from __future__ import annotations

REGULAR_PROGRAM = "市常规远程培训"
ITP2_PROGRAM = "能力提升工程2.0"
PERIOD = "2201"

CITY_SOURCE = "gz_city"
VENDOR_SOURCE = "vendor_jjw"
BUREAU_SOURCE = "bureau"

# Canonical districts, in bulletin order, with the 6-digit region code used in IDs.
DISTRICTS: tuple[str, ...] = (
    "市直属", "荔湾区", "越秀区", "海珠区", "天河区", "白云区",
    "黄埔区", "番禺区", "花都区", "南沙区", "从化区", "增城区",
)
DISTRICT_CODES: tuple[str, ...] = (
    "440100", "440103", "440104", "440105", "440106", "440111",
    "440112", "440113", "440114", "440115", "440117", "440118",
)
CITY_DIRECT = "市直属"
CITY_DIRECT_ALIASES: tuple[str, ...] = ("市直属学校", "市直")
UNKNOWN_DISTRICT = "开发区"

# The 18 subjects of reference/gz_1702_itp1_subject.csv; 幼教 is also written 学前教育.
SUBJECTS: tuple[str, ...] = (
    "体育", "中职", "政治", "数学", "思品", "语文", "幼教", "音乐", "综合实践活动",
    "地理", "信息技术", "英语", "生物", "科学", "历史", "物理", "美术", "化学",
)
PRESCHOOL_SUBJECT = "幼教"
PRESCHOOL_ALIAS = "学前教育"
STAGES: tuple[str, ...] = ("幼儿园", "小学", "初中", "高中", "中职", "特殊教育")
STATUSES: tuple[str, ...] = ("在职", "离职", "退休", "调出")

# Bureau headcount bases (应参训人数.统计口径) and their roster date.
REGULAR_BASIS = "有效在职"
ITP2_BASIS = "应参训"
BASIS_AS_OF = "2022-04-20"

# ITP 2.0 completion rule: a teacher completes the online part with >= 25 passed hours.
# Every ITP 2.0 course carries 5 hours, so completion means >= 5 passed paid courses.
ITP2_COMPLETION_HOURS = 25
ITP2_COURSE_HOURS = 5
ITP2_MIN_PASSES = -(-ITP2_COMPLETION_HOURS // ITP2_COURSE_HOURS)

# Per-course pass-rate buckets of the 2201 regular bulletin: (label, lower, upper).
PASS_BUCKETS: tuple[tuple[str, float, float], ...] = (
    (">=90%", 0.90, 1.00),
    ("80-90%", 0.80, 0.90),
    ("70-80%", 0.70, 0.80),
    ("60-70%", 0.60, 0.70),
    ("<60%", 0.40, 0.60),
)
NO_ENROLLMENT_BUCKET = "no enrollments"
BUCKET_MARGIN = 0.003  # generated course rates stay this far from every bucket edge
PUBLIC_CATEGORY = "公需"

# Published 2201 regular overall pass rate (basis points, half-up) and satisfaction shares.
REGULAR_PASS_RATE_BP = 9772
SURVEY_ITEM = "辅导教师总体满意度"
SURVEY_LEVELS: tuple[str, ...] = ("很满意", "满意", "一般", "不满意", "很不满意", "无辅导教师")
SURVEY_SHARES_BP: tuple[int, ...] = (5892, 3205, 787, 67, 39, 11)

# Vendors switch from XLSX to GB18030 CSV above this many rows (Excel's limit, in practice).
XLSX_MAX_ROWS = 200_000

# ITP 1.0 (能力提升工程, Guangzhou 2015-2017): source, periods, completion and graduation rules.
ITP1_PROGRAM = "能力提升工程"
ITP1_SOURCE = "gz_itp1"
ITP1_PERIODS: tuple[str, ...] = ("1501", "1502", "1601", "1602", "1701", "1702")
ITP1_PERIOD = "1702"  # the period of the 2017-11-27 bulletin's subject and community tables
ITP1_PROGRESS_PERIOD = "ALL"
# Study window of each period (open, close); 1702 was still running at the bulletin date.
ITP1_WINDOWS: tuple[tuple[str, str], ...] = (
    ("2015-04-07", "2015-07-15"), ("2015-09-14", "2015-12-31"), ("2016-03-07", "2016-07-10"),
    ("2016-09-12", "2016-12-31"), ("2017-03-06", "2017-07-09"), ("2017-09-11", "2017-12-31"),
)
# First period each district trained in: 增城区 piloted from 1501, 花都区 started late, the rest in 2016.
ITP1_FIRST_PERIOD = {"增城区": "1501", "花都区": "1602"}
ITP1_DEFAULT_FIRST_PERIOD = "1601"
LEARNING_COMMUNITY = "学习社区"  # 专业必修 courses
RESEARCH_COMMUNITY = "研修社区"  # 网络研修 courses
ITP1_COMMUNITY_CATEGORY = {LEARNING_COMMUNITY: "专业必修", RESEARCH_COMMUNITY: "网络研修"}
# Every course carries 10 hours, so graduation (>= 50 passed hours over all periods) is >= 5 passes.
ITP1_COURSE_HOURS = 10
ITP1_GRADUATION_HOURS = 50
ITP1_MIN_PASSES = -(-ITP1_GRADUATION_HOURS // ITP1_COURSE_HOURS)
ITP1_BASIS = "专任教师"
ITP1_BASIS_AS_OF = "2017-01-10"
ITP1_BUREAU_CITY_DIRECT = "市直属学校"  # how the 2017 bulletins name 市直属

# 国培计划 2017, Gansu (seed 002): the vendor's platform and the Tianshui office (the rest of the
# data set's figures live in gansu.py).
GANSU_SOURCE = "vendor_ahtvu"
GANSU_BUREAU_SOURCE = "bureau_tianshui"

# Jiangxi 全员培训 2021-2022 (seed 003): the program as the vendors export it, its export dates.
JX_PROGRAM = "全员培训"
JX_PROGRAM_LONG = "互联网+教师专业发展全员培训"  # how two vendors name it (an alias of the program)
JX_SCHOOL_YEAR = "2021-2022"
JX_BUREAU_SOURCE = "bureau_jx"
JX_NOTICE_DATE = "2022-07-05"  # 赣师训字〔2022〕1号: the 承训机构 list (附件1) as of this date
JX_UNIT_PRICE = "1.5"  # 元/学时 per trained teacher
# One export in 报名、注册 (07-11..07-22), one in 网络研修与送培送教 (07-23..09-30), one after 考核 (10-01..10-15).
JX_EXPORT_DATES: tuple[str, ...] = ("2022-07-20", "2022-09-05", "2022-10-20")
JX_REGISTRATION = ("2022-07-11", "2022-07-22")
JX_STUDY = ("2022-07-23", "2022-09-30")
JX_ASSESSMENT = ("2022-10-01", "2022-10-15")

# 校本研修 (school-based training, ITP 2.0 Guangdong; PROGRAMS.md section 1, seed 004): the
# vendor's ITP 2.0 teachers in 教研组 of their schools. Hours per completed activity (学时累计制):
# the online types fixed, 线下活动 set by the leader and counted up to 10, a teacher's total up to 25.
SCHOOL_ONLINE_HOURS = {"教学研讨": 2, "研修作业": 5, "听课评课": 5}
SCHOOL_OFFLINE = "线下活动"
SCHOOL_OFFLINE_MAX_HOURS = 10
SCHOOL_BASED_CAP = 25
