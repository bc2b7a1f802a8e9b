"""dbt on either target of the one project in dbt/, as a subprocess of this environment's dbt.

The spark target (dbt/profiles.yml) runs an in-process Spark session whose catalog (a Derby
metastore) and tables live in PEIXUN_SPARK_HOME; the warehouse target is DuckDB at PEIXUN_WAREHOUSE.
Each invocation keeps its own target folder and a log file, named in the error when it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1] / "dbt"
DBT = Path(sys.executable).with_name("dbt")


@dataclass(frozen=True)
class Engine:
    """Where one engine's dbt works: its target, its state folder and the environment naming its warehouse."""

    target: str
    work: Path
    environment: dict[str, str]

    @classmethod
    def spark(cls, home: Path) -> Engine:
        return cls("spark", home, {"PEIXUN_SPARK_HOME": str(home)})

    @classmethod
    def duckdb(cls, warehouse: Path, work: Path) -> Engine:
        return cls("warehouse", work, {"PEIXUN_WAREHOUSE": str(warehouse), "PEIXUN_DBT_WAREHOUSE": ""})

    @property
    def tables(self) -> Path:
        """Spark's table folders (spark.sql.warehouse.dir in dbt/profiles.yml)."""
        return self.work / "tables"


def run_dbt(engine: Engine, *args: str, name: str | None = None) -> float:
    """`dbt <args>` on `engine`; seconds taken. Raises with the log's last lines when dbt fails."""
    name = name or args[0]
    logs = engine.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    environment = {**os.environ, **engine.environment, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [
        str(DBT), *args, "--target", engine.target, "--profiles-dir", str(PROJECT),
        "--target-path", str(engine.work / "target"), "--log-path", str(logs),
    ]
    started = time.monotonic()
    with log.open("w") as out:
        finished = subprocess.run(command, cwd=PROJECT, env=environment, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    if finished.returncode != 0:
        tail = "\n".join(_readable(log.read_text(errors="replace").splitlines())[-40:])
        raise AssertionError(f"dbt {' '.join(args)} failed on {engine.target} (log {log}):\n{tail}")
    return seconds


def _readable(lines: list[str]) -> list[str]:
    """The log without Spark's JSON records and progress bars."""
    return [line for line in lines if not line.startswith("{") and "[Stage " not in line]
