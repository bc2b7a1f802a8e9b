"""The dbt project documents itself: an overview page, every column of every mart, report and
quality frame described, every data test short-named and described (it is a Dagster asset check)."""

from __future__ import annotations

import json

import duckdb
import pytest

from dagster_project.defs.dbt.resource import prepare_dbt
from dagster_project.project import dbt_project

DOCUMENTED_LAYERS = ("marts", "reports", "quality")
LONGEST_TEST_NAME = 56  # fits the asset check list of the Dagster UI


@pytest.fixture(scope="module")
def manifest() -> dict:
    prepare_dbt()
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


def models(manifest: dict) -> list[dict]:
    return [node for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["fqn"][1] in DOCUMENTED_LAYERS]


def test_the_docs_site_opens_on_the_overview(manifest):
    overview = manifest["docs"]["doc.peixun.__overview__"]["block_contents"]
    for topic in ("## Layers", "## Programs", "## Rates", "## Chinese terms", "format_rate", "人次", "合计"):
        assert topic in overview


def test_every_column_of_every_mart_report_and_quality_model_is_described(manifest, sample_home):
    with duckdb.connect(str(sample_home / "warehouse.duckdb"), read_only=True) as con:
        built = {}
        for schema, table, column in con.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "order by table_schema, table_name, ordinal_position").fetchall():
            built.setdefault((schema, table), []).append(column)
    undescribed, stale = {}, {}
    for node in models(manifest):
        columns = built[(node["schema"], node["alias"])]
        described = {name for name, spec in node["columns"].items() if spec.get("description", "").strip()}
        if missing := [c for c in columns if c not in described]:
            undescribed[node["name"]] = missing
        if gone := sorted(set(node["columns"]) - set(columns)):
            stale[node["name"]] = gone
    assert undescribed == {} and stale == {}
    assert len(models(manifest)) >= 35


def test_every_mart_says_its_overview_grain_and_rules(manifest):
    marts = [node for node in models(manifest) if node["fqn"][1] == "marts"]
    assert marts and all("**Overview.**" in n["description"] and "**Grain.**" in n["description"]
                         and "**Business rules.**" in n["description"] for n in marts), [
        n["name"] for n in marts if "**Business rules.**" not in n["description"]]


def test_every_data_test_has_a_short_name_and_a_description(manifest):
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    assert tests
    assert [t["name"] for t in tests if len(t["name"]) > LONGEST_TEST_NAME or not t["description"].strip()] == []
