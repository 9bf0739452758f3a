"""ftcost sensitivity (issue 7)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ftcost.analysis.sensitivity import moves_for, sensitivity
from ftcost.cli import main
from ftcost.errors import FtcostError
from ftcost.model.paths import STRATEGY_FIELDS, Target
from ftcost.scenario import load_scenario

TESTCO = str(Path(__file__).parent / "fixtures" / "testco.yaml")

# Hand-worked scenario, 12 months, 2,000,000 requests a month, no growth:
#   prompt: 1,000 tokens x $1.00 per 1M = $0.001 a request          -> K_b = 12 x 2e6 x 0.001 = 24,000
#   tuned:  100 tokens x $3.00 per 1M = $0.0003 a request, plus hosting 730 h x $1.00 + storage $5 = $735 a month
#                                                                    -> K_s = 12 x (735 + 600) = 16,020
# Savings 24,000 - 16,020 = 7,980; break-even 735 / (0.001 - 0.0003) = 1,050,000 requests a month.
SCENARIO = {
    "ftcost": 1,
    "name": "sensitivity test",
    "start": "2027-01",
    "horizon_months": 12,
    "pricing": [TESTCO],
    "volume": {"requests_per_month": 2_000_000},
    "strategies": [
        {"name": "prompt", "type": "prompt", "model": "testco/base-1", "request": {"prompt_tokens": 1000}},
        {"name": "tuned", "type": "fine_tuned", "model": "testco/tune-1", "request": {"prompt_tokens": 100}},
    ],
}


def run(**kw):
    return sensitivity(load_scenario(copy.deepcopy(SCENARIO)), **kw)


def move(res, path):
    return next(m for m in res.moves if m.path == path)


def test_base_numbers():
    res = run()
    assert res.strategy_name == "tuned"
    assert res.base_savings == pytest.approx(7980.0, rel=1e-12)
    assert res.base_break_even == pytest.approx(1_050_000.0, rel=1e-12)


def test_hand_worked_moves():
    res = run()
    # Volume 1.6M / 2.4M: savings 12 x (0.0007 V - 735) = 4,620 / 11,340: -3,360 / +3,360; break-even unchanged.
    v = move(res, "volume.requests_per_month")
    assert (v.low, v.high) == (1_600_000, 2_400_000)
    assert v.savings_change(res.base_savings) == pytest.approx((-3360.0, 3360.0), rel=1e-9)
    assert v.break_even_change(res.base_break_even) == pytest.approx((0.0, 0.0), abs=1e-6)
    # Prompt tokens 800 / 1,200: c_b = 0.0008 / 0.0012; savings 12 x (0.0005 x 2e6 - 735) = 3,180 and
    # 12 x (0.0009 x 2e6 - 735) = 12,780: -4,800 / +4,800; break-even 735 / 0.0005 = 1,470,000 and
    # 735 / 0.0009 = 816,666.67.
    p = move(res, "strategies.0.request.prompt_tokens")
    assert p.savings_change(res.base_savings) == pytest.approx((-4800.0, 4800.0), rel=1e-9)
    assert (p.break_even_low, p.break_even_high) == pytest.approx((1_470_000.0, 816_666.6666666666), rel=1e-9)
    # Hosting $0.80 / $1.20 an hour: F = 589 / 881, savings +1,752 / -1,752, break-even 841,428.57 / 1,258,571.43.
    h = move(res, "strategies.1.prices.hosting_per_hour")
    assert h.savings_change(res.base_savings) == pytest.approx((1752.0, -1752.0), rel=1e-9)
    assert (h.break_even_low, h.break_even_high) == pytest.approx((589 / 0.0007, 881 / 0.0007), rel=1e-9)
    # Hosting hours 584 / 876 -> cut at 744 (the most hours in a month): F = 749, savings -168.
    hh = move(res, "strategies.1.hosting.hours_per_month")
    assert (hh.low, hh.high) == (584.0, 744.0)
    assert hh.savings_change(res.base_savings) == pytest.approx((1752.0, -168.0), rel=1e-9)


def test_sorted_by_effect_on_savings():
    res = run()
    # Deployments are whole: 1 moves to 0 and 2, hosting 730 h x $1 x 12 months = 8,760 either way; then
    # prompt tokens and the prompt's input price both move c_b by 20%: 4,800; then the volume: 3,360.
    d = res.moves[0]
    assert d.path == "strategies.1.hosting.deployments" and (d.low, d.high) == (0.0, 2.0)
    assert d.savings_change(res.base_savings) == pytest.approx((8760.0, -8760.0), rel=1e-9)
    assert d.description == "deployments of 'tuned'"
    assert {m.path for m in res.moves[1:3]} == {"strategies.0.request.prompt_tokens", "strategies.0.prices.input"}
    assert res.moves[3].path == "volume.requests_per_month"
    effects = [max(abs(d) for d in m.savings_change(res.base_savings)) for m in res.moves]
    assert effects == sorted(effects, reverse=True)
    # No completion tokens: the output prices change nothing.
    assert "strategies.0.prices.output" in res.no_effect


def test_whole_number_and_bounded_moves():
    retrain = Target(("strategies", 1, "training", "retrain_every_months"), STRATEGY_FIELDS[("training", "retrain_every_months")], 1)
    assert moves_for(retrain, 6, 0.2) == (5.0, 7.0)  # 4.8 and 7.2 rounded
    assert moves_for(retrain, 2, 0.2) == (1.0, 3.0)  # 1.6 -> 2 and 2.4 -> 2 are the value itself: next whole numbers
    assert moves_for(retrain, 1, 0.2) == (1.0, 2.0)  # cannot go below 1
    share = Target(("strategies", 0, "batch_share"), STRATEGY_FIELDS[("batch_share",)], 0)
    assert moves_for(share, 1.0, 0.2) == (0.8, 1.0)  # a share stays <= 1


def test_pick_another_strategy_and_errors():
    with pytest.raises(FtcostError, match="is the baseline"):
        run(strategy="prompt")
    with pytest.raises(FtcostError, match="did you mean 'tuned'"):
        run(strategy="tunned")
    with pytest.raises(FtcostError, match="--swing must be a fraction between 0 and 1"):
        run(swing=1.5)
    one = copy.deepcopy(SCENARIO)
    one["strategies"] = one["strategies"][:1]
    with pytest.raises(FtcostError, match="needs at least two strategies"):
        sensitivity(load_scenario(one))


def test_sensitivity_command(tmp_path):
    import yaml

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(SCENARIO), encoding="utf-8")
    r = CliRunner().invoke(main, ["sensitivity", str(path), "--swing", "0.1", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["swing"] == 0.1 and data["strategy"] == "tuned"
    # Deployments move by a whole one (-8,760 savings), whatever the swing; then 10% of c_b: 12 x 0.0001 x 2e6.
    assert data["inputs"][0]["path"] == "strategies.1.hosting.deployments"
    assert data["inputs"][1]["savings_change_high"] == pytest.approx(2400.0, rel=1e-9)
    chart = tmp_path / "tornado.png"
    r = CliRunner().invoke(main, ["sensitivity", str(path), "--chart", str(chart)])
    assert r.exit_code == 0, r.output
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert "savings change" in r.output
    assert "deployments of 'tuned'" in r.output and "strategies.1.hosting.deployments" not in r.output  # human labels
    assert "As written: saves $7,980" in r.output
