"""Uncertain inputs: distributions in scenario files, sampling, and ``ftcost simulate``.

Any numeric field that :mod:`ftcost.paths` can vary may be written as a
distribution instead of a number::

    requests_per_month: {dist: uniform, low: 100000, high: 500000}
    requests_per_month: {dist: triangular, low: 100000, mode: 250000, high: 500000}
    growth_per_month:   {dist: normal, mean: 0.03, sd: 0.02}      # truncated at the field's bounds
    tokens:             {dist: lognormal, median: 1200000, p90: 2000000}

Every distribution is cut to the field's valid range (the minimum and maximum
the scenario checker enforces: a volume >= 0, a share from 0 to 1, growth
above -100%), so a sample is always a value the file could have held.
Everywhere a single number is needed (``ftcost compare``, sweeps,
sensitivity) the field takes the distribution's median: the middle of the
truncated distribution.

Sampling is by the inverse CDF: sample = quantile(u) with u uniform on
(0, 1), which keeps a degenerate distribution (low = high, sd = 0) exactly
at its value. Each field draws from its own random stream, seeded by the
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

from .errors import FtcostError
from .i18n import N_, Message, did_you_mean, term
from .limits import MAX_NUMBER as _MAX_NUMBER

DISTRIBUTIONS = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "p90"),
}
Z90 = 1.2815515655446004  # the standard normal's 90th percentile
DEFAULT_SAMPLES = 100_000
DEFAULT_SEED = 20270101
MAX_SAMPLES = 2_000_000  # memory: a few arrays of [strategies, samples]
SIM_OUTPUTS = ("total_cost", "break_even", "cheaper_above", "payback_month", "cheapest", "feasible_until")
PERCENTILES = (5, 50, 95)


# --------------------------------------------------------------------------
# The normal distribution, vectorized


def norm_ppf(p) -> np.ndarray:
    """Inverse of the standard normal CDF, elementwise (Wichura's AS241, ~1e-16 relative).

    The same rational approximations as Python's ``statistics.NormalDist.inv_cdf``,
    on arrays. ``p`` must be in (0, 1).

    >>> norm_ppf([0.5, 0.9, 0.025]).round(6).tolist()
    [0.0, 1.281552, -1.959964]
    """
    p = np.asarray(p, dtype=float)
    q = p - 0.5
    out = np.empty_like(q)
    central = np.abs(q) <= 0.425
    if central.any():
        qc = q[central]
        r = 0.180625 - qc * qc
        num = (
            (
                (
                    (
                        (((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r
                        + 1.3731693765509461125e4
                    )
                    * r
                    + 1.9715909503065514427e3
                )
                * r
                + 1.3314166789178437745e2
            )
            * r
            + 3.3871328727963666080e0
        ) * qc
        den = (
            (
                (
                    (((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r + 3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r
                    + 5.3941960214247511077e3
                )
                * r
                + 6.8718700749205790830e2
            )
            * r
            + 4.2313330701600911252e1
        ) * r + 1.0
        out[central] = num / den
    tail = ~central
    if tail.any():
        qt = q[tail]
        r = np.where(qt <= 0.0, p[tail], 1.0 - p[tail])
        r = np.sqrt(-np.log(r))
        near = r <= 5.0
        x = np.empty_like(r)
        if near.any():
            rn = r[near] - 1.6
            num = (
                (
                    (
                        (((7.74545014278341407640e-4 * rn + 2.27238449892691845833e-2) * rn + 2.41780725177450611770e-1) * rn + 1.27045825245236838258e0) * rn
                        + 3.64784832476320460504e0
                    )
                    * rn
                    + 5.76949722146069140550e0
                )
                * rn
                + 4.63033784615654529590e0
            ) * rn + 1.42343711074968357734e0
            den = (
                (
                    (
                        (((1.05075007164441684324e-9 * rn + 5.47593808499534494600e-4) * rn + 1.51986665636164571966e-2) * rn + 1.48103976427480074590e-1) * rn
                        + 6.89767334985100004550e-1
                    )
                    * rn
                    + 1.67638483018380384940e0
                )
                * rn
                + 2.05319162663775882187e0
            ) * rn + 1.0
            x[near] = num / den
        far = ~near
        if far.any():
            rf = r[far] - 5.0
            num = (
                (
                    (
                        (((2.01033439929228813265e-7 * rf + 2.71155556874348757815e-5) * rf + 1.24266094738807843860e-3) * rf + 2.65321895265761230930e-2) * rf
                        + 2.96560571828504891230e-1
                    )
                    * rf
                    + 1.78482653991729133580e0
                )
                * rf
                + 5.46378491116411436990e0
            ) * rf + 6.65790464350110377720e0
            den = (
                (
                    (
                        (((2.04426310338993978564e-15 * rf + 1.42151175831644588870e-7) * rf + 1.84631831751005468180e-5) * rf + 7.86869131145613259100e-4) * rf
                        + 1.48753612908506148525e-2
                    )
                    * rf
                    + 1.36929880922735805310e-1
                )
                * rf
                + 5.99832206555887937690e-1
            ) * rf + 1.0
            x[far] = num / den
        out[tail] = np.where(qt < 0.0, -x, x)
    return out


def norm_cdf(x: float) -> float:
    """Standard normal CDF of one number (inf allowed)."""
    if math.isinf(x):
        return 0.0 if x < 0 else 1.0
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


# --------------------------------------------------------------------------
# Distributions


@dataclass(frozen=True)
class Distribution:
    """A distribution read from a scenario, cut to its field's valid range [lower, upper]."""

    kind: str
    params: tuple  # ((name, value), ...) in DISTRIBUTIONS order
    lower: float = -math.inf
    upper: float = math.inf
    path: tuple = ()

    def p(self, name: str) -> float:
        return dict(self.params)[name]

    @property
    def median(self) -> float:
        """The value compare, sweep and sensitivity use: the middle of the truncated distribution."""
        return float(self.quantile(np.array([0.5]))[0])

    def quantile(self, u) -> np.ndarray:
        """Inverse CDF of the (truncated) distribution at probabilities ``u``."""
        u = np.asarray(u, dtype=float)
        k = self.kind
        if k == "uniform":
            lo, hi = self.p("low"), self.p("high")
            return lo + (hi - lo) * u
        if k == "triangular":
            lo, mode, hi = self.p("low"), self.p("mode"), self.p("high")
            if hi == lo:
                return np.full_like(u, lo)
            cut = (mode - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
            right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - mode))
            return np.where(u < cut, left, right)
        if k == "normal":
            mu, sd = self.p("mean"), self.p("sd")
            return self._truncated_normal(u, mu, sd, self.lower, self.upper)
        # lognormal: a normal in log space
        med, p90 = self.p("median"), self.p("p90")
        ratio = p90 / med  # 1e15 / 1e-300 overflows: then the difference of the logs
        sigma = (math.log(ratio) if math.isfinite(ratio) else math.log(p90) - math.log(med)) / Z90
        lo = math.log(self.lower) if self.lower > 0 else -math.inf
        hi = math.log(self.upper) if self.upper < math.inf else math.inf
        z = self._truncated_normal(u, math.log(med), sigma, lo, hi)
        x = np.exp(z)
        if sigma == 0 or (norm_cdf((lo - math.log(med)) / sigma) == 0.0 and norm_cdf((hi - math.log(med)) / sigma) == 1.0):
            x = np.where(u == 0.5, med, x)  # the median as written, not exp(log(median)) (no cut reaches it)
        return np.clip(x, self.lower, self.upper)

    @staticmethod
    def _truncated_normal(u, mu: float, sd: float, lo: float, hi: float) -> np.ndarray:
        if sd == 0:
            return np.full_like(u, mu)
        a, b = norm_cdf((lo - mu) / sd), norm_cdf((hi - mu) / sd)
        pu = a + (b - a) * u
        pu = np.clip(pu, np.nextafter(0.0, 1.0), np.nextafter(1.0, 0.0))
        x = mu + sd * norm_ppf(pu)
        if a == 0.0 and b == 1.0:
            x = np.where(u == 0.5, mu, x)
        return np.clip(x, lo, hi)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent draws."""
        return self.quantile(rng.random(n))

    def describe(self, fmt=None) -> str:
        """``uniform 100,000 to 500,000``, ``lognormal median 1.2M, p90 2M``, ``normal mean 0.03, sd 0.02 (cut at -1)``."""
        f = fmt or _num
        k = self.kind
        if k == "uniform":
            text = f"uniform {f(self.p('low'))} to {f(self.p('high'))}"
        elif k == "triangular":
            text = f"triangular {f(self.p('low'))} to {f(self.p('high'))}, mode {f(self.p('mode'))}"
        elif k == "normal":
            text = f"normal mean {f(self.p('mean'))}, sd {f(self.p('sd'))}"
        else:
            text = f"lognormal median {f(self.p('median'))}, p90 {f(self.p('p90'))}"
        if k in ("normal", "lognormal"):
            cuts = [
                f"{f(v)}"
                for v, bound in ((self.lower, -math.inf), (self.upper, math.inf))
                if v != bound and abs(v) != _MAX_NUMBER and not (k == "lognormal" and v == 0 and bound < 0)
            ]
            if cuts:
                text += " (cut at " + " and ".join(cuts) + ")"
        return text

    def to_dict(self) -> dict:
        return {
            "path": ".".join(str(p) for p in self.path),
            "dist": self.kind,
            **dict(self.params),
            "median": self.median,
            "bounds": [None if math.isinf(self.lower) else self.lower, None if math.isinf(self.upper) else self.upper],
        }


def _num(v: float) -> str:
    if v != 0 and (abs(v) >= 1e4 or abs(v) < 1e-3):
        return f"{v:,.0f}" if abs(v) >= 1e4 else f"{v:.3g}"
    return f"{v:g}"


def _g(x: float) -> str:
    return f"{x:g}"


def read_distribution(chk, v: dict, path: tuple, *, minimum=None, maximum=None, exclusive_min=False, integer=False, what="a number") -> float:
    """Validate a ``{dist: ...}`` mapping found at ``path`` by the scenario checker.

    Records it in ``chk.distributions`` and returns its median (the value the
    deterministic commands use). Errors name the file, line, column and key path.
    """
    from .paths import distribution_refusal

    refusal = distribution_refusal(path, integer)
    if "dist" not in v:
        raise chk.fail(
            path,
            Message("expected {what}, got a mapping without 'dist'", what=term(what)),
            Message("an uncertain value is {{dist: uniform, low: ..., high: ...}} (or triangular, normal, lognormal); otherwise write a plain number"),
        )
    if refusal:
        raise chk.fail(path, Message("a distribution is not allowed here: {why}", why=term(refusal)), Message("write a plain number"))
    kind = v["dist"]
    if not isinstance(kind, str) or kind not in DISTRIBUTIONS:
        raise chk.fail(
            path + ("dist",),
            Message("unknown distribution {kind!r}", kind=kind),
            Message("{near} use one of: {choices}", near=did_you_mean(str(kind), DISTRIBUTIONS) or "", choices=", ".join(DISTRIBUTIONS)),
        )
    names = DISTRIBUTIONS[kind]
    chk.mapping(v, path, ("dist",) + names, Message("a {kind} distribution", kind=kind))
    params = {}
    for name in names:
        if isinstance(v.get(name), (dict, list)):
            raise chk.fail(path + (name,), Message("{name} must be a plain number", name=name))
        params[name] = chk.number(v, name, path, required=True)
    # The field's range: the checker's bounds, narrowed by the range ftcost.paths gives the field
    # (a batch discount is a fraction <= 1 even where the checker only asks for >= 0).
    from .paths import field_for

    f, _ = field_for(tuple(path))
    if f is not None:
        if f.minimum is not None and (minimum is None or f.minimum > minimum):
            minimum, exclusive_min = f.minimum, f.exclusive_min
        if f.maximum is not None and (maximum is None or f.maximum < maximum):
            maximum = f.maximum
    lower = -math.inf if minimum is None else float(minimum)
    upper = math.inf if maximum is None else float(maximum)
    # Every sample must be a number the file could hold: at most 1e15 in size, and a monthly rate that
    # compounds over the horizon to a computable factor (the same checks as a plain number, over the whole tail).
    from .limits import max_compound_rate

    lower, upper = max(lower, -_MAX_NUMBER), min(upper, _MAX_NUMBER)
    horizon = getattr(chk, "horizon", None)
    if horizon and tuple(path)[-1:] in (("growth_per_month",), ("price_change_per_month",)):
        upper = min(upper, max_compound_rate(horizon))

    def below(x):
        return x <= lower if exclusive_min else x < lower

    def check_in_range(name):
        x = params[name]
        if below(x):
            op = ">" if exclusive_min else ">="
            raise chk.fail(
                path + (name,), Message("{name} must be {op} {least} (the field's valid range), got {value}", name=name, op=op, least=_g(lower), value=_g(x))
            )
        if x > upper:
            raise chk.fail(path + (name,), Message("{name} must be <= {most} (the field's valid range), got {value}", name=name, most=_g(upper), value=_g(x)))

    if kind in ("uniform", "triangular"):
        lo, hi = params["low"], params["high"]
        if lo > hi:
            raise chk.fail(path + ("low",), Message("low ({low}) is above high ({high})", low=_g(lo), high=_g(hi)), Message("swap them"))
        if kind == "triangular" and not lo <= params["mode"] <= hi:
            raise chk.fail(
                path + ("mode",), Message("mode ({mode}) must lie between low ({low}) and high ({high})", mode=_g(params["mode"]), low=_g(lo), high=_g(hi))
            )
        check_in_range("low")
        check_in_range("high")
    elif kind == "normal":
        if params["sd"] < 0:
            raise chk.fail(path + ("sd",), Message("sd must be >= 0, got {value}", value=_g(params["sd"])), Message("sd is the spread: 0 means no uncertainty"))
        check_in_range("mean")
    else:
        med, p90 = params["median"], params["p90"]
        if med <= 0:
            raise chk.fail(
                path + ("median",),
                Message("a lognormal median must be > 0, got {value}", value=_g(med)),
                Message("a lognormal value is always positive; use normal or uniform for values that can be 0 or less"),
            )
        if p90 <= med:
            raise chk.fail(
                path + ("p90",),
                Message("p90 ({p90}) must be above the median ({median})", p90=_g(p90), median=_g(med)),
                Message("p90 is the value exceeded 1 time in 10; for no spread write the number itself"),
            )
        check_in_range("median")
    if exclusive_min:
        lower = math.nextafter(lower, math.inf)  # an open bound (growth > -100%): cut just above it
    dist = Distribution(kind, tuple((n, float(params[n])) for n in names), lower, upper, tuple(path))
    chk.distributions[tuple(path)] = dist
    return dist.median


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
        from .engine import evaluate

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
    from .engine.inputs import array_fields

    return array_fields(x)


def sample_inputs(scenario, n: int, seed: int) -> tuple[dict, Any]:
    """Draw ``n`` samples of every distribution in ``scenario``; return (samples by path, engine Inputs [S, n])."""
    from .derive import engine_inputs

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
    from .engine.summary import evaluate_summary

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_SAMPLES:
        raise FtcostError(Message("the number of samples must be a whole number from 1 to {most:,}, got {value}", most=MAX_SAMPLES, value=n))
    n = int(n)
    samples, x = sample_inputs(scenario, n, seed)
    summary = evaluate_summary(x, block_size, outputs=SIM_OUTPUTS)
    from .limits import check_finite

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
