"""Stale prices: those read more than ``max_age_days`` before today, or undated (docs/pricing.md)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping

from .model import Price

DEFAULT_MAX_AGE_DAYS = 180


def _day(value: _dt.date | str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


def stale_prices(prices: Iterable[Price] | Mapping[str, Price], today: _dt.date | str, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[Price]:
    """The prices read more than ``max_age_days`` before ``today``, or with no as_of date, oldest first.

    A price read exactly ``max_age_days`` ago is not stale. Prices without a
    date come first: their age is unknown, which is worse than old.

    >>> import datetime as dt
    >>> old = Price(2.0, "x", dt.date(2026, 1, 1), "training")
    >>> new = Price(0.1, "x", dt.date(2026, 11, 1), "input")
    >>> [p.field for p in stale_prices([new, old], dt.date(2026, 11, 25))]
    ['training']
    """
    if isinstance(prices, Mapping):
        prices = prices.values()
    if max_age_days < 0:
        raise ValueError("max_age_days must be >= 0")
    day = _day(today)
    stale = [p for p in prices if p.as_of is None or (day - p.as_of).days > max_age_days]
    return sorted(stale, key=lambda p: (p.as_of is not None, p.as_of or _dt.date.min))


def stale_warning(prices: Iterable[Price] | Mapping[str, Price], today: _dt.date | str, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> str | None:
    """One line for compare/report when some prices are stale, else None.

    >>> import datetime as dt
    >>> p = Price(3.0, "x", dt.date(2025, 11, 4), "training")
    >>> stale_warning({"training": p}, dt.date(2026, 11, 25))
    '1 price is older than 180 days (training read 2025-11-04, 386 days ago); check it with ftcost pricing show'
    """
    stale = stale_prices(prices, today, max_age_days)
    if not stale:
        return None
    from ..i18n import _, date, ngettext

    day = _day(today)
    n = len(stale)
    undated = sum(p.as_of is None for p in stale)
    if undated:
        head = ngettext("{n} price is older than {days} days or undated", "{n} prices are older than {days} days or undated", n)
    else:
        head = ngettext("{n} price is older than {days} days", "{n} prices are older than {days} days", n)
    head = head.format(n=n, days=max_age_days)
    oldest = stale[0]
    if oldest.as_of is None:
        what = _("{n} with no as_of date").format(n=undated)
    else:
        what = _("{field} read {date}, {days} days ago").format(field=oldest.field or _("oldest"), date=date(oldest.as_of), days=(day - oldest.as_of).days)
    check = ngettext("check it with ftcost pricing show", "check them with ftcost pricing show", n)
    return f"{head} ({what}); {check}"
