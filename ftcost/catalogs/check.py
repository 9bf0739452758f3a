"""``ftcost pricing check``: validate catalog files and flag stale prices.

A file that does not parse (unknown key, negative price, cached above input,
price without a source...) gives one located error. A file that parses is
then checked price by price: a price with no as_of date is an error; one read
more than ``max_age_days`` before today, or dated in the future, is a warning.
A private catalog is also laid over the bundled catalog of its provider, so a
currency clash or a merged cached price above input shows up here rather than
in the middle of a comparison.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CatalogError, format_path
from ..i18n import Message
from .load import BUNDLED_DIR, load_catalog, overlay_catalog, user_dirs
from .model import Catalog, Price
from .staleness import DEFAULT_MAX_AGE_DAYS, stale_prices


@dataclass
class Problem:
    level: str  # "error" or "warning"
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: tuple = ()
    hint: str | None = None

    def __str__(self) -> str:
        loc = self.file or ""
        if loc and self.line is not None:
            loc += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        if self.path:
            loc += (": " if loc else "") + format_path(self.path)
        text = f"{loc}: {self.level}: {self.message}" if loc else f"{self.level}: {self.message}"
        return text + (f" (hint: {self.hint})" if self.hint else "")

    def to_dict(self) -> dict:
        return {
            "level": self.level,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": format_path(self.path),
            "hint": self.hint,
        }

    @classmethod
    def from_error(cls, exc: CatalogError) -> Problem:
        return cls("error", exc.message, exc.file, exc.line, exc.column, exc.path, exc.hint)


@dataclass
class FileReport:
    file: str
    catalog: Catalog | None
    problems: list[Problem] = field(default_factory=list)


def _priced_paths(cat: Catalog) -> Iterable[tuple[tuple, Price]]:
    for m in cat.models.values():
        for k, p in m.base.items():
            yield ("models", m.id, k), p
        for k, p in (m.fine_tuning or {}).items():
            yield ("models", m.id, "fine_tuning", k), p
    for g in cat.gpus.values():
        yield ("gpus", g.name, "per_hour"), g.per_hour


def check_catalog(cat: Catalog, today: _dt.date, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[Problem]:
    """Problems of a parsed catalog: undated prices (errors), stale or future-dated ones (warnings).

    Stale prices of one block read on the same day make one warning, located
    at the first of them, that names them all.
    """
    out = []
    stale = {id(p) for p in stale_prices(cat.prices(), today, max_age_days)}
    groups: dict[tuple, list[tuple[tuple, Price]]] = {}
    for path, p in _priced_paths(cat):
        loc: dict[str, Any] = dict(file=p.file or cat.file, line=p.line, column=p.column, path=path)
        if p.as_of is None:
            out.append(
                Problem(
                    "error",
                    "price has no as_of date",
                    hint="add as_of: YYYY-MM-DD (the day the price was read) to the catalog, model, block or sources entry",
                    **loc,
                )
            )
        elif p.as_of > today:
            out.append(Problem("warning", f"as_of {p.as_of.isoformat()} is in the future", **loc))
        elif id(p) in stale:
            groups.setdefault((path[:-1], p.as_of), []).append((path, p))
    for (block, as_of), items in groups.items():
        path, first = items[0]
        age = (today - as_of).days
        names = ", ".join(p.field for _, p in items)
        what = f"price {names} read {as_of.isoformat()} is" if len(items) == 1 else f"{len(items)} prices read {as_of.isoformat()} ({names}) are"
        out.append(
            Problem(
                "warning",
                f"{what} {age} days old (over {max_age_days})",
                first.file or cat.file,
                first.line,
                first.column,
                path if len(items) == 1 else block,
                "read it again from its source and update as_of",
            )
        )
    out += _retired_but_open(cat, today) + _secondary_beside_primary(cat)
    return sorted(out, key=lambda pr: (pr.line or 0, pr.column or 0))


def _located(cat: Catalog, path: tuple) -> dict:
    line, column = cat.doc.where(path) if cat.doc is not None else (None, None)
    return dict(file=cat.file, line=line, column=column, path=path)


def _retired_but_open(cat: Catalog, today: _dt.date) -> list[Problem]:
    """A model past its retires_on whose fine_tuning block still takes new jobs (no last_new_job_day before retirement)."""
    out = []
    for m in cat.models.values():
        if m.fine_tuning is None or m.retires_on is None or m.retires_on >= today:
            continue
        if m.last_new_job_day is None or m.last_new_job_day >= m.retires_on:
            when = "has no last_new_job_day" if m.last_new_job_day is None else f"takes jobs until {m.last_new_job_day.isoformat()}"
            out.append(
                Problem(
                    "error",
                    f"'{m.id}' retired on {m.retires_on.isoformat()} but its fine_tuning block {when}: it is still offered for new fine-tuning",
                    hint=f"set last_new_job_day: {(m.retires_on - _dt.timedelta(days=1)).isoformat()} (or earlier), or remove the fine_tuning block",
                    **_located(cat, ("models", m.id, "fine_tuning")),
                )
            )
    return out


_URL = re.compile(r"https?://[^\s)'\",;]+")


def _urls(text: str) -> set[str]:
    return {u.rstrip(".:").removesuffix(".md").rstrip("/") for u in _URL.findall(text)}


def _secondary_beside_primary(cat: Catalog) -> list[Problem]:
    """A price marked secondary that cites a page the same catalog cites as a primary source elsewhere.

    Either the price can be read on that page (make it primary), or its source
    should say why it is not there. A primary source that says it was relayed
    ("URL (via LiteLLM ...)") did not read the page itself and does not count.
    """
    primary: dict[str, tuple] = {}
    for path, p in _priced_paths(cat):
        if p.confidence == "primary" and "(via " not in p.source:
            for u in _urls(p.source):
                primary.setdefault(u, path)
    out = []
    for path, p in _priced_paths(cat):
        if p.confidence != "secondary":
            continue
        both = sorted(u for u in _urls(p.source) if u in primary)
        if both:
            where = format_path(primary[both[0]])
            out.append(
                Problem(
                    "error",
                    f"price {p.field} is marked secondary but cites {both[0]}, a primary source of {where} in the same catalog",
                    p.file or cat.file,
                    p.line,
                    p.column,
                    path,
                    "read the price on that page and drop 'secondary:', or say in the source why it is not there",
                )
            )
    return out


def catalog_files(target: str | os.PathLike) -> list[Path]:
    p = Path(target)
    if p.is_dir():
        return sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml") and f.is_file())
    if not p.exists():
        raise CatalogError(Message("no such catalog file or folder"), file=str(target))
    return [p]


def default_targets(extra_dirs: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """What ``pricing check`` with no PATH checks: the bundled catalogs and every private folder."""
    return [BUNDLED_DIR] + list(reversed(user_dirs(extra_dirs)))


def check_paths(targets: Iterable[str | os.PathLike], today: _dt.date, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[FileReport]:
    """Check every catalog file in ``targets`` (files or folders), in order.

    A file outside the bundled folder is also laid over the bundled catalog of
    its provider (and over the private files checked before it for that
    provider), as ``Catalogs.load`` would do.
    """
    reports: list[FileReport] = []
    layered: dict[str, Catalog] = {}
    for target in targets:
        try:
            files = catalog_files(target)
        except CatalogError as exc:
            reports.append(FileReport(str(target), None, [Problem.from_error(exc)]))
            continue
        for f in files:
            try:
                cat = load_catalog(f)
            except CatalogError as exc:
                reports.append(FileReport(str(f), None, [Problem.from_error(exc)]))
                continue
            rep = FileReport(str(f), cat, check_catalog(cat, today, max_age_days))
            bundled = BUNDLED_DIR / f"{cat.provider}.yaml"
            in_bundled = f.resolve().parent == BUNDLED_DIR.resolve()
            if not in_bundled:
                low = layered.get(cat.provider)
                if low is None and bundled.is_file():
                    try:
                        low = load_catalog(bundled)
                    except CatalogError:
                        low = None  # reported when the bundled folder itself is checked
                try:
                    layered[cat.provider] = overlay_catalog(low, cat) if low is not None else cat
                except CatalogError as exc:
                    rep.problems.append(Problem.from_error(exc))
            reports.append(rep)
    return reports


def summary(reports: list[FileReport]) -> dict:
    prices = [p for r in reports if r.catalog for p in r.catalog.prices()]
    problems = [pr for r in reports for pr in r.problems]
    return {
        "files": len(reports),
        "prices": len(prices),
        "secondary": sum(p.confidence == "secondary" for p in prices),
        "unverified": sum(p.confidence == "unverified" for p in prices),
        "errors": sum(p.level == "error" for p in problems),
        "warnings": sum(p.level == "warning" for p in problems),
    }
