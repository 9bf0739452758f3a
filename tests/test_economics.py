"""Issue 4 economics: self-hosted staircases, quality cost, price trends, data generation,
cheapest strategy by volume. Every expected number is worked by hand in a comment."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import ftcost
from ftcost.engine.envelope import CostLines, cheapest_by_volume, crossings
from ftcost.errors import ScenarioError

TODAY = dt.date(2026, 11, 25)


def scenario(strategies, volume=1_000_000, horizon=12, growth=0.0, **extra):
    return {
        "ftcost": 1,
        "name": "t",
        "start": "2026-12",
        "horizon_months": horizon,
        "pricing": ["openai", "azure-openai"],
        "volume": {"requests_per_month": volume, "growth_per_month": growth},
        "strategies": strategies,
        **extra,
    }


# An API line priced by override so the slope is round: 1,000 input tokens x $0.60/1M = $0.0006 per request.
# gpt-4o-mini retires within these horizons; same_price keeps the round price (issue 13: the retirement is not under test here).
API = {
    "name": "api",
    "type": "prompt",
    "model": "openai/gpt-4o-mini",
    "request": {"prompt_tokens": 1000},
    "prices": {"input": 0.6, "output": 0},
    "fixed_monthly_cost": 90,
    "on_retirement": "same_price",
}

# A self-hosted replica: 1 GPU at $1.20/h for 500 h = $600 a month; it serves
# 1 request/s x 50% utilization x 500 h x 3,600 s = 900,000 requests a month.
GPU = {
    "name": "gpu",
    "type": "self_hosted",
    "request": {"prompt_tokens": 100, "completion_tokens": 10},
    "serving": {"gpu_per_hour": 1.2, "hours_per_month": 500, "requests_per_second": 1, "target_utilization": 0.5},
}


class TestSelfHostedStaircase:
    def test_two_crossings(self):
        # api costs 90 + 0.0006 V; gpu costs 600 per replica, one replica per 900,000 requests.
        # First piece (0, 900k], one replica: 600 = 90 + 0.0006 V  ->  V = 510 / 0.0006 = 850,000 (gpu cheaper above).
        # Just above 900k the gpu needs 2 replicas: 1,200 > 90 + 540 = 630  ->  dearer again at 900,000.
        # Second piece (900k, 1.8M]: 1,200 = 90 + 0.0006 V -> V = 1,850,000, outside the piece: no crossing.
        # Later pieces: the gpu starts k x 600 against 90 + k x 540, i.e. k x 60 above minus 90: dearer for k >= 2,
        # and its asymptotic cost per request 600 / 900,000 = 0.000667 > 0.0006, so the api wins for good.
        r = ftcost.compare(scenario([API, GPU]), today=TODAY)
        gpu = r.strategies[1]
        assert [c["requests_per_month"] for c in gpu.break_even_crossings] == pytest.approx([850_000, 900_000])
        assert [c["cheaper_above"] for c in gpu.break_even_crossings] == [True, False]
        assert gpu.break_even_requests_per_month == pytest.approx(850_000)
        assert gpu.cheaper_above_break_even is True
        ranges = [(x["strategy"], x["from_requests_per_month"], x["to_requests_per_month"]) for x in r.cheapest_by_volume]
        assert [x[0] for x in ranges] == ["api", "gpu", "api"]
        assert ranges[1][1:] == pytest.approx((850_000, 900_000))
        assert ranges[2][2] is None

    def test_replicas_and_monthly_cost_follow_growth(self):
        # 800,000 requests growing 25% a month: 800k, 1.0M, 1.25M, 1.5625M -> replicas 1, 2, 2, 2 (cap 900k).
        # GPU cost 600, 1,200, 1,200, 1,200; tokens are free on own GPUs.
        r = ftcost.compare(scenario([API, GPU], volume=800_000, horizon=4, growth=0.25), today=TODAY)
        assert r.strategies[1].monthly == pytest.approx([600, 1200, 1200, 1200])
        assert r.strategies[1].replicas == 1
        # The api: 90 + 0.0006 x (800k, 1M, 1.25M, 1.5625M) = 570, 690, 840, 1,027.5
        assert r.strategies[0].monthly == pytest.approx([570, 690, 840, 1027.5])

    def test_throughput_from_tokens_per_second(self):
        # 100 input tokens at 10,000/s + 10 output tokens at 100/s = 0.01 + 0.1 = 0.11 s a request
        # -> 1 / 0.11 requests/s; x 0.5 x 500 h x 3,600 s = 8,181,818.18 requests per replica-month.
        gpu = dict(
            GPU,
            serving={
                "gpu_per_hour": 1.2,
                "hours_per_month": 500,
                "input_tokens_per_second": 10_000,
                "output_tokens_per_second": 100,
                "target_utilization": 0.5,
            },
        )
        r = ftcost.compare(scenario([API, gpu], volume=8_181_818), today=TODAY)
        assert r.strategies[1].replicas == 1
        r = ftcost.compare(scenario([API, gpu], volume=8_181_819), today=TODAY)
        assert r.strategies[1].replicas == 2

    def test_gpu_hour_training(self):
        # 10 GPU hours at the serving price $1.20 = $12 a run; retrain every 6 months over 12: runs in 1 and 7.
        gpu = dict(GPU, training={"gpu_hours": 10, "retrain_every_months": 6})
        r = ftcost.compare(scenario([API, gpu]), today=TODAY)
        assert r.strategies[1].training_cost == pytest.approx(24.0)
        assert r.strategies[1].training_months == [1, 7]


class TestQuality:
    def test_error_cost_is_added_per_request_and_compared_without(self):
        # api: 0.0006 + 2% x $0.05 = 0.0006 + 0.001 = 0.0016 per request.
        # tuned (gpt-4o-mini fine-tuned, 100 input tokens at $0.30/1M) = 0.00003 + 0.5% x 0.05 = 0.00028.
        api = dict(API, quality={"error_rate": 0.02, "cost_per_error": 0.05}, fixed_monthly_cost=0)
        tuned = {
            "name": "tuned",
            "type": "fine_tuned",
            "model": "openai/gpt-4o-mini",
            "request": {"prompt_tokens": 100},
            "quality": {"error_rate": 0.005, "cost_per_error": 0.05},
        }
        r = ftcost.compare(scenario([api, tuned], volume=100_000, horizon=1), today=TODAY)
        assert r.strategies[0].cost_per_request == pytest.approx(0.0016)
        assert r.strategies[0].quality_cost_per_request == pytest.approx(0.001)
        assert r.strategies[1].cost_per_request == pytest.approx(0.00028)
        # Without errors: api 100k x 0.0006 = $60, tuned 100k x 0.00003 = $3.
        d = r.to_dict()["without_quality"]
        assert [s["total_cost"] for s in d["strategies"]] == pytest.approx([60.0, 3.0])
        # With errors: api $160, tuned $28.
        assert [s.total_cost for s in r.strategies] == pytest.approx([160.0, 28.0])

    def test_no_quality_no_extra_block(self):
        r = ftcost.compare(scenario([API, GPU]), today=TODAY)
        assert "without_quality" not in r.to_dict()


class TestPriceTrend:
    def test_prices_compound_month_by_month(self):
        # 1,000,000 requests x 0.0006 = $600 in month 1, then -3% a month: 600, 582, 564.54.
        # The fixed $90 does not move.
        api = dict(API, price_change_per_month=-0.03)
        r = ftcost.compare(scenario([api], horizon=3), today=TODAY)
        assert r.strategies[0].monthly == pytest.approx([690, 672, 654.54])

    def test_training_price_follows_the_trend(self):
        # 1M tokens x 1 epoch x $3.00 = $3.00 in month 1; retrain in month 3 at 3.00 x 1.1^2 = $3.63.
        tuned = {
            "name": "tuned",
            "type": "fine_tuned",
            "model": "openai/gpt-4o-mini",
            "request": {"prompt_tokens": 0},
            "training": {"tokens": 1_000_000, "epochs": 1, "retrain_every_months": 2},
            "price_change_per_month": 0.1,
        }
        r = ftcost.compare(scenario([API, tuned], volume=0, horizon=3), today=TODAY)
        assert r.strategies[1].training_cost == pytest.approx(3.0 + 3.63)


class TestDataGeneration:
    def test_distillation_cost_in_month_one(self):
        # 2,000 examples x (500 input x $2.00/1M + 200 output x $8.00/1M) on gpt-4.1 = 2,000 x 0.0026 = $5.20.
        tuned = {
            "name": "tuned",
            "type": "fine_tuned",
            "model": "azure-openai/gpt-4.1-nano",
            "request": {"prompt_tokens": 0},
            "hosting": {"per_hour": 0},
            "training": {
                "tokens": 0,
                "examples": 2000,
                "data_generation": {"examples": 2000, "input_tokens": 500, "output_tokens": 200, "model": "openai/gpt-4.1"},
            },
        }
        r = ftcost.compare(scenario([API, tuned], volume=0, horizon=2), today=TODAY)
        s = r.strategies[1]
        assert s.data_generation_cost == pytest.approx(5.2)
        assert s.monthly == pytest.approx([5.2, 0.0])
        assert "data_generation" in s.token_sources


class TestCheapestByVolume:
    def test_three_lines(self):
        # a: 0 + 0.0003 V; b: 1,000 + 0.0001 V; c: 3,000 + 0.00005 V.
        # a = b at 1,000 / 0.0002 = 5,000,000; b = c at 2,000 / 0.00005 = 40,000,000; a = c at 3,000/0.00025 = 12M (not on the envelope).
        lines = CostLines(np.array([0.0, 1000.0, 3000.0]), np.array([3e-4, 1e-4, 5e-5]), np.zeros(3), np.zeros(3), np.zeros(3))
        r = cheapest_by_volume(lines, ["a", "b", "c"])
        assert [(x["strategy"], x["from_requests_per_month"], x["to_requests_per_month"]) for x in r] == [
            ("a", 0.0, pytest.approx(5e6)),
            ("b", pytest.approx(5e6), pytest.approx(4e7)),
            ("c", pytest.approx(4e7), None),
        ]

    def test_linear_crossing_matches_break_even(self):
        lines = CostLines(np.array([0.0, 1241.0]), np.array([3e-4, 1e-4]), np.zeros(2), np.zeros(2), np.zeros(2))
        # 1,241 / 0.0002 = 6,205,000
        assert crossings(lines, 1, 0) == [{"requests_per_month": pytest.approx(6_205_000), "cheaper_above": True}]

    def test_in_compare_json(self):
        r = ftcost.compare(scenario([API, GPU]), today=TODAY)
        assert r.to_dict()["cheapest_by_volume"] == r.cheapest_by_volume


class TestBadInput:
    @pytest.mark.parametrize(
        "serving, needle",
        [
            ({"gpu_per_hour": 1, "requests_per_second": 0}, "requests_per_second"),
            ({"gpu_per_hour": 1, "requests_per_second": 1, "target_utilization": 1.5}, "target_utilization"),
            ({"gpu_per_hour": 1, "requests_per_second": 1, "target_utilization": 0}, "target_utilization"),
            ({"gpu_per_hour": 1, "input_tokens_per_second": 0, "output_tokens_per_second": 10}, "input_tokens_per_second"),
            ({"gpu": "no-such-gpu", "requests_per_second": 1}, "unknown GPU"),
            ({"gpu_per_hour": 1}, "throughput"),
        ],
    )
    def test_serving(self, serving, needle):
        with pytest.raises(ScenarioError) as e:
            ftcost.compare(scenario([API, dict(GPU, serving=serving)]), today=TODAY)
        assert needle in str(e.value)
        assert "strategies[1].serving" in str(e.value)

    @pytest.mark.parametrize("rate", [-0.1, 1.2])
    def test_error_rate(self, rate):
        with pytest.raises(ScenarioError, match=r"strategies\[0\]\.quality\.error_rate"):
            ftcost.compare(scenario([dict(API, quality={"error_rate": rate, "cost_per_error": 1})]), today=TODAY)

    def test_located_in_file(self, tmp_path):
        p = tmp_path / "s.yaml"
        p.write_text(
            "ftcost: 1\nname: t\nvolume: {requests_per_month: 10}\nstrategies:\n"
            "  - name: gpu\n    type: self_hosted\n    serving:\n      gpu_per_hour: 1\n      requests_per_second: 1\n"
            "      target_utilization: 2\n"
        )
        with pytest.raises(ScenarioError) as e:
            ftcost.compare(p, today=TODAY)
        assert f"{p}:10:27: strategies[0].serving.target_utilization" in str(e.value)


class TestCatalogFieldsInTheEngine:
    """Catalog fields of issue 8 that change the math: model units, hour-billed training, job fee caps, stale prices."""

    def test_bedrock_model_units(self):
        # Provisioned Throughput: 1 model unit x $20.00/hour (a user's quote) x 730 h = $14,600 a month,
        # plus $1.95 storage (bundled catalog, unverified) = $14,601.95; no per-token charge.
        tuned = {
            "name": "bedrock",
            "type": "fine_tuned",
            "model": "bedrock/llama-3.1-8b-instruct",
            "request": {"prompt_tokens": 500, "completion_tokens": 50},
            "prices": {"model_unit_per_hour": 20},
        }
        r = ftcost.compare(scenario([API, tuned], volume=1_000_000, horizon=1) | {"pricing": ["openai", "bedrock"]}, today=TODAY)
        s = r.strategies[1]
        assert s.cost_per_request == 0.0
        assert s.fixed_monthly == pytest.approx(14_601.95)

    def test_bedrock_without_a_model_unit_price_is_a_clear_error(self):
        tuned = {"name": "bedrock", "type": "fine_tuned", "model": "bedrock/llama-3.1-8b-instruct", "request": {"prompt_tokens": 5}}
        with pytest.raises(ScenarioError, match="model_unit_per_hour"):
            ftcost.compare(scenario([API, tuned]) | {"pricing": ["openai", "bedrock"]}, today=TODAY)

    @pytest.mark.parametrize(
        "hours, cost",
        [
            (4, 400.0),  # Microsoft Learn: o4-mini reinforcement fine-tuning, 4 hours x $100 = $400
            (60, 5000.0),  # 60 x $100 = $6,000, but a job is capped at $5,000
        ],
    )
    def test_hour_billed_training_with_cap(self, hours, cost):
        tuned = {"name": "rft", "type": "fine_tuned", "model": "azure-openai/o4-mini", "request": {"prompt_tokens": 5}, "training": {"hours": hours}}
        # Azure o4-mini retired on 2026-11-19 (LiteLLM): the plan starts before, in 2026-11.
        r = ftcost.compare(scenario([API, tuned], start="2026-11"), today=TODAY)
        assert r.strategies[1].training_cost_per_run == pytest.approx(cost)

    def test_stale_price_warning(self):
        # gpt-4.1-mini's Azure regional training price was read from a 2025-11-04 export: 386 days before 2026-11-25.
        tuned = {
            "name": "tuned",
            "type": "fine_tuned",
            "model": "azure-openai/gpt-4.1-mini-regional",
            "request": {"prompt_tokens": 5},
            "training": {"tokens": 1000, "epochs": 1},
        }
        r = ftcost.compare(scenario([API, tuned]), today=TODAY)
        assert len(r.price_warnings) == 1
        assert "386 days" in r.price_warnings[0] and "'tuned'" in r.price_warnings[0]
        r = ftcost.compare(scenario([API, dict(tuned, prices={"training": 5.0, "input": 1.0, "cached_input": 0.1, "output": 2.0})]), today=TODAY)
        assert r.to_dict()["price_warnings"] == r.price_warnings
        # A scenario override has no catalog date and is never "stale".
        assert r.price_warnings == []


class TestCurrency:
    def test_exchange_rate_converts_catalog_prices(self):
        # 1 USD = 0.90 EUR. gpt-4o-mini input $0.15/1M: 1,000 tokens = $0.00015 = EUR 0.000135 a request;
        # 1,000,000 requests = EUR 135. The $0.50 override stays as written: the scenario's numbers are in EUR.
        mini = {"name": "mini", "type": "prompt", "model": "openai/gpt-4o-mini", "request": {"prompt_tokens": 1000}}
        over = dict(mini, name="override", prices={"input": 0.5})
        s = scenario([mini, over], horizon=1) | {"currency": "EUR", "exchange_rate": {"USD": 0.9, "source": "test rate", "as_of": "2026-11-25"}}
        r = ftcost.compare(s, today=TODAY)
        assert r.to_dict()["currency"] == "EUR"
        assert r.strategies[0].cost_per_request == pytest.approx(0.000135)
        assert r.strategies[0].total_cost == pytest.approx(135.0)
        assert "converted at 0.9 EUR/USD" in r.strategies[0].prices["input"]["source"]
        assert r.strategies[1].cost_per_request == pytest.approx(0.0005)  # 1,000 x 0.50 / 1M, not converted
        from ftcost.render.text import to_table

        assert "€135.00" in to_table(r)

    def test_other_currency_without_a_rate_is_an_error(self):
        with pytest.raises(ScenarioError, match="exchange_rate"):
            ftcost.compare(scenario([API]) | {"currency": "EUR"}, today=TODAY)
