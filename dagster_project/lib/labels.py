"""The Chinese labels of report columns, as the bulletins print them: one place, dbt_project.yml's vars."""

from functools import cache

import yaml

from dagster_project.settings import REPO_ROOT


@cache
def column_labels_zh() -> dict[str, str]:
    project = yaml.safe_load((REPO_ROOT / "dbt" / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]["column_labels_zh"]
