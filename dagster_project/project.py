"""The dbt project the Dagster dbt assets are built from (dbt/ beside the package)."""

from dagster_dbt import DbtProject

from dagster_project.settings import REPO_ROOT

dbt_project = DbtProject(project_dir=REPO_ROOT / "dbt", profiles_dir=REPO_ROOT / "dbt")
dbt_project.prepare_if_dev()
