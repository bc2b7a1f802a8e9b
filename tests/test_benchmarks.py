"""The benchmark's contenders agree, and its measuring works. No timing is asserted here:
the benchmark runs from its own command (`make bench`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks import duckdb_floor, pandas_peer, tables
from benchmarks.contract import latest_files
from benchmarks.measure import measure
from benchmarks.run import SCHOOL_BASED_ENTITIES, latest_raw, raw_without, withheld_raw

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def pipeline_tables(sample_home: Path) -> dict:
    return tables.pipeline_tables(sample_home / "warehouse.duckdb")


def _differences(expected: dict, actual: dict) -> list[str]:
    return [line for name in tables.KEYS
            for line in tables.differences(name, expected[name], tables.normalise(name, actual[name]))]


def test_floor_reproduces_the_pipeline_tables(pipeline_tables):
    assert _differences(pipeline_tables, duckdb_floor.compute(SAMPLE)) == []


def test_pandas_peer_reproduces_the_pipeline_tables(pipeline_tables):
    assert _differences(pipeline_tables, pandas_peer.compute(SAMPLE)) == []


def test_compared_tables_are_not_empty(pipeline_tables):
    assert all(len(frame) for frame in pipeline_tables.values())
    teachers = pipeline_tables["district_teachers"]
    assert tables.TOTAL_ROW in set(teachers["district"])


def test_a_difference_is_reported_by_row_and_column(pipeline_tables):
    changed = pipeline_tables["courses"].copy()
    changed.loc[0, "enrollments_paid"] += 1
    problems = tables.differences("courses", pipeline_tables["courses"], changed.iloc[:-1])
    assert any("enrollments_paid" in p for p in problems)
    assert any("only in the pipeline" in p for p in problems)


def test_peers_read_the_latest_delivery_of_the_latest_folder():
    files = {(f.source, f.entity): f for f in latest_files(SAMPLE)}
    enrollments = files[("vendor_jjw", "enrollments")]
    assert enrollments.export_date == "2022-09-19"
    assert enrollments.path.name == "选课记录_20220920.xlsx"  # the re-delivery, not 选课记录_20220919
    assert ("gz_city", "surveys") not in files  # not used by the compared tables


def test_incremental_tree_withholds_only_the_latest_export_date(tmp_path):
    tree, withheld = withheld_raw(SAMPLE, tmp_path / "raw")
    folders = {p.relative_to(SAMPLE).as_posix() for p in SAMPLE.glob("*/????-??-??")}
    assert withheld.name == max(p.rsplit("/", 1)[1] for p in folders)
    linked = {p.relative_to(tree).as_posix() for p in tree.glob("*/*")}
    assert linked == folders - {withheld.relative_to(SAMPLE).as_posix()}
    assert all((tree / p).is_symlink() for p in linked)


def test_pipeline_reads_the_peers_files_from_a_tree_of_each_sources_latest_folder(tmp_path):
    tree = latest_raw(SAMPLE, tmp_path / "raw")
    linked = {p.relative_to(tree).as_posix() for p in tree.glob("*/*")}
    assert linked == {f"{source.name}/{max(d.name for d in source.glob('????-??-??'))}"
                      for source in SAMPLE.iterdir() if source.is_dir()}
    assert {(f.source, f.export_date, f.entity, f.path.name) for f in latest_files(tree)} == {
        (f.source, f.export_date, f.entity, f.path.name) for f in latest_files(SAMPLE)}


def test_the_night_without_school_based_training_reads_every_latest_file_but_its_three_entities(tmp_path):
    latest = latest_raw(SAMPLE, tmp_path / "latest")
    tree = raw_without(latest, tmp_path / "without", SCHOOL_BASED_ENTITIES)
    every = {p.relative_to(latest).as_posix() for p in latest.glob("*/*/*")}
    kept = {p.relative_to(tree).as_posix() for p in tree.glob("*/*/*")}
    assert every - kept == {"vendor_jjw/2022-09-19/校本研修活动_20220919.xlsx",
                            "vendor_jjw/2022-09-19/校本研修参与_20220919.xlsx",
                            *(p for p in every if "整校验收" in p)}
    assert kept and all((tree / p).is_symlink() for p in kept)


def test_measure_takes_peak_memory_of_the_child_tree(tmp_path):
    script = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'b = bytearray(300 << 20)'])"
    m = measure([sys.executable, "-c", script], tmp_path / "log.txt")
    assert m.returncode == 0
    assert m.max_rss >= 300 << 20  # the grandchild's 300 MiB, reaped through its parent
    assert m.cpu > 0 and m.wall > 0


def test_measure_does_not_charge_the_benchmark_own_memory_to_a_contender(tmp_path):
    held = bytearray(400 << 20)  # resident in this process when the contender is started
    m = measure([sys.executable, "-c", "pass"], tmp_path / "log.txt")
    assert held and m.max_rss < 200 << 20


def test_measure_stops_a_contender_over_the_memory_cap(tmp_path):
    script = "import time; b = bytearray(400 << 20); time.sleep(30)"
    m = measure([sys.executable, "-c", script], tmp_path / "log.txt", memory_cap=200 << 20)
    assert m.stopped_over == 200 << 20 and m.returncode != 0
