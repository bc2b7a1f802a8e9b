"""Find the export files under data/raw/<source>/<export_date>/<file>.

Nothing is passed over without a word: a file or folder that cannot be placed is a problem
(recorded as failed), a source folder whose name starts with a dot is skipped and noted.
Links are followed like the folders and files they lead to, except a link that loops (to
itself, or to a folder that contains it), which is reported once and never followed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from dagster_project.defs.ingest.contract import Config

FILE_NAME = re.compile(r"^(?P<stem>.+?)(?:_(?P<stamp>\d{8}))?\.(?P<ext>csv|xlsx)$", re.IGNORECASE)


@dataclass(frozen=True)
class ExportUnit:
    """One entity of one source on one export date: the unit that loads or is replaced."""

    source: str
    export_date: dt.date
    entity: str
    file: Path
    superseded: tuple[Path, ...] = ()


@dataclass
class Discovery:
    units: list[ExportUnit] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)  # could not be placed: failures
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # hidden source folders: warnings

    def entries(self, folder: Path) -> list[Path]:
        """The folder's entries in name order, less the links that loop (each recorded as a problem)."""
        kept = []
        for path in sorted(folder.iterdir()):
            loop = _loop(path) if path.is_symlink() else None
            if loop:
                self.problems.append((path, loop))
            else:
                kept.append(path)
        return kept


def _loop(link: Path) -> str | None:
    """Why following `link` would never end, or lead nowhere; None for a link that resolves normally."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return f"link to {link.readlink()}, which does not exist; not followed"
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop, later versions OSError
        return "link that loops (it resolves to itself); not followed"
    if link.parent.resolve().is_relative_to(target):
        return f"link to {target.name}, a folder that contains it: a loop; not followed"
    return None


def _export_date(folder: Path) -> dt.date | None:
    try:
        return dt.date.fromisoformat(folder.name)
    except ValueError:
        return None


def discover(raw_dir: Path, config: Config) -> Discovery:
    """Group files by (source, export date, entity); the latest `_YYYYMMDD` file is in force.

    A re-delivered file for the same date carries a later suffix (a file without a
    suffix counts as the oldest); earlier deliveries are superseded, not added.
    """
    found = Discovery()
    if not raw_dir.is_dir():
        found.problems.append((raw_dir, "raw folder does not exist"))
        return found
    for source_dir in (p for p in found.entries(raw_dir) if p.is_dir()):
        if source_dir.name.startswith("."):
            found.skipped.append((source_dir, "source folder name starts with a dot; not read"))
            continue
        for date_dir in (p for p in found.entries(source_dir) if p.is_dir()):
            export_date = _export_date(date_dir)
            if export_date is None:
                found.problems.append((date_dir, "folder name is not an export date YYYY-MM-DD"))
                continue
            groups: dict[str, list[tuple[str, Path]]] = {}
            for path in found.entries(date_dir):
                if not path.is_file() or path.name.startswith((".", "~$")):
                    continue
                match = FILE_NAME.match(path.name)
                entity = config.entity_for_file(match["stem"]) if match else None
                if entity is None:
                    known = ", ".join(e.file for e in config.entities.values())
                    why = f"unknown export file; expected <name>[_YYYYMMDD].csv|xlsx with name one of {known}"
                    found.problems.append((path, why))
                    continue
                groups.setdefault(entity.name, []).append((match["stamp"] or "", path))
            for entity_name, files in groups.items():
                files.sort()
                found.units.append(
                    ExportUnit(
                        source=source_dir.name,
                        export_date=export_date,
                        entity=entity_name,
                        file=files[-1][1],
                        superseded=tuple(p for _, p in files[:-1]),
                    )
                )
    return found
