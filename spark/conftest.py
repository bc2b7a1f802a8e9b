"""Fixtures of `make test-spark`: the sample built by the nightly job on DuckDB (the reference), and the
same dbt project built on Spark from the reference's landing tables exported as Parquet."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from dbt_runs import PROJECT, Engine, run_dbt
from landing import export_landing


@dataclass
class SparkBuild:
    """The Spark build of the sample and what it took; `seconds` by step, written to the report."""

    engine: Engine
    landing: Path
    reference: Path
    seconds: dict[str, float] = field(default_factory=dict)
    results: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="session")
def reference() -> Path:
    """The DuckDB warehouse `make test-spark` builds first: `peixun run` on the bundled sample."""
    path = Path(os.environ.get("PEIXUN_SPARK_REFERENCE", ""))
    if not path.is_file():
        pytest.fail(
            f"no DuckDB reference warehouse at {str(path) or '(PEIXUN_SPARK_REFERENCE unset)'}: "
            "run `make test-spark`, which builds it with `peixun run` on data/raw first"
        )
    return path


@pytest.fixture(scope="session")
def spark_build(reference: Path, tmp_path_factory) -> SparkBuild:
    """Landing as Parquet, registered in Spark; then `dbt build --target spark`: seeds, models, data tests
    and unit tests, all of which must pass."""
    work = tmp_path_factory.mktemp("spark")
    build = SparkBuild(Engine.spark(work / "spark"), work / "landing", reference)
    build.results.update(export_landing(reference, build.landing))
    build.seconds["register_landing"] = run_dbt(
        build.engine, "run-operation", "register_landing", "--args", json.dumps({"location": str(build.landing)})
    )
    build.seconds["dbt build (Spark)"] = run_dbt(build.engine, "build")
    build.results.update(outcomes(build.engine))
    yield build
    _write_report(build)


@pytest.fixture(scope="session")
def duckdb_build(spark_build: SparkBuild, tmp_path_factory) -> dict[str, int]:
    """The same `dbt build` on a copy of the reference, from scratch (--full-refresh): its outcomes."""
    work = tmp_path_factory.mktemp("duckdb")
    copy = work / "warehouse.duckdb"
    shutil.copyfile(spark_build.reference, copy)
    engine = Engine.duckdb(copy, work)
    spark_build.seconds["dbt build (DuckDB)"] = run_dbt(engine, "build", "--full-refresh")
    return outcomes(engine)


def outcomes(engine: Engine) -> dict[str, int]:
    """How many nodes of each kind ended in each status in the engine's last dbt invocation ("model success": 97)."""
    counts: dict[str, int] = {}
    for result in json.loads((engine.work / "target" / "run_results.json").read_text())["results"]:
        key = f"{result['unique_id'].split('.')[0]} {result['status']}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _write_report(build: SparkBuild) -> None:
    """Timings and counts of this run, for docs/scale.md (PEIXUN_SPARK_REPORT, else beside the reference)."""
    report = Path(os.environ.get("PEIXUN_SPARK_REPORT") or build.reference.with_name("spark_report.json"))
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=PROJECT)
    measured = {
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "code": commit.stdout.strip() or "unknown",
        "cpus": os.cpu_count(),
        "seconds": {step: round(seconds, 1) for step, seconds in build.seconds.items()},
        "results": build.results,
    }
    report.write_text(json.dumps(measured, indent=2, ensure_ascii=False) + "\n")


@pytest.fixture
def duckdb_copy(reference: Path, tmp_path: Path) -> Path:
    """A copy of the reference warehouse the test may change."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(reference, copy)
    return copy
