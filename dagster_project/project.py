"""The dbt project the Dagster dbt assets are built from, and the dbt CLI resource."""

import hashlib
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from dagster_project.settings import REPO_ROOT

dbt_project = DbtProject(project_dir=REPO_ROOT / "dbt", profiles_dir=REPO_ROOT / "dbt")
dbt_project.prepare_if_dev()

# dbt comes with this environment: use the one beside the running interpreter, PATH or not.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
# What dbt writes into the project folder; everything else there is the project's source.
DBT_OUTPUT = {"target", "logs", "dbt_packages", ".user.yml"}


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=DBT_EXECUTABLE
    )


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
    """Parse the dbt project into target/manifest.json, which the asset definitions read.

    Skipped when the manifest is the one the last parse here wrote (same modification time) and
    no file of the project has changed since (same fingerprint); any change under dbt/ parses again.
    """
    project_dir, manifest = Path(dbt_project.project_dir), dbt_project.manifest_path
    stamp = manifest.parent / "parse_stamp.txt"
    fingerprint = project_fingerprint(project_dir)
    current = manifest.exists() and stamp.exists()
    if current and stamp.read_text(encoding="utf-8") == f"{fingerprint} {manifest.stat().st_mtime_ns}":
        return
    dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
    stamp.write_text(f"{fingerprint} {manifest.stat().st_mtime_ns}", encoding="utf-8")
