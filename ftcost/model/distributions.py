"""Uncertain inputs: the distributions a scenario file may write instead of a number, read and checked.

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
at its value. The random streams and ``ftcost simulate`` are in
:mod:`ftcost.analysis.simulation`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..i18n import Message, did_you_mean, term
from ..limits import MAX_NUMBER as _MAX_NUMBER
from .normal import norm_cdf, norm_ppf

DISTRIBUTIONS = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "p90"),
}
Z90 = 1.2815515655446004  # the standard normal's 90th percentile


@dataclass(frozen=True)
class Distribution:
    """A distribution read from a scenario, cut to its field's valid range [lower, upper]."""

    kind: str
    params: tuple[tuple[str, float], ...]  # ((name, value), ...) in DISTRIBUTIONS order
    lower: float = -math.inf
    upper: float = math.inf
    path: tuple[str | int, ...] = ()

    def p(self, name: str) -> float:
        return dict(self.params)[name]

    @property
    def median(self) -> float:
        """The value compare, sweep and sensitivity use: the middle of the truncated distribution."""
        return float(self.quantile(np.array([0.5]))[0])

    def quantile(self, u: ArrayLike) -> np.ndarray:
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
        x: np.ndarray = np.exp(z)
        if sigma == 0 or (norm_cdf((lo - math.log(med)) / sigma) == 0.0 and norm_cdf((hi - math.log(med)) / sigma) == 1.0):
            x = np.where(u == 0.5, med, x)  # the median as written, not exp(log(median)) (no cut reaches it)
        within: np.ndarray = np.clip(x, self.lower, self.upper)
        return within

    @staticmethod
    def _truncated_normal(u: np.ndarray, mu: float, sd: float, lo: float, hi: float) -> np.ndarray:
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

    def describe(self, fmt: Callable[[float], str] | None = None) -> str:
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

    def to_dict(self) -> dict[str, Any]:
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


def read_distribution(
    chk: Any,
    v: dict[str, Any],
    path: tuple[str | int, ...],
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_min: bool = False,
    integer: bool = False,
    what: str = "a number",
) -> float:
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
    from ..limits import max_compound_rate

    lower, upper = max(lower, -_MAX_NUMBER), min(upper, _MAX_NUMBER)
    horizon = getattr(chk, "horizon", None)
    if horizon and tuple(path)[-1:] in (("growth_per_month",), ("price_change_per_month",)):
        upper = min(upper, max_compound_rate(horizon))

    def below(x: float) -> bool:
        return x <= lower if exclusive_min else x < lower

    def check_in_range(name: str) -> None:
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
