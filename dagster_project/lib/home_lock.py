"""One nightly run per home at a time: an exclusive lock on <home>/run.lock for the whole run.

The lock is flock(2) on the file, so the kernel releases it when its holder exits, however it
exits (kill -9 included); the home must be on a local file system. While held, the file
names the holder (run id, start, pid, command) for the refusal message and `peixun status`;
a holder that finishes empties it. A file still naming a holder when the lock is free again
therefore tells that the holder was killed: the next run records that run as aborted.

A process takes the lock once and holds it for everything it runs in that home: `peixun run`
takes it before it starts Dagster, and the run's warehouse resource, initialised in the same
process, finds it held here and goes on (`hold_home` is re-entrant per process).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from dagster_project.lib import run_journal

LOCK_FILE = "run.lock"


@dataclass(frozen=True)
class Holder:
    run_id: str
    started_at: str  # ISO 8601, local time
    pid: int
    command: str  # "peixun run", "peixun backfill", "dagster run"

    def describe(self) -> str:
        return f"{self.run_id}, started at {self.started_at}"


class HomeBusy(Exception):
    """Another run holds the home; the message is one line naming it."""

    def __init__(self, home: Path, holder: Holder | None) -> None:
        self.home, self.holder = home, holder
        who = f"another run ({holder.describe()}, pid {holder.pid})" if holder else "another run"
        super().__init__(f"{who} holds this home ({home}); try again when it has finished")


def _read(path: Path) -> Holder | None:
    try:
        text = path.read_text(encoding="utf-8").strip()
        return Holder(**json.loads(text)) if text else None
    except (OSError, ValueError, TypeError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def holder(home: Path) -> Holder | None:
    """Who holds the home now, without touching the lock (a probe must never make a run fail to start)."""
    found = _read(home / LOCK_FILE)
    return found if found is not None and _alive(found.pid) else None


@dataclass
class HomeLock:
    home: Path
    holder: Holder
    stale: Holder | None  # the previous holder, killed before it could release the lock
    _fd: int


_held: dict[Path, HomeLock] = {}  # the homes this process holds


def _acquire(home: Path, run_id: str, command: str) -> HomeLock:
    home.mkdir(parents=True, exist_ok=True)
    path = home / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise HomeBusy(home, _read(path)) from None
    stale = _read(path)
    me = Holder(run_id, dt.datetime.now().isoformat(timespec="seconds"), os.getpid(), command)
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(asdict(me)) + "\n").encode(), 0)
    os.fsync(fd)
    return HomeLock(home, me, stale, fd)


def _release(lock: HomeLock) -> None:
    os.ftruncate(lock._fd, 0)  # a clean end: nothing for the next run to record as aborted
    fcntl.flock(lock._fd, fcntl.LOCK_UN)
    os.close(lock._fd)


@contextmanager
def hold_home(home: Path, run_id: str, command: str, journal_refusal: bool = True) -> Iterator[HomeLock]:
    """Hold `home` for the block; HomeBusy at once when another process holds it.

    The run history learns of both (lib/run_journal.py): a refused run is journaled as 'refused'
    (unless `journal_refusal` is false: not a run), a predecessor found killed as 'aborted'.
    Re-entrant within a process: an inner hold of a home this process holds yields the outer lock.
    """
    home = home.absolute()
    if home in _held:
        yield _held[home]
        return
    try:
        lock = _acquire(home, run_id, command)
    except HomeBusy as busy:
        if not journal_refusal:
            raise
        now = dt.datetime.now()
        run_journal.append(home, {"run_id": run_id, "status": "refused", "started_at": now, "finished_at": now,
                                  "failure_reason": str(busy)})
        raise
    if lock.stale is not None:
        run_journal.append(home, {
            "run_id": lock.stale.run_id, "status": "aborted",
            "started_at": dt.datetime.fromisoformat(lock.stale.started_at), "finished_at": None,
            "failure_reason": f"{lock.stale.command} (pid {lock.stale.pid}) was killed before it finished; "
                              f"found by run {run_id}"})
    _held[home] = lock
    try:
        yield lock
    finally:
        del _held[home]
        _release(lock)
