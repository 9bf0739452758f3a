"""Numbers, money and dates for people, in the current language (:mod:`ftcost.i18n`).

English keeps :mod:`ftcost.render.fmt`'s formats exactly (and never imports
Babel); Spanish uses Babel's formats for Spain: "1.453,64 €", "30 nov 2026".
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from .. import i18n
from ..i18n import babel_locale, date, month  # noqa: F401  (dates: the same in every renderer)
from . import fmt


def money(x: float | None, currency: str = "USD", *, decimals: int = 2) -> str:
    """Money in the current language: ``$1,453.64`` in English, ``1.453,64 €`` in Spanish."""
    if i18n.get_language() == i18n.DEFAULT or x is None or x != x:
        return fmt.money(x, currency, decimals=decimals)
    from babel.numbers import format_currency

    pattern = "#,##0." + "0" * decimals + "\u00a0¤" if decimals else "#,##0\u00a0¤"
    # Decimal(x) is the float's exact value, so ties round as Python's own formatting (and the English table) does.
    return format_currency(Decimal(x), currency.upper(), format=pattern, locale=babel_locale(), currency_digits=False).replace("\u00a0", " ")


def money_small(x: float | None, currency: str = "USD") -> str:
    """A per-request cost with three significant digits, in the current language."""
    if i18n.get_language() == i18n.DEFAULT or x is None or x != x:
        return fmt.money_small(x, currency)
    return money(x, currency, decimals=fmt.small_decimals(x))


def count(x: float | None) -> str:
    """A whole number of requests or tokens: 1,234,568 (English), 1.234.568 (Spanish)."""
    if i18n.get_language() == i18n.DEFAULT or x is None or x != x:
        return fmt.count(x)
    from babel.numbers import format_decimal

    return format_decimal(round(x), format="#,##0", locale=babel_locale())


def number(x: float, decimals: int = 1) -> str:
    """A number with a fixed count of decimals in the current language's symbols."""
    if i18n.get_language() == i18n.DEFAULT:
        return f"{x:,.{decimals}f}"
    from babel.numbers import format_decimal

    return format_decimal(Decimal(x), format="#,##0." + "0" * decimals if decimals else "#,##0", locale=babel_locale())


def percent(x: float) -> str:
    """12.5% (English), 12,5 % (Spanish)."""
    if i18n.get_language() == i18n.DEFAULT:
        return f"{x * 100:.1f}%"
    from babel.numbers import format_percent

    return format_percent(Decimal(x), format="#,##0.0 %", locale=babel_locale()).replace("\u00a0", " ")


def money_format(currency: str) -> dict:
    """How :func:`money` writes ``currency`` in the current language, for a page's script:
    ``{"group", "decimal", "before", "after"}`` so that 1234.5 reads ``before + "1,234.50" + after``.

    Taken from :func:`money` itself, so the page and the tables agree to the character.
    """
    sample = money(1234.5, currency)
    g = number(1234.5, 2)
    before, _sep, after = sample.partition(g)
    return {"group": g[1], "decimal": g[-3], "before": before, "after": after}


def _short_number(v: float) -> str:
    """The mantissa of a short number: one decimal under 100 ("1.5", "1,5"), none from 100 on."""
    s = f"{v:.1f}".rstrip("0").rstrip(".") if abs(v) < 100 else f"{v:.0f}"
    return s.replace(".", ",") if i18n.get_language() == "es" else s


# Short-scale suffixes of an axis: Spanish has no "billion" (mil millones), written "mil M".
_SUFFIXES = {"en": ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")), "es": ((1e12, "B"), (1e9, "mil M"), (1e6, "M"), (1e3, "k"))}


def count_short(x: float) -> str:
    """Axis-style counts: 3M, 250k, 1.5k (English), 1,5k and 2 mil M (Spanish)."""
    lang = i18n.get_language()
    if lang == i18n.DEFAULT:
        return fmt.count_short(x)
    a = abs(x)
    for div, suffix in _SUFFIXES[lang]:
        if a >= div:
            sep = " " if " " in suffix else ""
            return _short_number(x / div) + sep + suffix
    return f"{x:.0f}" if a >= 1 or a == 0 else f"{x:.2g}".replace(".", ",")


def money_short(x: float, currency: str = "USD") -> str:
    """Axis-style money: $1.2k (English), 1,2k € (Spanish: the symbol after the number, as Babel writes it)."""
    if i18n.get_language() == i18n.DEFAULT:
        return fmt.money_short(x, currency)
    a = abs(x)
    body = count_short(a) if a >= 1000 else (f"{a:.2f}".rstrip("0").rstrip(".") if a < 10 else f"{a:.0f}").replace(".", ",")
    before, after = _money_affixes(i18n.get_language(), currency)
    return ("-" if x < 0 else "") + before + body + after


@cache
def _money_affixes(lang: str, currency: str) -> tuple[str, str]:
    """What :func:`money` writes before and after the number in ``lang``: ("", " €"), ("", " US$")."""
    sample = money(1.0, currency)
    digits = number(1.0, 2)
    before, found, after = sample.partition(digits)
    return (before, after) if found else ("", " " + currency)
