"""Text renderers for ``ftcost simulate``, ``ftcost sweep`` and ``ftcost sensitivity``.

Each result renders as a table (for people), Markdown, CSV (one row per
strategy, grid point or input) and JSON (its ``to_dict()``). Numbers in CSV
and JSON are plain floats, unrounded; null / empty means "never" or "not
defined".
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .. import i18n
from ..i18n import _
from .cells import safe_row
from .fmt import count, money, percent
from .layout import fit_table


def to_json(obj) -> str:
    return json.dumps(obj.to_dict(), indent=2, allow_nan=False) + "\n"


def sweep_json(res):
    """The sweep's JSON (``to_json`` of it, byte for byte) as chunks: the points are written as they are made,
    so a 10^6-point sweep does not hold its whole JSON text or every row in memory."""
    head = json.dumps(res.head_dict(), indent=2, allow_nan=False)
    yield head[:-2] + ',\n  "points": ['
    first = True
    buf: list[str] = []
    for row in res.iter_rows():
        text = json.dumps(row, indent=2, allow_nan=False).replace("\n", "\n    ")
        buf.append(("\n    " if first else ",\n    ") + text)
        first = False
        if len(buf) >= 1000:
            yield "".join(buf)
            buf = []
    buf.append("\n  ]\n}\n" if not first else "]\n}\n")
    yield "".join(buf)


def _grid(header: list[str], body: list[tuple[str, list[str]]]) -> list[str]:
    """A right-aligned table: a label column, then one column per header entry, within the output's width."""
    return fit_table(header, body)


def _wrapped(text: str) -> list[str]:
    """Prose lines wrapped to the output's width."""
    from .layout import output_width, wrap

    return [line for para in text.split("\n") for line in wrap(para, output_width())]


def _markdown(header: list[str], body: list[tuple[str, list[str]]], first: str = "") -> list[str]:
    md = lambda s: s.replace("|", "\\|")  # noqa: E731
    out = [f"| {md(first)} | " + " | ".join(md(h) for h in header) + " |", "|---|" + "---:|" * len(header)]
    out += [f"| {md(label)} | " + " | ".join(md(c) for c in cells) + " |" for label, cells in body]
    return out


