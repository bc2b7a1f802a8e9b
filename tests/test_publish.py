"""Publishing analytics.duckdb: contents, no PII, atomic swap under a reading analyst, versions, run history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from dagster_project.cli import main
from dagster_project.defs.operations.jobs import CLI_TRIGGER, TRIGGER_TAG
from dagster_project.defs.operations.run_history import recent_runs
from dagster_project.defs.operations.sensors import record_successful_run
from dagster_project.defs.publish.publication import publish
from dagster_project.defs.publish.versions import current_version, versions
from dagster_project.lib.warehouse import WarehouseResource
from dagster_project.project import dbt_project
from tests.exports import write_csv
from tests.scenario import REGULAR, write_scenario

PERSONAL = {"national_id", "name", "phone", "person_key"}
TEACHER = {
    "teacher_id": "T1",
    "national_id": "440101198001010011",
    "name": "甲",
    "district": "白云区",
    "school_id": "S1",
    "school_name": "一小",
    "school_ownership": "公办",
    "stage": "小学",
    "subject": "语文",
    "is_full_time": "是",
    "status": "在职",
}
COURSE = {
    "course_id": "C1",
    "course_name": "常规课程1",
    "program": REGULAR,
    "period": "2201",
    "category": "专业必修",
    "subject": "语文",
    "credit_hours": "6",
}
ENROLLMENT = {
    "enrollment_id": "E1",
    "teacher_id": "T1",
    "course_id": "C1",
    "period": "2201",
    "enrolled_at": "2022-07-01",
    "paid": "是",
    "progress": "10",
    "passed": "否",
    "hours_earned": "0",
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One real nightly run on the scenario, in a Dagster instance the tests can read."""
    root = tmp_path_factory.mktemp("publish")
    raw = write_scenario(root / "raw")
    with dg.DagsterInstance.ephemeral() as instance:
        outcome = run_nightly_in(instance, raw, root / "home")
        assert outcome.success, outcome.reason
        yield root / "home", raw, outcome, instance


def run_nightly_in(instance, raw: Path, home: Path):
    from dagster_project.defs.operations.nightly_run import run_nightly

    return run_nightly(raw, home, instance)


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture
def home_copy(published, tmp_path) -> Path:
    """The published home, copied, for tests that publish again or roll back."""
    home, *_ = published
    return Path(shutil.copytree(home, tmp_path / "home"))


def publish_again(home: Path, run_id: str, keep: int = 5, analysts_group: str = ""):
    from dagster_project.defs.dbt.assets import PeixunTranslator  # reads the manifest the fixture's run prepared

    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    return publish(home / "warehouse.duckdb", home, run_id, manifest, PeixunTranslator().get_group_name, keep,
                   analysts_group)


def test_only_marts_reports_reference_and_docs_are_published(published):
    home, *_ = published
    analytics = home / "analytics.duckdb"
    schemas = {s for (s,) in query(analytics, "select distinct table_schema from information_schema.tables")}
    assert schemas == {"marts", "reports", "reference", "docs"}
    kinds = query(analytics, "select distinct table_type from information_schema.tables")
    assert kinds == [("BASE TABLE",)]  # reports are materialised: nothing points back at the warehouse
    report = "select * from reports.report_itp2_district_teachers order by all"
    assert query(analytics, report) == query(home / "warehouse.duckdb", report)


def test_docs_describe_every_published_table_and_column(published):
    home, *_ = published
    analytics = home / "analytics.duckdb"
    tables = query(
        analytics,
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema != 'docs' except select table_schema || '.' || table_name "
        "from docs.tables",
    )
    assert tables == []
    assert query(analytics, "select grain, row_count from docs.tables where table_name = 'fct_school_training'") == [
        ("One row per export_date × program × period × school_id.", 4)
    ]
    assert query(
        analytics,
        "select label_zh, description from docs.columns "
        "where table_name = 'fct_district_training' and column_name = 'participation_rate'",
    ) == [("参训率", "参训率 = participants / expected_teachers.")]
    assert query(analytics, "select rule_zh from reference.programs where program_code = 'itp2'")[0][0].startswith(
        "参训=注册并首次登录"
    )
    ((version, run_id, through),) = query(analytics, "select version, run_id, exports_through from docs.publication")
    assert (version, run_id, str(through)) == (current_version(home), published[2].run_id, "2022-09-19")


