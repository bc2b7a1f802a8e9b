"""A fresh clone has no dbt manifest: importing the definitions does no work to make one, the tests still collect."""

from __future__ import annotations

import shutil
import subprocess
import sys

from dagster_project.settings import REPO_ROOT


def test_importing_the_definitions_parses_nothing_and_the_test_suite_prepares_the_manifest(tmp_path):
    clone = tmp_path / "clone"
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO_ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, files):
        if (REPO_ROOT / name).is_file() and not name.startswith(("data/", "benchmarks/", "docs/")):
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, clone / name)
    manifest = clone / "dbt" / "target" / "manifest.json"
    assert not manifest.exists()

    imported = subprocess.run([sys.executable, "-c", "import dagster_project.definitions"], cwd=clone,
                              capture_output=True, text=True)
    assert imported.returncode != 0
    assert f"DagsterDbtManifestNotFoundError: {manifest} does not exist." in imported.stderr
    assert not manifest.exists()  # no dbt parse on import

    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/test_dbt_unit_tests.py"],
                               cwd=clone, capture_output=True, text=True)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert manifest.exists()  # tests/conftest.py prepared it before collecting
    assert "test_dbt_unit_tests.py::" in collected.stdout
