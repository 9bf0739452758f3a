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
    # The base savings equal compare's: $50,988.09 - $37,158.20 = $13,829.89 (README's pasted run; Azure trains 2 epochs).
    assert s.base_savings == __import__("pytest").approx(13_829.89, abs=0.01)
    # The biggest mover is the Azure deployment count, a whole number: 1 moves to 0 and 2 (one deployment is
    # $1.70 x 730 h x 24 months = $29,784); then the few-shot prompt's length: 1,850 tokens +-10% = 1,665 .. 2,035.
    top, second = s.moves[:2]
    assert top.description == "deployments of 'fine-tuned nano (Azure)'" and (top.low, top.high) == (0, 2)
    assert second.description == "prompt tokens of 'few-shot prompt'"
    assert (second.low, second.high) == __import__("pytest").approx((1665, 2035))
