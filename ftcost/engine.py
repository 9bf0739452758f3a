"""The cost engine: pure numpy, no I/O, no printing.

Every function broadcasts its arguments (numpy-financial style): a scalar in
gives a scalar-shaped array out, arrays of volumes, months, sweep points or
Monte Carlo samples give arrays back. Edge cases are masks, not branches per
element. Money is in the scenario currency; prices are per 1M tokens.

The shapes used by :func:`evaluate`: strategies on the first axis, any
number of "variant" axes after it (sweep points, samples), months last.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

PER_MILLION = 1e6
# Relative tolerance when comparing two cumulative costs for the payback month:
# two strategies priced identically must pay back in month 1, not miss by 1 ulp.
_PAYBACK_RTOL = 1e-12

# Array types of the engine's signatures. Functions take anything numpy turns
# into an array (ArrayLike) and give arrays back; a scalar in gives a 0-d array
# or a numpy scalar out, which numpy's own annotations also call an array.
FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]
BoolArray: TypeAlias = NDArray[np.bool_]
# One engine input (an Inputs field): a number, or an array broadcastable to [strategies, *variants].
Value: TypeAlias = float | NDArray[Any]


def cost_per_request(
    prompt_tokens: ArrayLike,
    input_tokens: ArrayLike,
    cached_tokens: ArrayLike,
    completion_tokens: ArrayLike,
    input_price: Value,
    cached_price: Value,
    output_price: Value,
    batch_share: ArrayLike = 0.0,
    batch_discount: Value = 0.0,
    batch_input_price: ArrayLike = np.nan,
    batch_cached_price: ArrayLike = np.nan,
    batch_output_price: ArrayLike = np.nan,
) -> FloatArray:
    """Cost of one request.

    Parameters
    ----------
    prompt_tokens, input_tokens : array_like
        Fixed prompt tokens and per-request user tokens; together the input I.
    cached_tokens : array_like
        The part C of I billed at ``cached_price`` (C <= I).
    completion_tokens : array_like
        Output tokens O.
    input_price, cached_price, output_price : array_like
        Prices per 1M tokens.
    batch_share : array_like
        Share of requests sent through a batch API (0..1).
    batch_discount : array_like
        Fraction off for batch requests.
    batch_input_price, batch_cached_price, batch_output_price : array_like
        Published batch prices per 1M tokens; NaN (the default) means "the
        standard prices less ``batch_discount``". Where given, a batch request
        costs ``(I - C) * batch_input + C * batch_cached + O * batch_output``.

    Returns
    -------
    ndarray
        ``(1 - batch_share * batch_discount) * ((I - C) * input + C * cached + O * output) / 1e6``,
        or with published batch prices
        ``((1 - batch_share) * standard + batch_share * batch) / 1e6``

    Examples
    --------
    1,850 + 120 input tokens of which 1,024 cached, 4 output tokens, on
    gpt-4o-mini (0.15 / 0.075 / 0.60 per 1M), no batch:
    (946 * 0.15 + 1024 * 0.075 + 4 * 0.60) / 1e6 = (141.9 + 76.8 + 2.4) / 1e6

    >>> float(cost_per_request(1850, 120, 1024, 4, 0.15, 0.075, 0.60))
    0.0002211

    OpenAI's fine-tuned gpt-4o, all requests through the batch API at the
    published batch prices 2.225 / 0.90 / 12.50 per 1M (not 50% off): 1,000
    input tokens and 100 output tokens cost (1000 * 2.225 + 100 * 12.50) / 1e6:

    >>> round(float(cost_per_request(1000, 0, 0, 100, 3.75, 1.875, 15.0, 1.0, 0.0, 2.225, 0.90, 12.50)), 12)
    0.003475
    """
    i = np.asarray(prompt_tokens, dtype=float) + np.asarray(input_tokens, dtype=float)
    c = np.asarray(cached_tokens, dtype=float)
    o = np.asarray(completion_tokens, dtype=float)
    tokens_cost = (i - c) * input_price + c * cached_price + o * output_price
    share = np.asarray(batch_share, dtype=float)
    discounted: FloatArray = (1.0 - share * batch_discount) * tokens_cost / PER_MILLION
    bi = np.asarray(batch_input_price, dtype=float)
    published = ~np.isnan(bi)
    if not published.any():
        return discounted
    batch_cost = (i - c) * bi + c * np.asarray(batch_cached_price, dtype=float) + o * np.asarray(batch_output_price, dtype=float)
    out: FloatArray = np.where(published, ((1.0 - share) * tokens_cost + share * batch_cost) / PER_MILLION, discounted)
    return out


def fixed_monthly(
    per_hour: ArrayLike = 0.0,
    hours_per_month: Value = 730.0,
    deployments: Value = 1.0,
    storage_per_month: ArrayLike = 0.0,
    fixed_monthly_cost: Value = 0.0,
) -> FloatArray:
    """Fixed cost of one month: ``per_hour * hours_per_month * deployments + storage + other``.

    Examples
    --------
    Azure OpenAI hosting, 1.70 USD/hour for one deployment over 730 hours:

    >>> float(fixed_monthly(1.70, 730, 1))
    1241.0
    """
    out: FloatArray = np.asarray(per_hour, dtype=float) * hours_per_month * deployments + np.asarray(storage_per_month, dtype=float) + fixed_monthly_cost
    return out


def default_epochs(examples: ArrayLike, fixed: int = 0) -> IntArray:
    """Default number of epochs for ``n`` training examples (``epochs: auto``).

    OpenAI's rule, from the OpenAI cookbook's fine-tuning data preparation
    notebook: 3 epochs; if ``3n < 100``, ``min(25, 100 // n)``; if
    ``3n > 25000``, ``max(1, 25000 // n)``. ``fixed > 0`` is a provider whose
    rule is a fixed count (Azure OpenAI's cost page: 2 epochs): that many for
    every n.

    Examples
    --------
    >>> default_epochs([1, 5, 33, 34, 8333, 8334, 100000]).tolist()
    [25, 20, 3, 3, 3, 2, 1]
    >>> default_epochs([5, 500], fixed=2).tolist()
    [2, 2]
    """
    if fixed:
        return np.full(np.shape(examples), int(fixed), dtype=np.int64)
    n = np.asarray(examples)
    safe_n = np.maximum(n, 1).astype(np.int64)
    small = np.minimum(25, 100 // safe_n)
    large = np.maximum(1, 25000 // safe_n)
    return np.where(safe_n * 3 < 100, small, np.where(safe_n * 3 > 25000, large, 3)).astype(np.int64)


def training_run_cost(
    tokens: ArrayLike,
    epochs: Value,
    training_price: Value,
    min_job_fee: ArrayLike = 0.0,
    fixed: Value = 0.0,
    max_job_fee: ArrayLike = np.inf,
) -> FloatArray:
    """Cost of one training run, bounded by the provider's per-job fees.

    ``T = min(max(tokens * epochs * price / 1e6 + fixed, min_job_fee), max_job_fee)``

    ``tokens`` are the billable tokens of one epoch, ``price`` is per 1M
    training tokens (OpenAI's fine-tuning pricing: price per 1M training
    tokens x tokens in the file x epochs); ``fixed`` is the part of a run not
    tied to tokens (GPU hours, hour-billed training); ``max_job_fee`` caps a
    job (Azure OpenAI reinforcement fine-tuning: 5,000 USD a job); no cap is
    ``inf``. The engine, the fast summary, ``ftcost tokens`` and ``ftcost data``
    all use this one function.

    Examples
    --------
    OpenAI's published example: 100,000 tokens x 3 epochs at $8.00 per 1M:

    >>> round(float(training_run_cost(100_000, 3, 8.00)), 10)
    2.4

    Azure's reinforcement fine-tuning, 100 USD an hour for 80 hours, capped at
    5,000 USD a job (Microsoft Learn, "Cost management for fine-tuning"):

    >>> float(training_run_cost(0, 1, 0.0, fixed=100 * 80, max_job_fee=5000))
    5000.0
    """
    raw = np.asarray(tokens, dtype=float) * epochs * training_price / PER_MILLION + fixed
    out: FloatArray = np.minimum(np.maximum(raw, min_job_fee), max_job_fee)
    return out


def training_runs(horizon: ArrayLike, retrain_every: ArrayLike = 0) -> IntArray:
    """Number of training runs within ``horizon`` months: months 1, 1+R, 1+2R, ...

    ``retrain_every <= 0`` means train once.

    >>> training_runs(24, [0, 6, 7, 24, 25]).tolist()
    [1, 4, 4, 1, 1]
    """
    r = np.asarray(retrain_every)
    safe_r = np.maximum(r, 1)
    return np.where(r > 0, 1 + (np.asarray(horizon) - 1) // safe_r, 1).astype(np.int64)


def training_month_mask(horizon: int, retrain_every: ArrayLike = 0) -> BoolArray:
    """Boolean array [..., horizon]: True in the months a training run falls (1, 1+R, ...)."""
    m0 = np.arange(horizon)  # m - 1
    r = np.asarray(retrain_every)[..., None]
    out: BoolArray = np.where(r > 0, m0 % np.maximum(r, 1) == 0, m0 == 0)
    return out


def monthly_volumes(first_month: ArrayLike, growth: ArrayLike, horizon: int) -> FloatArray:
    """Volume of each month ``V_m = V_1 * (1 + g)^(m - 1)``, shape [..., horizon].

    >>> monthly_volumes(1000, 0.1, 3).round(6).tolist()
    [1000.0, 1100.0, 1210.0]
    """
    m0 = np.arange(horizon, dtype=float)
    return np.asarray(first_month, dtype=float)[..., None] * (1.0 + np.asarray(growth, dtype=float)[..., None]) ** m0


def break_even_volume(cost_s: ArrayLike, fbar_s: ArrayLike, cost_b: ArrayLike, fbar_b: ArrayLike) -> tuple[FloatArray, BoolArray]:
    """Constant monthly volume at which strategy s and baseline b cost the same.

    ``V* = (Fbar_s - Fbar_b) / (c_b - c_s)``, with the four cases of docs/design.md:

    * ``c_s < c_b``: s is cheaper above V* (clipped at 0: always cheaper);
    * ``c_s == c_b`` and ``Fbar_s < Fbar_b``: always cheaper, V* = 0;
    * ``c_s >= c_b`` and ``Fbar_s >= Fbar_b``: never breaks even, V* = NaN (null);
    * ``c_s > c_b`` and ``Fbar_s < Fbar_b``: cheaper below V*.

    Returns
    -------
    volume : ndarray
        V*, NaN where there is none.
    cheaper_above : ndarray of bool
        True where s wins above V*, False where it wins below it.

    Examples
    --------
    Prompt at $0.0003 per request; fine-tuned at $0.0001 with $1,241 a month of
    hosting: 1241 / 0.0002 = 6,205,000 requests a month.

    >>> v, above = break_even_volume(0.0001, 1241.0, 0.0003, 0.0)
    >>> round(float(v)), bool(above)
    (6205000, True)
    """
    cs, fs, cb, fb = (np.asarray(x, dtype=float) for x in (cost_s, fbar_s, cost_b, fbar_b))
    dc = cb - cs
    df = fs - fb
    safe_dc = np.where(dc == 0, 1.0, dc)
    with np.errstate(over="ignore"):
        v = df / safe_dc
    cheaper_per_request = dc > 0
    dearer_per_request = dc < 0
    volume: FloatArray = np.where(
        cheaper_per_request, np.maximum(v, 0.0), np.where((dc == 0) & (df < 0), 0.0, np.where(dearer_per_request & (df < 0), v, np.nan))
    )
    # A per-request difference of ~1e-308 puts V* past the largest float: no break-even in practice.
    volume = np.where(np.isfinite(volume), volume, np.nan)
    cheaper_above = ~(dearer_per_request & (df < 0))
    return volume, cheaper_above


def payback_month(monthly_s: ArrayLike, monthly_b: ArrayLike) -> IntArray:
    """First month m (1-based) with cumulative ``K_s(m) <= K_b(m)``; 0 where none.

    Cumulative 250, 260, 270 against 100, 200, 300: paid back in month 3.

    >>> int(payback_month([250, 10, 10], [100, 100, 100]))
    3
    >>> int(payback_month([500, 10, 10], [100, 100, 100]))  # 520 > 300: never
    0
    """
    ks = np.cumsum(np.asarray(monthly_s, dtype=float), axis=-1)
    kb = np.cumsum(np.asarray(monthly_b, dtype=float), axis=-1)
    ok = ks - kb <= _PAYBACK_RTOL * np.maximum(np.abs(kb), 1.0)
    first = np.argmax(ok, axis=-1) + 1
    out: IntArray = np.where(ok.any(axis=-1), first, 0)
    return out


def replicas(volume: ArrayLike, capacity: ArrayLike, min_replicas: ArrayLike = 1) -> FloatArray:
    """Replicas a self-hosted deployment needs for ``volume`` requests a month.

    ``max(min_replicas, ceil(volume / capacity))`` where ``capacity`` is the
    requests one replica serves in a month at its target utilization; 0 where
    ``capacity <= 0`` (a strategy that is not self-hosted). The cost is a
    staircase in volume.

    >>> replicas([0, 1, 1000, 1001, 2500], 1000, 1).tolist()
    [1.0, 1.0, 1.0, 2.0, 3.0]
    """
    v = np.asarray(volume, dtype=float)
    cap = np.asarray(capacity, dtype=float)
    safe = np.where(cap > 0, cap, 1.0)
    # round before ceil so 3.0000000000004 replicas (float noise) stays 3
    need = np.ceil(np.round(v / safe, 9))
    out: FloatArray = np.where(cap > 0, np.maximum(need, min_replicas), 0.0)
    return out


@dataclass
class Inputs:
    """Engine inputs, each an array broadcastable to [strategies, *variants].

    Built by :meth:`ftcost.scenario.Scenario.inputs`; a sweep or a simulation
    replaces fields with arrays that carry extra axes.
    """

    horizon: int
    baseline: int
    requests_per_month: Value
    growth: Value
    prompt_tokens: Value
    input_tokens: Value
    cached_tokens: Value
    completion_tokens: Value
    input_price: Value
    cached_price: Value
    output_price: Value
    batch_share: Value
    batch_discount: Value
    per_hour: Value
    hours_per_month: Value
    deployments: Value
    storage_per_month: Value
    fixed_monthly_cost: Value
    has_training: Value  # 1 where the strategy trains, else 0
    training_tokens: Value
    examples: Value
    epochs: Value  # 0 means auto (from examples)
    training_price: Value
    min_job_fee: Value
    retrain_every: Value  # 0 means train once
    one_time_cost: Value
    # Issue-4 economics; the defaults switch each one off.
    training_fixed: Value = 0.0  # cost per run not tied to tokens (GPU hours, hour-billed training)
    max_job_fee: Value = np.inf  # a training job is never billed more (Azure reinforcement fine-tuning: 5,000)
    data_generation_cost: Value = 0.0  # creating the training set, month 1
    quality_cost: Value = 0.0  # expected error cost per request
    price_change: Value = 0.0  # monthly change of per-token prices, compounding
    # Published batch prices (per 1M); NaN = the standard prices less batch_discount.
    batch_input_price: Value = np.nan
    batch_cached_price: Value = np.nan
    batch_output_price: Value = np.nan
    replica_capacity: Value = 0.0  # requests per replica-month at target utilization; 0 = not self-hosted
    replica_cost: Value = 0.0  # cost of one replica for a month
    min_replicas: Value = 0.0
    # Plans over several models (issue 13, docs/migration.md). A row is one phase of a strategy: it is
    # active from first_month to last_month (inclusive, 1-based; inf = the horizon), trains in its first
    # month and every retrain_every after it, and pays one_time_cost and data_generation_cost in its
    # first month. A training run after month jobs_until cannot happen (the provider takes no new jobs),
    # nor can any month after feasible_last: the strategy is infeasible from there. ``owner`` maps
    # each row to its strategy (None: row i is strategy i); rows 0..S-1 are the strategies' first phases.
    first_month: Value = 1.0
    last_month: Value = np.inf
    jobs_until: Value = np.inf
    feasible_last: Value = np.inf
    owner: tuple[int, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> Inputs:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Inputs(**values)


@dataclass
class Outputs:
    """Engine outputs; arrays shaped [strategies, *variants] (monthly: [..., months])."""

    cost_per_request: FloatArray
    fixed_monthly: FloatArray
    epochs: NDArray[Any]  # whole numbers (float64 when Inputs.epochs is)
    training_run_cost: FloatArray
    training_runs: IntArray
    training_cost: FloatArray
    one_time_cost: FloatArray
    average_fixed_monthly: FloatArray
    monthly_cost: FloatArray
    monthly: FloatArray
    total_cost: FloatArray
    break_even: FloatArray
    cheaper_above: BoolArray
    payback_month: IntArray
    cheapest: IntArray  # index of the strategy with the lowest total, [*variants]
    training_months: BoolArray  # bool [strategies, *variants, months]
    # The constant-volume cost line used for break-even and cheapest-by-volume:
    # monthly cost at volume V = line_fixed + V * line_slope + replica_cost * replicas(V).
    line_fixed: FloatArray
    line_slope: FloatArray
    data_generation_cost: FloatArray
    quality_cost: FloatArray
    replicas_month1: FloatArray
    # Last month each strategy can be carried out (0: not even month 1; the horizon: all of it), [strategies, *variants].
    feasible_until: IntArray
    # Per plan row (one phase of a strategy): cost per request and cost of one training run, [rows, *variants].
    row_cost_per_request: FloatArray
    row_training_run_cost: FloatArray
    # The monthly breakdown, each [strategies, *variants, months]; they add up to ``monthly`` (see MONTHLY_PARTS).
    monthly_variable: FloatArray  # volume x (token cost at that month's prices + expected error cost)
    monthly_fixed: FloatArray  # hosting, storage and other fixed monthly costs
    monthly_gpu: FloatArray  # self-hosted replicas x cost of one replica
    monthly_training: FloatArray  # training runs, at that month's prices
    monthly_one_time: FloatArray  # one-time cost, month 1
    monthly_data_generation: FloatArray  # training-data generation, month 1
    replicas: FloatArray  # self-hosted replicas in each month (0 when not self-hosted)
    volumes: FloatArray  # requests in each month

    def breakdown(self) -> dict[str, FloatArray]:
        """The parts of ``monthly`` by name (:data:`MONTHLY_PARTS`), each [strategies, *variants, months]."""
        return {name: getattr(self, "monthly_" + name) for name in MONTHLY_PARTS}


# The parts of a month's cost, in the order tables show them; they add up to ``Outputs.monthly``.
MONTHLY_PARTS = ("variable", "fixed", "gpu", "training", "one_time", "data_generation")


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
    :mod:`ftcost.envelope`.

    Plans (docs/migration.md): each row of ``x`` is one phase of a strategy,
    active from ``first_month`` to ``last_month``; the rows of a strategy are
    summed month by month (``owner``), and the cheapest strategy is the
    cheapest of those feasible over the whole horizon (-1 where none is).
    """
    h = int(x.horizon)
    m0 = np.arange(h, dtype=float)
    c_tok = cost_per_request(
        x.prompt_tokens,
        x.input_tokens,
        x.cached_tokens,
        x.completion_tokens,
        x.input_price,
        x.cached_price,
        x.output_price,
        x.batch_share,
        x.batch_discount,
        x.batch_input_price,
        x.batch_cached_price,
        x.batch_output_price,
    )
    q = np.asarray(x.quality_cost, dtype=float)
    f = fixed_monthly(x.per_hour, x.hours_per_month, x.deployments, x.storage_per_month, x.fixed_monthly_cost)
    ep = np.where(np.asarray(x.epochs) > 0, x.epochs, default_epochs(x.examples))
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
