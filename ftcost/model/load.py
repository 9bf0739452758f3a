"""Scenario files: read and validate one into a :class:`~ftcost.model.scenario.Scenario`.

:func:`load_scenario` reads the top of the file (version, horizon, start,
volume, catalogs, exchange rates), each strategy (:mod:`ftcost.model.strategies`)
and each strategy's plan over the horizon (:mod:`ftcost.model.migration`).
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..catalogs import Catalogs, Model, Price
from ..errors import CatalogError, ScenarioError
from ..i18n import N_, Message, did_you_mean
from ..limits import MAX_NUMBER, compounds_too_far
from ..yamlsrc import YamlDoc, load_yaml_file
from .checker import _Checker, _finite, _fmt, _from_catalog, _parse_start
from .fields import MAX_HORIZON
from .keys import SCENARIO_KEYS, SCHEMA_VERSION, VOLUME_KEYS
from .prices import _convert, _effective_prices, _exchange_rates
from .scenario import DAYS_PER_MONTH, Scenario, Strategy
from .strategies import _strategy

MAX_STRATEGIES = 50  # bounds the pairwise break-even search (time and memory grow with its square)


def load_scenario(
    source: str | os.PathLike[str] | dict[str, Any],
    *,
    volume: float | None = None,
    horizon: int | None = None,
    pricing_dirs: Iterable[str | os.PathLike[str]] = (),
    today: _dt.date | None = None,
) -> Scenario:
    """Read and validate a scenario from a YAML file (or an already-parsed dict).

    ``volume`` and ``horizon`` override the file's ``volume.requests_per_month``
    and ``horizon_months`` (the CLI's --volume and --horizon).
    """
    if isinstance(source, dict):
        doc = YamlDoc(data=source, file="<scenario>")
        base_dir = Path.cwd()
    else:
        doc = load_yaml_file(source, what=N_("scenario file"), error_cls=ScenarioError)
        base_dir = Path(source).resolve().parent
    return _build(doc, base_dir, volume=volume, horizon=horizon, pricing_dirs=tuple(pricing_dirs), today=today or _dt.date.today())


def _build(
    doc: YamlDoc, base_dir: Path, *, volume: float | None, horizon: int | None, pricing_dirs: tuple[str | os.PathLike[str], ...], today: _dt.date
) -> Scenario:
    chk = _Checker(doc)
    data = doc.data
    if data is None:
        raise ScenarioError(Message("scenario file is empty"), file=doc.file, hint=Message("start from one of the files in scenarios/"))
    top = chk.mapping(data, (), SCENARIO_KEYS, N_("the scenario"))
    if "ftcost" not in top:
        raise chk.fail((), Message("missing 'ftcost: 1' (the scenario format version)"), Message("add 'ftcost: 1' as the first line"))
    version = top["ftcost"]
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise chk.fail(
            ("ftcost",),
            Message("unsupported scenario version {version!r}", version=version),
            Message("this ftcost reads version {version}", version=SCHEMA_VERSION),
        )
    name = chk.string(top, "name", (), required=True)
    description = chk.string(top, "description", ()) or ""
    currency = (chk.string(top, "currency", ()) or "USD").upper()
    h = chk.field(top, "horizon_months", (), default=12)
    if horizon is not None:
        if int(horizon) != horizon or not 1 <= horizon <= MAX_HORIZON:
            raise ScenarioError(Message("--horizon must be a whole number of months from 1 to {most}, got {value}", most=MAX_HORIZON, value=horizon))
        h = int(horizon)
    chk.horizon = h
    start = _parse_start(top.get("start"), chk, ("start",), today)
    if start[0] * 12 + start[1] - 1 + h - 1 >= 10000 * 12:
        raise chk.fail(
            ("start",),
            Message("a {h}-month horizon from {start} runs past the year 9999", h=h, start="{:04d}-{:02d}".format(*start)),
            Message("start earlier or shorten the horizon"),
        )

    vol = chk.mapping(top.get("volume"), ("volume",), VOLUME_KEYS, "volume") if "volume" in top else None
    if vol is None:
        raise chk.fail((), Message("'{key}' is required", key="volume"), "volume: {requests_per_month: 100000}", key=True)
    if "requests_per_month" in vol and "requests_per_day" in vol:
        raise chk.fail(("volume", "requests_per_day"), Message("give requests_per_month or requests_per_day, not both"), key=True)
    if "requests_per_day" in vol:
        rpm = chk.field(vol, "requests_per_day", ("volume",), required=True) * DAYS_PER_MONTH
    else:
        rpm = chk.field(vol, "requests_per_month", ("volume",), required=True)
    if volume is not None:
        if not (isinstance(volume, (int, float)) and math.isfinite(volume) and volume >= 0):
            raise ScenarioError(Message("--volume must be a number of requests per month >= 0, got {value}", value=volume))
        if volume > MAX_NUMBER:
            raise ScenarioError(
                Message("--volume {value} is implausibly large (ftcost accepts numbers up to {most})", value=format(volume, "g"), most=format(MAX_NUMBER, "g")),
                hint=Message("check the number of digits"),
            )
        rpm = float(volume)
    g_raw = vol.get("growth_per_month")
    if isinstance(g_raw, (int, float)) and not isinstance(g_raw, bool) and _finite(g_raw) and g_raw > 1:
        raise chk.fail(
            ("volume", "growth_per_month"),
            Message("growth_per_month {value} is more than +100% a month", value=_fmt(g_raw)),
            Message(
                "{value} means +{percent}% a month; did you mean {fraction}? (a fraction: 5% is 0.05)",
                value=_fmt(g_raw),
                percent=_fmt(g_raw * 100),
                fraction=_fmt(g_raw / 100),
            ),
        )
    growth = chk.field(vol, "growth_per_month", ("volume",), default=0.0)
    _check_compounding(chk, growth, h, ("volume", "growth_per_month"), N_("volume"))

    catalogs = _load_catalogs(chk, top, base_dir, pricing_dirs)
    rates = _exchange_rates(chk, top, currency)

    raw_strategies = top.get("strategies")
    if not isinstance(raw_strategies, list) or not raw_strategies:
        raise chk.fail(
            ("strategies",), Message("'strategies' must be a non-empty list"), Message("list at least a prompt strategy and a fine-tuned one"), key=True
        )
    if len(raw_strategies) > MAX_STRATEGIES:
        raise chk.fail(
            ("strategies",),
            Message("{n} strategies; ftcost compares at most {most} at a time", n=len(raw_strategies), most=MAX_STRATEGIES),
            Message("split the comparison into several scenarios"),
            key=True,
        )
    strategies: list[Strategy] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_strategies):
        s = _strategy(chk, raw, ("strategies", i), catalogs, currency, rates, base_dir)
        _check_not_retired(chk, s, ("strategies", i, "model"), start)
        if s.name in seen:
            raise chk.fail(
                ("strategies", i, "name"),
                Message("strategy name '{name}' is used twice (also strategies[{other}])", name=s.name, other=seen[s.name]),
                Message("give each strategy its own name"),
            )
        seen[s.name] = i
        strategies.append(s)
        _check_compounding(chk, s.price_change_per_month, h, ("strategies", i, "price_change_per_month"), N_("token prices"))

    _plans(chk, raw_strategies, strategies, start, h, catalogs, currency, rates, pricing_dirs)

    baseline = 0
    if top.get("baseline") is not None:
        bname = chk.string(top, "baseline", (), required=True)
        if bname not in seen:
            hint = did_you_mean(bname, seen) or Message("strategies: {names}", names=", ".join(seen))
            raise chk.fail(("baseline",), Message("baseline '{name}' is not a strategy name", name=bname), hint)
        baseline = seen[bname]

    return Scenario(
        name=name,
        description=description,
        currency=currency,
        horizon_months=h,
        start=start,
        requests_per_month=rpm,
        growth_per_month=growth,
        baseline=baseline,
        strategies=strategies,
        file=doc.file,
        catalogs=catalogs,
        doc=doc,
        distributions=chk.distributions,
        today=today,
        volume_per_day="requests_per_day" in vol,
    )


def _plans(
    chk: _Checker,
    raw: list[Any],
    strategies: list[Strategy],
    start: tuple[int, int],
    h: int,
    catalogs: Catalogs,
    currency: str,
    rates: dict[str, tuple[float, str]],
    pricing_dirs: tuple[str | os.PathLike[str], ...],
) -> None:
    """Each strategy's plan over the horizon: the models it runs on and when it can no longer run (ftcost.model.migration)."""
    from . import migration

    cal = migration.Calendar(start, h)

    def load_more(ref: str) -> Model | None:
        # A successor in a catalog the scenario did not name: load that provider's catalog too.
        provider = ref.split("/", 1)[0] if "/" in ref else None
        if provider is None or provider in catalogs.by_provider:
            return None
        try:
            more = Catalogs.load([provider], extra_dirs=pricing_dirs)
            found = more.resolve(ref)
        except CatalogError:
            return None
        catalogs.by_provider.update(more.by_provider)
        return found

    for i, s in enumerate(strategies):
        path = ("strategies", i)
        m = raw[i]

        def prices_for(model: Model, s: Strategy = s, m: Any = m, path: tuple[str | int, ...] = path) -> dict[str, Price]:
            prices = _effective_prices(chk, {}, path, model, s.type == "fine_tuned")
            t = s.training
            if t is not None and t.tokens > 0 and "training" not in prices and not t.fixed_per_run:
                raise chk.fail(path, Message("{model} has no published training price", model=model.ref))
            return prices

        def convert(model: Model, path: tuple[str | int, ...] = path) -> Model:
            return _convert(model, currency, rates, chk, path + ("model",))

        s.plan = migration.build_plan(s, s.on_retirement, s.migration_cost, cal, catalogs, convert, prices_for, s.recount, load_more)


def _check_compounding(chk: _Checker, rate: float, h: int, path: tuple[str | int, ...], what: str) -> None:
    """A monthly rate compounded over the horizon must stay a computable factor: (1 + rate)^(h - 1) <= 1e100."""
    if compounds_too_far(rate, h):
        raise chk.fail(
            path,
            Message(
                "{rate} a month compounds over {h} months to a factor of about 1e{power} on {what}, too large to compute",
                rate=format(rate, "g"),
                h=h,
                power=format((h - 1) * math.log10(1 + rate), ".0f"),
                what=Message(what),
            ),
            Message("lower the monthly rate or the horizon"),
        )


def _load_catalogs(chk: _Checker, top: dict[str, Any], base_dir: Path, pricing_dirs: tuple[str | os.PathLike[str], ...]) -> Catalogs:
    names = top.get("pricing")
    if isinstance(names, str):
        names = [names]
    if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
        raise chk.fail(
            ("pricing",), Message("pricing must be a catalog name or a list of names or paths"), Message("for example pricing: [openai, azure-openai]")
        )
    try:
        return Catalogs.load(names, relative_to=base_dir, extra_dirs=pricing_dirs)
    except CatalogError as exc:
        if exc.file is None and names is not None:
            # The catalog name itself is wrong: point at the scenario line that names it.
            line, col = chk.doc.where(("pricing",))
            raise ScenarioError(_from_catalog(exc.message), file=chk.doc.file, line=line, column=col, path=("pricing",), hint=_from_catalog(exc.hint)) from None
        names = names or []
        named = [i for i, n in enumerate(names) if exc.line is None and str(Path(n) if Path(n).is_absolute() else base_dir / n) == exc.file]
        if named:
            # A file the scenario names by path cannot be read at all (missing, a folder, a device): point at that entry.
            raise chk.fail(
                ("pricing", named[0]), Message("{file}: {message}", file=names[named[0]], message=_from_catalog(exc.message)), _from_catalog(exc.hint)
            ) from None
        raise


def _check_not_retired(chk: _Checker, s: Strategy, path: tuple[str | int, ...], start: tuple[int, int]) -> None:
    """A model that retired before the plan's first month cannot be planned with: a located error naming the date."""
    m = s.model
    first = _dt.date(start[0], start[1], 1)
    if m.retires_on is None or m.retires_on >= first:
        return
    # Hook for successors (issue 13): a catalog may name the model that replaces this one.
    successor = getattr(m, "successor", None)
    day, month, first_month = m.retires_on.isoformat(), m.retires_on.isoformat()[:7], first.isoformat()[:7]
    if successor:
        message = Message(
            "{model} retired on {day}, before the plan starts ({first}); its successor is {successor}",
            model=m.ref,
            day=day,
            first=first_month,
            successor=successor,
        )
        hint = Message("use {successor}, or start the plan before {month}", successor=successor, month=month)
    else:
        message = Message("{model} retired on {day}, before the plan starts ({first})", model=m.ref, day=day, first=first_month)
        hint = Message("choose a model that is still served, or start the plan before {month}", month=month)
    raise chk.fail(path, message, hint)
