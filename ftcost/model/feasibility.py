"""Whether a strategy's plan can be carried out, in plain words (issue 13, docs/migration.md).

The engine finds each strategy's last feasible month (``feasible_until``);
this module says why a plan stops, which plan to recommend, and writes the
lines the table, the JSON and the report show.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import i18n
from ..i18n import _
from .migration import Phase, Plan, provider_name, stop_reason


def _phase_at(plan: Plan, month: int) -> Phase | None:
    for ph in plan.phases:
        if ph.first_month <= month <= ph.last_month:
            return ph
    return None


def reason(scenario: Any, s: Any, feasible_until: int) -> str:
    """Why strategy ``s`` cannot run after month ``feasible_until`` ("" when it runs the whole horizon),
    in the current language of :mod:`ftcost.i18n` (the Result keeps the English words for the JSON)."""
    h = scenario.horizon_months
    plan: Plan | None = s.plan
    if feasible_until >= h or plan is None:
        return ""
    if plan.reason and feasible_until >= plan.feasible_last:
        return stop_reason(plan)
    month = feasible_until + 1
    ph = _phase_at(plan, month)
    if ph is None:
        return stop_reason(plan)
    m = ph.model
    who = _("Fine-tuning on {provider}").format(provider=provider_name(m.provider))
    if m.last_new_job_day is not None and scenario_month(scenario, m.last_new_job_day) == ph.jobs_until:
        limit = _("no new jobs after {date}").format(date=i18n.date(m.last_new_job_day))
    elif m.retires_on is not None:
        limit = _("{model} retires on {date}").format(model=m.id, date=i18n.date(m.retires_on))
    else:
        limit = _("no new jobs")
    if month == 1:
        what, fix = _("your month-1 training run cannot run"), _("switch provider or model")
    elif month == ph.first_month and ph is not plan.phases[0]:
        what, fix = _("the month-{m} training run on {model} (the migration) cannot run").format(m=month, model=m.ref), _("switch provider")
    else:
        what, fix = _("your month-{m} retrain cannot run").format(m=month), _("switch provider or stop retraining")
    return f"{who}: {limit}; {what}; {fix}"


def scenario_month(scenario: Any, day: _dt.date) -> int:
    y, mo = scenario.start
    month: int = (day.year * 12 + day.month - 1) - (y * 12 + mo - 1) + 1
    return month


def best_partial(total_by_month: np.ndarray, feasible_until: list[int]) -> int:
    """When no plan runs the whole horizon: the one that runs longest, cheapest up to the month it stops.

    ``total_by_month`` is [strategies, months] (each month's cost).

    >>> best_partial(np.array([[5.0, 5.0, 5.0], [1.0, 1.0, 1.0], [4.0, 4.0, 4.0]]), [2, 1, 2])
    2
    """
    longest = max(feasible_until)
    if longest <= 0:
        totals = np.asarray(total_by_month).sum(axis=-1)
        return int(np.argmin(totals))
    cum = np.asarray(total_by_month)[:, :longest].sum(axis=-1)
    candidates = [i for i, f in enumerate(feasible_until) if f == longest]
    return min(candidates, key=lambda i: cum[i])


def migration_words(s: Any) -> str:
    """'moves to openai/gpt-5-mini in 2027-02 (month 2)' for each migration, joined."""
    return _(", then ").join(
        _("moves to {model} in {month} (month {m})").format(model=mg.to_model, month=mg.calendar_month, m=mg.month) for mg in (s.migrations or [])
    )


def constraint_lines(result: Any) -> list[str]:
    """One plain line per strategy that cannot be carried out over the whole horizon, in the current language."""
    return [f"'{s.name}': {result.feasibility_text(i)}" for i, s in enumerate(result.strategies) if not s.feasible]


def plan_sentence(result: Any) -> str:
    """The last line of ``compare``: what stops which plan, and what the recommendation rests on ("" when every plan runs)."""
    lines = constraint_lines(result)
    if not lines:
        return ""
    head = _("Not recommended, whatever the cost: ") if result.recommendation.feasible else _("Why: ")
    return head + "; ".join(lines) + "."


def plan_warnings(scenario: Any, s: Any) -> list[str]:
    """The retirement warnings of a plan: where it migrates, or that it keeps a retired model's prices (same_price)."""
    plan = s.plan
    out: list[str] = []
    if plan is None:
        return out
    for mg in plan.migrations:
        fields = dict(name=s.name, model=mg["from"], month=i18n.month(scenario.month_first_day(mg["month"])), m=mg["month"], successor=mg["to"])
        if s.training is not None:
            text = _("{name}: {model} retires; from {month} (month {m}) this plan runs on its successor {successor} at its prices, with a new training run")
        else:
            text = _("{name}: {model} retires; from {month} (month {m}) this plan runs on its successor {successor} at its prices")
        out.append(text.format(**fields))
    return out


@dataclass(frozen=True)
class JobAvailability:
    """One provider's fine-tuning offer on the plan's first day: which fine-tunable models still take new jobs.

    Facts only (the report words them); from the bundled catalogs, the scenario's own catalogs winning.
    """

    provider: str
    day: _dt.date  # the first day of the plan's first month
    models: int  # fine-tunable models in the provider's catalog
    accepting: tuple[str, ...]  # ids of those that take new jobs on ``day``, in catalog order
    last_new_job_day: _dt.date | None  # the latest last day for new jobs among them (None: none published)
    retired: int  # fine-tunable models retired before ``day``

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "day": self.day.isoformat(),
            "models": self.models,
            "accepting": list(self.accepting),
            "last_new_job_day": self.last_new_job_day.isoformat() if self.last_new_job_day else None,
            "retired": self.retired,
        }


def job_availability(scenario: Any) -> list[JobAvailability]:
    """Per provider with fine-tunable models, sorted by name: who still accepts new fine-tuning jobs when the plan starts."""
    from ..catalogs import Catalogs

    day = scenario.month_first_day(1)
    try:
        catalogs = Catalogs.load()
    except Exception:  # a broken private catalog must not stop the report: use the scenario's own
        catalogs = scenario.catalogs
    for name, cat in scenario.catalogs.by_provider.items():  # the scenario's (possibly private) catalogs win
        catalogs.by_provider[name] = cat
    out = []
    for provider, cat in sorted(catalogs.by_provider.items()):
        tunable = [m for m in cat.models.values() if m.can_fine_tune()]
        if not tunable:
            continue
        ends = sorted({m.last_new_job_day for m in tunable if m.last_new_job_day})
        out.append(
            JobAvailability(
                provider=provider,
                day=day,
                models=len(tunable),
                accepting=tuple(m.id for m in tunable if m.accepts_jobs_on(day)),
                last_new_job_day=ends[-1] if ends else None,
                retired=sum(1 for m in tunable if m.retires_on and m.retires_on < day),
            )
        )
    return out
