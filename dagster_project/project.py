"""The dbt project the Dagster dbt assets are built from, and the dbt CLI resource."""

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from dagster_project.settings import REPO_ROOT

dbt_project = DbtProject(project_dir=REPO_ROOT / "dbt", profiles_dir=REPO_ROOT / "dbt")
dbt_project.prepare_if_dev()

# dbt comes with this environment: use the one beside the running interpreter, PATH or not.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=DBT_EXECUTABLE
    )


def prepare_dbt() -> None:
    """Parse the dbt project into target/manifest.json, which the asset definitions read."""
    dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
