"""Compile the programs' credit rules into the dbt seed program_credit_rules (one row per name the
exports give a program, per school year), so no number of a rule is written in SQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dagster_project.defs.programs.credit_rules import ProgramConfig, load_programs
from dagster_project.project import dbt_project

SEED = "program_credit_rules"
COLUMNS = ("program_code", "program", "source_like", "school_year", "hours_per_credit", "credited_hours_cap",
           "requires_passed", "rounding", "decimals")


def seed_path() -> Path:
    return Path(dbt_project.project_dir) / "seeds" / f"{SEED}.csv"


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


def write_seeds(root: Path | None = None) -> Path:
    """Write dbt/seeds/program_credit_rules.csv from config/programs/ (or `root`); return its path."""
    path = seed_path()
    path.write_text(credit_rules_csv(load_programs(root)), encoding="utf-8")
    return path
