"""What a bulletin says, read from the published analytics.duckdb of one night: the masthead, the lead
paragraph of headline numbers, each configured table with its Chinese headings and 口径 note, the
charts' data, and the change since the previous export date.

Every sentence carries the facts it states (checks.py), so that it is checked before release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.defs.publish.bulletin.checks import (
    TOTAL_LABELS,
    Below,
    Count,
    Fact,
    Rank,
    RowsAddUp,
    Sentence,
    Total,
    Value,
    cell_text,
    comparable,
    label,
)
from dagster_project.defs.publish.bulletin.config import BulletinConfig, Placeholder, ProgramBulletin
from dagster_project.defs.publish.tables import PublishedTable, TableError, plain_numbers, read_published

HEADLINES = "program_headlines"
DISTRICT = "district"
FORMULA = re.compile(r"^(\S+)\s*=\s*(\w+)\s*/\s*(\w+)")
EMPTY = ("", "—", "-")
# The lead's headline figures: column, how the sentence says it.
LEAD = (("expected_teachers", "应参训{}人"), ("participants", "参训{}人"), ("participation_rate", "参训率{}"),
        ("enrollments_paid", "选课{}人次"), ("learning_rate", "学习率{}"), ("pass_rate", "通过率{}"),
        ("courses_offered", "开设课程{}门"))
# The headline figures compared with the previous export date.
CHANGES = (("participants", "人"), ("enrollments_paid", "人次"), ("enrollments_passed", "人次"),
           ("participation_rate", ""), ("pass_rate", ""))
TREND = ("participation_rate", "learning_rate", "pass_rate")


# The 口径 of the program's published rates (reference.training_rates): (grain, rate) -> (name_zh, numerator,
# denominator), counts of the same row. The 2017 progress table prints the 应参训 headcount (专任教师) as
# full_time_teachers.
RateRules = dict[tuple[str, str], tuple[str, str, str]]
PRINTED_AS = {"expected_teachers": "full_time_teachers"}
GRAINS = ("district", "group", "school", "course")  # a table's rate is read at the first grain whose counts it prints


def rate_rules(con: duckdb.DuckDBPyConnection, program: Program) -> RateRules:
    rows = con.execute("select distinct grain, rate, name_zh, numerator, denominator from reference.training_rates "
                       "where program_code = ?", [program.code]).fetchall()
    return {(grain, rate): (name, numerator, denominator) for grain, rate, name, numerator, denominator in rows}


class BulletinError(Exception):
    """The program, period or date asked for has no bulletin; the message says what exists."""


@dataclass(frozen=True)
class Program:
    name: str  # 能力提升工程2.0
    code: str  # itp2
    rule_zh: str
    expected_basis: str


@dataclass(frozen=True)
class Section:
    """One published table: 表N, its title, Chinese headings, cells as `peixun table` prints them, 口径."""

    number: int
    table: PublishedTable
    headings: list[str]
    cells: list[list[str]]
    note: str

    @property
    def caption(self) -> str:
        return f"表{self.number}　{self.table.title}"


@dataclass(frozen=True)
class ChartData:
    """What a chart draws: categories (in table order), series of values, the labels printed on them."""

    number: int
    title: str
    kind: str  # bars | line
    categories: list[str]
    series: dict[str, list[float]]
    value_labels: dict[str, list[str]]
    percent: bool
    y_label: str

    @property
    def caption(self) -> str:
        return f"图{self.number}　{self.title}"


@dataclass(frozen=True)
class Bulletin:
    title: str
    issuer: str
    program: Program
    period: str
    export_date: str
    previous_date: str | None
    issue: int  # 第N期
    total_issue: int  # 总第M期
    lead: list[Sentence]
    sections: list[Section]
    charts: list[ChartData]
    change: list[Sentence]
    placeholders: tuple[Placeholder, ...]
    footer: dict[str, str]
    facts: tuple[Fact, ...] = ()  # checked beside the sentences: every table's 合计 is the sum of its rows
    missing: list[str] = field(default_factory=list)  # configured tables without rows for this issue
    district: str | None = None  # a district's edition; None: the city edition

    @property
    def masthead(self) -> str:
        return f"{self.program.name}{self.title}" + (f"（{self.district}）" if self.district else "")

    @property
    def issue_line(self) -> str:
        return f"{self.period}期　第{self.issue}期（总第{self.total_issue}期）"

    @property
    def sentences(self) -> list[Sentence]:
        return [*self.lead, *self.change]

    @property
    def plain_numbers(self) -> tuple[str, ...]:
        """Numbers in the text that are names, not data: the program's name (2.0) and the period code."""
        return (self.program.name, self.period)


