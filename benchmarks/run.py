"""The benchmark run: the nightly job, its peers and its variants on one scale's cached exports.

Every contender runs in its own process (benchmarks.contenders) measured by benchmarks.measure.
The pipeline's, the floor's and the pandas peer's tables must be identical before any figure
is reported; a difference stops the run with the differing rows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from benchmarks import tables
from benchmarks.contract import FILE_NAME, entities, latest_files
from benchmarks.exports import CACHE_DIR, Exports, cached_exports
from benchmarks.measure import Measurement, measure

# Dagster step keys of the nightly job, by the stage they belong to.
STAGES = {
    "ingest": ("landing_tables",),
    "dbt build": ("warehouse_models",),
    "checks": ("landing_quality_checks", "warehouse_quality_checks"),
    "publish": ("analytics",),
}
OPTIONAL_PARTS = ("floor", "pandas", "history", "noop", "incremental", "entities", "school_based", "bulletins")
# The entities of 校本研修 (issue 13): the night is also measured without their exports
SCHOOL_BASED_ENTITIES = ("school_activities", "school_activity_participation", "school_acceptance")
REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_TARGET = REPO_ROOT / "dbt" / "target"


class TablesDiffer(Exception):
    """A peer's tables are not the pipeline's; the message lists the differences."""


@dataclass
class Workspace:
    root: Path

    def path(self, *parts: str) -> Path:
        path = self.root.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path


def _child(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "benchmarks.contenders", *map(str, args)]


def _figures(m: Measurement) -> dict:
    return {"wall": m.wall, "cpu": m.cpu, "peak_rss": m.peak_rss, **m.summary()}


def _checked(m: Measurement, what: str, log: Path) -> Measurement:
    if m.stopped_over:
        raise RuntimeError(f"{what} stopped: it held more than {m.stopped_over / 2**30:.1f} GiB")
    if m.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        raise RuntimeError(f"{what} failed (exit {m.returncode}); end of {log}:\n" + "\n".join(tail))
    return m


def run_pipeline(work: Workspace, name: str, raw: Path, home: Path, memory_cap: int) -> dict:
    """One nightly run in a child process: totals and per-stage wall, CPU and peak memory."""
    log, events = work.path("logs", f"{name}.log"), work.path("logs", f"{name}.json")
    m = _checked(measure(_child("pipeline", raw, home, events), log, memory_cap), f"pipeline run {name}", log)
    run = json.loads(events.read_text(encoding="utf-8"))
    figures = _figures(m)
    intervals = {"start-up": [(m.started, run["run"][0])]}
    for stage, keys in STAGES.items():
        intervals[stage] = [tuple(run["steps"][k]) for k in keys if k in run["steps"]]
    known = {k for keys in STAGES.values() for k in keys}
    intervals["other steps"] = [tuple(v) for k, v in run["steps"].items() if k not in known]
    intervals["wrap-up"] = [(run["run"][1], m.started + m.wall)]
    stages = {}
    for stage, spans in intervals.items():
        windows = [m.window(a, b) for a, b in spans]
        stages[stage] = {
            "wall": sum(b - a for a, b in spans),
            "cpu": sum(c for c, _ in windows),
            "peak_rss": max((p for _, p in windows), default=0),
        }
    stages["between steps"] = {
        "wall": run["run"][1] - run["run"][0] - sum(s["wall"] for k, s in stages.items() if k in STAGES
                                                    or k == "other steps"),
        "cpu": 0.0, "peak_rss": 0,
    }
    figures.update(stages=stages, run_id=run["run_id"])
    return figures


def run_peer(work: Workspace, name: str, raw: Path, memory_cap: int) -> tuple[dict, dict | None]:
    """A peer's figures and tables; no tables when it was stopped over the memory cap."""
    out, log = work.path(name), work.path("logs", f"{name}.log")
    m = measure(_child(name, raw, out), log, memory_cap)
    if m.stopped_over:
        return _figures(m), None
    return _figures(_checked(m, f"{name} peer", log)), tables.load(out)


def ingest_by_entity(work: Workspace, raw: Path, memory_cap: int) -> list[dict]:
    """Ingest each entity alone, in its own process, from a tree of links to its files."""
    by_stem = {spec.file: spec.name for spec in entities().values()}
    files: dict[str, list[Path]] = {}
    for path in sorted(raw.glob("*/*/*")):
        match = FILE_NAME.match(path.name)
        if match and match["stem"] in by_stem:
            files.setdefault(by_stem[match["stem"]], []).append(path)
    figures = []
    for entity, paths in files.items():
        tree = work.root / "entity_raw" / entity
        for path in paths:
            link = tree / path.relative_to(raw)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
        log = work.path("logs", f"ingest_{entity}.log")
        database = work.path("entity_db", f"{entity}.duckdb")
        m = _checked(measure(_child("ingest", tree, database), log, memory_cap), f"ingest of {entity}", log)
        with duckdb.connect(str(database), read_only=True) as con:
            ((rows, seconds),) = con.execute(
                "select coalesce(sum(loaded_rows + quarantined_rows), 0), coalesce(sum(seconds), 0) "
                "from ingest.load_manifest where status = 'loaded'"
            ).fetchall()
        figures.append({"entity": entity, "files": len(paths), "rows": rows, "load_seconds": seconds,
                        "wall": m.wall, "cpu": m.cpu, "peak_rss": m.peak_rss})
    return figures


