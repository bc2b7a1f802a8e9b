"""The `peixun` command's output and exit code, as a shell or a scheduler sees them."""

from __future__ import annotations

import subprocess
import sys


def peixun(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dagster_project.cli", *args], capture_output=True, text=True)


def test_output_and_exit_code(tmp_path):
    done = peixun("status", "--home", str(tmp_path))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        f"published: {tmp_path / 'analytics.duckdb'} = nothing published yet",
        f"no runs recorded in {tmp_path / 'warehouse.duckdb'}",
    ]
    done = peixun("rollback", "--home", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.startswith("peixun rollback: ")
