"""What the cost charts show, computed from a result: plain numpy, testable without looking at pixels.

:func:`breakeven_data` (cost against a constant monthly volume, the cheapest
strategy at each volume, break-even points, your volumes) and
:func:`cumulative_data` (running totals month by month, from the engine's
monthly breakdown). The axis scale is chosen here from the data
(:func:`ftcost.render.story.wants_log`) unless the caller forces it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..result import Result
from .lfmt import month
from .story import VolumePath, key_volumes, volume_path, wants_log


def cost_curve(result: Result, volumes) -> np.ndarray:
    """Monthly cost of every strategy at a constant monthly volume, shape [strategies, volumes].

    The engine's linear model (DESIGN.md): ``Fbar_s + V * c_s``, with training
    and one-time costs spread over the horizon; the break-even volume is where
    two of these lines cross. A result that knows better (non-linear,
    staircase strategies) provides ``cost_at_volumes(volumes)`` and is used
    as is.

    Examples
    --------
    Fbar 0 and 1,241; c 0.0003 and 0.0001: at 6,205,000 requests both cost 1,861.5.
    """
    v = np.atleast_1d(np.asarray(volumes, dtype=float))
    fn = getattr(result, "cost_at_volumes", None)
    if callable(fn):
        return np.asarray(fn(v), dtype=float).reshape(len(result.strategies), v.size)
    o = result.outputs
    fbar = np.asarray(o.average_fixed_monthly, dtype=float).reshape(-1)
    c = np.asarray(o.cost_per_request, dtype=float).reshape(-1)
    return fbar[:, None] + v[None, :] * c[:, None]


@dataclass
class BreakEvenPoint:
    strategy: str
    index: int
    volume: float  # the engine's break-even volume (requests per month)
    cost: float  # monthly cost there
    cheaper_above: bool


@dataclass
class Region:
    strategy: str
    index: int
    from_volume: float
    to_volume: float


@dataclass
class BreakevenData:
    names: list[str]
    currency: str
    baseline: int
    volumes: np.ndarray  # [V], sorted, includes the break-even and your volumes
    curves: np.ndarray  # [S, V]
    cheapest: np.ndarray  # [V] index of the cheapest strategy at each volume
    regions: list[Region]
    points: list[BreakEvenPoint]
    current_volume: float
    current_costs: np.ndarray  # [S] at month 1's volume
    log: bool  # logarithmic volume axis (and cost axis)
    x_range: tuple[float, float]
    path: VolumePath | None = None  # month 1, last month, average
    average_costs: np.ndarray | None = None  # [S] at the horizon-average volume
    log_cost: bool = False  # logarithmic cost axis

    @property
    def cheapest_at_average(self) -> int:
        """The cheapest strategy at the horizon-average volume: the recommendation's, for straight cost lines."""
        costs = self.average_costs if self.average_costs is not None else self.current_costs
        return int(np.argmin(costs))


def _nice_ceil(x: float) -> float:
    """1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k at or above x."""
    if x <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(x))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * e >= x * (1 - 1e-12):
            return m * e
    return 10 * e


def volume_range(result: Result, *, log: bool = False) -> tuple[float, float]:
    """The volumes a break-even chart spans: your volumes (month 1, last, average) and every crossing worth
    showing (:func:`ftcost.render.story.key_volumes`), with room on both sides.

    Log: from a third of the smallest to three times the largest, widened to whole decades and to at least two.
    Linear: from 0 to 1.25 x the largest, rounded up to a nice number.
    """
    marks = key_volumes(result)
    if log:
        # a log axis needs bounds well inside the floats: a 5e-324 volume or a 1e308 break-even must not reach log10
        marks = [min(max(v, 1e-3), 1e300) for v in marks]
        if not marks:
            return 1e3, 1e7
        lo = 10 ** math.floor(math.log10(min(marks) / 3))
        hi = 10 ** math.ceil(math.log10(max(marks) * 3))
        return float(lo), float(max(hi, lo * 100))
    if not marks:
        return 0.0, 1e6
    return 0.0, _nice_ceil(min(1.25 * max(marks), 1e300))  # 1.25 x a 1e308 break-even would be inf


def choose_log(result: Result) -> bool:
    """The volume axis scale the data asks for: log when the key volumes span more than about 1.3 decades."""
    return wants_log(key_volumes(result))


