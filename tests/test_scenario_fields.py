"""The field table (ftcost.model.fields) is the one place a scenario number's range lives.

The committed JSON Schema's numeric constraints are generated from it
(``python tests/test_scenario_fields.py --update`` rewrites the file), the
checker and ``--vary`` read their ranges from it, and every row names a real
engine input and a real schema property.
"""

from __future__ import annotations

import copy
import re
import sys
from dataclasses import fields as dc_fields
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ftcost import engine
from ftcost.errors import ScenarioError
from ftcost.model import paths
from ftcost.model import schema as ss
from ftcost.model.checker import _Checker
from ftcost.model.fields import ANY, BY_PATH, FIELDS, NumberField
from ftcost.yamlsrc import YamlDoc

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schema_is_the_generated_one():
    want = ss.dumps(ss.generate(ss.committed()))
    assert ss.SCHEMA_FILE.read_text(encoding="utf-8") == want, "run python tests/test_scenario_fields.py --update"


DESIGN = ROOT / "docs" / "design.md"


def test_design_doc_lists_the_table():
    text = DESIGN.read_text(encoding="utf-8")
    assert ss.with_table(text) == text, "run python tests/test_scenario_fields.py --update"


def _numeric_properties(schema: dict, node: dict, path: tuple = ()):
    """Every property path under ``node`` whose value may be a number (anyOf included)."""
    node = ss._deref(schema, node)
    kinds = [node.get("type")] + [ss._deref(schema, c).get("type") for c in node.get("anyOf", [])]
    if path and ("number" in kinds or "integer" in kinds):
        yield path
    for key, sub in node.get("properties", {}).items():
        if path[-1:] == ("ftcost",):
            continue
        yield from _numeric_properties(schema, sub, path + (key,))
    if "items" in node and node["items"].get("$ref") != "#/definitions/message":
        yield from _numeric_properties(schema, node["items"], path + (ANY,))
    for sub in node.get("patternProperties", {}).values():
        yield from _numeric_properties(schema, sub, path + (ANY,))


def test_every_number_in_the_schema_is_a_table_row():
    schema = ss.committed()
    found = set(_numeric_properties(schema, schema))
    assert found == set(BY_PATH)


@pytest.mark.parametrize("row", FIELDS, ids=lambda f: f.dotted)
def test_row_feeds_an_engine_input(row: NumberField):
    names = {f.name for f in dc_fields(engine.Inputs)}
    assert row.engine is None or row.engine in names
    assert row.label and row.unit
    assert row.vary or row.fixed is not None or row.strategy_key is not None  # a top-level field says why it is fixed


def _concrete(row: NumberField) -> tuple:
    return tuple(0 if p == ANY and row.path[0] == "strategies" else "USD" if p == ANY else p for p in row.path)


def _check(row: NumberField, value):
    path = _concrete(row)
    chk = _Checker(YamlDoc(data={}, file="t.yaml"))
    return chk.field({path[-1]: value}, path[-1], path[:-1])


@pytest.mark.parametrize("row", FIELDS, ids=lambda f: f.dotted)
def test_checker_refuses_what_the_row_refuses(row: NumberField):
    lo = row.minimum
    if lo is not None:
        if row.exclusive_min:
            with pytest.raises(ScenarioError, match=f"must be > {lo:g}"):
                _check(row, lo)
        else:
            assert _check(row, lo) == lo
            with pytest.raises(ScenarioError, match=f"must be >= {lo:g}"):
                _check(row, lo - 1)
    if row.maximum is not None:
        assert _check(row, row.maximum) == row.maximum
        with pytest.raises(ScenarioError, match=f"must be <= {row.maximum:g}"):
            _check(row, row.maximum + 1)
    inside = row.maximum - 0.25 if row.maximum is not None else (lo or 0) + 1.5  # a fraction within the range
    if row.integer:
        with pytest.raises(ScenarioError, match="expected a whole number"):
            _check(row, inside)
    else:
        assert _check(row, inside) == inside


