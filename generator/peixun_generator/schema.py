"""The export contract (EXPORTS.md): entity files, headers per dialect, column kinds, ID formats."""

from __future__ import annotations

from dataclasses import dataclass

from .constants import BUREAU_SOURCE, CITY_SOURCE, ITP1_SOURCE, VENDOR_SOURCE


@dataclass(frozen=True)
class Column:
    """One exported column: canonical name, formatting kind, city header, vendor header."""

    name: str
    kind: str
    city: str
    vendor: str


@dataclass(frozen=True)
class Entity:
    """One export file type."""

    file: str
    title: str  # vendor XLSX title prefix, e.g. 选课数据导出
    columns: tuple[Column, ...]

    def headers(self, dialect: str) -> list[str]:
        return [c.city if dialect == "city" else c.vendor for c in self.columns]


def _cols(*rows: tuple[str, str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*r) for r in rows)


TEACHERS = Entity("教师信息", "学员数据导出", _cols(
    ("teacher_id", "id", "教师编号", "学员编号"),
    ("national_id", "text", "身份证号", "证件号码"),
    ("name", "name", "姓名", "学员姓名"),
    ("phone", "text", "手机号码", "联系电话"),
    ("district", "place", "区域", "所属区县"),
    ("school_id", "text", "学校编号", "单位编码"),
    ("school_name", "place", "学校名称", "单位名称"),
    ("school_ownership", "text", "办学性质", "学校类型"),
    ("stage", "text", "学段", "任教学段"),
    ("subject", "text", "任教学科", "学科"),
    ("is_full_time", "yn", "是否专任教师", "专任教师"),
    ("status", "text", "在职状态", "人员状态"),
))
COURSES = Entity("课程目录", "课程数据导出", _cols(
    ("course_id", "id", "课程编号", "课程代码"),
    ("course_name", "text", "课程名称", "课程名称"),
    ("program", "text", "培训项目", "项目名称"),
    ("period", "text", "期次", "培训期次"),
    ("category", "text", "课程类别", "课程类型"),
    ("community", "text", "社区", "所属社区"),
    ("subject", "text", "学科", "学科"),
    ("credit_hours", "hours", "学时", "课程学时"),
    ("tutor_id", "id", "辅导教师编号", "辅导老师工号"),
))
ENROLLMENTS = Entity("选课记录", "选课数据导出", _cols(
    ("enrollment_id", "id", "选课编号", "订单号"),
    ("teacher_id", "id", "教师编号", "学员编号"),
    ("course_id", "id", "课程编号", "课程代码"),
    ("period", "text", "期次", "培训期次"),
    ("enrolled_at", "datetime", "选课时间", "报名时间"),
    ("paid", "paid", "支付状态", "是否缴费"),
    ("progress", "percent", "学习进度", "学习进度"),
    ("passed", "result", "是否通过", "考核结果"),
    ("hours_earned", "number", "获得学时", "获得学时"),
    ("passed_at", "datetime", "通过时间", "合格时间"),
))
REGISTRATIONS = Entity("注册登录", "注册登录数据导出", _cols(
    ("teacher_id", "id", "教师编号", "学员编号"),
    ("program", "text", "培训项目", "项目名称"),
    ("period", "text", "期次", "培训期次"),
    ("registered_at", "datetime", "注册时间", "注册日期"),
    ("first_login_at", "datetime", "首次登录时间", "首次登录"),
    ("login_count", "number", "登录次数", "登录次数"),
    ("posts", "number", "发帖数", "研讨发帖数"),
    ("homework_submitted", "number", "提交作业数", "作业提交数"),
))
WORKSHOPS = Entity("工作坊", "工作坊数据导出", _cols(
    ("teacher_id", "id", "教师编号", "学员编号"),
    ("workshop_id", "text", "工作坊编号", "坊编号"),
    ("period", "text", "期次", "培训期次"),
    ("joined_at", "datetime", "选坊时间", "加入时间"),
    ("completed", "yn", "完成学习", "是否完成"),
    ("submitted", "yn", "提交成果", "成果提交"),
    ("certified", "result", "认证通过", "认证结果"),
))
TARGETS = Entity("应参训人数", "应参训人数", _cols(
    ("program", "text", "培训项目", "培训项目"),
    ("period", "text", "期次", "期次"),
    ("district", "text", "区域", "区域"),
    ("expected_teachers", "number", "应参训人数", "应参训人数"),
    ("basis", "text", "统计口径", "统计口径"),
    ("as_of", "text", "口径日期", "口径日期"),
))
TUTORS = Entity("辅导教师", "辅导教师", _cols(
    ("tutor_id", "id", "辅导教师编号", "辅导教师编号"),
    ("district", "text", "区域", "区域"),
    ("course_id", "id", "课程编号", "课程编号"),
    ("class_id", "text", "班级编号", "班级编号"),
))
SURVEYS = Entity("满意度调查", "满意度调查", _cols(
    ("response_id", "id", "问卷编号", "问卷编号"),
    ("teacher_id", "id", "教师编号", "教师编号"),
    ("course_id", "id", "课程编号", "课程编号"),
    ("item", "text", "评价项目", "评价项目"),
    ("level", "text", "满意度", "满意度"),
))

ASSESSMENTS = Entity("发展测评", "发展测评数据导出", _cols(
    ("teacher_id", "id", "教师编号", "学员编号"),
    ("district", "place", "区域", "所属区县"),
    ("window_start", "date", "测评开始日期", "测评开始日期"),
    ("window_end", "date", "测评结束日期", "测评结束日期"),
    ("completed", "yn", "是否完成", "是否完成"),
    ("completed_at", "datetime", "完成时间", "完成时间"),
))

DIALECTS = {CITY_SOURCE: "city", VENDOR_SOURCE: "vendor", BUREAU_SOURCE: "city", ITP1_SOURCE: "city"}

# Integer surrogate -> exported ID: (prefix, zero-padded width), per source.
ID_FORMATS: dict[str, dict[str, tuple[str, int]]] = {
    CITY_SOURCE: {
        "teacher_id": ("T", 7), "course_id": ("C2201", 4), "enrollment_id": ("E2201", 8),
        "tutor_id": ("FD", 5), "response_id": ("WJ", 7),
    },
    VENDOR_SOURCE: {
        "teacher_id": ("JJW", 8), "course_id": ("NL2201", 4), "enrollment_id": ("DD", 10), "tutor_id": ("JJWFD", 4),
    },
    # course_id encodes its period: TSKC170205 is course 5 of period 1702.
    ITP1_SOURCE: {
        "teacher_id": ("TS", 7), "course_id": ("TSKC", 6), "enrollment_id": ("TSXK", 8), "tutor_id": ("TSFD", 4),
    },
}


def format_ids(source: str, column: str, values: list[int] | object) -> list[str]:
    """Python-side twin of the SQL ID formatting, for small tables."""
    prefix, width = ID_FORMATS[source][column]
    return [f"{prefix}{int(v):0{width}d}" for v in values]  # type: ignore[union-attr]
