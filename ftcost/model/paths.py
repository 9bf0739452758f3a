"""Scenario key paths that simulate, sweep and sensitivity can vary.

A path names a numeric field the way the scenario file spells it:
``volume.requests_per_month``, ``strategies.1.training.tokens``,
``strategies[0].prices.input`` (a strategy may also be named instead of
numbered: ``strategies.fine-tuned nano.request.prompt_tokens``).

:func:`resolve` turns a path into a :class:`Target`, which knows the field's
valid range and its value in a loaded :class:`~ftcost.model.scenario.Scenario`.
The fields, their ranges and whether they can vary are the rows of
:mod:`ftcost.model.fields` (the checker reads the same rows).
Values given by path may be numpy arrays (samples, sweep points):
:func:`ftcost.model.derive.engine_inputs` takes them (key path -> array) and gives
engine inputs with those values on extra variant axes after the strategy
axis, everything derived from them following (quality cost = error rate x
cost per error, a replica's capacity and cost, epochs: auto). Setting a price
of strategy i changes that strategy's row only.

Fields that cannot vary: ``horizon_months`` (it sets the length of the month
axis: use ``ftcost compare --horizon``), text and choices, and numbers that
are only inputs to a count made while loading (``training.data_generation``,
``serving.input_tokens_per_second`` / ``output_tokens_per_second``,
``exchange_rate``). Whole-number fields (``training.examples``,
``training.epochs``, ``training.retrain_every_months``,
``serving.min_replicas``) can be swept over whole numbers but take no
distribution.

Why about 420 lines in one module: the path grammar, the :class:`Target` a
path resolves to, the reading of a field's value by path (``Target.value``)
and the fields worth moving (``variable_targets``, which resolves paths) are
one concern; split, they would be modules that only each other use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from ..errors import FtcostError, format_path
from ..i18n import N_, Message, did_you_mean, term
from .fields import ANY, BY_PATH, FIELDS, NumberField, at

# A scenario and its strategies (ftcost.model.scenario) are typed Any here, as in ftcost.model.derive: this module
# sits below scenario in the import layers (the import-linter contracts in pyproject.toml), so it cannot name them.
DAYS_PER_MONTH = 365 / 12


# The rows of ftcost.model.fields that can vary. A price not among them (training_per_hour, model_unit_per_hour)
# is turned into another price while loading (e.g. Bedrock model units into hosting_per_hour), so varying
# it would change nothing.
@dataclass(frozen=True)
class Field:
    """One kind of variable field: where it lives, its valid range and who has it (a row of ftcost.model.fields)."""

    key: tuple[str, ...]  # key path after "strategies.<i>" (strategy fields) or from the top
    minimum: float | None = 0.0
    maximum: float | None = None
    exclusive_min: bool = False
    integer: bool = False  # varied in whole steps, no distribution
    needs: str | None = None  # "training", "serving", "hosting" (not self-hosted), "gpu_training"
    label: str = ""  # what the number is, for tables

    @classmethod
    def of(cls, row: NumberField) -> Field:
        key = row.strategy_key if row.strategy_key is not None else row.path
        return cls(key, row.minimum, row.maximum, row.exclusive_min, row.integer or row.vary_whole, row.needs, row.label)


TOP_FIELDS = {f.path: Field.of(f) for f in FIELDS if f.vary and f.strategy_key is None}
STRATEGY_FIELDS = {f.path[2:]: Field.of(f) for f in FIELDS if f.vary and f.strategy_key is not None}
PRICE_KEYS = tuple(k[1] for k in STRATEGY_FIELDS if k[0] == "prices")


class PathError(FtcostError):
    """A --vary path (or a distribution's field) that names no field that can vary."""


VERSION_REASON = N_("it is the scenario format version")
EXCHANGE_REASON = BY_PATH[("exchange_rate", ANY)].fixed
# Parts of a strategy that are read or counted while loading (not numbers the engine reads).
FIXED_STRATEGY_PARTS = {
    "data_generation": BY_PATH[("strategies", ANY, "training", "data_generation", "examples")].fixed,
    "dataset": N_("a dataset is counted while loading; vary training.tokens"),
    "prompt_file": N_("a prompt file is counted while loading; vary request.prompt_tokens"),
    "messages": N_("messages are counted while loading; vary request.prompt_tokens"),
}


def all_patterns() -> list[str]:
    """Every variable path pattern, for help texts and error hints."""
    out = [".".join(k) for k in TOP_FIELDS]
    out += ["strategies.<i>." + ".".join(k) for k in STRATEGY_FIELDS]
    return out


def split_path(text: str) -> tuple[str | int, ...]:
    """``strategies[1].training.tokens`` or ``strategies.1.training.tokens`` -> ('strategies', 1, 'training', 'tokens')."""
    text = text.strip()
    if not text:
        raise PathError(Message("empty key path"), hint=Message("for example {example}", example="volume.requests_per_month"))
    parts: list[Any] = []
    for piece in re.split(r"\.(?![^\[]*\])", text):
        m = re.fullmatch(r"([^\[\]]*)((?:\[[^\[\]]*\])*)", piece)
        if not m:
            raise PathError(
                Message("cannot read the key path '{path}'", path=text), hint=Message("write it like {example}", example="strategies.1.training.tokens")
            )
        if m.group(1):
            parts.append(int(m.group(1)) if _ascii_digits(m.group(1)) else m.group(1))
        for idx in re.findall(r"\[([^\[\]]*)\]", m.group(2)):
            parts.append(int(idx) if _ascii_digits(idx.strip()) else idx.strip())
    return tuple(parts)


def _ascii_digits(text: str) -> bool:
    """'12', not '²' or '١٢' (str.isdigit takes those, and int() refuses the first)."""
    return text.isascii() and text.isdigit()


def field_for(path: tuple[str | int, ...]) -> tuple[Field | None, str | None]:
    """The Field a canonical path (strategy index as int) names, or (None, why not)."""
    path = tuple(path)
    strategy = len(path) >= 2 and path[0] == "strategies" and isinstance(path[1], int)
    if path and (path[0] != "strategies" or strategy):
        row = at(path)
        if row is not None and row.vary:
            # A row that varies names keys only past the strategy index (fields.at matched the path).
            keys = cast("tuple[str, ...]", path[2:] if strategy else path)
            return (STRATEGY_FIELDS[keys] if strategy else TOP_FIELDS[keys]), None
        if row is not None and row.fixed:
            return None, row.fixed
    if path == ("ftcost",):
        return None, VERSION_REASON
    if strategy:
        rest = path[2:]
        for part in rest:
            if part in FIXED_STRATEGY_PARTS:
                return None, FIXED_STRATEGY_PARTS[part]
        if len(rest) == 2 and rest[0] == "prices":
            return None, (f"the {rest[1]} price is used while loading the scenario, not by the engine directly; prices that can vary: " + ", ".join(PRICE_KEYS))
    if path and path[0] == "exchange_rate":
        return None, EXCHANGE_REASON
    return None, None


def distribution_refusal(path: tuple[str | int, ...], integer: bool = False) -> str | None:
    """Why a distribution cannot stand at ``path`` (a checker path), or None when it can."""
    f, why = field_for(path)
    if integer or (f is not None and f.integer):
        return N_("this field takes whole numbers, so it cannot take a distribution (sweep it instead: ftcost sweep --vary)")
    if f is None:
        return why or N_("a distribution is not supported for this field")
    return None


@dataclass(frozen=True)
class Target:
    """A variable field of one scenario: its path, range, current value and setter."""

    path: tuple[str | int, ...]
    field: Field
    strategy: int | None  # index, None for scenario-level fields

    @property
    def label(self) -> str:
        return format_path(self.path)

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path)

    def describe(self, scenario: Any) -> str:
        who = f" of '{scenario.strategies[self.strategy].name}'" if self.strategy is not None else ""
        return f"{self.field.label}{who}"

    @property
    def compounds(self) -> bool:
        """A monthly rate that compounds over the horizon (growth, price change)."""
        return self.path[-1] in ("growth_per_month", "price_change_per_month")

    def upper(self, horizon: int | None = None) -> float:
        """The largest valid value: the field's maximum, 1e15, and for a monthly rate the compounding limit."""
        from ..limits import MAX_NUMBER, max_compound_rate

        hi = min(self.field.maximum if self.field.maximum is not None else np.inf, MAX_NUMBER)
        if horizon and self.compounds:
            hi = min(hi, max_compound_rate(horizon))
        return hi

    def check_values(self, values: npt.ArrayLike, what: str, horizon: int | None = None) -> None:
        """Raise PathError when a value is outside the field's valid range or not whole.

        The range includes the limits every number of a scenario file has: at
        most 1e15 in size, and (given the horizon) a monthly rate must not
        compound past a factor of 1e100.
        """
        from ..limits import MAX_NUMBER, max_compound_rate

        v = np.asarray(values, dtype=float)
        f = self.field
        bad = None
        if not np.all(np.isfinite(v)):
            bad = Message("values must be finite numbers")
        elif np.any(np.abs(v) > MAX_NUMBER):
            bad = Message(
                "{label}: {what} gives {value}, implausibly large (ftcost accepts numbers up to {most})",
                label=self.label,
                what=term(what),
                value=format(np.abs(v).max(), "g"),
                most=format(MAX_NUMBER, "g"),
            )
        elif self.compounds and horizon and np.any(v > max_compound_rate(horizon)):  # (above the field's maximum only: the next check)
            bad = Message(
                "{label}: {what} gives {value} a month, which compounds over {h} months past a factor of 1e100, too large to compute; "
                "at most {most} with this horizon",
                label=self.label,
                what=term(what),
                value=format(v.max(), "g"),
                h=horizon,
                most=format(self.upper(horizon), ".6g"),
            )
        elif f.integer and np.any(v != np.round(v)):
            first = v[v != np.round(v)].flat[0]
            bad = Message("{label} takes whole numbers; {what} gives {value}", label=self.label, what=term(what), value=format(first, "g"))
        elif f.minimum is not None and np.any(v <= f.minimum if f.exclusive_min else v < f.minimum):
            op = ">" if f.exclusive_min else ">="
            bad = Message(
                "{label} must be {op} {least}; {what} gives {value}",
                label=self.label,
                op=op,
                least=format(f.minimum, "g"),
                what=term(what),
                value=format(v.min(), "g"),
            )
        elif f.maximum is not None and np.any(v > f.maximum):
            bad = Message(
                "{label} must be <= {most}; {what} gives {value}", label=self.label, most=format(f.maximum, "g"), what=term(what), value=format(v.max(), "g")
            )
        if bad:
            raise PathError(bad)

    def clip(self, values: npt.ArrayLike, horizon: int | None = None) -> npt.NDArray[np.float64]:
        """Values moved into the valid range (whole numbers rounded); see :meth:`check_values` for the range."""
        from ..limits import MAX_NUMBER

        v = np.asarray(values, dtype=float)
        f = self.field
        if f.integer:
            v = np.round(v)
        lo = f.minimum if f.minimum is not None else -MAX_NUMBER
        if f.exclusive_min:
            lo = np.nextafter(lo, np.inf)
        clipped: npt.NDArray[np.float64] = np.clip(v, lo, self.upper(horizon))
        return clipped

    def value(self, scenario: Any) -> float:
        """The field's current (deterministic) value in ``scenario``."""
        value: float = _get(scenario, self)
        return value


