"""The look and the layout helpers of every ftcost chart: palette, figures without pyplot, measured text.

Text is measured with the font's own advances (:func:`width_pt`, :func:`wrap`)
so titles, legends and labels are sized before drawing; after drawing,
:func:`declutter_ticks` checks the tick labels with matplotlib's extents and
thins them until none overlap. matplotlib is imported inside the functions.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from functools import cache
from itertools import accumulate
from typing import Any

from .. import i18n
from .lfmt import count_short, money_short

# Colour-blind-safe palette (Okabe-Ito, then two of Paul Tol's), strategy i gets colour i; ten strategies
# get ten colours and four line styles.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#882255", "#44AA99", "#999933")
LINESTYLES = ("-", "--", "-.", ":")
FIGSIZE = (10.0, 6.2)
DPI = 150
LEGEND_SIZE = 9.0

RC: dict[Any, Any] = {  # matplotlib types rcParams keys as literals; these are checked by matplotlib when used
    "font.size": 10,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.useoffset": False,
    "legend.fontsize": LEGEND_SIZE,
    "legend.frameon": False,
    "pdf.fonttype": 3,  # Type 3 subsets: text stays text (searchable, extractable); 0.4 s faster than TrueType (42)
    "svg.fonttype": "path",  # looks the same in every browser, whatever fonts it has
    "text.parse_math": False,  # "$1.2k to $3k" is money, not mathtext
}


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def linestyle(i: int) -> str:
    return LINESTYLES[i % len(LINESTYLES)]


def mpl():
    import matplotlib

    return matplotlib


def new_figure(figsize=None, margins=None):
    """A Figure on the Agg canvas (no pyplot), laid out by constrained layout.

    ``margins`` (left, bottom, right, top, inches) keeps the chart, its title
    and legend inside a box of the page, e.g. clear of a report's footer.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize or FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # the Agg backend, without pyplot's global state
    fig._ftcost_margins = margins
    _set_rect(fig, 0.0, 0.0)
    return fig


def _set_rect(fig, title_h: float | None = None, legend_h: float | None = None) -> None:
    """The layout box: the figure's margins less the title block above and the legend below (inches)."""
    if title_h is not None:
        fig._ftcost_title_h = title_h
    if legend_h is not None:
        fig._ftcost_legend_h = legend_h
    title_h = getattr(fig, "_ftcost_title_h", 0.0)
    legend_h = getattr(fig, "_ftcost_legend_h", 0.0)
    w, h = fig.get_size_inches()
    left, bottom, right, top = fig._ftcost_margins or (0.08, 0.08, 0.1, 0.08)
    bottom += legend_h
    fig.get_layout_engine().set(rect=(left / w, bottom / h, 1 - (left + right) / w, 1 - (bottom + top + title_h) / h))


def inner_width(fig) -> float:
    """Width in inches inside the figure's margins."""
    left, _b, right, _t = fig._ftcost_margins or (0.08, 0.08, 0.1, 0.08)
    return fig.get_figwidth() - left - right


def titles(fig, ax, title: str, subtitle: str) -> None:
    """A bold title and a grey subtitle at the top left of the figure's margins, wrapped to its width; the
    layout box starts under them, so nothing else can run into them."""
    width = inner_width(fig) - 0.1
    lines = wrap(short(title, 2 * MAX_LABEL_CHARS), width, 13, True)
    sub = wrap(subtitle, width, 9)
    w, h = fig.get_size_inches()
    left, _bottom, _right, top = fig._ftcost_margins or (0.08, 0.08, 0.1, 0.08)
    title_h = len(lines) * 13 / 72 * 1.3
    fig._ftcost_title = fig.text(left / w, 1 - top / h, "\n".join(lines), ha="left", va="top", fontsize=13, fontweight="bold", gid="title")
    fig.text(
        left / w, 1 - (top + title_h + 0.06) / h, "\n".join(sub), ha="left", va="top", fontsize=9, color="#555555", gid="subtitle", linespacing=1.3
    ).set_in_layout(False)
    fig._ftcost_title.set_in_layout(False)
    _set_rect(fig, title_h + 0.06 + len(sub) * 9 / 72 * 1.35 + 0.12)


def money_axis(axis, currency: str) -> None:
    from matplotlib.ticker import FuncFormatter

    lang = i18n.get_language()  # the figure's language, also when it is saved later

    def label(y, _pos):
        with i18n.use(lang):
            return money_short(y, currency)

    axis.set_major_formatter(FuncFormatter(label))


def count_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    lang = i18n.get_language()

    def label(x, _pos):
        with i18n.use(lang):
            return count_short(x)

    axis.set_major_formatter(FuncFormatter(label))


def log_ticks(ax) -> None:
    """On a logarithmic axis spanning few decades, label 1-2-5 steps too, so there are enough ticks to read."""
    from matplotlib.ticker import LogLocator, NullFormatter, NullLocator

    for axis, lims in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
        if axis.get_scale() != "log" or min(lims) <= 0:
            continue
        decades = math.log10(max(lims) / min(lims))
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if decades < 3.5 else (1.0,)))
        axis.set_minor_formatter(NullFormatter())
        axis.set_minor_locator(NullLocator())  # unlabelled minor ticks only cost layout time