def resolve_program(con: duckdb.DuckDBPyConnection, given: str) -> Program:
    rows = con.execute("select program, program_code, rule_zh, expected_basis from reference.programs").fetchall()
    for name, code, rule, basis in rows:
        if given in (name, code):
            return Program(name, code, rule or "", basis or "")
    known = "、".join(f"{name}（{code}）" for name, code, *_ in rows)
    raise BulletinError(f"unknown program {given!r}; programs: {known}")


def headline_dates(con: duckdb.DuckDBPyConnection, program: Program, period: str | None) -> list[str]:
    where, parameters = "program = ?", [program.name]
    if period is not None:
        where, parameters = f"{where} and _period = ?", [*parameters, period]
    return [d for (d,) in con.execute(
        f"select distinct _export_date::varchar from reports.report_{HEADLINES} where {where} order by 1",
        parameters).fetchall()]


def build_content(database: Path, config: BulletinConfig, program_given: str, period: str,
                  as_of: str | None = None, district: str | None = None) -> Bulletin:
    """The bulletin of `program_given` (Chinese name or code) for `period`, at the export date `as_of`
    (default: the latest); `district`: that district's edition (its rows of the district tables, its
    schools' table and the schools below the city's pass rate)."""
    if not database.exists():
        raise BulletinError(f"no database at {database}; run `peixun run` first")
    with duckdb.connect(str(database), read_only=True) as con:
        program = resolve_program(con, program_given)
        dates = headline_dates(con, program, period)
        if not dates:
            periods = sorted({p for (p,) in con.execute(
                f"select distinct _period from reports.report_{HEADLINES} where program = ?", [program.name]
            ).fetchall()})
            raise BulletinError(f"{program.name} has no period {period!r}; periods: {', '.join(periods) or 'none'}")
        date = as_of or dates[-1]
        if date not in dates:
            raise BulletinError(f"{program.name} {period} has no export dated {date}; dates: {', '.join(dates)}")
        every_date = headline_dates(con, program, None)
        descriptions = dict(con.execute(
            "select table_name || '.' || column_name, description from docs.columns where table_schema = 'reports'"
        ).fetchall())
        rules = rate_rules(con, program)
    if program.code not in config.programs:
        raise BulletinError(f"config/bulletin.yml has no programs.{program.code} ({program.name})")
    settings = config.programs[program.code]
    previous = dates[dates.index(date) - 1] if dates.index(date) > 0 else None
    headline = _headline(database, program, period, date)
    sections, missing = _sections(database, program, period, date, settings, descriptions, rules)
    before = _headline(database, program, period, previous) if previous else None
    charts = _charts(sections, settings, database, program, period, dates[: dates.index(date) + 1], rules)
    facts = tuple(RowsAddUp(s.table) for s in sections)
    lead = _lead(program, period, date, headline, sections, settings)
    if district is not None:
        sections, lead = _district_edition(database, program, period, date, district, sections, headline, lead,
                                           rules)
    return Bulletin(
        title=config.title, issuer=config.issuer, program=program, period=period, export_date=date,
        previous_date=previous, issue=settings.first_issue + dates.index(date),
        total_issue=settings.total_before + every_date.index(date) + 1,
        lead=lead, sections=sections, charts=charts,
        change=_change(headline, before) if before is not None else [],
        placeholders=config.placeholders, footer=dict(config.footer), facts=facts, missing=missing,
        district=district,
    )


