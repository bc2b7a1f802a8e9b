"""The warehouse reproduces the published bulletins from record-level exports.

The calibrated generator writes city-scale exports whose aggregates are the published
Guangzhou tables (data/reference/, copied from the bulletins); the whole nightly job then
has to print those tables cell for cell. City scale takes minutes, so it is marked slow
(`make test-slow`); the bundled sample is checked the same way against its own scaled
targets in the default suite.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from peixun_generator import calibration_targets, generate

from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.defs.publish.tables import published_table, to_csv

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "data" / "reference"
CITY_CACHE = Path(os.environ.get("PEIXUN_CITY_CACHE", REPO / "benchmarks" / ".cache" / "city"))


def reference(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / f"{name}.csv", dtype=str, keep_default_na=False)


def corrected_itp2_teachers() -> pd.DataFrame:
    """The published ITP 2.0 teacher table with its one inconsistent cell mended.

    从化区's participants are printed as 8344, but its own 按实参训 rates (8278 / 8644 = 95.77%,
    8188 / 8644 = 94.72%, 8131 / 8644 = 94.07%) and the 合计 row (163825, which the other rows
    reach only with 8644) all imply 8644. With 8644 the participation rate is 8644 / 8504 =
    101.65%, which a published-style table prints as 100.00%+.
    """
    table = reference("gz_2201_itp2_district_teachers")
    row = table["district"] == "从化区"
    table.loc[row, "participants"] = "8644"
    table.loc[row, "participation_rate"] = "100.00%+"
    return table


def as_csv(frame: pd.DataFrame) -> list[str]:
    return to_csv(frame).splitlines()


@pytest.fixture(scope="module")
def city_home(tmp_path_factory):
    if not (CITY_CACHE / "vendor_jjw").exists():
        generate("city", CITY_CACHE, seed=2201)
    home = tmp_path_factory.mktemp("city_home")
    outcome = run_nightly(CITY_CACHE, home)
    assert outcome.success, outcome.reason
    return home


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "period", "expected"),
    [
        ("itp2_district_teachers", "2201", corrected_itp2_teachers),
        ("itp2_district_enrollments", "2201", lambda: reference("gz_2201_itp2_district_enrollments")),
        ("itp1_subject", "1702", lambda: reference("gz_1702_itp1_subject")),
        ("itp1_community", "1702", lambda: reference("gz_1702_itp1_community")),
        ("itp1_district_progress", "ALL", lambda: reference("gz_ALL_itp1_district_progress")),
    ],
)
def test_city_scale_prints_the_published_tables(city_home, name, period, expected):
    got = published_table(city_home / "warehouse.duckdb", name, period)
    assert as_csv(got) == as_csv(expected())


@pytest.mark.slow
def test_city_scale_assessment_table_has_the_published_rows(city_home):
    """Same rows as published; within a window the bulletin lists districts in an order of its own."""
    got = published_table(city_home / "warehouse.duckdb", "itp1_assessment", "ALL")
    assert sorted(as_csv(got)[1:]) == sorted(as_csv(reference("gz_ALL_itp1_assessment"))[1:])


@pytest.mark.slow
def test_city_scale_regular_training_figures(city_home):
    with duckdb.connect(str(city_home / "warehouse.duckdb"), read_only=True) as con:
        headline = con.execute(
            "select expected_teachers, participants, participation_rate, enrollments_paid, enrollments_learning,"
            " learning_rate, pass_rate, courses_offered, courses_without_enrollments, courses_with_tutor,"
            " distinct_tutors from reports.report_program_headlines where program = '市常规远程培训'"
            " qualify _export_date = max(_export_date) over ()"
        ).fetchall()
        shares = dict(con.execute(
            "select level, round(share * 100, 2) from marts.fct_tutor_satisfaction"
            " qualify export_date = max(export_date) over ()").fetchall())
    assert headline == [(168314, 163956, "97.41%", 1163976, 1141262, "98.05%", "97.72%", 880, 3, 261, 269)]
    assert shares == {
        "很满意": 58.92, "满意": 32.05, "一般": 7.87, "不满意": 0.67, "很不满意": 0.39, "无辅导教师": 0.11}
    buckets = published_table(city_home / "warehouse.duckdb", "regular_course_buckets", "2201")
    assert dict(zip(buckets.bucket, buckets.courses, strict=True)) == {
        "ge_90": 779, "80_90": 91, "70_80": 2, "60_70": 4, "lt_60": 1, "no_enrollments": 3}


SAMPLE_TABLES = [
    ("itp2_district_teachers", "2201", ["district"]),
    ("itp2_district_enrollments", "2201", ["district"]),
    ("itp1_subject", "1702", ["subject"]),
    ("itp1_community", "1702", ["community"]),
    ("itp1_district_progress", "ALL", ["district"]),
    ("itp1_assessment", "ALL", ["district", "window"]),
]


@pytest.mark.parametrize(("name", "period", "key"), SAMPLE_TABLES)
def test_bundled_sample_reproduces_its_calibration_targets(sample_home, name, period, key):
    """The sample is the city calibration scaled down; the job must reproduce its targets exactly."""
    want = calibration_targets("sample")[name]
    counts = [c for c in want.columns if c not in key]
    got = published_table(sample_home / "warehouse.duckdb", name, period)
    is_total = got[key[0]].isin(["合计", "总计"])
    got_rows = got[~is_total].set_index(key)[counts].astype("int64").sort_index()
    want_rows = want.replace({"市直属": "市直属学校"} if name == "itp1_district_progress" else {})
    want_rows = want_rows.set_index(key)[counts].astype("int64").sort_index()
    pd.testing.assert_frame_equal(got_rows, want_rows, check_names=False)
    if is_total.any():
        assert got[is_total][counts].astype("int64").iloc[0].tolist() == want_rows.sum().tolist()
