"""The interactive what-if page as text: one self-contained HTML file (``ftcost report -o FILE.html``).

:mod:`ftcost.html_page` builds the grid and writes the file; this module only lays it out.

The file carries everything it needs: the page's script and style, plotly.js
from the installed ``plotly`` package (gzip-compressed and base64-encoded,
unpacked by the browser's own DecompressionStream, which keeps the file near
2 MB instead of 5), and the numbers of :mod:`ftcost.analysis.whatif` (the engine over a
grid of control values). It makes no network request. Text goes through
:mod:`ftcost.i18n`, so ``--lang es`` gives the page in Spanish.
"""

from __future__ import annotations

import base64
import datetime as _dt
import gzip
import html
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .. import i18n
from ..i18n import N_, _
from . import lfmt
from .price_names import PRICE_NAMES
from .text import NONE_AT_ALL, PARTIAL

ASSETS = Path(__file__).parent / "html_assets"

CONTROL_LABELS = {
    "volume": N_("Requests in month 1"),
    "growth": N_("Growth per month"),
    "prompt_tokens": N_("Prompt tokens"),
    "completion_tokens": N_("Completion tokens"),
    "hours_per_month": N_("Hosting hours per month"),
    "deployments": N_("Deployments"),
}


@lru_cache(maxsize=1)
def plotly_bundle() -> str:
    """plotly.min.js of the installed plotly package, gzip-compressed, base64 (cached per process)."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    bundle = Path(spec.origin).parent / "package_data" / "plotly.min.js" if spec and spec.origin else None
    if bundle is not None and bundle.is_file():
        data = bundle.read_bytes()
    else:  # another layout of the package: ask plotly itself
        from plotly.offline import get_plotlyjs

        data = get_plotlyjs().encode("utf-8")
    return base64.b64encode(gzip.compress(data, 9, mtime=0)).decode("ascii")


def _b64(a) -> dict | None:
    if a is None:
        return None
    arr = np.ascontiguousarray(np.asarray(a, dtype="<f8"))
    return {"shape": list(arr.shape), "data": base64.b64encode(arr.tobytes()).decode("ascii")}


def _value_label(kind: str, v: float) -> str:
    if kind == "growth":
        return lfmt.percent(v)
    if kind == "hours_per_month":
        return _("{hours} h").format(hours=lfmt.number(v, 1 if v != round(v) else 0))
    return lfmt.count(v)


def _texts(result) -> dict:
    """Every sentence the script writes, in the current language ({name} fields filled in by the page)."""
    return {
        "baseline_cell": _("(baseline)"),
        "never": _("never"),
        "none": _("none"),
        "always_cheaper": _("always cheaper"),
        "cheaper_above": _("cheaper above {v}/mo"),
        "cheaper_below": _("cheaper below {v}/mo"),
        "keep": _("Keep '{base}': it is the cheapest over {h} months at {total}."),
        "would_pay_off": _("'{name}' would pay off above {v} requests/month (you are at {vol})."),
        "cheapest": _("'{best}' is the cheapest over {h} months: {total} against {base_total} for '{base}', saving {saving} ({share})."),
        "cheapest_noshare": _("'{best}' is the cheapest over {h} months: {total} against {base_total} for '{base}', saving {saving}."),
        "side_above": _("It is cheaper above {v} requests/month (you are at {vol})."),
        "side_below": _("It is cheaper below {v} requests/month (you are at {vol})."),
        "side_above_pay": _("It is cheaper above {v} requests/month (you are at {vol}) and pays back in month {pay}."),
        "side_below_pay": _("It is cheaper below {v} requests/month (you are at {vol}) and pays back in month {pay}."),
        "pays_back": _("It pays back in month {pay}."),
        "side_above_pay1": _("It is cheaper above {v} requests/month (you are at {vol}) and is cheaper from month 1."),
        "side_below_pay1": _("It is cheaper below {v} requests/month (you are at {vol}) and is cheaper from month 1."),
        "from_month_1": _("It is cheaper from month 1."),
        # issue 13 (as render/text.py writes them)
        "partial": PARTIAL(),
        "none_at_all": NONE_AT_ALL(),
        "first_label": lfmt.month(result.scenario.month_first_day(1)),
        "axis_volume": _("requests per month (constant)"),
        "axis_monthly": _("average cost per month") + f" ({result.scenario.currency})",
        "axis_month": _("month"),
        "axis_cumulative": _("cumulative cost") + f" ({result.scenario.currency})",
        "you_are_here": _("you are here"),
        "to_linear": _("Linear scale"),
        "to_log": _("Log scale"),
    }


def page_data(result, grid) -> dict:
    """The JSON the page's script reads: lookups, controls, formats, texts."""
    from .plot import PALETTE

    sc = result.scenario
    cur = sc.currency
    mf = lfmt.money_format(cur)
    pct = lfmt.percent(0.125)
    controls = []
    for c in grid.controls:
        controls.append(
            {"key": c.key, "kind": c.kind, "strategy": c.strategy, "values": c.values, "start": c.start, "labels": [_value_label(c.kind, v) for v in c.values]}
        )
    strategies = []
    for s, g in zip(result.strategies, grid.strategies):
        strategies.append(
            {
                "name": s.name,
                "stepped": g.stepped,
                "fixed_controls": g.fixed_controls,
                "var_controls": g.var_controls,
                "break_even_controls": g.break_even_controls,
                # issue 13: the last month the plan can be carried out (the page's controls do not change it)
                "feasible_until": s.feasible_until or 0,
                "feasible_label": lfmt.month(sc.month_first_day(s.feasible_until)) if s.feasible_until else "",
                **{
                    k: _b64(getattr(g, k)) for k in ("P", "Q", "K", "line_fixed", "line_slope", "cost_per_request", "chart_cost", "break_even", "cheaper_above")
                },
            }
        )
    return {
        "horizon": sc.horizon_months,
        "baseline": sc.baseline,
        "currency": cur,
        "payback_rtol": grid.payback_rtol,
        "growth_control": next(k for k, c in enumerate(grid.controls) if c.kind == "growth"),
        "controls": controls,
        "strategies": strategies,
        "chart_volumes": [float(v) for v in grid.chart_volumes],
        "month_labels": [lfmt.month(sc.month_first_day(m)) for m in range(1, sc.horizon_months + 1)],
        "colors": list(PALETTE),
        "format": {"money": mf, "percent": pct.replace(lfmt.number(12.5, 1), "{}"), "plotly_separators": mf["decimal"] + mf["group"]},
        "text": _texts(result),
    }


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _controls_html(result, grid) -> str:
    names = [s.name for s in result.strategies]
    out = []
    box_label = _("Requests in month 1")
    reset = _("Back to the scenario")
    for k, c in enumerate(grid.controls):
        label = _(CONTROL_LABELS[c.kind])
        who = f'<span class="who">{_e(names[c.strategy])}</span>' if c.strategy is not None else ""
        out.append(
            f'<label for="control-{k}">{_e(label)} <span class="value" id="value-{k}"></span>{who}</label>'
            f'<input type="range" id="control-{k}" data-key="{_e(c.key)}" min="0" max="{len(c.values) - 1}" step="1" value="{c.start}">'
        )
        if k == 0:
            out.append(f'<input type="number" id="volume-box" min="0" step="any" value="{round(c.values[c.start])}" aria-label="{_e(box_label)}">')
    out.append(f'<button type="button" id="reset">{_e(reset)}</button>')
    return "\n".join(out)