# ---- the tables --------------------------------------------------------------------------------------


def table_cells(table: PublishedTable) -> list[list[str]]:
    """Every cell as `peixun table` prints it (CSV): counts without .0, rates as text, empty for missing."""
    frame = plain_numbers(table.rows)
    cells = frame.astype(object).where(frame.notna(), "")
    return [[str(v) for v in row] for row in cells.itertuples(index=False)]


def _headline(database: Path, program: Program, period: str, date: str) -> PublishedTable:
    """The program's row of 各项目培训概况 at `date`."""
    table = read_published(database, HEADLINES, period, date)
    mine = table.rows["program"] == program.name
    return PublishedTable(table.name, period, date, table.title_zh, table.rows[mine], table.exact_rates[mine],
                          table.labels_zh)


def _sections(database: Path, program: Program, period: str, date: str, settings: ProgramBulletin,
              descriptions: dict[str, str], rules: RateRules) -> tuple[list[Section], list[str]]:
    sections, missing = [], []
    for entry in settings.tables:
        try:
            table = read_published(database, entry.table, entry.period or period, date)
        except TableError:
            missing.append(entry.table)
            continue
        headings = [label(table, c) for c in table.rows.columns]
        sections.append(Section(len(sections) + 1, table, headings, table_cells(table),
                                _note(table, program, descriptions, rules)))
    return sections, missing


def _formula(table: PublishedTable, column: str, descriptions: dict[str, str],
             rules: RateRules) -> tuple[str, str] | None:
    """The counts a rate column of `table` divides: the program's 口径 of the first grain (GRAINS) whose counts
    the table prints, else of its first grain; a rate no program configures (国培, 校本研修) by its column's
    description."""
    configured = [rules[(grain, column)][1:] for grain in GRAINS if (grain, column) in rules]
    printed = [tuple(c if c in table.rows.columns else PRINTED_AS.get(c, c) for c in pair) for pair in configured]
    for pair in printed:
        if all(c in table.rows.columns for c in pair):
            return pair
    if printed:
        return printed[0]
    match = FORMULA.match(descriptions.get(f"report_{table.name}.{column}", ""))
    return (match[2], match[3]) if match else None


def _note(table: PublishedTable, program: Program, descriptions: dict[str, str], rules: RateRules) -> str:
    """口径: each rate's definition in the table's own headings, the denominator's basis and the date."""
    formulas = []
    for column in table.exact_rates.columns:
        pair = _formula(table, column, descriptions, rules)
        if pair:
            formulas.append(f"{label(table, column)} = {label(table, pair[0])} / {label(table, pair[1])}")
    parts = [f"口径：{'；'.join(formulas)}。" if formulas else "口径："]
    if program.rule_zh:
        parts.append(f"{program.rule_zh}。")
    if program.expected_basis and "expected_teachers" in table.rows.columns:
        parts.append(f"应参训人数按{program.expected_basis}名单。")
    parts.append(f"数据截至{table.export_date}（期次 {table.period}）。")
    if formulas:
        parts.append("比率保留两位小数（四舍五入），超过100%显示为100.00%+，分母为0显示为—。")
    return "".join(parts)


# ---- a district's edition ---------------------------------------------------------------------------

SCHOOL_COLUMNS = ("school_id", "school_name", "school_ownership", "teachers", "participants", "course_completed",
                  "enrollments_paid", "enrollments_passed")
SCHOOL_RATES = ("course_completion_rate_actual", "pass_rate")  # printed by the program's 口径, grain school
SCHOOL_LABELS = {"school_ownership": "办学性质"}


