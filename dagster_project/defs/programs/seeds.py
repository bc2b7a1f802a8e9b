"""Compile the program files (config/programs/*.yml) into the dbt seeds, so no number of a rule is written
in SQL or Python. One row per name the exports give a program (its aliases) unless said otherwise:

- programs: the online training rules (参训, 完成, 结业, 工作坊; DOMAIN.md);
- training_rates: per training program, grain and published rate, its 口径 (numerator / denominator):
  config/training_rates.yml with the program's own `training.rates` laid over it;
- school_based_rules, and school_activity_rules per activity type: the 校本研修 hours;
- program_sources: which source folders may claim a program's names;
- program_credit_rules (per school year): 学分;
- program_score_items, program_pass_lines, program_rates, program_claim_rules (per period): 双合格;
- per program code and school year: program_years (designed hours, 参训对象's certificate, 结算),
  program_in_post_statuses (the 任职状态 that are in post) and program_phases (the phase calendar).

compile_seeds runs before every dbt invocation and writes only seeds whose text changed, so dbt's partial
parse stays valid; the committed seeds are its output (tests check they are current).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dagster_project.defs.programs.schema import (
    SET_BY_LEADER,
    ProgramConfig,
    TrainingRates,
    load_programs,
    load_training_rates,
    rates_of,
)
from dagster_project.project import dbt_project

SEEDS = {
    "programs": ("program", "program_code", "program_en", "participant_rule", "completion_rule", "required_hours",
                 "graduation_hours", "has_workshops", "expected_basis", "rule_zh"),
    "training_rates": ("program_code", "program", "grain", "rate", "name_zh", "numerator", "denominator", "rounding",
                       "decimals"),
    "school_based_rules": ("program", "required_hours", "hours_cap", "registration_gate",
                           "overall_requires_course_completed", "overall_requires_workshop_completed",
                           "overall_requires_certified"),
    "school_activity_rules": ("program", "activity_type", "hours_rule", "hours", "max_hours", "counts_when"),
    "program_sources": ("program_code", "program", "source_like"),
    "program_credit_rules": ("program_code", "program", "source_like", "school_year", "hours_per_credit",
                             "credited_hours_cap", "requires_passed", "rounding", "decimals"),
    "program_score_items": ("program_code", "program", "period", "item", "item_order", "part", "points", "measure",
                            "target", "mode", "rounding", "decimals"),
    "program_pass_lines": ("program_code", "program", "period", "part", "full_points", "pass_line"),
    "program_rates": ("program_code", "program", "period", "rate", "name_zh", "numerator", "denominator",
                      "rounding", "decimals"),
    "program_claim_rules": ("program_code", "program", "period", "metric", "rule", "figure", "numerator_metric",
                            "denominator_metric"),
    "program_years": ("program_code", "program_name", "school_year", "designed_hours", "requires_certificate",
                      "unit_price", "settlement_basis"),
    "program_in_post_statuses": ("program_code", "school_year", "status"),
    "program_phases": ("program_code", "school_year", "phase", "phase_order", "kind", "role", "starts_on",
                       "ends_on"),
}


def seeds_dir() -> Path:
    return Path(dbt_project.project_dir) / "seeds"


def like_pattern(glob: str) -> str:
    """A source folder glob (`jx_*`) as a SQL LIKE pattern with escape character `!` (`jx!_%`)."""
    escaped = glob.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return escaped.replace("*", "%").replace("?", "_")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _flag(value: bool) -> str:
    return str(value).lower()


def _training_rows(program: ProgramConfig, rows: dict[str, list[tuple[str, ...]]], standard: TrainingRates) -> None:
    rule = program.training
    if rule is not None:
        rows["programs"] += [
            (alias, program.code, program.name_en or "", rule.participant, rule.completion.value,
             _number(rule.required_hours), _number(rule.graduation_hours), _flag(rule.workshops), rule.expected_basis,
             rule.rule_zh)
            for alias in program.aliases]
        rows["training_rates"] += [
            (program.code, alias, grain, name, spec.name_zh, spec.numerator, spec.denominator, standard.rounding,
             str(standard.decimals))
            for alias in program.aliases for grain, by_name in rates_of(program, standard).items()
            for name, spec in by_name.items()]
    hours = program.school_based
    if hours is not None:
        gate = "school_acceptance" if hours.registration == "school_acceptance" else "none"
        overall = [_flag(part in hours.overall_requires)
                   for part in ("course_completed", "workshop_completed", "certified")]
        rows["school_based_rules"] += [
            (alias, _number(hours.required_hours), _number(hours.hours_cap), gate, *overall)
            for alias in program.aliases]
        rows["school_activity_rules"] += [
            (alias, name, SET_BY_LEADER if kind.hours == SET_BY_LEADER else "fixed",
             _number(0 if kind.hours == SET_BY_LEADER else kind.hours),
             _number(kind.max_hours if kind.hours == SET_BY_LEADER else kind.hours), kind.counts_when)
            for alias in program.aliases for name, kind in hours.activity_types.items()]


def _sources_and_credit_rows(program: ProgramConfig, rows: dict[str, list[tuple[str, ...]]]) -> None:
    rows["program_sources"] += [(program.code, alias, like_pattern(source))
                                for alias in program.aliases for source in program.sources]
    for year, spec in program.school_years.items():
        rule = spec.credits
        rows["program_credit_rules"] += [
            (program.code, alias, like_pattern(source), year, _number(rule.hours_per_credit),
             _number(rule.credited_hours_cap), _flag(rule.requires_passed), rule.rounding.value, str(rule.decimals))
            for alias in program.aliases for source in program.sources]


def _scoring_rows(program: ProgramConfig, rows: dict[str, list[tuple[str, ...]]]) -> None:
    for alias in program.aliases:
        for period, spec in program.periods.items():
            scoring = spec.scoring
            rows["program_score_items"] += [
                (program.code, alias, period, name, str(order), item.part, _number(item.points), item.measure,
                 _number(item.target), item.mode, scoring.item_rounding.value, str(scoring.item_decimals))
                for order, (name, item) in enumerate(scoring.items.items(), start=1)]
            rows["program_pass_lines"] += [
                (program.code, alias, period, part,
                 _number(sum(i.points for i in scoring.items.values() if i.part == part)), _number(line))
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


def _year_rows(program: ProgramConfig, rows: dict[str, list[tuple[str, ...]]]) -> None:
    for year, spec in program.school_years.items():
        key = (program.code, year)
        if spec.participants is not None or spec.settlement is not None or spec.designed_hours is not None:
            settlement = spec.settlement
            rows["program_years"].append((
                program.code, program.name_zh, year, _number(spec.designed_hours),
                "" if spec.participants is None else _flag(spec.participants.requires_certificate),
                "" if settlement is None else _number(settlement.unit_price),
                "" if settlement is None else settlement.basis.value))
        if spec.participants is not None:
            rows["program_in_post_statuses"] += [(*key, status) for status in spec.participants.in_post_statuses]
        rows["program_phases"] += [
            (*key, name, str(order), phase.kind, phase.role or "",
             "" if phase.starts is None else phase.starts.isoformat(), (phase.due or phase.until).isoformat())
            for order, (name, phase) in enumerate(spec.phases.items(), start=1)]


def seed_texts(programs: list[ProgramConfig], standard: TrainingRates | None = None) -> dict[str, str]:
    """The CSV text of every program seed, by seed name; `standard`: config/training_rates.yml."""
    rows: dict[str, list[tuple[str, ...]]] = {name: [] for name in SEEDS}
    standard = standard or load_training_rates()
    for program in programs:
        _training_rows(program, rows, standard)
        for add in (_sources_and_credit_rows, _scoring_rows, _year_rows):
            add(program, rows)
    texts = {}
    for name, columns in SEEDS.items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows[name])
        texts[name] = out.getvalue()
    return texts


def compile_seeds(target: Path | None = None, root: Path | None = None) -> list[Path]:
    """Write the program seeds into `target` (dbt/seeds) from config/programs/ (or `root`); only seeds whose
    text changed are written, so dbt's partial parse stays valid. Returns the files written."""
    target = target or seeds_dir()
    written = []
    for name, text in seed_texts(load_programs(root)).items():
        path = target / f"{name}.csv"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
