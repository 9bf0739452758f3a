"""Fuzzing the numeric tails (issue 18): distributions whose tails overflow, and --vary at the limits.

Targets (CI runs a tenth of FTCOST_FUZZ_EXAMPLES, at least 50; benchmarks/fuzz_long.py ten times more):

* ``numeric.simulate_tails``: scenarios whose volume, growth, price change, tokens and prices are
  distributions with extreme parameters (a lognormal p90 at 1e15, a normal with sd 100 on a growth
  rate, a uniform from 0 to 1e15) over horizons of 1 to 1,200 months, through ``simulate``: every
  sample stays finite and the result serialises and renders, or the scenario is refused with a
  located error;
* ``numeric.sweep_limits``: ``ftcost sweep`` with --vary values at and past the limits (0, 1e15,
  1e16, the compounding limit, denormals), in every output format: exit 0 with no ``inf``/``nan``, or
  exit 2 with one message.

numpy warnings are errors while a case runs (fuzz_support.strict_numpy).
"""

from __future__ import annotations

import csv
import io
import json
import math

import fuzz_support as fz
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftcost.limits import MAX_NUMBER, max_compound_rate

TESTCO = str(fz.FIXTURES / "testco.yaml")
N = max(50, fz.EXAMPLES // 10)

_big = st.sampled_from([0.0, 5e-324, 1e-300, 1.0, 1e6, 1e12, 1e14, 5e14, 1e15])


@st.composite
def distributions(draw, lo: float = 0.0, hi: float = MAX_NUMBER, positive: bool = False):
    """A distribution for a field whose valid range is [lo, hi]: parameters at the range's ends and beyond it."""
    kind = draw(st.sampled_from(["uniform", "triangular", "normal", "lognormal"]))
    a = draw(st.one_of(_big, st.floats(lo, hi)))
    b = draw(st.one_of(_big, st.floats(lo, hi)))
    a, b = min(a, b), max(a, b)
    a, b = max(a, lo), min(b, hi)
    if kind == "uniform":
        return {"dist": "uniform", "low": a, "high": b}
    if kind == "triangular":
        return {"dist": "triangular", "low": a, "mode": draw(st.sampled_from([a, b, (a + b) / 2])), "high": b}
    if kind == "normal":
        return {"dist": "normal", "mean": b, "sd": draw(st.sampled_from([0.0, 1e-300, 0.5, 100.0, 1e15]))}
    med = max(a, 1e-300) if positive or a > 0 else 1e-6
    p90 = draw(st.sampled_from([med * 1.0000001, med * 10, med * 1e6, MAX_NUMBER]))
    if p90 <= med:
        p90 = med * 2
    return {"dist": "lognormal", "median": med, "p90": p90}


@st.composite
def tail_scenarios(draw):
    horizon = draw(st.sampled_from([1, 2, 12, 120, 1200]))
    g_hi = min(10.0, max_compound_rate(horizon))
    growth = draw(st.one_of(st.sampled_from([0.0, -0.999, g_hi]), distributions(-0.999, g_hi)))
    pc_hi = min(1.0, max_compound_rate(horizon))
    change = draw(st.one_of(st.sampled_from([0.0, pc_hi]), distributions(-0.999, pc_hi)))

    def maybe(lo=0.0, hi=MAX_NUMBER):
        return draw(st.one_of(_big, distributions(lo, hi)))

    strategies = [
        {
            "name": "prompt",
            "type": "prompt",
            "model": "testco/base",
            "request": {"prompt_tokens": maybe()},
            "prices": {"input": maybe(), "output": 0.0, "cached_input": 0.0},
            "price_change_per_month": change,
        },
        {
            "name": "tuned",
            "type": "fine_tuned",
            "model": "testco/tune",
            "request": {"prompt_tokens": maybe()},
            "prices": {"input": maybe(), "output": 0.0, "cached_input": 0.0, "training": maybe()},
            "fixed_monthly_cost": maybe(),
            "training": {"tokens": maybe(), "epochs": 1},
        },
    ]
    if draw(st.booleans()):
        strategies.append(
            {
                "name": "gpu",
                "type": "self_hosted",
                "request": {"prompt_tokens": 100},
                "serving": {
                    "gpu_per_hour": maybe(),
                    "requests_per_second": draw(st.one_of(st.sampled_from([1e-3, 1.0, 1e6]), distributions(1e-3, 1e6, positive=True))),
                    "min_replicas": 0,
                },
            }
        )
    return {
        "ftcost": 1,
        "name": "tails",
        "start": "2027-01",
        "horizon_months": horizon,
        "pricing": [TESTCO],
        "volume": {"requests_per_month": maybe(), "growth_per_month": growth},
        "strategies": strategies,
    }


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz_numeric")


def _no_bad_cells(text: str) -> None:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert cell.strip().lower() not in ("inf", "-inf", "nan"), row


def test_fuzz_simulate_tails(workdir):
    from ftcost.analysis.simulation import simulate
    from ftcost.render.analysis import RENDERERS
    from ftcost.scenario import load_scenario

    path = workdir / "tails.yaml"

    @fz.fuzz(N)
    @given(tail_scenarios(), st.integers(0, 2**32))
    def case(doc, seed):
        path.write_text(fz.dump_yaml(doc, sort_keys=False), encoding="utf-8")

        def run():
            sc = load_scenario(path, today=fz.TODAY)
            sim = simulate(sc, n=500, seed=seed)
            d = sim.to_dict()
            json.dumps(d, allow_nan=False)
            for st_ in d["strategies"]:
                for v in st_["total_cost"].values():
                    assert math.isfinite(v) and v >= 0, st_
            for fmt, render in RENDERERS["simulate"].items():
                out = render(sim)
                text = out if isinstance(out, str) else "".join(out)
                if fmt == "csv":
                    _no_bad_cells(text)
            return None

        fz.run_case("numeric.simulate_tails", run, files={str(path): True})

    before = fz.COUNTS["numeric.simulate_tails"]
    case()
    assert fz.COUNTS["numeric.simulate_tails"] - before >= N


_paths = st.sampled_from(
    [
        "volume.requests_per_month",
        "volume.requests_per_day",
        "volume.growth_per_month",
        "strategies.0.request.prompt_tokens",
        "strategies.1.prices.input",
        "strategies.1.fixed_monthly_cost",
        "strategies.0.price_change_per_month",
        "strategies.2.serving.requests_per_second",
        "strategies.2.serving.gpu_per_hour",
    ]
)
_edge = st.sampled_from([0.0, 5e-324, 1e-300, 1.0, 0.2, 0.2117, 0.5, 10.0, 1e14, 1e15, 1e15 * (1 + 2e-16), 1e16, 1e300, -1.0, -0.5])


def test_fuzz_sweep_limits(workdir):
    base = {
        "ftcost": 1,
        "name": "limits",
        "start": "2027-01",
        "pricing": [TESTCO],
        "volume": {"requests_per_month": 1e6, "growth_per_month": 0.01},
        "strategies": [
            {
                "name": "prompt",
                "type": "prompt",
                "model": "testco/base",
                "request": {"prompt_tokens": 1000},
                "prices": {"input": 1.0, "output": 0.0, "cached_input": 0.0},
            },
            {
                "name": "tuned",
                "type": "fine_tuned",
                "model": "testco/tune",
                "request": {"prompt_tokens": 100},
                "prices": {"input": 1.0, "output": 0.0, "cached_input": 0.0, "training": 1.0},
                "fixed_monthly_cost": 1000,
                "training": {"tokens": 1e6, "epochs": 1},
            },
            {
                "name": "gpu",
                "type": "self_hosted",
                "request": {"prompt_tokens": 100},
                "serving": {"gpu_per_hour": 2.0, "requests_per_second": 10, "min_replicas": 1},
            },
        ],
    }
    path = workdir / "limits.yaml"

    @fz.fuzz(N)
    @given(
        st.sampled_from([1, 12, 1200]),
        st.lists(st.tuples(_paths, _edge, _edge, st.sampled_from(["", ":log"]), st.sampled_from([1, 2, 7])), min_size=1, max_size=2, unique_by=lambda t: t[0]),
        st.sampled_from(["table", "json", "csv", "markdown"]),
    )
    def case(horizon, varies, fmt):
        doc = dict(base, horizon_months=horizon)
        path.write_text(fz.dump_yaml(doc, sort_keys=False), encoding="utf-8")
        args = ["sweep", str(path), "--format", fmt]
        for p, a, b, log, n in varies:
            args += ["--vary", f"{p}={a!r}:{b!r}{log}:{n}"]
        fz.COUNTS["numeric.sweep_limits"] += 1
        with fz.strict_numpy(), fz.hang_guard(3 * fz.CASE_SECONDS):
            code, out, err = fz.cli(args)
        fz.check_cli(code, out, err, fmt=fmt, target="numeric.sweep_limits")
        if code == 0 and fmt != "json":
            _no_bad_cells(out if fmt == "csv" else "\n".join(",".join(line.split()) for line in out.splitlines()))
        if code == 0 and fmt == "json":
            for point in json.loads(out)["points"]:
                for s in point["strategies"]:
                    assert math.isfinite(s["total_cost"])

    before = fz.COUNTS["numeric.sweep_limits"]
    case()
    assert fz.COUNTS["numeric.sweep_limits"] - before >= N
