"""Every page the project writes opens in a browser with no network: the Data Docs of a run and `make docs`.

The browser is a real headless chromium (tests/browser.py) whose every request would fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from html import escape

import duckdb
import pytest

from dagster_project.defs.operations.run_history import recent_runs
from dagster_project.defs.quality.data_docs import GRAIN_ZH, data_docs_index, render, write_data_docs
from dagster_project.defs.quality.policy import Severity
from dagster_project.defs.quality.results import CheckOutcome, Subject, load, save
from dagster_project.settings import REPO_ROOT
from tests.browser import offline_dom, offline_pdf

EXTERNAL = re.compile(r"(?i)(https?:|ftp:|//[a-z0-9.-]+\.[a-z]{2,}/|<script|<link|<iframe|<img|@import|url\()")


def test_data_docs_open_offline_with_every_check_and_every_finding(sample_home, tmp_path):
    page = data_docs_index(sample_home)
    html = page.read_text(encoding="utf-8")
    assert EXTERNAL.search(html) is None  # no address of any kind, nothing to fetch: style inline, no script
    (run,) = recent_runs(sample_home / "warehouse.duckdb", limit=1)
    with duckdb.connect(str(sample_home / "warehouse.duckdb"), read_only=True) as con:
        outcomes = load(con, run["run_id"])
    dom = offline_dom(page, tmp_path / "profile")
    assert f"运行编号 {run['run_id']}" in dom
    failed = [o for o in outcomes if not o.passed]
    assert failed and all(o.severity is Severity.WARN for o in failed)  # the sample warns, nothing blocks
    for outcome in outcomes:
        assert escape(outcome.title) in dom and f"<code>{escape(outcome.table)}</code>" in dom
    # Each finding is named by its file, district or course (the message, then its grain), never by a frame row index.
    findings = re.findall(r'<li><span class="finding">(.*?)</span>(.*?)</li>', dom)
    assert sorted(message for message, _ in findings) == sorted(escape(s.message) for o in failed for s in o.subjects)
    grains = {escape(s.message): s.names for o in failed for s in o.subjects}
    for message, grain in findings:  # and its grain: the subject columns of quality.check_results, in Chinese
        named = " · ".join(f"{GRAIN_ZH[column]} {value}" for column, value in grains[message].items())
        assert grains[message] and grain == f' <span class="grain">（{escape(named)}）</span>'
    assert any("课程编号 " in grain for _, grain in findings)  # the sample's courses nobody chose, by course id
    warned = sum(o.unexpected_count for o in failed)
    assert f"警告 {len(failed)} 项（{warned} 处）" in dom and "错误 0 项（0 处）" in dom


def test_data_docs_print_in_chinese(sample_home, tmp_path):
    text = offline_pdf(data_docs_index(sample_home), tmp_path / "profile", tmp_path / "data_docs.pdf")
    assert "教师培训数据 · 数据质量检查" in text and "无人选课的课程" in text


def test_data_docs_show_a_finding_as_text_never_as_markup():
    hostile = "课程 <script>alert(1)</script> & 「数学」"
    outcome = CheckOutcome("qa.qa_course_training", "marts.fct_course_training", "zero_enrollment_courses",
                           "无人选课的课程", Severity.WARN, (Subject("f1", hostile),))
    page = render("run-1", dt.datetime(2022, 9, 20, 2, 0), [outcome])
    assert f'<li><span class="finding">{escape(hostile)}</span></li>' in page and "<script>" not in page
    assert "警告（WARN）" in page and "expect_column_values_to_be_in_set" in page


def test_the_page_replaces_what_great_expectations_left_in_a_home(tmp_path):
    home = tmp_path / "home"
    for stale in ("data_docs/static/styles/data_docs_default_styles.css", "data_docs/validations/x.html",
                  "quality/gx_results/run-0/x.json"):
        (home / stale).parent.mkdir(parents=True, exist_ok=True)
        (home / stale).write_text("old", encoding="utf-8")
    outcome = CheckOutcome("qa.qa_course_training", "marts.fct_course_training", "zero_enrollment_courses",
                           "无人选课的课程", Severity.WARN,
                           (Subject("f1", "课程 C3：无人选课", {"source_name": "gz_city", "course_id": "C3"}),))
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        save(con, "run-1", [outcome], dt.datetime(2022, 9, 20, 2, 0))
        page = write_data_docs(con, home, "run-1")
    assert page == data_docs_index(home) and [p.name for p in page.parent.iterdir()] == ["index.html"]
    assert not (home / "quality" / "gx_results").exists()
    finding = '<span class="finding">课程 C3：无人选课</span> <span class="grain">（来源 gz_city · 课程编号 C3）</span>'
    assert finding in page.read_text(encoding="utf-8")


def test_the_status_line_counts_the_warnings_the_digest_counts(sample_home):
    (run,) = recent_runs(sample_home / "warehouse.duckdb", limit=1)
    with duckdb.connect(str(sample_home / "warehouse.duckdb"), read_only=True) as con:
        (subject,) = con.execute("select subject from quality.digests where run_id = ?", [run["run_id"]]).fetchone()
        (findings,) = con.execute("select sum(unexpected_count) from quality.check_results "
                                  "where run_id = ? and severity = 'WARN' and not passed", [run["run_id"]]).fetchone()
    assert subject.endswith(f"：{findings} 项警告")
    assert run["checks_warned"] == findings  # not the WARN checks, nor dbt's tests that warned


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_docs_opens_offline(sample_home, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(sample_home / "warehouse.duckdb", home / "warehouse.duckdb")
    venv = sys.prefix  # the environment running the tests stands in for .venv; make must not reinstall it
    subprocess.run(["make", "--no-print-directory", "-o", f"{venv}/.installed-stamp", "docs", f"VENV={venv}",
                    f"PEIXUN_HOME={home}"], cwd=REPO_ROOT, check=True, capture_output=True)
    page = home / "dbt_docs" / "static_index.html"
    dom = offline_dom(page, tmp_path / "profile", "#!/model/model.peixun.fct_district_training", wait_ms=20000)
    assert "fct_district_training" in dom
    assert "Grain." in dom and "participation_rate" in dom  # the model's description and columns rendered


def test_every_grain_column_of_the_suites_has_a_chinese_name():
    """A finding is named by its grain in Chinese (GRAIN_ZH); a suite's subject column without a name would
    print its English column name, and the offline page test, which needs chromium, would be the only one to see it."""
    subjects: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            subjects.update(node["subject"] if isinstance(node.get("subject"), list) else [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((REPO_ROOT / "expectations").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    assert {"program_code", "school_year", "activity_id"} <= subjects
    assert sorted(subjects - set(GRAIN_ZH)) == []
