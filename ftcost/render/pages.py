"""Text pages of the PDF report: a cursor running down A4 landscape pages, wrapping text by its measured width.

:class:`Flow` lays out headings, paragraphs and tables (wrapped cells, zebra
rows, the header repeated on every page a table spans) and starts a new page
when one is full. Runs of one-line rows are drawn a column at a time (one
multi-line text per column, its line spacing set from the font's metrics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import _
from .plot import wrap

PAGE = (11.69, 8.27)  # A4 landscape, inches
MARGIN = 0.6
INK = "#1a1a1a"
GREY = "#5a5a5a"
ACCENT = "#0b4f8a"
WARN = "#b35900"
ZEBRA = "#f3f6fa"
RULE = "#9fb3c8"


@dataclass
class Column:
    title: str
    width: float  # inches
    align: str = "left"


class _Sketch:
    """A page of a dry run: takes the texts and shapes a :class:`Flow` puts on it and keeps nothing."""

    transFigure = None

    def text(self, *args, **kwargs) -> None:
        return None

    def add_artist(self, artist) -> None:
        return None


class Flow:
    """Text pages: a cursor running down A4 landscape pages, new page when full.

    ``dry=True`` lays the pages out without drawing anything (a page is a :class:`_Sketch`): the same
    decisions and page count at a fraction of the cost, to find out whether something fits before drawing it.
    """

    def __init__(self, dry: bool = False):
        self.dry = dry
        self.pages: list = []
        self.y = 0.0
        self.width = PAGE[0] - 2 * MARGIN
        self.bottom = PAGE[1] - 0.7
        self.fig: Any = None  # the page being filled: a Figure, or a _Sketch in a dry run
        self.k = 1.0  # type scale: page 1 shrinks a little to keep everything on it

    def new_page(self, title: str | None = None) -> None:
        if self.dry:
            self.fig = _Sketch()
        else:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            self.fig = Figure(figsize=PAGE)
            FigureCanvasAgg(self.fig)
        self.pages.append(self.fig)
        self.y = MARGIN
        if title:
            self.heading(title, size=15)

    def ensure(self, height: float, title: str | None = None) -> None:
        if self.fig is None or self.y + height > self.bottom:
            self.new_page(title)

    def _text(self, x_in: float, y_in: float, s: str, **kw):
        kw.setdefault("color", INK)
        return self.fig.text(x_in / PAGE[0], 1 - y_in / PAGE[1], s, va="top", parse_math=False, **kw)

    def heading(self, s: str, size: float = 12.5, color_: str = ACCENT, gap: float = 0.12) -> None:
        size, gap = size * self.k, gap * self.k
        self.ensure(size / 72 * 1.6 + 0.4)
        self.y += gap
        self._text(MARGIN, self.y, s, fontsize=size, fontweight="bold", color=color_)
        self.y += size / 72 * 1.45
        self.fig.add_artist(_hline(self.fig, MARGIN, self.y - 0.04, self.width, RULE))
        self.y += 0.06

    def paragraph(
        self, s: str, size: float = 10, bold: bool = False, color_: str = INK, indent: float = 0.0, bullet: str | None = None, gap_after: float = 0.05
    ) -> None:
        size, gap_after = size * self.k, gap_after * self.k
        lead = 0.18 if bullet else 0.0
        lines = wrap(s, self.width - indent - lead, size, bold)
        lh = size / 72 * 1.38
        for k, line in enumerate(lines):
            self.ensure(lh)
            if bullet and k == 0:
                self._text(MARGIN + indent, self.y, bullet, fontsize=size, color=color_, fontweight="bold" if bold else "normal")
            self._text(MARGIN + indent + lead, self.y, line, fontsize=size, color=color_, fontweight="bold" if bold else "normal")
            self.y += lh
        self.y += gap_after

    def table(
        self,
        columns: list[Column],
        rows: list[list[str]],
        *,
        size: float = 8.5,
        title: str | None = None,
        bold_first: bool = True,
        row_colors: list[str | None] | None = None,
    ) -> None:
        """A table with wrapped cells, zebra rows and the header repeated on every page it spans."""
        size = size * self.k
        lh = size / 72 * 1.3
        pad = 0.04
        scale = min(1.0, self.width / sum(c.width for c in columns))
        cols = [Column(c.title, c.width * scale, c.align) for c in columns]
        # Measured widths are unhinted advances; the drawn text can run a few percent wider: keep 5% spare.
        fit = 0.95
        head_lines = [wrap(c.title, (c.width - 2 * pad) * fit, size, True) for c in cols]
        head_h = max(len(x) for x in head_lines) * lh + 2 * pad

        def draw_header():
            x = MARGIN
            self.fig.add_artist(_rect(self.fig, MARGIN, self.y, sum(c.width for c in cols), head_h, "#dde7f1"))
            for c, lines in zip(cols, head_lines):
                for k, line in enumerate(lines):
                    self._cell(x, c, self.y + pad + k * lh, line, size, True)
                x += c.width
            self.y += head_h

        # Keep a short table together; a long one starts with at least two rows.
        row_h = [
            max(len(wrap(v, (c.width - 2 * pad) * fit, size, bold_first and j == 0)) for j, (c, v) in enumerate(zip(cols, row))) * lh + 2 * pad
            for row in rows[:8]
        ]
        need = head_h + (sum(row_h) if len(rows) <= 8 else sum(row_h[:2]))
        self.ensure(need, title)
        draw_header()
        last_first = ""
        # Runs of one-line rows without row colours (the monthly schedule) are drawn a column at a time, as one
        # multi-line text per column: the same page, a tenth of the text objects to lay out and write.
        block: list[list[str]] = []
        block_top = 0.0
        single_h = lh + 2 * pad

        def flush():
            nonlocal block
            if block:
                self._column_block(cols, block, block_top + pad, size, single_h, bold_first)
            block = []

        for r_i, row in enumerate(rows):
            cells = [wrap(v, (c.width - 2 * pad) * fit, size, bold_first and j == 0) for j, (c, v) in enumerate(zip(cols, row))]
            h = max(len(x) for x in cells) * lh + 2 * pad
            if self.y + h > self.bottom:
                flush()
                self.new_page(title)
                draw_header()
                if not row[0] and last_first:  # a group continues on this page: name it again
                    cells[0] = wrap(_("{name} (continued)").format(name=last_first), (cols[0].width - 2 * pad) * fit, size, bold_first)
                    h = max(len(x) for x in cells) * lh + 2 * pad
            last_first = row[0] or last_first
            if r_i % 2 == 1:
                self.fig.add_artist(_rect(self.fig, MARGIN, self.y, sum(c.width for c in cols), h, ZEBRA))
            if row_colors is None and all(len(x) == 1 for x in cells):
                if not block:
                    block_top = self.y
                block.append([x[0] for x in cells])
                self.y += h
                continue
            flush()
            x = MARGIN
            for j, (c, lines) in enumerate(zip(cols, cells)):
                col = (row_colors[r_i] if row_colors and j == 0 else None) or INK
                for k, line in enumerate(lines):
                    self._cell(x, c, self.y + pad + k * lh, line, size, bold_first and j == 0, col)
                x += c.width
            self.y += h
        flush()
        self.fig.add_artist(_hline(self.fig, MARGIN, self.y, sum(c.width for c in cols), RULE))
        self.y += 0.12

    def _column_block(self, cols: list[Column], rows: list[list[str]], top: float, size: float, pitch: float, bold_first: bool) -> None:
        """Rows of one-line cells as one text per column, its line spacing set so that line k sits ``k x pitch``
        inches under the first, exactly where a text per cell would."""
        x = MARGIN
        for j, c in enumerate(cols):
            bold = bold_first and j == 0
            # matplotlib (3.11) puts lines of a text with a fixed line spacing linespacing x (ascender + descender)
            # of its font apart; DejaVu's are 1,556 + 492 of 2,048 units: the font size.
            spacing = pitch * 72 / (size * _em_height(bold))
            text = "\n".join(r[j] for r in rows)
            kw = dict(fontsize=size, fontweight="bold" if bold else "normal", linespacing=spacing)
            if c.align == "right":
                self._text(x + c.width - 0.04, top, text, ha="right", multialignment="right", **kw)
            else:
                self._text(x + 0.04, top, text, ha="left", multialignment="left", **kw)
            x += c.width

    def _cell(self, x: float, c: Column, y: float, s: str, size: float, bold: bool, col: str = INK) -> None:
        pad = 0.04
        kw = dict(fontsize=size, fontweight="bold" if bold else "normal", color=col)
        if c.align == "right":
            self._text(x + c.width - pad, y, s, ha="right", **kw)
        else:
            self._text(x + pad, y, s, ha="left", **kw)


def _em_height(bold: bool) -> float:
    """(Ascender + descender) / units per em of the body font, from its OS/2 (or hhea) table."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(family="sans-serif", weight="bold" if bold else "normal")))
    for table, asc, desc in (("OS/2", "sTypoAscender", "sTypoDescender"), ("hhea", "ascent", "descent")):
        t: Any = font.get_sfnt_table(table)  # type: ignore[call-overload]  # a name from the loop, not a Literal
        head = font.get_sfnt_table("head")
        if t and head:
            return (t[asc] - t[desc]) / head["unitsPerEm"]
    return 1.0


def _rect(fig, x_in, y_in, w_in, h_in, fc):
    if isinstance(fig, _Sketch):
        return None
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x_in / PAGE[0], 1 - (y_in + h_in) / PAGE[1]), w_in / PAGE[0], h_in / PAGE[1], transform=fig.transFigure, facecolor=fc, edgecolor="none", zorder=-1
    )


def _hline(fig, x_in, y_in, w_in, col):
    if isinstance(fig, _Sketch):
        return None
    from matplotlib.lines import Line2D

    y = 1 - y_in / PAGE[1]
    return Line2D([x_in / PAGE[0], (x_in + w_in) / PAGE[0]], [y, y], transform=fig.transFigure, color=col, lw=0.8)
