"""Per-request percentiles of ftcost calibrate: read off counts of distinct values (issue 17, speed).

The reference is numpy's default ``np.quantile`` (linear interpolation between
the two neighbouring ranks, the definition of SQL's ``percentile_cont``) over
the same rows, computed in Python, not by DuckDB.
"""

from __future__ import annotations

import csv
import random

import numpy as np
import pytest

from ftcost.calibrate.aggregate import aggregate_files, connect
from ftcost.calibrate.sql import token_key


def _write_log(path, rows):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["startTime", "model", "prompt_tokens", "completion_tokens", "spend"])
        w.writerows(rows)


def _totals(rows):
    return {r["model"]: r for r in rows if r["is_total"]}


def test_token_key_by_hand():
    # Whole tokens below 10,000; four significant digits above: 12,344 -> 1234.4 tens -> 12,340;
    # 123,456 -> 1234.56 hundreds -> 123,500; 128,000 stays; 999.4 -> 999; 0 stays 0.
    con = connect()
    try:
        got = [con.execute(f"SELECT {token_key('x')} FROM (SELECT CAST(? AS DOUBLE) AS x)", [v]).fetchone()[0] for v in (12_344, 123_456, 128_000, 999.4, 0)]
    finally:
        con.close()
    assert got == [12_340, 123_500, 128_000, 999, 0]


def test_percentiles_are_exact_below_10000_tokens(tmp_path):
    # 3,001 requests over three months, two models; input 1..9,999 and output 1..800, drawn at random with
    # many repeats and ties, and a cost per token spread over three decades.
    rnd = random.Random(17)
    rows = []
    for i in range(3001):
        model = "gpt-4o" if i % 3 == 0 else "gpt-4o-mini"
        inp, out = rnd.choice([rnd.randint(1, 9999), 1200, 1200, 35]), rnd.randint(1, 800)
        spend = (inp + out) * 10 ** rnd.uniform(-8, -5)
        rows.append((f"2026-{1 + i % 3:02d}-{1 + i % 28:02d} 12:00:00", model, inp, out, spend))
    f = tmp_path / "log.csv"
    _write_log(f, rows)
    agg, _res = aggregate_files([str(f)], fmt="litellm", mapping={}, since=None, progress=False)
    tot = _totals(agg)
    assert set(tot) == {"gpt-4o", "gpt-4o-mini"}
    for model, r in tot.items():
        mine = [row for row in rows if row[1] == model]
        inp = np.array([row[2] for row in mine], dtype=float)
        out = np.array([row[3] for row in mine], dtype=float)
        unit = np.array([row[4] / (row[2] + row[3]) for row in mine])
        assert r["requests"] == len(mine) and r["log_rows"] == len(mine)
        for q, name in ((0.5, "p50"), (0.95, "p95")):
            assert r[f"input_{name}"] == pytest.approx(float(np.quantile(inp, q)), rel=1e-12)
            assert r[f"output_{name}"] == pytest.approx(float(np.quantile(out, q)), rel=1e-12)
            assert r[f"cached_{name}"] == 0  # LiteLLM's log has no cached column
        # The cost per token is counted in bins 0.1% wide (round(ln x * 1000)): within 0.05%.
        assert r["cost_per_token_p05"] == pytest.approx(float(np.quantile(unit, 0.05)), rel=5e-4)
        assert r["cost_per_token_p95"] == pytest.approx(float(np.quantile(unit, 0.95)), rel=5e-4)
    # Month rows carry the sums; the percentiles are per model only.
    assert all(r["input_p50"] is None for r in agg if not r["is_total"])


def test_percentiles_above_10000_tokens_are_within_half_a_per_mille(tmp_path):
    rnd = random.Random(5)
    rows = [(f"2026-01-{1 + i % 28:02d} 00:00:00", "gpt-4o-mini", rnd.randint(9_000, 400_000), rnd.randint(1, 50), "") for i in range(2000)]
    f = tmp_path / "big.csv"
    _write_log(f, rows)
    agg, _res = aggregate_files([str(f)], fmt="litellm", mapping={}, since=None, progress=False)
    r = _totals(agg)["gpt-4o-mini"]
    inp = np.array([row[2] for row in rows], dtype=float)
    for q, name in ((0.5, "p50"), (0.95, "p95")):
        want = float(np.quantile(inp, q))
        assert r[f"input_{name}"] == pytest.approx(want, rel=5e-4)
    assert r["cost_per_token_p05"] is None and r["cost"] is None  # no cost in any row


def test_a_single_request_is_its_own_percentile(tmp_path):
    f = tmp_path / "one.csv"
    _write_log(f, [("2026-01-05 00:00:00", "gpt-4o-mini", 4321, 77, 0.001)])
    agg, _res = aggregate_files([str(f)], fmt="litellm", mapping={}, since=None, progress=False)
    r = _totals(agg)["gpt-4o-mini"]
    assert (r["input_p50"], r["input_p95"], r["output_p50"], r["output_p95"]) == (4321, 4321, 77, 77)
    assert r["cost_per_token_p05"] == pytest.approx(0.001 / (4321 + 77), rel=5e-4)
