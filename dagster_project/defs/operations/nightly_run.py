"""Run the nightly job in process and summarise what it did.

The run goes into the lasting Dagster instance of the home (`<home>/dagster`, see dagster_home.py),
so `peixun run`, the schedule, the sensor and the UI share one run history. Progress goes to the
`peixun.progress` logger as the run goes (lib/progress.py); the summary at the end is English,
for the operator (the digest to the project office is Chinese, kept in <home>/logs and quality.digests).
"""

from __future__ import annotations

import logging
import uuid
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project import settings
from dagster_project.defs.operations.jobs import CLI_TRIGGER, IN_PROGRESS, TRIGGER_TAG
from dagster_project.lib.home import prepare_home
from dagster_project.lib.home_lock import Holder, HomeBusy, hold_home
from dagster_project.lib.progress import report
from dagster_project.lib.run_logs import log_path, run_log

QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class _KeptNightNotice(logging.Filter):
    """Drops Dagster's warning that a blocking check of the dbt step 'emitted no result' and the steps after it
    'will proceed without gating on it': on a night with nothing new the dbt step builds nothing on purpose
    (dbt/assets.py), and the steps after it are skipped, not run ungated. The warning would mislead the cron log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("emitted no result in step 'warehouse_models'" in message and "will proceed" in message)


logging.getLogger("dagster._core.execution.plan.active").addFilter(_KeptNightNotice())
NONE = "—"  # what the summary prints for a figure that does not exist


@dataclass
class RunOutcome:
    success: bool
    run_id: str
    reason: str
    report: str
    kept_version: str | None = None  # a night with nothing new: the published version it kept


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
            lock = held.enter_context(hold_home(home, run_id, command))
            outcome, crash = _run_job(raw_dir, home, instance, full_refresh, backfill, run_id, lock.stale)
        except HomeBusy:
            raise
        except Exception as exc:
            first_line = str(exc).strip().partition("\n")[0]
            send_run_digest(home, run_id, failure=f"{type(exc).__name__}: {first_line}")
            raise
        # A kept version's bulletins were drafted the night it was published, from the same tables and code.
        bulletins = _draft_bulletins(home) if outcome.success and not outcome.kept_version else []
        report("sending the digest to the project office")
        digest, deliveries = send_run_digest(home, outcome.run_id, failure=crash,
                                             bulletin_lines=[b.line for b in bulletins],
                                             attachments=[b.docx for b in bulletins if b.docx])
        kept = run_log(home, "digest", outcome.run_id, suffix=".txt")
        kept.write_text(f"{digest.subject}\n\n{digest.text}\n", encoding="utf-8")
    outcome.report = "\n".join([
        outcome.report,
        *(f"bulletin {b.program} {b.period}: " + (f"NOT released, {b.reason}" if b.reason else str(b.files[0].parent))
          for b in bulletins),
        *([f"bulletins: not drafted again, {outcome.kept_version} is still published"] if outcome.kept_version else []),
        f"digest (Chinese, for the project office): {kept}",
        *(f"digest -> {d.channel}: {'sent' if d.ok else 'NOT sent, ' + d.error}" for d in deliveries),
    ])
    return outcome


def _draft_bulletins(home: Path) -> list:
    """The city edition of every active program period (publish/bulletin/nightly.py); a failure of the
    drafting itself is one not-released line, never a failed night."""
    from dagster_project.defs.publish.bulletin.nightly import Drafted, draft_city_editions

    report("drafting the bulletins (学情通报)")
    try:
        return draft_city_editions(home)
    except Exception as exc:
        return [Drafted("学情通报", "—", reason=f"{type(exc).__name__}: {str(exc).strip().partition(chr(10))[0]}")]


def _run_job(
    raw_dir: Path,
    home: Path,
    instance: dg.DagsterInstance | None,
    full_refresh: bool = False,
    backfill: tuple[str, str] | None = None,
    run_id: str | None = None,
    killed: Holder | None = None,
) -> tuple[RunOutcome, str | None]:
    """Run the job in `instance` (default: the home's own, <home>/dagster) and record it in ops.run_history.

    The run covers the pending export dates (files newer than their last publication in that
    instance: all of them in a new home, none on a night with nothing new, which then runs over the
    latest date: the ingest and its checks alone when the installed version was built from the same
    loads and code, quiet_night.py), or with `backfill` (first, last) those dates, loaded again.
    `killed`, the run that held the home before and was killed, is closed in the instance (_close_killed).
    Returns the outcome and, when the job itself failed (not a data-quality block), why.
    """
    from dagster_project.defs.dbt.resource import prepare_dbt
    from dagster_project.defs.operations.dagster_home import open_instance
    from dagster_project.defs.operations.partitions import backfill_range, nightly_range, range_tags
    from dagster_project.defs.operations.quiet_night import INGEST_ASSETS, kept_tags, version_kept_tonight
    from dagster_project.defs.operations.run_history import failure_reason, format_run, recent_runs, record_run
    from dagster_project.defs.quality.results import blocking_errors

    raw_dir, home = raw_dir.absolute(), home.absolute()
    database = home / "warehouse.duckdb"
    report("dbt: preparing the manifest (parsed again only when dbt/ changed)")
    prepare_dbt()
    report("loading the Dagster definitions")
    from dagster_project.definitions import defs

    with open_instance(home) if instance is None else nullcontext(instance) as active:
        _close_killed(active, killed)
        keys = backfill_range(active, raw_dir, *backfill) if backfill else nightly_range(active, raw_dir)
        if keys is None:
            raise FileNotFoundError(f"no export folder <source>/<YYYY-MM-DD> under {raw_dir}")
        # a night with nothing new runs the ingest and its checks alone (quiet_night.py)
        kept = None if backfill or full_refresh else version_kept_tonight(active, raw_dir, home)
        ops = {"landing_tables": {"config": {"reload": backfill is not None}}}
        if not kept:
            ops["warehouse_models"] = {"config": {"full_refresh": full_refresh}}
        span = keys.start if keys.start == keys.end else f"{keys.start}..{keys.end}"
        report(f"running the nightly job over export dates {span} (Dagster home {active.root_directory})"
               + (f"; nothing new since {kept} was published: the ingest and its checks only" if kept else ""))
        result = defs.resolve_job_def("nightly").execute_in_process(
            run_config={**QUIET_LOGS, "ops": ops,
                        "resources": {"warehouse": {"config": {"raw_dir": str(raw_dir), "home": str(home)}}}},
            instance=active, raise_on_error=False, run_id=run_id,
            asset_selection=INGEST_ASSETS if kept else None,
            tags={**range_tags(keys), TRIGGER_TAG: CLI_TRIGGER, **kept_tags(kept)},
        )
        report("recording the run in ops.run_history")
        record_run(active, result.run_id, database)
    failures = _load_failures(database, result.run_id)
    recorded = recent_runs(database, run_id=result.run_id)
    report_lines = [
        f"summary of run {result.run_id}",
        load_report(database, result.run_id),
        headline_report(database),
        *map(format_run, recorded),
        dbt_report(result, home),
    ]
    summary = "\n".join(line for line in report_lines if line)
    blocked = blocking_errors(database, result.run_id)
    if blocked:
        reason = f"publishing blocked by {len(blocked)} data-quality ERROR check(s): {'; '.join(blocked)}"
        return RunOutcome(False, result.run_id, reason, summary), None
    if not result.success:
        reason = failure_reason(result.all_events) or "the nightly job failed"
        return RunOutcome(False, result.run_id, reason, summary), reason
    if failures:
        reason = f"{len(failures)} export file(s) could not be loaded; first: {failures[0]}"
        return RunOutcome(False, result.run_id, reason, summary), None
    kept = recorded[0]["kept_version"] if recorded else None
    return RunOutcome(True, result.run_id, "", summary, kept), None


def _close_killed(instance: dg.DagsterInstance, killed: Holder | None) -> None:
    """A run killed outright (kill -9) stays STARTED in the lasting Dagster instance, and the schedule and the
    sensor would wait for it forever: it is marked failed, saying why. The home's lock, held now, proves it dead."""
    run = instance.get_run_by_id(killed.run_id) if killed is not None else None
    if run is not None and run.status in IN_PROGRESS:
        instance.report_run_failed(run, message=f"{killed.command} (pid {killed.pid}, started at {killed.started_at}) "
                                                "was killed before it finished")


def dbt_report(result: dg.ExecuteInProcessResult, home: Path) -> str:
    """dbt's tests that warned (not counted as warnings: those are the digest's) and where dbt's own log is."""
    from dagster_project.defs.dbt.assets import warehouse_models

    dbt_checks = set(warehouse_models.check_keys)
    evaluations = [
        e.event_specific_data for e in result.all_events
        if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
        and e.event_specific_data.asset_check_key in dbt_checks
    ]
    warned = [c.check_name for c in evaluations if not c.passed and c.severity == dg.AssetCheckSeverity.WARN]
    log = log_path(home, "dbt", result.run_id)
    line = f"dbt tests: {len(evaluations)} evaluated, {len(warned)} warned"
    return "\n".join([line + (f" ({', '.join(warned)})" if warned else ""),
                      f"dbt log: {log}" if log.exists() else "dbt log: none (dbt did not run)"])


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
    lines = [f"loads: {len(rows)} source/entity groups touched (unchanged files are skipped)"]
    lines += [
        f"  {src or NONE:<12} {ent or NONE:<14} files={files:<3} rows={rows_:<9} quarantined={q:<6} failed={failed}"
        for src, ent, files, rows_, q, failed in rows
    ]
    return "\n".join(lines)


def headline_report(database: Path) -> str:
    """Headline rates per program and period at its latest export (dbt models report_program_headlines and
    report_school_based_headlines: 校本研修 teachers reached and the rate), and the phase of each program
    year's latest export (marts.fct_export_phases: 全员培训's calendar)."""
    from dagster_project.defs.operations.alerts import program_phases

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
        phases = program_phases(con)
    lines = ["headline rates (latest export of each program period):"]
    for row in rows:
        program, period, date, part, expected, part_rate, paid, learn_rate, pass_rate, courses = map(_shown, row)
        lines.append(
            f"  {program} {period} as of {date}: participation {part_rate} ({part}/{expected}), "
            f"paid enrollments {paid}, learning rate {learn_rate}, pass rate {pass_rate}, courses {courses}"
        )
    for program, period, date, reached, teachers, rate, registered, pending, accepted, schools in school_based:
        lines.append(
            f"  {program} {period} 校本研修 as of {date}: reached the hours {_shown(reached)}/{_shown(teachers)} "
            f"({_shown(rate)}), hours registered {_hours(registered)}, pending {_hours(pending)}, "
            f"schools accepted {_shown(accepted)}/{_shown(schools)}"
        )
    for p in phases:
        now = f"phase {p.phase} until {p.ends_on} ({p.days_left} days left)" if p.phase else "in no phase"
        lines.append(f"  {p.program} {p.school_year} as of {p.export_date}: {now}"
                     + (f", next {p.next_phase} on {p.next_phase_on}" if p.next_phase else ""))
    return "\n".join(lines)


def _shown(value: object) -> str:
    """A figure as the summary prints it: — where there is none (an undefined rate, no target)."""
    return NONE if value is None else str(value)


def _hours(value: float | Decimal | None) -> str:
    """Hours as a plain number, as the tables publish them: 2273140 or 12.5, never 2.27314e+06."""
    return NONE if value is None else f"{Decimal(str(value)).normalize():f}"
