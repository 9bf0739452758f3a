"""``ftcost pricing check [PATH]...``: validate catalog files and warn about stale prices (registered on ``ftcost pricing``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..catalogs import DEFAULT_MAX_AGE_DAYS
from ..errors import CatalogError
from .common import _today, format_option, pricing_dirs_option


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(), metavar="[PATH]...")
@click.option(
    "--max-age-days",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_AGE_DAYS,
    show_default=True,
    help="Warn when a price was read more than this many days ago.",
)
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Count ages from this date (default: today).")
@pricing_dirs_option
@format_option(choices=("table", "json"))
def check(paths, max_age_days, on, pricing_dirs, fmt):
    """Validate catalog files and warn about stale prices.

    PATH is a catalog file or a folder of them; without PATH, the bundled
    catalogs and every private folder (--pricing, $FTCOST_PRICING_PATH) are
    checked. Errors: unknown keys, missing provider/currency/models, prices
    below 0, cached input above input, prices without a source or as_of date,
    a model past its retires_on still open to new fine-tuning jobs, a price
    marked secondary that cites a page the catalog cites as primary elsewhere.
    Warnings: prices read more than --max-age-days ago. Exit code 2 when
    there is an error.

    \b
    Example:
      ftcost pricing check ~/prices --max-age-days 90
    """
    from ..catalogs.check import check_paths, default_targets, summary

    day = on.date() if on is not None else _today()
    targets = [Path(p) for p in paths] or default_targets(pricing_dirs)
    reports = check_paths(targets, day, max_age_days)
    totals = summary(reports)
    if fmt == "json":
        out = {
            "date": day.isoformat(),
            "max_age_days": max_age_days,
            **totals,
            "checked": [r.file for r in reports],
            "problems": [p.to_dict() for r in reports for p in r.problems],
        }
        click.echo(json.dumps(out, indent=2))
    else:
        for r in reports:
            for p in r.problems:
                click.echo(str(p), err=p.level == "error")
        click.echo(
            f"Checked {totals['files']} catalog file{'s' if totals['files'] != 1 else ''}, {totals['prices']} prices "
            f"({totals['secondary']} secondary, {totals['unverified']} unverified): "
            f"{totals['errors']} error{'s' if totals['errors'] != 1 else ''}, {totals['warnings']} warning{'s' if totals['warnings'] != 1 else ''}."
        )
    if totals["errors"]:
        # (run_main maps FtcostError to exit 2; it drops the code of click's Exit)
        n = totals["errors"]
        raise CatalogError(f"{n} error{'s' if n != 1 else ''} in the catalogs checked (listed above)")
