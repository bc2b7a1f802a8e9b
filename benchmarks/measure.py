"""Run one contender as its own process and take its costs from the OS.

A small launcher process (`python -m benchmarks.measure OUT.json -- ARGV`) starts the
contender and waits for it with wait4, which gives exact totals: wall clock, user + system CPU
and the peak resident set of the largest process of the tree (children such as dbt included
once reaped). The launcher exists because Linux hands a forked child the peak RSS of the
process that forked it: started from the benchmark itself, every contender would inherit its
memory. Meanwhile the benchmark samples /proc every 0.1 s for the launcher's descendants:
summed CPU and summed RSS over time, from which a window (a pipeline stage) gets its CPU
seconds and peak memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.1
REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Sample:
    at: float  # epoch seconds
    cpu: float  # CPU seconds used by the tree so far
    rss: int  # bytes resident, summed over the tree's live processes


@dataclass
class Measurement:
    started: float  # epoch seconds when the contender was started
    wall: float
    user: float
    system: float
    max_rss: int  # bytes, largest single process of the tree (wait4)
    peak_tree_rss: int  # bytes, largest sampled sum over the tree
    returncode: int
    load_before: tuple[float, float, float]
    stopped_over: int  # bytes: the memory cap the run was stopped for exceeding, 0 if it ran to its end
    load_after: tuple[float, float, float]
    samples: list[Sample] = field(default_factory=list, repr=False)

    @property
    def cpu(self) -> float:
        return self.user + self.system

    @property
    def peak_rss(self) -> int:
        return max(self.max_rss, self.peak_tree_rss)

    def window(self, start: float, end: float) -> tuple[float, int]:
        """CPU seconds and peak summed RSS of the tree between two epoch instants (from the samples)."""
        inside = [s for s in self.samples if start <= s.at <= end]
        around = [s for s in self.samples if s.at < start][-1:] + inside + [s for s in self.samples if s.at > end][:1]
        cpu = around[-1].cpu - around[0].cpu if len(around) > 1 else 0.0
        return cpu, max((s.rss for s in inside or around), default=0)

    def summary(self) -> dict:
        data = asdict(self)
        data.pop("samples")
        return data


def _stat(pid: str) -> tuple[int, float, int] | None:
    """(parent pid, CPU seconds incl. reaped children, RSS bytes) of one process, None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    ticks = sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return int(fields[1]), ticks / CLOCK_TICKS, int(fields[21]) * PAGE_BYTES


def sample_descendants(root: int) -> tuple[Sample | None, list[int]]:
    """CPU and RSS summed over the descendants of `root` (None when it has none left), and their pids."""
    stats = {int(p): s for p in os.listdir("/proc") if p.isdigit() and (s := _stat(p)) is not None}
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    tree, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    live = [p for p in tree if stats[p][2] > 0]
    if not live:
        return None, []
    return Sample(time.time(), sum(stats[p][1] for p in tree), sum(stats[p][2] for p in live)), tree


def _importable_env() -> dict[str, str]:
    paths = [str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def measure(argv: list[str], log: Path, memory_cap: int = 0) -> Measurement:
    """Run `argv` (output to `log`, the repository importable) to completion through the launcher; measure it.

    With `memory_cap` (bytes), the run is stopped (SIGKILL) once its tree holds more than that:
    the machine is shared, and a peer that needs more than the cap has answered the question.
    """
    samples: list[Sample] = []
    stopped = 0
    done = threading.Event()
    load_before = os.getloadavg()
    totals = log.with_suffix(".rusage.json")
    with log.open("wb") as out:
        launcher = subprocess.Popen([sys.executable, "-m", "benchmarks.measure", str(totals), "--", *argv],
                                    stdout=out, stderr=subprocess.STDOUT, env=_importable_env())

    def sample() -> None:
        nonlocal stopped
        while not done.wait(SAMPLE_SECONDS):
            taken, pids = sample_descendants(launcher.pid)
            if taken is None:
                continue
            samples.append(taken)
            if memory_cap and taken.rss > memory_cap and not stopped:
                stopped = memory_cap
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    launcher.wait()
    done.set()
    sampler.join()
    if launcher.returncode != 0 and not totals.exists():
        raise RuntimeError(f"the launcher failed (exit {launcher.returncode}); see {log}")
    usage = json.loads(totals.read_text(encoding="utf-8"))
    return Measurement(
        **usage,
        peak_tree_rss=max((s.rss for s in samples), default=0),
        load_before=load_before,
        load_after=os.getloadavg(),
        stopped_over=stopped,
        samples=samples,
    )


def launch(totals: Path, argv: list[str]) -> int:
    """The launcher: run `argv`, wait for it, write its totals to `totals`; exit with its code."""
    started, clock = time.time(), time.perf_counter()
    child = subprocess.Popen(argv)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    totals.write_text(json.dumps({
        "started": started, "wall": time.perf_counter() - clock, "user": usage.ru_utime,
        "system": usage.ru_stime, "max_rss": usage.ru_maxrss * 1024, "returncode": child.returncode,
    }), encoding="utf-8")
    return child.returncode


if __name__ == "__main__":
    out, separator, *command = sys.argv[1:]
    sys.exit(launch(Path(out), command))
