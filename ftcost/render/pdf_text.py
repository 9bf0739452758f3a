"""Writing text-heavy PDF pages with matplotlib, faster, the same bytes.

Most of the time ``ftcost report`` takes goes into the text of its pages:
matplotlib's PDF backend (3.11) measures every line of text (a shaping
pass, each glyph read from the font file), draws it (a second shaping
pass), and then loads every glyph once more, which only its raster
backends need. A glyph load reads the font file through Python seek and
read calls (about 12 us a glyph on this machine; the report has about
17,000 characters). While :func:`faster_text` is active:

- a string's extent in a font is measured once, not once per page (the
  footer, the column headers and the repeated amounts of the schedule);
- the font files behind a font description are looked up once (for the
  raster backend that measures the charts too);
- the PDF backend's text layout keeps the shaping's glyphs, positions and
  kerning without loading each glyph again, and shapes a string drawn
  again in the same font and size once (matplotlib >= 3.11, where the
  shaping is ``FT2Font._layout``; other versions keep their own layout).

Both caches live as long as the block and assume that the font settings
(``rcParams['font.*']``) do not change within it, as they do not while a
report is written. The PDF is byte for byte the one written without it
(tested in ``tests/test_report.py``). Everything is put back on exit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class _Module:
    """A matplotlib module as one other module sees it, with some of its names replaced."""

    def __init__(self, module, **names):
        self._module = module
        vars(self).update(names)

    def __getattr__(self, name: str):
        return getattr(self._module, name)


def _prop_key(prop) -> tuple:
    """What a FontProperties resolves to: family, style, variant, weight, stretch, size, file, math family."""
    return (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
        prop.get_math_fontfamily(),
    )


@contextlib.contextmanager
def faster_text() -> Iterator[None]:
    """Within: matplotlib's PDF backend measures each string once, looks each font up once and lays text out
    without reloading its glyphs (see the module's docstring). Same output."""
    import matplotlib as mpl
    from matplotlib import font_manager
    from matplotlib.backends import _backend_pdf_ps, backend_pdf

    with contextlib.ExitStack() as undo:
        base = _backend_pdf_ps.RendererPDFPSBase
        measure = base.get_text_width_height_descent
        extents: dict[tuple, tuple] = {}

        def get_text_width_height_descent(self, s, prop, ismath):
            if ismath or mpl.rcParams[getattr(self, "_use_afm_rc_name", "pdf.use14corefonts")]:
                return measure(self, s, prop, ismath)
            key = (s, _prop_key(prop))
            found = extents.get(key)
            if found is None:
                found = extents[key] = measure(self, s, prop, ismath)
            return found

        setattr(base, "get_text_width_height_descent", get_text_width_height_descent)  # noqa: B010  (a method of matplotlib's, replaced)
        undo.callback(setattr, base, "get_text_width_height_descent", measure)

        manager = font_manager.fontManager
        find = getattr(manager, "_find_fonts_by_props", None)
        if find is not None:
            found_fonts: dict[tuple, object] = {}

            def _find_fonts_by_props(prop, *args, **kwargs):
                key = (_prop_key(prop), args, tuple(sorted(kwargs.items())))
                hit = found_fonts.get(key)
                if hit is None:
                    hit = found_fonts[key] = find(prop, *args, **kwargs)
                return hit

            if "_find_fonts_by_props" not in vars(manager):  # the class's method, shadowed on the instance while within
                setattr(manager, "_find_fonts_by_props", _find_fonts_by_props)  # noqa: B010
                undo.callback(vars(manager).pop, "_find_fonts_by_props", None)

        helpers = getattr(backend_pdf, "_text_helpers", None)
        FT2Font, LoadFlags = getattr(helpers, "FT2Font", None), getattr(helpers, "LoadFlags", None)
        get_font_ttf = getattr(base, "_get_font_ttf", None)
        if hasattr(helpers, "layout") and hasattr(FT2Font, "_layout") and LoadFlags is not None and get_font_ttf is not None:
            no_hinting = LoadFlags.NO_HINTING
            sizes: dict[int, float] = {}  # the size each font object was last set to by the backend
            shaped: dict[tuple, list] = {}

            def _get_font_ttf(self, prop):
                font = get_font_ttf(self, prop)
                sizes[id(font)] = prop.get_size_in_points()
                return font

            def layout(string, font, *, features=None, language=None):
                # matplotlib's layout less the load_glyph of each item: the PDF backend reads only the item's
                # font, character, glyph index, position and kerning, all set by the shaping; the same string
                # in the same font and size (a repeated amount) is shaped once.
                size = sizes.get(id(font))
                if size is None or not isinstance(features, (tuple, type(None))) or not isinstance(language, (str, type(None))):
                    return font._layout(string, no_hinting, features=features, language=language)
                key = (string, id(font), font.fname, size, features, language)
                items = shaped.get(key)
                if items is None:
                    items = shaped[key] = list(font._layout(string, no_hinting, features=features, language=language))
                return items

            setattr(base, "_get_font_ttf", _get_font_ttf)  # noqa: B010
            undo.callback(setattr, base, "_get_font_ttf", get_font_ttf)

            setattr(backend_pdf, "_text_helpers", _Module(helpers, layout=layout))  # noqa: B010
            undo.callback(setattr, backend_pdf, "_text_helpers", helpers)
        yield
