"""Number formatting for people: money, volumes, months."""

from __future__ import annotations

import math

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def symbol(currency: str) -> str:
    return SYMBOLS.get(currency.upper(), "")


def money(x: float | None, currency: str = "USD", *, decimals: int = 2) -> str:
    """$1,241.00; other currencies without a symbol get the code: 1,241.00 CHF."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    sym = symbol(currency)
    sign = "-" if x < 0 else ""
    body = f"{abs(x):,.{decimals}f}"
    return f"{sign}{sym}{body}" if sym else f"{sign}{body} {currency}"


def money_small(x: float | None, currency: str = "USD") -> str:
    """A per-request cost with enough digits to compare: $0.000412, $0.0123, $1.25."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if x == 0:
        return money(0.0, currency)
    return money(x, currency, decimals=small_decimals(x))


def small_decimals(x: float) -> int:
    """Decimals that show three significant digits of a per-request cost (2 from 1 up)."""
    a = abs(x)
    if a >= 1 or a == 0:
        return 2
    return min(12, max(2, -int(math.floor(math.log10(a))) + 2))


def money_short(x: float, currency: str = "USD") -> str:
    """Axis-style money: $950, $1.2k, $3.4M."""
    sym = symbol(currency)
    a = abs(x)
    sign = "-" if x < 0 else ""
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            v = a / div
            s = f"{v:.1f}".rstrip("0").rstrip(".") if v < 100 else f"{v:.0f}"
            return f"{sign}{sym}{s}{suffix}" if sym else f"{sign}{s}{suffix} {currency}"
    s = f"{a:.2f}".rstrip("0").rstrip(".") if a < 10 else f"{a:.0f}"
    return f"{sign}{sym}{s}" if sym else f"{sign}{s} {currency}"


def count(x: float | None) -> str:
    """A number of requests or tokens: 1,234,568."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:,.0f}"


def count_short(x: float) -> str:
    """3M, 250k, 1.5k, 40."""
    a = abs(x)
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            v = x / div
            return (f"{v:.1f}".rstrip("0").rstrip(".") if abs(v) < 100 else f"{v:.0f}") + suffix
    return f"{x:.0f}" if a >= 1 or a == 0 else f"{x:.2g}"


def percent(x: float) -> str:
    return f"{x * 100:.1f}%"
