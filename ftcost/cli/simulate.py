"""``ftcost simulate``: Monte Carlo over the scenario's distributions."""

from __future__ import annotations

import click

from ..i18n import _
from ._analysis import chart_option, check_chart, render, write_chart
from .common import AsciiIntRange, format_option, lang_option, pricing_option, scenario_argument, use_language


@click.command()
@scenario_argument
@click.option("-n", "--samples", "n", type=AsciiIntRange(1, 2_000_000), default=100_000, show_default=True, help="Number of samples.")
@click.option(
    "--seed", type=AsciiIntRange(0, 2**63 - 1), default=20270101, show_default=True, help="Seed of the random streams: the same seed gives the same numbers."
)
@format_option()
@chart_option("the savings histogram and the fan chart of cumulative savings")
@pricing_option
@lang_option
def simulate(scenario, n, seed, fmt, chart_path, pricing_dirs, lang):
    """Simulate SCENARIO with its uncertain inputs: the probability that each strategy
    is the cheapest over the horizon, and p5/p50/p95 of total cost, savings against
    the baseline, break-even volume and payback month.

    Any number in the scenario that can vary may be a distribution:
    {dist: uniform, low, high}, {dist: triangular, low, mode, high},
    {dist: normal, mean, sd} (cut at the field's valid range) or
    {dist: lognormal, median, p90}. compare, sweep and sensitivity use each
    distribution's median. Inputs are independent.

    \b
    Examples:
      ftcost simulate scenarios/review-stars-uncertain.yaml
      ftcost simulate scenarios/review-stars-uncertain.yaml -n 200000 --seed 7 --format json
      ftcost simulate scenarios/review-stars-uncertain.yaml --chart simulation.png
    """
    from ..analysis.simulation import simulate as run
    from ..model.load import load_scenario

    use_language(lang)
    check_chart(scenario, chart_path)
    sc = load_scenario(scenario, pricing_dirs=pricing_dirs)
    result = run(sc, n=n, seed=seed)
    render("simulate", fmt, result)
    if fmt != "json" and not sc.distributions:
        click.echo(
            _(
                "note: the scenario has no distributions, so every sample is the same "
                "(write a number as {{dist: uniform, low: ..., high: ...}} to make it uncertain)"
            ).format(),
            err=True,
        )
    write_chart("simulate", result, chart_path)
