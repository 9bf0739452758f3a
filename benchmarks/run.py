"""Run every benchmark: ``python benchmarks/run.py``.

Runs each ``benchmarks/bench_*.py`` in turn, in its own process, and prints
what it measured (each benchmark times its own comparisons side by side in
the same run and prints the ratios). Options are passed on:

    python benchmarks/run.py                 # all benchmarks, default sizes
    python benchmarks/run.py --write         # also refresh benchmarks/RESULTS-<name>.md
    python benchmarks/run.py engine          # only bench_engine.py

The machine may be shared: each benchmark gives the best of several rounds and
the median; run it under `taskset -c 0` and `taskset -c 0,1` for one CPU and two.
No test asserts a timing; these figures go to the README by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("only", nargs="*", help="benchmark names (engine, tokens, ...); default: all")
    ap.add_argument("--write", action="store_true", help="write each benchmark's results to benchmarks/RESULTS-<name>.md")
    a = ap.parse_args(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    if a.only:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in a.only]
        if not scripts:
            print(
                f"no benchmark named {', '.join(a.only)}; have: " + ", ".join(s.stem.removeprefix("bench_") for s in sorted(HERE.glob("bench_*.py"))),
                file=sys.stderr,
            )
            return 2
    failed = []
    for script in scripts:
        name = script.stem.removeprefix("bench_")
        cmd = [sys.executable, str(script)]
        if a.write:
            cmd += ["--write", str(HERE / f"RESULTS-{name}.md")]
        print(f"=== {name}: {' '.join(Path(c).name if i < 2 else c for i, c in enumerate(cmd))}", flush=True)
        t = time.perf_counter()
        rc = subprocess.call(cmd, cwd=HERE.parent)
        print(f"=== {name}: {'done' if rc == 0 else f'FAILED (exit {rc})'} in {time.perf_counter() - t:.0f} s\n", flush=True)
        if rc:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
