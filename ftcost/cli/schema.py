"""``ftcost schema NAME``: print a JSON Schema shipped with ftcost.

Every ``ftcost/schemas/NAME.schema.json`` is offered as NAME, so a new
schema (``scenario``) needs only its file.
"""

from __future__ import annotations

from pathlib import Path

import click

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
SUFFIX = ".schema.json"


def schema_names() -> list[str]:
    return sorted(p.name[: -len(SUFFIX)] for p in SCHEMA_DIR.glob("*" + SUFFIX))


@click.command()
@click.argument("name", type=click.Choice(schema_names()))
def schema(name):
    """Print the JSON Schema of a file format (for editors and CI validation).

    \b
    Example:
      ftcost schema catalog > catalog.schema.json
    """
    click.echo((SCHEMA_DIR / f"{name}{SUFFIX}").read_text(encoding="utf-8"), nl=False)
