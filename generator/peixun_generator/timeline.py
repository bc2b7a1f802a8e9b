"""Epoch-second helpers: internal timestamps are naive local times as int64 seconds."""

from __future__ import annotations

import datetime as dt

import numpy as np

DAY = 86_400
NAT = np.iinfo(np.int64).min


def seconds(day: dt.date, hour: int = 0) -> int:
    """Seconds since 1970-01-01 of ``day`` at ``hour``:00."""
    return (day - dt.date(1970, 1, 1)).days * DAY + hour * 3600


def end_of(day: dt.date) -> int:
    """Last second of ``day``: the as-of instant of an export dated ``day``."""
    return seconds(day) + DAY - 1


def between(
    start: np.ndarray | int, stop: np.ndarray | int, rng: np.random.Generator, n: int, power: float = 1.0
) -> np.ndarray:
    """Random instants in [start, stop] (``power`` < 1 skews them towards ``stop``)."""
    start = np.asarray(start, dtype=np.int64)
    span = np.maximum(np.asarray(stop, dtype=np.int64) - start, 0)
    return start + (span * rng.random(n) ** power).astype(np.int64)


def to_datetime(values: np.ndarray) -> np.ndarray:
    """int64 seconds (NAT = missing) to datetime64[s]."""
    return np.asarray(values, dtype=np.int64).view("datetime64[s]")
