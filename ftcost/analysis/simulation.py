"""``ftcost simulate``: Monte Carlo over a scenario's distributions (:mod:`ftcost.model.distributions`).

Each field draws from its own random stream (:func:`stream`), seeded by the
run's seed and the field's key path, so the same seed gives the same numbers,
and adding a distribution to one field leaves the samples of the others
unchanged. Fields are independent (no correlations).

:func:`simulate` puts the samples on a variant axis of the engine inputs
and runs :func:`ftcost.engine.summary.evaluate_summary` once: no Python loop
over samples.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ..errors import FtcostError
from ..i18n import N_, Message

DEFAULT_SAMPLES = 100_000
DEFAULT_SEED = 20270101
MAX_SAMPLES = 2_000_000  # memory: a few arrays of [strategies, samples]
SIM_OUTPUTS = ("total_cost", "break_even", "cheaper_above", "payback_month", "cheapest", "feasible_until")
PERCENTILES = (5, 50, 95)


def stream(seed: int, path: tuple) -> np.random.Generator:
    """The random stream of one field: seeded by the run's seed and the field's key path."""
    key = zlib.crc32(".".join(str(p) for p in path).encode("utf-8"))
    return np.random.default_rng([int(seed) & 0xFFFFFFFFFFFFFFFF, key])


# --------------------------------------------------------------------------
# Simulation


@dataclass
class StrategyStats:
    name: str
    type: str
    p_cheapest: float
    total: dict  # p5, p50, p95, mean
    deterministic_total: float
    savings: dict | None = None  # baseline total - this total: p5, p50, p95, mean, p_positive
    break_even: dict | None = None  # p5, p50, p95 (None = never), never_share; None when not linear (self-hosted)
    payback: dict | None = None  # p5, p50, p95 (None = never), never_share
    p_feasible: float = 1.0  # share of samples in which the plan can be carried out over the whole horizon


@dataclass
class Simulation:
    """The result of :func:`simulate`: samples, the engine's summary per sample and statistics."""

    scenario: Any
    n: int
    seed: int
    distributions: dict  # key path -> Distribution
    samples: dict  # key path -> array [n]
    inputs: Any  # engine Inputs with the samples on axis 1
    summary: Any  # engine.summary.Summary, arrays [strategies, n]
    strategies: list[StrategyStats] = field(default_factory=list)
    # (months [H], percentiles 5/25/50/75/95 of the focus strategy's cumulative savings [5, H]) for the fan
    # chart, set by :func:`with_savings_bands` (the month-by-month engine, so only for the pages that draw it)
    savings_bands: tuple[Any, Any] | None = None

    @property
    def baseline(self) -> int:
        return self.scenario.baseline

    def savings(self, s: int) -> np.ndarray:
        """Savings of strategy s against the baseline in every sample (positive: s is cheaper)."""
        t = self.summary.total_cost
        return t[self.baseline] - t[s]

    @property
    def focus(self) -> int:
        """The challenger the charts show: most often cheapest among the non-baseline strategies, then best median saving."""
        others = [i for i in range(len(self.strategies)) if i != self.baseline]
        if not others:
            return self.baseline

        def rank(i: int) -> tuple[float, float]:
            st = self.strategies[i]
            assert st.savings is not None  # every strategy but the baseline has its savings
            return st.p_cheapest, st.savings["p50"]

        return max(others, key=rank)

    def cumulative_savings_bands(self, s: int | None = None, percentiles=(5, 25, 50, 75, 95), max_samples: int = 20_000):
        """Percentiles of the cumulative savings of strategy s against the baseline, month by month.

        Runs the full monthly engine on the first ``max_samples`` samples (a
        fan chart needs the months, the summary does not keep them). Returns
        (months [H], bands [len(percentiles), H]).
        """
        from ..engine import evaluate

        s = self.focus if s is None else s
        # at most ~3 million strategy-months in memory at once
        k = min(self.n, max_samples, max(1000, 3_000_000 // (self.inputs.horizon * len(self.strategies))))
        x = self.inputs
        sub = {}
        for f in _array_fields(x):
            a = np.asarray(getattr(x, f))
            sub[f] = a[..., :k] if a.ndim >= 1 and a.shape[-1] == self.n and self.n > 1 else a
        o = evaluate(x.replace(**sub))
        monthly = np.broadcast_to(o.monthly, (np.shape(o.monthly)[0], k, x.horizon))
        cum = np.cumsum(monthly[self.baseline] - monthly[s], axis=-1)
        return np.arange(1, x.horizon + 1), np.percentile(cum, percentiles, axis=0)

    def to_dict(self) -> dict:
        sc = self.scenario
        return {
            "scenario": sc.name,
            "currency": sc.currency,
            "horizon_months": sc.horizon_months,
            "baseline": sc.baseline_name,
            "samples": self.n,
            "seed": self.seed,
            "uncertain_inputs": [d.to_dict() for d in self.distributions.values()],
            "strategies": [
                {
                    "name": st.name,
                    "type": st.type,
                    "p_cheapest": st.p_cheapest,
                    "total_cost": st.total,
                    "deterministic_total_cost": st.deterministic_total,
                    "savings": st.savings,
                    "break_even_requests_per_month": st.break_even,
                    "payback_month": st.payback,
                    "p_feasible": st.p_feasible,
                }
                for st in self.strategies
            ],
        }


def _array_fields(x) -> list[str]:
    from ..engine.inputs import array_fields

    return array_fields(x)


def sample_inputs(scenario, n: int, seed: int) -> tuple[dict, Any]:
    """Draw ``n`` samples of every distribution in ``scenario``; return (samples by path, engine Inputs [S, n])."""
    from ..model.derive import engine_inputs

    samples = {p: d.sample(stream(seed, p), n) for p, d in scenario.distributions.items()}
    return samples, engine_inputs(scenario, samples, (n,))


def simulate(scenario, n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, block_size: int | None = None) -> Simulation:
    """Monte Carlo over the scenario's distributions.

    Parameters
    ----------
    scenario : Scenario
        Loaded with :func:`ftcost.scenario.load_scenario`; its ``distributions``
        are the uncertain inputs (none: every sample is the same).
    n : int
        Number of samples (default 100,000).
    seed : int
        Seed of the random streams; the same seed gives the same numbers.

    Returns
    -------
    Simulation
        Per strategy: the probability that it is the cheapest over the
        horizon, p5/p50/p95 (and mean) of its total cost, of its savings
        against the baseline, of its break-even volume and payback month.
    """
    from ..engine.summary import evaluate_summary

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_SAMPLES:
        raise FtcostError(Message("the number of samples must be a whole number from 1 to {most:,}, got {value}", most=MAX_SAMPLES, value=n))
    n = int(n)
    samples, x = sample_inputs(scenario, n, seed)
    summary = evaluate_summary(x, block_size, outputs=SIM_OUTPUTS)
    from ..limits import check_finite

    check_finite(summary.total_cost, N_("the total cost of a sample"), file=scenario.file)
    deterministic = evaluate_summary(scenario.inputs())
    sim = Simulation(scenario, n, int(seed), dict(scenario.distributions), samples, x, summary)
    sim.strategies = _stats(sim, deterministic)
    return sim


def _pct(a: np.ndarray, method: Literal["linear", "inverted_cdf"] = "linear") -> dict:
    q = np.percentile(a, PERCENTILES, method=method)
    return {f"p{p}": float(v) for p, v in zip(PERCENTILES, q)}


def _threshold_stats(values: np.ndarray, never: np.ndarray) -> dict:
    """Percentiles of a threshold (break-even volume, payback month) where some samples never reach it."""
    v = np.where(never, np.inf, values.astype(float))
    out = {k: (None if math.isinf(x) else x) for k, x in _pct(v, "inverted_cdf").items()}
    out["never_share"] = float(never.mean())
    return out


def _stats(sim: Simulation, det) -> list[StrategyStats]:
    sc = sim.scenario
    sm = sim.summary
    s_count = len(sc.strategies)
    b = sc.baseline
    # P(cheapest) counts feasible plans only: a sample where no plan runs the whole horizon (-1) counts for none.
    picks = np.asarray(sm.cheapest).ravel()
    counts = np.bincount(picks[picks >= 0], minlength=s_count)
    feasible = np.broadcast_to(np.asarray(sm.feasible_until), (s_count, sim.n)) >= sc.horizon_months
    cap = (
        np.broadcast_to(np.asarray(sim.inputs.replica_capacity, dtype=float)[:s_count], (s_count, sim.n))
        if hasattr(sim.inputs, "replica_capacity")
        else np.zeros((s_count, sim.n))
    )
    out = []
    for i, s in enumerate(sc.strategies):
        total = np.asarray(sm.total_cost[i], dtype=float)
        st = StrategyStats(
            name=s.name,
            type=s.type,
            p_cheapest=float(counts[i] / sim.n),
            total={**_pct(total), "mean": float(total.mean())},
            deterministic_total=float(np.ravel(det.total_cost[i])[0]),
            p_feasible=float(feasible[i].mean()),
        )
        if i != b:
            sav = sim.savings(i)
            st.savings = {**_pct(sav), "mean": float(sav.mean()), "p_positive": float((sav > 0).mean())}
            stepped = (cap[i] > 0) | (cap[b] > 0)
            if not stepped.any():
                be = np.asarray(sm.break_even[i], dtype=float)
                st.break_even = _threshold_stats(be, np.isnan(be))
            pay = np.asarray(sm.payback_month[i])
            st.payback = _threshold_stats(pay, pay == 0)
        out.append(st)
    return out


def with_savings_bands(sim: Simulation) -> Simulation:
    """``sim`` with :attr:`Simulation.savings_bands` of its focus strategy, which the fan chart draws.

    The renderers only draw what they are given; the report (:func:`ftcost.api.report_facts`) and
    ``ftcost simulate --chart`` call this first.
    """
    import dataclasses

    if sim.savings_bands is not None or len(sim.strategies) < 2:
        return sim
    return dataclasses.replace(sim, savings_bands=sim.cumulative_savings_bands())
