"""Numbers, money and dates for people, in the current language (:mod:`ftcost.i18n`).

English keeps :mod:`ftcost.render.fmt`'s formats exactly (and never imports
Babel); Spanish uses Babel's formats for Spain: "1.453,64 €", "30 nov 2026".
"""

from __future__ import annotations

from decimal import Decimal

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
