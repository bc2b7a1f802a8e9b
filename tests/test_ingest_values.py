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
    summary = ingest(tmp_path / "raw")
    assert sorted((r.unit.source, r.unit.entity, r.status, r.loaded_rows) for r in summary.results) == [
        ("gz_city", "enrollments", "loaded", 1), ("vendor_jjw", "enrollments", "loaded", 1),
        ("vendor_jjw", "teachers", "loaded", 1)]
    assert rows(warehouse, "select enrollment_id, teacher_id, course_id, enrolled_at, paid, progress, passed "
                           "from landing.enrollments order by 1") == [
        ("E1", "T1", "C1", dt.datetime(2022, 4, 20, 10, 31, 5), True, 35.0, True),
        ("O1", "JJW1", "K1", dt.datetime(2022, 4, 20), False, 35.5, True),
    ]
    assert rows(warehouse, "select teacher_id, district, is_full_time from landing.teachers") == [
        ("JJW1", "白云区", True)]
