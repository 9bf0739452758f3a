"""Plots of a comparison: the break-even chart and the cumulative cost chart.

Data and drawing are separate: :func:`breakeven_data` and
:func:`cumulative_data` compute what a chart shows (plain numpy, testable
without looking at pixels); :func:`breakeven_figure` and
:func:`cumulative_figure` draw it on a :class:`matplotlib.figure.Figure`.
Figures are built without pyplot, so importing this module never changes the
backend of a notebook; saving renders with Agg (PNG) or the PDF/SVG backends.
Every marked artist carries a ``gid`` (``curve:NAME``, ``breakeven:NAME``,
``current-volume``, ``payback:NAME``, ``training:NAME``) so tests can read
the plotted values back.

matplotlib is imported here and only here (and by the report), so
``ftcost compare`` never loads it.
"""

from __future__ import annotations

import contextlib
import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

import numpy as np

from ..result import Result
from .fmt import count_short, money_short

KINDS = ("breakeven", "cumulative")
EXTENSIONS = (".png", ".pdf", ".svg")

# Colour-blind-safe palette (Okabe-Ito), strategy i gets colour i.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
LINESTYLES = ("-", "--", "-.", ":")
SHADE_ALPHA = 0.10
FIGSIZE = (10.0, 6.2)
DPI = 150

_RC = {
    "font.size": 10,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.useoffset": False,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "pdf.fonttype": 42,  # TrueType: text in the PDF stays text (searchable, extractable)
    "svg.fonttype": "path",  # looks the same in every browser, whatever fonts it has
    "text.parse_math": False,  # "$1.2k to $3k" is money, not mathtext
}


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


# --------------------------------------------------------------------------
# Data


def cost_curve(result: Result, volumes) -> np.ndarray:
    """Monthly cost of every strategy at a constant monthly volume, shape [strategies, volumes].

    The engine's linear model (docs/design.md): ``Fbar_s + V * c_s``, with training
    and one-time costs spread over the horizon; the break-even volume is where
    two of these lines cross. A result that knows better (non-linear,
    staircase strategies) provides ``cost_at_volumes(volumes)`` and is used
    as is.

    Examples
    --------
    Fbar 0 and 1,241; c 0.0003 and 0.0001: at 6,205,000 requests both cost 1,861.5.
    """
    v = np.atleast_1d(np.asarray(volumes, dtype=float))
    fn = getattr(result, "cost_at_volumes", None)
    if callable(fn):
        return np.asarray(fn(v), dtype=float).reshape(len(result.strategies), v.size)
    o = result.outputs
    fbar = np.asarray(o.average_fixed_monthly, dtype=float).reshape(-1)
    c = np.asarray(o.cost_per_request, dtype=float).reshape(-1)
    return fbar[:, None] + v[None, :] * c[:, None]


@dataclass
class BreakEvenPoint:
    strategy: str
    index: int
    volume: float  # the engine's break-even volume (requests per month)
    cost: float  # monthly cost there
    cheaper_above: bool


@dataclass
class Region:
    strategy: str
    index: int
    from_volume: float
    to_volume: float


@dataclass
class BreakevenData:
    names: list[str]
    currency: str
    baseline: int
    volumes: np.ndarray  # [V], sorted, includes the break-even and current volumes
    curves: np.ndarray  # [S, V]
    cheapest: np.ndarray  # [V] index of the cheapest strategy at each volume
    regions: list[Region]
    points: list[BreakEvenPoint]
    current_volume: float
    current_costs: np.ndarray  # [S]
    log: bool
    x_range: tuple[float, float]


def _nice_ceil(x: float) -> float:
    """1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k at or above x."""
    if x <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(x))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * e >= x * (1 - 1e-12):
            return m * e
    return 10 * e


