"""Which strategy is cheapest at which constant monthly volume, and where lines cross.

At a constant volume V a strategy costs, on average per month over the horizon,

    cost(V) = line_fixed + V * line_slope + replica_cost * replicas(V)

(``line_fixed`` is docs/design.md's average fixed monthly Fbar, ``line_slope`` the
cost per request; the replica term is the self-hosted staircase and is 0 for
API strategies). Between two consecutive replica steps every cost is linear,
so the lower envelope is exact: split the volume axis at every step, find all
pairwise crossings inside each piece, and take the cheapest strategy in each
resulting interval. Everything is vectorized over pieces and pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .formulas import FloatArray, replicas
from .inputs import Inputs, Outputs

MAX_VOLUME = 1e200  # requests a month: the volume axis ends here, so every cost on it stays finite
MAX_STEPS = 200_000  # replica steps examined in all, shared by the staircases, before the tail is treated as linear


@dataclass
class CostLines:
    fixed: FloatArray  # [S]
    slope: FloatArray  # [S]
    replica_cost: FloatArray  # [S]
    capacity: FloatArray  # [S], 0 = no staircase
    min_replicas: FloatArray  # [S]

    @classmethod
    def from_outputs(cls, out: Outputs, inputs: Inputs) -> CostLines:
        s = out.line_fixed.shape[0]

        def row(a: ArrayLike) -> FloatArray:
            a = np.asarray(a, dtype=float)
            return np.broadcast_to(a[:s] if a.ndim else a, (s,)).copy()  # a plan's later phases: rows after S

        return cls(row(out.line_fixed), row(out.line_slope), row(inputs.replica_cost), row(inputs.replica_capacity), row(inputs.min_replicas))

    def subset(self, keep: list[int]) -> CostLines:
        """The lines of the strategies ``keep`` only (the feasible ones, for cheapest-by-volume)."""
        return CostLines(*(np.asarray(a)[keep] for a in (self.fixed, self.slope, self.replica_cost, self.capacity, self.min_replicas)))

    def cost(self, volumes: ArrayLike) -> FloatArray:
        """Average monthly cost of each strategy at each constant volume: [S, N]."""
        v = np.asarray(volumes, dtype=float)[None, :]
        reps = replicas(v, self.capacity[:, None], self.min_replicas[:, None])
        return self.fixed[:, None] + v * self.slope[:, None] + reps * self.replica_cost[:, None]

    def asymptotic_slope(self) -> FloatArray:
        cap = np.where(self.capacity > 0, self.capacity, np.inf)
        return self.slope + np.where(self.capacity > 0, self.replica_cost / cap, 0.0)


def _sorted_unique(a: FloatArray) -> FloatArray:
    """np.unique without its import of numpy.ma (30-50 ms on the compare path)."""
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if a.size else a


def _breakpoints(lines: CostLines, vmax: float) -> FloatArray:
    """Volumes where a staircase steps, up to vmax (0 included)."""
    pts = [np.array([0.0])]
    budget = MAX_STEPS // max(1, int(np.count_nonzero(lines.capacity > 0)))  # bounds time and memory for any number of strategies
    for cap, mn in zip(lines.capacity, lines.min_replicas):
        if cap > 0:
            first = max(mn, 1.0)
            k_max = min(np.floor(vmax / cap), first + budget)
            if k_max >= first:
                pts.append(np.arange(first, k_max + 1) * cap)
    return _sorted_unique(np.concatenate(pts))


def _pieces(lines: CostLines, vmax_hint: float) -> FloatArray:
    """Interval edges, sorted, such that within each interval no two cost curves cross or step."""
    # Far enough that every crossing lies below it: try both the plain slopes with the
    # first step's intercept and the asymptotic slopes, and cover ten steps of every staircase.
    first_step = lines.fixed + lines.replica_cost * np.where(lines.capacity > 0, np.maximum(lines.min_replicas, 1), 0)
    found = []
    for intercept, slopes in ((lines.fixed, lines.asymptotic_slope()), (first_step, lines.slope), (first_step, lines.asymptotic_slope())):
        df = intercept[:, None] - intercept[None, :]
        ds = slopes[None, :] - slopes[:, None]
        with np.errstate(all="ignore"):  # overflow and 0/0 give non-finite values, dropped just below
            cross = np.where(ds != 0, df / np.where(ds == 0, 1, ds), np.nan)
        found.append(cross[np.isfinite(cross) & (cross > 0)])
    finite = np.concatenate(found)
    vmax = max(vmax_hint, 1.0, float(finite.max()) * 4 if finite.size else 0.0, 10 * float(lines.capacity.max(initial=0.0)))
    vmax = min(vmax, MAX_VOLUME)  # crossings of nearly parallel lines can lie near 1e308; past this they are "never"
    edges = _breakpoints(lines, vmax)
    edges = np.append(edges, vmax)
    lo, hi = edges[:-1], edges[1:]
    keep = hi > lo
    lo, hi = lo[keep], hi[keep]
    # Inside (lo, hi) replicas are constant: take them at the midpoint.
    mid = (lo + hi) / 2
    reps = replicas(mid[None, :], lines.capacity[:, None], lines.min_replicas[:, None])
    intercept = lines.fixed[:, None] + reps * lines.replica_cost[:, None]  # [S, P]
    # Crossings pair by pair (an [S, S, P] array would not fit in memory for many strategies and pieces).
    found = [edges]
    n = len(lines.slope)
    with np.errstate(all="ignore"):  # overflow gives inf, dropped by isfinite
        for i in range(n):
            for j in range(i + 1, n):
                b = lines.slope[j] - lines.slope[i]
                if b == 0:
                    continue
                x = (intercept[i] - intercept[j]) / b
                found.append(x[np.isfinite(x) & (x > lo) & (x < hi)])
    return _sorted_unique(np.concatenate(found))


def cheapest_by_volume(lines: CostLines, names: list[str], *, vmax_hint: float = 0.0) -> list[dict[str, Any]]:
    """Ranges of constant monthly volume over which each strategy is the cheapest.

    Returns ``[{strategy, from_requests_per_month, to_requests_per_month}]``; the last ``to`` is None.
    Ties go to the strategy listed first.

    >>> lines = CostLines(np.array([0.0, 1000.0]), np.array([3e-4, 1e-4]), np.zeros(2), np.zeros(2), np.zeros(2))
    >>> [(r["strategy"], r["from_requests_per_month"], r["to_requests_per_month"]) for r in cheapest_by_volume(lines, ["prompt", "tuned"])]
    [('prompt', 0.0, 5000000.0), ('tuned', 5000000.0, None)]
    """
    edges = _pieces(lines, vmax_hint)
    lo, hi = edges[:-1], edges[1:]
    mids = (lo + hi) / 2
    winners = np.argmin(lines.cost(mids), axis=0)
    tail_winner = _tail_winner(lines)
    ranges: list[dict[str, Any]] = []
    # only where the winner changes (a Python loop over every piece is slow for 10^5 replica steps)
    change = np.flatnonzero(np.concatenate([[True], winners[1:] != winners[:-1]])) if len(winners) else np.zeros(0, dtype=int)
    for start, w in zip(lo[change], winners[change]):
        if ranges and ranges[-1]["strategy"] == names[w]:
            continue
        if ranges:
            ranges[-1]["to_requests_per_month"] = float(start)
        ranges.append({"strategy": names[w], "from_requests_per_month": float(start), "to_requests_per_month": None})
    if ranges and ranges[-1]["strategy"] != names[tail_winner]:
        ranges[-1]["to_requests_per_month"] = float(edges[-1])
        ranges.append({"strategy": names[tail_winner], "from_requests_per_month": float(edges[-1]), "to_requests_per_month": None})
    return ranges


def _tail_winner(lines: CostLines) -> int:
    slopes = lines.asymptotic_slope()
    best = np.flatnonzero(np.isclose(slopes, slopes.min(), rtol=1e-12, atol=0))
    return int(best[np.argmin(lines.fixed[best])])


def crossings(lines: CostLines, s: int, b: int, *, vmax_hint: float = 0.0) -> list[dict[str, Any]]:
    """Volumes where strategy s and baseline b swap places: [{requests_per_month, cheaper_above}].

    ``cheaper_above`` says whether s is the cheaper one just above that volume.
    A strategy cheaper from volume 0 on starts the list with a crossing at 0.
    """
    sub = CostLines(*(np.asarray(getattr(lines, f))[[s, b]] for f in ("fixed", "slope", "replica_cost", "capacity", "min_replicas")))
    edges = _pieces(sub, vmax_hint)
    lo, hi = edges[:-1], edges[1:]
    cost = sub.cost((lo + hi) / 2)
    cheaper = cost[0] <= cost[1]
    tail = _tail_winner(sub) == 0
    states = np.append(cheaper, tail)
    starts = np.append(lo, edges[-1])
    # at volume 0 we count s as "not yet cheaper"; keep the volumes where the state changes
    change = np.flatnonzero(states != np.concatenate([[False], states[:-1]]))
    return [{"requests_per_month": float(starts[i]), "cheaper_above": bool(states[i])} for i in change]


def break_even_from_crossings(cross: list[dict[str, Any]]) -> tuple[float | None, bool]:
    """The one break-even number docs/design.md reports, from a list of crossings.

    Cheaper from 0 and stays cheaper: (0, True). Cheaper from 0 then dearer above X:
    (X, False). Dearer at first, cheaper above X: (X, True). Never cheaper: (None, True).
    """
    if not cross:
        return None, True
    first = cross[0]
    if first["requests_per_month"] == 0 and len(cross) > 1:
        return cross[1]["requests_per_month"], False
    return first["requests_per_month"], True
