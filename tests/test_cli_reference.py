"""Every command has help text ending in a real example, and docs/cli.md matches --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import cli_reference  # noqa: E402

COMMANDS = [(p, c, ctx) for p, c, ctx in cli_reference.walk(__import__("ftcost.cli", fromlist=["main"]).main, ["ftcost"])]


@pytest.mark.parametrize("path, cmd, ctx", COMMANDS, ids=[" ".join(p) for p, _, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path, cmd, ctx):
    text = cmd.get_help(ctx)
    assert cmd.help and len(cmd.help.strip()) > 20
    if not hasattr(cmd, "list_commands"):  # a leaf command: it shows how to run it
        assert "ftcost " + " ".join(path[1:]) in text, f"{' '.join(path)} --help has no example"


def test_reference_is_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
