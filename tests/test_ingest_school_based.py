"""校本研修 exports (校本研修活动, 校本研修参与, 整校验收): both dialects, quarantine, raw = loaded + quarantined."""

from __future__ import annotations

import datetime as dt

from tests.exports import write_csv, write_xlsx
from tests.test_ingest import rows

ACTIVITY = {
    "activity_id": "A1", "school_id": "S1", "group_id": "G1", "group_name": "语文组", "program": "能力提升工程2.0",
    "period": "2201", "type": "线下活动", "hours_set": "8", "evidence_uploaded": "是",
    "published_at": "2022-05-06 09:30:00",
}
PARTICIPATION = {"activity_id": "A1", "teacher_id": "T1", "designated": "是", "completed_at": ""}
ACCEPTANCE = {"school_id": "S1", "program": "能力提升工程2.0", "period": "2201", "passed": "通过",
              "passed_at": "2022-09-01"}

VENDOR_ACTIVITY = {**ACTIVITY, "activity_id": "HD1", "school_id": "DW1", "group_id": "JYZ1", "hours_set": "１２",
                   "evidence_uploaded": "已上传", "published_at": "2022/5/6"}
VENDOR_PARTICIPATION = {"activity_id": "HD1", "teacher_id": "JJW1", "designated": "Y",
                        "completed_at": "2022年5月8日"}
VENDOR_ACCEPTANCE = {**ACCEPTANCE, "school_id": "DW1", "passed": "未通过", "passed_at": ""}


def manifest(warehouse) -> list[tuple]:
    return rows(warehouse, "select entity, dialect, status, raw_rows, loaded_rows, quarantined_rows "
                           "from ingest.load_manifest order by entity, dialect")


