"""The library's DataFrames: ``monthly_frame()`` parts add up, ``summary_frame()`` is the JSON per strategy.

Hand example (tests/test_export.py HAND, made-up testco prices) plus a
self-hosted strategy: serving at 1 request/s, utilization 0.5, 100 hours:
capacity 1 x 0.5 x 100 x 3,600 = 180,000 requests a replica-month; cost of a
replica $2/GPU-hour x 1 GPU x 100 h = $200. Volumes 1,000,000, 1,100,000,
1,210,000 need ceil(5.56) = 6, ceil(6.11) = 7, ceil(6.72) = 7 replicas:
GPU cost $1,200, $1,400, $1,400.
"""

from __future__ import annotations

import glob
from pathlib import Path

import numpy as np
import pytest

from ftcost.api import compare
from ftcost.result import SCHEDULE_PARTS, SUMMARY_KEYS

pd = pytest.importorskip("pandas")
REPO = Path(__file__).resolve().parents[1]

HAND = """
ftcost: 1
name: hand
start: 2027-01
horizon_months: 3
pricing: [catalogs/testco.yaml]
volume: {requests_per_month: 1000000, growth_per_month: 0.1}
strategies:
  - name: prompt
    type: prompt
    model: testco/base-1
    request: {prompt_tokens: 1000}
  - name: tuned
    type: fine_tuned
    model: testco/tune-1
    request: {prompt_tokens: 100}
    hosting: {hours_per_month: 100}
    training: {tokens: 1000000, epochs: 2, retrain_every_months: 2, one_time_cost: 50}
  - name: own GPUs
    type: self_hosted
    request: {prompt_tokens: 100}
    serving: {gpu_per_hour: 2, requests_per_second: 1, target_utilization: 0.5, min_replicas: 1, hours_per_month: 100}
"""


@pytest.fixture
def hand(write_scenario):
    return compare(write_scenario(HAND))


def test_monthly_frame_hand_example(hand):
    f = hand.monthly_frame()
    assert list(f.columns) == ["strategy", "month", "calendar_month", "requests", *SCHEDULE_PARTS, "total_cost", "cumulative_cost", "replicas"]
    tuned = f[f.strategy == "tuned"]
    # tuned: variable 300, 330, 363; fixed 105; training 20 in months 1 and 3; one-time 50 in month 1.
    assert tuned.variable_cost.tolist() == pytest.approx([300, 330, 363])
    assert tuned.fixed_cost.tolist() == pytest.approx([105, 105, 105])
    assert tuned.training_cost.tolist() == pytest.approx([20, 0, 20])
    assert tuned.one_time_cost.tolist() == pytest.approx([50, 0, 0])
    assert tuned.total_cost.tolist() == pytest.approx([475, 435, 488])
    assert tuned.cumulative_cost.tolist() == pytest.approx([475, 910, 1398])
    own = f[f.strategy == "own GPUs"]
    assert own.replicas.tolist() == [6, 7, 7]
    assert own.gpu_cost.tolist() == pytest.approx([1200, 1400, 1400])
    assert own.fixed_cost.tolist() == [0, 0, 0]  # GPUs are their own column, not counted twice
    assert own.calendar_month.tolist() == ["2027-01", "2027-02", "2027-03"]


@pytest.mark.parametrize("path", sorted(glob.glob(str(REPO / "scenarios" / "*.yaml"))), ids=lambda p: Path(p).stem)
def test_monthly_frame_adds_up_for_every_shipped_scenario(path):
    r = compare(path)
    f = r.monthly_frame()
    parts = f[list(SCHEDULE_PARTS)].sum(axis=1)
    np.testing.assert_allclose(parts, f.total_cost, rtol=1e-12, atol=1e-9)
    for s in r.strategies:
        mine = f[f.strategy == s.name]
        assert len(mine) == r.scenario.horizon_months
        # Exactly the JSON's monthly list, and the parts add to the strategy's total (distilled-classifier was 706.40 off).
        assert mine.total_cost.tolist() == s.monthly
        assert float(mine[list(SCHEDULE_PARTS)].to_numpy().sum()) == pytest.approx(s.total_cost, rel=1e-12, abs=1e-9)
        assert float(mine.cumulative_cost.iloc[-1]) == pytest.approx(s.total_cost, rel=1e-12)


def test_summary_frame_is_the_json_per_strategy(hand):
    f = hand.summary_frame()
    assert f.index.name == "name"
    assert f.index.tolist() == ["prompt", "tuned", "own GPUs"]
    assert list(f.columns) == list(SUMMARY_KEYS[1:])
    d = {s["name"]: s for s in hand.to_dict()["strategies"]}
    for name, row in f.iterrows():
        for k in SUMMARY_KEYS[1:]:
            v = row[k]
            if d[name][k] is None:
                assert v is None or (isinstance(v, float) and np.isnan(v)), (name, k)
            else:
                assert v == d[name][k], (name, k)
    # tuned: total 475 + 435 + 488 = 1,398; average per month 1,398 / 3 = 466.
    assert f.loc["tuned", "total_cost"] == pytest.approx(1398)
    assert f.loc["tuned", "average_monthly_cost"] == pytest.approx(466)
    # monthly_cost stays the month-1 volume at the average fixed cost: 105 + (50 + 40) / 3 + 1,000,000 x 0.0003 = 435.
    assert f.loc["tuned", "monthly_cost"] == pytest.approx(435)
    assert f.loc["prompt", "payback_month"] is None or np.isnan(f.loc["prompt", "payback_month"])
    assert f.loc["tuned", "payback_month"] == 1
    assert f.loc["tuned", "training_runs"] == 2


def test_average_monthly_cost_in_json_is_total_over_months(hand):
    d = hand.to_dict()
    for s in d["strategies"]:
        assert s["average_monthly_cost"] == pytest.approx(s["total_cost"] / 3, rel=1e-15)
