"""Every shipped catalog: parses, matches the JSON Schema, and holds the facts it cites.

Expected numbers come from the sources the catalogs name (see each test's
comment); ../shared/reference/pricing-facts.md is where they were collected.
"""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from ftcost.catalogs import BUNDLED_DIR, Catalogs, bundled_names, load_catalog
from ftcost.catalogs.check import check_paths

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "ftcost" / "schemas" / "catalog.schema.json").read_text())
ENCODINGS = {p.name.split(".")[0] for p in (BUNDLED_DIR.parent / "encodings").glob("*.tiktoken.gz")}
CATALOG_FILES = sorted(BUNDLED_DIR.glob("*.yaml"))
DAY = dt.date(2026, 11, 30)  # the day of the last catalog edit (price audit fixes)


@pytest.fixture(autouse=True)
def no_private_catalogs(monkeypatch):
    monkeypatch.delenv("FTCOST_PRICING_PATH", raising=False)


@pytest.fixture(scope="module")
def cats():
    return Catalogs.load()


def as_json(path):
    # YAML dates become YYYY-MM-DD strings, as an editor validating the file sees them.
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_the_new_providers_are_shipped():
    assert bundled_names() == ["azure-openai", "bedrock", "fireworks", "mistral", "openai", "together", "vertex-ai"]


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.stem)
def test_catalog_parses_and_file_is_named_after_its_provider(path):
    cat = load_catalog(path)
    assert cat.provider == path.stem
    assert cat.currency == "USD"
    assert cat.models


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.stem)
def test_catalog_matches_json_schema(path):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(as_json(path))]
    assert errors == []


def test_schema_rejects_what_the_parser_rejects():
    bad = {"provider": "x", "currency": "USD", "models": {"m": {"input": -1, "inptu": 2}}}
    messages = [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(bad)]
    assert any("-1 is less than the minimum of 0" in m for m in messages)
    assert any("'inptu' was unexpected" in m for m in messages)
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors({"provider": "x", "currency": "USD"}))  # models required


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.stem)
def test_catalog_has_a_header_comment_saying_where_prices_came_from(path):
    head = path.read_text(encoding="utf-8").split("\nprovider:")[0]
    assert head.startswith("#") and len(head.splitlines()) >= 5


def test_every_price_has_source_and_date_and_check_finds_no_error():
    reports = check_paths([BUNDLED_DIR], DAY)
    assert [str(p) for r in reports for p in r.problems if p.level == "error"] == []
    for r in reports:
        for p in r.catalog.prices():
            assert p.source.strip() and p.as_of is not None and p.as_of <= DAY


def test_encodings_name_a_shipped_tiktoken_file_and_open_models_have_none(cats):
    for m in cats.all_models():
        assert m.encoding is None or m.encoding in ENCODINGS, m.ref
        if m.provider in ("together", "fireworks", "mistral", "bedrock", "vertex-ai"):
            assert m.encoding is None, m.ref  # no tiktoken encoding applies to Llama, Mistral or Gemini


def test_existing_model_numbers_are_unchanged(cats):
    # Pinned because other tests use them (LiteLLM 1.110.2 rows, OpenAI pricing page copies).
    m = cats.resolve("openai/gpt-4o-mini")
    assert (m.base["input"].value, m.base["cached_input"].value, m.base["output"].value) == (0.15, 0.075, 0.60)
    assert (m.fine_tuning["training"].value, m.fine_tuning["input"].value, m.fine_tuning["output"].value) == (3.00, 0.30, 1.20)
    m = cats.resolve("azure-openai/gpt-4.1-nano")
    assert (m.fine_tuning["training"].value, m.fine_tuning["input"].value, m.fine_tuning["output"].value) == (1.50, 0.10, 0.40)
    m = cats.resolve("azure-openai/o4-mini")
    assert (m.fine_tuning["input"].value, m.fine_tuning["output"].value) == (1.10, 4.40)


