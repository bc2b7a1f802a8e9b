"""Ingestion: dialects, format quirks, quarantine, re-delivery, PII, failures."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import shutil
from pathlib import Path

from dagster_project.defs.ingest import readers
from tests.conftest import SALT
from tests.exports import write_csv, write_xlsx

TEACHER = {
    "teacher_id": "T1", "national_id": "440101198001010011", "name": "张三", "phone": "13800000000",
    "district": "白云区", "school_id": "S1", "school_name": "一小", "school_ownership": "公办", "stage": "小学",
    "subject": "语文", "is_full_time": "是", "status": "在职",
}
ENROLLMENT = {
    "enrollment_id": "E1", "teacher_id": "T1", "course_id": "C1", "period": "2201",
    "enrolled_at": "2022-04-20 10:31:05", "paid": "是", "progress": "35", "passed": "是", "hours_earned": "3",
    "passed_at": "2022-05-01",
}
VENDOR_ENROLLMENT = {
    "enrollment_id": "O1", "teacher_id": "JJW1", "course_id": "K1", "period": "2201", "enrolled_at": "2022/4/20",
    "paid": "已支付", "progress": "35.5%", "passed": "通过", "hours_earned": "3", "passed_at": "2022年5月1日",
}


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_city_csv_parses_every_type(tmp_path, ingest, warehouse):
    write_csv(tmp_path / "raw" / "gz_city" / "2022-06-30", "enrollments", [
        ENROLLMENT, {**ENROLLMENT, "enrollment_id": "E2", "passed": "", "passed_at": "", "progress": "0"},
    ])
    summary = ingest(tmp_path / "raw")
    assert [r.status for r in summary.results] == ["loaded"]
    got = rows(warehouse, "select enrollment_id, enrolled_at, paid, progress, passed, hours_earned, passed_at, "
                          "source_line from landing.enrollments order by 1")
    assert got == [
        ("E1", dt.datetime(2022, 4, 20, 10, 31, 5), True, 35.0, True, 3.0, dt.datetime(2022, 5, 1), 2),
        ("E2", dt.datetime(2022, 4, 20, 10, 31, 5), True, 0.0, None, 3.0, None, 3),
    ]


def test_vendor_xlsx_title_row_excel_dates_full_width_and_trailing_blanks(tmp_path, ingest, warehouse):
    write_xlsx(tmp_path / "raw" / "vendor_jjw" / "2022-09-19", "enrollments", [
        VENDOR_ENROLLMENT,
        {**VENDOR_ENROLLMENT, "enrollment_id": "O2", "enrolled_at": dt.datetime(2022, 4, 21, 8, 5, 0),
         "paid": "未支付", "progress": "８５.５%", "passed": "", "hours_earned": "０", "passed_at": ""},
        {**VENDOR_ENROLLMENT, "enrollment_id": "O3\u3000", "teacher_id": " JJW2 ", "enrolled_at": "2022/4/22 9:05:01"},
    ], trailing_blank_rows=3)
    summary = ingest(tmp_path / "raw")
    result = summary.results[0]
    assert (result.status, result.raw_rows, result.loaded_rows, result.quarantined_rows) == ("loaded", 3, 3, 0)
    got = rows(warehouse, "select enrollment_id, teacher_id, enrolled_at, paid, progress, passed, hours_earned, "
                          "passed_at, source_line from landing.enrollments order by 1")
    assert got == [
        ("O1", "JJW1", dt.datetime(2022, 4, 20), True, 35.5, True, 3.0, dt.datetime(2022, 5, 1), 3),
        ("O2", "JJW1", dt.datetime(2022, 4, 21, 8, 5), False, 85.5, None, 0.0, None, 4),
        ("O3", "JJW2", dt.datetime(2022, 4, 22, 9, 5, 1), True, 35.5, True, 3.0, dt.datetime(2022, 5, 1), 5),
    ]


def test_vendor_gb18030_csv(tmp_path, ingest, warehouse):
    path = write_csv(tmp_path / "raw" / "vendor_jjw" / "2022-09-19", "enrollments", [VENDOR_ENROLLMENT],
                     dialect="vendor")
    assert path.read_bytes().decode("gb18030").startswith("订单号")
    summary = ingest(tmp_path / "raw")
    assert summary.results[0].status == "loaded"
    assert rows(warehouse, "select paid, progress from landing.enrollments") == [(True, 35.5)]
    assert rows(warehouse, "select encoding from ingest.load_manifest") == [("gb18030",)]


def test_unconfigured_source_is_recognised_from_its_headers(tmp_path, ingest, warehouse):
    write_xlsx(tmp_path / "raw" / "vendor_new" / "2022-09-19", "enrollments", [VENDOR_ENROLLMENT])
    write_csv(tmp_path / "raw" / "city_new" / "2022-09-19", "enrollments", [ENROLLMENT])
    summary = ingest(tmp_path / "raw")
    assert sorted((r.unit.source, r.dialect) for r in summary.results) == [
        ("city_new", "city"), ("vendor_new", "vendor")]
    assert all("recognised from headers" in r.message for r in summary.results)


def test_bad_rows_go_to_quarantine_with_line_column_and_reason(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    path = write_csv(folder, "enrollments", [
        ENROLLMENT,
        {**ENROLLMENT, "enrollment_id": "E2", "enrolled_at": "2022-13-45"},
        {**ENROLLMENT, "enrollment_id": "E3", "progress": "abc"},
        {**ENROLLMENT, "enrollment_id": ""},
        {**ENROLLMENT, "teacher_id": "T9"},
        {**ENROLLMENT, "enrollment_id": "E5", "paid": "可能"},
    ])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("E6,T1,C1,2201,2022-04-20,是,35,是,3,2022-05-01,extra\n")
        fh.writelines(f"E{i},T1,C1,2201,2022-04-20,是,35,是,3,2022-05-01\n" for i in range(100, 220))  # 6 bad of 127
    summary = ingest(tmp_path / "raw")
    result = summary.results[0]
    assert (result.raw_rows, result.loaded_rows, result.quarantined_rows) == (127, 121, 6)
    got = rows(warehouse, "select line, column_name, reason from ingest.quarantine order by line")
    assert got == [
        (3, "选课时间 (enrolled_at)",
         "选课时间 (enrolled_at): expected a date such as 2022-04-20 or 2022-04-20 10:31:05, found 2022-13-45"),
        (4, "学习进度 (progress)", "学习进度 (progress): expected a percent from 0 to 100, found abc"),
        (5, "选课编号 (enrollment_id)", "选课编号 (enrollment_id): missing key value"),
        (6, "enrollment_id", "enrollment_id: duplicate key, first seen at line 2"),
        (7, "支付状态 (paid)",
         "支付状态 (paid): expected a yes/no value such as 是/否 or 已支付/未支付 (config/vocabulary.yml), found 可能"),
        (8, None, "expected 10 fields, found 11"),
    ]
    raw = rows(warehouse, "select raw_values from ingest.quarantine where line = 3")[0][0]
    assert '"选课时间":"2022-13-45"' in raw


def test_raw_rows_equal_loaded_plus_quarantined_for_every_file(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "teachers", [TEACHER, {**TEACHER, "teacher_id": ""}])
    write_csv(folder, "enrollments", [ENROLLMENT, {**ENROLLMENT, "enrollment_id": "E2", "hours_earned": "三"}])
    ingest(tmp_path / "raw")
    bad = rows(warehouse, """
        select m.source_file from ingest.load_manifest m
        where m.status = 'loaded' and m.raw_rows != m.loaded_rows + m.quarantined_rows
           or m.loaded_rows != (select count(*) from landing.teachers t where t.load_id = m.load_id)
                             + (select count(*) from landing.enrollments e where e.load_id = m.load_id)
           or m.quarantined_rows != (select count(*) from ingest.quarantine q where q.load_id = m.load_id)""")
    assert bad == []
    assert rows(warehouse, "select sum(raw_rows), sum(loaded_rows), sum(quarantined_rows) from ingest.load_manifest"
                ) == [(4, 2, 2)]


def test_pii_is_hashed_before_storage(tmp_path, ingest, warehouse):
    write_csv(tmp_path / "raw" / "gz_city" / "2022-06-30", "teachers", [TEACHER, {**TEACHER, "teacher_id": ""}])
    ingest(tmp_path / "raw")
    columns = [r[0] for r in rows(warehouse, "select column_name from information_schema.columns")]
    assert not {"national_id", "name", "phone"} & set(columns)
    expected = hmac.new(SALT.encode(), TEACHER["national_id"].encode(), hashlib.sha256).hexdigest()  # full 256 bits
    assert rows(warehouse, "select national_id_hash from landing.teachers") == [(expected,)]
    dump = str(rows(warehouse, "select * from landing.teachers"))
    dump += str(rows(warehouse, "select * from ingest.quarantine"))
    for value in (TEACHER["national_id"], TEACHER["name"], TEACHER["phone"]):
        assert value not in dump


def test_same_file_twice_changes_nothing(tmp_path, ingest, warehouse):
    write_csv(tmp_path / "raw" / "gz_city" / "2022-06-30", "enrollments", [ENROLLMENT])
    ingest(tmp_path / "raw", run_id="r1")
    before = rows(warehouse, "select * from landing.enrollments"), rows(warehouse, "select * from ingest.load_manifest")
    summary = ingest(tmp_path / "raw", run_id="r2")
    assert [r.status for r in summary.results] == ["unchanged"]
    after = rows(warehouse, "select * from landing.enrollments"), rows(warehouse, "select * from ingest.load_manifest")
    assert before == after


def test_redelivered_export_replaces_that_date_only(tmp_path, ingest, warehouse):
    raw = tmp_path / "raw" / "gz_city"
    write_csv(raw / "2022-06-23", "enrollments", [ENROLLMENT])
    write_csv(raw / "2022-06-30", "enrollments", [ENROLLMENT, {**ENROLLMENT, "enrollment_id": "E2"}])
    ingest(tmp_path / "raw", run_id="r1")
    write_csv(raw / "2022-06-30", "enrollments", [{**ENROLLMENT, "progress": "90"}])  # corrected re-delivery
    summary = ingest(tmp_path / "raw", run_id="r2")
    assert sorted(r.status for r in summary.results) == ["loaded", "unchanged"]
    assert rows(warehouse, "select export_date::varchar, enrollment_id, progress from landing.enrollments order by 1"
                ) == [("2022-06-23", "E1", 35.0), ("2022-06-30", "E1", 90.0)]
    assert rows(warehouse, "select status, count(*) from ingest.load_manifest group by 1 order by 1") == [
        ("loaded", 2), ("replaced", 1)]


def test_later_suffix_supersedes_earlier_delivery_in_the_same_folder(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "vendor_jjw" / "2022-09-19"
    write_xlsx(folder, "enrollments", [VENDOR_ENROLLMENT], name="选课记录_20220919")
    write_xlsx(folder, "enrollments", [{**VENDOR_ENROLLMENT, "progress": "90%"}], name="选课记录_20220920")
    ingest(tmp_path / "raw", run_id="r1")
    assert rows(warehouse, "select progress from landing.enrollments") == [(90.0,)]
    assert rows(warehouse, "select status, message from ingest.load_manifest where status = 'superseded'") == [
        ("superseded", "re-delivered: replaced by 选课记录_20220920.xlsx")]


def test_bad_file_fails_alone_with_file_column_and_aliases(tmp_path, ingest, warehouse):
    raw = tmp_path / "raw"
    bad = write_csv(raw / "gz_city" / "2022-06-30", "enrollments", [{k: v for k, v in ENROLLMENT.items()
                                                                     if k != "course_id"}])
    write_csv(raw / "gz_city" / "2022-06-30", "teachers", [TEACHER])
    write_xlsx(raw / "vendor_jjw" / "2022-09-19", "enrollments", [VENDOR_ENROLLMENT])
    (raw / "vendor_jjw" / "2022-09-19" / "工作坊.xlsx").write_bytes(b"not a workbook")
    (raw / "vendor_jjw" / "2022-09-19" / "说明.txt").write_text("readme")
    summary = ingest(raw)
    assert sorted(r.unit.entity for r in summary.by_status("loaded")) == ["enrollments", "teachers"]
    assert len(summary.failures) == 3
    missing = next(f for f in summary.failures if str(bad) in f)
    assert "missing required column(s)" in missing and "course_id (tried 课程编号, course_id)" in missing
    assert any("工作坊.xlsx: cannot read as an XLSX workbook" in f for f in summary.failures)
    assert any("说明.txt: unknown export file" in f for f in summary.failures)
    assert rows(warehouse, "select count(*) from ingest.load_manifest where status = 'failed'") == [(3,)]


def test_failed_redelivery_keeps_the_previous_good_load(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "enrollments", [ENROLLMENT])
    ingest(tmp_path / "raw", run_id="r1")
    shutil.copy(Path(__file__), folder / "选课记录.csv")  # garbage in place of the export
    summary = ingest(tmp_path / "raw", run_id="r2")
    assert summary.results[0].status == "failed"
    assert rows(warehouse, "select enrollment_id from landing.enrollments") == [("E1",)]


def test_csv_read_in_blocks_keeps_physical_lines_and_whole_file_duplicates(tmp_path, ingest, warehouse, monkeypatch):
    monkeypatch.setattr(readers, "BLOCK_BYTES", 300)  # a few rows per block
    folder = tmp_path / "raw" / "vendor_jjw" / "2022-09-19"
    good = [{**VENDOR_ENROLLMENT, "enrollment_id": f"O{i}"} for i in range(1, 81)]  # 3 bad rows of 81
    good[29] = {**good[29], "progress": "abc"}  # line 32 (after the inserted line 21)
    good[35] = {**good[35], "enrollment_id": "O2"}  # line 38: O2 first seen at line 3, blocks earlier
    path = write_csv(folder, "enrollments", good, dialect="vendor")
    text = path.read_bytes().decode("gb18030").splitlines(keepends=True)
    text.insert(20, "O99,JJW1,K1,2201,2022/4/20,已支付,35%,通过,3,2022/5/1,extra\r\n")  # line 21, an extra field
    path.write_bytes("".join(text).encode("gb18030"))
    assert len(list(readers.read_csv(path).read(False))) > 5

    result = ingest(tmp_path / "raw").results[0]
    assert (result.raw_rows, result.loaded_rows, result.quarantined_rows) == (81, 78, 3)
    assert rows(warehouse, "select line, reason from ingest.quarantine order by line") == [
        (21, "expected 10 fields, found 11"),
        (32, "学习进度 (progress): expected a percent from 0 to 100, found abc"),
        (38, "enrollment_id: duplicate key, first seen at line 3"),
    ]
    lines = dict(rows(warehouse, "select enrollment_id, source_line from landing.enrollments"))
    assert (lines["O1"], lines["O19"], lines["O20"], lines["O40"]) == (2, 20, 22, 42)


def test_parallel_read_numbers_lines_across_blocks(tmp_path, ingest, warehouse, monkeypatch):
    monkeypatch.setattr(readers, "BLOCK_BYTES", 300)  # a few rows per block, parsed in parallel
    folder = tmp_path / "raw" / "vendor_jjw" / "2022-09-19"
    good = [{**VENDOR_ENROLLMENT, "enrollment_id": f"O{i}", "passed_at": "2022年5月1日"} for i in range(1, 41)]
    good[35] = {**good[35], "enrollment_id": "O2"}  # line 37: O2 first seen at line 3
    write_csv(folder, "enrollments", good, dialect="vendor")
    result = ingest(tmp_path / "raw").results[0]
    assert (result.raw_rows, result.loaded_rows, result.quarantined_rows) == (40, 39, 1)
    assert rows(warehouse, "select line, reason from ingest.quarantine") == [
        (37, "enrollment_id: duplicate key, first seen at line 3")]
    lines = dict(rows(warehouse, "select enrollment_id, source_line from landing.enrollments"))
    assert (lines["O1"], lines["O20"], lines["O40"]) == (2, 21, 41)
    assert rows(warehouse, "select distinct paid, passed_at from landing.enrollments") == [
        (True, dt.datetime(2022, 5, 1))]


def test_unchanged_file_is_recognised_by_its_stamp_without_reading_it(tmp_path, ingest, warehouse, monkeypatch):
    from dagster_project.defs.ingest import load

    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    path = write_csv(folder, "enrollments", [ENROLLMENT])
    ingest(tmp_path / "raw", run_id="r1")
    shutil.copy(path, tmp_path / "copy.csv")
    shutil.copy(tmp_path / "copy.csv", path)  # delivered again: same content, a new modification time
    summary = ingest(tmp_path / "raw", run_id="r2")
    assert [(r.status, r.message) for r in summary.results] == [("unchanged", "same checksum as the load in force")]

    def unreadable(path):
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(load, "file_sha256", unreadable)
    summary = ingest(tmp_path / "raw", run_id="r3")
    assert [(r.status, r.message) for r in summary.results] == [
        ("unchanged", "same file, size and modification time as the load in force")]
    assert rows(warehouse, "select status, run_id from ingest.load_manifest") == [("loaded", "r1")]


def test_superseded_delivery_copied_again_is_known_by_its_new_stamp(tmp_path, ingest, warehouse, monkeypatch):
    from dagster_project.defs.ingest import load

    folder = tmp_path / "raw" / "vendor_jjw" / "2022-09-19"
    old = write_xlsx(folder, "enrollments", [VENDOR_ENROLLMENT], name="选课记录_20220919")
    write_xlsx(folder, "enrollments", [{**VENDOR_ENROLLMENT, "progress": "90%"}], name="选课记录_20220920")
    ingest(tmp_path / "raw", run_id="r1")
    shutil.copy(old, tmp_path / "copy.xlsx")
    shutil.copy(tmp_path / "copy.xlsx", old)  # the superseded delivery copied in again: a new modification time
    ingest(tmp_path / "raw", run_id="r2")
    assert rows(warehouse, "select run_id, modified_ns from ingest.load_manifest where status = 'superseded'") == [
        ("r1", old.stat().st_mtime_ns)]

    def unreadable(path):
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(load, "file_sha256", unreadable)
    ingest(tmp_path / "raw", run_id="r3")  # both files known by their stamps: neither is read
    assert rows(warehouse, "select status, count(*) from ingest.load_manifest group by 1 order by 1") == [
        ("loaded", 1), ("superseded", 1)]


def test_file_gone_after_discovery_fails_alone(tmp_path, ingest, warehouse, monkeypatch):
    import dagster_project.defs.ingest.exports as ingest_package
    from dagster_project.defs.ingest.contract import load_config

    raw = tmp_path / "raw"
    write_csv(raw / "gz_city" / "2022-06-30", "enrollments", [ENROLLMENT])
    teachers = write_csv(raw / "gz_city" / "2022-06-30", "teachers", [TEACHER])
    found = ingest_package.discover(raw, load_config())
    teachers.unlink()  # removed between discovery and its load
    monkeypatch.setattr(ingest_package, "discover", lambda raw_dir, config: found)
    summary = ingest(raw)
    assert [r.unit.entity for r in summary.by_status("loaded")] == ["enrollments"]
    assert [r.unit.entity for r in summary.by_status("failed")] == ["teachers"]
    assert rows(warehouse, "select entity, status from ingest.load_manifest order by 1") == [
        ("enrollments", "loaded"), ("teachers", "failed")]


def test_headers_may_be_the_contracts_canonical_column_names(tmp_path, ingest, warehouse):
    """EXPORTS.md lists only canonical columns for 辅导教师, 满意度调查 and 发展测评: a file with those
    headers loads, from a source no configuration names."""
    folder = tmp_path / "raw" / "lms_new" / "2022-06-30"
    folder.mkdir(parents=True)
    (folder / "辅导教师.csv").write_text("tutor_id,district,course_id,class_id\nTU1,白云区,C1,1班\n",
                                      encoding="utf-8-sig")
    (folder / "满意度调查.csv").write_text("response_id,teacher_id,course_id,item,level\n"
                                       "R1,T1,C1,辅导教师满意度,非常满意\n", encoding="utf-8-sig")
    summary = ingest(tmp_path / "raw")
    assert not summary.failures
    assert rows(warehouse, "select tutor_id, district, course_id, class_id from landing.tutors") == [
        ("TU1", "白云区", "C1", "1班")]
    assert rows(warehouse, "select response_id, teacher_id, course_id, item, level from landing.surveys") == [
        ("R1", "T1", "C1", "辅导教师满意度", "非常满意")]
