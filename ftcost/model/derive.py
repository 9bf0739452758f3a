"""Engine inputs from a scenario: the one derivation (issue 16, item 2).

A loaded :class:`~ftcost.model.scenario.Scenario` keeps the numbers its file gives
(with their sources). :func:`engine_inputs` is the only code that turns them
into :class:`ftcost.engine.Inputs`, with any of them replaced by numbers or
arrays given by key path (``{("strategies", 1, "training", "examples"):
array([...])}``). ``ftcost compare`` calls it with no overrides
(:meth:`Scenario.inputs`); sweep, simulate, sensitivity and the what-if page
call it with arrays. The loaded scenario is never modified.

What is derived here, from the scenario's values and the overrides alike:

* the monthly volume from ``volume.requests_per_day`` (x 365/12 days);
* ``epochs: auto`` from the number of training examples (the provider's rule,
  :func:`ftcost.engine.default_epochs`), unless ``training.epochs`` is given;
* a self-hosted training run's cost from its GPU hours and the price of a GPU
  hour (the serving GPU's price unless ``training.gpu_per_hour`` is given);
* the cached part of a prompt, capped at the tokens sent (prompt + input);
* the quality cost per request (error rate x cost per error), a replica's
  monthly capacity and cost;
* one engine row per phase of a strategy's plan (docs/migration.md): a later
  phase has its successor's prices and re-counted prompt, and pays the
  migration cost instead of the strategy's one-time cost.

Numbers counted while loading (tokens of a prompt file or a dataset, a
replica's request rate from tokens per second, the data generation cost, a
price converted from another currency) are inputs here, not re-derived.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import engine

# paths and engine.inputs' helpers are imported where they are needed (overrides, variant axes): compare needs neither,
# and its start-up stays as it was.
DAYS_PER_MONTH = 365 / 12
SCENARIO_LEVEL_INPUTS = ("requests_per_month", "growth")  # engine inputs without a strategy axis
HOSTING_PRICE = {("hosting", "per_hour"): "hosting_per_hour"}  # other names for a price


def engine_inputs(scenario: Any, overrides: Mapping[Any, Any] | None = None, variants: tuple[int, ...] | None = None) -> engine.Inputs:
    """Engine inputs of ``scenario``, with ``overrides`` (key path -> number or array) in place of its values.

    Parameters
    ----------
    scenario : Scenario
        As loaded; it is not modified.
    overrides : mapping, optional
        Key paths that can vary (:mod:`ftcost.model.paths`: a tuple such as
        ``("volume", "requests_per_month")``, or the text
        ``"strategies.1.training.tokens"``) to numbers or arrays that broadcast
        together (samples, sweep points). Later entries win when two name the
        same number (``hosting.per_hour`` and ``prices.hosting_per_hour``).
    variants : tuple of int, optional
        The shape of the variant axes. Given, every per-strategy input is
        shaped ``[rows, *variants]`` (length-1 axes where no override touches
        it) and the volume ``variants``, so everything broadcasts; without it
        the inputs are as :meth:`Scenario.inputs` gives them (shape [rows]).

    Returns
    -------
    engine.Inputs
        One row per strategy and phase of its plan: rows 0..S-1 are the
        strategies, later phases follow (``owner`` maps rows to strategies).

    Raises
    ------
    PathError
        A key path that names no field that can vary, or a self-hosted replica
        that serves less than one request a month at some varied value.
    """
    top, per_strategy = _split(scenario, overrides) if overrides else ({}, {})
    values = [_StrategyValues(s, per_strategy.get(i, {})) for i, s in enumerate(scenario.strategies)]
    rows = [_Row(v, s.plan.phases[0] if s.plan else None, 0) for v, s in zip(values, scenario.strategies)]
    owner = list(range(len(rows)))
    for i, (v, s) in enumerate(zip(values, scenario.strategies)):
        for k, phase in enumerate((s.plan.phases if s.plan else [])[1:], start=1):
            rows.append(_Row(v, phase, k))
            owner.append(i)
    x = _columns(scenario, rows, top, tuple(owner) if len(owner) > len(values) else None)
    _check_capacity(scenario, x)
    if variants is None:
        return x
    return _on_variant_axes(x, variants, len(rows))


def _split(scenario: Any, overrides: Mapping[Any, Any]) -> tuple[dict[tuple[Any, ...], Any], dict[int, dict[tuple[Any, ...], Any]]]:
    """Overrides by canonical path: (scenario-level ones, {strategy index: {path after strategies.<i>: value}})."""
    from . import paths

    top: dict[tuple[Any, ...], Any] = {}
    per: dict[int, dict[tuple[Any, ...], Any]] = {}
    for key, value in overrides.items():
        t = paths.resolve(scenario, key)
        v = np.asarray(value, dtype=float) if np.ndim(value) else float(value)
        if t.strategy is None:
            top[t.path] = v
        else:
            per.setdefault(t.strategy, {})[t.path[2:]] = v
    return top, per


class _StrategyValues:
    """One strategy's numbers with the overrides in place: what every row of its plan starts from."""

    def __init__(self, s: Any, given: dict[tuple[Any, ...], Any]):
        def value(key: tuple[Any, ...], loaded: Any) -> Any:
            return given[key] if key in given else loaded

        self.strategy = s
        self.prompt_tokens = value(("request", "prompt_tokens"), s.prompt_tokens)
        self.input_tokens = value(("request", "input_tokens"), s.input_tokens)
        # Only tokens that are sent can be cached (a no-op on the file's own numbers: the loader refuses a larger cached part).
        cached = value(("request", "cached_prompt_tokens"), s.cached_tokens)
        self.cached_tokens = np.minimum(cached, np.asarray(self.prompt_tokens) + self.input_tokens)
        self.completion_tokens = value(("request", "completion_tokens"), s.completion_tokens)
        self.batch_share = value(("batch_share",), s.batch_share)
        self.hours_per_month = value(("hosting", "hours_per_month"), s.hours_per_month)
        self.deployments = value(("hosting", "deployments"), s.deployments)
        self.fixed_monthly_cost = value(("fixed_monthly_cost",), s.fixed_monthly_cost)
        self.quality_cost = value(("quality", "error_rate"), s.error_rate) * value(("quality", "cost_per_error"), s.cost_per_error)
        self.price_change = value(("price_change_per_month",), s.price_change_per_month)
        self.prices = {HOSTING_PRICE.get(k, k[-1]): v for k, v in given.items() if k[0] == "prices" or k in HOSTING_PRICE}
        sv = s.serving
        self.capacity = self.replica_cost = self.min_replicas = 0.0
        gpu_per_hour = 0.0
        if sv is not None:
            gpu_per_hour = value(("serving", "gpu_per_hour"), sv.gpu_per_hour)
            hours = value(("serving", "hours_per_month"), sv.hours_per_month)
            rps = value(("serving", "requests_per_second"), sv.requests_per_second)
            # The same products, in the same order, as Serving.capacity_per_month and Serving.replica_cost.
            self.capacity = rps * value(("serving", "target_utilization"), sv.target_utilization) * hours * 3600.0
            self.replica_cost = gpu_per_hour * value(("serving", "gpus_per_replica"), sv.gpus_per_replica) * hours
            self.min_replicas = value(("serving", "min_replicas"), sv.min_replicas)
        t = s.training
        self.training: _Training | None = None
        if t is not None:
            examples = value(("training", "examples"), t.examples)
            epochs = value(("training", "epochs"), t.epochs)
            if t.epochs_auto and ("training", "epochs") not in given:
                epochs = engine.default_epochs(np.round(examples), fixed=t.epoch_rule.fixed).astype(float)
            fixed = t.fixed_per_run  # hour-billed training: hours x the price per hour, as loaded
            if t.gpu_billed:  # self-hosted: GPU-hours x the price of a GPU-hour
                rate = t.gpu_rate if t.gpu_rate_given else gpu_per_hour
                fixed = value(("training", "gpu_hours"), t.gpu_hours) * value(("training", "gpu_per_hour"), rate)
            self.training = _Training(
                tokens=value(("training", "tokens"), t.tokens),
                examples=examples if examples is not None else 0,
                epochs=epochs,
                retrain_every=value(("training", "retrain_every_months"), t.retrain_every_months),
                one_time_cost=value(("training", "one_time_cost"), t.one_time_cost),
                fixed_per_run=fixed,
                data_generation_cost=t.data_generation_cost,
            )

    def price(self, key: str, default: Any = 0.0) -> Any:
        if key in self.prices:
            return self.prices[key]
        return self.strategy.price(key, default)