def test_azure_hosting_is_1_70_per_hour_except_developer_tier(cats):
    # Microsoft Learn, fine-tuning cost management (ms.date 2026-02-11): Standard and
    # Global Standard $1.70/hour; Developer tier hosting "None".
    # (the successor models of issue 13 have no fine_tuning block: no source says they can be fine-tuned on Azure)
    azure = [m for m in cats.all_models() if m.provider == "azure-openai" and m.fine_tuning is not None]
    assert len(azure) >= 14
    for m in azure:
        assert m.tier in ("global-standard", "standard", "developer"), m.ref
        expected = 0.0 if m.tier == "developer" else 1.70
        assert m.fine_tuning["hosting_per_hour"].value == expected, m.ref
        assert m.fine_tuning["storage_per_month"].value == 0.0, m.ref  # stored free until deployed


def test_azure_developer_tier_entries(cats):
    for base in ("gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano"):
        dev = cats.resolve(f"azure-openai/{base}-developer")
        glob = cats.resolve(f"azure-openai/{base}")
        assert dev.id.endswith("-developer") and dev.tier == "developer"
        # Developer tier tokens cost "Same as Global Standard".
        for k in ("input", "cached_input", "output"):
            assert dev.fine_tuning[k].value == glob.fine_tuning[k].value
        assert "24 hours" in dev.ft_notice
    nano = cats.resolve("azure-openai/gpt-4.1-nano-developer")
    # Developer training is "50% discount from global": 1.50 x 0.5 = 0.75 (meter reading 0.00075/1K).
    assert nano.fine_tuning["training"].value == pytest.approx(1.50 * 0.5)
    # No Developer training price was read for gpt-4.1 and gpt-4.1-mini: left out, not derived.
    assert "training" not in cats.resolve("azure-openai/gpt-4.1-developer").fine_tuning
    assert "training" not in cats.resolve("azure-openai/gpt-4.1-mini-developer").fine_tuning


def test_azure_regional_nano_prices_from_retail_meters(cats):
    m = cats.resolve("azure-openai/gpt-4.1-nano-regional")
    # Meters per 1K: training 0.00165, input 0.00011, cached 0.000028, output 0.00044 -> x 1000 per 1M.
    assert [m.fine_tuning[k].value for k in ("training", "input", "cached_input", "output")] == [1.65, 0.11, 0.028, 0.44]
    assert m.fine_tuning["training"].confidence == "secondary"


def test_azure_o4_mini_worked_example_monthly_cost(cats):
    # Microsoft Learn example: 20M input x $1.10/1M = $22.00, 40M output x $4.40/1M = $176.00,
    # hosting $1.70 x 24 h x 30 days = $1,224.00; total $1,422.00 per month.
    ft = cats.resolve("azure-openai/o4-mini").fine_tuning
    total = 20e6 * ft["input"].value / 1e6 + 40e6 * ft["output"].value / 1e6 + ft["hosting_per_hour"].value * 24 * 30
    assert total == pytest.approx(1422.00, abs=1e-9)


def test_azure_reinforcement_fine_tuning_is_billed_per_hour_with_a_cap(cats):
    ft = cats.resolve("azure-openai/o4-mini").fine_tuning
    # Same page: $100 per hour of core training time; 4 hours = $400; capped at $5,000 per job.
    assert 4 * ft["training_per_hour"].value == 400
    assert ft["max_job_fee"].value == 5000
    assert "training" not in ft  # not billed per token


def test_openai_training_prices_reproduce_openais_worked_example(cats):
    # OpenAI fine-tuning guide: 100,000 tokens x 3 epochs: ~$0.90 on gpt-4o-mini, ~$2.40 on gpt-3.5-turbo.
    for ref, expected in (("openai/gpt-4o-mini", 0.90), ("openai/gpt-3.5-turbo", 2.40)):
        training = cats.resolve(ref).fine_tuning["training"].value
        assert 100_000 * 3 * training / 1e6 == pytest.approx(expected)


def test_openai_no_hosting_fee_is_marked_unverified(cats):
    for m in cats.all_models():
        if m.provider == "openai" and m.fine_tuning is not None:  # (successor models: not fine-tunable)
            assert m.fine_tuning["hosting_per_hour"].value == 0
            assert m.fine_tuning["hosting_per_hour"].confidence == "unverified"