def test_city_csv_of_each_entity_loads_typed(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(folder, "school_activities", [
        ACTIVITY,
        {**ACTIVITY, "activity_id": "A2", "type": "教学研讨", "hours_set": "", "evidence_uploaded": ""},
    ])
    write_csv(folder, "school_activity_participation", [
        PARTICIPATION, {**PARTICIPATION, "activity_id": "A2", "designated": "", "completed_at": "2022-05-08 20:01:02"}])
    write_csv(folder, "school_acceptance", [ACCEPTANCE])
    ingest(tmp_path / "raw")
    assert manifest(warehouse) == [
        ("school_acceptance", "city", "loaded", 1, 1, 0),
        ("school_activities", "city", "loaded", 2, 2, 0),
        ("school_activity_participation", "city", "loaded", 2, 2, 0),
    ]
    assert rows(warehouse, "select activity_id, school_id, group_id, group_name, program, period, type, hours_set, "
                           "evidence_uploaded, published_at from landing.school_activities order by 1") == [
        ("A1", "S1", "G1", "语文组", "能力提升工程2.0", "2201", "线下活动", 8.0, True, dt.datetime(2022, 5, 6, 9, 30)),
        ("A2", "S1", "G1", "语文组", "能力提升工程2.0", "2201", "教学研讨", None, None, dt.datetime(2022, 5, 6, 9, 30)),
    ]
    assert rows(warehouse, "select activity_id, teacher_id, designated, completed_at "
                           "from landing.school_activity_participation order by 1") == [
        ("A1", "T1", True, None), ("A2", "T1", None, dt.datetime(2022, 5, 8, 20, 1, 2))]
    assert rows(warehouse, "select school_id, program, period, passed, passed_at from landing.school_acceptance") == [
        ("S1", "能力提升工程2.0", "2201", True, dt.date(2022, 9, 1))]


def test_vendor_xlsx_of_each_entity_loads_typed(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "vendor_jjw" / "2022-09-19"
    write_xlsx(folder, "school_activities", [
        VENDOR_ACTIVITY,
        {**VENDOR_ACTIVITY, "activity_id": "HD2", "type": "研修作业", "hours_set": "", "evidence_uploaded": "未上传",
         "published_at": dt.datetime(2022, 5, 7, 8, 0)},
    ], title="校本研修活动导出（截止2022年9月19日）")
    write_xlsx(folder, "school_activity_participation", [
        VENDOR_PARTICIPATION, {**VENDOR_PARTICIPATION, "activity_id": "HD2", "designated": "N",
                               "completed_at": dt.datetime(2022, 5, 9, 21, 15)}])
    write_xlsx(folder, "school_acceptance", [VENDOR_ACCEPTANCE])
    ingest(tmp_path / "raw")
    assert manifest(warehouse) == [
        ("school_acceptance", "vendor", "loaded", 1, 1, 0),
        ("school_activities", "vendor", "loaded", 2, 2, 0),
        ("school_activity_participation", "vendor", "loaded", 2, 2, 0),
    ]
    assert rows(warehouse, "select activity_id, school_id, group_id, type, hours_set, evidence_uploaded, published_at, "
                           "source_line from landing.school_activities order by 1") == [
        ("HD1", "DW1", "JYZ1", "线下活动", 12.0, True, dt.datetime(2022, 5, 6), 3),
        ("HD2", "DW1", "JYZ1", "研修作业", None, False, dt.datetime(2022, 5, 7, 8, 0), 4),
    ]
    assert rows(warehouse, "select activity_id, teacher_id, designated, completed_at "
                           "from landing.school_activity_participation order by 1") == [
        ("HD1", "JJW1", True, dt.datetime(2022, 5, 8)), ("HD2", "JJW1", False, dt.datetime(2022, 5, 9, 21, 15))]
    assert rows(warehouse, "select school_id, passed, passed_at from landing.school_acceptance") == [
        ("DW1", False, None)]


def test_vendor_gb18030_csv_loads(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "vendor_jjw" / "2022-09-19"
    path = write_csv(folder, "school_activity_participation", [VENDOR_PARTICIPATION], dialect="vendor")
    assert path.read_bytes().decode("gb18030").startswith("活动ID,学员编号,是否指定,完成日期")
    ingest(tmp_path / "raw")
    assert rows(warehouse, "select activity_id, teacher_id, designated, completed_at "
                           "from landing.school_activity_participation") == [
        ("HD1", "JJW1", True, dt.datetime(2022, 5, 8))]


def test_bad_activity_rows_are_quarantined_with_file_line_column_and_reason(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "gz_city" / "2022-06-30"
    good = [{**ACTIVITY, "activity_id": f"A{i}"} for i in range(1, 11)]
    path = write_csv(folder, "school_activities", good + [
        {**ACTIVITY, "activity_id": "A11", "hours_set": "十"},
        {**ACTIVITY, "activity_id": "A12", "group_id": ""},
        {**ACTIVITY, "activity_id": "A13", "evidence_uploaded": "待定"},
        {**ACTIVITY, "activity_id": "A1"},
        {**ACTIVITY, "activity_id": "A15", "type": ""},
    ])
    ingest(tmp_path / "raw")
    assert manifest(warehouse) == [("school_activities", "city", "loaded", 15, 10, 5)]
    assert rows(warehouse, "select source_file, line, column_name, reason from ingest.quarantine order by line") == [
        (str(path), 12, "设定学时 (hours_set)", "设定学时 (hours_set): expected a number, found 十"),
        (str(path), 13, "教研组编号 (group_id)", "教研组编号 (group_id): missing required value"),
        (str(path), 14, "已上传佐证 (evidence_uploaded)",
         "已上传佐证 (evidence_uploaded): expected a yes/no value such as 是/否 or 已支付/未支付 "
         "(config/vocabulary.yml), found 待定"),
        (str(path), 15, "activity_id", "activity_id: duplicate key, first seen at line 2"),
        (str(path), 16, "活动类型 (type)", "活动类型 (type): missing required value"),
    ]
    assert rows(warehouse, "select count(*) from landing.school_activities") == [(10,)]


def test_bad_participation_and_acceptance_rows_are_quarantined(tmp_path, ingest, warehouse):
    folder = tmp_path / "raw" / "vendor_jjw" / "2022-09-19"
    members = [{**VENDOR_PARTICIPATION, "teacher_id": f"JJW{i}"} for i in range(1, 9)]
    write_xlsx(folder, "school_activity_participation", members + [
        {**VENDOR_PARTICIPATION, "teacher_id": ""},
        {**VENDOR_PARTICIPATION, "teacher_id": "JJW9", "completed_at": "2022年13月1日"},
        {**VENDOR_PARTICIPATION, "teacher_id": "JJW1"},
    ])
    schools = [{**VENDOR_ACCEPTANCE, "school_id": f"DW{i}"} for i in range(1, 6)]
    write_xlsx(folder, "school_acceptance", schools + [
        {**VENDOR_ACCEPTANCE, "school_id": "DW6", "period": ""},
        {**VENDOR_ACCEPTANCE, "school_id": "DW7", "passed_at": "下周"},
    ])
    ingest(tmp_path / "raw")
    assert manifest(warehouse) == [
        ("school_acceptance", "vendor", "loaded", 7, 5, 2),
        ("school_activity_participation", "vendor", "loaded", 11, 8, 3),
    ]
    assert rows(warehouse, "select entity, regexp_extract(source_file, '[^/]+$'), line, reason from ingest.quarantine "
                           "order by entity, line") == [
        ("school_acceptance", "整校验收.xlsx", 8, "培训期次 (period): missing key value"),
        ("school_acceptance", "整校验收.xlsx", 9,
         "验收日期 (passed_at): expected a date such as 2022/4/20 or 2022年4月20日 or 2022/4/20 10:31:05, found 下周"),
        ("school_activity_participation", "校本研修参与.xlsx", 11, "学员编号 (teacher_id): missing key value"),
        ("school_activity_participation", "校本研修参与.xlsx", 12,
         "完成日期 (completed_at): expected a date such as 2022/4/20 or 2022年4月20日 or 2022/4/20 10:31:05, "
         "found 2022年13月1日"),
        ("school_activity_participation", "校本研修参与.xlsx", 13,
         "activity_id, teacher_id: duplicate key, first seen at line 3"),
    ]


def test_raw_rows_equal_loaded_plus_quarantined(tmp_path, ingest, warehouse):
    city = tmp_path / "raw" / "gz_city" / "2022-06-30"
    write_csv(city, "school_activities", [ACTIVITY, {**ACTIVITY, "activity_id": "A2", "program": ""}])
    write_csv(city, "school_activity_participation", [PARTICIPATION, {**PARTICIPATION, "activity_id": ""}])
    write_csv(city, "school_acceptance", [ACCEPTANCE, {**ACCEPTANCE, "passed": "也许"}])
    ingest(tmp_path / "raw")
    bad = rows(warehouse, """
        select m.source_file from ingest.load_manifest m
        where m.raw_rows != m.loaded_rows + m.quarantined_rows
           or m.loaded_rows != (select count(*) from landing.school_activities t where t.load_id = m.load_id)
               + (select count(*) from landing.school_activity_participation p where p.load_id = m.load_id)
               + (select count(*) from landing.school_acceptance a where a.load_id = m.load_id)
           or m.quarantined_rows != (select count(*) from ingest.quarantine q where q.load_id = m.load_id)""")
    assert bad == []
    assert rows(warehouse, "select sum(raw_rows), sum(loaded_rows), sum(quarantined_rows) from ingest.load_manifest"
                ) == [(6, 3, 3)]


def test_every_column_that_links_a_school_based_row_is_required():
    from dagster_project.defs.ingest.contract import load_config

    entities = load_config().entities
    required = {(name, c.name) for name in ("school_activities", "school_activity_participation", "school_acceptance")
                for c in entities[name].columns if c.required}
    assert required == {
        ("school_activities", "activity_id"), ("school_activities", "school_id"), ("school_activities", "group_id"),
        ("school_activities", "program"), ("school_activities", "period"), ("school_activities", "type"),
        ("school_activity_participation", "activity_id"), ("school_activity_participation", "teacher_id"),
        ("school_acceptance", "school_id"), ("school_acceptance", "program"), ("school_acceptance", "period"),
    }
    assert not any(c.pii for name in ("school_activities", "school_activity_participation", "school_acceptance")
                   for c in entities[name].columns)