def manifest_by_entity(warehouse: Path, run_id: str) -> list[dict]:
    """Per-entity ingest seconds and rows of one run, as ingest.load_manifest recorded them."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """select entity, count(*), sum(raw_rows), sum(loaded_rows), sum(quarantined_rows), sum(seconds)
               from ingest.load_manifest where run_id = ? and status = 'loaded' group by entity order by entity""",
            [run_id],
        ).fetchall()
    return [dict(zip(("entity", "files", "raw_rows", "loaded_rows", "quarantined_rows", "seconds"), r, strict=True))
            for r in rows]


def latest_exports_ingest(warehouse: Path, run_id: str) -> dict:
    """Files, rows and load seconds of the run's loads from each source's latest export date (one night's data)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ((files, rows, seconds),) = con.execute(
            """select count(*), sum(raw_rows), sum(seconds) from (
                   select * from ingest.load_manifest where run_id = ? and status = 'loaded'
                   qualify export_date = max(export_date) over (partition by source_name))""",
            [run_id],
        ).fetchall()
    return {"files": files, "rows": rows, "seconds": seconds}


def slowest_dbt_nodes(run_id: str, count: int = 8) -> list[dict]:
    """The dbt nodes (models, tests, seeds) of a run's build that took longest, from its run_results.json."""
    found = sorted(DBT_TARGET.glob(f"warehouse_models-{run_id[:7]}-*/run_results.json"))
    if not found:
        return []
    results = json.loads(found[-1].read_text(encoding="utf-8"))["results"]
    timed = sorted(results, key=lambda r: r["execution_time"], reverse=True)
    slowest = [{"node": r["unique_id"].split(".", 1)[0] + " " + r["unique_id"].rsplit(".", 1)[-1],
                "seconds": r["execution_time"]} for r in timed[:count]]
    total = sum(r["execution_time"] for r in results)
    return [*slowest, {"node": f"all {len(results)} nodes (sum over 2 dbt threads)", "seconds": total}]


def _link_folders(raw: Path, folder: Path, dates: list[Path]) -> Path:
    for date in dates:
        link = folder / date.relative_to(raw)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(date, target_is_directory=True)
    return folder


def latest_raw(raw: Path, folder: Path) -> Path:
    """A raw tree linking each source's latest export-date folder: the files the peers read."""
    latest = [max(p for p in source.glob("????-??-??") if p.is_dir()) for source in sorted(raw.iterdir())
              if source.is_dir() and not source.name.startswith(".") and any(source.glob("????-??-??"))]
    return _link_folders(raw, folder, latest)


def raw_without(latest: Path, folder: Path, entity_names: tuple[str, ...]) -> Path:
    """A raw tree linking the files of `latest` (a tree of folders) but those of these entities."""
    stems = {spec.file for spec in entities().values() if spec.name in entity_names}
    for path in sorted(latest.glob("*/*/*")):
        match = FILE_NAME.match(path.name)
        if match and match["stem"] in stems:
            continue
        link = folder / path.relative_to(latest)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(path.resolve())
    return folder


def bulletins_alone(work: Workspace, home: Path, memory_cap: int) -> dict:
    """The nightly bulletins drafted again, in their own process, on a home the pipeline published."""
    log = work.path("logs", "bulletins.log")
    return _figures(_checked(measure(_child("bulletins", home), log, memory_cap), "bulletins", log))


def withheld_raw(raw: Path, folder: Path) -> tuple[Path, Path]:
    """A raw tree linking every export-date folder but the latest one; returns (tree, the withheld folder)."""
    dates = sorted(raw.glob("*/????-??-??"), key=lambda p: (p.name, p.parent.name))
    return _link_folders(raw, folder, dates[:-1]), dates[-1]


def compare(expected: dict, peers: dict[str, dict]) -> None:
    problems = [
        f"{peer}: {line}"
        for peer, result in peers.items()
        for name in tables.KEYS
        for line in tables.differences(name, expected[name], result[name])
    ]
    if problems:
        raise TablesDiffer("the contenders' tables differ:\n" + "\n".join(problems))


