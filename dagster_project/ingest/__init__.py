"""Ingestion: platform exports under data/raw/ into typed DuckDB tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.ingest.config import Config
from dagster_project.ingest.discover import discover
from dagster_project.ingest.load import LoadResult, load_unit, record_problem, record_superseded
from dagster_project.ingest.warehouse import ensure_schema


@dataclass
class IngestSummary:
    results: list[LoadResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files or folders that could not be placed

    @property
    def failures(self) -> list[str]:
        return [r.message for r in self.results if r.status == "failed"] + self.problems

    def by_status(self, status: str) -> list[LoadResult]:
        return [r for r in self.results if r.status == status]


def ingest_exports(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    config: Config,
    salt: str,
    run_id: str,
    log=None,
    dates: tuple[dt.date, dt.date] | None = None,
    force: bool = False,
) -> IngestSummary:
    """Load every new or re-delivered export unit under `raw_dir`; one bad file never stops the others.

    `dates` (first, last export date, inclusive) limits the load to those export dates: the run's
    Dagster partition range. `force` loads them again even when unchanged: a backfill, after which
    the incremental models rebuild exactly those dates.
    """
    ensure_schema(con, config)
    found = discover(raw_dir, config)
    summary = IngestSummary(problems=[f"{path}: {why}" for path, why in found.problems])
    for path, why in found.problems:
        record_problem(con, raw_dir, path, why, run_id)
    for unit in found.units:
        if dates is not None and not dates[0] <= unit.export_date <= dates[1]:
            continue
        record_superseded(con, unit, run_id)
        result = load_unit(con, unit, config, salt, run_id, force=force)
        summary.results.append(result)
        if log is not None and result.status != "unchanged":
            log(f"{result.status}: {unit.file} [{result.dialect or '-'}; {result.message}] "
                f"rows={result.raw_rows} loaded={result.loaded_rows} quarantined={result.quarantined_rows}")
    return summary
