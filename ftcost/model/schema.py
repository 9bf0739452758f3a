"""The scenario JSON Schema's numeric constraints, generated from :mod:`ftcost.model.fields`.

``ftcost/schemas/scenario.schema.json`` is written by hand for its structure
(objects, text, choices, descriptions) and by :func:`generate` for every
number: each row of the field table sets its property's type, range and
whether a distribution may stand there. A test (tests/test_scenario_fields.py)
checks that the committed file equals the generated one;
``python tests/test_scenario_fields.py --update`` rewrites it.

The same goes for the table of numeric inputs in docs/design.md
(:func:`markdown_table`, between the ``fields:`` markers).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, cast

from ..limits import MAX_COMPOUND_FACTOR, MAX_NUMBER
from .fields import ANY, FIELDS, NumberField

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "scenario.schema.json"
START = "<!-- fields: generated from ftcost/model/fields.py by python tests/test_scenario_fields.py --update -->"
END = "<!-- fields: end -->"
DISTRIBUTION_REF = {"$ref": "#/definitions/distribution"}
NUMERIC_KEYS = ("type", "minimum", "maximum", "exclusiveMinimum", "anyOf", "const")  # what a row owns in its property


def number_schema(f: NumberField) -> dict[str, Any]:
    """The JSON Schema of one row's plain value (no distribution).

    >>> number_schema(FIELDS[0])
    {'type': 'integer', 'minimum': 1, 'maximum': 1200}
    """
    out: dict[str, Any] = {"type": "integer" if f.integer else "number"}
    if f.minimum is not None:
        out["exclusiveMinimum" if f.exclusive_min else "minimum"] = _num(f.minimum)
    if f.maximum is not None:
        out["maximum"] = _num(f.maximum)
    return out


def property_schema(f: NumberField) -> dict[str, Any]:
    """The constraints a row puts on its property: the number, or a distribution, or one of its words."""
    plain = number_schema(f)
    choices = [plain] + ([DISTRIBUTION_REF] if f.distribution else []) + [{"const": w} for w in f.words]
    return plain if len(choices) == 1 else {"anyOf": choices}


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def _node(schema: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The property schema a table path names, following $ref, array items and pattern properties."""
    node = schema
    for part in path:
        node = _deref(schema, node)
        if part == ANY:
            node = node["items"] if "items" in node else next(iter(node["patternProperties"].values()))
        else:
            node = node["properties"][part]
    return node


def _deref(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = schema
        for part in ref[2:].split("/"):
            node = node[part]
    return node


def generate(skeleton: dict[str, Any]) -> dict[str, Any]:
    """``skeleton`` with every table row's property set from the table (descriptions and defaults kept)."""
    schema = copy.deepcopy(skeleton)
    for f in FIELDS:
        node = _node(schema, f.path)
        kept = {k: v for k, v in node.items() if k not in NUMERIC_KEYS}
        node.clear()
        node.update(property_schema(f))
        node.update(kept)
    return schema


def committed() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def dumps(schema: dict[str, Any]) -> str:
    """The schema as the committed file spells it."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def range_text(f: NumberField) -> str:
    """The row's range in words.

    >>> range_text(FIELDS[0])
    'whole, 1 to 1200'
    >>> [range_text(f) for f in FIELDS if f.path[-1] in ("growth_per_month", "requests_per_second")]
    ['> -1, <= 1', '> 0']
    """
    lo = None if f.minimum is None else f"{'>' if f.exclusive_min else '>='} {f.minimum:g}"
    hi = None if f.maximum is None else f"<= {f.maximum:g}"
    if lo and hi and not f.exclusive_min:
        text = f"{f.minimum:g} to {f.maximum:g}"
    else:
        text = ", ".join(x for x in (lo, hi) if x) or "any"
    words = "".join(f', or "{w}"' for w in f.words)
    return ("whole, " if f.integer else "") + text + words


def _varies(f: NumberField) -> str:
    if not f.vary:
        return "no" + (f": {f.fixed}" if f.fixed else "")
    if f.distribution:
        return "yes, and distributions"
    return "yes, in whole steps; no distribution"


def markdown_table() -> str:
    """Every numeric input as a Markdown table: key path, range, unit, whether it can vary."""
    limits = (
        f"Every number is also at most {MAX_NUMBER:.0e} in size, and a monthly rate must not compound over the horizon "
        f"past a factor of {MAX_COMPOUND_FACTOR:.0e}. A whole-number field moves in whole steps and takes no distribution."
    ).replace("e+", "e")
    lines = [START, "", limits, "", "| Key path | Range | Unit | `--vary`, sensitivity |", "|---|---|---|---|"]
    for f in FIELDS:
        path = f.dotted.replace(".*.", ".<i>.").replace("exchange_rate.*", "exchange_rate.<CODE>")
        lines.append(f"| `{path}` | {range_text(f)} | {f.unit} | {_varies(f)} |")
    return "\n".join(lines + ["", END])


def with_table(text: str) -> str:
    """``text`` (docs/design.md) with the part between the markers replaced by :func:`markdown_table`."""
    i, j = text.index(START), text.index(END) + len(END)
    return text[:i] + markdown_table() + text[j:]
