"""The spreadsheet's formulas against the engine on random inputs (issue 16, item 3).

The workbook's formulas are generated from the engine's definitions but
written again in spreadsheet syntax, so a test must show they agree. The
shipped scenarios (tests/test_export.py) and LibreOffice
(tests/test_xlsx_libreoffice.py) cover the common shapes; here 40 random
scenarios, a fixed seed, draw every input the Inputs sheet holds: tokens,
caching, batch share and discount, published batch prices, price trends,
error costs, hosting, storage, other fixed costs, self-hosted GPUs
(throughput, utilization, hours, minimum replicas), training with minimum
and maximum job fees and retraining, one-time costs, growth and horizons.
Each workbook is evaluated by the small evaluator of tests/test_export.py
and every total, month, straight-line break-even and payback is compared
with ``ftcost compare`` (the engine) to 1e-9.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

pytest.importorskip("openpyxl")

from test_export import Workbook, _load, _summary_rows  # noqa: E402

from ftcost.api import compare  # noqa: E402
from ftcost.render.export import write_export  # noqa: E402

TESTCO = str(Path(__file__).parent / "fixtures" / "testco.yaml")
CASES = 40


def _request(rng: random.Random) -> dict:
    prompt = rng.choice((0, 40, 600, 2500))
    req = {"prompt_tokens": prompt, "input_tokens": rng.choice((0, 90, 700)), "completion_tokens": rng.choice((0, 5, 300))}
    if prompt and rng.random() < 0.4:
        req["cached_prompt_tokens"] = rng.randint(0, prompt)
    return req


def _strategy(rng: random.Random, k: int) -> dict:
    kind = rng.choice(("prompt", "fine_tuned", "self_hosted"))
    s: dict = {"name": f"s{k} {kind}", "type": kind, "request": _request(rng)}
    if rng.random() < 0.3:
        s["price_change_per_month"] = rng.choice((-0.03, 0.01))
    if rng.random() < 0.3:
        s["quality"] = {"error_rate": rng.choice((0.01, 0.2)), "cost_per_error": rng.choice((0.002, 0.5))}
    if rng.random() < 0.3:
        s["fixed_monthly_cost"] = rng.choice((15.0, 400.0))
    if kind == "prompt":
        s["model"] = "testco/base-1"
        s["batch_share"] = rng.choice((0.0, 0.3, 1.0))
    elif kind == "fine_tuned":
        s["model"] = "testco/tune-1"
        s["batch_share"] = rng.choice((0.0, 0.5))
        prices: dict = {}
        if rng.random() < 0.4:
            prices["min_job_fee"] = rng.choice((5.0, 500.0))
        if rng.random() < 0.4:
            prices["max_job_fee"] = rng.choice((3.0, 40.0, 2000.0))
        if s["batch_share"] and rng.random() < 0.5:
            # all published, or the input alone (the output then at the standard price less the discount)
            prices.update(batch_input=1.5, batch_output=6.0) if rng.random() < 0.6 else prices.update(batch_input=1.5, batch_discount=0.5)
        if prices:
            s["prices"] = prices
        training = {"tokens": rng.choice((2e5, 3e6)), "epochs": rng.choice((1, 3)), "one_time_cost": rng.choice((0, 750))}
        if rng.random() < 0.6:
            training["retrain_every_months"] = rng.choice((1, 4, 6))
        s["training"] = training
        s["hosting"] = {"per_hour": rng.choice((0.0, 1.7)), "hours_per_month": rng.choice((0, 300, 730)), "deployments": rng.choice((1, 2))}
    else:
        s["serving"] = {
            "gpu_per_hour": rng.choice((0.8, 2.99)),
            "gpus_per_replica": rng.choice((1, 2)),
            "requests_per_second": rng.choice((0.5, 4, 40)),
            "target_utilization": rng.choice((0.5, 0.8)),
            "min_replicas": rng.choice((0, 1, 2)),
            "hours_per_month": rng.choice((200, 730)),
        }
        s["training"] = {"tokens": 1e6, "epochs": 2, "gpu_hours": rng.choice((2, 6))}
    return s


def _scenarios() -> list[dict]:
    rng = random.Random(16)
    out = []
    for c in range(CASES):
        n = rng.randint(2, 5)
        out.append(
            {
                "ftcost": 1,
                "name": f"random workbook {c}",
                "start": "2027-01",
                "pricing": [TESTCO],
                "horizon_months": rng.choice((1, 6, 13, 24, 36)),
                "volume": {
                    "requests_per_month": rng.choice((0.0, 800.0, 45_000.0, 3e6, 9e7)),
                    "growth_per_month": rng.choice((0.0, 0.02, 0.15, -0.05)),
                },
                "strategies": [_strategy(rng, k) for k in range(n)],
                "baseline": f"s{rng.randrange(n)}",
            }
        )
    return out


@pytest.mark.parametrize("case", _scenarios(), ids=lambda d: d["name"].replace(" ", "-"))
def test_random_workbook_equals_engine(case, tmp_path):
    d = dict(case)
    names = [s["name"] for s in d["strategies"]]
    d["baseline"] = next(n for n in names if n.startswith(d["baseline"] + " "))
    r = compare(d)
    out = tmp_path / "w.xlsx"
    write_export(r, out)
    wb = _load(out)
    ev = Workbook(wb)
    rows = _summary_rows(wb)
    h = r.scenario.horizon_months
    b = r.scenario.baseline
    base_total = r.strategies[b].total_cost
    for i, s in enumerate(r.strategies):
        assert ev.value("Summary", f"D{rows[s.name]}") == pytest.approx(s.total_cost, rel=1e-9, abs=1e-9), (s.name, "total")
        for k in range(h):
            assert ev.value("Schedule", f"K{2 + i * h + k}") == pytest.approx(s.monthly[k], rel=1e-9, abs=1e-9), (s.name, k + 1)
        if i == b:
            continue
        stepped = s.type == "self_hosted" or r.strategies[b].type == "self_hosted"
        be = ev.value("Summary", f"H{rows[s.name]}")
        if not stepped:  # a staircase's break-even is a value from the export, checked by the LibreOffice test
            if s.break_even_requests_per_month is None:
                assert be == "never", s.name
            else:
                assert be == pytest.approx(s.break_even_requests_per_month, rel=1e-9, abs=1e-6), (s.name, "break-even")
        dearer = s.total_cost > base_total + 1e-9 * max(abs(base_total), 1.0)
        want = s.payback_month if s.payback_month and not dearer else "none"
        assert ev.value("Summary", f"J{rows[s.name]}") == want, (s.name, "payback")
