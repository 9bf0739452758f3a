"""The engine's summary numbers for many variants at once, fast.

:func:`ftcost.engine.evaluate` builds the whole monthly schedule,
``[strategies, *variants, months]``, in one piece. For a simulation or a
large sweep (10^5 to 10^6 variants) only the summary is wanted: totals,
break-even volume and payback month. :func:`evaluate_summary` computes those

* in blocks of variants small enough to stay in the CPU cache, and
* with closed forms where they exist: the total over the horizon is
  ``H F + c V_1 G(H) + T runs + one_time`` with the geometric sum
  ``G(H) = sum_{k<H} (1 + g)^k = expm1(H log1p(g)) / g`` (H when g = 0);
  the break-even volume and the average fixed cost are the engine's own
  functions. Only the payback month needs the month axis: the cumulative
  difference ``K_s(m) - K_b(m)`` is built month by month, one block of
  variants at a time, and a block stops as soon as every variant in it has
  paid back.

The numbers equal :func:`~ftcost.engine.evaluate`'s up to floating-point
rounding (the closed-form sum and the month-by-month sum differ in the last
bits; tests/test_engine_blocks.py checks 1e-12 relative with hypothesis).
Break-even volumes, epochs, training runs and costs per request come from the
same functions on the same numbers, so they are identical.

When :class:`~ftcost.engine.Inputs` carries fields this module has no closed
form for (new strategy types or cost terms), it falls back to running
:func:`~ftcost.engine.evaluate` block by block, so its answers stay right as
the engine grows; only the speed differs.

The same model as a plain Python loop, one variant and one month at a time,
is the reference for the tests and the benchmark: it lives outside the
package, in ``tests/scalar_reference.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import engine
from .engine import BoolArray, FloatArray, Inputs, IntArray

if TYPE_CHECKING:  # engine_plans is imported where plans need it (start-up)
    from .engine_plans import Events, Term

# The Inputs fields the closed forms below know. Any other field (the engine
# may grow new ones) makes evaluate_summary fall back to blocked evaluate().
CLOSED_FORM_FIELDS = frozenset(
    {
        "horizon",
        "baseline",
        "extra",
        "requests_per_month",
        "growth",
        "prompt_tokens",
        "input_tokens",
        "cached_tokens",
        "completion_tokens",
        "input_price",
        "cached_price",
        "output_price",
        "batch_share",
        "batch_discount",
        "per_hour",
        "hours_per_month",
        "deployments",
        "storage_per_month",
        "fixed_monthly_cost",
        "has_training",
        "training_tokens",
        "examples",
        "epochs",
        "training_price",
        "min_job_fee",
        "retrain_every",
        "one_time_cost",
        "training_fixed",
        "max_job_fee",
        "data_generation_cost",
        "quality_cost",
        "price_change",
        "batch_input_price",
        "batch_cached_price",
        "batch_output_price",
        "replica_capacity",
        "replica_cost",
        "min_replicas",  # replicas: blocks with self-hosting use evaluate()
        "first_month",
        "last_month",
        "jobs_until",
        "feasible_last",
        "owner",  # plans: see _plan_rows
    }
)
# Fields that are not arrays over [strategies, *variants].
NON_ARRAY_FIELDS = frozenset({"horizon", "baseline", "extra", "owner"})
# Same tolerance as engine.payback_month: a tie counts as paid back.
_RTOL = engine._PAYBACK_RTOL
# Variants per block: a block's working set (a dozen float64 vectors of
# this length per strategy) stays well inside a 1 MB L2 cache.
DEFAULT_BLOCK = 4096
CHUNK_BLOCKS = 16


@dataclass
class Summary:
    """The summary part of :class:`~ftcost.engine.Outputs`: arrays [strategies, *variants].

    ``cheapest`` is [*variants]. No ``monthly`` schedule: use
    :func:`~ftcost.engine.evaluate` when the months themselves are wanted.
    Arrays may be read-only broadcast views; a field not asked for (the
    ``outputs`` argument of :func:`evaluate_summary`) is None.
    """

    cost_per_request: NDArray[Any] | None = None
    fixed_monthly: NDArray[Any] | None = None
    epochs: NDArray[Any] | None = None
    training_run_cost: NDArray[Any] | None = None
    training_runs: NDArray[Any] | None = None
    training_cost: NDArray[Any] | None = None
    one_time_cost: NDArray[Any] | None = None
    average_fixed_monthly: NDArray[Any] | None = None
    monthly_cost: NDArray[Any] | None = None
    total_cost: NDArray[Any] | None = None
    break_even: NDArray[Any] | None = None
    cheaper_above: NDArray[Any] | None = None
    payback_month: NDArray[Any] | None = None  # 0 = never (the baseline pays back in month 1, as in evaluate)
    cheapest: NDArray[Any] | None = None  # among the strategies feasible over the horizon; -1 where none is
    feasible_until: NDArray[Any] | None = None  # last month each strategy can be carried out (0..horizon)

    @classmethod
    def from_outputs(cls, o: engine.Outputs) -> Summary:
        return cls(**{f.name: getattr(o, f.name) for f in fields(cls)})


SUMMARY_FIELDS = tuple(f.name for f in fields(Summary))
_FLOAT_OUT = (
    "cost_per_request",
    "fixed_monthly",
    "training_run_cost",
    "training_cost",
    "one_time_cost",
    "average_fixed_monthly",
    "monthly_cost",
    "total_cost",
    "break_even",
)
_INT_OUT = ("epochs", "training_runs", "payback_month", "feasible_until")


def array_fields(x: Inputs) -> list[str]:
    """Names of the Inputs fields that are arrays over [strategies, *variants]."""
    return [f.name for f in fields(x) if f.name not in NON_ARRAY_FIELDS]


def full_shape(x: Inputs) -> tuple[int, ...]:
    """The broadcast shape [strategies, *variants] of all array fields."""
    shape = np.broadcast_shapes(*(np.shape(getattr(x, n)) for n in array_fields(x)))
    return shape if shape else (1,)


def geometric_sum(growth: ArrayLike, months: ArrayLike) -> FloatArray:
    """``G = sum_{k=0}^{months-1} (1 + g)^k``: months when g = 0, else ``expm1(months log1p(g)) / g``.

    >>> float(geometric_sum(0.1, 3))  # 1 + 1.1 + 1.21
    3.31
    >>> float(geometric_sum(0.0, 24))
    24.0
    """
    g = np.asarray(growth, dtype=float)
    n = np.asarray(months, dtype=float)
    zero = g == 0
    out: FloatArray
    if not zero.any():
        out = np.expm1(n * np.log1p(g)) / g
    elif zero.all():
        out = np.broadcast_to(n, np.broadcast_shapes(n.shape, g.shape)).copy()
    else:
        safe = np.where(zero, 1.0, g)
        out = np.where(zero, n, np.expm1(n * np.log1p(np.where(zero, 0.0, g))) / safe)
    return out


def _compact(value: ArrayLike, shape: tuple[int, ...], n: int) -> NDArray[Any]:
    """``value`` as [strategies or 1, variants or 1]: a field that does not vary stays one column."""
    a = np.asarray(value)
    nd = len(shape)
    padded = (1,) * (nd - a.ndim) + a.shape
    per_strategy = padded[0] != 1
    per_variant = any(d != 1 for d in padded[1:])
    target = (shape[0] if per_strategy else 1,) + (shape[1:] if per_variant else (1,) * (nd - 1))
    out = np.broadcast_to(a.reshape(padded), target)
    return out.reshape(target[0], n if per_variant else 1)


def evaluate_summary(x: Inputs, block_size: int | None = None, outputs: Iterable[str] | None = None) -> Summary:
    """Totals, break-even volume and payback month of docs/design.md for every variant.

    Parameters
    ----------
    x : Inputs
        Arrays broadcastable to [strategies, *variants].
    block_size : int, optional
        Variants per block (default 4096, sized for the CPU cache).
    outputs : names of Summary fields, optional
        Only these are returned (the others are None); default all. Asking
        for ``("total_cost", "break_even", "payback_month", "cheapest")``
        skips writing the rest.

    Returns
    -------
    Summary
        Arrays [strategies, *variants]; equal to :func:`ftcost.engine.evaluate`
        up to rounding.

    Notes
    -----
    Month m of strategy s costs ``F + V_1 (1+g)^(m-1) c + T [training in m] + O [m = 1]``.
    Summed: ``K(H) = H F + c V_1 G(H) + T runs + O`` with ``G`` the geometric
    sum. Payback is the first m with ``K_s(m) - (1 + rtol) K_b(m) <= 0``:
    ``K(m) = O + m F + c V_1 G(m) + T runs(m)`` is accumulated month by month
    for one block of variants at a time.

    Examples
    --------
    Two strategies, volumes 1,000 and 10,000 a month on a variant axis:
    prompting at $0.001 a request, fine-tuning at $0.0001 plus $5 a month,
    12 months. Totals 12 + 0 = 12 and 120; 12 x 5 + 0.0001 x 12,000 = 61.2 and 72.

    >>> from ftcost.engine import Inputs
    >>> z = np.zeros((2, 1))
    >>> x = Inputs(horizon=12, baseline=0, requests_per_month=np.array([1000.0, 10000.0]), growth=0.0,
    ...            prompt_tokens=np.array([[1000.0], [100.0]]), input_tokens=z, cached_tokens=z,
    ...            completion_tokens=z, input_price=1.0, cached_price=1.0, output_price=0.0,
    ...            batch_share=z, batch_discount=z, per_hour=z, hours_per_month=z, deployments=z,
    ...            storage_per_month=z, fixed_monthly_cost=np.array([[0.0], [5.0]]), has_training=z,
    ...            training_tokens=z, examples=z, epochs=z + 1, training_price=z, min_job_fee=z,
    ...            retrain_every=z, one_time_cost=z)
    >>> s = evaluate_summary(x)
    >>> s.total_cost.round(6).tolist()
    [[12.0, 120.0], [61.2, 72.0]]
    >>> s.break_even[1].round(6).tolist(), s.payback_month[1].tolist()  # 5 / 0.0009 = 5,555.6 a month
    ([5555.555556, 5555.555556], [0, 1])
    """
    shape = full_shape(x)
    vshape = shape[1:]
    n = int(np.prod(vshape)) if vshape else 1
    block = int(block_size or DEFAULT_BLOCK)
    if block < 1:
        raise ValueError("block_size must be >= 1")
    names = array_fields(x)
    compact = {name: _compact(getattr(x, name), shape, n) for name in names}
    s_count = shape[0] if x.owner is None else int(max(x.owner)) + 1
    unknown = [f.name for f in fields(x) if f.name not in CLOSED_FORM_FIELDS]
    # No closed form for the replica staircase (self-hosted) or for volumes that differ by strategy.
    stepped = bool(np.any(compact.get("replica_capacity", np.zeros((1, 1))) > 0))
    per_strategy_volume = compact["requests_per_month"].shape[0] > 1 or compact["growth"].shape[0] > 1
    wanted = set(SUMMARY_FIELDS if outputs is None else outputs)
    if wanted - set(SUMMARY_FIELDS):
        raise ValueError(f"unknown outputs: {sorted(wanted - set(SUMMARY_FIELDS))}")
    from .limits import MAX_CLOSED_FORM_CELLS, check_work

    h = int(x.horizon)
    phased = x.owner is not None or bool(np.any(compact["first_month"] != 1) or np.any(compact["last_month"] < h))
    # Plans whose phases start and end in the same months for every variant have closed forms too (engine_plans).
    moving = compact["first_month"].shape[1] > 1 or compact["last_month"].shape[1] > 1
    if unknown or stepped or per_strategy_volume or (phased and moving):
        check_work(n, s_count, int(x.horizon), what="the month-by-month engine (self-hosted strategies)")
        full = _summary_by_evaluate(x, compact, (s_count,) + tuple(vshape), n, block)
        return Summary(**{k: getattr(full, k) for k in wanted})
    check_work(n, s_count, int(x.horizon), what="the engine", limit=MAX_CLOSED_FORM_CELLS)
    # Closed forms on chunks of CHUNK_BLOCKS cache blocks (elementwise work in
    # few calls, temporaries small enough to be reused); an output that does
    # not vary across variants is kept as one column and broadcast at the end.
    chunk = block * CHUNK_BLOCKS
    out: dict[str, NDArray[Any]] = {}
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        width = stop - start
        part = {name: (a[:, start:stop] if a.shape[1] > 1 else a) for name, a in compact.items()}
        if phased:
            from .engine_plans import closed_form as plans_closed_form

            res = plans_closed_form(x, part, s_count, width, block, wanted, _payback_row, break_even)
        else:
            res = _closed_form(x, part, s_count, width, block, wanted)
        for k, v in res.items():
            v = np.asarray(v)
            if k not in out:
                wide = v.shape[-1] == width and (width > 1 or n == 1)
                out[k] = np.empty(v.shape[:-1] + (n,), dtype=v.dtype) if wide else v
            if out[k].shape[-1] == n:
                out[k][..., start:stop] = v
    return Summary(
        **{
            k: np.broadcast_to(v, (n,) if k == "cheapest" else (s_count, n)).reshape(vshape if k == "cheapest" else (s_count,) + tuple(vshape))
            for k, v in out.items()
        }
    )


def _summary_by_evaluate(x: Inputs, compact: dict[str, NDArray[Any]], shape: tuple[int, ...], n: int, block: int) -> Summary:
    """Fallback: the engine itself, one block of variants at a time (exact, slower)."""
    s_count = shape[0]
    # Memory: one block's [strategies, variants, months] arrays stay below BLOCK_CELLS elements each.
    from .limits import BLOCK_CELLS

    block = max(1, min(block, BLOCK_CELLS // max(1, s_count * int(x.horizon))))
    out: dict[str, NDArray[Any]] = {k: np.empty((s_count, n)) for k in _FLOAT_OUT}
    out.update({k: np.empty((s_count, n), dtype=np.int64) for k in _INT_OUT})
    out["cheaper_above"] = np.empty((s_count, n), dtype=bool)
    out["cheapest"] = np.empty(n, dtype=np.int64)
    for start in range(0, n, block):
        stop = min(n, start + block)
        part = {name: (a[:, start:stop] if a.shape[1] > 1 else a) for name, a in compact.items()}
        o = engine.evaluate(x.replace(**part))
        width = stop - start
        for k in out:
            if k == "cheapest":
                out[k][start:stop] = np.broadcast_to(o.cheapest, (width,))
            else:
                out[k][:, start:stop] = np.broadcast_to(getattr(o, k), (s_count, width))
    return Summary(**{k: v.reshape(shape[1:] if k == "cheapest" else shape) for k, v in out.items()})


def _closed_form(x: Inputs, p: dict[str, NDArray[Any]], s_count: int, width: int, cache_block: int, wanted: set[str]) -> dict[str, NDArray[Any]]:
    """Every summary number from the compact inputs ([strategies or 1, variants or 1] each)."""
    h = int(x.horizon)
    b = int(x.baseline)
    # Per strategy, exactly as engine.evaluate computes them.
    c_tok = engine.cost_per_request(
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
    q = np.asarray(p["quality_cost"], dtype=float)
    f = engine.fixed_monthly(p["per_hour"], p["hours_per_month"], p["deployments"], p["storage_per_month"], p["fixed_monthly_cost"])
    ep = np.where(np.asarray(p["epochs"]) > 0, p["epochs"], engine.default_epochs(p["examples"]))
    has_t = np.asarray(p["has_training"]) > 0
    t = np.where(
        has_t, engine.training_run_cost(p["training_tokens"], ep, p["training_price"], p["min_job_fee"], p["training_fixed"], p.get("max_job_fee", np.inf)), 0.0
    )
    retrain = np.asarray(p["retrain_every"])
    runs = np.where(has_t, engine.training_runs(h, retrain), 0)
    one_time = np.asarray(p["one_time_cost"], dtype=float)
    once = one_time + np.asarray(p["data_generation_cost"], dtype=float)
    v1 = np.asarray(p["requests_per_month"], dtype=float)  # [1, width or 1]
    g = np.asarray(p["growth"], dtype=float)
    pc = np.asarray(p["price_change"], dtype=float)  # [strategies or 1, width or 1]
    priced = bool(np.any(pc))
    # Closed forms over the horizon: cumulative volume, volume weighted by the
    # price index (1+p)^(m-1), the price index summed over training months,
    # and the mean price index.
    gs_h = geometric_sum(g, h)
    cv_h = v1 * gs_h
    cvp_h = v1 * geometric_sum(g + pc + g * pc, h) if priced else cv_h  # ratio (1+g)(1+p)
    mean_index: float | FloatArray
    if priced:
        step = np.expm1(np.maximum(retrain, 0) * np.log1p(pc))  # (1+p)^R - 1
        tm_h = np.where(retrain > 0, geometric_sum(step, np.maximum(runs, 1)), 1.0)
        training_cost = np.where(runs > 0, t * tm_h, 0.0)
        mean_index = geometric_sum(pc, h) / h
    else:
        training_cost = t * runs
        mean_index = 1.0
    quality = bool(np.any(q))
    total = c_tok * cvp_h + training_cost
    total = total + (h * f + once)  # (narrow parts first: fewer full-width operations)
    if quality:
        total = total + q * cv_h
    line_fixed = training_cost / h + (f + once / h)
    line_slope = c_tok * mean_index + q if (priced or quality) else c_tok
    be: FloatArray | None = None
    above: BoolArray | None = None
    if wanted & {"break_even", "cheaper_above"}:
        # Only the other strategies' rows (the baseline's own: NaN and True, as evaluate gives).
        others = [i for i in range(s_count) if i != b]
        ls, lf = np.broadcast_to(line_slope, (s_count, np.shape(line_slope)[-1])), np.broadcast_to(line_fixed, (s_count, np.shape(line_fixed)[-1]))
        be_o, above_o = break_even(ls[others], lf[others], ls[b], lf[b])
        be = np.full((s_count, be_o.shape[-1]), np.nan)
        above = np.ones(be.shape, dtype=bool)
        be[others], above[others] = be_o, above_o
    # No replicas on this path, so evaluate's "+ replicas x replica cost" adds 0.
    c = c_tok + q if quality else c_tok
    pay = np.ones((s_count, width), dtype=np.int64)  # the baseline pays back in month 1, as in evaluate
    for s in range(s_count):
        if s != b and "payback_month" in wanted:
            pay[s] = _payback_row(h, width, cache_block, None if priced else _row(gs_h, 0), *_payback_terms(h, s, b, c_tok, q, f, t, once, retrain, v1, g, pc))
    full = (s_count, width)
    limit = engine.row_feasible_until(h, 1.0, h, retrain, has_t, p["jobs_until"], p["feasible_last"])
    # [strategies, 1] when the schedules do not vary by variant: kept narrow, broadcast at the end
    feasible = engine.strategy_feasible_until(np.broadcast_to(limit, (s_count, np.shape(limit)[-1] if np.ndim(limit) else 1)), None, s_count, h)
    res: dict[str, NDArray[Any]] = {
        "cost_per_request": c,
        "fixed_monthly": f,
        "epochs": ep,
        "training_run_cost": t,
        "training_runs": runs,
        "training_cost": training_cost,
        "one_time_cost": one_time,
        "average_fixed_monthly": line_fixed,
        "monthly_cost": line_fixed + v1 * c,
        "total_cost": total,
        "payback_month": pay,
        "feasible_until": feasible,
    }
    if be is not None and above is not None:
        res["break_even"], res["cheaper_above"] = be, above
    if "cheapest" in wanted:
        res["cheapest"] = engine.cheapest_feasible(np.broadcast_to(total, full), feasible, h)
    return {k: v for k, v in res.items() if k in wanted}


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
    vol: FloatArray = np.where(dc > 0, np.maximum(v, 0.0), np.where(below, v, np.nan))
    tie = (dc == 0) & neg  # same cost per request, cheaper fixed: always cheaper
    if tie.any():
        vol[tie] = 0.0
    # A per-request difference of ~1e-308 puts V* past the largest float: no break-even in practice (as in engine).
    vol[~np.isfinite(vol)] = np.nan
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