def _csv(rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow(safe_row("" if v is None else v for v in r))
    return buf.getvalue()


def _volume(v) -> str:
    return "never" if v is None else f"{count(v)}/mo"


def _month(v) -> str:
    return "never" if v is None else f"{v:g}"


# --------------------------------------------------------------------------
# simulate


def _sim_rows(sim) -> tuple[list[str], list[tuple[str, list[str]]]]:
    sc = sim.scenario
    cur = sc.currency
    b = sc.baseline
    header = [s.name for s in sim.strategies]

    def line(label, fn):
        return (label, [fn(i, s) for i, s in enumerate(sim.strategies)])

    def sav(key):
        return lambda i, s: "(baseline)" if i == b else money(s.savings[key], cur, decimals=0)

    def be(key):
        def cell(i, s):
            if i == b:
                return "(baseline)"
            if s.break_even is None:
                return "n/a (staircase)"
            return _volume(s.break_even[key])

        return cell

    h = sc.horizon_months
    return header, [
        line("P(cheapest)", lambda i, s: percent(s.p_cheapest)),
        line(f"total {h} mo, p5", lambda i, s: money(s.total["p5"], cur, decimals=0)),
        line("  p50", lambda i, s: money(s.total["p50"], cur, decimals=0)),
        line("  p95", lambda i, s: money(s.total["p95"], cur, decimals=0)),
        line("  at the medians", lambda i, s: money(s.deterministic_total, cur, decimals=0)),
        line("savings, p5", sav("p5")),
        line("  p50", sav("p50")),
        line("  p95", sav("p95")),
        line("P(saves money)", lambda i, s: "(baseline)" if i == b else percent(s.savings["p_positive"])),
        line("break-even, p5", be("p5")),
        line("  p50", be("p50")),
        line("  p95", be("p95")),
        line("payback month, p50", lambda i, s: "(baseline)" if i == b else _month(s.payback["p50"])),
        line("  never paid back", lambda i, s: "(baseline)" if i == b else percent(s.payback["never_share"])),
    ]


def _sim_title(sim) -> str:
    sc = sim.scenario
    return f"{sc.name}: {sim.n:,} samples (seed {sim.seed}), {sc.horizon_months} months from {sc.month_label(1)}, {sc.currency}, baseline '{sc.baseline_name}'"


def _sim_inputs(sim) -> list[str]:
    if not sim.distributions:
        return ["No input has a distribution: every sample is the scenario as written."]
    out = ["Uncertain inputs (compare, sweep and sensitivity use their medians):"]
    w = max(len(".".join(str(p) for p in k)) for k in sim.distributions)
    for k, d in sim.distributions.items():
        out.append(f"  {'.'.join(str(p) for p in k).ljust(w)}  {d.describe()}; median {_value(d.median)}")
    return out


def simulation_verdict(sim) -> str:
    """One or two plain sentences: who is cheapest how often, and the savings range.

    In the current language of :mod:`ftcost.i18n` (the PDF report's page); the ``simulate`` tables, English
    only, ask for it in English.
    """
    from . import lfmt

    sc = sim.scenario
    cur = sc.currency
    best = max(sim.strategies, key=lambda s: s.p_cheapest)
    text = _("'{name}' is the cheapest over {h} months in {share} of samples.").format(name=best.name, h=sc.horizon_months, share=lfmt.percent(best.p_cheapest))
    f = sim.strategies[sim.focus]
    if f.savings is not None:
        med = f.savings["p50"]
        fields = dict(
            name=f.name,
            base=sc.baseline_name,
            cost=lfmt.money(abs(med), cur, decimals=0),
            low=lfmt.money(f.savings["p5"], cur, decimals=0),
            high=lfmt.money(f.savings["p95"], cur, decimals=0),
            share=lfmt.percent(f.savings["p_positive"]),
        )
        if f is best:
            template = (
                _("It saves {cost} against '{base}' at the median (savings between {low} and {high} in 90% of samples; it saves money in {share}).")
                if med >= 0
                else _("It costs {cost} more than '{base}' at the median (savings between {low} and {high} in 90% of samples; it saves money in {share}).")
            )
        else:
            template = (
                _("'{name}' saves {cost} against '{base}' at the median (savings between {low} and {high} in 90% of samples; it saves money in {share}).")
                if med >= 0
                else _(
                    "'{name}' costs {cost} more than '{base}' at the median (savings between {low} and {high} in 90% of samples; it saves money in {share})."
                )
            )
        text += " " + template.format(**fields)
    return text


def _english_verdict(sim) -> str:
    with i18n.use(i18n.DEFAULT):
        return simulation_verdict(sim)


def simulation_table(sim) -> str:
    header, body = _sim_rows(sim)
    out = _wrapped(_sim_title(sim)) + [""] + _sim_inputs(sim) + [""] + _grid(header, body) + [""] + _wrapped(_english_verdict(sim))
    return "\n".join(out) + "\n"


def simulation_markdown(sim) -> str:
    header, body = _sim_rows(sim)
    out = [f"## {sim.scenario.name}: simulation", "", _sim_title(sim), ""]
    if sim.distributions:
        out += [_sim_inputs(sim)[0], ""]
        out += [f"- `{'.'.join(str(p) for p in k)}`: {d.describe()}; median {_value(d.median)}" for k, d in sim.distributions.items()]
    else:
        out += _sim_inputs(sim)
    out += [""] + _markdown(header, [(label.strip(), cells) for label, cells in body]) + ["", _english_verdict(sim)]
    return "\n".join(out) + "\n"


def simulation_csv(sim) -> str:
    cur = sim.scenario.currency
    head = [
        "currency",
        "strategy",
        "p_cheapest",
        "total_p5",
        "total_p50",
        "total_p95",
        "total_mean",
        "total_at_medians",
        "savings_p5",
        "savings_p50",
        "savings_p95",
        "savings_mean",
        "p_saves_money",
        "break_even_p5",
        "break_even_p50",
        "break_even_p95",
        "break_even_never_share",
        "payback_p5",
        "payback_p50",
        "payback_p95",
        "payback_never_share",
    ]
    rows: list[list[Any]] = [head]
    for s in sim.strategies:
        sv = s.savings or {}
        be = s.break_even or {}
        pb = s.payback or {}
        rows.append(
            [
                cur,
                s.name,
                s.p_cheapest,
                s.total["p5"],
                s.total["p50"],
                s.total["p95"],
                s.total["mean"],
                s.deterministic_total,
                sv.get("p5"),
                sv.get("p50"),
                sv.get("p95"),
                sv.get("mean"),
                sv.get("p_positive"),
                be.get("p5"),
                be.get("p50"),
                be.get("p95"),
                be.get("never_share"),
                pb.get("p5"),
                pb.get("p50"),
                pb.get("p95"),
                pb.get("never_share"),
            ]
        )
    return _csv(rows)


# --------------------------------------------------------------------------
# sweep


def _value(v: float) -> str:
    if v != 0 and (abs(v) >= 1e4):
        return count(v)
    return f"{v:.6g}"


def _sweep_columns(res) -> tuple[list[str], list[list[str]]]:
    sc = res.scenario
    cur = sc.currency
    names = [s.name for s in sc.strategies]
    head = [v.target.describe(sc) for v in res.varies] + ["cheapest", "savings"] + [f"total: {n}" for n in names]
    rows = []
    for r in res.iter_rows():
        rows.append(
            [_value(x) for x in r["values"].values()]
            + [r["cheapest"] or "(no plan feasible)", money(r["savings"], cur, decimals=0) if r["savings"] is not None else "-"]
            + [money(s["total_cost"], cur, decimals=0) for s in r["strategies"]]
        )
    return head, rows


def _sweep_title(res) -> str:
    sc = res.scenario
    axes = " x ".join(f"{len(v.values)} values of {v.target.describe(sc)} ({v.path})" + (" (log scale)" if v.log else "") for v in res.varies)
    text = (
        f"{sc.name}: {res.size:,} points ({axes}), {sc.horizon_months} months, {sc.currency}, "
        f"baseline '{sc.baseline_name}'; savings = baseline total - cheapest total"
    )
    others = [".".join(str(p) for p in k) for k in sc.distributions if k not in {v.target.path for v in res.varies}]
    if others:
        text += "\nUncertain inputs at their medians: " + ", ".join(others)
    return text


def sweep_table(res) -> str:
    head, rows = _sweep_columns(res)
    widths = [max(len(h), *(len(r[j]) for r in rows)) for j, h in enumerate(head)]
    out = [_sweep_title(res), "", "  ".join(h.rjust(w) for h, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out) + "\n"


def sweep_markdown(res) -> str:
    head, rows = _sweep_columns(res)
    md = lambda s: s.replace("|", "\\|")  # noqa: E731
    out = [
        f"## {res.scenario.name}: sweep",
        "",
        _sweep_title(res).replace("\n", "  \n"),
        "",
        "| " + " | ".join(md(h) for h in head) + " |",
        "|" + "---:|" * len(head),
    ]
    out += ["| " + " | ".join(md(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def sweep_csv(res) -> str:
    return "".join(sweep_csv_chunks(res))


def sweep_csv_chunks(res):
    """The sweep's CSV in chunks of a few thousand rows (memory does not grow with the grid)."""
    sc = res.scenario
    names = [s.name for s in sc.strategies]
    head = ["currency"] + [v.path for v in res.varies] + ["cheapest", "savings"]
    for n in names:
        head += [f"total_cost[{n}]", f"break_even_requests_per_month[{n}]", f"payback_month[{n}]"]
    rows = [head]
    for r in res.iter_rows():
        row = [sc.currency] + list(r["values"].values()) + [r["cheapest"], r["savings"]]
        for s in r["strategies"]:
            row += [s["total_cost"], s["break_even_requests_per_month"], s["payback_month"]]
        rows.append(row)
        if len(rows) >= 2000:
            yield _csv(rows)
            rows = []
    if rows:
        yield _csv(rows)


# --------------------------------------------------------------------------
# sensitivity


def _signed(x: float | None, cur: str) -> str:
    if x is None:
        return "-"
    return ("+" if x > 0 else "") + money(x, cur, decimals=0)


def _signed_count(x: float | None) -> str:
    if x is None:
        return "-"
    return ("+" if x > 0 else "") + count(x)


def _sens_rows(res) -> tuple[list[str], list[tuple[str, list[str]]]]:
    cur = res.scenario.currency
    pct = f"{res.swing * 100:g}%"
    header = ["value", f"-{pct} / +{pct}", "savings change", "break-even change"]
    body = []
    for m in res.moves:
        dl, dh = m.savings_change(res.base_savings)
        bl, bh = m.break_even_change(res.base_break_even)
        body.append(
            (
                m.description,
                [
                    _value(m.value),
                    f"{_value(m.low)} / {_value(m.high)}",
                    f"{_signed(dl, cur)} / {_signed(dh, cur)}",
                    "-" if res.base_break_even is None else f"{_signed_count(bl)} / {_signed_count(bh)}",
                ],
            )
        )
    return header, body


def _sens_title(res) -> str:
    sc = res.scenario
    cur = sc.currency
    be = res.base_break_even
    be_text = "no break-even volume" if be is None else f"break-even {count(be)} requests/month"
    return (
        f"{sc.name}: sensitivity of '{res.strategy_name}' against '{sc.baseline_name}', each input "
        f"-{res.swing * 100:g}% and +{res.swing * 100:g}% ({sc.horizon_months} months, {cur})\n"
        f"As written: {saves_words(res.base_savings, cur)}, {be_text}. Sorted by the change in savings."
    )


def saves_words(x: float, cur: str) -> str:
    """'saves €1,636' or 'costs €561 more' (never 'saves -€561')."""
    return f"saves {money(x, cur, decimals=0)}" if x >= 0 else f"costs {money(-x, cur, decimals=0)} more"


def sensitivity_table(res) -> str:
    header, body = _sens_rows(res)
    out = _wrapped(_sens_title(res)) + [""] + _grid(header, body)
    if res.no_effect:
        out += [""] + _wrapped("No effect: " + ", ".join(_human(res, p) for p in res.no_effect))
    return "\n".join(out) + "\n"


def _human(res, dotted: str) -> str:
    """The human label of an input path ('GPU price per hour of 'self-hosted Llama 8B''), else the path."""
    return str(res.no_effect_descriptions.get(dotted, dotted))


def sensitivity_markdown(res) -> str:
    header, body = _sens_rows(res)
    out = [f"## {res.scenario.name}: sensitivity", "", _sens_title(res).replace("\n", "  \n"), ""]
    out += _markdown(header, body, first="input")
    if res.no_effect:
        out += ["", "No effect: " + ", ".join(f"`{p}`" for p in res.no_effect)]
    return "\n".join(out) + "\n"


def sensitivity_csv(res) -> str:
    head = [
        "currency",
        "path",
        "description",
        "value",
        "low",
        "high",
        "savings_low",
        "savings_high",
        "savings_change_low",
        "savings_change_high",
        "break_even_low",
        "break_even_high",
        "break_even_change_low",
        "break_even_change_high",
    ]
    rows = [head]
    for d in res.to_dict()["inputs"]:
        rows.append([res.scenario.currency] + [d[k] for k in head[1:]])
    return _csv(rows)


RENDERERS = {
    "simulate": {"table": simulation_table, "markdown": simulation_markdown, "csv": simulation_csv, "json": to_json},
    "sweep": {"table": sweep_table, "markdown": sweep_markdown, "csv": sweep_csv_chunks, "json": sweep_json},
    "sensitivity": {"table": sensitivity_table, "markdown": sensitivity_markdown, "csv": sensitivity_csv, "json": to_json},
}
