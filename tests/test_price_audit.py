"""The prices and dates an outside audit (2026-11-30) found wrong, each checked against the source it names.

Every test says which finding of the audit it covers and where the corrected
number comes from; the catalogs carry the same source in their ``source``.
"""

from __future__ import annotations

import datetime as dt

import pytest

import ftcost
from ftcost.catalogs import Catalogs, parse_catalog
from ftcost.errors import CatalogError
from ftcost.yamlsrc import load_yaml_text

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def no_private_catalogs(monkeypatch):
    monkeypatch.delenv("FTCOST_PRICING_PATH", raising=False)


@pytest.fixture(scope="module")
def cats():
    return Catalogs.load()


def _values(prices, keys):
    return tuple(prices[k].value if k in prices else None for k in keys)


BATCH = ("batch_input", "batch_cached_input", "batch_output")


# ---- finding 4 and 12: OpenAI's fine-tuned batch rows as published -------------------------------


@pytest.mark.parametrize(
    "model, published",
    [
        # OpenAI pricing page (copy, ~2026), fine-tuning table, Batch tier, per 1M tokens: input / cached / output.
        ("openai/gpt-4o-2024-08-06", (2.225, 0.90, 12.50)),  # not 1.875 / 7.50 (50% off): finding 4
        ("openai/gpt-4.1-2025-04-14", (1.50, 0.50, 6.00)),  # cached 0.50, not 0.375: finding 12
        ("openai/gpt-4.1-mini-2025-04-14", (0.40, 0.10, 1.60)),
        ("openai/gpt-4.1-nano-2025-04-14", (0.10, 0.025, 0.40)),
        ("openai/gpt-4o-mini-2024-07-18", (0.15, 0.075, 0.60)),
        ("openai/gpt-3.5-turbo-0125", (1.50, None, 3.00)),  # the page lists no cached price
    ],
)
def test_openai_fine_tuned_batch_prices_as_published(cats, model, published):
    m = cats.resolve(model)
    assert _values(m.fine_tuning, BATCH) == published
    assert "batch_discount" not in m.fine_tuning
    assert all(m.fine_tuning[k].source.startswith("secondary: OpenAI pricing page") for k in BATCH if k in m.fine_tuning)


def _batch_scenario(model, share, prices=None):
    s = {"name": "tuned", "type": "fine_tuned", "model": model, "batch_share": share, "request": {"prompt_tokens": 1000, "completion_tokens": 100}}
    if prices:
        s["prices"] = prices
    return {
        "ftcost": 1,
        "name": "batch",
        "start": "2026-12",
        "volume": {"requests_per_month": 1000},
        "strategies": [{"name": "p", "type": "prompt", "model": model, "request": {"prompt_tokens": 1000}}, s],
    }


def test_engine_uses_openai_published_batch_prices():
    # Fine-tuned gpt-4o, 1,000 input + 100 output tokens, 40% through batch (OpenAI pricing page, Batch tier):
    # standard (1000 x 3.75 + 100 x 15.00) / 1e6 = 0.00525; batch (1000 x 2.225 + 100 x 12.50) / 1e6 = 0.003475;
    # 0.6 x 0.00525 + 0.4 x 0.003475 = 0.00315 + 0.00139 = 0.00454 (50% off would give 0.0042).
    r = ftcost.compare(_batch_scenario("openai/gpt-4o-2024-08-06", 0.4), today=TODAY)
    assert r.strategies[1].cost_per_request == pytest.approx(0.00454, rel=1e-12)


def test_azure_fine_tuned_deployment_does_not_inherit_the_base_batch_discount():
    # Finding 5: no source says an Azure fine-tuned deployment has batch pricing, so batch requests cost the
    # standard fine-tuned rate: gpt-4.1-nano Global Standard (1000 x 0.10 + 100 x 0.40) / 1e6 = 0.00014,
    # whatever the batch share; the base model keeps its 50% (Azure Global Standard batch).
    r = ftcost.compare(_batch_scenario("azure-openai/gpt-4.1-nano", 1.0), today=TODAY)
    tuned = r.strategies[1]
    assert tuned.cost_per_request == pytest.approx(0.00014, rel=1e-12)
    assert "batch_discount" not in tuned.prices
    assert any("no batch price for the fine-tuned model" in w for w in tuned.warnings)


def test_a_batch_discount_the_scenario_gives_still_applies():
    # The user's own quote: 0.00014 x (1 - 1.0 x 0.5) = 0.00007, and no warning.
    r = ftcost.compare(_batch_scenario("azure-openai/gpt-4.1-nano", 1.0, {"batch_discount": 0.5}), today=TODAY)
    assert r.strategies[1].cost_per_request == pytest.approx(0.00007, rel=1e-12)
    assert not any("batch" in w for w in r.strategies[1].warnings)


# ---- finding 6 and 14: Azure gpt-4.1-mini training tiers; support-azure is regional -----------------


def test_azure_gpt_4_1_mini_global_has_no_regional_training_price(cats):
    # 5.50 per 1M is the regional Standard training price ('Azure OpenAI - East US 2 Availability & Pricing',
    # an export of the Azure pricing page, 2025-11-04); no USD Global Standard price was found, so it is absent.
    assert "training" not in cats.resolve("azure-openai/gpt-4.1-mini").fine_tuning
    regional = cats.resolve("azure-openai/gpt-4.1-mini-regional")
    assert regional.fine_tuning["training"].value == 5.50
    # Regional base prices from the same export: 0.44 / 0.11 / 1.76 per 1M.
    assert _values(regional.base, ("input", "cached_input", "output")) == (0.44, 0.11, 1.76)


