"""The table sections of the PDF report: inputs and assumptions, the monthly schedule, the prices used
with their sources, and which providers still take new fine-tuning jobs (split from :mod:`ftcost.render.report`,
which lays out page 1, the charts and the document)."""

from __future__ import annotations

import datetime as _dt

import numpy as np

from ..i18n import _, ngettext
from ..result import Result
from .lfmt import count, date, money, month, percent
from .pages import GREY, Column
from .pages import Flow as _Flow
from .plot import color, width_pt
from .price_names import price_name
from .report_words import _as_of, _g, _price_value, availability_rows, training_words

MAX_STRATEGIES_PER_TABLE = 4


def _inputs_section(flow: _Flow, result: Result, *, new_page: bool = False) -> None:
    """Inputs and assumptions: on page 1 when they fit there, else on a page of their own (never a dangling heading)."""
    sc = result.scenario
    cur = sc.currency
    h = sc.horizon_months
    if new_page:
        flow.new_page()
    flow.heading(_("Inputs and assumptions"), size=11 if not new_page else 15, gap=0.0)
    growth = _(", growing {share} a month (compounding)").format(share=percent(sc.growth_per_month)) if sc.growth_per_month else _(", constant")
    flow.paragraph(
        _("Volume: {v} requests in month 1{growth}. Horizon: {h} months from {month}. Baseline for break-even and payback: '{base}'.").format(
            v=count(sc.requests_per_month), growth=growth, h=h, month=month(sc.month_first_day(1)), base=sc.baseline_name
        ),
        size=8.5,
        gap_after=0.03,
    )
    cols = [
        Column(_("Strategy"), 1.7),
        Column(_("Model"), 1.8),
        Column(_("Tokens per request"), 1.7),
        Column(_("Hosting, GPUs and other monthly"), 2.6),
        Column(_("Training"), 2.69),
    ]
    rows = []
    for i, (s, st) in enumerate(zip(result.strategies, sc.strategies)):
        tok = _("{prompt} prompt + {input} input").format(prompt=count(st.prompt_tokens), input=count(st.input_tokens))
        if st.cached_tokens:
            tok += " " + _("({n} cached)").format(n=count(st.cached_tokens))
        tok += ", " + _("{n} output").format(n=count(st.completion_tokens))
        if st.batch_share:
            tok += "; " + _("{share} batched").format(share=percent(st.batch_share))
        host = []
        ph = st.price("hosting_per_hour")
        if ph:
            host.append(f"{money(ph, cur)}/h x {_g(st.hours_per_month)} h x {_g(st.deployments)}")
        if st.price("storage_per_month"):
            host.append(_("storage {cost}").format(cost=money(st.price("storage_per_month"), cur)))
        if st.fixed_monthly_cost:
            host.append(_("other {cost}").format(cost=money(st.fixed_monthly_cost, cur)))
        if s.replicas is not None and st.serving is not None:
            sv = st.serving
            gpu = float(np.asarray(result.outputs.monthly_gpu)[i].reshape(-1)[0])
            replicas = ngettext("{n} replica", "{n} replicas", 1 if s.replicas == 1 else 2).format(n=_g(s.replicas))
            host.append(
                _(
                    "GPUs: {replicas} x {gpus} GPU x {rate}/GPU-hour x {hours} h = {cost} in month 1 "
                    "(at least {least}; one replica serves {capacity} requests a month)"
                ).format(
                    replicas=replicas,
                    gpus=_g(sv.gpus_per_replica),
                    rate=money(sv.gpu_per_hour, cur),
                    hours=_g(sv.hours_per_month),
                    cost=money(gpu, cur),
                    least=_g(sv.min_replicas),
                    capacity=count(sv.capacity_per_month),
                )
            )
        t = st.training
        if t is None:
            trn = "-"
        else:
            trn = training_words(t, s, cur)
            if t.one_time_cost:
                trn += "; " + _("one-time {cost}").format(cost=money(t.one_time_cost, cur))
            if s.data_generation_cost:
                trn += "; " + _("data generation {cost}").format(cost=money(s.data_generation_cost, cur))
        rows.append([s.name, s.model, tok, "; ".join(host) or "-", trn])
    flow.table(cols, rows, size=8, row_colors=[color(i) for i in range(len(rows))])
    flow.paragraph(
        _(
            "How the numbers are computed: cost per request = tokens x list price per 1M tokens (cached and batch "
            "discounts applied); each month costs its fixed costs plus volume x cost per request, plus any training run "
            "(month 1 and every retrain interval) and one-time costs in month 1. Break-even is the constant monthly "
            "volume at which a strategy costs the same as the baseline over {h} months, with training and one-time "
            "costs spread evenly; payback is the first month its running total is at or below the baseline's. Prices are "
            "list prices on their as_of date (last page); taxes, negotiated discounts and engineering time are not included."
        ).format(h=h),
        size=7.8,
        color_=GREY,
    )