def _district_edition(database: Path, program: Program, period: str, date: str, district: str,
                      sections: list[Section], headline: PublishedTable, lead: list[Sentence],
                      rules: RateRules) -> tuple[list[Section], list[Sentence]]:
    """The district's rows (and the city's 合计) of each district table, then its schools' table; the
    lead's city sentences stay and a sentence names the schools below the city's pass rate."""
    by_district = [s for s in sections if DISTRICT in s.table.rows.columns]
    known = [d for s in by_district for d in s.table.rows[DISTRICT].astype(str) if d not in TOTAL_LABELS]
    if district not in known:
        raise BulletinError(f"no district {district!r} in the {program.name} {period} tables; "
                            f"districts: {', '.join(dict.fromkeys(known)) or 'none'}")
    edition = []
    for section in sections:
        table = section.table
        if DISTRICT in table.rows.columns:
            keep = table.rows[DISTRICT].isin([district, *TOTAL_LABELS])
            table = PublishedTable(table.name, table.period, table.export_date, table.title_zh, table.rows[keep],
                                   table.exact_rates[keep], table.labels_zh)
        edition.append(Section(len(edition) + 1, table, section.headings, table_cells(table), section.note))
    schools = _schools(database, program, period, date, district, rules)
    formulas = [f"{label(schools, rate)} = {label(schools, rules[('school', rate)][1])} / "
                f"{label(schools, rules[('school', rate)][2])}" for rate in SCHOOL_RATES]
    note = (f"口径：{'；'.join(formulas)}。{program.rule_zh}。数据截至{date}（期次 {period}），学校按学校编号排列。"
            "比率保留两位小数（四舍五入），分母为0显示为—。")
    edition.append(Section(len(edition) + 1, schools, [label(schools, c) for c in schools.rows.columns],
                           table_cells(schools), note))
    below = _below_city(schools, headline, program, district)
    lead = [*lead, *([below] if below else [])]
    followup = school_based_followup(database, program, period, date, district)
    if followup is not None:
        note = (f"口径：校本研修学时按 config/programs/{program.code}.yml 的 school_based 计算，"
                "达标 = 计入学时达到要求；"
                f"各校为其各教研组之和。数据截至{date}（期次 {period}）。未达标教师名单见 "
                "`peixun table school_based_followup --school 学校编号`。")
        edition.append(Section(len(edition) + 1, followup, [label(followup, c) for c in followup.rows.columns],
                               table_cells(followup), note))
        lead.append(followup_sentence(followup, district))
    return edition, lead


def school_based_followup(database: Path, program: Program, period: str, date: str,
                          district: str) -> PublishedTable | None:
    """校本研修 per school of the district (marts.fct_school_based_groups summed over 教研组), then 合计;
    None where the program runs no 校本研修 (no rows)."""
    with duckdb.connect(str(database), read_only=True) as con:
        known = con.execute("select count(*) from information_schema.tables where table_schema = 'marts' "
                            "and table_name = 'fct_school_based_groups'").fetchone()[0]
        if not known:
            return None
        frame = con.execute(
            "select school_id, any_value(school_name) as school_name, sum(members)::bigint as members, "
            "sum(reached)::bigint as reached, sum(below)::bigint as below from marts.fct_school_based_groups "
            "where program = ? and period = ? and export_date = ? and district = ? group by school_id "
            "order by school_id", [program.name, period, date, district]).df()
    if frame.empty:
        return None
    total = pd.DataFrame([{"school_id": "合计", "school_name": "", **frame[["members", "reached", "below"]].sum()}])
    rows = pd.concat([frame, total], ignore_index=True)
    for column in ("members", "reached", "below"):
        rows[column] = rows[column].astype("int64")
    return PublishedTable("school_based_schools", period, date, f"{district}校本研修各校达标情况", rows,
                          pd.DataFrame(index=rows.index))


def followup_sentence(table: PublishedTable, district: str) -> Sentence:
    """本区校本研修未达标N人，分布在k所学校: the 合计 row's count and the schools with someone below."""
    below = cell_text(table, "school_id", "合计", "below") or ""
    schools = tuple(str(name) for name, n in zip(table.rows["school_name"], table.rows["below"], strict=True)
                    if name and n > 0)
    facts = (Value(table, "school_id", "合计", "below", below),
             Count(schools, str(len(schools)), "有未达标教师的学校数"), RowsAddUp(table))
    return Sentence(f"本区校本研修未达标{below}人，分布在{len(schools)}所学校。", facts)


