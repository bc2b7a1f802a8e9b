"""校本研修 end to end on the bundled sample: the published tables (columns exactly as issue 13
prints them, hours as plain numbers, no personal data), one school's follow-up list as xlsx, and the
warehouse's figures against the 校本研修 hours computed by hand from the vendor's files."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from dagster_project.cli import main
from dagster_project.defs.operations.nightly_run import headline_report
from tests.conftest import SAMPLE
from tests.test_generate import school_based_districts, school_based_teachers

HOURS_COLUMNS = ("school_id,group_id,teacher_id,raw_hours,counted_hours,dropped_hours,shortfall_hours,"
                 "registered_hours,pending_hours")
FOLLOWUP_COLUMNS = "school_id,school_name,group_id,group_name,teacher_id,counted_hours,shortfall_hours"


def table(home, capsys, *args: str) -> pd.DataFrame:
    assert main(["table", *args, "--home", str(home)]) == 0
    text = capsys.readouterr().out
    return text, pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_school_based_hours_has_the_issues_columns_and_plain_numbers(sample_home, capsys):
    text, hours = table(sample_home, capsys, "school_based_hours", "--period", "2201")
    assert text.splitlines()[0] == HOURS_COLUMNS
    assert len(hours) > 100 and hours["teacher_id"].is_unique
    numbers = hours[HOURS_COLUMNS.split(",")[3:]]
    assert not numbers.stack().str.contains(r"\.0$|e", regex=True).any()  # 21, never 21.0
    values = numbers.astype(float)
    assert (values["counted_hours"] <= 25).all()
    assert (values["counted_hours"] == values["raw_hours"].clip(upper=25)).all()
    assert (values["dropped_hours"] == values["raw_hours"] - values["counted_hours"]).all()
    assert (values["shortfall_hours"] == 25 - values["counted_hours"]).all()
    assert (values["registered_hours"] + values["pending_hours"] == values["counted_hours"]).all()
    assert (values["dropped_hours"] > 0).any() and (values["pending_hours"] > 0).any()


def test_the_follow_up_list_and_one_schools_xlsx(sample_home, capsys, tmp_path):
    text, followup = table(sample_home, capsys, "school_based_followup", "--period", "2201")
    assert text.splitlines()[0] == FOLLOWUP_COLUMNS
    _, hours = table(sample_home, capsys, "school_based_hours", "--period", "2201")
    below = hours.loc[hours["counted_hours"].astype(float) < 25, "teacher_id"]
    assert sorted(followup["teacher_id"]) == sorted(below)
    school = followup["school_id"].iloc[0]
    out = tmp_path / "list.xlsx"
    assert main(["table", "school_based_followup", "--period", "2201", "--format", "xlsx", "--school", school,
                 "--out", str(out), "--home", str(sample_home)]) == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] in ("school_id", "学校编号"))
    body = [row for row in rows[header + 1:] if any(cell is not None for cell in row)]
    assert len(body) == (followup["school_id"] == school).sum() > 0
    assert {row[0] for row in body} == {school}


def test_school_option_needs_a_table_by_school(sample_home, capsys):
    assert main(["table", "itp2_district_teachers", "--period", "2201", "--school", "S1",
                 "--home", str(sample_home)]) == 2
    assert "school_based_followup" in capsys.readouterr().err


def test_no_personal_data_in_the_school_based_tables(sample_home):
    with duckdb.connect(str(sample_home / "analytics.duckdb"), read_only=True) as con:
        columns = {c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_name like '%school_based%'").fetchall()}
    assert columns and not columns & {"national_id", "name", "phone", "person_key", "teacher_name"}


@pytest.mark.parametrize("day", ["2022-09-19"])
def test_the_warehouse_reproduces_the_hours_computed_by_hand_from_the_files(sample_home, day):
    truth = school_based_districts(SAMPLE, day).sum()
    with duckdb.connect(str(sample_home / "warehouse.duckdb"), read_only=True) as con:
        got = con.execute(
            "select sum(teachers), sum(reached), sum(counted_hours), sum(registered_hours), sum(pending_hours), "
            "sum(awaiting_evidence_activities), sum(awaiting_evidence_hours), sum(over_max_activities) "
            "from marts.fct_school_based_districts where export_date = ?", [day]).fetchone()
    assert list(got) == [truth[k] for k in ("teachers", "reached", "counted_hours", "registered_hours",
                                            "pending_hours", "awaiting_evidence", "awaiting_hours",
                                            "over_max_activities")]


def test_the_run_summary_prints_the_school_based_headline_in_english_with_plain_hours(sample_home):
    truth = school_based_districts(SAMPLE, "2022-09-19").sum()
    rate = (Decimal(int(truth["reached"]) * 100) / int(truth["teachers"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    summary = headline_report(sample_home / "analytics.duckdb")
    (line,) = [line for line in summary.splitlines() if "校本研修" in line]
    assert line == (f"  能力提升工程2.0 2201 校本研修 as of 2022-09-19: reached the hours {truth['reached']}/"
                    f"{truth['teachers']} ({rate}%), hours registered {truth['registered_hours']}, "
                    f"pending {truth['pending_hours']}, "
                    f"schools accepted {truth['schools_accepted']}/{_schools('2022-09-19')}")
    assert "截至" not in summary and "e+" not in summary



def _schools(day: str) -> int:
    """Schools with 教研组 members, counted per district as fct_school_based_districts does, from the files."""
    teachers, _ = school_based_teachers(SAMPLE, day)
    return int(teachers.groupby("district")["school_id"].nunique().sum())
