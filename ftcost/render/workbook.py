"""The spreadsheet: a workbook that recomputes, for every strategy type.

Over 400 lines for one reason: :func:`workbook` is one function of ~460 lines that writes the four
sheets, whose formulas refer to each other's cells through its local state (the row of every input,
the defined names); cutting it by sheet changes its body and waits for its own change (issue 16).
Its rows, formats and styles are in :mod:`ftcost.render.workbook_rows`.

Four sheets a finance user can work with (openpyxl, imported only here):

* **Inputs**: the scenario (volume in month 1, growth, months) and one
  column per strategy with every engine input: tokens, prices, hosting,
  training (with the minimum and maximum fee per job), and for self-hosted
  strategies the GPU price, GPUs per replica, throughput, utilization,
  hours and minimum replicas. Yellow cells are inputs; grey cells are
  formulas derived from them (replica capacity and cost, token cost,
  training run cost...).
* **Schedule**: one row per strategy and month with formulas: volume,
  price index, variable cost, replicas (the staircase), fixed cost with
  GPUs, training, one-time, total, cumulative. Months after "Months in the
  schedule" cost 0, so shortening the horizon in that cell recomputes all.
* **Summary**: per strategy the total, the average per month (total /
  months), the average fixed cost, the average cost per request, the
  break-even volume against the baseline and the payback month, formulas
  over Schedule and Inputs. A self-hosted break-even (a staircase) is
  ftcost's exact search: a value, marked in the cell "(at export)".
* **Sources**: where each price came from, wrapped.

Every sheet prints landscape, one page wide, with its header rows repeated.
The formulas are the engine's (docs/design.md "The math" and the documented
extensions). openpyxl writes formulas without cached values, so the workbook
asks to be recalculated on load (Excel, LibreOffice and Google Sheets do).
"""

from __future__ import annotations

import math
from dataclasses import fields

import numpy as np

from ..i18n import _, month
from ..result import Result
from .price_names import price_name
from .workbook_rows import (
    DERIVED_ROWS,
    EXPORT_FILL,
    FORMULA_FILL,
    HEADER_FILL,
    INPUT_FILL,
    INPUT_ROWS,
    SCHEDULE_COLUMNS,
    SERVING_ROWS,
    _formats,
    _per_strategy,
    _print_setup,
    _quote,
    unmodelled_inputs,
)

__all__ = ["INPUT_ROWS", "SCHEDULE_COLUMNS", "SERVING_ROWS", "workbook"]


