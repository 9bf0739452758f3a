"""``ftcost compare``: the main job."""

from __future__ import annotations

import click

from .common import ASCII_FLOAT, ASCII_INT, format_option, lang_option, pricing_option, scenario_argument, use_language


@click.command()
@scenario_argument
@format_option()
@click.option("--volume", type=ASCII_FLOAT, help="Requests per month in month 1 (overrides the scenario).")
@click.option("--horizon", type=ASCII_INT, help="Months to total over (overrides the scenario).")
@pricing_option
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=str),
    help="Also draw the break-even chart to this .png, .pdf or .svg file (see ftcost plot).",
)
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=str), help="Also write the PDF report to this file (see ftcost report).")
@lang_option
def compare(scenario, fmt, volume, horizon, pricing_dirs, plot_path=None, report_path=None, lang=None):
    """Compare the strategies of SCENARIO: cost per request, monthly and total cost,
    break-even volume against the baseline and payback month.

    Warnings (a training run after a provider stops accepting jobs, a model
    that retires within the horizon) go to stderr in text formats and into
    each strategy's "warnings" list in JSON.

    \b
    Examples:
      ftcost compare scenarios/review-stars.yaml
      ftcost compare scenarios/review-stars.yaml --volume 2000000 --format json
      ftcost compare scenarios/review-stars.yaml --plot breakeven.png --report review.pdf
      ftcost compare scenarios/review-stars.yaml --lang es
    """
    from ..api import compare as run_compare
    from ..render import text

    use_language(lang)
    if plot_path or report_path:
        from .plot import check_extra_outputs

        check_extra_outputs(scenario, plot_path, report_path)
    result = run_compare(scenario, volume=volume, horizon=horizon, pricing_dirs=pricing_dirs)
    render = {"table": text.to_table, "json": text.to_json, "csv": text.to_csv, "markdown": text.to_markdown}[fmt]
    click.echo(render(result), nl=False)
    if fmt != "json":
        from ..i18n import _
        from ..render.warnings_text import localized_warnings

        for w in localized_warnings(result):
            click.echo(_("warning: {text}").format(text=w), err=True)
    if plot_path or report_path:
        from .plot import write_extra_outputs

        write_extra_outputs(result, plot_path, report_path)
