"""ftcost calibrate: request logs -> volume, growth and tokens -> scenario (issue 17).

The fixtures are written by tests/fixtures/logs/make_fixtures.py; the expected
numbers are worked out by hand below from how that script builds them.
"""

from __future__ import annotations

import calendar
import gzip
import json
import math
import shutil
from pathlib import Path

import pytest
import yaml

LOGS = Path(__file__).parent / "fixtures" / "logs"
ROOT = Path(__file__).resolve().parents[1]


def load(path):
    return yaml.safe_load(Path(path).read_text())


def test_litellm_spend_logs_by_hand(cli, tmp_path):
    # make_fixtures.litellm_rows: months 2026-01..04 hold 10, 20, 40, 80 requests, spread over each whole
    # month. ln V is exactly linear with slope ln 2, so growth = e^(ln 2) - 1 = 1.0 and the fit for
    # 2026-05 is 10 x 2^4 = 160. Half the rows 1000 in / 10 out, half 1200 / 30: means 1100 and 20.
    out = tmp_path / "s.yaml"
    rc, stdout, err = cli("calibrate", LOGS / "litellm_spend_logs.csv", "-o", out)
    assert rc == 0, err
    sc = load(out)
    assert sc["start"] == "2026-05"
    assert sc["volume"]["requests_per_month"] == 160
    assert sc["volume"]["growth_per_month"] == 1.0
    req = sc["strategies"][0]["request"]
    assert (req["prompt_tokens"], req["input_tokens"], req["cached_prompt_tokens"], req["completion_tokens"]) == (1100, 0, 0, 20)
    assert sc["strategies"][0]["model"] == "openai/gpt-4o-mini-2024-07-18"  # "gpt-4o-mini" resolved in the catalog
    assert "p50 1,100" in out.read_text() and "p95 1,200" in out.read_text()  # per-request percentiles, as comments
    assert "Wrote" in stdout and "150" in stdout
    rc, _, err = cli("compare", out)
    assert rc == 0, err


def test_since_keeps_later_months(cli, tmp_path):
    # From 2026-03 on: 40 and 80 requests; growth still 1.0, fit for 2026-05 = 160.
    rc, out, err = cli("calibrate", LOGS / "litellm_spend_logs.csv", "--since", "2026-03", "--format", "json")
    assert rc == 0, err
    data = json.loads(out)
    assert [m["month"] for m in data["months"]] == ["2026-03", "2026-04"]
    assert data["fit"]["requests_per_month"] == pytest.approx(160)
    assert data["fit"]["growth_per_month"] == pytest.approx(1.0)


def _openai_expected():
    """Monthly sums straight from the fixture (json module, not DuckDB), and the log-linear fit by numpy."""
    import numpy as np

    months: dict[str, list[float]] = {}
    import datetime as dt

    for line in (LOGS / "openai_usage.jsonl").read_text().splitlines():
        r = json.loads(line)
        key = dt.datetime.fromtimestamp(r["start_time"], dt.timezone.utc).strftime("%Y-%m")
        m = months.setdefault(key, [0, 0, 0, 0])
        for i, k in enumerate(("num_model_requests", "input_tokens", "input_cached_tokens", "output_tokens")):
            m[i] += r[k]
    keys = sorted(months)
    v = np.array([months[k][0] for k in keys])
    b, a = np.polyfit(np.arange(len(v)), np.log(v), 1)
    total = [sum(months[k][i] for k in keys) for i in range(4)]
    return keys, v, math.expm1(b), math.exp(a + b * len(v)), total


def test_openai_usage_export_matches_an_independent_computation(cli, tmp_path):
    _keys, v, growth, proj, total = _openai_expected()
    out = tmp_path / "s.yaml"
    rc, stdout, err = cli("calibrate", LOGS / "openai_usage.jsonl", "-o", out, "--format", "json")
    assert rc == 0, err
    data = json.loads(stdout)
    assert data["format"] == "openai" and data["per_request_percentiles"] is False
    assert [m["requests"] for m in data["months"]] == pytest.approx(list(v))
    assert data["fit"]["growth_per_month"] == pytest.approx(growth, rel=1e-9)
    assert data["fit"]["requests_per_month"] == pytest.approx(proj, rel=1e-9)
    assert data["request"]["mean_input_tokens"] == pytest.approx(total[1] / total[0])  # 1500
    assert data["request"]["mean_cached_tokens"] == pytest.approx(1024)
    assert data["request"]["mean_output_tokens"] == pytest.approx(total[3] / total[0])
    sc = load(out)
    # The daily wobble leaves a residual: volume is a lognormal around the fit, growth a normal.
    vol = sc["volume"]
    assert vol["requests_per_month"]["dist"] == "lognormal"
    assert vol["requests_per_month"]["median"] == round(proj)
    assert vol["requests_per_month"]["p90"] > vol["requests_per_month"]["median"]
    assert vol["growth_per_month"] == {"dist": "normal", "mean": round(growth, 4), "sd": pytest.approx(vol["growth_per_month"]["sd"])}
    assert vol["growth_per_month"]["sd"] > 0
    # Output tokens per request are 5 + k in month k: the monthly means vary, so a normal.
    assert sc["strategies"][0]["request"]["completion_tokens"]["dist"] == "normal"
    rc, _, err = cli("simulate", out, "-n", "2000")
    assert rc == 0, err


