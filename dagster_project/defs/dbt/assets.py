"""dbt models as Dagster assets; groups and upstream keys come from dbt metadata."""

import json
import os
from collections.abc import Mapping
from contextlib import redirect_stdout
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from dagster_project.defs.dbt.resource import failure_reason, prune_invocations
from dagster_project.defs.operations.jobs import NIGHTLY_JOB
from dagster_project.defs.publish.fingerprint import KEPT_TAG, kept_version
from dagster_project.defs.publish.versions import PUBLISHED_FILE
from dagster_project.lib.progress import report
from dagster_project.lib.run_logs import run_log
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


def model_count() -> int:
    """How many dbt models the nightly build runs: every model of the manifest."""
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    return sum(node["resource_type"] == "model" for node in manifest["nodes"].values())


# The manifest these definitions are read from is made before they load (dagster-dbt's DbtProject.prepare_if_dev
# under `dagster dev`, prepare_dbt in `peixun run` and before the tests collect, or `dagster-dbt project
# prepare-and-package --file dagster_project/project.py` when deploying): never here, on import.
@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=PeixunTranslator(),
)
def warehouse_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource, config: DbtBuildConfig
):
    """Build and test every dbt model against the run's warehouse file.

    The incremental models rebuild the export dates whose loads are newer than their last build
    (dbt/macros/changed_exports.sql): the run's partition range, and any date a failed run left behind.

    A nightly run whose loads in force and code are those the installed publication was built from
    (publish/fingerprint.py: a night with nothing new) builds nothing: no model is materialized, so
    Dagster skips the warehouse checks and the publication after this step, and the run is tagged with
    the version it keeps. A full refresh always builds.
    """
    if context.job_name == NIGHTLY_JOB and not config.full_refresh:
        with warehouse.connect() as con:
            kept = kept_version(con, warehouse.home_path / PUBLISHED_FILE)
        if kept is not None:
            context.instance.add_run_tags(context.run_id, {KEPT_TAG: kept.version})
            message = (f"dbt build skipped: the loads in force and the code are those {kept.version} "
                       f"(published {kept.published_at}) was built from; it stays published")
            context.log.info(message)
            report(message)
            return
    os.environ["PEIXUN_WAREHOUSE"] = str(warehouse.database)
    os.environ["DBT_USE_COLORS"] = "false"  # dbt's lines go to a file: no terminal colour codes in them
    log = run_log(warehouse.home_path, "dbt", context.run_id)
    models, built, tests = model_count(), 0, 0
    report(f"dbt build: {models} models, seeds and data tests (dbt's log: {log})")
    invocation = dbt.cli(dbt_build_args(config.full_refresh), context=context, raise_on_error=False)
    # dagster-dbt echoes each of dbt's log lines on stdout: they go to the run's dbt log, not the operator's screen.
    with log.open("w", encoding="utf-8") as out, redirect_stdout(out):
        for event in invocation.stream():
            unique_id = str(getattr(getattr(event, "metadata", {}).get("unique_id"), "value", ""))
            if isinstance(event, dg.Output) and unique_id.startswith("model."):
                built += 1
                report(f"dbt models {built}/{models}: {unique_id.rsplit('.', 1)[-1]}")
            elif isinstance(event, dg.AssetCheckResult):
                tests += 1
            yield event
    if not invocation.is_successful():
        reason = failure_reason(invocation)
        report(f"dbt build failed after {built} models: {reason}")
        raise dg.Failure(description=reason)  # names the failing model or test
    report(f"dbt build done: {built} models built, {tests} data tests evaluated")
    prune_invocations(context.op_def.name)
