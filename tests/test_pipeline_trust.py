"""Never publish a wrong number: the real nightly job with a format change and with an unknown program."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.defs.publish.tables import published_table, to_csv
from tests.exports import headers, write_csv, write_xlsx
from tests.scenario import ITP2, itp2_enrollments, write_scenario

NEW_PROGRAM = "某新项目"
CITY_ENROLLMENT = {"enrollment_id": "E1", "teacher_id": "T1", "course_id": "C1", "period": "2201",
                   "enrolled_at": "2022-04-20 10:31:05", "paid": "是", "progress": "100", "passed": "是",
                   "hours_earned": "6", "passed_at": "2022-05-01"}
ITP2_TEACHER_ROWS = [
    "白云区,3,2,66.67%,2,1,33.33%,50.00%,2,2,66.67%,100.00%,2,1,33.33%,50.00%",
    "市直属,2,1,50.00%,0,0,0.00%,0.00%,1,0,0.00%,0.00%,0,0,0.00%,0.00%",
    "合计,5,3,60.00%,2,1,20.00%,33.33%,3,2,40.00%,66.67%,2,1,20.00%,33.33%",
]


def digest(home: Path, run_id: str) -> list[str]:
    """The lines of the run's Chinese digest, as the project office gets it (<home>/logs/digest-<run>.txt)."""
    return (home / "logs" / f"digest-{run_id}.txt").read_text(encoding="utf-8").splitlines()


def published(home, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "analytics.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def format_change(tmp_path_factory):
    """Night 1: the hand-sized scenario. Night 2: the city platform re-delivers its enrollments in a new format
    (36 of 40 rows unreadable), and the vendor re-delivers its registrations (V4 has now logged in)."""
    root = tmp_path_factory.mktemp("format_change")
    raw, home = write_scenario(root / "raw"), root / "home"
    first = run_nightly(raw, home)
    assert first.success, first.reason
    rows = [{**CITY_ENROLLMENT, "enrollment_id": f"N{i}"} for i in range(1, 41)]
    for i in range(20):
        rows[i]["paid"] = "已缴清"  # not a yes/no value anyone knows
    for i in range(20, 30):
        rows[i]["enrolled_at"] = "20.04.2022"
    for i in range(30, 36):
        rows[i]["progress"] = "七成"
    write_csv(raw / "gz_city" / "2022-06-30", "enrollments", rows)
    write_xlsx(raw / "vendor_jjw" / "2022-09-19", "registrations", [
        {"teacher_id": t, "program": ITP2, "period": "2201", "registered_at": "2022/4/20",
         "first_login_at": "2022/4/20 09:00:00", "login_count": 5, "posts": 1, "homework_submitted": 1}
        for t in ("V1", "V2", "V3", "V4")
    ])
    second = run_nightly(raw, home)
    return home, first, second


def test_a_rejected_file_fails_the_run_and_keeps_the_previous_delivery(format_change):
    home, _, second = format_change
    assert not second.success
    assert second.reason.startswith("1 export file(s) could not be loaded; first: ")
    assert "rejected as a format change: 36 of 40 data rows (90.0%) failed" in second.reason
    # the city's first delivery stays in force: the regular program's figures are those of night 1
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select string_agg(enrollment_id, ',' order by enrollment_id) from landing.enrollments "
                           "where source_name = 'gz_city'").fetchall() == [("E1,E2,E3",)]
    assert "市常规远程培训 2201 as of 2022-06-30: participation 66.67% (2/3)" in second.report


def test_other_sources_still_load_and_publish(format_change):
    home, _, second = format_change
    assert published(home, "select run_id from docs.publication") == [(second.run_id,)]  # night 2 published
    table = to_csv(published_table(home / "analytics.duckdb", "itp2_district_teachers", "2201"))
    assert table.splitlines()[1:][-1].startswith("合计,5,4,80.00%")  # V4 logged in: the vendor's re-delivery
    assert "能力提升工程2.0 2201 as of 2022-09-19: participation 80.00% (4/5)" in second.report


def test_the_digest_names_the_rejection_with_its_three_most_common_reasons(format_change):
    home, _, second = format_change
    lines = digest(home, second.run_id)
    start = lines.index("● 导出文件格式变化，整个文件未导入（1）")
    head, *reasons = lines[start + 1:start + 5]
    assert head.startswith("  - [新] ") and head.endswith(
        "gz_city/2022-06-30/选课记录.csv：40 行中 36 行无法读取（90.00%），超过拒收阈值 5%，视为格式变化："
        "整个文件未导入，此前导入的数据继续有效。最常见的原因：")
    assert reasons[0].startswith("      1. 支付状态 (paid): expected a yes/no value such as 是/否")
    assert reasons[0].endswith("（20 行；例：第 2 行 选课编号=N1，教师编号=T1，课程编号=C1，期次=2201，"
                               "选课时间=2022-04-20 10:31:05，支付状态=已缴清，学习进度=100，是否通过=是，获得学时=6，"
                               "通过时间=2022-05-01）")
    assert reasons[1].startswith("      2. 选课时间 (enrolled_at): expected a date such as 2022-04-20")
    assert reasons[1].endswith("（10 行；例：第 22 行 选课编号=N21，教师编号=T1，课程编号=C1，期次=2201，"
                               "选课时间=20.04.2022，支付状态=是，学习进度=100，是否通过=是，获得学时=6，"
                               "通过时间=2022-05-01）")
    assert reasons[2].startswith("      3. 学习进度 (progress): expected a percent from 0 to 100（6 行；例：第 32 行 ")


