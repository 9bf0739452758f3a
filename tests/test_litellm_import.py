"""``ftcost pricing import litellm``: LiteLLM's price file into ftcost catalogs.

The fixture holds real rows of LiteLLM 1.110.2's model_prices_and_context_window.json
(trimmed to the keys the import reads) plus two rows made up for the error
paths (keys starting with "broken/").
"""

import datetime as dt
import gzip
import json
import os
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from ftcost.catalogs import load_catalog
from ftcost.catalogs.litellm import per_million
from ftcost.catalogs.litellm_import import import_litellm
from ftcost.errors import CatalogError, OutputError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "litellm-1.110.2-mini.json"
SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "ftcost" / "schemas" / "catalog.schema.json").read_text())
DAY = dt.date(2026, 11, 25)
SOURCE = "LiteLLM 1.110.2 litellm-1.110.2-mini.json"


@pytest.fixture
def imported(tmp_path):
    result = import_litellm(FIXTURE, tmp_path / "out", as_of=DAY)
    return result, tmp_path / "out"


def test_per_token_to_per_million_is_exact():
    # 1.5e-07 USD per token x 1,000,000 = 0.15 USD per 1M (float arithmetic gives 0.15000000000000002)
    assert per_million(1.5e-07) == 0.15
    assert per_million(7.5e-08) == 0.075
    assert per_million(1.875e-06) == 1.875
    assert per_million(0) == 0.0


def test_one_catalog_per_provider_and_each_loads(imported):
    result, out = imported
    assert sorted(p.name for p in out.iterdir()) == ["azure-openai.yaml", "bedrock.yaml", "fireworks.yaml", "mistral.yaml", "openai.yaml"]
    for p in out.iterdir():
        cat = load_catalog(p)
        assert cat.provider == p.stem and cat.currency == "USD" and cat.as_of == DAY
        data = json.loads(json.dumps(yaml.safe_load(p.read_text()), default=str))
        assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data)) == []


def test_prices_cached_batch_and_facts(imported):
    _, out = imported
    m = load_catalog(out / "openai.yaml").find("gpt-4o-mini-2024-07-18")
    # LiteLLM: 1.5e-07 / 7.5e-08 / 6e-07 per token; batches 7.5e-08 / 3e-07 = half price.
    assert {k: p.value for k, p in m.base.items()} == {"input": 0.15, "cached_input": 0.075, "output": 0.6, "batch_discount": 0.5}
    assert m.context_window == 128000
    assert m.retires_on == dt.date(2027, 1, 14)
    assert m.base["input"].source == f"https://developers.openai.com/api/docs/pricing (via {SOURCE})"
    assert m.base["input"].as_of == DAY
    assert m.encoding is None  # LiteLLM has no encodings; nothing is guessed


def test_ft_rows_become_fine_tuning_inference_prices(imported):
    _, out = imported
    cat = load_catalog(out / "openai.yaml")
    ft = cat.find("gpt-4o-mini-2024-07-18").fine_tuning
    # ft:gpt-4o-mini-2024-07-18: 3e-07 / 1.5e-07 / 1.2e-06 per token; batches exactly half.
    assert {k: p.value for k, p in ft.items()} == {"input": 0.30, "cached_input": 0.15, "output": 1.20, "batch_discount": 0.5}
    assert "training" not in ft  # LiteLLM has no training prices
    # ft:gpt-3.5-turbo has no base row in the file: a model with only a fine_tuning block.
    m = cat.find("gpt-3.5-turbo")
    assert m.base == {} and m.fine_tuning["input"].value == 3.0


def test_suspect_batch_prices_are_left_out_and_reported(imported):
    result, out = imported
    ft = load_catalog(out / "openai.yaml").find("gpt-4o-2024-08-06").fine_tuning
    # ft:gpt-4o-2024-08-06 batches: input 2.225/3.75 (40.7% off) vs output 12.5/15 (16.7% off): not one discount.
    assert "batch_discount" not in ft and ft["input"].value == 3.75
    assert any(w.startswith("ft:gpt-4o-2024-08-06: batch prices are not one discount") for w in result.warnings)


def test_provider_prefixes_aliases_and_skipped_rows(imported):
    result, out = imported
    azure = load_catalog(out / "azure-openai.yaml")
    assert azure.find("gpt-4.1-nano-2025-04-14").base["input"].value == 0.10
    # azure/gpt-luna-latest has alias_of azure/gpt-6-luna: an alias, not a second model.
    assert azure.find("gpt-luna-latest").id == "gpt-6-luna"
    fw = load_catalog(out / "fireworks.yaml")
    assert list(fw.models) == ["llama-v3p1-8b-instruct"]
    bedrock = load_catalog(out / "bedrock.yaml")
    assert bedrock.find("meta.llama3-1-8b-instruct-v1:0").base["input"].value == 0.22
    openai = load_catalog(out / "openai.yaml")
    assert openai.find("text-embedding-3-small") is None  # embeddings are not read
    assert openai.find("sample_spec") is None
    # made-up bad rows: the bad price is dropped and reported, the rest kept
    assert "input" not in openai.find("broken/negative-price").base
    assert any("broken/negative-price: input_cost_per_token is -1e-06" in w for w in result.warnings)
    assert "cached_input" not in load_catalog(out / "mistral.yaml").find("broken/cached-above-input").base
    assert any("cached input price 0.2 is above the input price 0.1" in w for w in result.warnings)


