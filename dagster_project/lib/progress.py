"""Progress of a run, stage by stage, as it happens: the Python logger `peixun.progress`.

The nightly run and its assets report here (files loaded n/N, dbt models n/M, checks, publish).
`peixun run` prints the lines on stdout, one whole line at a time and flushed, so a terminal,
a pipe and a nightly cron log all see them as they come (never a carriage-return bar). The
Dagster UI shows a run's progress by its own events; to have these lines in its event log too,
list the logger under python_logs.managed_python_loggers in <home>/dagster/dagster.yaml (each
line is then one more event written to the instance). Nobody listening, the lines go nowhere.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

PROGRESS_LOGGER = "peixun.progress"

logger = logging.getLogger(PROGRESS_LOGGER)
logger.setLevel(logging.INFO)
logger.propagate = False  # printed by `peixun run` (or kept by Dagster), never twice through the root logger


def report(message: str) -> None:
    """One line of progress."""
    logger.info(message)


class _SinceStart(logging.Formatter):
    """`  12.3s  message`: seconds since the command started."""

    def __init__(self, started: float):
        super().__init__()
        self.started = started

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.created - self.started:7.1f}s  {record.getMessage()}"


@contextmanager
def printed(stream: TextIO | None = None, started: float | None = None) -> Iterator[None]:
    """Within the block, write each progress line to `stream` (default stdout) and flush it."""
    handler = logging.StreamHandler(stream or sys.stdout)  # flushes after every record
    handler.setFormatter(_SinceStart(time.time() if started is None else started))
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
