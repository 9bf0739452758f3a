"""The numbers behind the interactive HTML page: the engine run over a grid of control values.

The page (:mod:`ftcost.render.html`) has controls for the month-1 volume,
the monthly growth, the baseline's prompt and completion tokens, and each
hosted strategy's hosting hours per month and deployments. It holds no cost
model of its own: everything it shows is looked up in arrays computed here by
:func:`ftcost.engine.evaluate`, with the controls as variant axes (as
``ftcost sweep`` does, through :func:`ftcost.derive.engine_inputs`).

The grid (every control but volume moves in steps, each step a grid point):

* growth: the scenario's value and -5%, -2%, 0, 1%, 2%, 3%, 5%, 10%, 20% a month;
* the baseline's prompt tokens: the scenario's value x 0.25, 0.5, 0.75, 1,
  1.5, 2, 3 (values below the cached part are left out); its completion
  tokens x 0.5, 1, 1.5, 2, 4;
* each hosted strategy's hours per month: 182.5, 365, 547.5, 730 (6, 12, 18
  and 24 hours a day) and the scenario's value; deployments 1 to 4 and the
  scenario's value;
* volume: 60 values evenly spaced in log scale from 1/100 to 100 times the
  scenario's volume, plus the scenario's volume (the slider's stops); the
  volume box takes any number.

Costs are separable, which keeps the arrays small: a strategy's cumulative
cost to month m is ``K(m) = P(m) + V1 * Q(m)`` for an API strategy, where P
(the cost at volume 0: hosting, storage, training, one-time costs) depends
only on that strategy's hosting controls and Q (the cost of one month-1
request carried through growth and price changes) only on the growth and
that strategy's token controls. P is the engine's cumulative cost at volume
0, Q its cumulative cost at the scenario's volume minus P, divided by that
volume: both come from the engine, and the page's ``P + V1 Q`` is exact for
any volume because the engine's cost is linear in volume by construction. A
self-hosted strategy's cost is a staircase in volume (whole replicas), so
its K(m) is kept at every grid volume and the page interpolates linearly
between grid volumes (exact at the grid volumes). Break-even volumes depend
only on the strategy's and the baseline's controls (not on volume or
growth) and are kept for every combination of those. :func:`build` checks
the assembled lookups against a full engine run at sampled settings and
refuses to write a page that differs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np

from .. import engine
from ..engine.envelope import CostLines, break_even_from_crossings, crossings
from ..model import paths
from ..model.derive import engine_inputs

VOLUME_STEPS = 60
VOLUME_SPAN = 100.0  # the slider runs from volume / 100 to volume x 100
GROWTH_STEPS = (-0.05, -0.02, 0.0, 0.01, 0.02, 0.03, 0.05, 0.10, 0.20)
PROMPT_FACTORS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
COMPLETION_FACTORS = (0.5, 1.0, 1.5, 2.0, 4.0)
HOURS_STEPS = (182.5, 365.0, 547.5, 730.0)
DEPLOYMENT_STEPS = (1.0, 2.0, 3.0, 4.0)
CHART_POINTS = 160  # volumes at which a self-hosted staircase is drawn
CHECK_RTOL = 1e-9
VOLUME = ("volume", "requests_per_month")
PAYBACK_RTOL = engine._PAYBACK_RTOL  # the page's payback month uses the engine's tie tolerance


@dataclass
class Control:
    """One control of the page: the key path it moves and the values it can take."""

    key: str  # "volume", "growth" or the key path, e.g. "strategies.1.hosting.deployments"
    kind: str  # volume, growth, prompt_tokens, completion_tokens, hours_per_month, deployments
    strategy: int | None
    values: list[float]
    start: int  # index of the scenario's own value
    target: paths.Target | None = None


@dataclass
class StrategyGrid:
    """One strategy's lookups (numpy arrays; the page gets them flattened, C order)."""

    fixed_controls: list[int]  # indexes into Grid.controls: axes of P and line_fixed
    var_controls: list[int]  # axes of Q, cost_per_request and line_slope (growth first when present)
    stepped: bool
    P: np.ndarray | None = None  # [*fixed, H]
    Q: np.ndarray | None = None  # [*var, H]
    K: np.ndarray | None = None  # stepped: [growth, volume, H]
    line_fixed: np.ndarray | None = None  # [*fixed]
    line_slope: np.ndarray | None = None  # [*var]
    cost_per_request: np.ndarray | None = None  # [*var]
    chart_cost: np.ndarray | None = None  # stepped: [CHART_POINTS]
    break_even_controls: list[int] = field(default_factory=list)
    break_even: np.ndarray | None = None  # [*break_even_controls], NaN = never
    cheaper_above: np.ndarray | None = None


