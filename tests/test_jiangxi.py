"""全员培训 (seed 003, PROGRAMS.md section 3) on the bundled sample: the nightly job publishes the 学分登记表
(credits) and the vendors' settlement by config/programs/jiangxi.yml; 赣江新区, which has no vendor, keeps
its trainees' credits, has no settlement row and is named in the digest; the digest says which phase the
latest export is in."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import fastexcel
import pytest

from dagster_project.defs.publish.tables import published_database, published_table, read_published
from dagster_project.defs.publish.workbook import HEADER_ROW, write_workbook
from dagster_project.project import dbt_project

PERIOD = "2021-2022"
CITIES = [row["city"] for row in csv.DictReader(
    (Path(dbt_project.project_dir) / "seeds" / "jiangxi_cities.csv").open(encoding="utf-8"))]
SERVED = CITIES[:11]  # the 11 设区市 of 附件1, in short form


@pytest.fixture(scope="module")
def published(sample_home: Path) -> Path:
    return published_database(sample_home)


@pytest.fixture(scope="module")
def warehouse(sample_home: Path):
    with duckdb.connect(str(sample_home / "warehouse.duckdb"), read_only=True) as con:
        yield con


def test_settlement_total_is_the_sum_of_its_rows_at_90_yuan_a_trained_teacher(published: Path, warehouse):
    table = published_table(published, "settlement", PERIOD)
    assert list(table.columns) == ["institution", "city", "trained_teachers", "hours", "unit_price", "amount"]
    rows, total = table.iloc[:-1], table.iloc[-1]
    assert total["institution"] == "合计" and len(rows) == 11
    # each city under exactly one vendor, in its short form; 赣江新区 has no row
    assert sorted(rows["city"]) == sorted(SERVED) and rows["city"].is_unique
    assert rows.groupby("institution")["city"].count().to_dict() == {
        "北京教培师训网络科技股份有限公司": 1, "高等教育出版社": 2, "北京尚睿通教育科技股份有限公司": 3,
        "北京继教网教育科技发展有限公司": 2, "北京奥鹏远程教育中心有限公司": 3}
    assert rows["amount"].str.fullmatch(r"\d+\.\d\d").all() and (rows["unit_price"] == 1.5).all()
    trained = int(rows["trained_teachers"].sum())
    assert int(total["trained_teachers"]) == trained > 0
    assert (rows["hours"] == rows["trained_teachers"] * 60).all() and total["hours"] == trained * 60
    assert (rows["amount"].astype(float) == rows["trained_teachers"] * 90).all()
    assert total["amount"] == f"{trained * 90:.2f}" == f"{rows['amount'].astype(float).sum():.2f}"
    # the trained teachers of the served cities, counted from the records
    served = warehouse.execute(
        "select count(*) from marts.fct_trainee_teachers where is_trained and institution is not null "
        "and export_date = (select max(export_date) from marts.fct_trainee_teachers)").fetchone()[0]
    assert served == trained


def test_credits_one_row_per_teacher_with_short_city_names(published: Path, warehouse):
    table = published_table(published, "credits", PERIOD)
    assert list(table.columns) == ["city", "district", "school_id", "teacher_id", "school_year", "hours_earned",
                                   "credited_hours", "credits", "result"]
    assert set(table["school_year"]) == {PERIOD}
    assert table["teacher_id"].is_unique
    assert set(table["city"]) <= {*CITIES, "未知"} and "吉安" in set(table["city"])
    assert not table["city"].str.endswith("市").any()
    assert set(table["result"]) <= {"合格", "不合格", "未考核"}
    assert table["credits"].max() == 3 and set(table["credits"]) <= {0, 1, 2, 3}
    passed = table[table["result"] == "合格"]
    assert (passed["credits"] == (passed["hours_earned"].clip(upper=60) // 20)).all()
    assert (table.loc[table["result"] != "合格", "credits"] == 0).all()
    # 赣江新区's trainees are listed with their credits, never dropped
    new_area = table[table["city"] == "赣江新区"]
    assert len(new_area) == 6 and new_area["credits"].sum() > 0
    teachers = warehouse.execute(
        "select count(*) from marts.fct_trainee_teachers "
        "where export_date = (select max(export_date) from marts.fct_trainee_teachers)").fetchone()[0]
    assert len(table) == teachers


def test_credits_workbook_is_the_credit_register(published: Path, tmp_path: Path):
    table = read_published(published, "credits", PERIOD)
    path = write_workbook(table, tmp_path / "credits.xlsx")
    sheet = fastexcel.read_excel(path).load_sheet(0, header_row=HEADER_ROW, dtypes="string").to_pandas()
    assert list(sheet.columns) == ["设区市", "区域", "学校编号", "教师编号", "学年度", "获得学时", "计入学时", "学分",
                                   "考核结果"]
    assert set(sheet["学年度"]) == {PERIOD}  # text, as written
    assert len(sheet) == len(table.rows) and table.title == "全员培训 学分登记表"


def test_phases_of_the_export_dates(warehouse):
    rows = warehouse.execute("select export_date::varchar, phase, days_left from marts.fct_export_phases "
                             "order by export_date").fetchall()
    assert rows == [("2022-07-20", "报名注册", 2), ("2022-09-05", "网络研修与送培送教", 25),
                    ("2022-10-20", "成绩登记及证书审验", 21)]


def test_the_digest_names_the_new_area_and_the_phase(sample_home: Path, warehouse):
    (digest,) = (sample_home / "logs").glob("digest-*.txt")
    text = digest.read_text(encoding="utf-8")
    participants, trained = warehouse.execute(
        "select participants, trained from qa.qa_trainee_cities where city = '赣江新区'").fetchone()
    assert trained > 0
    assert "● 设区市有参训教师但无承训机构（1）" in text
    assert (f"赣江新区（2021-2022，截至 2022-10-20）无承训机构：参训对象 {participants} 人，实际参训 {trained} 人；"
            "学分照常登记，不计入结算") in text
    assert ("进度：江西省中小学（幼儿园）全员培训 2021-2022：最新导出（2022-10-20）处于“成绩登记及证书审验”阶段"
            "（至 2022-11-10，还剩 21 天）；下一阶段“督查总结”2022-11-11 开始。") in text
    assert "● 网络研修阶段之外的学习记录" in text and "● 考核阶段之外的考核结果" in text
    # no city is served by two vendors and nobody earns more than 3 credits a year: nothing blocked publishing
    assert "设区市对接多家承训机构" not in text and "教师年度学分超过上限" not in text


def test_regions_list_every_city_and_county_and_total_them(published: Path):
    table = published_table(published, "trainee_regions", PERIOD)
    assert list(table.columns) == ["city", "district", "trainees", "trained_teachers", "passed_teachers", "credits"]
    rows, total = table.iloc[:-1], table.iloc[-1]
    assert total["city"] == "合计" and set(rows["city"]) <= {*CITIES, "未知"} and "赣江新区" in set(rows["city"])
    for column in ("trainees", "trained_teachers", "passed_teachers", "credits"):
        assert total[column] == rows[column].sum()
    settlement = published_table(published, "settlement", PERIOD)
    new_area = rows.loc[rows["city"] == "赣江新区", "trained_teachers"].sum()
    # every trained teacher is in a served city (settled) or in 赣江新区 (credits kept, not settled)
    assert total["trained_teachers"] == settlement.iloc[-1]["trained_teachers"] + new_area
    assert rows["city"].tolist() == sorted(rows["city"], key=lambda c: CITIES.index(c) if c in CITIES else 99)


def test_each_school_has_its_bill_and_the_schools_add_up_to_the_settlement(published: Path):
    """Schools pay from their own budget: the per-school table's 合计 equals the settlement's, each school
    at 90.00 元 a trained teacher, and `--school` keeps one school's row."""
    table = published_table(published, "school_settlement", PERIOD)
    assert list(table.columns) == ["city", "district", "school_id", "school_name", "institution", "trained_teachers",
                                   "hours", "unit_price", "amount"]
    rows, total = table.iloc[:-1], table.iloc[-1]
    settlement = published_table(published, "settlement", PERIOD).iloc[-1]
    assert total["city"] == "合计" and rows["school_id"].is_unique and set(rows["city"]) <= set(SERVED)
    assert (total["trained_teachers"], total["hours"], total["amount"]) == (
        settlement["trained_teachers"], settlement["hours"], settlement["amount"])
    assert (rows["amount"] == rows["trained_teachers"].map(lambda n: f"{n * 90:.2f}")).all()
    one = rows.iloc[0]["school_id"]
    mine = published_table(published, "school_settlement", PERIOD, school=one)
    assert mine["school_id"].tolist() == [one]
