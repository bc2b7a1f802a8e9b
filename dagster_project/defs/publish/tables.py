"""Published-style tables (`peixun table`): the report_* views, for one period and export date."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.lib.labels import column_labels_zh

KEY_COLUMNS = ("_period", "_export_date", "_sort_order")


class TableError(Exception):
    """The table, period or date asked for does not exist; the message says what does."""


def available_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'reports' "
        "and table_name like 'report_%' order by 1"
    ).fetchall()
    return [name.removeprefix("report_") for (name,) in rows]


def published_table(database: Path, name: str, period: str, as_of: str | None = None) -> pd.DataFrame:
    """Rows as published (合计 / 总计 included), columns as in the reference CSVs, rates formatted."""
    if not database.exists():
        raise TableError(f"no warehouse at {database}; run `peixun run` first")
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


def to_csv(frame: pd.DataFrame) -> str:
    return frame.astype(object).where(frame.notna(), "").to_csv(index=False, lineterminator="\n")


def to_xlsx(frame: pd.DataFrame, path: Path, title: str) -> Path:
    """A workbook for the office: a title row, Chinese headers, the table."""
    labels = column_labels_zh()
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        frame.rename(columns=lambda c: labels.get(c, c)).to_excel(writer, index=False, startrow=1, sheet_name="报表")
        book, sheet = writer.book, writer.sheets["报表"]
        sheet.write(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
        sheet.set_row(1, 30, book.add_format({"bold": True, "text_wrap": True, "align": "center"}))
        sheet.set_column(0, len(frame.columns) - 1, 14)
        sheet.freeze_panes(2, 1)
    return path
