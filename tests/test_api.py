"""The library API a notebook calls: ftcost.compare / ftcost.simulate / ftcost.api.sweep and sensitivity."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import ftcost
import ftcost.api as api
from ftcost.render.text import to_table

ROOT = Path(__file__).resolve().parents[1]
UNCERTAIN = ROOT / "scenarios" / "review-stars-uncertain.yaml"


def test_simulate_same_seed_same_numbers():
    a = ftcost.simulate(UNCERTAIN, n=2_000, seed=7)
    b = ftcost.simulate(UNCERTAIN, n=2_000, seed=7)
    c = ftcost.simulate(UNCERTAIN, n=2_000, seed=8)
    assert np.array_equal(a.summary.total_cost, b.summary.total_cost)
    assert not np.array_equal(a.summary.total_cost, c.summary.total_cost)


def test_compare_says_uncertain_inputs_are_at_their_median():
    text = to_table(ftcost.compare(UNCERTAIN))
    assert "5 inputs are uncertain and shown at the median" in text


def test_sweep_and_sensitivity_from_the_api():
    w = api.sweep(ROOT / "scenarios" / "review-stars.yaml", ["volume.requests_per_month=1e5:1e7:log:5"])
    assert w.shape == (5,)
    s = api.sensitivity(ROOT / "scenarios" / "review-stars.yaml", swing=0.1)
    # The base savings are the baseline's total minus the cheapest other strategy's, from README's pasted run:
    # $18,302.66 - $28,072.38 (the nightly batch) = -$9,769.72 (issue 13: both prompts move to gpt-6-luna from month 2).
    assert s.base_savings == __import__("pytest").approx(18_302.66 - 28_072.38, abs=0.01)
    # The biggest mover is the few-shot prompt's length: 1,850 tokens +-10% = 1,665 .. 2,035.
    top = s.moves[0]
    assert top.description == "prompt tokens of 'few-shot prompt'" and (top.low, top.high) == __import__("pytest").approx((1665, 2035))