def volume_range(result: Result, *, log: bool = False) -> tuple[float, float]:
    """The volumes a break-even chart spans: the current volume and every break-even, with room."""
    current = float(result.scenario.requests_per_month)
    bes = [s.break_even_requests_per_month for s in result.strategies if s.break_even_requests_per_month]
    # Where the cheapest strategy changes (the result's own ranges, staircases included).
    bes += [float(r["from_requests_per_month"]) for r in (getattr(result, "cheapest_by_volume", None) or []) if r.get("from_requests_per_month")]
    marks = [v for v in [current, *bes] if v and v > 0 and math.isfinite(v)]
    # The volume the scenario reaches in its last month, unless growth takes it off any sensible scale.
    end = current * (1 + result.scenario.growth_per_month) ** (result.scenario.horizon_months - 1)
    end = end if math.isfinite(end) and end <= 20 * max(marks, default=0.0) else 0.0
    if log:
        if end > 0:
            marks.append(end)
        # a log axis needs bounds well inside the floats: a 5e-324 volume or a 1e308 break-even must not reach log10
        marks = [min(max(v, 1e-3), 1e300) for v in marks]
        if not marks:
            return 1e3, 1e7
        lo = 10 ** math.floor(math.log10(min(marks) / 3))
        hi = 10 ** math.ceil(math.log10(max(marks) * 3))
        return float(lo), float(max(hi, lo * 100))
    hi = max([2.0 * current, 1.1 * end] + [1.25 * v for v in bes]) if (current > 0 or bes) else 1e6
    return 0.0, _nice_ceil(min(hi, 1e300))  # 1.25 x a 1e308 break-even would be inf


def breakeven_data(result: Result, *, log: bool = False, points: int = 600) -> BreakevenData:
    """Everything the break-even chart shows, computed from the result.

    The curves come from :func:`cost_curve`; the shading is the argmin of the
    curves (so it stays right if curves become staircases), and each region
    boundary is placed where the two curves cross between grid points (exact
    for straight lines). The marked break-even volumes are the engine's,
    against the baseline.
    """
    sc = result.scenario
    names = [s.name for s in result.strategies]
    lo, hi = volume_range(result, log=log)
    grid = np.geomspace(lo, hi, points) if log else np.linspace(lo, hi, points)
    marks = [s.break_even_requests_per_month for s in result.strategies if s.break_even_requests_per_month is not None]
    extra = [v for v in [float(sc.requests_per_month), *marks] if lo <= v <= hi]
    volumes = np.unique(np.concatenate([grid, np.asarray(extra, dtype=float)]))
    curves = cost_curve(result, volumes)
    cheapest = np.argmin(curves, axis=0)

    regions: list[Region] = []
    start = volumes[0]
    for k in range(1, volumes.size):
        a, b = cheapest[k - 1], cheapest[k]
        if a != b:
            # Where curve a meets curve b between volumes[k-1] and volumes[k].
            d0 = curves[a, k - 1] - curves[b, k - 1]
            d1 = curves[a, k] - curves[b, k]
            t = d0 / (d0 - d1) if d0 != d1 else 0.5
            x = volumes[k - 1] + min(max(t, 0.0), 1.0) * (volumes[k] - volumes[k - 1])
            regions.append(Region(names[a], int(a), float(start), float(x)))
            start = x
    regions.append(Region(names[int(cheapest[-1])], int(cheapest[-1]), float(start), float(volumes[-1])))

    pts = []
    for i, s in enumerate(result.strategies):
        v = s.break_even_requests_per_month
        if v is None:
            continue
        pts.append(BreakEvenPoint(s.name, i, float(v), float(cost_curve(result, [v])[i, 0]), bool(s.cheaper_above_break_even)))
    current = float(sc.requests_per_month)
    return BreakevenData(
        names=names,
        currency=sc.currency,
        baseline=sc.baseline,
        volumes=volumes,
        curves=curves,
        cheapest=cheapest,
        regions=regions,
        points=pts,
        current_volume=current,
        current_costs=cost_curve(result, [current])[:, 0],
        log=log,
        x_range=(float(lo), float(hi)),
    )


@dataclass
class CumulativeData:
    names: list[str]
    currency: str
    baseline: int
    labels: list[str]  # calendar month of each month 1..H
    cumulative: np.ndarray  # [S, H]: K_s(m) at the end of month m
    x: list[np.ndarray]  # per strategy, polyline x in months since the start (0..H)
    y: list[np.ndarray]
    training_months: list[list[int]]  # per strategy
    training_points: list[tuple[np.ndarray, np.ndarray]]  # (x, y) of the top of each training step
    payback: list[int | None]  # per strategy, payback month (None: baseline or never)


