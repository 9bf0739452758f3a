"""The spreadsheet in a real spreadsheet program: LibreOffice recalculates it and gets ftcost's numbers.

One ``soffice --headless --convert-to xlsx`` call (a private profile in a
temporary folder) recalculates five workbooks: the 5-strategy scenario
(prompt, batch, Azure fine-tune, Together LoRA, self-hosted Llama) as
exported; the same with the volume and the number of months edited
(checked against ``compare --volume --horizon``); the same with every
per-strategy input cell edited, in two workbooks (alternate rows, so that a
wrong formula cannot hide behind another edit), checked against the engine
run on the same edited inputs; a job whose maximum fee caps its
training: 400M tokens x 2 epochs x $10 per 1M = $8,000, capped at $5,000; and
a fine-tuned model with published batch prices.
The recalculated values are read back with openpyxl (``data_only``).
"""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from ftcost import engine
from ftcost.api import compare
from ftcost.render.export import write_export
from ftcost.render.workbook import INPUT_ROWS, SERVING_ROWS

openpyxl = pytest.importorskip("openpyxl")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed, so the workbook cannot "
    "be recalculated by a real spreadsheet program; apt-get install libreoffice-calc-nogui",
)
REPO = Path(__file__).resolve().parents[1]
SPANISH = REPO / "scenarios" / "spanish-reviews.yaml"
CAPPED = """
ftcost: 1
name: capped training
start: 2027-01
horizon_months: 6
pricing: [catalogs/testco.yaml]
volume: {requests_per_month: 100000}
strategies:
  - name: prompt
    type: prompt
    model: testco/base-1
    request: {prompt_tokens: 1000}
  - name: capped
    type: fine_tuned
    model: testco/tune-1
    request: {prompt_tokens: 100}
    training: {tokens: 400000000, epochs: 2}
    prices: {max_job_fee: 5000}
  - name: published batch prices
    type: fine_tuned
    model: testco/tune-1
    request: {prompt_tokens: 100, completion_tokens: 10}
    batch_share: 0.5
    prices: {batch_input: 1.5, batch_output: 6}
"""