def resolve(scenario: Any, text: str | tuple[str | int, ...]) -> Target:
    """The Target a key path names in ``scenario``; PathError (listing valid paths) when it names none."""
    raw = text if isinstance(text, tuple) else split_path(text)
    shown = text if isinstance(text, str) else format_path(text)
    path = raw
    strategy = None
    if len(raw) >= 2 and raw[0] == "strategies":
        idx = raw[1]
        names = [s.name for s in scenario.strategies]
        if isinstance(idx, int):
            if not 0 <= idx < len(names):
                raise PathError(
                    Message(
                        "'{path}': there is no strategies[{index}]; the scenario has {n} (0 to {last}: {names})",
                        path=shown,
                        index=idx,
                        n=len(names),
                        last=len(names) - 1,
                        names=", ".join(names),
                    )
                )
        elif idx in names:
            idx = names.index(idx)
        else:
            raise PathError(
                Message("'{path}': no strategy is named '{name}'", path=shown, name=idx),
                hint=did_you_mean(str(idx), names) or Message("strategies: {names}", names=", ".join(f"{i} = {n}" for i, n in enumerate(names))),
            )
        strategy = idx
        path = ("strategies", idx) + tuple(raw[2:])
    f, why = field_for(path)
    if f is None:
        if why:
            raise PathError(Message("'{path}' cannot be varied: {why}", path=shown, why=term(why)))
        candidates = _candidates(scenario)
        guess = did_you_mean(".".join(str(p) for p in path), candidates)
        raise PathError(
            Message("'{path}' names no field that can vary", path=shown), hint=guess or Message("valid paths: {paths}", paths=", ".join(all_patterns()))
        )
    if strategy is not None:
        s = scenario.strategies[strategy]
        missing = {
            "training": (s.training is None, N_("has no training block")),
            "serving": (s.serving is None, N_("is not self_hosted (no serving block)")),
            "hosting": (s.serving is not None, N_("is self_hosted: it pays for GPUs under serving, not hosting")),
            "gpu_training": (s.training is None or s.serving is None, N_("has no GPU-hour training (self_hosted strategies only)")),
        }
        if f.needs and missing[f.needs][0]:
            raise PathError(
                Message("'{path}': strategies[{index}] ('{name}') {why}", path=shown, index=strategy, name=s.name, why=Message(missing[f.needs][1]))
            )
    return Target(path=path, field=f, strategy=strategy)