def cumulative_data(result: Result) -> CumulativeData:
    """Cumulative cost per strategy as drawn: lump sums (training, one-time) as steps at the start of
    their month, then fixed and variable costs accruing through the month."""
    sc = result.scenario
    h = sc.horizon_months
    sch = result.schedule()
    monthly = sch["total_cost"]
    lump = sch["training_cost"] + sch["one_time_cost"] + sch["data_generation_cost"]
    cum = sch["cumulative_cost"]
    xs, ys, tps = [], [], []
    for i in range(monthly.shape[0]):
        prev = np.concatenate([[0.0], cum[i, :-1]])
        m0 = np.arange(h, dtype=float)
        x = np.column_stack([m0, m0, m0 + 1]).reshape(-1)
        y = np.column_stack([prev, prev + lump[i], cum[i]]).reshape(-1)
        xs.append(x)
        ys.append(y)
        steps = np.flatnonzero(lump[i] > 0)
        tps.append((steps.astype(float), prev[steps] + lump[i, steps]))
    return CumulativeData(
        names=[s.name for s in result.strategies],
        currency=sc.currency,
        baseline=sc.baseline,
        labels=[sc.month_label(m) for m in range(1, h + 1)],
        cumulative=cum,
        x=xs,
        y=ys,
        training_months=[list(s.training_months) for s in result.strategies],
        training_points=tps,
        payback=[s.payback_month for s in result.strategies],
    )


# --------------------------------------------------------------------------
# Drawing


def _mpl():
    import matplotlib

    return matplotlib


