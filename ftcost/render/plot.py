"""Plots of a comparison: the break-even chart and the cumulative cost chart.

Data and drawing are separate: :mod:`ftcost.render.plot_data` computes what a
chart shows (plain numpy, testable without looking at pixels), this module
draws it on a :class:`matplotlib.figure.Figure`, built without pyplot so
importing it never changes the backend of a notebook.

Every chart shows the user: the axis scale follows the data (a log volume
axis when your volume, its growth and the crossings span more than about
1.3 decades; a log cost axis when strategies differ more than 20-30x;
``log=True/False`` forces it), your volume in month 1, the range growth takes
it through and the horizon average are marked inside the axes with room on
both sides. Strategy names, break-even volumes and payback months are in the
legend under the plot, never in boxes over the data, so up to 10 strategies
read without overlap. Every marked artist carries a ``gid`` (``curve:NAME``,
``breakeven:NAME``, ``breakeven:NAME:label``, ``current-volume``,
``average-volume``, ``volume-range``, ``payback:NAME``,
``payback:NAME:label``, ``training:NAME``) so tests can read the plotted
values back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ..i18n import _
from ..result import Result
from .lfmt import count_short
from .plot_cumulative import cumulative_figure
from .plot_data import BreakevenData, BreakEvenPoint, CumulativeData, Region, breakeven_data, choose_log, cost_curve, cumulative_data, volume_range  # noqa: F401
from .plot_style import (  # noqa: F401
    DPI,
    PALETTE,
    RC,
    _legend_gids,
    color,
    count_axis,
    declutter_ticks,
    inner_width,
    keep_inside,
    legend,
    linestyle,
    log_ticks,
    money_axis,
    mpl,
    new_figure,
    root,
    short,
    titles,
    width_pt,
    wrap,
)
from .story import shown_ranges

KINDS = ("breakeven", "cumulative")
EXTENSIONS = (".png", ".pdf", ".svg")
SHADE_ALPHA = 0.10
_RC = RC  # the report and the analysis charts share the style


def _region_labels(ax, regions: list[Region], avoid: list) -> None:
    """Name the cheapest strategy along the bottom of each shaded region wide enough for it (and clear of ``avoid``)."""
    renderer = root(ax).canvas.get_renderer()
    placed = list(avoid)
    for r in regions:
        x0, x1 = (ax.transData.transform((v, 1.0))[0] for v in (r.from_volume, r.to_volume))
        xmid = ax.transData.inverted().transform(((x0 + x1) / 2, 1.0))[0]
        t = ax.text(
            xmid,
            0.015,
            _("cheapest: {name}").format(name=short(r.strategy, 30)),
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=8,
            style="italic",
            color=color(r.index),
            zorder=6,
            gid=f"region-label:{r.strategy}",
            bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none", alpha=0.7),
        )
        bb = t.get_bbox_patch().get_window_extent(renderer) if t.get_bbox_patch() else t.get_window_extent(renderer)
        inside = ax.bbox.x0 + 2 <= bb.x0 and bb.x1 <= ax.bbox.x1 - 2
        if bb.width > (x1 - x0) - 8 or not inside or any(bb.overlaps(o) for o in placed):
            t.remove()
        else:
            placed.append(bb)


def _you(ax, d: BreakevenData, horizon: int):
    """Mark month 1's volume (dashed), the range growth takes it through (band) and the horizon average (dotted),
    with one label at the top of the plot, kept inside the axes."""
    p = d.path
    assert p is not None  # breakeven_data always sets it
    lo, hi = d.x_range
    ax.axvline(p.first, color="#222222", lw=1.4, ls="--", zorder=4, gid="current-volume")
    if p.grows:
        a, b = sorted((p.first, p.last))
        ax.axvspan(max(a, lo), min(b, hi), color="#222222", alpha=0.07, lw=0, zorder=0.5, gid="volume-range")
        ax.axvline(p.average, color="#222222", lw=1.1, ls=":", zorder=4, gid="average-volume")
        text = _("you: {first}/mo in month 1, {last} in month {horizon}, average {average}").format(
            first=count_short(p.first), last=count_short(p.last), horizon=horizon, average=count_short(p.average)
        )
    else:
        text = _("you: {first}/mo").format(first=count_short(p.first))
    right_half = (np.log(p.first / lo) / np.log(hi / lo) if d.log else (p.first - lo) / (hi - lo)) > 0.5
    t = ax.text(
        p.first,
        0.98,
        text,
        transform=ax.get_xaxis_transform(),
        ha="right" if right_half else "left",
        va="top",
        fontsize=8.5,
        color="#222222",
        zorder=7,
        gid="current-volume:label",
        bbox=dict(boxstyle="square,pad=0.25", fc="white", ec="#bbbbbb", lw=0.6, alpha=0.9),
    )
    return t


def breakeven_figure(result: Result, *, log: bool | None = None, data: BreakevenData | None = None, figsize=None, margins=None):
    """The break-even chart: monthly cost against a constant monthly volume for every strategy.

    Lines: ``Fbar + V c`` per strategy (:func:`cost_curve`, staircases for
    self-hosted). Background: the cheapest strategy at each volume. Circles:
    each break-even volume against the baseline; diamonds: where the cheapest
    strategy changes. Your volumes are marked; the legend says each
    strategy's break-even. ``log`` None: the scale the data asks for.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    d = data or breakeven_data(result, log=log)
    sc = result.scenario
    cur = d.currency
    with mpl().rc_context(RC):
        fig = new_figure(figsize, margins)
        ax = fig.add_subplot()
        for r in d.regions:
            ax.axvspan(r.from_volume, r.to_volume, color=color(r.index), alpha=SHADE_ALPHA, lw=0, zorder=0, gid=f"region:{r.strategy}")
        handles: list[Any] = []
        texts: list[str] = []
        gids: list[str | None] = []
        points = {p.index: p for p in d.points}
        for i, name in enumerate(d.names):
            s = result.strategies[i]
            label = short(name, 48) + (" " + _("(baseline)") if i == d.baseline else "")
            if i != d.baseline:
                v = s.break_even_requests_per_month
                if v is None:
                    label += ": " + _("never cheaper than the baseline")
                elif v == 0:
                    label += ": " + (_("cheaper than the baseline at any volume") if s.cheaper_above_break_even else _("never cheaper"))
                elif s.cheaper_above_break_even:
                    label += ": " + _("break-even {volume}/mo, cheaper above").format(volume=count_short(v))
                else:
                    label += ": " + _("break-even {volume}/mo, cheaper below").format(volume=count_short(v))
            ys = np.where(d.curves[i] > 0, d.curves[i], np.nan) if d.log_cost else d.curves[i]
            (line,) = ax.plot(d.volumes, ys, color=color(i), lw=2.4 if i == d.baseline else 2.0, ls=linestyle(i), gid=f"curve:{name}", zorder=3)
            handles.append(line)
            texts.append(label)
            gids.append(f"breakeven:{name}:label" if i in points and points[i].volume > 0 else f"curve:{name}:label")
        if d.log:
            ax.set_xscale("log")
        if d.log_cost:
            ax.set_yscale("log")
        ax.set_xlim(*d.x_range)
        pos = d.curves[np.isfinite(d.curves) & (d.curves > 0)]
        top = float(pos.max()) if pos.size else 1.0
        if d.log_cost:
            ax.set_ylim(float(pos.min()) / 2 if pos.size else 0.1, top * 4)  # room at the top for your label
        else:
            ax.set_ylim(0, top * 1.18)
        count_axis(ax.xaxis)
        money_axis(ax.yaxis, cur)
        ax.grid(True, which="major", color="#dddddd", lw=0.7, zorder=1)
        ax.set_axisbelow(True)

        for pt in d.points:
            if pt.volume <= 0 or not d.x_range[0] <= pt.volume <= d.x_range[1]:
                continue  # "cheaper at any volume" is said in the legend; a crossing off the chart too
            ax.plot([pt.volume], [pt.cost], marker="o", ms=8, mfc="white", mec=color(pt.index), mew=2.2, ls="none", zorder=5, gid=f"breakeven:{pt.strategy}")
        switched = False
        _shown, rest = shown_ranges(result)
        last = rest[0].from_requests_per_month * 1.001 if rest else np.inf  # a staircase's alternation: its start only
        for r_prev, r in zip(d.regions, d.regions[1:]):
            x = r.from_volume
            if any(abs(x - p.volume) <= 1e-6 * max(abs(x), 1.0) for p in d.points) or x > last:
                continue  # already marked as a break-even against the baseline, or far up a GPU staircase
            y = float(cost_curve(result, [x])[r.index, 0])
            ax.plot([x], [y], marker="D", ms=6, mfc="white", mec=color(r.index), mew=1.8, ls="none", zorder=5, gid=f"switch:{r_prev.strategy}->{r.strategy}")
            switched = True
        you = _you(ax, d, sc.horizon_months)

        best = d.names[d.cheapest_at_average]
        p = d.path
        assert p is not None  # breakeven_data always sets it
        at = (
            _("At your average volume ({volume}/mo over {h} months) the cheapest is '{name}'.").format(
                volume=count_short(p.average), h=sc.horizon_months, name=short(best, 40)
            )
            if p.grows
            else _("At your volume the cheapest is '{name}'.").format(name=short(best, 40))
        )
        scale = (" " + _("Log scales.")) if d.log else (" " + _("Log cost scale.")) if d.log_cost else ""
        titles(
            fig,
            ax,
            _("{scenario}: monthly cost by volume").format(scenario=sc.name),
            at
            + " "
            + _("Break-even against '{baseline}'; training and one-time costs spread over {h} months.").format(
                baseline=short(sc.baseline_name, 40), h=sc.horizon_months
            )
            + scale,
        )
        ax.set_xlabel(_("Requests per month (constant volume)"))
        ax.set_ylabel(_("Monthly cost ({currency})").format(currency=cur))

        handles.append(Patch(facecolor="#888888", alpha=0.25, lw=0))
        texts.append(_("shading: cheapest strategy at that volume"))
        gids.append(None)
        if d.points:
            handles.append(Line2D([], [], color="#555555", marker="o", mfc="white", ls="none"))
            texts.append(_("break-even against the baseline"))
            gids.append(None)
        if switched:
            handles.append(Line2D([], [], color="#555555", marker="D", mfc="white", ls="none"))
            texts.append(_("the cheapest strategy changes"))
            gids.append(None)
        if p.grows:
            handles += [Patch(facecolor="#222222", alpha=0.12, lw=0), Line2D([], [], color="#222222", ls=":")]
            texts += [_("your volume, month 1 to {h} (dashed: month 1)").format(h=sc.horizon_months), _("your average volume")]
            gids += [None, None]
        _legend_gids(legend(fig, handles, texts), gids)
        log_ticks(ax)
        declutter_ticks(ax)
        keep_inside(ax, you)
        _region_labels(ax, d.regions, [you.get_bbox_patch().get_window_extent(fig.canvas.get_renderer())])
    return fig


