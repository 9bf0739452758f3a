"""Run ``ftcost ARGS`` in-process through the real entry point, outside pytest fixtures
(module-scoped set-ups need it): returns (exit code, stdout, stderr)."""

from __future__ import annotations

import contextlib
import io
import sys


def run_cli(args):
    from ftcost.cli import main
    from ftcost.cli.common import run_main

    out, err = io.StringIO(), io.StringIO()
    old = sys.argv
    sys.argv = ["ftcost", *map(str, args)]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run_main(main)
    finally:
        sys.argv = old
    return code, out.getvalue(), err.getvalue()
