"""What every output says about volume, so the headline, the charts and the tables tell one story.

The recommendation compares totals over the horizon, with the volume growing
month by month. A chart of cost against a constant volume shows the same
answer at the horizon-average volume (exactly so for straight cost lines:
the total is H x the line at the average volume), so the charts mark month 1,
the last month and the average, and name the cheapest strategy at the
average. Plain data, no matplotlib.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class VolumePath:
    first: float  # month 1
    last: float  # month H
    average: float  # the mean over the horizon: total volume / H

    @property
    def grows(self) -> bool:
        return self.last != self.first


def volume_path(scenario) -> VolumePath:
    """Month 1, last month and average monthly volume of the plan.

    >>> class S: requests_per_month, growth_per_month, horizon_months = 1000.0, 0.1, 3
    >>> p = volume_path(S())
    >>> p.first, round(p.last, 6), round(p.average, 6)
    (1000.0, 1210.0, 1103.333333)
    """
    v1 = float(scenario.requests_per_month)
    g = float(scenario.growth_per_month)
    h = int(scenario.horizon_months)
    vols = [v1 * (1 + g) ** k for k in range(h)]
    finite = [v for v in vols if math.isfinite(v)]
    last = vols[-1] if math.isfinite(vols[-1]) else (finite[-1] if finite else v1)
    avg = sum(finite) / len(finite) if finite else v1
    return VolumePath(v1, float(last), float(avg))


def shown_ranges(result, most: int = 8) -> tuple[list, list]:
    """The cheapest-by-volume ranges worth a line each, and the rest (a GPU staircase alternating far away).

    Ranges that start within 10x the largest volume the plan reaches, at most ``most`` of them; a single
    range left over is shown too.
    """
    ranges = list(result.cheapest_by_volume or [])
    p = volume_path(result.scenario)
    reach = max(p.first, p.last, 1.0)
    shown = [r for r in ranges if r.from_requests_per_month <= 10 * reach][:most]
    if len(ranges) - len(shown) <= 1:
        return ranges, []
    return shown, ranges[len(shown) :]


def key_volumes(result) -> list[float]:
    """The volumes a break-even chart must show: month 1, last month, average, every break-even against the
    baseline and every change of the cheapest strategy worth a line (:func:`shown_ranges`, plus where the rest
    starts). Positive and finite only."""
    p = volume_path(result.scenario)
    marks = [p.first, p.last, p.average]
    marks += [s.break_even_requests_per_month for s in result.strategies if s.break_even_requests_per_month]
    shown, rest = shown_ranges(result)
    marks += [r.from_requests_per_month for r in shown]
    if rest:
        marks.append(rest[0].from_requests_per_month)
    return sorted({float(v) for v in marks if v and v > 0 and math.isfinite(v)})


def wants_log(volumes: list[float], decades: float = 1.3) -> bool:
    """Log volume axis when the key volumes span more than ``decades`` (default 1.3, 20x).

    On a linear axis from 0, a volume 20x smaller than the largest one sits 4% from the left edge,
    about the least that still reads apart from the axis; beyond that a log axis keeps every mark apart.

    >>> wants_log([300_000, 1_760_000, 400_000, 95_000_000]), wants_log([1e6, 1.2e6, 8e6])
    (True, False)
    """
    pos = [v for v in volumes if v > 0]
    return bool(pos) and math.log10(max(pos) / min(pos)) > decades
