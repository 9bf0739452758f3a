"""The workbook's rows and styles (:mod:`ftcost.render.workbook` writes the sheets).

Which engine inputs the Inputs sheet writes, each with its label and unit from its field row
(:mod:`ftcost.fields`); the derived rows and the Schedule's columns; the inputs the formulas do not
model; the number formats, fills and print setup.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from ..i18n import N_
from ..model.fields import BY_PATH
from ..result import Result
from .fmt import symbol


def _per_strategy(value, n: int) -> np.ndarray:
    a = np.asarray(value, dtype=float)
    return np.broadcast_to(a, (n,)).astype(float) if a.ndim <= 1 else a.reshape(n, -1)[:, 0]


def _row(key: str, path: str, nf: str) -> tuple[str, str, str, str]:
    """An Inputs row whose label and unit are its field's (ftcost.fields): (key, label, unit, number format key)."""
    f = BY_PATH[tuple(path.split("."))]
    return (key, f.title, f.unit, nf)


# (engine Inputs field, label, unit, number format key): a scenario number's row from the field table,
# a derived value's written here.
INPUT_ROWS = [
    _row("prompt_tokens", "strategies.*.request.prompt_tokens", "int"),
    _row("input_tokens", "strategies.*.request.input_tokens", "int"),
    _row("cached_tokens", "strategies.*.request.cached_prompt_tokens", "int"),
    _row("completion_tokens", "strategies.*.request.completion_tokens", "int"),
    _row("input_price", "strategies.*.prices.input", "rate"),
    _row("cached_price", "strategies.*.prices.cached_input", "rate"),
    _row("output_price", "strategies.*.prices.output", "rate"),
    _row("batch_share", "strategies.*.batch_share", "pct"),
    _row("batch_discount", "strategies.*.prices.batch_discount", "pct"),
    _row("batch_input_price", "strategies.*.prices.batch_input", "rate"),
    _row("batch_cached_price", "strategies.*.prices.batch_cached_input", "rate"),
    _row("batch_output_price", "strategies.*.prices.batch_output", "rate"),
    _row("price_change", "strategies.*.price_change_per_month", "pct"),
    ("quality_cost", N_("Expected cost of errors per request"), N_("per request"), "small"),
    _row("per_hour", "strategies.*.prices.hosting_per_hour", "money"),
    _row("hours_per_month", "strategies.*.hosting.hours_per_month", "num"),
    _row("deployments", "strategies.*.hosting.deployments", "num"),
    _row("storage_per_month", "strategies.*.prices.storage_per_month", "money"),
    _row("fixed_monthly_cost", "strategies.*.fixed_monthly_cost", "money"),
    _row("gpu_per_hour", "strategies.*.serving.gpu_per_hour", "money"),
    _row("gpus_per_replica", "strategies.*.serving.gpus_per_replica", "num"),
    _row("requests_per_second", "strategies.*.serving.requests_per_second", "num"),
    _row("target_utilization", "strategies.*.serving.target_utilization", "pct"),
    _row("serving_hours", "strategies.*.serving.hours_per_month", "num"),
    _row("min_replicas", "strategies.*.serving.min_replicas", "num"),
    ("has_training", N_("Trains a model (1 = yes, 0 = no)"), N_("0/1"), "int"),
    _row("training_tokens", "strategies.*.training.tokens", "int"),
    _row("epochs", "strategies.*.training.epochs", "int"),
    _row("training_price", "strategies.*.prices.training", "rate"),
    ("training_fixed", N_("Training cost per run not tied to tokens"), N_("per run"), "money"),
    _row("min_job_fee", "strategies.*.prices.min_job_fee", "money"),
    _row("max_job_fee", "strategies.*.prices.max_job_fee", "money"),
    _row("retrain_every", "strategies.*.training.retrain_every_months", "int"),
    _row("one_time_cost", "strategies.*.training.one_time_cost", "money"),
    ("data_generation_cost", N_("Training data generation (month 1)"), N_("once"), "money"),
]
SERVING_ROWS = ("gpu_per_hour", "gpus_per_replica", "requests_per_second", "target_utilization", "serving_hours")
# Engine inputs the sheet derives by formula from the rows above.
DERIVED_FIELDS = {"replica_capacity", "replica_cost"}
MODELLED = (
    {r[0] for r in INPUT_ROWS}
    | DERIVED_FIELDS
    | {
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
)

DERIVED_ROWS = [
    ("replica_capacity", N_("Self-hosted: requests one replica serves a month (at the target utilization)"), N_("requests"), "int"),
    ("replica_cost", N_("Self-hosted: cost of one replica a month"), N_("per month"), "money"),
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
    N_("Fixed cost (with GPUs)"),
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
EXPORT_FILL = "F8CBAD"  # a value computed at export, not a formula


def unmodelled_inputs(result: Result) -> list[str]:
    """Engine inputs the spreadsheet's formulas do not model that this scenario uses (non-zero)."""
    x = result.inputs
    assert x is not None, "a Result from build_result carries its engine inputs"
    out = []
    for f in fields(x):
        if f.name in MODELLED:
            continue
        v = np.asarray(getattr(x, f.name), dtype=float)
        if np.any((v != 0) & ~np.isnan(v)):  # NaN: a price not published, not in use
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


def _print_setup(ws, title_rows: str) -> None:
    """Landscape, one page wide (as many pages down as needed), the header rows repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.gridLines = False
