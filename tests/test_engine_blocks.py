"""evaluate_summary (blocked, closed forms) and evaluate_scalar (plain loop) against engine.evaluate."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scalar_reference import evaluate_scalar

from ftcost import engine
from ftcost.engine.formulas import geometric_sum
from ftcost.engine.summary import evaluate_summary

RTOL = 1e-11  # closed-form sums against month-by-month sums: rounding only


@st.composite
def inputs(draw, max_strategies=4, max_variants=6, self_hosted=True):
    """Random engine inputs: [S] per-strategy values, some fields varying over a variant axis."""
    s = draw(st.integers(1, max_strategies))
    n = draw(st.integers(1, max_variants))
    h = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    # Which fields vary across variants (the rest are [S, 1]).
    varying = set(
        draw(
            st.lists(
                st.sampled_from(
                    [
                        "requests_per_month",
                        "growth",
                        "prompt_tokens",
                        "price_change",
                        "retrain_every",
                        "fixed_monthly_cost",
                        "quality_cost",
                        "training_tokens",
                        "one_time_cost",
                    ]
                ),
                max_size=4,
            )
        )
    )
    if "retrain_every" in varying:  # engine.evaluate leaves retrain_every out of its broadcast shape
        varying.add("requests_per_month")

    def per(name, values):
        return values(size=(s, n) if name in varying else (s, 1))

    def maybe_zero(a, p=0.4):
        return np.where(rng.random(a.shape) < p, 0.0, a)

    v1 = (
        rng.choice([0.0, 1.0, 1e3, 1e5, 3e6], size=n) * rng.uniform(0.5, 2, size=n)
        if "requests_per_month" in varying
        else np.asarray(float(rng.choice([0.0, 1e3, 1e5, 3e6])))
    )
    growth = rng.choice([0.0, 0.03, -0.05, 0.2], size=n) if "growth" in varying else np.asarray(float(rng.choice([0.0, 0.02, -0.1])))
    price_change = maybe_zero(per("price_change", lambda size: rng.uniform(-0.05, 0.05, size)), 0.6)
    if draw(st.booleans()):  # one scenario-wide trend (the common case)
        price_change = price_change[:1]
    cap = np.zeros((s, 1))
    if self_hosted and s > 1 and draw(st.booleans()):
        cap[rng.integers(0, s)] = rng.choice([5e4, 1e6])
    prompt = per("prompt_tokens", lambda size: rng.uniform(0, 4000, size))
    input_tokens = rng.uniform(0, 300, (s, 1))
    cached = np.minimum(rng.uniform(0, 2000, (s, 1)) * (rng.random((s, 1)) < 0.5), prompt + input_tokens)
    inp = rng.choice([0.1, 0.15, 0.3, 2.5], size=(s, 1))
    return engine.Inputs(
        horizon=h,
        baseline=int(rng.integers(0, s)),
        requests_per_month=v1,
        growth=growth,
        prompt_tokens=prompt,
        input_tokens=input_tokens,
        cached_tokens=cached,
        completion_tokens=rng.uniform(0, 50, (s, 1)),
        input_price=inp,
        cached_price=inp / 2,
        output_price=inp * 4,
        batch_share=maybe_zero(rng.uniform(0, 1, (s, 1))),
        batch_discount=rng.choice([0.0, 0.5], size=(s, 1)),
        per_hour=maybe_zero(rng.uniform(0, 3, (s, 1))),
        hours_per_month=np.full((s, 1), 730.0),
        deployments=rng.integers(0, 3, (s, 1)).astype(float),
        storage_per_month=maybe_zero(rng.uniform(0, 10, (s, 1))),
        fixed_monthly_cost=maybe_zero(per("fixed_monthly_cost", lambda size: rng.uniform(0, 2000, size))),
        has_training=(rng.random((s, 1)) < 0.6).astype(float),
        training_tokens=per("training_tokens", lambda size: rng.uniform(0, 5e6, size)),
        examples=rng.integers(0, 50000, (s, 1)).astype(float),
        epochs=rng.integers(0, 5, (s, 1)).astype(float),
        training_price=rng.choice([0.0, 3.0, 25.0], size=(s, 1)),
        min_job_fee=maybe_zero(rng.uniform(0, 50, (s, 1)), 0.8),
        retrain_every=maybe_zero(per("retrain_every", lambda size: rng.integers(1, 13, size).astype(float))),
        one_time_cost=maybe_zero(per("one_time_cost", lambda size: rng.uniform(0, 5000, size))),
        training_fixed=maybe_zero(rng.uniform(0, 100, (s, 1)), 0.7),
        data_generation_cost=maybe_zero(rng.uniform(0, 1000, (s, 1)), 0.7),
        quality_cost=maybe_zero(per("quality_cost", lambda size: rng.uniform(0, 1e-3, size)), 0.6),
        price_change=price_change,
        replica_capacity=cap,
        replica_cost=np.where(cap > 0, 800.0, 0.0),
        min_replicas=np.where(cap > 0, 1.0, 0.0),
    )


def assert_payback_matches(x, o, pay):
    """Payback months agree, except on a near-tie (cumulative costs within 1e-9 of each other)."""
    ks = np.cumsum(o.monthly, axis=-1)
    kb = ks[x.baseline]
    for idx in zip(*np.nonzero(o.payback_month != pay)):
        s, var = idx[0], idx[1:]
        months = [m - 1 for m in (int(o.payback_month[idx]), int(pay[idx])) if m > 0]
        gap = [abs(ks[(s, *var, m)] - kb[(*var, m)]) / max(abs(kb[(*var, m)]), 1.0) for m in months]
        assert months and min(gap) < 1e-9, f"payback differs at {idx}: {o.payback_month[idx]} vs {pay[idx]}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs(), st.sampled_from([1, 3, 4096]))
def test_summary_equals_evaluate(x, block):
    o = engine.evaluate(x)
    s = evaluate_summary(x, block_size=block)
    np.testing.assert_allclose(s.total_cost, o.total_cost, rtol=RTOL, atol=1e-9)
    np.testing.assert_allclose(s.training_cost, o.training_cost, rtol=RTOL, atol=1e-9)
    np.testing.assert_allclose(s.average_fixed_monthly, o.average_fixed_monthly, rtol=RTOL, atol=1e-9)
    np.testing.assert_allclose(s.monthly_cost, o.monthly_cost, rtol=RTOL, atol=1e-9)
    np.testing.assert_allclose(s.break_even, o.break_even, rtol=1e-9, equal_nan=True)
    np.testing.assert_array_equal(s.cost_per_request, o.cost_per_request)
    np.testing.assert_array_equal(s.fixed_monthly, o.fixed_monthly)
    np.testing.assert_array_equal(s.epochs, o.epochs)
    np.testing.assert_array_equal(s.training_runs, o.training_runs)
    np.testing.assert_array_equal(s.training_run_cost, o.training_run_cost)
    assert_payback_matches(x, o, s.payback_month)
    total = np.asarray(o.total_cost)
    picked = np.take_along_axis(total, np.asarray(s.cheapest)[None], axis=0)[0]
    np.testing.assert_allclose(picked, total.min(axis=0), rtol=RTOL)  # the same strategy, or a tie


@settings(max_examples=40, deadline=None)
@given(inputs(max_strategies=3, max_variants=3))
def test_scalar_loop_equals_evaluate(x):
    o = engine.evaluate(x)
    r = evaluate_scalar(x)
    s_count = np.shape(o.total_cost)[0]
    np.testing.assert_allclose(r["total_cost"], np.reshape(o.total_cost, (s_count, -1)), rtol=RTOL, atol=1e-9)
    np.testing.assert_allclose(r["break_even"], np.reshape(o.break_even, (s_count, -1)), rtol=1e-9, equal_nan=True)
    assert_payback_matches(x, o, np.reshape(r["payback_month"], np.shape(o.payback_month)))


def _two(**over):
    """Prompting ($0.001 a request) against fine-tuning ($0.0001 a request, $5 a month), 12 months."""
    z = np.zeros((2, 1))
    base = dict(
        horizon=12,
        baseline=0,
        requests_per_month=np.array([1000.0, 10000.0]),
        growth=0.0,
        prompt_tokens=np.array([[1000.0], [100.0]]),
        input_tokens=z,
        cached_tokens=z,
        completion_tokens=z,
        input_price=1.0,
        cached_price=1.0,
        output_price=0.0,
        batch_share=z,
        batch_discount=z,
        per_hour=z,
        hours_per_month=z,
        deployments=z,
        storage_per_month=z,
        fixed_monthly_cost=np.array([[0.0], [5.0]]),
        has_training=z,
        training_tokens=z,
        examples=z,
        epochs=z + 1,
        training_price=z,
        min_job_fee=z,
        retrain_every=z,
        one_time_cost=z,
    )
    base.update(over)
    return engine.Inputs(**base)


def test_hand_worked_totals_and_payback():
    # 10,000 requests: prompting 10 a month, fine-tuning 5 + 1 = 6 -> paid back in month 1; 12 months: 120 and 72.
    # 1,000 requests: 1 against 5.1 a month -> never.
    s = evaluate_summary(_two())
    np.testing.assert_allclose(s.total_cost, [[12.0, 120.0], [61.2, 72.0]], rtol=1e-12)
    assert s.payback_month.tolist() == [[1, 1], [0, 1]]


def test_payback_with_a_one_time_cost():
    # A one-time cost of 20 in month 1 at 10,000 requests: cumulative 26, 32, 38, 44, 50, 56 against
    # 10, 20, 30, 40, 50: 50 <= 50 in month 5.
    s = evaluate_summary(_two(one_time_cost=np.array([[0.0], [20.0]])))
    assert s.payback_month[1, 1] == 5
    assert s.total_cost[1, 1] == pytest.approx(72.0 + 20.0)


def test_retraining_sawtooth():
    # Retraining costs 30 every 3 months (months 1, 4, 7, 10) with 10,000 requests: cumulative
    # fine-tuned 36, 42, 48, 84 ... against 10, 20, 30, 40 ...; difference +26, +22, +18, +44, +40, +36,
    # +62, ... never paid back within 12 months; with 30 only in month 1: 30 + 6m <= 10m from m = 7.5, so month 8.
    tr = dict(
        has_training=np.array([[0.0], [1.0]]),
        training_tokens=np.array([[0.0], [1e6]]),
        training_price=np.array([[0.0], [30.0]]),
        epochs=np.array([[1.0], [1.0]]),
    )
    every3 = evaluate_summary(_two(retrain_every=np.array([[0.0], [3.0]]), **tr))
    once = evaluate_summary(_two(**tr))
    assert every3.payback_month[1, 1] == 0
    assert every3.training_runs[1, 1] == 4
    assert once.payback_month[1, 1] == 8


def test_geometric_sum_against_the_loop():
    g = np.array([0.0, 1e-12, -0.3, 0.05, 2.0])
    for months in (1, 2, 36, 120):
        loop = np.array([sum((1 + x) ** k for k in range(months)) for x in g])
        np.testing.assert_allclose(geometric_sum(g, months), loop, rtol=1e-12)


def test_block_size_does_not_change_results():
    rng = np.random.default_rng(7)
    x = _two(requests_per_month=rng.uniform(0, 20000, 1000), growth=rng.uniform(-0.05, 0.1, 1000))
    a, b = evaluate_summary(x, block_size=1), evaluate_summary(x, block_size=4096)
    np.testing.assert_array_equal(a.payback_month, b.payback_month)
    np.testing.assert_array_equal(a.total_cost, b.total_cost)


def test_unknown_fields_fall_back_to_evaluate(monkeypatch):
    # A field the closed forms do not know (the engine grew) -> the exact blocked evaluate() path.
    from ftcost.engine import summary

    monkeypatch.setattr(summary, "CLOSED_FORM_FIELDS", summary.CLOSED_FORM_FIELDS - {"quality_cost"})
    x = _two()
    s = evaluate_summary(x)
    o = engine.evaluate(x)
    np.testing.assert_array_equal(s.total_cost, o.total_cost)


def test_break_even_equals_the_engines():
    # Ties and signs on purpose: costs and fixed costs drawn from a few values, so every case of
    # docs/design.md (cheaper above, always, never, cheaper below) comes up.
    from ftcost.engine.payback import break_even

    rng = np.random.default_rng(3)
    args = [rng.choice([0.0, 1e-4, 3e-4, 1.0, 2.0], size=5000) for _ in range(4)]
    want = engine.break_even_volume(*args)
    got = break_even(*args)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])


@pytest.mark.parametrize(
    "name", ["ftcost.engine.summary", "ftcost.engine.payback", "ftcost.model.normal", "ftcost.analysis.sweep", "ftcost.analysis.sensitivity"]
)
def test_docstring_examples(name):
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


def test_a_volume_ratio_that_rounds_to_zero_stays_finite_and_silent():
    # Found by benchmarks/fuzz_long.py (2026-12-01): growth just above -100% a month (-0.9999999999999999,
    # the cut of a wide distribution) with prices falling 50% a month gives g + p + g p = -1.0 in floating
    # point, and log1p(-1) raised "divide by zero" under strict numpy. The ratio (1+g)(1+p) is 0 then:
    # requests in month 1 only. Prompting at $0.001 x 10,000 = $10 in month 1 and $0 after, over 12 months.
    g = np.nextafter(-1.0, 0.0)
    x = _two(growth=np.array([g, 0.0]), price_change=np.array([[-0.5], [-0.5]]))
    with np.errstate(all="raise"):
        s = evaluate_summary(x)
    ref = engine.evaluate(x)
    np.testing.assert_allclose(s.total_cost, ref.total_cost, rtol=1e-9, atol=1e-12)
    assert s.total_cost[0, 0] == pytest.approx(1000 * 1000 * 1.0 / 1e6)  # 1,000 requests x 1,000 tokens x $1 per 1M, month 1 only
    assert np.all(np.isfinite(s.total_cost))
    assert geometric_sum(-1.0, 0) == 0.0