def _recalculate(paths: list[Path], out: Path, profile: Path) -> dict[str, object]:
    """Open and save every workbook in LibreOffice (one process), return the recalculated workbooks by stem."""
    out.mkdir()
    cmd = [SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "xlsx", "--outdir", str(out), *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return {p.stem: openpyxl.load_workbook(out / p.name, data_only=True) for p in paths}


def _summary(wb) -> dict[str, list]:
    sm = wb["Summary"]
    return {
        sm.cell(r, 1).value: [sm.cell(r, c).value for c in range(1, 11)]
        for r in range(5, sm.max_row + 1)
        if sm.cell(r, 2).value in ("prompt", "fine_tuned", "self_hosted")
    }


def _input_cells(wb) -> dict[tuple[str, int], str]:
    """(engine field, strategy index) -> the Inputs cell holding it."""
    ws = wb["Inputs"]
    by_label = {label: key for key, label, _u, _f in INPUT_ROWS}
    out = {}
    for r in range(1, ws.max_row + 1):
        key = by_label.get(ws.cell(r, 1).value)
        if key:
            for i in range(ws.max_column - 2):
                if ws.cell(r, 3 + i).value is not None or key == "max_job_fee":
                    out[(key, i)] = ws.cell(r, 3 + i).coordinate
    return out


def _edited(value, key: str, run_cost: float):
    """The new value of an input cell: every kind of input moves, shares stay shares, whole numbers stay whole."""
    if key == "has_training":
        return value
    if key == "max_job_fee":
        return round(run_cost * 0.6, 2) if run_cost > 0 else value  # a cap that bites
    if value in (None, 0, 0.0):
        return value
    if key in ("epochs", "min_replicas"):
        return value + 1
    if key == "retrain_every":
        return value + 2
    if key in ("batch_share", "batch_discount", "target_utilization", "cached_tokens"):
        return value * 0.8
    return value * 1.1


def _engine_after(result, edits: dict[tuple[str, int], float]):
    """The engine on the scenario's inputs with the same edits the workbook got."""
    sc = result.scenario
    x = sc.inputs()
    # One Inputs column per engine row: a plan over several models (issue 13) has a row per phase after the strategies.
    owner = list(x.owner) if x.owner is not None else list(range(len(sc.strategies)))
    n = len(owner)
    arrays = {}
    for (key, i), v in edits.items():
        if key in SERVING_ROWS:
            continue
        a = arrays.setdefault(key, np.array(np.broadcast_to(np.asarray(getattr(x, key), dtype=float), (n,))))
        a[i] = np.inf if v is None else v
    cap = np.array(np.broadcast_to(np.asarray(x.replica_capacity, dtype=float), (n,)))
    cost = np.array(np.broadcast_to(np.asarray(x.replica_cost, dtype=float), (n,)))
    for i, q in enumerate(owner):
        st = sc.strategies[q]
        if st.serving is None:
            continue
        g = {k: edits.get((k, i)) for k in SERVING_ROWS}
        sv = st.serving
        rps, util, hours = g["requests_per_second"], g["target_utilization"], g["serving_hours"]
        rps = sv.requests_per_second if rps is None else rps
        util = sv.target_utilization if util is None else util
        hours = sv.hours_per_month if hours is None else hours
        gpu = sv.gpu_per_hour if g["gpu_per_hour"] is None else g["gpu_per_hour"]
        gpus = sv.gpus_per_replica if g["gpus_per_replica"] is None else g["gpus_per_replica"]
        cap[i] = rps * util * hours * 3600
        cost[i] = gpu * gpus * hours
    return engine.evaluate(x.replace(**arrays, replica_capacity=cap, replica_cost=cost))


def _check(summary: dict, names: list[str], totals, payback, break_even=None, horizon=None, baseline=0, at_export=()):
    """Totals, averages, paybacks and break-evens of the recalculated Summary; ``at_export``: strategies whose
    break-even is a value from the export (a self-hosted staircase), so stale after an edit by design."""
    for i, name in enumerate(names):
        row = summary[name]
        assert row[3] == pytest.approx(float(totals[i]), rel=1e-9), (name, "total")
        if horizon:
            assert row[4] == pytest.approx(float(totals[i]) / horizon, rel=1e-9), (name, "average per month")
        if i == baseline:
            continue
        # ahead for a while but dearer over the months: no payback, as compare's table says
        dearer = float(totals[i]) > float(totals[baseline]) * (1 + 1e-9)
        want = int(payback[i]) if payback[i] and not dearer else "none"
        assert row[9] == want, (name, "payback")
        if break_even is not None and break_even[i] is not None and name not in at_export:
            assert row[7] == pytest.approx(break_even[i], rel=1e-9), (name, "break-even")


def test_libreoffice_recalculates_ftcost_numbers(write_scenario, tmp_path):
    base = compare(SPANISH)
    capped = compare(write_scenario(CAPPED))
    books = {}
    for stem, result in (("spanish", base), ("volume", base), ("even", base), ("odd", base), ("capped", capped)):
        books[stem] = tmp_path / f"{stem}.xlsx"
        write_export(result, books[stem])
    h = base.scenario.horizon_months
    v2, h2 = base.scenario.requests_per_month * 3, h - 6

    # The month and volume edit.
    wb = openpyxl.load_workbook(books["volume"])
    inp = wb["Inputs"]
    inp[wb.defined_names["Volume_month1"].attr_text.split("!")[1].replace("$", "")] = v2
    inp[wb.defined_names["Horizon_months"].attr_text.split("!")[1].replace("$", "")] = h2
    wb.save(books["volume"])

    # Every per-strategy input cell, alternate rows in two workbooks.
    x = base.scenario.inputs()
    owner = list(x.owner) if x.owner is not None else list(range(len(base.strategies)))
    run_cost = [base.strategies[q].training_cost_per_run for q in owner]  # per Inputs column (engine row)
    edits = {}
    for stem, parity in (("even", 0), ("odd", 1)):
        wb = openpyxl.load_workbook(books[stem])
        ws = wb["Inputs"]
        mine = {}
        for (key, i), coord in _input_cells(wb).items():
            if ws[coord].row % 2 != parity:
                continue
            new = _edited(ws[coord].value, key, run_cost[i])
            if new != ws[coord].value:
                ws[coord] = new
                mine[(key, i)] = new
        assert len(mine) > 20, mine  # a real edit of many inputs of every strategy type
        edits[stem] = mine
        wb.save(books[stem])
    assert {k for k, _i in edits["even"] | edits["odd"]} >= {"gpu_per_hour", "requests_per_second", "max_job_fee", "training_price", "per_hour", "input_price"}

    got = _recalculate(list(books.values()), tmp_path / "out", tmp_path / "profile")
    names = [s.name for s in base.strategies]

    # As exported: every total, average, payback and (straight-line) break-even is compare's.
    _check(
        _summary(got["spanish"]),
        names,
        [s.total_cost for s in base.strategies],
        [s.payback_month or 0 for s in base.strategies],
        [s.break_even_requests_per_month for s in base.strategies],
        horizon=h,
    )
    # The self-hosted break-even is a value computed at export, and says so in its cell format.
    assert "(at export)" in got["spanish"]["Summary"].cell(5 + names.index("self-hosted Llama 8B"), 8).number_format

    # Volume x 3 and 6 months fewer: compare --volume --horizon.
    moved = compare(SPANISH, volume=v2, horizon=h2)
    stairs = {s.name for s in base.strategies if s.type == "self_hosted"}
    _check(
        _summary(got["volume"]),
        names,
        [s.total_cost for s in moved.strategies],
        [s.payback_month or 0 for s in moved.strategies],
        [s.break_even_requests_per_month for s in moved.strategies],
        horizon=h2,
        at_export=stairs,
    )
    sched = got["volume"]["Schedule"]
    assert sched.cell(2 + h2, 11).value == 0  # month h2 + 1 of the first strategy costs nothing

    for stem in ("even", "odd"):
        o = _engine_after(base, edits[stem])
        be = [None if math.isnan(v) else float(v) for v in np.asarray(o.break_even, dtype=float)]
        _check(_summary(got[stem]), names, o.total_cost, o.payback_month, be, horizon=h, at_export=stairs)

    # The cap: $8,000 of tokens, billed $5,000.
    wb = got["capped"]
    ws = wb["Inputs"]
    run_row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Cost of one training run"))
    assert ws.cell(run_row, 4).value == pytest.approx(5000)
    assert capped.strategies[1].training_cost_per_run == pytest.approx(5000)
    # Half the requests at the published batch prices: (100 x 3 + 10 x 12) / 2 + (100 x 1.5 + 10 x 6) / 2 = 315
    # per 1M requests, not the 50% discount.
    assert capped.strategies[2].cost_per_request == pytest.approx(315e-6)
    _check(
        _summary(wb),
        ["prompt", "capped", "published batch prices"],
        [s.total_cost for s in capped.strategies],
        [s.payback_month or 0 for s in capped.strategies],
        horizon=6,
    )
    assert not any("not modelled" in str(c.value).lower() for row in wb["Summary"].iter_rows() for c in row)
