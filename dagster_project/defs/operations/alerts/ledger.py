"""Alert history in the warehouse, so a problem repeated night after night reads as continuing (持续).

quality.alert_history keeps one row per fingerprint (check + subject). An alert is continuing
when its fingerprint was in the previous digest; otherwise (new, or back after a clean night)
it is new. quality.digests keeps each digest sent and where it went.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

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
    """Record this run's alerts; return the fingerprints that were already in the previous digest.

    One statement for all of them, in one transaction (a night at city scale has thousands: a statement
    each took most of a minute). An alert in the previous digest continues its streak (since kept,
    runs + 1); any other starts one (since = now, runs = 1). Of two alerts with one fingerprint the
    last is kept.
    """
    con.execute(HISTORY_DDL)
    previous = con.execute(
        "select run_id from quality.digests where run_id <> ? order by sent_at desc limit 1", [run_id]
    ).fetchall()
    tonight = pd.DataFrame(
        [(a.fingerprint, a.severity.value, a.title, a.message) for a in alerts],
        columns=["fingerprint", "severity", "title", "message"],
        dtype="string",
    ).drop_duplicates("fingerprint", keep="last")
    parameters = {"previous_run": previous[0][0] if previous else None, "run_id": run_id, "now": now}
    con.register("tonight_alerts", tonight)
    try:
        con.execute("begin transaction")
        continuing = {fingerprint for (fingerprint,) in con.execute(
            "select tonight.fingerprint from tonight_alerts as tonight"
            " inner join quality.alert_history as history on tonight.fingerprint = history.fingerprint"
            " where history.last_run_id = $previous_run", {"previous_run": parameters["previous_run"]},
        ).fetchall()}
        con.execute(
            """
            insert or replace into quality.alert_history
            select
                tonight.fingerprint,
                tonight.severity,
                tonight.title,
                tonight.message,
                case when history.last_run_id = $previous_run then history.since_run_id else $run_id end,
                case when history.last_run_id = $previous_run then history.since else $now end,
                $run_id,
                $now,
                case when history.last_run_id = $previous_run then history.runs + 1 else 1 end
            from tonight_alerts as tonight
            left join quality.alert_history as history on tonight.fingerprint = history.fingerprint
            """,
            parameters,
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.unregister("tonight_alerts")
    return continuing


def record_digest(con: duckdb.DuckDBPyConnection, run_id: str, now: dt.datetime, digest: Digest,
                  deliveries: list[dict]) -> None:
    con.execute(HISTORY_DDL)
    con.execute(
        "insert or replace into quality.digests values (?, ?, ?, ?, ?)",
        [run_id, now, digest.subject, digest.text, json.dumps(deliveries, ensure_ascii=False)],
    )
