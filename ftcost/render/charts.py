"""Charts for simulate, sweep and sensitivity: histogram and fan chart, heatmaps, tornado.

Figures are built on the Agg canvas without pyplot (as in :mod:`ftcost.render.plot`,
whose palette and style they share), and matplotlib is imported inside the
functions, so importing this module costs nothing and ``ftcost compare``
never loads matplotlib. Save with :func:`save` (atomic, .png/.pdf/.svg).

* :func:`simulation_figure` -- the distribution of the savings of the most
  often cheapest challenger against the baseline (histogram with p5, p50, p95)
  and its cumulative savings month by month (fan chart: 5-95 and 25-75
  percentile bands, median). The report includes it when the scenario has
  distributions.
* :func:`sweep_figure` -- two varied inputs: heatmaps of the cheapest
  strategy and of the savings; one varied input: total cost of each
  strategy along it.
* :func:`tornado_figure` -- the change in savings and in break-even volume
  for each input moved down and up, largest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..errors import FtcostError
from ..i18n import _, get_language, ngettext
from .lfmt import count, count_short, money_short, month, percent

EXTENSIONS = (".png", ".pdf", ".svg")
LOW_COLOR, HIGH_COLOR = "#0072B2", "#D55E00"
MAX_TORNADO_ROWS = 15


def _style():
    from .plot import _RC, color

    return _RC, color


def _figure(figsize):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=150, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _money(axis, currency: str):
    from .plot_style import money_axis

    money_axis(axis, currency)  # in the current language, also when the figure is saved later


def _count(axis):
    from .plot_style import count_axis

    count_axis(axis)


def _short(text: str, n: int = 44) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def save(fig, path: str | Path, *, inputs: Iterable = ()) -> Path:
    """Write ``fig`` to ``path`` atomically (the extension picks PNG, PDF or SVG)."""
    from .plot import save_figure

    return save_figure(fig, path, inputs=inputs)


# --------------------------------------------------------------------------
# simulate


def simulation_figure(sim, *, figsize=(11.0, 4.6)):
    """Histogram of the savings and fan chart of the cumulative savings of ``sim.focus`` against the baseline."""
    import matplotlib

    from .plot_style import declutter_ticks

    rc, color = _style()
    sc = sim.scenario
    cur = sc.currency
    b = sim.baseline
    s = sim.focus
    single = s == b
    with matplotlib.rc_context(rc):
        fig = _figure(figsize)
        ax1, ax2 = fig.subplots(1, 2, width_ratios=(1, 1.15))
        name = sc.strategies[s].name
        if single:
            values = np.asarray(sim.summary.total_cost[b], dtype=float)
            what = _("Total cost of '{name}', {h} months").format(name=_short(name, 30), h=sc.horizon_months)
        else:
            values = sim.savings(s)
            what = _("Savings of '{name}' against '{baseline}', {h} months").format(
                name=_short(name, 30), baseline=_short(sc.baseline_name, 30), h=sc.horizon_months
            )
        p5, p50, p95 = np.percentile(values, [5, 50, 95])
        lo, hi = float(values.min()), float(values.max())
        if hi == lo:
            lo, hi = lo - max(abs(lo) * 0.01, 1.0), hi + max(abs(hi) * 0.01, 1.0)
        edges = np.linspace(lo, hi, 61)
        counts, _edges = np.histogram(values, edges)
        share = counts / len(values)
        mids = (edges[:-1] + edges[1:]) / 2
        if single:
            cols = [color(b)] * len(mids)
        else:
            cols = [color(s) if m >= 0 else "#999999" for m in mids]
        ax1.bar(mids, share, width=np.diff(edges), color=cols, edgecolor="white", linewidth=0.3, gid="histogram")
        for q, label, ls in ((p5, "p5", ":"), (p50, "median", "-"), (p95, "p95", ":")):
            ax1.axvline(q, color="#333333", linestyle=ls, linewidth=1.0, gid=f"percentile:{label}")
            ax1.annotate(
                f"{_('median') if label == 'median' else label} {money_short(q, cur)}",
                (q, 1.0),
                xycoords=("data", "axes fraction"),
                rotation=90,
                va="top",
                ha="right",
                fontsize=8,
                color="#333333",
            )
        if not single and lo < 0 < hi:
            ax1.axvline(0, color="#000000", linewidth=0.8)
        _money(ax1.xaxis, cur)
        ax1.yaxis.set_major_formatter(_percent_formatter())
        ax1.set_xlabel(what)
        ax1.set_ylabel(_("share of samples"))
        title = _("{n} samples").format(n=count(sim.n))
        if not single:
            title += ": " + _("saves money in {share}").format(share=percent(float((values > 0).mean())))
        ax1.set_title(title, loc="left")

        if not single:
            if sim.savings_bands is None:
                raise ValueError("simulation_figure draws the bands it is given: pass ftcost.analysis.simulation.with_savings_bands(sim)")
            months, bands = sim.savings_bands
            ax2.fill_between(months, bands[0], bands[4], color=color(s), alpha=0.18, linewidth=0, label="5-95%", gid="band:5-95")
            ax2.fill_between(months, bands[1], bands[3], color=color(s), alpha=0.35, linewidth=0, label="25-75%", gid="band:25-75")
            ax2.plot(months, bands[2], color=color(s), linewidth=2, label=_("median"), gid="band:median")
            ax2.axhline(0, color="#000000", linewidth=0.8)
            _money(ax2.yaxis, cur)
            ax2.set_xlabel(_("month (1 = {month})").format(month=month(sc.month_first_day(1))))
            ax2.set_ylabel(_("cumulative savings"))
            ax2.set_xlim(1, max(2, sc.horizon_months))
            ax2.legend(loc="upper left")
            ax2.set_title(_("Cumulative savings by month"), loc="left")
        else:
            ax2.axis("off")
        fig.suptitle(
            ngettext("{scenario}: simulation of {n} uncertain input", "{scenario}: simulation of {n} uncertain inputs", len(sim.distributions)).format(
                scenario=_short(sc.name, 80), n=len(sim.distributions)
            ),
            x=0.01,
            ha="left",
            fontweight="bold",
        )
        for ax in (ax1, ax2):
            declutter_ticks(ax)  # money ticks are wider in some languages ("-50k US$")
    return fig


def _percent_formatter():
    from matplotlib.ticker import FuncFormatter

    space = " " if get_language() == "es" else ""  # 5 % in Spanish

    def label(v, _pos):
        text = f"{v * 100:.0f}" if v * 100 >= 1 or v == 0 else f"{v * 100:.1f}"
        return (text.replace(".", ",") if space else text) + space + "%"

    return FuncFormatter(label)


# --------------------------------------------------------------------------
# sweep


def _edges(values: np.ndarray, log: bool) -> np.ndarray:
    """Cell edges around grid values (geometric midpoints on a log axis)."""
    v = np.asarray(values, dtype=float)
    if len(v) == 1:
        return np.array([v[0] * 0.9, v[0] * 1.1]) if log or v[0] != 0 else np.array([-0.5, 0.5])
    if log:
        lv = np.log(v)
        mid = (lv[:-1] + lv[1:]) / 2
        return np.exp(np.concatenate([[lv[0] - (mid[0] - lv[0])], mid, [lv[-1] + (lv[-1] - mid[-1])]]))
    mid = (v[:-1] + v[1:]) / 2
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


def sweep_figure(res, *, figsize=None):
    """Two varied inputs: heatmaps of the cheapest strategy and the savings. One: totals along it."""
    import matplotlib

    rc, color = _style()
    sc = res.scenario
    cur = sc.currency
    names = [s.name for s in sc.strategies]
    if len(res.varies) > 2:
        raise FtcostError(
            _("a sweep chart shows one or two --vary inputs; this sweep has {n}").format(n=len(res.varies)),
            hint=_("drop --chart, or sweep two inputs at a time"),
        )
    with matplotlib.rc_context(rc):
        if len(res.varies) == 1:
            v = res.varies[0]
            fig = _figure(figsize or (9.0, 5.0))
            ax = fig.subplots()
            totals = np.asarray(res.summary.total_cost)
            for i, n in enumerate(names):
                ax.plot(v.values, totals[i], color=color(i), linewidth=2, label=_short(n), gid=f"total:{n}")
            if v.log:
                ax.set_xscale("log")
            _money(ax.yaxis, cur)
            if v.target.path[0] == "volume":
                _count(ax.xaxis)
            ax.set_xlabel(_short(v.target.describe(sc), 70))
            ax.set_ylabel(f"total cost, {sc.horizon_months} months")
            ax.legend(loc="upper left")
            ax.set_title(f"{_short(sc.name, 60)}: total cost of each strategy", loc="left")
            return fig
        vx, vy = res.varies
        fig = _figure(figsize or (12.0, 5.0))
        ax1, ax2 = fig.subplots(1, 2)
        ex, ey = _edges(vx.values, vx.log), _edges(vy.values, vy.log)
        cheapest = np.ma.masked_less(np.asarray(res.summary.cheapest).reshape(res.shape), 0)  # -1: no feasible plan (blank)
        from matplotlib.colors import BoundaryNorm, ListedColormap
        from matplotlib.patches import Patch

        cmap = ListedColormap([color(i) for i in range(len(names))])
        norm = BoundaryNorm(np.arange(-0.5, len(names) + 0.5), cmap.N)
        ax1.pcolormesh(ex, ey, cheapest.T, cmap=cmap, norm=norm, gid="heatmap:cheapest")
        present = sorted(set(cheapest.compressed().tolist()))
        ax1.legend(
            [Patch(color=color(i)) for i in present],
            [_short(names[i]) for i in present],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            ncol=min(3, len(present)),
        )
        ax1.set_title("Cheapest strategy", loc="left")
        sav = res.savings()
        mesh = ax2.pcolormesh(ex, ey, sav.T, cmap="viridis", gid="heatmap:savings")
        cb = fig.colorbar(mesh, ax=ax2)
        _money(cb.ax.yaxis, cur)
        ax2.set_title(f"Savings against '{_short(sc.baseline_name, 30)}'", loc="left")
        for ax in (ax1, ax2):
            ax.set_xlabel(_short(vx.target.describe(sc), 60))
            ax.set_ylabel(_short(vy.target.describe(sc), 50))
            if vx.log:
                ax.set_xscale("log")
            if vy.log:
                ax.set_yscale("log")
            # Ticks only at the values the sweep computed (at most ~8 of them, evenly picked).
            _value_ticks(ax.xaxis, vx.values, vx.target.path[0] == "volume")
            _value_ticks(ax.yaxis, vy.values, vy.target.path[0] == "volume")
        fig.suptitle(f"{_short(sc.name, 80)}: {res.size:,} points, {sc.horizon_months} months", x=0.01, ha="left", fontweight="bold")
    return fig


def _value_ticks(axis, values, volume: bool, most: int = 8) -> None:
    """Major ticks at computed grid values only (every k-th, ends included), no minor ticks."""
    from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

    v = np.asarray(values, dtype=float)
    step = max(1, int(np.ceil(len(v) / most)))
    picked = list(v[::step])
    if picked[-1] != v[-1] and len(v) > 1:
        picked[-1] = v[-1]
    axis.set_major_locator(FixedLocator(picked))
    axis.set_major_formatter(FixedFormatter([count_short(x) if volume else f"{x:.4g}" for x in picked]))
    axis.set_minor_locator(NullLocator())


# --------------------------------------------------------------------------
# sensitivity


def tornado_figure(res, *, figsize=None, rows: int = MAX_TORNADO_ROWS):
    """Bars from the base value to the -swing and +swing results, largest effect on top."""
    import matplotlib

    rc, _color = _style()
    sc = res.scenario
    cur = sc.currency
    moves = res.moves[:rows]
    n = max(1, len(moves))
    with matplotlib.rc_context(rc):
        fig = _figure(figsize or (12.0, 1.4 + 0.34 * n))
        ax1, ax2 = fig.subplots(1, 2, sharey=True)
        y = np.arange(len(moves))[::-1]
        # A whole-number input moves by whole numbers, not by the swing: its label says to what.
        labels = [_short(m.description, 48) + (f" ({m.value:g} to {m.low:g} / {m.high:g})" if m.target.field.integer else "") for m in moves]
        pct = f"{res.swing * 100:g}%"
        for ax, base, pick, fmt in (
            (ax1, res.base_savings, lambda m: (m.savings_low, m.savings_high), "money"),
            (ax2, res.base_break_even, lambda m: (m.break_even_low, m.break_even_high), "count"),
        ):
            if base is None:
                ax.text(
                    0.5, 0.5, "no break-even volume\n(never, or a self-hosted staircase)", transform=ax.transAxes, ha="center", va="center", color="#555555"
                )
                ax.set_xticks([])
                continue
            for yi, m in zip(y, moves):
                lo, hi = pick(m)
                for v, col, tag in ((lo, LOW_COLOR, "low"), (hi, HIGH_COLOR, "high")):
                    if v is None:
                        continue
                    ax.barh(yi, v - base, left=base, color=col, height=0.6, gid=f"{fmt}:{tag}:{m.path}")
            ax.axvline(base, color="#000000", linewidth=0.9)
            if fmt == "money":
                _money(ax.xaxis, cur)
            else:
                _count(ax.xaxis)
        ax1.set_yticks(y, labels)
        ax1.set_xlabel(f"savings of '{_short(res.strategy_name, 30)}', {sc.horizon_months} months (below 0: it costs more)")
        ax2.set_xlabel("break-even requests per month")
        from matplotlib.patches import Patch

        ax1.legend([Patch(color=LOW_COLOR), Patch(color=HIGH_COLOR)], [f"input -{pct}", f"input +{pct}"], loc="lower right")
        ax1.set_title("Savings against the baseline", loc="left")
        ax2.set_title("Break-even volume", loc="left")
        more = len(res.moves) - len(moves)
        fig.suptitle(
            f"{_short(sc.name, 80)}: each input -{pct} / +{pct}" + (f" (top {len(moves)} of {len(res.moves)})" if more > 0 else ""),
            x=0.01,
            ha="left",
            fontweight="bold",
        )
    return fig


def figure_for(kind: str, result):
    """The chart of an analysis result: kind is 'simulate', 'sweep' or 'sensitivity'."""
    return {"simulate": simulation_figure, "sweep": sweep_figure, "sensitivity": tornado_figure}[kind](result)
