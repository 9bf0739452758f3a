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
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .feasible import cheapest_feasible, row_feasible_until, strategy_feasible_until
from .formulas import BoolArray, FloatArray, geometric_sum, training_run_cost, training_runs
from .inputs import Inputs, Outputs, array_fields, epochs_of, fixed_monthly_of, full_shape, request_cost_of
from .monthly import evaluate
from .payback import _payback_row, _payback_terms, _row, break_even

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
    def from_outputs(cls, o: Outputs) -> Summary:
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
    from ..limits import MAX_CLOSED_FORM_CELLS, check_work

    h = int(x.horizon)
    phased = x.owner is not None or bool(np.any(compact["first_month"] != 1) or np.any(compact["last_month"] < h))
    # Plans whose phases start and end in the same months for every variant have closed forms too (plans.py).
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
            from .plans import closed_form as plans_closed_form

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
    from ..limits import BLOCK_CELLS

    block = max(1, min(block, BLOCK_CELLS // max(1, s_count * int(x.horizon))))
    out: dict[str, NDArray[Any]] = {k: np.empty((s_count, n)) for k in _FLOAT_OUT}
    out.update({k: np.empty((s_count, n), dtype=np.int64) for k in _INT_OUT})
    out["cheaper_above"] = np.empty((s_count, n), dtype=bool)
    out["cheapest"] = np.empty(n, dtype=np.int64)
    for start in range(0, n, block):
        stop = min(n, start + block)
        part = {name: (a[:, start:stop] if a.shape[1] > 1 else a) for name, a in compact.items()}
        o = evaluate(x.replace(**part))
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
    c_tok = request_cost_of(p)
    q = np.asarray(p["quality_cost"], dtype=float)
    f = fixed_monthly_of(p)
    ep = epochs_of(p)
    has_t = np.asarray(p["has_training"]) > 0
    t = np.where(
        has_t, training_run_cost(p["training_tokens"], ep, p["training_price"], p["min_job_fee"], p["training_fixed"], p.get("max_job_fee", np.inf)), 0.0
    )
    retrain = np.asarray(p["retrain_every"])
    runs = np.where(has_t, training_runs(h, retrain), 0)
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
    limit = row_feasible_until(h, 1.0, h, retrain, has_t, p["jobs_until"], p["feasible_last"])
    # [strategies, 1] when the schedules do not vary by variant: kept narrow, broadcast at the end
    feasible = strategy_feasible_until(np.broadcast_to(limit, (s_count, np.shape(limit)[-1] if np.ndim(limit) else 1)), None, s_count, h)
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
        res["cheapest"] = cheapest_feasible(np.broadcast_to(total, full), feasible, h)
    return {k: v for k, v in res.items() if k in wanted}
