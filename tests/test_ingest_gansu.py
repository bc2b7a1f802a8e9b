"""Ingest of the 国培计划 entities (EXPORTS.md): 考核成绩 (assessment_scores) and 项目报告指标
(vendor_claims), in both dialects, with their bad rows quarantined by file, line, column and reason."""

from __future__ import annotations

import datetime as dt
import shutil

from tests.conftest import SAMPLE
from tests.exports import write_csv, write_xlsx
from tests.test_ingest import rows

SCORE = {
    "teacher_id": "GP1", "program": "国培计划", "period": "2017", "class_id": "秦州31班", "study_minutes": "1620",
    "workshop_posts": "15", "reflections": "2", "homework_passed": "是", "peer_reviews": "10",
    "practice_score": "18.5", "results_score": "20", "excellent": "否",
}
VENDOR_SCORE = {**SCORE, "homework_passed": "通过", "excellent": "Y"}
CLAIM = {
    "program": "国培计划", "period": "2017", "district": "", "metric": "合格率", "claimed_value": "99.1%",
    "as_of": "2018-01-31", "document": "项目绩效自评报告",
}


def test_scores_load_from_a_city_csv(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "bureau_tianshui" / "2017-12-25"
    write_csv(folder, "assessment_scores", [
        SCORE,
        {**SCORE, "teacher_id": "GP2", "study_minutes": "810", "workshop_posts": "0", "homework_passed": "否",
         "practice_score": "", "results_score": "", "excellent": ""},
    ])
    summary = ingest(tmp_path / "raw")
    assert [(r.status, r.loaded_rows, r.quarantined_rows) for r in summary.results] == [("loaded", 2, 0)]
    assert rows(warehouse, "select teacher_id, program, period, class_id, study_minutes, workshop_posts, "
                           "reflections, homework_passed, peer_reviews, practice_score, results_score, excellent "
                           "from landing.assessment_scores order by 1") == [
        ("GP1", "国培计划", "2017", "秦州31班", 1620.0, 15, 2, True, 10, 18.5, 20.0, False),
        ("GP2", "国培计划", "2017", "秦州31班", 810.0, 0, 2, False, 10, None, None, None),
    ]


def test_scores_load_from_a_vendor_xlsx_with_a_title_row(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "vendor_ahtvu" / "2017-12-25"
    write_xlsx(folder, "assessment_scores", [
        {**VENDOR_SCORE, "study_minutes": 2210, "practice_score": 17.5},
        {**VENDOR_SCORE, "teacher_id": "ＧＰ２\u3000", "study_minutes": "１６２０", "homework_passed": "未通过",
         "excellent": ""},
    ], title="考核成绩导出（截止2017年12月25日）", trailing_blank_rows=3)
    summary = ingest(tmp_path / "raw")
    result = summary.results[0]
    assert (result.dialect, result.status, result.raw_rows, result.loaded_rows) == ("vendor", "loaded", 2, 2)
    assert rows(warehouse, "select teacher_id, study_minutes, homework_passed, practice_score, excellent, "
                           "source_line from landing.assessment_scores order by 1") == [
        ("GP1", 2210.0, True, 17.5, True, 3),
        ("GP2", 1620.0, False, 18.5, None, 4),
    ]


def test_bad_score_rows_are_quarantined_with_line_column_and_reason(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "vendor_ahtvu" / "2017-12-25"
    good = [{**VENDOR_SCORE, "teacher_id": f"GP{i}"} for i in range(10, 110)]
    write_xlsx(folder, "assessment_scores", [
        VENDOR_SCORE,
        {**VENDOR_SCORE, "teacher_id": "GP2", "study_minutes": "一千六百"},
        {**VENDOR_SCORE, "teacher_id": "GP3", "class_id": ""},
        {**VENDOR_SCORE, "teacher_id": "GP4", "homework_passed": "待评"},
        {**VENDOR_SCORE, "study_minutes": "0"},
        *good,
    ], title="考核成绩导出（截止2017年12月25日）")
    summary = ingest(tmp_path / "raw")
    result = summary.results[0]
    assert (result.status, result.raw_rows, result.loaded_rows, result.quarantined_rows) == ("loaded", 105, 101, 4)
    assert rows(warehouse, "select source_file like '%考核成绩.xlsx', line, column_name, reason "
                           "from ingest.quarantine order by line") == [
        (True, 4, "课程学习时长 (study_minutes)", "课程学习时长 (study_minutes): expected a number, found 一千六百"),
        (True, 5, "班级 (class_id)", "班级 (class_id): missing required value"),
        (True, 6, "作业考核 (homework_passed)",
         "作业考核 (homework_passed): expected a yes/no value such as 是/否 or 已支付/未支付 "
         "(config/vocabulary.yml), found 待评"),
        (True, 7, "teacher_id, program, period", "teacher_id, program, period: duplicate key, first seen at line 3"),
    ]
    assert rows(warehouse, "select count(*) from landing.assessment_scores") == [(101,)]


def test_claims_load_in_either_dialect_and_may_repeat(tmp_path, ingest, warehouse):
    """A report prints one figure twice; a whole-project figure has no district: no key, nothing lost."""
    write_csv(tmp_path / "raw" / "bureau_tianshui" / "2018-01-31", "vendor_claims", [
        CLAIM, CLAIM, {**CLAIM, "metric": "调训人数", "claimed_value": "6983", "district": "秦州区"}])
    write_xlsx(tmp_path / "raw" / "vendor_ahtvu" / "2018-01-31", "vendor_claims", [
        {**CLAIM, "claimed_value": "１００ ％", "metric": "参训率", "as_of": dt.datetime(2017, 12, 25)},
        {**CLAIM, "as_of": "2017年12月20日"},
    ], title="项目报告指标")
    summary = ingest(tmp_path / "raw")
    assert sorted((r.unit.source, r.dialect, r.loaded_rows, r.quarantined_rows) for r in summary.results) == [
        ("bureau_tianshui", "city", 3, 0), ("vendor_ahtvu", "vendor", 2, 0)]
    assert rows(warehouse, "select source_name, district, metric, claimed_value, as_of from landing.vendor_claims "
                           "order by source_name, source_line") == [
        ("bureau_tianshui", None, "合格率", "99.1%", dt.date(2018, 1, 31)),
        ("bureau_tianshui", None, "合格率", "99.1%", dt.date(2018, 1, 31)),
        ("bureau_tianshui", "秦州区", "调训人数", "6983", dt.date(2018, 1, 31)),
        ("vendor_ahtvu", None, "参训率", "100 %", dt.date(2017, 12, 25)),
        ("vendor_ahtvu", None, "合格率", "99.1%", dt.date(2017, 12, 20)),
    ]


def test_bad_claim_rows_are_quarantined(tmp_path, ingest, warehouse):
    write_csv(tmp_path / "raw" / "bureau_tianshui" / "2018-01-31", "vendor_claims", [
        CLAIM, {**CLAIM, "as_of": "2018-02-30"}, {**CLAIM, "claimed_value": ""}, {**CLAIM, "document": ""},
        *[CLAIM] * 96])
    result = ingest(tmp_path / "raw").results[0]
    assert (result.raw_rows, result.loaded_rows, result.quarantined_rows) == (100, 97, 3)
    assert rows(warehouse, "select line, reason from ingest.quarantine order by line") == [
        (3, "截止日期 (as_of): expected a date such as 2022-04-20 or 2022-04-20 10:31:05, found 2018-02-30"),
        (4, "报告值 (claimed_value): missing required value"),
        (5, "来源文件 (document): missing required value"),
    ]
    assert rows(warehouse, """
        select count(*) from ingest.load_manifest m
        where raw_rows = loaded_rows + quarantined_rows
          and loaded_rows = (select count(*) from landing.vendor_claims c where c.load_id = m.load_id)""") == [(1,)]


def test_the_bundled_gansu_exports_load_with_their_traps_quarantined(tmp_path, ingest, warehouse):
    """data/raw's Gansu folders: every file loads; 考核成绩's two trap rows (a stale copy of a trainee, minutes
    in words) are quarantined, so 6983 trainees land from 6985 rows."""
    for source in ("vendor_ahtvu", "bureau_tianshui"):
        shutil.copytree(SAMPLE / source, tmp_path / "raw" / source)
    summary = ingest(tmp_path / "raw")
    assert sorted((r.unit.source, r.unit.entity, r.status, r.raw_rows, r.loaded_rows, r.quarantined_rows)
                  for r in summary.results) == [
        ("bureau_tianshui", "targets", "loaded", 3, 3, 0),
        ("bureau_tianshui", "vendor_claims", "loaded", 65, 65, 0),
        ("vendor_ahtvu", "assessment_scores", "loaded", 6985, 6983, 2),
        ("vendor_ahtvu", "courses", "loaded", 54, 54, 0),
        ("vendor_ahtvu", "registrations", "loaded", 6983, 6983, 0),
        ("vendor_ahtvu", "surveys", "loaded", 3949, 3949, 0),
        ("vendor_ahtvu", "teachers", "loaded", 6983, 6983, 0),
    ]
    assert rows(warehouse, "select column_name, reason like '%一千六百' or reason like '%duplicate key%' "
                           "from ingest.quarantine order by line") in (
        [("课程学习时长 (study_minutes)", True), ("teacher_id, program, period", True)],
        [("teacher_id, program, period", True), ("课程学习时长 (study_minutes)", True)],
    )
    assert rows(warehouse, "select count(distinct class_id), count(*) filter (where excellent), "
                           "count(*) filter (where study_minutes > 0) from landing.assessment_scores") == [
        (70, 837, 6958)]
