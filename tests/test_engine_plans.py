"""The closed forms for plans over several models (ftcost.engine.plans) against engine.evaluate.

Random plans: 3 strategies, 2 of them with later phases (different prices,
a migration cost, a migration training run), random growth, price change,
error cost and retraining; the summary must equal evaluate's month-by-month
numbers (totals to 1e-10, payback months and cheapest exactly).
"""

from __future__ import annotations

import numpy as np
import pytest

from ftcost import engine
from ftcost.engine.summary import evaluate_summary


def plan_inputs(seed: int, n: int = 400, h: int = 24, priced: bool = False, quality: bool = False) -> engine.Inputs:
    rng = np.random.default_rng(seed)
    owner = (0, 1, 2, 1, 2, 2)
    r = len(owner)
    # phases: strategy 1 switches at month k1; strategy 2 at k2 and k3 (a chain)
    k1, k2, k3 = (int(v) for v in np.sort(rng.integers(2, h, 3)))
    first = np.array([1, 1, 1, k1, k2, k3], dtype=float)[:, None]
    last = np.array([h, k1 - 1, k2 - 1, np.inf, k3 - 1, np.inf])[:, None]

    def per_row(lo, hi):
        return rng.uniform(lo, hi, (r, 1))

    z = np.zeros((r, 1))
    trains = np.array([0, 1, 1, 1, 1, 1], dtype=float)[:, None]
    return engine.Inputs(
        horizon=h,
        baseline=0,
        requests_per_month=np.exp(rng.uniform(np.log(1e3), np.log(1e7), n)),
        growth=rng.uniform(-0.02, 0.05, n),
        prompt_tokens=np.vstack([rng.uniform(500, 4000, (1, n)), np.repeat(per_row(20, 100)[1:], n, axis=1)]),
        input_tokens=per_row(50, 200),
        cached_tokens=z,
        completion_tokens=per_row(1, 20),
        input_price=per_row(0.05, 3.0),
        cached_price=per_row(0.01, 0.05),
        output_price=per_row(0.1, 5.0),
        batch_share=z + 0.3,
        batch_discount=z + 0.5,
        per_hour=per_row(0, 2.0) * trains,
        hours_per_month=z + 730,
        deployments=z + 1,
        storage_per_month=z,
        fixed_monthly_cost=per_row(0, 50),
        has_training=trains,
        training_tokens=rng.uniform(3e5, 1.5e6, (r, n)) * trains,
        examples=z + 1000,
        epochs=z + 3,
        training_price=per_row(1, 20),
        min_job_fee=z,
        retrain_every=np.array([0, 6, 4, 6, 0, 5], dtype=float)[:, None],
        one_time_cost=per_row(0, 3000),
        quality_cost=per_row(0, 1e-4) if quality else 0.0,
        price_change=per_row(-0.02, 0.02) if priced else 0.0,
        # one phase with published batch prices instead of a discount (issue 12)
        batch_input_price=np.array([np.nan, np.nan, np.nan, 0.05, np.nan, np.nan])[:, None],
        batch_cached_price=np.array([np.nan, np.nan, np.nan, 0.01, np.nan, np.nan])[:, None],
        batch_output_price=np.array([np.nan, np.nan, np.nan, 0.9, np.nan, np.nan])[:, None],
        first_month=first,
        last_month=last,
        jobs_until=np.array([np.inf, 30, k2 + 3, np.inf, np.inf, 14], dtype=float)[:, None],
        feasible_last=np.inf,
        owner=owner,
    )


