"""Runs the warehouse could not record yet: <home>/runs.pending.jsonl, one JSON object per line.

A run refused because another holds the home, a run found killed, a run that ended while the
warehouse was busy: their rows of ops.run_history wait here (the warehouse takes one writer,
and the run that holds it may be writing). `peixun status` shows them at once; the next run
that records its own history moves them into ops.run_history.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path
from typing import Any

JOURNAL_FILE = "runs.pending.jsonl"


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("started_at", "finished_at"):
        if isinstance(row.get(key), str):
            row[key] = dt.datetime.fromisoformat(row[key])
    return row


def append(home: Path, row: dict[str, Any]) -> None:
    """Add one run's row; one write of one line in append mode, so concurrent writers do not mix lines."""
    line = json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False) + "\n"
    fd = os.open(home / JOURNAL_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def _parse(text: str) -> list[dict[str, Any]]:
    rows = []
    for line in text.splitlines():
        try:
            rows.append(_decode(json.loads(line)))
        except ValueError:
            continue  # a line cut short by a crash
    return rows


def pending(home: Path) -> list[dict[str, Any]]:
    path = home / JOURNAL_FILE
    return _parse(path.read_text(encoding="utf-8")) if path.exists() else []


def take(home: Path) -> list[dict[str, Any]]:
    """Remove and return the pending rows (the caller records them; a line appended meanwhile stays)."""
    path = home / JOURNAL_FILE
    if not path.exists():
        return []
    taken = path.with_name(f".{JOURNAL_FILE}.{uuid.uuid4().hex}")
    os.replace(path, taken)
    try:
        return _parse(taken.read_text(encoding="utf-8"))
    finally:
        taken.unlink()


def put_back(home: Path, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        append(home, row)
