"""Names cut to a drawable length before a chart or a report is drawn.

A strategy or scenario name may be thousands of characters long; laid out
and drawn in full it makes the drawing time (and the page) grow with it.
:func:`for_drawing` returns a copy of a comparison result whose scenario
name, strategy names, ranges and warnings are cut to a fixed number of
characters (with "…"), so the charts and the PDF report take the same time
for any name. The result itself is left as it was (the JSON and the tables
keep every character).
"""

from __future__ import annotations

import copy
import dataclasses

MAX_NAME_CHARS = 80  # a strategy or scenario name as drawn
MAX_TEXT_CHARS = 400  # a warning as drawn


def short(text: str, n: int = MAX_NAME_CHARS) -> str:
    """``text`` cut to ``n`` characters, the last one "…" when cut.

    >>> short("x" * 100, 5)
    'xxxx…'
    """
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _unique(names: list[str]) -> list[str]:
    """Cut names, kept distinct: a cut that collides gets " (2)", " (3)", ..."""
    out: list[str] = []
    for name in names:
        cut = short(name)
        k = 2
        base = cut
        while cut in out:
            cut = short(base, MAX_NAME_CHARS - 6) + f" ({k})"
            k += 1
        out.append(cut)
    return out


def for_drawing(result):
    """A copy of ``result`` (a :class:`ftcost.result.Result`) with every name cut for drawing; ``result`` when none is long."""
    if result is None:
        return None
    sc = result.scenario
    names = [s.name for s in result.strategies]
    long_text = any(len(w) > MAX_TEXT_CHARS for s in result.strategies for w in s.warnings) or any(len(w) > MAX_TEXT_CHARS for w in result.price_warnings)
    if len(sc.name) <= MAX_NAME_CHARS and all(len(n) <= MAX_NAME_CHARS for n in names) and not long_text:
        return result
    cut = _unique(names)
    rename = dict(zip(names, cut))
    sc2 = copy.copy(sc)
    sc2.name = short(sc.name)
    sc2.strategies = [copy.copy(s) for s in sc.strategies]
    for s, n in zip(sc2.strategies, cut):
        s.name = n
    strategies = [
        dataclasses.replace(s, name=n, warnings=[short(w.replace(s.name, n), MAX_TEXT_CHARS) for w in s.warnings]) for s, n in zip(result.strategies, cut)
    ]
    ranges = [dataclasses.replace(r, strategy=rename.get(r.strategy, r.strategy)) for r in result.cheapest_by_volume]
    sim = result.simulation
    if sim is not None:  # the simulation page names the strategies too
        sim = dataclasses.replace(sim, scenario=sc2, strategies=[dataclasses.replace(st, name=n) for st, n in zip(sim.strategies, cut)])
    return dataclasses.replace(
        result,
        scenario=sc2,
        strategies=strategies,
        cheapest_by_volume=ranges,
        without_quality=for_drawing(result.without_quality),
        price_warnings=[short(w, MAX_TEXT_CHARS) for w in result.price_warnings],
        simulation=sim,
    )
