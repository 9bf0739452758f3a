"""Pieces shared by simulate, sweep and sensitivity: the --chart option and writing it."""

from __future__ import annotations

import click

from ..i18n import _

CHART_EXTENSIONS = (".png", ".pdf", ".svg")


def chart_option(what: str):
    return click.option(
        "--chart",
        "chart_path",
        type=click.Path(dir_okay=False, path_type=str),
        help=f"Also draw {what} to this .png, .pdf or .svg file (replaced atomically; a file the scenario reads is never overwritten).",
    )


def check_chart(scenario_path: str, chart_path: str | None) -> None:
    """Refuse a bad chart path before any work."""
    if chart_path:
        from ..outputs import check_output_path

        check_output_path(chart_path, inputs=[scenario_path], extensions=CHART_EXTENSIONS)


def write_chart(kind: str, result, chart_path: str | None) -> None:
    if not chart_path:
        return
    from ..render import charts
    from .plot import scenario_inputs

    if kind == "simulate":  # the fan chart's month-by-month bands: computed here, drawn by the renderer
        from ..analysis.simulation import with_savings_bands

        result = with_savings_bands(result)
    charts.save(charts.figure_for(kind, result), chart_path, inputs=scenario_inputs(result.scenario))
    click.echo(_("chart written to {path}").format(path=chart_path), err=True)


def render(kind: str, fmt: str, result) -> None:
    from ..render.analysis import RENDERERS

    out = RENDERERS[kind][fmt](result)
    for chunk in [out] if isinstance(out, str) else out:  # a renderer may stream its text in chunks
        click.echo(chunk, nl=False)
