"""Check outcomes, and where they are kept: quality.check_results in the warehouse (one row per run,
table and check), read by the nightly digest and by `peixun status`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.defs.quality.policy import Severity

RESULTS_DDL = """
create schema if not exists quality;
create table if not exists quality.check_results (
    run_id varchar not null,
    checked_at timestamp not null,
    suite varchar not null,          -- expectations/<suite>.json
    table_name varchar not null,     -- the validated table; its Dagster asset carries the check
    check_name varchar not null,
    title varchar not null,          -- Chinese, as in the digest
    severity varchar not null,       -- ERROR | WARN (config/quality.yml)
    passed boolean not null,
    unexpected_count bigint not null,
    details json                     -- {"subjects": [{"fingerprint": ..., "message": ..., "subject": {column: value}}]}
);
"""


@dataclass(frozen=True)
class Subject:
    """What a failed expectation speaks about: a district, a course, a file; never a person."""

    fingerprint: str  # stable over nights: check + table + expectation + subject columns
    message: str  # the digest's line (Chinese), with the names and numbers
    names: Mapping[str, str] = field(default_factory=dict)  # the subject columns' values: {"district": "白云区", ...}


@dataclass(frozen=True)
class CheckOutcome:
    suite: str
    table: str
    check: str
    title: str
    severity: Severity
    subjects: tuple[Subject, ...]

    @property
    def passed(self) -> bool:
        return not self.subjects

    @property
    def unexpected_count(self) -> int:
        return len(self.subjects)

    @property
    def blocks(self) -> bool:
        return not self.passed and self.severity is Severity.ERROR


def save(con: duckdb.DuckDBPyConnection, run_id: str, outcomes: list[CheckOutcome], now: dt.datetime) -> None:
    """Record a run's outcomes; a retried step replaces what it wrote before."""
    con.execute(RESULTS_DDL)
    suites = sorted({o.suite for o in outcomes})
    con.execute("begin transaction")
    con.execute("delete from quality.check_results where run_id = ? and list_contains(?, suite)", [run_id, suites])
    con.executemany(
        "insert into quality.check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [run_id, now, o.suite, o.table, o.check, o.title, o.severity.value, o.passed, o.unexpected_count,
             json.dumps({"subjects": [{"fingerprint": s.fingerprint, "message": s.message, "subject": dict(s.names)}
                                      for s in o.subjects]}, ensure_ascii=False)]
            for o in outcomes
        ],
    )
    con.execute("commit")


def load(con: duckdb.DuckDBPyConnection, run_id: str) -> list[CheckOutcome]:
    """The outcomes of one run, in a stable order; none if no check ran."""
    exists = con.execute(
        "select 1 from information_schema.tables where table_schema = 'quality' and table_name = 'check_results'"
    ).fetchall()
    if not exists:
        return []
    rows = con.execute(
        "select suite, table_name, check_name, title, severity, details from quality.check_results "
        "where run_id = ? order by suite, table_name, check_name",
        [run_id],
    ).fetchall()
    return [
        CheckOutcome(suite, table, check, title, Severity(severity),
                     tuple(Subject(s["fingerprint"], s["message"], s.get("subject", {}))
                           for s in json.loads(details)["subjects"]))
        for suite, table, check, title, severity, details in rows
    ]


def blocking_errors(database: Path, run_id: str) -> list[str]:
    """The ERROR checks that failed in a run, as "title (table)"; they blocked publishing."""
    if not database.exists():
        return []
    with duckdb.connect(str(database), read_only=True) as con:
        return [f"{o.title} ({o.table})" for o in load(con, run_id) if o.blocks]
