"""``ftcost export``: the monthly schedule as a spreadsheet (with formulas) or a tidy CSV."""

from __future__ import annotations

import click

from .common import ASCII_FLOAT, ASCII_INT, lang_option, pricing_option, scenario_argument, use_language
from .plot import OVERWRITE_NOTE, prepare, scenario_inputs


@click.command()
@scenario_argument
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="File to write: .xlsx or .csv ('-': the CSV to standard output). " + OVERWRITE_NOTE,
)
@click.option("--volume", type=ASCII_FLOAT, help="Requests per month in month 1 (overrides the scenario).")
@click.option("--horizon", type=ASCII_INT, help="Months to total over (overrides the scenario; sets the number of rows).")
@pricing_option
@lang_option
def export(scenario, output, volume, horizon, pricing_dirs, lang):
    """Export the monthly schedule of SCENARIO, per strategy and month: volume, variable,
    fixed, training and one-time cost, total and cumulative.

    .xlsx: an Inputs sheet (volume, growth, every price and token count; yellow cells) and
    formulas everywhere else, so changing an input recomputes every total; a Schedule sheet;
    a Summary sheet with totals, break-even volumes and payback months; a Sources sheet.
    .csv: tidy, one row per strategy and month, unrounded, in the scenario's currency.

    \b
    Examples:
      ftcost export scenarios/review-stars.yaml -o review.xlsx
      ftcost export scenarios/review-stars.yaml -o review.csv --horizon 36
      ftcost export scenarios/review-stars.yaml -o revision.xlsx --lang es

    The workbook's labels and notes follow --lang (en or es); the CSV is the same in every language.
    """
    from ..api import compare as run_compare
    from ..i18n import _
    from ..render.export import EXTENSIONS, write_export

    use_language(lang)
    if output == "-":
        from ..render.export import to_csv

        result = run_compare(scenario, volume=volume, horizon=horizon, pricing_dirs=pricing_dirs)
        click.echo(to_csv(result), nl=False)
    else:
        prepare(scenario, [output], [EXTENSIONS])
        result = run_compare(scenario, volume=volume, horizon=horizon, pricing_dirs=pricing_dirs)
        write_export(result, output, inputs=scenario_inputs(result.scenario))
        click.echo(f"wrote {output}", err=True)
    for w in result.warnings_in_language():
        click.echo(_("warning: {text}").format(text=w), err=True)
