"""Closed forms for plans over several models (issue 13): the summary of :func:`ftcost.engine.evaluate`
when a strategy's rows are phases active over parts of the horizon.

:mod:`ftcost.engine_blocks` calls :func:`closed_form` for such inputs, one
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
search of :mod:`ftcost.engine_blocks` (``payback_row``, passed in) runs on
each segment, starting from the exact cumulative difference at the
segment's start. The numbers equal :func:`ftcost.engine.evaluate`'s up to
floating-point rounding (tests/test_engine_plans.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import engine
from .engine import BoolArray, FloatArray, IntArray

_RTOL = engine._PAYBACK_RTOL

# The month-by-month payback search of engine_blocks (``_payback_row``) and its arguments:
# a geometric term ``u ratio^(m-1)`` as (u, ratio), and the retraining events
# ``{month: (savings of s, cost of the baseline)}`` after the first month.
Term: TypeAlias = tuple[FloatArray, FloatArray]
Events: TypeAlias = dict[int, tuple[FloatArray, FloatArray]]
PaybackRow: TypeAlias = Callable[
    [int, int, int, "FloatArray | None", FloatArray, FloatArray, list[Term], tuple[FloatArray, FloatArray, Events]],
    IntArray,
]
BreakEven: TypeAlias = Callable[[FloatArray, FloatArray, FloatArray, FloatArray], tuple[FloatArray, BoolArray]]


def geometric(growth: ArrayLike, months: ArrayLike) -> FloatArray:
    """``sum_{k<months} (1+g)^k`` (``months`` may be 0 or an array; g = 0 gives months)."""
    g = np.asarray(growth, dtype=float)
    n = np.asarray(months, dtype=float)
    safe = np.where(g == 0, 1.0, g)
    with np.errstate(invalid="ignore", divide="ignore"):
        val = np.expm1(n * np.log1p(g)) / safe
    out: FloatArray = np.where(g == 0, n, val)
    return out


class Rows:
    """The per-row numbers of a chunk of variants, arrays [rows, width or 1]."""

    def __init__(self, x: engine.Inputs, p: dict[str, NDArray[Any]]):
        h = int(x.horizon)
        self.h = h
        self.c = engine.cost_per_request(
            p["prompt_tokens"],
            p["input_tokens"],
            p["cached_tokens"],
            p["completion_tokens"],
            p["input_price"],
            p["cached_price"],
            p["output_price"],
            p["batch_share"],
            p["batch_discount"],
            p["batch_input_price"],
            p["batch_cached_price"],
            p["batch_output_price"],
        )
        self.q = np.asarray(p["quality_cost"], dtype=float)
        self.f = engine.fixed_monthly(p["per_hour"], p["hours_per_month"], p["deployments"], p["storage_per_month"], p["fixed_monthly_cost"])
        self.ep = np.where(np.asarray(p["epochs"]) > 0, p["epochs"], engine.default_epochs(p["examples"]))
        self.has_t = np.asarray(p["has_training"]) > 0
        self.t = np.where(
            self.has_t,
            engine.training_run_cost(p["training_tokens"], self.ep, p["training_price"], p["min_job_fee"], p["training_fixed"], p["max_job_fee"]),
            0.0,
        )
        self.retrain = np.asarray(p["retrain_every"], dtype=float)
        self.one_time = np.asarray(p["one_time_cost"], dtype=float)
        self.once = self.one_time + np.asarray(p["data_generation_cost"], dtype=float)
        self.v1 = np.asarray(p["requests_per_month"], dtype=float)
        self.g = np.asarray(p["growth"], dtype=float)
        self.pc = np.asarray(p["price_change"], dtype=float)
        self.first = np.asarray(p["first_month"], dtype=float)
        self.last = np.minimum(np.asarray(p["last_month"], dtype=float), float(h))
        self.jobs_until, self.feasible_last = p["jobs_until"], p["feasible_last"]
        self.ratio = 1.0 + (self.g + self.pc + self.g * self.pc)  # volume x price index, per month
        self.n_rows = max(np.shape(a)[0] for a in (self.c, self.f, self.t, self.first, self.last, self.once))

    def row(self, a: ArrayLike, r: int) -> FloatArray:
        arr = np.asarray(a, dtype=float)
        out: FloatArray = arr[r if arr.shape[0] > 1 else 0]
        return out

    def cumulative(self, months: int) -> FloatArray:
        """Cost of every row through month ``months`` (0 gives 0), [rows, width or 1]."""
        end = np.minimum(self.last, float(months))
        n = np.maximum(end - self.first + 1.0, 0.0)
        on = n > 0
        start = self.first - 1.0
        volume = self.v1 * (geometric(self.ratio - 1.0, np.where(on, end, start)) - geometric(self.ratio - 1.0, start))
        out = self.c * volume + self.f * n
        if np.any(self.q):
            out = out + self.q * self.v1 * (geometric(self.g, np.where(on, end, start)) - geometric(self.g, start))
        runs = np.where(self.has_t & on, engine.training_runs(np.maximum(n, 1.0), self.retrain), 0)
        if np.any(self.pc):
            step = np.expm1(np.maximum(self.retrain, 0.0) * np.log1p(self.pc))
            index = np.exp(start * np.log1p(self.pc))
            out = out + self.t * index * np.where(self.retrain > 0, geometric(step, runs), runs)
        else:
            out = out + self.t * runs
        total: FloatArray = out + np.where(on, self.once, 0.0)
        return total


def closed_form(
    x: engine.Inputs,
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
        return engine.by_strategy(np.array(wide(a)), x.owner, s_count)

    first, last = wide(rows.first)[:, 0], wide(rows.last)[:, 0]
    n = np.maximum(last - first + 1.0, 0.0)[:, None]
    frac = n / h
    total_rows = rows.cumulative(h)
    runs = np.where(rows.has_t & (n > 0), engine.training_runs(np.maximum(n, 1.0), rows.retrain), 0)
    if np.any(rows.pc):
        step = np.expm1(np.maximum(rows.retrain, 0.0) * np.log1p(rows.pc))
        index = np.exp((wide(rows.first) - 1.0) * np.log1p(rows.pc))
        training_rows = rows.t * index * np.where(rows.retrain > 0, geometric(step, runs), runs)
        mean_index = (geometric(rows.pc, wide(rows.last)) - geometric(rows.pc, wide(rows.first) - 1.0)) / h
    else:
        training_rows = rows.t * runs
        mean_index = frac
    line_fixed = agg(rows.f * frac + (rows.once + training_rows) / h)
    line_slope = agg(rows.c * mean_index + rows.q * frac)
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
    limit = engine.row_feasible_until(h, rows.first, rows.last, rows.retrain, rows.has_t, rows.jobs_until, rows.feasible_last)
    feasible = engine.strategy_feasible_until(np.broadcast_to(limit, (n_rows, np.shape(limit)[-1])), x.owner, s_count, h)
    c_plan = agg(rows.c * frac + rows.q * frac)
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
            "cheapest": engine.cheapest_feasible(np.broadcast_to(total, (s_count, width)), feasible, h),
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
        if a > 1:
            before = rows.cumulative(a - 1)
            e0 = sum(sign * rows.row(before, r) for r, sign in mine)
        else:
            e0 = np.zeros(1)
        active = [(r, sign) for r, sign in mine if first[r] <= a <= last[r]]
        b1 = sum((sign * rows.row(rows.f, r) for r, sign in active), np.zeros(1))
        terms: list[Term] = []
        start = float(a - 1)
        for r, sign in active:
            ratio = rows.row(rows.ratio, r)
            terms.append((sign * rows.row(rows.c, r) * rows.row(rows.v1, 0) * ratio**start, ratio))
            qr = rows.row(rows.q, r)
            if np.any(qr):
                gr = 1.0 + rows.row(rows.g, 0)
                terms.append((sign * qr * rows.row(rows.v1, 0) * gr**start, gr))
        terms = _merge(terms)
        events: Events = {}
        at_start = np.zeros(1)
        for m in range(a, z + 1):
            delta = np.zeros(1)
            hit = False
            for r, sign in active:
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
        found = payback_row(z - a + 1, width, cache_block, None, e0 + at_start, b1, terms, (np.ones(1), np.ones(1), events))
        pay = np.where((pay == 0) & (found > 0), a - 1 + found, pay)
        if np.all(pay > 0):
            break
    return pay


def _merge(terms: list[Term]) -> list[Term]:
    """Add up the geometric terms that share a ratio (the common case: no price change, one volume ratio)."""
    out: list[Term] = []
    for u, ratio in terms:
        for i, (u2, ratio2) in enumerate(out):
            if np.shape(ratio) == np.shape(ratio2) and np.array_equal(ratio, ratio2):
                out[i] = (u2 + u, ratio2)
                break
        else:
            out.append((u, ratio))
    return [(u, ratio) for u, ratio in out if np.any(u)]
