"""Shared fixtures: the made-up test catalogs, a scenario writer, scenario dicts.

Tests never read ../shared: what they need is copied into tests/fixtures/.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from ftcost.cli import main
from ftcost.cli.common import run_main

FIXTURES = Path(__file__).parent / "fixtures"
TESTCO = str(FIXTURES / "testco.yaml")


@pytest.fixture
def write_scenario(tmp_path):
    """Write dedented YAML text to ``tmp_path/name`` and return its path.

    The fixture catalogs are copied to ``tmp_path/catalogs/`` so a scenario can
    name them by a path relative to itself (``pricing: [catalogs/testco.yaml]``).
    """
    cat = tmp_path / "catalogs"
    cat.mkdir()
    for f in FIXTURES.glob("*.yaml"):
        shutil.copy(f, cat / f.name)

    def write(text: str, name: str = "scenario.yaml") -> Path:
        p = tmp_path / name
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return p

    return write


@pytest.fixture
def sdict():
    """Build a scenario dict on the testco catalog: ``sdict(strategy, ..., volume=..., **top_level_keys)``.

    ``volume`` is requests per month, or a whole ``volume`` mapping.
    """

    def make(*strategies, volume=1_000_000, **top):
        d = {
            "ftcost": 1,
            "name": "test",
            "start": "2027-01",
            "pricing": [TESTCO],
            "volume": volume if isinstance(volume, dict) else {"requests_per_month": volume},
            "strategies": list(strategies),
        }
        d.update(top)
        return d

    return make


@pytest.fixture(autouse=True)
def no_private_catalogs(monkeypatch):
    """A developer's own FTCOST_PRICING_PATH must not change what the tests see."""
    monkeypatch.delenv("FTCOST_PRICING_PATH", raising=False)


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run ``ftcost ARGS...`` in-process through the real entry point: (exit code, stdout, stderr)."""

    def run(*args):
        monkeypatch.setattr(sys, "argv", ["ftcost", *map(str, args)])
        rc = run_main(main)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return rc, out, err

    return run