def _summary_html(result) -> str:
    sc = result.scenario
    head = [_("Strategy"), _("Cost per request"), _("Total, {h} months").format(h=sc.horizon_months), _("Break-even"), _("Payback month")]
    rows = []
    for i, s in enumerate(result.strategies):
        rows.append(
            f'<tr id="row-{i}"><td>{_e(s.name)}<br><small>{_e(s.model)}</small></td><td id="cpr-{i}"></td>'
            f'<td id="total-{i}"></td><td id="be-{i}"></td><td id="pay-{i}"></td></tr>'
        )
    return '<table id="totals"><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"


def _price_value(key: str, value: float, currency: str) -> str:
    if key == "batch_discount":
        return lfmt.percent(value)
    return lfmt.money(value, currency, decimals=max(2, min(6, _decimals(value))))


def _decimals(v: float) -> int:
    text = f"{v:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _prices_html(result) -> str:
    cur = result.scenario.currency
    head = [_("Strategy"), _("Price"), _("Value"), _("Source"), _("As of")]
    rows = []
    for s in result.strategies:
        for key, p in s.prices.items():
            unit = _(PRICE_NAMES[key]) if key in PRICE_NAMES else key.replace("_", " ")
            shown = lfmt.date(_dt.date.fromisoformat(p.as_of)) if p.as_of else "-"
            rows.append(
                f"<tr><td>{_e(s.name)}</td><td>{_e(unit)}</td><td>{_e(_price_value(key, p.value, cur))}</td>"
                f'<td class="src">{_e(p.source or "-")}</td><td>{_e(shown)}</td></tr>'
            )
    return '<table class="prices"><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"


