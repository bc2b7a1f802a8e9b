"""Published-style tables (`peixun table`): the report_* tables of the published analytics.duckdb, for
one period and export date.

`peixun table` reads what analysts read, the published version: never the working warehouse, which
holds what a run built even when its checks blocked publishing, and which a running night locks.
Every text cell stays text: a workbook stores it as a string, never a formula; CSV output defuses
a cell Excel would take for a formula (see `defuse`).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.defs.publish.versions import PUBLISHED_FILE
from dagster_project.lib.labels import column_labels_zh

KEY_COLUMNS = ("_period", "_export_date", "_sort_order")
# What Excel and LibreOffice start a formula (or DDE call) with, and numbers that start the same way.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


class TableError(Exception):
    """The table, period or date asked for does not exist; the message says what does."""


def published_database(home: Path) -> Path:
    """The published analytics.duckdb of `home`; TableError when nothing was published there yet."""
    database = home / PUBLISHED_FILE
    if not database.exists():
        raise TableError(f"nothing published yet in {home}: a successful `peixun run` publishes {PUBLISHED_FILE}")
    return database


def available_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'reports' "
        "and table_name like 'report_%' order by 1"
    ).fetchall()
    return [name.removeprefix("report_") for (name,) in rows]


def published_table(database: Path, name: str, period: str, as_of: str | None = None) -> pd.DataFrame:
    """Rows as published (合计 / 总计 included), columns as in the reference CSVs, rates formatted."""
    if not database.exists():
        raise TableError(f"no database at {database}; run `peixun run` first")
    with duckdb.connect(str(database), read_only=True) as con:
        tables = available_tables(con)
        if name not in tables:
            raise TableError(f"unknown table {name!r}; available: {', '.join(tables)}")
        relation = f"reports.report_{name}"
        dates = [d for (d,) in con.execute(
            f"select distinct _export_date::varchar from {relation} where _period = ? order by 1", [period]
        ).fetchall()]
        if not dates:
            periods = [p for (p,) in con.execute(f"select distinct _period from {relation} order by 1").fetchall()]
            raise TableError(f"table {name} has no period {period!r}; periods: {', '.join(periods) or 'none'}")
        date = as_of or dates[-1]
        if date not in dates:
            raise TableError(f"table {name} period {period} has no export dated {date}; dates: {', '.join(dates)}")
        return con.execute(
            f"select * exclude ({', '.join(KEY_COLUMNS)}) from {relation} "
            "where _period = ? and _export_date = ? order by _sort_order, 1",
            [period, date],
        ).df()


def defuse(column: pd.Series) -> pd.Series:
    """Text cells that Excel would read as a formula get a leading apostrophe (OWASP's CSV injection advice):
    those starting with =, +, -, @, tab or CR, unless a number (-5, -5.00%) or that one character alone
    (the published tables print a lone '-' for "not applicable")."""
    text = column.map(lambda v: v if isinstance(v, str) else "")  # published tables: tens of rows
    risky = (text.str.len() > 1) & text.str.startswith(FORMULA_START) & ~text.str.fullmatch(NUMBER)
    return column.where(~risky, "'" + text)


def to_csv(frame: pd.DataFrame) -> str:
    cells = frame.astype(object).where(frame.notna(), "")
    return cells.apply(defuse).to_csv(index=False, lineterminator="\n")


def to_xlsx(frame: pd.DataFrame, path: Path, title: str) -> Path:
    """A workbook for the office: a title row, Chinese headers, the table; every text cell a string."""
    labels = column_labels_zh()
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        frame.rename(columns=lambda c: labels.get(c, c)).to_excel(writer, index=False, startrow=1, sheet_name="报表")
        book, sheet = writer.book, writer.sheets["报表"]
        sheet.write(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
        sheet.set_row(1, 30, book.add_format({"bold": True, "text_wrap": True, "align": "center"}))
        sheet.set_column(0, len(frame.columns) - 1, 14)
        sheet.freeze_panes(2, 1)
    return path