def test_helicone_gzip_export(cli):
    # 30 requests in each of 2026-01..03; 800 prompt tokens of which 512 cached, 50 completion tokens.
    rc, out, err = cli("calibrate", LOGS / "helicone_export.csv.gz", "--format", "json")
    assert rc == 0, err
    d = json.loads(out)
    assert d["format"] == "helicone"
    assert d["request"] == {"mean_input_tokens": 800, "mean_cached_tokens": 512, "mean_output_tokens": 50}
    assert d["fit"]["growth_per_month"] == pytest.approx(0, abs=1e-12)
    assert d["fit"]["requests_per_month"] == pytest.approx(30)
    assert d["models"][0]["input_p50"] == 800 and d["models"][0]["output_p95"] == 50


def test_langfuse_observations_add_cache_reads_to_input(cli):
    # usageDetails: input 300 (uncached) + input_cached_tokens 200 = 500 input tokens, 200 cached, 40 output.
    rc, out, err = cli("calibrate", LOGS / "langfuse_observations.jsonl", "--format", "json")
    assert rc == 0, err
    d = json.loads(out)
    assert d["format"] == "langfuse"
    assert d["request"] == {"mean_input_tokens": 500, "mean_cached_tokens": 200, "mean_output_tokens": 40}
    assert [m["requests"] for m in d["months"]] == [20, 20]


def test_generic_parquet_with_a_column_map(cli):
    # 10, 20, 30 requests in 2026-01..03 of 2000 in / 100 out.
    rc, out, err = cli("calibrate", LOGS / "generic.parquet", "--map", "time=ts,model=llm,input=ptok,output=ctok", "--format", "json")
    assert rc == 0, err
    d = json.loads(out)
    assert d["format"] == "generic"
    assert [m["requests"] for m in d["months"]] == [10, 20, 30]
    assert d["request"]["mean_input_tokens"] == 2000 and d["request"]["mean_output_tokens"] == 100


def test_several_files_are_one_log(cli, tmp_path):
    # The LiteLLM fixture split in two files by month gives the same numbers as the whole.
    lines = (LOGS / "litellm_spend_logs.csv").read_text().splitlines()
    head, rows = lines[0], lines[1:]
    a = [r for r in rows if ",2026-01-" in r or ",2026-02-" in r]
    b = [r for r in rows if r not in a]
    (tmp_path / "a.csv").write_text("\n".join([head] + a) + "\n")
    with gzip.open(tmp_path / "b.csv.gz", "wt") as fh:
        fh.write("\n".join([head] + b) + "\n")
    rc, out, err = cli("calibrate", tmp_path / "a.csv", tmp_path / "b.csv.gz", "--format", "json")
    assert rc == 0, err
    d = json.loads(out)
    assert [m["requests"] for m in d["months"]] == [10, 20, 40, 80]


BAD = [
    ("bad_no_columns.csv", ["columns found: when, who, what", "--map"]),
    ("bad_mixed_units.csv", ["spend", "mix units"]),
    ("bad_time.csv", ["startTime", "'yesterday afternoon'", "does not parse"]),
    ("bad_gap.csv", ["startTime", "2026-03", "missing"]),
    ("bad_truncated.csv.gz", ["GZIP", "truncated"]),
    ("bad_unknown_model.csv", ["prod-rating-deployment", "--model"]),
]


@pytest.mark.parametrize("name, words", BAD, ids=[b[0] for b in BAD])
def test_bad_logs_exit_2_and_write_nothing(cli, tmp_path, name, words):
    out = tmp_path / "s.yaml"
    rc, _stdout, err = cli("calibrate", LOGS / name, "-o", out)
    assert rc == 2
    assert str(LOGS / name) in err  # the file is named
    for w in words:
        assert w in err
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no scenario, no temp file left


