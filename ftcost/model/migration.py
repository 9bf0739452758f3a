"""Plans that can actually happen: what a strategy does when its model retires (issue 13).

A strategy's plan is a list of phases, one per model it runs on. The first
phase is the model the scenario names; when that model retires within the
horizon, ``on_retirement`` decides what follows (docs/migration.md):

* ``successor`` (the default when the catalog names one): from the month
  after ``retires_on``, the provider's recommended replacement, at its prices;
  a prompt is re-counted with the successor's encoding when it came from text;
  a fine-tuned strategy trains again on the successor in that month (through
  the successor's provider, which must still accept new jobs then) and pays
  the strategy's optional ``migration_cost``. Chains follow (A to B to C).
* ``stop`` (the default when no successor is known): the plan is infeasible
  after the retirement.
* ``same_price``: the old behaviour, the retired model's prices to the end.

Feasibility is a limit in months: the last month a plan can be carried out.
Limits known from the calendar alone live here (``Plan.feasible_last``);
training runs after a provider's last day for new jobs depend on the
retraining schedule, which a sweep or a simulation may vary, so the engine
finds those with masks (:func:`ftcost.engine.row_feasible_until`).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..catalogs import Catalogs, Model, Price
from ..errors import CatalogError, ScenarioError
from ..i18n import Message, did_you_mean

ON_RETIREMENT = ("successor", "stop", "same_price")
PROVIDER_NAMES = {
    "openai": "OpenAI",
    "azure-openai": "Azure OpenAI",
    "vertex-ai": "Vertex AI",
    "bedrock": "Bedrock",
    "together": "Together",
    "fireworks": "Fireworks",
    "mistral": "Mistral",
}
INF = math.inf
# Loads a model a loaded catalog does not hold (a successor in another provider's catalog), or None.
LoadMore = Callable[[str], Model | None]


def provider_name(provider: str) -> str:
    return PROVIDER_NAMES.get(provider, provider)


@dataclass
class Phase:
    """One model of a plan, active from ``first_month`` to ``last_month`` (1-based, inclusive)."""

    model: Model
    first_month: int
    last_month: int
    prices: dict[str, Price] | None = None  # None: the strategy's own (scenario overrides applied)
    prompt_tokens: float | None = None  # re-counted with this model's encoding; None: the strategy's
    prompt_source: str = ""
    migration_cost: float = 0.0  # paid in first_month (phases after the first)
    jobs_until: float = INF  # last month the provider takes new training jobs for this model


@dataclass
class Plan:
    on_retirement: str
    phases: list[Phase]
    feasible_last: float = INF  # last month the plan can run, from the calendar alone
    reason: str = ""  # why it cannot run further, in plain words, in English ("" when it can); see stop_reason
    migrations: list[dict[str, Any]] = field(default_factory=list)  # {"month", "calendar_month", "from", "to"}
    stop: tuple[str, dict[str, Any]] | None = None  # (kind, fields) of the reason, to say it in any language


def stop_reason(plan: Plan) -> str:
    """Why ``plan`` cannot run further, in the current language of :mod:`ftcost.i18n` ("" when it can)."""
    from ..i18n import _, date, month

    if plan.stop is None:
        return plan.reason
    kind, f = plan.stop
    day = date(f["day"]) if f.get("day") else "?"
    fields = dict(model=f["model"], day=day, successor=f.get("successor", ""), message=f.get("message", ""))
    if kind == "stop":
        text = _("{model} retires on {day} and this strategy stops then (on_retirement: stop)")
    elif kind == "no_successor":
        text = _(
            "{model} retires on {day} and no successor is known (none in the catalogs); pick another model, "
            "or cost it as if one existed at the same prices with on_retirement: same_price"
        )
    elif kind == "no_fine_tuning":
        text = _(
            "{model} retires on {day} and its fine-tuned models with it; its successor {successor} has no "
            "fine-tuning offer in the catalogs, so there is nothing to retrain on; switch provider or model"
        )
    else:
        text = _("{model} retires on {day}; its successor {successor}: {message}")
    return _("from {month} (month {m}): {reason}").format(month=month(f["first_day"]), m=f["gone"], reason=text.format(**fields))


class Calendar:
    """Months of a scenario: month m (1-based) is ``start + (m - 1)``."""

    def __init__(self, start: tuple[int, int], horizon: int):
        self.start = start
        self.horizon = horizon

    def containing(self, day: _dt.date) -> int:
        """The month number that contains ``day`` (may be < 1 or > horizon)."""
        return (day.year * 12 + day.month - 1) - (self.start[0] * 12 + self.start[1] - 1) + 1

    def label(self, m: int) -> str:
        idx = self.start[0] * 12 + self.start[1] - 1 + m - 1
        return f"{idx // 12:04d}-{idx % 12 + 1:02d}"

    def first_day(self, m: int) -> _dt.date:
        idx = self.start[0] * 12 + self.start[1] - 1 + m - 1
        return _dt.date(idx // 12, idx % 12 + 1, 1)


def jobs_until_month(model: Model, cal: Calendar, *, same_price: bool = False) -> float:
    """Last month whose first day the provider still takes new training jobs for ``model`` (INF: no end known).

    A month counts when it starts on or before the last day (a run on the 1st is in time).
    Retirement ends jobs too, unless the plan keeps the retired model's prices by name (same_price).
    """
    last = INF
    if model.last_new_job_day is not None:
        last = min(last, cal.containing(model.last_new_job_day))
    if model.retires_on is not None and not same_price:
        last = min(last, cal.containing(model.retires_on))
    return last


def _retire_month(model: Model, cal: Calendar) -> float:
    """First month the model no longer serves (the month after ``retires_on``); INF if it does not retire."""
    if model.retires_on is None:
        return INF
    return max(1, cal.containing(model.retires_on) + 1)


def read_options(chk: Any, m: dict[str, Any], path: tuple[str | int, ...], model: Model) -> tuple[str, float, bool]:
    """``on_retirement`` (default: successor where one is known, else stop), ``migration_cost`` (>= 0), and whether
    on_retirement was given."""
    raw = m.get("on_retirement")
    if raw is None:
        mode = "successor" if model.successor else "stop"
    elif not isinstance(raw, str) or raw not in ON_RETIREMENT:
        raise chk.fail(
            path + ("on_retirement",),
            Message("unknown on_retirement {value!r}", value=raw),
            did_you_mean(str(raw), ON_RETIREMENT) or Message("one of: {choices}", choices=", ".join(ON_RETIREMENT)),
        )
    else:
        mode = raw
    cost = chk.field(m, "migration_cost", path, default=0.0)
    return mode, float(cost), raw is not None


def _where(model: Model, message: str, hint: str | None) -> CatalogError:
    at = model.successor_at or (model.catalog_file, None, None, ("models", model.id, "successor"))
    return CatalogError(message, file=at[0] or None, line=at[1], column=at[2], path=at[3], hint=hint)


def successor_of(model: Model, catalogs: Catalogs, load_more: LoadMore | None = None) -> Model | None:
    """The model ``model.successor`` names, from the loaded catalogs (or ``load_more``); a located error if none."""
    if not model.successor:
        return None
    try:
        return catalogs.resolve(model.successor)
    except CatalogError as exc:
        found = load_more(model.successor) if load_more is not None else None
        if found is not None:
            return found
        raise _where(
            model,
            f"successor '{model.successor}' of {model.ref} is not a model in any loaded catalog",
            exc.hint or "name a model id from a catalog as provider/id",
        ) from None


def check_chain(model: Model, catalogs: Catalogs, load_more: LoadMore | None = None) -> list[Model]:
    """The chain model, successor, successor's successor...; located errors for an unknown successor or a cycle."""
    chain = [model]
    seen = {model.ref}
    cur = model
    while cur.successor:
        nxt = successor_of(cur, catalogs, load_more)
        assert nxt is not None
        if nxt.ref in seen:
            loop = " -> ".join([m.ref for m in chain[[m.ref for m in chain].index(nxt.ref) :]] + [nxt.ref])
            raise _where(cur, f"successor cycle: {loop}", "a successor must be a newer model; break the loop in one of these catalogs")
        chain.append(nxt)
        seen.add(nxt.ref)
        cur = nxt
    return chain