@pytest.mark.parametrize("row", FIELDS, ids=lambda f: f.dotted)
def test_vary_paths_are_the_rows_that_vary(row: NumberField):
    f, why = paths.field_for(_concrete(row))
    assert (f is not None) == row.vary
    if f is not None:
        assert (f.minimum, f.maximum, f.exclusive_min, f.integer) == (row.minimum, row.maximum, row.exclusive_min, row.integer or row.vary_whole)
        assert paths.distribution_refusal(_concrete(row)) is None if row.distribution else paths.distribution_refusal(_concrete(row))
    elif row.fixed:
        assert why == row.fixed


# A strategy with the blocks whose keys are required, so that only the field under test decides.
STRATEGY = {"name": "a", "type": "prompt", "quality": {"error_rate": 0, "cost_per_error": 0}, "training": {"data_generation": {"examples": 1, "model": "m"}}}


def test_schema_takes_a_distribution_exactly_where_the_checker_does():
    schema = ss.committed()
    dist = {"dist": "uniform", "low": 0.5, "high": 0.6}
    for row in FIELDS:
        doc = {"ftcost": 1, "name": "x", "volume": {"requests_per_month": 1}, "strategies": [copy.deepcopy(STRATEGY)]}
        path = _concrete(row)
        if path[:2] in (("volume", "requests_per_month"), ("volume", "requests_per_day")):
            doc["volume"] = {}  # requests_per_month or requests_per_day, not both
        node: Any = doc
        for part in path[:-1]:
            node = node[part] if isinstance(node, list) else node.setdefault(part, {})
        node[path[-1]] = dist
        ok = jsonschema.Draft7Validator(schema).is_valid(doc)
        assert ok == row.distribution, row.dotted


def test_the_checker_reads_no_range_of_its_own():
    # Ranges come from ftcost.model.fields through _Checker.field; a chk.number(..., minimum=...) would be a second copy.
    for path in sorted((ROOT / "ftcost" / "model").glob("*.py")):
        name, text = path.name, path.read_text()
        calls = re.findall(r"chk\.number\([^)]*\)", text)
        assert not [c for c in calls if "minimum=" in c or "maximum=" in c or "integer=" in c], name


def test_init_asks_for_what_the_checker_takes():
    # ftcost init once took growth up to 10 (1000% a month) and wrote files the checker refuses (> 1).
    import click

    from ftcost.cli.init import _months, parse_growth

    row = BY_PATH[("volume", "growth_per_month")]
    assert parse_growth("100%") == row.maximum
    with pytest.raises(click.BadParameter, match="at most 100% a month"):
        parse_growth("101%")
    with pytest.raises(click.BadParameter, match="above -100%"):
        parse_growth("-1")
    assert _months(str(BY_PATH[("horizon_months",)].maximum)[:-2]) == 1200
    with pytest.raises(click.BadParameter, match="from 1 to 1200"):
        _months("1201")


def test_a_rate_above_its_maximum_is_not_called_a_compounding_overflow():
    # 2 a month over 24 months is a factor of 3^23 (about 9.4e10), far below 1e100: the refusal is the range's.
    t = paths.Target(("volume", "growth_per_month"), paths.TOP_FIELDS[("volume", "growth_per_month")], None)
    with pytest.raises(paths.PathError, match=r"must be <= 1; --vary gives 2$"):
        t.check_values([0.0, 2.0], "--vary", horizon=24)
    # 0.5 a month over 1200 months is 1.5^1199, about 1e211: that one is the compounding limit.
    with pytest.raises(paths.PathError, match="compounds over 1200 months past a factor of 1e100"):
        t.check_values([0.5], "--vary", horizon=1200)


if __name__ == "__main__" and "--update" in sys.argv:
    ss.SCHEMA_FILE.write_text(ss.dumps(ss.generate(ss.committed())), encoding="utf-8")
    print("wrote", ss.SCHEMA_FILE)
    DESIGN.write_text(ss.with_table(DESIGN.read_text(encoding="utf-8")), encoding="utf-8")
    print("wrote", DESIGN)
