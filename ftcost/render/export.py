"""The monthly schedule as a tidy CSV, or as a spreadsheet that recomputes.

CSV: one row per strategy and month (tidy), full precision, the same totals
as the JSON ``monthly`` lists.

XLSX (openpyxl, imported only here): three sheets a finance user can work
with, plus the price sources.

* **Inputs**: the scenario (volume in month 1, growth) and one column per
  strategy with every engine input (tokens, prices, hosting, training...).
  Yellow cells are inputs; grey cells are formulas derived from them.
* **Schedule**: one row per strategy and month with formulas: volume,
  price index, variable, fixed, training, one-time, total, cumulative.
* **Summary**: per strategy the total over the horizon, the average monthly
  cost, the break-even volume against the baseline and the payback month, all
  formulas over Schedule and Inputs; and the cheapest strategy.

The formulas are the engine's (docs/design.md "The math" plus the documented
extensions): month m volume ``V1 (1+g)^(m-1)``; per-token prices times
``(1+p)^(m-1)``; training runs at months 1, 1+R, 1+2R, ...; one-time and
data-generation costs in month 1; self-hosted replicas
``max(min, ceil(V/capacity))``. The number of months (rows) is fixed when the
file is written: to change the horizon, export again with ``--horizon``.
openpyxl writes formulas without cached values, so the workbook asks to be
recalculated on load (Excel, LibreOffice and Google Sheets do).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path

import numpy as np

from ..i18n import N_, _, month
from ..result import SCHEDULE_PARTS, Result
from .cells import guard_workbook, safe_row, user_texts
from .fmt import symbol

EXTENSIONS = (".xlsx", ".csv")

CSV_FIELDS = ["strategy", "month", "calendar_month", "requests", *SCHEDULE_PARTS, "total_cost", "cumulative_cost", "currency"]


# --------------------------------------------------------------------------
# The schedule as numbers


def _per_strategy(value, n: int) -> np.ndarray:
    a = np.asarray(value, dtype=float)
    return np.broadcast_to(a, (n,)).astype(float) if a.ndim <= 1 else a.reshape(n, -1)[:, 0]


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


# --------------------------------------------------------------------------
# The spreadsheet

# (engine Inputs field, label, unit, number format key)
INPUT_ROWS = [
    ("prompt_tokens", N_("Prompt tokens per request (instructions, examples)"), N_("tokens"), "int"),
    ("input_tokens", N_("User input tokens per request"), N_("tokens"), "int"),
    ("cached_tokens", N_("Of the input, tokens billed at the cached price"), N_("tokens"), "int"),
    ("completion_tokens", N_("Output tokens per request"), N_("tokens"), "int"),
    ("input_price", N_("Input price"), N_("per 1M tokens"), "rate"),
    ("cached_price", N_("Cached input price"), N_("per 1M tokens"), "rate"),
    ("output_price", N_("Output price"), N_("per 1M tokens"), "rate"),
    ("batch_share", N_("Share of requests sent through a batch API"), N_("0..1"), "pct"),
    ("batch_discount", N_("Batch discount"), N_("fraction off"), "pct"),
    ("price_change", N_("Change of per-token prices each month (compounding)"), N_("per month"), "pct"),
    ("quality_cost", N_("Expected cost of errors per request"), N_("per request"), "small"),
    ("per_hour", N_("Hosting per deployment-hour"), N_("per hour"), "money"),
    ("hours_per_month", N_("Hosting hours per month"), N_("hours"), "num"),
    ("deployments", N_("Deployments"), N_("count"), "num"),
    ("storage_per_month", N_("Model storage"), N_("per month"), "money"),
    ("fixed_monthly_cost", N_("Other fixed monthly cost"), N_("per month"), "money"),
    ("replica_capacity", N_("Self-hosted: requests one replica serves a month (0 = not self-hosted)"), N_("requests"), "int"),
    ("replica_cost", N_("Self-hosted: cost of one replica"), N_("per month"), "money"),
    ("min_replicas", N_("Self-hosted: minimum replicas"), N_("count"), "num"),
    ("has_training", N_("Trains a model (1 = yes, 0 = no)"), N_("0/1"), "int"),
    ("training_tokens", N_("Training tokens per epoch"), N_("tokens"), "int"),
    ("epochs", N_("Epochs per run"), N_("count"), "int"),
    ("training_price", N_("Training price"), N_("per 1M tokens"), "rate"),
    ("training_fixed", N_("Training cost per run not tied to tokens"), N_("per run"), "money"),
    ("min_job_fee", N_("Minimum fee per training job"), N_("per run"), "money"),
    ("retrain_every", N_("Retrain every (0 = train once)"), N_("months"), "int"),
    ("one_time_cost", N_("One-time cost (month 1)"), N_("once"), "money"),
    ("data_generation_cost", N_("Training data generation (month 1)"), N_("once"), "money"),
]
MODELLED = {r[0] for r in INPUT_ROWS} | {
    "horizon",
    "baseline",
    "requests_per_month",
    "growth",
    "examples",
    "extra",
    # plans (issue 13): one Inputs column per phase, the Schedule uses the active one;
    # feasibility is not a cost (the Summary shows it as a value)
    "first_month",
    "last_month",
    "owner",
    "jobs_until",
    "feasible_last",
}

DERIVED_ROWS = [
    ("token_cost", N_("Token cost per request (month-1 prices)"), N_("per request"), "small"),
    ("fixed_monthly", N_("Fixed monthly cost (excl. replicas)"), N_("per month"), "money"),
    ("training_run", N_("Cost of one training run (month-1 prices)"), N_("per run"), "money"),
    ("training_runs", N_("Training runs within the horizon"), N_("count"), "int"),
]

SCHEDULE_COLUMNS = [
    N_("Strategy"),
    N_("Month"),
    N_("Calendar month"),
    N_("Requests"),
    N_("Price index"),
    N_("Variable cost"),
    N_("Replicas"),
    N_("Fixed cost"),
    N_("Training"),
    N_("One-time"),
    N_("Total"),
    N_("Cumulative"),
    N_("Baseline cumulative"),
    N_("At or below baseline"),
]

INPUT_FILL = "FFF2CC"
FORMULA_FILL = "F2F2F2"
HEADER_FILL = "DDEBF7"


def unmodelled_inputs(result: Result) -> list[str]:
    """Engine inputs the spreadsheet's formulas do not model that this scenario uses (non-zero)."""
    x = result.scenario.inputs()
    out = []
    for f in fields(x):
        if f.name in MODELLED:
            continue
        v = np.asarray(getattr(x, f.name), dtype=float)
        if np.any(v != 0):
            out.append(f.name)
    return out


