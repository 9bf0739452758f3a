"""``ftcost report``: a multi-page PDF for a manager, or the interactive what-if page (HTML)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ..i18n import Message
from .common import ASCII_FLOAT, ASCII_INT, lang_option, pricing_option, scenario_argument, use_language
from .plot import OVERWRITE_NOTE, load_matplotlib, prepare, scenario_inputs

DEFAULT_DIR = "reports"


def default_report_path(scenario: str, suffix: str = ".pdf") -> Path:
    """reports/NAME.pdf (or .html), NAME the scenario file's name without its extension."""
    stem = re.sub(r"[^\w.-]+", "-", Path(scenario).stem).strip("-.") or "report"
    return Path(DEFAULT_DIR) / f"{stem}{suffix}"


def report_format(output: str | None, fmt: str | None) -> str:
    """pdf or html: --format if given, else from the output's extension (.html/.htm), else pdf."""
    if fmt is not None:
        return fmt
    if output is not None and Path(output).suffix.lower() in (".html", ".htm"):
        return "html"
    return "pdf"


@click.command()
@scenario_argument
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=str),
    help=f"PDF or HTML file to write [default: {DEFAULT_DIR}/NAME.pdf or .html, NAME the scenario file's name; the {DEFAULT_DIR}/ "
    "folder is created if needed]. " + OVERWRITE_NOTE,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "html"]),
    default=None,
    help="pdf: the printable report; html: one self-contained interactive what-if page (works offline) [default: from the output's extension, else pdf].",
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(file_okay=False, path_type=str),
    help="Also write each chart as PNG into this folder (created if needed): NAME-breakeven.png, NAME-cumulative.png.",
)
@click.option("--volume", type=ASCII_FLOAT, help="Requests per month in month 1 (overrides the scenario).")
@click.option("--horizon", type=ASCII_INT, help="Months to total over (overrides the scenario).")
@pricing_option
@lang_option
def report(scenario, output, fmt, png_dir, volume, horizon, pricing_dirs, lang):
    """Write a PDF report of SCENARIO: page 1 the recommendation in one sentence, warnings,
    key numbers, inputs and assumptions; then the break-even and cumulative charts, the
    monthly schedule, and every price used with its source and as_of date.

    \b
    Examples:
      ftcost report scenarios/review-stars.yaml
      ftcost report scenarios/review-stars.yaml -o review.pdf --png figures/
      ftcost report scenarios/review-stars.yaml -o review.html --lang es

    With -o FILE.html (or --format html) the report is one HTML file that opens
    offline in a browser: the recommendation, warnings, break-even and
    cumulative charts, and controls for volume, growth, the baseline's tokens
    and each hosted strategy's hours and deployments, all computed by the
    engine when the file is written.
    """
    from ..api import compare as run_compare

    use_language(lang)
    kind = report_format(output, fmt)
    suffix = ".html" if kind == "html" else ".pdf"
    if kind == "html" and png_dir is not None:
        raise click.UsageError(Message("--png goes with the PDF report; the HTML page draws its charts in the browser"))
    make = []  # folders to create once the scenario is known to be good
    if output is None:
        output = str(default_report_path(scenario, suffix))
        if not Path(output).parent.is_dir():
            make.append(Path(output).parent)
    if not make:
        prepare(scenario, [output], [(".html", ".htm") if kind == "html" else (".pdf",)])
    if png_dir is not None and not Path(png_dir).is_dir():
        make.append(Path(png_dir))
    result = run_compare(scenario, volume=volume, horizon=horizon, pricing_dirs=pricing_dirs)
    for d in make:
        _make_dir(d)
    if kind == "html":
        from ..html_page import write
        from ..i18n import _
        from ..render.warnings_text import localized_warnings

        click.echo(f"wrote {write(result, output, inputs=scenario_inputs(result.scenario))}", err=True)
        for w in localized_warnings(result):
            click.echo(_("warning: {text}").format(text=w), err=True)
        return
    load_matplotlib()
    from ..i18n import _
    from ..render.report import write_report
    from ..render.warnings_text import localized_warnings

    for p in write_report(result, output, png_dir=png_dir, inputs=scenario_inputs(result.scenario)):
        click.echo(f"wrote {p}", err=True)
    for w in localized_warnings(result):
        click.echo(_("warning: {text}").format(text=w), err=True)


def _make_dir(d: Path) -> None:
    from ..errors import OutputError

    if d.exists() and not d.is_dir():
        raise OutputError(Message("is a file, not a folder"), file=str(d), hint=Message("choose another folder"))
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            Message("cannot create the folder: {reason}", reason=exc.strerror or exc), file=str(d), hint=Message("choose a folder you can write to")
        ) from None
