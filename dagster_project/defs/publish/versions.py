"""Published versions of analytics.duckdb under <home>/versions/, and the atomic swap.

Each publication is a complete file `versions/analytics-<timestamp>-<run>.duckdb`.
Installing one copies it beside `analytics.duckdb` and renames it over that file
(os.replace): an analyst's open connection keeps reading the file it opened, new
connections see the new one, and nobody ever sees a half-written database.
`versions/CURRENT` names the installed version; `versions/PUBLISHED` lists every version
once installed, the only candidates of a rollback. What a failed or killed publication
leaves (`*.partial`, a version never installed, a temporary copy) is removed by the next.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from pathlib import Path

from dagster_project.lib.home import share_with_analysts

PUBLISHED_FILE = "analytics.duckdb"
PUBLISHED_LIST = "PUBLISHED"


class VersionError(Exception):
    """No version to install; the message says what there is."""


def versions_dir(home: Path) -> Path:
    path = home / "versions"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_version_name(run_id: str, now: dt.datetime | None = None) -> str:
    """Names sort by publication time."""
    return f"analytics-{(now or dt.datetime.now()):%Y%m%dT%H%M%S%f}-{run_id[:8]}.duckdb"


def _complete(home: Path) -> list[Path]:
    return sorted(versions_dir(home).glob("analytics-*.duckdb"))


def current_version(home: Path) -> str | None:
    pointer = home / "versions" / "CURRENT"
    return pointer.read_text(encoding="utf-8").strip() if pointer.exists() else None


def _published_names(home: Path) -> list[str]:
    listed = versions_dir(home) / PUBLISHED_LIST
    if listed.exists():
        return listed.read_text(encoding="utf-8").split()
    current = current_version(home)  # a home from before the list: every version up to the installed one
    return [v.name for v in _complete(home) if current and v.name <= current]


def versions(home: Path) -> list[Path]:
    """Versions that were published and are still kept, oldest first."""
    published = set(_published_names(home))
    return [v for v in _complete(home) if v.name in published]


def _replace_with(target: Path, write) -> None:
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _write_published(home: Path, names: list[str]) -> None:
    _replace_with(versions_dir(home) / PUBLISHED_LIST,
                  lambda tmp: tmp.write_text("".join(f"{n}\n" for n in names), encoding="utf-8"))


def install(home: Path, version: Path, analysts_group: str = "") -> Path:
    """Make `version` the published analytics.duckdb, atomically, readable by the analysts' group."""
    published = home / PUBLISHED_FILE

    def copy(tmp: Path) -> None:
        shutil.copyfile(version, tmp)
        share_with_analysts(tmp, analysts_group)

    _replace_with(published, copy)
    names = _published_names(home)
    if version.name not in names:
        _write_published(home, [*names, version.name])
    _replace_with(versions_dir(home) / "CURRENT", lambda tmp: tmp.write_text(version.name + "\n", encoding="utf-8"))
    return published


def remove_leftovers(home: Path) -> list[Path]:
    """Delete what a failed or killed publication left: partial builds, versions never installed,
    temporary copies. Run before publishing (one run at a time holds the home)."""
    published = set(_published_names(home))
    doomed = [p for p in versions_dir(home).glob("analytics-*.duckdb.partial")]
    doomed += [v for v in _complete(home) if v.name not in published]
    doomed += list(home.glob(f".{PUBLISHED_FILE}.*.tmp")) + list(versions_dir(home).glob(".*.tmp"))
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def prune(home: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` published versions; the installed one always stays."""
    current = current_version(home)
    doomed = [v for v in versions(home)[:-keep] if v.name != current]
    for version in doomed:
        version.unlink()
    kept = {v.name for v in _complete(home)}
    _write_published(home, [n for n in _published_names(home) if n in kept])
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
