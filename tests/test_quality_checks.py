"""Each data-quality check on a small warehouse: clean it passes; one bad row fails exactly that check.

Every case breaks one row of tests/quality_warehouse.py and names the checks that must fail, with
their unexpected counts and the digest line that names the district, course or file and its numbers.
Each rule is checked once: studying > paid is a rate over 100% (subset_rate_over_100), not also a
broken nesting; where one bad row breaks two rules (passed > paid and passed > studying), the case
says so. The frames are the views of dbt/models/quality over the broken tables.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest

from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.quality import runner
from dagster_project.defs.quality.frames import frame_of
from dagster_project.defs.quality.policy import load_quality_config
from dagster_project.defs.quality.runner import SuiteError, validate
from dagster_project.defs.quality.suites import suite_json, suite_names
from tests.quality_warehouse import ITP1, ITP2, NOW, clean_warehouse

CONFIG = load_quality_config()
LANDING = "qa.qa_export_units"
DISTRICT_ROWS, DISTRICTS = "qa.qa_district_training", "marts.fct_district_training"
COURSE_ROWS, COURSES = "qa.qa_course_training", "marts.fct_course_training"
KEY_ROWS, KEYS = "qa.qa_enrollments_referenced", "intermediate.int_enrollments_referenced"
NAME_ROWS, NAMES = "qa.qa_teacher_names", "staging.stg_platform__teachers"
TOTALS = "qa.qa_report_totals"
# 全员培训 teachers as fct_trainee_teachers holds them (the values follow), then dated the program's latest export.
JX_TEACHERS = (
    "insert into marts.fct_trainee_teachers (source_name, teacher_id, person_key, city, city_vendors, "
    "holds_certificate, is_trained, is_participant, credits) values "
)
JX_DATED = ("; update marts.fct_trainee_teachers set export_date = '2022-10-20', program_code = 'jiangxi_quanyuan', "
            "school_year = '2021-2022'")
LATEST_CONGHUA = f"program = '{ITP2}' and district = '从化区' and export_date = '2022-09-19'"
LATEST_BAIYUN = (f"program = '{ITP2}' and district = '白云区' and school_ownership = '全部' "
                 "and export_date = '2022-09-19'")


@dataclasses.dataclass(frozen=True)
class Case:
    suite: str
    sql: str
    failures: dict[tuple[str, str], int]  # (table, check) -> unexpected count
    message: str  # a line the digest shows
    config: dict[str, float] = dataclasses.field(default_factory=dict)  # threshold overrides


CASES = {
    "quarantine share of a file": Case(
        LANDING,
        "update ingest.load_manifest set quarantined_rows = 5, raw_rows = 105 where load_id = 'e30'",
        {("landing.enrollments", "quarantine_share"): 1},
        "gz_city 2022-06-30 选课记录.csv：隔离 5 / 105 行（4.76%）",
    ),
    "duplicate enrollment id in an export": Case(
        LANDING,
        """insert into ingest.quarantine values ('e30', 'gz_city', '2022-06-30', 'enrollments', 'f', 7,
               'enrollment_id', 'enrollment_id: duplicate key, first seen at line 3', null,
               'enrollment_id: duplicate key')""",
        {("landing.enrollments", "duplicate_keys"): 1},
        "gz_city 2022-06-30 选课记录.csv：1 行主键重复（已隔离）",
    ),
    "row count drop from the previous export": Case(
        LANDING,
        "delete from landing.enrollments where load_id = 'e30' and source_line < 30",
        {("landing.enrollments", "row_count_drop"): 1},
        # 2022-06-23 holds 100 rows and the 3 of UNKNOWN_PROGRAMS: 33 / 103 = 32.038...%
        "gz_city 选课记录：2022-06-30 共 70 行，比 2022-06-23 的 103 行少 32.04%",
    ),
    "source without a new export": Case(
        LANDING,
        "update ingest.load_manifest set loaded_at = '2022-06-29 12:00' where load_id = 't30'",
        {("landing.teachers", "export_freshness"): 1},
        "gz_city 教师信息：最新导出为 2022-06-30，已 38 小时没有新导出",
    ),
    "participation over a frozen headcount": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set participants = 8644 where {LATEST_CONGHUA}",
        {(DISTRICTS, "headcount_rate_over_100"): 1},
        "能力提升工程2.0 2201 从化区 参训率 101.65%（8644 / 8504），其中 140 名参训教师不在冻结名册内",
    ),
    "training rate over the frozen 专任教师": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set participants = 12604 where program = '{ITP1}'",
        {(DISTRICTS, "headcount_rate_over_100"): 1},
        "能力提升工程 ALL 花都区 培训率 113.17%（12604 / 11137），其中 500 名参训教师不在冻结名册内",
    ),
    "graduation over the frozen 专任教师": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set graduates = 11200 where program = '{ITP1}'",
        {(DISTRICTS, "headcount_rate_over_100"): 1},
        "能力提升工程 ALL 花都区 结业率 100.57%（11200 / 11137），其中 300 名结业教师不在冻结名册内",
    ),
    "completed over participants": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set course_selected = 20500, course_completed = 20500 "
        f"where {LATEST_BAIYUN}",
        {(DISTRICTS, "subset_rate_over_100"): 1},
        "能力提升工程2.0 2201 白云区 完成率(按实参训) 100.53%（20500 / 20392），截至 2022-09-19",
    ),
    "workshop completed over participants": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set workshop_selected = 20500, workshop_completed = 20500 "
        f"where {LATEST_BAIYUN}",
        {(DISTRICTS, "subset_rate_over_100"): 1},
        "工作坊完成率(按实参训) 100.53%（20500 / 20392）",
    ),
    "certified over participants (so workshop completed too)": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set workshop_selected = 20500, workshop_completed = 20500, "
        f"submitted = 20500, certified = 20500 where {LATEST_BAIYUN}",
        {(DISTRICTS, "subset_rate_over_100"): 2},
        "认证完成率(按实参训) 100.53%（20500 / 20392）",
    ),
    "studying over paid (a rate, checked once)": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set enrollments_learning = 50001 where {LATEST_CONGHUA}",
        {(DISTRICTS, "subset_rate_over_100"): 1},
        "能力提升工程2.0 2201 从化区 学习率 100.00%（50001 / 50000），截至 2022-09-19",
    ),
    "passed over paid (a rate and a nesting)": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set enrollments_passed = 51000 where {LATEST_CONGHUA}",
        {(DISTRICTS, "subset_rate_over_100"): 1, (DISTRICTS, "district_nesting"): 1},
        "能力提升工程2.0 2201 从化区 通过率 102.00%（51000 / 50000），截至 2022-09-19",
    ),
    "passed over studying": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set enrollments_passed = 49500 where {LATEST_CONGHUA}",
        {(DISTRICTS, "district_nesting"): 1},
        "能力提升工程2.0 2201 从化区 通过人次 49500 > 参与学习人次 49000，截至 2022-09-19",
    ),
    "completed over selected": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set course_completed = 8301 where {LATEST_CONGHUA}",
        {(DISTRICTS, "district_nesting"): 1},
        "能力提升工程2.0 2201 从化区 完成学习人数 8301 > 选课人数 8300，截至 2022-09-19",
    ),
    "certified over submitted": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set certified = 7950 where {LATEST_CONGHUA}",
        {(DISTRICTS, "district_nesting"): 1},
        "从化区 认证通过人数 7950 > 完成提交人数 7900",
    ),
    "submitted over workshop completed": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set submitted = 8050 where {LATEST_CONGHUA}",
        {(DISTRICTS, "district_nesting"): 1},
        "从化区 完成提交人数 8050 > 工作坊完成人数 8000",
    ),
    "workshop completed over selected": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set workshop_completed = 8200 where {LATEST_CONGHUA}",
        {(DISTRICTS, "district_nesting"): 1},
        "从化区 工作坊完成人数 8200 > 选坊人数 8100",
    ),
    "nesting broken per school ownership": Case(
        DISTRICT_ROWS,
        "update marts.fct_district_training set enrollments_passed = 69500 where school_ownership = '公办'",
        {(DISTRICTS, "district_nesting"): 1},
        "能力提升工程2.0 2201 白云区（公办） 通过人次 69500 > 参与学习人次 69000",
    ),
    "district with participants but no target": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set expected_teachers = null where {LATEST_BAIYUN}",
        {(DISTRICTS, "district_without_target"): 1},
        "能力提升工程2.0 2201 白云区 有 20392 名参训教师，但应参训人数表中没有该区",
    ),
    "passed enrollments fell": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set enrollments_passed = 36000 where {LATEST_CONGHUA}",
        {(DISTRICTS, "counter_fell"): 1},
        "能力提升工程2.0 2201 从化区 通过人次由 37000（2022-09-12）降至 36000（2022-09-19）",
    ),
    "certified teachers fell": Case(
        DISTRICT_ROWS,
        f"update marts.fct_district_training set certified = 6000 where {LATEST_CONGHUA}",
        {(DISTRICTS, "counter_fell"): 1},
        "从化区 认证通过人数由 6500（2022-09-12）降至 6000（2022-09-19）",
    ),
    "course without enrollments": Case(
        COURSE_ROWS,
        """update marts.fct_course_training set is_zero_enrollment = true, enrollments_paid = 0,
               enrollments_learning = 0, enrollments_passed = 0 where course_id = 'C2'""",
        {(COURSES, "zero_enrollment_courses"): 1},
        "市常规远程培训 2201 课程 C2 课程二：无人选课（截至 2022-06-30）",
    ),
    "course passed over studying": Case(
        COURSE_ROWS,
        "update marts.fct_course_training set enrollments_passed = 10 where course_id = 'C1' "
        "and export_date = '2022-06-30'",
        {(COURSES, "course_nesting"): 1},
        "课程 C1 课程一 通过人次 10 > 参与学习人次 9（gz_city 截至 2022-06-30）",
    ),
    "course studying over paid": Case(
        COURSE_ROWS,
        "update marts.fct_course_training set enrollments_learning = 11 where course_id = 'C1' "
        "and export_date = '2022-06-30'",
        {(COURSES, "course_nesting"): 1},
        "课程 C1 课程一 参与学习人次 11 > 已支付选课人次 10（gz_city 截至 2022-06-30）",
    ),
    "enrollment of an unknown course, under the threshold": Case(
        KEY_ROWS,
        "update intermediate.int_enrollments_referenced set unknown_course_enrollments = 1 "
        "where export_date = '2022-06-30'",
        {(KEYS, "unknown_keys"): 1},
        "gz_city 2022-06-30 选课记录：1 / 100 人次的课程不在课程目录中（1.00%）",
    ),
    "enrollment of an unknown teacher, under the threshold": Case(
        KEY_ROWS,
        "update intermediate.int_enrollments_referenced set unknown_teacher_enrollments = 1 "
        "where export_date = '2022-06-30'",
        {(KEYS, "unknown_keys"): 1},
        "gz_city 2022-06-30 选课记录：1 / 100 人次的教师不在教师信息中（1.00%）",
    ),
    "enrollment of an unknown course, above the threshold": Case(
        KEY_ROWS,
        "update intermediate.int_enrollments_referenced set unknown_course_enrollments = 1 "
        "where export_date = '2022-06-30'",
        {(KEYS, "unknown_keys_share"): 1},
        "1 / 100 人次的课程不在课程目录中（1.00%），超过阈值",
        config={"unknown_key_share_max": 0.005},
    ),
    "teacher in an unknown district": Case(
        NAME_ROWS,
        "insert into staging.stg_platform__teachers (source_name, export_date, teacher_id, district, subject) "
        "values ('gz_city', '2022-06-30', 'T5', '开发区', '语文')",
        {(NAMES, "unknown_district"): 1},
        "gz_city 2022-06-30 教师信息：区域「开发区」无法识别（1 名教师）",
    ),
    "teacher of an unknown subject": Case(
        NAME_ROWS,
        "insert into staging.stg_platform__teachers (source_name, export_date, teacher_id, district, subject) "
        "values ('gz_city', '2022-06-30', 'T5', '白云区', '书法')",
        {(NAMES, "unknown_subject"): 1},
        "gz_city 2022-06-30 教师信息：学科「书法」无法识别（1 名教师）",
    ),
    "teacher table 合计 is not the sum of its rows": Case(
        TOTALS,
        "update reports.report_itp2_district_teachers set participants = 28793 where district = '合计'",
        {("reports.report_itp2_district_teachers", "report_totals"): 1},
        "能力提升工程2.0 各区培训情况（教师） 2201 截至 2022-09-19 参训人数：合计 28793 ≠ 各行之和 28792",
    ),
    "subject table 总计 is not the sum of its rows": Case(
        TOTALS,
        "update reports.report_itp1_subject set completed_teachers = 700 where subject = '数学'",
        {("reports.report_itp1_subject", "report_totals"): 1},
        "能力提升工程 各学科培训情况 1702 截至 2017-06-30 完成人数：总计 1000 ≠ 各行之和 1354",
    ),
    "enrollment table 合计 is not the sum of its rows": Case(
        TOTALS,
        "update reports.report_itp2_district_enrollments set enrollments_paid = 1 where district = '合计'",
        {("reports.report_itp2_district_enrollments", "report_totals"): 1},
        "能力提升工程2.0 各区网络培训情况统计（人次） 2201 截至 2022-09-19 学员选课已支付人次：合计 1 "
        "≠ 各行之和 145000",
    ),
    "a program no configuration knows in a source's latest export": Case(
        "qa.qa_unknown_programs",
        "update landing.courses set export_date = '2022-06-30' where program = '某新项目'; "
        "update landing.registrations set export_date = '2022-06-30' where program = '某新项目'; "
        "update landing.enrollments set export_date = '2022-06-30' where course_id like 'NEW%'",
        {("marts.dim_program", "unknown_programs"): 1},
        "gz_city 2022-06-30 培训项目“某新项目”不在项目配置（programs 种子）中：课程 2 门，注册 1 条，选课 3 人次；"
        "未计入项目统计",
    ),
    "an 优秀 teacher who did not pass 双合格": Case(
        "qa.qa_score_teachers",
        "insert into marts.fct_teacher_scores (source_name, export_date, program_code, program, period, teacher_id, "
        "class_id, online_score, offline_score, total_score, is_passed, is_excellent) values ('vendor_ahtvu', "
        "'2017-12-25', 'guopei', '国培计划', '2017', 'GP1', '秦州01班', 50, 20, 70, false, true), ('vendor_ahtvu', "
        "'2017-12-25', 'guopei', '国培计划', '2017', 'GP2', '秦州01班', 50, 30, 80, true, true)",
        {("marts.fct_teacher_scores", "excellent_not_passed"): 1},
        "vendor_ahtvu 2017-12-25 国培计划 2017 班级 秦州01班 学员 GP1 被评为优秀学员，"
        "但未合格（网络研修 50 分，校本研修 20 分）",
    ),
    "a reviewer's 23 points of 20": Case(
        "qa.qa_score_items",
        "insert into marts.fct_teacher_item_scores (source_name, export_date, program_code, program, period, "
        "teacher_id, item, measure, measure_value, points, score, is_in_range) values ('vendor_ahtvu', '2017-12-25', "
        "'guopei', '国培计划', '2017', 'GP2', '成果提交', 'results_score', 23, 20, 23, false), ('vendor_ahtvu', "
        "'2017-12-25', 'guopei', '国培计划', '2017', 'GP2', '活动实践', 'practice_score', 20, 20, 20, true)",
        {("marts.fct_teacher_item_scores", "score_out_of_range"): 1},
        "vendor_ahtvu 2017-12-25 国培计划 2017 学员 GP2：考核项目“成果提交”得分 23 超出 0–20 分",
    ),
    "a report's survey shares that add up to 100.28%": Case(
        "qa.qa_survey_shares",
        "insert into landing.vendor_claims (load_id, source_name, export_date, program, period, metric, claimed_value, "
        "as_of, document, source_line) values "
        "('c1', 'bureau_tianshui', '2018-01-31', '国培计划', '2017', '满意度/坊主活动开展/非常满意', '58.5%', "
        "'2018-01-31', '自评报告', 1), "
        "('c1', 'bureau_tianshui', '2018-01-31', '国培计划', '2017', '满意度/坊主活动开展/满意', '41.78%', "
        "'2018-01-31', '自评报告', 2), "
        "('c1', 'bureau_tianshui', '2018-01-31', '国培计划', '2017', '满意度/平台功能/满意', '100.0%', "
        "'2018-01-31', '自评报告', 3)",
        {("marts.fct_survey_items", "survey_shares_not_100"): 1},
        "自评报告（国培计划 2017，截至 2018-01-31）满意度调查项目“坊主活动开展”2 个等级占比之和为 100.28%，不是100%"
        "（舍入误差至多 0.055%）",
    ),
    "a district that trained more teachers than planned": Case(
        "qa.qa_score_plan",
        "insert into marts.fct_score_districts (program_code, program, period, export_date, district, stage_group, "
        "trained, planned) values ('guopei', '国培计划', '2017', '2017-12-25', '秦州区', '全部', 3420, 3380), "
        "('guopei', '国培计划', '2017', '2017-12-25', '武山县', '全部', 1900, 1953), "
        "('guopei', '国培计划', '2017', '2017-12-25', '秦州区', '中小学', 3230, null)",
        {("marts.fct_score_districts", "trained_over_plan"): 1},  # not 武山县, nor the whole program (5320 < 5333)
        "国培计划 2017 秦州区（截至 2017-12-25）：调训 3420 人，计划 3380 人，超出计划 40 人",
    ),
    "a vendor's claim its own figures contradict": Case(
        "qa.qa_vendor_claims",
        "insert into marts.fct_claim_checks (source_name, document, as_of, program_code, program, period, district, "
        "metric, claimed_value, claimed_number, rule, basis, expected_value, numerator_value, denominator_value, "
        "expected_display, is_contradicted) values ('bureau_tianshui', '自评报告', '2018-01-31', 'guopei', '国培计划', "
        "'2017', null, '合格率', '99.1%', 99.1, 'ratio', '报告的合格人数 / 调训人数', 0.9957, 6953, 6983, "
        "'99.57%', true), "
        "('bureau_tianshui', '自评报告', '2018-01-31', 'guopei', '国培计划', '2017', null, '调训人数', '6983', 6983, "
        "'figure', '记录', 6983, null, null, '6983', false)",
        {("marts.fct_claim_checks", "vendor_claim_inconsistent"): 1},
        "自评报告（截至 2018-01-31）国培计划 2017 全项目：合格率 报告为 99.1%，"
        "而报告的合格人数 / 调训人数 6953 / 6983 = 99.57%",
    ),
    "a city with trainees and no vendor": Case(
        "qa.qa_trainee_cities",
        JX_TEACHERS + "('jx_hep', 'GJ1', 'p1', '赣江新区', 0, true, true, true, 3), "
        "('jx_hep', 'GJ2', 'p2', '赣江新区', 0, true, false, true, 0), "
        "('jx_hep', 'GJ3', 'p3', '南昌', 1, true, true, true, 3)" + JX_DATED,
        {("marts.fct_trainee_teachers", "city_without_vendor"): 1},  # 南昌 has its vendor
        "赣江新区（2021-2022，截至 2022-10-20）无承训机构：参训对象 2 人，实际参训 1 人；学分照常登记，不计入结算",
    ),
    "a city two vendors serve": Case(
        "qa.qa_trainee_cities",
        JX_TEACHERS + "('jx_hep', 'GJ1', 'p1', '南昌', 2, true, true, true, 3)" + JX_DATED,
        {("marts.fct_trainee_teachers", "city_two_vendors"): 1},
        "南昌（2021-2022，截至 2022-10-20）对接 2 家承训机构，每个设区市只能有一家；结算无法确定",
    ),
    "a teacher with more than 3 credits a year over two platforms": Case(
        "qa.qa_trainee_cities",
        JX_TEACHERS + "('jx_hep', 'GJ1', 'p1', '南昌', 1, true, true, true, 3), "
        "('jx_srt', 'SR1', 'p1', '南昌', 1, true, true, true, 2), "
        "('jx_srt', 'SR2', 'p2', '南昌', 1, true, true, true, 3)" + JX_DATED,
        {("marts.fct_trainee_teachers", "credits_over_year_max"): 1},
        "南昌（2021-2022，截至 2022-10-20）：1 名教师年度学分超过上限 3 分",
    ),
    "a trained teacher without a certificate": Case(
        "qa.qa_trainee_cities",
        JX_TEACHERS + "('jx_srt', 'SR1', 'p1', '上饶', 1, false, true, false, 0), "
        "('jx_srt', 'SR2', 'p2', '上饶', 1, false, false, false, 0)" + JX_DATED,  # SR2 never studied: no trainee
        {("marts.fct_trainee_teachers", "trained_without_certificate"): 1},
        "上饶（2021-2022，截至 2022-10-20）：1 名未持教师资格证的教师参加了培训（不是参训对象）",
    ),
    "study after 网络研修 and an assessment outside 考核": Case(
        "qa.qa_records_outside_phase",
        JX_TEACHERS + "('jx_srt', 'SR1', 'p1', '上饶', 1, true, true, true, 3)" + JX_DATED + ";"
        "insert into marts.fct_records_outside_phase (source_name, export_date, program_code, school_year, role, "
        "phase, teacher_id, record_id, recorded_on, starts_on, ends_on, days_outside) values "
        "('jx_srt', '2022-10-20', 'jiangxi_quanyuan', '2021-2022', 'study', '网络研修与送培送教', 'SR1', 'E1', "
        "'2022-10-05', '2022-07-23', '2022-09-30', 5), "
        "('jx_srt', '2022-10-20', 'jiangxi_quanyuan', '2021-2022', 'study', '网络研修与送培送教', 'SR1', 'E2', "
        "'2022-10-12', '2022-07-23', '2022-09-30', 12), "
        "('jx_srt', '2022-10-20', 'jiangxi_quanyuan', '2021-2022', 'assessment', '考核', 'SR1', null, "
        "'2022-10-17', '2022-10-01', '2022-10-15', 2), "
        "('jx_srt', '2022-09-05', 'jiangxi_quanyuan', '2021-2022', 'assessment', '考核', 'SR1', null, "
        "'2022-09-01', '2022-10-01', '2022-10-15', -30)",  # an older export: not the latest, not reported
        {("marts.fct_records_outside_phase", "study_after_phase"): 1,
         ("marts.fct_records_outside_phase", "assessment_outside_phase"): 1},
        "jx_srt（2021-2022，截至 2022-10-20）：2 条课程在网络研修与送培送教阶段（2022-07-23—2022-09-30）之外通过，"
        "涉及 1 名教师，最多超出 12 天",
    ),
}


def failures(outcomes) -> dict[tuple[str, str], int]:
    return {(o.table, o.check): o.unexpected_count for o in outcomes if not o.passed}


def test_clean_warehouse_passes_every_check(tmp_path):
    con = clean_warehouse(tmp_path / "warehouse.duckdb")
    run = validate(con, suite_names(), CONFIG, NOW)
    assert failures(run.outcomes) == {}
    checked = {(o.table, o.check) for o in run.outcomes}
    landing_checks = 4 * len(load_config().entities)  # each landing table: quarantine, duplicates, drop, freshness
    reports_with_totals = frame_of(TOTALS).tables
    # the five of Guangzhou, every program by district, 校本研修 districts and overall, 国培计划 districts, 全员培训
    # settlement, schools, regions
    assert len(reports_with_totals) == 12
    school_based_checks = 4 + 1 + 1  # qa.qa_school_activities, qa.qa_school_based_hours, qa.qa_school_participation
    guopei_checks = 6  # qa.qa_score_teachers, qa_score_items, qa_survey_shares, qa_score_plan, qa_vendor_claims (2)
    jiangxi_checks = 4 + 2  # qa.qa_trainee_cities, qa.qa_records_outside_phase
    assert len(checked) == len(run.outcomes) == (landing_checks + 12 + school_based_checks + guopei_checks
                                                 + jiangxi_checks + len(reports_with_totals))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_one_bad_row_fails_exactly_its_check(tmp_path, case: Case):
    con = clean_warehouse(tmp_path / "warehouse.duckdb")
    config = CONFIG.model_copy(update={"thresholds": CONFIG.thresholds.model_copy(update=case.config)})
    con.execute(case.sql)
    outcomes = validate(con, [case.suite], config, NOW).outcomes
    assert failures(outcomes) == case.failures
    messages = [s.message for o in outcomes for s in o.subjects]
    assert any(case.message in m for m in messages), messages


def test_freshness_is_measured_from_an_injected_now_and_skips_exempt_entities(tmp_path):
    con = clean_warehouse(tmp_path / "warehouse.duckdb")
    later = validate(con, [LANDING], CONFIG, NOW + dt.timedelta(days=2)).outcomes
    # gz_city's newest files were loaded 2022-06-30 03:00; the bureau's targets months ago, but they are exempt.
    assert failures(later) == {
        ("landing.enrollments", "export_freshness"): 1, ("landing.teachers", "export_freshness"): 1}


def test_only_the_latest_export_is_held_to_warnings(tmp_path):
    con = clean_warehouse(tmp_path / "warehouse.duckdb")
    con.execute("update ingest.load_manifest set quarantined_rows = 50 where load_id = 'e23'")
    con.execute("update marts.fct_course_training set is_zero_enrollment = true where export_date = '2022-06-23'")
    assert failures(validate(con, [LANDING, COURSE_ROWS], CONFIG, NOW).outcomes) == {}


def test_impossible_figures_are_errors_on_every_export_date(tmp_path):
    con = clean_warehouse(tmp_path / "warehouse.duckdb")
    con.execute("update marts.fct_district_training set enrollments_passed = 39500 "
                "where district = '从化区' and export_date = '2022-09-12'")
    outcomes = validate(con, [DISTRICT_ROWS], CONFIG, NOW).outcomes
    assert failures(outcomes) == {(DISTRICTS, "district_nesting"): 1}
    assert [o.severity.value for o in outcomes if not o.passed] == ["ERROR"]


def test_fingerprints_are_stable_while_the_numbers_change(tmp_path):
    con = clean_warehouse(tmp_path / "warehouse.duckdb")

    def subject(participants: int):
        con.execute(f"update marts.fct_district_training set participants = {participants} where {LATEST_CONGHUA}")
        (failed,) = [o for o in validate(con, [DISTRICT_ROWS], CONFIG, NOW).outcomes if not o.passed]
        return failed.subjects[0]

    first, second = subject(8644), subject(8700)
    assert first.fingerprint == second.fingerprint and first.message != second.message
    assert first.names == {"program": ITP2, "period": "2201", "district": "从化区", "school_ownership": "全部"}


def test_an_expectation_that_cannot_be_evaluated_is_an_error_not_a_pass(tmp_path, monkeypatch):
    con = clean_warehouse(tmp_path / "warehouse.duckdb")
    broken = copy.deepcopy(suite_json(COURSE_ROWS))
    broken["expectations"][0]["kwargs"]["column"] = "no_such_column"
    monkeypatch.setattr(runner, "suite_json", lambda name: broken if name == COURSE_ROWS else suite_json(name))
    with pytest.raises(SuiteError, match="no_such_column"):
        validate(con, [COURSE_ROWS], CONFIG, NOW)
