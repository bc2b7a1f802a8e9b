"""Drafting a bulletin: content from the published warehouse, its prose checked, then every format
written into `<home>/bulletins/<program>/<period>/<export date>/`, replacing an earlier draft there.

The city edition and each district's edition (`district`) share the folder, each under its own file
name. A bulletin whose check fails is not released: no file of it is left in the folder (an earlier
draft of the same edition is removed too, so that nobody sends it) and BulletinRejected carries the
reasons. The formats are written beside the folder first, then moved in.

An edition whose content (every cell, sentence, chart value and configured text) and drafting code
are those of the draft already there is not written again: a night with nothing new, or with new
data of another program only, leaves the drafts and their files' times as they were. The SHA-256
over them is kept beside the folder (`.<export date>_<edition>.source`), so that the folder holds
the office's files only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
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
    _source_stamp(folder, stem).unlink(missing_ok=True)


def _source_stamp(folder: Path, stem: str) -> Path:
    return folder.parent / f".{folder.name}_{stem}.source"


def source_fingerprint(bulletin: Bulletin) -> str:
    """SHA-256 over what a draft is made of: the bulletin's content (every table cell, sentence, chart
    value, note), and the source of this package, which lays it out."""
    digest = hashlib.sha256(json.dumps(_plain(bulletin), ensure_ascii=False, sort_keys=True).encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "to_csv"):  # a DataFrame of a published table
        return value.to_csv()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return repr(value)


def write_formats(bulletin: Bulletin, folder: Path, formats: tuple[str, ...]) -> Draft:
    stem = stem_of(bulletin)
    fingerprint, stamp = source_fingerprint(bulletin), _source_stamp(folder, stem)
    present = [folder / f"{stem}.{fmt}" for fmt in FORMATS if fmt in formats and (folder / f"{stem}.{fmt}").exists()]
    if stamp.exists() and stamp.read_text(encoding="utf-8") == fingerprint and len(present) == len(formats):
        return Draft(folder, present, [])
    charts = [render(chart) for chart in bulletin.charts]
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
        stamp.write_text(fingerprint, encoding="utf-8")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Draft(folder, [folder / file.name for file in written], skipped)
