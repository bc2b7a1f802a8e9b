"""dbt's unit tests (the SQL logic of the status rules and rates on fixed inputs) and the nightly build's arguments."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from dagster_project.defs.dbt.assets import dbt_build_args
from dagster_project.defs.dbt.resource import DBT_EXECUTABLE
from dagster_project.project import dbt_project


def test_the_nightly_build_leaves_unit_tests_to_the_test_suite():
    assert dbt_build_args() == ["build", "--exclude-resource-type", "unit_test"]
    assert dbt_build_args(full_refresh=True) == ["build", "--exclude-resource-type", "unit_test", "--full-refresh"]


def test_dbt_unit_tests_pass(sample_home, tmp_path):
    """Every unit test in dbt/models/**/_*__unit_tests.yml, against the sample warehouse's relations."""
    env = {**os.environ, "PEIXUN_WAREHOUSE": str(sample_home / "warehouse.duckdb")}
    done = subprocess.run(
        [DBT_EXECUTABLE, "test", "--select", "test_type:unit", "--profiles-dir", str(dbt_project.profiles_dir),
         "--target-path", str(tmp_path / "target")],
        cwd=dbt_project.project_dir, env=env, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    assert len(results) >= 4 and {r["status"] for r in results} == {"pass"}
    assert all(r["unique_id"].startswith("unit_test.") for r in results)
    # every published table's strings are computed by hand for at least one case (reports/_reports__unit_tests.yml)
    tested = {r["unique_id"].split(".")[2] for r in results}
    reports = {path.stem for path in (Path(dbt_project.project_dir) / "models" / "reports").glob("report_*.sql")}
    assert reports <= tested, reports - tested
