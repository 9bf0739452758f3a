"""``ftcost pricing import litellm FILE``: convert another tool's price list into ftcost catalogs (registered on ``ftcost pricing``)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("import")
def import_():
    """Convert another tool's price list into ftcost catalogs."""


@import_.command("litellm")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write <provider>.yaml catalogs into (merged with catalogs already there).",
)
@click.option("--provider", "providers", multiple=True, metavar="P", help="Only this ftcost provider, e.g. openai, azure-openai, vertex-ai (repeatable).")
@click.option("--version", "version", default=None, help="LiteLLM version the file comes from (default: read from the file name).")
@click.option(
    "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Date the prices were read (default: today)."
)
@click.option("--dry-run", is_flag=True, help="Convert, merge and validate, but write nothing.")
def import_litellm_cmd(file, out_dir, providers, version, as_of, dry_run):
    """Convert LiteLLM's model_prices_and_context_window.json (.json or .json.gz).

    Per-token prices become per-1M prices; cached and batch prices are kept;
    ft: rows become the fine-tuning inference prices of their base model.
    Merge rules: docs/pricing.md.

    \b
    Example:
      ftcost pricing import litellm model_prices_and_context_window.json --provider openai -o pricing/
    """
    from ..catalogs.litellm_import import import_litellm

    result = import_litellm(
        file,
        out_dir,
        providers=list(providers) or None,
        version=version,
        as_of=as_of.date() if as_of else None,
        write=not dry_run,
    )
    for w in result.warnings[:20]:
        click.echo(f"warning: {w}", err=True)
    if len(result.warnings) > 20:
        click.echo(f"warning: ... and {len(result.warnings) - 20} more rows left out or changed (see docs/pricing.md)", err=True)
    for c in result.changes:
        click.echo(f"changed: {c}", err=True)
    verb = "would write" if dry_run else "wrote"
    for prov, n in result.counts.items():
        click.echo(f"{verb} {Path(out_dir) / (prov + '.yaml')}: {n['models']} models ({n['added']} added, {n['changed']} values changed)")
    if not result.counts:
        click.echo("No chat or completion rows to import.")
