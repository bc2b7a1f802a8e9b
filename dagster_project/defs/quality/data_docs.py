"""The Data Docs of a run: one self-contained page, `<home>/data_docs/index.html`, in Chinese.

Great Expectations' own Data Docs load their CSS and JavaScript from CDNs, so in an office
without internet they open blank. This page is ours instead: built from the run's rows of
quality.check_results, with its style inline, no script and no external address of any kind,
so it opens from the file anywhere. Every check of the run is on it, failures first (errors,
then warnings): title, severity, passed or not, the table and its suite's expectations, and
every file, district, course or report cell it found, each with its message.
"""

from __future__ import annotations

import datetime as dt
import shutil
from html import escape
from pathlib import Path

import duckdb

from dagster_project.defs.quality.policy import Severity
from dagster_project.defs.quality.results import CheckOutcome, Subject, load
from dagster_project.defs.quality.suites import suite_json

SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARN: "警告"}
SUBJECT_COLUMNS = ("column", "column_A", "column_B")
# The grain of a finding (its subject columns, the expectation's meta.subject), as the page names it.
GRAIN_ZH = {"source_name": "来源", "entity": "文件", "export_date": "导出日期", "program": "项目", "period": "期次",
            "district": "区域", "school_ownership": "学校性质", "course_id": "课程编号", "value": "名称",
            "measure": "指标", "school_id": "学校编号", "group_id": "教研组编号", "activity_id": "活动编号",
            "teacher_id": "教师编号", "attribute": "属性", "report": "报表", "program_code": "项目代码",
            "school_year": "学年度", "city": "设区市", "role": "阶段", "origin": "来源报告", "item": "评价项目",
            "metric": "指标名称", "claimed_value": "报告值", "rule": "核对方式"}

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 2em auto; max-width: 60em; padding: 0 1em; color: #1f2328; line-height: 1.5; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #d0d7de; }
.meta, .legend { color: #57606a; font-size: 0.9em; }
.summary { display: flex; gap: 1em; flex-wrap: wrap; margin: 1em 0; }
.summary div { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.4em 0.9em; }
.check { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 6px; margin: 0.8em 0;
         padding: 0.5em 1em; }
.check.fail.error { border-left-color: #cf222e; }
.check.fail.warn { border-left-color: #bf8700; }
.check.pass { border-left-color: #1a7f37; }
.check h3 { font-size: 1em; margin: 0.2em 0; }
.badge { display: inline-block; border-radius: 1em; padding: 0 0.6em; font-size: 0.85em; margin-right: 0.4em;
         color: #fff; }
.badge.error { background: #cf222e; } .badge.warn { background: #9a6700; } .badge.pass { background: #1a7f37; }
.badge.fail { background: #57606a; }
.facts { font-size: 0.88em; color: #57606a; }
ul.subjects { margin: 0.4em 0; }
.grain { color: #57606a; font-size: 0.85em; }
code { font-size: 0.9em; }
"""


def data_docs_index(home: Path) -> Path:
    """Where a run's Data Docs page is written (static HTML, opens offline)."""
    return home / "data_docs" / "index.html"


def write_data_docs(con: duckdb.DuckDBPyConnection, home: Path, run_id: str) -> Path:
    """Write the page of the run's check outcomes (all steps so far) to data_docs_index(home); returns its path."""
    outcomes = load(con, run_id)
    (checked_at,) = con.execute(
        "select max(checked_at) from quality.check_results where run_id = ?", [run_id]
    ).fetchone() if outcomes else (None,)
    path = data_docs_index(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(".html.tmp")
    staged.write_text(render(run_id, checked_at, outcomes), encoding="utf-8")
    staged.replace(path)  # readers never see half a page
    _drop_gx_site(home)
    return path


def _drop_gx_site(home: Path) -> None:
    """What Great Expectations' own Data Docs left in a home from before this page: its site, its results."""
    for stale in data_docs_index(home).parent.iterdir():
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.name != "index.html":
            stale.unlink()
    shutil.rmtree(home / "quality" / "gx_results", ignore_errors=True)


def render(run_id: str, checked_at: dt.datetime | None, outcomes: list[CheckOutcome]) -> str:
    """The page, as HTML text."""
    failed = [o for o in outcomes if not o.passed]
    errors = [o for o in failed if o.severity is Severity.ERROR]
    warnings = [o for o in failed if o.severity is Severity.WARN]
    passed = [o for o in outcomes if o.passed]
    when = f"{checked_at:%Y-%m-%d %H:%M:%S}" if checked_at else "—"
    sections = [
        _section("错误（阻止发布）", errors, open_=True),
        _section("警告（仅报告，不阻止发布）", warnings, open_=True),
        _section("通过的检查", passed, open_=False),
    ]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>数据质量检查 · 运行 {escape(run_id)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>教师培训数据 · 数据质量检查</h1>",
        f'<p class="meta">运行编号 {escape(run_id)} · 检查时间 {when}</p>',
        '<div class="summary">',
        f"<div>检查 {len(outcomes)} 项</div>",
        f"<div>通过 {len(passed)} 项</div>",
        f"<div>错误 {len(errors)} 项（{sum(o.unexpected_count for o in errors)} 处）</div>",
        f"<div>警告 {len(warnings)} 项（{sum(o.unexpected_count for o in warnings)} 处）</div>",
        "</div>",
        '<p class="legend">严重级别见 config/quality.yml：错误（ERROR）阻止发布，分析库保持上一版本；'
        "警告（WARN）只在夜间摘要和本页报告。每项检查由 expectations/ 下的 Great Expectations 套件定义。</p>",
        *(sections if outcomes else ["<p>本次运行没有执行数据质量检查。</p>"]),
        "</body>",
        "</html>",
        "",
    ])


def _section(heading: str, outcomes: list[CheckOutcome], open_: bool) -> str:
    if not outcomes:
        return f"<h2>{heading}</h2>\n<p>无。</p>"
    body = "\n".join(_check(o) for o in outcomes)
    return (f"<h2>{heading}（{len(outcomes)} 项）</h2>\n<details{' open' if open_ else ''}>"
            f"<summary>展开 / 收起</summary>\n{body}\n</details>")


def _check(outcome: CheckOutcome) -> str:
    severity = outcome.severity.name.lower()
    state = "pass" if outcome.passed else "fail"
    badges = (f'<span class="badge {severity}">{SEVERITY_ZH[outcome.severity]}（{outcome.severity.value}）</span>'
              f'<span class="badge {state}">{"通过" if outcome.passed else "未通过"}</span>')
    expectations = "；".join(_expectations(outcome)) or "—"
    facts = (f'<div class="facts">表 <code>{escape(outcome.table)}</code> · 检查 <code>{escape(outcome.check)}</code>'
             f" · 套件 <code>expectations/{escape(outcome.suite)}.json</code> · 期望：{expectations}</div>")
    found = ""
    if outcome.subjects:
        items = "\n".join(f'<li><span class="finding">{escape(subject.message)}</span>{_grain(subject)}</li>'
                           for subject in outcome.subjects)
        found = f"<p>发现 {outcome.unexpected_count} 处：</p>\n<ul class=\"subjects\">\n{items}\n</ul>"
    return (f'<div class="check {state} {severity}">\n<h3>{badges}{escape(outcome.title)}</h3>\n'
            f"{facts}\n{found}\n</div>")


def _grain(subject: Subject) -> str:
    """` （来源 gz_city · 课程编号 C3）`: the file, district or course the finding is about, by its subject columns."""
    if not subject.names:
        return ""
    named = " · ".join(f"{GRAIN_ZH.get(column, column)} {value}" for column, value in subject.names.items())
    return f' <span class="grain">（{escape(named)}）</span>'


def _expectations(outcome: CheckOutcome) -> list[str]:
    """The expectations of the check in its suite: type and the columns they test."""
    lines = []
    for expectation in suite_json(outcome.suite)["expectations"]:
        if expectation["meta"]["check"] != outcome.check:
            continue
        columns = [expectation["kwargs"][k] for k in SUBJECT_COLUMNS if k in expectation["kwargs"]]
        lines.append(f"<code>{escape(expectation['type'])}</code>"
                     + (f"（{escape(', '.join(map(str, columns)))}）" if columns else ""))
    return lines
