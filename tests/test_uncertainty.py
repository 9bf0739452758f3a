"""Distributions in scenarios and ftcost simulate (issue 7)."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ftcost.analysis.simulation import simulate
from ftcost.api import compare
from ftcost.cli import main
from ftcost.engine.summary import evaluate_summary
from ftcost.errors import ScenarioError
from ftcost.model.distributions import Distribution
from ftcost.model.normal import norm_ppf
from ftcost.scenario import load_scenario

TESTCO = str(Path(__file__).parent / "fixtures" / "testco.yaml")

# The two strategies of the hand-worked examples, on the made-up testco catalog:
#   prompt: 1,000 prompt tokens on base-1 at $1.00 per 1M        -> c_b = 0.001 per request, no fixed cost
#   tuned:  100 prompt tokens on tune-1's fine-tuned input $3.00  -> c_s = 0.0003 per request;
#           hosting $1.00/hour x 730 h + storage $5 = $735 a month, no training
# Break-even V* = 735 / (0.001 - 0.0003) = 1,050,000 requests a month; with no growth the tuned model
# is cheaper over the horizon exactly when V > V*.
PROMPT = {"name": "prompt", "type": "prompt", "model": "testco/base-1", "request": {"prompt_tokens": 1000}}
TUNED = {"name": "tuned", "type": "fine_tuned", "model": "testco/tune-1", "request": {"prompt_tokens": 100}}


def scenario_text(volume: str, extra_tuned: str = "", growth: str = "0") -> str:
    return f"""\
ftcost: 1
name: uncertain
start: 2027-01
horizon_months: 12
pricing: [{TESTCO}]
volume:
  requests_per_month: {volume}
  growth_per_month: {growth}
