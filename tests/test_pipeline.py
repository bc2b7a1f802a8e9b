"""The real nightly job (Dagster, in process) on a hand-sized export folder with worked-out answers."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dagster_project.defs.operations.dagster_home import open_instance
from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.defs.operations.run_history import recent_runs
from dagster_project.defs.publish.tables import published_table, to_csv
from tests.scenario import write_scenario


@pytest.fixture(scope="module")
def nightly(tmp_path_factory):
    root = tmp_path_factory.mktemp("nightly")
    raw = write_scenario(root / "raw")
    outcome = run_nightly(raw, root / "home")
    assert outcome.success, outcome.reason
    return root / "home", outcome


def test_itp2_teacher_table_by_hand(nightly):
    home, _ = nightly
    table = to_csv(published_table(home / "warehouse.duckdb", "itp2_district_teachers", "2201"))
    # 白云区: V1 and V2 logged in (2/3); V1 passed 27 h >= 25 (completed), V2 24 h (not); both finished the
    # workshop, both submitted, only V1 certified. 市直属 (aliases 市直 / 市直属学校): V3 logged in, selected
    # nothing paid, joined a workshop without finishing; V4 never logged in.
    assert table.splitlines()[1:] == [
        "白云区,3,2,66.67%,2,1,33.33%,50.00%,2,2,66.67%,100.00%,2,1,33.33%,50.00%",
        "市直属,2,1,50.00%,0,0,0.00%,0.00%,1,0,0.00%,0.00%,0,0,0.00%,0.00%",
        "合计,5,3,60.00%,2,1,20.00%,33.33%,3,2,40.00%,66.67%,2,1,20.00%,33.33%",
    ]


def test_itp2_enrollment_table_by_hand(nightly):
    home, _ = nightly
    table = to_csv(published_table(home / "warehouse.duckdb", "itp2_district_enrollments", "2201"))
    # 白云区: 9 + 10 paid; V2's K10 never opened (progress 0); V2's K9 studied, not assessed.
    # 市直属: V3's only selection is unpaid, so no paid enrollment and undefined rates.
    assert table.splitlines()[1:] == [
        "市直属,0,0,—,0,—",
        "白云区,19,18,94.74%,17,89.47%",
        "合计,19,18,94.74%,17,89.47%",
    ]


def test_course_buckets_and_zero_enrollment_course(nightly):
    home, _ = nightly
    table = published_table(home / "warehouse.duckdb", "regular_course_buckets", "2201")
    assert dict(zip(table.bucket, table.courses, strict=True)) == {
        "ge_90": 1, "80_90": 0, "70_80": 0, "60_70": 0, "lt_60": 1, "no_enrollments": 1}


def test_run_summary_prints_headline_rates(nightly):
    _, outcome = nightly
    assert "市常规远程培训 2201 as of 2022-06-30: participation 66.67% (2/3)" in outcome.report
    assert "能力提升工程2.0 2201 as of 2022-09-19: participation 60.00% (3/5)" in outcome.report


def test_second_run_changes_nothing(nightly):
    home, first = nightly
    database = home / "warehouse.duckdb"

    def snapshot() -> tuple:
        with duckdb.connect(str(database), read_only=True) as con:
            return (con.execute("select * from ingest.load_manifest order by load_id").fetchall(),
                    con.execute("select * from marts.fct_district_training order by all").fetchall())

    before = snapshot()
    raw = Path(str(home).replace("home", "raw"))
    second = run_nightly(raw, home)
    assert second.success
    assert snapshot() == before
    # Both runs are in the home's lasting Dagster instance, which knows what was published when:
    # nothing is pending, so the night covers the latest export date alone.
    (recorded,) = recent_runs(database, run_id=second.run_id)
    assert recorded["export_dates"] == "2022-09-19"
    with open_instance(home) as instance:
        assert {run.run_id for run in instance.get_runs()} == {first.run_id, second.run_id}


def test_no_pii_in_any_table_after_landing(nightly):
    home, _ = nightly
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema not in ('landing', 'ingest')").fetchall()
        assert not [c for c in columns if c[2] in {"national_id", "name", "phone", "name_hash", "phone_hash"}]
        for schema, table in {(s, t) for s, t, _ in columns}:
            dump = str(con.execute(f'select * from "{schema}"."{table}"').fetchall())
            assert "440101198001010011" not in dump and "甲" not in dump
