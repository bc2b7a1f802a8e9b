"""Drafting a bulletin: content from the published warehouse, its prose checked, then every format
written into `<home>/bulletins/<program>/<period>/<export date>/`, replacing an earlier draft there.

The city edition and each district's edition (`district`) share the folder, each under its own file
name. A bulletin whose check fails is not released: no file of it is left in the folder (an earlier
draft of the same edition is removed too, so that nobody sends it) and BulletinRejected carries the
reasons. The formats are written beside the folder first, then moved in.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from dagster_project.defs.publish.bulletin.charts import render
from dagster_project.defs.publish.bulletin.checks import check
from dagster_project.defs.publish.bulletin.config import BulletinConfig, load_bulletin_config
from dagster_project.defs.publish.bulletin.content import Bulletin, build_content
from dagster_project.defs.publish.bulletin.docx import write_docx
from dagster_project.defs.publish.bulletin.html import write_html
from dagster_project.defs.publish.bulletin.pdf import MissingTool, write_pdf
from dagster_project.defs.publish.tables import published_database

FORMATS = ("docx", "html", "pdf")


class BulletinRejected(Exception):
    """The bulletin's text disagrees with its tables; `problems` are the Chinese reasons."""

    def __init__(self, folder: Path, problems: list[str]):
        super().__init__(f"通报未发布（{folder}）：" + "；".join(problems))
        self.folder, self.problems = folder, problems


@dataclass(frozen=True)
class Draft:
    folder: Path
    files: list[Path]
    skipped: list[str]  # formats not written and why (no PDF without chromium or a CJK font)


def folder_of(home: Path, bulletin: Bulletin) -> Path:
    return home / "bulletins" / bulletin.program.code / bulletin.period / bulletin.export_date


def stem_of(bulletin: Bulletin) -> str:
    return f"{bulletin.masthead}_{bulletin.period}_{bulletin.export_date}"


def draft(home: Path, program: str, period: str, as_of: str | None = None, formats: tuple[str, ...] = FORMATS,
          district: str | None = None, config: BulletinConfig | None = None) -> Draft:
    bulletin = build_content(published_database(home), config or load_bulletin_config(), program, period, as_of,
                             district)
    folder = folder_of(home, bulletin)
    problems = check(bulletin.sentences, bulletin.facts, bulletin.plain_numbers)
    if problems:
        _remove_edition(folder, stem_of(bulletin))
        raise BulletinRejected(folder, problems)
    return write_formats(bulletin, folder, formats)


def _remove_edition(folder: Path, stem: str) -> None:
    for fmt in FORMATS:
        (folder / f"{stem}.{fmt}").unlink(missing_ok=True)


def write_formats(bulletin: Bulletin, folder: Path, formats: tuple[str, ...]) -> Draft:
    charts = [render(chart) for chart in bulletin.charts]
    stem = stem_of(bulletin)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}")
    staging.mkdir()
    skipped = []
    try:
        if "docx" in formats:
            write_docx(bulletin, charts, staging / f"{stem}.docx")
        with tempfile.TemporaryDirectory(prefix="peixun-bulletin-") as scratch:
            html = write_html(bulletin, charts, (staging if "html" in formats else Path(scratch)) / f"{stem}.html")
            if "pdf" in formats:
                try:
                    write_pdf(html, staging / f"{stem}.pdf")
                except MissingTool as exc:
                    skipped.append(str(exc))
        _remove_edition(folder, stem)  # an earlier draft of this edition, in every format
        written = sorted(staging.iterdir(), key=lambda p: FORMATS.index(p.suffix[1:]))
        for file in written:
            file.replace(folder / file.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Draft(folder, [folder / file.name for file in written], skipped)
