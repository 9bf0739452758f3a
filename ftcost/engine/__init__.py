"""The cost engine: pure numpy, no I/O, no printing (docs/design.md, "The math").

Numbers in, numbers out: it imports nothing of the project above it (an
import-linter contract in pyproject.toml). The modules, from the bottom up:

* :mod:`~ftcost.engine.formulas`: one small broadcasting function per
  formula (cost per request, fixed monthly cost, training run cost, break-even
  volume, payback month, ...), each with its worked example;
* :mod:`~ftcost.engine.inputs`: :class:`Inputs` and :class:`Outputs`;
* :mod:`~ftcost.engine.feasible`: which plan rows and strategies can run
  until which month, and the cheapest feasible strategy;
* :mod:`~ftcost.engine.monthly`: :func:`evaluate`, the whole model month by
  month, arrays [strategies, *variants, months];
* :mod:`~ftcost.engine.summary`: ``evaluate_summary``, the same totals,
  break-even and payback for 10^5-10^6 variants in closed form, with the
  payback search in :mod:`~ftcost.engine.payback` and the closed forms for
  plans over several models in :mod:`~ftcost.engine.plans`;
* :mod:`~ftcost.engine.envelope`: the cheapest strategy by volume (the lower
  envelope of the cost lines) and where the lines cross.

This package re-exports the names ``ftcost.engine`` had as one module
(``engine.evaluate``, ``engine.Inputs``, ``engine.cost_per_request``, ...).
The summary, the envelope and the plans are imported from their modules, so
that importing the engine stays cheap at start-up.
"""

from __future__ import annotations

from .feasible import by_strategy, cheapest_feasible, row_feasible_until, strategy_feasible_until
from .formulas import (
    _PAYBACK_RTOL,
    PER_MILLION,
    BoolArray,
    FloatArray,
    IntArray,
    Value,
    break_even_volume,
    cost_per_request,
    default_epochs,
    fixed_monthly,
    monthly_volumes,
    payback_month,
    replicas,
    training_month_mask,
    training_run_cost,
    training_runs,
)
from .inputs import MONTHLY_PARTS, Inputs, Outputs
from .monthly import evaluate

__all__ = [
    "_PAYBACK_RTOL",
    "MONTHLY_PARTS",
    "PER_MILLION",
    "BoolArray",
    "FloatArray",
    "Inputs",
    "IntArray",
    "Outputs",
    "Value",
    "break_even_volume",
    "by_strategy",
    "cheapest_feasible",
    "cost_per_request",
    "default_epochs",
    "evaluate",
    "fixed_monthly",
    "monthly_volumes",
    "payback_month",
    "replicas",
    "row_feasible_until",
    "strategy_feasible_until",
    "training_month_mask",
    "training_run_cost",
    "training_runs",
]
