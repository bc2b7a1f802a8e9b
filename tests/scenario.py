"""A hand-sized export folder whose every published figure is worked out in the tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.exports import write_csv, write_xlsx

ITP2 = "能力提升工程2.0"
REGULAR = "市常规远程培训"


def itp2_enrollments() -> list[dict]:
    """V1: 9 passed courses; V2: 8 passed, one studied (not assessed), one never opened; V3: one unpaid."""
    return [
        {"enrollment_id": f"O1-{i}", "teacher_id": "V1", "course_id": f"K{i}", "period": "2201",
         "enrolled_at": dt.datetime(2022, 4, 20, 10, 0), "paid": "已支付", "progress": "100%", "passed": "通过",
         "hours_earned": 3, "passed_at": "2022年5月1日"}
        for i in range(1, 10)
    ] + [
        {"enrollment_id": f"O2-{i}", "teacher_id": "V2", "course_id": f"K{i}", "period": "2201",
         "enrolled_at": "2022/4/21", "paid": "已支付", "progress": "100%", "passed": "通过",
         "hours_earned": 3, "passed_at": "2022/5/2 08:00:00"}
        for i in range(1, 9)
    ] + [
        {"enrollment_id": "O2-9", "teacher_id": "V2", "course_id": "K9", "period": "2201", "enrolled_at": "2022/4/21",
         "paid": "已支付", "progress": "35.5%", "passed": "", "hours_earned": 0},
        {"enrollment_id": "O2-10", "teacher_id": "V2", "course_id": "K10", "period": "2201",
         "enrolled_at": "2022/4/21", "paid": "已支付", "progress": "0%", "passed": "未通过", "hours_earned": 0},
        {"enrollment_id": "O3-1", "teacher_id": "V3", "course_id": "K1", "period": "2201", "enrolled_at": "2022/4/22",
         "paid": "未支付", "progress": "0%", "passed": "", "hours_earned": 0},
    ]


def write_scenario(raw: Path) -> Path:
    """vendor_jjw (ITP 2.0, XLSX) and gz_city (regular, CSV) on one date each, plus the bureau's targets.

    ITP 2.0: V1 passes 9 courses of 3 h (27 h, completed); V2 passes 8 (24 h, not completed) and
    has one course studied but not passed and one paid but never opened; V3 only an unpaid
    selection; V4 registered but never logged in. Workshops: V1 certified, V2 submitted, V3 joined.
    """
    vendor = raw / "vendor_jjw" / "2022-09-19"
    write_xlsx(vendor, "teachers", [
        {"teacher_id": "V1", "national_id": "440101198001010011", "name": "甲", "district": "白云区",
         "school_id": "S1", "school_name": "一小", "school_ownership": "公办", "stage": "小学", "subject": "语文",
         "is_full_time": "Y", "status": "在职"},
        {"teacher_id": "V2", "national_id": "440101198001010022", "name": "乙", "district": "白云\u3000",
         "school_id": "S1", "school_name": "一小", "school_ownership": "公办", "stage": "小学", "subject": "学前教育",
         "is_full_time": "Y", "status": "离职"},
        {"teacher_id": "V3", "national_id": "440101198001010033", "name": "丙", "district": "市直",
         "school_id": "S2", "school_name": "二中", "school_ownership": "民办", "stage": "初中", "subject": "数学",
         "is_full_time": "N", "status": "在职"},
        {"teacher_id": "V4", "national_id": "440101198001010044", "name": "丁", "district": "市直属学校",
         "school_id": "S2", "school_name": "二中", "school_ownership": "民办", "stage": "初中", "subject": "数学",
         "is_full_time": "Y", "status": "在职"},
    ])
    write_xlsx(vendor, "courses", [
        {"course_id": f"K{i}", "course_name": f"微能力{i}", "program": ITP2, "period": "2201", "category": "通识必修",
         "subject": "信息技术", "credit_hours": "３" if i == 1 else 3}
        for i in range(1, 11)
    ])
    write_xlsx(vendor, "enrollments", itp2_enrollments())
    write_xlsx(vendor, "registrations", [
        {"teacher_id": t, "program": ITP2, "period": "2201", "registered_at": "2022/4/20",
         "first_login_at": "" if t == "V4" else "2022/4/20 09:00:00", "login_count": 0 if t == "V4" else 5,
         "posts": 1, "homework_submitted": 1}
        for t in ("V1", "V2", "V3", "V4")
    ])
    write_xlsx(vendor, "workshops", [
        {"teacher_id": "V1", "workshop_id": "W1", "period": "2201", "joined_at": "2022/5/1", "completed": "Y",
         "submitted": "Y", "certified": "通过"},
        {"teacher_id": "V2", "workshop_id": "W1", "period": "2201", "joined_at": "2022/5/1", "completed": "Y",
         "submitted": "Y", "certified": "未通过"},
        {"teacher_id": "V3", "workshop_id": "W2", "period": "2201", "joined_at": "2022/5/1", "completed": "",
         "submitted": "", "certified": ""},
    ])

    city = raw / "gz_city" / "2022-06-30"
    write_csv(city, "teachers", [
        {"teacher_id": "T1", "national_id": "440101198001010011", "name": "甲", "district": "白云区",
         "school_id": "S1", "school_name": "一小", "school_ownership": "公办", "stage": "小学", "subject": "语文",
         "is_full_time": "是", "status": "在职"},
        {"teacher_id": "T2", "national_id": "440101198001010055", "name": "戊", "district": "天河区",
         "school_id": "S3", "school_name": "三小", "school_ownership": "公办", "stage": "小学", "subject": "英语",
         "is_full_time": "是", "status": "在职"},
    ])
    write_csv(city, "courses", [
        {"course_id": f"C{i}", "course_name": f"常规课程{i}", "program": REGULAR, "period": "2201",
         "category": "专业必修", "subject": "语文", "credit_hours": "6", "tutor_id": "D1" if i == 1 else ""}
        for i in range(1, 4)
    ])
    write_csv(city, "enrollments", [
        {"enrollment_id": "E1", "teacher_id": "T1", "course_id": "C1", "period": "2201",
         "enrolled_at": "2022-04-20 10:31:05", "paid": "是", "progress": "100", "passed": "是", "hours_earned": "6",
         "passed_at": "2022-05-01"},
        {"enrollment_id": "E2", "teacher_id": "T2", "course_id": "C1", "period": "2201",
         "enrolled_at": "2022-04-21", "paid": "是", "progress": "50", "passed": "否", "hours_earned": "0"},
        {"enrollment_id": "E3", "teacher_id": "T2", "course_id": "C2", "period": "2201",
         "enrolled_at": "2022-04-21", "paid": "是", "progress": "100", "passed": "是", "hours_earned": "6",
         "passed_at": "2022-05-03"},
    ])
    write_csv(raw / "bureau" / "2022-04-20", "targets", [
        {"program": ITP2, "period": "2201", "district": "白云区", "expected_teachers": "3", "basis": "应参训",
         "as_of": "2022-04-20"},
        {"program": ITP2, "period": "2201", "district": "市直属学校", "expected_teachers": "2", "basis": "应参训",
         "as_of": "2022-04-20"},
        {"program": REGULAR, "period": "2201", "district": "白云区", "expected_teachers": "1", "basis": "有效在职",
         "as_of": "2022-04-20"},
        {"program": REGULAR, "period": "2201", "district": "天河区", "expected_teachers": "2", "basis": "有效在职",
         "as_of": "2022-04-20"},
    ])
    return raw
