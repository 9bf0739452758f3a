"""``compare --format table`` fits 80 and 100 columns: wrapped cells, strategies as rows when columns overflow."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from ftcost.api import compare
from ftcost.render import layout
from ftcost.render.fmt import money
from ftcost.render.text import to_table

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted(glob.glob(str(REPO / "scenarios" / "*.yaml")))


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: Path(p).stem)
def test_every_shipped_scenario_fits(path, width):
    r = compare(path)
    out = to_table(r, width=width)
    lines = out.splitlines()
    assert max(len(x) for x in lines) <= width, max(lines, key=len)
    for s in r.strategies:
        assert money(s.total_cost, r.scenario.currency) in out
        assert money(s.average_monthly_cost, r.scenario.currency) in out
        assert all(word in out for word in s.name.split())


def test_three_strategies_across_at_100_and_wrapped_at_80():
    r = compare(REPO / "scenarios" / "review-stars.yaml")
    wide = to_table(r, width=100).splitlines()
    rule = next(k for k, x in enumerate(wide) if x.strip().startswith("---"))
    head = "\n".join(wide[rule - 2 : rule])
    assert "fine-tuned nano (Azure)" in head and "few-shot prompt" in head  # strategies across, names whole
    narrow = to_table(r, width=80)
    # At 80 columns the model ids and the break-even wrap inside their columns, strategies still across.
    be = r.strategies[1].break_even_requests_per_month
    assert "azure-openai/" in narrow and f"{be:,.0f}/mo" in narrow
    assert any(x.startswith("type ") and x.count("prompt") == 2 for x in narrow.splitlines())


def test_five_strategies_become_rows_when_columns_overflow():
    r = compare(REPO / "scenarios" / "spanish-reviews.yaml")
    out = to_table(r, width=80)
    lines = out.splitlines()
    # One block per strategy: its name on a line of its own, underlined, then its numbers.
    for s in r.strategies:
        k = lines.index(s.name)
        assert set(lines[k + 1]) == {"-"}
        assert lines[k + 2].split() == ["type", s.type]
    assert "self-hosted Llama 8B" in out and "€4,365.40 (2 replicas)" in out  # GPU cost per month shown
    # The batch variant is ahead in month 1 (batch beats caching on gpt-4o-mini) but dearer over the horizon
    # once both prompts run on the successor (caching beats batch there): it never pays back.
    assert "none: dearer over 24 months" in out


def test_a_gpu_staircase_alternating_far_away_is_one_line():
    from types import SimpleNamespace

    from ftcost.render.text import _ranges
    from ftcost.result import VolumeRange

    # 34 ranges: a prompt up to 400k, then a self-hosted fleet and a hosted fine-tune taking turns up to 1.5B.
    edges = [0, 400_000] + [95_000_000 * (1 + k * 0.45) for k in range(33)]
    names = ["prompt"] + ["fine-tune" if k % 2 == 0 else "self-hosted" for k in range(33)]
    ranges = [VolumeRange(n, float(a), float(b) if b else None) for n, a, b in zip(names, edges, edges[1:] + [None])]
    fake = SimpleNamespace(cheapest_by_volume=ranges, scenario=SimpleNamespace(requests_per_month=300_000, growth_per_month=0.08, horizon_months=24))
    lines = _ranges(fake)
    assert len(lines) <= 11, lines  # the heading, at most 8 ranges, the alternation in one line, a blank
    assert any("alternate" in x and "'fine-tune'" in x and "'self-hosted'" in x for x in lines), lines


def test_ten_long_names_fit_80_columns(sdict, tmp_path):
    import yaml

    strategies = [
        {
            "name": f"strategy number {k} with a rather long descriptive name for the table",
            "type": "prompt",
            "model": "testco/base-1",
            "request": {"prompt_tokens": 100 * (k + 1)},
        }
        for k in range(10)
    ]
    p = tmp_path / "ten.yaml"
    p.write_text(yaml.safe_dump(sdict(*strategies)), encoding="utf-8")
    out = to_table(compare(p), width=80)
    assert max(len(x) for x in out.splitlines()) <= 80
    assert "strategy number 9 with a rather long descriptive name for the table" in out


def test_wrap_never_exceeds_the_width():
    assert layout.wrap("cheaper above 8,097,916/mo", 14) == ["cheaper above", "8,097,916/mo"]
    assert layout.wrap("azure-openai/gpt-4.1-nano-2025-04-14", 16) == ["azure-openai/", "gpt-4.1-nano-", "2025-04-14"]
    for w in (1, 3, 7, 20):
        assert all(len(x) <= w for x in layout.wrap("a" * 50 + " b/c-d e", w))


def test_output_width(monkeypatch):
    class Pipe:
        def isatty(self):
            return False

    monkeypatch.delenv("COLUMNS", raising=False)
    assert layout.output_width(Pipe()) == 100  # not a terminal
    monkeypatch.setenv("COLUMNS", "72")
    assert layout.output_width(Pipe()) == 72
