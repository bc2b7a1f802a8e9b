"""A file mostly quarantined is a format change: rejected whole; an earlier delivery stays in force."""

from __future__ import annotations

import shutil
from pathlib import Path

from dagster_project.defs.ingest.assets import load_line
from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.ingest.exports import ingest_exports
from tests.conftest import SALT
from tests.exports import write_csv
from tests.test_ingest import ENROLLMENT, rows
from tests.test_ingest_values import config_root, edit_yaml  # noqa: F401 (a fixture)

TUTOR = {"tutor_id": "D1", "district": "白云区", "course_id": "C1", "class_id": "C1-01"}


def enrollments(count: int, bad: int, bad_value: dict | None = None, start: int = 1) -> list[dict]:
    """`count` rows, the first `bad` of them with `bad_value` (default: an impossible date)."""
    bad_value = bad_value or {"enrolled_at": "2022-13-45"}
    return [{**ENROLLMENT, "enrollment_id": f"E{i}", **(bad_value if i < start + bad else {})}
            for i in range(start, start + count)]


def balanced(con) -> bool:
    """raw rows = loaded + quarantined for every enrollment file loaded or rejected, by the manifest and the tables."""
    return not rows(con, """
        select m.source_file from ingest.load_manifest m
        where m.entity = 'enrollments' and m.status in ('loaded', 'rejected') and (
            m.raw_rows != m.loaded_rows + m.quarantined_rows
            or m.loaded_rows != (select count(*) from landing.enrollments e where e.load_id = m.load_id)
            or m.quarantined_rows != (select count(*) from ingest.quarantine q where q.load_id = m.load_id))""")


def test_a_file_mostly_quarantined_is_rejected_and_the_previous_load_stays(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "enrollments", enrollments(40, 0))
    ingest(tmp_path / "raw", run_id="r1")
    # Re-delivered in a new format: 30 of 40 rows cannot be read (bad dates, an unknown status).
    write_csv(folder, "enrollments", enrollments(20, 20) + enrollments(10, 10, {"paid": "待定"}, start=21)
              + enrollments(10, 0, start=31))
    write_csv(folder, "teachers", [{"teacher_id": "T1", "national_id": "1", "name": "甲", "district": "白云区",
                                    "school_id": "S1", "school_name": "一小", "school_ownership": "公办",
                                    "stage": "小学", "subject": "语文", "is_full_time": "是", "status": "在职"}])
    summary = ingest(tmp_path / "raw", run_id="r2")
    result = next(r for r in summary.results if r.unit.entity == "enrollments")
    assert (result.status, result.raw_rows, result.loaded_rows, result.quarantined_rows) == ("rejected", 40, 0, 40)
    assert result.message.startswith(
        "rejected as a format change: 30 of 40 data rows (75.0%) failed, more than 5% (config/ingest.yml); "
        "nothing of it was loaded. Most common reasons: "
        "选课时间 (enrolled_at): expected a date such as 2022-04-20 or 2022-04-20 10:31:05 (20 rows, e.g. line 2); "
        "支付状态 (paid): expected a yes/no value")
    assert result.message.endswith(" (10 rows, e.g. line 22); the load in force (选课记录.csv, loaded in run r1) stays")
    assert result.message in summary.failures
    # the progress line of `peixun run` says why, not that nothing changed
    assert load_line(result, 1, 2) == f"files 1/2: rejected gz_city/2022-06-30/选课记录.csv ({result.message})"
    teachers = next(r for r in summary.results if r.unit.entity == "teachers")
    assert load_line(teachers, 2, 2) == "files 2/2: loaded gz_city/2022-06-30/教师信息.csv (1 rows, 0 quarantined)"
    assert [r.status for r in summary.results if r.unit.entity == "teachers"] == ["loaded"]  # other files load
    # the first delivery stays in force, untouched
    assert rows(warehouse, "select count(*), min(enrollment_id) from landing.enrollments") == [(40, "E1")]
    assert rows(warehouse, "select status, run_id, raw_rows, loaded_rows, quarantined_rows from ingest.load_manifest "
                           "where entity = 'enrollments' order by run_id") == [
        ("loaded", "r1", 40, 40, 0), ("rejected", "r2", 40, 0, 40)]
    # all its rows are in quarantine under its own load: the bad ones with their reasons, the others held back;
    # nothing of it reached landing
    assert rows(warehouse, """
        select q.reason like 'held back%', count(*) from ingest.quarantine q
        join ingest.load_manifest m using (load_id) where m.status = 'rejected' group by 1 order by 1""") == [
        (False, 30), (True, 10)]
    assert rows(warehouse, "select count(*) from landing.enrollments e join ingest.load_manifest m using (load_id) "
                           "where m.status = 'rejected'") == [(0,)]
    ((held,),) = rows(warehouse, "select reason from ingest.quarantine where line = 32")
    assert held == "held back: the file was rejected as a format change"
    assert balanced(warehouse)