def _candidates(scenario: Any) -> list[str]:
    out = [".".join(k) for k in TOP_FIELDS]
    for i in range(len(scenario.strategies)):
        out += [f"strategies.{i}." + ".".join(k) for k in STRATEGY_FIELDS]
    return out


# --------------------------------------------------------------------------
# Reading and setting values on a scenario


def _strategy_attr(key: tuple[str, ...]) -> tuple[str, str]:
    """(object, attribute) for the simple strategy fields: object '' = the strategy itself."""
    simple: dict[tuple[str, ...], tuple[str, str]] = {
        ("request", "prompt_tokens"): ("", "prompt_tokens"),
        ("request", "input_tokens"): ("", "input_tokens"),
        ("request", "cached_prompt_tokens"): ("", "cached_tokens"),
        ("request", "completion_tokens"): ("", "completion_tokens"),
        ("batch_share",): ("", "batch_share"),
        ("hosting", "hours_per_month"): ("", "hours_per_month"),
        ("hosting", "deployments"): ("", "deployments"),
        ("fixed_monthly_cost",): ("", "fixed_monthly_cost"),
        ("quality", "error_rate"): ("", "error_rate"),
        ("quality", "cost_per_error"): ("", "cost_per_error"),
        ("price_change_per_month",): ("", "price_change_per_month"),
        ("training", "tokens"): ("training", "tokens"),
        ("training", "examples"): ("training", "examples"),
        ("training", "epochs"): ("training", "epochs"),
        ("training", "retrain_every_months"): ("training", "retrain_every_months"),
        ("training", "one_time_cost"): ("training", "one_time_cost"),
    }
    if key in simple:
        return simple[key]
    if key[0] == "serving":
        return ("serving", key[1])
    raise KeyError(f"{key} is not a field held on the strategy")