def _schools(database: Path, program: Program, period: str, date: str, district: str,
             rules: RateRules) -> PublishedTable:
    """The district's schools (marts.fct_school_training), rates by the program's 口径 printed as the published
    tables print them."""
    counts = sorted({rules[("school", rate)][part] for rate in SCHOOL_RATES for part in (1, 2)} - set(SCHOOL_COLUMNS))
    with duckdb.connect(str(database), read_only=True) as con:
        frame = con.execute(
            f"select {', '.join((*SCHOOL_COLUMNS, *counts))} from marts.fct_school_training where program = ? "
            "and period = ? and export_date = ? and district = ? order by school_id",
            [program.name, period, date, district]).df()
    exact, printed = {}, {}
    for rate in SCHOOL_RATES:
        _, numerator, denominator = rules[("school", rate)]
        exact[rate] = [n / d if d else None for n, d in zip(frame[numerator], frame[denominator], strict=True)]
        printed[rate] = [format_rate(n, d) if d else "—" for n, d in zip(frame[numerator], frame[denominator],
                                                                          strict=True)]
    columns = [*SCHOOL_COLUMNS[:6], "course_completion_rate_actual", *SCHOOL_COLUMNS[6:], "pass_rate"]
    rows = frame.assign(**printed)[columns]
    return PublishedTable("school_training", period, date, f"{district}各校培训情况", rows,
                          pd.DataFrame(exact, index=rows.index, dtype="float64"), SCHOOL_LABELS)


def _below_city(schools: PublishedTable, headline: PublishedTable, program: Program,
                district: str) -> Sentence | None:
    """本区N所学校中，通过率低于全市（x）的有k所：...: every school on the right side of the city's line."""
    if headline.rows.empty or pd.isna(headline.exact_rates["pass_rate"].iloc[0]):
        return None
    line = float(headline.exact_rates["pass_rate"].iloc[0])
    city = cell_text(headline, "program", program.name, "pass_rate")
    rates = comparable(schools, "school_name", "pass_rate")
    names = tuple(rates.index)
    below = [name for name, value in rates.items() if value < line]
    facts: list[Fact] = [Count(names, str(len(names)), f"{district}学校数"),
                         Value(headline, "program", program.name, "pass_rate", city),
                         Count(tuple(below), str(len(below)), "低于全市的学校数")]
    facts += [Below(schools, "school_name", name, "pass_rate", line, name in below) for name in names]
    listed = []
    for name in below:
        shown = cell_text(schools, "school_name", name, "pass_rate")
        listed.append(f"{name}（{shown}）")
        facts.append(Value(schools, "school_name", name, "pass_rate", shown))
    if below:
        text = f"本区{len(names)}所学校中，通过率低于全市（{city}）的有{len(below)}所：{'、'.join(listed)}。"
    else:
        text = f"本区{len(names)}所学校中，通过率低于全市（{city}）的有0所。"
    return Sentence(text, tuple(facts))


# ---- the sentences -----------------------------------------------------------------------------------


def _lead(program: Program, period: str, date: str, headline: PublishedTable, sections: list[Section],
          settings: ProgramBulletin) -> list[Sentence]:
    sentences = []
    if not headline.rows.empty:
        said, facts = [], []
        for column, phrase in LEAD:
            shown = cell_text(headline, "program", program.name, column)
            if shown is None or shown in EMPTY or (shown == "0" and column != "participants"):
                continue
            said.append(phrase.format(shown))
            facts.append(Value(headline, "program", program.name, column, shown))
        if said:
            sentences.append(Sentence(f"截至{date}，{program.name}（{period}期）{'，'.join(said)}。", tuple(facts)))
    district = district_section(sections, settings)
    if district is not None:
        for column in settings.rate_chart:
            sentence = _leaders(district.table, column)
            if sentence is not None:
                sentences.append(sentence)
    buckets = next((s for s in sections if "bucket_label" in s.table.rows.columns), None)
    if buckets is not None and not headline.rows.empty:
        sentences.append(_buckets(buckets.table, headline, program))
    return sentences