@dataclass
class Grid:
    scenario: Any
    controls: list[Control]
    strategies: list[StrategyGrid]
    chart_volumes: np.ndarray
    points: int = 0  # engine evaluations (variants x strategies) it took
    payback_rtol: float = PAYBACK_RTOL


def _steps(own: float, candidates, *, minimum: float | None = None, integer: bool = False) -> tuple[list[float], int]:
    vals = {float(round(v) if integer else v) for v in candidates}
    vals.add(float(own))
    if minimum is not None:
        vals = {v for v in vals if v >= minimum} | {float(own)}
    out = sorted(vals)
    return out, out.index(float(own))


def controls_for(scenario) -> list[Control]:
    """The page's controls for ``scenario``, each with its grid of values."""
    v0 = float(scenario.requests_per_month)
    base = max(v0, 1.0)
    vols = np.geomspace(base / VOLUME_SPAN, base * VOLUME_SPAN, VOLUME_STEPS)
    vols = np.unique(np.append(vols, v0))
    out = [Control("volume", "volume", None, [float(v) for v in vols], int(np.flatnonzero(vols == v0)[0]))]
    g0 = float(scenario.growth_per_month)
    gv, gi = _steps(g0, GROWTH_STEPS)
    out.append(Control("growth", "growth", None, gv, gi, paths.resolve(scenario, "volume.growth_per_month")))
    b = scenario.baseline
    bs = scenario.strategies[b]
    if bs.serving is None:
        pt = paths.resolve(scenario, ("strategies", b, "request", "prompt_tokens"))
        p0 = float(pt.value(scenario))
        floor = float(bs.cached_tokens) - float(bs.input_tokens)
        pv, pi = _steps(p0, [p0 * f for f in PROMPT_FACTORS], minimum=max(floor, 0.0), integer=True)
        out.append(Control(pt.dotted, "prompt_tokens", b, pv, pi, pt))
        ct = paths.resolve(scenario, ("strategies", b, "request", "completion_tokens"))
        c0 = float(ct.value(scenario))
        cv, ci = _steps(c0, [max(1.0, c0 * f) for f in COMPLETION_FACTORS] if c0 > 0 else [0.0], integer=True)
        out.append(Control(ct.dotted, "completion_tokens", b, cv, ci, ct))
    for i, s in enumerate(scenario.strategies):
        if s.serving is not None or not s.price("hosting_per_hour") > 0:
            continue
        ht = paths.resolve(scenario, ("strategies", i, "hosting", "hours_per_month"))
        hv, hi = _steps(float(ht.value(scenario)), HOURS_STEPS)
        out.append(Control(ht.dotted, "hours_per_month", i, hv, hi, ht))
        dt = paths.resolve(scenario, ("strategies", i, "hosting", "deployments"))
        dv, di = _steps(float(dt.value(scenario)), DEPLOYMENT_STEPS)
        out.append(Control(dt.dotted, "deployments", i, dv, di, dt))
    return out


def _run(scenario, axes: list[Control], volume: float | np.ndarray | None = None, extra_axes: tuple = ()):
    """engine.evaluate with one variant axis per control in ``axes`` (then ``extra_axes``: (target-or-None, values))."""
    all_axes = [(c.target, np.asarray(c.values)) for c in axes] + list(extra_axes)
    shape = tuple(len(v) for _, v in all_axes) or (1,)
    grids = np.meshgrid(*(v for _, v in all_axes), indexing="ij") if all_axes else []
    values: dict[tuple, Any] = {}
    vol = None
    for (t, _), g in zip(all_axes, grids):
        if t is None:
            vol = g
        else:
            values[t.path] = g
    if vol is None:
        vol = np.full(shape, float(scenario.requests_per_month) if volume is None else volume)
    values[VOLUME] = vol
    x = engine_inputs(scenario, values, shape)
    return engine.evaluate(x), x, shape


