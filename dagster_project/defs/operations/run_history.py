"""Run history: what each nightly run loaded, built, checked and published (ops.run_history).

Recorded from the Dagster instance (status, times, materialisations, asset-check
evaluations: dbt tests and the data-quality checks alike) and the warehouse's load
manifest, once the run is over: by `peixun run` in process, and by the run-status
sensors for runs the daemon launches. Recording a run again replaces its row.

kept_version is the published version a night with nothing new kept instead of building it again
(publish/fingerprint.py); published_version is then empty.

checks_evaluated and checks_failed count asset-check evaluations (dbt tests and data-quality
checks; failed = severity ERROR). checks_warned counts what the nightly digest calls warnings,
the same way (alerts.digest.alerts_of): one per file, district, course or report cell that a
WARN data-quality check found, so `peixun status` and the digest give the same number. dbt
tests that warn are in the dbt log and the Dagster UI, not among them.

Runs the warehouse cannot take yet wait in the home's journal (lib/run_journal.py): runs
refused because another held the home, runs found killed ('aborted'), a run that ended
while another wrote the warehouse. Each recording moves them in; `recent_runs` shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARTITION_NAME_TAG,
)

from dagster_project.defs.publish.fingerprint import KEPT_TAG
from dagster_project.defs.publish.publication import PUBLISHED_ASSET
from dagster_project.lib import run_journal
from dagster_project.lib.warehouse import REFUSED_TAG

COLUMNS = (
    "run_id varchar primary key, status varchar, started_at timestamp, finished_at timestamp, "
    "files_loaded integer, files_failed integer, rows_loaded bigint, rows_quarantined bigint, "
    "models_built integer, checks_evaluated integer, checks_failed integer, checks_warned integer, "
    "published_version varchar, failure_reason varchar, export_dates varchar, kept_version varchar"
)


def _first_line(error) -> str:
    """The root cause's message on one line, its exception named without the module path."""
    while error.cause is not None:
        error = error.cause
    line = (error.message.strip().splitlines() or [""])[0]
    qualified, _, rest = line.partition(": ")
    return f"{error.cls_name}: {rest}" if error.cls_name and qualified.endswith("." + error.cls_name) else line


def failure_reason(events: Iterable[dg.DagsterEvent]) -> str | None:
    """Why the run failed, on one line: the first failed step's description (a dg.Failure) or root
    cause, else the run's own failure (a resource that could not start, such as a home held)."""
    events = list(events)
    for event in events:
        if event.is_step_failure:
            data = event.event_specific_data
            if data.user_failure_data is not None and data.user_failure_data.description:
                return data.user_failure_data.description.strip().splitlines()[0]
            return _first_line(data.error)
    for event in events:
        if event.event_type == dg.DagsterEventType.RUN_FAILURE and event.event_specific_data.error is not None:
            return _first_line(event.event_specific_data.error)
    return None


