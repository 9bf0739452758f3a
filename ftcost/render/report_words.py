"""The words of the PDF report: the recommendation sentence, the volume it is read at, training
and price cells, the availability rows (split from :mod:`ftcost.render.report`, which lays out the pages)."""

from __future__ import annotations

import datetime as _dt

from ..i18n import _, get_language
from ..result import Result, StrategyResult
from .lfmt import count, date, money, percent
from .text import break_even_label


def recommendation(result: Result) -> str:
    """The recommendation in one sentence."""
    sc = result.scenario
    cur = sc.currency
    h = sc.horizon_months
    base, best = result.baseline, result.cheapest
    basis = volume_basis(result)
    if not best.feasible:  # no plan runs the whole horizon (issue 13)
        from .text import verdict

        return verdict(result)
    if best is base:
        others = [s for i, s in enumerate(result.strategies) if i != sc.baseline]
        winners = [s for s in others if s.feasible and s.break_even_requests_per_month and s.cheaper_above_break_even]
        text = _("Keep '{name}': {basis}, it is the cheapest option over {h} months ({total})").format(
            name=base.name, basis=basis, h=h, total=money(base.total_cost, cur)
        )
        if winners:
            w = min(winners, key=lambda s: s.break_even_requests_per_month or 0.0)  # (every winner has one)
            text += _("; '{name}' would only pay off above {v} requests a month.").format(name=w.name, v=count(w.break_even_requests_per_month))
        elif others and all(s.break_even_requests_per_month is None for s in others):
            text += _("; no alternative is cheaper at any volume.")
        elif others:
            text += _("; no alternative pays off at this volume.")
        else:
            text += "."
        return text
    saving = base.total_cost - best.total_cost
    share = f" ({percent(saving / base.total_cost)})" if base.total_cost > 0 else ""
    verb = _("Fine-tune") if best.type != "prompt" else _("Switch")
    text = _("{verb}: choose '{name}'. {basis}, it costs {total} over {h} months against {base_total} for '{base}', saving {saving}{share}").format(
        verb=verb,
        name=best.name,
        basis=basis[0].upper() + basis[1:],
        total=money(best.total_cost, cur),
        h=h,
        base_total=money(base.total_cost, cur),
        base=base.name,
        saving=money(saving, cur),
        share=share,
    )
    if best.payback_month == 1:
        text += _(", and it is cheaper from month 1.")
    elif best.payback_month:
        text += _(", and pays back in month {m}.").format(m=best.payback_month)
    else:
        text += "."
    return text


def volume_basis(result: Result) -> str:
    """The volume the recommendation is computed at, in words.

    'at 300,000 requests a month' or, with growth, 'with volume growing from 300,000 to 1,761,225 requests a month
    (average 701,000)': the totals follow the growing volume month by month.
    """
    sc = result.scenario
    v1 = sc.requests_per_month
    if not sc.growth_per_month:
        return _("at {v} requests a month").format(v=count(v1))
    vols = [v1 * (1 + sc.growth_per_month) ** k for k in range(sc.horizon_months)]
    return _("with volume going from {first} to {last} requests a month (average {average})").format(
        first=count(vols[0]), last=count(vols[-1]), average=count(sum(vols) / len(vols))
    )


def training_words(t, s: StrategyResult, cur: str) -> str:
    """How one training run is priced, in the unit it is billed in (tokens, GPU-hours or hours)."""
    every = _(", retrained every {n} months").format(n=t.retrain_every_months) if t.retrain_every_months else _(", once")
    if t.gpu_hours:
        how = _("{n} GPU-hours x {rate}/GPU-hour").format(n=_g(t.gpu_hours), rate=money(t.gpu_rate, cur))
    elif t.billed_hours:
        how = _("{n} training hours (billed by the hour)").format(n=_g(t.billed_hours))
    else:
        how = _("{tokens} tokens x {epochs} epochs").format(tokens=count(t.tokens), epochs=t.epochs) + (" " + _("(auto)") if t.epochs_auto else "")
    return _("{how}{every}: {cost} a run").format(how=how, every=every, cost=money(s.training_cost_per_run, cur))


def _g(x: float) -> str:
    """A count as Python's :g writes it (12, 2.5), with the current language's decimal mark."""
    text = f"{x:g}"
    return text.replace(".", ",") if "e" not in text and get_language() == "es" else text


def _as_of(value) -> str:
    """A price's as_of date in the current language ('2026-11-30' in English, '30 nov 2026' in Spanish)."""
    if not value:
        return "-"
    try:
        return date(_dt.date.fromisoformat(str(value)))
    except ValueError:  # not a calendar date: as the catalog gave it
        return str(value)


def _break_even_cell(s: StrategyResult, is_base: bool) -> str:
    return break_even_label(s, is_base, verb="")


def _price_value(key: str, value, currency: str) -> str:
    if value is None:
        return "-"
    if key == "batch_discount":
        return _("{share} off").format(share=_g(value * 100) + (" %" if get_language() == "es" else "%"))
    if key in ("input", "cached_input", "output", "training"):
        return money(value, currency, decimals=4 if value and abs(value) < 0.1 else 2)
    return money(value, currency)


def availability_rows(result: Result) -> list[list[str]]:
    """Per provider: which fine-tunable models still accept new training jobs when the plan starts (``result.availability``)."""
    rows = []
    for a in result.availability or ():
        open_ = a.accepting
        note = _("no new jobs after {date}").format(date=date(a.last_new_job_day)) if a.last_new_job_day else ""
        if a.retired:
            note += ("; " if note else "") + _("{n} retired before {date}").format(n=a.retired, date=date(a.day))
        rows.append(
            [
                a.provider,
                _("yes") if open_ else _("no"),
                _("{n} of {total}").format(n=len(open_), total=a.models),
                ", ".join(open_[:4]) + (" ..." if len(open_) > 4 else "") or "-",
                note or "-",
            ]
        )
    return rows
