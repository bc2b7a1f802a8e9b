"""Run the nightly job in process and summarise what it did."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class RunOutcome:
    success: bool
    run_id: str
    reason: str
    report: str


def run_nightly(raw_dir: Path, home: Path) -> RunOutcome:
    from dagster_project.project import prepare_dbt

    prepare_dbt()
    from dagster_project.definitions import defs

    home.mkdir(parents=True, exist_ok=True)
    run_config = {
        **QUIET_LOGS,
        "resources": {"warehouse": {"config": {"raw_dir": str(raw_dir), "home": str(home)}}},
    }
    result = defs.resolve_job_def("nightly").execute_in_process(run_config=run_config, raise_on_error=False)
    failures = _load_failures(home / "warehouse.duckdb", result.run_id)
    report = load_report(home / "warehouse.duckdb", result.run_id) + "\n" + headline_report(home / "warehouse.duckdb")
    if not result.success:
        step_errors = [_root_cause(e.event_specific_data.error) for e in result.all_events if e.is_step_failure]
        reason = step_errors[0] if step_errors else "the nightly job failed"
        return RunOutcome(False, result.run_id, reason, report)
    if failures:
        reason = f"{len(failures)} export file(s) could not be loaded; first: {failures[0]}"
        return RunOutcome(False, result.run_id, reason, report)
    return RunOutcome(True, result.run_id, "", report)


def _root_cause(error) -> str:
    while error.cause is not None:
        error = error.cause
    return error.message.strip().splitlines()[0]


def _load_failures(database: Path, run_id: str) -> list[str]:
    if not database.exists():
        return []
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select message from ingest.load_manifest where run_id = ? and status = 'failed' order by source_file",
            [run_id],
        ).fetchall()
    return [r[0] for r in rows]


def load_report(database: Path, run_id: str) -> str:
    """A short text summary of the loads of one run, per source and entity."""
    if not database.exists():
        return "no warehouse was written"
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            """select source_name, entity, count(*) filter (where status = 'loaded'),
                      coalesce(sum(loaded_rows), 0), coalesce(sum(quarantined_rows), 0),
                      count(*) filter (where status = 'failed')
               from ingest.load_manifest where run_id = ? group by all order by all""",
            [run_id],
        ).fetchall()
    lines = [f"run {run_id}: {len(rows)} source/entity groups touched (unchanged files are skipped)"]
    lines += [
        f"  {src:<12} {ent or '?':<14} files={files:<3} rows={rows_:<9} quarantined={q:<6} failed={failed}"
        for src, ent, files, rows_, q, failed in rows
    ]
    return "\n".join(lines)


def headline_report(database: Path) -> str:
    """Headline rates per program and period at its latest export (dbt model report_program_headlines)."""
    if not database.exists():
        return ""
    with duckdb.connect(str(database), read_only=True) as con:
        try:
            rows = con.execute(
                """select program, _period, _export_date, participants, expected_teachers, participation_rate,
                          enrollments_paid, learning_rate, pass_rate, courses_offered
                   from reports.report_program_headlines
                   qualify _export_date = max(_export_date) over (partition by program, _period)
                   order by program, _period"""
            ).fetchall()
        except duckdb.CatalogException:
            return "no reports built yet"
    lines = ["headline rates (latest export of each program period):"]
    for program, period, date, part, expected, part_rate, paid, learn_rate, pass_rate, courses in rows:
        lines.append(
            f"  {program} {period} 截至{date}: 参训率 {part_rate} ({part}/{expected}), "
            f"选课 {paid} 人次, 学习率 {learn_rate}, 通过率 {pass_rate}, 课程 {courses} 门"
        )
    return "\n".join(lines)
