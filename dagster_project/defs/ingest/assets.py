"""Ingest assets: one landing table per canonical entity, loaded from every source."""

import dagster as dg
from dagster._core.storage.tags import BACKFILL_ID_TAG

from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.ingest.exports import ingest_exports
from dagster_project.defs.ingest.load import LoadResult
from dagster_project.defs.operations.partitions import EXPORT_DATES, ONE_RUN_PER_RANGE, run_dates
from dagster_project.lib.progress import report
from dagster_project.lib.warehouse import WarehouseResource

ENTITIES = list(load_config().entities.values())


class IngestConfig(dg.Config):
    """reload: load the files of the run's export dates again, changed or not (`peixun backfill`)."""

    reload: bool = False


def load_line(result: LoadResult, done: int, total: int) -> str:
    """`files 3/21: loaded gz_city/2022-06-30/选课记录.csv (7775 rows, 4 quarantined)`; a file that failed or was
    rejected says why, one left unchanged that it was."""
    unit = result.unit
    what = result.message.partition("\n")[0] if result.status in ("failed", "rejected") else {
        "loaded": f"{result.loaded_rows} rows, {result.quarantined_rows} quarantined",
    }.get(result.status, "no change since its last load")
    return f"files {done}/{total}: {result.status} {unit.source}/{unit.export_date}/{unit.file.name} ({what})"


def report_load(result: LoadResult, done: int, total: int) -> None:
    """Each file's line (load_line) as it finishes."""
    report(load_line(result, done, total))


def forced(context: dg.AssetExecutionContext, config: IngestConfig) -> bool:
    """A backfill (`peixun backfill`, or one launched in the Dagster UI) loads its dates again."""
    return config.reload or BACKFILL_ID_TAG in context.run.tags


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["landing", entity.name],
            group_name="ingest",
            description=f"{entity.file} ({entity.name}) from every platform source, keyed by source and export date.",
            kinds={"duckdb"},
        )
        for entity in ENTITIES
    ]
    + [
        dg.AssetSpec(["ingest", "load_manifest"], group_name="ingest", kinds={"duckdb"},
                     description="One row per export file load: checksum, rows, status, message, load time."),
        dg.AssetSpec(["ingest", "quarantine"], group_name="ingest", kinds={"duckdb"},
                     description="Rows that failed parsing, a key, required-value or length rule, with file, line, "
                                 "column and reason; every row of a rejected file."),
    ],
    partitions_def=EXPORT_DATES,
    backfill_policy=ONE_RUN_PER_RANGE,
)
def landing_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource, config: IngestConfig):
    """Load the new and re-delivered export files of the run's export dates; quarantine bad rows; record
    the load manifest. The tables hold every export date: one run's materialization covers its range."""
    first, last = run_dates(context)
    report(f"ingest: export files dated {first}{'' if first == last else f'..{last}'} in {warehouse.raw_path}")
    with warehouse.connect() as con:
        summary = ingest_exports(
            con, warehouse.raw_path, load_config(), warehouse.salt, context.run_id, log=context.log.info,
            dates=(first, last), force=forced(context, config), progress=report_load,
        )
        loaded = len(summary.by_status("loaded"))
        report(f"ingest done: {loaded} loaded, {len(summary.by_status('unchanged'))} unchanged, "
               f"{len(summary.failures)} failed")
        for failure in summary.failures:
            context.log.error(failure)
        for skipped in summary.skipped:
            context.log.warning(skipped)
        counts = dict(
            con.execute(
                "select entity, count(*) from ingest.load_manifest where run_id = ? and status = 'loaded' group by all",
                [context.run_id],
            ).fetchall()
        )
        for entity in ENTITIES:
            ((rows,),) = con.execute(f"select count(*) from landing.{entity.name}").fetchall()
            results = [r for r in summary.attempts if r.unit.entity == entity.name]
            yield dg.MaterializeResult(
                asset_key=["landing", entity.name],
                metadata={
                    "rows": dg.MetadataValue.int(rows),
                    "files_loaded": dg.MetadataValue.int(counts.get(entity.name, 0)),
                    "rows_loaded": dg.MetadataValue.int(sum(r.loaded_rows for r in results)),
                    "rows_quarantined": dg.MetadataValue.int(sum(r.quarantined_rows for r in results)),
                    "files_failed": dg.MetadataValue.int(sum(r.status == "failed" for r in results)),
                    "files_rejected": dg.MetadataValue.int(sum(r.status == "rejected" for r in results)),
                },
            )
        ((quarantined,),) = con.execute("select count(*) from ingest.quarantine").fetchall()
        yield dg.MaterializeResult(
            asset_key=["ingest", "load_manifest"],
            metadata={"failures_this_run": dg.MetadataValue.int(len(summary.failures))},
        )
        yield dg.MaterializeResult(asset_key=["ingest", "quarantine"],
                                   metadata={"rows": dg.MetadataValue.int(quarantined)})
