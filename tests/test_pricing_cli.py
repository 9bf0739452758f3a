"""``ftcost pricing list`` / ``show`` and ``ftcost schema``."""

import json
from pathlib import Path

import pytest

from ftcost.cli.pricing import money

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "ftcost" / "schemas" / "catalog.schema.json"


@pytest.mark.parametrize(
    "value, currency, text",
    [
        (0.15, "USD", "$0.15"),
        (0.075, "USD", "$0.075"),
        (1.875, "USD", "$1.875"),
        (25, "USD", "$25.00"),
        (1224, "USD", "$1,224.00"),
        (0.0175, "USD", "$0.0175"),
        (0, "USD", "$0.00"),
        (4.4, "EUR", "€4.40"),
        (3, "CHF", "3.00 CHF"),
    ],
)
def test_money_for_people(value, currency, text):
    assert money(value, currency) == text


def row(out, ref):
    return next(line for line in out.splitlines() if line.startswith(ref + " "))


def test_list_table_shows_prices_per_1m_and_availability(cli):
    rc, out, err = cli("pricing", "list", "--provider", "openai")
    assert rc == 0
    cells = row(out, "openai/gpt-4o-mini-2024-07-18").split()
    # input, cached, output, training, FT input, FT output, hosting (unverified 0), availability
    assert cells[1:8] == ["$0.15", "$0.075", "$0.60", "$3.00", "$0.30", "$1.20", "$0.00/h*"]
    assert "last new job 2027-01-05, retires 2027-01-14" in row(out, "openai/gpt-4o-mini-2024-07-18")
    assert "azure-openai" not in out
    assert "* = unverified" in out


def test_list_marks_unknown_and_model_unit_prices(cli):
    rc, out, err = cli("pricing", "list", "--provider", "bedrock", "--provider", "mistral")
    assert rc == 0
    assert row(out, "bedrock/llama-3.1-8b-instruct").split()[4:8] == ["$1.49*", "?", "?", "?/MU-h"]
    assert row(out, "mistral/open-mistral-nemo").split()[4] == "?"


def test_fine_tunable_filters_on_the_date(cli):
    # OpenAI accepts new jobs through 2027-01-05 (last_new_job_day, inclusive): none on 2027-01-06 (deprecations page).
    rc, out, err = cli("pricing", "list", "--fine-tunable", "--on", "2027-01-05", "--provider", "openai")
    assert rc == 0
    assert "openai/gpt-4o-mini-2024-07-18" in out
    assert "openai/gpt-4.1-nano-2025-04-14" not in out  # shut down 2026-10-23 (OpenAI deprecations page, via copies)
    rc, out, err = cli("pricing", "list", "--fine-tunable", "--on", "2027-01-06", "--provider", "openai")
    assert rc == 0 and out.strip() == "No model accepts new fine-tuning jobs on 2027-01-06."
    rc, out, err = cli("pricing", "list", "--fine-tunable", "--on", "2027-01-07")
    assert "azure-openai/gpt-4.1-nano-2025-04-14-developer" in out and "openai/" not in out.replace("azure-openai/", "")


def test_fine_tunable_defaults_to_today(cli, monkeypatch):
    import datetime as dt

    import ftcost.cli.pricing as mod

    monkeypatch.setattr(mod, "_today", lambda: dt.date(2027, 2, 1))
    rc, out, err = cli("pricing", "list", "--fine-tunable", "--provider", "openai")
    assert "on 2027-02-01" in out


def test_list_json(cli):
    rc, out, err = cli("pricing", "list", "--fine-tunable", "--on", "2026-11-25", "--format", "json")
    assert rc == 0
    data = json.loads(out)
    assert data["date"] == "2026-11-25" and data["fine_tunable_only"] is True
    refs = {m["model"]: m for m in data["models"]}
    m = refs["azure-openai/gpt-4.1-nano-2025-04-14"]
    assert m["accepts_new_jobs"] is True
    assert m["fine_tuning"]["prices"]["hosting_per_hour"] == {
        "value": 1.7,
        "source": m["fine_tuning"]["prices"]["hosting_per_hour"]["source"],
        "as_of": "2026-11-25",
    }  # read 2026-11-25 from the page dated 2026-02-11
    assert "vertex-ai/gemini-2.5-flash" not in refs  # retired 2026-10-20
    assert refs["bedrock/llama-3.1-8b-instruct"]["fine_tuning"]["model_units"] == 1


