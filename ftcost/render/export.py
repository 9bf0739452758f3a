"""The monthly schedule as a tidy CSV, or as a spreadsheet that recomputes (:mod:`ftcost.render.workbook`).

CSV: one row per strategy and month (tidy), full precision: the engine's
monthly breakdown (variable, fixed, GPUs, training, one-time, data
generation), which adds up to the total, the JSON ``monthly`` list.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..result import SCHEDULE_PARTS, Result
from .cells import guard_workbook, safe_row, user_texts
from .workbook import SCHEDULE_COLUMNS, workbook  # noqa: F401  (the spreadsheet's public names, as before)

EXTENSIONS = (".xlsx", ".csv")

CSV_FIELDS = ["strategy", "month", "calendar_month", "requests", *SCHEDULE_PARTS, "total_cost", "cumulative_cost", "currency"]


# --------------------------------------------------------------------------
# The schedule as numbers


def schedule(result: Result) -> dict[str, np.ndarray]:
    """The monthly schedule per strategy, arrays shaped [strategies, months]: :meth:`Result.schedule`."""
    return result.schedule()


def to_csv(result: Result) -> str:
    """Tidy CSV: one row per strategy and month, unrounded numbers in the scenario currency."""
    sc = result.scenario
    sch = schedule(result)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for i, s in enumerate(result.strategies):
        for k in range(sc.horizon_months):
            w.writerow(safe_row([s.name, k + 1, sc.month_label(k + 1)] + [repr(float(sch[c][i, k])) for c in CSV_FIELDS[3:-1]] + [sc.currency]))
    return buf.getvalue()


def write_export(result: Result, path: str | Path, *, inputs: Iterable = ()) -> Path:
    """Write the schedule to ``path``: ``.csv`` (tidy) or ``.xlsx`` (with formulas), atomically."""
    from ..outputs import check_output_path, write_atomic
    from .plot import writing

    p = check_output_path(path, inputs=inputs, extensions=EXTENSIONS)
    if p.suffix.lower() == ".csv":
        data = to_csv(result)
    else:
        data = workbook(result)
        guard_workbook(data, user_texts(result))  # a name or source like '=HYPERLINK(...)' stays text
    with writing(p):
        if isinstance(data, str):
            return write_atomic(p, data, inputs=inputs, extensions=EXTENSIONS)
        return write_atomic(p, lambda tmp: data.save(tmp), inputs=inputs, extensions=EXTENSIONS)
