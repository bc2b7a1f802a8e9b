"""The lasting Dagster home of a peixun home: `<home>/dagster`, with DAGSTER_HOME semantics.

`peixun run`, `peixun backfill`, the schedule, the sensors and runs launched in the UI all use
this one instance, so they share one run history, the export-date partitions and what was
published when (which decides the pending export dates). `make dev` serves the UI with
DAGSTER_HOME set to the same folder. Runs, event logs and schedule state are SQLite files
under it (Dagster's default storage).

Run `python -m dagster_project.defs.operations.dagster_home [HOME]` to create it and print its path.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dagster_project import settings

if TYPE_CHECKING:
    import dagster as dg

# Written when missing; an operator's own dagster.yaml there is left alone.
DAGSTER_YAML = """\
# The Dagster instance of this peixun home (written by peixun when missing; edit freely).
# https://docs.dagster.io/deployment/oss/dagster-yaml
telemetry:
  enabled: false
# The warehouse takes one writer: runs launched from the UI (a backfill, the schedule, the
# sensor) wait in the queue for the one in progress.
run_queue:
  max_concurrent_runs: 1
"""


def dagster_home(home: Path) -> Path:
    """`<home>/dagster`, created with its dagster.yaml if missing."""
    folder = Path(home).absolute() / "dagster"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return folder


def open_instance(home: Path) -> dg.DagsterInstance:
    """The Dagster instance of `home`: what `DagsterInstance.get()` opens with DAGSTER_HOME=<home>/dagster."""
    import dagster as dg  # `python -m` here (make dev) only needs the folder

    folder = dagster_home(home)
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(folder)
    try:
        return dg.DagsterInstance.get()
    finally:
        if previous is None:
            del os.environ["DAGSTER_HOME"]
        else:
            os.environ["DAGSTER_HOME"] = previous


if __name__ == "__main__":  # `make dev`: DAGSTER_HOME=$(python -m dagster_project.defs.operations.dagster_home)
    print(dagster_home(settings.home_dir(sys.argv[1] if len(sys.argv) > 1 else None)))
