"""Loading scenario files: every key and default of docs/design.md, and every bad input.

A bad input must give one clear message naming the file, line and column and
the key path, with a hint (STYLE.md: ``scenario.yaml:14:5:
strategies[1].training.epochs: expected ...``).
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from ftcost.errors import FtcostError, ScenarioError
from ftcost.scenario import DAYS_PER_MONTH, load_scenario

GOOD = textwrap.dedent("""
    ftcost: 1
    name: Loading test
    start: 2027-01
    volume:
      requests_per_month: 100000
    pricing: [catalogs/testco.yaml]
    strategies:
      - name: prompt
        type: prompt
        model: testco/base-1
        request:
          prompt_tokens: 1000
          input_tokens: 200
          cached_prompt_tokens: 512
          completion_tokens: 5
      - name: tuned
        type: fine_tuned
        model: testco/tune-1
        request: {prompt_tokens: 50, input_tokens: 200, completion_tokens: 5}
        training:
          tokens: 500000
          examples: 1000
          epochs: auto
""").lstrip()


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def where(path, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in the file, as an editor shows them."""
    text = path.read_text(encoding="utf-8")
    i = text.index(needle)
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return line, col


def load_error(path) -> FtcostError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def assert_located(err: FtcostError, path, needle: str, key_path: str, *, message: str, hint: str):
    """The message reads ``file:line:col: key.path: message (hint: ...)`` on one line."""
    line, col = where(path, needle)
    text = str(err)
    assert text.startswith(f"{path}:{line}:{col}: {key_path}: "), text
    assert (err.file, err.line, err.column) == (str(path), line, col)
    assert message in err.message, text
    assert err.hint and hint in err.hint, text
    assert f"(hint: {err.hint})" in text
    assert "\n" not in text
    assert "Traceback" not in text


# --------------------------------------------------------------------------
# Keys and defaults


class TestVolume:
    def test_requests_per_month(self, write_scenario):
        sc = load_scenario(write_scenario(GOOD))
        assert sc.requests_per_month == 100_000
        assert sc.growth_per_month == 0.0  # default: no growth

    def test_requests_per_day_times_365_over_12(self, write_scenario):
        # 1,000 a day x 365 / 12 = 30,416.666... a month
        p = write_scenario(edit(GOOD, "requests_per_month: 100000", "requests_per_day: 1000"))
        sc = load_scenario(p)
        assert DAYS_PER_MONTH == 365 / 12
        assert sc.requests_per_month == pytest.approx(30_416.666666666668, rel=1e-12)

    def test_growth(self, write_scenario):
        p = write_scenario(edit(GOOD, "requests_per_month: 100000", "requests_per_month: 100000\n  growth_per_month: 0.03"))
        assert load_scenario(p).growth_per_month == 0.03

    def test_volume_override(self, write_scenario):
        # the CLI's --volume
        assert load_scenario(write_scenario(GOOD), volume=2_000_000).requests_per_month == 2_000_000


class TestTopLevel:
    def test_defaults(self, write_scenario):
        sc = load_scenario(write_scenario(GOOD))
        assert sc.name == "Loading test"
        assert sc.description == ""
        assert sc.currency == "USD"
        assert sc.horizon_months == 12  # docs/design.md: default 12
        assert sc.baseline == 0 and sc.baseline_name == "prompt"  # default: the first strategy

    def test_horizon_and_override(self, write_scenario):
        p = write_scenario(edit(GOOD, "start: 2027-01", "start: 2027-01\nhorizon_months: 36"))
        assert load_scenario(p).horizon_months == 36
        assert load_scenario(p, horizon=6).horizon_months == 6  # the CLI's --horizon

    def test_start(self, write_scenario):
        sc = load_scenario(write_scenario(GOOD))
        assert sc.start == (2027, 1)
        # month m is the calendar month start + (m - 1)
        assert [sc.month_label(m) for m in (1, 12, 13)] == ["2027-01", "2027-12", "2028-01"]

    def test_start_default_is_this_month(self, write_scenario):
        p = write_scenario(edit(GOOD, "start: 2027-01\n", ""))
        sc = load_scenario(p, today=dt.date(2026, 11, 25))
        assert sc.start == (2026, 11)

    def test_description_and_currency_case(self, write_scenario):
        p = write_scenario(edit(GOOD, "start: 2027-01", "start: 2027-01\ndescription: a test\ncurrency: usd"))
        sc = load_scenario(p)
        assert sc.description == "a test"
        assert sc.currency == "USD"

    def test_baseline_by_name(self, write_scenario):
        p = write_scenario(edit(GOOD, "start: 2027-01", "start: 2027-01\nbaseline: tuned"))
        sc = load_scenario(p)
        assert sc.baseline == 1 and sc.baseline_name == "tuned"


