"""The what-if page in a real browser: Debian's chromium driven by playwright (nothing downloaded).

Every control is moved the way a person moves it (keyboard on the slider,
typing in the volume box) and the page's displayed totals, break-even,
payback and recommendation are compared with ``ftcost compare`` run with the
same value (``--volume``, or a copy of the scenario with the key changed).

Grid points are equal to the cent (the strings are the same). Between grid
volumes an API strategy is still exact (its cost is linear in volume and
the page computes P + V Q from engine arrays); a self-hosted strategy is
interpolated between grid volumes: stated tolerance 3% of its total.

Skipped with a message when /usr/bin/chromium or playwright is missing.
Prints (does not assert) the time to interactive.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from cli_run import run_cli

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SELF_HOSTED_RTOL = 0.03

pw = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed: browser tests skipped")
if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
    pytest.skip("chromium is not installed (apt-get install chromium): browser tests skipped", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with pw.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"), args=ARGS)
        yield b
        b.close()


def write_page(scenario: Path, out: Path, *extra) -> Path:
    code, _, err = run_cli(["report", str(scenario), "-o", str(out), *extra])
    assert code == 0, err
    return out


class Page:
    """One opened page: console errors and requests recorded."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("document.body.dataset.ready && document.body.dataset.charts", timeout=120_000)
        ready = float(self.page.evaluate("document.body.dataset.ready"))
        charts = float(self.page.evaluate("document.body.dataset.charts"))
        print(f"\n{path.name}: numbers and controls interactive {ready:.0f} ms after navigation, charts drawn {charts:.0f} ms")

    def text(self, sel: str) -> str:
        return self.page.inner_text(sel).strip()

    def shown(self, n: int) -> dict:
        return {
            "totals": [self.text(f"#total-{i}") for i in range(n)],
            "break_even": [self.text(f"#be-{i}") for i in range(n)],
            "payback": [self.text(f"#pay-{i}") for i in range(n)],
            "recommendation": self.text("#recommendation"),
        }

    def key(self, k: int, key: str) -> None:
        self.page.focus(f"#control-{k}")
        self.page.keyboard.press(key)

    def controls(self) -> list[dict]:
        return self.page.evaluate("JSON.parse(document.getElementById('ftcost-data').textContent).controls")

    def reset(self) -> None:
        self.page.click("#reset")


def compare_with(scenario: Path, tmp: Path, key: str | None, value: float | None, volume: float | None):
    """``ftcost compare`` (JSON and table) with one key set in a copy of the scenario, or --volume."""
    path = scenario
    if key is not None:
        doc = yaml.safe_load(scenario.read_text(encoding="utf-8"))
        parts = key.split(".")
        if parts == ["growth"]:
            parts = ["volume", "growth_per_month"]
        node = doc
        for p in parts[:-1]:
            node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
        node[parts[-1]] = value
        path = tmp / f"modified-{abs(hash((key, value)))}.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    extra = ["--volume", repr(volume)] if volume is not None else []
    code, out, err = run_cli(["compare", str(path), "--format", "json", *extra])
    assert code == 0, err
    # The table unwrapped (a very wide terminal), so each row and the verdict are one line to compare.
    old_columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "2000"
    try:
        code2, table, err2 = run_cli(["compare", str(path), *extra])
    finally:
        if old_columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old_columns
    assert code2 == 0, err2
    return json.loads(out), table


def expected(d: dict, table: str) -> dict:
    from ftcost.render import fmt

    b = [s["name"] for s in d["strategies"]].index(d["baseline"])
    rows = [line for line in table.splitlines() if line.startswith(("break-even", "payback month"))]
    return {
        "totals": [fmt.money(s["total_cost"], d["currency"]) for s in d["strategies"]],
        "payback": ["-" if i == b else (str(s["payback_month"]) if s["payback_month"] else "none") for i, s in enumerate(d["strategies"])],
        "table_rows": rows,
    }


def check_against_compare(page: Page, scenario: Path, tmp: Path, key, value, volume):
    d, table = compare_with(scenario, tmp, key, value, volume)
    want = expected(d, table)
    got = page.shown(len(d["strategies"]))
    assert got["totals"] == want["totals"], (key, value, volume)
    assert got["payback"] == want["payback"], (key, value, volume)
    for label in got["break_even"]:
        assert label in want["table_rows"][0], (label, want["table_rows"][0])
    # The recommendation is the same sentence as compare's verdict.
    assert got["recommendation"] in table.splitlines(), (got["recommendation"], table)
    return d


