"""What each measured child process runs: `python -m benchmarks.contenders <contender> ...`.

- pipeline RAW HOME OUT.json: the nightly job exactly as `peixun run` runs it (run_nightly),
  then its run and step start/end instants from the Dagster event log.
- ingest RAW DATABASE: ingestion alone (no Dagster), as the ingest step calls it.
- floor RAW OUT_DIR / pandas RAW OUT_DIR: a peer computing the compared tables.
- bulletins HOME: the nightly bulletins drafted anew on a home a pipeline run published.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

STEP_EVENTS = {"STEP_START": 0, "STEP_SUCCESS": 1, "STEP_FAILURE": 1}
RUN_EVENTS = {"PIPELINE_START": 0, "PIPELINE_SUCCESS": 1, "PIPELINE_FAILURE": 1}


def pipeline(raw: Path, home: Path, out: Path) -> int:
    from dagster_project.defs.operations.dagster_home import open_instance
    from dagster_project.defs.operations.nightly_run import run_nightly

    outcome = run_nightly(raw, home)  # in the home's own Dagster instance, as `peixun run`
    with open_instance(home) as instance:
        steps: dict[str, list[float]] = {}
        run = [0.0, 0.0]
        for record in instance.all_logs(outcome.run_id):
            event = record.dagster_event
            if event is None:
                continue
            if event.event_type_value in STEP_EVENTS:
                steps.setdefault(event.step_key, [0.0, 0.0])[STEP_EVENTS[event.event_type_value]] = record.timestamp
            elif event.event_type_value in RUN_EVENTS:
                run[RUN_EVENTS[event.event_type_value]] = record.timestamp
    out.write_text(json.dumps({
        "run_id": outcome.run_id, "success": outcome.success, "reason": outcome.reason, "run": run, "steps": steps,
    }, indent=1), encoding="utf-8")
    return 0 if outcome.success else 1


def ingest(raw: Path, database: Path) -> int:
    from dagster_project import settings
    from dagster_project.defs.ingest.contract import load_config
    from dagster_project.defs.ingest.exports import ingest_exports
    from dagster_project.lib.warehouse import open_warehouse

    with open_warehouse(database) as con:
        summary = ingest_exports(con, raw, load_config(), settings.pii_salt(), "benchmark")
    return 1 if summary.failures else 0


def bulletins(home: Path) -> int:
    """The city editions the nightly run drafts (publish/bulletin/nightly.py), its earlier drafts removed."""
    import shutil

    from dagster_project.defs.publish.bulletin.nightly import draft_city_editions

    shutil.rmtree(home / "bulletins", ignore_errors=True)
    drafted = draft_city_editions(home)
    for edition in drafted:
        print(edition.line)
    return 1 if not drafted or any(edition.reason for edition in drafted) else 0


def peer(name: str, raw: Path, out: Path) -> int:
    from benchmarks import duckdb_floor, pandas_peer, tables

    compute = {"floor": duckdb_floor.compute, "pandas": pandas_peer.compute}[name]
    tables.save(compute(raw), out)
    return 0


def main(argv: list[str]) -> int:
    contender, *args = argv
    if contender == "pipeline":
        return pipeline(*map(Path, args))
    if contender == "ingest":
        return ingest(*map(Path, args))
    if contender == "bulletins":
        return bulletins(*map(Path, args))
    return peer(contender, *map(Path, args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