class _Training:
    def __init__(self, **values: Any):
        self.__dict__.update(values)

    def later_phase(self, migration_cost: float) -> _Training:
        """The training of a later phase: it pays the migration cost once, not the one-time cost or data generation."""
        return _Training(**(self.__dict__ | {"one_time_cost": migration_cost, "data_generation_cost": 0.0}))


class _Row:
    """One engine row: a strategy's values in one phase of its plan (the phase's model, prices and prompt count)."""

    def __init__(self, v: _StrategyValues, phase: Any, index: int):
        self.values = v
        self.phase = phase
        self.plan = v.strategy.plan
        self.prompt_tokens = v.prompt_tokens
        self.cached_tokens = v.cached_tokens
        if phase is not None and phase.prompt_tokens is not None:
            self.prompt_tokens = phase.prompt_tokens
            self.cached_tokens = np.minimum(v.cached_tokens, phase.prompt_tokens + np.asarray(v.input_tokens))
        self.training = v.training
        self.one_time_extra = 0.0
        if index > 0:
            migration = phase.migration_cost if phase is not None else 0.0
            self.training = v.training.later_phase(migration) if v.training is not None else None
            if v.training is None and phase is not None:
                self.one_time_extra = phase.migration_cost  # a prompt strategy's migration cost

    def price(self, key: str, default: Any = 0.0) -> Any:
        if self.phase is None or self.phase.prices is None:
            return self.values.price(key, default)
        p = self.phase.prices.get(key)
        return p.value if p is not None else default


