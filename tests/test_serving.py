"""How a fine-tuned model is served, and what that costs by the hour (issue 12, item 1; price audit finding 1).

Every bundled fine_tuning block says how its model is served, with a source.
A fine-tuned strategy whose serving has no known hourly price is a located
error naming the missing key, never a silent $0 an hour.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

import ftcost
from ftcost.catalogs import SERVING_MODES, Catalogs, parse_catalog
from ftcost.errors import CatalogError, ScenarioError
from ftcost.yamlsrc import load_yaml_text

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def no_private_catalogs(monkeypatch):
    monkeypatch.delenv("FTCOST_PRICING_PATH", raising=False)


def test_every_bundled_fine_tuning_block_says_how_it_is_served():
    for m in Catalogs.load().all_models():
        if m.fine_tuning is not None:
            assert m.serving in SERVING_MODES, m.ref
            assert m.serving_source and m.serving_source.strip(), m.ref


def test_which_providers_are_serverless():
    # docs/pricing.md lists this; OpenAI, Vertex AI and Mistral bill fine-tuned inference per token only.
    by_provider: dict[str, set] = {}
    for m in Catalogs.load().all_models():
        if m.fine_tuning is not None:
            by_provider.setdefault(m.provider, set()).add(m.serving)
    assert by_provider == {
        "openai": {"serverless"},
        "vertex-ai": {"serverless"},
        "mistral": {"serverless"},
        "azure-openai": {"deployment"},
        "together": {"dedicated"},
        "fireworks": {"dedicated"},
        "bedrock": {"provisioned"},
    }


def _scenario(model, **extra):
    tuned = {"name": "tuned", "type": "fine_tuned", "model": model, "request": {"prompt_tokens": 100, "completion_tokens": 10}}
    tuned.update(extra)
    return {
        "ftcost": 1,
        "name": "serving",
        "start": "2026-12",
        "volume": {"requests_per_month": 100000},
        "strategies": [{"name": "p", "type": "prompt", "model": "openai/gpt-4o-mini", "request": {"prompt_tokens": 500}}, tuned],
    }


def test_together_fine_tuned_model_pays_for_its_dedicated_endpoint():
    # docs.together.ai: "After training, hosting on a dedicated endpoint is billed separately by the minute";
    # 1x H100 80GB $3.99 an hour x 730 hours = $2,912.70 a month; no per-token price.
    r = ftcost.compare(_scenario("together/llama-3.1-8b-instruct"), today=TODAY)
    tuned = r.strategies[1]
    assert tuned.fixed_monthly == pytest.approx(3.99 * 730, rel=1e-12)
    assert tuned.cost_per_request == 0.0
    assert "dedicated endpoint on 1 x h100-80gb" in tuned.prices["hosting_per_hour"]["source"]


def test_serverless_model_has_no_hourly_fee_with_a_source():
    r = ftcost.compare(_scenario("openai/gpt-4o-mini"), today=TODAY)
    assert r.strategies[1].fixed_monthly == 0.0
    assert r.strategies[1].prices["hosting_per_hour"]["value"] == 0.0


@pytest.mark.parametrize("model", ["fireworks/llama-3.1-8b-instruct", "together/llama-3.1-70b-instruct", "together/gpt-oss-120b"])
def test_dedicated_serving_without_a_price_is_a_located_error(model):
    with pytest.raises(ScenarioError) as e:
        ftcost.compare(_scenario(model), today=TODAY)
    err = e.value
    assert "fine_tuning.hosting_per_hour" in err.message and "dedicated endpoint" in err.message
    assert err.path == ("strategies", 1, "model") and "hosting: {per_hour" in err.hint


def test_dedicated_serving_with_the_scenario_price_works():
    # Two H100s for a 70B model at Together's $3.99 each: 7.98 x 730 = 5,825.40 a month.
    r = ftcost.compare(_scenario("together/llama-3.1-70b-instruct", hosting={"per_hour": 7.98}), today=TODAY)
    assert r.strategies[1].fixed_monthly == pytest.approx(7.98 * 730, rel=1e-12)


CATALOG = """\
provider: acme
currency: USD
source: https://acme.example/prices
as_of: 2026-11-01
models:
  m:
    input: 1
    output: 2
    fine_tuning:
      training: 3
      input: 1
      output: 2
      {extra}
gpus:
  big: {{per_hour: 4.5}}
"""


def _catalog(tmp_path, extra):
    d = tmp_path / "prices"
    d.mkdir(exist_ok=True)
    (d / "acme.yaml").write_text(CATALOG.format(extra=extra), encoding="utf-8")
    return d / "acme.yaml"


def test_a_private_catalog_that_does_not_say_how_it_serves_is_not_free(tmp_path):
    path = _catalog(tmp_path, "")
    sc = _scenario("acme/m")
    sc["pricing"] = ["openai", str(path)]
    with pytest.raises(ScenarioError, match="served in a way its catalog does not state"):
        ftcost.compare(sc, today=TODAY)


def test_hosting_gpu_prices_the_endpoint(tmp_path):
    path = _catalog(tmp_path, "serving: dedicated\n      hosting_gpu: big")
    sc = _scenario("acme/m")
    sc["pricing"] = ["openai", str(path)]
    # 4.50 an hour x 730 = 3,285; the catalog's per-token prices of the fine-tuned model still apply.
    assert ftcost.compare(sc, today=TODAY).strategies[1].fixed_monthly == pytest.approx(3285.0)


@pytest.mark.parametrize(
    "extra, message",
    [
        ("serving: cloud", "serving must be one of serverless, deployment, dedicated, provisioned"),
        ("serving: serverless\n      hosting_per_hour: 1.7", "a serverless fine-tuned model has no hourly fee"),
        ("serving: dedicated\n      hosting_gpu: small", "hosting_gpu 'small' is not a GPU of this catalog"),
        ("hosting_gpu: big", "hosting_gpu needs serving: dedicated"),
        ("serving: provisioned", "serving: provisioned needs model_units"),
    ],
)
def test_serving_mistakes_are_located_catalog_errors(extra, message):
    text = CATALOG.format(extra=extra)
    with pytest.raises(CatalogError, match=message) as e:
        parse_catalog(load_yaml_text(text, file="acme.yaml", error_cls=CatalogError))
    assert e.value.line is not None


def test_cli_refuses_with_exit_2_and_writes_nothing(cli, tmp_path):
    scen = tmp_path / "s.yaml"
    scen.write_text(
        textwrap.dedent("""\
        ftcost: 1
        name: no serving price
        start: 2026-12
        volume: {requests_per_month: 1000}
        strategies:
          - name: p
            type: prompt
            model: openai/gpt-4o-mini
            request: {prompt_tokens: 100}
          - name: tuned
            type: fine_tuned
            model: fireworks/llama-3.1-8b-instruct
            request: {prompt_tokens: 10}
        """),
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    rc, stdout, err = cli("export", str(scen), "-o", str(out))
    assert rc == 2 and not out.exists()
    assert "s.yaml:12:12:" in err and "strategies[1].model" in err and "fine_tuning.hosting_per_hour" in err
