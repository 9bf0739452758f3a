"""`ftcost tokens` on text without whitespace against ordinary text: speed per byte and peak memory.

Issue 18: text without whitespace (one giant pre-tokenizer piece) was
quadratic. This runs `ftcost tokens FILE --encoding o200k_base` in a new
process on files of the same size: ordinary English prose (the README
repeated), one letter repeated, random letters, random base64 and CJK
without spaces. It reports wall and CPU seconds (user + system), MB/s, the
ratios to ordinary text per byte (all files have the same size; ordinary
text runs first and last and the baseline is the mean of both; the CPU-time
ratio is the one a shared machine's load disturbs least) and the peak RSS of
each child (``ru_maxrss`` from ``os.wait4``). The random texts are drawn
afresh for every MiB, so no 4,096-character chunk repeats (tokens/cuts.py counts
a repeated chunk once).

    python benchmarks/bench_tokens_giant.py --mb 100
    python benchmarks/bench_tokens_giant.py --mb 1000 --dir /tmp   # 1 GB files, one at a time
"""

from __future__ import annotations

import argparse
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _random_unit(rng: random.Random, alphabet: str, n: int) -> bytes:
    """``n`` characters drawn from ``alphabet``, new ones at every call (never a repeated block)."""
    raw = rng.randbytes(n)
    if alphabet.isascii():
        table = bytes((alphabet * (256 // len(alphabet) + 1))[:256], "ascii")
        return raw.translate(table)
    return raw.decode("latin-1").translate({i: alphabet[i % len(alphabet)] for i in range(256)}).encode()


def make(path: Path, kind: str, size: int) -> None:
    """A file of ``size`` bytes of one kind of text; the random kinds never repeat (no chunk is met twice)."""
    rng = random.Random(1)
    readme = (REPO / "README.md").read_bytes()
    alphabets = {
        "random letters": string.ascii_letters,
        "base64, no newline": string.ascii_letters + string.digits + "+/",
        "CJK, no spaces": "中文字测试日本語",
    }
    if kind.startswith("CJK"):
        size -= size % 3  # whole characters (3 bytes each in UTF-8)
    with open(path, "wb") as f:
        written = 0
        while written < size:
            if kind == "ordinary text":
                unit = readme
            elif kind == "one letter":
                unit = b"a" * (1 << 20)
            else:
                n = 1 << 20
                unit = _random_unit(rng, alphabets[kind], n // 3 if kind.startswith("CJK") else n)
            chunk = unit[: size - written]
            f.write(chunk)
            written += len(chunk)


def run(path: Path) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS (MB) of this child alone (os.wait4), and what ftcost printed."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "ftcost", "tokens", str(path), "--encoding", "o200k_base", "--as", "text"], stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            raise SystemExit(err.read())
        return dt, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read().strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=100, help="size of each file in MB (10^6 bytes)")
    ap.add_argument("--dir", default=None, help="where to write the files (default: the system's temporary folder)")
    args = ap.parse_args()
    size = args.mb * 1_000_000
    # ordinary text first and last: the baseline is their mean, so a change of load during the run shows in both
    kinds = ["ordinary text", "one letter", "random letters", "base64, no newline", "CJK, no spaces", "ordinary text"]
    print(f"load before: {os.getloadavg()}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(dir=args.dir) as d:
        for kind in kinds:
            p = Path(d) / "f.txt"
            make(p, kind, size)
            dt, cpu, peak, out = run(p)
            out = out.rsplit(": ", 1)[-1]  # without the file's name
            rows.append((kind, dt, cpu, peak, out))
            print(f"{kind}: {dt:.1f} s, CPU {cpu:.1f} s, peak {peak:.0f} MB, {out}, load {os.getloadavg()}", flush=True)
            p.unlink()
    base = (rows[0][1] + rows[-1][1]) / 2
    base_cpu = (rows[0][2] + rows[-1][2]) / 2
    print(
        f"| text ({args.mb} MB) | wall s | CPU s | MB/s (CPU) | CPU time per byte vs ordinary text | wall time per byte vs ordinary text | peak RSS (MB) | ftcost says |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for kind, dt, cpu, peak, out in rows:
        print(f"| {kind} | {dt:.1f} | {cpu:.1f} | {size / cpu / 1e6:.1f} | {cpu / base_cpu:.2f}x | {dt / base:.2f}x | {peak:.0f} | {out[:60]} |")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
