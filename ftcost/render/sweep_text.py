"""``ftcost sweep`` rendered: its table, Markdown, and CSV and JSON written a block of points at a time."""

from __future__ import annotations

import json

from .fmt import money
from .tabular import _csv, _value


def sweep_json(res):
    """The sweep's JSON (``to_json`` of it, byte for byte) as chunks: the points are written as they are made,
    so a 10^6-point sweep does not hold its whole JSON text or every row in memory."""
    head = json.dumps(res.head_dict(), indent=2, allow_nan=False)
    yield head[:-2] + ',\n  "points": ['
    first = True
    buf: list[str] = []
    for row in res.iter_rows():
        text = json.dumps(row, indent=2, allow_nan=False).replace("\n", "\n    ")
        buf.append(("\n    " if first else ",\n    ") + text)
        first = False
        if len(buf) >= 1000:
            yield "".join(buf)
            buf = []
    buf.append("\n  ]\n}\n" if not first else "]\n}\n")
    yield "".join(buf)


def _sweep_columns(res) -> tuple[list[str], list[list[str]]]:
    sc = res.scenario
    cur = sc.currency
    names = [s.name for s in sc.strategies]
    head = [v.target.describe(sc) for v in res.varies] + ["cheapest", "savings"] + [f"total: {n}" for n in names]
    rows = []
    for r in res.iter_rows():
        rows.append(
            [_value(x) for x in r["values"].values()]
            + [r["cheapest"] or "(no plan feasible)", money(r["savings"], cur, decimals=0) if r["savings"] is not None else "-"]
            + [money(s["total_cost"], cur, decimals=0) for s in r["strategies"]]
        )
    return head, rows


def _sweep_title(res) -> str:
    sc = res.scenario
    axes = " x ".join(f"{len(v.values)} values of {v.target.describe(sc)} ({v.path})" + (" (log scale)" if v.log else "") for v in res.varies)
    text = (
        f"{sc.name}: {res.size:,} points ({axes}), {sc.horizon_months} months, {sc.currency}, "
        f"baseline '{sc.baseline_name}'; savings = baseline total - cheapest total"
    )
    others = [".".join(str(p) for p in k) for k in sc.distributions if k not in {v.target.path for v in res.varies}]
    if others:
        text += "\nUncertain inputs at their medians: " + ", ".join(others)
    return text


def sweep_table(res) -> str:
    head, rows = _sweep_columns(res)
    widths = [max(len(h), *(len(r[j]) for r in rows)) for j, h in enumerate(head)]
    out = [_sweep_title(res), "", "  ".join(h.rjust(w) for h, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out) + "\n"


def sweep_markdown(res) -> str:
    head, rows = _sweep_columns(res)
    md = lambda s: s.replace("|", "\\|")  # noqa: E731
    out = [
        f"## {res.scenario.name}: sweep",
        "",
        _sweep_title(res).replace("\n", "  \n"),
        "",
        "| " + " | ".join(md(h) for h in head) + " |",
        "|" + "---:|" * len(head),
    ]
    out += ["| " + " | ".join(md(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def sweep_csv(res) -> str:
    return "".join(sweep_csv_chunks(res))


def sweep_csv_chunks(res):
    """The sweep's CSV in chunks of a few thousand rows (memory does not grow with the grid)."""
    sc = res.scenario
    names = [s.name for s in sc.strategies]
    head = ["currency"] + [v.path for v in res.varies] + ["cheapest", "savings"]
    for n in names:
        head += [f"total_cost[{n}]", f"break_even_requests_per_month[{n}]", f"payback_month[{n}]"]
    rows = [head]
    for r in res.iter_rows():
        row = [sc.currency] + list(r["values"].values()) + [r["cheapest"], r["savings"]]
        for s in r["strategies"]:
            row += [s["total_cost"], s["break_even_requests_per_month"], s["payback_month"]]
        rows.append(row)
        if len(rows) >= 2000:
            yield _csv(rows)
            rows = []
    if rows:
        yield _csv(rows)