def _timestamp(epoch: float | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(epoch) if epoch is not None else None


def _dagster_facts(instance: dg.DagsterInstance, run_id: str) -> dict:
    record = instance.get_run_record_by_id(run_id)
    if record is None:
        raise ValueError(f"run {run_id} is not in this Dagster instance")
    events = [e.dagster_event for e in instance.all_logs(run_id) if e.dagster_event is not None]
    # A run over a range of export dates materializes each asset once per date: count assets.
    materialized = list({
        m.asset_key: m for m in (e.event_specific_data.materialization for e in events if e.is_step_materialization)
    }.values())
    checks = [e.event_specific_data for e in events if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION]
    failed = [c for c in checks if not c.passed]
    published = [m.metadata["version"].value for m in materialized if m.asset_key == dg.AssetKey(PUBLISHED_ASSET)]
    refused = REFUSED_TAG in record.dagster_run.tags
    return {
        "status": "refused" if refused else record.dagster_run.status.value.lower(),
        "started_at": _timestamp(record.start_time),
        "finished_at": _timestamp(record.end_time),
        "models_built": sum(
            1 for m in materialized if str(getattr(m.metadata.get("unique_id"), "value", "")).startswith("model.")
        ),
        "checks_evaluated": len(checks),
        "checks_failed": sum(c.severity == dg.AssetCheckSeverity.ERROR for c in failed),
        "published_version": published[-1] if published else None,
        "failure_reason": failure_reason(events),
        "export_dates": export_dates(record.dagster_run.tags),
        "kept_version": record.dagster_run.tags.get(KEPT_TAG),
    }


def export_dates(tags: dict[str, str]) -> str | None:
    """The run's export dates (its partition range) as 'first..last', or the one date."""
    first, last = tags.get(ASSET_PARTITION_RANGE_START_TAG), tags.get(ASSET_PARTITION_RANGE_END_TAG)
    first, last = first or tags.get(PARTITION_NAME_TAG), last or tags.get(PARTITION_NAME_TAG)
    if first is None:
        return None
    return first if first == last else f"{first}..{last}"


def _load_facts(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'ingest' and table_name = 'load_manifest'"
    ).fetchone()[0]
    if not exists:
        return 0, 0, 0, 0
    return con.execute(
        """select count(*) filter (where status in ('loaded', 'replaced')),
                  count(*) filter (where status in ('failed', 'rejected')),
                  coalesce(sum(loaded_rows) filter (where status in ('loaded', 'replaced')), 0),
                  coalesce(sum(quarantined_rows) filter (where status in ('loaded', 'replaced')), 0)
           from ingest.load_manifest where run_id = ?""",
        [run_id],
    ).fetchone()


def digest_warnings(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """The number of warnings the run's digest lists (and counts in its subject line)."""
    from dagster_project.defs.operations.alerts import read_run
    from dagster_project.defs.operations.alerts.digest import alerts_of
    from dagster_project.defs.quality.policy import Severity

    return sum(alert.severity is Severity.WARN for alert in alerts_of(read_run(con, run_id), None))


def _write(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    con.execute(
        f"insert or replace into ops.run_history by name select {', '.join(f'${name} as {name}' for name in row)}",
        row,
    )


def _ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists ops")
    con.execute(f"create table if not exists ops.run_history ({COLUMNS})")
    con.execute("alter table ops.run_history add column if not exists export_dates varchar")  # before 2026-11-23
    con.execute("alter table ops.run_history add column if not exists kept_version varchar")  # before 2026-12-04


def record_run(instance: dg.DagsterInstance, run_id: str, database: Path) -> None:
    """Write (or rewrite) the run's row in ops.run_history of the warehouse it ran against, with the
    journal's rows; into the journal when another run holds the warehouse."""
    facts = _dagster_facts(instance, run_id)
    home = database.parent
    journaled = run_journal.take(home)
    try:
        with duckdb.connect(str(database)) as con:
            _ensure_table(con)
            for row in journaled:  # older than this run's row: refused, aborted, recorded while busy
                _write(con, row)
            files_loaded, files_failed, rows_loaded, rows_quarantined = _load_facts(con, run_id)
            _write(con, {
                "run_id": run_id,
                **facts,
                "files_loaded": files_loaded,
                "files_failed": files_failed,
                "rows_loaded": rows_loaded,
                "rows_quarantined": rows_quarantined,
                "checks_warned": digest_warnings(con, run_id),
            })
    except duckdb.IOException:  # the warehouse's one writer is another run: its recording moves these in
        run_journal.put_back(home, [*journaled, {"run_id": run_id, **facts}])
    except BaseException:
        run_journal.put_back(home, journaled)
        raise


def recent_runs(database: Path, limit: int = 10, run_id: str | None = None) -> list[dict]:
    """The last `limit` recorded runs (or the one `run_id`), newest first, the journal's included."""
    runs: dict[str, dict] = {}
    if database.exists():
        with duckdb.connect(str(database), read_only=True) as con:
            try:
                cursor = con.execute(
                    "select * from ops.run_history where run_id = coalesce(?, run_id) order by started_at desc limit ?",
                    [run_id, limit],
                )
                names = [d[0] for d in cursor.description]
                runs = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
            except duckdb.CatalogException:
                pass
    columns = [c.split()[0] for c in COLUMNS.split(", ")]
    for row in run_journal.pending(database.parent):
        if run_id in (None, row["run_id"]):
            runs[row["run_id"]] = {c: row.get(c) for c in columns}
    ordered = sorted(runs.values(), key=lambda r: r["started_at"] or dt.datetime.min, reverse=True)
    return ordered[:limit]


def _published(run: dict) -> str:
    """The version the run published, or the one it kept (a night with nothing new: kept:<version>)."""
    if run["published_version"]:
        return run["published_version"]
    return f"kept:{run['kept_version']}" if run.get("kept_version") else "-"


def format_run(run: dict) -> str:
    """One line per run for `peixun status` and `peixun run`."""
    if run["status"] in ("refused", "aborted"):  # no work recorded: when, what and why
        return (f"{run['started_at']:%Y-%m-%d %H:%M:%S} {run['status']:<8} run {run['run_id'][:8]}"
                f"\n    reason: {run['failure_reason']}")
    seconds = (run["finished_at"] - run["started_at"]).total_seconds() if run["finished_at"] else None
    line = (
        f"{run['started_at']:%Y-%m-%d %H:%M:%S} {run['status']:<8} {seconds or 0:>6.1f}s "
        f"files={run['files_loaded']} failed_files={run['files_failed']} rows={run['rows_loaded']} "
        f"quarantined={run['rows_quarantined']} models={run['models_built']} "
        f"checks={run['checks_evaluated']} failed_checks={run['checks_failed']} warnings={run['checks_warned']} "
        f"published={_published(run)} dates={run['export_dates'] or '-'}  run {run['run_id'][:8]}"
    )
    return line + (f"\n    reason: {run['failure_reason']}" if run["failure_reason"] else "")
