"""Per-run log files in `<home>/logs`: dbt's own output (`dbt-<run>.log`) and the digest sent (`digest-<run>.txt`)."""

from __future__ import annotations

from pathlib import Path

KEPT_RUNS = 30  # the newest logs of each kind are kept; older ones are deleted when a run writes its own


def log_path(home: Path, kind: str, run_id: str, suffix: str = ".log") -> Path:
    """Where a run's `kind` log is: <home>/logs/<kind>-<run_id><suffix>."""
    return Path(home) / "logs" / f"{kind}-{run_id}{suffix}"


def run_log(home: Path, kind: str, run_id: str, suffix: str = ".log", keep: int = KEPT_RUNS) -> Path:
    """The path of a run's `kind` log, about to be written (folder created); older logs of that kind beyond
    `keep` are deleted, newest first by modification time."""
    path = log_path(home, kind, run_id, suffix)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    others = sorted((p for p in folder.glob(f"{kind}-*{suffix}") if p != path),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[keep - 1:]:
        old.unlink(missing_ok=True)
    return path
