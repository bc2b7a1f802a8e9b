"""The office's workbook of a published table (`peixun table NAME --format xlsx`): a document to file,
print and forward, not a data dump.

- A title (the report's Chinese title) and a line with 期次 and 截至 (the export date shown).
- Chinese headings; counts as integers; rates as their exact numbers (`_exact_<column>`, macro
  rate_columns) shown as `0.00%`, and as `100.00%+` above 100% by the number format where the printed
  table caps them: the cell's value stays exact. An undefined rate stays `—`.
- Every text cell a string, never a formula (xlsxwriter's string conversions off).
- Borders, column widths that fit the headings and the values, the 合计 / 总计 row bold.
- Printed on landscape A4, one page wide, the heading row and the first column repeated on every page.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import pandas as pd
import xlsxwriter

from dagster_project.defs.publish.tables import PublishedTable
from dagster_project.lib.labels import column_labels_zh

TOTAL_LABELS = ("合计", "总计")
HEADER_ROW = 2  # 0-based: title, 期次 / 截至 line, headings
A4 = 9  # xlsxwriter's paper code
RATE_FORMAT = "0.00%"
CAPPED_RATE_FORMAT = '[>1]"100.00%+";0.00%'
MAX_WIDTH = 40


def default_name(table: PublishedTable, school: str | None = None) -> str:
    """`<table>_<period>_<export date>[_<school>].xlsx`: the date of the numbers, never 'latest'."""
    return f"{table.name}_{table.period}_{table.export_date}{'_' + school if school else ''}.xlsx"


def write_workbook(table: PublishedTable, path: Path, school: str | None = None) -> Path:
    labels = column_labels_zh() | table.labels_zh
    rows = table.rows
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(str(path), options)
    book.set_properties({"title": table.title, "subject": f"期次 {table.period} 截至 {table.export_date}"})
    sheet = book.add_worksheet("报表")
    styles = _styles(book)

    if len(rows.columns) > 1:
        sheet.merge_range(0, 0, 0, len(rows.columns) - 1, table.title, styles["title"])
    else:
        sheet.write_string(0, 0, table.title, styles["title"])
    subtitle = f"期次：{table.period}　截至：{table.export_date}" + (f"　学校：{school}" if school else "")
    sheet.write_string(1, 0, subtitle, styles["subtitle"])

    headings = [labels.get(c, c) for c in rows.columns]
    for j, heading in enumerate(headings):
        sheet.write_string(HEADER_ROW, j, heading, styles["heading"])
    widths = [_display_width(h) for h in headings]
    uncapped = _uncapped_rates(table)
    for i, (index, record) in enumerate(rows.iterrows()):
        bold = any(isinstance(v, str) and v in TOTAL_LABELS for v in record.values)
        for j, column in enumerate(rows.columns):
            text = _write_cell(sheet, HEADER_ROW + 1 + i, j, record[column], table, column, index,
                               styles["bold" if bold else "plain"], column in uncapped)
            widths[j] = max(widths[j], _display_width(text))
    for j, w in enumerate(widths):
        sheet.set_column(j, j, min(w + 2, MAX_WIDTH))

    sheet.freeze_panes(HEADER_ROW + 1, 1)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    sheet.repeat_rows(HEADER_ROW)
    sheet.repeat_columns(0)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    book.close()
    return path


def _styles(book: xlsxwriter.Workbook) -> dict[str, dict]:
    """Cell formats by role; each role has its plain, integer, rate and capped-rate variant."""
    base = {"border": 1, "valign": "vcenter", "font_name": "宋体", "font_size": 11}
    styles = {
        "title": book.add_format({"bold": True, "font_size": 16, "align": "center", "font_name": "黑体"}),
        "subtitle": book.add_format({"font_size": 11}),
        "heading": book.add_format({**base, "bold": True, "align": "center", "text_wrap": True,
                                    "bg_color": "#D9E1F2"}),
    }
    for role, extra in (("plain", {}), ("bold", {"bold": True})):
        styles[role] = {
            "text": book.add_format({**base, **extra}),
            "integer": book.add_format({**base, **extra, "num_format": "0"}),
            "number": book.add_format({**base, **extra, "num_format": "General"}),
            "rate": book.add_format({**base, **extra, "num_format": RATE_FORMAT, "align": "right"}),
            "capped": book.add_format({**base, **extra, "num_format": CAPPED_RATE_FORMAT, "align": "right"}),
            "dash": book.add_format({**base, **extra, "align": "right"}),
        }
    return styles


def _uncapped_rates(table: PublishedTable) -> set[str]:
    """Rate columns printed above 100% as their value (a headline's 参训率), not as 100.00%+."""
    exact, printed = table.exact_rates, table.rows
    return {c for c in exact.columns if ((exact[c] > 1) & (printed[c] != "100.00%+")).any()}


def _write_cell(sheet, row: int, col: int, value, table: PublishedTable, column: str, index, formats,
                uncapped: bool = False) -> str:
    """Writes one cell with its type's format; returns the text it shows (for the column width)."""
    if column in table.exact_rates.columns:
        exact = table.exact_rates.at[index, column]
        if exact is None or (isinstance(exact, float) and math.isnan(exact)):
            sheet.write_string(row, col, str(value), formats["dash"])  # — : the denominator is 0
        else:
            sheet.write_number(row, col, float(exact), formats["rate" if uncapped else "capped"])
        return str(value)
    if value is None or value is pd.NA or (pd.api.types.is_float(value) and math.isnan(value)):
        sheet.write_blank(row, col, None, formats["text"])
        return ""
    if pd.api.types.is_bool(value):
        sheet.write_boolean(row, col, bool(value), formats["text"])
        return str(value)
    if pd.api.types.is_integer(value):
        sheet.write_number(row, col, int(value), formats["integer"])
        return str(int(value))
    if pd.api.types.is_float(value):
        value = float(value)
        number = round(value, 6)
        fmt = formats["integer"] if number.is_integer() else formats["number"]
        sheet.write_number(row, col, number, fmt)
        return f"{number:g}"
    text = str(value)
    sheet.write_string(row, col, text, formats["text"])
    return text


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
