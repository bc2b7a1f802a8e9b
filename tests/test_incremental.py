"""A new export date is built incrementally: earlier dates are kept as they were, not rebuilt."""

from __future__ import annotations

import shutil

import duckdb

from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.defs.publish.tables import published_table
from tests.exports import write_xlsx
from tests.scenario import itp2_enrollments, write_scenario


def test_new_export_date_builds_only_that_date(tmp_path):
    raw = write_scenario(tmp_path / "raw")
    home = tmp_path / "home"
    assert run_nightly(raw, home).success
    database = home / "warehouse.duckdb"

    def built(con, export_date: str) -> tuple:
        return con.execute(
            "select max(manifest_watermark), count(*), sum(enrollments_paid) "
            "from intermediate.int_teacher_periods_evaluated where export_date = ?", [export_date]).fetchall()[0]

    def teacher_versions(con) -> dict:
        return {source: (versions, watermark) for source, versions, watermark in con.execute(
            "select source_name, count(*), max(manifest_watermark) from marts.dim_teacher group by 1").fetchall()}

    with duckdb.connect(str(database), read_only=True) as con:
        first_build = built(con, "2022-09-19")
        first_versions = teacher_versions(con)
        first_facts = con.execute(
            "select * from marts.fct_district_training where export_date = '2022-09-19' order by all").fetchall()

    # A week later the vendor exports again: V3 has now paid for and passed one course.
    later = raw / "vendor_jjw" / "2022-09-26"
    shutil.copytree(raw / "vendor_jjw" / "2022-09-19", later)
    grown = [row for row in itp2_enrollments() if row["enrollment_id"] != "O3-1"] + [
        {"enrollment_id": "O3-1", "teacher_id": "V3", "course_id": "K1", "period": "2201", "enrolled_at": "2022/4/22",
         "paid": "已支付", "progress": "100%", "passed": "通过", "hours_earned": 3}]
    write_xlsx(later, "enrollments", grown)
    assert run_nightly(raw, home).success

    with duckdb.connect(str(database), read_only=True) as con:
        assert built(con, "2022-09-19") == first_build  # not rebuilt
        assert built(con, "2022-09-26")[1:] == (first_build[1], first_build[2] + 1)  # V3's newly paid course
        assert con.execute(
            "select * from marts.fct_district_training where export_date = '2022-09-19' order by all"
        ).fetchall() == first_facts
        versions = teacher_versions(con)  # only the vendor's teacher history is rebuilt, to the same versions
        assert versions["gz_city"] == first_versions["gz_city"]
        assert versions["vendor_jjw"][0] == first_versions["vendor_jjw"][0]
        assert versions["vendor_jjw"][1] > first_versions["vendor_jjw"][1]
    latest = published_table(database, "itp2_district_enrollments", "2201")
    assert latest.set_index("district").loc["市直属", "enrollments_paid"] == 1
    earlier = published_table(database, "itp2_district_enrollments", "2201", as_of="2022-09-19")
    assert earlier.set_index("district").loc["白云区", "enrollments_paid"] == 19


def test_backfill_reloads_a_date_range_and_rebuilds_only_those_dates(tmp_path):
    raw = write_scenario(tmp_path / "raw")
    home = tmp_path / "home"
    assert run_nightly(raw, home).success
    database = home / "warehouse.duckdb"

    def loads() -> dict:
        with duckdb.connect(str(database), read_only=True) as con:
            return dict(con.execute(
                "select source_name, max(loaded_at) from ingest.load_manifest where status = 'loaded' group by 1"
            ).fetchall())

    before = loads()
    assert run_nightly(raw, home, backfill=("2022-09-01", "2022-09-30")).success
    after = loads()
    assert after["vendor_jjw"] > before["vendor_jjw"]  # loaded again although unchanged
    assert after["gz_city"] == before["gz_city"] and after["bureau"] == before["bureau"]
    assert published_table(database, "itp2_district_enrollments", "2201").iloc[-1].tolist() == [
        "合计", 19, 18, "94.74%", 17, "89.47%"]
