"""``ftcost sweep``: the comparison over a grid of input values.

Each ``--vary PATH=START:STOP[:log]:N`` gives one axis: N values from START
to STOP, evenly spaced (or evenly spaced in log scale with ``log``); a list
``PATH=V1,V2,...`` gives the values themselves. The grid is every
combination; all its points go through the engine at once, as extra variant
axes of the engine inputs. Inputs of the scenario that have a distribution
take their median (as in ``ftcost compare``), except the ones being swept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import FtcostError
from ..i18n import N_, Message, term
from ..limits import check_finite, grid_size
from ..model import paths
from ..model.derive import engine_inputs

MAX_POINTS = 1_000_000
ROW_BLOCK = 4096  # grid points turned into output rows at a time
FULL_SUMMARY_CELLS = 5_000_000  # points x strategies up to which SweepResult.summary has every field
SWEEP_OUTPUTS = ("total_cost", "break_even", "payback_month", "cost_per_request", "cheapest")


class SweepError(FtcostError):
    """A --vary option that cannot be read."""


@dataclass
class Vary:
    """One swept input: its path, target field and values."""

    spec: str
    target: paths.Target
    values: np.ndarray
    log: bool = False

    @property
    def path(self) -> str:
        return self.target.dotted


def parse_values(spec: str) -> tuple[str, np.ndarray, bool]:
    """``PATH=START:STOP[:log]:N`` or ``PATH=V1,V2,...`` -> (path, values, log scale).

    >>> parse_values("volume.requests_per_month=1e3:1e5:log:3")
    ('volume.requests_per_month', array([  1000.,  10000., 100000.]), True)
    >>> parse_values("strategies.0.request.prompt_tokens=500:4000:8")[1].tolist()
    [500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0, 3500.0, 4000.0]
    """
    if "=" not in spec:
        raise SweepError(
            Message("--vary '{spec}': expected PATH=START:STOP[:log]:N", spec=spec),
            hint=Message("for example {example}", example="--vary volume.requests_per_month=1e3:1e7:log:50"),
        )
    path, _, rng = spec.partition("=")
    path, rng = path.strip(), rng.strip()
    if not path:
        raise SweepError(
            Message("--vary '{spec}': the key path before '=' is missing", spec=spec),
            hint=Message("for example {example}", example="volume.requests_per_month=1e3:1e7:log:50"),
        )

    def num(text: str, what: str) -> float:
        if not text.isascii():
            raise SweepError(Message("--vary '{spec}': {what} '{text}' is not a number written with ASCII digits 0-9", spec=spec, what=term(what), text=text))
        try:
            v = float(text.replace("_", ""))
        except ValueError:
            raise SweepError(Message("--vary '{spec}': {what} '{text}' is not a number", spec=spec, what=term(what), text=text)) from None
        if not math.isfinite(v):
            raise SweepError(Message("--vary '{spec}': {what} must be a finite number, got '{text}'", spec=spec, what=term(what), text=text))
        return v

    if ":" not in rng:
        items = [t for t in rng.split(",") if t.strip()]
        if not items:
            raise SweepError(Message("--vary '{spec}': no values after '='", spec=spec), hint=Message("PATH=START:STOP[:log]:N or PATH=V1,V2,..."))
        return path, np.array([num(t.strip(), N_("value")) for t in items]), False
    parts = [t.strip() for t in rng.split(":")]
    log = False
    if len(parts) == 4:
        if parts[2].lower() != "log":
            raise SweepError(Message("--vary '{spec}': the third part must be 'log', got '{part}'", spec=spec, part=parts[2]), hint="PATH=START:STOP:log:N")
        log = True
        parts = [parts[0], parts[1], parts[3]]
    if len(parts) != 3:
        raise SweepError(
            Message("--vary '{spec}': expected START:STOP:N or START:STOP:log:N after '='", spec=spec),
            hint=Message("for example {example}", example=Message("{first} or {second}", first="1e3:1e7:log:50", second="500:4000:8")),
        )
    start, stop = num(parts[0], N_("START")), num(parts[1], N_("STOP"))
    try:
        if not parts[2].isascii():
            raise ValueError(parts[2])
        n = int(parts[2])
    except ValueError:
        raise SweepError(Message("--vary '{spec}': N (the number of points) must be a whole number, got '{part}'", spec=spec, part=parts[2])) from None
    if n < 1:
        raise SweepError(Message("--vary '{spec}': N (the number of points) must be at least 1, got {n}", spec=spec, n=n))
    if n > MAX_POINTS:
        raise SweepError(Message("--vary '{spec}': {n:,} points is more than the {most:,} a sweep may have", spec=spec, n=n, most=MAX_POINTS))
    if log:
        if start <= 0 or stop <= 0:
            raise SweepError(Message("--vary '{spec}': a log scale needs START and STOP above 0", spec=spec), hint=Message("drop ':log' to include 0"))
        values = np.geomspace(start, stop, n)
        values[0], values[-1] = start, stop  # exactly the ends given
    else:
        values = np.linspace(start, stop, n)
    return path, values, log


def parse_vary(scenario, spec: str) -> Vary:
    """Read one --vary option against ``scenario``: path resolved, values checked against the field's range."""
    path, values, log = parse_values(spec)
    target = paths.resolve(scenario, path)
    try:
        target.check_values(values, f"--vary {spec}", horizon=scenario.horizon_months)
    except paths.PathError as exc:
        raise SweepError(exc.message, hint=exc.hint or _range_hint(target)) from None
    return Vary(spec=spec, target=target, values=values, log=log)


