"""Published-style tables (`peixun table`): the report_* tables of the published analytics.duckdb, for
one period and export date.

`peixun table` reads what analysts read, the published version: never the working warehouse, which
holds what a run built even when its checks blocked publishing, and which a running night locks.
Every text cell stays text: a workbook stores it as a string, never a formula; CSV output defuses
a cell Excel would take for a formula (see `defuse`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.defs.publish.versions import PUBLISHED_FILE

KEY_COLUMNS = ("_period", "_export_date", "_sort_order")
EXACT_PREFIX = "_exact_"  # a printed rate's exact value (macro rate_columns): hidden, the workbook's number
SCHOOL_COLUMN = "school_id"  # `peixun table ... --school ID` keeps the rows of one school
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


@dataclass(frozen=True)
class PublishedTable:
    """One published table for one period and export date, as `peixun table` prints it."""

    name: str
    period: str
    export_date: str
    title_zh: str | None  # the report's meta.title_zh (docs.tables)
    rows: pd.DataFrame  # the printed columns: rates as text (98.23%, 100.00%+, —)
    exact_rates: pd.DataFrame  # per printed rate column of `rows`, its exact ratio (`_exact_<column>`), same index
    labels_zh: dict[str, str] = field(default_factory=dict)  # the columns' Chinese labels as published (docs.columns)

    @property
    def title(self) -> str:
        return self.title_zh or self.name


def published_table(database: Path, name: str, period: str, as_of: str | None = None,
                    school: str | None = None) -> pd.DataFrame:
    """Rows as published (合计 / 总计 included), columns as in the reference CSVs, rates formatted."""
    return read_published(database, name, period, as_of, school).rows


def read_published(database: Path, name: str, period: str, as_of: str | None = None,
                   school: str | None = None) -> PublishedTable:
    """A published table with what the office's workbook needs beside its rows: the export date shown
    (the latest unless `as_of`), the Chinese title and the exact rates.

    `school`: only the rows of that school (学校编号), for a table with a school_id column.
    """
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
        where, parameters = "_period = ? and _export_date = ?", [period, date]
        columns = columns_of(con, relation)
        if school is not None:
            if SCHOOL_COLUMN not in columns:
                with_schools = [t for t in tables if SCHOOL_COLUMN in columns_of(con, f"reports.report_{t}")]
                raise TableError(f"table {name} has no {SCHOOL_COLUMN} column, so --school does not apply; "
                                 f"tables by school: {', '.join(with_schools) or 'none'}")
            where, parameters = f"{where} and {SCHOOL_COLUMN} = ?", [*parameters, school]
        frame = con.execute(
            f"select * exclude ({', '.join(KEY_COLUMNS)}) from {relation} where {where} order by _sort_order, 1",
            parameters,
        ).df()
        title = title_of(con, f"report_{name}")
        labels = labels_of(con, f"report_{name}")
    printed = [c for c in frame.columns if not c.startswith("_")]
    exact = {c: frame[EXACT_PREFIX + c] for c in printed if EXACT_PREFIX + c in frame.columns}
    return PublishedTable(name, period, date, title, frame[printed], pd.DataFrame(exact, index=frame.index), labels)


def title_of(con: duckdb.DuckDBPyConnection, report: str) -> str | None:
    """The report's Chinese title from docs.tables (absent in a database published before titles)."""
    if "title_zh" not in columns_of(con, "docs.tables"):
        return None
    row = con.execute("select title_zh from docs.tables where table_schema = 'reports' and table_name = ?",
                      [report]).fetchone()
    return row[0] if row else None


def labels_of(con: duckdb.DuckDBPyConnection, report: str) -> dict[str, str]:
    """The report's Chinese column labels from docs.columns (none in a database without docs, e.g. the
    working warehouse)."""
    if "label_zh" not in columns_of(con, "docs.columns"):
        return {}
    return dict(con.execute("select column_name, label_zh from docs.columns where table_schema = 'reports' "
                            "and table_name = ? and label_zh is not null", [report]).fetchall())


def columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    schema, table = relation.split(".", 1)
    return [c for (c,) in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, table]).fetchall()]


def defuse(column: pd.Series) -> pd.Series:
    """Text cells that Excel would read as a formula get a leading apostrophe (OWASP's CSV injection advice):
    those starting with =, +, -, @, tab or CR, unless a number (-5, -5.00%) or that one character alone
    (the published tables print a lone '-' for "not applicable")."""
    text = column.map(lambda v: v if isinstance(v, str) else "")  # published tables: tens of rows
    risky = (text.str.len() > 1) & text.str.startswith(FORMULA_START) & ~text.str.fullmatch(NUMBER)
    return column.where(~risky, "'" + text)


def plain_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Fractional-typed columns (hours) as plain numbers: 21 rather than 21.0, 7.5 as 7.5."""
    out = frame.copy()
    for column in frame.select_dtypes("float").columns:
        values = frame[column].round(6)
        out[column] = values.astype(str).str.replace(r"\.0$", "", regex=True).where(values.notna())
    return out


def to_csv(frame: pd.DataFrame) -> str:
    frame = plain_numbers(frame)
    cells = frame.astype(object).where(frame.notna(), "")
    return cells.apply(defuse).to_csv(index=False, lineterminator="\n")
