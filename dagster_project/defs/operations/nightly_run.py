"""Run the nightly job in process and summarise what it did."""

from __future__ import annotations

import uuid
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project import settings
from dagster_project.lib.home import prepare_home
from dagster_project.lib.home_lock import HomeBusy, hold_home

QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class RunOutcome:
    success: bool
    run_id: str
    reason: str
    report: str


def run_nightly(
    raw_dir: Path,
    home: Path,
    instance: dg.DagsterInstance | None = None,
    full_refresh: bool = False,
    backfill: tuple[str, str] | None = None,
    run_id: str | None = None,
    command: str = "peixun run",
) -> RunOutcome:
    """Run the job (see _run_job) holding the home, then send the run's digest to the project office,
    even after a crash.

    Refused at once, before any work: without a good PEIXUN_PII_SALT (SettingsError), and while
    another run holds the home (HomeBusy; the refusal is journaled for the run history). The home
    is made private first (lib/home.py); a predecessor found killed is recorded as aborted.
    """
    from dagster_project.defs.operations.alerts import send_run_digest

    config = settings.load()
    config.salt()
    run_id = run_id or str(uuid.uuid4())
    home = home.absolute()
    with ExitStack() as held:
        try:
            prepare_home(home, config.analysts_group)
            held.enter_context(hold_home(home, run_id, command))
            outcome, crash = _run_job(raw_dir, home, instance, full_refresh, backfill, run_id)
        except HomeBusy:
            raise
        except Exception as exc:
            first_line = str(exc).strip().partition("\n")[0]
            send_run_digest(home, run_id, failure=f"{type(exc).__name__}: {first_line}")
            raise
        digest, deliveries = send_run_digest(home, outcome.run_id, failure=crash)
    outcome.report = "\n".join([
        outcome.report, digest.text,
        *(f"digest -> {d.channel}: {'sent' if d.ok else 'NOT sent, ' + d.error}" for d in deliveries),
    ])
    return outcome


def _run_job(
    raw_dir: Path,
    home: Path,
    instance: dg.DagsterInstance | None,
    full_refresh: bool = False,
    backfill: tuple[str, str] | None = None,
    run_id: str | None = None,
) -> tuple[RunOutcome, str | None]:
    """Run the job in `instance` (default: a fresh ephemeral one) and record it in ops.run_history.

    The run covers the pending export dates (a fresh instance: all of them), or with `backfill`
    (first, last) those dates, loaded again. Returns the outcome and, when the job itself failed
    (not a data-quality block), why.
    """
    from dagster_project.defs.dbt.resource import prepare_dbt
    from dagster_project.defs.operations.partitions import backfill_range, nightly_range, range_tags
    from dagster_project.defs.operations.run_history import failure_reason, format_run, recent_runs, record_run
    from dagster_project.defs.quality.results import blocking_errors

    raw_dir, home = raw_dir.absolute(), home.absolute()
    database = home / "warehouse.duckdb"
    prepare_dbt(database)
    from dagster_project.definitions import defs

    run_config = {
        **QUIET_LOGS,
        "resources": {"warehouse": {"config": {"raw_dir": str(raw_dir), "home": str(home)}}},
        "ops": {
            "warehouse_models": {"config": {"full_refresh": full_refresh}},
            "landing_tables": {"config": {"reload": backfill is not None}},
        },
    }
    with dg.DagsterInstance.ephemeral() if instance is None else nullcontext(instance) as active:
        keys = backfill_range(active, raw_dir, *backfill) if backfill else nightly_range(active, raw_dir)
        if keys is None:
            raise FileNotFoundError(f"no export folder <source>/<YYYY-MM-DD> under {raw_dir}")
        result = defs.resolve_job_def("nightly").execute_in_process(
            run_config=run_config, instance=active, raise_on_error=False, tags=range_tags(keys), run_id=run_id
        )
        record_run(active, result.run_id, database)
    failures = _load_failures(database, result.run_id)
    recorded = recent_runs(database, run_id=result.run_id)
    report = "\n".join([load_report(database, result.run_id), headline_report(database), *map(format_run, recorded)])
    blocked = blocking_errors(database, result.run_id)
    if blocked:
        reason = f"publishing blocked by {len(blocked)} data-quality ERROR check(s): {'; '.join(blocked)}"
        return RunOutcome(False, result.run_id, reason, report), None
    if not result.success:
        reason = failure_reason(result.all_events) or "the nightly job failed"
        return RunOutcome(False, result.run_id, reason, report), reason
    if failures:
        reason = f"{len(failures)} export file(s) could not be loaded; first: {failures[0]}"
        return RunOutcome(False, result.run_id, reason, report), None
    return RunOutcome(True, result.run_id, "", report), None


def _load_failures(database: Path, run_id: str) -> list[str]:
    if not database.exists():
        return []
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select message from ingest.load_manifest where run_id = ? and status in ('failed', 'rejected') "
            "order by source_file",
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
                      count(*) filter (where status in ('failed', 'rejected'))
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
    """Headline rates per program and period at its latest export (dbt models report_program_headlines and
    report_school_based_headlines: 校本研修 teachers reached and the rate)."""
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
            school_based = con.execute(
                """select program, _period, _export_date, reached, teachers, reach_rate, registered_hours,
                          pending_hours, schools_accepted, schools
                   from reports.report_school_based_headlines
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
    for program, period, date, reached, teachers, rate, registered, pending, accepted, schools in school_based:
        lines.append(
            f"  {program} {period} 校本研修 截至{date}: 达标 {reached}/{teachers} 人 ({rate}), "
            f"已登记 {registered:g} 学时, 待登记 {pending:g} 学时, 整校验收通过 {accepted}/{schools} 校"
        )
    return "\n".join(lines)