def _get(scenario: Any, t: Target) -> Any:
    # The number as the scenario holds it: a float, or an int for a whole-number field.
    # A field's path holds names only past the strategy index (the rows of ftcost.model.fields).
    key = cast("tuple[str, ...]", t.path if t.strategy is None else t.path[2:])
    if t.strategy is None:
        if key == ("volume", "requests_per_month"):
            return scenario.requests_per_month
        if key == ("volume", "requests_per_day"):
            return scenario.requests_per_month / DAYS_PER_MONTH
        return scenario.growth_per_month
    s = scenario.strategies[t.strategy]
    if key[0] == "prices" or key == ("hosting", "per_hour"):
        name = "hosting_per_hour" if key == ("hosting", "per_hour") else key[1]
        if name == "cached_input":
            return s.price("cached_input", s.price("input"))
        return s.price(name)
    if key == ("training", "gpu_hours"):
        return s.training.gpu_hours
    if key == ("training", "gpu_per_hour"):
        return s.training.gpu_rate if s.training.gpu_rate_given else s.serving.gpu_per_hour
    obj, attr = _strategy_attr(key)
    holder = s if not obj else getattr(s, obj)
    return getattr(holder, attr)


def variable_targets(scenario: Any) -> list[Target]:
    """The fields of ``scenario`` worth moving in a sensitivity analysis: every one in use with a value other than 0."""
    out: list[Target] = []
    key: tuple[str, ...]
    vol_key = "requests_per_day" if scenario.volume_per_day else "requests_per_month"
    for key in (("volume", vol_key), ("volume", "growth_per_month")):
        out.append(Target(key, TOP_FIELDS[key], None))
    for i, s in enumerate(scenario.strategies):
        for key in STRATEGY_FIELDS:
            if key == ("hosting", "per_hour"):
                continue  # the same number as prices.hosting_per_hour
            try:
                t = resolve(scenario, ("strategies", i) + key)
            except PathError:
                continue
            if not _in_use(s, key):
                continue
            out.append(t)
    return [t for t in out if np.all(np.asarray(t.value(scenario)) != 0)]