def _formats(currency: str) -> dict[str, str]:
    sym = symbol(currency)

    def m(body: str) -> str:
        return f'"{sym}"{body}' if sym else f'{body} "{currency}"'

    return {
        "money": m("#,##0.00"),
        "small": m("0.00000000"),
        "rate": m("#,##0.00##"),
        "int": "#,##0",
        "num": "#,##0.##",
        "pct": "0.0##%",
        "volume": "#,##0",
        "index": "0.0000",
    }


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def workbook(result: Result):
    """Build the openpyxl Workbook (Inputs, Schedule, Summary, Sources)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    sc = result.scenario
    o = result.outputs
    x = sc.inputs()
    n = len(result.strategies)
    h = sc.horizon_months
    # A plan over several models (issue 13) has one engine row per phase: one Inputs column each, strategies first.
    owner = list(x.owner) if x.owner is not None else list(range(n))
    n_rows = len(owner)
    first_m = _per_strategy(x.first_month, n_rows)
    last_m = np.minimum(_per_strategy(x.last_month, n_rows), h)

    def active_row(i: int, month: int) -> int:
        """The phase of strategy i that runs in ``month`` (its first phase when none is listed)."""
        return next((r for r in range(n_rows) if owner[r] == i and first_m[r] <= month <= last_m[r]), i)

    b = sc.baseline
    fmt = _formats(sc.currency)
    col = {f.name: _per_strategy(getattr(x, f.name), n_rows) for f in fields(x) if f.name not in ("horizon", "baseline", "extra", "owner")}
    epochs = np.asarray(o.epochs, dtype=float).reshape(-1)[owner]  # a later phase trains on the same data
    col["epochs"] = np.where(col["has_training"] > 0, epochs, 0.0)
    phase_models = {
        r: ph.model.ref
        for i, st in enumerate(sc.strategies)
        if st.plan is not None
        for r, ph in zip([i] + [q for q in range(n, n_rows) if owner[q] == i], st.plan.phases)
    }

    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    note_font = Font(italic=True, color="595959")
    fill_in = PatternFill("solid", fgColor=INPUT_FILL)
    fill_f = PatternFill("solid", fgColor=FORMULA_FILL)
    fill_h = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()
    wb.calculation.fullCalcOnLoad = True

    # ---------------- Inputs
    ws = wb.active
    ws.title = "Inputs"
    ws["A1"] = _("{name}: inputs").format(name=sc.name)
    ws["A1"].font = title_font
    ws["A2"] = _(
        "Yellow cells are inputs: change the volume, the growth or any price and every cost in Schedule and "
        "Summary recomputes. Grey cells are formulas. The number of months is fixed: export again with "
        "--horizon to change it."
    )
    ws["A2"].font = note_font
    ws["A2"].alignment = wrap
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=2 + max(n, 2))
    ws.row_dimensions[2].height = 45

    scen_rows = [
        ("Volume_month1", _("Requests per month in month 1"), float(np.asarray(x.requests_per_month).reshape(-1)[0]), fmt["volume"], True),
        ("Growth_per_month", _("Volume growth per month (compounding)"), float(np.asarray(x.growth).reshape(-1)[0]), fmt["pct"], True),
        ("Horizon_months", _("Months in the schedule (fixed: re-export to change)"), h, "0", False),
    ]
    r = 4
    for name, label, value, nf, editable in scen_rows:
        ws.cell(r, 1, label)
        c = ws.cell(r, 2, value)
        c.number_format = nf
        if editable:
            c.fill = fill_in
        wb.defined_names[name] = DefinedName(name, attr_text=f"Inputs!$B${r}")
        r += 1
    ws.cell(r, 1, _("First month"))
    ws.cell(r, 2, sc.month_label(1))
    r += 1
    ws.cell(r, 1, _("Currency"))
    ws.cell(r, 2, sc.currency)
    r += 1
    ws.cell(r, 1, _("Baseline (break-even and payback are against it)"))
    ws.cell(r, 2, sc.baseline_name)
    r += 2

    header_row = r
    ws.cell(r, 1, _("Per strategy")).font = bold
    ws.cell(r, 2, _("Unit")).font = bold
    for q in range(n_rows):
        st = result.strategies[owner[q]]
        name = st.name if q < n and last_m[q] >= h else f"{st.name}, months {int(first_m[q])}-{int(last_m[q])}"
        c = ws.cell(r, 3 + q, name)
        c.font = bold
        c.fill = fill_h
        c.alignment = Alignment(wrap_text=True, horizontal="center")
    r += 1
    ws.cell(r, 1, _("Type / model"))
    for q in range(n_rows):
        st = result.strategies[owner[q]]
        ws.cell(r, 3 + q, f"{_(st.type)}: {phase_models.get(q, st.model)}").alignment = Alignment(wrap_text=True, horizontal="center")
    r += 1
    row_of: dict[str, int] = {}
    for key, label, unit, nf in INPUT_ROWS:
        row_of[key] = r
        ws.cell(r, 1, _(label))
        ws.cell(r, 2, _(unit))
        for i in range(n_rows):
            c = ws.cell(r, 3 + i, float(col[key][i]))
            c.number_format = fmt[nf]
            c.fill = fill_in
        r += 1
    for i, s in enumerate(result.strategies):
        if s.epochs is not None and sc.strategies[i].training is not None and sc.strategies[i].training.epochs_auto:
            ws.cell(row_of["epochs"], 3 + i).comment = Comment(
                _("epochs: auto, from {n} examples (OpenAI's default heuristic)").format(n=sc.strategies[i].training.examples), "ftcost"
            )
    r += 1
    ws.cell(r, 1, _("Derived (formulas)")).font = bold
    r += 1

    def ref(key: str, i: int, absolute_row: bool = True) -> str:
        return f"{get_column_letter(3 + i)}${row_of[key]}" if absolute_row else f"{get_column_letter(3 + i)}{row_of[key]}"

    for key, label, unit, nf in DERIVED_ROWS:
        row_of[key] = r
        ws.cell(r, 1, _(label))
        ws.cell(r, 2, _(unit))
        for i in range(n_rows):

            def R(k, i=i):
                return ref(k, i)

            if key == "token_cost":
                f = (
                    f"=(1-{R('batch_share')}*{R('batch_discount')})*(({R('prompt_tokens')}+{R('input_tokens')}-{R('cached_tokens')})"
                    f"*{R('input_price')}+{R('cached_tokens')}*{R('cached_price')}+{R('completion_tokens')}*{R('output_price')})/1000000"
                )
            elif key == "fixed_monthly":
                f = f"={R('per_hour')}*{R('hours_per_month')}*{R('deployments')}+{R('storage_per_month')}+{R('fixed_monthly_cost')}"
            elif key == "training_run":
                f = (
                    f"=IF({R('has_training')}=1,MAX({R('training_tokens')}*{R('epochs')}*{R('training_price')}/1000000"
                    f"+{R('training_fixed')},{R('min_job_fee')}),0)"
                )
            else:  # training_runs
                f = f"=IF({R('has_training')}=1,IF({R('retrain_every')}>0,1+INT((Horizon_months-1)/{R('retrain_every')}),1),0)"
            c = ws.cell(r, 3 + i, f)
            c.number_format = fmt[nf]
            c.fill = fill_f
        r += 1
    ws.column_dimensions["A"].width = 62
    ws.column_dimensions["B"].width = 16
    for i in range(n_rows):
        ws.column_dimensions[get_column_letter(3 + i)].width = 24
    ws.row_dimensions[header_row].height = 32
    ws.freeze_panes = ws.cell(header_row + 1, 3)

    # ---------------- Schedule
    sh = wb.create_sheet("Schedule")
    for j, name in enumerate(SCHEDULE_COLUMNS):
        c = sh.cell(1, j + 1, _(name))
        c.font = bold
        c.fill = fill_h
        c.alignment = Alignment(wrap_text=True, vertical="top")
    inp = "Inputs!"
    first_row = {}
    for i in range(len(result.strategies)):
        first_row[i] = 2 + i * h
    for i, s in enumerate(result.strategies):
        for k in range(h):
            q = active_row(i, k + 1)  # the phase (Inputs column) that runs this month
            a = int(first_m[q])

            def R(key, q=q):
                return inp + ref(key, q)

            row = first_row[i] + k
            bl = first_row[b] + k
            cells = [
                s.name,
                k + 1,
                month(sc.month_first_day(k + 1)),
                f"=Volume_month1*(1+Growth_per_month)^(B{row}-1)",
                f"=(1+{R('price_change')})^(B{row}-1)",
                f"=D{row}*({inp}{ref('token_cost', q)}*E{row}+{R('quality_cost')})",
                f"=IF({R('replica_capacity')}>0,MAX({R('min_replicas')},ROUNDUP(ROUND(D{row}/{R('replica_capacity')},9),0)),0)",
                f"={inp}{ref('fixed_monthly', q)}+G{row}*{R('replica_cost')}",
                f"=IF(AND({R('has_training')}=1,IF({R('retrain_every')}>0,MOD(B{row}-{a},{R('retrain_every')})=0,B{row}={a})),"
                f"{inp}{ref('training_run', q)}*E{row},0)",
                f"=IF(B{row}={a},{R('one_time_cost')}+{R('data_generation_cost')},0)",
                f"=F{row}+H{row}+I{row}+J{row}",
                f"=K{row}" if k == 0 else f"=L{row - 1}+K{row}",
                f"=L{bl}",
                f"=IF(L{row}<=M{row}+0.000000000001*MAX(ABS(M{row}),1),1,0)",
            ]
            for j, v in enumerate(cells):
                c = sh.cell(row, j + 1, v)
                if j == 3:
                    c.number_format = fmt["volume"]
                elif j == 4:
                    c.number_format = fmt["index"]
                elif j == 6:
                    c.number_format = "0"
                elif 5 <= j <= 12:
                    c.number_format = fmt["money"]
    widths = [30, 7, 10, 14, 10, 14, 9, 14, 12, 12, 14, 15, 15, 10]
    for j, w in enumerate(widths):
        sh.column_dimensions[get_column_letter(j + 1)].width = w
    sh.row_dimensions[1].height = 30
    sh.freeze_panes = "D2"
    sh.auto_filter.ref = f"A1:{get_column_letter(len(SCHEDULE_COLUMNS))}{1 + n * h}"

    # ---------------- Summary
    sm = wb.create_sheet("Summary", 0)
    sm["A1"] = _("{name}: summary over {h} months from {start}").format(name=sc.name, h=h, start=month(sc.month_first_day(1)))
    sm["A1"].font = title_font
    sm["A2"] = _(
        "Every number is a formula over the Inputs and Schedule sheets. Break-even: the constant monthly volume "
        "at which a strategy costs the same as the baseline '{base}' over the horizon "
        "(training and one-time costs spread over {h} months). Payback: the first month its running total is at or "
        "below the baseline's."
    ).format(base=sc.baseline_name, h=h)
    sm["A2"].font = note_font
    sm["A2"].alignment = wrap
    sm.merge_cells("A2:J2")
    sm.row_dimensions[2].height = 48
    head = [
        _("Strategy"),
        _("Type"),
        _("Model"),
        _("Total, {h} months").format(h=h),
        _("Average per month"),
        _("Fixed per month (average)"),
        _("Cost per request (average)"),
        _("Break-even volume (requests/month)"),
        _("Cheaper"),
        _("Payback month"),
    ]
    never, above, below, none = _("never"), _("above"), _("below"), _("none")
    hr = 4
    for j, t in enumerate(head):
        c = sm.cell(hr, j + 1, t)
        c.font = bold
        c.fill = fill_h
        c.alignment = Alignment(wrap_text=True, vertical="top")
    sm.row_dimensions[hr].height = 45
    srow = {i: hr + 1 + i for i in range(n)}
    sched = _quote("Schedule") + "!"
    for i, s in enumerate(result.strategies):
        row = srow[i]
        r0, r1 = first_row[i], first_row[i] + h - 1
        sm.cell(row, 1, s.name)
        sm.cell(row, 2, _(s.type))
        sm.cell(row, 3, s.model)
        sm.cell(row, 4, f"=SUM({sched}K{r0}:K{r1})").number_format = fmt["money"]
        sm.cell(row, 5, f"=D{row}/Horizon_months").number_format = fmt["money"]
        # The constant-volume line of docs/design.md: fixed part (with training and one-time spread) and slope.
        phases = [q for q in range(n_rows) if owner[q] == i]
        if len(phases) == 1 and first_m[i] == 1 and last_m[i] >= h:
            fixed_avg = f"=Inputs!{ref('fixed_monthly', i)}"
            slope = f"=Inputs!{ref('token_cost', i)}*AVERAGE({sched}E{r0}:E{r1})+Inputs!{ref('quality_cost', i)}"
        else:  # a plan over several models: each phase weighted by its months (docs/migration.md)
            span = {q: (int(first_m[q]), int(last_m[q])) for q in phases}
            fixed_avg = "=(" + "+".join(f"Inputs!{ref('fixed_monthly', q)}*{z - a + 1}" for q, (a, z) in span.items()) + ")/Horizon_months"
            slope = (
                "=("
                + "+".join(
                    f"Inputs!{ref('token_cost', q)}*SUM({sched}E{r0 + a - 1}:E{r0 + z - 1})+Inputs!{ref('quality_cost', q)}*{z - a + 1}"
                    for q, (a, z) in span.items()
                )
                + ")/Horizon_months"
            )
        sm.cell(row, 6, fixed_avg + f"+(SUM({sched}I{r0}:I{r1})+SUM({sched}J{r0}:J{r1}))/Horizon_months").number_format = fmt["money"]
        sm.cell(row, 7, slope).number_format = fmt["small"]
        stepped = col["replica_capacity"][i] > 0 or col["replica_capacity"][b] > 0
        if i == b:
            sm.cell(row, 8, _("baseline"))
            sm.cell(row, 9, "-")
            sm.cell(row, 10, "-")
        else:
            fs, cs, fb, cb = f"F{row}", f"G{row}", f"F{srow[b]}", f"G{srow[b]}"
            if stepped:
                # Self-hosted replicas make the cost a staircase: ftcost finds the crossing exactly; a value here.
                v = s.break_even_requests_per_month
                c = sm.cell(row, 8, never if v is None else float(v))
                c.comment = Comment(
                    _(
                        "Self-hosted replicas make this cost a staircase; the break-even is ftcost's "
                        "exact search (a value, not a formula): export again after changing inputs."
                    ),
                    "ftcost",
                )
                sm.cell(row, 9, "-" if v is None else (above if s.cheaper_above_break_even else below))
            else:
                sm.cell(
                    row,
                    8,
                    f"=IF({cs}<{cb},MAX(0,({fs}-{fb})/({cb}-{cs})),IF(AND({cs}={cb},{fs}<{fb}),0,"
                    f'IF(AND({cs}>{cb},{fs}<{fb}),({fs}-{fb})/({cb}-{cs}),"{never}")))',
                )
                sm.cell(row, 9, f'=IF(AND({cs}>{cb},{fs}<{fb}),"{below}",IF(ISNUMBER(H{row}),"{above}","-"))')
            sm.cell(row, 10, f'=IFERROR(MATCH(1,{sched}N{r0}:N{r1},0),"{none}")')
        sm.cell(row, 8).number_format = fmt["volume"]
    last = srow[n - 1]
    r = last + 2
    if all(st.feasible for st in result.strategies):
        sm.cell(r, 1, _("Cheapest over the horizon")).font = bold
        sm.cell(r, 2, f"=INDEX(A{srow[0]}:A{last},MATCH(MIN(D{srow[0]}:D{last}),D{srow[0]}:D{last},0))").font = bold
        r += 1
        sm.cell(r, 1, _("Saving against the baseline"))
        sm.cell(r, 2, f"=D{srow[b]}-MIN(D{srow[0]}:D{last})").number_format = fmt["money"]
        r += 2
    else:  # issue 13: only a plan that can be carried out over the whole horizon is recommended (a value, not a formula)
        rec = result.recommendation
        best = result.strategies.index(result.cheapest)
        sm.cell(
            r,
            1,
            _("Cheapest over the horizon")
            if rec["feasible"]  # among the plans that can be carried out
            else f"No plan runs all {h} months; best up to month {rec['until_month']}",
        ).font = bold
        sm.cell(r, 2, rec["strategy"]).font = bold
        r += 1
        sm.cell(r, 1, _("Saving against the baseline"))
        sm.cell(r, 2, f"=D{srow[b]}-D{srow[best]}").number_format = fmt["money"]
        r += 1
        for st in result.strategies:
            if not st.feasible:
                c = sm.cell(
                    r, 1, f"'{st.name}' can be carried out {'to month ' + str(st.feasible_until) if st.feasible_until else 'not at all'}: {st.feasibility}"
                )
                c.font = Font(bold=True, color="C00000")
                c.alignment = wrap
                sm.merge_cells(start_row=r, start_column=1, end_row=r, end_column=10)
                sm.row_dimensions[r].height = 15 * max(1, math.ceil(len(c.value) / 150))
                r += 1
        r += 1
    missing = unmodelled_inputs(result)
    if missing:
        sm.cell(r, 1, _("Not modelled by these formulas (totals may differ from ftcost): {fields}").format(fields=", ".join(missing))).font = Font(
            bold=True, color="C00000"
        )
        r += 2
    warnings = result.warnings_in_language()
    if warnings:
        sm.cell(r, 1, _("Warnings")).font = Font(bold=True, color="C55A11")
        r += 1
        for w in warnings:
            c = sm.cell(r, 1, w)
            c.alignment = wrap
            sm.merge_cells(start_row=r, start_column=1, end_row=r, end_column=10)
            sm.row_dimensions[r].height = 15 * max(1, math.ceil(len(w) / 150))
            r += 1
    for j, w in enumerate([32, 11, 34, 16, 15, 15, 15, 17, 9, 9]):
        sm.column_dimensions[get_column_letter(j + 1)].width = w

    # ---------------- Sources
    so = wb.create_sheet("Sources")
    for j, t in enumerate([_("Strategy"), _("Price"), _("Value"), _("Source"), _("As of")]):
        c = so.cell(1, j + 1, t)
        c.font = bold
        c.fill = fill_h
    r = 2
    for s in result.strategies:
        for key, p in s.prices.items():
            so.cell(r, 1, s.name)
            so.cell(r, 2, key)
            so.cell(r, 3, p.get("value"))
            so.cell(r, 4, p.get("source") or "").alignment = wrap
            so.cell(r, 5, p.get("as_of") or "")
            r += 1
    so.cell(r + 1, 1, _("These are the values ftcost read; the Inputs sheet holds the ones the formulas use.")).font = note_font
    for j, w in enumerate([30, 20, 12, 100, 12]):
        so.column_dimensions[get_column_letter(j + 1)].width = w
    so.freeze_panes = "A2"
    return wb


def write_export(result: Result, path: str | Path, *, inputs: Iterable = ()) -> Path:
    """Write the schedule to ``path``: ``.csv`` (tidy) or ``.xlsx`` (with formulas), atomically."""
    from ..outputs import check_output_path, write_atomic
    from .plot import writing

    p = check_output_path(path, inputs=inputs, extensions=EXTENSIONS)
    data = to_csv(result) if p.suffix.lower() == ".csv" else workbook(result)
    if not isinstance(data, str):
        guard_workbook(data, user_texts(result))  # a name or source like '=HYPERLINK(...)' stays text
    with writing(p):
        if isinstance(data, str):
            return write_atomic(p, data, inputs=inputs, extensions=EXTENSIONS)
        return write_atomic(p, lambda tmp: data.save(tmp), inputs=inputs, extensions=EXTENSIONS)