def _new_figure(figsize, margins=None):
    """A Figure on the Agg canvas (no pyplot), laid out by constrained layout.

    ``margins`` (left, bottom, right, top, inches) keeps the chart, its title
    and legend inside a box of the page, e.g. clear of a report's footer.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize or FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # the Agg backend, without pyplot's global state
    if margins is not None:
        w, h = fig.get_size_inches()
        left, bottom, right, top = margins
        fig.get_layout_engine().set(rect=(left / w, bottom / h, 1 - (left + right) / w, 1 - (bottom + top) / h))
    fig._ftcost_margins = margins
    return fig


def _legend_below(ax, handles, texts):
    """The legend under the x axis label, attached to the axes so the layout makes room for it.

    As many columns (up to 3) as fit the figure's width, measured, so it is never cut off.
    """
    size = 9.5
    room = (_root(ax).get_figwidth() - 0.6) * 72
    ncol = 1
    for n in (3, 2):
        per = math.ceil(len(texts) / n)
        cols = [texts[k * per : (k + 1) * per] for k in range(n)]
        width = sum(max((_width_pt(t, size, False) for t in c), default=0) + 3.3 * size for c in cols if c)
        if len([c for c in cols if c]) == n and width <= room:
            ncol = n
            break
    return ax.legend(handles, texts, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=ax.transAxes, borderaxespad=3.6, ncol=ncol, fontsize=size)


def _log_ticks(ax) -> None:
    """On a logarithmic axis spanning few decades, label 1-2-5 steps too, so there are enough ticks to read."""
    from matplotlib.ticker import LogLocator, NullFormatter

    for axis, lims in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
        if axis.get_scale() != "log" or min(lims) <= 0:
            continue
        decades = math.log10(max(lims) / min(lims))
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if decades < 3.5 else (1.0,)))
        axis.set_minor_formatter(NullFormatter())


def _align_title(fig, ax) -> None:
    """Put the title's left edge on the plot's left edge (after layout)."""
    fig.draw_without_rendering()  # the final layout (the y limits may have moved since the labels were placed)
    renderer = fig.canvas.get_renderer()
    pad_px = 0.25 * 9 * fig.dpi / 72
    for t in ax.texts:
        if not (t.get_gid() or "").endswith(":label"):
            continue
        bb = t.get_window_extent(renderer)
        shift = max(0.0, ax.bbox.x0 + 2 - (bb.x0 - pad_px)) + min(0.0, ax.bbox.x1 - 2 - (bb.x1 + pad_px))
        if shift:
            xd = ax.transData.transform((t.get_position()[0], 0))[0]
            t.set_x(ax.transData.inverted().transform((xd + shift, 0))[0])
    x = fig.transFigure.inverted().transform((ax.bbox.x0, 0))[0]
    t = getattr(fig, "_ftcost_title", None) or fig._suptitle
    if t is not None:
        t.set_x(x)


def _root(artist):
    """The top-level Figure of an artist drawn in a SubFigure."""
    try:
        return artist.get_figure(root=True)
    except TypeError:  # matplotlib < 3.10
        fig = artist.figure
        while not hasattr(fig, "draw_without_rendering"):
            fig = fig.figure
        return fig


def _money_axis(axis, currency: str):
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda y, _pos: money_short(y, currency)))


def _count_axis(axis):
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda x, _pos: count_short(x)))


def _top_labels(ax, items: list[tuple[float, str, str, str]], *, log: bool) -> float | None:
    """Labels along the top of the plot, each over a vertical guide line, staggered so none overlap.

    ``items``: (x in data units, text, colour, gid). Labels are placed in
    x order on the first row where they do not touch the previous label.
    Returns the bottom of the lowest label (axes fraction), to keep the data under it.
    """
    if not items:
        return None
    fig = _root(ax)
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()  # settle the layout before measuring
    ax_bb = ax.get_window_extent(renderer)
    pad_px = 0.25 * 9 * fig.dpi / 72  # the label box's pad (0.25 of the 9-point font)
    placed = []
    for x, text, col, gid in sorted(items, key=lambda t: t[0]):
        t = ax.text(
            x,
            0.985,
            text,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=9,
            color=col,
            gid=gid + ":label",
            zorder=6,
            bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=col, lw=0.8, alpha=0.95),
        )
        bb = t.get_window_extent(renderer)
        # keep the label (and its box) inside the axes horizontally
        shift = 0.0
        if bb.x0 - pad_px < ax_bb.x0 + 2:
            shift = ax_bb.x0 + 2 - (bb.x0 - pad_px)
        elif bb.x1 + pad_px > ax_bb.x1 - 2:
            shift = ax_bb.x1 - 2 - (bb.x1 + pad_px)
        if shift:
            xd = ax.transData.transform((x, 1.0))[0]
            t.set_x(ax.transData.inverted().transform((xd + shift, 0))[0])
            bb = bb.translated(shift, 0)
        placed.append((t, bb))
    row_h_px = max(bb.height for _, bb in placed) + 2 * pad_px + 4
    rows_end: list[float] = []  # right edge (display px) of the last label in each row
    for t, bb in placed:
        row = next((r for r, end in enumerate(rows_end) if bb.x0 - pad_px > end + 6), len(rows_end))
        if row == len(rows_end):
            rows_end.append(bb.x1 + pad_px)
        else:
            rows_end[row] = bb.x1 + pad_px
        t.set_y(0.985 - row * row_h_px / ax_bb.height)
    return 0.985 - len(rows_end) * row_h_px / ax_bb.height


def _headroom(ax, ymax: float, below: float | None) -> None:
    """Raise the top of the y axis so the data (up to ``ymax``) stays under the labels (axes fraction ``below``)."""
    if below is None or not math.isfinite(ymax) or ymax <= 0:
        return
    frac = max(below - 0.03, 0.35)
    lo, hi = ax.get_ylim()
    if ax.get_yscale() == "log":
        llo, lmax = math.log10(lo), math.log10(ymax)
        top = 10 ** (llo + (lmax - llo) / frac)
    else:
        top = lo + (ymax - lo) / frac
    if top > hi:
        ax.set_ylim(lo, top)


def _region_labels(ax, regions: list[Region]) -> None:
    """Name the cheapest strategy along the bottom of each shaded region that is wide enough for it."""
    renderer = _root(ax).canvas.get_renderer()
    for r in regions:
        x0, x1 = (ax.transData.transform((v, 0))[0] for v in (r.from_volume, r.to_volume))
        xmid = ax.transData.inverted().transform(((x0 + x1) / 2, 0))[0]
        t = ax.text(
            xmid,
            0.015,
            f"cheapest: {_short(r.strategy)}",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=8.5,
            style="italic",
            color=color(r.index),
            zorder=6,
            gid=f"region-label:{r.strategy}",
            bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none", alpha=0.7),
        )
        bb = t.get_window_extent(renderer)
        if bb.width > (x1 - x0) - 8:
            t.remove()


def breakeven_figure(result: Result, *, log: bool = False, data: BreakevenData | None = None, figsize=None, margins=None):
    """The break-even chart: monthly cost against monthly volume for every strategy.

    Lines: ``Fbar + V c`` per strategy (:func:`cost_curve`). Background: the
    cheapest strategy at each volume. Dots: each break-even volume against
    the baseline, labelled. Dashed line: the scenario's volume.
    """
    from matplotlib.patches import Patch

    d = data or breakeven_data(result, log=log)
    sc = result.scenario
    cur = d.currency
    with _mpl().rc_context(_RC):
        fig = _new_figure(figsize, margins)
        ax = fig.add_subplot()
        for r in d.regions:
            ax.axvspan(r.from_volume, r.to_volume, color=color(r.index), alpha=SHADE_ALPHA, lw=0, zorder=0, gid=f"region:{r.strategy}")
        for i, name in enumerate(d.names):
            s = result.strategies[i]
            label = _short(name, MAX_LABEL_CHARS) + (" (baseline)" if i == d.baseline else "")
            if i != d.baseline:
                v = s.break_even_requests_per_month
                if v is None:
                    label += ": never cheaper than the baseline"
                elif v == 0:
                    label += ": cheaper than the baseline at any volume" if s.cheaper_above_break_even else ": never cheaper"
            ax.plot(
                d.volumes,
                d.curves[i],
                color=color(i),
                lw=2.4 if i == d.baseline else 2.0,
                ls=LINESTYLES[i % len(LINESTYLES)],
                label=label,
                gid=f"curve:{name}",
                zorder=3,
            )
        if d.log:
            ax.set_xscale("log")
            ax.set_yscale("log")
        ax.set_xlim(*d.x_range)
        if not d.log:
            ax.set_ylim(0, float(np.nanmax(d.curves)) * 1.08 or 1.0)
        else:
            pos = d.curves[d.curves > 0]
            if pos.size:
                ax.set_ylim(pos.min() / 2, pos.max() * 1.5)
        _count_axis(ax.xaxis)
        _money_axis(ax.yaxis, cur)
        if d.log:
            from matplotlib.ticker import NullFormatter

            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.yaxis.set_minor_formatter(NullFormatter())
        ax.grid(True, which="major", color="#dddddd", lw=0.7, zorder=1)
        ax.set_axisbelow(True)

        labels = []
        for p in d.points:
            if p.volume <= 0:
                continue  # "cheaper at any volume": said in the legend
            ax.plot([p.volume], [p.cost], marker="o", ms=8, mfc="white", mec=color(p.index), mew=2.2, ls="none", zorder=5, gid=f"breakeven:{p.strategy}")
            ax.axvline(p.volume, color=color(p.index), lw=0.9, ls=":", zorder=2)
            side = "above" if p.cheaper_above else "below"
            labels.append((p.volume, f"{_short(p.strategy)}\nbreak-even {count_short(p.volume)}/mo, cheaper {side}", color(p.index), f"breakeven:{p.strategy}"))
        for r_prev, r in zip(d.regions, d.regions[1:]):
            x = r.from_volume
            if any(math.isclose(x, p.volume, rel_tol=1e-6, abs_tol=1e-9) for p in d.points):
                continue  # already marked as a break-even against the baseline
            y = float(cost_curve(result, [x])[r.index, 0])
            ax.plot([x], [y], marker="D", ms=7, mfc="white", mec=color(r.index), mew=2.0, ls="none", zorder=5, gid=f"switch:{r_prev.strategy}->{r.strategy}")
            ax.axvline(x, color=color(r.index), lw=0.9, ls=":", zorder=2)
            labels.append((x, f"{_short(r.strategy)}\ncheapest above {count_short(x)}/mo", color(r.index), f"switch:{r_prev.strategy}->{r.strategy}"))
        cv = d.current_volume
        v_end = cv * (1 + sc.growth_per_month) ** (sc.horizon_months - 1)
        lo_x, hi_x = d.x_range
        span = (abs(math.log(v_end / cv)) / math.log(hi_x / lo_x) if d.log else abs(v_end - cv) / (hi_x - lo_x)) if cv > 0 else 0.0
        if sc.growth_per_month and span > 0.04 and lo_x <= min(cv, v_end) and max(cv, v_end) <= hi_x:
            ax.annotate(
                "",
                xy=(v_end, 0.1),
                xytext=(cv, 0.1),
                xycoords=ax.get_xaxis_transform(),
                arrowprops=dict(arrowstyle="-|>", color="#222222", lw=1.3, shrinkA=0, shrinkB=0),
                zorder=5,
                gid="volume-range",
            )
            ax.text(
                math.sqrt(cv * v_end) if d.log else (cv + v_end) / 2,
                0.115,
                f"your volume, month 1 to {sc.horizon_months}",
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8.5,
                color="#222222",
                zorder=6,
                gid="volume-range:label",
                bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.7),
            )
        if d.x_range[0] <= cv <= d.x_range[1] and not (d.log and cv <= 0):
            ax.axvline(cv, color="#222222", lw=1.3, ls="--", zorder=4, gid="current-volume")
            best = d.names[int(np.argmin(d.current_costs))]
            labels.append((cv, f"you: {count_short(cv)}/mo\ncheapest: {_short(best)}", "#222222", "current-volume"))

        _titles(fig, ax, f"{sc.name}: monthly cost by volume", _breakeven_subtitle(result))
        ax.set_xlabel("Requests per month (constant volume)")
        ax.set_ylabel(f"Monthly cost ({cur}, training spread over {sc.horizon_months} months)")

        handles, texts = ax.get_legend_handles_labels()
        handles.append(Patch(facecolor="#888888", alpha=0.25, lw=0))
        texts.append("shading: cheapest strategy at that volume")
        _legend_below(ax, handles, texts)
        below = _top_labels(ax, labels, log=d.log)
        _headroom(ax, float(np.nanmax(d.curves)), below)
        _region_labels(ax, d.regions)
        _log_ticks(ax)
        _align_title(fig, ax)
    return fig


def _titles(fig, ax, title: str, subtitle: str) -> None:
    """A bold title and a grey subtitle, left-aligned over the plot, wrapped to the plot's width."""
    width = fig.get_figwidth() - 1.1
    lines = wrap(_short(title, 2 * MAX_LABEL_CHARS), width, 13, True)
    m = getattr(fig, "_ftcost_margins", None)
    if m is None:
        fig.suptitle("\n".join(lines), x=0.01, ha="left", va="top", fontsize=13, fontweight="bold")
    else:
        # Inside page margins constrained layout would not place a suptitle there: draw the title in the top
        # margin and shrink the layout box under it.
        w, h = fig.get_size_inches()
        left, bottom, right, top = m
        title_h = len(lines) * 13 / 72 * 1.3 + 0.08
        fig._ftcost_title = fig.text(left / w, 1 - top / h, "\n".join(lines), ha="left", va="top", fontsize=13, fontweight="bold")
        fig._ftcost_title.set_in_layout(False)
        fig.get_layout_engine().set(rect=(left / w, bottom / h, 1 - (left + right) / w, 1 - (bottom + top + title_h) / h))
    ax.set_title("\n".join(wrap(subtitle, width, 9)), loc="left", fontsize=9, fontweight="normal", color="#555555", pad=8)