def build(scenario) -> Grid:
    """Evaluate the page's grid for ``scenario`` (see the module's description)."""
    controls = controls_for(scenario)
    by_kind = {(c.kind, c.strategy): k for k, c in enumerate(controls)}
    growth = by_kind[("growth", None)]
    b = scenario.baseline
    v_ref = max(float(scenario.requests_per_month), 1.0)
    vol_c = controls[0]
    chart_lo = min(vol_c.values[0], 1.0) if vol_c.values[0] > 0 else 1.0
    chart_volumes = np.geomspace(max(vol_c.values[0] / 10, chart_lo), vol_c.values[-1] * 10, CHART_POINTS)
    out_strats: list[StrategyGrid] = []
    points = 0
    for i, s in enumerate(scenario.strategies):
        fixed = [k for k, c in enumerate(controls) if c.strategy == i and c.kind in ("hours_per_month", "deployments")]
        var = [growth] + [k for k, c in enumerate(controls) if c.strategy == i and c.kind in ("prompt_tokens", "completion_tokens")]
        sg = StrategyGrid(fixed, var, stepped=s.serving is not None)
        if sg.stepped:
            o, x, shape = _run(scenario, [controls[growth]], extra_axes=((None, np.asarray(vol_c.values)),))
            sg.K = np.cumsum(o.monthly[i], axis=-1)
            points += o.monthly[..., 0].size
            x1 = scenario.inputs()
            o1 = engine.evaluate(x1)
            sg.chart_cost = CostLines.from_outputs(o1, x1).cost(chart_volumes)[i]
            sg.cost_per_request = np.array([float(o1.cost_per_request[i])])
            sg.line_fixed = np.array([float(o1.line_fixed[i])])
            sg.line_slope = np.array([float(o1.line_slope[i])])
            sg.var_controls, sg.fixed_controls = [], []
        else:
            o0, _, _ = _run(scenario, [controls[k] for k in fixed], volume=0.0)
            fdims = tuple(len(controls[k].values) for k in fixed)
            vdims = tuple(len(controls[k].values) for k in var)
            h = int(scenario.horizon_months)
            sg.P = np.cumsum(o0.monthly[i], axis=-1).reshape(fdims + (h,))
            sg.line_fixed = np.broadcast_to(o0.line_fixed[i], o0.monthly.shape[1:-1]).reshape(fdims).copy()
            o1, _, _ = _run(scenario, [controls[k] for k in var], volume=0.0)
            o2, _, _ = _run(scenario, [controls[k] for k in var], volume=v_ref)
            sg.Q = ((np.cumsum(o2.monthly[i], axis=-1) - np.cumsum(o1.monthly[i], axis=-1)) / v_ref).reshape(vdims + (h,))
            sg.line_slope = np.broadcast_to(o2.line_slope[i], sg.Q.shape[:-1]).copy()
            sg.cost_per_request = np.broadcast_to(o2.cost_per_request[i], sg.Q.shape[:-1]).copy()
            points += o0.monthly[..., 0].size + 2 * o1.monthly[..., 0].size
        out_strats.append(sg)
    for i, sg in enumerate(out_strats):
        if i == b:
            continue
        axes = sorted(
            set(out_strats[i].fixed_controls) | set(out_strats[b].fixed_controls) | set(out_strats[b].var_controls) | set(out_strats[i].var_controls) - {growth}
        )
        sg.break_even_controls = axes
        sg.break_even, sg.cheaper_above = _break_even(scenario, controls, axes, i, b, v_ref)
    grid = Grid(scenario, controls, out_strats, chart_volumes, points)
    check(grid)
    return grid


