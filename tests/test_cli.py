"""The command line: ``ftcost compare`` and ``ftcost validate`` on every shipped scenario.

Most tests run the real entry point's logic in-process (``run_main``, which
maps errors to exit codes) for speed; a few run ``ftcost.cli:run`` in a
subprocess, exactly as the console script does.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))
ISSUE_SCENARIOS = ("review-stars.yaml", "support-azure.yaml", "internal-tool.yaml")

# docs/design.md, "Machine-readable output": these keys, exactly (extra fields allowed)
TOP_KEYS = {"scenario", "currency", "horizon_months", "volume_requests_per_month", "baseline", "cheapest", "strategies"}
STRATEGY_KEYS = {
    "name",
    "type",
    "model",
    "cost_per_request",
    "fixed_monthly",
    "training_cost",
    "training_runs",
    "one_time_cost",
    "average_fixed_monthly",
    "monthly_cost",
    "total_cost",
    "monthly",
    "break_even_requests_per_month",
    "cheaper_above_break_even",
    "payback_month",
    "warnings",
}
NUMBERS = ("cost_per_request", "fixed_monthly", "training_cost", "one_time_cost", "average_fixed_monthly", "monthly_cost", "total_cost")

ENTRY = [sys.executable, "-c", "from ftcost.cli import run; run()"]


def test_the_issue_scenarios_are_shipped():
    names = {p.name for p in SHIPPED}
    assert set(ISSUE_SCENARIOS) <= names


# --------------------------------------------------------------------------
# compare on every shipped scenario


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_compare_table(cli, path):
    code, out, err = cli("compare", path)
    assert code == 0, err
    assert "Traceback" not in err and "Error" not in err
    data = json.loads(cli("compare", path, "--format", "json")[1])
    for s in data["strategies"]:
        # A long name may wrap over two header lines (the table fits 100 columns): every word is there.
        assert all(word in out for word in s["name"].split()), s["name"]
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "cost per request" in out and "break-even" in out
    # warnings go to stderr in text output, one line each
    for line in err.splitlines():
        assert line.startswith("warning: ")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_compare_json(cli, path):
    code, out, err = cli("compare", path, "--format", "json")
    assert code == 0, err
    data = json.loads(out)  # valid JSON, and nothing else on stdout
    assert TOP_KEYS <= set(data)
    assert isinstance(data["scenario"], str) and isinstance(data["currency"], str)
    h = data["horizon_months"]
    assert isinstance(h, int) and h >= 1
    assert isinstance(data["volume_requests_per_month"], float)
    names = [s["name"] for s in data["strategies"]]
    assert data["baseline"] in names and data["cheapest"] in names
    v1 = data["volume_requests_per_month"]
    for s in data["strategies"]:
        assert STRATEGY_KEYS <= set(s), STRATEGY_KEYS - set(s)
        assert s["type"] in ("prompt", "fine_tuned") or isinstance(s["type"], str)
        assert "/" in s["model"]
        for k in NUMBERS:
            assert isinstance(s[k], float) and math.isfinite(s[k]), k
        assert isinstance(s["training_runs"], int)
        assert len(s["monthly"]) == h and all(isinstance(m, float) for m in s["monthly"])
        assert isinstance(s["warnings"], list) and all(isinstance(w, str) for w in s["warnings"])
        # docs/design.md: total_cost is K(H); monthly_cost is Fbar + V_1 x cost_per_request
        assert s["total_cost"] == pytest.approx(sum(s["monthly"]), rel=1e-9)
        assert s["monthly_cost"] == pytest.approx(s["average_fixed_monthly"] + v1 * s["cost_per_request"], rel=1e-9)
        if s["name"] == data["baseline"]:
            assert s["break_even_requests_per_month"] is None
            assert s["cheaper_above_break_even"] is None
            assert s["payback_month"] is None
        else:
            be = s["break_even_requests_per_month"]
            assert be is None or (isinstance(be, float) and be >= 0)
            assert s["cheaper_above_break_even"] in (True, False, None)
            assert s["payback_month"] is None or 1 <= s["payback_month"] <= h
    # issue 13: the cheapest of the plans that can be carried out over the whole horizon
    feasible = [s for s in data["strategies"] if s["feasible"]]
    assert data["recommendation"]["feasible"] == bool(feasible)
    if feasible:
        assert data["cheapest"] == min(feasible, key=lambda s: s["total_cost"])["name"]
    else:
        longest = max(s["feasible_until"] or 0 for s in data["strategies"])
        assert data["recommendation"]["until_month"] == longest
    # JSON output sends no warnings to stderr: they are in the strategies' lists
    assert err == ""


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_compare_csv(cli, path):
    code, out, err = cli("compare", path, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    data = json.loads(cli("compare", path, "--format", "json")[1])
    assert [r["name"] for r in rows] == [s["name"] for s in data["strategies"]]
    for r, s in zip(rows, data["strategies"]):
        assert float(r["total_cost"]) == pytest.approx(s["total_cost"], rel=1e-12)
        assert r["currency"] == data["currency"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_compare_markdown(cli, path):
    code, out, err = cli("compare", path, "--format", "markdown")
    assert code == 0, err
    data = json.loads(cli("compare", path, "--format", "json")[1])
    assert out.startswith(f"## {data['scenario']}")
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) >= 3
    assert all(line.count("|") == table[0].count("|") for line in table)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_validate_ok(cli, path):
    code, out, err = cli("validate", path)
    assert code == 0, err
    assert out.startswith(f"OK: {path}")


# --------------------------------------------------------------------------
# What the issue's scenarios are meant to show (the stories in their comments)


def _json(cli, name, *args):
    code, out, err = cli("compare", REPO / "scenarios" / name, "--format", "json", *args)
    assert code == 0, err
    data = json.loads(out)
    return data, {s["name"]: s for s in data["strategies"]}


def test_review_stars_story(cli):
    data, s = _json(cli, "review-stars.yaml")
    base = s[data["baseline"]]
    assert base["type"] == "prompt" and "gpt-4o-mini" in base["model"]
    tuned = [x for x in s.values() if x["type"] == "fine_tuned"]
    assert tuned and all(x["model"].startswith("azure-openai/") for x in tuned if x["training_runs"] > 1)
    # issue 13: gpt-4o-mini retires 2027-01-14 and the prompts move to its successor, gpt-6-luna, from month 2 (2027-02)
    assert [(m["month"], m["to"]) for m in base["migrations"]] == [(2, "openai/gpt-6-luna")] and base["feasible"]
    # the Azure fine-tune dies with gpt-4.1-nano (2027-04-14); its successor has no fine-tuning offer: it stops after month 4
    nano = tuned[0]
    assert nano["feasible_until"] == 4 and not nano["feasible"] and "gpt-5.4-nano" in nano["feasibility"]
    # so a prompt is recommended, however the fine-tune's costs compare
    assert data["recommendation"]["feasible"] and s[data["cheapest"]]["type"] == "prompt"
    low, _ = _json(cli, "review-stars.yaml", "--volume", "3000000")
    assert s[low["cheapest"]]["type"] == "prompt"


def test_support_azure_story(cli):
    data, s = _json(cli, "support-azure.yaml")
    tuned = [x for x in s.values() if x["type"] == "fine_tuned"]
    assert tuned and all(x["model"].startswith("azure-openai/") for x in tuned)
    # the hosting fee matters: 1.70 USD/h x 730 h = 1,241 USD per deployment and month
    assert any(x["fixed_monthly"] >= 2 * 1241 for x in tuned)
    base = s[data["baseline"]]
    one = s["fine-tuned mini, 1 deployment"]
    two = s["fine-tuned mini, 2 deployments"]
    # the second deployment moves the break-even up and turns the mini from a saving into a loss
    assert two["break_even_requests_per_month"] > one["break_even_requests_per_month"]
    assert one["total_cost"] < base["total_cost"] < two["total_cost"]
    # issue 13: the regional gpt-4.1 entries retire 2027-04-14 with no known successor: no plan runs all 24 months
    # (start 2027-02: months 1-3), and the answer is the best plan up to then, said to be partial
    assert all(x["feasible_until"] == 3 for x in s.values())
    rec = data["recommendation"]
    assert rec["feasible"] is False and rec["until_month"] == 3 and s[data["cheapest"]]["type"] == "fine_tuned"


def test_internal_tool_story(cli):
    data, s = _json(cli, "internal-tool.yaml")
    base = s[data["baseline"]]
    assert base["type"] == "prompt" and data["cheapest"] == base["name"]
    for x in s.values():
        if x["type"] == "fine_tuned":
            # break-even far above today's volume, and no payback
            assert x["break_even_requests_per_month"] > 100 * data["volume_requests_per_month"]
            assert x["payback_month"] is None


# --------------------------------------------------------------------------
# Options and warnings


def test_volume_and_horizon_overrides(cli):
    path = REPO / "scenarios" / "internal-tool.yaml"
    code, out, err = cli("compare", path, "--format", "json", "--volume", "2500000", "--horizon", "6")
    assert code == 0, err
    data = json.loads(out)
    assert data["volume_requests_per_month"] == 2_500_000
    assert data["horizon_months"] == 6
    assert all(len(s["monthly"]) == 6 for s in data["strategies"])


OPENAI_RETRAIN = """\
ftcost: 1
name: Retraining on OpenAI
start: 2026-12
horizon_months: 3
volume: {requests_per_month: 100000}
pricing: [openai]
strategies:
  - name: prompt
    type: prompt
    model: openai/gpt-4o-mini
    request: {prompt_tokens: 1500, completion_tokens: 5}
  - name: tuned on openai
    type: fine_tuned
    model: openai/gpt-4o-mini
    request: {prompt_tokens: 50, completion_tokens: 5}
    training: {tokens: 100000, epochs: 3, retrain_every_months: 1}
