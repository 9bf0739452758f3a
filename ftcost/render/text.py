"""Text renderers for ``ftcost compare``: a table, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np

from ..i18n import N_, _, ngettext
from ..result import Result, StrategyResult
from .cells import safe_row
from .layout import fit_table, output_width
from .layout import wrap as layout_wrap
from .lfmt import count, money, money_small, month, percent

# Words shown from the data (strategy types, token-source keys), translated where shown.
WORDS = (
    N_("prompt"),
    N_("fine_tuned"),
    N_("self_hosted"),
    N_("prompt tokens"),
    N_("training tokens"),
    N_("input tokens"),
    N_("completion tokens"),
    N_("data generation"),
)

SUMMARY_FIELDS = [
    "name",
    "type",
    "model",
    "cost_per_request",
    "fixed_monthly",
    "training_cost",
    "training_runs",
    "one_time_cost",
    "average_fixed_monthly",
    "monthly_cost",
    "total_cost",
    "break_even_requests_per_month",
    "cheaper_above_break_even",
    "payback_month",
]


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), indent=2, allow_nan=False) + "\n"


def to_csv(result: Result) -> str:
    """One row per strategy, the summary fields of the JSON output."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["currency"] + SUMMARY_FIELDS)
    for s in result.strategies:
        row = [result.scenario.currency]
        for f in SUMMARY_FIELDS:
            v = getattr(s, f)
            row.append("" if v is None else v)
        w.writerow(safe_row(row))
    return buf.getvalue()


def break_even_label(s: StrategyResult, is_base: bool, *, verb: str = "cheaper ") -> str:
    """The break-even cell: '(baseline)', 'never', 'always cheaper', or 'cheaper above 8,097,916/mo'."""
    if is_base:
        return _("(baseline)")
    v = s.break_even_requests_per_month
    if v is None:
        return _("never")
    if v == 0:
        return _("always cheaper") if s.cheaper_above_break_even else _("never")
    if verb == "cheaper ":
        text = _("cheaper above {v}/mo") if s.cheaper_above_break_even else _("cheaper below {v}/mo")
    else:
        text = verb + (_("above {v}/mo") if s.cheaper_above_break_even else _("below {v}/mo"))
    return text.format(v=count(v))


def payback_label(s: StrategyResult, is_base: bool, horizon: int, base_total: float | None = None) -> str:
    """The payback cell: '-' (baseline), 'cheaper from month 1', 'month 7', or 'none in 24 months'.

    Payback in month 1 means there is nothing to pay back: the strategy is cheaper from the start. A strategy
    that is ahead of the baseline for a while but dearer over the horizon (``base_total``: the baseline's
    total) never pays back: 'none: dearer over 24 months'.
    """
    if is_base:
        return "-"
    if s.payback_month and base_total is not None and s.total_cost > base_total + 1e-9 * max(abs(base_total), 1.0):
        return _("none: dearer over {h} months").format(h=horizon)
    if s.payback_month == 1:
        return _("cheaper from month 1")
    if s.payback_month:
        return _("month {m}").format(m=s.payback_month)
    return _("none in {h} months").format(h=horizon)


def gpu_label(result: Result, i: int) -> str:
    """A self-hosted strategy's GPU cost in month 1 and its replicas: '$4,365.40 (2 replicas)'."""
    s = result.strategies[i]
    if s.replicas is None:
        return "-"
    gpu = float(np.asarray(result.outputs.monthly_gpu)[i].reshape(-1)[0])
    n = s.replicas
    return money(gpu, result.scenario.currency) + " " + ngettext("({n} replica)", "({n} replicas)", int(n)).format(n=f"{n:g}")


