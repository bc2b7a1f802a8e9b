"""What a published version was built from, so that a night with nothing new keeps it rather than
building the same tables again (无新数据之夜: the night with nothing new).

Each version of analytics.duckdb records two fingerprints in docs.publication (build.py):

- `landing_fingerprint`, the loads in force (ingest.load_manifest rows with status 'loaded'). Every row
  of the landing tables and of the quarantine belongs to one load: the same set of loads, the same inputs.
  A new or re-delivered file, a backfill's reload, or a load replaced by a later one changes it.
- `code_fingerprint`, what turns those inputs into tables and checks: the dbt project (models, macros,
  seeds, tests, dbt_project.yml), config/, expectations/, the dagster_project package, and the versions
  of the libraries that compute (dbt-core, dbt-duckdb, duckdb, Great Expectations).

When both equal those of the installed version, dbt, the warehouse checks and the publication would
rebuild, check and copy exactly what analysts already read: the nightly job's dbt step builds nothing,
and the steps after it are skipped (defs/dbt/assets.py). The landing checks still run every night,
freshness among them: a night with nothing new is exactly when a late platform must be reported.
A rollback installs an older version, whose fingerprints differ: the next night builds and publishes again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

import duckdb

from dagster_project.settings import REPO_ROOT

# What decides the published tables and the checks, besides the landing data.
CODE_FOLDERS = ("dbt", "config", "expectations", "dagster_project")
SKIPPED_FOLDERS = {"target", "logs", "dbt_packages", "__pycache__"}  # dbt's and Python's own output
LIBRARIES = ("dbt-core", "dbt-duckdb", "duckdb", "great-expectations")
KEPT_TAG = "peixun/kept_version"  # on a night that kept the installed version: its name

IN_FORCE_LOADS = """
    select md5(coalesce(string_agg(load_id, ',' order by load_id), ''))
    from {manifest} where status = 'loaded'"""


@dataclass(frozen=True)
class Kept:
    """The installed version a night with nothing new keeps."""

    version: str
    published_at: str


def _code_files(root: Path) -> list[Path]:
    files = []
    for folder in CODE_FOLDERS:
        for path in (root / folder).rglob("*"):
            parts = set(path.relative_to(root).parts)
            if path.is_file() and not parts & SKIPPED_FOLDERS and not path.name.startswith("."):
                files.append(path)
    return sorted(files)


@cache
def code_fingerprint(root: Path = REPO_ROOT) -> str:
    """sha256 of the code and configuration (CODE_FOLDERS, by relative path and content) and LIBRARIES' versions.
    Cached: the code of a running process does not change under it."""
    digest = hashlib.sha256()
    for path in _code_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in LIBRARIES:
        digest.update(f"{library}=={version(library)}\0".encode())
    return digest.hexdigest()


def landing_fingerprint(con: duckdb.DuckDBPyConnection, manifest: str = "ingest.load_manifest") -> str:
    """md5 of the ids of the loads in force in `manifest` (a table name as `con` sees it)."""
    return con.execute(IN_FORCE_LOADS.format(manifest=manifest)).fetchone()[0]


def kept_version(warehouse: duckdb.DuckDBPyConnection, published: Path) -> Kept | None:
    """The installed version `published` when it was built from the warehouse's loads in force and from
    this code; None when anything differs, when nothing is published, or when the version predates the
    fingerprints."""
    if not published.exists():
        return None
    with duckdb.connect(str(published), read_only=True) as con:
        columns = {name for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'docs' and table_name = 'publication'").fetchall()}
        if not {"landing_fingerprint", "code_fingerprint"} <= columns:
            return None
        row = con.execute(
            "select version, published_at, landing_fingerprint, code_fingerprint from docs.publication"
        ).fetchone()
    if row is None:
        return None
    name, published_at, landing, code = row
    if landing != landing_fingerprint(warehouse) or code != code_fingerprint():
        return None
    return Kept(name, f"{published_at:%Y-%m-%d %H:%M}")
