"""Numeric limits and work budgets shared by the loader, sweeps, simulations and renderers.

* Every input number is at most :data:`MAX_NUMBER` in size, wherever it comes
  from: the scenario file, ``--volume``, ``--vary`` or a distribution's
  samples (distributions are cut there, like at any other bound of their field).
* A monthly rate compounded over the horizon stays below
  :data:`MAX_COMPOUND_FACTOR`; :func:`max_compound_rate` is the largest rate
  that does, for a horizon.
* Work is bounded by :data:`MAX_CELLS`, the number of strategy-months the
  engine may evaluate in one command (variants x strategies x months); see
  :func:`check_work`. Python integers, so a grid of 65,536^4 points is
  counted exactly instead of wrapping around in int64.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import FtcostError
from .i18n import N_, Message, term

if TYPE_CHECKING:  # numpy is imported where it is used
    from numpy.typing import ArrayLike

# No input number may exceed this (1e15 requests, tokens or currency units is far beyond any real plan);
# it keeps every product the engine forms finite (hardening, issue 5).
MAX_NUMBER = 1e15
MAX_COMPOUND_FACTOR = 1e100  # with MAX_NUMBER, keeps every month's cost a finite float
# Strategy-months one command may run through the month-by-month engine (variants x strategies x months;
# self-hosted strategies need it: their replica staircase has no closed form). It works in blocks, so memory
# stays bounded at any size; this bounds the time (about 70 ns a strategy-month on the 2-core reference machine
# under load: 10,000 samples x 50 strategies x 1,200 months took 42 s; 1.5e9 is about 100 s; docs/guarantees.md).
MAX_CELLS = 1_500_000_000
# The same for the closed forms (API strategies): only the payback month needs the months, about 4 ns a strategy-month
# (10^6 points x 50 strategies x 1,200 months took 227 s under load): 2.5e10 is about 1.5 minutes.
MAX_CLOSED_FORM_CELLS = 25_000_000_000
# Summary numbers kept in memory (variants x strategies): a few float64 arrays of this size, about 1 GB at the limit.
MAX_SUMMARY_CELLS = 50_000_000
# The month-by-month fallback keeps one block's [strategies, variants, months] arrays below this many elements.
BLOCK_CELLS = 2_000_000


def max_compound_rate(horizon: int) -> float:
    """The largest monthly rate whose compounding over ``horizon`` months stays <= MAX_COMPOUND_FACTOR.

    >>> round(max_compound_rate(1201), 6)   # (1 + r)^1200 = 1e100
    0.211528
    >>> max_compound_rate(1)
    inf
    """
    if horizon <= 1:
        return math.inf
    return math.expm1(math.log(MAX_COMPOUND_FACTOR) / (horizon - 1))


def compounds_too_far(rate: float, horizon: int) -> bool:
    """Whether ``(1 + rate)^(horizon - 1)`` exceeds MAX_COMPOUND_FACTOR."""
    return rate > 0 and (horizon - 1) * math.log1p(rate) > math.log(MAX_COMPOUND_FACTOR)


def grid_size(counts: Iterable[int]) -> int:
    """The number of points of a grid with these axis lengths, exactly (Python ints: no int64 wrap-around).

    >>> grid_size([65536] * 4)
    18446744073709551616
    """
    n = 1
    for c in counts:
        n *= int(c)
    return n


# What ftcost.engine.summary names in check_work's message (the engine marks nothing for translation), for the catalog.
WORK_NAMES = (N_("the engine"), N_("the month-by-month engine (self-hosted strategies)"))
REDUCE = N_("use fewer samples (-n) or grid points (--vary ...:N), fewer strategies, or a shorter horizon_months")


def check_work(variants: int, strategies: int, months: int, *, what: str, limit: int | None = None, reduce: str = REDUCE) -> None:
    """Refuse a command whose work (variants x strategies x months) is above ``limit`` (MAX_CELLS), and whose
    summary (variants x strategies) would not fit MAX_SUMMARY_CELLS, with the figure and a way out."""
    limit = MAX_CELLS if limit is None else limit
    kept = int(variants) * int(strategies)
    if kept > MAX_SUMMARY_CELLS:
        raise FtcostError(
            Message(
                "{variants:,} samples or grid points x {strategies} strategies = {kept:,} results, more than the {most:,} one run keeps in memory",
                variants=int(variants),
                strategies=int(strategies),
                kept=kept,
                most=MAX_SUMMARY_CELLS,
            ),
            hint=term(reduce),
        )
    cells = kept * int(months)
    if cells > limit:
        raise FtcostError(
            Message(
                "{what}: {variants:,} samples or grid points x {strategies} strategies x {months} months = {cells:,} strategy-months, "
                "more than the {most:,} one run may compute",
                what=term(what),
                variants=int(variants),
                strategies=int(strategies),
                months=int(months),
                cells=cells,
                most=limit,
            ),
            hint=term(reduce),
        )


def check_finite(values: ArrayLike | None, what: str, *, file: str | None = None) -> None:
    """Refuse a result that is not a finite number (a cost past 1e308): no inf or NaN may reach an output.

    The inputs' limits keep every cost finite in practice; this is the last check before rendering.
    ``values`` None is an output the engine was not asked for: a mistake in the caller.
    """
    import numpy as np

    if values is None:
        raise ValueError(f"{what}: not computed")

    v = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(v)):
        raise FtcostError(
            Message("{what} is too large to compute (past 1e308, the largest number ftcost can hold)", what=term(what)),
            file=file,
            hint=Message("lower the volume, its growth, the prices or the horizon"),
        )
