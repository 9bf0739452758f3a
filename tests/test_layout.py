"""Layout, measured: every chart and report page, for every shipped scenario and a generated sample.

No two texts overlap, no text leaves the figure or page, and your volume
(the dashed line) is inside the break-even chart's axes. The extents are
matplotlib's own (``get_window_extent`` with the figure's renderer, see
tests/layout_check.py). The generated sample covers 1 to 10 strategies,
month-1 volumes from 10^2 to 10^9 and every strategy type, with long and
short names; a fixed seed keeps it the same on every run.
"""

from __future__ import annotations

import glob
import random
from pathlib import Path

import numpy as np
import pytest
from layout_check import marker_inside, problems

from ftcost.api import compare, report_facts

pytest.importorskip("matplotlib")
REPO = Path(__file__).resolve().parents[1]
TESTCO = str(Path(__file__).parent / "fixtures" / "testco.yaml")
SHIPPED = sorted(glob.glob(str(REPO / "scenarios" / "*.yaml")))
WORDS = ["few-shot", "prompt", "batch", "tuned", "LoRA", "Llama 8B", "nano", "self-hosted", "nightly", "cached", "Azure", "review classifier", "v2"]


def _strategy(rng: random.Random, k: int) -> dict:
    kind = ("prompt", "fine_tuned", "self_hosted")[k % 3]
    name = " ".join(rng.choice(WORDS) for _ in range(rng.choice((1, 2, 4, 7)))) + f" {k}"
    request = {"prompt_tokens": rng.choice((30, 400, 2500)), "input_tokens": rng.choice((0, 150)), "completion_tokens": rng.choice((4, 60))}
    s = {"name": name, "type": kind, "request": request}
    if kind == "prompt":
        s["model"] = "testco/base-1"
        s["batch_share"] = rng.choice((0.0, 0.5, 1.0))
    elif kind == "fine_tuned":
        s["model"] = "testco/tune-1"
        s["training"] = {"tokens": rng.choice((1e5, 2e6)), "epochs": 3, "retrain_every_months": rng.choice((0, 3, 6)) or None}
        s["training"] = {k: v for k, v in s["training"].items() if v is not None}
        s["hosting"] = {"hours_per_month": rng.choice((0, 730))}
    else:
        s["serving"] = {
            "gpu_per_hour": rng.choice((1.2, 2.99)),
            "requests_per_second": rng.choice((2, 50)),
            "target_utilization": 0.6,
            "min_replicas": rng.choice((1, 2)),
        }
        s["training"] = {"tokens": 1e6, "epochs": 2, "gpu_hours": 4}
    return s


def generated(n_cases: int = 12, seed: int = 14) -> list[dict]:
    rng = random.Random(seed)
    cases = []
    counts = [1, 10, 5, 2, 3, 7, 4, 9, 6, 8, 2, 5][:n_cases]
    for c, n in enumerate(counts):
        exp = 2 + (c * 7) % 8  # 10^2 .. 10^9
        cases.append(
            {
                "ftcost": 1,
                "name": f"generated case {c}: {n} strategies at 10^{exp}" + (" with a long title" * (c % 3)),
                "start": "2027-01",
                "pricing": [TESTCO],
                "horizon_months": rng.choice((3, 12, 24, 36, 60)),
                "volume": {"requests_per_month": float(10**exp) * rng.choice((1, 3)), "growth_per_month": rng.choice((0.0, 0.03, 0.1))},
                "strategies": [_strategy(rng, k) for k in range(n)],
            }
        )
    return cases


def _check(result, charts: bool) -> list[str]:
    from ftcost.render import plot, report

    found = []
    if charts:
        for kind in plot.KINDS:
            fig = plot.figure(result, kind)
            found += problems(fig, f"{kind} chart")
            if kind == "breakeven":
                assert marker_inside(fig, "current-volume"), "your volume is outside the break-even chart"
    pages, figs = report.report_pages(report_facts(result))
    assert marker_inside(figs["breakeven"], "current-volume"), "your volume is outside the report's break-even chart"
    for n, page in enumerate(pages, 1):
        found += problems(page, f"report page {n}")
    return found


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: Path(p).stem)
def test_shipped_scenarios_lay_out_cleanly(path):
    assert _check(compare(path), charts=True) == []


@pytest.mark.parametrize("case", generated(), ids=lambda c: c["name"].split(":")[0].replace(" ", "-"))
def test_generated_scenarios_lay_out_cleanly(case, tmp_path):
    import yaml

    p = tmp_path / "case.yaml"
    p.write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    result = compare(p)
    assert _check(result, charts=len(case["strategies"]) in (1, 5, 10)) == []


SPANISH = ["spanish-reviews", "review-stars-uncertain", "support-azure", "self-hosted-llama"]


@pytest.mark.parametrize("name", SPANISH)
def test_spanish_charts_and_pages_lay_out_cleanly(name):
    """Spanish words are longer ("Volumen de equilibrio", "sept 2027", "1,2k €"): the same checks in Spanish,
    on the shipped 5-strategy scenario, the simulation page, a plan that stops, and self-hosted GPUs."""
    from ftcost import i18n

    with i18n.use("es"):
        assert _check(compare(REPO / "scenarios" / f"{name}.yaml"), charts=True) == []


@pytest.mark.parametrize("case", [c for c in generated() if len(c["strategies"]) in (10, 7)], ids=lambda c: c["name"].split(":")[0].replace(" ", "-"))
def test_spanish_generated_scenarios_lay_out_cleanly(case, tmp_path):
    import yaml

    from ftcost import i18n

    p = tmp_path / "case.yaml"
    p.write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    with i18n.use("es"):
        assert _check(compare(p), charts=True) == []


def test_schedule_columns_line_up_with_their_rows():
    """The monthly schedule draws a column of one-line cells as one text: its lines sit one row apart."""
    from matplotlib.text import Text

    from ftcost.render import report

    r = compare(REPO / "scenarios" / "review-stars.yaml")
    pages, _ = report.report_pages(report_facts(r))
    blocks = [t for p in pages for t in p.findobj(Text) if t.get_text().count("\n") >= 10]
    assert blocks, "no column drawn as one text"
    for t in blocks[:6]:
        fig = t.get_figure()
        renderer = fig.canvas.get_renderer()
        _bbox, lines, _ = t._get_layout(renderer)
        ys = [xy[1] for _line, _wad, xy in lines]
        steps = np.diff(ys)
        # One row: 8 pt x 1.3 line height + 2 x 0.04 in padding, in pixels.
        row_px = (8 / 72 * 1.3 + 0.08) * fig.dpi
        np.testing.assert_allclose(-steps, row_px, rtol=1e-6)
