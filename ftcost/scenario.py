"""Scenario files: read, validate, resolve prices and token counts.

The format is version 1 of docs/design.md. Validation is a small recursive checker
(cfgv-style): every problem names the file, line, column and key path, and
unknown keys get a "did you mean" hint. The result is a :class:`Scenario`
whose values are plain numbers with their prices resolved; the engine never
sees YAML.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np

from . import engine
from .catalogs import Catalogs, Model, Price
from .epochs import ASSUMED, EpochRule
from .errors import CatalogError, FtcostError, ScenarioError
from .fields import FIELDS, MAX_HORIZON, PER_1M, at
from .i18n import N_, Message, did_you_mean
from .limits import MAX_COMPOUND_FACTOR, MAX_NUMBER, compounds_too_far  # noqa: F401  (MAX_COMPOUND_FACTOR re-exported)
from .yamlsrc import YamlDoc, load_yaml_file, read_text_file

SCHEMA_VERSION = 1
DAYS_PER_MONTH = 365 / 12

SCENARIO_KEYS = ("ftcost", "name", "description", "currency", "exchange_rate", "horizon_months", "start", "volume", "pricing", "baseline", "strategies")
VOLUME_KEYS = ("requests_per_month", "requests_per_day", "growth_per_month")
STRATEGY_TYPES = ("prompt", "fine_tuned", "self_hosted")
STRATEGY_KEYS = (
    "name",
    "type",
    "model",
    "description",
    "request",
    "batch_share",
    "training",
    "hosting",
    "serving",
    "fixed_monthly_cost",
    "prices",
    "quality",
    "price_change_per_month",
    "on_retirement",
    "migration_cost",
)
SERVING_KEYS = (
    "gpu",
    "gpu_per_hour",
    "gpus_per_replica",
    "requests_per_second",
    "input_tokens_per_second",
    "output_tokens_per_second",
    "target_utilization",
    "min_replicas",
    "hours_per_month",
)
QUALITY_KEYS = ("error_rate", "cost_per_error")
DATA_GENERATION_KEYS = ("examples", "input_tokens", "output_tokens", "model")
SECONDS_PER_HOUR = 3600.0
REQUEST_KEYS = ("prompt_tokens", "prompt_file", "messages", "input_tokens", "cached_prompt_tokens", "completion_tokens")
TRAINING_KEYS = ("tokens", "dataset", "examples", "epochs", "retrain_every_months", "one_time_cost", "hours", "gpu_hours", "gpu_per_hour", "data_generation")
HOSTING_KEYS = ("per_hour", "hours_per_month", "deployments")
PRICE_OVERRIDE_KEYS = (
    "input",
    "cached_input",
    "output",
    "batch_discount",
    "batch_input",
    "batch_cached_input",
    "batch_output",
    "training",
    "training_per_hour",
    "hosting_per_hour",
    "storage_per_month",
    "min_job_fee",
    "max_job_fee",
    "model_unit_per_hour",
)
DEFAULT_HOURS_PER_MONTH = 730.0
MAX_PROMPT_FILE_BYTES = 50 * 1024 * 1024
MAX_STRATEGIES = 50  # bounds the pairwise break-even search (time and memory grow with its square)


@dataclass
class Training:
    tokens: float  # billable tokens per epoch
    examples: int | None
    epochs: int  # resolved (auto -> heuristic)
    epochs_auto: bool
    retrain_every_months: int  # 0 = once
    one_time_cost: float
    token_source: str = ""
    fixed_per_run: float = 0.0  # GPU hours x price, for self-hosted training
    data_generation_cost: float = 0.0
    data_generation_note: str = ""
    epoch_rule: EpochRule = ASSUMED  # the provider's rule behind epochs: auto
    hour_billed: bool = False  # billed per hour of training (reinforcement fine-tuning): no epochs
    gpu_hours: float = 0.0  # self-hosted: GPU-hours of one run (fixed_per_run = gpu_hours x gpu_rate)
    gpu_rate: float = 0.0  # self-hosted: price of a training GPU-hour
    gpu_rate_given: bool = False  # training.gpu_per_hour given; else a training GPU-hour costs the serving GPU's price
    gpu_billed: bool = False  # self-hosted, not billed by the hour: a run costs gpu_hours x gpu_rate (ftcost.derive)
    billed_hours: float = 0.0  # hour-billed training (reinforcement fine-tuning): hours of one run
    notes: list[str] = field(default_factory=list)  # warnings about the training data (tools not counted, long examples)


@dataclass
class Serving:
    """A self-hosted deployment: replicas of ``gpus_per_replica`` GPUs."""

    gpu_per_hour: float
    gpu_source: str
    gpus_per_replica: float
    requests_per_second: float  # one replica, at full load
    target_utilization: float
    min_replicas: float
    hours_per_month: float

    @property
    def capacity_per_month(self) -> float:
        """Requests one replica serves in a month at the target utilization."""
        return self.requests_per_second * self.target_utilization * self.hours_per_month * SECONDS_PER_HOUR

    @property
    def replica_cost(self) -> float:
        return self.gpu_per_hour * self.gpus_per_replica * self.hours_per_month


@dataclass
class Strategy:
    name: str
    type: str
    model: Model
    prompt_tokens: float
    input_tokens: float
    cached_tokens: float
    completion_tokens: float
    batch_share: float
    prices: dict[str, Price]  # the rates this strategy uses, overrides applied
    hours_per_month: float
    deployments: float
    fixed_monthly_cost: float
    training: Training | None
    token_sources: dict[str, str] = field(default_factory=dict)
    description: str = ""
    serving: Serving | None = None
    error_rate: float = 0.0
    cost_per_error: float = 0.0
    price_change_per_month: float = 0.0
    notes: list[str] = field(default_factory=list)  # warnings found while reading the scenario ("name: text")
    on_retirement: str = "stop"
    on_retirement_given: bool = False  # False: the default (successor where the catalog names one, else stop)
    migration_cost: float = 0.0
    plan: Any = None  # ftcost.migration.Plan: the models it runs on over the horizon
    recount: Any = None  # re-counts a prompt that came from text with another model's encoding

    @property
    def quality_cost(self) -> float:
        """Expected cost of errors per request: error_rate x cost_per_error."""
        return self.error_rate * self.cost_per_error

    def price(self, key: str, default: float = 0.0) -> float:
        p = self.prices.get(key)
        return p.value if p is not None else default


@dataclass
class Scenario:
    name: str
    description: str
    currency: str
    horizon_months: int
    start: tuple[int, int]  # (year, month)
    requests_per_month: float
    growth_per_month: float
    baseline: int
    strategies: list[Strategy]
    file: str
    catalogs: Catalogs
    doc: YamlDoc | None = None
    today: _dt.date = field(default_factory=_dt.date.today)  # for stale-price checks and the default start
    # Uncertain inputs: key path -> ftcost.analysis.distributions.Distribution; the values above are their medians.
    distributions: dict = field(default_factory=dict)
    volume_per_day: bool = False  # the file gives volume.requests_per_day (requests_per_month is it x 365/12)

    @property
    def baseline_name(self) -> str:
        return self.strategies[self.baseline].name

    def month_label(self, m: int) -> str:
        """Calendar label of month m (1-based): start + (m - 1)."""
        y, mo = self.start
        idx = y * 12 + (mo - 1) + (m - 1)
        return f"{idx // 12:04d}-{idx % 12 + 1:02d}"

    def month_first_day(self, m: int) -> _dt.date:
        y, mo = self.start
        idx = y * 12 + (mo - 1) + (m - 1)
        return _dt.date(idx // 12, idx % 12 + 1, 1)

    def inputs(self) -> engine.Inputs:
        """Engine inputs, one row per strategy and phase of its plan (shape [rows]; rows 0..S-1 are the strategies).

        Derived by :func:`ftcost.derive.engine_inputs`, which sweeps, simulations and sensitivity call with arrays.
        """
        from .derive import engine_inputs

        return engine_inputs(self)

    def without_quality(self) -> Scenario:
        """The same scenario with every quality cost set to zero."""
        import copy

        other = copy.copy(self)
        other.strategies = [copy.copy(s) for s in self.strategies]
        for s in other.strategies:
            s.error_rate = 0.0
            s.cost_per_error = 0.0
        return other

    @property
    def has_quality(self) -> bool:
        return any(s.quality_cost > 0 for s in self.strategies)


# --------------------------------------------------------------------------
# The checker


class _Checker:
    """Reads values out of a YamlDoc with located errors."""

    def __init__(self, doc: YamlDoc):
        self.doc = doc
        self.distributions: dict = {}  # key path -> Distribution (see number())
        self.horizon: int | None = None  # set once read: distributions of monthly rates are cut where they compound too far

    def fail(self, path: tuple, message: str, hint: str | None = None, *, key: bool = False) -> ScenarioError:
        return self.doc.error(ScenarioError, path, message, hint, key=key)

    def mapping(self, value: Any, path: tuple, allowed: Iterable[str], what: str) -> dict:
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
        m: dict,
        key: str,
        path: tuple,
        *,
        default=None,
        minimum=None,
        maximum=None,
        exclusive_min=False,
        integer=False,
        required=False,
        what: str = "a number",
    ):
        p = path + (key,)
        if key not in m or m[key] is None:
            if required:
                raise self.fail(path, Message("'{key}' is required", key=key), key=True)
            return default
        v = m[key]
        if isinstance(v, dict):  # an uncertain value {dist: ...} (issue 7): its median, recorded for simulate
            from .analysis.distributions import read_distribution

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

    def field(self, m: dict, key: str, path: tuple, *, default=None, required=False):
        """The number at ``path + (key,)``, checked against its row of ftcost.fields (range, whole or not)."""
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
    def string(self, m: dict, key: str, path: tuple, *, required: Literal[True]) -> str: ...
    @overload
    def string(self, m: dict, key: str, path: tuple, *, required: bool = False, default: str | None = None) -> str | None: ...
    def string(self, m: dict, key: str, path: tuple, *, required: bool = False, default: str | None = None) -> str | None:
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
    the catalog has it (ftcost.fields marks its descriptions with N_); a key name ("training") stays as it is."""
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
    from .i18n import recognize

    return None if text is None else recognize(text, CATALOG_MESSAGES)


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def _fmt(v: float) -> str:
    return f"{v:g}" if _finite(v) else _short(v)