class TestCatalogs:
    def test_by_relative_path_from_the_scenario_not_the_cwd(self, write_scenario, tmp_path, monkeypatch):
        p = write_scenario(GOOD)
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        monkeypatch.chdir(elsewhere)
        sc = load_scenario(p)
        assert list(sc.catalogs.by_provider) == ["testco"]

    def test_by_name(self, write_scenario):
        text = edit(GOOD, "pricing: [catalogs/testco.yaml]", "pricing: [openai]")
        text = text.replace("testco/base-1", "openai/gpt-4o-mini").replace("testco/tune-1", "openai/gpt-4o-mini")
        sc = load_scenario(write_scenario(text))
        assert list(sc.catalogs.by_provider) == ["openai"]
        # aliases resolve to the dated model id
        assert sc.strategies[0].model.ref == "openai/gpt-4o-mini-2024-07-18"

    def test_single_name_as_text(self, write_scenario):
        text = edit(GOOD, "pricing: [catalogs/testco.yaml]", "pricing: catalogs/testco.yaml")
        assert list(load_scenario(write_scenario(text)).catalogs.by_provider) == ["testco"]

    def test_default_is_every_bundled_catalog(self, write_scenario):
        text = edit(GOOD, "pricing: [catalogs/testco.yaml]\n", "")
        text = text.replace("testco/base-1", "openai/gpt-4o-mini").replace("testco/tune-1", "azure-openai/gpt-4.1-nano")
        sc = load_scenario(write_scenario(text))
        assert {"openai", "azure-openai"} <= set(sc.catalogs.by_provider)

    def test_model_alias_and_bare_name(self, write_scenario):
        text = GOOD.replace("testco/base-1", "testco/base").replace("testco/tune-1", "tune")
        sc = load_scenario(write_scenario(text))
        assert [s.model.ref for s in sc.strategies] == ["testco/base-1", "testco/tune-1"]


