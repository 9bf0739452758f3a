"""The committed JSON Schema for scenarios agrees with the loader and accepts every shipped scenario."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from ftcost import scenario as sc

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "ftcost" / "schemas" / "scenario.schema.json").read_text())
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def _as_editor_sees(data):
    # An editor's YAML language server hands dates to the schema as strings.
    if isinstance(data, dict):
        return {k: _as_editor_sees(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_editor_sees(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenarios_are_schema_valid(path):
    jsonschema.validate(_as_editor_sees(yaml.safe_load(path.read_text())), SCHEMA)


@pytest.mark.parametrize(
    "where, keys",
    [
        (SCHEMA["properties"], sc.SCENARIO_KEYS),
        (SCHEMA["properties"]["volume"]["properties"], sc.VOLUME_KEYS),
        (SCHEMA["definitions"]["strategy"]["properties"], sc.STRATEGY_KEYS),
        (SCHEMA["definitions"]["request"]["properties"], sc.REQUEST_KEYS),
        (SCHEMA["definitions"]["training"]["properties"], sc.TRAINING_KEYS),
        (SCHEMA["definitions"]["hosting"]["properties"], sc.HOSTING_KEYS),
        (SCHEMA["definitions"]["serving"]["properties"], sc.SERVING_KEYS),
        (SCHEMA["definitions"]["prices"]["properties"], sc.PRICE_OVERRIDE_KEYS),
    ],
)
def test_schema_keys_match_the_loader(where, keys):
    assert set(where) == set(keys)


def test_schema_rejects_a_typo():
    bad = {"ftcost": 1, "name": "x", "volume": {"requests_per_month": 1}, "strategies": [{"name": "a", "type": "prompt", "modle": "x"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)