def test_support_azure_uses_regional_entries_for_eu_data_residency():
    from pathlib import Path

    sc = ftcost.load_scenario(Path(__file__).resolve().parent.parent / "scenarios" / "support-azure.yaml", today=TODAY)
    assert {s.model.tier for s in sc.strategies} == {"standard"}
    assert all(s.model.id.endswith("-regional") for s in sc.strategies)


# ---- findings 7, 8, 10 and 13: prices and dates ----------------------------------------------------


def test_mistral_nemo_price_and_retirement(cats):
    # docs.mistral.ai model card "Mistral Nemo 12B": Input $0.15 /M, Output $0.15 /M; deprecated 2026-05-22,
    # retired 2026-07-31 (finding 7: the catalog had 0.30 / 0.30).
    m = cats.resolve("mistral/open-mistral-nemo")
    assert _values(m.base, ("input", "output")) == (0.15, 0.15)
    assert m.retires_on == dt.date(2026, 7, 31)
    assert not m.accepts_jobs_on(TODAY)


def test_fireworks_8b_is_in_the_up_to_16b_bracket(cats):
    # fireworks.ai/pricing: serverless "up to 16B $0.20" per 1M tokens (finding 8: the catalog had LiteLLM's 0.10).
    m = cats.resolve("fireworks/llama-3.1-8b-instruct")
    assert _values(m.base, ("input", "output")) == (0.20, 0.20)


def test_azure_o4_mini_is_retired_and_closed(cats):
    # LiteLLM 1.110.2 deprecation_date for azure/o4-mini-2025-04-16: 2026-11-19 (finding 10); Microsoft's
    # model-retirements page: fine-tuned models follow their base model for training retirement.
    for name in ("azure-openai/o4-mini", "azure-openai/o4-mini-regional"):
        m = cats.resolve(name)
        assert m.retires_on == dt.date(2026, 11, 19)
        assert m.last_new_job_day == dt.date(2026, 11, 18)
        assert not m.accepts_jobs_on(TODAY)
        assert m.accepts_jobs_on(dt.date(2026, 11, 18))


def test_no_vertex_model_is_open_for_tuning_after_retirement(cats):
    # Every Vertex model with a tuning price is past its retirement (LiteLLM deprecation_date, source: Vertex
    # AI's model versions page); its tuning closes the day before.
    models = [m for m in cats.all_models() if m.provider == "vertex-ai" and m.can_fine_tune()]
    assert models
    for m in models:
        assert m.retires_on < TODAY and m.last_new_job_day == m.retires_on - dt.timedelta(days=1)
        assert not m.accepts_jobs_on(TODAY)


def test_openai_retirement_dates_are_marked_secondary():
    # Finding 10: the dates came from LiteLLM only. They now cite copies of OpenAI's deprecations page
    # (2027-01-14 for gpt-4o/4o-mini/4.1/4.1-mini, 2026-10-23 for gpt-4.1-nano and gpt-3.5-turbo-0125), as secondary.
    import yaml

    from ftcost.catalogs import BUNDLED_DIR

    data = yaml.safe_load((BUNDLED_DIR / "openai.yaml").read_text(encoding="utf-8"))
    for mid, block in data["models"].items():
        if "retires_on" not in block:  # the successor models of issue 13 have no announced retirement
            continue
        src = block["sources"]["retires_on"]
        assert src.startswith("secondary: OpenAI deprecations page"), mid
        assert str(block["retires_on"]) in src


def test_retired_openai_models_close_fine_tuning_before_they_retire(cats):
    for name in ("openai/gpt-4.1-nano", "openai/gpt-3.5-turbo"):
        m = cats.resolve(name)
        assert m.last_new_job_day == dt.date(2026, 10, 22) < m.retires_on


# ---- new_jobs_until: renamed last_new_job_day, the old name still read --------------------------------

CATALOG = """\
provider: x
currency: USD
source: test
as_of: 2026-11-01
models:
  m:
    input: 1
    output: 2
    fine_tuning:
      training: 3
      {extra}
"""


def _parse(extra):
    return parse_catalog(load_yaml_text(CATALOG.format(extra=extra), file="x.yaml", error_cls=CatalogError))


def test_old_key_new_jobs_until_is_still_read_as_the_inclusive_last_day():
    m = _parse("new_jobs_until: 2027-01-05").models["m"]
    assert m.last_new_job_day == dt.date(2027, 1, 5)
    assert m.accepts_jobs_on(dt.date(2027, 1, 5)) and not m.accepts_jobs_on(dt.date(2027, 1, 6))
    assert m.to_dict()["fine_tuning"]["last_new_job_day"] == m.to_dict()["fine_tuning"]["new_jobs_until"] == "2027-01-05"


def test_both_names_at_once_is_a_located_error():
    with pytest.raises(CatalogError) as e:
        _parse("last_new_job_day: 2027-01-05\n      new_jobs_until: 2027-01-06")
    assert e.value.line == 12 and "not both" in str(e.value)


@pytest.mark.parametrize(
    "extra, message",
    [
        ("batch_input: 1", "batch_input needs batch_output"),
        ("batch_input: 1\n      batch_output: 2\n      batch_discount: 0.5", "not both"),
        ("batch_input: 1\n      batch_cached_input: 2\n      batch_output: 2", "batch_cached_input 2 is above batch_input 1"),
    ],
)
def test_batch_prices_come_as_a_consistent_set(extra, message):
    with pytest.raises(CatalogError, match=message):
        _parse(extra)
