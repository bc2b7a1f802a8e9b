"""Alert history in the warehouse, so a problem repeated night after night reads as continuing (持续).

quality.alert_history keeps one row per fingerprint (check + subject). An alert is continuing
when its fingerprint was in the previous digest; otherwise (new, or back after a clean night)
it is new. quality.digests keeps each digest sent and where it went.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from dagster_project.defs.operations.alerts.digest import Alert, Digest

HISTORY_DDL = """
create schema if not exists quality;
create table if not exists quality.alert_history (
    fingerprint varchar primary key,
    severity varchar not null,
    title varchar not null,
    message varchar not null,        -- the latest wording; numbers may change, the fingerprint does not
    since_run_id varchar not null,   -- first run of the current streak
    since timestamp not null,
    last_run_id varchar not null,
    last_seen_at timestamp not null,
    runs bigint not null             -- consecutive digests it has been in
);
create table if not exists quality.digests (
    run_id varchar primary key,
    sent_at timestamp not null,
    subject varchar not null,
    body varchar not null,
    deliveries json                  -- [{"channel": ..., "ok": ..., "error": ...}]
);
"""


def remember(con: duckdb.DuckDBPyConnection, run_id: str, alerts: list[Alert], now: dt.datetime) -> set[str]:
    """Record this run's alerts; return the fingerprints that were already in the previous digest."""
    con.execute(HISTORY_DDL)
    previous = con.execute(
        "select run_id from quality.digests where run_id <> ? order by sent_at desc limit 1", [run_id]
    ).fetchone()
    previous_run = previous[0] if previous else None
    continuing = set()
    for alert in alerts:
        row = con.execute(
            "select last_run_id from quality.alert_history where fingerprint = ?", [alert.fingerprint]
        ).fetchone()
        if row and row[0] == previous_run:
            continuing.add(alert.fingerprint)
            con.execute(
                "update quality.alert_history set severity = ?, title = ?, message = ?, last_run_id = ?, "
                "last_seen_at = ?, runs = runs + 1 where fingerprint = ?",
                [alert.severity.value, alert.title, alert.message, run_id, now, alert.fingerprint],
            )
        else:
            con.execute(
                "insert or replace into quality.alert_history values (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                [alert.fingerprint, alert.severity.value, alert.title, alert.message, run_id, now, run_id, now],
            )
    return continuing


def record_digest(con: duckdb.DuckDBPyConnection, run_id: str, now: dt.datetime, digest: Digest,
                  deliveries: list[dict]) -> None:
    con.execute(HISTORY_DDL)
    con.execute(
        "insert or replace into quality.digests values (?, ?, ?, ?, ?)",
        [run_id, now, digest.subject, digest.text, json.dumps(deliveries, ensure_ascii=False)],
    )
