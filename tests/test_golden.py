"""Golden JSON: every shipped scenario's ``compare`` output, captured before the
round-3 refactors (issue 16: "nothing changes for users").

A change to these files must be deliberate: regenerate with
``python tests/test_golden.py --update`` and name the change, and the issue that
asked for it, in the commit message.  Numbers compare to 1e-9 relative (float
summation order may change in a refactor); strings, keys and list lengths
compare exactly.  ``today`` is pinned so that stale-price and retirement
warnings do not drift with the calendar.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"
TODAY = dt.date(2026, 11, 30)
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def current(path: pathlib.Path) -> dict:
    from ftcost.api import compare

    # The scenario's own folder is where relative prompt/dataset paths resolve.
    return json.loads(json.dumps(compare(path, today=TODAY).to_dict()))


def assert_same(got, want, where="$"):
    if isinstance(want, dict):
        assert isinstance(got, dict), where
        assert sorted(got) == sorted(want), f"{where}: keys differ: {sorted(set(got) ^ set(want))}"
        for k in want:
            assert_same(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: list length {len(got) if isinstance(got, list) else got!r} != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(g, w, f"{where}[{i}]")
    elif isinstance(want, float) or (isinstance(want, int) and not isinstance(want, bool) and isinstance(got, float)):
        assert isinstance(got, (int, float)) and not isinstance(got, bool), f"{where}: {got!r} != {want!r}"
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), f"{where}: {got!r} != {want!r}"
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_scenario_json_is_unchanged(path):
    golden = GOLDEN / f"{path.stem}.json"
    assert golden.is_file(), f"no golden file for {path.name}: run python tests/test_golden.py --update"
    assert_same(current(path), json.loads(golden.read_text()))


def test_every_golden_file_has_its_scenario():
    assert {p.stem for p in GOLDEN.glob("*.json")} == {p.stem for p in SCENARIOS}


if __name__ == "__main__" and "--update" in sys.argv:
    GOLDEN.mkdir(exist_ok=True)
    for p in SCENARIOS:
        (GOLDEN / f"{p.stem}.json").write_text(json.dumps(current(p), indent=1, sort_keys=True) + "\n")
        print("wrote", GOLDEN / f"{p.stem}.json")