def _subtitle(result) -> str:
    sc = result.scenario
    text = _("{volume} requests/month, {h} months from {start}, {currency}, baseline '{base}'").format(
        volume=lfmt.count(sc.requests_per_month), h=sc.horizon_months, start=lfmt.month(sc.month_first_day(1)), currency=sc.currency, base=sc.baseline_name
    )
    if sc.growth_per_month:
        text += "; " + _("growing {growth} a month").format(growth=lfmt.percent(sc.growth_per_month))
    return text


def grid_note(grid, seconds: float) -> str:
    """The sentence that states the grid behind the page."""
    counts = [len(c.values) for c in grid.controls[1:]]
    vol = grid.controls[0].values
    return _(
        "The numbers come from the ftcost engine, run when this page was written over a grid of control values: "
        "{n} volumes from {lo} to {hi} (log scale) for the slider, with any volume in the box, and {steps} steps "
        "for the other controls ({points} engine evaluations, {seconds} s). Costs of API strategies are exact "
        "at any volume (they are linear in volume); a self-hosted strategy's cost is interpolated between "
        "grid volumes."
    ).format(
        n=len(vol),
        lo=lfmt.count(vol[0]),
        hi=lfmt.count(vol[-1]),
        steps=" x ".join(str(n) for n in counts) or "0",
        points=lfmt.count(grid.points),
        seconds=lfmt.number(seconds, 2),
    )


