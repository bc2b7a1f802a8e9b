"""Export dates as Dagster partitions.

The ingest (`landing_tables`) and the publication (`analytics`) are partitioned by export
date: one dynamic partition per `<raw>/<source>/<YYYY-MM-DD>/` folder name, kept in date
order. A run covers a range of export dates in one process (single-run backfill policy): the
ingest loads the files of those dates, dbt rebuilds the export dates that received a newer
load, the checks and the publish step run once. So the Dagster UI shows, per export date,
when it was loaded and published, and backfilling a range is one Dagster backfill (or
`peixun backfill`). dbt's models are not partitioned: each is one table over every export
date, materialized once per run (the dates a run built are its range tags and
ops.run_history's export_dates). Partitioned, each of its 130-odd models would record a
planned event and a materialization per date of the range in Dagster's event log, about
20 ms each: 30 s of a fresh city night over six dates.

Which range a run covers:
- nightly (schedule, sensor, `peixun run`): the export dates that are *pending*, from the
  first to the last; with nothing pending, the latest date alone: a night that checks the
  landed data, freshness included, and keeps the published version when it was built from
  the same loads and code (quiet_night.py), else builds and publishes again;
- a backfill: the dates asked for, loaded again even when unchanged.

A date is pending while it has no published materialization (asset `analytics`) newer than
its newest file: a new folder, a re-delivered file, or a run that failed or was blocked by a
data-quality ERROR before publishing (it is tried again the next night).
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from dagster_project.defs.publish.publication import PUBLISHED_ASSET

EXPORT_DATES = dg.DynamicPartitionsDefinition(name="export_date")
ONE_RUN_PER_RANGE = dg.BackfillPolicy.single_run()
# Dagster 1.13 flags backfill_policy on @asset (not on multi-assets) as beta; this project relies on it.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)


def export_date_folders(raw_dir: Path) -> dict[str, list[Path]]:
    """Export date (YYYY-MM-DD) -> its folders, one per source, in date order."""
    dates: dict[str, list[Path]] = {}
    if not raw_dir.is_dir():
        return dates
    for folder in sorted(raw_dir.glob("*/*")):
        if not folder.is_dir() or folder.parent.name.startswith("."):
            continue
        try:
            dt.date.fromisoformat(folder.name)
        except ValueError:
            continue  # the ingest reports the folder as a problem
        dates.setdefault(folder.name, []).append(folder)
    return dict(sorted(dates.items()))


def register_export_dates(instance: dg.DagsterInstance, dates: list[str]) -> list[str]:
    """Add the dates that are not partitions yet, keeping the partitions in date order.

    Dynamic partitions keep the order they were added in, and ranges follow that order: a date
    older than the newest partition (a late platform) is slotted in by re-adding the later ones.
    Returns the partition keys, in order.
    """
    known = instance.get_dynamic_partitions(EXPORT_DATES.name)
    new = sorted(set(dates) - set(known))
    if new:
        later = [key for key in known if key > new[0]]
        for key in later:
            instance.delete_dynamic_partition(EXPORT_DATES.name, key)
        instance.add_dynamic_partitions(EXPORT_DATES.name, sorted(new + later))
    return instance.get_dynamic_partitions(EXPORT_DATES.name)


def _changed_at(path: Path) -> float:
    """When the file or folder last changed here: a copy that keeps the platform's modification
    time (cp -p, rsync -a) still gets a new inode change time. A link that loops or leads nowhere
    (the ingest reports it) counts by when the link itself changed."""
    try:
        stat = path.stat()
    except OSError:
        stat = path.lstat()
    return max(stat.st_mtime, stat.st_ctime)


def _last_change(folders: list[Path]) -> float:
    return max((_changed_at(p) for folder in folders for p in [folder, *folder.iterdir()]), default=0.0)


def _published_at(instance: dg.DagsterInstance, date: str) -> float | None:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(PUBLISHED_ASSET), asset_partitions=[date]), limit=1
    ).records
    return records[0].timestamp if records else None


def pending_export_dates(instance: dg.DagsterInstance, raw_dir: Path) -> list[str]:
    """Export dates with files newer than their last published run (or never published)."""
    pending = []
    for date, folders in export_date_folders(raw_dir).items():
        published = _published_at(instance, date)
        if published is None or _last_change(folders) > published:
            pending.append(date)
    return pending


def nightly_range(instance: dg.DagsterInstance, raw_dir: Path) -> dg.PartitionKeyRange | None:
    """The range a nightly run covers (see the module docstring); None when there is no export at all."""
    folders = export_date_folders(raw_dir)
    keys = register_export_dates(instance, list(folders))
    if not folders:
        return None
    pending = pending_export_dates(instance, raw_dir)
    if not pending:
        return dg.PartitionKeyRange(keys[-1], keys[-1])
    return dg.PartitionKeyRange(pending[0], pending[-1])


def dates_between(raw_dir: Path, first: str, last: str) -> list[str]:
    """The export dates from `first` to `last` (YYYY-MM-DD, inclusive) that have folders under `raw_dir`."""
    for date in (first, last):
        try:
            dt.date.fromisoformat(date)
        except ValueError as exc:
            raise ValueError(f"an export date is YYYY-MM-DD, not {date!r} ({exc})") from None
    dates = list(export_date_folders(raw_dir))
    inside = [date for date in dates if first <= date <= last]
    if not inside:
        raise ValueError(f"no export folder dated {first} to {last} under {raw_dir} (export dates: {', '.join(dates)})")
    return inside


def backfill_range(instance: dg.DagsterInstance, raw_dir: Path, first: str, last: str) -> dg.PartitionKeyRange:
    """The partition range of a backfill from `first` to `last`."""
    inside = dates_between(raw_dir, first, last)
    register_export_dates(instance, list(export_date_folders(raw_dir)))
    return dg.PartitionKeyRange(inside[0], inside[-1])


def range_tags(keys: dg.PartitionKeyRange) -> dict[str, str]:
    """Run tags that make one run cover the range (as a single-run Dagster backfill does)."""
    return {ASSET_PARTITION_RANGE_START_TAG: keys.start, ASSET_PARTITION_RANGE_END_TAG: keys.end}


def run_dates(context: dg.AssetExecutionContext) -> tuple[dt.date, dt.date]:
    """The first and last export date of the run's partition range."""
    keys = context.partition_key_range
    return dt.date.fromisoformat(keys.start), dt.date.fromisoformat(keys.end)