def _in_use(s: Any, key: tuple[str, ...]) -> bool:
    """Whether a field changes the strategy's cost at all."""
    priced = key[0] == "prices"
    if priced and key[1] == "cached_input":
        return s.cached_tokens > 0 and "cached_input" in s.prices
    if priced and key[1] in ("batch_input", "batch_cached_input", "batch_output"):
        return s.batch_share > 0 and "batch_input" in s.prices
    if key == ("batch_share",) and "batch_input" in s.prices:
        return True
    if priced and key[1] == "batch_discount" or key == ("batch_share",):
        return bool(s.batch_share > 0 and s.price("batch_discount") > 0)
    if priced and key[1] in ("training", "min_job_fee", "max_job_fee"):
        if key[1] == "max_job_fee" and "max_job_fee" not in s.prices:
            return False  # no cap
        return s.training is not None and (s.training.tokens > 0 or key[1] != "training")
    if priced and key[1] in ("input", "output") and s.serving is not None:
        return False  # self-hosted: paid through GPU hours
    if key in (("hosting", "hours_per_month"), ("hosting", "deployments")):
        return bool(s.price("hosting_per_hour") > 0)
    if key == ("training", "examples"):
        return s.training is not None and s.training.epochs_auto and s.training.tokens > 0
    if key == ("training", "epochs"):
        return s.training is not None and s.training.tokens > 0 and s.price("training") > 0
    if key == ("training", "retrain_every_months"):
        return s.training is not None and s.training.retrain_every_months > 0
    if key == ("quality", "cost_per_error"):
        return bool(s.error_rate > 0)
    if key == ("quality", "error_rate"):
        return bool(s.cost_per_error > 0)
    return True
