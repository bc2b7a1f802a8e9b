"""Discovery: hidden source folders and links that loop are reported; links that resolve load."""

from __future__ import annotations

import dagster as dg

from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.ingest.discover import discover
from dagster_project.defs.operations.partitions import export_date_folders, pending_export_dates
from dagster_project.defs.publish.publication import PUBLISHED_ASSET
from tests.exports import write_csv
from tests.test_ingest import ENROLLMENT, TEACHER, rows


def test_a_hidden_source_folder_is_reported_not_skipped_without_a_word(tmp_path, ingest, warehouse):
    raw = tmp_path / "raw"
    write_csv(raw / "gz_city" / "2022-06-30", "enrollments", [ENROLLMENT])
    write_csv(raw / ".vendor_new" / "2022-06-30", "enrollments", [ENROLLMENT])
    summary = ingest(raw)
    assert [r.unit.source for r in summary.results] == ["gz_city"]
    assert summary.skipped == [f"{raw / '.vendor_new'}: source folder name starts with a dot; not read"]
    assert rows(warehouse, "select source_name, status, message from ingest.load_manifest where status = 'skipped'"
                ) == [(".vendor_new", "skipped", f"{raw / '.vendor_new'}: source folder name starts with a dot; "
                                                    "not read")]
    assert not summary.failures  # a warning: hidden folders are skipped on purpose, but never silently


def test_links_that_resolve_load_like_folders_and_files(tmp_path, ingest, warehouse):
    elsewhere, raw = tmp_path / "elsewhere", tmp_path / "raw"
    write_csv(elsewhere / "vendor_x" / "2022-06-30", "enrollments", [ENROLLMENT])
    write_csv(elsewhere / "dates" / "2022-07-01", "enrollments", [{**ENROLLMENT, "enrollment_id": "E2"}])
    teachers = write_csv(elsewhere / "files", "teachers", [TEACHER])
    (raw / "gz_city" / "2022-06-30").mkdir(parents=True)
    (raw / "vendor_x").symlink_to(elsewhere / "vendor_x")  # a source folder
    (raw / "gz_city" / "2022-07-01").symlink_to(elsewhere / "dates" / "2022-07-01")  # an export-date folder
    (raw / "gz_city" / "2022-06-30" / "教师信息.csv").symlink_to(teachers)  # a file
    summary = ingest(raw)
    assert sorted((r.unit.source, str(r.unit.export_date), r.unit.entity, r.status) for r in summary.results) == [
        ("gz_city", "2022-06-30", "teachers", "loaded"), ("gz_city", "2022-07-01", "enrollments", "loaded"),
        ("vendor_x", "2022-06-30", "enrollments", "loaded")]
    assert not summary.failures and not summary.skipped


def test_links_that_loop_are_reported_once_and_never_followed(tmp_path, ingest, warehouse):
    raw = tmp_path / "raw"
    folder = raw / "gz_city" / "2022-06-30"
    write_csv(folder, "enrollments", [ENROLLMENT])
    (raw / "mirror").symlink_to(raw)  # a source folder that is the raw folder itself
    (folder / "back").symlink_to(raw / "gz_city")  # a link to an ancestor inside an export folder
    (folder / "选课记录_20220701.csv").symlink_to(folder / "选课记录_20220701.csv")  # a link to itself
    (raw / "gz_city" / "2022-07-01").symlink_to("2022-07-01")  # a folder link to itself
    found = discover(raw, load_config())
    assert sorted((p.relative_to(raw).as_posix(), why) for p, why in found.problems) == [
        ("gz_city/2022-06-30/back", "link to gz_city, a folder that contains it: a loop; not followed"),
        ("gz_city/2022-06-30/选课记录_20220701.csv", "link that loops (it resolves to itself); not followed"),
        ("gz_city/2022-07-01", "link that loops (it resolves to itself); not followed"),
        ("mirror", f"link to {raw.name}, a folder that contains it: a loop; not followed"),
    ]
    assert [(u.source, u.entity, u.file.name) for u in found.units] == [("gz_city", "enrollments", "选课记录.csv")]
    summary = ingest(raw)
    assert len(summary.failures) == 4 and [r.status for r in summary.results] == ["loaded"]
    assert rows(warehouse, "select count(*) from ingest.load_manifest where status = 'failed' "
                           "and message like '%loop%'") == [(4,)]
    # scheduling does not trip over the loops either
    assert set(export_date_folders(raw)) == {"2022-06-30"}
    with dg.DagsterInstance.ephemeral() as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization(PUBLISHED_ASSET, partition="2022-06-30"))
        assert pending_export_dates(instance, raw) == []  # published after its files last changed
