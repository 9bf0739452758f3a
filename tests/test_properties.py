"""Property tests: the vectorized engine against a plain scalar reference.

``reference()`` below is docs/design.md's "The math" written as plain Python loops
over strategies and months, one float at a time, with no numpy. Hypothesis
draws random scenarios (as engine inputs) and checks ``engine.evaluate``
agrees with it to rtol 1e-9; then checks the break-even property: with no
growth, at V* both strategies cost the same over the horizon.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from ftcost import engine

RTOL = 1e-9
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------
# The scalar reference (docs/design.md, "The math")

PAYBACK_RTOL = 1e-12  # the engine's tolerance for "K_s(m) <= K_b(m)" (float noise only)


def ref_epochs(n: int) -> int:
    """OpenAI's heuristic: 3; if 3n < 100, min(25, 100 // n); if 3n > 25,000, max(1, 25,000 // n)."""
    if n * 3 < 100:
        return min(25, 100 // n)
    if n * 3 > 25000:
        return max(1, 25000 // n)
    return 3


def ref_strategy(s: dict, horizon: int, v1: float, g: float) -> dict:
    i_tokens = s["prompt_tokens"] + s["input_tokens"]
    c_tokens = s["cached_tokens"]
    tokens_cost = (i_tokens - c_tokens) * s["input_price"] + c_tokens * s["cached_price"] + s["completion_tokens"] * s["output_price"]
    c = (1 - s["batch_share"] * s["batch_discount"]) * tokens_cost / 1e6
    f = s["per_hour"] * s["hours_per_month"] * s["deployments"] + s["storage_per_month"] + s["fixed_monthly_cost"]
    epochs = s["epochs"] if s["epochs"] > 0 else ref_epochs(s["examples"])
    if s["has_training"]:
        t = s["training_tokens"] * epochs * s["training_price"] / 1e6
        r = s["retrain_every"]
        months = [m for m in range(1, horizon + 1) if (m - 1) % r == 0] if r > 0 else [1]
    else:
        t = 0.0
        months = []
    monthly = []
    for m in range(1, horizon + 1):
        cost = f + v1 * (1 + g) ** (m - 1) * c
        if m in months:
            cost += t
        if m == 1:
            cost += s["one_time_cost"]
        monthly.append(cost)
    fbar = f + (s["one_time_cost"] + t * len(months)) / horizon
    return {
        "cost_per_request": c,
        "fixed_monthly": f,
        "epochs": epochs,
        "training_run_cost": t,
        "training_runs": len(months),
        "training_cost": t * len(months),
        "one_time_cost": s["one_time_cost"],
        "average_fixed_monthly": fbar,
        "monthly_cost": fbar + v1 * c,
        "monthly": monthly,
        "total_cost": sum(monthly),
    }


def ref_break_even(cs, fs, cb, fb):
    """(V*, cheaper_above): the four cases of docs/design.md; V* None when it never breaks even."""
    if cs < cb:
        return max((fs - fb) / (cb - cs), 0.0), True
    if cs == cb and fs < fb:
        return 0.0, True
    if cs > cb and fs < fb:
        return (fs - fb) / (cb - cs), False
    return None, None


def ref_payback(ms, mb):
    ks = kb = 0.0
    for m, (a, b) in enumerate(zip(ms, mb), start=1):
        ks += a
        kb += b
        if ks - kb <= PAYBACK_RTOL * max(abs(kb), 1.0):
            return m
    return None


def reference(strategies: list[dict], horizon: int, v1: float, g: float, baseline: int) -> list[dict]:
    out = [ref_strategy(s, horizon, v1, g) for s in strategies]
    b = out[baseline]
    for _i, o in enumerate(out):
        o["break_even"], o["cheaper_above"] = ref_break_even(
            o["cost_per_request"], o["average_fixed_monthly"], b["cost_per_request"], b["average_fixed_monthly"]
        )
        o["payback_month"] = ref_payback(o["monthly"], b["monthly"])
    return out


def to_inputs(strategies: list[dict], horizon: int, v1: float, g: float, baseline: int) -> engine.Inputs:
    def col(k):
        return np.array([float(s[k]) for s in strategies])

    return engine.Inputs(
        horizon=horizon,
        baseline=baseline,
        requests_per_month=np.asarray(v1),
        growth=np.asarray(g),
        prompt_tokens=col("prompt_tokens"),
        input_tokens=col("input_tokens"),
        cached_tokens=col("cached_tokens"),
        completion_tokens=col("completion_tokens"),
        input_price=col("input_price"),
        cached_price=col("cached_price"),
        output_price=col("output_price"),
        batch_share=col("batch_share"),
        batch_discount=col("batch_discount"),
        per_hour=col("per_hour"),
        hours_per_month=col("hours_per_month"),
        deployments=col("deployments"),
        storage_per_month=col("storage_per_month"),
        fixed_monthly_cost=col("fixed_monthly_cost"),
        has_training=col("has_training"),
        training_tokens=col("training_tokens"),
        examples=col("examples"),
        epochs=col("epochs"),
        training_price=col("training_price"),
        min_job_fee=np.zeros(len(strategies)),
        retrain_every=col("retrain_every"),
        one_time_cost=col("one_time_cost"),
    )


# --------------------------------------------------------------------------
# Random scenarios


def money(hi, step=0.0001):
    """An amount from 0 to ``hi`` on a grid of ``step`` (prices are quoted to a few decimals; integers
    draw faster than floats and hit ties and zeros more often)."""
    return st.integers(0, round(hi / step)).map(lambda k: k * step)


def share():
    return st.integers(0, 1000).map(lambda k: k / 1000)


@st.composite
def strategy(draw):
    prompt = draw(st.integers(0, 20_000))
    user = draw(st.integers(0, 5_000))
    input_price = draw(money(60.0))
    return {
        "prompt_tokens": prompt,
        "input_tokens": user,
        "cached_tokens": draw(st.integers(0, prompt + user)),
        "completion_tokens": draw(st.integers(0, 4_000)),
        "input_price": input_price,
        "cached_price": draw(share()) * input_price,
        "output_price": draw(money(120.0)),
        "batch_share": draw(share()),
        "batch_discount": draw(share()),
        "per_hour": draw(money(10.0)),
        "hours_per_month": draw(st.sampled_from([0.0, 720.0, 730.0, 744.0])),
        "deployments": draw(st.integers(0, 4)),
        "storage_per_month": draw(money(100.0, 0.01)),
        "fixed_monthly_cost": draw(money(5_000.0, 0.01)),
        "has_training": draw(st.booleans()),
        "training_tokens": draw(st.integers(0, 50_000_000)),
        "examples": draw(st.integers(1, 200_000)),
        "epochs": draw(st.integers(0, 25)),  # 0 = auto
        "training_price": draw(money(30.0)),
        "retrain_every": draw(st.integers(0, 30)),  # 0 = once
        "one_time_cost": draw(money(50_000.0, 0.01)),
    }


@st.composite
def scenario(draw, growth=None, n=st.integers(1, 4)):  # noqa: B008 (a hypothesis strategy is an immutable value)
    k = draw(n)
    strategies = draw(st.lists(strategy(), min_size=k, max_size=k))
    horizon = draw(st.integers(1, 60))
    v1 = float(draw(st.integers(0, 10**8)))
    g = draw(st.integers(-500, 500).map(lambda k: k / 1000)) if growth is None else growth
    baseline = draw(st.integers(0, k - 1))
    return strategies, horizon, v1, g, baseline


def close(actual, expected, scale):
    """Equal to rtol 1e-9, relative to ``scale`` (the size of the numbers that were added up)."""
    return abs(actual - expected) <= RTOL * max(abs(expected), abs(scale), 1e-300)


# --------------------------------------------------------------------------
# Properties


@SETTINGS
@given(scenario())
def test_engine_equals_scalar_reference(sc):
    strategies, horizon, v1, g, baseline = sc
    out = engine.evaluate(to_inputs(*sc))
    ref = reference(*sc)
    for i, r in enumerate(ref):
        for key in (
            "cost_per_request",
            "fixed_monthly",
            "training_run_cost",
            "training_cost",
            "one_time_cost",
            "average_fixed_monthly",
            "monthly_cost",
            "total_cost",
        ):
            assert float(getattr(out, key)[i]) == pytest.approx(r[key], rel=RTOL, abs=1e-12), key
        assert int(out.epochs[i]) == r["epochs"]
        assert int(out.training_runs[i]) == r["training_runs"]
        np.testing.assert_allclose(out.monthly[i], r["monthly"], rtol=RTOL, atol=1e-12)
        if i == baseline:
            continue
        ref_pay = r["payback_month"]
        assert (int(out.payback_month[i]) or None) == ref_pay
        be = float(out.break_even[i])
        # V* = (Fbar_s - Fbar_b) / (c_b - c_s): where a difference is float noise (not zero, but
        # within 1e-9 of the values), its sign decides the case and is noise too: skip those.
        cs, cb = r["cost_per_request"], ref[baseline]["cost_per_request"]
        fs, fb = r["average_fixed_monthly"], ref[baseline]["average_fixed_monthly"]
        if 0 < abs(cs - cb) <= 1e-9 * max(cs, cb) or 0 < abs(fs - fb) <= 1e-9 * max(fs, fb):
            event("break-even skipped: a difference is float noise")
            continue
        event("break-even " + ("never" if r["break_even"] is None else "V*=0" if r["break_even"] == 0 else "above" if r["cheaper_above"] else "below"))
        if r["break_even"] is None:
            assert math.isnan(be)
        else:
            assert be == pytest.approx(r["break_even"], rel=1e-7)
            assert bool(out.cheaper_above[i]) is r["cheaper_above"]
    totals = [r["total_cost"] for r in ref]
    assert totals[int(out.cheapest)] == pytest.approx(min(totals), rel=RTOL)


FIXED_PARTS = (
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
    "retrain_every",
    "one_time_cost",
)


@SETTINGS
@given(scenario(growth=0.0, n=st.just(2)))
def test_totals_equal_at_break_even(sc):
    """With no growth, at the break-even volume V* both strategies cost the same over the horizon;
    a bit above and below it, the cheaper one is on the side docs/design.md says."""
    strategies, horizon, v1, g, baseline = sc
    s = 1 - baseline
    x = to_inputs(*sc)
    out = engine.evaluate(x)
    if not float(out.break_even[s]) > 0:
        # "always cheaper" or "never": swapping the fixed-cost parts of the two strategies
        # turns the draw into "cheaper above" or "cheaper below" (unless they tie)
        a, b = strategies
        swapped = [dict(a, **{k: b[k] for k in FIXED_PARTS}), dict(b, **{k: a[k] for k in FIXED_PARTS})]
        x = to_inputs(swapped, horizon, v1, g, baseline)
        out = engine.evaluate(x)
    v = float(out.break_even[s])
    dc = float(out.cost_per_request[baseline] - out.cost_per_request[s])
    df = float(out.average_fixed_monthly[s] - out.average_fixed_monthly[baseline])
    assume(not math.isnan(v) and v > 0)
    # V* is a ratio of two differences; skip draws where either is float noise
    assume(abs(dc) > 1e-9 * float(np.max(out.cost_per_request)) and abs(df) > 1e-9 * float(np.max(out.average_fixed_monthly)))
    at = engine.evaluate(x.replace(requests_per_month=np.asarray(v)))
    ks, kb = float(at.total_cost[s]), float(at.total_cost[baseline])
    assert ks == pytest.approx(kb, rel=RTOL)
    above = bool(out.cheaper_above[s])
    hi = engine.evaluate(x.replace(requests_per_month=np.asarray(2 * v)))
    lo = engine.evaluate(x.replace(requests_per_month=np.asarray(v / 2)))
    wins_hi = hi.total_cost[s] < hi.total_cost[baseline]
    wins_lo = lo.total_cost[s] < lo.total_cost[baseline]
    assert wins_hi == above and wins_lo == (not above)


@settings(SETTINGS, max_examples=50)
@given(scenario(), st.lists(st.integers(0, 10**8).map(float), min_size=1, max_size=5))
def test_volume_axis_equals_separate_runs(sc, volumes):
    """The vectorized sweep: a volume axis gives, column by column, the one-volume results."""
    x = to_inputs(*sc)
    per_strategy = {f: np.asarray(v)[:, None] for f, v in vars(x).items() if isinstance(v, np.ndarray) and np.ndim(v) == 1}
    wide = engine.evaluate(x.replace(requests_per_month=np.asarray(volumes)[None, :], **per_strategy))
    for j, v in enumerate(volumes):
        one = engine.evaluate(x.replace(requests_per_month=np.asarray(v)))
        np.testing.assert_allclose(wide.total_cost[:, j], one.total_cost, rtol=RTOL)
        np.testing.assert_allclose(wide.monthly[:, j], one.monthly, rtol=RTOL)
        np.testing.assert_array_equal(wide.payback_month[:, j], one.payback_month)
        assert int(wide.cheapest[j]) == int(one.cheapest)