def test_list_shows_gpus_without_fine_tunable(cli):
    rc, out, err = cli("pricing", "list", "--provider", "fireworks")
    assert row(out, "fireworks/h100-80gb").split()[1:4] == ["$5.80/h", "80", "GB"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("pricing", "list", "--provider", "azure"), "no pricing catalog named 'azure'"),
        (("pricing", "list", "--on", "2027-01-01"), "--on needs --fine-tunable"),
        (("pricing", "list", "--fine-tunable", "--on", "01/07/2027"), "Invalid value for '--on'"),
        (("pricing", "show", "llama-3.1-8b-instruct"), "model 'llama-3.1-8b-instruct' is in several catalogs"),  # no rule settles it
        (("pricing", "show", "openai/gpt-4o-mimi"), "did you mean 'gpt-4o-mini'?"),
        (("schema", "nope"), "Invalid value for '{catalog"),
    ],
)
def test_bad_input_is_one_message_and_exit_2(cli, args, message):
    rc, out, err = cli(*args)
    assert rc == 2
    assert message in err
    assert "Traceback" not in err


def test_show_every_price_with_source_and_availability(cli):
    rc, out, err = cli("pricing", "show", "openai/gpt-4o-mini", "--on", "2027-02-01")
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == "openai/gpt-4o-mini-2024-07-18  (aliases: gpt-4o-mini)"
    assert "  training            $3.00 / 1M training tokens" in lines
    assert "  hosting_per_hour    $0.00 / hour per deployment" in lines
    # OpenAI pricing page, fine-tuning table, Batch tier: fine-tuned gpt-4o-mini 0.15 / 0.075 / 0.60 per 1M
    assert "  batch_output        $0.60 / 1M tokens (batch)" in lines
    assert any(ln.strip().startswith("source: unverified: OpenAI's pricing page lists only training") for ln in lines)
    assert "  batch_discount  50% off" in lines
    assert "  does not accept new training jobs on 2027-02-01" in lines
    assert "  last day for new jobs: 2027-01-05 (inclusive)" in lines
    assert "  retires on: 2027-01-14" in lines
    assert any("winding down self-serve fine-tuning" in ln for ln in lines)


def test_show_mistral_job_fee_and_unknown_prices(cli):
    rc, out, err = cli("pricing", "show", "mistral/open-mistral-nemo")
    assert "  min_job_fee        $4.00 per job (minimum)" in out
    assert "  storage_per_month  $2.00 / month per model" in out
    assert "not known: training, input, output" in out
    assert "no token encoding" in out


def test_show_json_and_gpu(cli):
    rc, out, err = cli("pricing", "show", "azure-openai/gpt-4.1-nano-developer", "--format", "json", "--on", "2026-11-25")
    data = json.loads(out)
    assert data["tier"] == "developer" and data["prices"] == {}
    assert data["fine_tuning"]["prices"]["training"]["value"] == 0.75
    assert data["fine_tuning"]["prices"]["training"]["source"].startswith("secondary:")
    rc, out, err = cli("pricing", "show", "together/h100-80gb")
    assert rc == 0 and "$3.99 / GPU-hour" in out  # docs.together.ai dedicated endpoints: 1x H100 80GB


def test_schema_command_prints_the_shipped_schema(cli):
    rc, out, err = cli("schema", "catalog")
    assert rc == 0
    assert out == SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(out)["title"] == "ftcost pricing catalog"


def test_schema_names_come_from_the_schema_folder(tmp_path, monkeypatch):
    import ftcost.cli.schema as mod

    (tmp_path / "catalog.schema.json").write_text("{}")
    (tmp_path / "scenario.schema.json").write_text("{}")
    (tmp_path / "notes.json").write_text("{}")
    monkeypatch.setattr(mod, "SCHEMA_DIR", tmp_path)
    assert mod.schema_names() == ["catalog", "scenario"]


def test_every_pricing_command_has_help_with_an_example(cli):
    for args in (("pricing",), ("pricing", "list"), ("pricing", "show"), ("pricing", "check"), ("pricing", "import", "litellm"), ("schema",)):
        rc, out, err = cli(*args, "--help")
        assert rc == 0 and "Example:" in out, args