def legend(fig, handles, texts):
    """The legend under the plot, outside the axes (the layout makes room), in as many columns (up to 3) as fit.

    Long entries wrap to their column's measured width, so nothing is cut off.
    """
    room = (inner_width(fig) - 0.3) * 72
    ncol = 1
    for n in (3, 2):
        per = math.ceil(len(texts) / n)
        cols = [texts[k * per : (k + 1) * per] for k in range(n)]
        width = sum(max((width_pt(t, LEGEND_SIZE, False) for t in c), default=0) + 3.6 * LEGEND_SIZE for c in cols if c)
        if len([c for c in cols if c]) == n and width <= room:
            ncol = n
            break
    col_w = room / ncol / 72 - 3.6 * LEGEND_SIZE / 72
    wrapped = ["\n".join(wrap(t, col_w, LEGEND_SIZE)) for t in texts]
    w, h = fig.get_size_inches()
    left, bottom, right, _top = fig._ftcost_margins or (0.08, 0.08, 0.1, 0.08)
    # Anchored at the bottom margin, out of the layout; the layout box then starts above its measured height.
    leg = fig.legend(
        handles,
        wrapped,
        loc="lower center",
        bbox_to_anchor=((left + (w - left - right) / 2) / w, bottom / h),
        bbox_transform=fig.transFigure,
        ncol=ncol,
        fontsize=LEGEND_SIZE,
        borderaxespad=0.0,
    )
    leg.set_in_layout(False)
    height = leg.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi
    _set_rect(fig, legend_h=height + 0.12)
    return leg


def declutter_ticks(ax, *, rounds: int = 4) -> None:
    """Thin the major tick labels of both axes until no two overlap (measured after layout)."""
    from matplotlib.ticker import LogLocator, MaxNLocator

    fig = root(ax)
    for _ in range(rounds):
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        changed = False
        for axis, labels in ((ax.xaxis, ax.get_xticklabels()), (ax.yaxis, ax.get_yticklabels())):
            boxes = [t.get_window_extent(renderer) for t in labels if t.get_text() and t.get_visible()]
            pad = 4
            if not any(a.expanded(1, 1).padded(pad / 2).overlaps(b) for a, b in zip(boxes, boxes[1:])):
                continue
            changed = True
            n = max(2, len(boxes) // 2)
            if axis.get_scale() == "log":
                loc = axis.get_major_locator()
                subs = getattr(loc, "_subs", None)
                if subs is not None and len(subs) > 1:
                    axis.set_major_locator(LogLocator(base=10, subs=(1.0,)))
                else:
                    axis.set_major_locator(LogLocator(base=10, numticks=n))
            else:
                axis.set_major_locator(MaxNLocator(nbins=n, steps=[1, 2, 2.5, 5, 10]))
        if not changed:
            return


def align_title(fig, ax) -> None:
    """Kept for callers: titles now sit at the left margin of the figure, nothing to align after layout."""


def keep_inside(ax, text, pad_px: float = 3.0) -> None:
    """Move an in-axes text horizontally so its box stays inside the axes."""
    fig = root(ax)
    renderer = fig.canvas.get_renderer()
    bb = text.get_window_extent(renderer)
    patch = text.get_bbox_patch()
    if patch is not None:
        bb = patch.get_window_extent(renderer)
    shift = max(0.0, ax.bbox.x0 + pad_px - bb.x0) + min(0.0, ax.bbox.x1 - pad_px - bb.x1)
    if shift:
        x_disp = text.get_transform().transform(text.get_position())[0] + shift
        x_new = text.get_transform().inverted().transform((x_disp, 0))[0]
        text.set_x(x_new)


def root(artist):
    """The top-level Figure of an artist drawn in a SubFigure."""
    try:
        return artist.get_figure(root=True)
    except TypeError:  # matplotlib < 3.10
        fig = artist.figure
        while not hasattr(fig, "draw_without_rendering"):
            fig = fig.figure
        return fig


@cache
def _advance(ch: str, bold: bool) -> float:
    """Advance width of one character of DejaVu Sans at 1 point, in points (unhinted)."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    try:
        from matplotlib.ft2font import LoadFlags

        no_hinting = LoadFlags.NO_HINTING
    except ImportError:  # matplotlib < 3.10
        from matplotlib.ft2font import LOAD_NO_HINTING as no_hinting  # type: ignore[attr-defined,no-redef]

    font = get_font(findfont(FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")))
    font.set_size(100, 72)
    glyph = font.load_char(ord(ch), flags=no_hinting)
    return glyph.linearHoriAdvance / 65536 / 100


_ADVANCES: dict[bool, dict[str, float]] = {False: {}, True: {}}  # _advance by weight, as a plain dict: wrap() looks up every character of every candidate line


def width_pt(text: str, size: float, bold: bool) -> float:
    """Width of ``text`` in points (sum of advances; kerning ignored, a fraction of a percent)."""
    table = _ADVANCES[bool(bold)]
    try:
        return size * sum(map(table.__getitem__, text))
    except KeyError:
        for ch in text:
            if ch not in table:
                table[ch] = _advance(ch, bool(bold))
        return size * sum(map(table.__getitem__, text))


def wrap(text: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap by measured width (inches, DejaVu Sans at ``size`` points).

    A word longer than a line (a URL, a model id) is split, after a separator when it can be.
    """
    limit = width_in * 72
    out: list[str] = []
    text = short(str(text), MAX_DRAWN_CHARS)  # drawing time must not grow with a name's length
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            cand = word if not line else line + " " + word
            if width_pt(cand, size, bold) <= limit:
                line = cand
                continue
            if line:
                out.append(line)
            line = word
            while width_pt(line, size, bold) > limit and len(line) > 1:
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


def short(name: str, n: int = 40) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


def _legend_gids(leg, gids: list[str | None]) -> None:
    """Name the legend's texts so tests (and readers of the SVG) find each strategy's words."""
    for t, gid in zip(leg.get_texts(), gids):
        if gid:
            t.set_gid(gid)