def _columns(scenario: Any, rows: list[_Row], top: dict[tuple[Any, ...], Any], owner: tuple[int, ...] | None) -> engine.Inputs:
    def col(fn: Any) -> np.ndarray:
        # Values may be arrays (samples, sweep points): rows broadcast to [rows, *variants].
        return np.stack(np.broadcast_arrays(*(np.asarray(fn(r), dtype=float) for r in rows)))

    def tr(fn: Any, default: float = 0.0) -> np.ndarray:
        return col(lambda r: fn(r.training) if r.training else default)

    def sv(name: str) -> np.ndarray:
        return col(lambda r: getattr(r.values, name))

    volume = scenario.requests_per_month
    if ("volume", "requests_per_month") in top:
        volume = top[("volume", "requests_per_month")]
    elif ("volume", "requests_per_day") in top:
        volume = top[("volume", "requests_per_day")] * DAYS_PER_MONTH
    return engine.Inputs(
        horizon=scenario.horizon_months,
        baseline=scenario.baseline,
        requests_per_month=np.asarray(volume, dtype=float),
        growth=np.asarray(top.get(("volume", "growth_per_month"), scenario.growth_per_month), dtype=float),
        prompt_tokens=col(lambda r: r.prompt_tokens),
        input_tokens=sv("input_tokens"),
        cached_tokens=col(lambda r: r.cached_tokens),
        completion_tokens=sv("completion_tokens"),
        input_price=col(lambda r: r.price("input")),
        cached_price=col(lambda r: r.price("cached_input", r.price("input"))),
        output_price=col(lambda r: r.price("output")),
        batch_share=sv("batch_share"),
        batch_discount=col(lambda r: r.price("batch_discount")),
        batch_input_price=col(lambda r: r.price("batch_input", np.nan)),
        batch_cached_price=col(lambda r: r.price("batch_cached_input", r.price("batch_input", np.nan))),
        batch_output_price=col(lambda r: r.price("batch_output", np.nan)),
        per_hour=col(lambda r: r.price("hosting_per_hour")),
        hours_per_month=sv("hours_per_month"),
        deployments=sv("deployments"),
        storage_per_month=col(lambda r: r.price("storage_per_month")),
        fixed_monthly_cost=sv("fixed_monthly_cost"),
        has_training=col(lambda r: 1.0 if r.training else 0.0),
        training_tokens=tr(lambda t: t.tokens),
        examples=tr(lambda t: t.examples),
        epochs=tr(lambda t: t.epochs, 1.0),
        training_price=col(lambda r: r.price("training")),
        min_job_fee=col(lambda r: r.price("min_job_fee")),
        max_job_fee=col(lambda r: r.price("max_job_fee", np.inf)),
        retrain_every=tr(lambda t: t.retrain_every),
        one_time_cost=col(lambda r: (r.training.one_time_cost if r.training else 0.0) + r.one_time_extra),
        training_fixed=tr(lambda t: t.fixed_per_run),
        data_generation_cost=tr(lambda t: t.data_generation_cost),
        quality_cost=sv("quality_cost"),
        price_change=sv("price_change"),
        replica_capacity=sv("capacity"),
        replica_cost=sv("replica_cost"),
        min_replicas=sv("min_replicas"),
        first_month=col(lambda r: r.phase.first_month if r.phase else 1.0),
        last_month=col(lambda r: r.phase.last_month if r.phase else np.inf),
        jobs_until=col(lambda r: r.phase.jobs_until if r.phase else np.inf),
        feasible_last=col(lambda r: r.plan.feasible_last if r.plan else np.inf),
        owner=owner,
    )


