"""``ftcost sensitivity``: which inputs decide the answer."""

from __future__ import annotations

import click

from ._analysis import chart_option, check_chart, render, write_chart
from .common import ASCII_FLOAT, format_option, lang_option, pricing_option, scenario_argument, use_language


@click.command()
@scenario_argument
@click.option("--swing", type=ASCII_FLOAT, default=0.2, show_default=True, help="How far each input moves down and up, as a fraction (0.2 = -20% and +20%).")
@click.option("--strategy", help="The strategy whose savings against the baseline are measured (default: the cheapest strategy that is not the baseline).")
@format_option()
@chart_option("a tornado chart of the changes in savings and break-even volume")
@pricing_option
@lang_option
def sensitivity(scenario, swing, strategy, fmt, chart_path, pricing_dirs, lang):
    """Move each input of SCENARIO down and up by the swing, one at a time, and show how
    the savings against the baseline and the break-even volume change, largest first.

    The inputs are those of the baseline and the strategy measured that are in use
    and not zero, plus the volume and its growth; moves stay within each field's
    valid range, and whole-number fields move to the next whole number.

    \b
    Examples:
      ftcost sensitivity scenarios/review-stars.yaml
      ftcost sensitivity scenarios/review-stars.yaml --swing 0.5 --chart tornado.png
      ftcost sensitivity scenarios/review-stars.yaml --strategy "few-shot prompt, nightly batch" --format csv
    """
    from ..analysis.sensitivity import sensitivity as run
    from ..model.load import load_scenario

    use_language(lang)
    check_chart(scenario, chart_path)
    sc = load_scenario(scenario, pricing_dirs=pricing_dirs)
    result = run(sc, swing=swing, strategy=strategy)
    render("sensitivity", fmt, result)
    write_chart("sensitivity", result, chart_path)
