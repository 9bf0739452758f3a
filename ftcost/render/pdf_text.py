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
- a font opened while within is read from a copy of its file in memory
  (:func:`_fonts_in_memory`): FreeType reads a font through Python seek and
  read calls, on an open file through its buffered reader; from memory,
  shaping a string takes half the time (measured: 870 us for a line of 67
  characters from the file, 440 us from memory);
- the PDF backend's text layout keeps the shaping's glyphs, positions and
  kerning without loading each glyph again, and shapes a string drawn
  again in the same font and size once (matplotlib >= 3.11, where the
  shaping is ``FT2Font._layout``; other versions keep their own layout);
- a text's line metrics (the font's OS/2 and head tables, read for every
  text laid out) are read once per font;
- a glyph the PDF already holds is looked up in a dict of the tracker's
  answers, not tracked again (``CharacterTracker.track_glyph``, called for
  every character drawn);
- a string drawn again in the same font and size in the same PDF is
  written from the text operators its first drawing wrote (only the
  position differs): 354 of the 970 strings of the 5-strategy report are
  repeats (amounts of the schedule, column headers, footers).

The caches live as long as the block and assume that the font settings
(``rcParams['font.*']``) do not change within it, as they do not while a
report is written. The PDF is byte for byte the one written without it
(tested in ``tests/test_report.py``). Everything is put back on exit.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import math
import os
from collections.abc import Iterator
from functools import lru_cache


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


_FONT_FILES = (".ttf", ".otf", ".ttc")


class _FontFile(io.BytesIO):
    """A font file's bytes, named by its path: what FreeType reads instead of the open file."""

    def __init__(self, data: bytes, name: str | bytes):
        super().__init__(data)
        self.name = name


@lru_cache(8)
def _font_bytes(path: str | bytes) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _fonts_in_memory(get_font):
    """matplotlib's ``font_manager._get_font`` (cached by font files, size independent), with each font read
    from memory. An FT2Font opens a path with ``io.open(path, "rb")`` and reads it through that object's seek
    and read for as long as it lives; for that call only, ``io.open`` hands it the file's bytes in a
    :class:`_FontFile`, whose ``name`` is the path (the font's ``fname``, which the PDF backend embeds from)."""
    real_open = io.open
    uncached = getattr(get_font, "__wrapped__", None)
    if uncached is None:
        return get_font

    def open_in_memory(file, mode="r", *args, **kwargs):
        # only a font file (another thread's open() in this short window reads its file as usual)
        if mode == "rb" and not args and not kwargs and isinstance(file, (str, bytes)) and os.fsdecode(file).lower().endswith(_FONT_FILES):
            try:
                return _FontFile(_font_bytes(file), file)
            except OSError:
                pass  # as a plain open would: raised by it
        return real_open(file, mode, *args, **kwargs)

    @lru_cache(64)
    def _get_font(*args, **kwargs):
        io.open = open_in_memory
        try:
            return uncached(*args, **kwargs)
        finally:
            io.open = real_open

    return _get_font


