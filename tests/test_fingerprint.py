"""What a publication was built from (publish/fingerprint.py): the fingerprints that let a night with
nothing new keep the installed version, and every change that must not be kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from dagster_project.defs.publish import fingerprint
from dagster_project.defs.publish.fingerprint import code_fingerprint, kept_version, landing_fingerprint


def _tree(root: Path) -> Path:
    for name, text in {
        "dbt/models/marts/fct_x.sql": "select 1 as x",
        "dbt/dbt_project.yml": "name: peixun",
        "config/quality.yml": "thresholds: {}",
        "expectations/qa.qa_x.json": "{}",
        "dagster_project/defs/x.py": "X = 1",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_the_code_fingerprint_follows_code_and_configuration_and_nothing_else(tmp_path):
    base = code_fingerprint(_tree(tmp_path / "base"))
    assert code_fingerprint(_tree(tmp_path / "same")) == base  # where the checkout lives does not count

    ignored = _tree(tmp_path / "ignored")
    for name in ("dbt/target/manifest.json", "dbt/logs/dbt.log", "dagster_project/__pycache__/x.pyc",
                 "config/.x.yml.swp", "tests/test_x.py", "data/raw/gz_city/2022-06-30/课程目录.csv"):
        (ignored / name).parent.mkdir(parents=True, exist_ok=True)
        (ignored / name).write_text("generated", encoding="utf-8")
    assert code_fingerprint(ignored) == base

    for name in ("dbt/models/marts/fct_x.sql", "config/quality.yml", "expectations/qa.qa_x.json",
                 "dagster_project/defs/x.py"):
        changed = _tree(tmp_path / name.replace("/", "_"))
        (changed / name).write_text((changed / name).read_text(encoding="utf-8") + " ", encoding="utf-8")
        assert code_fingerprint(changed) != base, name
    moved = _tree(tmp_path / "moved")
    (moved / "dbt/models/marts/fct_x.sql").rename(moved / "dbt/models/marts/fct_y.sql")
    assert code_fingerprint(moved) != base


def test_a_library_upgrade_changes_the_code_fingerprint(tmp_path, monkeypatch):
    root = _tree(tmp_path / "root")
    before = fingerprint.code_fingerprint.__wrapped__(root)
    monkeypatch.setattr(fingerprint, "version", lambda library: "99.0" if library == "duckdb" else "1.0")
    assert fingerprint.code_fingerprint.__wrapped__(root) != before


MANIFEST = "create table load_manifest (load_id varchar, status varchar)"


def test_the_landing_fingerprint_is_the_set_of_loads_in_force():
    con = duckdb.connect()
    con.execute(MANIFEST)
    empty = landing_fingerprint(con, "load_manifest")
    con.execute("insert into load_manifest values ('b', 'loaded'), ('a', 'loaded'), ('f', 'failed')")
    two = landing_fingerprint(con, "load_manifest")
    assert two != empty
    con.execute("insert into load_manifest values ('g', 'rejected'), ('h', 'skipped')")
    assert landing_fingerprint(con, "load_manifest") == two  # nothing new in force
    con.execute("update load_manifest set status = 'replaced' where load_id = 'a'")
    con.execute("insert into load_manifest values ('c', 'loaded')")  # a re-delivery replaced load a
    assert landing_fingerprint(con, "load_manifest") not in (two, empty)
    other = duckdb.connect()
    other.execute(MANIFEST)
    other.execute("insert into load_manifest values ('c', 'loaded'), ('b', 'loaded')")
    assert landing_fingerprint(other, "load_manifest") == landing_fingerprint(con, "load_manifest")  # order


def _publish(path: Path, landing: str | None, code: str | None) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema docs")
        extra = "" if landing is None else ", ?::varchar as landing_fingerprint, ?::varchar as code_fingerprint"
        con.execute(f"create table docs.publication as select 'analytics-v1.duckdb' as version, "
                    f"timestamp '2026-12-04 02:10:00' as published_at{extra}",
                    [] if landing is None else [landing, code])
    return path


def test_the_installed_version_is_kept_only_when_both_fingerprints_match(tmp_path, warehouse):
    warehouse.execute("create schema ingest")
    warehouse.execute(MANIFEST.replace("load_manifest", "ingest.load_manifest"))
    warehouse.execute("insert into ingest.load_manifest values ('a', 'loaded')")
    landing = landing_fingerprint(warehouse)
    same = _publish(tmp_path / "same.duckdb", landing, code_fingerprint())
    assert kept_version(warehouse, same) == fingerprint.Kept("analytics-v1.duckdb", "2026-12-04 02:10")
    assert kept_version(warehouse, tmp_path / "nothing-published.duckdb") is None
    assert kept_version(warehouse, _publish(tmp_path / "older.duckdb", None, None)) is None  # before fingerprints
    assert kept_version(warehouse, _publish(tmp_path / "code.duckdb", landing, "other code")) is None
    warehouse.execute("insert into ingest.load_manifest values ('b', 'loaded')")  # a new delivery
    assert kept_version(warehouse, same) is None


def test_a_published_version_records_what_it_was_built_from(sample_home):
    with duckdb.connect(str(sample_home / "analytics.duckdb"), read_only=True) as con:
        landing, code, published_at = con.execute(
            "select landing_fingerprint, code_fingerprint, published_at from docs.publication").fetchone()
    with duckdb.connect(str(sample_home / "warehouse.duckdb"), read_only=True) as con:
        assert landing == landing_fingerprint(con)
    assert code == code_fingerprint() and published_at < dt.datetime.now()