"""


def test_training_after_new_jobs_until_warns(cli, tmp_path):
    # runs in 2026-12, 2027-01 and 2027-02; OpenAI takes no new jobs after 2027-01-06 (catalog new_jobs_until),
    # so the 2027-02 run is flagged; the warning names the strategy, the month and the catalog's notice
    p = tmp_path / "retrain.yaml"
    p.write_text(OPENAI_RETRAIN)
    code, out, err = cli("compare", p, "--format", "json")
    assert code == 0 and err == ""
    s = {x["name"]: x for x in json.loads(out)["strategies"]}
    assert s["tuned on openai"]["training_runs"] == 3
    text = " ".join(s["tuned on openai"]["warnings"])
    assert "tuned on openai" in text and "2027-02" in text and "2027-01-06" in text
    assert "winding down" in text  # the catalog's notice
    code, out, err = cli("compare", p)
    assert code == 0
    assert any(line.startswith("warning: ") and "tuned on openai" in line and "2027-01-06" in line for line in err.splitlines())


# --------------------------------------------------------------------------
# Bad input: exit code 2, one clear message, no traceback

BAD = """\
ftcost: 1
name: Bad
start: 2027-01
volume: {requests_per_month: 1000}
pricing: [openai]
strategies:
  - name: prompt
    type: prompt
    model: openai/gpt-4o-mini
    request: {prompt_tokens: 100}
