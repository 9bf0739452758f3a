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

from ..i18n import _
from ..result import Result
from .lfmt import count, date, money, money_small, month
from .pages import ACCENT, GREY, MARGIN, PAGE, WARN, Column, _rect
from .pages import Flow as _Flow
from .plot import _RC, color, declutter_ticks, wrap
from .report_tables import _availability, _inputs_section, _prices_pages, _schedule_pages
from .report_words import _break_even_cell, recommendation
from .text import payback_label

# Margins of a chart on a report page: clear of the footer.
_PLOT_RECT = (0.35, 0.6, 0.45, 0.45)  # left, bottom, right, top, inches


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
