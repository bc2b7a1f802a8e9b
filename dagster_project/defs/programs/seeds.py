"""Compile the programs' rules into dbt seeds, so no number of a rule is written in SQL:
program_sources (which source folders may claim a program's names), program_credit_rules (学分, one
row per name the exports give a program, per school year), and for a weighted scoring (双合格)
program_score_items, program_pass_lines and program_rates (one row per name, period and item, part
or rate) and program_claim_rules (how a report's claims are checked, one row per 指标 and rule); per
program code and school year program_years (designed hours, 参训对象's certificate, 结算),
program_in_post_statuses (the 任职状态 that are in post) and program_phases (the phase calendar)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dagster_project.defs.programs.credit_rules import ProgramConfig, load_programs
from dagster_project.project import dbt_project

SEED = "program_credit_rules"
COLUMNS = ("program_code", "program", "source_like", "school_year", "hours_per_credit", "credited_hours_cap",
           "requires_passed", "rounding", "decimals")
SCORING_COLUMNS = {
    "program_sources": ("program_code", "program", "source_like"),
    "program_score_items": ("program_code", "program", "period", "item", "item_order", "part", "points", "measure",
                            "target", "mode", "rounding", "decimals"),
    "program_pass_lines": ("program_code", "program", "period", "part", "full_points", "pass_line"),
    "program_rates": ("program_code", "program", "period", "rate", "name_zh", "numerator", "denominator",
                      "rounding", "decimals"),
    "program_claim_rules": ("program_code", "program", "period", "metric", "rule", "figure", "numerator_metric",
                            "denominator_metric"),
}

YEAR_COLUMNS = {
    "program_years": ("program_code", "program_name", "school_year", "designed_hours", "requires_certificate",
                      "unit_price", "settlement_basis"),
    "program_in_post_statuses": ("program_code", "school_year", "status"),
    "program_phases": ("program_code", "school_year", "phase", "phase_order", "kind", "role", "starts_on",
                       "ends_on"),
}


def seed_path(name: str = SEED) -> Path:
    return Path(dbt_project.project_dir) / "seeds" / f"{name}.csv"


def like_pattern(glob: str) -> str:
    """A source folder glob (`jx_*`) as a SQL LIKE pattern with escape character `!` (`jx!_%`)."""
    escaped = glob.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return escaped.replace("*", "%").replace("?", "_")


def _rows(program: ProgramConfig):
    for year, spec in program.school_years.items():
        rule = spec.credits
        for alias in program.aliases:
            for source in program.sources:
                yield (program.code, alias, like_pattern(source), year, f"{rule.hours_per_credit:g}",
                       f"{rule.credited_hours_cap:g}", str(rule.requires_passed).lower(), rule.rounding.value,
                       str(rule.decimals))


def credit_rules_csv(programs: list[ProgramConfig]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for program in programs:
        writer.writerows(_rows(program))
    return out.getvalue()


def _scoring_rows(program: ProgramConfig) -> dict[str, list[tuple[str, ...]]]:
    rows: dict[str, list[tuple[str, ...]]] = {name: [] for name in SCORING_COLUMNS}
    for alias in program.aliases:
        rows["program_sources"] += [(program.code, alias, like_pattern(source)) for source in program.sources]
        for period, spec in program.periods.items():
            scoring = spec.scoring
            rows["program_score_items"] += [
                (program.code, alias, period, name, str(order), item.part, f"{item.points:g}", item.measure,
                 "" if item.target is None else f"{item.target:g}", item.mode, scoring.item_rounding.value,
                 str(scoring.item_decimals))
                for order, (name, item) in enumerate(scoring.items.items(), start=1)]
            rows["program_pass_lines"] += [
                (program.code, alias, period, part,
                 f"{sum(i.points for i in scoring.items.values() if i.part == part):g}", f"{line:g}")
                for part, line in scoring.pass_lines.items()]
            rows["program_rates"] += [
                (program.code, alias, period, rate, r.name_zh, r.numerator, r.denominator, spec.rate_rounding,
                 str(spec.rate_decimals))
                for rate, r in spec.rates.items()]
            claims = spec.claims
            rows["program_claim_rules"] += [
                *((program.code, alias, period, metric, "figure", figure, "", "")
                  for metric, figure in claims.figures.items()),
                *((program.code, alias, period, metric, "ratio", "", numerator, denominator)
                  for metric, (numerator, denominator) in claims.ratios.items()),
                *((program.code, alias, period, metric, "same_as", "", other, "")
                  for metric, other in claims.same_as.items())]
    return rows


def _csvs(programs: list[ProgramConfig], seeds: dict[str, tuple[str, ...]], rows_of) -> dict[str, str]:
    """The text of each seed in `seeds` (name: columns), its rows from `rows_of(program)[name]`."""
    per_program = [rows_of(program) for program in programs]
    texts = {}
    for name, columns in seeds.items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for rows in per_program:
            writer.writerows(rows[name])
        texts[name] = out.getvalue()
    return texts


def scoring_csvs(programs: list[ProgramConfig]) -> dict[str, str]:
    """The text of program_sources and the scoring seeds, by seed name."""
    return _csvs(programs, SCORING_COLUMNS, _scoring_rows)


def _year_rows(program: ProgramConfig) -> dict[str, list[tuple[str, ...]]]:
    rows: dict[str, list[tuple[str, ...]]] = {name: [] for name in YEAR_COLUMNS}
    for year, spec in program.school_years.items():
        key = (program.code, year)
        if spec.participants is not None or spec.settlement is not None or spec.designed_hours is not None:
            settlement = spec.settlement
            rows["program_years"].append((
                program.code, program.name_zh, year, "" if spec.designed_hours is None else f"{spec.designed_hours:g}",
                "" if spec.participants is None else str(spec.participants.requires_certificate).lower(),
                "" if settlement is None else f"{settlement.unit_price:g}",
                "" if settlement is None else settlement.basis.value))
        if spec.participants is not None:
            rows["program_in_post_statuses"] += [(*key, status) for status in spec.participants.in_post_statuses]
        rows["program_phases"] += [
            (*key, name, str(order), phase.kind, phase.role or "",
             "" if phase.starts is None else phase.starts.isoformat(), (phase.due or phase.until).isoformat())
            for order, (name, phase) in enumerate(spec.phases.items(), start=1)]
    return rows


def year_csvs(programs: list[ProgramConfig]) -> dict[str, str]:
    """The text of program_years, program_in_post_statuses and program_phases, by seed name."""
    return _csvs(programs, YEAR_COLUMNS, _year_rows)


def write_seeds(root: Path | None = None) -> list[Path]:
    """Write dbt/seeds/program_credit_rules.csv, the scoring and the school-year seeds from config/programs/
    (or `root`)."""
    programs = load_programs(root)
    texts = {SEED: credit_rules_csv(programs), **scoring_csvs(programs), **year_csvs(programs)}
    for name, text in texts.items():
        seed_path(name).write_text(text, encoding="utf-8")
    return [seed_path(name) for name in texts]
