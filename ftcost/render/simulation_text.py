"""``ftcost simulate`` rendered: its table, Markdown and CSV, and the verdict the PDF report quotes."""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..i18n import _
from .fmt import count, money, percent
from .tabular import _csv, _grid, _markdown, _value, _wrapped


def _volume(v) -> str:
    return "never" if v is None else f"{count(v)}/mo"


def _month(v) -> str:
    return "never" if v is None else f"{v:g}"


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
