"""Jiangxi 全员培训's exports: 考核结果 (assessment_results), 承训机构 (institutions, from the bureau) and the
teachers' optional 设区市 / 持有教师资格证 columns, in both dialects, with their bad rows in quarantine."""

from __future__ import annotations

import datetime as dt

import duckdb

from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.ingest.ddl import ensure_schema
from tests.exports import write_csv, write_xlsx
from tests.test_ingest import TEACHER, rows

RESULT = {"teacher_id": "JX1", "program": "全员培训", "school_year": "2021-2022", "result": "合格",
          "assessed_at": "2022-10-08"}
INSTITUTION = {"institution": "北京继教网教育科技发展有限公司", "city": "吉安市", "program": "全员培训",
               "school_year": "2021-2022", "unit_price": "1.5"}
JX_TEACHER = {**TEACHER, "teacher_id": "JX1", "city": "吉安市", "district": "吉州区", "holds_certificate": "是"}


def manifest(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return rows(con, "select source_name, entity, status, raw_rows, loaded_rows, quarantined_rows "
                     "from ingest.load_manifest order by 1, 2")


def test_assessment_results_load_from_a_city_csv(tmp_path, ingest, warehouse):
    write_csv(tmp_path / "raw" / "jx_aopeng" / "2022-10-20", "assessment_results", [
        RESULT,
        {**RESULT, "teacher_id": "JX2", "result": "不合格", "assessed_at": "2022-10-09"},
        {**RESULT, "teacher_id": "JX3", "result": "", "assessed_at": ""},  # not assessed yet
    ] + [{**RESULT, "teacher_id": f"JX{i}"} for i in range(4, 30)])
    summary = ingest(tmp_path / "raw")
    assert [(r.status, r.dialect, r.raw_rows, r.loaded_rows) for r in summary.results] == [
        ("loaded", "city", 29, 29)]
    assert rows(warehouse, "select teacher_id, program, school_year, result, assessed_at, source_line "
                           "from landing.assessment_results where teacher_id in ('JX1', 'JX2', 'JX3') order by 1") == [
        ("JX1", "全员培训", "2021-2022", True, dt.date(2022, 10, 8), 2),
        ("JX2", "全员培训", "2021-2022", False, dt.date(2022, 10, 9), 3),
        ("JX3", "全员培训", "2021-2022", None, None, 4),
    ]


def test_assessment_results_load_from_a_vendor_workbook_with_a_title_row(tmp_path, ingest, warehouse):
    write_xlsx(tmp_path / "raw" / "jx_jjw" / "2022-10-20", "assessment_results", [
        {**RESULT, "assessed_at": "2022/10/8"},
        {**RESULT, "teacher_id": "JX2\u3000", "result": "不合格", "assessed_at": dt.datetime(2022, 10, 9)},
        {**RESULT, "teacher_id": "ＪＸ3", "result": "通过", "assessed_at": "2022年10月15日"},
    ], title="考核结果导出（截止2022年10月20日）")
    result = ingest(tmp_path / "raw").results[0]
    assert (result.status, result.dialect, result.raw_rows, result.loaded_rows) == ("loaded", "vendor", 3, 3)
    assert rows(warehouse, "select teacher_id, result, assessed_at, source_line from landing.assessment_results "
                           "order by 1") == [
        ("JX1", True, dt.date(2022, 10, 8), 3),
        ("JX2", False, dt.date(2022, 10, 9), 4),
        ("JX3", True, dt.date(2022, 10, 15), 5),
    ]


def test_bad_assessment_results_are_quarantined_with_file_line_column_and_reason(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "jx_srt" / "2022-10-20"
    path = write_csv(folder, "assessment_results", [
        RESULT,
        {**RESULT, "teacher_id": "JX2", "result": "待定"},
        {**RESULT, "teacher_id": "JX3", "assessed_at": "2022年13月1日"},
        {**RESULT, "teacher_id": "", "result": "合格"},
        {**RESULT, "teacher_id": "JX5", "school_year": ""},
        RESULT,  # the same teacher, program and year again
    ] + [{**RESULT, "teacher_id": f"JX{i}"} for i in range(10, 110)], dialect="vendor")
    result = ingest(tmp_path / "raw").results[0]
    assert (result.status, result.raw_rows, result.loaded_rows, result.quarantined_rows) == ("loaded", 106, 101, 5)
    assert rows(warehouse, "select source_file, line, column_name, reason from ingest.quarantine order by line") == [
        (str(path), 3, "考核结论 (result)",
         "考核结论 (result): expected a yes/no value such as 是/否 or 已支付/未支付 (config/vocabulary.yml), "
         "found 待定"),
        (str(path), 4, "考核日期 (assessed_at)",
         "考核日期 (assessed_at): expected a date such as 2022/4/20 or 2022年4月20日 or 2022/4/20 10:31:05, "
         "found 2022年13月1日"),
        (str(path), 5, "学员编号 (teacher_id)", "学员编号 (teacher_id): missing key value"),
        (str(path), 6, "学年 (school_year)", "学年 (school_year): missing key value"),
        (str(path), 7, "teacher_id, program, school_year", "teacher_id, program, school_year: duplicate key, "
                                                           "first seen at line 2"),
    ]
    ((loaded,),) = rows(warehouse, "select count(*) from landing.assessment_results")
    ((quarantined,),) = rows(warehouse, "select count(*) from ingest.quarantine")
    assert loaded + quarantined == result.raw_rows


def test_institutions_load_from_the_bureau(tmp_path, ingest, warehouse):
    write_csv(tmp_path / "raw" / "bureau_jx" / "2022-07-05", "institutions", [
        INSTITUTION,
        {**INSTITUTION, "city": "抚州市"},
        {**INSTITUTION, "institution": "高等教育出版社", "city": "南昌市", "unit_price": "1.50"},
        {**INSTITUTION, "institution": "高等教育出版社", "city": "九江市", "unit_price": "一元五角"},
    ])
    result = ingest(tmp_path / "raw").results[0]
    assert (result.status, result.raw_rows, result.loaded_rows, result.quarantined_rows) == ("loaded", 4, 3, 1)
    assert rows(warehouse, "select institution, city, program, school_year, unit_price from landing.institutions "
                           "order by source_line") == [
        ("北京继教网教育科技发展有限公司", "吉安市", "全员培训", "2021-2022", 1.5),
        ("北京继教网教育科技发展有限公司", "抚州市", "全员培训", "2021-2022", 1.5),
        ("高等教育出版社", "南昌市", "全员培训", "2021-2022", 1.5),
    ]
    assert rows(warehouse, "select line, reason from ingest.quarantine") == [
        (5, "单价(元/学时) (unit_price): expected a number, found 一元五角")]


def test_teachers_carry_city_and_certificate_in_both_dialects(tmp_path, ingest, warehouse):
    write_csv(tmp_path / "raw" / "jx_aopeng" / "2022-09-05", "teachers", [
        {**JX_TEACHER, "teacher_id": "A1", "city": "宜春市", "district": "袁州区"},
        {**JX_TEACHER, "teacher_id": "A2", "city": "萍乡", "district": "安源区", "holds_certificate": "否"},
        {**JX_TEACHER, "teacher_id": "A3", "city": "景德镇市", "district": "珠山区", "holds_certificate": ""},
    ])
    write_xlsx(tmp_path / "raw" / "jx_jjw" / "2022-09-05", "teachers", [
        {**JX_TEACHER, "teacher_id": "J1", "is_full_time": "Y", "holds_certificate": "有"},
        {**JX_TEACHER, "teacher_id": "J2", "city": "抚州市\u3000", "district": "临川区", "is_full_time": "Y",
         "holds_certificate": "无"},
    ])
    write_csv(tmp_path / "raw" / "gz_city" / "2022-06-30", "teachers", [TEACHER])  # Guangzhou: neither column
    ingest(tmp_path / "raw")
    assert [m[2:] for m in manifest(warehouse)] == [("loaded", 1, 1, 0), ("loaded", 3, 3, 0), ("loaded", 2, 2, 0)]
    assert rows(warehouse, "select source_name, teacher_id, city, district, holds_certificate from landing.teachers "
                           "order by 1, 2") == [
        ("gz_city", "T1", None, "白云区", None),
        ("jx_aopeng", "A1", "宜春市", "袁州区", True),
        ("jx_aopeng", "A2", "萍乡", "安源区", False),
        ("jx_aopeng", "A3", "景德镇市", "珠山区", None),
        ("jx_jjw", "J1", "吉安市", "吉州区", True),
        ("jx_jjw", "J2", "抚州市", "临川区", False),
    ]


def test_an_unlisted_jiangxi_platform_is_recognised_from_its_headers(tmp_path, ingest, warehouse):
    assert "jx_newvendor" not in load_config().sources
    write_csv(tmp_path / "raw" / "jx_newvendor" / "2022-10-20", "assessment_results",
              [RESULT, {**RESULT, "teacher_id": "JX2"}], dialect="vendor")
    write_xlsx(tmp_path / "raw" / "jx_newvendor" / "2022-10-20", "teachers", [{**JX_TEACHER, "is_full_time": "Y"}])
    summary = ingest(tmp_path / "raw")
    assert sorted((r.unit.entity, r.status, r.dialect, r.loaded_rows) for r in summary.results) == [
        ("assessment_results", "loaded", "vendor", 2), ("teachers", "loaded", "vendor", 1)]
    assert rows(warehouse, "select city, holds_certificate from landing.teachers") == [("吉安市", True)]


def test_a_warehouse_made_before_the_new_columns_gains_them(tmp_path, ingest, warehouse):
    """landing.teachers of an older warehouse has no city or certificate column: they are added (NULL in old loads)."""
    config = load_config()
    ensure_schema(warehouse, config)
    warehouse.execute("alter table landing.teachers drop column city; "
                      "alter table landing.teachers drop column holds_certificate")
    warehouse.execute("insert into landing.teachers (load_id, source_name, export_date, teacher_id, source_line) "
                      "values ('old', 'gz_city', date '2022-06-23', 'T0', 2)")
    write_xlsx(tmp_path / "raw" / "jx_jjw" / "2022-09-05", "teachers", [{**JX_TEACHER, "is_full_time": "Y"}])
    ingest(tmp_path / "raw")
    assert rows(warehouse, "select teacher_id, city, holds_certificate from landing.teachers order by 1") == [
        ("JX1", "吉安市", True), ("T0", None, None)]