@cache
def _advance(ch: str, bold: bool) -> float:
    """Advance width of one character of DejaVu Sans at 1 point, in points (unhinted)."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    try:
        from matplotlib.ft2font import LoadFlags

        no_hinting = LoadFlags.NO_HINTING
    except ImportError:  # matplotlib < 3.10
        from matplotlib.ft2font import LOAD_NO_HINTING as no_hinting

    font = get_font(findfont(FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")))
    font.set_size(100, 72)
    glyph = font.load_char(ord(ch), flags=no_hinting)
    return glyph.linearHoriAdvance / 65536 / 100


def _width_pt(text: str, size: float, bold: bool) -> float:
    """Width of ``text`` in points (sum of advances; kerning ignored, a fraction of a percent)."""
    return size * sum(_advance(ch, bold) for ch in text)


def wrap(text: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap by measured width (inches, DejaVu Sans at ``size`` points).

    A word longer than a line (a URL, a model id) is split, after a separator when it can be.
    """
    limit = width_in * 72
    out: list[str] = []
    text = _short(str(text), MAX_DRAWN_CHARS)  # drawing time must not grow with a name's length
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            cand = word if not line else line + " " + word
            if _width_pt(cand, size, bold) <= limit:
                line = cand
                continue
            if line:
                out.append(line)
            line = word
            while _width_pt(line, size, bold) > limit and len(line) > 1:
                # the longest prefix that fits (at least 1 character), from prefix sums: linear, not quadratic
                widths = [size * w for w in accumulate(_advance(ch, bold) for ch in line[:-1])]
                k = max(1, bisect_right(widths, limit))
                cut = max(line.rfind(ch, 0, k) for ch in "/-_.?&")  # prefer a break after a separator
                if cut > k // 3:
                    k = cut + 1
                out.append(line[:k])
                line = line[k:]
        out.append(line)
    return out


