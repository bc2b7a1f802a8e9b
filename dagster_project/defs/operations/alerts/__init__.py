"""Alerts to the project office: after each run, one digest to every configured channel.

A channel that is down or misconfigured does not fail the run: the failure is logged,
recorded in quality.digests, and the other channels still get the digest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from dagster_project import settings
from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.ingest.load import HELD_BACK
from dagster_project.defs.operations.alerts.channels import configured_channels
from dagster_project.defs.operations.alerts.digest import (
    Digest,
    ProgramPhase,
    RejectedFile,
    RejectionReason,
    RunFacts,
    SourceLoad,
    alerts_of,
    compose,
)
from dagster_project.defs.operations.alerts.ledger import record_digest, remember
from dagster_project.defs.quality.data_docs import data_docs_index
from dagster_project.defs.quality.policy import load_quality_config
from dagster_project.defs.quality.results import CheckOutcome
from dagster_project.defs.quality.results import load as load_outcomes
from dagster_project.settings import Settings

logger = logging.getLogger(__name__)
REASONS_LISTED = 3  # per rejected file
EXAMPLE_CHARS = 30  # of each value of an example row


@dataclass(frozen=True)
class Delivery:
    channel: str
    ok: bool
    error: str = ""


def send_run_digest(home: Path, run_id: str, failure: str | None = None, env: Mapping[str, str] | None = None,
                    now: dt.datetime | None = None, bulletin_lines: Sequence[str] = (),
                    attachments: Sequence[Path] = ()) -> tuple[Digest, list[Delivery]]:
    """Compose the run's digest from the warehouse in `home`, remember its alerts, send it everywhere.

    The channels are the settings' (`env`: only the PEIXUN_* variables of that mapping).
    `bulletin_lines`: where the night's bulletins are, or why one was not released (every channel);
    `attachments`: their DOCX files, attached to the e-mail."""
    config = settings.load() if env is None else settings.from_env(env)
    now = now or dt.datetime.now()
    database = home / "warehouse.duckdb"
    facts, continuing = RunFacts(), set()
    try:
        if database.exists():
            with duckdb.connect(str(database)) as con:
                facts = read_run(con, run_id)
                continuing = remember(con, run_id, alerts_of(facts, failure), now)
    except duckdb.Error as exc:
        logger.error("alerts: cannot read the warehouse %s: %s", database, exc)
        failure = f"{failure + '；' if failure else ''}仓库无法读取（{type(exc).__name__}）"
    docs = data_docs_index(home)
    digest = compose(run_id, now, facts, alerts_of(facts, failure), continuing, docs if docs.exists() else None,
                     load_quality_config().max_subjects_per_check)
    if bulletin_lines or attachments:
        digest = dataclasses.replace(digest, body=[*digest.body, *bulletin_lines], attachments=tuple(attachments))
    deliveries = deliver(digest, config)
    if database.exists():
        try:
            with duckdb.connect(str(database)) as con:
                record_digest(con, run_id, now, digest, [asdict(d) for d in deliveries])
        except duckdb.Error as exc:
            logger.error("alerts: cannot record the digest in %s: %s", database, exc)
    return digest, deliveries


def deliver(digest: Digest, config: Settings) -> list[Delivery]:
    """Send to every channel; each failure is logged and the next channel still gets the digest.
    Channels are named without their secrets, and errors are scrubbed of them."""
    channels, problems = configured_channels(config)
    deliveries = [Delivery("configuration", False, problem) for problem in problems]
    for problem in problems:
        logger.error("alerts: channel not configured: %s", problem)
    for channel in channels:
        try:
            channel.send(digest)
            deliveries.append(Delivery(channel.name, True))
        except Exception as exc:  # any failure of one channel must leave the others alone
            error = channel.scrub(f"{type(exc).__name__}: {exc}")
            logger.error("alerts: digest not delivered to %s: %s", channel.name, error)
            deliveries.append(Delivery(channel.name, False, error))
    return deliveries


def read_run(con: duckdb.DuckDBPyConnection, run_id: str) -> RunFacts:
    """The run's loads per source, its unreadable files and its check outcomes."""
    has_manifest = con.execute(
        "select 1 from information_schema.tables where table_schema = 'ingest' and table_name = 'load_manifest'"
    ).fetchall()
    if not has_manifest:
        return RunFacts(outcomes=load_outcomes(con, run_id), phases=program_phases(con))
    kept = recorded_kept_version(con, run_id)
    loads = con.execute(
        """select source_name, string_agg(distinct export_date::varchar, '、' order by export_date::varchar),
                  count(*), coalesce(sum(loaded_rows), 0), coalesce(sum(quarantined_rows), 0)
           from ingest.load_manifest
           where run_id = ? and status in ('loaded', 'replaced')
           group by source_name order by source_name""",
        [run_id],
    ).fetchall()
    failed = con.execute(
        "select source_file, message from ingest.load_manifest where run_id = ? and status = 'failed' "
        "order by source_file",
        [run_id],
    ).fetchall()
    skipped = con.execute(
        "select source_file from ingest.load_manifest where run_id = ? and status = 'skipped' order by source_file",
        [run_id],
    ).fetchall()
    return RunFacts(
        loads=[SourceLoad(*row) for row in loads],
        failed_files=[(file, message) for file, message in failed],
        outcomes=outcomes_with_kept(con, run_id, kept),
        rejected_files=rejected_files(con, run_id),
        skipped=[folder for (folder,) in skipped],
        phases=program_phases(con),
        kept_version=kept,
    )


