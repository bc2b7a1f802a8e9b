"""Which delivery of a unit is in force: the newest of its folder that loads.

A folder may hold several deliveries of one entity (`辅导教师.csv`, `辅导教师_20220701.csv`): the
latest `_YYYYMMDD` suffix is meant to be in force (no suffix counts as the oldest). When it
fails or is rejected, the failure is recorded and reported, and the next newest is tried, so a
garbage re-delivery never leaves a source with nothing. A load in force from a delivery at
least as new as the next candidate stays instead. The deliveries older than the one in force
are recorded as superseded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from pathlib import Path

import duckdb

from dagster_project.defs.ingest.contract import Config
from dagster_project.defs.ingest.discover import FILE_NAME, ExportUnit
from dagster_project.defs.ingest.load import FileStamp, LoadResult, file_sha256, in_force, load_unit, record


def load_in_force(con: duckdb.DuckDBPyConnection, unit: ExportUnit, config: Config, salt: str, run_id: str,
                  force: bool = False) -> LoadResult:
    """Load the newest delivery of `unit` that loads; the newer ones that failed ride along in `newer_failures`."""
    deliveries = [unit.file, *reversed(unit.superseded)]  # newest first
    failures: list[LoadResult] = []
    for i, path in enumerate(deliveries):
        attempt = dataclasses.replace(unit, file=path, superseded=tuple(reversed(deliveries[i + 1:])))
        current = in_force(con, unit)
        if failures and current is not None and _stamp(Path(current.stamp.path)) > _stamp(path):
            # the load in force came from a newer delivery than this one: it stays
            record_superseded(con, dataclasses.replace(attempt, file=Path(current.stamp.path)), run_id)
            break
        note = ""
        if failures:
            names = ", ".join(f.unit.file.name for f in failures)
            note = f"in force instead of the newer {names}, which could not be loaded"
        result = load_unit(con, attempt, config, salt, run_id, force, note)
        if result.status in ("loaded", "unchanged"):
            record_superseded(con, attempt, run_id)
            return dataclasses.replace(result, newer_failures=tuple(failures))
        failures.append(result)
    last, *newer = reversed(failures)
    return dataclasses.replace(last, newer_failures=tuple(reversed(newer)))


def _stamp(path: Path) -> str:
    match = FILE_NAME.match(path.name)
    return (match["stamp"] or "") if match else ""


def record_superseded(con: duckdb.DuckDBPyConnection, unit: ExportUnit, run_id: str) -> None:
    """Note each superseded delivery once (by stamp, else by checksum), so nothing disappears unexplained."""
    for path in unit.superseded:
        try:
            stamp = FileStamp.of(path)
            seen = "select 1 from ingest.load_manifest where status = 'superseded' and source_file = ? and "
            known = [stamp.path, stamp.bytes, stamp.modified_ns]
            if con.execute(seen + "bytes = ? and modified_ns = ?", known).fetchall():
                continue
            sha = file_sha256(path)
        except OSError as exc:
            record(con, uuid.uuid4().hex, run_id, unit, path, "failed", f"{path}: cannot read ({exc.strerror})",
                    dt.datetime.now())
            continue
        if con.execute(seen + "sha256 = ?", [stamp.path, sha]).fetchall():
            con.execute(  # the same delivery again (copied, touched): known by its stamp from now on
                "update ingest.load_manifest set bytes = ?, modified_ns = ? "
                "where status = 'superseded' and source_file = ? and sha256 = ?",
                [stamp.bytes, stamp.modified_ns, stamp.path, sha],
            )
        else:
            record(
                con, uuid.uuid4().hex, run_id, unit, path, "superseded",
                f"re-delivered: replaced by {unit.file.name}", dt.datetime.now(), sha256=sha, stamp=stamp,
            )