# Text drawn on a chart or a report page is cut here (names can be 10,000 characters long).
MAX_DRAWN_CHARS = 1000
MAX_LABEL_CHARS = 80


def _short(name: str, n: int = 40) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


def _breakeven_subtitle(result: Result) -> str:
    sc = result.scenario
    growth = f", growing {sc.growth_per_month * 100:.1f}%/month" if sc.growth_per_month else ""
    return (
        f"{sc.horizon_months} months from {sc.month_label(1)}; you are at {count_short(sc.requests_per_month)} "
        f"requests/month{growth}; break-even against '{sc.baseline_name}'"
    )


def cumulative_figure(result: Result, *, log: bool = False, data: CumulativeData | None = None, figsize=None, margins=None):
    """Cumulative cost over the horizon: training runs as visible steps, payback months marked."""
    from matplotlib.lines import Line2D

    d = data or cumulative_data(result)
    sc = result.scenario
    cur = d.currency
    h = len(d.labels)
    with _mpl().rc_context(_RC):
        fig = _new_figure(figsize, margins)
        ax = fig.add_subplot()
        any_training = False
        for i, name in enumerate(d.names):
            label = _short(name, MAX_LABEL_CHARS) + (" (baseline)" if i == d.baseline else "")
            if i != d.baseline:
                p = d.payback[i]
                label += f": pays back in month {p}" if p else f": no payback in {h} months"
            ys = np.where(d.y[i] > 0, d.y[i], np.nan) if log else d.y[i]  # a log axis has no 0
            ax.plot(
                d.x[i], ys, color=color(i), lw=2.4 if i == d.baseline else 2.0, ls=LINESTYLES[i % len(LINESTYLES)], label=label, gid=f"curve:{name}", zorder=3
            )
            tx, ty = d.training_points[i]
            if tx.size:
                any_training = True
                ax.plot(tx, ty, marker="^", ms=7, color=color(i), ls="none", zorder=4, gid=f"training:{name}")
        if log:
            ax.set_yscale("log")
            pos = np.concatenate([y[y > 0] for y in d.y]) if d.y else np.array([])
            if pos.size:
                ax.set_ylim(pos.min() / 2, pos.max() * 1.5)
        else:
            top = max((float(np.max(y)) for y in d.y), default=1.0)
            ax.set_ylim(0, (top or 1.0) * 1.08)
        ax.set_xlim(0, h)
        step = max(1, math.ceil(h / 8))
        for nice in (1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600):
            if nice >= step:
                step = nice
                break
        # Month m spans [m - 1, m]; its calendar label sits in the middle, boundaries are minor ticks.
        ticks = list(range(0, h, step))
        ax.set_xticks([t + 0.5 for t in ticks])
        ax.set_xticklabels([d.labels[t] for t in ticks])
        ax.set_xticks(range(0, h + 1), minor=True)
        ax.tick_params(axis="x", which="major", length=0, pad=6)
        _money_axis(ax.yaxis, cur)
        if log:
            from matplotlib.ticker import NullFormatter

            ax.yaxis.set_minor_formatter(NullFormatter())
        ax.grid(True, which="major", axis="y", color="#dddddd", lw=0.7)
        ax.set_axisbelow(True)

        labels = []
        for i, p in enumerate(d.payback):
            if not p:
                continue
            yv = float(d.cumulative[i, p - 1])
            ax.plot([p], [yv], marker="*", ms=15, color=color(i), mec="white", mew=0.8, ls="none", zorder=6, gid=f"payback:{d.names[i]}")
            ax.axvline(p, color=color(i), lw=0.9, ls=":", zorder=2)
            labels.append((float(p), f"{_short(d.names[i])}\npays back: month {p} ({d.labels[p - 1]})", color(i), f"payback:{d.names[i]}"))

        growth = f", growing {sc.growth_per_month * 100:.1f}%/month" if sc.growth_per_month else ""
        _titles(
            fig,
            ax,
            f"{sc.name}: cumulative cost over {h} months",
            f"From {sc.month_label(1)}, {count_short(sc.requests_per_month)} requests in month 1{growth}. "
            f"Payback: the first month the running total is at or below that of '{sc.baseline_name}'.",
        )
        ax.set_xlabel("Calendar month")
        ax.set_ylabel(f"Cumulative cost ({cur})")
        handles, texts = ax.get_legend_handles_labels()
        if any_training:
            handles.append(Line2D([], [], color="#555555", marker="^", ls="none"))
            texts.append("training run (and one-time cost) at the start of its month")
        if any(d.payback):
            handles.append(Line2D([], [], color="#555555", marker="*", ms=11, ls="none"))
            texts.append("payback month")
        _legend_below(ax, handles, texts)
        below = _top_labels(ax, labels, log=log)
        _headroom(ax, max((float(np.max(y)) for y in d.y), default=0.0), below)
        _log_ticks(ax)
        _align_title(fig, ax)
    return fig


