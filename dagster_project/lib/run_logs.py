"""Per-run log files in `<home>/logs`: dbt's own output (`dbt-<run>.log`) and the digest sent (`digest-<run>.txt`)."""

from __future__ import annotations

from pathlib import Path

KEPT_RUNS = 30  # the newest logs of each kind are kept; older ones are deleted when a run writes its own


def run_log(home: Path, kind: str, run_id: str, suffix: str = ".log", keep: int = KEPT_RUNS) -> Path:
    """The path of a run's `kind` log in <home>/logs (folder created); older logs of that kind beyond `keep`
    are deleted, newest first by modification time."""
    folder = Path(home) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{run_id}{suffix}"
    others = sorted((p for p in folder.glob(f"{kind}-*{suffix}") if p != path),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[keep - 1:]:
        old.unlink(missing_ok=True)
    return path