@pytest.fixture(scope="module")
def azure_page(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    out = write_page(ROOT / "scenarios" / "support-azure.yaml", tmp / "support-azure.html")
    page = Page(browser, out)
    yield page, tmp
    page.page.close()


def test_opens_offline_without_errors(azure_page):
    page, tmp = azure_page
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file://")] == []
    assert len(page.requests) == 1  # the file itself, nothing else
    assert (tmp / "support-azure.html").stat().st_size < 5_000_000


def test_starting_values_equal_compare(azure_page):
    page, tmp = azure_page
    page.reset()
    check_against_compare(page, ROOT / "scenarios" / "support-azure.yaml", tmp, None, None, None)


def test_every_control_at_both_ends_equals_compare(azure_page):
    page, tmp = azure_page
    scenario = ROOT / "scenarios" / "support-azure.yaml"
    controls = page.controls()
    kinds = {c["kind"] for c in controls}
    assert {"volume", "growth", "prompt_tokens", "completion_tokens", "hours_per_month", "deployments"} <= kinds
    for k, c in enumerate(controls):
        for key, index in (("Home", 0), ("End", len(c["values"]) - 1)):
            page.reset()
            page.key(k, key)
            v = c["values"][index]
            if c["kind"] == "volume":
                check_against_compare(page, scenario, tmp, None, None, v)
            else:
                value = int(v) if c["kind"] in ("prompt_tokens", "completion_tokens") else v
                check_against_compare(page, scenario, tmp, c["key"], value, None)
    assert page.errors == []


def test_volume_box_between_grid_points_is_exact_for_api_strategies(azure_page):
    page, tmp = azure_page
    page.reset()
    page.page.fill("#volume-box", "3333333")
    page.page.press("#volume-box", "Enter")
    check_against_compare(page, ROOT / "scenarios" / "support-azure.yaml", tmp, None, None, 3333333.0)


def test_two_controls_together(azure_page):
    page, tmp = azure_page
    page.reset()
    page.key(1, "End")  # growth: the highest step
    page.page.fill("#volume-box", "1234567")
    page.page.press("#volume-box", "Enter")
    g = page.controls()[1]["values"][-1]
    check_against_compare(page, ROOT / "scenarios" / "support-azure.yaml", tmp, "growth", g, 1234567.0)


def test_screenshot_chart_drawn_not_blank(azure_page):
    import matplotlib.image as mpimg

    page, tmp = azure_page
    page.reset()
    n = page.page.evaluate("document.querySelectorAll('#chart-breakeven .scatterlayer .trace').length")
    assert n == 4
    assert page.page.evaluate("document.querySelectorAll('#chart-cumulative .scatterlayer .trace').length") == 4
    shot = tmp / "page.png"
    page.page.screenshot(path=str(shot), full_page=True)
    img = mpimg.imread(str(shot))
    assert img.shape[0] > 1500 and img.std() > 0.05
    chart = tmp / "chart.png"
    page.page.locator("#chart-breakeven").screenshot(path=str(chart))
    c = mpimg.imread(str(chart))[..., :3]
    colors = {tuple(px) for px in (c.reshape(-1, 3) * 255).astype(int)[::7]}
    assert len(colors) > 50  # lines, labels, grid: a drawn chart, not an empty box
    # the log/linear toggle changes the axis type
    page.page.click("#scale-toggle")
    assert page.page.evaluate("document.getElementById('chart-breakeven').layout.xaxis.type") == "linear"
    page.page.click("#scale-toggle")
    assert page.page.evaluate("document.getElementById('chart-breakeven').layout.xaxis.type") == "log"


def test_self_hosted_grid_points_exact_between_within_tolerance(browser, tmp_path):
    scenario = ROOT / "scenarios" / "self-hosted-llama.yaml"
    page = Page(browser, write_page(scenario, tmp_path / "llama.html"))
    try:
        assert page.errors == []
        vols = page.controls()[0]["values"]
        j = len(vols) // 2 + 3
        page.page.evaluate(f"(() => {{ const e = document.getElementById('control-0'); e.value = {j}; e.dispatchEvent(new Event('input')); }})()")
        check_against_compare(page, scenario, tmp_path, None, None, vols[j])
        mid = (vols[j] + vols[j + 1]) / 2
        page.page.fill("#volume-box", repr(mid))
        page.page.press("#volume-box", "Enter")
        d, _ = compare_with(scenario, tmp_path, None, None, mid)
        shown = page.shown(2)["totals"]
        from ftcost.render import fmt

        assert shown[0] == fmt.money(d["strategies"][0]["total_cost"], d["currency"])  # API: exact
        got = float(shown[1].replace("$", "").replace(",", ""))
        want = d["strategies"][1]["total_cost"]
        assert got == pytest.approx(want, rel=SELF_HOSTED_RTOL)
        assert np.isfinite(got)
    finally:
        page.page.close()


def test_spanish_page_equals_spanish_compare(browser, tmp_path):
    """--lang es: the page's totals read as Babel writes them and its sentence is compare's Spanish verdict."""
    from ftcost import i18n
    from ftcost.render import lfmt

    # self-hosted-llama: its recommended plan runs the whole horizon, so the sentence is the translated verdict
    # (support-azure's models all retire within its horizon since issue 13: no plan runs all 24 months)
    scenario = ROOT / "scenarios" / "self-hosted-llama.yaml"
    page = Page(browser, write_page(scenario, tmp_path / "es.html", "--lang", "es"))
    try:
        assert page.errors == []
        assert page.page.evaluate("document.documentElement.lang") == "es"
        page.key(0, "End")
        v = page.controls()[0]["values"][-1]
        code, out, err = run_cli(["compare", str(scenario), "--format", "json", "--volume", repr(v)])
        d = json.loads(out)
        os.environ["COLUMNS"] = "2000"  # the table unwrapped: the verdict is one line
        try:
            code, table, err = run_cli(["compare", str(scenario), "--volume", repr(v), "--lang", "es"])
        finally:
            os.environ.pop("COLUMNS", None)
        with i18n.use("es"):
            want = [lfmt.money(s["total_cost"], "USD") for s in d["strategies"]]
        got = page.shown(len(d["strategies"]))
        assert got["totals"] == want and all("US$" in t and "," in t for t in got["totals"])
        assert got["recommendation"] in table.splitlines()
        assert "peticiones/mes" in got["recommendation"]
    finally:
        page.page.close()
        i18n.set_language("en")