def test_no_personal_data_reaches_analysts(published):
    home, *_ = published
    analytics = home / "analytics.duckdb"
    columns = {c for (c,) in query(analytics, "select column_name from information_schema.columns")}
    assert not columns & PERSONAL and not [c for c in columns if c.endswith("_hash")]
    keys = {k for (k,) in query(home / "warehouse.duckdb", "select person_key from marts.dim_teacher")}
    with duckdb.connect(str(analytics), read_only=True) as con:
        for schema, table in con.execute("select table_schema, table_name from information_schema.tables").fetchall():
            dump = str(con.execute(f'select * from "{schema}"."{table}"').fetchall())
            assert "440101198001010011" not in dump and "甲" not in dump
            assert not [k for k in keys if k in dump]


def test_published_file_opens_in_duckdb_1_0_and_later(published):
    home, *_ = published
    tags = query(home / "analytics.duckdb", "select tags from duckdb_databases() where database_name = 'analytics'")
    assert tags == [({"storage_version": "v1.0.0+"},)]


ANALYST = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    import duckdb
    analytics, stop = sys.argv[1], Path(sys.argv[2])
    sql = ("select (select version from docs.publication), count(*), sum(participants) "
           "from marts.fct_district_training")
    con = duckdb.connect(analytics, read_only=True)
    first = con.execute(sql).fetchone()
    print(json.dumps({"ready": first[0]}), flush=True)
    seen, errors, iterations = {json.dumps(first, default=str)}, [], 0
    while not stop.exists():
        try:
            seen.add(json.dumps(con.execute(sql).fetchone(), default=str))
        except Exception as exc:
            errors.append(repr(exc))
        iterations += 1
    con.close()
    fresh = duckdb.connect(analytics, read_only=True).execute(sql).fetchone()[0]
    print(json.dumps({"seen": sorted(seen), "errors": errors, "iterations": iterations, "fresh": fresh}))
