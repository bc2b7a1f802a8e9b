"""Every ```sql block of docs/analysts.md runs against a published analytics.duckdb; a few give worked answers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import fastexcel
import pytest

from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.settings import REPO_ROOT
from tests.exports import headers, write_xlsx
from tests.scenario import write_scenario

GUIDE = REPO_ROOT / "docs" / "analysts.md"
QUERIES = re.findall(r"```sql\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)


def add_second_week(raw: Path) -> None:
    """vendor_jjw one week later: V3 has paid for K1 and started it (progress 10%), nothing else changed."""
    week1, week2 = raw / "vendor_jjw" / "2022-09-19", raw / "vendor_jjw" / "2022-09-26"
    shutil.copytree(week1, week2)
    canonical = {zh: column for column, zh in headers("vendor", "enrollments").items()}
    sheet = fastexcel.read_excel(week1 / "选课记录.xlsx").load_sheet(0, header_row=1, dtypes="string")
    rows = [{canonical[k]: v or "" for k, v in r.items()} for r in sheet.to_arrow().to_pylist() if any(r.values())]
    for row in rows:
        if row["enrollment_id"] == "O3-1":
            row.update(paid="已支付", progress="10%")
    (week2 / "选课记录.xlsx").unlink()
    write_xlsx(week2, "enrollments", rows)


@pytest.fixture(scope="module")
def analytics(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("analysts")
    raw = write_scenario(root / "raw")
    add_second_week(raw)
    outcome = run_nightly(raw, root / "home")
    assert outcome.success, outcome.reason
    return root / "home" / "analytics.duckdb"


def answer(analytics: Path, title: str) -> list[tuple]:
    """Run the guide's query whose first line (a `-- title` comment) contains `title`."""
    (sql,) = [q for q in QUERIES if title in q.splitlines()[0]]
    with duckdb.connect(str(analytics), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_guide_has_at_least_ten_queries_each_with_a_title():
    assert len(QUERIES) >= 10
    assert all(q.startswith("-- ") for q in QUERIES)


@pytest.mark.parametrize("sql", QUERIES, ids=[q.splitlines()[0].removeprefix("-- ") for q in QUERIES])
def test_every_query_runs(analytics, sql):
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute(sql).description


def test_participation_by_district_as_of_a_date(analytics):
    # As of 2022-09-30 the latest export is 09-26; 白云区: V1, V2 logged in of 3 expected, V1 completed.
    assert answer(analytics, "各区参训率") == [
        ("白云区", 3, 2, 66.67, 1, 50.0),
        ("市直属", 2, 1, 50.0, 0, 0.0),
    ]


def test_slowest_schools(analytics):
    # 二中 (V3 took part, completed nothing) before 一小 (V1 of V1, V2 completed).
    assert answer(analytics, "进度最慢") == [
        ("S2", "二中", "市直属", "民办", 1, 0, 0.0),
        ("S1", "一小", "白云区", "公办", 2, 1, 50.0),
    ]


def test_subjects_whose_completion_fell_week_over_week(analytics):
    # 信息技术: 1 of 2 learning completed on 09-19; V3 started learning by 09-26, so 1 of 3.
    ((subject, last, this, last_pct, this_pct, change),) = answer(analytics, "周环比")
    assert (subject, str(last), str(this), last_pct, this_pct, change) == (
        "信息技术",
        "2022-09-19",
        "2022-09-26",
        50.0,
        33.33,
        -16.67,
    )


def test_courses_without_enrollments(analytics):
    assert [(program, course) for program, _, _, course, *_ in answer(analytics, "无人选课")] == [
        ("市常规远程培训", "C3")
    ]


def test_private_school_progress(analytics):
    assert answer(analytics, "民办学校进度") == [
        ("市直属", "民办", 1, 1, 1, 0, 0.0, 1, 0.0),
        ("白云区", "公办", 2, 2, 2, 1, 50.0, 19, 89.47),
    ]
