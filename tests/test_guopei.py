"""国培计划 (seed 002, PROGRAMS.md section 2) on the bundled sample: the nightly job scores the Gansu
exports by config/programs/guopei.yml and publishes guopei_summary, guopei_scores and guopei_survey
with the seed's published figures; the program and Tianshui's districts are known, not WARNed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from dagster_project.cli import main
from dagster_project.defs.publish.tables import published_database, published_table, read_published
from dagster_project.defs.publish.workbook import default_name


@pytest.fixture(scope="module")
def published(sample_home: Path) -> Path:
    return published_database(sample_home)


def test_summary_reproduces_the_published_figures(published: Path):
    table = published_table(published, "guopei_summary", "2017")
    assert list(table.columns) == ["district", "trained", "primary_secondary", "kindergarten", "planned",
                                   "plan_rate", "login_rate", "learning_rate", "pass_rate"]
    assert list(table["district"]) == ["天水市直", "秦州区", "武山县", "合计"]
    total = table.iloc[-1].to_dict()
    # 调训 6983 = 6588 + 395; 6983 / 6893 = 101.306…%; 6958 / 6983 = 99.641…%; 6888 / 6958 = 98.993…%
    assert total == {"district": "合计", "trained": 6983, "primary_secondary": 6588, "kindergarten": 395,
                     "planned": 6893, "plan_rate": "101.31%", "login_rate": "100.00%", "learning_rate": "99.64%",
                     "pass_rate": "98.99%"}
    assert table["trained"].iloc[:3].sum() == 6983 and (table["trained"] > table["planned"]).all()


def test_pass_rate_is_passed_over_learners(sample_home: Path):
    with duckdb.connect(str(sample_home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("""
            select trained, learners, passed, excellent, over_plan from marts.fct_score_districts
            where program_code = 'guopei' and district = '秦州区' and stage_group = '全部'
        """).fetchone()[0] == 3420
        assert con.execute("""
            select sum(trained), sum(logged_in), sum(learners), sum(passed), sum(excellent), sum(over_plan)
            from marts.fct_score_districts where program_code = 'guopei' and stage_group = '全部'
        """).fetchone() == (6983, 6983, 6958, 6888, 837, 90)
        assert con.execute("select count(*), count(distinct class_id) from marts.fct_score_classes "
                           "where program_code = 'guopei'").fetchone() == (70, 70)


def test_scores_per_teacher_with_two_decimals(published: Path):
    table = published_table(published, "guopei_scores", "2017")
    assert list(table.columns) == ["district", "class_id", "teacher_id", "online_score", "offline_score",
                                   "total_score", "passed", "excellent"]
    assert len(table) == 6983 and table["teacher_id"].is_unique and table["class_id"].nunique() == 70
    assert table["online_score"].str.fullmatch(r"\d+\.\d\d").all()
    assert (table["passed"] == "是").sum() == 6888 and (table["excellent"] == "是").sum() == 837
    # the test vectors are among the trainees: 35 online with 40 offline fails, and so does 60 with 23
    fails = table[table["passed"] == "否"]
    pairs = set(zip(fails["online_score"], fails["offline_score"], strict=True))
    assert {("35.00", "40.00"), ("60.00", "23.00")} <= pairs


def test_survey_item_1_shares_of_359_answers(published: Path):
    table = published_table(published, "guopei_survey", "2017")
    assert list(table.columns) == ["item", "level", "answers", "share"]
    first = table[table["item"] == "学员对项目的整体满意度"]
    assert [tuple(r) for r in first[["level", "answers", "share"]].itertuples(index=False)] == [
        ("非常满意", 140, "39.00%"), ("满意", 190, "52.92%"), ("一般", 27, "7.52%"), ("不满意", 2, "0.56%")]
    assert table["item"].nunique() == 11 and table.groupby("item")["answers"].sum().eq(359).all()
    # every item lists every level of the survey, a level nobody chose for it with 0 answers and 0.00%
    assert table.groupby("item")["level"].nunique().eq(table["level"].nunique()).all()


def test_the_workbook_prints_the_programs_own_labels(sample_home: Path):
    """国培计划 prints 合格率 and 申报人数 (report meta labels_zh) where Guangzhou's tables print 通过率."""
    assert main(["table", "guopei_summary", "--period", "2017", "--format", "xlsx", "--home", str(sample_home)]) == 0
    summary = read_published(published_database(sample_home), "guopei_summary", "2017")
    sheet = load_workbook(sample_home / "reports" / default_name(summary)).active
    assert sheet["A1"].value == "国培计划 各区县调训与考核情况"
    assert [c.value for c in sheet[3]] == ["区域", "调训人数", "中小学教师", "幼儿园教师", "申报人数", "计划完成率",
                                           "登录率", "学习率", "合格率"]
    with duckdb.connect(str(published_database(sample_home)), read_only=True) as con:
        assert con.execute("select table_name, label_zh from docs.columns where column_name = 'pass_rate' "
                           "and table_name in ('report_guopei_summary', 'report_itp2_district_enrollments') "
                           "order by 1").fetchall() == [("report_guopei_summary", "合格率"),
                                                        ("report_itp2_district_enrollments", "通过率")]


def test_the_program_and_tianshui_districts_are_known(sample_home: Path):
    with duckdb.connect(str(sample_home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from qa.qa_unknown_programs where program = '国培计划'").fetchone() == (0,)
        assert con.execute("select value from qa.qa_teacher_names where source_name = 'vendor_ahtvu' "
                           "and attribute = 'district' and not is_known").fetchall() == []
        assert con.execute("select count(*) from marts.dim_district where district in ('天水市直', '秦州区', '武山县')"
                           ).fetchone() == (3,)


def test_the_digest_lists_the_vendor_claims_the_records_contradict(sample_home: Path):
    """Fed the seed's own report (bureau_tianshui/2018-01-31/项目报告指标.csv), the nightly digest names
    its contradicted claims with both numbers."""
    (digest,) = (sample_home / "logs").glob("digest-*.txt")
    text = digest.read_text(encoding="utf-8")
    inconsistent = text[text.index("● 报告数据前后矛盾（4）"):]  # each printed once, however often the report says it
    assert "合格率 报告为 99.1%，而报告的合格人数 / 调训人数 6953 / 6983 = 99.57%" in inconsistent
    assert "参训率 报告为 100 %，而报告的参训人数 / 项目申报人数 6983 / 6893 = 101.31%（多出 90 人）" in inconsistent
    assert "实际结业人数 报告为 6983，而报告的合格人数 6953" in inconsistent
    assert "合格率 报告为 98.99%，而报告的合格人数 / 调训人数 6953 / 6983 = 99.57%" in inconsistent
    assert "● 报告数据与记录不符（6）" in text
    with duckdb.connect(str(sample_home / "warehouse.duckdb"), read_only=True) as con:
        agreed = con.execute("select distinct metric from marts.fct_claim_checks where not is_contradicted "
                             "and rule = 'figure' order by 1").fetchall()
        assert ("调训人数",) in agreed and ("超出计划人数",) in agreed and ("优秀学员人数",) in agreed
        # the report's survey shares that add up to 99.64% and 100.28% are named, the warehouse's are not
        assert con.execute("select origin = '仓库', item from qa.qa_survey_shares where beyond_rounding > 0 "
                           "order by item").fetchall() == [(False, "坊主活动开展"), (False, "研修(培训)模式、方法选择")]
