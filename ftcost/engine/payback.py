"""The payback month for many variants at once, and break-even without the month axis.

:func:`ftcost.engine.summary.evaluate_summary` calls :func:`_payback_row`
for each strategy against the baseline: ``E(m) = K_s(m) - (1 + rtol) K_b(m)``
is written as a constant, a linear part, geometric terms and the retraining
runs as events (:func:`_payback_terms`). Variants that pay back in month 1,
or whose lower bound of ``E`` over the horizon stays above 0, are settled
without the month axis; the rest are run month by month, one cache block at
a time, until every variant in the block has paid back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .formulas import _PAYBACK_RTOL, BoolArray, FloatArray, IntArray, geometric_sum

if TYPE_CHECKING:  # plans is imported where plans need it (start-up)
    from .plans import Events, Term

# Same tolerance as engine.payback_month: a tie counts as paid back.
_RTOL = _PAYBACK_RTOL


def break_even(cost_s: ArrayLike, fbar_s: ArrayLike, cost_b: ArrayLike, fbar_b: ArrayLike) -> tuple[FloatArray, BoolArray]:
    """:func:`ftcost.engine.break_even_volume` with fewer full-width passes (same four cases, same numbers).

    Against a baseline at $0.0003 a request and $100 a month: $0.0001 + $1,241 breaks even at
    1,141 / 0.0002; the same $0.0003 with $10 a month is always cheaper (0); the same $0.0003 with
    $200 never is (NaN); $0.0005 with $0 is cheaper below 100 / 0.0002 = 500,000.

    >>> v, above = break_even(np.array([0.0001, 0.0003, 0.0003, 0.0005]), np.array([1241.0, 10.0, 200.0, 0.0]), 0.0003, 100.0)
    >>> v.round(1).tolist(), above.tolist()
    ([5705000.0, 0.0, nan, 500000.0], [True, True, True, False])
    """
    dc = np.subtract(cost_b, cost_s, dtype=float)
    df = np.subtract(fbar_s, fbar_b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        v = df / dc
    neg = df < 0
    below = (dc < 0) & neg  # dearer per request but cheaper fixed: wins below V*
    # max(V*, 0) where cheaper per request, V* where cheaper below it, else NaN (written in place: fewer passes)
    vol: FloatArray = np.full(np.shape(v), np.nan)
    np.maximum(v, 0.0, out=vol, where=dc > 0)
    np.copyto(vol, v, where=below)
    tie = (dc == 0) & neg  # same cost per request, cheaper fixed: always cheaper
    if tie.any():
        vol[tie] = 0.0
    # A per-request difference of ~1e-308 puts V* past the largest float: no break-even in practice (as in engine).
    np.copyto(vol, np.nan, where=np.isinf(vol))
    return vol, ~below


def _row(a: ArrayLike, s: int) -> FloatArray:
    """Row s of a [strategies or 1, width or 1] array, as [width or 1]."""
    arr = np.asarray(a, dtype=float)
    out: FloatArray = arr[s if arr.shape[0] > 1 else 0]
    return out


def _payback_terms(
    h: int,
    s: int,
    b: int,
    c_tok: FloatArray,
    q: FloatArray,
    f: FloatArray,
    t: FloatArray,
    once: FloatArray,
    retrain: NDArray[Any],
    v1: FloatArray,
    g: FloatArray,
    pc: FloatArray,
) -> tuple[FloatArray, FloatArray, list[Term], tuple[FloatArray, FloatArray, Events]]:
    """``E(m) = K_s(m) - (1 + rtol) K_b(m)`` of strategy s as (month-1 value, monthly constant, geometric terms, events).

    ``K(m) = O + m F + c_tok sum_{j<=m} V_j (1+p)^(j-1) + q sum_{j<=m} V_j + t sum_{training j<=m} (1+p)^(j-1)``:
    a constant, a linear part, geometric terms ``U_1 ratio^(m-1)`` (volumes
    and price index) and the retraining runs after month 1 as events.
    """
    r1 = 1.0 + _RTOL
    row = _row
    cs, cb, qs, qb = row(c_tok, s), row(c_tok, b), row(q, s), row(q, b)
    v, gg = row(v1, 0), row(g, 0)
    ps, pb = row(pc, s), row(pc, b)
    kq = qs - r1 * qb
    if not np.any(pc):
        terms = [((cs - r1 * cb + kq) * v, 1.0 + gg)]
    else:
        if np.array_equal(ps, pb):
            terms = [((cs - r1 * cb) * v, 1.0 + (gg + ps + gg * ps))]
        else:
            terms = [(cs * v, 1.0 + (gg + ps + gg * ps)), (-r1 * cb * v, 1.0 + (gg + pb + gg * pb))]
        terms.append((kq * v, 1.0 + gg))
    terms = [(u, ratio) for u, ratio in terms if np.any(u)]
    b1 = row(f, s) - r1 * row(f, b)
    ts, tb = row(t, s), row(t, b)
    first = row(once, s) - r1 * row(once, b) + (ts - r1 * tb)  # month 1's one-offs and first training runs
    events = (ts, r1 * tb, _training_events(h, row(retrain, s), row(retrain, b), ps, pb))
    return first, b1, terms, events


def _payback_row(
    h: int,
    width: int,
    cache_block: int,
    growth_sum: FloatArray | None,
    first: FloatArray,
    b1: FloatArray,
    terms: list[Term],
    events: tuple[FloatArray, FloatArray, Events],
) -> IntArray:
    """First month with ``E(m) <= 0`` (0 if none) for one strategy across ``width`` variants.

    Variants settled without the month axis: ``E(1) <= 0`` (month 1), and
    variants whose lower bound of ``E`` over the horizon is above 0 (never).
    The rest are gathered and run month by month, ``cache_block`` at a time.
    """
    e1 = first + b1
    for u, _ in terms:
        e1 = e1 + u
    if np.all(e1 <= 0.0):  # every variant has paid back in month 1
        return np.ones(width, dtype=np.int64)
    if h == 1:  # one month (a plan's segment between two phase changes): month 1 or never, no bound needed
        return np.broadcast_to(np.where(e1 <= 0.0, 1, 0), (width,)).astype(np.int64)
    # A lower bound of E(m) over m = 1..h. The fixed part m b1 and each falling
    # volume term u G(m) (u < 0, ratio >= 1: G convex) add up to a concave
    # function of m, smallest at m = 1 or m = h; every other term is bounded
    # by its own smallest value (u at m = 1 when u >= 0, u G(h) when u < 0),
    # and retraining runs by their savings only.
    at_1, at_h = b1, h * b1
    rest: float | FloatArray = 0.0
    for u, ratio in terms:  # growth_sum: G(h) of the volume ratio, when every term has that ratio
        gs = growth_sum if growth_sum is not None else geometric_sum(ratio - 1.0, h)
        falling = (u < 0) & (ratio >= 1.0)
        if falling.all():  # the common case: cheaper per request, volume not shrinking
            at_1, at_h = at_1 + u, at_h + u * gs
            continue
        at_1 = at_1 + np.where(falling, u, 0.0)
        at_h = at_h + np.where(falling, u * gs, 0.0)
        rest = rest + np.where(falling, 0.0, np.where(u >= 0, u, u * gs))
    low = first + np.minimum(at_1, at_h) + rest
    ts, tb, runs = events  # retraining: E changes by ts x cs - tb x cb in month m, cs, cb >= 0
    if runs:
        cs_sum = sum(cs for cs, _ in runs.values())
        cb_sum = sum(cb for _, cb in runs.values())
        low = low + np.minimum(ts, 0.0) * cs_sum - np.maximum(tb, 0.0) * cb_sum
    e1, low = np.broadcast_arrays(e1, low)
    pay = np.where(e1 <= 0.0, 1, 0)
    pay = np.broadcast_to(pay, (width,)).copy() if pay.shape != (width,) else pay
    todo = np.flatnonzero(np.broadcast_to((e1 > 0.0) & (low <= 0.0), (width,)))
    if todo.size == 0 or h == 1:
        return pay

    def pick(a: ArrayLike, idx: IntArray) -> FloatArray:
        arr = np.asarray(a, dtype=float)
        return arr[idx] if arr.shape[-1] > 1 else arr

    for lo in range(0, todo.size, cache_block):
        idx = todo[lo : lo + cache_block]
        e = np.array(np.broadcast_to(pick(e1, idx), idx.shape))
        c = pick(b1, idx)
        us = [(np.array(np.broadcast_to(pick(u, idx), idx.shape)), pick(r, idx)) for u, r in terms]
        ts_i, tb_i = pick(ts, idx), pick(tb, idx)
        ev = {m: ts_i * pick(cs, idx) - tb_i * pick(cb, idx) for m, (cs, cb) in runs.items()}
        still = np.ones(idx.shape, dtype=bool)
        gt = np.empty(idx.shape, dtype=bool)
        count = np.ones(idx.shape, dtype=np.int32)  # month 1 already failed
        for m in range(2, h + 1):
            for u, ratio in us:
                u *= ratio
                e += u
            e += c
            if m in ev:
                e += ev[m]
            np.greater(e, 0.0, out=gt)
            still &= gt
            count += still
            if m % 4 == 0 and not still.any():
                break
        pay[idx] = np.where(still, 0, count + 1)
    return pay


def _training_events(h: int, rs: FloatArray, rb: FloatArray, ps: FloatArray, pb: FloatArray) -> Events:
    """``{month: (cs, cb)}`` for the retraining runs after month 1: the price index ``(1+p)^(m-1)``
    where strategy s (cs) or the baseline (cb) trains in month m (every month ``1 + kR``), else 0."""
    events: Events = {}
    if not (np.any(rs > 0) or np.any(rb > 0)):
        return events
    if rs.shape[-1] == 1 and rb.shape[-1] == 1:  # the same schedule for every variant: only its months
        months: set[int] = set()
        for r in set(rs.ravel().tolist()) | set(rb.ravel().tolist()):  # (np.unique would import numpy.ma)
            if r > 0:
                months.update(range(1 + int(r), h + 1, int(r)))
        candidates: Iterable[int] = sorted(months)
    else:
        candidates = range(2, h + 1)
    for m in candidates:
        runs_s = (rs > 0) & ((m - 1) % np.maximum(rs, 1) == 0)
        runs_b = (rb > 0) & ((m - 1) % np.maximum(rb, 1) == 0)
        if runs_s.any() or runs_b.any():
            events[m] = (np.where(runs_s, (1.0 + ps) ** (m - 1), 0.0), np.where(runs_b, (1.0 + pb) ** (m - 1), 0.0))
    return events
