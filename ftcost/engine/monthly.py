"""The cost engine month by month (:func:`evaluate`): pure numpy, no I/O, no printing.

Every function broadcasts its arguments (numpy-financial style): a scalar in
gives a scalar-shaped array out, arrays of volumes, months, sweep points or
Monte Carlo samples give arrays back. Edge cases are masks, not branches per
element. Money is in the scenario currency; prices are per 1M tokens.

The shapes used by :func:`evaluate`: strategies on the first axis, any
number of "variant" axes after it (sweep points, samples), months last.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .feasible import by_strategy, cheapest_feasible, row_feasible_until, strategy_feasible_until
from .formulas import (
    FloatArray,
    break_even_volume,
    monthly_volumes,
    payback_month,
    replicas,
    training_month_mask,
    training_run_cost,
    training_runs,
)
from .inputs import Inputs, Outputs, epochs_of, fixed_monthly_of, request_cost_of


def evaluate(x: Inputs) -> Outputs:
    """Run the whole cost model of docs/design.md on broadcast arrays.

    Per strategy: cost per request c, fixed monthly F, training run cost T at
    months 1, 1+R, ..., one-time cost in month 1; month m costs
    ``F + V_m c + training and one-time costs in m``; the total is the sum over
    the horizon; ``Fbar = F + (one_time + T * runs) / H``; break-even and
    payback are against the baseline strategy.

    Extensions (README, "Economics"): per-token prices (inference and
    training) change by ``price_change`` a month, compounding; ``quality_cost``
    is added to every request; a self-hosted strategy pays
    ``replicas(V_m) * replica_cost`` a month; ``data_generation_cost`` falls
    in month 1 like the one-time cost. Break-even for a strategy that is not
    linear in volume (self-hosted) is left NaN here and found by
    :mod:`ftcost.engine.envelope`.

    Plans (docs/migration.md): each row of ``x`` is one phase of a strategy,
    active from ``first_month`` to ``last_month``; the rows of a strategy are
    summed month by month (``owner``), and the cheapest strategy is the
    cheapest of those feasible over the whole horizon (-1 where none is).
    """
    h = int(x.horizon)
    m0 = np.arange(h, dtype=float)
    c_tok = request_cost_of(x)
    q = np.asarray(x.quality_cost, dtype=float)
    f = fixed_monthly_of(x)
    ep = epochs_of(x)
    has_t = np.asarray(x.has_training) > 0
    t = np.where(has_t, training_run_cost(x.training_tokens, ep, x.training_price, x.min_job_fee, x.training_fixed, x.max_job_fee), 0.0)
    one_time = np.asarray(x.one_time_cost, dtype=float)
    gen = np.asarray(x.data_generation_cost, dtype=float)
    cap = np.asarray(x.replica_capacity, dtype=float)
    rc = np.asarray(x.replica_cost, dtype=float)
    # Every array input takes part in the shape, so varying any one of them (even only retrain_every) gives variants.
    shape = np.broadcast_shapes(
        np.shape(c_tok),
        np.shape(q),
        np.shape(f),
        np.shape(t),
        np.shape(one_time),
        np.shape(gen),
        *(np.shape(getattr(x, f_.name)) for f_ in fields(x) if f_.name not in ("horizon", "baseline", "extra", "owner")),
    )
    first = np.broadcast_to(np.asarray(x.first_month, dtype=float), shape)
    last = np.broadcast_to(np.minimum(np.asarray(x.last_month, dtype=float), float(h)), shape)
    retrain = np.asarray(x.retrain_every)
    runs = np.where(has_t, np.where(last >= first, training_runs(last - first + 1, retrain), 0), 0)
    c_tok, q, f, t, runs, one_time, gen, ep, cap, rc = (np.broadcast_to(a, shape) for a in (c_tok, q, f, t, runs, one_time, gen, ep, cap, rc))
    min_rep = np.broadcast_to(np.asarray(x.min_replicas, dtype=float), shape)
    volumes = monthly_volumes(x.requests_per_month, x.growth, h)
    mult = (1.0 + np.asarray(x.price_change, dtype=float))[..., None] ** m0  # per-token price index by month
    whole = bool(np.all(first == 1.0) and np.all(last == h))
    active: float | FloatArray
    n_active: float | FloatArray
    month_one: NDArray[Any]
    if whole:  # every row runs the whole horizon (no plan over several models)
        active = 1.0
        n_active = float(h)
        mask = np.broadcast_to(training_month_mask(h, x.retrain_every) & has_t[..., None], shape + (h,))
        month_one = np.zeros(h)
        month_one[0] = 1.0
    else:
        m1 = m0 + 1.0
        on = (m1 >= first[..., None]) & (m1 <= last[..., None])
        active = on.astype(float)
        n_active = np.maximum(last - first + 1.0, 0.0)
        since = m1 - first[..., None]
        r = np.asarray(retrain, dtype=float)[..., None]
        mask = on & np.where(r > 0, since % np.maximum(r, 1.0) == 0, since == 0) & has_t[..., None]
        month_one = (m1 == first[..., None]) & on
    reps = replicas(volumes, cap[..., None], min_rep[..., None])
    full = shape + (h,)
    parts = {
        "variable": np.broadcast_to(active * (volumes * (c_tok[..., None] * mult + q[..., None])), full),
        "fixed": np.broadcast_to(active * f[..., None], full),
        "gpu": np.broadcast_to(active * (reps * rc[..., None]), full),
        "training": np.broadcast_to(mask * t[..., None] * mult, full),
        "one_time": np.broadcast_to(one_time[..., None] * month_one, full),
        "data_generation": np.broadcast_to(gen[..., None] * month_one, full),
    }
    training_cost = parts["training"].sum(axis=-1)
    frac = n_active / h  # share of the horizon a row is active (1.0 for a whole-horizon row)
    line_fixed = f * frac + (one_time + gen + training_cost) / h
    line_slope = c_tok * (np.broadcast_to(mult * active, full).sum(axis=-1) / h) + q * frac
    v1 = np.broadcast_to(np.asarray(x.requests_per_month, dtype=float), shape)
    reps1 = replicas(v1, cap, min_rep)
    row_limit = row_feasible_until(h, first, last, retrain, has_t, x.jobs_until, x.feasible_last)
    # Rows to strategies: sums for money and counts, the first phase for per-request and per-run figures.
    own = x.owner
    n_s = shape[0] if own is None else int(max(own)) + 1
    row_c, row_t = c_tok + q, t
    parts = {k: by_strategy(v, own, n_s) for k, v in parts.items()}
    # Summed in this order, so the total is the same float as the sum of the parts a table shows.
    monthly = parts["variable"] + parts["fixed"] + parts["gpu"] + parts["training"] + parts["one_time"] + parts["data_generation"]
    training_cost = by_strategy(training_cost, own, n_s)
    line_fixed = by_strategy(line_fixed, own, n_s)
    line_slope = by_strategy(line_slope, own, n_s)
    runs = by_strategy(runs, own, n_s)
    # A plan over several models: cost per request and fixed monthly cost averaged over the horizon, so that
    # docs/design.md's Fbar = F + (one-time + training) / H and monthly cost = Fbar + V_1 c hold for the whole plan.
    c_plan = by_strategy(c_tok * frac, own, n_s) + by_strategy(q * frac, own, n_s)
    f_plan = by_strategy(f * frac, own, n_s)
    c_tok, q, f, t, ep, gen, cap, rc, reps1 = (a[:n_s] for a in (c_tok, q, f, t, ep, gen, cap, rc, reps1))
    v1 = v1[:n_s]
    total = monthly.sum(axis=-1)
    b = int(x.baseline)
    be, above = break_even_volume(line_slope, line_fixed, line_slope[b], line_fixed[b])
    stepped = (cap > 0) | (cap[b] > 0)
    be = np.where(stepped, np.nan, be)
    pay = payback_month(monthly, monthly[b])
    c = c_tok + q if own is None else c_plan
    fixed_out = (f if own is None else f_plan) + reps1 * rc
    fbar = line_fixed + reps1 * rc
    feasible = strategy_feasible_until(row_limit, own, n_s, h)
    return Outputs(
        cost_per_request=c,
        fixed_monthly=fixed_out,
        epochs=ep,
        training_run_cost=t,
        training_runs=runs,
        training_cost=training_cost,
        one_time_cost=one_time[:n_s],
        average_fixed_monthly=fbar,
        monthly_cost=fbar + v1 * c,
        monthly=monthly,
        total_cost=total,
        break_even=be,
        cheaper_above=above,
        payback_month=pay,
        cheapest=cheapest_feasible(total, feasible, h),
        training_months=by_strategy(np.broadcast_to(mask, shape + (h,)), own, n_s) > 0 if own is not None else np.broadcast_to(mask, shape + (h,)),
        line_fixed=line_fixed,
        line_slope=line_slope,
        data_generation_cost=gen,
        quality_cost=q,
        replicas_month1=reps1,
        monthly_variable=parts["variable"],
        monthly_fixed=parts["fixed"],
        monthly_gpu=parts["gpu"],
        monthly_training=parts["training"],
        monthly_one_time=parts["one_time"],
        monthly_data_generation=parts["data_generation"],
        replicas=np.broadcast_to(reps, full)[:n_s],
        volumes=np.broadcast_to(volumes, full)[:n_s],
        feasible_until=feasible,
        row_cost_per_request=row_c,
        row_training_run_cost=row_t,
    )