@pytest.fixture(scope="module")
def unknown_program(tmp_path_factory):
    """The scenario plus a vendor's new project: two courses, a registration and two enrollments of 某新项目."""
    root = tmp_path_factory.mktemp("unknown_program")
    raw = write_scenario(root / "raw")
    vendor = raw / "vendor_jjw" / "2022-09-26"
    scenario = raw / "vendor_jjw" / "2022-09-19"
    vendor.mkdir(parents=True)
    for name in ("教师信息.xlsx", "工作坊.xlsx"):
        (vendor / name).write_bytes((scenario / name).read_bytes())
    courses = [{"course_id": f"K{i}", "course_name": f"微能力{i}", "program": ITP2, "period": "2201",
                "category": "通识必修", "subject": "信息技术", "credit_hours": 3} for i in range(1, 11)]
    write_xlsx(vendor, "courses", courses + [
        {"course_id": f"X{i}", "course_name": f"新项目课程{i}", "program": NEW_PROGRAM, "period": "2201",
         "category": "通识必修", "subject": "信息技术", "credit_hours": 3} for i in (1, 2)])
    write_xlsx(vendor, "enrollments", itp2_enrollments() + [
        {"enrollment_id": f"X-{i}", "teacher_id": "V1", "course_id": f"X{i}", "period": "2201",
         "enrolled_at": "2022/9/20", "paid": "已支付", "progress": "50%", "passed": "", "hours_earned": 0}
        for i in (1, 2)])
    write_xlsx(vendor, "registrations", [
        {"teacher_id": t, "program": p, "period": "2201", "registered_at": "2022/4/20",
         "first_login_at": "" if t == "V4" else "2022/4/20 09:00:00", "login_count": 0 if t == "V4" else 5,
         "posts": 1, "homework_submitted": 1}
        for t, p in (("V1", ITP2), ("V2", ITP2), ("V3", ITP2), ("V4", ITP2), ("V1", NEW_PROGRAM))
    ])
    home = root / "home"
    return home, run_nightly(raw, home)


def test_an_unknown_program_is_reported_and_everything_else_publishes(unknown_program):
    home, outcome = unknown_program
    assert outcome.success, outcome.reason
    assert ("  - [新] vendor_jjw 2022-09-26 培训项目“某新项目”不在项目配置（programs 种子）中：课程 2 门，注册 1 条，"
            "选课 2 人次；未计入项目统计") in digest(home, outcome.run_id)
    table = to_csv(published_table(home / "analytics.duckdb", "itp2_district_teachers", "2201"))
    assert table.splitlines()[1:] == ITP2_TEACHER_ROWS  # as on 2022-09-19: the new project's rows change nothing
    assert "市常规远程培训 2201 as of 2022-06-30: participation 66.67% (2/3)" in outcome.report


def test_the_program_facts_do_not_hold_the_unknown_program(unknown_program):
    home, _ = unknown_program
    facts = [name for (name,) in published(
        home, "select table_name from information_schema.columns where table_schema = 'marts' "
              "and column_name = 'program' and (table_name like 'fct_%' or table_name = 'dim_program')")]
    assert {"dim_program", "fct_district_training", "fct_program_training", "fct_course_training"} <= set(facts)
    for table in facts:
        assert published(home, f"select count(*) from marts.{table} where program = '{NEW_PROGRAM}'") == [(0,)]
    assert published(home, "select count(*) from marts.fct_program_training where export_date = '2022-09-26' "
                           "and program = '能力提升工程2.0'") == [(1,)]


def test_two_programs_sharing_a_period_on_one_export_date_both_publish(tmp_path):
    """市常规远程培训 2201 and 能力提升工程2.0 2201 exported the same day: each has its own 合计 row in
    各项目各区培训情况, and the totals check tells them apart (its frame's grain carries the program).
    One of the city's 4 enrollments names a course missing from the catalog, as the contract says may
    happen: a warning in the digest, not a night left unpublished."""
    raw = write_scenario(tmp_path / "raw")
    city = raw / "gz_city" / "2022-09-19"
    (raw / "gz_city" / "2022-06-30").rename(city)
    enrollments = list(csv.DictReader((city / "选课记录.csv").open(encoding="utf-8-sig")))
    write_csv(city, "enrollments", [
        *({key: row[header] for key, header in headers("city", "enrollments").items() if header in row}
          for row in enrollments),
        {**CITY_ENROLLMENT, "enrollment_id": "E4", "course_id": "C9"},  # T1, already a participant
    ])
    outcome = run_nightly(raw, tmp_path / "home")
    assert outcome.success, outcome.reason
    lines = digest(tmp_path / "home", outcome.run_id)
    assert any("gz_city 2022-09-19 选课记录：1 / 4 人次的课程不在课程目录中（25.00%）" in line for line in lines)
    assert not any("超过阈值" in line for line in lines)
    totals = published(tmp_path / "home", "select program, expected_teachers, participants "
                       "from reports.report_program_districts where _period = '2201' "
                       "and _export_date = '2022-09-19' and district = '合计' order by program")
    # ITP 2.0: targets 白云区 3 + 市直属 2, participants V1 V2 V3 (logged in); regular: 白云区 1 + 天河区 2,
    # participants T1 T2 (a paid selection)
    assert totals == [("市常规远程培训", 3, 2), ("能力提升工程2.0", 5, 3)]
    with duckdb.connect(str(tmp_path / "home" / "warehouse.duckdb"), read_only=True) as con:
        groups = con.execute("select distinct report_group from qa.qa_report_totals "
                             "where report = 'report_program_districts' order by 1").fetchall()
    assert groups == [("市常规远程培训",), ("能力提升工程2.0",)]
