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
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
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

        raise FtcostError(Message("unknown language '{lang}'", lang=lang), hint=Message("use one of: {choices}", choices=", ".join(LANGUAGES)))
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


def term(text: str) -> str:
    """A name chosen at run time ("scenario file", "a strategy") as a :class:`Message`: translated where the catalog
    has it (each is marked with :func:`N_` where it is defined), else itself."""
    if isinstance(text, Message) or not isinstance(text, str) or "{" in text or "}" in text:
        return text
    return Message(text)


def _local_field(v: Any) -> Any:
    if isinstance(v, Message):
        return v.localized()
    if isinstance(v, int) and not isinstance(v, bool):
        return _LocalInt(v)
    return v


def join(separator: str, parts: Sequence[str]) -> Message:
    """``separator.join(parts)`` that stays a :class:`Message` (each part localized when it is one)."""
    sep = separator.replace("{", "{{").replace("}", "}}")
    msgid = sep.join(f"{{p{i}}}" for i in range(len(parts)))  # no literal: nothing for the catalog's extractor
    return Message(msgid, **{"p" + str(i): p for i, p in enumerate(parts)})


def _message(msgid: str, fields: dict[str, Any]) -> Message:
    return Message(msgid, **fields)


def localized(text: str) -> str:
    """``text`` in the current language when it is a :class:`Message`, else as it is."""
    return text.localized() if isinstance(text, Message) else text


_FIELD = re.compile(r"\{(\w+)(?:![rs])?(?::[^{}]*)?\}")


@cache
def _pattern(msgid: str) -> re.Pattern[str]:
    out, seen, at = [], set(), 0
    for m in _FIELD.finditer(msgid):
        out.append(re.escape(msgid[at : m.start()].replace("{{", "{").replace("}}", "}")))
        name = m.group(1)
        out.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
        at = m.end()
    out.append(re.escape(msgid[at:].replace("{{", "{").replace("}}", "}")))
    return re.compile("".join(out), re.DOTALL)


def recognize(text: str, templates: Sequence[str]) -> str:
    """``text`` written by code that does not mark its messages (click, a module not yet translated) as a
    :class:`Message` of the first of ``templates`` (msgids marked with :func:`N_`) that it matches whole; its fields
    are recognized too (a hint inside a message). Text no template matches is returned as it is.

    >>> m = recognize("unknown model 'gpt-5' (hint)", [N_("unknown model '{name}' ({rest})")])
    >>> type(m).__name__, m.fields
    ('Message', {'name': 'gpt-5', 'rest': 'hint'})
    """
    if isinstance(text, Message) or not isinstance(text, str):
        return text
    for msgid in templates:
        m = _pattern(msgid).fullmatch(text)
        if m is None:
            continue
        fields: dict[str, Any] = {}
        for name, value in m.groupdict().items():
            spec = re.search(r"\{" + name + r"(![rs])?(:[^{}]*)?\}", msgid)
            if spec and spec.group(1) == "!r":  # the repr of a str: give format() the str back
                import ast

                try:
                    value = ast.literal_eval(value)
                except (ValueError, SyntaxError):
                    break
            if spec and spec.group(2) and re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", value):
                value = int(value.replace(",", ""))
            fields[name] = recognize(value, [t for t in templates if t != msgid]) if isinstance(value, str) else value
        else:
            msg = Message(msgid, **fields)
            if str(msg) == text:  # the fields put back give the same text: nothing was misread
                return msg
    return text


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


def did_you_mean(word: str, choices: Iterable[str], n: int = 1) -> Message | None:
    """:func:`ftcost.errors.did_you_mean` as a :class:`Message` (the same English text: "did you mean 'x'?")."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=n, cutoff=0.6)
    if not close:
        return None
    names: str = repr(close[0])
    for c in close[1:]:
        names = Message("{first} or {second}", first=names, second=repr(c))
    return Message("did you mean {choices}?", choices=names)


def error_text(exc: Any) -> str:
    """``str(exc)`` of an :class:`ftcost.errors.FtcostError` ('file:line:column: key: message (hint: ...)') in the
    current language: its message and hint are translated where they are :class:`Message` objects; the location
    (file, line, column, key path) never is."""
    if _current == DEFAULT:
        return str(exc)
    loc = _clip(exc.location(), 500)
    message = _clip(localized(exc.message))
    text = f"{loc}: {message}" if loc else message
    if exc.hint:
        text += " (" + _("hint: {text}").format(text=_clip(localized(exc.hint))) + ")"
    return text


def _clip(text: str, limit: int = 1000) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out (ftcost.errors' clipping, in the current
    language)."""
    text = str(text)
    if len(text) <= limit:
        return text
    return text[:limit] + Message("... ({n:,} more characters)", n=len(text) - limit).localized()