def test_unknown_model_is_kept_and_priced_with_model(cli, tmp_path):
    out = tmp_path / "s.yaml"
    rc, stdout, err = cli("calibrate", LOGS / "bad_unknown_model.csv", "-o", out)
    assert rc == 2 and "prod-rating-deployment" in stdout  # the summary still shows it
    rc, stdout, err = cli("calibrate", LOGS / "bad_unknown_model.csv", "-o", out, "--model", "azure-openai/gpt-4o-mini")
    assert rc == 0, err
    assert load(out)["strategies"][0]["model"] == "azure-openai/gpt-4o-mini-2024-07-18"


def test_update_keeps_the_rest_of_an_existing_scenario(cli, tmp_path):
    target = tmp_path / "review.yaml"
    shutil.copy(ROOT / "scenarios" / "review-stars.yaml", target)
    before = target.read_text()
    rc, _, err = cli("calibrate", LOGS / "litellm_spend_logs.csv", "-o", target, "--prompt-tokens", "1000")
    assert rc == 0, err
    after = target.read_text()
    sc = load(target)
    assert sc["volume"] == {"requests_per_month": 160, "growth_per_month": 1.0}
    assert sc["strategies"][0]["request"] == {"prompt_tokens": 1000, "input_tokens": 100, "cached_prompt_tokens": 0, "completion_tokens": 20}
    # Every line outside the replaced blocks is still there, comments included.
    kept = [ln for ln in before.splitlines() if "Azure OpenAI, not OpenAI" in ln or "Retrain on fresh reviews" in ln]
    assert kept and all(ln in after.splitlines() for ln in kept)
    assert sc["strategies"][1] == load(ROOT / "scenarios" / "review-stars.yaml")["strategies"][1]
    rc, _, err = cli("compare", target)
    assert rc == 0, err


def test_candidate_needs_the_prompt_size(cli, tmp_path):
    out = tmp_path / "s.yaml"
    rc, _, err = cli("calibrate", LOGS / "litellm_spend_logs.csv", "-o", out, "--candidate", "azure-openai/gpt-4.1-nano")
    assert rc == 2 and "--prompt-tokens" in err and not out.exists()
    rc, _, err = cli("calibrate", LOGS / "litellm_spend_logs.csv", "-o", out, "--candidate", "azure-openai/gpt-4.1-nano", "--prompt-tokens", "1000")
    assert rc == 0, err
    ft = load(out)["strategies"][1]
    # 1100 measured - 1000 fixed = 100 tokens of user content; training guess 1000 x (40 + 100 + 20 + 15).
    assert ft["request"] == {"prompt_tokens": 40, "input_tokens": 100, "completion_tokens": 20}
    assert ft["training"]["tokens"] == 1000 * (40 + 100 + 20 + 15)
    rc, _, err = cli("compare", out)
    assert rc == 0, err


def test_duckdb_is_not_loaded_by_compare():
    import subprocess
    import sys

    code = "import sys; from ftcost.cli import main; import ftcost.cli.compare, ftcost.cli.calibrate; print('duckdb' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip() == "False"


def test_months_are_whole_calendar_months():
    # A check on the fixture itself: every month of the LiteLLM log runs from the 1st to the last day.
    lines = (LOGS / "litellm_spend_logs.csv").read_text().splitlines()[1:]
    days = {ln.split(",")[7][:10] for ln in lines}
    for m in (1, 2, 3, 4):
        assert f"2026-{m:02d}-01" in days and f"2026-{m:02d}-{calendar.monthrange(2026, m)[1]:02d}" in days


def test_a_bad_time_past_the_readers_sample_names_its_line(cli, tmp_path):
    # 45,000 good rows (the reader types the column as a timestamp from its first 20,480), then one bad:
    # line 1 is the header, so the bad row, 5th from the end of 45,001 lines, is line 44,997.
    lines = (LOGS / "litellm_spend_logs.csv").read_text().splitlines()
    out = [lines[0]] + lines[1:] * 300
    bad = out[-5].split(",")
    bad[7] = "not a time"
    out[-5] = ",".join(bad)
    f = tmp_path / "late.csv"
    f.write_text("\n".join(out) + "\n")
    rc, _, err = cli("calibrate", f, "-o", tmp_path / "s.yaml")
    assert rc == 2
    assert f"{f}:{len(out) - 4}: startTime: value 'not a time' is not a timestamp" in err
    assert not (tmp_path / "s.yaml").exists()
