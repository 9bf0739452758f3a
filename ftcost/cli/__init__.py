"""The ``ftcost`` command line: a thin layer over the library.

Commands live one per module in this package and are imported only when
called, so ``ftcost compare`` never pays for matplotlib or pandas. To add a
command, add its ``"name": "module:function"`` to COMMANDS.
"""

from __future__ import annotations

import importlib
import sys

import click

COMMANDS = {
    "compare": "ftcost.cli.compare:compare",
    "validate": "ftcost.cli.validate:validate",
    "plot": "ftcost.cli.plot:plot",
    "report": "ftcost.cli.report:report",
    "export": "ftcost.cli.export:export",
    "pricing": "ftcost.cli.pricing:pricing",
    "data": "ftcost.cli.data:data",
    "tokens": "ftcost.cli.tokens:tokens",
    "simulate": "ftcost.cli.simulate:simulate",
    "sweep": "ftcost.cli.sweep:sweep",
    "sensitivity": "ftcost.cli.sensitivity:sensitivity",
    "schema": "ftcost.cli.schema:schema",
    "init": "ftcost.cli.init:init",
    "calibrate": "ftcost.cli.calibrate:calibrate",
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx, name):
        if name in self.lazy:
            module, attr = self.lazy[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="ftcost")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def main(ctx, debug):
    """ftcost: should you keep prompting or fine-tune, and from what volume does it pay?

    \b
    Example:
      ftcost compare scenarios/review-stars.yaml
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def run():
    """Console-script entry point: maps errors to exit codes (0 ok, 2 bad input, 1 bug)."""
    from .common import run_main

    sys.exit(run_main(main))
