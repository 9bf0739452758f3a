"""What goes into the engine and what comes out: :class:`Inputs` and :class:`Outputs`.

Every Inputs field is a number or an array broadcastable to [strategies,
*variants]; :func:`array_fields` names those arrays and :func:`full_shape`
gives their broadcast shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .formulas import BoolArray, FloatArray, IntArray, Value, cost_per_request, default_epochs, fixed_monthly


@dataclass
class Inputs:
    """Engine inputs, each an array broadcastable to [strategies, *variants].

    Built by :meth:`ftcost.model.scenario.Scenario.inputs`; a sweep or a simulation
    replaces fields with arrays that carry extra axes.
    """

    horizon: int
    baseline: int
    requests_per_month: Value
    growth: Value
    prompt_tokens: Value
    input_tokens: Value
    cached_tokens: Value
    completion_tokens: Value
    input_price: Value
    cached_price: Value
    output_price: Value
    batch_share: Value
    batch_discount: Value
    per_hour: Value
    hours_per_month: Value
    deployments: Value
    storage_per_month: Value
    fixed_monthly_cost: Value
    has_training: Value  # 1 where the strategy trains, else 0
    training_tokens: Value
    examples: Value
    epochs: Value  # 0 means auto (from examples)
    training_price: Value
    min_job_fee: Value
    retrain_every: Value  # 0 means train once
    one_time_cost: Value
    # Issue-4 economics; the defaults switch each one off.
    training_fixed: Value = 0.0  # cost per run not tied to tokens (GPU hours, hour-billed training)
    max_job_fee: Value = np.inf  # a training job is never billed more (Azure reinforcement fine-tuning: 5,000)
    data_generation_cost: Value = 0.0  # creating the training set, month 1
    quality_cost: Value = 0.0  # expected error cost per request
    price_change: Value = 0.0  # monthly change of per-token prices, compounding
    # Published batch prices (per 1M); NaN = the standard prices less batch_discount.
    batch_input_price: Value = np.nan
    batch_cached_price: Value = np.nan
    batch_output_price: Value = np.nan
    replica_capacity: Value = 0.0  # requests per replica-month at target utilization; 0 = not self-hosted
    replica_cost: Value = 0.0  # cost of one replica for a month
    min_replicas: Value = 0.0
    # Plans over several models (issue 13, docs/migration.md). A row is one phase of a strategy: it is
    # active from first_month to last_month (inclusive, 1-based; inf = the horizon), trains in its first
    # month and every retrain_every after it, and pays one_time_cost and data_generation_cost in its
    # first month. A training run after month jobs_until cannot happen (the provider takes no new jobs),
    # nor can any month after feasible_last: the strategy is infeasible from there. ``owner`` maps
    # each row to its strategy (None: row i is strategy i); rows 0..S-1 are the strategies' first phases.
    first_month: Value = 1.0
    last_month: Value = np.inf
    jobs_until: Value = np.inf
    feasible_last: Value = np.inf
    owner: tuple[int, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> Inputs:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Inputs(**values)


@dataclass
class Outputs:
    """Engine outputs; arrays shaped [strategies, *variants] (monthly: [..., months])."""

    cost_per_request: FloatArray
    fixed_monthly: FloatArray
    epochs: NDArray[Any]  # whole numbers (float64 when Inputs.epochs is)
    training_run_cost: FloatArray
    training_runs: IntArray
    training_cost: FloatArray
    one_time_cost: FloatArray
    average_fixed_monthly: FloatArray
    monthly_cost: FloatArray
    monthly: FloatArray
    total_cost: FloatArray
    break_even: FloatArray
    cheaper_above: BoolArray
    payback_month: IntArray
    cheapest: IntArray  # index of the strategy with the lowest total, [*variants]
    training_months: BoolArray  # bool [strategies, *variants, months]
    # The constant-volume cost line used for break-even and cheapest-by-volume:
    # monthly cost at volume V = line_fixed + V * line_slope + replica_cost * replicas(V).
    line_fixed: FloatArray
    line_slope: FloatArray
    data_generation_cost: FloatArray
    quality_cost: FloatArray
    replicas_month1: FloatArray
    # Last month each strategy can be carried out (0: not even month 1; the horizon: all of it), [strategies, *variants].
    feasible_until: IntArray
    # Per plan row (one phase of a strategy): cost per request and cost of one training run, [rows, *variants].
    row_cost_per_request: FloatArray
    row_training_run_cost: FloatArray
    # The monthly breakdown, each [strategies, *variants, months]; they add up to ``monthly`` (see MONTHLY_PARTS).
    monthly_variable: FloatArray  # volume x (token cost at that month's prices + expected error cost)
    monthly_fixed: FloatArray  # hosting, storage and other fixed monthly costs
    monthly_gpu: FloatArray  # self-hosted replicas x cost of one replica
    monthly_training: FloatArray  # training runs, at that month's prices
    monthly_one_time: FloatArray  # one-time cost, month 1
    monthly_data_generation: FloatArray  # training-data generation, month 1
    replicas: FloatArray  # self-hosted replicas in each month (0 when not self-hosted)
    volumes: FloatArray  # requests in each month

    def breakdown(self) -> dict[str, FloatArray]:
        """The parts of ``monthly`` by name (:data:`MONTHLY_PARTS`), each [strategies, *variants, months]."""
        return {name: getattr(self, "monthly_" + name) for name in MONTHLY_PARTS}


# The parts of a month's cost, in the order tables show them; they add up to ``Outputs.monthly``.
MONTHLY_PARTS = ("variable", "fixed", "gpu", "training", "one_time", "data_generation")


# Fields that are not arrays over [strategies, *variants].
NON_ARRAY_FIELDS = frozenset({"horizon", "baseline", "extra", "owner"})


def array_fields(x: Inputs) -> list[str]:
    """Names of the Inputs fields that are arrays over [strategies, *variants]."""
    return [f.name for f in fields(x) if f.name not in NON_ARRAY_FIELDS]


def full_shape(x: Inputs) -> tuple[int, ...]:
    """The broadcast shape [strategies, *variants] of all array fields."""
    shape = np.broadcast_shapes(*(np.shape(getattr(x, n)) for n in array_fields(x)))
    return shape if shape else (1,)


# The per-strategy formulas applied to inputs named as the Inputs fields (an Inputs, or the
# compact arrays of the summary keyed by field name): the one place those calls are spelt out.
def _field(x: Inputs | Mapping[str, Any], name: str) -> Any:
    return x[name] if isinstance(x, Mapping) else getattr(x, name)


def request_cost_of(x: Inputs | Mapping[str, Any]) -> FloatArray:
    """:func:`~ftcost.engine.formulas.cost_per_request` of the inputs' token counts and prices."""
    names = (
        "prompt_tokens",
        "input_tokens",
        "cached_tokens",
        "completion_tokens",
        "input_price",
        "cached_price",
        "output_price",
        "batch_share",
        "batch_discount",
        "batch_input_price",
        "batch_cached_price",
        "batch_output_price",
    )
    return cost_per_request(*(_field(x, n) for n in names))


def fixed_monthly_of(x: Inputs | Mapping[str, Any]) -> FloatArray:
    """:func:`~ftcost.engine.formulas.fixed_monthly` of the inputs' hosting and other fixed costs."""
    return fixed_monthly(*(_field(x, n) for n in ("per_hour", "hours_per_month", "deployments", "storage_per_month", "fixed_monthly_cost")))


def epochs_of(x: Inputs | Mapping[str, Any]) -> NDArray[Any]:
    """The epochs given, or :func:`~ftcost.engine.formulas.default_epochs` of the examples where none is (0)."""
    epochs = _field(x, "epochs")
    out: NDArray[Any] = np.where(np.asarray(epochs) > 0, epochs, default_epochs(_field(x, "examples")))
    return out
