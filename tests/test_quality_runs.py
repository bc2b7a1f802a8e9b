"""A run's checks are kept in the warehouse and in Data Docs, and its digest tells new from continuing."""

from __future__ import annotations

import json
import subprocess

import duckdb

from dagster_project.defs.dbt.resource import compiled_sql
from dagster_project.defs.operations.alerts import send_run_digest
from dagster_project.defs.quality.data_docs import data_docs_index
from dagster_project.defs.quality.frames import create_views, frame_of
from dagster_project.defs.quality.policy import load_quality_config
from dagster_project.defs.quality.results import blocking_errors
from dagster_project.defs.quality.runner import run_suites
from dagster_project.defs.quality.suites import suite_names
from dagster_project.project import dbt_project
from dagster_project.settings import REPO_ROOT
from tests.alert_servers import robot_server, smtp_server
from tests.quality_warehouse import ITP2, NOW, clean_warehouse

CONFIG = load_quality_config()
OVER_HEADCOUNT = "能力提升工程2.0 2201 从化区 参训率 101.65%（8644 / 8504），其中 140 名参训教师不在冻结名册内"


def test_outcomes_go_to_the_warehouse_and_data_docs_into_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    con = clean_warehouse(home / "warehouse.duckdb")
    con.execute(f"update marts.fct_district_training set participants = 8644 where program = '{ITP2}' "
                "and district = '从化区' and export_date = '2022-09-19'")
    con.execute("update reports.report_itp2_district_teachers set participants = 1 where district = '合计'")
    run_suites(con, home, "run-1", suite_names(), CONFIG, NOW)
    rows = con.execute("select table_name, check_name, severity, passed, unexpected_count, details "
                       "from quality.check_results where run_id = 'run-1' and not passed order by 1, 2").fetchall()
    con.close()
    assert [r[:5] for r in rows] == [
        ("marts.fct_district_training", "headcount_rate_over_100", "WARN", False, 1),
        ("reports.report_itp2_district_teachers", "report_totals", "ERROR", False, 1),
    ]
    (subject,) = json.loads(rows[0][5])["subjects"]
    assert subject["message"] == OVER_HEADCOUNT
    assert subject["subject"] == {"program": ITP2, "period": "2201", "district": "从化区", "school_ownership": "全部"}
    assert blocking_errors(home / "warehouse.duckdb", "run-1") == [
        "报表合计行不等于各行之和 (reports.report_itp2_district_teachers)"]
    index = data_docs_index(home).read_text(encoding="utf-8")
    assert "qa.qa_district_training" in index and "qa.qa_report_totals" in index
    # a failing row is named by its message and its grain (the subject columns), never by a row number
    assert [p.name for p in data_docs_index(home).parent.iterdir()] == ["index.html"]  # one page, nothing else
    assert (f'<span class="finding">{OVER_HEADCOUNT}</span> '
            f'<span class="grain">（项目 {ITP2} · 期次 2201 · 区域 从化区 · 学校性质 全部）</span>') in index
    untracked = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=REPO_ROOT,
                               capture_output=True, text=True, check=True).stdout
    assert "uncommitted/" not in untracked and "great_expectations.yml" not in untracked


def test_a_warning_repeated_the_next_night_is_continuing(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    con = clean_warehouse(home / "warehouse.duckdb")
    con.execute(f"update marts.fct_district_training set participants = 8644 where program = '{ITP2}' "
                "and district = '从化区' and export_date = '2022-09-19'")
    for run_id in ("night-1", "night-2"):
        run_suites(con, home, run_id, suite_names(), CONFIG, NOW)
    con.close()
    with smtp_server() as (port, inbox), robot_server() as robots:
        env = {"PEIXUN_SMTP_HOST": "127.0.0.1", "PEIXUN_SMTP_PORT": str(port),
               "PEIXUN_ALERT_EMAIL_TO": "office@example.cn", "PEIXUN_WEBHOOK_URLS": "feishu:" + robots.url("/hook")}
        first, _ = send_run_digest(home, "night-1", env=env, now=NOW)
        second, deliveries = send_run_digest(home, "night-2", env=env, now=NOW)
    assert all(d.ok for d in deliveries)
    assert f"  - [新] {OVER_HEADCOUNT}" in first.text
    assert f"  - [持续] {OVER_HEADCOUNT}" in second.text and "1 项警告（其中 1 项持续）" in second.text
    assert [m.get_content().strip() for m in inbox.messages] == [first.text, second.text]
    assert [payload["content"]["text"] for _, payload in robots.received] == [first.text, second.text]
    assert f"数据文档：{data_docs_index(home)}" in second.text


def test_an_unreadable_export_is_an_error_of_the_digest(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    con = clean_warehouse(home / "warehouse.duckdb")
    con.execute("insert into ingest.load_manifest (load_id, run_id, source_name, source_file, status, message, "
                "loaded_at) values ('x', 'night-1', 'vendor_jjw', '/raw/vendor_jjw/2022-09-19/工作坊.xlsx', 'failed', "
                "'工作坊.xlsx: line 2: unknown dialect', '2022-07-01 02:00')")
    con.close()
    digest, deliveries = send_run_digest(home, "night-1", env={}, now=NOW)
    assert deliveries == []
    assert digest.text.splitlines()[1:6] == [
        "结论：1 项错误。", "导入：没有新的导出文件。", "错误：", "● 导出文件无法读取（1）",
        "  - [新] 工作坊.xlsx: line 2: unknown dialect"]


def test_the_ingest_checks_create_their_frame_from_the_sql_dbt_compiled(tmp_path):
    database = tmp_path / "warehouse.duckdb"
    with clean_warehouse(database) as con:
        con.execute("drop view qa.qa_export_units")
    frame = frame_of("qa.qa_export_units")
    assert frame.before_dbt
    with duckdb.connect(str(database)) as con:
        assert create_views(con, [frame]) == ["qa_export_units"]
        assert con.execute("select count(*) from qa.qa_export_units").fetchone() == (4,)
        assert create_views(con, [frame]) == ["qa_export_units"]  # replaced, as dbt would
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    prepared = manifest["nodes"]["model.peixun.qa_export_units"]["compiled_code"]
    assert '"warehouse"."landing".' in prepared

    # a manifest of a bare `dbt parse` (dagster dev, prepare-and-package) holds no compiled SQL: dbt compiles it
    for node in manifest["nodes"].values():
        node.pop("compiled_code", None)
    parsed = tmp_path / "manifest.json"
    parsed.write_text(json.dumps(manifest), encoding="utf-8")
    assert compiled_sql(["qa_export_units"], parsed) == {"qa_export_units": prepared}
