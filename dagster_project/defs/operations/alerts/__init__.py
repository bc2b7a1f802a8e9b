"""Alerts to the project office: after each run, one digest to every configured channel.

A channel that is down or misconfigured does not fail the run: the failure is logged,
recorded in quality.digests, and the other channels still get the digest.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from dagster_project import settings
from dagster_project.defs.operations.alerts.channels import configured_channels
from dagster_project.defs.operations.alerts.digest import Digest, RunFacts, SourceLoad, alerts_of, compose
from dagster_project.defs.operations.alerts.ledger import record_digest, remember
from dagster_project.defs.quality.data_docs import data_docs_index
from dagster_project.defs.quality.policy import load_quality_config
from dagster_project.defs.quality.results import load as load_outcomes
from dagster_project.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    channel: str
    ok: bool
    error: str = ""


def send_run_digest(home: Path, run_id: str, failure: str | None = None, env: Mapping[str, str] | None = None,
                    now: dt.datetime | None = None) -> tuple[Digest, list[Delivery]]:
    """Compose the run's digest from the warehouse in `home`, remember its alerts, send it everywhere.

    The channels are the settings' (`env`: only the PEIXUN_* variables of that mapping)."""
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
        return RunFacts(outcomes=load_outcomes(con, run_id))
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
    return RunFacts(
        loads=[SourceLoad(*row) for row in loads],
        failed_files=[(file, message) for file, message in failed],
        outcomes=load_outcomes(con, run_id),
    )
