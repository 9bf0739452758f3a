"""The long fuzz run: the fuzz tests with many more cases, then how many ran and how they ended.

    python benchmarks/fuzz_long.py                 # 20,000 cases per target, the fixed seed
    python benchmarks/fuzz_long.py --examples 100000 --seed 7
    python benchmarks/fuzz_long.py -- -k mutated   # extra pytest arguments after --

CI runs the same tests with 2,000 cases per target (tests/test_fuzz_*.py). A
finding here is a bug: the failing example is printed by hypothesis; turn it
into a regression test next to the fix.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ_FILES = ["tests/test_fuzz_scenario.py", "tests/test_fuzz_catalog.py", "tests/test_fuzz_jsonl.py", "tests/test_edges.py", "tests/test_fuzz_numeric.py"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=20_000, help="cases per fuzz target (default 20,000)")
    ap.add_argument("--seed", type=int, help="a random seed instead of the fixed (derandomized) one")
    ap.add_argument("--case-seconds", type=float, default=30, help="time limit of one case (default 30 s)")
    ap.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = ap.parse_args(argv)
    os.environ["FTCOST_FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["FTCOST_FUZZ_CASE_SECONDS"] = str(args.case_seconds)
    if args.seed is not None:
        os.environ["FTCOST_FUZZ_SEED"] = str(args.seed)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT / "tests"))
    import pytest

    files = [f for f in FUZZ_FILES if (ROOT / f).exists()]
    t0 = time.perf_counter()
    code = pytest.main(["-q", "-p", "no:cacheprovider", *files, *args.pytest_args])
    elapsed = time.perf_counter() - t0
    import fuzz_support  # the module the tests imported (imported earlier, hypothesis would escape pytest's rewriting)

    print()
    print(f"fuzz run: {args.examples:,} cases per target, seed {args.seed if args.seed is not None else 'fixed'}, {elapsed:,.0f} s")
    print(fuzz_support.summary())
    print(f"total: {sum(fuzz_support.COUNTS.values()):,} cases; pytest exit code {int(code)}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
