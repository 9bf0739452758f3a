"""``ftcost validate``: check a scenario file without computing anything."""

from __future__ import annotations

import click

from .common import pricing_option, scenario_argument


@click.command()
@scenario_argument
@pricing_option
def validate(scenario, pricing_dirs):
    """Check SCENARIO: keys, types, ranges, models and prices. Prints OK or the first problem
    (with file, line, column and key path), exit code 2.

    \b
    Example:
      ftcost validate scenarios/review-stars.yaml
    """
    from ..model.load import load_scenario

    sc = load_scenario(scenario, pricing_dirs=pricing_dirs)
    names = ", ".join(f"{s.name} ({s.type}, {s.model.ref})" for s in sc.strategies)
    click.echo(f"OK: {scenario}: '{sc.name}', {len(sc.strategies)} strategies: {names}")
