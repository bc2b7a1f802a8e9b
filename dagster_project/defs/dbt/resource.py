"""The dbt CLI resource, and parsing the dbt project into the manifest the asset definitions read."""

import hashlib
import json
import os
import shutil
import sys
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

from dagster_dbt import DbtCliInvocation, DbtCliResource
from packaging.version import Version

from dagster_project import settings
from dagster_project.defs.dbt.child import PARENT_VARIABLE
from dagster_project.defs.programs.seeds import compile_seeds
from dagster_project.project import dbt_project

# dbt comes with this environment: use the one beside the running interpreter, PATH or not, through
# `peixun-dbt` (defs/dbt/child.py), which dies with the process that starts it.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "peixun-dbt")
# What dbt writes into the project folder; everything else there is the project's source.
DBT_OUTPUT = {"target", "logs", "dbt_packages", ".user.yml"}
KEPT_INVOCATIONS = 10  # per-run dbt target folders kept for inspection (run_results.json, compiled SQL)


class PeixunDbtCli(DbtCliResource):
    """dagster-dbt's dbt CLI resource without two start-up costs paid on every `dbt` call (about 5 s a run):

    - it learns the dbt version by running `dbt --version`, a second dbt process that imports all of
      dbt and asks PyPI for the latest release (3.5 s): the version is the installed dbt-core's;
    - it loads the project's macros and an adapter in the Dagster process (2 s), used only to fetch
      row counts or column metadata, which these assets do not ask for.
    Both override private members of the pinned dagster-dbt; tests/test_project.py checks they still exist.
    Its dbt is `peixun-dbt`, which dies with this process (defs/dbt/child.py).
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None

    def cli(self, args, **kwargs) -> DbtCliInvocation:
        """dbt in a child bound to this process (PEIXUN_DBT_PARENT), under the settings' memory limit."""
        settings.load().export_for_dbt()
        os.environ[PARENT_VARIABLE] = str(os.getpid())
        return super().cli(args, **kwargs)


def dbt_resource() -> DbtCliResource:
    return PeixunDbtCli(
        project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=DBT_EXECUTABLE
    )


def failure_reason(invocation: DbtCliInvocation) -> str:
    """Why a dbt invocation failed, on one line: the first failing model, seed or test of its
    run_results.json and the first line of its error; else dbt's first error message."""
    results = invocation.target_path / "run_results.json"
    if results.exists():
        for result in json.loads(results.read_text(encoding="utf-8")).get("results", []):
            if result.get("status") in ("error", "fail", "runtime error"):
                kind, _, name, *_ = result["unique_id"].split(".")
                message = next((line.strip() for line in str(result.get("message") or "").splitlines()
                                if line.strip()), "no message")
                return f"dbt {kind} {name} {result['status']}: {message}"
    errors = [line.strip() for message in invocation._error_messages for line in message.splitlines() if line.strip()]
    return "dbt failed: " + (errors[0] if errors else f"exit code {invocation.process.returncode}")


def prune_invocations(op_name: str, keep: int = KEPT_INVOCATIONS) -> list[Path]:
    """Delete all but the `keep` newest dbt target folders of an op's runs (dagster-dbt writes one per
    `dbt` call, `<op>-<run>-<id>`, about 6 MB: compiled SQL, run_results.json); returns those deleted."""
    target = Path(dbt_project.project_dir) / dbt_project.target_path
    folders = sorted((p for p in target.glob(f"{op_name}-*") if p.is_dir()),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for folder in folders[keep:]:
        shutil.rmtree(folder, ignore_errors=True)
    return folders[keep:]


def project_fingerprint(project_dir: Path) -> str:
    """SHA-256 over the path and content of every file of the dbt project (models, macros, seeds, YAML, profiles)."""
    digest = hashlib.sha256()
    sources = [p for p in project_dir.iterdir() if p.name not in DBT_OUTPUT]
    for path in sorted(sources + [p for folder in sources if folder.is_dir() for p in folder.rglob("*")]):
        if path.is_file():
            digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def prepare_dbt(warehouse: Path | None = None) -> None:
    """Parse the dbt project into target/manifest.json, which the asset definitions read.

    Skipped when the manifest is the one the last parse here wrote (same modification time), no
    file of the project has changed since (same fingerprint) and it was parsed for the same
    warehouse. The warehouse matters because dbt keeps the profile's connection (the path to the
    warehouse, PEIXUN_WAREHOUSE) in its partial-parse state: a build against another path parses
    the whole project again (several seconds). So the run's warehouse is parsed for here, once,
    and each night's build then parses partially.
    """
    if warehouse is not None:
        os.environ["PEIXUN_WAREHOUSE"] = str(warehouse)
    project_dir, manifest = Path(dbt_project.project_dir), dbt_project.manifest_path
    compile_seeds(project_dir / "seeds")  # config/programs/*.yml -> the programs' seeds, before the fingerprint
    stamp = manifest.parent / "parse_stamp.txt"
    parsed_for = f"{project_fingerprint(project_dir)} {os.environ.get('PEIXUN_WAREHOUSE', '')}"
    current = manifest.exists() and stamp.exists()
    if current and stamp.read_text(encoding="utf-8") == f"{parsed_for} {manifest.stat().st_mtime_ns}":
        return
    dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    stamp.write_text(f"{parsed_for} {manifest.stat().st_mtime_ns}", encoding="utf-8")