def test_gzip_input_gives_the_same_catalogs(tmp_path, imported):
    _, out = imported
    gz = tmp_path / "litellm-1.110.2-mini.json.gz"
    gz.write_bytes(gzip.compress(FIXTURE.read_bytes()))
    import_litellm(gz, tmp_path / "gz", as_of=DAY)
    a = (out / "openai.yaml").read_text()
    b = (tmp_path / "gz" / "openai.yaml").read_text()
    assert b == a.replace("litellm-1.110.2-mini.json", "litellm-1.110.2-mini.json.gz")


def test_version_comes_from_the_file_name_or_the_option(tmp_path):
    plain = tmp_path / "model_prices_and_context_window.json"
    shutil.copy(FIXTURE, plain)
    r = import_litellm(plain, tmp_path / "a", as_of=DAY, providers=["mistral"])
    assert "version is not in the file name" in r.warnings[0]
    assert load_catalog(tmp_path / "a" / "mistral.yaml").source == "LiteLLM (version unknown) model_prices_and_context_window.json"
    import_litellm(plain, tmp_path / "b", as_of=DAY, providers=["mistral"], version="1.110.2")
    assert load_catalog(tmp_path / "b" / "mistral.yaml").source == "LiteLLM 1.110.2 model_prices_and_context_window.json"


def test_provider_filter(tmp_path):
    import_litellm(FIXTURE, tmp_path, as_of=DAY, providers=["azure-openai"])
    assert [p.name for p in tmp_path.iterdir()] == ["azure-openai.yaml"]
    with pytest.raises(CatalogError) as exc:
        import_litellm(FIXTURE, tmp_path, as_of=DAY, providers=["azure"])
    assert "no LiteLLM rows for provider 'azure'" in str(exc.value) and "azure-openai" in exc.value.hint


EXISTING = """
# Hand-kept OpenAI catalog: training prices from OpenAI's pricing page.
provider: openai
currency: USD
as_of: 2026-06-01
source: https://developers.openai.com/api/docs/pricing
models:
  gpt-4o-mini-2024-07-18:
    aliases: [gpt-4o-mini]
    encoding: o200k_base
    input: 0.14
    cached_input: 0.075
    output: 0.60
    fine_tuning:
      training: 3.00
      input: 0.30
      hosting_per_hour: 0
      new_jobs_until: 2027-01-06
  my-private-model:
    input: 1.00
"""


def test_merge_into_an_existing_catalog(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "openai.yaml").write_text(textwrap.dedent(EXISTING).lstrip())
    r = import_litellm(FIXTURE, out, as_of=DAY, providers=["openai"])
    text = (out / "openai.yaml").read_text()
    assert text.startswith("# Hand-kept OpenAI catalog: training prices from OpenAI's pricing page.\n# Prices merged by 'ftcost pricing import litellm")
    cat = load_catalog(out / "openai.yaml")
    m = cat.find("gpt-4o-mini")
    # changed value: replaced, with a per-field source naming the LiteLLM file and version
    assert m.base["input"].value == 0.15
    assert m.base["input"].source == SOURCE and m.base["input"].as_of == DAY
    # equal value: kept with its own source and date
    assert m.base["output"].source == "https://developers.openai.com/api/docs/pricing" and m.base["output"].as_of == dt.date(2026, 6, 1)
    # what LiteLLM does not have stays
    assert m.fine_tuning["training"].value == 3.00 and m.encoding == "o200k_base"
    assert m.new_jobs_until == dt.date(2027, 1, 6) and m.aliases == ("gpt-4o-mini",)
    # fine-tuned prices LiteLLM adds: output and cached_input and batch_discount
    assert m.fine_tuning["output"].value == 1.20 and m.fine_tuning["output"].source == SOURCE
    assert cat.find("my-private-model").base["input"].value == 1.00
    assert cat.find("gpt-4o-2024-08-06") is not None  # new model added
    assert "openai/gpt-4o-mini-2024-07-18 input: 0.14 -> 0.15" in r.changes
    assert r.counts["openai"] == {"added": 3, "changed": 7, "models": 5}
    # added: the fixture's three other OpenAI chat rows; changed (new or different): input,
    # batch_discount, context_window, retires_on, and fine_tuning cached_input, output, batch_discount
    assert sorted(set(cat.models) - {"gpt-4o-mini-2024-07-18", "my-private-model"}) == ["broken/negative-price", "gpt-3.5-turbo", "gpt-4o-2024-08-06"]


