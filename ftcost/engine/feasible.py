"""Which plan rows and strategies can be carried out until which month, and the cheapest feasible one.

A plan row is one phase of a strategy (docs/migration.md); these helpers
turn the rows' limits into each strategy's last feasible month and pick the
cheapest strategy among those feasible over the whole horizon.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .formulas import FloatArray, IntArray


def row_feasible_until(
    horizon: float,
    first_month: ArrayLike,
    last_month: ArrayLike,
    retrain_every: ArrayLike,
    has_training: ArrayLike,
    jobs_until: ArrayLike,
    feasible_last: ArrayLike,
) -> FloatArray:
    """Last month each plan row can be carried out, in closed form (no month axis); inf = no limit.

    A row (one phase of a strategy) trains in its first month and every
    ``retrain_every`` months after it, up to its last month. A run after
    month ``jobs_until`` cannot happen: the row stops in the month before the
    first such run. ``feasible_last`` is a limit known in advance (a model
    that retires with nowhere to go).

    Runs in months 1, 7, 13, 19; new jobs only up to month 9: the month-13
    retrain cannot run, so the plan holds up to month 12.

    >>> float(row_feasible_until(24, 1, 24, 6, 1, 9, np.inf))
    12.0
    >>> float(row_feasible_until(24, 1, 24, 0, 1, 9, np.inf))  # trains once, in month 1: no limit
    inf
    >>> float(row_feasible_until(24, 5, 24, 0, 1, 4, np.inf))  # a migration run in month 5, jobs ended in month 4
    4.0
    """
    first = np.asarray(first_month, dtype=float)
    last = np.minimum(np.asarray(last_month, dtype=float), float(horizon))
    r = np.asarray(retrain_every, dtype=float)
    ju = np.asarray(jobs_until, dtype=float)
    trains = (np.asarray(has_training) > 0) & (last >= first)
    after = np.maximum(first, np.floor(ju) + 1.0)  # first month the provider takes no new jobs (inf: never)
    safe_r = np.maximum(r, 1.0)
    bad = np.where(r > 0, first + np.ceil((after - first) / safe_r) * safe_r, np.where(after == first, first, np.inf))
    bad = np.where(trains & (bad <= last), bad, np.inf)
    out: FloatArray = np.minimum(np.asarray(feasible_last, dtype=float), bad - 1.0)
    return out


def by_strategy(a: NDArray[Any], owner: tuple[int, ...] | None, count: int) -> NDArray[Any]:
    """Sum the plan rows of each strategy: [rows, ...] -> [strategies, ...] (``owner`` None: unchanged)."""
    if owner is None:
        return a
    a = np.asarray(a)
    out = np.array(a[:count], dtype=np.result_type(a.dtype, float) if a.dtype == bool else a.dtype)
    for r in range(count, len(owner)):
        out[owner[r]] += a[r]
    return out


def strategy_feasible_until(row_limit: ArrayLike, owner: tuple[int, ...] | None, count: int, horizon: int) -> IntArray:
    """Each strategy's last feasible month (0..horizon, int) from its rows' limits (the earliest wins)."""
    lim = np.asarray(row_limit, dtype=float)
    if owner is not None:
        lim = lim.copy()
        out = lim[:count].copy()
        for r in range(count, len(owner)):
            out[owner[r]] = np.minimum(out[owner[r]], lim[r])
        lim = out
    clipped: FloatArray = np.clip(lim, 0, horizon)
    return clipped.astype(np.int64)


def cheapest_feasible(total: NDArray[Any], feasible_until: ArrayLike, horizon: int) -> IntArray:
    """Index of the cheapest strategy among those feasible over the whole horizon; -1 where none is.

    >>> cheapest_feasible(np.array([10.0, 5.0, 7.0]), np.array([12, 6, 12]), 12).tolist()
    2
    """
    ok = np.asarray(feasible_until) >= horizon
    every = bool(ok.all())  # the common case: every plan runs the whole horizon
    masked = np.asarray(total) if every else np.where(ok, total, np.inf)
    idx: IntArray
    if masked.ndim == 2 and 1 < masked.shape[0] <= 8 and not np.isnan(masked).any():
        # argmin down a short axis 0 walks the array across its rows; row by row is several
        # times faster and gives the same index (the first of equal minima: strict <).
        idx = np.zeros(masked.shape[1], dtype=np.int64)
        low = masked[0].copy()
        for s in range(1, masked.shape[0]):
            np.copyto(idx, s, where=masked[s] < low)
            np.minimum(low, masked[s], out=low)
    else:
        idx = np.argmin(masked, axis=0)
    if every:
        return idx
    out: IntArray = np.where(ok.any(axis=0), idx, -1)
    return out
