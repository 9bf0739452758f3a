"""``ftcost sweep``: the comparison over a grid of input values."""

from __future__ import annotations

import click

from ..i18n import Message
from ._analysis import chart_option, check_chart, render, write_chart
from .common import format_option, lang_option, pricing_option, scenario_argument, use_language


@click.command()
@scenario_argument
@click.option(
    "--vary",
    "specs",
    multiple=True,
    required=True,
    metavar="PATH=START:STOP[:log]:N",
    help="An input and its values: N points from START to STOP (evenly spaced, or in log scale with "
    ":log), or PATH=V1,V2,... Repeat for a grid. PATH is the key path in the scenario file, "
    "e.g. volume.requests_per_month or strategies.0.request.prompt_tokens (a strategy may be "
    "named instead of numbered).",
)
@format_option()
@chart_option("a heatmap of the cheapest strategy and the savings (two --vary) or the totals (one --vary)")
@pricing_option
@lang_option
def sweep(scenario, specs, fmt, chart_path, pricing_dirs, lang):
    """Compare the strategies of SCENARIO at every point of a grid of input values:
    the cheapest strategy, the savings against the baseline, and each strategy's total
    cost, break-even volume and payback month.

    Uncertain inputs (distributions) take their medians, except the ones swept.

    \b
    Examples:
      ftcost sweep scenarios/review-stars.yaml --vary volume.requests_per_month=1e3:1e7:log:50
      ftcost sweep scenarios/review-stars.yaml --vary volume.requests_per_month=1e5:3e7:log:40 \\
          --vary strategies.0.request.prompt_tokens=500:4000:8 --chart heatmap.png
      ftcost sweep scenarios/review-stars.yaml --vary strategies.1.hosting.deployments=1,2,3 --format csv
    """
    from ..analysis.sweep import sweep as run
    from ..model.load import load_scenario

    use_language(lang)
    check_chart(scenario, chart_path)
    if chart_path and len(specs) > 2:
        raise click.UsageError(Message("--chart shows one or two --vary inputs; this sweep has {n}", n=len(specs)))
    sc = load_scenario(scenario, pricing_dirs=pricing_dirs)
    result = run(sc, list(specs))
    render("sweep", fmt, result)
    write_chart("sweep", result, chart_path)
