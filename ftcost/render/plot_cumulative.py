"""The cumulative cost chart: each strategy's running total over the months, with its training runs and payback marked.

Drawn on a :class:`matplotlib.figure.Figure` from :func:`ftcost.render.plot_data.cumulative_data`;
:func:`ftcost.render.plot.figure` and ``write_plot`` pick it by kind ``cumulative``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..i18n import _
from ..result import Result
from .lfmt import count_short, percent
from .plot_data import CumulativeData, cumulative_data
from .plot_style import (
    RC,
    _legend_gids,
    color,
    declutter_ticks,
    inner_width,
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
)


def _month_step(ax, labels: list[str]) -> int:
    """Months between calendar labels so that they never touch, against the plot's width (the figure's inner
    width less room for the cost axis; :func:`declutter_ticks` checks the result after layout)."""
    h = len(labels)
    width_pt_ = (inner_width(root(ax)) - 1.3) * 72
    label_pt = max((width_pt(x, 10, False) for x in labels), default=0.0) + 9
    fit = max(1, int(width_pt_ // label_pt))
    step = max(1, -(-h // fit))
    for nice in (1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600, 1200):
        if nice >= step:
            return nice
    return step


def cumulative_figure(result: Result, *, log: bool | None = None, data: CumulativeData | None = None, figsize=None, margins=None):
    """Cumulative cost over the horizon: training runs as visible steps, payback months marked.

    ``log`` None: a log cost axis when the strategies' totals differ more than 20x (one line would flatten
    the others), else linear.
    """
    from matplotlib.lines import Line2D

    d = data or cumulative_data(result, log=log)
    sc = result.scenario
    cur = d.currency
    h = len(d.labels)
    with mpl().rc_context(RC):
        fig = new_figure(figsize, margins)
        ax = fig.add_subplot()
        any_training = False
        handles: list[Any] = []
        texts: list[str] = []
        gids: list[str | None] = []
        for i, name in enumerate(d.names):
            label = short(name, 48) + (" " + _("(baseline)") if i == d.baseline else "")
            gid = None
            if i != d.baseline:
                p = d.payback[i]
                gid = f"payback:{name}:label"
                if p and d.cumulative[i, -1] > d.cumulative[d.baseline, -1] * (1 + 1e-9):
                    label += ": " + _("dearer over {h} months").format(h=h)  # ahead for a while, never pays back
                elif p == 1:
                    label += ": " + _("cheaper from month 1 ({month})").format(month=d.labels[0])
                elif p:
                    label += ": " + _("pays back in month {m} ({month})").format(m=p, month=d.labels[p - 1])
                else:
                    label += ": " + _("no payback in {h} months").format(h=h)
            ys = np.where(d.y[i] > 0, d.y[i], np.nan) if d.log else d.y[i]  # a log axis has no 0
            (line,) = ax.plot(d.x[i], ys, color=color(i), lw=2.4 if i == d.baseline else 2.0, ls=linestyle(i), gid=f"curve:{name}", zorder=3)
            handles.append(line)
            texts.append(label)
            gids.append(gid)
            tx, ty = d.training_points[i]
            if tx.size:
                any_training = True
                ax.plot(tx, ty, marker="^", ms=7, color=color(i), ls="none", zorder=4, gid=f"training:{name}")
        tops = [float(np.nanmax(y)) for y in d.y if y.size]
        top = max(tops, default=1.0) or 1.0
        if d.log:
            ax.set_yscale("log")
            pos = np.concatenate([y[y > 0] for y in d.y]) if d.y else np.array([])
            ax.set_ylim(float(pos.min()) / 2 if pos.size else 0.1, top * 2)
        else:
            ax.set_ylim(0, top * 1.08)
        ax.set_xlim(0, h)
        dearer = [bool(d.cumulative[i, -1] > d.cumulative[d.baseline, -1] * (1 + 1e-9)) for i in range(len(d.names))]
        for i, p in enumerate(d.payback):
            if not p or dearer[i]:  # ahead for a while but dearer over the horizon: nothing paid back
                continue
            yv = float(d.cumulative[i, p - 1])
            ax.plot([p], [yv], marker="*", ms=14, color=color(i), mec="white", mew=0.8, ls="none", zorder=6, gid=f"payback:{d.names[i]}")
        money_axis(ax.yaxis, cur)
        ax.grid(True, which="major", axis="y", color="#dddddd", lw=0.7)
        ax.set_axisbelow(True)

        if sc.growth_per_month:
            start = _("From {month}, {volume} requests in month 1, growing {growth}/month.").format(
                month=d.labels[0], volume=count_short(sc.requests_per_month), growth=percent(sc.growth_per_month)
            )
        else:
            start = _("From {month}, {volume} requests in month 1.").format(month=d.labels[0], volume=count_short(sc.requests_per_month))
        note = " " + _("Log cost scale: the totals differ more than 20x.") if d.log else ""
        titles(
            fig,
            ax,
            _("{scenario}: cumulative cost over {h} months").format(scenario=sc.name, h=h),
            start
            + " "
            + _("Payback: the first month the running total is at or below that of '{baseline}'.").format(baseline=short(sc.baseline_name, 40))
            + note,
        )
        ax.set_xlabel(_("Calendar month"))
        ax.set_ylabel(_("Cumulative cost ({currency})").format(currency=cur))
        if any_training:
            handles.append(Line2D([], [], color="#555555", marker="^", ls="none"))
            texts.append(_("training run (and one-time cost) at the start of its month"))
            gids.append(None)
        if any(p and not dearer[i] for i, p in enumerate(d.payback)):
            handles.append(Line2D([], [], color="#555555", marker="*", ms=11, ls="none"))
            texts.append(_("payback month"))
            gids.append(None)
        _legend_gids(legend(fig, handles, texts), gids)
        if d.log:
            log_ticks(ax)
        # Month m spans [m - 1, m]; its calendar label sits in the middle, boundaries are minor ticks.
        step = _month_step(ax, d.labels)
        ticks = list(range(0, h, step))
        ax.set_xticks([t + 0.5 for t in ticks])
        ax.set_xticklabels([d.labels[t] for t in ticks])
        ax.set_xticks(range(0, h + 1), minor=True)
        ax.tick_params(axis="x", which="major", length=0, pad=6)
        declutter_ticks(ax)
    return fig
