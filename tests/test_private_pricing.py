"""Private catalogs (--pricing DIR, $FTCOST_PRICING_PATH) laid over the bundled ones.

Precedence, highest first (docs/pricing.md): a catalog a scenario names by
path, then --pricing folders (first given wins), then $FTCOST_PRICING_PATH
folders (first listed wins), then the bundled catalogs.
"""

import os
import sys
import textwrap

import pytest

from ftcost.catalogs import Catalogs
from ftcost.cli import main
from ftcost.cli.common import run_main
from ftcost.errors import CatalogError

ENV = "FTCOST_PRICING_PATH"


@pytest.fixture(autouse=True)
def no_private_catalogs(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)


def folder(tmp_path, name, files):
    d = tmp_path / name
    d.mkdir()
    for fname, text in files.items():
        (d / fname).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return d


def nano_training(price, source="Contoso EA 2026"):
    return f"""
        provider: azure-openai
        currency: USD
        as_of: 2026-11-01
        source: {source}
        models:
          gpt-4.1-nano-2025-04-14:
            fine_tuning:
              training: {price}
              hosting_per_hour: 1.50
        """


def nano(cats):
    return cats.resolve("azure-openai/gpt-4.1-nano").fine_tuning


def test_private_price_overrides_bundled_price_by_price(tmp_path):
    d = folder(tmp_path, "prices", {"azure-openai.yaml": nano_training(1.20)})
    ft = nano(Catalogs.load(["azure-openai"], extra_dirs=[d]))
    assert ft["training"].value == 1.20 and ft["training"].source == "Contoso EA 2026"
    assert ft["hosting_per_hour"].value == 1.50
    assert ft["training"].file == str(d / "azure-openai.yaml")
    # What the private catalog leaves out stays bundled, with the bundled source.
    assert ft["input"].value == 0.10 and "learn.microsoft.com" in ft["input"].source
    cats = Catalogs.load(["azure-openai"], extra_dirs=[d])
    assert cats.resolve("azure-openai/gpt-4.1-mini").fine_tuning["hosting_per_hour"].value == 1.70
    # Without the folder, bundled numbers.
    assert nano(Catalogs.load(["azure-openai"]))["training"].value == 1.50


def test_pricing_option_beats_environment_which_beats_bundled(tmp_path, monkeypatch):
    opt = folder(tmp_path, "opt", {"azure-openai.yaml": nano_training(1.10, "option")})
    env = folder(tmp_path, "env", {"azure-openai.yaml": nano_training(1.30, "env")})
    monkeypatch.setenv(ENV, str(env))
    assert nano(Catalogs.load(["azure-openai"]))["training"].source == "env"
    assert nano(Catalogs.load(["azure-openai"], extra_dirs=[opt]))["training"].source == "option"


def test_first_folder_wins_within_option_and_within_environment(tmp_path, monkeypatch):
    a = folder(tmp_path, "a", {"azure-openai.yaml": nano_training(1.10, "a")})
    b = folder(tmp_path, "b", {"azure-openai.yaml": nano_training(1.30, "b")})
    assert nano(Catalogs.load(None, extra_dirs=[a, b]))["training"].source == "a"
    assert nano(Catalogs.load(None, extra_dirs=[b, a]))["training"].source == "b"
    monkeypatch.setenv(ENV, os.pathsep.join([str(b), str(a)]))
    assert nano(Catalogs.load(None))["training"].source == "b"


def test_file_name_does_not_matter_provider_does(tmp_path):
    d = folder(tmp_path, "p", {"contoso.yaml": nano_training(1.20)})
    assert nano(Catalogs.load(["azure-openai"], extra_dirs=[d]))["training"].value == 1.20
    # The private file's stem also names it.
    assert nano(Catalogs.load(["contoso"], extra_dirs=[d]))["training"].value == 1.20


def test_private_entry_may_name_a_model_by_alias_and_add_models(tmp_path):
    d = folder(
        tmp_path,
        "p",
        {
            "azure-openai.yaml": """
        provider: azure-openai
        currency: USD
        as_of: 2026-11-01
        source: Contoso EA 2026
        models:
          gpt-4.1-nano:
            fine_tuning: {training: 1.00}
          gpt-4.1-nano-2025-04-14-contoso:
            aliases: [nano-contoso]
            encoding: o200k_base
            fine_tuning: {training: 0.90, input: 0.09, output: 0.36, hosting_per_hour: 1.20}
        """
        },
    )
    cats = Catalogs.load(["azure-openai"], extra_dirs=[d])
    assert nano(cats)["training"].value == 1.00
    assert cats.resolve("azure-openai/nano-contoso").fine_tuning["hosting_per_hour"].value == 1.20