def recorded_kept_version(con: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    """The published version the run kept, as ops.run_history recorded it (none before the run is recorded)."""
    try:
        row = con.execute("select kept_version from ops.run_history where run_id = ?", [run_id]).fetchone()
    except (duckdb.CatalogException, duckdb.BinderException):
        return None
    return row[0] if row else None


def outcomes_with_kept(con: duckdb.DuckDBPyConnection, run_id: str, kept: str | None) -> list[CheckOutcome]:
    """The run's check outcomes; a night that kept a version (it checked the landed data only) adds the other
    suites' outcomes of the run that published that version: they are still true of what analysts read, so the
    digest goes on listing an open problem every night, as continuing (持续), instead of dropping it for a night."""
    outcomes = load_outcomes(con, run_id)
    if not kept:
        return outcomes
    publishing = con.execute("select run_id from ops.run_history where published_version = ?", [kept]).fetchone()
    if publishing is None:
        return outcomes
    checked = {o.suite for o in outcomes}
    return outcomes + [o for o in load_outcomes(con, publishing[0]) if o.suite not in checked]


def program_phases(con: duckdb.DuckDBPyConnection) -> list[ProgramPhase]:
    """Each program year's latest export and the phase it is in (marts.fct_export_phases; none before dbt built it)."""
    try:
        rows = con.execute(
            """select coalesce(program_name, program_code), school_year, export_date, phase, ends_on, days_left,
                      next_phase, next_phase_kind, next_phase_on
               from marts.fct_export_phases
               qualify export_date = max(export_date) over (partition by program_code, school_year)
               order by program_code, school_year"""
        ).fetchall()
    except duckdb.CatalogException:
        return []
    return [ProgramPhase(*row) for row in rows]


def rejected_files(con: duckdb.DuckDBPyConnection, run_id: str) -> list[RejectedFile]:
    """The run's files rejected as a format change, each with its most common reasons and an example row of each."""
    rows = con.execute(
        f"""
        with rejected as (
            select load_id, source_file, raw_rows from ingest.load_manifest where run_id = ? and status = 'rejected'
        ),
        reasons as (
            select quarantine.load_id, quarantine.rule, count(*) as rows, min(quarantine.line) as first_line
            from ingest.quarantine
            inner join rejected on quarantine.load_id = rejected.load_id
            where quarantine.rule is distinct from ?
            group by all
        ),
        ranked as (
            select
                *,
                row_number() over (partition by load_id order by rows desc, first_line) as rank,
                sum(rows) over (partition by load_id) as failed_rows
            from reasons
        )
        select rejected.source_file, rejected.raw_rows, ranked.failed_rows, ranked.rule, ranked.rows,
               ranked.first_line, example.raw_values
        from rejected
        left join ranked on rejected.load_id = ranked.load_id and ranked.rank <= {REASONS_LISTED}
        left join ingest.quarantine as example
            on ranked.load_id = example.load_id and ranked.first_line = example.line
        order by rejected.source_file, ranked.rank
        """,
        [run_id, HELD_BACK],
    ).fetchall()
    reject = load_config().reject
    files: dict[str, RejectedFile] = {}
    for file, raw_rows, failed_rows, rule, count, line, example in rows:
        found = files.setdefault(file, RejectedFile(file, raw_rows, int(failed_rows or 0),
                                                    reject.limit_for(raw_rows), ()))
        if rule is not None:
            reason = RejectionReason(rule, count, line, _example(example))
            files[file] = dataclasses.replace(found, reasons=(*found.reasons, reason))
    return list(files.values())


def _example(raw_values: str | None) -> str:
    """A quarantined row's raw values as `header=value` pairs, long values cut; "" for a row without columns."""
    values = json.loads(raw_values) if raw_values else None
    if not isinstance(values, dict):
        return ""
    cut = {k: str(v) if len(str(v)) <= EXAMPLE_CHARS else str(v)[:EXAMPLE_CHARS] + "…" for k, v in values.items()}
    return "，".join(f"{k}={v}" for k, v in cut.items())
