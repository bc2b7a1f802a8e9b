"""Who may read the home: the service user alone, except the published analytics.duckdb.

The home holds the working warehouse (its quarantine keeps rejected rows as they arrived), the
published versions, Data Docs, the run lock. A run makes it private to the service user
(0700) and creates every file in it private (umask 077: files 0600, folders 0700). With
PEIXUN_ANALYSTS_GROUP set, the home belongs to that group with mode 0710: its members may
pass through it to a file they know the name of, but not list it; the one file they are
given is analytics.duckdb (0640, group-owned), so nothing else in the home opens for them.
"""

from __future__ import annotations

import grp
import os
from pathlib import Path

from dagster_project.settings import SettingsError

PRIVATE_UMASK = 0o077
WAREHOUSE_FILES = ("warehouse.duckdb", "warehouse.duckdb.wal")


def analysts_gid(group: str) -> int | None:
    """The group id of PEIXUN_ANALYSTS_GROUP (a name or a number); None when it is empty."""
    if not group:
        return None
    try:
        return int(group) if group.isdigit() else grp.getgrnam(group).gr_gid
    except KeyError:
        raise SettingsError(f"PEIXUN_ANALYSTS_GROUP={group}: no such group") from None


def _give(path: Path, gid: int, group: str) -> None:
    try:
        os.chown(path, -1, gid)
    except PermissionError:
        raise SettingsError(f"PEIXUN_ANALYSTS_GROUP={group}: cannot give {path} to that group; the service user "
                            "must be a member of it") from None


def prepare_home(home: Path, analysts_group: str = "") -> Path:
    """Create `home` private (0700, or 0710 for the analysts' group) and make this process create private files."""
    os.umask(PRIVATE_UMASK)
    home.mkdir(parents=True, exist_ok=True)
    gid = analysts_gid(analysts_group)
    if gid is None:
        os.chmod(home, 0o700)
    else:
        _give(home, gid, analysts_group)
        os.chmod(home, 0o710)
    for name in WAREHOUSE_FILES:  # a warehouse written before the home was made private
        if (home / name).exists():
            os.chmod(home / name, 0o600)
    return home


def share_with_analysts(path: Path, analysts_group: str = "") -> None:
    """Make a file to be published readable by the analysts' group (0640), or by the owner alone (0600)."""
    gid = analysts_gid(analysts_group)
    if gid is None:
        os.chmod(path, 0o600)
    else:
        _give(path, gid, analysts_group)
        os.chmod(path, 0o640)
