"""Cell values: the shared yes/no vocabulary, required values, text length limits, headers as delivered."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.ingest.exports import ingest_exports
from tests.conftest import SALT
from tests.exports import write_csv, write_xlsx
from tests.test_ingest import ENROLLMENT, TEACHER, VENDOR_ENROLLMENT, rows

CONFIG = Path(__file__).resolve().parents[1] / "config"


@pytest.fixture
def config_root(tmp_path) -> Path:
    """A copy of config/ to change in a test; load it with load_config(root)."""
    root = tmp_path / "config"
    shutil.copytree(CONFIG, root)
    return root


def edit_yaml(path: Path, change) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(spec)
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_booleans_accept_every_known_vocabulary_in_either_dialect(tmp_path, ingest, warehouse):
    # The city platform exports its 支付状态 as a status (已支付 / 未支付), not 是/否: the whole file used to be
    # quarantined. Vendors send 是/否, 1/0, true/FALSE and full-width letters (ｙ folds to y).
    city = [
        {**ENROLLMENT, "enrollment_id": "E1", "paid": "已支付", "passed": "通过"},
        {**ENROLLMENT, "enrollment_id": "E2", "paid": "未支付", "passed": "未通过"},
        {**ENROLLMENT, "enrollment_id": "E3", "paid": "Y", "passed": "合格"},
        {**ENROLLMENT, "enrollment_id": "E4", "paid": "1", "passed": "不合格"},
        {**ENROLLMENT, "enrollment_id": "E5", "paid": "TRUE", "passed": "已完成"},
        {**ENROLLMENT, "enrollment_id": "E6", "paid": "否", "passed": "未完成"},
        {**ENROLLMENT, "enrollment_id": "E7", "paid": "", "passed": ""},
    ]
    write_csv(tmp_path / "raw" / "gz_city" / "2022-06-30", "enrollments", city)
    vendor = [
        {**VENDOR_ENROLLMENT, "enrollment_id": "O1", "paid": "是", "passed": "false"},
        {**VENDOR_ENROLLMENT, "enrollment_id": "O2", "paid": "0", "passed": "ｙ"},
        {**VENDOR_ENROLLMENT, "enrollment_id": "O3", "paid": "n", "passed": "True"},
    ]
    write_xlsx(tmp_path / "raw" / "vendor_jjw" / "2022-09-19", "enrollments", vendor)
    summary = ingest(tmp_path / "raw")
    assert [(r.status, r.quarantined_rows) for r in summary.results] == [("loaded", 0), ("loaded", 0)]
    assert rows(warehouse, "select enrollment_id, paid, passed from landing.enrollments order by 1") == [
        ("E1", True, True), ("E2", False, False), ("E3", True, True), ("E4", True, False), ("E5", True, True),
        ("E6", False, False), ("E7", None, None),
        ("O1", True, False), ("O2", False, True), ("O3", False, True),
    ]


def test_an_unknown_yes_no_value_is_quarantined_with_its_reason(tmp_path, ingest, warehouse):
    write_csv(tmp_path / "raw" / "gz_city" / "2022-06-30", "enrollments", [
        ENROLLMENT, {**ENROLLMENT, "enrollment_id": "E2", "paid": "待定"}, {**ENROLLMENT, "enrollment_id": "E3"}])
    ingest(tmp_path / "raw")
    ((reason,),) = rows(warehouse, "select reason from ingest.quarantine")
    assert reason.startswith("支付状态 (paid): expected a yes/no value such as 是/否")
    assert reason.endswith("config/vocabulary.yml), found 待定")


def test_vocabulary_is_configuration(tmp_path, warehouse, config_root):
    edit_yaml(config_root / "vocabulary.yml", lambda spec: spec["booleans"][True].append("缴讫"))
    write_csv(tmp_path / "raw" / "gz_city" / "2022-06-30", "enrollments", [{**ENROLLMENT, "paid": "缴讫"}])
    ingest_exports(warehouse, tmp_path / "raw", load_config(config_root), SALT, "r1")
    assert rows(warehouse, "select paid from landing.enrollments") == [(True,)]


def test_rows_missing_a_required_value_are_quarantined(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "enrollments", [
        ENROLLMENT,
        {**ENROLLMENT, "enrollment_id": "E2", "teacher_id": ""},
        {**ENROLLMENT, "enrollment_id": "E3", "course_id": " "},
    ] + [{**ENROLLMENT, "enrollment_id": f"E{i}"} for i in range(4, 60)])
    course = {"course_id": "C1", "course_name": "课程", "program": "市常规远程培训", "period": "2201",
              "category": "专业必修", "subject": "语文", "credit_hours": "6"}
    write_csv(folder, "courses", [course, {**course, "course_id": "C2", "program": ""}, {**course, "course_id": "C3"}])
    ingest(tmp_path / "raw")
    assert rows(warehouse, "select entity, line, column_name, reason from ingest.quarantine order by 1, 2") == [
        ("courses", 3, "培训项目 (program)", "培训项目 (program): missing required value"),
        ("enrollments", 3, "教师编号 (teacher_id)", "教师编号 (teacher_id): missing required value"),
        ("enrollments", 4, "课程编号 (course_id)", "课程编号 (course_id): missing required value"),
    ]
    assert rows(warehouse, "select count(*) from landing.enrollments where teacher_id is null or course_id is null"
                ) == [(0,)]


def test_every_column_that_links_a_row_is_required():
    entities = load_config().entities
    required = {(e.name, c.name) for e in entities.values() for c in e.columns if c.required}
    assert {("enrollments", "teacher_id"), ("enrollments", "course_id"), ("courses", "program"),
            ("courses", "period"), ("registrations", "program"), ("registrations", "period")} <= required
    assert all(c.required for e in entities.values() for c in e.key)  # a key is required too


def test_text_longer_than_the_limit_is_quarantined(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "teachers", [TEACHER, {**TEACHER, "teacher_id": "T2", "school_name": "校" * 501},
                                   {**TEACHER, "teacher_id": "T3", "school_name": "校" * 500}]
              + [{**TEACHER, "teacher_id": f"T{i}"} for i in range(4, 30)])
    ingest(tmp_path / "raw")
    assert rows(warehouse, "select line, reason from ingest.quarantine") == [
        (3, "学校名称 (school_name): text of 501 characters, longer than the limit of 500")]
    assert rows(warehouse, "select length(school_name) from landing.teachers where teacher_id = 'T3'") == [(500,)]


def test_text_limit_is_configurable_per_column(tmp_path, warehouse, config_root):
    edit_yaml(config_root / "ingest.yml", lambda spec: spec.update(text_max_chars=20))
    edit_yaml(config_root / "entities.yml",
              lambda spec: spec["teachers"]["columns"]["school_name"].update(max_chars=30))
    write_csv(tmp_path / "raw" / "gz_city" / "2022-06-30", "teachers", [
        {**TEACHER, "school_name": "校" * 30},
        {**TEACHER, "teacher_id": "T2", "school_name": "校" * 31},
        {**TEACHER, "teacher_id": "T3", "status": "在" * 21},
    ] + [{**TEACHER, "teacher_id": f"T{i}"} for i in range(4, 60)])
    ingest_exports(warehouse, tmp_path / "raw", load_config(config_root), SALT, "r1")
    assert rows(warehouse, "select line, reason from ingest.quarantine order by line") == [
        (3, "学校名称 (school_name): text of 31 characters, longer than the limit of 30"),
        (4, "在职状态 (status): text of 21 characters, longer than the limit of 20"),
    ]


def test_a_50_mb_csv_field_is_read_and_quarantined_not_published(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    huge = "校" * ((50 << 20) // 3)  # 50 MB of UTF-8 (3 bytes a character) in one cell
    write_csv(folder, "teachers", [TEACHER, {**TEACHER, "teacher_id": "T2", "school_name": huge}]
              + [{**TEACHER, "teacher_id": f"T{i}"} for i in range(3, 30)])
    assert (folder / "教师信息.csv").stat().st_size > 50 << 20
    result = ingest(tmp_path / "raw").results[0]
    assert (result.status, result.raw_rows, result.loaded_rows, result.quarantined_rows) == ("loaded", 29, 28, 1)
    ((line, reason, raw),) = rows(warehouse, "select line, reason, raw_values from ingest.quarantine")
    assert (line, reason) == (
        3, f"学校名称 (school_name): text of {len(huge)} characters, longer than the limit of 500")
    assert json.loads(raw)["学校名称"] == "校" * 1000 + "…"  # the quarantine keeps the start of the cell, not 50 MB
    assert rows(warehouse, "select max(length(school_name)) from landing.teachers") == [(2,)]


def test_an_xlsx_cell_at_the_excel_limit_is_quarantined(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "vendor_jjw" / "2022-09-19"
    long_name = "校" * 32767  # the most characters an Excel cell holds
    path = write_xlsx(folder, "teachers", [
        {**TEACHER, "is_full_time": "Y"}, {**TEACHER, "teacher_id": "T2", "school_name": long_name,
                                            "is_full_time": "Y"}]
        + [{**TEACHER, "teacher_id": f"T{i}", "is_full_time": "N"} for i in range(3, 30)])
    assert len(load_workbook(path).active.cell(4, 7).value) == 32767
    result = ingest(tmp_path / "raw").results[0]
    assert (result.status, result.loaded_rows, result.quarantined_rows) == ("loaded", 28, 1)
    assert rows(warehouse, "select line, reason from ingest.quarantine") == [
        (4, "单位名称 (school_name): text of 32767 characters, longer than the limit of 500")]


def test_headers_as_the_input_contract_prints_them(tmp_path, ingest, warehouse):
    """Headers typed from EXPORTS.md, not derived from config/: a wrong alias cannot hide."""
    city = tmp_path / "raw" / "gz_city" / "2022-06-30"
    city.mkdir(parents=True)
    with (city / "选课记录.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([
            ["选课编号", "教师编号", "课程编号", "期次", "选课时间", "支付状态", "学习进度", "是否通过", "获得学时",
             "通过时间"],
            ["E1", "T1", "C1", "2201", "2022-04-20 10:31:05", "已支付", "35", "是", "3", "2022-05-01"],
        ])
    vendor = tmp_path / "raw" / "vendor_jjw" / "2022-09-19"
    vendor.mkdir(parents=True)
    with (vendor / "选课记录.csv").open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([
            ["订单号", "学员编号", "课程代码", "培训期次", "报名时间", "是否缴费", "学习进度", "考核结果", "获得学时",
             "合格时间"],
            ["O1", "JJW1", "K1", "2201", "2022/4/20", "未支付", "35.5%", "通过", "3", "2022年5月1日"],
        ])
    with (vendor / "教师信息.csv").open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([
            ["学员编号", "证件号码", "学员姓名", "联系电话", "所属区县", "单位编码", "单位名称", "学校类型", "任教学段",
             "学科", "专任教师", "人员状态"],
            ["JJW1", "440101198001010011", "张三", "", "白云区", "S1", "一小", "公办", "小学", "语文", "Y", "在职"],
        ])
    with (city / "考核成绩.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([
            ["教师编号", "培训项目", "期次", "班级编号", "学习时长(分钟)", "工作坊发言数", "研修心得数", "学科作业合格",
             "作业互评数", "活动实践得分", "成果提交得分", "优秀学员"],
            ["T1", "国培计划", "2017", "秦州31班", "1620", "15", "2", "是", "10", "18", "20", "否"],
        ])
    with (city / "项目报告指标.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([
            ["培训项目", "期次", "区域", "指标", "报告值", "截止日期", "来源文件"],
            ["国培计划", "2017", "", "合格率", "99.1%", "2018-01-31", "项目绩效自评报告"],
        ])
    with (vendor / "考核成绩.csv").open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([
            ["学员编号", "项目名称", "培训期次", "班级", "课程学习时长", "有效发言数", "研修心得", "作业考核",
             "互评次数", "实践成绩", "成果成绩", "是否优秀"],
            ["JJW1", "国培计划", "2017", "武山17班", "810", "0", "2", "合格", "10", "20", "20", "N"],
        ])
    with (vendor / "项目报告指标.csv").open("w", encoding="gb18030", newline="") as fh:  # one header set
        csv.writer(fh).writerows([
            ["培训项目", "期次", "区域", "指标", "报告值", "截止日期", "来源文件"],
            ["国培计划", "2017", "秦州区", "调训人数", "3420", "2017/12/25", "项目绩效自评报告"],
        ])
    # 校本研修 (PROGRAMS.md section 1): city header and row, vendor header and row
    school_based = {
        "校本研修活动": (
            ["活动编号", "学校编号", "教研组编号", "教研组名称", "培训项目", "期次", "活动类型", "设定学时",
             "已上传佐证", "发布时间"],
            ["A1", "S1", "G1", "语文组", "能力提升工程2.0", "2201", "线下活动", "8", "是",
             "2022-05-06 09:30:00"],
            ["活动ID", "单位编码", "教研组ID", "教研组", "项目名称", "培训期次", "活动类型", "活动学时", "佐证材料",
             "发布日期"],
            ["HD1", "DW1", "JYZ1", "数学组", "能力提升工程2.0", "2201", "教学研讨", "", "未上传", "2022/5/6"],
        ),
        "校本研修参与": (
            ["活动编号", "教师编号", "指定参与", "完成时间"], ["A1", "T1", "是", ""],
            ["活动ID", "学员编号", "是否指定", "完成日期"], ["HD1", "JJW1", "", "2022年5月8日"],
        ),
        "整校验收": (
            ["学校编号", "培训项目", "期次", "验收结果", "验收时间"],
            ["S1", "能力提升工程2.0", "2201", "通过", "2022-09-01"],
            ["单位编码", "项目名称", "培训期次", "是否通过", "验收日期"],
            ["DW1", "能力提升工程2.0", "2201", "未通过", ""],
        ),
    }
    for stem, (city_header, city_row, vendor_header, vendor_row) in school_based.items():
        with (city / f"{stem}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows([city_header, city_row])
        with (vendor / f"{stem}.csv").open("w", encoding="gb18030", newline="") as fh:
            csv.writer(fh).writerows([vendor_header, vendor_row])
    summary = ingest(tmp_path / "raw")
    assert sorted((r.unit.source, r.unit.entity, r.status, r.loaded_rows) for r in summary.results) == [
        ("gz_city", "assessment_scores", "loaded", 1), ("gz_city", "enrollments", "loaded", 1),
        ("gz_city", "school_acceptance", "loaded", 1), ("gz_city", "school_activities", "loaded", 1),
        ("gz_city", "school_activity_participation", "loaded", 1), ("gz_city", "vendor_claims", "loaded", 1),
        ("vendor_jjw", "assessment_scores", "loaded", 1), ("vendor_jjw", "enrollments", "loaded", 1),
        ("vendor_jjw", "school_acceptance", "loaded", 1), ("vendor_jjw", "school_activities", "loaded", 1),
        ("vendor_jjw", "school_activity_participation", "loaded", 1), ("vendor_jjw", "teachers", "loaded", 1),
        ("vendor_jjw", "vendor_claims", "loaded", 1)]
    assert rows(warehouse, "select teacher_id, class_id, study_minutes, homework_passed, results_score, excellent "
                           "from landing.assessment_scores order by 1") == [
        ("JJW1", "武山17班", 810.0, True, 20.0, False), ("T1", "秦州31班", 1620.0, True, 20.0, False)]
    assert rows(warehouse, "select source_name, district, metric, claimed_value, as_of from landing.vendor_claims "
                           "order by 1") == [
        ("gz_city", None, "合格率", "99.1%", dt.date(2018, 1, 31)),
        ("vendor_jjw", "秦州区", "调训人数", "3420", dt.date(2017, 12, 25))]
    assert rows(warehouse, "select source_name, activity_id, school_id, group_id, group_name, type, hours_set, "
                           "evidence_uploaded, published_at from landing.school_activities order by 1") == [
        ("gz_city", "A1", "S1", "G1", "语文组", "线下活动", 8.0, True, dt.datetime(2022, 5, 6, 9, 30)),
        ("vendor_jjw", "HD1", "DW1", "JYZ1", "数学组", "教学研讨", None, False, dt.datetime(2022, 5, 6)),
    ]
    assert rows(warehouse, "select source_name, activity_id, teacher_id, designated, completed_at "
                           "from landing.school_activity_participation order by 1") == [
        ("gz_city", "A1", "T1", True, None), ("vendor_jjw", "HD1", "JJW1", None, dt.datetime(2022, 5, 8))]
    assert rows(warehouse, "select source_name, school_id, program, period, passed, passed_at "
                           "from landing.school_acceptance order by 1") == [
        ("gz_city", "S1", "能力提升工程2.0", "2201", True, dt.date(2022, 9, 1)),
        ("vendor_jjw", "DW1", "能力提升工程2.0", "2201", False, None)]
    assert rows(warehouse, "select enrollment_id, teacher_id, course_id, enrolled_at, paid, progress, passed "
                           "from landing.enrollments order by 1") == [
        ("E1", "T1", "C1", dt.datetime(2022, 4, 20, 10, 31, 5), True, 35.0, True),
        ("O1", "JJW1", "K1", dt.datetime(2022, 4, 20), False, 35.5, True),
    ]
    assert rows(warehouse, "select teacher_id, district, is_full_time from landing.teachers") == [
        ("JJW1", "白云区", True)]


def test_jiangxi_headers_as_the_input_contract_prints_them(tmp_path, ingest, warehouse):
    """考核结果, 承训机构 and the teachers' 设区市 / 持有教师资格证, headers typed from EXPORTS.md."""
    city = tmp_path / "raw" / "jx_aopeng" / "2022-10-20"
    city.mkdir(parents=True)
    with (city / "考核结果.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["教师编号", "培训项目", "学年度", "考核结果", "考核时间"],
                                  ["A1", "全员培训", "2021-2022", "合格", "2022-10-08"]])
    with (city / "教师信息.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([
            ["教师编号", "身份证号", "姓名", "手机号码", "设区市", "区域", "学校编号", "学校名称", "办学性质", "学段",
             "任教学科", "是否专任教师", "在职状态", "持有教师资格证"],
            ["A1", "360502198001010011", "李四", "", "宜春市", "袁州区", "S1", "一小", "公办", "小学", "语文", "是",
             "在职", "是"],
        ])
    vendor = tmp_path / "raw" / "jx_srt" / "2022-10-20"
    vendor.mkdir(parents=True)
    with (vendor / "考核结果.csv").open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([["学员编号", "项目名称", "学年", "考核结论", "考核日期"],
                                  ["S1", "全员培训", "2021-2022", "不合格", "2022/10/9"]])
    with (vendor / "教师信息.csv").open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([
            ["学员编号", "证件号码", "学员姓名", "联系电话", "所属地市", "所属区县", "单位编码", "单位名称", "学校类型",
             "任教学段", "学科", "专任教师", "人员状态", "教师资格证"],
            ["S1", "361101198001010011", "王五", "", "上饶市", "信州区", "S9", "二中", "公办", "初中", "数学", "Y",
             "在职", "N"],
        ])
    bureau = tmp_path / "raw" / "bureau_jx" / "2022-07-05"
    bureau.mkdir(parents=True)
    with (bureau / "承训机构.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["承训机构", "对接地市", "培训项目", "学年度", "单价(元/学时)"],
                                  ["北京奥鹏远程教育中心有限公司", "宜春市", "全员培训", "2021-2022", "1.5"]])
    summary = ingest(tmp_path / "raw")
    assert sorted((r.unit.source, r.unit.entity, r.status, r.loaded_rows) for r in summary.results) == [
        ("bureau_jx", "institutions", "loaded", 1), ("jx_aopeng", "assessment_results", "loaded", 1),
        ("jx_aopeng", "teachers", "loaded", 1), ("jx_srt", "assessment_results", "loaded", 1),
        ("jx_srt", "teachers", "loaded", 1)]
    assert rows(warehouse, "select teacher_id, result, assessed_at from landing.assessment_results order by 1") == [
        ("A1", True, dt.date(2022, 10, 8)), ("S1", False, dt.date(2022, 10, 9))]
    assert rows(warehouse, "select teacher_id, city, district, holds_certificate from landing.teachers order by 1") == [
        ("A1", "宜春市", "袁州区", True), ("S1", "上饶市", "信州区", False)]
    assert rows(warehouse, "select institution, city, unit_price from landing.institutions") == [
        ("北京奥鹏远程教育中心有限公司", "宜春市", 1.5)]