def _finite(v) -> bool:
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


def _parse_start(v: Any, chk: _Checker, path: tuple, today: _dt.date) -> tuple[int, int]:
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


# --------------------------------------------------------------------------
# Loading


def load_scenario(
    source: str | os.PathLike | dict,
    *,
    volume: float | None = None,
    horizon: int | None = None,
    pricing_dirs: Iterable[str | os.PathLike] = (),
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


def _build(doc: YamlDoc, base_dir: Path, *, volume, horizon, pricing_dirs, today) -> Scenario:
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


def _plans(chk: _Checker, raw: list, strategies: list[Strategy], start, h: int, catalogs: Catalogs, currency: str, rates: dict, pricing_dirs) -> None:
    """Each strategy's plan over the horizon: the models it runs on and when it can no longer run (ftcost.migration)."""
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

        def prices_for(model: Model, s=s, m=m, path=path) -> dict[str, Price]:
            prices = _effective_prices(chk, {}, path, model, s.type == "fine_tuned")
            t = s.training
            if t is not None and t.tokens > 0 and "training" not in prices and not t.fixed_per_run:
                raise chk.fail(path, Message("{model} has no published training price", model=model.ref))
            return prices

        def convert(model: Model, path=path) -> Model:
            return _convert(model, currency, rates, chk, path + ("model",))

        s.plan = migration.build_plan(s, s.on_retirement, s.migration_cost, cal, catalogs, convert, prices_for, s.recount, load_more)


def _check_compounding(chk: _Checker, rate: float, h: int, path: tuple, what: str) -> None:
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


def _load_catalogs(chk: _Checker, top: dict, base_dir: Path, pricing_dirs) -> Catalogs:
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


def _exchange_rates(chk: _Checker, top: dict, currency: str) -> dict[str, tuple[float, str]]:
    """``exchange_rate: {USD: 0.92, source: ..., as_of: ...}``: one USD costs 0.92 of the scenario currency."""
    raw = top.get("exchange_rate")
    if raw is None:
        return {}
    p = ("exchange_rate",)
    if not isinstance(raw, dict):
        raise chk.fail(
            p,
            Message("exchange_rate must map a currency code to its price in the scenario currency"),
            "exchange_rate: {USD: 0.92, source: ECB, as_of: 2026-11-25}",
        )
    note = str(raw.get("source") or "scenario exchange_rate")
    if raw.get("as_of") is not None:
        note += f", {raw['as_of']}"
    rates = {}
    for code in raw:
        if code in ("source", "as_of"):
            continue
        if not (isinstance(code, str) and len(code) == 3 and code.isalpha()):
            raise chk.fail(p + (code,), Message("'{code}' is not a currency code", code=code), Message("use three letters such as USD or EUR"), key=True)
        rates[code.upper()] = (chk.field(raw, code, p, required=True), note)
    return rates


def _convert(model: Model, currency: str, rates: dict, chk: _Checker, path: tuple) -> Model:
    """The model with its money converted to the scenario currency (a copy; catalogs stay as read)."""
    if model.currency == currency:
        return model
    if model.currency not in rates:
        raise chk.fail(
            path,
            Message("{model} is priced in {currency} but the scenario is in {scenario}", model=model.ref, currency=model.currency, scenario=currency),
            Message("add exchange_rate: {{{currency}: <{scenario} per {currency}>}} or set currency: {currency}", currency=model.currency, scenario=currency),
        )
    import dataclasses

    rate, note = rates[model.currency]

    def conv(prices):
        if prices is None:
            return None
        return {
            k: (p if k == "batch_discount" else Price(p.value * rate, f"{p.source}; converted at {rate:g} {currency}/{model.currency} ({note})", p.as_of, k))
            for k, p in prices.items()
        }

    return dataclasses.replace(model, currency=currency, base=conv(model.base), fine_tuning=conv(model.fine_tuning))


def _check_not_retired(chk: _Checker, s: Strategy, path: tuple, start: tuple[int, int]) -> None:
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


def _strategy(chk: _Checker, raw: Any, path: tuple, catalogs: Catalogs, currency: str, rates: dict, base_dir: Path) -> Strategy:
    m = chk.mapping(raw, path, STRATEGY_KEYS, N_("a strategy"))
    name = chk.string(m, "name", path, required=True)
    if _has_control(name):
        raise chk.fail(
            path + ("name",),
            Message("strategy name {name} contains a line break or control character", name=_short(name)),
            Message("names head table columns and CSV cells; keep them to one line"),
        )
    stype = chk.string(m, "type", path, required=True)
    if stype not in STRATEGY_TYPES:
        hint = did_you_mean(stype, STRATEGY_TYPES) or Message("types: {types}", types=", ".join(STRATEGY_TYPES))
        raise chk.fail(path + ("type",), Message("unknown strategy type '{type}'", type=stype), hint)
    self_hosted = stype == "self_hosted"
    lookup_note = None
    if self_hosted and m.get("model") is None:
        model = Model(provider="self-hosted", id=name, aliases=(), currency=currency, catalog_file="", fine_tuning={})
    else:
        model_ref = chk.string(m, "model", path, required=True)
        try:
            model, lookup_note = catalogs.lookup(model_ref)
        except CatalogError as exc:
            raise chk.fail(path + ("model",), _from_catalog(exc.message), _from_catalog(exc.hint)) from None
        model = _convert(model, currency, rates, chk, path + ("model",))
    for key in ("serving",):
        if m.get(key) is not None and not self_hosted:
            raise chk.fail(path + (key,), Message("'{key}' is only for type: self_hosted", key=key), key=True)
    if self_hosted and m.get("hosting") is not None:
        raise chk.fail(path + ("hosting",), Message("a self_hosted strategy pays for GPUs under 'serving', not 'hosting'"), key=True)
    fine_tuned = stype == "fine_tuned"
    if fine_tuned and model.fine_tuning is None:
        tunable = [x.ref for x in catalogs.all_models() if x.fine_tuning is not None]
        raise chk.fail(
            path + ("model",),
            Message("{model} has no fine-tuning prices in its catalog", model=model.ref),
            Message("fine-tunable models: {models}", models=", ".join(tunable[:12]) + (" ..." if len(tunable) > 12 else "")),
        )

    prices = _effective_prices(chk, m, path, model, fine_tuned, self_hosted)
    from .migration import read_options

    on_retirement, migration_cost, on_retirement_given = read_options(chk, m, path, model)

    # Request tokens.
    req = chk.mapping(m.get("request") or {}, path + ("request",), REQUEST_KEYS, "request")
    rp = path + ("request",)
    token_sources: dict[str, str] = {}
    given = [k for k in ("prompt_tokens", "prompt_file", "messages") if req.get(k) is not None]
    if len(given) > 1:
        raise chk.fail(rp + (given[1],), Message("give only one of prompt_tokens, prompt_file and messages (found {keys})", keys=", ".join(given)), key=True)
    prompt = chk.field(req, "prompt_tokens", rp, default=0.0)
    if req.get("prompt_tokens") is not None:
        token_sources["prompt_tokens"] = _where(chk, rp + ("prompt_tokens",))
    # TOKENS-HOOK: prompt_file and messages are counted with the model's encoding.
    recount = None
    if req.get("prompt_file") is not None:
        prompt, token_sources["prompt_tokens"] = _count_prompt_file(chk, req, rp, model, base_dir)
        recount = _recounter(lambda other: _count_prompt_file(chk, req, rp, other, base_dir), prompt, token_sources["prompt_tokens"])
    if req.get("messages") is not None:
        prompt, token_sources["prompt_tokens"] = _count_messages(chk, req, rp, model)
        recount = _recounter(lambda other: _count_messages(chk, req, rp, other), prompt, token_sources["prompt_tokens"])
    user = chk.field(req, "input_tokens", rp, default=0.0)
    cached = chk.field(req, "cached_prompt_tokens", rp, default=0.0)
    out = chk.field(req, "completion_tokens", rp, default=0.0)
    if cached > prompt + user:
        raise chk.fail(
            rp + ("cached_prompt_tokens",),
            Message(
                "cached_prompt_tokens ({cached}) is above the request's input tokens ({sent} = prompt + input)", cached=_fmt(cached), sent=_fmt(prompt + user)
            ),
            Message("only tokens that are sent can be cached"),
        )
    batch_share = chk.field(m, "batch_share", path, default=0.0)
    notes: list[str] = []
    if lookup_note:
        notes.append(Message("{name}: {note}", name=name, note=lookup_note))
    cw = model.context_window
    if cw and not self_hosted and np.any(np.asarray(prompt + user + out) > cw):
        raise chk.fail(
            rp,
            Message(
                "a request of {tokens} tokens (prompt + input + completion) is longer than {model}'s context window of {window:,} tokens",
                tokens=_fmt(float(np.max(np.asarray(prompt + user + out)))),
                model=model.ref,
                window=cw,
            ),
            Message("check the token counts: tokens per request, not per month or per dataset"),
        )
    if batch_share > 0 and "batch_input" not in prices and prices.get("batch_discount") is None:
        what = Message(N_("the fine-tuned model")) if fine_tuned else model.ref
        notes.append(
            Message(
                N_(
                    "{name}: {share}% of requests go through a batch API, but the catalog has no batch price for "
                    "{what}; they are priced at the standard rate (add prices: {{batch_discount: ...}} or batch_input/batch_output "
                    "if your provider has one)"
                ),
                name=name,
                share=_fmt(batch_share * 100),
                what=what,
            )
        )

    # Hosting and other fixed costs.
    host = chk.mapping(m.get("hosting") or {}, path + ("hosting",), HOSTING_KEYS, "hosting")
    hp = path + ("hosting",)
    if host.get("per_hour") is not None:
        prices["hosting_per_hour"] = _override_price(chk, host, "per_hour", hp)
    hours = chk.field(host, "hours_per_month", hp, default=DEFAULT_HOURS_PER_MONTH)
    if fine_tuned and not self_hosted:
        _serving_price(chk, prices, path, model)
    deployments = chk.field(host, "deployments", hp, default=1.0)
    fixed_other = chk.field(m, "fixed_monthly_cost", path, default=0.0)

    serving = _serving(chk, m, path, catalogs, currency, rates) if self_hosted else None
    if serving is not None:
        enc_in = prompt + user
        serving_raw = m["serving"]
        if serving_raw.get("requests_per_second") is None:
            # Time per request at full load: input at the prefill rate plus output at the decode rate.
            sp = path + ("serving",)
            ins = chk.field(serving_raw, "input_tokens_per_second", sp, required=True)
            outs = chk.field(serving_raw, "output_tokens_per_second", sp, required=True)
            seconds = enc_in / ins + out / outs
            if seconds <= 0:
                raise chk.fail(sp, Message("a request with no tokens has no throughput to size replicas from"), Message("give serving.requests_per_second"))
            serving.requests_per_second = 1.0 / seconds
        if not serving.capacity_per_month >= 1:  # also NaN; a replica that serves nothing would need infinitely many
            raise chk.fail(
                path + ("serving",),
                Message(
                    "one replica serves {capacity} requests a month at this throughput, utilization and hours; ftcost needs at least 1",
                    capacity=format(serving.capacity_per_month, ".3g"),
                ),
                Message("check requests_per_second (or the tokens-per-second pair), target_utilization and hours_per_month"),
                key=True,
            )

    q = m.get("quality")
    error_rate = cost_per_error = 0.0
    if q is not None:
        qp = path + ("quality",)
        chk.mapping(q, qp, QUALITY_KEYS, "quality")
        error_rate = chk.field(q, "error_rate", qp, required=True)
        cost_per_error = chk.field(q, "cost_per_error", qp, required=True)
    price_change = chk.field(m, "price_change_per_month", path, default=0.0)

    # Training.
    training = None
    if m.get("training") is not None:
        if not (fine_tuned or self_hosted):
            raise chk.fail(
                path + ("training",), Message("a prompt strategy has no training"), Message("use type: fine_tuned, or remove the training block"), key=True
            )
        training = _training(chk, m["training"], path + ("training",), model, prices, base_dir, serving, catalogs, currency, rates)
        notes += [Message("{name}: {note}", name=name, note=w) for w in training.notes]
        if training.epochs_auto and not training.hour_billed and training.tokens > 0 and not self_hosted:
            rule = training.epoch_rule
            if rule.assumed:
                notes.append(
                    Message(
                        N_(
                            "{name}: epochs: auto: {provider} publishes no default-epochs rule in its catalog; "
                            "assumed {rule}: {epochs} epochs for {examples:,} examples"
                        ),
                        name=name,
                        provider=model.provider,
                        rule=rule.describe(),
                        epochs=training.epochs,
                        examples=training.examples,
                    )
                )

    return Strategy(
        name=name,
        type=stype,
        model=model,
        prompt_tokens=prompt,
        input_tokens=user,
        cached_tokens=cached,
        completion_tokens=out,
        batch_share=batch_share,
        prices=prices,
        hours_per_month=hours,
        deployments=deployments,
        fixed_monthly_cost=fixed_other,
        training=training,
        token_sources=token_sources,
        description=chk.string(m, "description", path) or "",
        serving=serving,
        error_rate=error_rate,
        cost_per_error=cost_per_error,
        price_change_per_month=price_change,
        notes=notes,
        on_retirement=on_retirement,
        migration_cost=migration_cost,
        recount=recount,
        on_retirement_given=on_retirement_given,
    )


def _recounter(count, tokens: float, source: str):
    """Re-count a prompt that came from text with another model's encoding (the same count when it has none)."""

    def recount(other: Model) -> tuple[float, str]:
        if not other.encoding:
            return tokens, f"{source}; not re-counted: {other.ref} has no tokenizer in its catalog"
        return count(other)

    return recount


def _serving(chk: _Checker, m: dict, path: tuple, catalogs: Catalogs, currency: str, rates: dict) -> Serving:
    sp = path + ("serving",)
    raw = m.get("serving")
    if raw is None:
        raise chk.fail(
            path,
            Message("a self_hosted strategy needs a 'serving' block (GPU price and throughput)"),
            "serving: {gpu: fireworks/h100-80gb, requests_per_second: 10, target_utilization: 0.6}",
            key=True,
        )
    chk.mapping(raw, sp, SERVING_KEYS, "serving")
    if raw.get("gpu") is not None and raw.get("gpu_per_hour") is not None:
        raise chk.fail(sp + ("gpu_per_hour",), Message("give serving.gpu or serving.gpu_per_hour, not both"), key=True)
    if raw.get("gpu") is not None:
        gname = chk.string(raw, "gpu", sp, required=True)
        try:
            gpu = catalogs.gpu(gname)
        except CatalogError as exc:
            raise chk.fail(sp + ("gpu",), _from_catalog(exc.message), _from_catalog(exc.hint)) from None
        per_hour = gpu.per_hour.value
        gsource = f"{gpu.provider}/{gpu.name}: {gpu.per_hour.source}"
        cur = catalogs.by_provider[gpu.provider].currency
        if cur != currency:
            if cur not in rates:
                raise chk.fail(
                    sp + ("gpu",),
                    Message("GPU {gpu} is priced in {currency} but the scenario is in {scenario}", gpu=gname, currency=cur, scenario=currency),
                    Message("add exchange_rate: {{{currency}: ...}}", currency=cur),
                )
            per_hour *= rates[cur][0]
    else:
        per_hour = chk.field(raw, "gpu_per_hour", sp, required=True)
        gsource = f"scenario ({_where(chk, sp + ('gpu_per_hour',))})"
    if raw.get("requests_per_second") is not None and (raw.get("input_tokens_per_second") is not None or raw.get("output_tokens_per_second") is not None):
        raise chk.fail(sp + ("requests_per_second",), Message("give requests_per_second or the tokens-per-second pair, not both"), key=True)
    rps = chk.field(raw, "requests_per_second", sp)
    if rps is None and raw.get("input_tokens_per_second") is None and raw.get("output_tokens_per_second") is None:
        raise chk.fail(sp, Message("serving needs a throughput: requests_per_second, or input_tokens_per_second and output_tokens_per_second"), key=True)
    return Serving(
        gpu_per_hour=per_hour,
        gpu_source=gsource,
        gpus_per_replica=chk.field(raw, "gpus_per_replica", sp, default=1.0),
        requests_per_second=rps or 0.0,
        target_utilization=chk.field(raw, "target_utilization", sp, default=0.7),
        min_replicas=float(chk.field(raw, "min_replicas", sp, default=1)),
        hours_per_month=chk.field(raw, "hours_per_month", sp, default=DEFAULT_HOURS_PER_MONTH),
    )


def _serving_price(chk: _Checker, prices: dict[str, Price], path: tuple, model: Model) -> None:
    """What serving the fine-tuned model costs by the hour: the catalog's, the scenario's, or 0 when it is serverless.

    Never a silent 0: a model whose serving is not known to be serverless and has
    no hourly price is a located error naming the missing key.
    """
    if "hosting_per_hour" in prices:
        return
    if model.serving == "serverless":
        prices["hosting_per_hour"] = Price(0.0, f"serverless: no hourly fee ({model.serving_source})", None, "hosting_per_hour")
        return
    hows = {"dedicated": N_("served on a dedicated endpoint billed per GPU-hour"), "deployment": N_("served on a deployment billed by the hour")}
    how = Message(hows.get(model.serving or "", N_("served in a way its catalog does not state")))
    hint = Message("set hosting: {{per_hour: ...}} in this strategy to your endpoint's hourly price (GPU price x GPUs)")
    if model.serving == "dedicated":
        hint = Message("{hint} ('ftcost pricing show {provider}' lists its GPUs)", hint=hint, provider=model.provider)
    raise chk.fail(
        path + ("model",),
        Message("{model}: the fine-tuned model is {how}, and its catalog has no fine_tuning.hosting_per_hour", model=model.ref, how=how),
        hint,
    )


def _where(chk: _Checker, path: tuple) -> str:
    line, _ = chk.doc.where(path)
    name = os.path.basename(chk.doc.file)
    return f"{name} line {line}" if line else "the scenario"


def _override_price(chk: _Checker, block: dict, key: str, path: tuple) -> Price:
    v = chk.field(block, key, path, required=True)
    return Price(v, f"scenario override ({_where(chk, path + (key,))})", None, key)


# Prices per 1M tokens (the per-1K check below applies to them): the table rows whose unit says so.
PER_TOKEN_PRICE_KEYS = tuple(f.path[-1] for f in FIELDS if f.path[2:3] == ("prices",) and f.unit == PER_1M)


def _check_per_1k(chk: _Checker, path: tuple, value: float, catalog: Price | None) -> None:
    """A per-1M price about 1,000 times below the catalog's is a per-1K price typed into a per-1M field."""
    if path[-1] not in PER_TOKEN_PRICE_KEYS or catalog is None or catalog.value <= 0 or value <= 0:
        return
    ratio = catalog.value / value
    if 300 <= ratio <= 3000:
        raise chk.fail(
            path,
            Message(
                "{value} looks like a price per 1K tokens: prices here are per 1M tokens (the catalog's {key} is {catalog} per 1M)",
                value=_fmt(value),
                key=path[-1],
                catalog=format(catalog.value, "g"),
            ),
            Message("multiply by 1,000: {value} per 1M tokens", value=_fmt(value * 1000)),
        )


def _effective_prices(chk: _Checker, m: dict, path: tuple, model: Model, fine_tuned: bool, self_hosted: bool = False) -> dict[str, Price]:
    """The rates a strategy pays: the catalog's, then the scenario's ``prices`` overrides."""
    if self_hosted:
        # Own GPUs: no per-token API price; a catalog's per-token training price (LoRA services) still applies.
        ft = model.fine_tuning or {}
        prices: dict[str, Price] = {k: ft[k] for k in ("training", "min_job_fee") if k in ft}
        for k in ("input", "output"):
            prices[k] = Price(0.0, "self-hosted: paid through GPU hours", None, k)
    elif fine_tuned:
        ft = model.fine_tuning or {}
        prices = {k: v for k, v in ft.items()}
        if model.extra.get("model_units") is not None:
            # Provisioned Throughput (Bedrock): requests cost nothing per token; the model units bill by the hour.
            for k in ("input", "output"):
                prices.setdefault(k, Price(0.0, "provisioned throughput: billed per model-unit hour, not per token", None, k))
        if model.serving == "dedicated":
            # A dedicated endpoint (Together, Fireworks): the GPU-hours are the price, not the tokens.
            for k in ("input", "output"):
                prices.setdefault(k, Price(0.0, f"dedicated endpoint: billed per GPU-hour, not per token ({model.serving_source})", None, k))
        # A fine-tuned model's batch price is its own block's (published batch prices or a batch_discount
        # with a source); the base model's discount is not inherited (price audit 2026-11-30, finding 5:
        # no source says Azure fine-tuned deployments have batch pricing).
    else:
        prices = dict(model.base)
    overrides = m.get("prices")
    if overrides is not None:
        pp = path + ("prices",)
        chk.mapping(overrides, pp, PRICE_OVERRIDE_KEYS, "prices")
        for key in overrides:
            if overrides[key] is not None:
                catalog_price = prices.get(key)
                prices[key] = _override_price(chk, overrides, key, pp)
                _check_per_1k(chk, pp + (key,), prices[key].value, catalog_price)
        if "batch_discount" in prices and prices["batch_discount"].value > 1:
            raise chk.fail(pp + ("batch_discount",), Message("batch_discount is a fraction off, from 0 to 1"))
    if fine_tuned and model.extra.get("model_units") is not None and "hosting_per_hour" not in prices:
        if "model_unit_per_hour" not in prices:
            raise chk.fail(
                path + ("model",),
                Message("{model} is served on provisioned throughput and its catalog has no price per model-unit hour", model=model.ref),
                Message("add prices: {{model_unit_per_hour: <your AWS quote>}} to this strategy"),
            )
        mu = prices["model_unit_per_hour"]
        units = model.extra["model_units"]
        prices["hosting_per_hour"] = Price(mu.value * units, f"{units:g} model unit(s) x {mu.value:g}/hour ({mu.source})", mu.as_of, "hosting_per_hour")
    for key in ("input", "output"):
        if key not in prices:
            text = (
                N_("{model} has no fine-tuned inference '{key}' price in its catalog") if fine_tuned else N_("{model} has no base '{key}' price in its catalog")
            )
            raise chk.fail(
                path + ("model",),
                Message(text, model=model.ref, key=key),
                Message("add prices: {{{key}: ...}} to this strategy with your own quote", key=key),
            )
    if "cached_input" in prices and prices["cached_input"].value > prices["input"].value:
        raise chk.fail(path + ("prices", "cached_input"), Message("cached_input price is above the input price"))
    return prices


def _training(
    chk: _Checker,
    raw: Any,
    path: tuple,
    model: Model,
    prices: dict[str, Price],
    base_dir: Path,
    serving: Serving | None = None,
    catalogs: Catalogs | None = None,
    currency: str = "USD",
    rates: dict | None = None,
) -> Training:
    t = chk.mapping(raw, path, TRAINING_KEYS, "training")
    fixed_per_run = 0.0
    hours = rate = billed = 0.0
    if t.get("gpu_hours") is not None or t.get("gpu_per_hour") is not None:
        if serving is None:
            raise chk.fail(
                path + ("gpu_hours",),
                Message("training.gpu_hours is for self_hosted strategies"),
                Message("a provider's fine-tuning is priced per token"),
                key=True,
            )
        hours = chk.field(t, "gpu_hours", path, required=True)
        rate = chk.field(t, "gpu_per_hour", path, default=serving.gpu_per_hour)
        fixed_per_run = hours * rate
    if t.get("hours") is not None:
        if "training_per_hour" not in prices:
            raise chk.fail(
                path + ("hours",),
                Message("{model} has no training price per hour in its catalog", model=model.ref),
                Message("training.hours is for hour-billed training (reinforcement fine-tuning); add prices: {{training_per_hour: ...}}"),
                key=True,
            )
        billed = chk.field(t, "hours", path)
        fixed_per_run = billed * prices["training_per_hour"].value
    gen_cost, gen_note = 0.0, ""
    if t.get("data_generation") is not None:
        assert catalogs is not None, "data_generation prices its model from the loaded catalogs"
        gen_cost, gen_note = _data_generation(chk, t["data_generation"], path + ("data_generation",), catalogs, currency, rates or {})
    if t.get("tokens") is not None and t.get("dataset") is not None:
        raise chk.fail(path + ("dataset",), Message("give training.tokens or training.dataset, not both"), key=True)
    examples = chk.field(t, "examples", path)
    if t.get("dataset") is not None:
        tokens, ds_examples, source, ds_warnings = _count_dataset(chk, t, path, model, base_dir)
        if examples is not None and examples != ds_examples:
            raise chk.fail(
                path + ("examples",),
                Message(
                    "training.examples is {examples:,} but training.dataset ({dataset}) has {counted:,} examples",
                    examples=examples,
                    dataset=t["dataset"],
                    counted=ds_examples,
                ),
                Message("remove examples: (the dataset's count is used), or name the dataset you mean"),
            )
        examples = examples or ds_examples
    else:
        tokens = chk.field(t, "tokens", path, default=0.0)
        source = _where(chk, path + ("tokens",)) if t.get("tokens") is not None else "no training tokens given"
        ds_warnings = []
    ep_raw = t.get("epochs", "auto")
    if ep_raw is None or ep_raw == "auto":
        if examples is None:
            if tokens > 0:
                raise chk.fail(
                    path,
                    Message("epochs: auto needs training.examples (or a dataset) to pick the number of epochs"),
                    Message("add examples: N, or set epochs: 3"),
                    key=True,
                )
            examples = 1
        epochs = int(engine.default_epochs(examples, fixed=model.epoch_rule.fixed))
        auto = True
    else:
        if (
            isinstance(ep_raw, bool)
            or not isinstance(ep_raw, (int, float))
            or not _finite(ep_raw)
            or ep_raw != int(ep_raw)
            or ep_raw < 1
            or ep_raw > MAX_NUMBER
        ):
            raise chk.fail(path + ("epochs",), Message('expected a whole number >= 1 or "auto", got {value}', value=_short(ep_raw)))
        epochs = int(ep_raw)
        auto = False
    retrain = chk.field(t, "retrain_every_months", path, default=0)
    one_time = chk.field(t, "one_time_cost", path, default=0.0)
    if tokens > 0 and "training" not in prices and not fixed_per_run:
        raise chk.fail(
            path,
            Message("{model} has no training price in its catalog (a price nobody published is left out)", model=model.ref),
            Message("add prices: {{training: <price per 1M training tokens>}} to this strategy with your own quote"),
            key=True,
        )
    hour_billed = t.get("hours") is not None and "training" not in prices
    if fixed_per_run and "training" not in prices:
        tokens = 0.0  # hour-billed training: the token count only sized the run
    return Training(
        tokens=tokens,
        examples=examples,
        epochs=epochs,
        epochs_auto=auto,
        retrain_every_months=retrain,
        one_time_cost=one_time,
        token_source=source,
        fixed_per_run=fixed_per_run,
        data_generation_cost=gen_cost,
        data_generation_note=gen_note,
        epoch_rule=model.epoch_rule,
        hour_billed=hour_billed,
        gpu_hours=hours,
        gpu_rate=rate,
        gpu_rate_given=t.get("gpu_per_hour") is not None,
        gpu_billed=serving is not None and t.get("hours") is None,
        billed_hours=billed,
        notes=ds_warnings,
    )


def _data_generation(chk: _Checker, raw: Any, path: tuple, catalogs: Catalogs, currency: str, rates: dict) -> tuple[float, str]:
    """Cost of creating the training set with a larger model (distillation): month 1, one time.

    ``examples x (input_tokens x input price + output_tokens x output price) / 1e6`` at the model's base prices.
    """
    chk.mapping(raw, path, DATA_GENERATION_KEYS, "data_generation")
    n = chk.field(raw, "examples", path, required=True)
    tin = chk.field(raw, "input_tokens", path, default=0.0)
    tout = chk.field(raw, "output_tokens", path, default=0.0)
    ref = chk.string(raw, "model", path, required=True)
    try:
        model = catalogs.resolve(ref)
    except CatalogError as exc:
        raise chk.fail(path + ("model",), _from_catalog(exc.message), _from_catalog(exc.hint)) from None
    model = _convert(model, currency, rates, chk, path + ("model",))
    for k in ("input", "output"):
        if k not in model.base:
            raise chk.fail(path + ("model",), Message("{model} has no base '{key}' price in its catalog", model=model.ref, key=k))
    cost = n * (tin * model.base["input"].value + tout * model.base["output"].value) / 1e6
    return cost, f"{n:,} examples x ({tin:,.0f} in + {tout:,.0f} out tokens) on {model.ref}"


def _encoding_for(chk: _Checker, model: Model, path: tuple) -> str:
    if not model.encoding:
        raise chk.fail(
            path,
            Message("{model} has no tokenizer in its catalog, so ftcost cannot count its tokens", model=model.ref),
            Message("give the count as a number instead (prompt_tokens / training.tokens)"),
        )
    return model.encoding


def _count_prompt_file(chk: _Checker, req: dict, rp: tuple, model: Model, base_dir: Path) -> tuple[float, str]:
    from . import tokens as tok

    p = rp + ("prompt_file",)
    rel = req["prompt_file"]
    if not isinstance(rel, str):
        raise chk.fail(p, Message("prompt_file must be a path"))
    enc = _encoding_for(chk, model, p)
    path = Path(rel) if Path(rel).is_absolute() else base_dir / rel
    try:
        text = read_text_file(path, what=N_("prompt file"), max_bytes=MAX_PROMPT_FILE_BYTES, error_cls=ScenarioError)
        n = tok.count_text(text, enc)
    except FtcostError as exc:
        raise chk.fail(p, Message("{file}: {message}", file=rel, message=exc.message), exc.hint) from None
    return float(n), f"prompt_file {rel} ({enc}, {n:,} tokens)"


def _count_messages(chk: _Checker, req: dict, rp: tuple, model: Model) -> tuple[float, str]:
    from . import tokens as tok

    p = rp + ("messages",)
    msgs = req["messages"]
    if not isinstance(msgs, list) or not msgs:
        raise chk.fail(p, Message("messages must be a list of {{role, content}}"))
    enc = _encoding_for(chk, model, p)
    try:
        n = tok.count_messages(msgs, enc)
    except FtcostError as exc:
        # The counter's path names the message (messages[2]): point the error there.
        raise chk.fail(p + tuple(x for x in exc.path if not (isinstance(x, str) and x == "messages")), exc.message, exc.hint) from None
    return float(n), f"messages ({len(msgs)} messages, {enc}, OpenAI chat counting)"


def _count_dataset(chk: _Checker, t: dict, path: tuple, model: Model, base_dir: Path) -> tuple[float, int, str, list[str]]:
    from . import data as datasets

    p = path + ("dataset",)
    rel = t["dataset"]
    if not isinstance(rel, str):
        raise chk.fail(p, Message("dataset must be a path to a JSONL file"))
    enc = _encoding_for(chk, model, p)
    fpath = Path(rel) if Path(rel).is_absolute() else base_dir / rel
    try:
        if fpath.exists() and not fpath.is_file() and not fpath.is_dir():
            # a FIFO would block the run forever, a device may never end: a scenario names regular files only
            raise chk.fail(p, Message("{file}: training file is not a regular file", file=rel), Message("pipes, devices and sockets are not read"))
        stats = datasets.analyze_dataset(fpath, encoding=enc, max_tokens_per_example=model.max_tokens_per_example)
    except OSError as exc:  # a name too long, a loop of links
        raise chk.fail(p, Message("{file}: cannot read training file: {reason}", file=rel, reason=exc.strerror or exc)) from None
    except FtcostError as exc:
        raise chk.fail(p, Message("{file}: {message}", file=rel, message=exc.message), exc.hint) from None
    bad_tools = stats.errors.get("invalid_tools")
    if bad_tools is not None:
        raise chk.fail(
            p,
            Message("{file}: {n:,} example(s) have tool definitions that cannot be read ({first})", file=rel, n=bad_tools.count, first=bad_tools.first_detail),
            'tools must be [{"type": "function", "function": {"name": ..., "description": ..., "parameters": {...}}}]; '
            "their tokens are billed, so ftcost does not skip them",
        )
    if stats.examples == 0:
        raise chk.fail(p, Message("{file} has no valid training examples", file=rel), Message("run 'ftcost tokens {file}' to see what is wrong", file=rel))
    note = f"dataset {rel} ({stats.examples:,} examples, {int(stats.billable_tokens):,} billable tokens per epoch, {enc})"
    if stats.invalid_examples:
        note += f"; {stats.invalid_examples:,} invalid lines skipped"
    if stats.examples_with_tools:
        note += f"; {stats.tool_tokens:,} of them tool definitions (OpenAI cookbook's function-token count)"
    warnings = [w for w in stats.warnings() if "tool definitions" in w or "above" in w]
    if model.max_tokens_per_example is None and model.context_window and stats.histogram:
        over = sum(n for v, n in stats.histogram.items() if v > model.context_window)
        if over:
            warnings.append(
                Message(
                    N_(
                        "{path}: {n:,} example(s) are longer than {model}'s context window ({window:,} tokens); "
                        "no per-example limit is published for it, so they are counted in full"
                    ),
                    path=rel,
                    n=over,
                    model=model.ref,
                    window=model.context_window,
                )
            )
    return float(stats.billable_tokens), int(stats.examples), note, warnings
