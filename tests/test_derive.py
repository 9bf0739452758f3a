"""The one derivation (issue 16, item 2): ftcost.model.derive.engine_inputs turns a scenario plus varied values into
engine inputs; compare, sweep, simulate, sensitivity and the what-if page all go through it, and nothing patches
a loaded scenario."""

from __future__ import annotations

import copy
import inspect
import pickle

import numpy as np
import pytest

from ftcost.analysis import sensitivity, simulation, sweep, whatif
from ftcost.model import derive, paths
from ftcost.scenario import load_scenario

SCENARIO = """
ftcost: 1
name: derive
pricing: [catalogs/testco.yaml]
horizon_months: 12
volume: {requests_per_day: 1000, growth_per_month: 0.02}
strategies:
  - name: prompt
    model: testco/base
    type: prompt
    request: {prompt_tokens: 800, input_tokens: 200, cached_prompt_tokens: 600, completion_tokens: 50}
  - name: tuned
    model: testco/tune
    type: fine_tuned
    request: {prompt_tokens: 100, input_tokens: 200, completion_tokens: 50}
    training: {tokens: 1000000, examples: 500, epochs: auto}
  - name: own gpus
    type: self_hosted
    request: {prompt_tokens: 100, input_tokens: 200, completion_tokens: 50}
    serving: {gpu_per_hour: 2.0, gpus_per_replica: 1, requests_per_second: 5, target_utilization: 0.5}
    training: {tokens: 0, epochs: 1, gpu_hours: 10}
"""


@pytest.fixture
def sc(write_scenario):
    return load_scenario(write_scenario(SCENARIO))


def test_no_overrides_is_compare_s_inputs(sc):
    # requests_per_day 1000 x 365/12 = 30,416.67 a month; epochs auto for 500 examples: 3 (3 x 500 is between 100 and 25,000);
    # GPU training: 10 GPU-hours x 2.0 (the serving GPU's price) = 20 per run.
    x = derive.engine_inputs(sc)
    assert float(x.requests_per_month) == pytest.approx(1000 * 365 / 12)
    assert x.epochs.tolist() == [1.0, 3.0, 1.0]
    assert x.training_fixed.tolist() == [0.0, 0.0, 20.0]
    # one replica: 5 requests/s x 0.5 x 730 hours x 3,600 s = 6,570,000 requests a month, costing 2.0 x 1 x 730 = 1,460
    assert x.replica_capacity.tolist() == [0.0, 0.0, 6_570_000.0]
    assert x.replica_cost.tolist() == [0.0, 0.0, 1460.0]
    assert x.cached_tokens.tolist() == [600.0, 0.0, 0.0]
    assert sc.inputs().epochs.tolist() == x.epochs.tolist()


def test_varied_values_and_what_follows_from_them(sc):
    overrides = {
        "volume.requests_per_day": np.array([10.0, 20.0]),  # x 365/12: 304.17 and 608.33 a month
        ("strategies", 1, "training", "examples"): np.array([10.0, 10_000.0]),  # epochs auto: min(25, 100 // 10) = 10; max(1, 25000 // 10000) = 2
        ("strategies", 0, "request", "prompt_tokens"): np.array([100.0, 800.0]),  # cached 600 capped at 100 + 200 = 300, then 600
        ("strategies", 2, "serving", "gpu_per_hour"): np.array([3.0, 4.0]),  # a training run: 10 GPU-hours x 3 = 30, x 4 = 40
    }
    x = derive.engine_inputs(sc, overrides, (2,))
    assert x.requests_per_month.tolist() == pytest.approx([10 * 365 / 12, 20 * 365 / 12])
    assert x.epochs.shape == (3, 2)
    assert x.epochs[1].tolist() == [10.0, 2.0]
    assert x.cached_tokens[0].tolist() == [300.0, 600.0]
    assert x.training_fixed[2].tolist() == [30.0, 40.0]
    assert x.replica_cost[2].tolist() == [3.0 * 730, 4.0 * 730]
    # inputs no value touches get a length-1 variant axis
    assert x.completion_tokens.shape == (3, 1)


def test_given_epochs_win_over_auto_and_a_given_gpu_rate_does_not_follow_serving(write_scenario):
    text = SCENARIO.replace("gpu_hours: 10}", "gpu_hours: 10, gpu_per_hour: 1.5}")
    sc = load_scenario(write_scenario(text))
    x = derive.engine_inputs(
        sc,
        {
            ("strategies", 1, "training", "examples"): np.array([10.0]),
            ("strategies", 1, "training", "epochs"): np.array([7.0]),
            ("strategies", 2, "serving", "gpu_per_hour"): np.array([9.0]),
        },
        (1,),
    )
    assert x.epochs[1].tolist() == [7.0]
    assert x.training_fixed[2].tolist() == [15.0]  # 10 GPU-hours x 1.5, whatever the serving GPU costs


def test_the_loaded_scenario_is_never_modified(sc):
    before = pickle.dumps(copy.copy(sc.strategies)), sc.requests_per_month, sc.growth_per_month
    derive.engine_inputs(sc, {p: np.array([1.0, 2.0]) for p in ["volume.requests_per_month", "strategies.1.training.examples"]}, (2,))
    sweep.sweep(sc, ["strategies.2.training.gpu_hours=1:5:3", "strategies.0.request.prompt_tokens=300:900:3"])
    sensitivity.sensitivity(sc)
    whatif.build(sc)
    assert (pickle.dumps(copy.copy(sc.strategies)), sc.requests_per_month, sc.growth_per_month) == before


def test_a_path_that_cannot_vary_is_refused(sc):
    with pytest.raises(paths.PathError, match="cannot be varied"):
        derive.engine_inputs(sc, {"horizon_months": 3})
    with pytest.raises(paths.PathError, match="is not self_hosted"):
        derive.engine_inputs(sc, {("strategies", 0, "serving", "gpu_per_hour"): 1.0})


def test_one_derivation_only():
    """No caller builds engine inputs another way: the patching path (paths.apply / clone) is gone."""
    assert not hasattr(paths, "apply") and not hasattr(paths, "clone") and not hasattr(paths, "engine_inputs")
    for module in (sweep, sensitivity, simulation, whatif):
        src = inspect.getsource(module)
        assert "engine_inputs(" in src and "paths.engine_inputs" not in src, module.__name__