def _range_hint(t: paths.Target) -> str:
    f = t.field
    lo = "" if f.minimum is None else f"{'>' if f.exclusive_min else '>='} {f.minimum:g}"
    hi = "" if f.maximum is None else f"<= {f.maximum:g}"
    what = Message("{first} and {second}", first=lo, second=hi) if lo and hi else lo or hi
    if not what:
        return Message(N_("{label} takes whole numbers") if f.integer else N_("{label} takes values"), label=t.label)
    return Message(N_("{label} takes whole numbers {range}") if f.integer else N_("{label} takes values {range}"), label=t.label, range=what)


@dataclass
class SweepResult:
    """Every grid point's summary: arrays [strategies, N1, N2, ...]."""

    scenario: Any
    varies: list[Vary]
    summary: Any  # engine.summary.Summary
    shape: tuple = field(default=())

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def savings(self) -> np.ndarray:
        """Baseline total minus the cheapest feasible total at every point [N1, N2, ...] (0 where the baseline is
        cheapest, NaN where no plan is feasible over the whole horizon)."""
        t = np.asarray(self.summary.total_cost)
        pick = np.asarray(self.summary.cheapest)
        best = np.take_along_axis(t, np.maximum(pick, 0)[None], axis=0)[0]
        return np.where(pick >= 0, t[self.scenario.baseline] - best, np.nan)

    def savings_of(self, s: int) -> np.ndarray:
        t = np.asarray(self.summary.total_cost)
        return t[self.scenario.baseline] - t[s]

    def grid(self) -> list[np.ndarray]:
        return list(np.meshgrid(*(v.values for v in self.varies), indexing="ij"))

    def rows(self) -> list[dict]:
        """One dict per grid point, in grid order (the last --vary changes fastest)."""
        return list(self.iter_rows())

    def iter_rows(self, block: int = ROW_BLOCK):
        """The rows of :meth:`rows` one at a time, built ``block`` points at a time: memory does not grow with the grid."""
        sc = self.scenario
        sm = self.summary
        names = [s.name for s in sc.strategies]
        flat = lambda a: np.reshape(np.broadcast_to(a, (len(names),) + self.shape), (len(names), -1))  # noqa: E731
        total, be, pay = flat(sm.total_cost), flat(sm.break_even), flat(sm.payback_month)
        cpr = flat(sm.cost_per_request)
        cheapest = np.reshape(np.broadcast_to(sm.cheapest, self.shape), -1)
        b = sc.baseline
        h = sc.horizon_months
        feasible = flat(sm.feasible_until) if sm.feasible_until is not None else np.full((len(names), self.size), h)
        s_range = range(len(names))
        for lo in range(0, self.size, block):
            hi = min(self.size, lo + block)
            idx = np.unravel_index(np.arange(lo, hi), self.shape)
            values = [v.values[i].tolist() for v, i in zip(self.varies, idx)]
            t, e, p, c = (a[:, lo:hi].tolist() for a in (total, be, pay, cpr))
            ch = cheapest[lo:hi].tolist()
            fu = feasible[:, lo:hi].tolist()
            for j in range(hi - lo):
                w = ch[j]
                yield {
                    "values": {v.path: float(vals[j]) for v, vals in zip(self.varies, values)},
                    # The cheapest plan feasible over the whole horizon; None where no plan is (issue 13).
                    "cheapest": names[w] if w >= 0 else None,
                    "savings": float(t[b][j] - t[w][j]) if w >= 0 else None,
                    "strategies": [
                        {
                            "name": names[i],
                            "total_cost": float(t[i][j]),
                            "cost_per_request": float(c[i][j]),
                            "break_even_requests_per_month": None if i == b or math.isnan(e[i][j]) else float(e[i][j]),
                            "payback_month": None if i == b or p[i][j] == 0 else int(p[i][j]),
                            "feasible_until": int(fu[i][j]) or None,
                            "feasible": bool(fu[i][j] >= h),
                        }
                        for i in s_range
                    ],
                }

    def head_dict(self) -> dict:
        """:meth:`to_dict` without its points (the JSON renderer streams those after it)."""
        sc = self.scenario
        return {
            "scenario": sc.name,
            "currency": sc.currency,
            "horizon_months": sc.horizon_months,
            "baseline": sc.baseline_name,
            "vary": [{"path": v.path, "values": v.values.tolist(), "scale": "log" if v.log else "linear"} for v in self.varies],
            "medians_for": [".".join(str(p) for p in k) for k in sc.distributions if k not in {v.target.path for v in self.varies}],
        }

    def to_dict(self) -> dict:
        return {**self.head_dict(), "points": self.rows()}