def workbook(result: Result):
    """Build the openpyxl Workbook (Inputs, Schedule, Summary, Sources)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    sc = result.scenario
    o = result.outputs
    x = result.inputs  # the engine inputs behind the result (never derived again here)
    assert x is not None, "a Result from build_result carries its engine inputs"
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
    # Self-hosted serving inputs, from which the sheet derives replica capacity and cost (0 when not self-hosted).
    serving = [sc.strategies[owner[q]].serving for q in range(n_rows)]
    for key, attr in (
        ("gpu_per_hour", "gpu_per_hour"),
        ("gpus_per_replica", "gpus_per_replica"),
        ("requests_per_second", "requests_per_second"),
        ("target_utilization", "target_utilization"),
        ("serving_hours", "hours_per_month"),
    ):
        col[key] = np.array([float(getattr(sv, attr)) if sv is not None else 0.0 for sv in serving])

    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    note_font = Font(italic=True, color="595959")
    fill_in = PatternFill("solid", fgColor=INPUT_FILL)
    fill_f = PatternFill("solid", fgColor=FORMULA_FILL)
    fill_h = PatternFill("solid", fgColor=HEADER_FILL)
    fill_export = PatternFill("solid", fgColor=EXPORT_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()
    wb.calculation.fullCalcOnLoad = True

    # ---------------- Inputs
    ws = wb.active
    ws.title = "Inputs"
    ws["A1"] = _("{name}: inputs").format(name=sc.name)
    ws["A1"].font = title_font
    ws["A2"] = _(
        "Yellow cells are inputs: change the volume, the growth, the months or any price and every cost in "
        "Schedule and Summary recomputes. Grey cells are formulas. The schedule has rows for "
        "{h} months: fewer months zero the rest; for more, export again with --horizon."
    ).format(h=h)
    ws["A2"].font = note_font
    ws["A2"].alignment = wrap
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=2 + max(n, 2))
    ws.row_dimensions[2].height = 45

    scen_rows = [
        ("Volume_month1", _("Requests per month in month 1"), float(np.asarray(x.requests_per_month).reshape(-1)[0]), fmt["volume"], True),
        ("Growth_per_month", _("Volume growth per month (compounding)"), float(np.asarray(x.growth).reshape(-1)[0]), fmt["pct"], True),
        ("Horizon_months", _("Months in the schedule (1 to {h}; months after it cost 0)").format(h=h), h, "0", True),
    ]
    r = 4
    for name, label, value, nf, editable in scen_rows:
        ws.cell(r, 1, label)
        c = ws.cell(r, 2, value)
        c.number_format = nf
        if editable:
            c.fill = fill_in
        wb.defined_names[name] = DefinedName(name, attr_text=f"Inputs!$B${r}")
        if name == "Horizon_months":
            from openpyxl.worksheet.datavalidation import DataValidation

            dv = DataValidation(
                type="whole",
                operator="between",
                formula1="1",
                formula2=str(h),
                allow_blank=False,
                showErrorMessage=True,
                showInputMessage=True,
                promptTitle=_("Months"),
                prompt=_("1 to {h}: the schedule has {h} rows; export again with --horizon for more.").format(h=h),
                errorTitle=_("Months"),
                error=_("Give a whole number from 1 to {h}.").format(h=h),
            )
            ws.add_data_validation(dv)
            dv.add(c)
            c.comment = Comment(_("1 to {h}: months after it cost 0. For more months, export again with --horizon.").format(h=h), "ftcost")
        r += 1
    ws.cell(r, 1, _("First month"))
    ws.cell(r, 2, month(sc.month_first_day(1)))
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
        name = st.name if q < n and last_m[q] >= h else _("{name}, months {first}-{last}").format(name=st.name, first=int(first_m[q]), last=int(last_m[q]))
        c = ws.cell(r, 3 + q, name)
        c.font = bold
        c.fill = fill_h
        c.alignment = Alignment(wrap_text=True, horizontal="center")
    r += 1
    ws.cell(r, 1, _("Type / model"))
    type_model = [f"{_(result.strategies[owner[q]].type)}: {phase_models.get(q, result.strategies[owner[q]].model)}" for q in range(n_rows)]
    ws.row_dimensions[r].height = 15 * max(1, max(math.ceil(len(t) / 22) for t in type_model))
    for q, t in enumerate(type_model):
        ws.cell(r, 3 + q, t).alignment = Alignment(wrap_text=True, horizontal="center")
    r += 1
    row_of: dict[str, int] = {}
    for key, label, unit, nf in INPUT_ROWS:
        row_of[key] = r
        ws.cell(r, 1, _(label))
        ws.cell(r, 2, _(unit))
        for i in range(n_rows):
            v = float(col[key][i])
            # A job with no maximum fee is an empty cell (no cap), not a number.
            c = ws.cell(r, 3 + i, v if math.isfinite(v) else None)
            c.number_format = fmt[nf]
            c.fill = fill_in
        r += 1
    for i, s in enumerate(result.strategies):
        tr = sc.strategies[i].training
        if s.epochs is not None and tr is not None and tr.epochs_auto:
            ws.cell(row_of["epochs"], 3 + i).comment = Comment(
                _("epochs: auto, from {n} examples (OpenAI's default heuristic)").format(n=tr.examples), "ftcost"
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

            if key == "replica_capacity":
                f = f"=IF({R('requests_per_second')}>0,{R('requests_per_second')}*{R('target_utilization')}*{R('serving_hours')}*3600,0)"
            elif key == "replica_cost":
                f = f"={R('gpu_per_hour')}*{R('gpus_per_replica')}*{R('serving_hours')}"
            elif key == "token_cost":
                uncached = f"({R('prompt_tokens')}+{R('input_tokens')}-{R('cached_tokens')})"
                tokens = f"({uncached}*{R('input_price')}+{R('cached_tokens')}*{R('cached_price')}+{R('completion_tokens')}*{R('output_price')})"

                def batch_price(k, standard):  # a published batch price, else the standard one less the discount
                    return f"IF(ISNUMBER({R(k)}),{R(k)},{R(standard)}*(1-{R('batch_discount')}))"

                batch = (
                    f"({uncached}*{R('batch_input_price')}+{R('cached_tokens')}*{batch_price('batch_cached_price', 'cached_price')}"
                    f"+{R('completion_tokens')}*{batch_price('batch_output_price', 'output_price')})"
                )
                # Published batch prices (fine-tuned models) when given, else the batch discount on list prices.
                f = (
                    f"=IF(ISNUMBER({R('batch_input_price')}),((1-{R('batch_share')})*{tokens}+{R('batch_share')}*{batch}),"
                    f"(1-{R('batch_share')}*{R('batch_discount')})*{tokens})/1000000"
                )
            elif key == "fixed_monthly":
                f = f"={R('per_hour')}*{R('hours_per_month')}*{R('deployments')}+{R('storage_per_month')}+{R('fixed_monthly_cost')}"
            elif key == "training_run":
                run = f"MAX({R('training_tokens')}*{R('epochs')}*{R('training_price')}/1000000+{R('training_fixed')},{R('min_job_fee')})"
                f = f"=IF({R('has_training')}=1,IF(ISNUMBER({R('max_job_fee')}),MIN({run},{R('max_job_fee')}),{run}),0)"
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
    ws.row_dimensions[header_row].height = 15 * max(2, max(math.ceil(len(s.name) / 20) for s in result.strategies))
    ws.freeze_panes = ws.cell(header_row + 1, 3)

    # ---------------- Schedule
    sh = wb.create_sheet("Schedule")
    for j, name in enumerate(SCHEDULE_COLUMNS):
        c = sh.cell(1, j + 1, _(name))
        c.font = bold
        c.fill = fill_h
        c.alignment = Alignment(wrap_text=True, vertical="top")
    inp = "Inputs!"
    first_row = {i: 2 + i * h for i in range(n)}
    for i, s in enumerate(result.strategies):
        for k in range(h):
            q = active_row(i, k + 1)  # the phase (Inputs column) that runs this month
            a = int(first_m[q])

            def R(key, q=q):
                return inp + ref(key, q)

            row = first_row[i] + k
            bl = first_row[b] + k
            on = f"B{row}<=Horizon_months"  # months after the horizon cost nothing
            cells = [
                s.name,
                k + 1,
                month(sc.month_first_day(k + 1)),
                f"=Volume_month1*(1+Growth_per_month)^(B{row}-1)",
                f"=(1+{R('price_change')})^(B{row}-1)",
                f"=IF({on},D{row}*({inp}{ref('token_cost', q)}*E{row}+{R('quality_cost')}),0)",
                f"=IF({R('replica_capacity')}>0,MAX({R('min_replicas')},ROUNDUP(ROUND(D{row}/{R('replica_capacity')},9),0)),0)",
                f"=IF({on},{inp}{ref('fixed_monthly', q)}+G{row}*{R('replica_cost')},0)",
                f"=IF(AND({on},{R('has_training')}=1,IF({R('retrain_every')}>0,MOD(B{row}-{a},{R('retrain_every')})=0,B{row}={a})),"
                f"{inp}{ref('training_run', q)}*E{row},0)",
                f"=IF(AND({on},B{row}={a}),{R('one_time_cost')}+{R('data_generation_cost')},0)",
                f"=F{row}+H{row}+I{row}+J{row}",
                f"=K{row}" if k == 0 else f"=L{row - 1}+K{row}",
                f"=L{bl}",
                f"=IF(AND({on},L{row}<=M{row}+0.000000000001*MAX(ABS(M{row}),1)),1,0)",
            ]
            for j, cell in enumerate(cells):
                c = sh.cell(row, j + 1, cell)
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
        _("Average per month (total / months)"),
        _("Fixed per month (average, with GPUs, training and one-time spread)"),
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
        sm.cell(row, 1, s.name).alignment = wrap
        sm.cell(row, 2, _(s.type)).alignment = wrap
        sm.cell(row, 3, s.model).alignment = wrap
        # Rows as tall as their wrapped name or model id, so nothing overprints the next row.
        sm.row_dimensions[row].height = 15 * max(1, math.ceil(len(s.name) / 28), math.ceil(len(s.model) / 28))
        sm.cell(row, 4, f"=SUM({sched}K{r0}:K{r1})").number_format = fmt["money"]
        sm.cell(row, 5, f"=D{row}/Horizon_months").number_format = fmt["money"]
        # The constant-volume line of the design: fixed part (GPUs, training and one-time spread over the months)
        # and slope (the token cost at the months' average price index, closed form, plus the error cost).
        sm.cell(row, 6, f"=(SUM({sched}H{r0}:H{r1})+SUM({sched}I{r0}:I{r1})+SUM({sched}J{r0}:J{r1}))/Horizon_months").number_format = fmt["money"]
        phases = [q for q in range(n_rows) if owner[q] == i]
        if len(phases) == 1 and first_m[i] == 1 and last_m[i] >= h:
            pc = f"Inputs!{ref('price_change', i)}"
            slope = f"=Inputs!{ref('token_cost', i)}*IF({pc}=0,1,((1+{pc})^Horizon_months-1)/({pc}*Horizon_months))+Inputs!{ref('quality_cost', i)}"
        else:  # a plan over several models: each phase weighted by its months (docs/migration.md)
            span = {q: (int(first_m[q]), int(last_m[q])) for q in phases}
            # only the months up to "Months in the schedule" count, so that editing it keeps the break-even right
            slope = (
                "=("
                + "+".join(
                    f"Inputs!{ref('token_cost', q)}*SUMPRODUCT({sched}E{r0 + a - 1}:E{r0 + z - 1},"
                    f"({sched}B{r0 + a - 1}:B{r0 + z - 1}<=Horizon_months)*1)"
                    f"+Inputs!{ref('quality_cost', q)}*MAX(0,MIN({z},Horizon_months)-{a}+1)"
                    for q, (a, z) in span.items()
                )
                + ")/Horizon_months"
            )
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
                # Marked in the cell itself: the number reads "25,449,492 (at export)" on an orange fill.
                be = s.break_even_requests_per_month
                c = sm.cell(row, 8, never + " " + _("(at export)") if be is None else float(be))
                c.fill = fill_export
                c.comment = Comment(
                    _(
                        "Self-hosted replicas make this cost a staircase; the break-even is ftcost's "
                        "exact search (a value computed at export, not a formula): export again after "
                        "changing inputs."
                    ),
                    "ftcost",
                )
                sm.cell(row, 9, "-" if be is None else (above if s.cheaper_above_break_even else below)).fill = fill_export
            else:
                sm.cell(
                    row,
                    8,
                    f"=IF({cs}<{cb},MAX(0,({fs}-{fb})/({cb}-{cs})),IF(AND({cs}={cb},{fs}<{fb}),0,"
                    f'IF(AND({cs}>{cb},{fs}<{fb}),({fs}-{fb})/({cb}-{cs}),"{never}")))',
                )
                sm.cell(row, 9, f'=IF(AND({cs}>{cb},{fs}<{fb}),"{below}",IF(ISNUMBER(H{row}),"{above}","-"))')
            # Like compare's table: a strategy that is ahead for a while but dearer over the months never pays back.
            sm.cell(row, 10, f'=IF(D{row}>D{srow[b]}+0.000000001*MAX(ABS(D{srow[b]}),1),"{none}",IFERROR(MATCH(1,{sched}N{r0}:N{r1},0),"{none}"))')
        sm.cell(row, 8).number_format = fmt["volume"] + (f'" {_("(at export)")}"' if stepped and i != b else "")
        for j in range(4, 11):  # numbers at the top of the row, level with the wrapped name and model
            sm.cell(row, j).alignment = Alignment(vertical="top")
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
            if rec.feasible  # among the plans that can be carried out
            else _("No plan runs all {h} months; best up to month {m}").format(h=h, m=rec.until_month),
        ).font = bold
        sm.cell(r, 2, rec.strategy).font = bold
        r += 1
        sm.cell(r, 1, _("Saving against the baseline"))
        sm.cell(r, 2, f"=D{srow[b]}-D{srow[best]}").number_format = fmt["money"]
        r += 1
        for st in result.strategies:
            if not st.feasible:
                why = result.feasibility_text(result.strategies.index(st))
                if st.feasible_until:
                    said = _("'{name}' can be carried out to month {m}: {why}").format(name=st.name, m=st.feasible_until, why=why)
                else:
                    said = _("'{name}' cannot be carried out at all: {why}").format(name=st.name, why=why)
                c = sm.cell(r, 1, said)
                c.font = Font(bold=True, color="C00000")
                c.alignment = wrap
                sm.merge_cells(start_row=r, start_column=1, end_row=r, end_column=10)
                sm.row_dimensions[r].height = 15 * max(1, math.ceil(len(c.value) / 140))
                r += 1
        r += 1
    if any(col["replica_capacity"] > 0):
        sm.cell(
            r, 1, _("Orange: a self-hosted break-even, computed by ftcost at export (a staircase has no single formula); every other number recomputes.")
        ).font = note_font
        r += 2
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
        for warning in warnings:
            c = sm.cell(r, 1, warning)
            c.alignment = wrap
            sm.merge_cells(start_row=r, start_column=1, end_row=r, end_column=10)
            sm.row_dimensions[r].height = 15 * max(1, math.ceil(len(warning) / 140))
            r += 1
    for j, w in enumerate([30, 11, 30, 16, 15, 18, 15, 22, 9, 9]):
        sm.column_dimensions[get_column_letter(j + 1)].width = w
    sm.row_dimensions[hr].height = 60

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
            so.cell(r, 2, price_name(key, unit=False))
            so.cell(r, 3, p.value)
            src = p.source or ""
            so.cell(r, 4, src).alignment = wrap
            so.cell(r, 5, p.as_of or "")
            # The row grows with the wrapped source, so nothing overprints the next row.
            so.row_dimensions[r].height = 15 * max(1, math.ceil(len(src) / 85))
            for j in (1, 2, 3, 5):
                so.cell(r, j).alignment = Alignment(vertical="top", wrap_text=j == 1)
            r += 1
    so.cell(r + 1, 1, _("These are the values ftcost read; the Inputs sheet holds the ones the formulas use.")).font = note_font
    for j, w in enumerate([30, 20, 12, 90, 12]):
        so.column_dimensions[get_column_letter(j + 1)].width = w
    so.freeze_panes = "A2"

    _print_setup(sm, "4:4")
    _print_setup(ws, f"{header_row}:{header_row}")
    _print_setup(sh, "1:1")
    _print_setup(so, "1:1")
    return wb