def rows(result: Result) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The compare table as (header, [(label, cells)]): metrics down, strategies across."""
    sc = result.scenario
    cur = sc.currency
    b = sc.baseline
    strategies = result.strategies
    header = [s.name for s in strategies]

    def line(label, fn):
        return (label, [fn(i, s) for i, s in enumerate(strategies)])

    def training(i, s):
        if s.training_runs == 0:
            return "-"
        return money(s.training_cost, cur) + " " + ngettext("({n} run)", "({n} runs)", s.training_runs).format(n=s.training_runs)

    h = sc.horizon_months
    body = [
        line(_("type"), lambda i, s: _(s.type)),
        line(_("model"), lambda i, s: s.model),
        line(_("cost per request"), lambda i, s: money_small(s.cost_per_request, cur)),
    ]
    if any(s.quality_cost_per_request for s in strategies):
        body.append(line("  " + _("of which errors"), lambda i, s: money_small(s.quality_cost_per_request, cur) if s.quality_cost_per_request else "-"))
    if any(s.price_change_per_month for s in strategies):
        body.append(line(_("token prices/month"), lambda i, s: f"{s.price_change_per_month * 100:+.1f}%" if s.price_change_per_month else "-"))
    body.append(line(_("fixed per month"), lambda i, s: money(s.fixed_monthly, cur)))
    if any(s.replicas is not None for s in strategies):
        body.append(line("  " + _("of which GPUs, month 1"), lambda i, s: gpu_label(result, i)))
    body += [
        line(_("training"), training),
        line(_("one-time cost"), lambda i, s: money(s.one_time_cost, cur) if s.one_time_cost else "-"),
    ]
    if any(s.data_generation_cost for s in strategies):
        body.append(line(_("data generation"), lambda i, s: money(s.data_generation_cost, cur) if s.data_generation_cost else "-"))
    body += [
        line(_("total, {h} months").format(h=h), lambda i, s: money(s.total_cost, cur)),
        line(_("average per month"), lambda i, s: money(s.average_monthly_cost, cur)),
    ]
    if result.without_quality is not None:
        wq = result.without_quality.strategies
        body.append(line("  " + _("without error cost"), lambda i, s: money(wq[i].total_cost, cur)))
    body += [
        line(_("break-even"), lambda i, s: break_even_label(s, i == b)),
        line(_("payback"), lambda i, s: payback_label(s, i == b, h, result.strategies[b].total_cost)),
    ]
    if any(not s.feasible for s in strategies):  # issue 13: a plan that cannot be carried out is marked, never recommended
        body.append(line(_("can be carried out"), lambda i, s: feasible_cell(s)))
    return header, body


def to_table(result: Result, width: int | None = None) -> str:
    """The comparison for a terminal, within ``width`` columns (default: the terminal's, or 100).

    Strategies across while they fit (names and cells wrapped), else one block per strategy.
    """
    header, body = rows(result)
    width = width or output_width()
    h = result.scenario.horizon_months
    out = layout_wrap(_title(result), width) + [""]
    out += fit_table(header, body, width)
    out += layout_wrap(_("average per month: the total over {h} months / {h}; break-even and payback against the baseline.").format(h=h), width)
    out.append("")
    for line in _ranges(result) + _counted(result):
        if len(line) <= width:
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip())
        more = 32 if line.startswith("  ") and "  " in line.strip() else indent + 2
        wrapped = layout_wrap(line.strip(), width - indent)
        out.append(" " * indent + wrapped[0])
        if len(wrapped) > 1:  # a long row continues under its text, indented
            lead = min(more, width // 2)
            out.extend(" " * lead + w for w in layout_wrap(" ".join(wrapped[1:]), width - lead) if w)
    out.extend(layout_wrap(verdict(result), width))
    n = len(getattr(result.scenario, "distributions", {}) or {})
    if n:
        out.extend(
            layout_wrap(
                ngettext(
                    "{n} input is uncertain and shown at the median; '{command}' gives the odds and ranges.",
                    "{n} inputs are uncertain and shown at the median; '{command}' gives the odds and ranges.",
                    n,
                ).format(n=n, command=f"ftcost simulate {result.scenario.file}"),
                width,
            )
        )
    for line in _plans(result):
        out.extend(layout_wrap(line, width))
    return "\n".join(out) + "\n"


def _plans(result: Result) -> list[str]:
    """The last line: which plans cannot be carried out, and why, in plain words (issue 13)."""
    line = result.plan_sentence()
    return [line] if line else []


def _counted(result: Result) -> list[str]:
    """Where token counts came from, when ftcost counted them (prompt files, messages, datasets)."""
    lines = []
    for s in result.strategies:
        for key, src in s.token_sources.items():
            if src.startswith(("prompt_file", "messages", "dataset")) or key == "data_generation":
                lines.append("  " + _("{name}: {what} from {source}").format(name=s.name, what=_(key.replace("_", " ")), source=src))
    return ([_("Counted from files and estimates:")] + lines + [""]) if lines else []


def _ranges(result: Result) -> list[str]:
    """Cheapest strategy by volume, when more than one strategy wins somewhere.

    The ranges worth a line (:func:`ftcost.render.story.shown_ranges`); a GPU staircase that alternates
    beyond them is one line naming the strategies that take turns.
    """
    from .story import shown_ranges

    if len(result.cheapest_by_volume) < 2:
        return []
    shown, rest = shown_ranges(result)
    out = [_("Cheapest by monthly volume:")]
    for r in shown:
        lo, hi = r.from_requests_per_month, r.to_requests_per_month
        span = _("{lo} to {hi}").format(lo=count(lo), hi=count(hi)) if hi is not None else _("{lo} and up").format(lo=count(lo))
        out.append(f"  {span:>28}  {r.strategy}")
    if rest:
        names = [f"'{n}'" for n in dict.fromkeys(r.strategy for r in rest)]
        who = _("{names} alternate (GPU replicas make a staircase)").format(names=", ".join(names)) if len(names) > 1 else names[0]
        start = _("{lo} and up").format(lo=count(rest[0].from_requests_per_month))
        out.append(f"  {start:>28}  {who}")
    out.append("")
    return out


def to_markdown(result: Result) -> str:
    header, body = rows(result)
    out = [f"## {result.scenario.name}", "", _title(result), ""]
    out.append("| | " + " | ".join(_md(h) for h in header) + " |")
    out.append("|---|" + "---:|" * len(header))
    for label, cells in body:
        out.append(f"| {label} | " + " | ".join(_md(c) for c in cells) + " |")
    out.append("")
    out.append(verdict(result))
    out.extend(_plans(result))
    return "\n".join(out) + "\n"


def _md(s: str) -> str:
    return s.replace("|", "\\|")


def _title(result: Result) -> str:
    sc = result.scenario
    growth = _(", growing {growth} a month").format(growth=percent(sc.growth_per_month)) if sc.growth_per_month else ""
    return _("{name}: {volume} requests/month{growth}, {h} months from {start}, {currency}, baseline '{base}'").format(
        name=sc.name,
        volume=count(sc.requests_per_month),
        growth=growth,
        h=sc.horizon_months,
        start=month(sc.month_first_day(1)),
        currency=sc.currency,
        base=sc.baseline_name,
    )


def verdict(result: Result) -> str:
    """One plain sentence (or two) naming the cheapest strategy and the savings."""
    sc = result.scenario
    cur = sc.currency
    best = result.cheapest
    base = result.baseline
    h = sc.horizon_months
    if not best.feasible:
        return _partial_verdict(result)
    if best is base:
        others = [s for i, s in enumerate(result.strategies) if i != sc.baseline]
        text = _("Keep '{base}': it is the cheapest over {h} months at {total}.").format(base=base.name, h=h, total=money(base.total_cost, cur))
        # Say from where the best challenger would win.
        winners = [s for s in others if s.feasible and s.break_even_requests_per_month and s.cheaper_above_break_even]
        if winners:
            w = min(winners, key=lambda s: s.break_even_requests_per_month or 0.0)  # (every winner has one)
            text += " " + _("'{name}' would pay off above {v} requests/month (you are at {vol}).").format(
                name=w.name, v=count(w.break_even_requests_per_month), vol=count(sc.requests_per_month)
            )
        return text + _quality_note(result)
    saving = base.total_cost - best.total_cost
    share = saving / base.total_cost if base.total_cost > 0 else float("nan")
    fields = dict(best=best.name, h=h, total=money(best.total_cost, cur), base_total=money(base.total_cost, cur), base=base.name, saving=money(saving, cur))
    if math.isfinite(share):
        text = _("'{best}' is the cheapest over {h} months: {total} against {base_total} for '{base}', saving {saving} ({share}).").format(
            share=percent(share), **fields
        )
    else:
        text = _("'{best}' is the cheapest over {h} months: {total} against {base_total} for '{base}', saving {saving}.").format(**fields)
    v = best.break_even_requests_per_month
    if v is not None and v > 0:
        side = dict(v=count(v), vol=count(sc.requests_per_month), pay=best.payback_month)
        if best.payback_month == 1:  # nothing to pay back
            template = (
                _("It is cheaper above {v} requests/month (you are at {vol}) and is cheaper from month 1.")
                if best.cheaper_above_break_even
                else _("It is cheaper below {v} requests/month (you are at {vol}) and is cheaper from month 1.")
            )
        elif best.payback_month:
            template = (
                _("It is cheaper above {v} requests/month (you are at {vol}) and pays back in month {pay}.")
                if best.cheaper_above_break_even
                else _("It is cheaper below {v} requests/month (you are at {vol}) and pays back in month {pay}.")
            )
        else:
            template = (
                _("It is cheaper above {v} requests/month (you are at {vol}).")
                if best.cheaper_above_break_even
                else _("It is cheaper below {v} requests/month (you are at {vol}).")
            )
        text += " " + template.format(**side)
    elif best.payback_month == 1:
        text += " " + _("It is cheaper from month 1.")
    elif best.payback_month:
        text += " " + _("It pays back in month {pay}.").format(pay=best.payback_month)
    return text + _quality_note(result)


def _partial_verdict(result: Result) -> str:
    """The verdict when no plan runs the whole horizon: the best plan up to the month it stops (issue 13)."""
    sc = result.scenario
    rec = result.recommendation
    if rec.until_month <= 0:
        return NONE_AT_ALL().format(label=month(sc.month_first_day(1)))
    return PARTIAL().format(
        h=sc.horizon_months,
        until=rec.until_month,
        label=month(sc.month_first_day(rec.until_month)),
        best=rec.strategy,
        cost=money(rec.cost_until, sc.currency),
    )


def PARTIAL() -> str:  # noqa: N802  (a message, shared with the HTML page's script)
    return _("No strategy can be carried out over all {h} months. The best plan up to month {until} ({label}), when it stops, is '{best}': {cost} to then.")


def NONE_AT_ALL() -> str:  # noqa: N802
    return _("No strategy can be carried out, not even in month 1 ({label}).")


def feasible_cell(s: StrategyResult) -> str:
    """The 'can be carried out' cell of a strategy: 'all months', 'to month 4 only' or 'not at all'."""
    if s.feasible:
        return _("all months")
    if s.feasible_until:
        return _("to month {m} only").format(m=s.feasible_until)
    return _("not at all")


def _quality_note(result: Result) -> str:
    wq = result.without_quality
    if wq is None:
        return ""
    if wq.cheapest.name == result.cheapest.name:
        return " " + _("Without the expected cost of errors the answer is the same ('{name}').").format(name=wq.cheapest.name)
    return " " + _("Without the expected cost of errors, '{name}' would be cheapest instead.").format(name=wq.cheapest.name)
