"""The bulletin's prose, checked against its tables before release.

A sentence is its text and the facts it states: a value read from a table cell (`Value`), a ranking
(`Rank`: 最高, 居首, 首位, 最低 ...), a total of parts (`Total`), a table whose 合计 row is the sum of
its rows (`RowsAddUp`). `check` holds each fact against the tables and, besides, demands that every
number in the text is one a fact states and that every ranking word rests on a `Rank`: a number or a
ranking typed into the text by hand, with nothing behind it, fails as surely as a wrong one.
Problems are Chinese sentences for the office (and the digest).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from dagster_project.defs.publish.tables import PublishedTable

TOTAL_LABELS = ("合计", "总计")
RANK_WORDS = {"最高": "max", "居首": "max", "首位": "max", "第一": "max", "最多": "max",
              "最低": "min", "末位": "min", "最少": "min"}
NUMBER = re.compile(r"\d+(?:\.\d+)?%?\+?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Value:
    """`shown` is the cell of `column` in the row whose `key` column is `row` (as `peixun table` prints it)."""

    table: PublishedTable
    key: str
    row: str
    column: str
    shown: str

    def numbers(self) -> tuple[str, ...]:
        """The value, and the numbers in the row's own label (通过率≥90%): both read from the table."""
        return (self.shown, *NUMBER.findall(self.row))

    def problem(self) -> str | None:
        cell = cell_text(self.table, self.key, self.row, self.column)
        if cell is None:
            return f"{self.table.title}（截至{self.table.export_date}）没有“{self.row}”一行"
        if cell != self.shown:
            return (f"文中“{self.row}{label(self.table, self.column)}{self.shown}”与{self.table.title}"
                    f"（截至{self.table.export_date}）的 {cell} 不符")
        return None


@dataclass(frozen=True)
class Rank:
    """`row` is the highest (`direction` max) or lowest (min) of every row but the total, in each column."""

    table: PublishedTable
    key: str
    row: str
    columns: tuple[str, ...]
    direction: str  # max | min

    def numbers(self) -> tuple[str, ...]:
        return ()

    def problem(self) -> str | None:
        word = "最高" if self.direction == "max" else "最低"
        for column in self.columns:
            values = comparable(self.table, self.key, column)
            if self.row not in values.index:
                return f"{self.table.title}没有“{self.row}”一行，无从排名"
            best = values.max() if self.direction == "max" else values.min()
            leaders = [r for r, v in values.items() if v == best]
            if values[self.row] != best:
                return (f"文中称{self.row}{label(self.table, column)}{word}，但{self.table.title}中"
                        f"{'、'.join(leaders)}{word}（{shown_of(self.table, self.key, leaders[0], column)}，"
                        f"{self.row}为 {shown_of(self.table, self.key, self.row, column)}）")
        return None


@dataclass(frozen=True)
class Total:
    """`total` is the sum of `parts` (numbers as printed)."""

    parts: tuple[str, ...]
    total: str
    what: str = ""

    def numbers(self) -> tuple[str, ...]:
        return (*self.parts, self.total)

    def problem(self) -> str | None:
        add = sum(float(p) for p in self.parts)
        if not math.isclose(add, float(self.total)):
            return (f"文中{self.what}合计 {self.total}，但各部分 {' + '.join(self.parts)} = {add:g}")
        return None


@dataclass(frozen=True)
class RowsAddUp:
    """The 合计 / 总计 row of `table` is the sum of its other rows in each count column."""

    table: PublishedTable

    def numbers(self) -> tuple[str, ...]:
        return ()

    def problem(self) -> str | None:
        rows = self.table.rows
        first = rows.columns[0]
        total = rows[rows.apply(lambda r: any(v in TOTAL_LABELS for v in r.values if isinstance(v, str)), axis=1)]
        if total.empty:
            return None
        body = rows.drop(index=total.index)
        for column in rows.columns:
            if column in self.table.exact_rates.columns or not pd.api.types.is_numeric_dtype(rows[column]):
                continue
            add, stated = body[column].fillna(0).sum(), total[column].iloc[0]
            if not math.isclose(float(add), float(stated)):
                return (f"{self.table.title}的{total[first].iloc[0]}行{label(self.table, column)}为 {stated:g}，"
                        f"但各行之和为 {add:g}")
        return None


