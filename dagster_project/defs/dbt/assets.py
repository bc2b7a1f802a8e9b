"""dbt models as Dagster assets; groups and upstream keys come from dbt metadata."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from dagster_project.defs.dbt.resource import failure_reason, prepare_dbt, prune_invocations
from dagster_project.defs.operations.partitions import EXPORT_DATES, ONE_RUN_PER_RANGE
from dagster_project.lib.warehouse import WarehouseResource
from dagster_project.project import dbt_project


class PeixunTranslator(DagsterDbtTranslator):
    """Group each model by its dbt folder (staging, intermediate, marts, reports, quality); each dbt data
    test is an asset check named and described as in the YAML (`name:`, `description:`)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "ingest"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "reference"

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project: DbtProject | None) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        description = manifest["nodes"][unique_id].get("description")
        return spec._replace(description=description) if spec and description else spec


def dbt_build_args(full_refresh: bool = False) -> list[str]:
    """The dbt CLI arguments of the nightly build: every model, seed and data test. dbt's unit tests
    check the SQL logic on fixed inputs, not the night's data: they run in the test suite
    (tests/test_dbt_unit_tests.py), as dbt advises, not every night."""
    args = ["build", "--exclude-resource-type", "unit_test"]
    if full_refresh:
        args.append("--full-refresh")
    return args


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False  # rebuild every export date, e.g. after a change of seeds or rules


if not dbt_project.manifest_path.exists():  # a fresh clone: the asset definitions need a parsed project
    prepare_dbt()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=PeixunTranslator(),
    partitions_def=EXPORT_DATES,
    backfill_policy=ONE_RUN_PER_RANGE,
)
def warehouse_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource, config: DbtBuildConfig
):
    """Build and test every dbt model against the run's warehouse file.

    The incremental models rebuild the export dates whose loads are newer than their last build
    (dbt/macros/changed_exports.sql): the run's partition range, and any date a failed run left behind.
    """
    os.environ["PEIXUN_WAREHOUSE"] = str(warehouse.database)
    invocation = dbt.cli(dbt_build_args(config.full_refresh), context=context, raise_on_error=False)
    yield from invocation.stream()
    if not invocation.is_successful():
        raise dg.Failure(description=failure_reason(invocation))  # names the failing model or test
    prune_invocations(context.op_def.name)