def figure(result: Result, kind: str = "breakeven", *, log: bool = False, figsize=None):
    """The chart ``kind`` ('breakeven' or 'cumulative') as a Figure."""
    if kind == "breakeven":
        return breakeven_figure(result, log=log, figsize=figsize)
    if kind == "cumulative":
        return cumulative_figure(result, log=log, figsize=figsize)
    raise ValueError(f"unknown plot kind {kind!r}; kinds: {', '.join(KINDS)}")


@contextlib.contextmanager
def writing(path: str | Path):
    """Turn an operating-system error while writing ``path`` into a clean OutputError (exit 2)."""
    from ..errors import OutputError

    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write the file: {exc.strerror or exc}", file=str(path), hint="choose a folder you can write to, with free space") from None


def save_figure(fig, path: str | Path, *, inputs: Iterable = ()) -> Path:
    """Save ``fig`` to ``path`` (.png, .pdf or .svg) atomically: a failure leaves no partial file."""
    from ..outputs import atomic_path

    p = Path(path)
    with writing(p), atomic_path(p, inputs=inputs, extensions=EXTENSIONS) as tmp:
        fmt = p.suffix.lower().lstrip(".")
        meta = {"Software": None} if fmt == "png" else ({"Creator": "ftcost", "CreationDate": None} if fmt == "pdf" else None)
        with _mpl().rc_context(_RC):
            fig.savefig(tmp, format=fmt, dpi=DPI, metadata=meta)
    return p


def write_plot(result: Result, path: str | Path, kind: str = "breakeven", *, log: bool = False, inputs: Iterable = ()) -> Path:
    """Draw the chart ``kind`` and save it to ``path``."""
    from ..outputs import check_output_path
    from .labels import for_drawing

    check_output_path(path, inputs=inputs, extensions=EXTENSIONS)
    return save_figure(figure(for_drawing(result), kind, log=log), path, inputs=inputs)
