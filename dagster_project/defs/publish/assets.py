"""The analysts' database: analytics.duckdb, published after every successful build."""

import json

import dagster as dg

from dagster_project import settings
from dagster_project.defs.dbt.assets import PeixunTranslator, warehouse_models
from dagster_project.defs.operations.partitions import EXPORT_DATES, ONE_RUN_PER_RANGE
from dagster_project.defs.publish.publication import PUBLISHED_ASSET, publish
from dagster_project.defs.publish.relations import PUBLISHED_LAYERS
from dagster_project.lib.progress import report
from dagster_project.lib.warehouse import WarehouseResource
from dagster_project.project import dbt_project


@dg.asset(
    key=PUBLISHED_ASSET,
    group_name="publish",
    kinds={"duckdb"},
    partitions_def=EXPORT_DATES,
    backfill_policy=ONE_RUN_PER_RANGE,
    # Every published model and seed: a failed blocking check on any of them (dbt tests of
    # severity error, data-quality checks) stops the run here; the previous version stays.
    deps=[spec.key for spec in warehouse_models.specs if spec.group_name in PUBLISHED_LAYERS],
    description="analytics.duckdb in the home folder: marts, dimensions, reports (as tables), reference rules "
    "and the docs schema; no PII. Built anew and swapped in atomically; the last PEIXUN_KEEP_VERSIONS "
    "versions stay in <home>/versions.",
)
def analytics(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    report(f"publish: building a new version of {warehouse.home_path / 'analytics.duckdb'}")
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    config = settings.load()
    publication = publish(
        warehouse.database,
        warehouse.home_path,
        context.run_id,
        manifest,
        PeixunTranslator().get_group_name,
        config.keep_versions,
        config.analysts_group,
    )
    context.log.info(f"published {publication.path} ({publication.version}) in {publication.seconds:.2f} s")
    report(f"published {publication.version}: {publication.tables} tables, {publication.rows} rows")
    return dg.MaterializeResult(
        metadata={
            "version": publication.version,
            "path": dg.MetadataValue.path(str(publication.path)),
            "tables": publication.tables,
            "rows": publication.rows,
            "dropped_columns": ", ".join(publication.dropped_columns),
            "pruned_versions": ", ".join(publication.pruned),
            "seconds": round(publication.seconds, 3),
        }
    )
