"""Exact integer allocation helpers (vectorised; loops only over rounds)."""

from __future__ import annotations

import numpy as np


def half_up(x: float) -> int:
    """Round a non-negative number half-up."""
    return int(np.floor(x + 0.5))


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton method)."""
    w = np.asarray(weights, dtype=float)
    quota = total * w / w.sum()
    base = np.floor(quota).astype(np.int64)
    rest = total - int(base.sum())
    order = np.argsort(-(quota - base), kind="stable")
    base[order[:rest]] += 1
    return base


def capped_allocate(
    total: int, lo: np.ndarray, hi: np.ndarray, weights: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Integers x with lo <= x <= hi, sum(x) == total, spread roughly by ``weights``."""
    x = np.asarray(lo, dtype=np.int64).copy()
    hi = np.asarray(hi, dtype=np.int64)
    w = np.asarray(weights, dtype=float)
    rest = int(total - x.sum())
    if rest < 0 or rest > int((hi - x).sum()):
        raise ValueError(f"cannot allocate {total} within bounds [{x.sum()}, {hi.sum()}]")
    while rest > 0:
        cap = hi - x
        share = np.where(cap > 0, w, 0.0)
        add = np.minimum(np.floor(rest * share / share.sum()).astype(np.int64), cap)
        if add.sum() == 0:
            open_ = np.flatnonzero(cap > 0)
            add[rng.choice(open_, size=min(rest, open_.size), replace=False)] = 1
        x += add
        rest -= int(add.sum())
    return x


def share_counts(shares_bp: tuple[int, ...], min_total: int) -> np.ndarray:
    """Smallest N >= min_total and counts whose shares round half-up to ``shares_bp``.

    A count n of N rounds to s basis points iff (2s-1)N <= 20000n < (2s+1)N.
    """
    s = np.asarray(shares_bp, dtype=np.int64)
    start = max(1, min_total)
    while True:
        n_total = np.arange(start, start + 100_000, dtype=np.int64)[:, None]
        lo = -((-(2 * s - 1) * n_total) // 20_000)
        hi = -((-(2 * s + 1) * n_total) // 20_000) - 1
        ok = (lo <= hi).all(1) & (lo.sum(1) <= n_total[:, 0]) & (hi.sum(1) >= n_total[:, 0])
        hits = np.flatnonzero(ok)
        if hits.size:
            i = hits[0]
            counts = lo[i].copy()
            rest = int(n_total[i, 0] - counts.sum())
            room = hi[i] - lo[i]
            for j in np.argsort(-s, kind="stable"):  # top up the largest shares first
                step = min(rest, int(room[j]))
                counts[j] += step
                rest -= step
            return counts
        start += 100_000


def split(total: int, room: np.ndarray) -> np.ndarray:
    """Split ``total`` proportionally to ``room`` (largest remainder); no part exceeds its room.

    A part's quota total * room_i / sum(room) is at most room_i, and the remainder only tops up
    parts with a fractional quota, so the rounding never overflows a room.
    """
    room = np.asarray(room, dtype=np.int64)
    if total < 0 or total > room.sum() or (room < 0).any():
        raise ValueError(f"cannot split {total} within rooms {room.tolist()}")
    return largest_remainder(total, room) if total else np.zeros(room.size, dtype=np.int64)


def allocate_table(row_totals: np.ndarray, col_totals: np.ndarray) -> np.ndarray:
    """Non-negative integer matrix with exactly these row and column sums, cells near proportional.

    Column by column, each column's total is split over the rows' remaining room by largest
    remainder (``split``); the last column takes exactly what is left of every row.
    """
    rows = np.asarray(row_totals, dtype=np.int64)
    cols = np.asarray(col_totals, dtype=np.int64)
    if rows.sum() != cols.sum() or (rows < 0).any() or (cols < 0).any():
        raise ValueError(f"margins differ or are negative: rows {rows.sum()}, columns {cols.sum()}")
    out = np.zeros((rows.size, cols.size), dtype=np.int64)
    room = rows.copy()
    for j, total in enumerate(cols):  # one step per column (a handful), vectorised over rows
        out[:, j] = split(int(total), room)
        room -= out[:, j]
    assert (out.sum(axis=0) == cols).all() and (out.sum(axis=1) == rows).all() and (out >= 0).all()
    return out


def rank_within(groups: np.ndarray, rng: np.random.Generator, key: np.ndarray | None = None) -> np.ndarray:
    """0-based rank of each element inside its group (groups need not be sorted).

    Ranked by ``key`` (ties broken by position) if given, else at random.
    """
    order = np.lexsort((rng.random(groups.size) if key is None else key, groups))
    sorted_groups = groups[order]
    starts = np.r_[0, np.flatnonzero(sorted_groups[1:] != sorted_groups[:-1]) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, groups.size]))
    ranks = np.empty(groups.size, dtype=np.int64)
    ranks[order] = np.arange(groups.size) - first
    return ranks


def repeat_index(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts c_i, return (owner index i, position k in 0..c_i-1) for every slot."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(owner.size) - starts[owner]
