"""Closed forms for plans over several models (issue 13): the summary of :func:`ftcost.engine.evaluate`
when a strategy's rows are phases active over parts of the horizon.

:mod:`ftcost.engine.summary` calls :func:`closed_form` for such inputs, one
chunk of variants at a time. Every row ``r`` (one phase of a strategy) is
active from month ``a_r`` to ``z_r`` (the same for every variant), so the
cost of a row up to month M is a closed form again: with
``G(n) = sum_{k<n} ratio^k``,

* requests: ``c V_1 (G(min(z, M)) - G(a - 1))`` with ratio ``(1+g)(1+p)``;
* fixed costs: ``F`` times the active months up to M;
* training runs in months ``a, a+R, ...``: ``T (1+p)^(a-1) G_step(runs)``
  with ``step = (1+p)^R - 1``;
* the one-time cost (the migration cost of later phases) in month ``a``.

The payback month is found segment by segment: between two phase
boundaries the set of active rows does not change, so the month-by-month
search of :mod:`ftcost.engine.payback` (``payback_row``, passed in) runs on
each segment, starting from the exact cumulative difference at the
segment's start. The numbers equal :func:`ftcost.engine.evaluate`'s up to
floating-point rounding (tests/test_engine_plans.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .feasible import by_strategy, cheapest_feasible, row_feasible_until, strategy_feasible_until
from .formulas import _PAYBACK_RTOL, BoolArray, FloatArray, IntArray, geometric_sum, training_run_cost, training_runs
from .inputs import Inputs, epochs_of, fixed_monthly_of, request_cost_of

_RTOL = _PAYBACK_RTOL

# The month-by-month payback search of engine.payback (``_payback_row``) and its arguments:
# a geometric term ``u ratio^(m-1)`` as (u, ratio), and the retraining events
# ``{month: (savings of s, cost of the baseline)}`` after the first month.
Term: TypeAlias = tuple[FloatArray, FloatArray]
Events: TypeAlias = dict[int, tuple[FloatArray, FloatArray]]
PaybackRow: TypeAlias = Callable[
    [int, int, int, "FloatArray | None", FloatArray, FloatArray, list[Term], tuple[FloatArray, FloatArray, Events]],
    IntArray,
]
BreakEven: TypeAlias = Callable[[FloatArray, FloatArray, FloatArray, FloatArray], tuple[FloatArray, BoolArray]]


class Rows:
    """The per-row numbers of a chunk of variants, arrays [rows, width or 1]."""

    def __init__(self, x: Inputs, p: dict[str, NDArray[Any]]):
        h = int(x.horizon)
        self.h = h
        self.c = request_cost_of(p)
        self.q = np.asarray(p["quality_cost"], dtype=float)
        self.f = fixed_monthly_of(p)
        self.ep = epochs_of(p)
        self.has_t = np.asarray(p["has_training"]) > 0
        self.t = self._training_run_cost(p)
        self.retrain = np.asarray(p["retrain_every"], dtype=float)
        self.one_time = np.asarray(p["one_time_cost"], dtype=float)
        self.once = self.one_time + np.asarray(p["data_generation_cost"], dtype=float)
        self.v1 = np.asarray(p["requests_per_month"], dtype=float)
        self.g = np.asarray(p["growth"], dtype=float)
        self.pc = np.asarray(p["price_change"], dtype=float)
        self.first = np.asarray(p["first_month"], dtype=float)
        self.last = np.minimum(np.asarray(p["last_month"], dtype=float), float(h))
        self.jobs_until, self.feasible_last = p["jobs_until"], p["feasible_last"]
        # volume x price index, per month; one row for all when no row has a price change
        self.ratio = 1.0 + (self.g + self.pc + self.g * self.pc) if np.any(self.pc) else 1.0 + self.g
        self.n_rows = max(np.shape(a)[0] for a in (self.c, self.f, self.t, self.first, self.last, self.once))
        # G(k) = sum_{j<k} ratio^j for the few whole months k the plan's boundaries need, computed
        # once per k when every row has the same ratio (no price change): see :meth:`growth_sum`.
        self._gm1 = self.ratio - 1.0
        with np.errstate(divide="ignore"):  # a ratio of 0 (g = -1 after rounding): log -inf, G(k) = 1 for k >= 1
            self._log = np.log1p(self._gm1)
        self._zero = self._gm1 == 0
        self._has_zero = bool(np.any(self._zero))
        self._safe = np.where(self._zero, 1.0, self._gm1) if self._has_zero else self._gm1
        self._sums: dict[int, FloatArray] = {}
        self._powers: dict[int, FloatArray] = {}
        self._total: FloatArray | None = None
        self.ratio_row: FloatArray = self.row(self.ratio, 0)  # the shared ratio as one object (terms that share it merge)

    def _training_run_cost(self, p: dict[str, NDArray[Any]]) -> FloatArray:
        """T of every row (0 where the row does not train), computed on the rows that train only."""

        def run_cost(pick: Callable[[ArrayLike], NDArray[Any]]) -> FloatArray:
            return training_run_cost(
                pick(p["training_tokens"]), pick(self.ep), pick(p["training_price"]), pick(p["min_job_fee"]), pick(p["training_fixed"]), pick(p["max_job_fee"])
            )

        has_t = self.has_t
        if has_t.ndim != 2 or has_t.shape[-1] != 1 or has_t.shape[0] == 1:  # not one flag per row: every row
            full: FloatArray = np.where(has_t, run_cost(np.asarray), 0.0)
            return full
        train = np.flatnonzero(has_t[:, 0])
        if train.size == has_t.shape[0]:
            every: FloatArray = np.where(has_t, run_cost(np.asarray), 0.0)
            return every
        if train.size == 0:
            return np.zeros((has_t.shape[0], 1))

        def pick(a: ArrayLike) -> NDArray[Any]:  # the training rows of a per-row array (one row: shared)
            arr = np.asarray(a)
            return arr[train] if arr.ndim == 2 and arr.shape[0] > 1 else arr

        part = run_cost(pick)
        out = np.zeros((has_t.shape[0], np.shape(part)[-1]))
        out[train] = part
        return out

    @property
    def shared_ratio(self) -> bool:
        """Every row has the same volume ratio (one row of ratios)."""
        return bool(np.shape(self.ratio)[0] == 1)

    def growth_sum(self, k: int) -> FloatArray:
        """``G(k) = sum_{j<k} ratio^j`` of the shared ratio, [1, width or 1] (memoised; G(0) = 0).

        The same numbers as :func:`~ftcost.engine.formulas.geometric_sum` (``expm1(k log1p(r - 1)) / (r - 1)``, k where r = 1).
        """
        out = self._sums.get(k)
        if out is None:
            out = np.expm1(k * self._log) / self._safe if k else np.zeros_like(self._log)
            if self._has_zero and k:
                np.copyto(out, float(k), where=self._zero)
            self._sums[k] = out
        return out

    def power(self, k: int) -> FloatArray:
        """``ratio^k`` of the shared ratio, [1, width or 1] (memoised)."""
        out = self._powers.get(k)
        if out is None:
            out = self.ratio**k
            self._powers[k] = out
        return out

    def _volume(self, upto: NDArray[Any], start: NDArray[Any], r: int | None = None) -> FloatArray:
        """``V_1 (G(upto) - G(start))`` for every row; ``upto`` and ``start`` are whole months per row."""
        rows = max(np.shape(upto)[0], np.shape(start)[0])
        if self.shared_ratio and np.shape(upto)[-1] == 1 and np.shape(start)[-1] == 1:
            hi = np.broadcast_to(upto, (rows, 1))[:, 0].astype(np.int64).tolist()
            lo = np.broadcast_to(start, (rows, 1))[:, 0].astype(np.int64).tolist()
            width = np.shape(self.ratio)[-1]
            vol = np.empty((rows, width))
            for r in range(rows):
                if hi[r] == lo[r]:
                    vol[r] = 0.0
                elif lo[r] == 0:
                    vol[r] = self.growth_sum(hi[r])[0]
                else:
                    np.subtract(self.growth_sum(hi[r])[0], self.growth_sum(lo[r])[0], out=vol[r])
            if np.shape(self.v1)[-1] == width:
                vol *= self.v1
                return vol
            wider: FloatArray = vol * self.v1  # the volume varies and its growth does not
            return wider
        gm1 = self._gm1 if r is None or self._gm1.shape[0] == 1 else self._gm1[r : r + 1]
        out: FloatArray = self.v1 * (geometric_sum(gm1, upto) - geometric_sum(gm1, start))
        return out

    def row(self, a: ArrayLike, r: int) -> FloatArray:
        arr = np.asarray(a, dtype=float)
        out: FloatArray = arr[r if arr.shape[0] > 1 else 0]
        return out

    def cumulative(self, months: int, r: int | None = None) -> FloatArray:
        """Cost of every row through month ``months`` (0 gives 0), [rows, width or 1]; of row ``r`` only, [1, width or 1]."""
        if r is None and months >= self.h:
            if self._total is None:
                self._total = self._cumulative(months, None)
            return self._total
        return self._cumulative(months, r)

    def _cumulative(self, months: int, r: int | None) -> FloatArray:
        def sel(a: ArrayLike) -> NDArray[Any]:  # row r (kept 2-d), or every row
            arr = np.asarray(a)
            return arr if r is None or arr.shape[0] == 1 else arr[r : r + 1]

        first, last, retrain, pc = sel(self.first), sel(self.last), sel(self.retrain), sel(self.pc)
        end = np.minimum(last, float(months))
        n = np.maximum(end - first + 1.0, 0.0)
        on = n > 0
        start = first - 1.0
        volume = self._volume(np.where(on, end, start), start, r)
        out = sel(self.c) * volume + sel(self.f) * n
        q = sel(self.q)
        if np.any(q):
            out = out + q * self.v1 * (geometric_sum(self.g, np.where(on, end, start)) - geometric_sum(self.g, start))
        runs = np.where(sel(self.has_t) & on, training_runs(np.maximum(n, 1.0), retrain), 0)
        t = sel(self.t)
        if np.any(pc):
            step = np.expm1(np.maximum(retrain, 0.0) * np.log1p(pc))
            index = np.exp(start * np.log1p(pc))
            out = out + t * index * np.where(retrain > 0, geometric_sum(step, runs), runs)
        else:
            out = out + t * runs
        total: FloatArray = out + np.where(on, sel(self.once), 0.0)
        return total


def closed_form(
    x: Inputs,
    p: dict[str, NDArray[Any]],
    s_count: int,
    width: int,
    cache_block: int,
    wanted: set[str],
    payback_row: PaybackRow,
    break_even: BreakEven,
) -> dict[str, NDArray[Any]]:
    """The summary numbers of a chunk for inputs with plan rows (``x.owner``, row windows); see the module docstring."""
    rows = Rows(x, p)
    h = rows.h
    own = x.owner if x.owner is not None else tuple(range(s_count))
    n_rows = len(own)

    def wide(a: ArrayLike) -> NDArray[Any]:
        return np.broadcast_to(np.asarray(a), (n_rows, np.shape(a)[-1] if np.ndim(a) else 1))

    def agg(a: ArrayLike) -> NDArray[Any]:
        return by_strategy(wide(a), x.owner, s_count)  # (by_strategy copies what it sums into)

    first, last = wide(rows.first)[:, 0], wide(rows.last)[:, 0]
    n = np.maximum(last - first + 1.0, 0.0)[:, None]
    frac = n / h
    total_rows = rows.cumulative(h)
    runs = np.where(rows.has_t & (n > 0), training_runs(np.maximum(n, 1.0), rows.retrain), 0)
    if np.any(rows.pc):
        step = np.expm1(np.maximum(rows.retrain, 0.0) * np.log1p(rows.pc))
        index = np.exp((wide(rows.first) - 1.0) * np.log1p(rows.pc))
        training_rows = rows.t * index * np.where(rows.retrain > 0, geometric_sum(step, runs), runs)
        mean_index = (geometric_sum(rows.pc, wide(rows.last)) - geometric_sum(rows.pc, wide(rows.first) - 1.0)) / h
    else:
        training_rows = rows.t * runs
        mean_index = frac
    line_fixed = agg(rows.f * frac + (rows.once + training_rows) / h)
    quality = bool(np.any(rows.q))
    line_slope = agg(rows.c * mean_index + rows.q * frac if quality else rows.c * mean_index)
    total = agg(total_rows)
    training_cost = agg(training_rows)
    b = int(x.baseline)
    res: dict[str, NDArray[Any]] = {}
    if wanted & {"break_even", "cheaper_above"}:
        others = [i for i in range(s_count) if i != b]
        # The slope may be one column while the fixed costs vary (a swept hosting value): the widest wins.
        be = np.full((s_count, np.broadcast_shapes(line_slope.shape, line_fixed.shape)[-1]), np.nan)
        above = np.ones(be.shape, dtype=bool)
        if others:
            be[others], above[others] = break_even(line_slope[others], line_fixed[others], line_slope[b], line_fixed[b])
        res["break_even"], res["cheaper_above"] = be, above
    if "payback_month" in wanted:
        pay = np.ones((s_count, width), dtype=np.int64)
        for s in range(s_count):
            if s != b:
                pay[s] = _payback(rows, own, s, b, width, cache_block, payback_row)
        res["payback_month"] = pay
    limit = row_feasible_until(h, rows.first, rows.last, rows.retrain, rows.has_t, rows.jobs_until, rows.feasible_last)
    feasible = strategy_feasible_until(np.broadcast_to(limit, (n_rows, np.shape(limit)[-1])), x.owner, s_count, h)
    # Without a price change the mean price index is the active share: the plan's cost per request is the slope.
    c_plan = line_slope if mean_index is frac else agg(rows.c * frac + rows.q * frac if quality else rows.c * frac)
    first_rows = slice(0, s_count)
    res.update(
        {
            "cost_per_request": c_plan,
            "fixed_monthly": agg(rows.f * frac),
            "epochs": wide(rows.ep)[first_rows],
            "training_run_cost": wide(rows.t)[first_rows],
            "training_runs": agg(runs),
            "training_cost": training_cost,
            "one_time_cost": wide(rows.one_time)[first_rows],
            "average_fixed_monthly": line_fixed,
            "monthly_cost": line_fixed + rows.v1 * c_plan,
            "total_cost": total,
            "feasible_until": feasible,
            "cheapest": cheapest_feasible(np.broadcast_to(total, (s_count, width)), feasible, h),
        }
    )
    return {k: v for k, v in res.items() if k in wanted}


def _payback(rows: Rows, own: tuple[int, ...], s: int, b: int, width: int, cache_block: int, payback_row: PaybackRow) -> IntArray:
    """First month with ``K_s(m) <= (1 + rtol) K_b(m)`` (0: never), one segment between phase boundaries at a time."""
    h = rows.h
    r1 = 1.0 + _RTOL
    mine = [(r, 1.0) for r, o in enumerate(own) if o == s] + [(r, -r1) for r, o in enumerate(own) if o == b]
    first = {r: int(rows.row(rows.first, r)[0]) for r, _ in mine}
    last = {r: int(min(rows.row(rows.last, r)[0], h)) for r, _ in mine}
    cuts = sorted({1} | {first[r] for r, _ in mine if 1 <= first[r] <= h} | {last[r] + 1 for r, _ in mine if last[r] + 1 <= h})
    pay = np.zeros(width, dtype=np.int64)
    for k, a in enumerate(cuts):
        z = cuts[k + 1] - 1 if k + 1 < len(cuts) else h
        e0 = np.zeros(1)
        if a > 1:  # each row's cost before the segment: its total once it has ended, nothing before it starts
            for r, sign in mine:
                if last[r] <= a - 1:
                    e0 = e0 + sign * rows.row(rows.cumulative(h), r)
                elif first[r] <= a - 1:
                    e0 = e0 + sign * rows.cumulative(a - 1, r)[0]
        active = [(r, sign) for r, sign in mine if first[r] <= a <= last[r]]
        b1 = sum((sign * rows.row(rows.f, r) for r, sign in active), np.zeros(1))
        terms: list[Term] = []
        start = float(a - 1)
        v1 = rows.row(rows.v1, 0)
        v_start = v1 * rows.power(a - 1)[0] if rows.shared_ratio else None  # the volume in month a, shared by the rows
        for r, sign in active:
            ratio = rows.ratio_row if rows.shared_ratio else rows.row(rows.ratio, r)
            volume = v_start if v_start is not None else v1 * ratio**start
            terms.append((sign * rows.row(rows.c, r) * volume, ratio))
            qr = rows.row(rows.q, r)
            if np.any(qr):
                gr = 1.0 + rows.row(rows.g, 0)
                terms.append((sign * qr * rows.row(rows.v1, 0) * gr**start, gr))
        terms = _merge(terms)
        events: Events = {}
        at_start = np.zeros(1)
        # Each row's training schedule as Python numbers where it is the same for every variant (the usual case).
        plain = {
            r: (bool(rows.row(rows.has_t, r)[0] > 0), float(rows.row(rows.retrain, r)[0]))
            for r, _ in active
            if rows.row(rows.has_t, r).size == 1 and rows.row(rows.retrain, r).size == 1
        }
        for m in range(a, z + 1):
            delta = np.zeros(1)
            hit = False
            for r, sign in active:
                if r in plain:
                    trains_now, every = plain[r]
                    if trains_now and (m == first[r] or (every > 0 and (m - first[r]) % max(every, 1.0) == 0)):
                        hit = True
                        pcr = rows.row(rows.pc, r)
                        run = rows.row(rows.t, r) * (1.0 + pcr) ** (m - 1) if np.any(pcr) else rows.row(rows.t, r)
                        delta = delta + sign * run
                    if m == first[r]:
                        hit = True
                        delta = delta + sign * rows.row(rows.once, r)
                    continue
                rr = rows.row(rows.retrain, r)
                trains = rows.row(rows.has_t, r) > 0
                on = trains & ((m == first[r]) | ((rr > 0) & ((m - first[r]) % np.maximum(rr, 1.0) == 0)))
                if np.any(on):
                    hit = True
                    delta = delta + sign * np.where(on, rows.row(rows.t, r) * (1.0 + rows.row(rows.pc, r)) ** (m - 1), 0.0)
                if m == first[r]:
                    hit = True
                    delta = delta + sign * rows.row(rows.once, r)
            if not hit:
                continue
            if m == a:
                at_start = delta
            else:
                events[m - a + 1] = (np.maximum(delta, 0.0), np.maximum(-delta, 0.0))
        # G(months of the segment) of the shared volume ratio, when every term grows by it (no quality term)
        shared = rows.shared_ratio and all(ratio is rows.ratio_row for _, ratio in terms)
        growth_sum = rows.growth_sum(z - a + 1)[0] if shared else None
        found = payback_row(z - a + 1, width, cache_block, growth_sum, e0 + at_start, b1, terms, (np.ones(1), np.ones(1), events))
        pay = np.where((pay == 0) & (found > 0), a - 1 + found, pay)
        if np.all(pay > 0):
            break
    return pay


def _merge(terms: list[Term]) -> list[Term]:
    """Add up the geometric terms that share a ratio (the common case: no price change, one volume ratio)."""
    out: list[Term] = []
    for u, ratio in terms:
        for i, (u2, ratio2) in enumerate(out):
            if ratio is ratio2 or (np.shape(ratio) == np.shape(ratio2) and np.array_equal(ratio, ratio2)):
                out[i] = (u2 + u, ratio2)
                break
        else:
            out.append((u, ratio))
    return [(u, ratio) for u, ratio in out if np.any(u)]