class TestStrategies:
    def test_request_and_defaults(self, write_scenario):
        sc = load_scenario(write_scenario(GOOD))
        p, t = sc.strategies
        assert (p.prompt_tokens, p.input_tokens, p.cached_tokens, p.completion_tokens) == (1000, 200, 512, 5)
        assert (t.prompt_tokens, t.input_tokens, t.cached_tokens, t.completion_tokens) == (50, 200, 0, 5)
        assert p.batch_share == 0.0 and t.batch_share == 0.0
        assert p.fixed_monthly_cost == 0.0
        assert p.training is None
        # a prompt strategy pays the base rates, a fine-tuned one the fine_tuning block's
        assert p.price("input") == 1.00 and t.price("input") == 3.00
        assert t.price("training") == 10.00

    def test_empty_request_is_zero_tokens(self, write_scenario):
        text = edit(GOOD, "request: {prompt_tokens: 50, input_tokens: 200, completion_tokens: 5}\n    ", "")
        t = load_scenario(write_scenario(text)).strategies[1]
        assert (t.prompt_tokens, t.input_tokens, t.cached_tokens, t.completion_tokens) == (0, 0, 0, 0)

    def test_hosting_defaults(self, write_scenario):
        t = load_scenario(write_scenario(GOOD)).strategies[1]
        assert t.hours_per_month == 730  # docs/design.md: 730 h
        assert t.deployments == 1
        assert t.price("hosting_per_hour") == 1.00  # tune-1's catalog value
        assert t.price("storage_per_month") == 5.00

    def test_hosting_given(self, write_scenario):
        text = edit(
            GOOD, "      epochs: auto", "      epochs: auto\n    hosting: {per_hour: 1.70, hours_per_month: 720, deployments: 2}\n    fixed_monthly_cost: 150"
        )
        t = load_scenario(write_scenario(text)).strategies[1]
        assert (t.price("hosting_per_hour"), t.hours_per_month, t.deployments, t.fixed_monthly_cost) == (1.70, 720, 2, 150)

    def test_batch_share_and_discount(self, write_scenario):
        text = edit(GOOD, "      completion_tokens: 5\n  - name: tuned", "      completion_tokens: 5\n    batch_share: 0.25\n  - name: tuned")
        p, t = load_scenario(write_scenario(text)).strategies
        assert p.batch_share == 0.25
        assert p.price("batch_discount") == 0.5
        # tune-1's fine_tuning block has no batch price: the base model's discount is not inherited
        # (price audit 2026-11-30, finding 5: no source gives Azure fine-tuned deployments a batch discount)
        assert t.price("batch_discount") == 0.0 and "batch_discount" not in t.prices

    def test_price_overrides(self, write_scenario):
        text = edit(
            GOOD,
            "      epochs: auto",
            "      epochs: auto\n"
            "    prices: {input: 0.5, cached_input: 0.1, output: 2, training: 7, batch_discount: 0.25,\n"
            "             hosting_per_hour: 0, storage_per_month: 0}",
        )
        t = load_scenario(write_scenario(text)).strategies[1]
        got = {k: t.price(k) for k in ("input", "cached_input", "output", "training", "batch_discount", "hosting_per_hour", "storage_per_month")}
        assert got == {"input": 0.5, "cached_input": 0.1, "output": 2, "training": 7, "batch_discount": 0.25, "hosting_per_hour": 0, "storage_per_month": 0}
        assert "scenario override" in t.prices["input"].source

    def test_fine_tuned_without_training_block(self, write_scenario):
        # an already trained model: inference and hosting only
        text = edit(GOOD, "    training:\n      tokens: 500000\n      examples: 1000\n      epochs: auto\n", "")
        assert load_scenario(write_scenario(text)).strategies[1].training is None


class TestTraining:
    def test_epochs_auto_from_examples(self, write_scenario):
        # 1,000 examples: 3 x 1,000 = 3,000 is between 100 and 25,000: 3 epochs
        tr = load_scenario(write_scenario(GOOD)).strategies[1].training
        assert (tr.tokens, tr.examples, tr.epochs, tr.epochs_auto) == (500_000, 1000, 3, True)
        assert tr.retrain_every_months == 0  # default: train once
        assert tr.one_time_cost == 0.0

    def test_epochs_auto_small_dataset(self, write_scenario):
        # OpenAI cookbook: 5 examples -> min(25, 100 // 5) = 20 epochs
        text = edit(GOOD, "examples: 1000", "examples: 5")
        assert load_scenario(write_scenario(text)).strategies[1].training.epochs == 20

    def test_epochs_default_is_auto(self, write_scenario):
        text = edit(GOOD, "      epochs: auto\n", "")
        tr = load_scenario(write_scenario(text)).strategies[1].training
        assert tr.epochs == 3 and tr.epochs_auto

    def test_epochs_given(self, write_scenario):
        tr = load_scenario(write_scenario(edit(GOOD, "epochs: auto", "epochs: 4"))).strategies[1].training
        assert tr.epochs == 4 and not tr.epochs_auto

    def test_retrain_and_one_time(self, write_scenario):
        text = edit(GOOD, "      epochs: auto", "      epochs: auto\n      retrain_every_months: 6\n      one_time_cost: 3000")
        tr = load_scenario(write_scenario(text)).strategies[1].training
        assert (tr.retrain_every_months, tr.one_time_cost) == (6, 3000)

    def test_retrain_months_in_the_result(self, write_scenario):
        from ftcost.api import compare

        text = edit(GOOD, "      epochs: auto", "      epochs: auto\n      retrain_every_months: 5")
        r = compare(write_scenario(text))
        # months 1, 6, 11 of 12
        assert r.strategies[1].training_months == [1, 6, 11]
        assert r.strategies[1].training_runs == 3