def district_section(sections: list[Section], settings: ProgramBulletin) -> Section | None:
    """The first table with districts and the rate columns of the chart by district."""
    return next((s for s in sections if DISTRICT in s.table.rows.columns
                 and all(c in s.table.exact_rates.columns for c in settings.rate_chart) and settings.rate_chart), None)


def _leaders(table: PublishedTable, column: str) -> Sentence | None:
    values = comparable(table, DISTRICT, column)
    if len(values) < 2:
        return None
    top, bottom = values.idxmax(), values.idxmin()
    top_shown, bottom_shown = cell_text(table, DISTRICT, top, column), cell_text(table, DISTRICT, bottom, column)
    text = f"各区{label(table, column)}最高的是{top}（{top_shown}），最低的是{bottom}（{bottom_shown}）。"
    return Sentence(text, (Value(table, DISTRICT, top, column, top_shown), Rank(table, DISTRICT, top, (column,), "max"),
                           Value(table, DISTRICT, bottom, column, bottom_shown),
                           Rank(table, DISTRICT, bottom, (column,), "min")))


def _buckets(table: PublishedTable, headline: PublishedTable, program: Program) -> Sentence:
    """全市开设课程 N 门，其中 通过率≥90% 的 a 门 ...: the buckets add up to the courses offered."""
    total = cell_text(headline, "program", program.name, "courses_offered") or ""
    facts: list[Fact] = [Value(headline, "program", program.name, "courses_offered", total)]
    parts, counts = [], []
    for bucket in table.rows["bucket_label"].astype(str):
        shown = cell_text(table, "bucket_label", bucket, "courses")
        parts.append(f"{bucket}的{shown}门")
        counts.append(shown)
        facts.append(Value(table, "bucket_label", bucket, "courses", shown))
    facts.append(Total(tuple(counts), total, "课程数"))
    return Sentence(f"开设课程{total}门，其中{'、'.join(parts)}。", tuple(facts))


def _change(now: PublishedTable, before: PublishedTable) -> list[Sentence]:
    """与上期相比: each headline figure then and now, and by how much it moved."""
    if now.rows.empty or before.rows.empty:
        return []
    name = now.rows["program"].iloc[0]
    said, facts = [], []
    for column, unit in CHANGES:
        a, b = cell_text(before, "program", name, column), cell_text(now, "program", name, column)
        if a in (None, *EMPTY) or b in (None, *EMPTY):
            continue
        facts += [Value(before, "program", name, column, a), Value(now, "program", name, column, b)]
        what = label(now, column)
        if column in now.exact_rates.columns:
            if a == b:
                said.append(f"{what}保持{b}")
            else:
                said.append(f"{what}由{a}{'升至' if _number(b) > _number(a) else '降至'}{b}")
            continue
        moved = int(float(b)) - int(float(a))
        if moved == 0:
            said.append(f"{what}保持{b}{unit}")
            continue
        step = str(abs(moved))
        facts.append(Total((a, step), b, what) if moved > 0 else Total((b, step), a, what))
        said.append(f"{what}由{a}{unit}{'增至' if moved > 0 else '减至'}{b}{unit}，"
                    f"{'增加' if moved > 0 else '减少'}{step}{unit}")
    if not said:
        return []
    return [Sentence(f"与上期（截至{before.export_date}）相比，{'；'.join(said)}。", tuple(facts))]


def _number(rate: str) -> float:
    return float(rate.rstrip("%+"))


# ---- the charts' data -----------------------------------------------------------------------------


