"""The what-if page without a browser: self-contained, the engine's numbers, bad input refused."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pytest

import ftcost
from ftcost.analysis import whatif
from ftcost.api import load_scenario
from ftcost.model.derive import engine_inputs

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def page_json(text: str) -> dict:
    m = re.search(r'<script id="ftcost-data" type="application/json">(.*?)</script>', text, re.S)
    return json.loads(m.group(1))


def test_report_html_is_self_contained(cli, tmp_path):
    out = tmp_path / "page.html"
    t0 = time.perf_counter()
    rc, _, err = cli("report", ROOT / "scenarios" / "support-azure.yaml", "-o", out)
    print(f"\nftcost report -o page.html (4 strategies, in-process): {time.perf_counter() - t0:.2f} s")
    assert rc == 0, err
    text = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 5_000_000
    assert text.startswith("<!DOCTYPE html>")
    # no external resource of any kind: no src=, no <link>, no url(), no import
    assert not re.search(r"\ssrc\s*=", text)
    assert "<link" not in text and "url(" not in text.split('<script id="ftcost-data"')[0]
    assert "cdn" not in text.split('<script id="ftcost-data"')[0].lower()
    data = page_json(text)
    assert [c["kind"] for c in data["controls"]][:4] == ["volume", "growth", "prompt_tokens", "completion_tokens"]
    assert sum(c["kind"] == "deployments" for c in data["controls"]) == 3  # each hosted strategy
    # the prices table: every price with its source and date
    import html

    r = ftcost.compare(ROOT / "scenarios" / "support-azure.yaml")
    for s in r.strategies:
        for p in s.prices.values():
            assert html.escape(p.source, quote=True) in text
            if p.as_of:
                assert p.as_of in text


def test_format_html_default_path(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc, _, err = cli("report", ROOT / "scenarios" / "review-stars.yaml", "--format", "html")
    assert rc == 0, err
    assert (tmp_path / "reports" / "review-stars.html").is_file()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_grid_lookups_equal_the_engine(scenario):
    """The page's P + V Q (and a self-hosted strategy's K) equal engine.evaluate at random grid settings."""
    sc = load_scenario(scenario, today=__import__("datetime").date(2026, 11, 30))
    grid = whatif.build(sc)  # build() checks a few settings itself
    rng = np.random.default_rng(7)
    from ftcost import engine

    for _ in range(10):
        setting = {k: int(rng.integers(len(c.values))) for k, c in enumerate(grid.controls)}
        volume = grid.controls[0].values[setting[0]]
        values = {c.target.path: c.values[setting[k]] for k, c in enumerate(grid.controls) if c.target is not None}
        x = engine_inputs(sc, values | {("volume", "requests_per_month"): np.array([volume])}, (1,))
        want = np.cumsum(engine.evaluate(x).monthly.reshape(len(sc.strategies), -1), axis=-1)
        got = whatif.lookup(grid, setting, volume)
        assert np.allclose(got, want, rtol=1e-12, atol=1e-7)


def test_page_totals_equal_compare_to_the_cent(tmp_path):
    """At the scenario's own setting the page's cumulative totals are compare's totals to the cent."""
    r = ftcost.compare(ROOT / "scenarios" / "internal-tool.yaml")
    grid = whatif.build(r.scenario)
    setting = {k: c.start for k, c in enumerate(grid.controls)}
    got = whatif.lookup(grid, setting, r.scenario.requests_per_month)[:, -1]
    assert [round(v, 2) for v in got] == [round(s.total_cost, 2) for s in r.strategies]


def test_result_to_html_and_notebook(tmp_path):
    r = ftcost.compare(ROOT / "scenarios" / "review-stars.yaml")
    out = r.to_html(tmp_path / "r.html")
    text = Path(out).read_text(encoding="utf-8")
    assert "window.ftcostPage" in text and page_json(text)["strategies"][0]["name"] == r.strategies[0].name
    nb = r._repr_html_()
    assert nb.startswith("<table>") and "<iframe srcdoc=" in nb
    assert r.cheapest.name in nb
    with pytest.raises(ftcost.FtcostError):
        r.to_html(tmp_path / "r.txt")


def test_unwritable_or_missing_folder_exit_2_nothing_written(cli, tmp_path):
    rc, _, err = cli("report", ROOT / "scenarios" / "review-stars.yaml", "-o", tmp_path / "no" / "such" / "p.html")
    assert rc == 2 and "does not exist" in err
    assert not (tmp_path / "no").exists()


def test_output_equal_to_input_refused(cli, tmp_path):
    scenario = tmp_path / "s.html"
    original = (ROOT / "scenarios" / "review-stars.yaml").read_text(encoding="utf-8")
    scenario.write_text(original, encoding="utf-8")
    rc, _, err = cli("report", scenario, "-o", scenario)
    assert rc == 2 and "one of the inputs" in err
    assert scenario.read_text(encoding="utf-8") == original


def test_unknown_lang_exit_2(cli, tmp_path):
    out = tmp_path / "p.html"
    rc, _, err = cli("report", ROOT / "scenarios" / "review-stars.yaml", "-o", out, "--lang", "fr")
    assert rc == 2 and "--lang" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_png_with_html_refused(cli, tmp_path):
    rc, _, err = cli("report", ROOT / "scenarios" / "review-stars.yaml", "-o", tmp_path / "p.html", "--png", tmp_path)
    assert rc == 2 and "--png" in err


def test_plans_that_cannot_be_carried_out_are_named_on_the_page(tmp_path):
    # review-stars: the Azure fine-tune's base model retires on 2027-04-14 with no fine-tunable successor,
    # so the page says so under the recommendation, as compare's last paragraph does (issue 13), in either language.
    import html as html_lib

    r = ftcost.compare(ROOT / "scenarios" / "review-stars.yaml")
    sentence = r.plan_sentence()
    assert "fine-tuned nano (Azure)" in sentence
    text = Path(r.to_html(tmp_path / "r.html")).read_text(encoding="utf-8")
    m = re.search(r'<section class="card plans" id="plans">(.*?)</section>', text, re.S)
    assert m and html_lib.unescape(m.group(1)) == sentence
    from ftcost.render.html import render_page

    es = render_page(r, whatif.build(r.scenario), 0.0, lang="es")
    m = re.search(r'<section class="card plans" id="plans">(.*?)</section>', es, re.S)
    assert m and html_lib.unescape(m.group(1)).startswith("No recomendable, cueste lo que cueste: ")
