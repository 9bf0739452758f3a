"""``ftcost validate``: check a scenario file without computing anything."""

from __future__ import annotations

import click

from ..i18n import _
from .common import lang_option, pricing_option, scenario_argument, use_language


@click.command()
@scenario_argument
@pricing_option
@lang_option
def validate(scenario, pricing_dirs, lang):
    """Check SCENARIO: keys, types, ranges, models and prices. Prints OK or the first problem
    (with file, line, column and key path), exit code 2.

    \b
    Example:
      ftcost validate scenarios/review-stars.yaml
    """
    from ..model.load import load_scenario

    use_language(lang)
    sc = load_scenario(scenario, pricing_dirs=pricing_dirs)
    names = ", ".join(f"{s.name} ({s.type}, {s.model.ref})" for s in sc.strategies)
    click.echo(_("OK: {scenario}: '{name}', {n} strategies: {names}").format(scenario=scenario, name=sc.name, n=len(sc.strategies), names=names))