def test_openai_last_new_job_day_is_2027_01_05(cats):
    # OpenAI deprecations page, "Update to OpenAI's self-serve fine-tuning": active customers "will no longer be able
    # to create new fine-tuning jobs on this date", Jan 6, 2027; so the last day (inclusive) is 2027-01-05
    # (price audit 2026-11-30, finding 13).
    m = cats.resolve("openai/gpt-4o-mini")
    assert m.last_new_job_day == dt.date(2027, 1, 5)
    assert m.new_jobs_until == m.last_new_job_day  # the deprecated name still reads the same date
    assert m.accepts_jobs_on(dt.date(2027, 1, 5)) and not m.accepts_jobs_on(dt.date(2027, 1, 6))


def test_mistral_minimum_job_fee_and_storage(cats):
    # docs.mistral.ai/capabilities/finetuning: $4 minimum per job, $2 per month per fine-tuned model.
    models = [m for m in cats.all_models() if m.provider == "mistral"]
    assert models
    for m in models:
        assert m.fine_tuning["min_job_fee"].value == 4
        assert m.fine_tuning["storage_per_month"].value == 2
        assert "training" not in m.fine_tuning  # only rough unverified figures exist: left out
        assert "deprecated" in m.ft_notice


def test_bedrock_custom_models_use_provisioned_throughput(cats):
    for ref, training in (("bedrock/llama-3.1-8b-instruct", 1.49), ("bedrock/llama-3.1-70b-instruct", 7.99)):
        m = cats.resolve(ref)
        ft = m.fine_tuning
        assert m.model_units == 1 and m.commitment_months == 0
        assert "model_unit_per_hour" not in ft  # no MU-hour price was read: left out
        assert "input" not in ft and "output" not in ft  # inference is billed per model-unit hour
        assert ft["training"].value == training and ft["training"].confidence == "unverified"
        assert ft["storage_per_month"].value == 1.95 and ft["storage_per_month"].confidence == "unverified"
    assert cats.resolve("bedrock/meta.llama3-1-8b-instruct-v1:0").id == "llama-3.1-8b-instruct"


def test_lora_training_by_model_size(cats):
    # Together LoRA SFT: <=16B $0.48, 70-100B $2.90; Fireworks SFT: <=16B $0.50, 16.1-80B $3.00, DeepSeek V3 $10.
    expected = {
        "together/llama-3.1-8b-instruct": 0.48,
        "together/llama-3.1-70b-instruct": 2.90,
        "fireworks/llama-3.1-8b-instruct": 0.50,
        "fireworks/llama-3.1-70b-instruct": 3.00,
        "fireworks/deepseek-v3": 10.00,
    }
    for ref, price in expected.items():
        assert cats.resolve(ref).fine_tuning["training"].value == price, ref
    # Together bills a fine-tuned model's dedicated endpoint by the minute (docs.together.ai, fine-tuning
    # pricing; price audit 2026-11-30, finding 1): no per-token price, hosting = one H100 80GB at $3.99/h
    # (docs.together.ai dedicated endpoints overview).
    m = cats.resolve("together/llama-3.1-8b-instruct")
    assert m.serving == "dedicated" and "input" not in m.fine_tuning
    assert m.fine_tuning["hosting_per_hour"].value == 3.99


def test_gpu_sections_for_self_hosting(cats):
    assert cats.gpu("fireworks/h100-80gb").per_hour.value == 5.80
    assert cats.gpu("fireworks/a100-80gb").per_hour.value == 2.90
    # docs.together.ai "Dedicated endpoints" overview (primary, read 2026-11-30): 1x H100 80GB $3.99 an hour.
    assert cats.gpu("together/h100-80gb").per_hour.value == 3.99
    assert cats.gpu("A100 80GB").provider == "fireworks"


def test_vertex_tuned_models_cost_base_prices(cats):
    for m in (m for m in cats.all_models() if m.provider == "vertex-ai" and m.fine_tuning is not None):
        assert m.fine_tuning["input"].value == m.base["input"].value
        assert m.fine_tuning["output"].value == m.base["output"].value
        assert m.fine_tuning["training"].confidence in ("secondary", "unverified")
    assert cats.resolve("vertex-ai/gemini-2.5-flash").fine_tuning["training"].value == 5.00
