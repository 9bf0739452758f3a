"""Writing text-heavy PDF pages with matplotlib, faster, the same bytes.

Most of the time ``ftcost report`` takes goes into the text of its pages:
matplotlib's PDF backend (3.11) measures every line of text (a shaping
pass: each glyph loaded from the font file), draws it (a second shaping
pass), and then loads every glyph once more, which only its raster
backends need. Each glyph load reads the font file through Python seek and
read calls (about 12 us a glyph on this machine; the report has about
17,000 characters). While :func:`faster_pdf_text` is active:

- a string's extent in a font is measured once per process, not once per
  page (the footer, the column headers and the repeated amounts of the
  schedule are measured once);
- the font files behind a font description are looked up once;
- the PDF backend's text layout keeps the shaping's glyphs, positions and
  kerning without loading each glyph again (matplotlib >= 3.11, where the
  shaping is ``FT2Font._layout``; older versions are left as they are).

The PDF written is byte for byte the one written without it (tested by
``tests/test_report.py``). Everything is put back on exit.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator


class _Module:
    """A matplotlib module as one other module sees it, with some of its names replaced."""

    def __init__(self, module, **names):
        self._module = module
        vars(self).update(names)

    def __getattr__(self, name: str):
        return getattr(self._module, name)


class _FontBytes(io.BytesIO):
    """A font file's bytes, read once, named like the file (FT2Font names a font read from a file object
    after the object's repr; the PDF backend embeds a font by that name)."""

    def __init__(self, data: bytes, path: str):
        super().__init__(data)
        self.name = path
        self._path = path

    def __repr__(self) -> str:
        return self._path


_FONT_BYTES: dict[str, bytes] = {}


def _in_memory(FT2Font):
    """FT2Font, reading its font file from memory: FreeType reads a glyph's data through Python seek and read
    calls on the file object, system calls each on a file, a copy from memory on a BytesIO (twice as fast)."""

    def make(path, *args, **kwargs):
        if isinstance(path, str) and os.path.isfile(path):
            data = _FONT_BYTES.get(path)
            if data is None:
                with open(path, "rb") as f:
                    data = _FONT_BYTES[path] = f.read()
            font = FT2Font(_FontBytes(data, path), *args, **kwargs)
            if font.fname == path:
                return font
        return FT2Font(path, *args, **kwargs)  # another matplotlib, another way of naming fonts: from the file

    return make


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


def _font_lists() -> tuple:
    """The fonts each generic family stands for (as findfont's own cache keys them)."""
    import matplotlib as mpl

    return tuple(tuple(mpl.rcParams[f"font.{g}"]) for g in ("serif", "sans-serif", "cursive", "fantasy", "monospace"))


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
            key = (s, _prop_key(prop), _font_lists(), mpl.rcParams["text.kerning_factor"])
            found = extents.get(key)
            if found is None:
                found = extents[key] = measure(self, s, prop, ismath)
            return found

        base.get_text_width_height_descent = get_text_width_height_descent
        undo.callback(setattr, base, "get_text_width_height_descent", measure)

        manager = font_manager.fontManager
        find = getattr(manager, "_find_fonts_by_props", None)
        if find is not None:
            found_fonts: dict[tuple, object] = {}

            def _find_fonts_by_props(prop, *args, **kwargs):
                key = (_prop_key(prop), args, tuple(sorted(kwargs.items())), _font_lists())
                hit = found_fonts.get(key)
                if hit is None:
                    hit = found_fonts[key] = find(prop, *args, **kwargs)
                return hit

            if "_find_fonts_by_props" not in vars(manager):  # the class's method, shadowed on the instance while within
                manager._find_fonts_by_props = _find_fonts_by_props
                undo.callback(vars(manager).pop, "_find_fonts_by_props", None)

        get_font = getattr(font_manager, "_get_font", None)
        ft2font = getattr(font_manager, "ft2font", None)
        if hasattr(get_font, "cache_clear") and hasattr(ft2font, "FT2Font"):
            font_manager.ft2font = _Module(ft2font, FT2Font=_in_memory(ft2font.FT2Font))
            get_font.cache_clear()  # fonts opened from now on are read from memory

            def put_back():
                font_manager.ft2font = ft2font
                get_font.cache_clear()

            undo.callback(put_back)

        helpers = getattr(backend_pdf, "_text_helpers", None)
        FT2Font, LoadFlags = getattr(helpers, "FT2Font", None), getattr(helpers, "LoadFlags", None)
        if hasattr(helpers, "layout") and hasattr(FT2Font, "_layout") and LoadFlags is not None:
            no_hinting = LoadFlags.NO_HINTING

            def layout(string, font, *, features=None, language=None):
                # matplotlib's layout less the load_glyph of each item: the PDF backend reads only the item's
                # font, character, glyph index, position and kerning, all set by the shaping.
                return font._layout(string, no_hinting, features=features, language=language)

            backend_pdf._text_helpers = _Module(helpers, layout=layout)
            undo.callback(setattr, backend_pdf, "_text_helpers", helpers)
        yield