def test_merge_keeps_published_fine_tuned_batch_prices(tmp_path):
    # The bundled openai catalog holds OpenAI's published fine-tuned batch prices for gpt-4o-mini
    # (issue 12 item 4); LiteLLM's ft:gpt-4o-mini row gives a 50% discount instead. A catalog holds one or
    # the other: importing into the bundled catalogs (docs/pricing.md's command) keeps the published prices.
    out = tmp_path / "pricing"
    shutil.copytree(Path(__file__).resolve().parent.parent / "ftcost" / "catalogs", out)
    before = load_catalog(out / "openai.yaml").find("gpt-4o-mini").fine_tuning
    r = import_litellm(FIXTURE, out, as_of=DAY, providers=["openai"])
    ft = load_catalog(out / "openai.yaml").find("gpt-4o-mini").fine_tuning
    assert "batch_discount" not in ft and ft["batch_input"].value == before["batch_input"].value and ft["batch_input"].source == before["batch_input"].source
    assert "openai/gpt-4o-mini-2024-07-18 fine_tuning: batch_discount 0.5 left out: the catalog has published batch prices" in r.warnings


def test_import_is_idempotent(tmp_path):
    import_litellm(FIXTURE, tmp_path, as_of=DAY, providers=["openai"])
    first = (tmp_path / "openai.yaml").read_text()
    r = import_litellm(FIXTURE, tmp_path, as_of=DAY, providers=["openai"])
    assert r.changes == [] and r.counts["openai"]["added"] == 0
    body = lambda t: t.split("\nprovider:", 1)[1]
    assert body((tmp_path / "openai.yaml").read_text()) == body(first)


def test_never_overwrites_the_input(tmp_path):
    # A LiteLLM file saved as <provider>.yaml in the output folder is refused, not replaced.
    out = tmp_path / "out"
    out.mkdir()
    trap = out / "mistral.yaml"
    shutil.copy(FIXTURE, trap)
    before = trap.read_bytes()
    with pytest.raises(OutputError, match="would overwrite the input"):
        import_litellm(trap, out, as_of=DAY, version="1.110.2")
    assert trap.read_bytes() == before


def test_writes_are_atomic(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "openai.yaml").write_text(textwrap.dedent(EXISTING).lstrip())
    before = (out / "openai.yaml").read_text()

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space left on device"):
        import_litellm(FIXTURE, out, as_of=DAY, providers=["openai"])
    assert (out / "openai.yaml").read_text() == before
    assert sorted(p.name for p in out.iterdir()) == ["openai.yaml"]  # no temporary file left behind


def test_nothing_is_written_when_a_merge_target_is_broken(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "openai.yaml").write_text("provider: openai\ncurrency: USD\nmodels:\n  x: {input: -1, source: s}\n")
    with pytest.raises(CatalogError, match="expected a finite number >= 0"):
        import_litellm(FIXTURE, out, as_of=DAY)
    assert sorted(p.name for p in out.iterdir()) == ["openai.yaml"]


def test_cli_end_to_end(tmp_path, cli):
    rc, out, err = cli("pricing", "import", "litellm", str(FIXTURE), "-o", str(tmp_path / "cat"), "--as-of", "2026-11-25", "--provider", "openai")
    assert rc == 0
    assert out.strip() == f"wrote {tmp_path / 'cat' / 'openai.yaml'}: 4 models (4 added, 0 values changed)"
    assert "warning: ft:gpt-4o-2024-08-06: batch prices are not one discount" in err
    rc, out, err = cli("pricing", "import", "litellm", str(FIXTURE), "-o", str(tmp_path / "dry"), "--dry-run", "--as-of", "2026-11-25")
    assert rc == 0 and "would write" in out and not (tmp_path / "dry").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"gpt-4o": {"input_cost_per_token": 1e-06,}}', "invalid JSON: Expecting property name enclosed in double quotes"),
        ("[1, 2]", "expected a JSON object mapping model names to prices"),
    ],
)
def test_bad_input_is_one_located_line_and_exit_2(tmp_path, cli, content, message):
    bad = tmp_path / "litellm-1.0.0.json"
    bad.write_text(content)
    rc, out, err = cli("pricing", "import", "litellm", str(bad), "-o", str(tmp_path / "o"))
    assert rc == 2
    assert err.startswith(f"Error: {bad}") and message in err and len(err.strip().splitlines()) == 1


def test_bad_json_error_names_line_and_column(tmp_path):
    bad = tmp_path / "litellm-1.0.0.json"
    bad.write_text('{\n  "gpt-4o": {"input_cost_per_token": 1e-06,}\n}')
    with pytest.raises(CatalogError) as exc:
        import_litellm(bad, tmp_path / "o")
    # line 2: 2 spaces + '"gpt-4o": {"input_cost_per_token": 1e-06,' is 43 characters; the '}' is column 44
    assert (exc.value.line, exc.value.column) == (2, 44)


def test_missing_and_corrupt_gzip_files(tmp_path, cli):
    rc, out, err = cli("pricing", "import", "litellm", str(tmp_path / "none.json"), "-o", str(tmp_path))
    assert rc == 2 and "LiteLLM price file not found" in err
    gz = tmp_path / "x.json.gz"
    gz.write_bytes(b"not gzip")
    rc, out, err = cli("pricing", "import", "litellm", str(gz), "-o", str(tmp_path / "o"))
    assert rc == 2 and "cannot read LiteLLM price file" in err