def _commit() -> str:
    """The checked-out commit, marked `+changes` when the working tree differs from it (the benchmark's
    own outputs, the results and docs/benchmarks.md, aside)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=REPO_ROOT).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".",
                  ":(exclude)benchmarks/results", ":(exclude)docs/benchmarks.md")
    return head + ("+changes" if changed else "")


def run_benchmark(scale: str, seed: int, skip: set[str], memory_cap: int,
                  progress: Callable[[str], None] = print) -> dict:
    exports: Exports = cached_exports(scale, seed)
    work = Workspace(CACHE_DIR / "runs" / scale)
    shutil.rmtree(work.root, ignore_errors=True)
    raw = exports.raw
    results: dict = {
        "scale": scale, "seed": seed, "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(), "memory_bytes": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"),
        "enrollments": exports.enrollments, "enrollment_rows_all_files": exports.enrollment_rows,
        "latest_files": len(latest_files(raw)), "commit": _commit(),
    }
    progress(f"{scale}: {exports.enrollments:,} enrollments in the latest exports; pipeline on the peers' files ...")
    pipeline = run_pipeline(work, "pipeline", latest_raw(raw, work.root / "latest_raw"), work.path("home", "latest"),
                            memory_cap)
    results["pipeline"] = pipeline
    warehouse = work.root / "home" / "latest" / "warehouse.duckdb"
    results["ingest_manifest"] = manifest_by_entity(warehouse, pipeline["run_id"])
    results["dbt_nodes"] = slowest_dbt_nodes(pipeline["run_id"])
    results["latest_exports_ingest"] = latest_exports_ingest(warehouse, pipeline["run_id"])
    expected = tables.pipeline_tables(warehouse)
    results["table_rows"] = {name: len(frame) for name, frame in expected.items()}
    if "bulletins" not in skip:
        progress("the night's bulletins drafted alone, on its published database ...")
        results["bulletins"] = bulletins_alone(work, work.root / "home" / "latest", memory_cap)
    # Right after the first run, on its warehouse: the night a nightly home sees when nothing arrived.
    if "noop" not in skip:
        progress("pipeline, second run with nothing new ...")
        results["pipeline_noop"] = run_pipeline(work, "pipeline_noop", work.root / "latest_raw",
                                                work.root / "home" / "latest", memory_cap)

    # What the 校本研修 exports add: a pair of fresh nights back to back, without them and then with them
    # again, so that both halves find the machine alike (the first run above also parses dbt when dbt/ changed).
    if "school_based" not in skip:
        progress("pipeline on the peers' files without the 校本研修 exports ...")
        tree = raw_without(work.root / "latest_raw", work.root / "without_school_based_raw", SCHOOL_BASED_ENTITIES)
        results["pipeline_without_school_based"] = run_pipeline(work, "pipeline_without_school_based", tree,
                                                                work.path("home", "without_school_based"), memory_cap)
        progress("pipeline on the peers' files again, with the 校本研修 exports, right after ...")
        results["pipeline_with_school_based"] = run_pipeline(work, "pipeline_with_school_based",
                                                             work.root / "latest_raw",
                                                             work.path("home", "with_school_based"), memory_cap)

    peers = {}
    if "history" not in skip:
        progress("pipeline, whole history (every export date) ...")
        results["pipeline_history"] = run_pipeline(work, "pipeline_history", raw, work.path("home", "full"),
                                                   memory_cap)
        history = work.root / "home" / "full" / "warehouse.duckdb"
        results["history_dbt_nodes"] = slowest_dbt_nodes(results["pipeline_history"]["run_id"])
        results["history_ingest_seconds"] = sum(m["seconds"] for m in manifest_by_entity(
            history, results["pipeline_history"]["run_id"]))
        peers["pipeline, whole history"] = tables.pipeline_tables(history)
    for peer in ("floor", "pandas"):
        if peer in skip:
            continue
        progress(f"{peer} ...")
        results[peer], peers[peer] = run_peer(work, peer, raw, memory_cap)
        if peers[peer] is None:
            progress(f"{peer} stopped: more than {memory_cap / 2**30:.1f} GiB")
    compare(expected, {name: result for name, result in peers.items() if result is not None})
    progress(f"tables identical ({', '.join(['pipeline', *(p for p, t in peers.items() if t is not None)])})")

    if "incremental" not in skip:
        tree, latest = withheld_raw(raw, work.root / "incremental_raw")
        progress(f"incremental night: base run without {latest.relative_to(raw)} ...")
        home = work.path("home", "incremental")
        results["incremental_base"] = run_pipeline(work, "incremental_base", tree, home, memory_cap)
        (tree / latest.relative_to(raw)).symlink_to(latest, target_is_directory=True)
        progress(f"incremental night: {latest.relative_to(raw)} arrives ...")
        results["incremental"] = run_pipeline(work, "incremental", tree, home, memory_cap)
        results["incremental"]["new_folder"] = str(latest.relative_to(raw))
    if "entities" not in skip:
        progress("ingest, one entity per process ...")
        results["ingest_entities"] = ingest_by_entity(work, work.root / "latest_raw", memory_cap)
    return results
