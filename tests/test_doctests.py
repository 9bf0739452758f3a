"""The worked examples in the engine's docstrings run as tests (numpy-financial style)."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["ftcost.engine", "ftcost.envelope", "ftcost.api", "ftcost.render.fmt"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 or name == "ftcost.render.fmt"
    assert failures == 0
