"""A loaded scenario: the dataclasses :func:`ftcost.model.load.load_scenario` returns.

A :class:`Scenario` holds plain numbers with their prices resolved and their
token counts done; the engine never sees YAML. Its engine inputs come from the
one derivation, :func:`ftcost.model.derive.engine_inputs`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from .. import engine
from ..catalogs import Catalogs, Model, Price
from ..epochs import ASSUMED, EpochRule
from ..yamlsrc import YamlDoc

DAYS_PER_MONTH = 365 / 12
SECONDS_PER_HOUR = 3600.0


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
    gpu_billed: bool = False  # self-hosted, not billed by the hour: a run costs gpu_hours x gpu_rate (ftcost.model.derive)
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
    plan: Any = None  # ftcost.model.migration.Plan: the models it runs on over the horizon
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
    # Uncertain inputs: key path -> ftcost.model.distributions.Distribution; the values above are their medians.
    distributions: dict[tuple[Any, ...], Any] = field(default_factory=dict)
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

        Derived by :func:`ftcost.model.derive.engine_inputs`, which sweeps, simulations and sensitivity call with arrays.
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
