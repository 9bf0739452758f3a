"""The engine's formulas, one small broadcasting function each: pure numpy, no I/O, no printing.

Every function broadcasts its arguments (numpy-financial style): a scalar in
gives a scalar-shaped array out, arrays of volumes, months, sweep points or
Monte Carlo samples give arrays back. Edge cases are masks, not branches per
element. Money is in the scenario currency; prices are per 1M tokens.

The shapes used by :func:`evaluate`: strategies on the first axis, any
number of "variant" axes after it (sweep points, samples), months last.
"""

from __future__ import annotations

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
        standard prices less ``batch_discount``". Where a batch input price is
        given, a batch request costs ``(I - C) * batch_input + C * batch_cached
        + O * batch_output``, a cached or output batch price that is not given
        being the standard one less ``batch_discount``.

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
    if c.any() or not np.all(np.isfinite(cached_price)):
        tokens_cost = (i - c) * input_price + c * cached_price + o * output_price
    else:  # nothing cached: the same numbers, two passes fewer
        tokens_cost = i * input_price + o * output_price
    share = np.asarray(batch_share, dtype=float)
    discounted: FloatArray = (1.0 - share * batch_discount) * tokens_cost / PER_MILLION
    bi = np.asarray(batch_input_price, dtype=float)
    published = ~np.isnan(bi)
    if not published.any():
        return discounted
    off = 1.0 - np.asarray(batch_discount, dtype=float)

    def published_or_discounted(price: ArrayLike, standard: Value) -> FloatArray:
        """A published batch price, or (NaN: not published) the standard one less the batch discount."""
        a = np.asarray(price, dtype=float)
        missing = np.isnan(a)
        if not missing.any():
            return a
        filled: FloatArray = np.where(missing, np.multiply(standard, off), a)
        return filled

    batch_cost = (i - c) * bi + c * published_or_discounted(batch_cached_price, cached_price) + o * published_or_discounted(batch_output_price, output_price)
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


def geometric_sum(growth: ArrayLike, months: ArrayLike) -> FloatArray:
    """``G = sum_{k=0}^{months-1} (1 + g)^k``: months when g = 0, else ``expm1(months log1p(g)) / g``.

    >>> float(geometric_sum(0.1, 3))  # 1 + 1.1 + 1.21
    3.31
    >>> float(geometric_sum(0.0, 24))
    24.0

    A ratio of 0 (g = -1, which a growth just above -100% a month times a
    falling price can round to) keeps the first term only: 1 for any months
    above 0, and 0 for none.

    >>> geometric_sum(-1.0, [0, 1, 24]).tolist()
    [0.0, 1.0, 1.0]
    """
    g = np.asarray(growth, dtype=float)
    n = np.asarray(months, dtype=float)
    zero = g == 0
    out: FloatArray
    with np.errstate(divide="ignore", invalid="ignore"):  # log1p(-1) = -inf: see the ratio-0 case below
        if not zero.any():
            out = np.expm1(n * np.log1p(g)) / g
        elif zero.all():
            out = np.broadcast_to(n, np.broadcast_shapes(n.shape, g.shape)).copy()
        else:
            safe = np.where(zero, 1.0, g)
            out = np.where(zero, n, np.expm1(n * np.log1p(np.where(zero, 0.0, g))) / safe)
    if np.any(g == -1.0):  # 0 x -inf is NaN where months = 0: no terms
        out = np.where(n == 0, 0.0, out)
    return out
