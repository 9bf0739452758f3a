"""``ftcost report``: a multi-page PDF for a manager."""
from __future__ import annotations

import re
from pathlib import Path

import click

from .common import pricing_option, scenario_argument
from .plot import OVERWRITE_NOTE, load_matplotlib, prepare, scenario_inputs

DEFAULT_DIR = "reports"


def default_report_path(scenario: str) -> Path:
    """reports/NAME.pdf, NAME the scenario file's name without its extension."""
    stem = re.sub(r"[^\w.-]+", "-", Path(scenario).stem).strip("-.") or "report"
    return Path(DEFAULT_DIR) / f"{stem}.pdf"


@click.command()
@scenario_argument
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=str),
              help=f"PDF file to write [default: {DEFAULT_DIR}/NAME.pdf, NAME the scenario file's name; the {DEFAULT_DIR}/ "
                   "folder is created if needed]. " + OVERWRITE_NOTE)
@click.option("--png", "png_dir", type=click.Path(file_okay=False, path_type=str),
              help="Also write each chart as PNG into this folder (created if needed): NAME-breakeven.png, NAME-cumulative.png.")
@click.option("--volume", type=float, help="Requests per month in month 1 (overrides the scenario).")
@click.option("--horizon", type=int, help="Months to total over (overrides the scenario).")
@pricing_option
def report(scenario, output, png_dir, volume, horizon, pricing_dirs):
    """Write a PDF report of SCENARIO: page 1 the recommendation in one sentence, warnings,
    key numbers, inputs and assumptions; then the break-even and cumulative charts, the
    monthly schedule, and every price used with its source and as_of date.

    \b
    Examples:
      ftcost report scenarios/review-stars.yaml
      ftcost report scenarios/review-stars.yaml -o review.pdf --png figures/
    """
    from ..api import compare as run_compare

    make = []  # folders to create once the scenario is known to be good
    if output is None:
        output = str(default_report_path(scenario))
        if not Path(output).parent.is_dir():
            make.append(Path(output).parent)
    if not make:
        prepare(scenario, [output], [(".pdf",)])
    if png_dir is not None and not Path(png_dir).is_dir():
        make.append(Path(png_dir))
    result = run_compare(scenario, volume=volume, horizon=horizon, pricing_dirs=pricing_dirs)
    for d in make:
        _make_dir(d)
    load_matplotlib()
    from ..render.report import write_report

    for p in write_report(result, output, png_dir=png_dir, inputs=scenario_inputs(result.scenario)):
        click.echo(f"wrote {p}", err=True)
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)


def _make_dir(d: Path) -> None:
    from ..errors import OutputError

    if d.exists() and not d.is_dir():
        raise OutputError("is a file, not a folder", file=str(d), hint="choose another folder")
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {exc.strerror or exc}", file=str(d),
                          hint="choose a folder you can write to") from None
