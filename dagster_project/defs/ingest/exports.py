"""Ingestion: platform exports under data/raw/ into typed DuckDB tables."""

from __future__ import annotations

import datetime as dt
import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.defs.ingest.contract import Config
from dagster_project.defs.ingest.ddl import ensure_schema
from dagster_project.defs.ingest.deliveries import load_in_force
from dagster_project.defs.ingest.discover import ExportUnit, discover
from dagster_project.defs.ingest.load import LoadResult, record_problem

PARALLEL_LOADS = 2  # units loading at once (the machines have 2 cores; DuckDB shares them)


@dataclass
class IngestSummary:
    results: list[LoadResult] = field(default_factory=list)  # one per unit: the delivery in force, or its failure
    problems: list[str] = field(default_factory=list)  # files or folders that could not be placed
    skipped: list[str] = field(default_factory=list)  # hidden source folders, not read

    @property
    def attempts(self) -> list[LoadResult]:
        """Every load tried: each unit's newer deliveries that failed, then the unit's result."""
        return [a for r in self.results for a in (*r.newer_failures, r)]

    @property
    def failures(self) -> list[str]:
        """Files that failed or were rejected, and what could not be placed: the run fails on these."""
        return [a.message for a in self.attempts if a.status in ("failed", "rejected")] + self.problems

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
    progress: Callable[[LoadResult, int, int], None] | None = None,
) -> IngestSummary:
    """Load every new or re-delivered export unit under `raw_dir`; one bad file never stops the others.

    `dates` (first, last export date, inclusive) limits the load to those export dates: the run's
    Dagster partition range. `force` loads them again even when unchanged: a backfill, after which
    the incremental models rebuild exactly those dates.

    Two units load at a time, each in its own transaction on a cursor of its own: while one waits on
    work that holds Python (decoding GB18030, reading a workbook), DuckDB works on the other.
    The largest files start first, so the small ones fill in beside them. `progress(result, done, total)`
    hears of each unit as it finishes.
    """
    ensure_schema(con, config)
    found = discover(raw_dir, config)
    summary = IngestSummary(problems=[f"{path}: {why}" for path, why in found.problems],
                            skipped=[f"{path}: {why}" for path, why in found.skipped])
    for path, why in found.problems:
        record_problem(con, raw_dir, path, why, run_id)
    for path, why in found.skipped:
        record_problem(con, raw_dir, path, why, run_id, status="skipped")
    units = [u for u in found.units if dates is None or dates[0] <= u.export_date <= dates[1]]
    cursors = [con.cursor() for _ in range(PARALLEL_LOADS)]
    free: queue.SimpleQueue[duckdb.DuckDBPyConnection] = queue.SimpleQueue()
    for cursor in cursors:
        free.put(cursor)

    def load(unit: ExportUnit) -> LoadResult:
        cursor = free.get()
        try:
            return load_in_force(cursor, unit, config, salt, run_id, force=force)
        finally:
            free.put(cursor)

    try:
        with ThreadPoolExecutor(max_workers=PARALLEL_LOADS) as pool:
            futures = {unit: pool.submit(load, unit) for unit in sorted(units, key=_size, reverse=True)}
            try:
                for done, future in enumerate(as_completed(futures.values()), 1):
                    if progress is not None:
                        progress(future.result(), done, len(units))
                summary.results = [futures[unit].result() for unit in units]
            except BaseException:
                pool.shutdown(cancel_futures=True)  # an unexpected error: stop, do not load the rest first
                raise
    finally:
        for cursor in cursors:
            cursor.close()
    for result in summary.attempts:
        if log is not None and result.status != "unchanged":
            log(f"{result.status}: {result.unit.file} [{result.dialect or '-'}; {result.message}] "
                f"rows={result.raw_rows} loaded={result.loaded_rows} quarantined={result.quarantined_rows}")
    return summary


def _size(unit: ExportUnit) -> int:
    """The file's size, for the order of loading; a file gone since discovery fails in its load, recorded."""
    try:
        return unit.file.stat().st_size
    except OSError:
        return 0