def render_page(result, grid, seconds: float, *, version: str = "", lang: str | None = None) -> str:
    """The whole page as text, from ``result`` and its grid (:func:`ftcost.analysis.whatif.build`, which took ``seconds``).

    ``lang``: 'en' or 'es' (default: the current language).
    """
    from .warnings_text import localized_warnings

    with i18n.use(lang):
        data = json.dumps(page_data(result, grid), allow_nan=False, separators=(",", ":"))
        data = data.replace("</", "<\\/")
        warnings = localized_warnings(result)
        # (outside the f-string below, so that the catalog's extractor sees them)
        words = {
            "warnings": _("Warnings"),
            "what_if": _("What if"),
            "breakeven": _("Break-even: average monthly cost by volume"),
            "linear": _("Linear scale"),
            "cumulative": _("Cumulative cost by month"),
            "prices": _("Prices used, with their source"),
            "written": _("Written by ftcost {version} on {date}. This page works offline and sends nothing anywhere."),
            "load_error": _("The interactive part could not start in this browser:"),
        }
        warn_html = ""
        if warnings:
            warn_html = (
                f'<section class="card warnings"><strong>{_e(words["warnings"])}</strong><ul>'
                + "".join(f"<li>{_e(w)}</li>" for w in warnings)
                + "</ul></section>"
            )
        # Which plans cannot be carried out, and why (issue 13): a fact of dates and catalogs, not of the controls.
        plans = result.plan_sentence()
        plans_html = f'<section class="card plans" id="plans">{_e(plans)}</section>' if plans else ""
        sc = result.scenario
        css = (ASSETS / "page.css").read_text(encoding="utf-8")
        js = (ASSETS / "page.js").read_text(encoding="utf-8")
        lang_code = i18n.get_language()
        today = lfmt.date(_dt.date.today())
        body = f"""<!DOCTYPE html>
<html lang="{lang_code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ftcost {version}">
<title>{_e(sc.name)} - ftcost</title>
<style>{css}</style>
</head>
<body>
<main>
<h1>{_e(sc.name)}</h1>
<p class="subtitle">{_e(_subtitle(result))}</p>
<section class="card" id="recommendation" aria-live="polite"></section>
{plans_html}
{warn_html}
<div class="layout">
<section class="card controls"><h2>{_e(words["what_if"])}</h2>
{_controls_html(result, grid)}
</section>
<div>
<section class="card">{_summary_html(result)}</section>
<section class="card"><div class="chart-head"><h2>{_e(words["breakeven"])}</h2>
<button type="button" id="scale-toggle">{_e(words["linear"])}</button></div>
<div id="chart-breakeven" class="chart"></div></section>
<section class="card"><h2>{_e(words["cumulative"])}</h2>
<div id="chart-cumulative" class="chart"></div></section>
</div>
</div>
<h2>{_e(words["prices"])}</h2>
<section class="card">{_prices_html(result)}</section>
<footer><p>{_e(grid_note(grid, seconds))}</p>
<p>{_e(words["written"].format(version=version, date=today))}</p>
<p id="load-error"></p></footer>
</main>
<script id="ftcost-data" type="application/json">{data}</script>
<script id="plotly-gz" type="text/plain">{plotly_bundle()}</script>
<script>{js}</script>
<script>
window.ftcostPage();
(async function () {{
  try {{
    await new Promise((resolve) => setTimeout(resolve, 0));
    const b64 = document.getElementById("plotly-gz").textContent;
    const bin = atob(b64);
    const u8 = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
    const text = await new Response(new Blob([u8]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
    const s = document.createElement("script");
    s.textContent = text;
    document.head.appendChild(s);
    window.ftcostDrawCharts();
  }} catch (e) {{
    document.getElementById("load-error").textContent = {json.dumps(words["load_error"])} + " " + e;
    throw e;
  }}
}})();
</script>
</body>
</html>
"""
    return body


def summary_html(result, *, lang: str | None = None) -> str:
    """A small HTML table of the headline numbers (for notebooks)."""
    with i18n.use(lang):
        sc = result.scenario
        cur = sc.currency
        head = [_("Strategy"), _("Cost per request"), _("Total, {h} months").format(h=sc.horizon_months), _("Payback month")]
        rows = []
        for i, s in enumerate(result.strategies):
            base_total = result.strategies[sc.baseline].total_cost
            dearer = s.total_cost > base_total + 1e-9 * max(abs(base_total), 1.0)  # ahead for a while, never pays back
            pay = "-" if i == sc.baseline else (str(s.payback_month) if s.payback_month and not dearer else _("none"))
            style = ' style="font-weight:bold"' if s is result.cheapest else ""
            rows.append(
                f"<tr{style}><td>{_e(s.name)}</td><td>{_e(lfmt.money_small(s.cost_per_request, cur))}</td>"
                f"<td>{_e(lfmt.money(s.total_cost, cur))}</td><td>{_e(pay)}</td></tr>"
            )
        return "<table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