def test_the_same_rejected_file_the_next_night_is_rejected_again_without_piling_up(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "enrollments", enrollments(40, 40, {"paid": "已缴清"}))
    first = ingest(tmp_path / "raw", run_id="r1")
    second = ingest(tmp_path / "raw", run_id="r2")
    assert [r.status for r in first.results + second.results] == ["rejected", "rejected"]
    assert second.failures  # still reported: the run fails until a readable delivery comes
    assert rows(warehouse, "select count(*) from ingest.quarantine") == [(40,)]  # the latest rejection's rows only
    assert rows(warehouse, "select count(*) from landing.enrollments") == [(0,)]
    assert balanced(warehouse)


def test_small_files_are_rejected_only_when_most_rows_fail(tmp_path, ingest, warehouse):
    raw = tmp_path / "raw" / "gz_city"
    write_csv(raw / "2022-06-01", "enrollments", enrollments(3, 1))  # 1 of 3: a bad row, not a format change
    write_csv(raw / "2022-06-02", "enrollments", enrollments(3, 2))  # 2 of 3: a format change
    write_csv(raw / "2022-06-03", "enrollments", enrollments(40, 2))  # 2 of 40 = 5%: at the limit, loads
    write_csv(raw / "2022-06-04", "enrollments", enrollments(40, 3))  # 3 of 40 = 7.5%: rejected
    summary = ingest(tmp_path / "raw")
    assert [(str(r.unit.export_date), r.status, r.loaded_rows, r.quarantined_rows) for r in summary.results] == [
        ("2022-06-01", "loaded", 2, 1), ("2022-06-02", "rejected", 0, 3),
        ("2022-06-03", "loaded", 38, 2), ("2022-06-04", "rejected", 0, 40)]
    assert balanced(warehouse)


def test_rejection_threshold_is_configuration(tmp_path, warehouse, config_root):  # noqa: F811
    edit_yaml(config_root / "ingest.yml", lambda spec: spec["reject_file"].update(quarantined_share_max=0.1))
    write_csv(tmp_path / "raw" / "gz_city" / "2022-06-04", "enrollments", enrollments(40, 3))
    summary = ingest_exports(warehouse, tmp_path / "raw", load_config(config_root), SALT, "r1")
    assert [(r.status, r.loaded_rows) for r in summary.results] == [("loaded", 37)]


def test_a_failed_newer_delivery_leaves_the_older_one_in_force(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "tutors", [TUTOR])
    shutil.copy(Path(__file__), folder / "辅导教师_20220701.csv")  # garbage as a newer delivery
    summary = ingest(tmp_path / "raw")
    assert [(r.unit.file.name, r.status) for r in summary.results] == [("辅导教师.csv", "loaded")]
    assert any("辅导教师_20220701.csv" in f for f in summary.failures)  # the failure is still reported
    assert rows(warehouse, "select tutor_id from landing.tutors") == [("D1",)]
    manifest = dict(rows(warehouse, "select regexp_extract(source_file, '[^/]+$'), status || ': ' || message "
                                    "from ingest.load_manifest"))
    assert manifest["辅导教师.csv"] == (
        "loaded: in force instead of the newer 辅导教师_20220701.csv, which could not be loaded; configured")
    assert manifest["辅导教师_20220701.csv"].startswith("failed: ")


def test_a_rejected_newer_delivery_leaves_the_older_one_in_force(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "enrollments", enrollments(40, 0))
    write_csv(folder, "enrollments", enrollments(40, 40, {"paid": "已缴清"}), name="选课记录_20220701")
    write_csv(folder, "enrollments", enrollments(40, 0), name="选课记录_20220630")
    summary = ingest(tmp_path / "raw")
    assert [(r.unit.file.name, r.status) for r in summary.results] == [("选课记录_20220630.csv", "loaded")]
    assert rows(warehouse, "select regexp_extract(source_file, '[^/]+$'), status from ingest.load_manifest "
                           "order by 1") == [
        ("选课记录.csv", "superseded"), ("选课记录_20220630.csv", "loaded"), ("选课记录_20220701.csv", "rejected")]
    assert len(summary.failures) == 1


def test_a_load_of_a_newer_delivery_is_not_replaced_by_an_older_file(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "tutors", [TUTOR])
    write_csv(folder, "tutors", [{**TUTOR, "tutor_id": "D2"}], name="辅导教师_20220701")
    ingest(tmp_path / "raw", run_id="r1")
    shutil.copy(Path(__file__), folder / "辅导教师_20220701.csv")  # the newer delivery overwritten by garbage
    summary = ingest(tmp_path / "raw", run_id="r2")
    assert [r.status for r in summary.results] == ["failed"]
    assert rows(warehouse, "select tutor_id from landing.tutors") == [("D2",)]  # the newer delivery's load stays
    ((message,),) = rows(warehouse, "select message from ingest.load_manifest where status = 'failed'")
    assert message.endswith("; the load in force (辅导教师_20220701.csv, loaded in run r1) stays")
