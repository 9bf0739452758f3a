"""Languages for the human-facing outputs: gettext catalogs and Babel number formats.

The text a person reads (the ``compare`` table, the PDF, the HTML page, the
workbook's labels and notes, warnings and error messages) goes through
:func:`_`; key paths, JSON and CSV never do, so they stay the same in every
language. Translations live in ``ftcost/locale/<lang>/LC_MESSAGES/ftcost.po``
and are compiled with Babel when a language other than English is first used
(English needs no catalog: the message ids are the English text), so
``ftcost compare`` in English never imports Babel.

Numbers, money and dates in the current language: :mod:`ftcost.render.lfmt`.

The language is chosen once per command: ``--lang es|en``, else the
``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` environment variable (``es_ES.UTF-8``
is Spanish), else English. :func:`use` sets it for a block of code.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "es")
DEFAULT = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "ftcost"
# Babel locale of each language: the formats of Spain for Spanish, of the US for English.
BABEL_LOCALE = {"en": "en_US", "es": "es_ES"}

_current = DEFAULT


def from_environment(env: dict[str, str] | None = None) -> str:
    """The language the environment asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set.

    >>> from_environment({"LANG": "es_ES.UTF-8"}), from_environment({"LANG": "C.UTF-8"}), from_environment({})
    ('es', 'en', 'en')
    """
    source: Mapping[str, str] = os.environ if env is None else env
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = source.get(key, "")
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in LANGUAGES else DEFAULT
    return DEFAULT


def resolve(lang: str | None) -> str:
    """``lang`` if given (checked), else the environment's language."""
    if lang is None:
        return from_environment()
    code = lang.strip().lower().replace("-", "_").split("_")[0]
    if code not in LANGUAGES:
        from .errors import FtcostError

        raise FtcostError(f"unknown language '{lang}'", hint="use one of: " + ", ".join(LANGUAGES))
    return code


def set_language(lang: str | None) -> str:
    """Make ``lang`` (or the environment's language) the current one; return it."""
    global _current
    _current = resolve(lang)
    return _current


def get_language() -> str:
    return _current


@contextlib.contextmanager
def use(lang: str | None) -> Iterator[str]:
    """Run a block in ``lang`` (None: keep the current language)."""
    global _current
    before = _current
    if lang is not None:
        set_language(lang)
    try:
        yield _current
    finally:
        _current = before


class Message(str):
    """Text a person reads that is kept in English (the str itself: the JSON's words, and what code compares)
    and can say itself in the current language (:meth:`localized`).

    ``Message(N_("{path}: {n:,} example(s) skipped"), path=p, n=3)``: the English text is
    ``msgid.format(**fields)``, format specs included; in another language the translation is formatted with
    the same fields, whole numbers with that language's separators and nested messages localized too.
    """

    msgid: str
    fields: dict[str, Any]

    def __new__(cls, msgid: str, /, **fields: Any) -> Message:
        self = super().__new__(cls, msgid.format(**{k: str(v) if isinstance(v, Message) else v for k, v in fields.items()}))
        self.msgid = msgid
        self.fields = fields
        return self

    def __reduce__(self) -> tuple:  # copies and pickles keep the message, not only its English text
        return (_message, (self.msgid, self.fields))

    def localized(self) -> str:
        if _current == DEFAULT:
            return str(self)
        return translations(_current).gettext(self.msgid).format(**{k: _local_field(v) for k, v in self.fields.items()})


class _LocalInt(int):
    """A whole number that writes its thousands with the current language's separator ("{n:,}")."""

    def __format__(self, spec: str) -> str:
        if spec != ",":
            return int.__format__(self, spec)
        from babel.numbers import format_decimal

        return format_decimal(int(self), format="#,##0", locale=babel_locale())


def _local_field(v: Any) -> Any:
    if isinstance(v, Message):
        return v.localized()
    if isinstance(v, int) and not isinstance(v, bool):
        return _LocalInt(v)
    return v


def join(separator: str, parts: Sequence[str]) -> Message:
    """``separator.join(parts)`` that stays a :class:`Message` (each part localized when it is one)."""
    sep = separator.replace("{", "{{").replace("}", "}}")
    return Message(sep.join(f"{{p{i}}}" for i in range(len(parts))), **{f"p{i}": p for i, p in enumerate(parts)})


def _message(msgid: str, fields: dict[str, Any]) -> Message:
    return Message(msgid, **fields)


def localized(text: str) -> str:
    """``text`` in the current language when it is a :class:`Message`, else as it is."""
    return text.localized() if isinstance(text, Message) else text


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> Any:
    """The compiled catalog of ``lang`` (babel.support.Translations), read from its .po file once."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with open(po_path(lang), "rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


def _(message: str) -> str:
    """``message`` in the current language (itself in English or when the catalog lacks it)."""
    if _current == DEFAULT:
        return message
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if _current == DEFAULT:
        return singular if n == 1 else plural
    return translations(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (translated later with :func:`_`)."""
    return message


def babel_locale(lang: str | None = None) -> str:
    """The Babel locale of ``lang`` (default: the current language): es_ES, en_US."""
    return BABEL_LOCALE[lang or _current]


def date(d: _dt.date) -> str:
    """2026-11-30 in English (ISO, as before), 30 nov 2026 in Spanish."""
    if _current == DEFAULT:
        return d.isoformat()
    from babel.dates import format_date

    return format_date(d, "medium", locale=babel_locale())


def month(d: _dt.date) -> str:
    """A calendar month: 2026-11 in English, nov 2026 in Spanish."""
    if _current == DEFAULT:
        return f"{d.year:04d}-{d.month:02d}"
    from babel.dates import format_date

    return format_date(d, "LLL y", locale=babel_locale())
