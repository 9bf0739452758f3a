"""Reading one value of a catalog, located: a date, an amount, text, the ``sources`` of a block, its prices.

Each reader raises a CatalogError at the value's file, line and column. The
block readers of :mod:`ftcost.catalogs.parse` are built on them (and ``load``
checks merged prices with ``_check_cached``); the names keep their underscore:
they are the package's own, not API.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import CatalogError
from ..i18n import Message, did_you_mean, term
from ..yamlsrc import YamlDoc
from .model import MAX_NUMBER, Price


def _as_date(value: Any, doc: YamlDoc, path: tuple) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise doc.error(CatalogError, path, Message("expected a date YYYY-MM-DD, got {value!r}", value=value))


def _check_keys(doc: YamlDoc, mapping: Any, path: tuple, allowed: Iterable[str], what: str) -> dict:
    if not isinstance(mapping, dict):
        raise doc.error(CatalogError, path, Message("{what} must be a mapping, got {type}", what=term(what), type=type(mapping).__name__))
    allowed = tuple(allowed)
    for key in mapping:
        if key not in allowed:
            hint = did_you_mean(key, allowed) or Message("allowed keys: {keys}", keys=", ".join(allowed))
            raise doc.error(CatalogError, path + (key,), Message("unknown key '{key}' in {what}", key=key, what=term(what)), hint, key=True)
    return mapping


def _money(doc: YamlDoc, value: Any, path: tuple, *, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise doc.error(CatalogError, path, Message("expected a number, got {value!r}", value=value))
    if (isinstance(value, float) and not math.isfinite(value)) or value < 0:
        raise doc.error(CatalogError, path, Message("expected a finite number >= 0, got {value!r}", value=value))
    if value > MAX_NUMBER:  # also an int too large for a float (OverflowError otherwise)
        raise doc.error(
            CatalogError,
            path,
            Message("{value} is implausibly large (a catalog value is at most {limit:g})", value=str(value)[:40], limit=MAX_NUMBER),
            Message("check the number of digits"),
        )
    if integer and int(value) != value:
        raise doc.error(CatalogError, path, Message("expected a whole number, got {value!r}", value=value))
    return float(value)


def _text(doc: YamlDoc, block: dict, key: str, path: tuple) -> str | None:
    value = block.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise doc.error(CatalogError, path + (key,), Message("{key} must be text, got {value!r}", key=key, value=value))
    return value


def _sources(doc: YamlDoc, block: dict, path: tuple) -> dict[str, tuple[str | None, _dt.date | None]]:
    raw = block.get("sources") or {}
    if not isinstance(raw, dict):
        raise doc.error(CatalogError, path + ("sources",), Message("sources must map a price name to {{source, as_of}}"))
    out: dict[str, tuple[str | None, _dt.date | None]] = {}
    for name, entry in raw.items():
        p = path + ("sources", name)
        if isinstance(entry, str):
            out[name] = (entry, None)
            continue
        _check_keys(doc, entry, p, ("source", "as_of"), "a price source")
        src = entry.get("source")
        if src is not None and (not isinstance(src, str) or not src.strip()):
            raise doc.error(CatalogError, p + ("source",), Message("source must be text, got {src!r}", src=src))
        out[name] = (src, _as_date(entry.get("as_of"), doc, p + ("as_of",)))
    return out


def _prices(doc, block, path, keys, inherited: tuple[str, _dt.date | None], facts: tuple[str, ...] = ()) -> dict[str, Price]:
    """The prices ``keys`` of ``block``, each with its source; ``facts`` may also be named in ``sources``."""
    src = _text(doc, block, "source", path) or inherited[0]
    asof = _as_date(block.get("as_of"), doc, path + ("as_of",)) if "as_of" in block else inherited[1]
    per_field = _sources(doc, block, path)
    for name in per_field:
        if name not in keys and name not in facts:
            raise doc.error(
                CatalogError,
                path + ("sources", name),
                Message("'{name}' is not a price or fact of this block", name=name),
                did_you_mean(name, keys + facts),
                key=True,
            )
    out = {}
    for k in keys:
        if k in block and block[k] is not None:
            v = _money(doc, block[k], path + (k,))
            if k == "batch_discount" and v > 1:
                raise doc.error(CatalogError, path + (k,), Message("batch_discount is a fraction off (0..1), got {v}", v=v))
            fsrc, fdate = per_field.get(k, (None, None))
            source = fsrc or src
            if not source:
                raise doc.error(
                    CatalogError, path + (k,), Message("price '{k}' has no source", k=k), Message("add source: to the model, its block or the catalog")
                )
            line, col = doc.where(path + (k,))
            out[k] = Price(v, source, fdate or asof, k, doc.file, line, col)
    return out


def _check_cached(prices: Mapping[str, Price], where: str) -> None:
    """cached_input never above input (a cached token never costs more than a fresh one)."""
    c, i = prices.get("cached_input"), prices.get("input")
    if c is not None and i is not None and c.value > i.value:
        raise CatalogError(
            Message("cached_input {value:g} is above input {value2:g} in {where}", value=c.value, value2=i.value, where=where),
            file=c.file or None,
            line=c.line,
            column=c.column,
            hint=Message("a cached token never costs more than a fresh one"),
        )


def _has_control(text: str) -> bool:
    """Line breaks, tabs, NUL and other control characters: a name with them breaks tables and CSV rows."""
    import unicodedata

    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)