class _FontTables:
    """A font as ``matplotlib.text`` uses it (its sfnt tables), each table read once; anything else is the font's."""

    def __init__(self, font):
        self._font = font
        self._tables: dict = {}

    def get_sfnt_table(self, name):
        if name not in self._tables:
            self._tables[name] = self._font.get_sfnt_table(name)
        return self._tables[name]

    def __getattr__(self, name: str):
        return getattr(self._font, name)


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

        get_font = getattr(font_manager, "_get_font", None)
        in_memory = _fonts_in_memory(get_font) if get_font is not None else None
        if in_memory is not get_font:
            setattr(font_manager, "_get_font", in_memory)  # noqa: B010  (a function of matplotlib's, replaced)
            undo.callback(setattr, font_manager, "_get_font", get_font)

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

        text_module = importlib.import_module("matplotlib.text")
        text_get_font = getattr(text_module, "get_font", None)
        if text_get_font is not None:
            tables: dict[tuple, _FontTables] = {}

            def get_font_tables(font_filepaths, *args, **kwargs):
                # matplotlib.text reads only the font's sfnt tables (its ascent, descent and line gap) from this font
                try:
                    key = (tuple(font_filepaths) if isinstance(font_filepaths, list) else font_filepaths, args, tuple(sorted(kwargs.items())))
                    found = tables.get(key)
                except TypeError:
                    return text_get_font(font_filepaths, *args, **kwargs)
                if found is None:
                    found = tables[key] = _FontTables(text_get_font(font_filepaths, *args, **kwargs))
                return found

            setattr(text_module, "get_font", get_font_tables)  # noqa: B010
            undo.callback(setattr, text_module, "get_font", text_get_font)

        tracker = getattr(_backend_pdf_ps, "CharacterTracker", None)
        track_glyph = getattr(tracker, "track_glyph", None)
        if track_glyph is not None:

            def track_glyph_once(self, font, chars, glyph):
                # the tracker answers the same (subset, code) for a glyph it holds: asked once per font, character and glyph
                known = vars(self).setdefault("_ftcost_tracked", {})
                key = (font, chars, glyph)
                try:
                    found = known.get(key)
                except TypeError:
                    return track_glyph(self, font, chars, glyph)
                if found is None:
                    found = known[key] = track_glyph(self, font, chars, glyph)
                return found

            setattr(tracker, "track_glyph", track_glyph_once)  # noqa: B010
            undo.callback(setattr, tracker, "track_glyph", track_glyph)

        renderer_pdf = backend_pdf.RendererPdf
        draw_text = renderer_pdf.draw_text
        concat_matrix = getattr(getattr(backend_pdf, "Op", None), "concat_matrix", None)
        if concat_matrix is not None:
            setattr(renderer_pdf, "draw_text", _drawn_once(draw_text, concat_matrix, backend_pdf.Op.gsave, mpl.rcParams))  # noqa: B010
            undo.callback(setattr, renderer_pdf, "draw_text", draw_text)

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


def _drawn_once(draw_text, concat_matrix, gsave, rc):
    """RendererPdf.draw_text writing a string already drawn in the same PDF, font and size from the operators its
    first drawing wrote. matplotlib (3.11) writes a string as: the graphics state (colour: ``check_gc``), ``q``,
    the position and angle (``cm``), then the text between ``BT`` and ``ET`` and ``Q``, which depends only on the
    string, the font, its size and the glyphs the PDF already holds (the first drawing recorded them)."""

    def drawn_once(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or gc.get_url() is not None or rc["pdf.use14corefonts"]:
            return draw_text(self, gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, _prop_key(prop), rc["pdf.fonttype"], features, language)
        try:
            hash(key)
        except TypeError:
            return draw_text(self, gc, x, y, s, prop, angle, ismath, mtext)
        pdf = self.file
        bodies = vars(pdf).setdefault("_ftcost_drawn_text", {})  # per PDF: the glyphs it holds, its font names
        self.check_gc(gc, gc._rgb)  # the colour, written now: the drawing below then writes none
        body = bodies.get(key)
        if body is not None:
            a = math.radians(angle)
            pdf.output(gsave)
            pdf.output(math.cos(a), math.sin(a), -math.sin(a), math.cos(a), x, y, concat_matrix)
            pdf.write(body)
            return None
        written: list[bytes] = []
        pdf.write = written.append  # the instance's, over the class's method, for this drawing
        try:
            draw_text(self, gc, x, y, s, prop, angle, ismath, mtext)
        finally:
            del pdf.write
        if len(written) > 4 and written[0] == b"q" and written[1] == b"\n" and written[2].endswith(b" cm") and written[3] == b"\n":
            bodies[key] = b"".join(written[4:])
        pdf.write(b"".join(written))
        return None

    return drawn_once
