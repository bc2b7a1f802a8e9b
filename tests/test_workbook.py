"""The office's workbook (`peixun table ... --format xlsx`): read back with openpyxl, cell by cell."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from dagster_project.cli import main
from dagster_project.defs.publish.tables import PublishedTable, read_published
from dagster_project.defs.publish.workbook import default_name, write_workbook

CAPPED = '[>1]"100.00%+";0.00%'


@pytest.fixture
def table() -> PublishedTable:
    rows = pd.DataFrame({
        "district": ["白云区", "从化区", "花都区", "合计"],
        "expected_teachers": [4000, 50, 0, 4050],
        "participants": [3929, 52, 0, 3981],
        "participation_rate": ["98.23%", "100.00%+", "—", "98.30%"],
        "hours": [12.5, 3.0, 0.0, 15.5],
    })
    exact = pd.DataFrame({"participation_rate": [3929 / 4000, 52 / 50, None, 3981 / 4050]})
    title = "能力提升工程2.0 各区培训情况（教师）"
    return PublishedTable("itp2_district_teachers", "2201", "2022-09-19", title, rows, exact)


def test_title_headings_and_typed_cells(table, tmp_path):
    sheet = load_workbook(write_workbook(table, tmp_path / "t.xlsx", school=None)).active
    assert sheet["A1"].value == "能力提升工程2.0 各区培训情况（教师）" and sheet["A1"].font.b
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "期次：2201　截至：2022-09-19"
    assert [c.value for c in sheet[3]] == ["区域", "应参训人数", "参训人数", "参训率", "学时"]
    cells = [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows(min_row=4)]
    assert cells[0] == [("白云区", "s", "General"), (4000, "n", "0"), (3929, "n", "0"),
                        (0.98225, "n", CAPPED), (12.5, "n", "General")]
    assert cells[1][3] == (1.04, "n", CAPPED)  # exact 104%, shown 100.00%+ by the format
    assert cells[2][3] == ("—", "s", "General") and cells[2][4] == (0, "n", "0")  # undefined rate stays —
    assert cells[3][0][0] == "合计"


def test_total_row_bold_borders_widths_and_print_setup(table, tmp_path):
    sheet = load_workbook(write_workbook(table, tmp_path / "t.xlsx")).active
    assert all(c.font.b for c in sheet[7]) and not any(c.font.b for c in sheet[4])
    assert all(c.border.left.style == "thin" and c.border.bottom.style == "thin"
               for row in sheet.iter_rows(min_row=3, max_row=7) for c in row)
    assert sheet.column_dimensions["B"].width >= 10  # 应参训人数: five wide characters
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0  # OOXML's default width: 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3" and sheet.print_title_cols == "$A:$A"
    assert sheet.freeze_panes == "B4"


def test_default_name_carries_the_export_date(table):
    assert default_name(table) == "itp2_district_teachers_2201_2022-09-19.xlsx"
    assert default_name(table, "S001") == "itp2_district_teachers_2201_2022-09-19_S001.xlsx"


def test_every_published_rate_cell_is_its_exact_value_and_shows_the_printed_rate(sample_home, tmp_path):
    """On the bundled sample: each report with rates, written by `peixun table --format xlsx` to its default
    path; every rate cell holds a number whose percentage rounds to the printed string (or above 1 where
    printed 100.00%+), and the text cells equal the CSV's."""
    database = sample_home / "analytics.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        reports = [name for (name,) in con.execute(
            "select distinct table_name from information_schema.columns where table_schema = 'reports' "
            "and starts_with(column_name, '_exact_') order by 1").fetchall()]
        periods = {name: con.execute(f"select max(_period) from reports.{name}").fetchone()[0] for name in reports}
    assert len(reports) >= 9
    checked = 0
    for name in reports:
        short = name.removeprefix("report_")
        published = read_published(database, short, periods[name])
        assert published.title_zh, name  # every report has its Chinese title (meta.title_zh)
        assert main(["table", short, "--period", periods[name], "--format", "xlsx", "--home", str(sample_home)]) == 0
        path = sample_home / "reports" / default_name(published)
        rows = list(load_workbook(path).active.iter_rows(min_row=4, values_only=True))
        assert len(rows) == len(published.rows), name
        for i, column in enumerate(published.rows.columns):
            for cell, printed in zip((r[i] for r in rows), published.rows[column], strict=True):
                if column not in published.exact_rates.columns:
                    continue
                if printed == "—":
                    assert cell == "—"
                elif printed == "100.00%+":
                    assert cell > 1
                else:
                    assert abs(cell * 100 - float(printed.rstrip("%"))) <= 0.005 + 1e-9, (name, column, cell, printed)
                checked += 1
    assert checked > 50


REPORTS = Path(__file__).resolve().parents[1] / "dbt" / "models" / "reports"


def test_every_report_has_a_chinese_title_and_prints_its_rates_through_rate_columns():
    """The workbook's title comes from meta.title_zh; its exact rate cells from rate_columns (never a bare
    format_rate in a report, which would leave the workbook only the rounded text)."""
    documents = [yaml.safe_load(f.read_text("utf-8")) for f in REPORTS.glob("*.yml")]
    models = {m["name"]: m for document in documents for m in document.get("models", [])}
    reports = sorted(p.stem for p in REPORTS.glob("report_*.sql"))
    assert reports and [r for r in reports if not models[r].get("config", {}).get("meta", {}).get("title_zh")] == []
    bare = [r for r in reports if "format_rate(" in (REPORTS / f"{r}.sql").read_text("utf-8")]
    assert bare == []
