"""A multi-page PDF report a manager can read.

Page 1: the recommendation in one sentence, the warnings, the key numbers,
the inputs and assumptions. Then the break-even and cumulative charts, the
monthly schedule, and the prices used with their source and as_of date.

Pages are matplotlib figures (A4 landscape) written with ``PdfPages``; the
text pages are laid out by a small flow layout (:class:`_Flow`) that wraps
text by its measured width and starts a new page when one is full. Text is
embedded as TrueType, so the PDF can be searched and read back.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np

from ..i18n import _, get_language, ngettext
from ..result import Result, StrategyResult
from .lfmt import count, date, money, money_small, month, percent
from .pages import ACCENT, GREY, MARGIN, PAGE, WARN, Column, _rect
from .pages import Flow as _Flow
from .plot import _RC, color, declutter_ticks, width_pt, wrap
from .price_names import price_name
from .text import break_even_label, payback_label

MAX_STRATEGIES_PER_TABLE = 4
# Margins of a chart on a report page: clear of the footer.
_PLOT_RECT = (0.35, 0.6, 0.45, 0.45)  # left, bottom, right, top, inches


# --------------------------------------------------------------------------
# Words


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


# --------------------------------------------------------------------------
# Layout


# --------------------------------------------------------------------------
# Pages


@cache
def _version() -> str:
    try:
        from importlib.metadata import version

        return version("ftcost")
    except Exception:  # not installed (running from a checkout)
        return "dev"


def _first_page(flow: _Flow, result: Result, today: _dt.date) -> None:
    sc = result.scenario
    cur = sc.currency
    h = sc.horizon_months
    flow.new_page()
    flow.y = 0.45
    for line in wrap(sc.name, flow.width, 20 * flow.k, True):
        flow._text(MARGIN, flow.y, line, fontsize=20 * flow.k, fontweight="bold")
        flow.y += 0.4 * flow.k
    src = Path(sc.file).name if sc.file else _("a scenario")
    flow.paragraph(
        _(
            "Prompt engineering or fine-tuning? Cost comparison of {n} strategies over {h} months "
            "from {month}, in {currency}. From {source}, generated {date} by ftcost {version}."
        ).format(n=len(result.strategies), h=h, month=month(sc.month_first_day(1)), currency=cur, source=src, date=date(today), version=_version()),
        size=9,
        color_=GREY,
        gap_after=0.1,
    )
    if sc.description:
        flow.paragraph(sc.description.strip(), size=9, color_=GREY, gap_after=0.08)

    # The recommendation, framed.
    rec = 13 * flow.k
    lines = wrap(recommendation(result), flow.width - 0.4, rec, True)
    box_h = len(lines) * rec / 72 * 1.38 + 0.26
    flow.fig.add_artist(_rect(flow.fig, MARGIN, flow.y, flow.width, box_h, "#e8f1fa"))
    flow.fig.add_artist(_rect(flow.fig, MARGIN, flow.y, 0.07, box_h, ACCENT))
    yy = flow.y + 0.13
    for line in lines:
        flow._text(MARGIN + 0.25, yy, line, fontsize=rec, fontweight="bold", color=ACCENT)
        yy += rec / 72 * 1.38
    flow.y += box_h + 0.08
    if result.plan_sentence():  # plans that cannot be carried out, in plain words (issue 13)
        flow.paragraph(result.plan_sentence(), size=9, color_=WARN, bold=True, gap_after=0.06)
    wq = getattr(result, "without_quality", None)
    if wq is not None:
        cur_q = sc.currency
        errs = ", ".join(f"'{s.name}' {money_small(s.quality_cost_per_request, cur_q)}" for s in result.strategies if s.quality_cost_per_request)
        same = wq.cheapest.name == result.cheapest.name
        flow.paragraph(
            _("These costs include the expected cost of errors per request ({errors}).").format(errors=errs)
            + " "
            + (
                _("Without it, the answer is the same ('{name}').").format(name=wq.cheapest.name)
                if same
                else _("Without it, '{name}' would be cheapest instead.").format(name=wq.cheapest.name)
            ),
            size=9,
            bold=not same,
            gap_after=0.06,
        )

    warnings = result.warnings_in_language()
    if warnings:
        flow.heading(_("Warnings ({n})").format(n=len(warnings)), size=11, color_=WARN, gap=0.02)
        for w in warnings:
            flow.paragraph(w, size=8, color_=WARN, bullet="!", gap_after=0.02)
        flow.y += 0.02

    flow.heading(_("Key numbers"), size=11, gap=0.02)
    b = sc.baseline
    cols = [
        Column(_("Strategy"), 2.3),
        Column(_("Cost per request"), 1.0, "right"),
        Column(_("Fixed per month"), 1.0, "right"),
        Column(_("Training (runs) and one-time"), 1.7, "right"),
        Column(_("Total, {h} months").format(h=h), 1.15, "right"),
        Column(_("Average per month"), 1.0, "right"),
        Column(_("Break-even volume"), 1.3, "right"),
        Column(_("Payback"), 1.05, "right"),
    ]
    rows = []
    for i, s in enumerate(result.strategies):
        tr = "-" if s.training_runs == 0 else f"{money(s.training_cost, cur)} ({s.training_runs})"
        if s.one_time_cost:
            tr += " + " + _("{cost} once").format(cost=money(s.one_time_cost, cur))
        name = s.name + (" " + _("(cheapest)") if s is result.cheapest else "")
        rows.append(
            [
                name,
                money_small(s.cost_per_request, cur),
                money(s.fixed_monthly, cur),
                tr,
                money(s.total_cost, cur),
                money(s.average_monthly_cost, cur),
                _break_even_cell(s, i == b),
                payback_label(s, i == b, h, result.strategies[b].total_cost),
            ]
        )
    flow.table(cols, rows, size=8.2, row_colors=[color(i) for i in range(len(rows))])


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


def _simulation_page(result: Result):
    """A page with the Monte Carlo histogram and fan chart of ``result.simulation`` (computed by the caller)."""
    from ..errors import format_path
    from .analysis import simulation_verdict
    from .charts import simulation_figure

    sim = result.simulation
    fig = simulation_figure(sim, figsize=PAGE)
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0.03, 0.06, 0.94, 0.8))  # leave room above for the page title and caption
    else:
        fig.subplots_adjust(top=0.78, bottom=0.16)
    for ax in fig.axes:
        declutter_ticks(ax)  # again in the page's narrower box
    caption = (
        simulation_verdict(sim)
        + " "
        + _("{n} samples; uncertain inputs: {inputs}.").format(n=count(sim.n), inputs=", ".join(sorted(format_path(p) for p in result.scenario.distributions)))
    )
    for k, line in enumerate(wrap(caption, PAGE[0] - 2 * MARGIN, 9, False)):
        fig.text(MARGIN / PAGE[0], 1 - (0.6 + 0.19 * k) / PAGE[1], line, fontsize=9, color=GREY, va="top", parse_math=False)
    return fig


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


def _footers(pages: list, result: Result, today: _dt.date) -> None:
    n = len(pages)
    for k, fig in enumerate(pages, 1):
        footer = _("ftcost report: {scenario}, {date}").format(scenario=result.scenario.name, date=date(today))
        fig.text(MARGIN / PAGE[0], 0.35 / PAGE[1], footer, fontsize=7.5, color=GREY, parse_math=False)
        fig.text(1 - MARGIN / PAGE[0], 0.35 / PAGE[1], _("page {k} of {n}").format(k=k, n=n), fontsize=7.5, color=GREY, ha="right", parse_math=False)


def _page_one(flow: _Flow, result: Result, today: _dt.date, k: float) -> _Flow:
    """The summary and the inputs at type scale ``k``, from page 1 on."""
    flow.k = k
    _first_page(flow, result, today)
    _inputs_section(flow, result)
    return flow


def report_pages(result: Result, *, today: _dt.date | None = None) -> tuple[list, dict]:
    """All pages as Figures, and the plot figures by name (for ``--png``).

    The simulation page and the job-availability table show ``result.simulation`` and ``result.availability``,
    which the caller computes (:func:`ftcost.api.report_facts`); a result without them has neither.
    """
    import matplotlib

    from . import plot

    today = today or _dt.date.today()
    with matplotlib.rc_context(_RC):
        # The largest type scale at which the summary and the inputs fit on page 1, found by dry runs (nothing
        # drawn); then page 1 is drawn once.
        fits = next((k for k in (1.0, 0.94, 0.88) if _page_one(_Flow(dry=True), result, today, k).pages[1:] == []), None)
        if fits is not None:
            flow = _page_one(_Flow(), result, today, fits)
        else:
            # Too much for one page at a readable size: the summary on page 1, the inputs on page 2.
            flow = _Flow()
            _first_page(flow, result, today)
            _inputs_section(flow, result, new_page=True)
        pages = list(flow.pages)
        figs = {
            "breakeven": plot.breakeven_figure(result, figsize=PAGE, margins=_PLOT_RECT),
            "cumulative": plot.cumulative_figure(result, figsize=PAGE, margins=_PLOT_RECT),
        }
        if result.simulation is not None:
            figs["simulation"] = _simulation_page(result)
        pages += list(figs.values())
        flow = _Flow()
        _schedule_pages(flow, result)
        _prices_pages(flow, result)
        _availability(flow, result)
        pages += flow.pages
        _footers(pages, result, today)
    return pages, figs


def write_report(result: Result, path: str | Path, *, png_dir: str | Path | None = None, inputs: Iterable = (), today: _dt.date | None = None) -> list[Path]:
    """Write the PDF report (and with ``png_dir`` each chart as PNG), every file atomically.

    Every output path is checked before anything is drawn, so a bad one leaves nothing behind.
    ``result`` comes with its report facts (:func:`ftcost.api.report_facts`). Returns the paths written.
    """
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from ..outputs import atomic_path, check_output_path
    from . import plot
    from .labels import for_drawing
    from .pdf_text import faster_text

    result = for_drawing(result)  # names cut to a drawable length: drawing time does not grow with them
    p = check_output_path(path, inputs=inputs, extensions=(".pdf",))
    pngs: dict[str, Path] = {}
    if png_dir is not None:
        d = Path(png_dir)
        for kind in plot.KINDS:
            pngs[kind] = check_output_path(d / f"{p.stem}-{kind}.png", inputs=inputs, extensions=(".png",))
    sc = result.scenario
    with faster_text():
        pages, _figs = report_pages(result, today=today)
        with plot.writing(p), atomic_path(p, inputs=inputs, extensions=(".pdf",)) as tmp:
            with matplotlib.rc_context(_RC):
                title = _("ftcost report: {scenario}").format(scenario=sc.name)
                meta = {"Title": title, "Creator": f"ftcost {_version()}", "Subject": recommendation(result), "CreationDate": None}
                with PdfPages(tmp, metadata=meta) as pdf:
                    for fig in pages:
                        pdf.savefig(fig)
    written = [p]
    for kind, target in pngs.items():
        written.append(plot.save_figure(plot.figure(result, kind), target, inputs=inputs))
    return written
