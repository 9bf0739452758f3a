"""ftcost sweep and the key paths it varies (issue 7)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ftcost.analysis.sweep import SweepError, parse_values, sweep
from ftcost.api import compare
from ftcost.cli import main
from ftcost.errors import FtcostError
from ftcost.model.paths import PathError, resolve
from ftcost.scenario import DAYS_PER_MONTH, load_scenario

TESTCO = str(Path(__file__).parent / "fixtures" / "testco.yaml")

# prompt: 1,000 tokens at $1.00 per 1M = $0.001 a request; tuned: 100 tokens at $3.00 = $0.0003 plus
# $735 a month (hosting 730 h x $1.00 + storage $5), trained once on 200,000 tokens x 3 epochs x $10 per 1M = $6.
SCENARIO = {
    "ftcost": 1,
    "name": "sweep test",
    "start": "2027-01",
    "horizon_months": 12,
    "pricing": [TESTCO],
    "volume": {"requests_per_month": 2_000_000, "growth_per_month": 0.02},
    "strategies": [
        {"name": "prompt", "type": "prompt", "model": "testco/base-1", "request": {"prompt_tokens": 1000, "completion_tokens": 5}},
        {
            "name": "tuned",
            "type": "fine_tuned",
            "model": "testco/tune-1",
            "request": {"prompt_tokens": 100, "completion_tokens": 5},
            "training": {"tokens": 200_000, "epochs": 3, "retrain_every_months": 4},
        },
    ],
}


def sc(**changes):
    d = copy.deepcopy(SCENARIO)
    d.update(changes)
    return load_scenario(d)


def test_parse_values():
    assert parse_values("volume.requests_per_month=1e3:1e7:log:5")[1].tolist() == [1e3, 1e4, 1e5, 1e6, 1e7]
    assert parse_values("x=500:4000:8")[1].tolist() == [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000]
    assert parse_values("x=1,2, 5")[1].tolist() == [1, 2, 5]
    assert parse_values("x=7:9:1")[1].tolist() == [7]


@pytest.mark.parametrize(
    "spec, message",
    [
        ("volume.requests_per_month", "expected PATH=START:STOP"),
        ("=1:2:3", "the key path before '=' is missing"),
        ("x=1:2:three", "N (the number of points) must be a whole number"),
        ("x=1:2:0", "must be at least 1"),
        ("x=0:10:log:3", "a log scale needs START and STOP above 0"),
        ("x=1:10:lin:3", "the third part must be 'log'"),
        ("x=a:10:3", "START 'a' is not a number"),
        ("x=1:2", "expected START:STOP:N"),
    ],
)
def test_bad_vary_syntax(spec, message):
    with pytest.raises(SweepError, match=re.escape(message)):
        parse_values(spec)


@pytest.mark.parametrize("v", [1e4, 1.05e6, 3e6])
def test_a_sweep_point_equals_a_compare_run_with_that_volume(v):
    res = sweep(sc(), [f"volume.requests_per_month=1e4,{v!r},3e6", "volume.growth_per_month=0,0.02"])
    point = next(r for r in res.rows() if r["values"]["volume.requests_per_month"] == v and r["values"]["volume.growth_per_month"] == 0.02)
    ref = compare(copy.deepcopy(SCENARIO), volume=point["values"]["volume.requests_per_month"])
    assert point["cheapest"] == ref.cheapest.name
    for got, want in zip(point["strategies"], ref.strategies):
        # closed-form total over the horizon against compare's month-by-month sum: equal up to rounding
        assert got["total_cost"] == pytest.approx(want.total_cost, rel=1e-12)
        assert got["cost_per_request"] == want.cost_per_request
        assert got["payback_month"] == want.payback_month
        if want.break_even_requests_per_month is not None:
            assert got["break_even_requests_per_month"] == pytest.approx(want.break_even_requests_per_month, rel=1e-12)


def test_a_sweep_point_equals_a_compare_run_with_a_strategy_value():
    # Swept: the prompt's tokens and the tuned model's input price; compared: the same values written in the file.
    res = sweep(sc(), ["strategies.0.request.prompt_tokens=500:2000:4", "strategies.tuned.prices.input=2,3,4"])
    point = res.rows()[7]  # the last --vary changes fastest: index 7 = prompt_tokens[2] (1500), input price[1] (3)
    assert point["values"] == {"strategies.0.request.prompt_tokens": 1500.0, "strategies.1.prices.input": 3.0}
    d = copy.deepcopy(SCENARIO)
    d["strategies"][0]["request"]["prompt_tokens"] = 1500
    d["strategies"][1]["prices"] = {"input": 3}
    ref = compare(d)
    for got, want in zip(point["strategies"], ref.strategies):
        assert got["total_cost"] == pytest.approx(want.total_cost, rel=1e-12)
        assert got["payback_month"] == want.payback_month
    assert point["savings"] == pytest.approx(ref.savings(), rel=1e-12)


def test_requests_per_day_is_requests_per_month_times_365_over_12():
    a = sweep(sc(), ["volume.requests_per_day=1000,50000"])
    b = sweep(sc(), [f"volume.requests_per_month={1000 * DAYS_PER_MONTH!r},{50000 * DAYS_PER_MONTH!r}"])
    np.testing.assert_allclose(a.summary.total_cost, b.summary.total_cost, rtol=1e-12)


def test_grid_shape_and_hand_worked_point():
    res = sweep(
        sc(horizon_months=1, volume={"requests_per_month": 1}), ["volume.requests_per_month=0,1000000", "strategies.0.request.prompt_tokens=1000,2000,3000"]
    )
    assert res.shape == (2, 3)
    assert np.shape(res.summary.total_cost) == (2, 2, 3)
    # One month, 1,000,000 requests, 2,000 prompt tokens: 1e6 x (2,000 x 1.00 + 5 x 4.00) / 1e6 = $2,020.
    assert res.summary.total_cost[0, 1, 1] == pytest.approx(2020.0, rel=1e-12)
    # tuned, same month: 1e6 x (100 x 3 + 5 x 12) / 1e6 = 360, + 735 fixed, + 6 training = $1,101.
    assert res.summary.total_cost[1, 1, 1] == pytest.approx(1101.0, rel=1e-12)
    assert res.rows()[4]["cheapest"] == "tuned"


def test_vary_a_price_changes_only_that_strategy():
    res = sweep(sc(), ["strategies.1.prices.output=12,24"])
    t = np.asarray(res.summary.total_cost)
    assert t[0, 0] == t[0, 1]  # prompt untouched
    assert t[1, 1] > t[1, 0]


@pytest.mark.parametrize(
    "spec, message",
    [
        ("volume.request_per_month=1:2:2", "did you mean 'volume.requests_per_month'"),
        ("strategies.5.request.prompt_tokens=1:2:2", "there is no strategies[5]"),
        ("strategies.tunned.request.prompt_tokens=1:2:2", "did you mean 'tuned'"),
        ("horizon_months=6:12:2", "cannot be varied: it sets the length of the month axis"),
        ("strategies.0.training.tokens=1:2:2", "strategies[0] ('prompt') has no training block"),
        ("strategies.1.training.retrain_every_months=1:12:5", "takes whole numbers; --vary strategies.1.training.retrain_every_months=1:12:5 gives 3.75"),
        ("strategies.0.batch_share=0:2:3", "must be <= 1"),
        ("volume.requests_per_month=-5:5:3", "must be >= 0"),
        ("strategies.1.serving.gpu_per_hour=1:2:2", "is not self_hosted"),
        ("name=1:2:2", "names no field that can vary"),
    ],
)
def test_bad_paths_are_clear_errors(spec, message):
    with pytest.raises(FtcostError) as err:
        sweep(sc(), [spec])
    assert message in str(err.value), str(err.value)


def test_same_path_twice_is_an_error():
    with pytest.raises(SweepError, match="varies volume.requests_per_month again"):
        sweep(sc(), ["volume.requests_per_month=1:2:2", "volume.requests_per_month=3,4"])


def test_whole_number_fields_sweep_over_whole_numbers():
    res = sweep(sc(), ["strategies.1.training.retrain_every_months=1:12:12"])
    runs = np.asarray(res.summary.training_runs)[1]
    # 12 months, retraining every R months: 1 + (12 - 1) // R runs
    assert runs.tolist() == [1 + 11 // r for r in range(1, 13)]


def test_paths_accept_brackets_and_names():
    s = sc()
    assert resolve(s, "strategies[1].training.tokens").path == ("strategies", 1, "training", "tokens")
    assert resolve(s, "strategies.tuned.training.tokens").strategy == 1
    with pytest.raises(PathError):
        resolve(s, "strategies")


def test_sweep_command_formats_and_errors(tmp_path):
    path = tmp_path / "s.yaml"
    import yaml

    path.write_text(yaml.safe_dump(SCENARIO), encoding="utf-8")
    r = CliRunner().invoke(main, ["sweep", str(path), "--vary", "volume.requests_per_month=1e4:1e7:log:4", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert len(data["points"]) == 4 and data["vary"][0]["scale"] == "log"
    r = CliRunner().invoke(main, ["sweep", str(path), "--vary", "volume.requests_per_month=1e4:1e7:log:4", "--format", "csv"])
    assert r.output.splitlines()[0].startswith("currency,volume.requests_per_month,cheapest,savings")
    # A path that names no field: one clear message, exit 2 (through the real entry point).
    import sys

    from ftcost.cli.common import run_main

    argv = sys.argv
    try:
        sys.argv = ["ftcost", "sweep", str(path), "--vary", "volume.request_per_month=1:2:2"]
        assert run_main(main) == 2
    finally:
        sys.argv = argv


def test_sweep_heatmap(tmp_path):
    from ftcost.render.charts import save, sweep_figure

    res = sweep(sc(), ["volume.requests_per_month=1e4:1e7:log:6", "strategies.0.request.prompt_tokens=200:2000:5"])
    fig = sweep_figure(res)
    gids = {a.get_gid() for ax in fig.axes for a in ax.get_children()}
    assert {"heatmap:cheapest", "heatmap:savings"} <= gids
    out = save(fig, tmp_path / "heat.svg")
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(FtcostError, match="one or two --vary inputs"):
        sweep_figure(sweep(sc(), ["volume.requests_per_month=1,2", "volume.growth_per_month=0,0.1", "strategies.0.request.prompt_tokens=1,2"]))


def test_a_swept_hosting_value_on_a_plan_over_several_models_equals_compare():
    # review-stars' models retire within the horizon (plans over successors), and a hosting value moves only
    # the fixed costs, not the cost per request: the break-even of that sweep crashed ("shape mismatch",
    # README.md's `--vary strategies.1.hosting.deployments=1,2,3`, found by tests/test_readme_commands.py).
    import yaml

    path = Path(__file__).resolve().parent.parent / "scenarios" / "review-stars.yaml"
    res = sweep(load_scenario(path), ["strategies.1.hosting.deployments=1,2,3"])
    for k, point in enumerate(res.rows()):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        d["strategies"][1].setdefault("hosting", {})["deployments"] = k + 1
        ref = compare(d)
        for got, want in zip(point["strategies"], ref.strategies, strict=True):
            assert got["total_cost"] == pytest.approx(want.total_cost, rel=1e-12)
            assert got["break_even_requests_per_month"] == pytest.approx(want.break_even_requests_per_month, rel=1e-12)
            assert got["payback_month"] == want.payback_month