def _break_even(scenario, controls, axes, i: int, b: int, v_ref: float):
    """Break-even volume of strategy i against b at every combination of the controls in ``axes``."""
    o, x, shape = _run(scenario, [controls[k] for k in axes])
    be = np.asarray(o.break_even[i], dtype=float).reshape(shape).copy()
    above = np.broadcast_to(np.asarray(o.cheaper_above[i]), shape).copy()
    if scenario.strategies[i].serving is not None or scenario.strategies[b].serving is not None:
        # A staircase: the exact piecewise search of build_result, one combination at a time.
        n = len(scenario.strategies)
        # (a plan's later phases are engine rows after the strategies: keep the strategies' own rows, issue 13)
        parts = [o.line_fixed, o.line_slope] + [
            np.asarray(a, dtype=float)[:n] if np.ndim(a) else a for a in (x.replica_cost, x.replica_capacity, x.min_replicas)
        ]
        flat = [
            np.broadcast_to(np.asarray(a, dtype=float).reshape(np.shape(a) + (1,) * (1 + len(shape) - np.ndim(a))) if np.ndim(a) else a, (n,) + shape).reshape(
                n, -1
            )
            for a in parts
        ]
        for j in range(be.size):
            sub = CostLines(*(f[:, j].copy() for f in flat))
            v, a = break_even_from_crossings(crossings(sub, i, b, vmax_hint=10 * v_ref))
            be.flat[j] = math.nan if v is None else v
            above.flat[j] = bool(a)
    return be, above


def lookup(grid: Grid, setting: dict[int, int], volume: float) -> np.ndarray:
    """Cumulative cost [strategies, months] at a setting (control index -> value index), as the page computes it."""
    rows = []
    vols = np.asarray(grid.controls[0].values)
    for sg in grid.strategies:
        if sg.stepped:
            assert sg.K is not None
            k = sg.K[setting[_growth(grid)]]
            j = int(np.clip(np.searchsorted(vols, volume), 1, len(vols) - 1))
            lo, hi = vols[j - 1], vols[j]
            w = 0.0 if hi == lo else (volume - lo) / (hi - lo)
            rows.append(k[j - 1] + (k[j] - k[j - 1]) * w)
        else:
            assert sg.P is not None and sg.Q is not None
            p = sg.P[tuple(setting[c] for c in sg.fixed_controls)]
            q = sg.Q[tuple(setting[c] for c in sg.var_controls)]
            rows.append(p + volume * q)
    return np.array(rows)


def _growth(grid: Grid) -> int:
    return next(k for k, c in enumerate(grid.controls) if c.kind == "growth")


def settings_to_check(grid: Grid, n: int = 4, seed: int = 0) -> list[tuple[dict[int, int], float]]:
    """The scenario's own setting, then ``n`` random ones at grid volumes."""
    rng = np.random.default_rng(seed)
    own = ({k: c.start for k, c in enumerate(grid.controls)}, grid.controls[0].values[grid.controls[0].start])
    out = [own]
    for _ in range(n):
        st = {k: int(rng.integers(len(c.values))) for k, c in enumerate(grid.controls)}
        out.append((st, grid.controls[0].values[st[0]]))
    return out


def check(grid: Grid) -> None:
    """Compare the lookups with a full engine run at a few settings; RuntimeError when they differ."""
    sc = grid.scenario
    for setting, volume in settings_to_check(grid):
        values = {c.target.path: c.values[setting[k]] for k, c in enumerate(grid.controls) if c.target is not None}
        x = engine_inputs(sc, values | {VOLUME: np.array([volume])}, (1,))
        want = np.cumsum(engine.evaluate(x).monthly.reshape(len(sc.strategies), -1), axis=-1)
        got = lookup(grid, setting, volume)
        if not np.allclose(got, want, rtol=CHECK_RTOL, atol=1e-6):
            raise RuntimeError(
                "the what-if page's lookups differ from the engine at "
                + ", ".join(f"{grid.controls[k].key}={grid.controls[k].values[v]:g}" for k, v in setting.items())
            )


def grid_size(grid: Grid) -> dict:
    """How many values each control has and how many engine evaluations the page took."""
    return {"controls": {c.key: len(c.values) for c in grid.controls}, "engine_points": grid.points}


def all_settings(grid: Grid):
    """Every combination of the non-volume controls' steps (for tests)."""
    ranges = [range(len(c.values)) for c in grid.controls[1:]]
    for combo in product(*ranges):
        yield {0: grid.controls[0].start, **{k + 1: v for k, v in enumerate(combo)}}