@dataclass(frozen=True)
class Count:
    """`shown` items are named: the schools of a district, the schools below a line."""

    items: tuple[str, ...]
    shown: str
    what: str = ""

    def numbers(self) -> tuple[str, ...]:
        return (self.shown,)

    def problem(self) -> str | None:
        if int(self.shown) != len(self.items):
            return f"文中{self.what}为 {self.shown}，但实有 {len(self.items)}（{'、'.join(self.items)}）"
        return None


@dataclass(frozen=True)
class Below:
    """The row's exact `column` is below (`below`) or not below the line `line` (an exact rate)."""

    table: PublishedTable
    key: str
    row: str
    column: str
    line: float
    below: bool = True

    def numbers(self) -> tuple[str, ...]:
        return ()

    def problem(self) -> str | None:
        values = comparable(self.table, self.key, self.column)
        if self.row not in values.index:
            return f"{self.table.title}没有“{self.row}”一行（或其{label(self.table, self.column)}无定义）"
        if (values[self.row] < self.line) != self.below:
            return (f"文中称{self.row}{label(self.table, self.column)}{'低于' if self.below else '不低于'}全市，"
                    f"但其为 {shown_of(self.table, self.key, self.row, self.column)}")
        return None


Fact = Value | Rank | Total | RowsAddUp | Count | Below


@dataclass(frozen=True)
class Sentence:
    text: str
    facts: tuple[Fact, ...] = ()


def check(sentences: list[Sentence], facts: tuple[Fact, ...] = (), plain: tuple[str, ...] = ()) -> list[str]:
    """Every problem of the sentences and the extra `facts` (RowsAddUp of the tables), in Chinese.

    `plain`: numbers the text may carry that are not data (the export dates, the period code).
    """
    problems = [p for f in facts if (p := f.problem())]
    for sentence in sentences:
        stated = {n for f in sentence.facts for n in f.numbers()}
        text = ISO_DATE.sub("", sentence.text)
        for token in plain:
            text = text.replace(token, "")
        loose = [n for n in NUMBER.findall(text) if n not in stated]
        if loose:
            problems.append(f"“{sentence.text}”中的数字 {'、'.join(loose)} 无表格依据")
        ranks = {f.direction for f in sentence.facts if isinstance(f, Rank)}
        words = sentence.text  # without the names read from the tables (广州市第一中学 ranks nothing)
        for name in sorted({f.row for f in sentence.facts if isinstance(f, Value | Rank | Below)}, key=len,
                           reverse=True):
            words = words.replace(name, "")
        unsupported = [w for w, d in RANK_WORDS.items() if w in words and d not in ranks]
        if unsupported:
            problems.append(f"“{sentence.text}”中的“{'、'.join(unsupported)}”无排名依据")
        problems += [p for f in sentence.facts if (p := f.problem())]
    return problems


# ---- reading a published table -------------------------------------------------------------------


def label(table: PublishedTable, column: str) -> str:
    from dagster_project.lib.labels import column_labels_zh

    return (column_labels_zh() | table.labels_zh).get(column, column)


def _row(table: PublishedTable, key: str, row: str) -> int | None:
    matches = table.rows.index[table.rows[key].astype(str) == row]
    return matches[0] if len(matches) else None


def cell_text(table: PublishedTable, key: str, row: str, column: str) -> str | None:
    """The cell as `peixun table` prints it (counts without .0, rates as text); None when no such row."""
    from dagster_project.defs.publish.tables import plain_numbers

    index = _row(table, key, row)
    if index is None:
        return None
    value = plain_numbers(table.rows[[column]]).at[index, column]
    return "" if value is None or pd.isna(value) else str(value)


def shown_of(table: PublishedTable, key: str, row: str, column: str) -> str:
    return cell_text(table, key, row, column) or ""


def comparable(table: PublishedTable, key: str, column: str) -> pd.Series:
    """A column's values by row, the exact rate for a rate column, without the total row and undefined values."""
    rows = table.rows
    values = table.exact_rates[column] if column in table.exact_rates.columns else rows[column]
    series = pd.Series(pd.to_numeric(values, errors="coerce").to_numpy(), index=rows[key].astype(str).to_numpy())
    return series[~series.index.isin(TOTAL_LABELS)].dropna()