def test_override_replace_uses_the_private_catalog_alone(tmp_path):
    d = folder(
        tmp_path,
        "p",
        {
            "azure.yaml": """
        provider: azure-openai
        currency: EUR
        override: replace
        as_of: 2026-11-01
        source: Contoso EA 2026 (EUR)
        models:
          gpt-4.1-nano-2025-04-14:
            aliases: [gpt-4.1-nano]
            fine_tuning: {training: 1.40, input: 0.09, output: 0.37, hosting_per_hour: 1.49}
        """
        },
    )
    cats = Catalogs.load(["azure-openai"], extra_dirs=[d])
    assert [m.id for m in cats.all_models()] == ["gpt-4.1-nano-2025-04-14"]
    assert cats.resolve("azure-openai/gpt-4.1-nano").currency == "EUR"


def test_merge_needs_the_same_currency(tmp_path):
    d = folder(tmp_path, "p", {"azure-openai.yaml": nano_training(1.20).replace("currency: USD", "currency: EUR")})
    with pytest.raises(CatalogError) as exc:
        Catalogs.load(["azure-openai"], extra_dirs=[d])
    assert "cannot merge EUR prices into the USD catalog" in str(exc.value)
    assert "override: replace" in exc.value.hint


def test_merged_cached_price_above_input_is_refused(tmp_path):
    d = folder(
        tmp_path,
        "p",
        {
            "azure-openai.yaml": """
        provider: azure-openai
        currency: USD
        as_of: 2026-11-01
        source: Contoso
        models:
          gpt-4.1-nano-2025-04-14:
            fine_tuning: {input: 0.02}
        """
        },
    )
    # bundled cached_input 0.025 would now be above the private input 0.02
    with pytest.raises(CatalogError, match="cached_input 0.025 is above input 0.02"):
        Catalogs.load(["azure-openai"], extra_dirs=[d])


def test_provider_only_in_a_private_folder(tmp_path):
    d = folder(
        tmp_path,
        "p",
        {
            "acme.yaml": """
        provider: acme-vllm
        currency: USD
        as_of: 2026-11-01
        source: our own GPU bill
        models:
          llama-3.1-8b-instruct:
            input: 0.05
            output: 0.05
        """
        },
    )
    assert Catalogs.load(None, extra_dirs=[d]).resolve("acme-vllm/llama-3.1-8b-instruct").base["input"].value == 0.05
    assert "acme-vllm" in Catalogs.load(["acme"], extra_dirs=[d]).by_provider


def test_catalog_named_by_path_in_a_scenario_wins_over_folders(tmp_path):
    d = folder(tmp_path, "p", {"azure-openai.yaml": nano_training(1.20, "folder")})
    (tmp_path / "mine.yaml").write_text(textwrap.dedent(nano_training(1.00, "scenario path")).lstrip())
    cats = Catalogs.load(["azure-openai", "mine.yaml"], relative_to=tmp_path, extra_dirs=[d])
    assert nano(cats)["training"].source == "scenario path"
    assert nano(cats)["input"].value == 0.10  # still laid over the bundled catalog


def test_missing_private_folder_is_a_located_error(tmp_path, monkeypatch):
    with pytest.raises(CatalogError, match="pricing folder given by --pricing not found"):
        Catalogs.load(None, extra_dirs=[tmp_path / "nope"])
    monkeypatch.setenv(ENV, str(tmp_path / "gone"))
    with pytest.raises(CatalogError, match=r"given by \$FTCOST_PRICING_PATH not found"):
        Catalogs.load(None)


def test_cli_shows_which_prices_are_private(tmp_path, monkeypatch, capsys):
    d = folder(tmp_path, "p", {"azure-openai.yaml": nano_training(1.20)})
    monkeypatch.setattr(sys, "argv", ["ftcost", "pricing", "show", "azure-openai/gpt-4.1-nano", "--pricing", str(d), "--on", "2026-11-25"])
    assert run_main(main) == 0
    out = capsys.readouterr().out
    assert "training           $1.20 / 1M training tokens" in out
    assert f"from private catalog {d / 'azure-openai.yaml'}" in out
    monkeypatch.setattr(sys, "argv", ["ftcost", "pricing", "list", "--provider", "azure-openai", "--pricing", str(tmp_path / "nope")])
    assert run_main(main) == 2
    assert "not found" in capsys.readouterr().err
