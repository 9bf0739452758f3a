"""Write docs/cli.md, the CLI reference, from every command's --help.

python scripts/cli_reference.py          # rewrite docs/cli.md
python scripts/cli_reference.py --check  # exit 1 if docs/cli.md is stale (the tests do this)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "cli.md"


def walk(cmd: click.Command, path: list[str], ctx: click.Context | None = None):
    ctx = click.Context(cmd, info_name=path[-1], parent=ctx, terminal_width=100, max_content_width=100)
    yield path, cmd, ctx
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            yield from walk(cmd.get_command(ctx, name), path + [name], ctx)


def render() -> str:
    from ftcost.cli import main

    out = ["# ftcost command reference", "", "Generated from `--help` by `python scripts/cli_reference.py`; a test fails when it is stale.", ""]
    for path, cmd, ctx in walk(main, ["ftcost"]):
        out += [f"## {' '.join(path)}", "", "```", cmd.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        current = TARGET.read_text() if TARGET.exists() else ""
        if current != text:
            print("docs/cli.md is stale: run python scripts/cli_reference.py", file=sys.stderr)
            sys.exit(1)
    else:
        TARGET.parent.mkdir(exist_ok=True)
        TARGET.write_text(text)