@pytest.mark.parametrize("seed, priced, quality", [(0, False, False), (1, False, True), (2, True, False), (3, True, True), (4, False, False)])
def test_plan_summary_equals_evaluate(seed, priced, quality):
    x = plan_inputs(seed, priced=priced, quality=quality)
    ref = engine.evaluate(x)
    s = evaluate_summary(x, block_size=64)
    np.testing.assert_allclose(s.total_cost, ref.total_cost, rtol=1e-10)
    np.testing.assert_allclose(s.training_cost, ref.training_cost, rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(s.average_fixed_monthly, ref.average_fixed_monthly, rtol=1e-10)
    np.testing.assert_allclose(s.monthly_cost, ref.monthly_cost, rtol=1e-10)
    np.testing.assert_allclose(s.break_even, ref.break_even, rtol=1e-9, equal_nan=True)
    np.testing.assert_array_equal(s.payback_month, ref.payback_month)
    np.testing.assert_array_equal(s.training_runs, ref.training_runs)
    np.testing.assert_array_equal(s.feasible_until, ref.feasible_until)
    np.testing.assert_array_equal(s.cheapest, ref.cheapest)
    assert (ref.feasible_until < x.horizon).any()  # the jobs_until limits bite in some rows


def test_a_plan_with_one_full_phase_per_strategy_equals_no_plan():
    x = plan_inputs(5)
    keep = [0, 1, 2]
    from ftcost.engine.inputs import array_fields

    rows6 = {f: np.asarray(getattr(x, f))[keep] for f in array_fields(x) if np.ndim(getattr(x, f)) and np.shape(getattr(x, f))[0] == 6}
    one = x.replace(owner=None, **dict(rows6, first_month=1.0, last_month=np.inf, jobs_until=np.inf))
    as_plan = one.replace(owner=(0, 1, 2), first_month=np.ones((3, 1)))
    a, b = evaluate_summary(one), evaluate_summary(as_plan)
    np.testing.assert_allclose(a.total_cost, b.total_cost, rtol=1e-12)
    np.testing.assert_array_equal(a.payback_month, b.payback_month)
    np.testing.assert_array_equal(a.cheapest, b.cheapest)


def test_scalar_reference_follows_plans_too():
    from scalar_reference import evaluate_scalar

    x = plan_inputs(3, n=60, priced=True, quality=True)
    ref = engine.evaluate(x)
    r = evaluate_scalar(x)
    np.testing.assert_allclose(r["total_cost"], ref.total_cost, rtol=1e-10)
    np.testing.assert_allclose(r["break_even"], ref.break_even, rtol=1e-9, equal_nan=True)
    np.testing.assert_array_equal(r["payback_month"], ref.payback_month)
    np.testing.assert_array_equal(r["feasible_until"], ref.feasible_until)
    np.testing.assert_array_equal(r["cheapest"], ref.cheapest)


@pytest.mark.parametrize("seed, priced", [(5, False), (7, True)])
def test_plan_summary_with_flat_volumes_and_schedules_that_vary(seed, priced):
    """The summary's shortcuts (sums of the volume ratio shared by all rows and
    memoised per month count, training schedules read as plain numbers) have
    their general paths too: a third of the variants with growth exactly 0 (G(k)
    is k there, not 0/0) and a retraining interval that differs by variant."""
    x = plan_inputs(seed, priced=priced)
    n = np.shape(x.requests_per_month)[-1]
    growth = np.array(x.growth, dtype=float)
    growth[::3] = 0.0
    retrain = np.broadcast_to(np.asarray(x.retrain_every), (len(x.owner), n)).copy()
    retrain[:, ::2] = np.random.default_rng(seed).choice([0.0, 3.0, 7.0], size=(len(x.owner), 1))
    x = x.replace(growth=growth, retrain_every=retrain)
    ref = engine.evaluate(x)
    s = evaluate_summary(x, block_size=64)
    np.testing.assert_allclose(s.total_cost, ref.total_cost, rtol=1e-10)
    np.testing.assert_allclose(s.monthly_cost, ref.monthly_cost, rtol=1e-10)
    np.testing.assert_array_equal(s.payback_month, ref.payback_month)
    np.testing.assert_array_equal(s.training_runs, ref.training_runs)
    np.testing.assert_array_equal(s.cheapest, ref.cheapest)
    assert np.any(s.payback_month[1:] > 1)  # the month-by-month search ran
