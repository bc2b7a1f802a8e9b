"""Find the export files under data/raw/<source>/<export_date>/<file>."""

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
    problems: list[tuple[Path, str]] = field(default_factory=list)


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
    for source_dir in sorted(p for p in raw_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for date_dir in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            export_date = _export_date(date_dir)
            if export_date is None:
                found.problems.append((date_dir, "folder name is not an export date YYYY-MM-DD"))
                continue
            groups: dict[str, list[tuple[str, Path]]] = {}
            for path in sorted(date_dir.iterdir()):
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
