"""Layout checks on drawn matplotlib figures, with matplotlib's own text extents.

:func:`problems` lays a figure out (``draw_without_rendering``), collects
every text that is drawn (titles, axis labels, tick labels in view, legend
entries, annotations, report table cells) with ``get_window_extent`` from the
figure's renderer (the box patch when a label has one), and reports texts
that overlap each other or leave the figure.
"""

from __future__ import annotations

from matplotlib.text import Text

TOLERANCE_PX = 1.0  # anti-aliasing slack: boxes that share an edge do not count as overlapping


def _tick_texts(ax) -> list[Text]:
    out = []
    for axis in (ax.xaxis, ax.yaxis):
        lo, hi = sorted(axis.get_view_interval())
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            loc = tick.get_loc()
            if loc is None or not (lo - abs(lo) * 1e-9 <= loc <= hi + abs(hi) * 1e-9):
                continue
            for t in (tick.label1, tick.label2):
                if t.get_visible() and t.get_text().strip():
                    out.append(t)
    return out


def drawn_texts(fig) -> list[Text]:
    """Every visible, non-empty text of ``fig`` that matplotlib draws."""
    fig.draw_without_rendering()
    ticks = set()
    texts: list[Text] = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for t in _tick_texts(ax):
            ticks.add(id(t))
            texts.append(t)
    every_tick_label = {
        id(lab)
        for ax in fig.axes
        for axis in (ax.xaxis, ax.yaxis)
        for tick in axis.get_major_ticks() + axis.get_minor_ticks()
        for lab in (tick.label1, tick.label2)
    }
    for t in fig.findobj(Text):
        if id(t) in every_tick_label or not t.get_visible() or not t.get_text().strip():
            continue  # tick labels in view are already in; the others are not drawn
        if t.axes is not None and not t.axes.get_visible():
            continue
        texts.append(t)
    return texts


def extent(t: Text, renderer):
    patch = t.get_bbox_patch()
    bb = t.get_window_extent(renderer)
    if patch is not None:
        bb = bb.union([bb, patch.get_window_extent(renderer)])
    return bb


def problems(fig, what: str = "") -> list[str]:
    """Overlapping texts and texts outside the figure, as readable lines (empty: the layout is clean)."""
    texts = drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [(t, extent(t, renderer)) for t in texts]
    out = []
    fb = fig.bbox
    for t, bb in boxes:
        if bb.x0 < fb.x0 - TOLERANCE_PX or bb.y0 < fb.y0 - TOLERANCE_PX or bb.x1 > fb.x1 + TOLERANCE_PX or bb.y1 > fb.y1 + TOLERANCE_PX:
            out.append(f"{what}: outside the figure: {t.get_text()[:60]!r} {tuple(round(v) for v in bb.extents)}")
    for k, (a, ba) in enumerate(boxes):
        for b, bb in boxes[k + 1 :]:
            inter_w = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
            inter_h = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
            if inter_w > TOLERANCE_PX and inter_h > TOLERANCE_PX:
                out.append(f"{what}: overlap: {a.get_text()[:50]!r} and {b.get_text()[:50]!r}")
    return out


def marker_inside(fig, gid: str) -> bool:
    """The artist ``gid`` (a vertical line) lies inside its axes' x range, in display coordinates."""
    for a in fig.findobj():
        if getattr(a, "get_gid", lambda: None)() == gid:
            ax = a.axes
            x = a.get_xdata()[0]
            xd = ax.transData.transform((x, 1.0))[0]
            return ax.bbox.x0 + 2 <= xd <= ax.bbox.x1 - 2
    raise AssertionError(f"no artist {gid!r}")
