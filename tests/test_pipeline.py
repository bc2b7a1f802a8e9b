"""The real nightly job (Dagster, in process) on a hand-sized export folder with worked-out answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.operations.dagster_home import open_instance
from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.defs.operations.run_history import recent_runs
from dagster_project.defs.publish import fingerprint
from dagster_project.defs.publish.tables import published_table, to_csv
from dagster_project.defs.publish.versions import current_version, versions
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


def test_second_run_changes_nothing(nightly, monkeypatch):
    home, first = nightly
    database = home / "warehouse.duckdb"
    (published_first,) = [run["published_version"] for run in recent_runs(database, run_id=first.run_id)]

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
    # The same loads and the same code as the installed version: dbt builds nothing, nothing is published
    # again, and the version stays; the landing checks still ran, freshness among them.
    assert (recorded["models_built"], recorded["published_version"], recorded["kept_version"]) == (
        0, None, published_first)
    assert second.kept_version == published_first == current_version(home)
    assert [v.name for v in versions(home)] == [published_first]
    with duckdb.connect(str(database), read_only=True) as con:
        checked = {c for (c,) in con.execute("select distinct check_name from quality.check_results "
                                            "where run_id = ?", [second.run_id]).fetchall()}
    assert "export_freshness" in checked and "headcount_rate_over_100" not in checked
    assert (f"发布：自 {published_first} 发布以来，数据、代码与配置均未变化，本次未重建仓库、未重新发布，"
            "分析库仍为该版本；本次重新检查了导入数据（含数据时效），其余检查沿用该版本发布时的结果。") in (
        home / "logs" / f"digest-{second.run_id}.txt").read_text(encoding="utf-8").splitlines()
    assert f"published=kept:{published_first}" in second.report
    # What the first night found is still true of the kept version: listed again, as continuing (持续).
    alerts = {night.run_id: [line.strip() for line in (home / "logs" / f"digest-{night.run_id}.txt").read_text(
        encoding="utf-8").splitlines() if line.startswith("  - [")] for night in (first, second)}
    assert alerts[first.run_id] and all(line.startswith("- [新] ") for line in alerts[first.run_id])
    assert alerts[second.run_id] == [line.replace("- [新] ", "- [持续] ") for line in alerts[first.run_id]]
    assert "bulletins: not drafted again" in second.report

    # Other code (a changed model, rule or check, as the fingerprint sees it): the night builds and publishes.
    monkeypatch.setattr(fingerprint, "code_fingerprint", lambda: "changed code")
    third = run_nightly(raw, home)
    (rebuilt,) = recent_runs(database, run_id=third.run_id)
    assert rebuilt["models_built"] > 0 and rebuilt["kept_version"] is None
    assert third.success and rebuilt["published_version"] == current_version(home) != published_first
    assert snapshot() == before


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


def test_a_night_with_nothing_new_keeps_the_version_however_it_is_launched(tmp_path):
    """The schedule plans the quiet night: ingest and its checks only, tagged with the version it keeps. The whole
    job launched in the Dagster UI reaches the same decision in its dbt step, which builds nothing."""
    from dagster_project.definitions import defs
    from dagster_project.defs.operations.partitions import range_tags
    from dagster_project.defs.operations.quiet_night import INGEST_ASSETS
    from dagster_project.defs.operations.schedules import nightly_schedule
    from dagster_project.defs.publish.fingerprint import KEPT_TAG
    from dagster_project.lib.warehouse import WarehouseResource

    raw, home = write_scenario(tmp_path / "raw"), tmp_path / "home"
    first = run_nightly(raw, home)
    assert first.success, first.reason
    installed = current_version(home)
    run_config = {"resources": {"warehouse": {"config": {"raw_dir": str(raw), "home": str(home)}}}}
    with open_instance(home) as instance:
        with dg.build_schedule_context(
            instance=instance, resources={"warehouse": WarehouseResource(raw_dir=str(raw), home=str(home))},
            scheduled_execution_time=dt.datetime.now(dt.UTC),
        ) as context:
            request = nightly_schedule(context)
        assert isinstance(request, dg.RunRequest)
        assert (request.asset_selection, request.tags[KEPT_TAG]) == (INGEST_ASSETS, installed)
        scheduled = defs.resolve_job_def("nightly").execute_in_process(
            run_config=run_config, instance=instance, asset_selection=request.asset_selection, tags=request.tags)
        # launched in the UI: the whole job over the latest export date, nothing planned beforehand
        launched = defs.resolve_job_def("nightly").execute_in_process(
            run_config=run_config, instance=instance, tags=range_tags(dg.PartitionKeyRange("2022-09-19", "2022-09-19")))
        for result in (scheduled, launched):
            assert result.success
            materialized = {e.asset_key for e in result.get_asset_materialization_events()}
            assert materialized <= set(INGEST_ASSETS)  # no dbt model, no publication
            checked = {e.event_specific_data.asset_check_key.name for e in result.all_events
                       if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION}
            assert "export_freshness" in checked and "headcount_rate_over_100" not in checked
            assert instance.get_run_by_id(result.run_id).tags[KEPT_TAG] == installed
    assert current_version(home) == installed and [v.name for v in versions(home)] == [installed]
