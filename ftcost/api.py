"""The library API a notebook or script calls; the CLI is a thin layer over it."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable

from .model.load import load_scenario
from .model.scenario import Scenario
from .result import Result, build_result

__all__ = ["compare", "load_scenario", "simulate", "sweep", "sensitivity", "report_facts", "Result", "Scenario"]
REPORT_SAMPLES = 20_000  # the report's simulation: enough for percentiles to two digits; the full run is `ftcost simulate`


def simulate(scenario, *, n: int = 100_000, seed: int | None = None, **load):
    """Monte Carlo over the scenario's distributions (``ftcost simulate``); see :mod:`ftcost.analysis.simulation`."""
    from .analysis import simulation

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, **load)
    return simulation.simulate(sc, n=n) if seed is None else simulation.simulate(sc, n=n, seed=seed)


def sweep(scenario, vary, **kwargs):
    """A grid of results over ``vary`` (``ftcost sweep``); see :mod:`ftcost.analysis.sweep`."""
    from .analysis.sweep import sweep as run

    return run(scenario if isinstance(scenario, Scenario) else load_scenario(scenario), vary, **kwargs)


def sensitivity(scenario, **kwargs):
    """Each input moved down and up (``ftcost sensitivity``); see :mod:`ftcost.analysis.sensitivity`."""
    from .analysis.sensitivity import sensitivity as run

    return run(scenario if isinstance(scenario, Scenario) else load_scenario(scenario), **kwargs)


def compare(
    scenario: str | os.PathLike | dict | Scenario,
    *,
    volume: float | None = None,
    horizon: int | None = None,
    pricing_dirs: Iterable[str | os.PathLike] = (),
    today: _dt.date | None = None,
) -> Result:
    """Compare the strategies of a scenario.

    Parameters
    ----------
    scenario : path, dict or Scenario
        A scenario YAML file (docs/design.md, version 1), the same data as a dict,
        or a scenario already loaded with :func:`load_scenario`.
    volume : float, optional
        Requests per month in month 1, overriding the file.
    horizon : int, optional
        Months to total over, overriding the file.
    pricing_dirs : folders of private catalogs that override the bundled ones.
    today : date used for the default ``start`` month (default: today).

    Returns
    -------
    Result
        ``.to_dict()`` is the JSON of docs/design.md; ``.summary_frame()`` and
        ``.monthly_frame()`` are pandas DataFrames.

    Examples
    --------
    >>> r = compare({"ftcost": 1, "name": "demo", "start": "2026-12", "pricing": ["openai"],
    ...              "volume": {"requests_per_month": 1_000_000},
    ...              "strategies": [
    ...                {"name": "prompt", "type": "prompt", "model": "openai/gpt-4o-mini",
    ...                 "request": {"prompt_tokens": 1500, "completion_tokens": 5}},
    ...                {"name": "tuned", "type": "fine_tuned", "model": "openai/gpt-4o-mini",
    ...                 "request": {"prompt_tokens": 50, "completion_tokens": 5},
    ...                 "training": {"tokens": 500_000, "epochs": 3}}]})
    >>> r.strategies[1].total_cost < r.strategies[0].total_cost  # the fine-tune costs less...
    True
    >>> r.strategies[1].feasible_until  # ...but dies with gpt-4o-mini (2027-01-14); OpenAI takes no new jobs to move it
    2
    >>> r.cheapest.name  # so the plan that can be carried out is recommended (docs/migration.md)
    'prompt'
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, volume=volume, horizon=horizon, pricing_dirs=pricing_dirs, today=today)
    return build_result(scenario)


def report_facts(result: Result, *, samples: int = REPORT_SAMPLES) -> Result:
    """``result`` with what the PDF report shows beyond the comparison (renderers only format what they are given).

    ``simulation``: the Monte Carlo of the scenario's distributions with ``samples`` samples (None when it has
    none); ``availability``: per provider, which fine-tunable models still accept new jobs when the plan starts
    (from the bundled catalogs and the scenario's own).
    """
    import dataclasses

    from .model.feasibility import job_availability

    sc = result.scenario
    sim = None
    if getattr(sc, "distributions", None):
        from .analysis.simulation import simulate as run
        from .analysis.simulation import with_savings_bands

        sim = with_savings_bands(run(sc, n=samples))
    return dataclasses.replace(result, simulation=sim, availability=job_availability(sc))