def _charts(sections: list[Section], settings: ProgramBulletin, database: Path, program: Program, period: str,
            dates: list[str], rules: RateRules) -> list[ChartData]:
    charts: list[ChartData] = []
    district = district_section(sections, settings)
    if district is not None:
        table = district.table
        body = ~table.rows[DISTRICT].isin(TOTAL_LABELS)
        categories = table.rows.loc[body, DISTRICT].astype(str).tolist()
        series = {label(table, c): [_ratio(v) for v in table.exact_rates.loc[body, c]] for c in settings.rate_chart}
        labels = {label(table, c): [str(v) for v in table.rows.loc[body, c]] for c in settings.rate_chart}
        charts.append(ChartData(len(charts) + 1, f"各区{'、'.join(series)}（截至{table.export_date}）", "bars",
                                categories, series, labels, True, "比率"))
    buckets = next((s for s in sections if "bucket_label" in s.table.rows.columns), None)
    if buckets is not None:
        table = buckets.table
        counts = [float(v) for v in table.rows["courses"]]
        charts.append(ChartData(len(charts) + 1, f"课程通过率分布（截至{table.export_date}）", "bars",
                                table.rows["bucket_label"].astype(str).tolist(), {"课程数": counts},
                                {"课程数": [f"{v:g}" for v in counts]}, False, "课程数（门）"))
    ownership = _ownership(database, program, period, dates[-1], rules)
    if ownership is not None:
        ownership = ChartData(len(charts) + 1, *ownership)
        charts.append(ownership)
    if len(dates) >= 2:
        heads = [_headline(database, program, period, d) for d in dates]
        present = [c for c in TREND if all(not h.rows.empty and pd.notna(h.exact_rates[c].iloc[0]) for h in heads)]
        if present:
            series = {label(heads[0], c): [float(h.exact_rates[c].iloc[0]) for h in heads] for c in present}
            labels = {label(heads[0], c): [str(h.rows[c].iloc[0]) for h in heads] for c in present}
            charts.append(ChartData(len(charts) + 1, f"{'、'.join(series)}变化趋势（{period}期各截止日期）", "line",
                                    dates, series, labels, True, "比率"))
    return charts


OWNERSHIP_RATES = ("course_completion_rate_actual", "learning_rate", "pass_rate")


def _ownership(database: Path, program: Program, period: str, date: str, rules: RateRules) -> tuple | None:
    """公办 against 民办 (marts.fct_district_training, every district), by the program's 口径: the rates whose
    counts the data splits by ownership (the bureau's 应参训 is not split, so no 参训率); None without both kinds."""
    rates = {rate: rules[("district", rate)] for rate in OWNERSHIP_RATES if ("district", rate) in rules}
    rates = {rate: rule for rate, rule in rates.items() if "expected_teachers" not in rule[1:]}
    counts = sorted({count for _, *pair in rates.values() for count in pair})
    if not counts:
        return None
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            f"select school_ownership, {', '.join(f'sum({c}) as {c}' for c in counts)} "
            "from marts.fct_district_training where program = ? and period = ? and export_date = ? "
            "and school_ownership in ('公办', '民办') group by 1 order by 1", [program.name, period, date]).df()
    if rows["school_ownership"].tolist() != ["公办", "民办"]:
        return None
    series, labels = {}, {}
    for name, numerator, denominator in rates.values():
        values = rows[[numerator, denominator]].to_dict("records")
        if all(r[denominator] and pd.notna(r[numerator]) for r in values) and any(r[numerator] for r in values):
            series[name] = [r[numerator] / r[denominator] for r in values]
            labels[name] = [format_rate(r[numerator], r[denominator]) for r in values]
    if not series:
        return None
    return (f"公办、民办学校{'、'.join(series)}（截至{date}）", "bars", ["公办", "民办"], series, labels, True, "比率")


def format_rate(numerator: int, denominator: int) -> str:
    """As the published tables print a rate (macro format_rate): two decimals rounded half-up, uncapped."""
    percent = (Decimal(int(numerator)) * 100 / Decimal(int(denominator))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{percent}%"


def _ratio(value) -> float:
    return float(value) if pd.notna(value) else float("nan")
