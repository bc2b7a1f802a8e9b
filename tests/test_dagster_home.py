"""The home's lasting Dagster instance (<home>/dagster), and what `make dev` and git make of it."""

from __future__ import annotations

import subprocess
import sys

import yaml

from dagster_project.defs.operations.dagster_home import dagster_home, open_instance
from dagster_project.settings import REPO_ROOT


def test_the_dagster_home_is_made_once_and_an_operators_config_is_kept(tmp_path):
    folder = dagster_home(tmp_path / "home")
    assert folder == tmp_path / "home" / "dagster"
    config = yaml.safe_load((folder / "dagster.yaml").read_text(encoding="utf-8"))
    assert config == {"telemetry": {"enabled": False}, "run_queue": {"max_concurrent_runs": 1}}
    with open_instance(tmp_path / "home") as instance:
        assert instance.is_persistent and instance.root_directory == str(folder)
        assert instance.run_coordinator.get_run_queue_config().max_concurrent_runs == 1
    (folder / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    dagster_home(tmp_path / "home")
    with open_instance(tmp_path / "home") as instance:
        assert instance.run_coordinator.get_run_queue_config().max_concurrent_runs != 1  # the operator's file rules
    assert (folder / "dagster.yaml").read_text(encoding="utf-8") == "telemetry:\n  enabled: false\n"


def test_make_dev_finds_the_dagster_home_of_peixun_home(tmp_path):
    done = subprocess.run([sys.executable, "-m", "dagster_project.defs.operations.dagster_home", str(tmp_path / "h")],
                          capture_output=True, text=True, check=True)
    assert done.stdout == f"{tmp_path / 'h' / 'dagster'}\n" and (tmp_path / "h" / "dagster" / "dagster.yaml").exists()


def test_dagster_devs_temporary_homes_stay_out_of_git():
    ignored = subprocess.run(["git", "check-ignore", "--no-index", ".tmp_dagster_home_k2j4x9/history/runs.db",
                              ".peixun/dagster/dagster.yaml"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == [".tmp_dagster_home_k2j4x9/history/runs.db", ".peixun/dagster/dagster.yaml"]
