"""The result of a comparison: plain data, the JSON of docs/design.md, and DataFrames.

pandas is imported only by the ``*_frame`` methods, so building and printing
a result never pays for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import i18n
from .engine import MONTHLY_PARTS, Inputs, Outputs, evaluate
from .engine.envelope import CostLines, Crossing, VolumeRange, break_even_from_crossings, cheapest_by_volume, crossings
from .i18n import N_, _, ngettext
from .model import feasibility
from .model.scenario import Scenario, Strategy
from .result_parts import SCHEDULE_PARTS, SUMMARY_KEYS, Migration, PlanPhase, PriceUsed, Recommendation, StrategyResult, _quality_free

__all__ = [
    "SCHEDULE_PARTS",
    "SUMMARY_KEYS",
    "Crossing",
    "Migration",
    "PlanPhase",
    "PriceUsed",
    "Recommendation",
    "Result",
    "StrategyResult",
    "VolumeRange",
    "build_result",
]


@dataclass
class Result:
    scenario: Scenario
    outputs: Outputs
    strategies: list[StrategyResult]
    lines: CostLines
    cheapest_by_volume: list[VolumeRange]
    without_quality: Result | None = None
    price_warnings: list[str] = field(default_factory=list)
    # What the PDF report shows beyond the comparison, computed by its caller (ftcost.api.report_facts), never by a
    # renderer: the Monte Carlo of the scenario's distributions (None: it has none) and who still accepts new
    # fine-tuning jobs when the plan starts (None: not computed). Not part of the JSON.
    simulation: Any = None
    availability: list[feasibility.JobAvailability] | None = None
    # The engine inputs the outputs were computed from (ftcost.derive.engine_inputs): the workbook writes them.
    inputs: Inputs | None = None

    def cost_at_volumes(self, volumes) -> np.ndarray:
        """Average monthly cost of every strategy at constant monthly volumes: [strategies, len(volumes)].

        The cost lines behind break-even and ``cheapest_by_volume`` (staircases for self-hosted).
        """
        return self.lines.cost(np.asarray(volumes, dtype=float))

    @property
    def baseline(self) -> StrategyResult:
        return self.strategies[self.scenario.baseline]

    @property
    def cheapest(self) -> StrategyResult:
        """The cheapest strategy feasible over the whole horizon; when none is, the best plan up to the month it stops."""
        i = int(self.outputs.cheapest)
        if i < 0:
            from .model.feasibility import best_partial

            i = best_partial(np.asarray(self.outputs.monthly), [s.feasible_until or 0 for s in self.strategies])
        return self.strategies[i]

    @property
    def recommendation(self) -> Recommendation:
        """What ftcost recommends and whether it can be carried out over the whole horizon."""
        best = self.cheapest
        h = self.scenario.horizon_months
        until = best.feasible_until or 0
        i = self.strategies.index(best)
        return Recommendation(
            strategy=best.name,
            feasible=best.feasible,
            until_month=until,
            cost_until=float(np.sum(np.asarray(self.outputs.monthly)[i, :until])),
            until=self.scenario.month_label(until) if until else None,
            reason="" if best.feasible else best.feasibility,
            feasible_strategies=tuple(s.name for s in self.strategies if s.feasible),
            horizon_months=h,
        )

    @property
    def warnings(self) -> list[str]:
        """Every warning once; a warning shared by several strategies names them all.

        Per-strategy warnings start with the strategy's name ("name: text"); the
        same text for several strategies (one model retiring) becomes one line.
        """
        return group_warnings([(s.name, s.warnings) for s in self.strategies]) + self.price_warnings

    def warnings_in_language(self) -> list[str]:
        """:attr:`warnings` in the current language of :mod:`ftcost.i18n` (the JSON keeps them in English)."""
        if i18n.get_language() == i18n.DEFAULT:
            return self.warnings
        sc = self.scenario
        per_strategy = [
            (s.name, availability_warnings(sc, st, s.training_months) + [i18n.localized(n) for n in st.notes]) for s, st in zip(self.strategies, sc.strategies)
        ]
        return group_warnings(per_strategy) + _stale(sc)

    def feasibility_text(self, i: int) -> str:
        """Why strategy i cannot run the whole horizon, in the current language ("" when it can; the JSON's
        ``feasibility`` keeps the English words)."""
        s = self.strategies[i]
        if i18n.get_language() == i18n.DEFAULT or s.feasible:
            return s.feasibility
        return feasibility.reason(self.scenario, self.scenario.strategies[i], s.feasible_until or 0)

    def to_html(self, path, *, lang: str | None = None):
        """Write the interactive what-if page (the same file as ``ftcost report -o FILE.html``), atomically.

        ``lang``: 'en' or 'es' (default: the environment's language). Returns the path written.
        """
        from .html_page import write

        sc = self.scenario
        inputs = {str(sc.file)} if getattr(sc, "file", None) else set()
        inputs |= {str(p.file) for s in sc.strategies for p in s.prices.values() if getattr(p, "file", None)}
        return write(self, path, inputs=sorted(inputs), lang=lang)

    def _repr_html_(self) -> str:
        """Jupyter: the summary table and the interactive page (charts and controls) in a frame."""
        from .html_page import notebook

        return notebook(self)

    def plan_sentence(self) -> str:
        """Which plans cannot be carried out and why, in plain words ("" when every plan runs the horizon)."""
        return feasibility.plan_sentence(self)

    def savings(self) -> float:
        """How much the cheapest strategy saves against the baseline over the horizon."""
        return self.baseline.total_cost - self.cheapest.total_cost

    def to_dict(self) -> dict:
        """The JSON object of docs/design.md (plus documented extra fields)."""
        sc = self.scenario
        return {
            "scenario": sc.name,
            "currency": sc.currency,
            "horizon_months": sc.horizon_months,
            "start": sc.month_label(1),
            "volume_requests_per_month": sc.requests_per_month,
            "growth_per_month": sc.growth_per_month,
            "baseline": sc.baseline_name,
            "cheapest": self.cheapest.name,
            "recommendation": self.recommendation.to_dict(),
            "savings": self.savings(),
            "cheapest_by_volume": [r.to_dict() for r in self.cheapest_by_volume],
            "price_warnings": self.price_warnings,
            "strategies": [s.to_dict() for s in self.strategies],
        } | ({"without_quality": _quality_free(self.without_quality)} if self.without_quality is not None else {})

    def schedule(self) -> dict[str, np.ndarray]:
        """The engine's monthly breakdown per strategy, arrays shaped [strategies, months].

        ``requests``; the cost parts :data:`SCHEDULE_PARTS` (they add up to
        ``total_cost``, the JSON ``monthly``): ``variable_cost`` (tokens at
        that month's prices plus any expected error cost), ``fixed_cost``
        (hosting, storage, other monthly costs), ``gpu_cost`` (self-hosted
        replicas), ``training_cost``, ``one_time_cost`` and
        ``data_generation_cost`` (month 1); then ``total_cost``,
        ``cumulative_cost`` and ``replicas``. Read from the engine, never
        recomputed.
        """
        o = self.outputs
        n = len(self.strategies)
        h = self.scenario.horizon_months

        def grid(a) -> np.ndarray:
            return np.array(np.broadcast_to(np.asarray(a, dtype=float), (n, h)))

        out = {"requests": grid(o.volumes)}
        for part, key in zip(MONTHLY_PARTS, SCHEDULE_PARTS):
            out[key] = grid(getattr(o, "monthly_" + part))
        total = grid(o.monthly)
        out["total_cost"] = total
        out["cumulative_cost"] = np.cumsum(total, axis=1)
        out["replicas"] = grid(o.replicas)
        return out

    def monthly_frame(self):
        """One row per strategy and month: month, calendar month, requests, the cost parts, total, cumulative.

        The cost columns (:data:`SCHEDULE_PARTS`) add up to ``total_cost``; ``total_cost`` summed over a
        strategy's months is its ``total_cost`` in the summary.
        """
        import pandas as pd

        sc = self.scenario
        h = sc.horizon_months
        months = np.arange(1, h + 1)
        sch = self.schedule()
        rows = []
        for i, s in enumerate(self.strategies):
            cols = {"strategy": s.name, "month": months, "calendar_month": [sc.month_label(int(m)) for m in months], "requests": sch["requests"][i]}
            cols.update({k: sch[k][i] for k in (*SCHEDULE_PARTS, "total_cost", "cumulative_cost", "replicas")})
            rows.append(pd.DataFrame(cols))
        return pd.concat(rows, ignore_index=True)

    def summary_frame(self):
        """One row per strategy (indexed by name) with the headline numbers, as in the JSON."""
        import pandas as pd

        return pd.DataFrame([{k: getattr(s, k) for k in SUMMARY_KEYS} for s in self.strategies]).set_index("name")


def build_result(scenario: Scenario, *, with_quality_free: bool = True) -> Result:
    """Run the engine on ``scenario`` and collect the Result (warnings in English: they go into the JSON)."""
    with i18n.use(i18n.DEFAULT):
        return _build_result(scenario, with_quality_free=with_quality_free)


def _build_result(scenario: Scenario, *, with_quality_free: bool = True) -> Result:
    from .limits import check_finite

    inputs = scenario.inputs()
    out = evaluate(inputs)
    check_finite(out.monthly, N_("a monthly cost"), file=scenario.file)
    lines = CostLines.from_outputs(out, inputs)
    names = [s.name for s in scenario.strategies]
    hint = 10 * max(scenario.requests_per_month, 1.0)
    results = []
    b = scenario.baseline
    for i, s in enumerate(scenario.strategies):
        is_base = i == b
        be = float(out.break_even[i])
        above = bool(out.cheaper_above[i])
        cross: list[Crossing] = []
        if not is_base:
            cross = crossings(lines, i, b, vmax_hint=hint)
            if s.serving is not None or scenario.strategies[b].serving is not None:
                # A staircase: the engine leaves break-even to the exact piecewise search.
                v, above = break_even_from_crossings(cross)
                be = float("nan") if v is None else v
        pay = int(out.payback_month[i])
        tmonths = [int(m) + 1 for m in np.flatnonzero(out.training_months[i])]
        feasible_until = int(out.feasible_until[i])
        results.append(
            StrategyResult(
                name=s.name,
                type=s.type,
                model=s.model.ref,
                cost_per_request=float(out.cost_per_request[i]),
                fixed_monthly=float(out.fixed_monthly[i]),
                training_cost=float(out.training_cost[i]),
                training_cost_per_run=float(out.training_run_cost[i]),
                training_runs=int(out.training_runs[i]),
                epochs=int(out.epochs[i]) if s.training and not s.training.hour_billed else None,  # hour-billed: no epochs
                one_time_cost=float(out.one_time_cost[i]),
                average_fixed_monthly=float(out.average_fixed_monthly[i]),
                monthly_cost=float(out.monthly_cost[i]),
                total_cost=float(out.total_cost[i]),
                monthly=[float(v) for v in out.monthly[i]],
                training_months=tmonths,
                break_even_requests_per_month=None if is_base or math.isnan(be) else be,
                # No break-even (never cheaper): no side to name either.
                cheaper_above_break_even=None if is_base or math.isnan(be) else above,
                payback_month=None if is_base or pay == 0 else pay,
                warnings=availability_warnings(scenario, s, tmonths) + list(s.notes),
                feasible_until=feasible_until or None,
                feasible=feasible_until >= scenario.horizon_months,
                feasibility=feasibility.reason(scenario, s, feasible_until),
                on_retirement=s.on_retirement,
                **_plan_fields(s, i, inputs, out),
                token_sources=dict(s.token_sources, **({"training_tokens": s.training.token_source} if s.training else {})),
                prices={k: PriceUsed.of(p) for k, p in sorted(s.prices.items())},
                break_even_crossings=cross,
                data_generation_cost=float(out.data_generation_cost[i]),
                quality_cost_per_request=float(out.quality_cost[i]),
                replicas=float(out.replicas_month1[i]) if s.serving is not None else None,
                price_change_per_month=s.price_change_per_month,
                average_monthly_cost=float(out.total_cost[i]) / scenario.horizon_months,
            )
        )
        if s.training and s.training.data_generation_note:
            results[-1].token_sources["data_generation"] = s.training.data_generation_note
        if s.serving is not None:
            results[-1].prices["gpu_per_hour"] = PriceUsed(s.serving.gpu_per_hour, s.serving.gpu_source)
    quality_free = None
    if with_quality_free and scenario.has_quality:
        quality_free = build_result(scenario.without_quality(), with_quality_free=False)
    ok = [i for i, r in enumerate(results) if r.feasible]
    by_volume = cheapest_by_volume(lines.subset(ok), [names[i] for i in ok], vmax_hint=hint) if ok else []
    return Result(scenario, out, results, lines, by_volume, quality_free, price_warnings=_stale(scenario), inputs=inputs)


def _plan_fields(s: Strategy, i: int, inputs, out) -> dict:
    """The migrations (with the cost of their training runs) and phases of strategy i's plan."""
    if s.plan is None:
        return {}
    rows = [i] + [r for r, o in enumerate(inputs.owner or ()) if o == i and r != i]
    phases, migrations = [], []
    for k, (r, ph) in enumerate(zip(rows, s.plan.phases)):
        phases.append(PlanPhase(ph.model.ref, ph.first_month, ph.last_month, float(out.row_cost_per_request[r]), ph.prompt_tokens, ph.prompt_source or None))
        if k > 0:
            mg = s.plan.migrations[k - 1]
            training = float(out.row_training_run_cost[r]) * (1 + s.price_change_per_month) ** (ph.first_month - 1) if s.training else 0.0
            migrations.append(Migration(mg["month"], mg["calendar_month"], mg["from"], mg["to"], training, ph.migration_cost))
    return {"phases": phases, "migrations": migrations}


def group_warnings(per_strategy: list[tuple[str, list[str]]]) -> list[str]:
    """Every warning once; the same text for several strategies names them all ("'a', 'b': text")."""
    by_text: dict[str, list[str]] = {}
    for name, warnings in per_strategy:
        prefix = f"{name}: "
        for w in warnings:
            text = w[len(prefix) :] if w.startswith(prefix) else w
            by_text.setdefault(text, []).append(name)
    return [", ".join(f"'{n}'" for n in names) + ": " + text for text, names in by_text.items()]


def _stale(scenario: Scenario) -> list[str]:
    """One line when a catalog price the scenario uses was read more than 180 days ago."""
    from .catalogs import stale_prices, stale_warning

    used = {id(p): p for s in scenario.strategies for p in s.prices.values() if p.file}
    line = stale_warning(list(used.values()), scenario.today)
    if not line:
        return []
    stale = {id(p) for p in stale_prices(list(used.values()), scenario.today)}
    names = [s.name for s in scenario.strategies if any(id(p) in stale for p in s.prices.values())]
    return [line + _("; used by {names}").format(names=", ".join(f"'{n}'" for n in names))]


def availability_warnings(scenario: Scenario, s: Strategy, training_months: list[int]) -> list[str]:
    """Warnings for training runs after ``last_new_job_day``, months after ``retires_on``, and catalog notices.

    A month counts as "after" a date when the month starts after that date.
    """
    warnings: list[str] = []
    label = lambda k: i18n.month(scenario.month_first_day(k))  # noqa: E731
    m = s.model
    notice = m.ft_notice if s.type != "prompt" else None
    if s.type != "prompt" and m.last_new_job_day is not None:
        own = s.plan.phases[0].last_month if s.plan is not None and s.plan.phases[0].model is m else scenario.horizon_months
        late = [t for t in training_months if t <= own and scenario.month_first_day(t) > m.last_new_job_day]
        if late:
            labels = ", ".join(label(t) for t in late)
            text = _(
                "{name}: training run(s) in {months} fall after {date}, the last day {provider} accepts new "
                "fine-tuning jobs for {model}; these runs cannot happen as planned"
            ).format(name=s.name, months=labels, date=i18n.date(m.last_new_job_day), provider=m.provider, model=m.id)
            if notice:
                text += f" ({notice})"
                notice = None
            warnings.append(text)
    if m.retires_on is not None and (s.plan is None or s.plan.on_retirement == "same_price"):
        gone = [k for k in range(1, scenario.horizon_months + 1) if scenario.month_first_day(k) > m.retires_on]
        if gone:
            first, last = label(gone[0]), label(gone[-1])
            span = first if first == last else _("{first} to {last}").format(first=first, last=last)
            months = ngettext("{n} month", "{n} months", len(gone)).format(n=len(gone))
            if s.type != "prompt":
                text = _(
                    "{name}: {model} retires on {date} and its fine-tuned models stop serving requests; "
                    "{span} ({months}) are costed at its prices, as if a successor model cost the same"
                )
            else:
                text = _(
                    "{name}: {model} retires on {date} and it stops serving requests; "
                    "{span} ({months}) are costed at its prices, as if a successor model cost the same"
                )
            warnings.append(text.format(name=s.name, model=m.ref, date=i18n.date(m.retires_on), span=span, months=months))
    warnings += feasibility.plan_warnings(scenario, s)
    if notice:
        warnings.append(f"{s.name}: {m.ref}: {notice}")
    if m.notice and m.notice != notice:
        warnings.append(f"{s.name}: {m.ref}: {m.notice}")
    return warnings
