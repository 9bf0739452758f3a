"""The scenario checker: reads values out of a YamlDoc with located errors.

A small recursive checker (cfgv-style): every problem names the file, line,
column and key path, and unknown keys get a "did you mean" hint. Numbers are
checked against their row of :mod:`ftcost.model.fields`.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable
from typing import Any, Literal, overload

from ..errors import ScenarioError
from ..i18n import N_, Message, did_you_mean
from ..limits import MAX_NUMBER
from ..yamlsrc import YamlDoc
from .fields import at


class _Checker:
    """Reads values out of a YamlDoc with located errors."""

    def __init__(self, doc: YamlDoc):
        self.doc = doc
        self.distributions: dict[tuple[str | int, ...], Any] = {}  # key path -> Distribution (see number())
        self.horizon: int | None = None  # set once read: distributions of monthly rates are cut where they compound too far

    def fail(self, path: tuple[str | int, ...], message: str, hint: str | None = None, *, key: bool = False) -> ScenarioError:
        return self.doc.error(ScenarioError, path, message, hint, key=key)

    def mapping(self, value: Any, path: tuple[str | int, ...], allowed: Iterable[str], what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, Message("{what} must be a mapping of keys to values, got {kind}", what=_what(what), kind=_kind(value)))
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or Message("allowed keys: {keys}", keys=", ".join(allowed))
                raise self.fail(path + (key,), Message("unknown key '{key}' in {what}", key=key, what=_what(what)), hint, key=True)
        return value

    def number(
        self,
        m: dict[str, Any],
        key: str,
        path: tuple[str | int, ...],
        *,
        default: Any = None,
        minimum: float | None = None,
        maximum: float | None = None,
        exclusive_min: bool = False,
        integer: bool = False,
        required: bool = False,
        what: str = "a number",
    ) -> Any:
        p = path + (key,)
        if key not in m or m[key] is None:
            if required:
                raise self.fail(path, Message("'{key}' is required", key=key), key=True)
            return default
        v = m[key]
        if isinstance(v, dict):  # an uncertain value {dist: ...} (issue 7): its median, recorded for simulate
            from .distributions import read_distribution

            return read_distribution(self, v, p, minimum=minimum, maximum=maximum, exclusive_min=exclusive_min, integer=integer, what=what)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            if isinstance(v, str) and _looks_numeric(v):
                if not v.isascii():
                    raise self.fail(
                        p,
                        Message("expected {what}, got the text {value}", what=_what(what), value=_short(v)),
                        Message("write the number with ASCII digits 0-9"),
                    )
                raise self.fail(p, Message("expected {what}, got the text {value!r}", what=_what(what), value=v), Message("remove the quotes"))
            raise self.fail(
                p,
                Message("expected {what}, got {kind} {value}", what=_what(what), kind=_kind(v), value=_short(v)),
                Message("write the number in digits, without quotes or units, e.g. 12 or 0.5"),
            )
        if not _finite(v) and not isinstance(v, int):
            raise self.fail(p, Message("expected a finite number, got {value}", value=_short(v)))
        if abs(v) > MAX_NUMBER:
            raise self.fail(
                p,
                Message("{value} is implausibly large (ftcost accepts numbers up to {most})", value=_fmt(v), most=_fmt(MAX_NUMBER)),
                Message("check the number of digits"),
            )
        if integer and float(v) != int(v):
            raise self.fail(p, Message("expected a whole number, got {value}", value=v))
        if minimum is not None and (v <= minimum if exclusive_min else v < minimum):
            op = ">" if exclusive_min else ">="
            hint = Message("a count, price or cost cannot be negative") if v < 0 <= minimum else None
            raise self.fail(p, Message("must be {op} {least}, got {value}", op=op, least=_fmt(minimum), value=_fmt(v)), hint)
        if maximum is not None and v > maximum:
            hint = Message("a share is a fraction: 25% is 0.25") if maximum == 1 else None
            raise self.fail(p, Message("must be <= {most}, got {value}", most=_fmt(maximum), value=_fmt(v)), hint)
        return int(v) if integer else float(v)

    def field(self, m: dict[str, Any], key: str, path: tuple[str | int, ...], *, default: Any = None, required: bool = False) -> Any:
        """The number at ``path + (key,)``, checked against its row of ftcost.model.fields (range, whole or not)."""
        f = at(path + (key,))
        if f is None:
            raise LookupError(f"{'.'.join(map(str, path + (key,)))} is not declared in ftcost.fields")
        return self.number(
            m,
            key,
            path,
            default=default,
            required=required,
            minimum=f.minimum,
            maximum=f.maximum,
            exclusive_min=f.exclusive_min,
            integer=f.integer,
            what=f.what,
        )

    @overload
    def string(self, m: dict[str, Any], key: str, path: tuple[str | int, ...], *, required: Literal[True]) -> str: ...
    @overload
    def string(self, m: dict[str, Any], key: str, path: tuple[str | int, ...], *, required: bool = False, default: str | None = None) -> str | None: ...
    def string(self, m: dict[str, Any], key: str, path: tuple[str | int, ...], *, required: bool = False, default: str | None = None) -> str | None:
        if key not in m or m[key] is None:
            if required:
                raise self.fail(path, Message("'{key}' is required", key=key), key=True)
            return default
        v = m[key]
        if not isinstance(v, str):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return str(v)
            raise self.fail(path + (key,), Message("expected text, got {kind}", kind=_kind(v)))
        return v


def _kind(v: Any) -> str:
    if v is None:
        return Message("nothing (null)")
    kinds = {dict: N_("a mapping"), list: N_("a list"), str: N_("text"), bool: N_("true/false"), int: N_("a number"), float: N_("a number")}
    return Message(kinds[type(v)]) if type(v) in kinds else type(v).__name__


def _what(what: str) -> str:
    """A description of an expected value ("a whole number of months", "a strategy") as a Message, translated where
    the catalog has it (ftcost.model.fields marks its descriptions with N_); a key name ("training") stays as it is."""
    return what if isinstance(what, Message) or "{" in what or " " not in what else Message(what)


# The messages of a model, GPU or catalog lookup (ftcost.catalogs, which does not mark its messages yet) that a
# scenario's reader sees: recognized in the lookup's English text where the scenario reports it, and translated.
CATALOG_MESSAGES = (
    N_("did you mean {choices}?"),
    N_("unknown model '{name}' in the {provider} catalog"),
    N_("unknown model '{ref}'"),
    N_("unknown provider '{provider}' in model '{ref}'"),
    N_("model '{ref}' is in several catalogs"),
    N_("model must be a name like 'openai/gpt-4o-mini'"),
    N_("unknown GPU '{name}'"),
    N_("no pricing catalog named '{name}'"),
    N_("a pricing catalog must be a name or a path, got {value}"),
    N_("pricing catalog not found"),
    N_("catalog is empty"),
    N_("{near} known models: {known}"),
    N_("known models: {known}"),
    N_("loaded providers: {providers}"),
    N_("name one: {refs}"),
    N_("run 'ftcost pricing list' for known models"),
    N_("{near} known GPUs: {known}"),
    N_(" known GPUs: {known}"),
    N_("{near} known: {known}"),
    N_(" known: {known}"),
    N_("bundled catalogs: {names}"),
)


@overload
def _from_catalog(text: str) -> str: ...
@overload
def _from_catalog(text: None) -> None: ...
@overload
def _from_catalog(text: str | None) -> str | None: ...
def _from_catalog(text: str | None) -> str | None:
    """A lookup's message or hint (ftcost.catalogs' English text) as a Message when it is one of CATALOG_MESSAGES."""
    from ..i18n import recognize

    return None if text is None else recognize(text, CATALOG_MESSAGES)


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def _fmt(v: float) -> str:
    return f"{v:g}" if _finite(v) else _short(v)


def _finite(v: float) -> bool:
    """math.isfinite that says False (not OverflowError) for an integer too large for a float."""
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


def _has_control(text: str) -> bool:
    """Line breaks, tabs, NUL and other control characters (they break tables and CSV rows)."""
    import unicodedata

    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


def _looks_numeric(s: str) -> bool:
    try:
        float(s.replace("_", "").replace(",", ""))
        return True
    except ValueError:
        return False


def _parse_start(v: Any, chk: _Checker, path: tuple[str | int, ...], today: _dt.date) -> tuple[int, int]:
    if v is None:
        return (today.year, today.month)
    if isinstance(v, _dt.date):
        return (v.year, v.month)
    if isinstance(v, str):
        parts = v.strip().split("-")
        # ASCII digits only: str.isdigit() also takes superscripts ('²', which int() refuses) and other scripts.
        if len(parts) in (2, 3) and all(p.isascii() and p.isdigit() for p in parts):
            y, mo = int(parts[0]), int(parts[1])
            if 1 <= mo <= 12 and 1900 <= y <= 9999:
                return (y, mo)
        if not v.isascii():
            raise chk.fail(path, Message("expected a month YYYY-MM in ASCII digits 0-9, got {value}", value=_short(v)), Message("for example start: 2027-01"))
    raise chk.fail(path, Message("expected a month YYYY-MM, got {value}", value=_short(v)), Message("for example start: 2027-01"))