""")


def test_publishing_is_atomic_while_an_analyst_reads(home_copy, tmp_path):
    stop = tmp_path / "stop"
    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(home_copy / "analytics.duckdb"), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        old = json.loads(analyst.stdout.readline())["ready"]
        started = time.perf_counter()
        publication = publish_again(home_copy, "atomic-test-run")  # neither blocked nor blocking
        seconds = time.perf_counter() - started
        time.sleep(0.5)  # the analyst keeps querying its open connection after the swap
    finally:
        stop.touch()
    out, err = analyst.communicate(timeout=60)
    assert analyst.returncode == 0, err
    report = json.loads(out)
    assert report["errors"] == [] and report["iterations"] > 0
    assert len(report["seen"]) == 1 and json.loads(report["seen"][0])[0] == old  # one consistent, old state
    assert report["fresh"] == publication.version != old  # a new connection sees the new version
    assert seconds < 30


def test_keeps_the_last_versions_and_rolls_back(home_copy, monkeypatch, capsys):
    first = current_version(home_copy)
    names = [publish_again(home_copy, f"run{i}", keep=3).version for i in range(3)]
    assert [v.name for v in versions(home_copy)] == names  # the oldest ones were pruned
    assert main(["rollback", "--home", str(home_copy)]) == 0
    assert current_version(home_copy) == names[1]
    assert query(home_copy / "analytics.duckdb", "select version from docs.publication") == [(names[1],)]
    assert main(["rollback", "--home", str(home_copy)]) == 0
    assert main(["rollback", "--home", str(home_copy)]) == 2
    assert "nothing earlier to restore" in capsys.readouterr().err
    assert first not in [v.name for v in versions(home_copy)]
    monkeypatch.setenv("PEIXUN_KEEP_VERSIONS", "1")
    assert publish_again(home_copy, "run9", keep=1).pruned  # keep 1: the installed version only


def test_run_history_records_what_the_run_did(published):
    home, _, outcome, _ = published
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    models = sum(n["resource_type"] == "model" for n in manifest["nodes"].values())
    dbt_tests = sum(n["resource_type"] == "test" and bool(n.get("attached_node")) for n in manifest["nodes"].values())
    (run,) = recent_runs(home / "warehouse.duckdb", run_id=outcome.run_id)
    assert run["status"] == "success" and run["finished_at"] >= run["started_at"]
    assert (run["files_loaded"], run["files_failed"], run["rows_loaded"], run["rows_quarantined"]) == (9, 0, 53, 0)
    assert (run["models_built"], run["checks_failed"]) == (models, 0)
    assert run["checks_evaluated"] >= dbt_tests  # dbt tests and any data-quality asset checks
    assert run["published_version"] == current_version(home)
    assert f"published={run['published_version']}" in outcome.report


def test_run_status_sensor_records_daemon_runs_in_the_run_warehouse(published):
    home, _, outcome, instance = published
    database = home / "warehouse.duckdb"
    before = recent_runs(database, run_id=outcome.run_id)
    with duckdb.connect(str(database)) as con:
        con.execute("delete from ops.run_history where run_id = ?", [outcome.run_id])
    (success,) = instance.all_logs(outcome.run_id, of_type=dg.DagsterEventType.RUN_SUCCESS)
    run = instance.get_run_by_id(outcome.run_id)

    def sensor_sees(dagster_run: dg.DagsterRun):
        with dg.build_run_status_sensor_context(
            sensor_name="record_successful_run",
            dagster_instance=instance,
            dagster_run=dagster_run,
            dagster_event=success.dagster_event,
            resources={"warehouse": WarehouseResource()},
        ) as context:
            return record_successful_run(context)

    # `peixun run` recorded its run and sent the digest: a daemon sharing the home's instance leaves it alone
    assert run.tags[TRIGGER_TAG] == CLI_TRIGGER
    assert isinstance(sensor_sees(run), dg.SkipReason)
    assert recent_runs(database, run_id=outcome.run_id) == []
    # the same run as the scheduler launches it: the sensor records it
    sensor_sees(run.with_tags({**run.tags, TRIGGER_TAG: "schedule"}))
    assert recent_runs(database, run_id=outcome.run_id) == before


def test_peixun_status_prints_the_published_version_and_last_runs(published, capsys):
    home, _, outcome, _ = published
    assert main(["status", "--home", str(home), "--limit", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"published: {home / 'analytics.duckdb'} = {current_version(home)}"
    assert out[1].split()[2] == "success" and out[1].endswith(f"run {outcome.run_id[:8]}")


def test_status_says_when_a_run_holds_the_warehouse_and_table_still_answers(home_copy, capsys):
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); sys.stdin.read()",
            str(home_copy / "warehouse.duckdb"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "locked"
        assert main(["status", "--home", str(home_copy)]) == 75  # busy: try again later
        assert main(["table", "itp2_district_teachers", "--period", "2201", "--home", str(home_copy)]) == 0
    finally:
        writer.communicate("")
    out, err = capsys.readouterr()
    assert err == "peixun status: the warehouse is busy (a run is writing it); try again when it has finished\n"
    assert out.splitlines()[-3:] == [  # `peixun table` answers from the published version meanwhile
        "白云区,3,2,66.67%,2,1,33.33%,50.00%,2,2,66.67%,100.00%,2,1,33.33%,50.00%",
        "市直属,2,1,50.00%,0,0,0.00%,0.00%,1,0,0.00%,0.00%,0,0,0.00%,0.00%",
        "合计,5,3,60.00%,2,1,20.00%,33.33%,3,2,40.00%,66.67%,2,1,20.00%,33.33%",
    ]


def test_error_check_stops_publishing_and_the_previous_version_stays(published, tmp_path):
    home, raw, _, instance = published
    home = Path(shutil.copytree(home, tmp_path / "home"))
    raw = Path(shutil.copytree(raw, tmp_path / "raw"))
    before = current_version(home), [v.name for v in versions(home)]
    week = raw / "gz_city" / "2022-07-07"  # a course of a program no rule describes: an error-level dbt test fails
    write_csv(week, "teachers", [TEACHER])
    write_csv(week, "courses", [{**COURSE, "program": "未登记项目"}])
    write_csv(week, "enrollments", [ENROLLMENT])
    outcome = run_nightly_in(instance, raw, home)
    assert not outcome.success
    assert (current_version(home), [v.name for v in versions(home)]) == before
    assert query(home / "analytics.duckdb", "select version from docs.publication") == [(before[0],)]
    (run,) = recent_runs(home / "warehouse.duckdb", run_id=outcome.run_id)
    assert (run["status"], run["published_version"], run["files_loaded"]) == ("failure", None, 3)
    assert run["checks_failed"] >= 1 and run["failure_reason"]


def test_a_failing_dbt_test_is_named_and_peixun_table_keeps_answering_as_published(published, tmp_path, capsys):
    """A school fact of the vendor's export was doubled by hand in the warehouse, and the city re-delivers its
    enrollments (T1 passed C3). The night rebuilds the city's facts; the dbt grain test on the school facts fails
    (severity error). The reason names the test; `peixun table` answers what analysts have, the previous
    publication, not the warehouse's new numbers."""
    home, raw, _, instance = published
    home = Path(shutil.copytree(home, tmp_path / "home"))
    raw = Path(shutil.copytree(raw, tmp_path / "raw"))
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("insert into marts.fct_school_training select * from marts.fct_school_training "
                    "where export_date = '2022-09-19' limit 1")
    city = raw / "gz_city" / "2022-06-30"
    passed = {"enrolled_at": "2022-04-21", "progress": "100", "passed": "是", "hours_earned": "6",
              "passed_at": "2022-05-03"}
    write_csv(city, "enrollments", [  # as tests/scenario.py, and T1 passed C3
        {**ENROLLMENT, "enrollment_id": "E1", **passed},
        {**ENROLLMENT, "enrollment_id": "E2", "teacher_id": "T2", "enrolled_at": "2022-04-21", "progress": "50"},
        {**ENROLLMENT, "enrollment_id": "E3", "teacher_id": "T2", "course_id": "C2", **passed},
        {**ENROLLMENT, "enrollment_id": "E4", "course_id": "C3", **passed},
    ])
    before = current_version(home)
    outcome = run_nightly_in(instance, raw, home)
    assert not outcome.success and current_version(home) == before
    assert outcome.reason == "dbt test fct_school_training_grain fail: Got 1 result, configured to fail if != 0"
    (run,) = recent_runs(home / "warehouse.duckdb", run_id=outcome.run_id)
    assert run["failure_reason"] == outcome.reason
    assert main(["table", "regular_course_buckets", "--period", "2201", "--home", str(home)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "no_enrollments,选课人数为0,1"  # C3, as published
    rebuilt = query(home / "warehouse.duckdb", "select courses from reports.report_regular_course_buckets "
                    "where _period = '2201' and bucket = 'no_enrollments' order by _export_date desc limit 1")
    assert rebuilt == [(0,)]  # the warehouse moved on; analysts never saw it


def test_a_failed_publication_is_never_restored_and_its_leftovers_go(home_copy):
    second = publish_again(home_copy, "second-run").version
    (home_copy / "analytics.duckdb").unlink()
    (home_copy / "analytics.duckdb").mkdir()  # installing fails: the new version is built but never published
    with pytest.raises(IsADirectoryError):
        publish_again(home_copy, "failed-run")
    (failed,) = [p for p in (home_copy / "versions").glob("analytics-*-failed-r.duckdb")]
    (home_copy / "analytics.duckdb").rmdir()
    killed = home_copy / "versions" / "analytics-20991231T000000000000-killed00.duckdb.partial"
    killed.write_bytes(b"a build cut short")
    fourth = publish_again(home_copy, "fourth-run", keep=2).version
    assert not failed.exists() and not killed.exists()  # the next publication removed what the failed ones left
    assert [v.name for v in versions(home_copy)] == [second, fourth]
    assert main(["rollback", "--home", str(home_copy)]) == 0
    assert current_version(home_copy) == second
    assert query(home_copy / "analytics.duckdb", "select version from docs.publication") == [(second,)]


FORMULA = "=cmd|' /C calc'!A0"


def test_every_text_cell_stays_text_in_workbooks_and_csv(published, tmp_path):
    from openpyxl import load_workbook

    from dagster_project.defs.publish.tables import PublishedTable, to_csv
    from dagster_project.defs.publish.workbook import write_workbook

    home, *_ = published
    out = tmp_path / "teachers.xlsx"
    assert main(["table", "itp2_district_teachers", "--period", "2201", "--home", str(home), "--format", "xlsx",
                 "--out", str(out)]) == 0
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[3]][:4] == ["区域", "应参训人数", "参训人数", "参训率"]
    assert [(c.value, c.data_type, c.number_format) for c in sheet[4]][:4] == [
        ("白云区", "s", "General"), (3, "n", "0"), (2, "n", "0"), (2 / 3, "n", '[>1]"100.00%+";0.00%')]

    frame = pd.DataFrame({"course_name": [FORMULA, "@SUM(A1:A9)", "+1+1", "-", "常规课程1"],
                          "window": ["-5", "-5.00%", "2017-10-16..2017-10-26", "-", None], "courses": [1, 2, 3, -4, 5]})
    table = PublishedTable("t", "2201", "2022-09-19", None, frame, pd.DataFrame(index=frame.index))
    cells = [[(c.value, c.data_type) for c in row]
             for row in load_workbook(write_workbook(table, tmp_path / "f.xlsx")).active.iter_rows(min_row=4)]
    assert cells[0] == [(FORMULA, "s"), ("-5", "s"), (1, "n")]  # a string, never a formula
    assert [row[0] for row in cells[1:3]] == [("@SUM(A1:A9)", "s"), ("+1+1", "s")]
    assert to_csv(frame).splitlines() == [
        "course_name,window,courses",
        "'=cmd|' /C calc'!A0,-5,1",  # Excel would run it: defused
        "'@SUM(A1:A9),-5.00%,2",
        "'+1+1,2017-10-16..2017-10-26,3",
        "-,-,-4",  # a lone dash and numbers stay as published
        "常规课程1,,5",
    ]


SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")  # runnable by any user


@pytest.mark.skipif(os.geteuid() != 0 or not SYSTEM_PYTHON.exists(),
                    reason="needs root to act as an analyst, another user id, and a Python that user may run")
def test_the_analysts_group_reads_analytics_duckdb_and_nothing_else(published):
    """An analyst (another user, in PEIXUN_ANALYSTS_GROUP) opens analytics.duckdb with DuckDB; the home does not
    list, and neither the warehouse (its quarantine keeps raw rows) nor the versions open."""
    import grp

    from dagster_project.lib.home import prepare_home

    home, *_ = published
    users = grp.getgrnam("users").gr_gid
    outside = Path(tempfile.mkdtemp(prefix="peixun-analysts-"))  # pytest's folders are private to root
    os.chmod(outside, 0o755)
    try:
        copy = Path(shutil.copytree(home, outside / "home"))
        prepare_home(copy, "users")
        version = publish_again(copy, "group-run", analysts_group="users").version
        modes = {p.name: (oct(p.stat().st_mode & 0o777), p.stat().st_gid) for p in
                 (copy, copy / "analytics.duckdb", copy / "warehouse.duckdb", copy / "versions")}
        assert modes == {"home": ("0o710", users), "analytics.duckdb": ("0o640", users),
                         "warehouse.duckdb": ("0o600", 0), "versions": ("0o700", 0)}
        analyst = textwrap.dedent("""
            import os, sys, duckdb
            home = sys.argv[1]
            version = duckdb.connect(home + "/analytics.duckdb", read_only=True).execute(
                "select version from docs.publication").fetchone()[0]
            denied = 0
            for attempt in (lambda: os.listdir(home), lambda: open(home + "/warehouse.duckdb", "rb"),
                            lambda: os.listdir(home + "/versions"), lambda: open(home + "/run.lock")):
                try:
                    attempt()
                except PermissionError:
                    denied += 1
            print(os.getuid(), version, denied)
        """)
        as_analyst = subprocess.run(
            [str(SYSTEM_PYTHON), "-c", analyst, str(copy)], capture_output=True, text=True,
            env={"PYTHONPATH": str(Path(duckdb.__file__).parents[1])},  # this environment's DuckDB
            preexec_fn=lambda: (os.setgroups([users]), os.setgid(users), os.setuid(65534)))
        assert as_analyst.stdout.split() == ["65534", version, "4"], as_analyst.stderr
    finally:
        shutil.rmtree(outside)
