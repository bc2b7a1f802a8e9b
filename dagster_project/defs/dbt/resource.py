"""The dbt CLI resource, and parsing the dbt project into the manifest the asset definitions read."""

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

from dagster_dbt import DbtCliInvocation, DbtCliResource
from packaging.version import Version

from dagster_project import settings
from dagster_project.defs.dbt.child import PARENT_VARIABLE
from dagster_project.defs.programs.seeds import compile_seeds
from dagster_project.lib.warehouse import WAREHOUSE_FILE
from dagster_project.project import dbt_project

# dbt comes with this environment: use the one beside the running interpreter, PATH or not, through
# `peixun-dbt` (defs/dbt/child.py), which dies with the process that starts it.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "peixun-dbt")
# What dbt writes into the project folder; everything else there is the project's source.
DBT_OUTPUT = {"target", "logs", "dbt_packages", ".user.yml"}
# dbt's preparation: the manifest, and the SQL of the quality models (the ingest checks' frames), compiled
# without the warehouse's relations (no cache of them, no introspective query in these models)
COMPILE_ARGS = ["compile", "--quiet", "--no-populate-cache"]
PREPARE_ARGS = [*COMPILE_ARGS, "--select", "path:models/quality"]
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


def prepare_dbt() -> None:
    """Parse the dbt project into target/manifest.json, which the asset definitions read, compiling on the
    way the models of dbt/models/quality: the ingest checks create their frames from that SQL, with no dbt
    process of their own (quality/frames.py).

    Skipped when the manifest is the one the last preparation here wrote (same modification time) and no
    file of the project has changed since (same fingerprint). dbt keeps the profile's connection in its
    partial-parse state, and `peixun-dbt` names every home's warehouse by its file name, run in its folder
    (defs/dbt/child.py): dbt compiles here against a scratch `warehouse.duckdb`, so that each night's build,
    in any home, parses partially.
    """
    project_dir, manifest = Path(dbt_project.project_dir), dbt_project.manifest_path
    compile_seeds(project_dir / "seeds")  # config/programs/*.yml -> the programs' seeds, before the fingerprint
    stamp = manifest.parent / "parse_stamp.txt"
    fingerprint = project_fingerprint(project_dir)
    if manifest.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == (
            f"{fingerprint} {manifest.stat().st_mtime_ns}"):
        return
    with scratch_warehouse():
        dbt_resource().cli(PREPARE_ARGS, target_path=dbt_project.target_path).wait()
    stamp.write_text(f"{fingerprint} {manifest.stat().st_mtime_ns}", encoding="utf-8")


def compiled_sql(models: list[str], manifest: Path | None = None) -> dict[str, str]:
    """The SQL of these models as dbt compiles it: from the manifest prepare_dbt wrote (`manifest`: another),
    or, for a manifest made by a bare `dbt parse` (dagster-dbt's `prepare_if_dev` under `dagster dev`,
    `dagster-dbt project prepare-and-package`), compiled now."""
    nodes = json.loads((manifest or dbt_project.manifest_path).read_text(encoding="utf-8"))["nodes"]
    sql = {node["name"]: node.get("compiled_code") for node in nodes.values() if node["name"] in models}
    missing = [model for model in models if not sql.get(model)]
    if missing:
        with scratch_warehouse() as scratch:
            invocation = dbt_resource().cli([*COMPILE_ARGS, "--select", *missing], target_path=scratch / "target")
            compiled = invocation.wait().get_artifact("manifest.json")["nodes"]
        sql.update({node["name"]: node["compiled_code"] for node in compiled.values() if node["name"] in missing})
    return sql


@contextmanager
def scratch_warehouse() -> Iterator[Path]:
    """PEIXUN_WAREHOUSE set, for as long as dbt compiles, to an empty `warehouse.duckdb` in a scratch folder
    (what compiling opens, instead of a home's warehouse, which a run may hold); yields the folder."""
    warehouse = os.environ.get("PEIXUN_WAREHOUSE")
    with tempfile.TemporaryDirectory(prefix="peixun-dbt-") as scratch:
        os.environ["PEIXUN_WAREHOUSE"] = str(Path(scratch) / WAREHOUSE_FILE)
        try:
            yield Path(scratch)
        finally:
            if warehouse is None:
                os.environ.pop("PEIXUN_WAREHOUSE")
            else:
                os.environ["PEIXUN_WAREHOUSE"] = warehouse
