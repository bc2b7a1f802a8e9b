"""Validate suites with Great Expectations (pandas datasource); write the run's Data Docs page.

The context is ephemeral: nothing is written into the repository or the home. The outcomes go
to quality.check_results; the Data Docs page (<home>/data_docs/index.html, data_docs.py) is
built from them after each step of a run (ingest checks, warehouse checks), so it shows the
whole run. Great Expectations' own Data Docs site is not built: it needs CDNs to open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import string
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.core.expectation_validation_result import ExpectationValidationResult
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from dagster_project.defs.quality.data_docs import write_data_docs
from dagster_project.defs.quality.frames import ROW_LABEL, FrameInputs, frame_of, read_frame
from dagster_project.defs.quality.policy import QualityConfig
from dagster_project.defs.quality.results import CheckOutcome, Subject, save
from dagster_project.defs.quality.suites import checks_of, suite_json, suite_names

SUBJECT_COLUMNS = ("column", "column_A", "column_B")


class SuiteError(RuntimeError):
    """An expectation could not be evaluated on its frame: a bug in the suite or the frame, never a pass."""


@dataclass
class QualityRun:
    context: AbstractDataContext
    outcomes: list[CheckOutcome]
    seconds: dict[str, float] = field(default_factory=dict)  # frames, validation, data_docs


def run_suites(con: duckdb.DuckDBPyConnection, home: Path, run_id: str, suites: Sequence[str],
               config: QualityConfig, now: dt.datetime | None = None) -> QualityRun:
    """Validate the suites, record the outcomes in quality.check_results, rewrite the run's Data Docs page."""
    now = now or dt.datetime.now()
    run = validate(con, suites, config, now, run_id=run_id)
    save(con, run_id, run.outcomes, now)
    started = time.perf_counter()
    write_data_docs(con, home, run_id)
    run.seconds["data_docs"] = time.perf_counter() - started
    return run


def validate(con: duckdb.DuckDBPyConnection, suites: Sequence[str], config: QualityConfig, now: dt.datetime,
             context: AbstractDataContext | None = None, run_id: str = "adhoc") -> QualityRun:
    """Validate each suite on its frame (computed by DuckDB as of `now`); nothing is stored."""
    context = context or _context()
    for name in suite_names():
        context.suites.add(gx.ExpectationSuite(**suite_json(name)))
    source = context.data_sources.add_pandas("warehouse")
    run = QualityRun(context, outcomes=[], seconds={"frames": 0.0, "validation": 0.0})
    for name in suites:
        started = time.perf_counter()
        frame = read_frame(con, frame_of(name), FrameInputs(config, now))
        run.seconds["frames"] += time.perf_counter() - started
        started = time.perf_counter()
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("frame")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=context.suites.get(name))
        )
        result = definition.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=config.thresholds.model_dump(),
            result_format={"result_format": "COMPLETE"},
            run_id=gx.RunIdentifier(run_name=run_id),
        )
        run.outcomes += _outcomes(name, frame, result.results, config)
        run.seconds["validation"] += time.perf_counter() - started
    return run


def _context() -> AbstractDataContext:
    """An ephemeral context: suites, the pandas datasource and results in memory only."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _outcomes(suite: str, frame: pd.DataFrame, results: list[ExpectationValidationResult],
              config: QualityConfig) -> list[CheckOutcome]:
    """One outcome per validated table and check; a failing frame row becomes a subject of its table's check."""
    checks = checks_of(suite, config)
    tables = frame_of(suite).tables
    subjects: dict[tuple[str, str], list[Subject]] = {(t, c.name): [] for t in tables for c in checks}
    for result in results:
        expectation = result.expectation_config
        failing = _failing_rows(suite, result)
        if not failing:
            continue
        # the columns the message, the subject and the table name read, of the failing rows only, at once
        meta = expectation.meta
        named = {*_fields(meta["message"]), *meta["subject"], *_fields(frame_of(suite).validates)}
        for values in _plain_records(frame.loc[failing, [c for c in frame.columns if c in named]]):
            table = frame_of(suite).table_of(values)
            subjects[(table, expectation.meta["check"])].append(_subject(table, expectation, values))
    return [
        CheckOutcome(suite, table, check.name, check.title, check.severity, tuple(subjects[(table, check.name)]))
        for table in tables
        for check in checks
    ]


def _failing_rows(suite: str, result: ExpectationValidationResult) -> list[Any]:
    expectation = result.expectation_config
    info = result.exception_info or {}
    raised = info.get("raised_exception") if "raised_exception" in info else any(
        isinstance(v, dict) and v.get("raised_exception") for v in info.values()
    )
    if raised:
        raise SuiteError(f"expectations/{suite}.json: {expectation.type} on {_columns(expectation)} raised: {info}")
    if result.success:
        return []
    rows = result.result.get("unexpected_index_list")
    if rows is None:
        raise SuiteError(f"expectations/{suite}.json: {expectation.type} failed without row-level results")
    # GX names each row by the frame's index, its grain (frames.ROW_LABEL), beside the failing values
    return [row[ROW_LABEL] for row in rows]


def _columns(expectation) -> list[str]:
    return [expectation.kwargs[k] for k in SUBJECT_COLUMNS if k in expectation.kwargs]


def _subject(table: str, expectation, values: dict[str, Any]) -> Subject:
    """The failing row as the digest and quality.check_results name it: its message and its subject columns."""
    meta = expectation.meta
    names = {column: str(values[column]) for column in meta["subject"]}
    key = [meta["check"], table, expectation.type, _columns(expectation), list(names.values())]
    fingerprint = hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:16]
    return Subject(fingerprint, meta["message"].format_map(values), names)


def _fields(template: str) -> list[str]:
    """The names a str.format template reads: "{district} {rate:.2f}" -> ["district", "rate"]."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _plain_records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    return [{column: _plain(value) for column, value in record.items()}
            for record in rows.astype(object).to_dict("records")]


def _plain(value: Any) -> Any:
    """A frame value as a message shows it: whole numbers without decimals, dates as YYYY-MM-DD, — for none."""
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
