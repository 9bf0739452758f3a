"""The parts of a Result: one strategy's numbers (:class:`StrategyResult`) and the typed pieces of the JSON.

Frozen dataclasses whose ``to_dict()`` is their JSON object: :class:`PriceUsed`, :class:`PlanPhase`,
:class:`Migration`, :class:`Recommendation` (``VolumeRange`` and ``Crossing`` come from
:mod:`ftcost.engine.envelope`). :mod:`ftcost.result` re-exports every name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .catalogs import Price
from .engine.envelope import Crossing

if TYPE_CHECKING:
    from .result import Result

__all__ = ["Migration", "PlanPhase", "PriceUsed", "Recommendation", "SCHEDULE_PARTS", "SUMMARY_KEYS", "StrategyResult"]


@dataclass(frozen=True)
class PriceUsed:
    """A rate a strategy paid, with where it came from (JSON: a strategy's ``prices``)."""

    value: float
    source: str
    as_of: str | None = None  # the ISO date the price was read, as in the JSON (None: not dated)

    @classmethod
    def of(cls, p: Price) -> PriceUsed:
        return cls(p.value, p.source, p.as_of.isoformat() if p.as_of else None)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "source": self.source, "as_of": self.as_of}


@dataclass(frozen=True)
class PlanPhase:
    """One model of a strategy's plan and the months it runs (JSON: a strategy's ``phases``)."""

    model: str
    from_month: int
    to_month: int
    cost_per_request: float
    prompt_tokens: float | None  # re-counted with this model's encoding; None: the strategy's own count
    prompt_source: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "from_month": self.from_month,
            "to_month": self.to_month,
            "cost_per_request": self.cost_per_request,
            "prompt_tokens": self.prompt_tokens,
            "prompt_source": self.prompt_source,
        }


@dataclass(frozen=True)
class Migration:
    """A plan's move to its model's successor (JSON: a strategy's ``migrations``, with keys ``from`` and ``to``)."""

    month: int
    calendar_month: str
    from_model: str
    to_model: str
    training_cost: float  # the training run on the successor in that month (0 for a prompt strategy)
    migration_cost: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "calendar_month": self.calendar_month,
            "from": self.from_model,
            "to": self.to_model,
            "training_cost": self.training_cost,
            "migration_cost": self.migration_cost,
        }


@dataclass(frozen=True)
class Recommendation:
    """What ftcost recommends and whether it can be carried out over the whole horizon (JSON: ``recommendation``)."""

    strategy: str
    feasible: bool
    until_month: int  # the last month the recommended plan runs (the horizon when feasible)
    cost_until: float
    until: str | None  # that month's calendar label (None: not even month 1)
    reason: str  # why it stops, in English ("" when feasible)
    feasible_strategies: tuple[str, ...]
    horizon_months: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "feasible": self.feasible,
            "until_month": self.until_month,
            "cost_until": self.cost_until,
            "until": self.until,
            "reason": self.reason,
            "feasible_strategies": list(self.feasible_strategies),
            "horizon_months": self.horizon_months,
        }


@dataclass
class StrategyResult:
    name: str
    type: str
    model: str
    cost_per_request: float
    fixed_monthly: float
    training_cost: float
    training_cost_per_run: float
    training_runs: int
    epochs: int | None
    one_time_cost: float
    average_fixed_monthly: float
    monthly_cost: float
    total_cost: float
    monthly: list[float]
    training_months: list[int]
    break_even_requests_per_month: float | None
    cheaper_above_break_even: bool | None
    payback_month: int | None
    warnings: list[str] = field(default_factory=list)
    token_sources: dict[str, str] = field(default_factory=dict)
    prices: dict[str, PriceUsed] = field(default_factory=dict)
    break_even_crossings: list[Crossing] = field(default_factory=list)
    data_generation_cost: float = 0.0
    quality_cost_per_request: float = 0.0
    replicas: float | None = None
    price_change_per_month: float = 0.0
    average_monthly_cost: float = 0.0  # total_cost / horizon months
    # Plans (issue 13): the last month the strategy can be carried out (None: not even month 1), why not
    # beyond, what it does when its model retires, and the migrations and phases of its plan.
    feasible_until: int | None = None
    feasible: bool = True
    feasibility: str = ""
    on_retirement: str = "stop"
    migrations: list[Migration] = field(default_factory=list)
    phases: list[PlanPhase] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """This strategy's object in the JSON's ``strategies`` list."""
        return _strategy_dict(self)


# The cost columns of :meth:`Result.schedule` and ``monthly_frame``, one per engine part (engine.MONTHLY_PARTS).
SCHEDULE_PARTS = ("variable_cost", "fixed_cost", "gpu_cost", "training_cost", "one_time_cost", "data_generation_cost")
SUMMARY_KEYS = (
    "name",
    "type",
    "model",
    "cost_per_request",
    "fixed_monthly",
    "training_cost",
    "training_runs",
    "one_time_cost",
    "average_fixed_monthly",
    "monthly_cost",
    "average_monthly_cost",
    "total_cost",
    "break_even_requests_per_month",
    "cheaper_above_break_even",
    "payback_month",
)


def _strategy_dict(s: StrategyResult) -> dict:
    return {
        "name": s.name,
        "type": s.type,
        "model": s.model,
        "cost_per_request": s.cost_per_request,
        "fixed_monthly": s.fixed_monthly,
        "training_cost": s.training_cost,
        "training_runs": s.training_runs,
        "one_time_cost": s.one_time_cost,
        "average_fixed_monthly": s.average_fixed_monthly,
        "monthly_cost": s.monthly_cost,
        "total_cost": s.total_cost,
        "monthly": s.monthly,
        "break_even_requests_per_month": s.break_even_requests_per_month,
        "cheaper_above_break_even": s.cheaper_above_break_even,
        "payback_month": s.payback_month,
        "warnings": s.warnings,
        # Extensions (docs/design.md allows new output fields):
        "training_cost_per_run": s.training_cost_per_run,
        "epochs": s.epochs,
        "training_months": s.training_months,
        "token_sources": s.token_sources,
        "prices": {k: p.to_dict() for k, p in s.prices.items()},
        "break_even_crossings": [c.to_dict() for c in s.break_even_crossings],
        "data_generation_cost": s.data_generation_cost,
        "quality_cost_per_request": s.quality_cost_per_request,
        "replicas": s.replicas,
        "price_change_per_month": s.price_change_per_month,
        "average_monthly_cost": s.average_monthly_cost,
        "feasible_until": s.feasible_until,
        "feasible": s.feasible,
        "feasibility": s.feasibility,
        "on_retirement": s.on_retirement,
        "migrations": [m.to_dict() for m in s.migrations],
        "phases": [p.to_dict() for p in s.phases],
    }


def _quality_free(r: Result) -> dict:
    """The comparison with every quality cost removed (shown beside the full one)."""
    return {
        "cheapest": r.cheapest.name,
        "savings": r.savings(),
        "cheapest_by_volume": [v.to_dict() for v in r.cheapest_by_volume],
        "strategies": [
            {
                k: getattr(s, k)
                for k in (
                    "name",
                    "cost_per_request",
                    "monthly_cost",
                    "average_monthly_cost",
                    "total_cost",
                    "break_even_requests_per_month",
                    "cheaper_above_break_even",
                    "payback_month",
                )
            }
            for s in r.strategies
        ],
    }
