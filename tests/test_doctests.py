"""Every docstring example in the package runs as a test (numpy-financial style).

The modules are found by walking the package, so a new module's examples run
without being listed here. ``.ci/run`` also runs ``pytest --doctest-modules
ftcost``; this test keeps ``pytest -q`` alone complete.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ftcost

MODULES = sorted(m.name for m in pkgutil.walk_packages(ftcost.__path__, "ftcost.") if not m.name.endswith("__main__"))
# Modules whose worked examples are the backbone of the cost model: each must have some.
MUST_HAVE_EXAMPLES = {
    "ftcost.engine.formulas",
    "ftcost.engine.feasible",
    "ftcost.engine.summary",
    "ftcost.engine.payback",
    "ftcost.engine.envelope",
    "ftcost.model.normal",
    "ftcost.analysis.sweep",
    "ftcost.analysis.sensitivity",
    "ftcost.model.fields",
    "ftcost.model.schema",
    "ftcost.model.feasibility",
    "ftcost.api",
}


def test_the_walk_finds_the_engine():
    assert MUST_HAVE_EXAMPLES <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
    if name in MUST_HAVE_EXAMPLES:
        assert tried > 0, f"{name} lost its worked examples"
