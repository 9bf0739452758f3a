"""``ftcost plot``: the break-even or cumulative cost chart as PNG, PDF or SVG."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import Message
from .common import ASCII_FLOAT, ASCII_INT, lang_option, pricing_option, scenario_argument, use_language

OVERWRITE_NOTE = (
    "An existing FILE is replaced (atomically: a failure leaves the old file as it was); "
    "a file the scenario reads (the scenario, a catalog, a prompt file, a dataset) is never overwritten."
)


def scenario_inputs(scenario) -> list[str]:
    """Every file the scenario was read from, so no output can overwrite one.

    The scenario file, its catalogs (and any file a price came from), and every
    string in the scenario that names an existing file next to it (prompt
    files, datasets).
    """
    files: set[str] = set()
    if getattr(scenario, "file", None):
        files.add(str(scenario.file))
    cats = getattr(scenario, "catalogs", None)
    for c in getattr(cats, "by_provider", {}).values():
        if getattr(c, "file", None):
            files.add(str(c.file))
    for s in getattr(scenario, "strategies", []):
        if getattr(s.model, "catalog_file", None):
            files.add(str(s.model.catalog_file))
        for p in s.prices.values():
            if getattr(p, "file", None):
                files.add(str(p.file))
    doc = getattr(scenario, "doc", None)
    base = Path(scenario.file).parent if getattr(scenario, "file", None) else Path(".")

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str) and 0 < len(v) < 4096 and "\n" not in v:
            p = Path(v) if Path(v).is_absolute() else base / v
            try:
                if p.is_file():
                    files.add(str(p))
            except OSError:
                pass

    if doc is not None:
        walk(doc.data)
    return sorted(files)


def prepare(scenario_path: str, outputs: list[str | None], extensions: list[tuple[str, ...]]) -> None:
    """Refuse bad output paths before any work: unknown extension, missing or unwritable folder, the scenario itself."""
    from ..outputs import check_output_path

    for out, exts in zip(outputs, extensions):
        if out is not None:
            check_output_path(out, inputs=[scenario_path], extensions=exts)


def load_matplotlib() -> None:
    """Select the Agg backend (no display needed) before anything draws, and import matplotlib's figures and
    artists without writing the property lists of their docstrings.

    matplotlib writes, for every Artist class it defines, a ``set()`` docstring listing all its properties
    (``matplotlib.artist.kwdoc``: every setter's docstring read and cleaned), about 0.1 s of a command's
    0.5 s import of matplotlib. A command never reads them: they are left short in this process only (the
    library, imported by a notebook, keeps them: this runs for the command line only).
    """
    import matplotlib
    import matplotlib.artist

    matplotlib.use("Agg")
    kwdoc = matplotlib.artist.kwdoc
    matplotlib.artist.kwdoc = lambda artist: ""  # help() text only
    try:
        import matplotlib.backends.backend_agg
        import matplotlib.figure  # noqa: F401  (the Artist classes the commands draw with)
    finally:
        matplotlib.artist.kwdoc = kwdoc


@click.command()
@scenario_argument
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=str), help="File to write: .png, .pdf or .svg. " + OVERWRITE_NOTE
)
@click.option(
    "--kind",
    type=click.Choice(["breakeven", "cumulative"]),
    default="breakeven",
    show_default=True,
    help="breakeven: monthly cost against monthly volume, break-even points and cheapest regions; "
    "cumulative: cumulative cost by month with training steps and payback months.",
)
@click.option(
    "--log/--linear",
    "log",
    default=None,
    help="Force logarithmic or linear axes (volume and cost for breakeven; cost for cumulative). "
    "Default: chosen from the data (log volume when your volume, its growth and the break-even "
    "volumes span more than about 1.3 decades; log cost when strategies differ more than 20-30x).",
)
@click.option("--volume", type=ASCII_FLOAT, help="Requests per month in month 1 (overrides the scenario).")
@click.option("--horizon", type=ASCII_INT, help="Months to total over (overrides the scenario).")
@pricing_option
@lang_option
def plot(scenario, output, kind, log, volume, horizon, pricing_dirs, lang):
    """Draw a chart of SCENARIO to a PNG, PDF or SVG file.

    The break-even chart shows each strategy's monthly cost against a constant
    monthly volume (training and one-time costs spread over the horizon), each
    break-even volume against the baseline, your volume, and which strategy is
    cheapest where (shaded). The cumulative chart shows the running total by
    month, training runs as steps, and the payback month of each strategy.

    \b
    Examples:
      ftcost plot scenarios/review-stars.yaml -o breakeven.png
      ftcost plot scenarios/review-stars.yaml -o cumulative.pdf --kind cumulative
      ftcost plot scenarios/review-stars.yaml -o breakeven.svg --linear
      ftcost plot scenarios/review-stars.yaml -o equilibrio.png --lang es
    """
    from ..api import compare as run_compare
    from ..render.plot import EXTENSIONS

    use_language(lang)
    prepare(scenario, [output], [EXTENSIONS])
    result = run_compare(scenario, volume=volume, horizon=horizon, pricing_dirs=pricing_dirs)
    load_matplotlib()
    from ..render.plot import write_plot

    write_plot(result, output, kind, log=log, inputs=scenario_inputs(result.scenario))
    click.echo(f"wrote {output}", err=True)


def check_extra_outputs(scenario_path: str, plot_path: str | None, report_path: str | None) -> None:
    """``compare --plot/--report``: refuse bad paths before computing anything."""
    import os

    from ..errors import OutputError
    from ..render.plot import EXTENSIONS

    prepare(scenario_path, [plot_path, report_path], [EXTENSIONS, (".pdf",)])
    if plot_path and report_path and os.path.realpath(plot_path) == os.path.realpath(report_path):
        raise OutputError(
            Message("--plot and --report name the same file; the report would replace the chart"),
            file=report_path,
            hint=Message("give two different file names"),
        )


def write_extra_outputs(result, plot_path: str | None, report_path: str | None) -> None:
    """``compare --plot/--report``: the break-even chart and the PDF report, each written atomically."""
    load_matplotlib()
    inputs = scenario_inputs(result.scenario)
    if plot_path:
        from ..render.plot import write_plot

        write_plot(result, plot_path, "breakeven", inputs=inputs)
        click.echo(f"wrote {plot_path}", err=True)
    if report_path:
        from ..api import report_facts
        from ..render.report import write_report

        write_report(report_facts(result), report_path, inputs=inputs)
        click.echo(f"wrote {report_path}", err=True)