# --------------------------------------------------------------------------
# Bad input: file:line:col, key path, message, hint


class TestBadInput:
    def test_typo_in_a_top_level_key(self, write_scenario):
        p = write_scenario(edit(GOOD, "start: 2027-01", "start: 2027-01\nhorizon_month: 12"))
        err = load_error(p)
        # the key sits on line 4, column 1
        assert str(err).startswith(f"{p}:4:1: horizon_month: ")
        assert_located(err, p, "horizon_month", "horizon_month", message="unknown key 'horizon_month'", hint="did you mean 'horizon_months'?")

    def test_typo_in_a_nested_key(self, write_scenario):
        p = write_scenario(edit(GOOD, "      epochs: auto", "      epoch: auto"))
        err = load_error(p)
        # strategies[1] (the second strategy), line 23, column 7: "strategies[1].training.epoch"
        assert str(err).startswith(f"{p}:23:7: strategies[1].training.epoch: ")
        assert_located(err, p, "epoch: auto", "strategies[1].training.epoch", message="unknown key 'epoch'", hint="did you mean 'epochs'?")

    def test_typo_in_a_request_key(self, write_scenario):
        p = write_scenario(edit(GOOD, "completion_tokens: 5\n  - name", "completion_token: 5\n  - name"))
        assert_located(
            load_error(p), p, "completion_token:", "strategies[0].request.completion_token", message="unknown key", hint="did you mean 'completion_tokens'?"
        )

    def test_wrong_type_text(self, write_scenario):
        p = write_scenario(edit(GOOD, "start: 2027-01", "start: 2027-01\nhorizon_months: twelve"))
        assert_located(load_error(p), p, "twelve", "horizon_months", message="expected a whole number of months", hint="digits")

    def test_wrong_type_quoted_number(self, write_scenario):
        p = write_scenario(edit(GOOD, "requests_per_month: 100000", 'requests_per_month: "100000"'))
        assert_located(load_error(p), p, '"100000"', "volume.requests_per_month", message="got the text '100000'", hint="remove the quotes")

    def test_wrong_type_epochs(self, write_scenario):
        p = write_scenario(edit(GOOD, "epochs: auto", "epochs: three"))
        err = load_error(p)
        line, col = where(p, "three")
        assert str(err).startswith(f'{p}:{line}:{col}: strategies[1].training.epochs: expected a whole number >= 1 or "auto", got')

    def test_wrong_type_mapping_for_a_list(self, write_scenario):
        p = write_scenario(edit(GOOD, "request:\n      prompt_tokens: 1000", "request: 1000\n    request_:\n      prompt_tokens: 1000"))
        with pytest.raises(ScenarioError) as info:
            load_scenario(p)
        assert info.value.line is not None and info.value.path[:2] == ("strategies", 0)

    def test_negative_volume(self, write_scenario):
        p = write_scenario(edit(GOOD, "requests_per_month: 100000", "requests_per_month: -5000"))
        assert_located(load_error(p), p, "-5000", "volume.requests_per_month", message="must be >= 0, got -5000", hint="cannot be negative")

    def test_share_above_one(self, write_scenario):
        p = write_scenario(edit(GOOD, "      completion_tokens: 5\n  - name: tuned", "      completion_tokens: 5\n    batch_share: 25\n  - name: tuned"))
        assert_located(load_error(p), p, "25\n", "strategies[0].batch_share", message="must be <= 1", hint="0.25")

    def test_cached_tokens_above_input(self, write_scenario):
        # 1,000 + 200 = 1,200 input tokens; 1,500 cached is impossible
        p = write_scenario(edit(GOOD, "cached_prompt_tokens: 512", "cached_prompt_tokens: 1500"))
        assert_located(
            load_error(p),
            p,
            "1500",
            "strategies[0].request.cached_prompt_tokens",
            message="cached_prompt_tokens (1500) is above the request's input tokens (1200",
            hint="only tokens that are sent can be cached",
        )

    def test_duplicate_strategy_name(self, write_scenario):
        p = write_scenario(edit(GOOD, "  - name: tuned", "  - name: prompt"))
        err = load_error(p)
        line, col = where(p, "prompt\n    type: fine_tuned")
        assert (err.line, err.column) == (line, col)
        assert str(err).startswith(f"{p}:{line}:{col}: strategies[1].name: ")
        assert "'prompt' is used twice (also strategies[0])" in err.message
        assert "own name" in err.hint

    def test_unknown_model(self, write_scenario):
        p = write_scenario(edit(GOOD, "testco/tune-1", "testco/tune-2"))
        err = load_error(p)
        assert_located(err, p, "testco/tune-2", "strategies[1].model", message="unknown model 'tune-2'", hint="did you mean 'tune-1'?")
        assert "known models: base-1, closing-1, rft-1, tune-1" in err.hint

    def test_unknown_model_in_a_bundled_catalog(self, write_scenario):
        text = edit(GOOD, "pricing: [catalogs/testco.yaml]", "pricing: [catalogs/testco.yaml, openai]")
        p = write_scenario(edit(text, "testco/base-1", "openai/gpt-4o-mni"))
        assert_located(load_error(p), p, "openai/gpt-4o-mni", "strategies[0].model", message="unknown model 'gpt-4o-mni'", hint="did you mean 'gpt-4o-mini'")

    def test_unknown_provider(self, write_scenario):
        p = write_scenario(edit(GOOD, "testco/base-1", "testcoo/base-1"))
        assert_located(load_error(p), p, "testcoo/base-1", "strategies[0].model", message="unknown provider 'testcoo'", hint="did you mean 'testco'?")

    def test_fine_tuned_on_a_model_without_fine_tuning_prices(self, write_scenario):
        p = write_scenario(edit(GOOD, "testco/tune-1", "testco/base-1"))
        err = load_error(p)
        line, col = where(p, "testco/base-1\n    request: {")
        assert str(err).startswith(f"{p}:{line}:{col}: strategies[1].model: testco/base-1 has no fine-tuning prices")
        assert "testco/tune-1" in err.hint and "fine-tunable models" in err.hint

    def test_fine_tuned_on_a_model_without_a_training_price(self, write_scenario):
        p = write_scenario(edit(GOOD, "testco/tune-1", "testco/rft-1"))
        # the error points at the training block's key
        assert_located(load_error(p), p, "training:\n", "strategies[1].training", message="testco/rft-1 has no training price", hint="prices: {training:")

    def test_missing_file(self, tmp_path):
        p = tmp_path / "no-such-scenario.yaml"
        err = load_error(p)
        assert err.file == str(p)
        assert str(err).startswith(f"{p}: scenario file not found")
        assert "check the path" in err.hint

    def test_missing_catalog_file(self, write_scenario):
        p = write_scenario(edit(GOOD, "catalogs/testco.yaml", "catalogs/nope.yaml"))
        with pytest.raises(FtcostError) as info:
            load_scenario(p)
        assert "nope.yaml" in str(info.value) and "not found" in str(info.value)

    def test_unknown_catalog_name(self, write_scenario):
        p = write_scenario(edit(GOOD, "pricing: [catalogs/testco.yaml]", "pricing: [opneai]"))
        assert_located(load_error(p), p, "[opneai]", "pricing", message="no pricing catalog named 'opneai'", hint="did you mean 'openai'?")

    def test_currency_mismatch(self, write_scenario):
        text = edit(GOOD, "pricing: [catalogs/testco.yaml]", "pricing: [catalogs/testco.yaml, catalogs/eurco.yaml]")
        p = write_scenario(edit(text, "testco/base-1", "eurco/euro-1"))
        assert_located(
            load_error(p), p, "eurco/euro-1", "strategies[0].model", message="eurco/euro-1 is priced in EUR but the scenario is in USD", hint="currency: EUR"
        )

    def test_unknown_strategy_type(self, write_scenario):
        p = write_scenario(edit(GOOD, "type: fine_tuned", "type: fine-tuned"))
        assert_located(load_error(p), p, "fine-tuned", "strategies[1].type", message="unknown strategy type", hint="did you mean 'fine_tuned'?")

    def test_unknown_baseline(self, write_scenario):
        p = write_scenario(edit(GOOD, "start: 2027-01", "start: 2027-01\nbaseline: tunde"))
        assert_located(load_error(p), p, "tunde", "baseline", message="baseline 'tunde' is not a strategy name", hint="did you mean 'tuned'?")

    def test_unknown_price_override(self, write_scenario):
        p = write_scenario(edit(GOOD, "      epochs: auto", "      epochs: auto\n    prices: {trainng: 5}"))
        assert_located(load_error(p), p, "trainng", "strategies[1].prices.trainng", message="unknown key", hint="did you mean 'training'?")

    def test_both_volume_keys(self, write_scenario):
        p = write_scenario(edit(GOOD, "requests_per_month: 100000", "requests_per_month: 100000\n  requests_per_day: 3000"))
        err = load_error(p)
        line, col = where(p, "requests_per_day")
        assert str(err).startswith(f"{p}:{line}:{col}: volume.requests_per_day: give requests_per_month or requests_per_day")

    def test_training_on_a_prompt_strategy(self, write_scenario):
        p = write_scenario(
            edit(GOOD, "      completion_tokens: 5\n  - name: tuned", "      completion_tokens: 5\n    training: {tokens: 1000}\n  - name: tuned")
        )
        assert_located(load_error(p), p, "training: {", "strategies[0].training", message="a prompt strategy has no training", hint="type: fine_tuned")

    def test_epochs_auto_without_examples(self, write_scenario):
        p = write_scenario(edit(GOOD, "      examples: 1000\n", ""))
        err = load_error(p)
        assert err.path == ("strategies", 1, "training") and err.line is not None
        assert "examples" in err.hint

    def test_invalid_yaml(self, write_scenario):
        p = write_scenario(edit(GOOD, "name: Loading test", "name: [Loading test"))
        err = load_error(p)
        assert err.line is not None and err.column is not None
        assert str(err).startswith(f"{p}:{err.line}:{err.column}: invalid YAML")
        assert "indentation" in err.hint

    def test_missing_version(self, write_scenario):
        p = write_scenario(edit(GOOD, "ftcost: 1\n", ""))
        err = load_error(p)
        assert "ftcost: 1" in err.message and "ftcost: 1" in err.hint

    def test_dict_source_names_the_key_path(self, sdict):
        # a scenario given as a dict (library use) still names the key path
        d = sdict({"name": "p", "type": "prompt", "model": "testco/base-1", "request": {"prompt_tokens": -1}})
        with pytest.raises(ScenarioError) as info:
            load_scenario(d)
        assert str(info.value).startswith("<scenario>: strategies[0].request.prompt_tokens: must be >= 0")