def sweep(scenario, specs: list[str], block_size: int | None = None) -> SweepResult:
    """Run ``scenario`` over the grid of every ``--vary`` spec (see :func:`parse_values`).

    Returns
    -------
    SweepResult
        Summary arrays [strategies, N1, N2, ...], one axis per spec in order.

    Examples
    --------
    A grid point equals ``ftcost compare`` run with that value (up to rounding
    in the last bits): tests/test_sweep.py.
    """
    from ..engine.summary import evaluate_summary

    if not specs:
        raise SweepError(
            Message("give at least one --vary PATH=START:STOP[:log]:N"),
            hint=Message("for example {example}", example="--vary volume.requests_per_month=1e3:1e7:log:50"),
        )
    varies = [parse_vary(scenario, s) for s in specs]
    seen: dict[tuple, str] = {}
    for v in varies:
        if v.target.path in seen:
            raise SweepError(
                Message("--vary '{spec}' varies {label} again (also --vary '{other}')", spec=v.spec, label=v.target.label, other=seen[v.target.path])
            )
        seen[v.target.path] = v.spec
    if {("volume", "requests_per_month"), ("volume", "requests_per_day")} <= set(seen):
        raise SweepError(Message("vary volume.requests_per_month or volume.requests_per_day, not both (they are the same number)"))
    shape = tuple(len(v.values) for v in varies)
    points = grid_size(shape)  # Python ints: 65,536^4 must not wrap around to 0
    if points > MAX_POINTS:
        raise SweepError(
            Message("the grid has {n:,} points, more than {most:,}", n=points, most=MAX_POINTS),
            hint=Message("use fewer points per --vary ({shape})", shape=" x ".join(f"{n:,}" for n in shape)),
        )
    grid = np.meshgrid(*(v.values for v in varies), indexing="ij")
    x = engine_inputs(scenario, {v.target.path: g for v, g in zip(varies, grid)}, shape)
    # Every summary number while it fits easily in memory; past that, only the ones the outputs show (14 arrays of
    # [strategies, points] would be 5.6 GB for 10^6 points x 50 strategies; these 5 are 1.6 GB).
    wanted = None if points * len(scenario.strategies) <= FULL_SUMMARY_CELLS else SWEEP_OUTPUTS
    summary = evaluate_summary(x, block_size, outputs=wanted)
    check_finite(summary.total_cost, N_("the total cost at a grid point"), file=scenario.file)
    return SweepResult(scenario, varies, summary, shape)
