"""Worked examples for every formula of docs/design.md's "The math".

Each expected number says where it comes from: hand arithmetic in a comment,
or a provider's published example. Prices of the made-up ``testco`` catalog
(tests/fixtures/testco.yaml) keep the arithmetic round:

* base-1 (base):   input 1.00, cached 0.25, output 4.00, batch discount 0.5
* tune-1 (base):   input 2.00, cached 0.50, output 8.00
* tune-1 (tuned):  input 3.00, cached 1.50, output 12.00, training 10.00,
                   hosting 1.00/h, storage 5.00/month
* rft-1 (tuned):   input 1.10, no cached price, output 4.40, hosting 1.70/h
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ftcost import engine
from ftcost.api import compare

RTOL = 1e-12


def approx(x):
    return pytest.approx(x, rel=RTOL, abs=1e-12)


def prompt(name="prompt", model="testco/base-1", **request):
    return {"name": name, "type": "prompt", "model": model, "request": request}


def tuned(name="tuned", model="testco/tune-1", request=None, **rest):
    s = {"name": name, "type": "fine_tuned", "model": model, "request": request or {}}
    s.update(rest)
    return s


# --------------------------------------------------------------------------
# Cost per request: c = (1 - batch_share * batch_discount) * ((I - C) * input + C * cached + O * output) / 1e6


class TestCostPerRequest:
    def test_design_example_with_caching(self):
        # gpt-4o-mini 0.15 / 0.075 / 0.60 per 1M; I = 1,850 + 120 = 1,970, C = 1,024, O = 4:
        # (946 x 0.15 + 1,024 x 0.075 + 4 x 0.60) / 1e6 = (141.9 + 76.8 + 2.4) / 1e6 = 0.0002211
        assert float(engine.cost_per_request(1850, 120, 1024, 4, 0.15, 0.075, 0.60)) == approx(0.0002211)

    def test_batch_share(self):
        # Same request, 40% of requests through a batch API at 50% off:
        # factor 1 - 0.4 x 0.5 = 0.8; 0.0002211 x 0.8 = 0.00017688
        c = engine.cost_per_request(1850, 120, 1024, 4, 0.15, 0.075, 0.60, batch_share=0.4, batch_discount=0.5)
        assert float(c) == approx(0.00017688)

    def test_all_batch(self):
        # batch_share 1, discount 0.5: half of (1,000 x 1.00 + 100 x 4.00) / 1e6 = 0.0014 / 2 = 0.0007
        assert float(engine.cost_per_request(1000, 0, 0, 100, 1.0, 0.25, 4.0, 1.0, 0.5)) == approx(0.0007)

    def test_broadcasts_over_arrays(self):
        # 1,000 input tokens at 1.00 / 1M = 0.001 per request, for each of three rows
        c = engine.cost_per_request(np.array([1000, 2000, 0]), 0, 0, 0, 1.0, 0.5, 2.0)
        assert_allclose(c, [0.001, 0.002, 0.0], rtol=RTOL)

    def test_prompt_strategy_with_caching_and_batch(self, sdict):
        # base-1: I = 1,000 + 200 = 1,200, C = 800, O = 50:
        # (400 x 1.00 + 800 x 0.25 + 50 x 4.00) / 1e6 = (400 + 200 + 200) / 1e6 = 0.0008;
        # batch_share 0.5 x discount 0.5: x 0.75 = 0.0006
        s = prompt(prompt_tokens=1000, input_tokens=200, cached_prompt_tokens=800, completion_tokens=50)
        s["batch_share"] = 0.5
        r = compare(sdict(s))
        assert r.strategies[0].cost_per_request == approx(0.0006)

    def test_fine_tuned_strategy_pays_fine_tuned_rates(self, sdict):
        # tune-1 tuned rates: (100 + 100) x 3.00 + 10 x 12.00 = 600 + 120 = 720 -> 0.00072
        # (the base rates would give 200 x 2.00 + 10 x 8.00 = 480 -> 0.00048)
        r = compare(sdict(tuned(request={"prompt_tokens": 100, "input_tokens": 100, "completion_tokens": 10})))
        assert r.strategies[0].cost_per_request == approx(0.00072)

    def test_missing_cached_price_means_input_price(self, sdict):
        # rft-1 tuned has no cached_input price: the 500 cached tokens pay input, 1.10.
        # (500 x 1.10 + 500 x 1.10) / 1e6 = 0.0011
        s = tuned(model="testco/rft-1", request={"prompt_tokens": 1000, "cached_prompt_tokens": 500})
        assert compare(sdict(s)).strategies[0].cost_per_request == approx(0.0011)

    def test_price_override(self, sdict):
        # prices: {input: 9.00} on base-1: 1,000 x 9.00 / 1e6 = 0.009
        s = prompt(prompt_tokens=1000)
        s["prices"] = {"input": 9.0}
        assert compare(sdict(s)).strategies[0].cost_per_request == approx(0.009)


# --------------------------------------------------------------------------
# Fixed monthly: F = per_hour x hours_per_month x deployments + storage_per_month + fixed_monthly_cost


class TestFixedMonthly:
    def test_azure_hosting_730_hours(self):
        # docs/design.md: 1.70 USD/h x 730 h = 1,241 USD/month
        assert float(engine.fixed_monthly(1.70, 730, 1)) == approx(1241.0)

    def test_azure_published_720_hours(self):
        # Microsoft Learn's example: $1.70/h x 24 h x 30 days = $1,224.00
        assert float(engine.fixed_monthly(1.70, 24 * 30, 1)) == approx(1224.0)

    def test_all_parts(self):
        # 1.70 x 730 x 2 + 5 + 150 = 2,482 + 155 = 2,637
        assert float(engine.fixed_monthly(1.70, 730, 2, 5.0, 150.0)) == approx(2637.0)

    def test_catalog_defaults_and_extras(self, sdict):
        # tune-1: hosting 1.00/h from the catalog, 730 h by default, 2 deployments,
        # storage 5.00 from the catalog, 100 of other monthly cost:
        # 1.00 x 730 x 2 + 5 + 100 = 1,565
        s = tuned(hosting={"deployments": 2}, fixed_monthly_cost=100)
        assert compare(sdict(s)).strategies[0].fixed_monthly == approx(1565.0)

    def test_prompt_strategy_has_no_hosting(self, sdict):
        r = compare(sdict(prompt(prompt_tokens=10)))
        assert r.strategies[0].fixed_monthly == 0.0


# --------------------------------------------------------------------------
# Training: T = tokens x epochs x training / 1e6, at months 1, 1+R, 1+2R, ... <= H


class TestTraining:
    def test_openai_published_example_gpt_4o_mini(self):
        # OpenAI fine-tuning guide: 100,000 tokens x 3 epochs at $3.00/1M = ~$0.90
        assert float(engine.training_run_cost(100_000, 3, 3.00)) == approx(0.90)

    def test_openai_published_example_gpt_35_turbo(self):
        # Same guide: at $8.00/1M (gpt-3.5-turbo-0125) = ~$2.40
        assert float(engine.training_run_cost(100_000, 3, 8.00)) == approx(2.40)

    def test_azure_published_training_example(self):
        # Microsoft Learn: GPT-4.1, 1M training tokens, 2 epochs, $2 per 1M (example price) = $4.00
        assert float(engine.training_run_cost(1_000_000, 2, 2.00)) == approx(4.00)

    @pytest.mark.parametrize(
        "model, expected",
        [
            ("openai/gpt-4o-mini", 0.90),  # 100,000 x 3 x 3.00 / 1e6 (OpenAI's example)
            ("openai/gpt-3.5-turbo", 2.40),  # 100,000 x 3 x 8.00 / 1e6 (OpenAI's example)
        ],
    )
    def test_openai_examples_through_the_bundled_catalog(self, model, expected):
        # gpt-3.5-turbo-0125 shut down on 2026-10-23: the example month is before it.
        d = {
            "ftcost": 1,
            "name": "openai training example",
            "start": "2026-10",
            "horizon_months": 1,
            "pricing": ["openai"],
            "volume": {"requests_per_month": 0},
            "strategies": [{"name": "tuned", "type": "fine_tuned", "model": model, "training": {"tokens": 100_000, "epochs": 3}}],
        }
        s = compare(d).strategies[0]
        assert s.training_cost_per_run == approx(expected)
        assert s.training_cost == approx(expected)
        assert s.training_runs == 1

    def test_cookbook_auto_epochs(self):
        # OpenAI cookbook data-preparation notebook: 5 chat examples, 4,306 billable tokens,
        # default epochs min(25, 100 // 5) = 20, billed tokens 4,306 x 20 = 86,120;
        # at $3.00/1M: 86,120 x 3 / 1e6 = 0.25836
        d = {
            "ftcost": 1,
            "name": "cookbook",
            "start": "2026-12",
            "horizon_months": 1,
            "pricing": ["openai"],
            "volume": {"requests_per_month": 0},
            "strategies": [
                {"name": "tuned", "type": "fine_tuned", "model": "openai/gpt-4o-mini", "training": {"tokens": 4306, "examples": 5, "epochs": "auto"}}
            ],
        }
        s = compare(d).strategies[0]
        assert s.epochs == 20
        assert s.training_cost_per_run == approx(0.25836)

    @pytest.mark.parametrize(
        "n, epochs",
        [
            # worked-examples.md, "Default epochs heuristic edge values" (OpenAI cookbook constants)
            (1, 25),  # 3 < 100: min(25, 100 // 1) = 25
            (5, 20),  # 15 < 100: min(25, 20) = 20
            (33, 3),  # 99 < 100: min(25, 100 // 33) = 3
            (34, 3),  # 102: the default 3
            (8333, 3),  # 24,999 <= 25,000: 3
            (8334, 2),  # 25,002 > 25,000: max(1, 25,000 // 8,334) = 2
            (100_000, 1),  # max(1, 0) = 1
        ],
    )
    def test_default_epochs(self, n, epochs):
        assert int(engine.default_epochs(n)) == epochs

    @pytest.mark.parametrize(
        "horizon, every, runs",
        [
            (24, 0, 1),  # train once
            (24, 6, 4),  # months 1, 7, 13, 19
            (24, 7, 4),  # months 1, 8, 15, 22
            (24, 24, 1),  # month 25 is past the horizon
            (24, 25, 1),
            (12, 1, 12),  # every month
            (12, 5, 3),  # months 1, 6, 11
        ],
    )
    def test_number_of_runs(self, horizon, every, runs):
        assert int(engine.training_runs(horizon, every)) == runs
        assert int(engine.training_month_mask(horizon, every).sum()) == runs

    def test_retraining_months_and_costs(self, sdict):
        # tune-1: 1,000,000 tokens x 2 epochs x 10.00 / 1e6 = 20.00 a run; every 6 months over 24:
        # months 1, 7, 13, 19 -> 4 runs, 80.00 in all. Volume 0 and no hosting, so a month
        # costs 20.00 with a run, 0 without; one_time_cost 500 falls in month 1 only.
        s = tuned(
            training={"tokens": 1_000_000, "epochs": 2, "retrain_every_months": 6, "one_time_cost": 500},
            hosting={"deployments": 0},
            prices={"storage_per_month": 0},
        )
        r = compare(sdict(s, volume=0, horizon_months=24))
        st = r.strategies[0]
        assert st.training_cost_per_run == approx(20.0)
        assert st.training_runs == 4
        assert st.training_cost == approx(80.0)
        assert st.training_months == [1, 7, 13, 19]
        expected = [0.0] * 24
        for m in (1, 7, 13, 19):
            expected[m - 1] = 20.0
        expected[0] += 500.0
        assert_allclose(st.monthly, expected, rtol=RTOL)
        assert st.one_time_cost == approx(500.0)
        # 520 + 3 x 20 = 580
        assert st.total_cost == approx(580.0)


# --------------------------------------------------------------------------
# Growth: V_m = V_1 x (1 + g)^(m - 1)


class TestGrowth:
    def test_compound_growth(self):
        # 1,000 x 1.1^0, ^1, ^2 = 1,000, 1,100, 1,210
        assert_allclose(engine.monthly_volumes(1000, 0.1, 3), [1000, 1100, 1210], rtol=RTOL)

    def test_decline(self):
        # -50% a month: 1,000, 500, 250
        assert_allclose(engine.monthly_volumes(1000, -0.5, 3), [1000, 500, 250], rtol=RTOL)

    def test_monthly_costs_follow_volume(self, sdict):
        # base-1, 1,000 input tokens: 0.001 a request; 1,000,000 requests growing 10% a month:
        # 1,000.00, 1,100.00, 1,210.00; total 3,310.00 (= 1,000 x (1.1^3 - 1) / 0.1)
        r = compare(sdict(prompt(prompt_tokens=1000), horizon_months=3, volume={"requests_per_month": 1_000_000, "growth_per_month": 0.1}))
        st = r.strategies[0]
        assert_allclose(st.monthly, [1000.0, 1100.0, 1210.0], rtol=RTOL)
        assert st.total_cost == approx(3310.0)
        # monthly_cost uses month 1's volume: 0 + 1,000,000 x 0.001 = 1,000
        assert st.monthly_cost == approx(1000.0)


# --------------------------------------------------------------------------
# Horizon totals K(H), average fixed monthly Fbar, monthly_cost, break-even, payback: one full example


class TestHorizonTotals:
    """Three months, 100,000 requests growing 10% a month (100,000, 110,000, 121,000).

    prompt: base rates of tune-1, I = 1,000 + 200, O = 50:
        (1,200 x 2.00 + 50 x 8.00) / 1e6 = (2,400 + 400) / 1e6 = 0.0028 a request
        months 280.00, 308.00, 338.80; total 926.80
    tuned: tuned rates of tune-1, I = 100 + 200, O = 50:
        (300 x 3.00 + 50 x 12.00) / 1e6 = (900 + 600) / 1e6 = 0.0015 a request
        F = 1.00 x 730 x 1 + 5.00 storage = 735.00
        T = 200,000 x 3 x 10.00 / 1e6 = 6.00, retrained every 2 months: months 1 and 3
        one-time 50.00 in month 1
        months 735 + 150 + 6 + 50 = 941.00; 735 + 165 = 900.00; 735 + 181.5 + 6 = 922.50
        total 2,763.50
        Fbar = 735 + (50 + 2 x 6) / 3 = 735 + 62 / 3 = 755.666...
        monthly_cost = Fbar + 100,000 x 0.0015 = 905.666...
        V* = (755.666... - 0) / (0.0028 - 0.0015) = (2,267 / 3) / 0.0013 = 581,282.05...
        payback: cumulative 941 > 280, 1,841 > 588, 2,763.5 > 926.8: none
    """

    @pytest.fixture
    def result(self, sdict):
        d = sdict(
            prompt(model="testco/tune-1", prompt_tokens=1000, input_tokens=200, completion_tokens=50),
            tuned(
                request={"prompt_tokens": 100, "input_tokens": 200, "completion_tokens": 50},
                training={"tokens": 200_000, "epochs": 3, "retrain_every_months": 2, "one_time_cost": 50},
            ),
            horizon_months=3,
            volume={"requests_per_month": 100_000, "growth_per_month": 0.1},
        )
        return compare(d)

    def test_prompt(self, result):
        p = result.strategies[0]
        assert p.cost_per_request == approx(0.0028)
        assert_allclose(p.monthly, [280.0, 308.0, 338.8], rtol=RTOL)
        assert p.total_cost == approx(926.8)
        assert p.average_fixed_monthly == 0.0
        assert p.monthly_cost == approx(280.0)
        # the baseline has no break-even or payback against itself
        assert p.break_even_requests_per_month is None
        assert p.cheaper_above_break_even is None
        assert p.payback_month is None

    def test_tuned(self, result):
        t = result.strategies[1]
        assert t.cost_per_request == approx(0.0015)
        assert t.fixed_monthly == approx(735.0)
        assert t.training_cost_per_run == approx(6.0)
        assert t.training_runs == 2
        assert t.training_months == [1, 3]
        assert t.training_cost == approx(12.0)
        assert t.one_time_cost == approx(50.0)
        assert_allclose(t.monthly, [941.0, 900.0, 922.5], rtol=RTOL)
        assert t.total_cost == approx(2763.5)
        assert t.average_fixed_monthly == approx(735 + 62 / 3)
        assert t.monthly_cost == approx(735 + 62 / 3 + 150)
        assert t.break_even_requests_per_month == pytest.approx(2267 / 3 / 0.0013, rel=1e-9)
        assert t.break_even_requests_per_month == pytest.approx(581_282.05128, rel=1e-9)
        assert t.cheaper_above_break_even is True
        assert t.payback_month is None

    def test_cheapest_and_savings(self, result):
        # 926.80 < 2,763.50
        assert result.cheapest.name == "prompt"
        assert result.to_dict()["cheapest"] == "prompt"


# --------------------------------------------------------------------------
# Break-even: V* = (Fbar_s - Fbar_b) / (c_b - c_s), four cases


class TestBreakEvenFunction:
    def test_cheaper_above(self):
        # c_s < c_b, Fbar_s > Fbar_b: 1,241 / (0.0003 - 0.0001) = 6,205,000, cheaper above
        v, above = engine.break_even_volume(0.0001, 1241.0, 0.0003, 0.0)
        assert float(v) == pytest.approx(6_205_000, rel=1e-12)
        assert bool(above) is True

    def test_always_cheaper_lower_fixed_and_lower_rate(self):
        # c_s < c_b, Fbar_s < Fbar_b: (0 - 100) / 0.0002 = -500,000, clipped to 0: always cheaper
        v, above = engine.break_even_volume(0.0001, 0.0, 0.0003, 100.0)
        assert float(v) == 0.0
        assert bool(above) is True

    def test_always_cheaper_same_rate(self):
        # c_s = c_b and Fbar_s < Fbar_b: V* = 0, always cheaper
        v, above = engine.break_even_volume(0.0002, 10.0, 0.0002, 20.0)
        assert float(v) == 0.0
        assert bool(above) is True

    @pytest.mark.parametrize(
        "cs, fs, cb, fb",
        [
            (0.0003, 100.0, 0.0002, 0.0),  # dearer per request and more fixed cost
            (0.0002, 100.0, 0.0002, 0.0),  # same rate, more fixed cost
            (0.0002, 50.0, 0.0002, 50.0),  # identical: never strictly cheaper
            (0.0003, 0.0, 0.0002, 0.0),  # dearer per request, same fixed cost
        ],
    )
    def test_never(self, cs, fs, cb, fb):
        v, _ = engine.break_even_volume(cs, fs, cb, fb)
        assert math.isnan(float(v))

    def test_cheaper_below(self):
        # c_s > c_b, Fbar_s < Fbar_b: (0 - 1,241) / (0.0001 - 0.0003) = 6,205,000, cheaper below
        v, above = engine.break_even_volume(0.0003, 0.0, 0.0001, 1241.0)
        assert float(v) == pytest.approx(6_205_000, rel=1e-12)
        assert bool(above) is False

    def test_vectorized(self):
        # the four cases above, one per element
        v, above = engine.break_even_volume([0.0001, 0.0001, 0.0003, 0.0003], [1241, 0, 100, 0], [0.0003, 0.0003, 0.0002, 0.0001], [0, 100, 0, 1241])
        assert_allclose(v[[0, 1, 3]], [6_205_000, 0, 6_205_000], rtol=1e-12)
        assert math.isnan(v[2])
        assert above.tolist()[:2] == [True, True] and above.tolist()[3] is False


class TestBreakEvenScenario:
    """The four cases end to end, in the JSON fields. Volume 1,000,000 a month, 12 months."""

    def _one(self, sdict, base, other, **top):
        r = compare(sdict(base, other, **top))
        return r.strategies[1], r

    def test_cheaper_above(self, sdict):
        # baseline base-1, 1,000 tokens: 0.001; tuned tune-1, 100 tokens: 100 x 3.00 / 1e6 = 0.0003,
        # F = 730 + 5 = 735. V* = 735 / (0.001 - 0.0003) = 1,050,000
        s, _ = self._one(sdict, prompt(prompt_tokens=1000), tuned(request={"prompt_tokens": 100}))
        assert s.break_even_requests_per_month == pytest.approx(1_050_000, rel=1e-12)
        assert s.cheaper_above_break_even is True

    def test_always(self, sdict):
        # tuned with no hosting and no storage: Fbar 0 = 0, c 0.0003 < 0.001: V* = 0
        s, r = self._one(sdict, prompt(prompt_tokens=1000), tuned(request={"prompt_tokens": 100}, hosting={"deployments": 0}, prices={"storage_per_month": 0}))
        assert s.break_even_requests_per_month == 0.0
        assert s.cheaper_above_break_even is True
        # cheaper from month 1: 300 <= 1,000
        assert s.payback_month == 1
        assert r.cheapest.name == "tuned"

    def test_never(self, sdict):
        # tuned: 5,000 tokens x 3.00 = 0.015 > 0.001 a request, and 735 a month: never
        s, _ = self._one(sdict, prompt(prompt_tokens=1000), tuned(request={"prompt_tokens": 5000}))
        assert s.break_even_requests_per_month is None
        assert s.payback_month is None

    def test_cheaper_below(self, sdict):
        # baseline: the tuned model (0.0003 a request + 735 a month); the prompt (0.001, no fixed)
        # is cheaper below V* = (0 - 735) / (0.0003 - 0.001) = 1,050,000 a month
        s, _ = self._one(sdict, tuned(request={"prompt_tokens": 100}), prompt(prompt_tokens=1000), baseline="tuned", volume={"requests_per_month": 500_000})
        assert s.break_even_requests_per_month == pytest.approx(1_050_000, rel=1e-12)
        assert s.cheaper_above_break_even is False
        # at 500,000 < V*: prompt 500 a month against 735 + 150 = 885: pays back in month 1
        assert s.payback_month == 1


# --------------------------------------------------------------------------
# Payback month: the first m with K_s(m) <= K_b(m)


class TestPayback:
    def test_function(self):
        # cumulative 250, 260, 270 against 100, 200, 300: month 3
        assert int(engine.payback_month([250, 10, 10], [100, 100, 100])) == 3
        # 520 > 300 at the end: none (0)
        assert int(engine.payback_month([500, 10, 10], [100, 100, 100])) == 0

    def test_equal_counts_as_paid_back(self):
        # cumulative 150, 200 against 100, 200: equal in month 2 counts
        assert int(engine.payback_month([150, 50], [100, 100])) == 2
        # identical strategies pay back in month 1
        assert int(engine.payback_month([0.1, 0.2, 0.3], [0.1, 0.2, 0.3])) == 1

    def test_scenario(self, sdict):
        # 10,000,000 requests a month, 12 months.
        # prompt base-1, 1,000 tokens: 0.001 -> 10,000 a month.
        # tuned tune-1, 100 tokens: 0.0003 -> 3,000 a month, + 735 fixed = 3,735;
        # month 1 adds T = 1,000,000 x 2 x 10.00 / 1e6 = 20 and one-time 20,000: 23,755.
        # cumulative: 23,755 > 10,000; 27,490 > 20,000; 31,225 > 30,000; 34,960 <= 40,000: month 4
        d = sdict(
            prompt(prompt_tokens=1000),
            tuned(request={"prompt_tokens": 100}, training={"tokens": 1_000_000, "epochs": 2, "one_time_cost": 20_000}),
            volume=10_000_000,
        )
        t = compare(d).strategies[1]
        assert t.monthly[0] == approx(23_755.0)
        assert t.monthly[1] == approx(3_735.0)
        assert t.payback_month == 4
        # V* = (735 + (20,000 + 20) / 12) / (0.001 - 0.0003) = 2,403.333... / 0.0007 = 3,433,333.3...
        assert t.break_even_requests_per_month == pytest.approx((735 + 20020 / 12) / 0.0007, rel=1e-12)


# --------------------------------------------------------------------------
# Microsoft's published Azure example


def test_azure_published_monthly_example():
    """Microsoft Learn, "Cost management for fine-tuning" (Azure AI Foundry docs, ms.date 2026-02-11):
    o4-mini fine-tuned, 10,000 conversations, 20M input tokens at $1.10/1M = $22.00,
    40M output tokens at $4.40/1M = $176.00, hosting $1.70/h x 24 h x 30 days = $1,224.00:
    total $1,422.00 for the month.

    10,000 requests x 2,000 prompt tokens = 20M input; x 4,000 completion tokens = 40M output.
    """
    # o4-mini on Azure retired on 2026-11-19 (LiteLLM deprecation date): the example month is 2026-11.
    d = {
        "ftcost": 1,
        "name": "Azure example",
        "start": "2026-11",
        "horizon_months": 1,
        "pricing": ["azure-openai"],
        "volume": {"requests_per_month": 10_000},
        "strategies": [
            {
                "name": "o4-mini fine-tuned",
                "type": "fine_tuned",
                "model": "azure-openai/o4-mini",
                "request": {"prompt_tokens": 2000, "completion_tokens": 4000},
                "hosting": {"hours_per_month": 720},
            }
        ],
    }
    r = compare(d)
    s = r.strategies[0]
    # per request: (2,000 x 1.10 + 4,000 x 4.40) / 1e6 = (2,200 + 17,600) / 1e6 = 0.0198
    assert s.cost_per_request == approx(0.0198)
    assert 10_000 * s.cost_per_request == pytest.approx(22.00 + 176.00, rel=1e-12)
    assert s.fixed_monthly == approx(1224.00)
    assert s.monthly == [pytest.approx(1422.00, rel=1e-12)]
    assert s.total_cost == pytest.approx(1422.00, rel=1e-12)
    assert round(s.total_cost, 2) == 1422.00


# --------------------------------------------------------------------------
# evaluate() on raw arrays: variant axes broadcast


def test_evaluate_broadcasts_a_volume_axis(sdict):
    """A sweep puts volumes on an extra axis; each column equals a run at that volume."""
    from ftcost.scenario import load_scenario

    d = sdict(prompt(prompt_tokens=1000), tuned(request={"prompt_tokens": 100}))
    x = load_scenario(d).inputs()
    vols = np.array([0.0, 1_000_000.0, 5_000_000.0])
    # strategies on the first axis, the sweep on the second: [S, 1] fields, [1, 3] volumes
    per_strategy = {f: np.asarray(v)[:, None] for f, v in vars(x).items() if isinstance(v, np.ndarray) and np.ndim(v) == 1}
    out = engine.evaluate(x.replace(requests_per_month=vols[None, :], **per_strategy))
    assert out.total_cost.shape == (2, 3)
    for j, v in enumerate(vols):
        single = engine.evaluate(x.replace(requests_per_month=np.asarray(v)))
        assert_allclose(out.total_cost[:, j], single.total_cost, rtol=RTOL)
        assert_allclose(out.break_even[:, j], single.break_even, rtol=RTOL)
        assert_allclose(out.payback_month[:, j], single.payback_month)
    # prompt 12 x 0.001 V; tuned 12 x (735 + 0.0003 V): at 0 the prompt costs 0, at 5M the tuned model wins
    assert out.cheapest.tolist() == [0, 0, 1]


def test_a_published_batch_input_price_alone_takes_the_discount_on_the_rest():
    # Only the batch input price published ($1.50 per 1M), all requests batched, 50% batch discount:
    # 1,000 input tokens x 1.50 + 100 output tokens x (8.00 x 0.5) = 1,500 + 400 -> $0.0019 a request.
    # Before, the missing batch output price (NaN) made the cost NaN: `sweep --vary ...prices.batch_input` failed.
    c = engine.cost_per_request(1000, 0, 0, 100, 2.0, 1.0, 8.0, 1.0, 0.5, 1.5, np.nan, np.nan)
    assert float(c) == pytest.approx(0.0019, rel=1e-12)
    # All three published: the discount plays no part (1,000 x 1.5 + 100 x 6.0 = 2,100 -> $0.0021).
    assert float(engine.cost_per_request(1000, 0, 0, 100, 2.0, 1.0, 8.0, 1.0, 0.5, 1.5, 0.75, 6.0)) == pytest.approx(0.0021, rel=1e-12)
