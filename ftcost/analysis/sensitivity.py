"""``ftcost sensitivity``: which inputs decide the answer.

Every input of the comparison that is in use and not zero (volume, growth,
and the token counts, prices, hosting, training, quality and serving of the
baseline and of the strategy measured) is moved down and up by the swing
(20% by default), one at a time,
the others held at their values (a distribution's median). For each move the
savings of one strategy against the baseline over the horizon and its
break-even volume are recomputed; the inputs are sorted by how much they move
the savings. All the moves go through the engine in one call: input k's down
and up moves are variants 2k+1 and 2k+2 of a variant axis (variant 0 is the
scenario as written).

Moves are cut to the field's valid range (a share stays <= 1); whole-number
fields (retrain interval, epochs, examples, minimum replicas) move to the
nearest different whole number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import FtcostError
from ..i18n import N_, Message, did_you_mean
from ..model import paths
from ..model.derive import engine_inputs

DEFAULT_SWING = 0.2


@dataclass
class Move:
    """One input moved down and up."""

    target: paths.Target
    description: str
    value: float
    low: float
    high: float
    savings_low: float
    savings_high: float
    break_even_low: float | None
    break_even_high: float | None

    @property
    def path(self) -> str:
        return self.target.dotted

    def savings_change(self, base: float) -> tuple[float, float]:
        return self.savings_low - base, self.savings_high - base

    def break_even_change(self, base: float | None) -> tuple[float | None, float | None]:
        if base is None:
            return None, None
        low, high = self.break_even_low, self.break_even_high
        return (None if low is None else low - base), (None if high is None else high - base)


@dataclass
class Sensitivity:
    scenario: Any
    swing: float
    strategy: int  # the strategy whose savings against the baseline are measured
    base_savings: float
    base_break_even: float | None
    moves: list[Move] = field(default_factory=list)  # sorted: largest effect on savings first
    no_effect: list[str] = field(default_factory=list)  # inputs whose moves changed neither number
    no_effect_descriptions: dict[str, str] = field(default_factory=dict)  # their human labels, for the renderers

    @property
    def strategy_name(self) -> str:
        return self.scenario.strategies[self.strategy].name

    def to_dict(self) -> dict:
        sc = self.scenario
        out = []
        for m in self.moves:
            dl, dh = m.savings_change(self.base_savings)
            bl, bh = m.break_even_change(self.base_break_even)
            out.append(
                {
                    "path": m.path,
                    "description": m.description,
                    "value": m.value,
                    "low": m.low,
                    "high": m.high,
                    "savings_low": m.savings_low,
                    "savings_high": m.savings_high,
                    "savings_change_low": dl,
                    "savings_change_high": dh,
                    "break_even_low": m.break_even_low,
                    "break_even_high": m.break_even_high,
                    "break_even_change_low": bl,
                    "break_even_change_high": bh,
                }
            )
        return {
            "scenario": sc.name,
            "currency": sc.currency,
            "horizon_months": sc.horizon_months,
            "baseline": sc.baseline_name,
            "strategy": self.strategy_name,
            "swing": self.swing,
            "savings": self.base_savings,
            "break_even_requests_per_month": self.base_break_even,
            "inputs": out,
            "no_effect": self.no_effect,
        }


def pick_strategy(scenario, totals, name: str | None) -> int:
    """The strategy to measure: ``name``, else the cheapest one that is not the baseline."""
    names = [s.name for s in scenario.strategies]
    b = scenario.baseline
    if name is not None:
        if name not in names:
            hint = did_you_mean(name, names) or Message("strategies: {names}", names=", ".join(names))
            raise FtcostError(Message("--strategy: no strategy is named '{name}'", name=name), hint=hint)
        if names.index(name) == b:
            raise FtcostError(
                Message("--strategy: '{name}' is the baseline; pick a strategy to compare with it", name=name),
                hint=Message("or set another baseline in the scenario"),
            )
        return names.index(name)
    others = [i for i in range(len(names)) if i != b]
    if not others:
        raise FtcostError(Message("sensitivity needs at least two strategies (a baseline and one to compare with it)"))
    return min(others, key=lambda i: totals[i])


def moves_for(target: paths.Target, value: float, swing: float, horizon: int | None = None) -> tuple[float, float]:
    """The down and up values of an input: value x (1 -/+ swing), cut to the field's range.

    >>> from ftcost.model.paths import Target, STRATEGY_FIELDS
    >>> moves_for(Target(("strategies", 1, "training", "retrain_every_months"),
    ...                  STRATEGY_FIELDS[("training", "retrain_every_months")], 1), 6, 0.2)
    (5.0, 7.0)
    """
    low, high = value * (1 - swing), value * (1 + swing)
    if value < 0:
        low, high = high, low
    low, high = (float(v) for v in target.clip([low, high], horizon))
    if target.field.integer:
        # move to the nearest different whole number when rounding lands back on the value
        if low == value:
            low = float(target.clip([value - 1], horizon)[0])
        if high == value:
            high = float(target.clip([value + 1], horizon)[0])
    return low, high


def sensitivity(scenario, swing: float = DEFAULT_SWING, strategy: str | None = None, block_size: int | None = None) -> Sensitivity:
    """Move every input down and up by ``swing`` and measure savings and break-even volume.

    Parameters
    ----------
    scenario : Scenario
    swing : float
        Relative move, 0 < swing < 1 (0.2: -20% and +20%).
    strategy : str, optional
        The strategy whose savings against the baseline are measured (default:
        the cheapest strategy that is not the baseline).
    """
    from ..engine.summary import evaluate_summary

    if isinstance(swing, bool) or not isinstance(swing, (int, float)) or not 0 < swing < 1 or math.isnan(swing):
        raise FtcostError(Message("--swing must be a fraction between 0 and 1 (0.2 = -20% and +20%), got {value}", value=swing))
    base = evaluate_summary(scenario.inputs())
    totals = [float(np.ravel(t)[0]) for t in np.asarray(base.total_cost)]
    k = pick_strategy(scenario, totals, strategy)
    b = scenario.baseline
    # The inputs of the two strategies compared, and the scenario's own (volume, growth).
    targets = [t for t in paths.variable_targets(scenario) if t.strategy in (None, b, k)]
    n = 1 + 2 * len(targets)
    values = {}
    lows_highs = []
    for j, t in enumerate(targets):
        v = float(t.value(scenario))
        lo, hi = moves_for(t, v, swing, scenario.horizon_months)
        arr = np.full(n, v)
        arr[1 + 2 * j], arr[2 + 2 * j] = lo, hi
        values[t.path] = arr
        lows_highs.append((v, lo, hi))
    x = engine_inputs(scenario, values, (n,))
    sm = evaluate_summary(x, block_size)
    from ..limits import check_finite

    check_finite(sm.total_cost, N_("the total cost of a move"), file=scenario.file)
    total = np.asarray(sm.total_cost)
    sav = total[b] - total[k]
    be = np.asarray(sm.break_even)[k]

    def be_at(i):
        return None if math.isnan(be[i]) else float(be[i])

    result = Sensitivity(scenario, float(swing), k, float(sav[0]), be_at(0))
    for j, (t, (v, lo, hi)) in enumerate(zip(targets, lows_highs)):
        m = Move(t, t.describe(scenario), v, lo, hi, float(sav[1 + 2 * j]), float(sav[2 + 2 * j]), be_at(1 + 2 * j), be_at(2 + 2 * j))
        same_savings = m.savings_low == result.base_savings and m.savings_high == result.base_savings
        same_be = m.break_even_low == result.base_break_even and m.break_even_high == result.base_break_even
        if same_savings and same_be:
            result.no_effect.append(m.path)
            result.no_effect_descriptions[m.path] = m.description
        else:
            result.moves.append(m)

    def effect(m: Move):
        ds = max(abs(d) for d in m.savings_change(result.base_savings))
        dbe = [abs(d) for d in m.break_even_change(result.base_break_even) if d is not None]
        return (ds, max(dbe) if dbe else 0.0)

    result.moves.sort(key=effect, reverse=True)
    return result
