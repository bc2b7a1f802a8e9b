"""Published versions of analytics.duckdb under <home>/versions/, and the atomic swap.

Each publication is a complete file `versions/analytics-<timestamp>-<run>.duckdb`.
Installing one copies it beside `analytics.duckdb` and renames it over that file
(os.replace): an analyst's open connection keeps reading the file it opened, new
connections see the new one, and nobody ever sees a half-written database.
`versions/CURRENT` names the installed version.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from pathlib import Path

PUBLISHED_FILE = "analytics.duckdb"
DEFAULT_KEEP = 5


class VersionError(Exception):
    """No version to install; the message says what there is."""


def keep_versions() -> int:
    """PEIXUN_KEEP_VERSIONS: how many published versions stay on disk (default 5, at least 1)."""
    return max(1, int(os.environ.get("PEIXUN_KEEP_VERSIONS") or DEFAULT_KEEP))


def versions_dir(home: Path) -> Path:
    path = home / "versions"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_version_name(run_id: str, now: dt.datetime | None = None) -> str:
    """Names sort by publication time."""
    return f"analytics-{(now or dt.datetime.now()):%Y%m%dT%H%M%S%f}-{run_id[:8]}.duckdb"


def versions(home: Path) -> list[Path]:
    """Complete versions, oldest first."""
    return sorted(versions_dir(home).glob("analytics-*.duckdb"))


def current_version(home: Path) -> str | None:
    pointer = versions_dir(home) / "CURRENT"
    return pointer.read_text(encoding="utf-8").strip() if pointer.exists() else None


def _replace_with(target: Path, write) -> None:
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def install(home: Path, version: Path) -> Path:
    """Make `version` the published analytics.duckdb, atomically."""
    published = home / PUBLISHED_FILE
    _replace_with(published, lambda tmp: shutil.copyfile(version, tmp))
    _replace_with(versions_dir(home) / "CURRENT", lambda tmp: tmp.write_text(version.name + "\n", encoding="utf-8"))
    return published


def prune(home: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` versions; the installed one always stays."""
    current = current_version(home)
    doomed = [v for v in versions(home)[:-keep] if v.name != current]
    for version in doomed:
        version.unlink()
    return doomed


def previous_version(home: Path) -> Path:
    """The version published before the installed one."""
    available = versions(home)
    names = [v.name for v in available]
    current = current_version(home)
    if current not in names:
        raise VersionError(f"the installed version {current or '(none)'} is not in {versions_dir(home)}")
    index = names.index(current)
    if index == 0:
        raise VersionError(f"{current} is the oldest version kept; nothing earlier to restore")
    return available[index - 1]
