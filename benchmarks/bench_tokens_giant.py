"""`ftcost tokens` on text without whitespace against ordinary text: speed per byte and peak memory.

Issue 18: text without whitespace (one giant pre-tokenizer piece) was
quadratic. This runs `ftcost tokens FILE --encoding o200k_base` in a new
process on files of the same size: ordinary English prose (the README
repeated), one letter repeated, random letters, random base64 and CJK
without spaces, and reports seconds, MB/s, the ratio to ordinary text (per
byte) and the peak RSS (VmHWM of the child, via resource.getrusage).

    python benchmarks/bench_tokens_giant.py --mb 100
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make(path: Path, kind: str, size: int) -> None:
    rng = random.Random(1)
    if kind == "ordinary text":
        unit = (REPO / "README.md").read_bytes()
    elif kind == "one letter":
        unit = b"a" * (1 << 20)
    elif kind == "random letters":
        unit = "".join(rng.choices(string.ascii_letters, k=1 << 20)).encode()
    elif kind == "base64, no newline":
        unit = "".join(rng.choices(string.ascii_letters + string.digits + "+/", k=1 << 20)).encode()
    else:  # CJK without spaces
        unit = "".join(rng.choices("中文字测试日本語", k=1 << 18)).encode()
    if kind.startswith("CJK"):
        size -= size % 3  # whole characters (3 bytes each in UTF-8)
    with open(path, "wb") as f:
        written = 0
        while written < size:
            chunk = unit[: size - written]
            f.write(chunk)
            written += len(chunk)


def run(path: Path) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "ftcost", "tokens", str(path), "--encoding", "o200k_base", "--as", "text"], capture_output=True, text=True)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB, the largest child so far
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    return dt, max(peak, before) / 1024, r.stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=100)
    args = ap.parse_args()
    size = args.mb * 1_000_000
    kinds = ["ordinary text", "one letter", "random letters", "base64, no newline", "CJK, no spaces"]
    print(f"load before: {os.getloadavg()}")
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for kind in kinds:
            p = Path(d) / "f.txt"
            make(p, kind, size)
            dt, peak, out = run(p)
            rows.append((kind, dt, peak, out))
            p.unlink()
    base = rows[0][1]
    print(f"| text ({args.mb} MB) | seconds | MB/s | time per byte vs ordinary text | peak RSS (MB, max so far) | ftcost says |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for kind, dt, peak, out in rows:
        print(f"| {kind} | {dt:.1f} | {size / dt / 1e6:.1f} | {dt / base:.2f}x | {peak:.0f} | {out[:60]} |")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
