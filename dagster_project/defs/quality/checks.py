"""The expectations/ suites as Dagster asset checks, on the asset of each table they validate.

Each suite reads a view of dbt/models/quality (frames.py). Two steps: the ingest checks run
between ingestion and dbt (their frame reads only what the ingest wrote; the step creates it from
the SQL dbt compiled for it), the warehouse checks after dbt, which builds their frames with everything else.
The checks of severity ERROR (config/quality.yml) are blocking: the steps downstream of a
checked asset wait for its step, and an ERROR failure stops everything waiting on it: an
ingest error stops dbt, a warehouse error (on a mart, a report, or the staging and
intermediate tables checked in the same step) stops publishing, so analysts keep the last
good version. WARN checks are not blocking: they are reported and the run goes on.
The nightly job runs one step at a time (jobs.py), so whatever blocks, no two steps ever
write the warehouse's single DuckDB file at once.
"""

from collections.abc import Iterator

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from dagster_project.defs.dbt.assets import warehouse_models
from dagster_project.defs.quality.data_docs import data_docs_index
from dagster_project.defs.quality.frames import create_views, frame_of
from dagster_project.defs.quality.policy import Severity, load_quality_config
from dagster_project.defs.quality.suites import checks_of, suite_names
from dagster_project.lib.progress import report
from dagster_project.lib.warehouse import WarehouseResource

CONFIG = load_quality_config()
LANDING_SUITES = [s for s in suite_names() if frame_of(s).before_dbt]
WAREHOUSE_SUITES = [s for s in suite_names() if not frame_of(s).before_dbt]
LISTED_SUBJECTS = 20  # in the check's metadata; all of them are in quality.check_results


def asset_key(table: str) -> dg.AssetKey:
    """The asset of a warehouse table: landing.<entity> or a dbt model (schema.model)."""
    schema, name = table.split(".", 1)
    if schema == "landing":
        return dg.AssetKey(["landing", name])
    return get_asset_key_for_model([warehouse_models], name)


def check_specs(suites: list[str]) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            check.name,
            asset=asset_key(table),
            description=f"{check.title}（{check.severity}；expectations/{suite}.json）",
            blocking=check.severity is Severity.ERROR,
            # a warehouse check waits for its frame (built by dbt with the tables it reads)
            additional_deps=[] if frame_of(suite).before_dbt else [asset_key(suite)],
        )
        for suite in suites
        for table in frame_of(suite).tables
        for check in checks_of(suite, CONFIG)
    ]


def _evaluate(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, suites: list[str],
              stage: str) -> Iterator[dg.AssetCheckResult]:
    report(f"checks ({stage}): validating {len(suites)} Great Expectations suite(s)")
    from dagster_project.defs.quality.runner import run_suites  # Great Expectations imports slowly

    with warehouse.connect() as con:
        created = create_views(con, [frame_of(s) for s in suites if frame_of(s).before_dbt])
        if created:
            context.log.info(f"created from dbt's compiled SQL, read before dbt's build: {', '.join(created)}")
        run = run_suites(con, warehouse.home_path, context.run.run_id, suites, CONFIG)
    timings = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in run.seconds.items())
    context.log.info(f"{len(suites)} suite(s) validated: {timings}; Data Docs {data_docs_index(warehouse.home_path)}")
    failed = [o for o in run.outcomes if not o.passed]
    errors = sum(o.unexpected_count for o in failed if o.severity is Severity.ERROR)
    warnings = sum(o.unexpected_count for o in failed if o.severity is Severity.WARN)
    report(f"checks ({stage}) done: {len(run.outcomes)} checks, {len(run.outcomes) - len(failed)} passed, "
           f"{errors} error(s) and {warnings} warning(s) found; Data Docs {data_docs_index(warehouse.home_path)}")
    for outcome in run.outcomes:
        yield dg.AssetCheckResult(
            asset_key=asset_key(outcome.table),
            check_name=outcome.check,
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity(outcome.severity.value),
            description=outcome.title,
            metadata={
                "unexpected_count": dg.MetadataValue.int(outcome.unexpected_count),
                "subjects": dg.MetadataValue.md(
                    "\n".join(f"- {s.message}" for s in outcome.subjects[:LISTED_SUBJECTS]) or "—"
                ),
                "data_docs": dg.MetadataValue.path(str(data_docs_index(warehouse.home_path))),
            },
        )


@dg.multi_asset_check(
    specs=check_specs(LANDING_SUITES),
    name="landing_quality_checks",
    description="Quarantine share, duplicate keys, row-count drops and freshness of each source's latest export.",
)
def landing_quality_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    yield from _evaluate(context, warehouse, LANDING_SUITES, "landing")


@dg.multi_asset_check(
    specs=check_specs(WAREHOUSE_SUITES),
    name="warehouse_quality_checks",
    description="Rates, nesting, totals, keys and references of the dbt-built tables.",
)
def warehouse_quality_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    yield from _evaluate(context, warehouse, WAREHOUSE_SUITES, "warehouse")