def figure(result: Result, kind: str = "breakeven", *, log: bool | None = None, figsize=None):
    """The chart ``kind`` ('breakeven' or 'cumulative') as a Figure; ``log`` None lets the data choose."""
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
        raise OutputError(
            _("cannot write the file: {problem}").format(problem=exc.strerror or exc),
            file=str(path),
            hint=_("choose a folder you can write to, with free space"),
        ) from None


def save_figure(fig, path: str | Path, *, inputs: Iterable = ()) -> Path:
    """Save ``fig`` to ``path`` (.png, .pdf or .svg) atomically: a failure leaves no partial file."""
    from ..outputs import atomic_path

    p = Path(path)
    with writing(p), atomic_path(p, inputs=inputs, extensions=EXTENSIONS) as tmp:
        fmt = p.suffix.lower().lstrip(".")
        meta = {"Software": None} if fmt == "png" else ({"Creator": "ftcost", "CreationDate": None} if fmt == "pdf" else None)
        with mpl().rc_context(RC):
            fig.savefig(tmp, format=fmt, dpi=DPI, metadata=meta)
    return p


def write_plot(result: Result, path: str | Path, kind: str = "breakeven", *, log: bool | None = None, inputs: Iterable = ()) -> Path:
    """Draw the chart ``kind`` and save it to ``path``."""
    from ..outputs import check_output_path
    from .labels import for_drawing

    check_output_path(path, inputs=inputs, extensions=EXTENSIONS)
    return save_figure(figure(for_drawing(result), kind, log=log), path, inputs=inputs)
