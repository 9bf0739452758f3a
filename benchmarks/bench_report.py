"""Report speed: ``ftcost report`` against ``ftcost compare`` on the 5-strategy scenario, side by side.

    python benchmarks/bench_report.py            # 5 rounds
    python benchmarks/bench_report.py --rounds 9 --write benchmarks/RESULTS-report.md

Each round runs, in fresh processes, ``ftcost compare scenarios/spanish-reviews.yaml``
and ``ftcost report scenarios/spanish-reviews.yaml -o TMP.pdf`` one after
the other, so both see the same machine load. It prints the best and the
median wall time of each, the CPU time (user + system, less sensitive to a
shared machine) and the ratio report / compare. Target (issue 14): the
report under 2 s of wall time on this machine. No test asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "scenarios/spanish-reviews.yaml"
TARGET_S = 2.0
# As installed: the modules' bytecode is written on the warm-up run and read afterwards, even where the
# environment says not to write it (PYTHONDONTWRITEBYTECODE would make every round compile ftcost again).
ENV = dict(os.environ, PYTHONDONTWRITEBYTECODE="0")


def _run(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh ftcost process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ftcost", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--write", help="also write the results to this Markdown file")
    a = ap.parse_args(argv)
    load0 = os.getloadavg()[0]
    compare, report = [], []
    with tempfile.TemporaryDirectory() as tmp:
        pdf = str(Path(tmp) / "r.pdf")
        _run(["report", SCENARIO, "-o", pdf])  # warm the font cache and the file system
        for _ in range(a.rounds):
            compare.append(_run(["compare", SCENARIO]))
            report.append(_run(["report", SCENARIO, "-o", pdf]))
    load1 = os.getloadavg()[0]

    def line(name, xs):
        walls, cpus = [w for w, _ in xs], [c for _, c in xs]
        return f"  {name:<58} wall best {min(walls):6.2f} s, median {statistics.median(walls):6.2f} s; CPU best {min(cpus):5.2f} s"

    best_c, best_r = min(w for w, _ in compare), min(w for w, _ in report)
    cpu_c, cpu_r = min(c for _, c in compare), min(c for _, c in report)
    out = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}",
        f"load average (1 min) at the start and end of the run: {load0:.1f}, {load1:.1f} (the machine may be shared)",
        f"{a.rounds} rounds, each: compare then report, fresh processes",
        "",
        line(f"ftcost compare {SCENARIO}", compare),
        line(f"ftcost report {SCENARIO} -o r.pdf", report),
        f"  ratio report / compare: wall {best_r / best_c:.1f}x, CPU {cpu_r / cpu_c:.1f}x",
        f"  target: report < {TARGET_S:.0f} s wall: {'ok' if best_r < TARGET_S else 'MISSED'} (best {best_r:.2f} s)",
    ]
    text = "\n".join(out)
    print(text)
    if a.write:
        Path(a.write).write_text(
            f"# Report benchmark results\n\nMeasured with `python benchmarks/bench_report.py --rounds {a.rounds}` (see its docstring).\n\n```\n{text}\n```\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
