"""The shapes ``ftcost simulate``, ``sweep`` and ``sensitivity`` render to: a width-fitted table, Markdown, CSV, JSON.

Numbers in CSV and JSON are plain floats, unrounded; null / empty means
"never" or "not defined".
"""

from __future__ import annotations

import csv
import io
import json

from .cells import safe_row
from .fmt import count
from .layout import fit_table


def to_json(obj) -> str:
    return json.dumps(obj.to_dict(), indent=2, allow_nan=False) + "\n"


def _grid(header: list[str], body: list[tuple[str, list[str]]]) -> list[str]:
    """A right-aligned table: a label column, then one column per header entry, within the output's width."""
    return fit_table(header, body)


def _wrapped(text: str) -> list[str]:
    """Prose lines wrapped to the output's width."""
    from .layout import output_width, wrap

    return [line for para in text.split("\n") for line in wrap(para, output_width())]


def _markdown(header: list[str], body: list[tuple[str, list[str]]], first: str = "") -> list[str]:
    md = lambda s: s.replace("|", "\\|")  # noqa: E731
    out = [f"| {md(first)} | " + " | ".join(md(h) for h in header) + " |", "|---|" + "---:|" * len(header)]
    out += [f"| {md(label)} | " + " | ".join(md(c) for c in cells) + " |" for label, cells in body]
    return out


def _csv(rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow(safe_row("" if v is None else v for v in r))
    return buf.getvalue()


def _value(v: float) -> str:
    if v != 0 and (abs(v) >= 1e4):
        return count(v)
    return f"{v:.6g}"