strategies:
  - name: prompt
    type: prompt
    model: testco/base-1
    request: {{prompt_tokens: 1000}}
  - name: tuned
    type: fine_tuned
    model: testco/tune-1
    request: {{prompt_tokens: 100}}
{extra_tuned}"""


# --------------------------------------------------------------------------
# The normal quantile function


def test_norm_ppf_matches_the_standard_library():
    # statistics.NormalDist.inv_cdf implements the same AS241 algorithm, one number at a time.
    p = np.array([1e-300, 1e-20, 1e-10, 1e-4, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 1 - 1e-4, 1 - 1e-12])
    ref = [statistics.NormalDist().inv_cdf(float(x)) for x in p]
    np.testing.assert_allclose(norm_ppf(p), ref, rtol=1e-14, atol=1e-15)


# --------------------------------------------------------------------------
# Reading distributions: medians and errors


def _dist(kind, lower=-math.inf, upper=math.inf, **params):
    return Distribution(kind, tuple(params.items()), lower, upper, ("x",))


def test_medians():
    assert _dist("uniform", low=100.0, high=500.0).median == 300.0  # (100 + 500) / 2
    # triangular(0, 0, 1): F(x) = 1 - (1 - x)^2 = 0.5 at x = 1 - sqrt(0.5)
    assert _dist("triangular", low=0.0, mode=0.0, high=1.0).median == pytest.approx(1 - math.sqrt(0.5), rel=1e-12)
    assert _dist("normal", mean=0.03, sd=0.02).median == 0.03
    # normal(0, 1) cut at 0: the half-normal, median = Phi^-1(0.75) = 0.6744897501960817
    assert _dist("normal", 0.0, math.inf, mean=0.0, sd=1.0).median == pytest.approx(0.6744897501960817, rel=1e-12)
    assert _dist("lognormal", 0.0, math.inf, median=300000.0, p90=600000.0).median == 300000.0


def test_lognormal_p90_is_the_90th_percentile():
    d = _dist("lognormal", 0.0, math.inf, median=100.0, p90=250.0)
    assert float(d.quantile(np.array([0.9]))[0]) == pytest.approx(250.0, rel=1e-12)


def test_compare_uses_the_medians(write_scenario):
    unc = write_scenario(
        scenario_text("{dist: uniform, low: 1000000, high: 3000000}", "    fixed_monthly_cost: {dist: triangular, low: 0, mode: 0, high: 100}\n")
    )
    fixed = write_scenario(scenario_text("2000000", f"    fixed_monthly_cost: {100 - math.sqrt(5000)!r}\n"), "fixed.yaml")
    a, b = compare(str(unc)), compare(str(fixed))
    assert [s.total_cost for s in a.strategies] == [s.total_cost for s in b.strategies]
    assert set(load_scenario(str(unc)).distributions) == {("volume", "requests_per_month"), ("strategies", 1, "fixed_monthly_cost")}


@pytest.mark.parametrize(
    "value, where, message",
    [
        ("{dist: uniform, low: 5, high: 3}", "volume.requests_per_month.low", "low (5) is above high (3)"),
        ("{dist: normal, mean: 100, sd: -1}", "volume.requests_per_month.sd", "sd must be >= 0, got -1"),
        ("{dist: lognormal, median: 100, p90: 100}", "volume.requests_per_month.p90", "p90 (100) must be above the median (100)"),
        ("{dist: lognormal, median: 100, p90: 50}", "volume.requests_per_month.p90", "must be above the median"),
        ("{dist: unifrom, low: 1, high: 3}", "volume.requests_per_month.dist", "unknown distribution 'unifrom'"),
        ("{dist: uniform, low: 1}", "volume.requests_per_month", "'high' is required"),
        ("{dist: uniform, low: 1, hi: 3}", "volume.requests_per_month.hi", "unknown key 'hi'"),
        ("{dist: uniform, low: -5, high: 3}", "volume.requests_per_month.low", "low must be >= 0"),
        ("{dist: triangular, low: 1, mode: 5, high: 3}", "volume.requests_per_month.mode", "mode (5) must lie between"),
        ("{low: 1, high: 3}", "volume.requests_per_month", "a mapping without 'dist'"),
        ("{dist: uniform, low: {dist: uniform, low: 1, high: 2}, high: 3}", "volume.requests_per_month.low", "must be a plain number"),
    ],
)
def test_bad_distributions_name_file_line_column_and_path(write_scenario, value, where, message):
    path = write_scenario(scenario_text(value))
    with pytest.raises(ScenarioError) as err:
        load_scenario(str(path))
    text = str(err.value)
    # The value sits on line 7 of scenario_text: "  requests_per_month: {...}"
    assert text.startswith(f"{path}:7:"), text
    assert f": {where}: " in text and message in text, text


def test_did_you_mean_for_a_distribution_name(write_scenario):
    path = write_scenario(scenario_text("{dist: lognormal, median: 1, p90: 2}").replace("lognormal", "lognorm"))
    with pytest.raises(ScenarioError, match="did you mean 'lognormal'"):
        load_scenario(str(path))


def test_whole_number_and_fixed_fields_refuse_distributions(write_scenario):
    text = scenario_text("1000").replace("horizon_months: 12", "horizon_months: {dist: uniform, low: 6, high: 12}")
    with pytest.raises(ScenarioError, match=r"horizon_months: a distribution is not allowed here: this field takes whole numbers"):
        load_scenario(str(write_scenario(text)))


def test_bad_distribution_exits_2_on_the_command_line(write_scenario):
    path = write_scenario(scenario_text("{dist: uniform, low: 5, high: 3}"))
    r = CliRunner().invoke(main, ["simulate", str(path)], standalone_mode=False, catch_exceptions=True)
    assert isinstance(r.exception, ScenarioError)
    import sys

    from ftcost.cli.common import run_main  # the real entry point: error -> exit 2, one line

    argv = sys.argv
    try:
        sys.argv = ["ftcost", "simulate", str(path)]
        assert run_main(main) == 2
    finally:
        sys.argv = argv


# --------------------------------------------------------------------------
# Sampling


def test_degenerate_distributions_give_exactly_the_deterministic_result(write_scenario):
    # Every distribution collapsed on one value: each sample must be the scenario as written.
    unc = write_scenario(
        scenario_text(
            "{dist: uniform, low: 2000000, high: 2000000}",
            "    fixed_monthly_cost: {dist: triangular, low: 40, mode: 40, high: 40}\n    batch_share: {dist: normal, mean: 0.5, sd: 0}\n",
            growth="{dist: normal, mean: 0.01, sd: 0}",
        )
    )
    plain = write_scenario(scenario_text("2000000", "    fixed_monthly_cost: 40\n    batch_share: 0.5\n", growth="0.01"), "plain.yaml")
    sc = load_scenario(str(unc))
    sim = simulate(sc, n=1000, seed=5)
    for path, values in sim.samples.items():  # the samples are the value itself, bit for bit
        assert np.all(values == sc.distributions[path].median)
    det = evaluate_summary(load_scenario(str(plain)).inputs())
    ref = compare(str(plain))
    for i, st in enumerate(sim.strategies):
        # exactly the engine's numbers for the scenario as written ...
        assert st.total["p5"] == st.total["p50"] == st.total["p95"] == float(det.total_cost[i])
        assert st.deterministic_total == float(det.total_cost[i])
        # ... which are compare's up to the last bits (closed-form sum vs month-by-month sum)
        assert st.total["p50"] == pytest.approx(ref.strategies[i].total_cost, rel=1e-12)
        assert st.p_cheapest == (1.0 if ref.cheapest.name == st.name else 0.0)
    tuned = sim.strategies[1]
    assert tuned.break_even["p5"] == tuned.break_even["p95"] == ref.strategies[1].break_even_requests_per_month
    assert tuned.payback["p50"] == ref.strategies[1].payback_month
    assert tuned.savings["p50"] == pytest.approx(ref.strategies[0].total_cost - ref.strategies[1].total_cost, rel=1e-12)


def test_uniform_volume_probability_has_a_closed_form(write_scenario):
    # V ~ U(0, 4,200,000), no growth: tuned is cheaper iff V > V* = 1,050,000 (see the top of this file),
    # so P(tuned cheapest) = (4,200,000 - 1,050,000) / 4,200,000 = 0.75.
    # With n = 100,000 samples the standard error is sqrt(0.75 x 0.25 / 100,000) = 0.00137; at this fixed
    # seed the estimate must lie within 4 standard errors.
    sc = load_scenario(str(write_scenario(scenario_text("{dist: uniform, low: 0, high: 4200000}"))))
    sim = simulate(sc, n=100_000, seed=42)
    p = sim.strategies[1].p_cheapest
    assert abs(p - 0.75) < 4 * math.sqrt(0.75 * 0.25 / 100_000), p
    assert sim.strategies[0].p_cheapest == pytest.approx(1 - p)
    # The break-even volume does not depend on the volume: 735 / 0.0007 in every sample.
    assert sim.strategies[1].break_even["p5"] == pytest.approx(1_050_000, rel=1e-12)
    assert sim.strategies[1].break_even["p95"] == pytest.approx(1_050_000, rel=1e-12)
    # Savings are linear in V: 12 x (0.0007 V - 735); at the median volume 2,100,000: 12 x 735 = 8,820.
    assert sim.strategies[1].savings["p50"] == pytest.approx(8820, rel=0.01)


def test_same_seed_same_numbers_and_streams_per_field(write_scenario):
    one = load_scenario(str(write_scenario(scenario_text("{dist: lognormal, median: 1000000, p90: 3000000}"))))
    two = load_scenario(
        str(
            write_scenario(
                scenario_text("{dist: lognormal, median: 1000000, p90: 3000000}", "    fixed_monthly_cost: {dist: uniform, low: 0, high: 500}\n"), "two.yaml"
            )
        )
    )
    a, b = simulate(one, n=5000, seed=9), simulate(one, n=5000, seed=9)
    assert a.to_dict() == b.to_dict()
    assert simulate(one, n=5000, seed=10).to_dict() != a.to_dict()
    # Adding a distribution elsewhere leaves the volume's samples unchanged.
    c = simulate(two, n=5000, seed=9)
    key = ("volume", "requests_per_month")
    np.testing.assert_array_equal(a.samples[key], c.samples[key])


def test_samples_stay_in_the_valid_range_and_follow_the_distribution(write_scenario):
    sc = load_scenario(
        str(
            write_scenario(
                scenario_text(
                    "{dist: normal, mean: 100000, sd: 400000}",  # mostly below 0 without the cut at 0
                    "    batch_share: {dist: lognormal, median: 0.5, p90: 2}\n"  # above 1 without the cut at 1
                    "    fixed_monthly_cost: {dist: triangular, low: 0, mode: 30, high: 90}\n",
                )
            )
        )
    )
    sim = simulate(sc, n=50_000, seed=1)
    vol = sim.samples[("volume", "requests_per_month")]
    share = sim.samples[("strategies", 1, "batch_share")]
    fixed = sim.samples[("strategies", 1, "fixed_monthly_cost")]
    assert vol.min() >= 0 and share.max() <= 1 and share.min() > 0
    assert fixed.mean() == pytest.approx((0 + 30 + 90) / 3, rel=0.01)  # triangular mean (a + m + b) / 3
    # The cut normal's median is Phi^-1((Phi(-0.25) + 1) / 2) x 400,000 + 100,000.
    d = sc.distributions[("volume", "requests_per_month")]
    assert np.median(vol) == pytest.approx(d.median, rel=0.02)


def test_simulate_command_json_and_chart(write_scenario, tmp_path):
    path = write_scenario(scenario_text("{dist: uniform, low: 0, high: 4200000}"))
    r = CliRunner().invoke(main, ["simulate", str(path), "-n", "2000", "--seed", "3", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["samples"] == 2000 and data["seed"] == 3
    assert data["uncertain_inputs"][0]["path"] == "volume.requests_per_month"
    assert sum(s["p_cheapest"] for s in data["strategies"]) == pytest.approx(1.0)
    chart = tmp_path / "sim.png"
    r = CliRunner().invoke(main, ["simulate", str(path), "-n", "2000", "--chart", str(chart)])
    assert r.exit_code == 0, r.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "P(cheapest)" in r.output


def test_simulation_figure_marks_the_percentiles(write_scenario):
    from ftcost.analysis.simulation import with_savings_bands
    from ftcost.render.charts import simulation_figure

    sim = simulate(load_scenario(str(write_scenario(scenario_text("{dist: uniform, low: 0, high: 4200000}")))), n=3000, seed=2)
    with pytest.raises(ValueError, match="with_savings_bands"):  # the renderer draws, it does not run the engine
        simulation_figure(sim)
    fig = simulation_figure(with_savings_bands(sim))
    gids = {a.get_gid() for ax in fig.axes for a in ax.get_children()}
    assert {"histogram", "percentile:median", "band:5-95", "band:median"} <= gids