def _on_variant_axes(x: engine.Inputs, variants: tuple[int, ...], row_count: int) -> engine.Inputs:
    """``x`` with the variant axes after the row axis: length 1 where no override touched an input."""
    from ..engine.inputs import array_fields

    nv = len(variants)
    changes = {}
    for name in array_fields(x):
        a = np.asarray(getattr(x, name))
        if name == "requests_per_month":
            # The volume always carries the variant axes (engine.evaluate sizes its month arrays by it).
            changes[name] = np.broadcast_to(a.astype(float), variants)
        elif name in SCENARIO_LEVEL_INPUTS:
            continue
        elif a.ndim >= 1 and a.shape[0] == row_count and a.ndim < 1 + nv:
            changes[name] = a.reshape(a.shape + (1,) * (1 + nv - a.ndim))
    return x.replace(**changes)


def _check_capacity(scenario: Any, x: engine.Inputs) -> None:
    """A self-hosted replica must serve at least 1 request a month at every varied value, as the file's own must."""
    cap = np.asarray(x.replica_capacity, dtype=float)
    for i, s in enumerate(scenario.strategies):
        if s.serving is None:
            continue
        c = cap[i] if cap.ndim and cap.shape[0] >= len(scenario.strategies) else cap  # (rows after S: later phases of plans)
        if np.any(c < 1):
            from ..errors import format_path
            from ..i18n import Message
            from .paths import PathError

            message = Message(
                "at some of the values varied or sampled, one replica serves {capacity} requests a month; ftcost needs at least 1",
                capacity=format(float(np.min(c)), ".3g"),
            )
            hint = Message("raise the lowest requests_per_second, target_utilization or hours_per_month (a distribution's low end or a --vary START)")
            doc = getattr(scenario, "doc", None)
            if doc is not None:  # located at the serving block, like the same check on the file's own numbers
                raise doc.error(PathError, ("strategies", i, "serving"), message, hint)
            raise PathError(
                Message("{key}: {message}", key=format_path(("strategies", i, "serving")), message=message), file=getattr(scenario, "file", None), hint=hint
            )