def breakeven_data(result: Result, *, log: bool | None = None, points: int = 600) -> BreakevenData:
    """Everything the break-even chart shows, computed from the result.

    ``log``: None chooses the scale from the data (:func:`choose_log`). The
    curves come from :func:`cost_curve`; the shading is the argmin of the
    curves (so it stays right if curves become staircases), and each region
    boundary is placed where the two curves cross between grid points (exact
    for straight lines). The marked break-even volumes are the engine's,
    against the baseline.
    """
    sc = result.scenario
    if log is None:
        log = choose_log(result)
    names = [s.name for s in result.strategies]
    lo, hi = volume_range(result, log=log)
    path = volume_path(sc)
    grid = np.geomspace(lo, hi, points) if log else np.linspace(lo, hi, points)
    marks = [s.break_even_requests_per_month for s in result.strategies if s.break_even_requests_per_month is not None]
    extra = [v for v in [path.first, path.last, path.average, *marks] if lo <= v <= hi]
    volumes = np.unique(np.concatenate([grid, np.asarray(extra, dtype=float)]))
    curves = cost_curve(result, volumes)
    cheapest = np.argmin(curves, axis=0)

    regions: list[Region] = []
    start = volumes[0]
    for k in range(1, volumes.size):
        a, b = cheapest[k - 1], cheapest[k]
        if a != b:
            # Where curve a meets curve b between volumes[k-1] and volumes[k].
            d0 = curves[a, k - 1] - curves[b, k - 1]
            d1 = curves[a, k] - curves[b, k]
            t = d0 / (d0 - d1) if d0 != d1 else 0.5
            x = volumes[k - 1] + min(max(t, 0.0), 1.0) * (volumes[k] - volumes[k - 1])
            regions.append(Region(names[a], int(a), float(start), float(x)))
            start = x
    regions.append(Region(names[int(cheapest[-1])], int(cheapest[-1]), float(start), float(volumes[-1])))

    pts = []
    for i, s in enumerate(result.strategies):
        v = s.break_even_requests_per_month
        if v is None:
            continue
        pts.append(BreakEvenPoint(s.name, i, float(v), float(cost_curve(result, [v])[i, 0]), bool(s.cheaper_above_break_even)))
    at = cost_curve(result, [path.first, path.average])
    # A cost axis that spans more than 30x at the chart's right edge (one strategy 100x dearer) is logarithmic too.
    right = curves[:, -1][curves[:, -1] > 0]
    log_cost = bool(log or (right.size > 1 and right.max() / right.min() > 30))
    return BreakevenData(
        names=names,
        currency=sc.currency,
        baseline=sc.baseline,
        volumes=volumes,
        curves=curves,
        cheapest=cheapest,
        regions=regions,
        points=pts,
        current_volume=path.first,
        current_costs=at[:, 0],
        log=bool(log),
        x_range=(float(lo), float(hi)),
        path=path,
        average_costs=at[:, 1],
        log_cost=log_cost,
    )


@dataclass
class CumulativeData:
    names: list[str]
    currency: str
    baseline: int
    labels: list[str]  # calendar month of each month 1..H
    cumulative: np.ndarray  # [S, H]: K_s(m) at the end of month m
    x: list[np.ndarray]  # per strategy, polyline x in months since the start (0..H)
    y: list[np.ndarray]
    training_months: list[list[int]]  # per strategy
    training_points: list[tuple[np.ndarray, np.ndarray]]  # (x, y) of the top of each training step
    payback: list[int | None]  # per strategy, payback month (None: baseline or never)
    log: bool = False  # logarithmic cost axis: the running totals differ more than 20x


def cumulative_data(result: Result, *, log: bool | None = None) -> CumulativeData:
    """Cumulative cost per strategy as drawn: lump sums (training, one-time) as steps at the start of
    their month, then fixed and variable costs accruing through the month."""
    sc = result.scenario
    h = sc.horizon_months
    sch = result.schedule()
    monthly = sch["total_cost"]
    lump = sch["training_cost"] + sch["one_time_cost"] + sch["data_generation_cost"]
    cum = sch["cumulative_cost"]
    xs, ys, tps = [], [], []
    for i in range(monthly.shape[0]):
        prev = np.concatenate([[0.0], cum[i, :-1]])
        m0 = np.arange(h, dtype=float)
        x = np.column_stack([m0, m0, m0 + 1]).reshape(-1)
        y = np.column_stack([prev, prev + lump[i], cum[i]]).reshape(-1)
        xs.append(x)
        ys.append(y)
        steps = np.flatnonzero(lump[i] > 0)
        tps.append((steps.astype(float), prev[steps] + lump[i, steps]))
    return CumulativeData(
        names=[s.name for s in result.strategies],
        currency=sc.currency,
        baseline=sc.baseline,
        labels=[month(sc.month_first_day(m)) for m in range(1, h + 1)],  # 2026-11 (English), nov 2026 (Spanish)
        cumulative=cum,
        x=xs,
        y=ys,
        training_months=[list(s.training_months) for s in result.strategies],
        training_points=tps,
        payback=[s.payback_month for s in result.strategies],
        log=_cumulative_log(cum) if log is None else bool(log),
    )


def _cumulative_log(cum: np.ndarray) -> bool:
    """Log cost axis when the strategies' totals differ more than 20x (one line would flatten the others)."""
    ends = cum[:, -1][cum[:, -1] > 0]
    return bool(ends.size > 1 and ends.max() / ends.min() > 20)
