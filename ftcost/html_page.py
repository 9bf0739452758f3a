"""The what-if page end to end: the engine's grid (:mod:`ftcost.analysis.whatif`), laid out by :mod:`ftcost.render.html`, written atomically.

Used by ``ftcost report -o FILE.html``, :meth:`ftcost.result.Result.to_html`
and the notebook view :meth:`~ftcost.result.Result._repr_html_`.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable
from pathlib import Path

EXTENSIONS = (".html", ".htm")


def render(result, *, lang: str | None = None) -> str:
    """The page for ``result`` as text, in ``lang`` (default: the current language)."""
    from importlib.metadata import PackageNotFoundError, version

    from .analysis import whatif
    from .render.html import render_page

    try:
        __version__ = version("ftcost")
    except PackageNotFoundError:  # running from a source tree that was not installed
        __version__ = "(source)"

    t0 = time.perf_counter()
    grid = whatif.build(result.scenario)
    return render_page(result, grid, time.perf_counter() - t0, version=__version__, lang=lang)


def write(result, path, *, inputs: Iterable = (), lang: str | None = None) -> Path:
    """Write the page to ``path`` (.html or .htm) atomically, never over one of ``inputs``.

    The path is checked before any work, so a bad one costs nothing and leaves nothing behind.
    """
    from .outputs import check_output_path, write_atomic

    check_output_path(path, inputs=inputs, extensions=EXTENSIONS)
    return write_atomic(path, render(result, lang=lang), inputs=inputs, extensions=EXTENSIONS)


def notebook(result, *, lang: str | None = None) -> str:
    """The summary table and the whole interactive page in a frame (Jupyter's ``_repr_html_``)."""
    from .render.html import summary_html

    page = render(result, lang=lang)
    return (
        summary_html(result, lang=lang) + f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:1500px;border:1px solid #ddd" '
        'sandbox="allow-scripts"></iframe>'
    )
