"""prepare_dbt parses the dbt project only when something under dbt/ changed since the last parse, once for
every home."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from dagster_dbt import DbtCliResource

from dagster_project.defs.dbt import resource as project
from dagster_project.settings import REPO_ROOT


@pytest.fixture
def parses(tmp_path, monkeypatch) -> list[int]:
    """A copy of the dbt project's sources; prepare_dbt's parses are recorded, each writing a manifest."""
    dbt_dir = tmp_path / "dbt"
    shutil.copytree(REPO_ROOT / "dbt", dbt_dir, ignore=shutil.ignore_patterns(*project.DBT_OUTPUT))
    manifest = dbt_dir / "target" / "manifest.json"
    calls: list[int] = []

    class FakeDbt:
        def cli(self, args, target_path):
            assert args == project.PREPARE_ARGS
            scratch = Path(os.environ["PEIXUN_WAREHOUSE"])  # never a home's warehouse
            assert scratch.name == "warehouse.duckdb" and scratch.parent.is_dir() and not scratch.exists()
            manifest.parent.mkdir(exist_ok=True)
            manifest.write_text(f'{{"parse": {len(calls)}}}', encoding="utf-8")
            calls.append(len(calls))
            return SimpleNamespace(wait=lambda: None)

    monkeypatch.setattr(project, "dbt_project", SimpleNamespace(
        project_dir=dbt_dir, manifest_path=manifest, target_path=Path("target")))
    monkeypatch.setattr(project, "dbt_resource", FakeDbt)
    return calls


def test_parses_once_then_skips_while_nothing_changes(parses):
    project.prepare_dbt()
    project.prepare_dbt()
    project.prepare_dbt()
    assert len(parses) == 1


@pytest.mark.parametrize("change", [
    lambda d: d.joinpath("models", "marts", "core", "dim_subject.sql").write_text("select 1 as x\n", encoding="utf-8"),
    lambda d: (d / "macros" / "rate.sql").unlink(),
    lambda d: d.joinpath("seeds", "new_seed.csv").write_text("a\n1\n", encoding="utf-8"),
    lambda d: d.joinpath("profiles.yml").write_text("changed: true\n", encoding="utf-8"),
    lambda d: d.joinpath("dbt_project.yml").write_text(
        d.joinpath("dbt_project.yml").read_text(encoding="utf-8") + "\n# comment\n", encoding="utf-8"),
], ids=["model", "deleted macro", "new seed", "profiles", "dbt_project"])
def test_any_change_under_dbt_parses_again(parses, change):
    project.prepare_dbt()
    change(project.dbt_project.project_dir)
    project.prepare_dbt()
    project.prepare_dbt()
    assert len(parses) == 2


def test_every_home_shares_one_preparation(parses, tmp_path, monkeypatch):
    for home in ("a", "b", "c"):
        monkeypatch.setenv("PEIXUN_WAREHOUSE", str(tmp_path / home / "warehouse.duckdb"))
        project.prepare_dbt()
        assert os.environ["PEIXUN_WAREHOUSE"] == str(tmp_path / home / "warehouse.duckdb")  # left as it was
    assert len(parses) == 1


def test_dbt_parses_partially_for_a_new_home(tmp_path):
    """Real dbt, on a copy of the project: parsed for one home, then run for another, it keeps its parse
    (dbt says so when it cannot: "Unable to do partial parsing because profile has changed")."""
    dbt_dir = tmp_path / "dbt"
    shutil.copytree(REPO_ROOT / "dbt", dbt_dir, ignore=shutil.ignore_patterns(*project.DBT_OUTPUT))

    def parse(home: str) -> str:
        (tmp_path / home).mkdir()
        done = subprocess.run(
            [project.DBT_EXECUTABLE, "parse", "--profiles-dir", str(dbt_dir)], cwd=dbt_dir, capture_output=True,
            text=True, env={**os.environ, "PEIXUN_WAREHOUSE": str(tmp_path / home / "warehouse.duckdb")})
        assert done.returncode == 0, done.stdout[-2000:]
        return done.stdout

    assert "Unable to do partial parsing because saved manifest not found" in parse("a")  # nothing to keep yet
    assert (dbt_dir / "target" / "partial_parse.msgpack").exists()
    again = parse("b")
    assert "Unable to do partial parsing" not in again, again[-2000:]
    assert not (tmp_path / "a" / "warehouse.duckdb").exists()  # parsing opens no warehouse


def test_a_manifest_written_by_another_command_is_parsed_again(parses):
    project.prepare_dbt()
    project.dbt_project.manifest_path.write_text("{}", encoding="utf-8")  # e.g. a dbt build by hand
    project.prepare_dbt()
    assert len(parses) == 2


def test_dbt_output_does_not_count_as_a_change(parses):
    project.prepare_dbt()
    dbt_dir = project.dbt_project.project_dir
    (dbt_dir / "logs").mkdir()
    (dbt_dir / "logs" / "dbt.log").write_text("run\n", encoding="utf-8")
    (dbt_dir / "target" / "run_results.json").write_text("{}", encoding="utf-8")
    project.prepare_dbt()
    assert len(parses) == 1


def test_the_dbt_resource_starts_no_version_process_and_no_adapter(monkeypatch):
    # PeixunDbtCli overrides two private members of dagster-dbt's DbtCliResource (why: its docstring).
    # They must still exist and still be what `cli` calls: an upgrade that renames or bypasses them
    # fails here, loudly, instead of silently bringing back the 5 s a run they save.
    assert {"_cli_version", "_initialize_dbt_core_adapter"} <= set(vars(DbtCliResource))
    calls = inspect.getsource(DbtCliResource.cli)
    assert "self._cli_version" in calls and "self._initialize_dbt_core_adapter(args)" in calls

    def no_process(*args, **kwargs):
        raise AssertionError(f"started {args}")

    monkeypatch.setattr("dagster_dbt.core.resource.check_output", no_process)
    resource = project.dbt_resource()
    assert str(resource._cli_version).startswith("1.11.")
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_only_the_newest_dbt_run_folders_are_kept(tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(project, "dbt_project", SimpleNamespace(project_dir=tmp_path, target_path=Path("target")))
    for i in range(12):
        folder = tmp_path / "target" / f"warehouse_models-run{i:04d}-abc"
        folder.mkdir(parents=True)
        os.utime(folder, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "target" / "compiled").mkdir()
    deleted = project.prune_invocations("warehouse_models", keep=10)
    assert sorted(p.name for p in deleted) == ["warehouse_models-run0000-abc", "warehouse_models-run0001-abc"]
    assert sorted(p.name for p in (tmp_path / "target").iterdir())[0] == "compiled"
    assert len(list((tmp_path / "target").glob("warehouse_models-*"))) == 10