def _schedule_pages(flow: _Flow, result: Result) -> None:
    from .export import schedule

    sc = result.scenario
    cur = sc.currency
    h = sc.horizon_months
    sch = schedule(result)
    title = _("Monthly schedule")
    flow.new_page(title)
    flow.paragraph(_("Where the money goes over {h} months").format(h=h), size=10.5, bold=True)
    parts = [
        ("variable_cost", _("Variable (requests)")),
        ("fixed_cost", _("Fixed (hosting, other)")),
        ("gpu_cost", _("GPUs (self-hosted)")),
        ("training_cost", _("Training")),
        ("one_time_cost", _("One-time")),
        ("data_generation_cost", _("Data generation")),
    ]
    # Columns that are zero for every strategy are left out; the rest add up to the total.
    parts = [(k, t) for k, t in parts if k in ("variable_cost", "fixed_cost") or np.any(sch[k] != 0)]
    cols = (
        [Column(_("Strategy"), 2.6)]
        + [Column(t, 1.25, "right") for _k, t in parts]
        + [Column(_("Total"), 1.4, "right"), Column(_("Average per month"), 1.25, "right")]
    )
    rows = []
    for i, s in enumerate(result.strategies):
        rows.append(
            [s.name]
            + [money(float(sch[k][i].sum()), cur) for k, _t in parts]
            + [money(float(sch["total_cost"][i].sum()), cur), money(s.average_monthly_cost, cur)]
        )
    flow.table(cols, rows, size=8.5, title=title, row_colors=[color(i) for i in range(len(rows))])

    labels = [month(sc.month_first_day(k + 1)) for k in range(h)]
    n = len(result.strategies)
    groups = [list(range(k, min(n, k + MAX_STRATEGIES_PER_TABLE))) for k in range(0, n, MAX_STRATEGIES_PER_TABLE)]
    for g in groups:
        flow.paragraph(_("Cost by month (* = a training run or one-time cost falls in that month)"), size=10.5, bold=True)
        # The calendar column as wide as its words ("Calendario", "sept 2027" in Spanish), at least as before.
        cal_w = max(0.72, max(width_pt(x, 8 * flow.k, False) for x in [*labels, ""]) / 72 + 0.14, width_pt(_("Calendar"), 8 * flow.k, True) / 72 / 0.95 + 0.1)
        wcol = min(1.25, (flow.width - 1.38 - cal_w) / (2 * len(g)))
        cols = [Column(_("Month"), 0.58, "right"), Column(_("Calendar"), cal_w), Column(_("Requests"), 0.9, "right")]
        for i in g:
            nm = result.strategies[i].name
            cols += [Column(_("{name}: month").format(name=nm), wcol, "right"), Column(_("{name}: cumulative").format(name=nm), wcol, "right")]
        rows = []
        for k in range(h):
            row = [str(k + 1), labels[k], count(sch["requests"][0, k])]
            for i in g:
                star = " *" if (sch["training_cost"][i, k] > 0 or sch["one_time_cost"][i, k] > 0 or sch["data_generation_cost"][i, k] > 0) else ""
                row += [money(float(sch["total_cost"][i, k]), cur) + star, money(float(sch["cumulative_cost"][i, k]), cur)]
            rows.append(row)
        flow.table(cols, rows, size=8, title=title, bold_first=False)


def _prices_pages(flow: _Flow, result: Result) -> None:
    sc = result.scenario
    cur = sc.currency
    title = _("Prices used, with their source")
    flow.new_page(title)
    flow.paragraph(
        _(
            "Every rate the comparison used, as the catalog or the scenario gave it. 'secondary' sources are "
            "read from a copy of the provider's page, not the page itself: check them before you sign."
        ),
        size=9,
        color_=GREY,
    )
    cols = [Column(_("Strategy"), 1.9), Column(_("Price"), 2.3), Column(_("Value"), 0.9, "right"), Column(_("Source"), 4.55), Column(_("As of"), 0.85)]
    rows = []
    colors: list[str | None] = []
    for i, s in enumerate(result.strategies):
        for k, (key, p) in enumerate(s.prices.items()):
            rows.append(
                [
                    s.name if k == 0 else "",
                    price_name(key),
                    _price_value(key, p.value, cur),
                    p.source or "-",
                    _as_of(p.as_of),
                ]
            )
            colors.append(color(i))
    flow.table(cols, rows, size=7.8, title=title, row_colors=colors)
    notes = [(s.name, k, v) for s in result.strategies for k, v in (s.token_sources or {}).items() if v]
    if notes:
        flow.ensure(1.0, title)  # the heading with the first rows of its table, never alone at the foot of a page
        flow.paragraph(_("Where the token counts came from"), size=10.5, bold=True)
        cols = [Column(_("Strategy"), 2.3), Column(_("Count"), 1.6), Column(_("Source"), 6.6)]
        flow.table(cols, [[a, b, c] for a, b, c in notes], size=7.8, title=title)


def _availability(flow: _Flow, result: Result) -> None:
    if result.availability is None:
        return  # not computed by the caller (ftcost.api.report_facts)
    sc = result.scenario
    day = date(sc.month_first_day(1))
    flow.ensure(1.6)  # its heading, note and first rows together
    flow.paragraph(_("Who still accepts new fine-tuning jobs on {date} (the plan's first month)").format(date=day), size=10.5, bold=True)
    flow.paragraph(
        _(
            "From the bundled price catalogs: a model accepts jobs until its provider's last day for new jobs "
            "(last_new_job_day, inclusive) and while it is not retired. OpenAI's last day for new fine-tuning jobs is {date}; "
            "fine-tuned OpenAI models keep serving until their base model retires."
        ).format(date=date(_dt.date(2027, 1, 5))),
        size=8.5,
        color_=GREY,
    )
    cols = [Column(_("Provider"), 1.5), Column(_("New jobs"), 0.8), Column(_("Models"), 0.9), Column(_("Accepting, e.g."), 4.2), Column(_("Note"), 3.1)]
    flow.table(cols, availability_rows(result), size=7.8, title=_("Who still accepts new fine-tuning jobs"))
