"""Implausible inputs are refused with a located error (issue 12 items 6 and 7), and one model-name rule everywhere."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

import ftcost
from ftcost.errors import ScenarioError

TODAY = dt.date(2026, 11, 30)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def no_private_catalogs(monkeypatch):
    monkeypatch.delenv("FTCOST_PRICING_PATH", raising=False)


def _scenario(**changes):
    d = {
        "ftcost": 1,
        "name": "slips",
        "start": "2026-12",
        "pricing": ["openai"],
        "volume": {"requests_per_month": 100000, "growth_per_month": 0.05},
        "strategies": [
            {"name": "p", "type": "prompt", "model": "openai/gpt-4o-mini", "request": {"prompt_tokens": 500}},
            {
                "name": "tuned",
                "type": "fine_tuned",
                "model": "openai/gpt-4o-mini",
                "request": {"prompt_tokens": 50},
                "training": {"tokens": 100000, "examples": 500},
            },
        ],
    }
    for path, value in changes.items():
        node = d
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        node[int(keys[-1]) if keys[-1].isdigit() else keys[-1]] = value
    return d


def test_growth_of_5_is_refused_with_the_percent_hint():
    # growth_per_month: 5 (meant as 5%) compounds to 6^23 = 7.9e17 times the volume in month 24.
    with pytest.raises(ScenarioError) as e:
        ftcost.compare(_scenario(**{"volume.growth_per_month": 5}), today=TODAY)
    assert e.value.path == ("volume", "growth_per_month")
    assert e.value.hint.startswith("5 means +500% a month; did you mean 0.05?")


def test_growth_of_1_is_still_allowed():
    assert ftcost.compare(_scenario(**{"volume.growth_per_month": 1}), today=TODAY).strategies


def test_tokens_per_request_above_the_context_window():
    # gpt-4o-mini's context window is 128,000 tokens (catalog, LiteLLM 1.110.2); 200,000 prompt tokens cannot be one request.
    with pytest.raises(ScenarioError, match="longer than openai/gpt-4o-mini-2024-07-18's context window of 128,000") as e:
        ftcost.compare(_scenario(**{"strategies.0.request": {"prompt_tokens": 200000}}), today=TODAY)
    assert e.value.path == ("strategies", 0, "request")


@pytest.mark.parametrize("key, value", [("input", 0.00015), ("training", 0.003)])
def test_a_per_1k_price_in_a_per_1m_field(key, value):
    # gpt-4o-mini: input 0.15 per 1M is 0.00015 per 1K; fine-tuned training 3.00 per 1M is 0.003 per 1K.
    strategy = 0 if key == "input" else 1
    with pytest.raises(ScenarioError, match="looks like a price per 1K tokens") as e:
        ftcost.compare(_scenario(**{f"strategies.{strategy}.prices": {key: value}}), today=TODAY)
    assert e.value.path == ("strategies", strategy, "prices", key) and "multiply by 1,000" in e.value.hint


def test_hours_per_month_above_744_is_refused():
    with pytest.raises(ScenarioError, match="must be <= 744"):
        ftcost.compare(_scenario(**{"strategies.1.hosting": {"hours_per_month": 800}}), today=TODAY)


def test_a_share_above_1_is_refused():
    with pytest.raises(ScenarioError, match="must be <= 1"):
        ftcost.compare(_scenario(**{"strategies.0.batch_share": 5}), today=TODAY)


def test_training_examples_that_disagree_with_the_dataset_name_both():
    d = _scenario(**{"strategies.1.training": {"dataset": str(FIXTURES / "function_calling.jsonl"), "examples": 500}})
    with pytest.raises(ScenarioError) as e:
        ftcost.compare(d, today=TODAY)
    assert "training.examples is 500" in e.value.message and "has 3 examples" in e.value.message
    assert e.value.path == ("strategies", 1, "training", "examples")


def test_a_model_retired_before_the_start_names_the_date():
    # gpt-3.5-turbo-0125 shut down on 2026-10-23 (OpenAI deprecations page, via copies).
    with pytest.raises(ScenarioError) as e:
        ftcost.compare(_scenario(**{"strategies.0.model": "openai/gpt-3.5-turbo"}), today=TODAY)
    assert "retired on 2026-10-23, before the plan starts (2026-12)" in e.value.message
    assert e.value.path == ("strategies", 0, "model")


def test_cli_bad_input_is_exit_2_and_no_output(cli, tmp_path):
    scen = tmp_path / "s.yaml"
    scen.write_text(
        textwrap.dedent("""\
        ftcost: 1
        name: growth slip
        volume: {requests_per_month: 1000, growth_per_month: 5}
        strategies:
          - {name: p, type: prompt, model: openai/gpt-4o-mini, request: {prompt_tokens: 100}}
        """),
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    rc, stdout, err = cli("export", scen, "-o", out)
    assert rc == 2 and not out.exists()
    assert "s.yaml:3:" in err and "volume.growth_per_month" in err and "did you mean 0.05?" in err


# ---- item 7: one model-name rule ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["tokens", str(FIXTURES / "function_calling.jsonl"), "--model", "gpt-4o-mini", "--format", "json"],
        ["data", "check", str(FIXTURES / "function_calling.jsonl"), "--model", "gpt-4o-mini", "--format", "json"],
    ],
)
def test_a_bare_name_in_several_catalogs_means_the_same_model_everywhere(cli, args):
    # gpt-4o-mini is in the openai and azure-openai catalogs: every command uses OpenAI's, and says so.
    rc, out, err = cli(*args)
    assert rc == 0, err
    data = json.loads(out)
    assert data["model"] == "openai/gpt-4o-mini-2024-07-18"
    said = err + " ".join(data.get("warnings", []))
    assert "is in several catalogs; used openai/gpt-4o-mini-2024-07-18" in said


def test_data_savings_accepts_the_bare_name(cli, tmp_path):
    prompt = tmp_path / "p.txt"
    prompt.write_text("You rate reviews. Examples: great -> 5; bad -> 1.", encoding="utf-8")
    rc, out, err = cli("data", "savings", "--prompt", prompt, "--dataset", FIXTURES / "function_calling.jsonl", "--model", "gpt-4o-mini")
    assert rc == 0, err


def test_a_scenario_follows_the_same_rule_with_a_warning():
    d = _scenario()
    d["pricing"] = ["openai", "azure-openai"]
    d["strategies"][0]["model"] = "gpt-4o-mini"
    r = ftcost.compare(d, today=TODAY)
    assert r.strategies[0].model == "openai/gpt-4o-mini-2024-07-18"
    assert any("is in several catalogs" in w for w in r.strategies[0].warnings)


def test_an_ambiguous_name_no_rule_settles_is_an_error(cli):
    rc, out, err = cli("tokens", str(FIXTURES / "function_calling.jsonl"), "--model", "llama-3.1-8b-instruct")
    assert rc == 2 and "in several catalogs" in err


def test_tokens_takes_pricing(cli, tmp_path):
    d = tmp_path / "prices"
    d.mkdir()
    (d / "openai.yaml").write_text(
        "provider: openai\ncurrency: USD\nsource: my contract\nas_of: 2026-11-01\nmodels:\n  gpt-4o-mini-2024-07-18:\n    fine_tuning: {training: 1.50}\n",
        encoding="utf-8",
    )
    rc, out, err = cli("tokens", str(FIXTURES / "function_calling.jsonl"), "--model", "openai/gpt-4o-mini", "--pricing", d, "--format", "json")
    assert rc == 0 and json.loads(out)["training_price_per_1m"] == 1.50


def test_pricing_show_provider_lists_its_models(cli):
    rc, out, err = cli("pricing", "show", "together")
    assert rc == 0 and "together/llama-3.1-8b-instruct" in out and "together/gpt-oss-120b" in out and "openai/" not in out