def build_plan(
    strategy: Any,
    mode: str,
    migration_cost: float,
    cal: Calendar,
    catalogs: Catalogs,
    convert: Callable[[Model], Model],
    prices_for: Callable[[Model], dict[str, Price]],
    recount: Callable[[Model], tuple[float, str]] | None,
    load_more: LoadMore | None = None,
) -> Plan:
    """The phases of ``strategy`` over the calendar (see the module docstring).

    ``convert`` brings a successor's money into the scenario currency;
    ``prices_for`` gives the rates the strategy would pay on a successor (a
    ScenarioError when one it needs is not published); ``recount`` re-counts
    the prompt with a successor's encoding (None: the count was a number).
    """
    h = cal.horizon
    model = strategy.model
    fine_tuned = strategy.type == "fine_tuned"
    trains = strategy.training is not None and strategy.type != "self_hosted"
    if strategy.type == "self_hosted" or model.provider == "self-hosted":
        return Plan(mode, [Phase(model, 1, h)])
    same = mode == "same_price"
    if model.successor and not same:
        check_chain(model, catalogs, load_more)  # unknown successors and cycles are errors even past the horizon

    def jobs(m: Model) -> float:
        return jobs_until_month(m, cal, same_price=same) if trains else INF

    phases: list[Phase] = []
    plan = Plan(mode, phases)
    cur, first, prices, tokens, source, cost = model, 1, None, None, "", 0.0
    while True:
        after = _retire_month(cur, cal)
        if same or after > h:
            phases.append(Phase(cur, first, h, prices, tokens, source, cost, jobs(cur)))
            return plan
        gone = max(int(after), first)  # a successor already retired when the plan reaches it ends there, not earlier
        if gone - 1 >= first:
            phases.append(Phase(cur, first, gone - 1, prices, tokens, source, cost, jobs(cur)))
        stopped: tuple[str, dict[str, Any]] | None = None
        said = dict(model=cur.ref, day=cur.retires_on)
        nxt = successor_of(cur, catalogs, load_more) if mode == "successor" else None
        if mode == "stop" and getattr(strategy, "on_retirement_given", True):
            stopped = ("stop", said)
        elif nxt is None:
            stopped = ("no_successor", said)
        else:
            nxt = convert(nxt)
            if fine_tuned and nxt.fine_tuning is None:
                stopped = ("no_fine_tuning", said | {"successor": nxt.ref})
            else:
                try:
                    new_prices = prices_for(nxt)
                except ScenarioError as exc:
                    stopped = ("successor_error", said | {"successor": nxt.ref, "message": exc.message})
        if stopped is not None:
            if phases:
                phases[-1].last_month = h  # costed as if it went on (same prices), marked infeasible
            else:
                phases.append(Phase(cur, 1, h, prices, tokens, source, cost, jobs(cur)))
            plan.feasible_last = gone - 1
            plan.stop = (stopped[0], stopped[1] | {"gone": gone, "first_day": cal.first_day(gone)})
            from ..i18n import DEFAULT, use

            with use(DEFAULT):  # the JSON's words
                plan.reason = stop_reason(plan)
            return plan
        assert nxt is not None
        plan.migrations.append({"month": gone, "calendar_month": cal.label(gone), "from": cur.ref, "to": nxt.ref})
        if recount is not None:
            tokens, source = recount(nxt)
        cur, first, prices, cost = nxt, gone, new_prices, migration_cost