"""


@pytest.mark.parametrize(
    "old, new, expect",
    [
        (
            "name: Bad",
            "name: Bad\nhorizon_month: 12",
            ":3:1: horizon_month: unknown key 'horizon_month' in the scenario (hint: did you mean 'horizon_months'?)",
        ),
        ("requests_per_month: 1000", "requests_per_month: -1", ":4:30: volume.requests_per_month: must be >= 0, got -1 (hint:"),
        ("requests_per_month: 1000", "requests_per_month: lots", ":4:30: volume.requests_per_month: expected a number, got text 'lots' (hint:"),
        ("{prompt_tokens: 100}", "{prompt_tokens: 100, cached_prompt_tokens: 200}", ":10:57: strategies[0].request.cached_prompt_tokens: "),
        (
            "openai/gpt-4o-mini",
            "openai/gpt-4o-mimi",
            ":9:12: strategies[0].model: unknown model 'gpt-4o-mimi' in the openai catalog (hint: did you mean 'gpt-4o-mini'?",
        ),
    ],
)
def test_bad_input_exit_2(cli, tmp_path, old, new, expect):
    p = tmp_path / "bad.yaml"
    p.write_text(BAD.replace(old, new))
    for command in ("compare", "validate"):
        code, out, err = cli(command, p)
        assert code == 2, err
        assert out == ""
        assert "Traceback" not in err
        assert err.startswith(f"Error: {p}:")
        assert len(err.strip().splitlines()) == 1
        assert "(hint: " in err
        if expect:
            assert expect in err, err


def test_duplicate_strategy_name_exit_2(cli, tmp_path):
    p = tmp_path / "dup.yaml"
    p.write_text(BAD + "  - name: prompt\n    type: prompt\n    model: openai/gpt-4o-mini\n")
    code, out, err = cli("compare", p)
    assert code == 2
    assert f"Error: {p}:11:11: strategies[1].name: strategy name 'prompt' is used twice" in err
    assert "(hint: give each strategy its own name)" in err


def test_fine_tuned_without_fine_tuning_prices_exit_2(cli, tmp_path):
    cat = Path(__file__).parent / "fixtures" / "testco.yaml"
    p = tmp_path / "noft.yaml"
    p.write_text(BAD.replace("[openai]", f"[{cat}]").replace("openai/gpt-4o-mini", "testco/base-1").replace("type: prompt", "type: fine_tuned"))
    code, out, err = cli("compare", p)
    assert code == 2 and "Traceback" not in err
    assert f"{p}:9:12: strategies[0].model: testco/base-1 has no fine-tuning prices" in err
    assert "fine-tunable models: " in err


def test_missing_file_exit_2(cli, tmp_path):
    p = tmp_path / "nope.yaml"
    code, out, err = cli("compare", p)
    assert code == 2
    assert err.startswith(f"Error: {p}: scenario file not found (hint: ")
    assert "Traceback" not in err


# --------------------------------------------------------------------------
# The real console-script entry point, in a subprocess


def test_entry_point_compare_json():
    path = REPO / "scenarios" / "review-stars.yaml"
    proc = subprocess.run(ENTRY + ["compare", str(path), "--format", "json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["scenario"]


def test_entry_point_bad_input(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(BAD.replace("name: Bad", "name: Bad\nhorizon_month: 12"))
    proc = subprocess.run(ENTRY + ["compare", str(p)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert f"{p}:3:1: horizon_month:" in proc.stderr and "did you mean 'horizon_months'?" in proc.stderr


@pytest.mark.skipif(shutil.which("ftcost") is None, reason="the ftcost console script is not installed")
def test_installed_console_script():
    proc = subprocess.run(["ftcost", "validate", str(REPO / "scenarios" / "internal-tool.yaml")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("OK: ")


def test_compare_help_has_an_example(cli):
    code, out, err = cli("compare", "--help")
    assert code == 0
    assert "ftcost compare scenarios/" in out
