"""Benchmark: the cost engine, ``ftcost simulate`` and ``ftcost compare`` start-up.

Run from the repository root::

    python benchmarks/bench_engine.py            # the scalar loop on 50,000 of the variants
    python benchmarks/bench_engine.py --full     # the scalar loop on all 10^6 variants (one to five minutes)
    python benchmarks/bench_engine.py --evaluate # also engine.evaluate on all 10^6 (needs about 8 GB of memory)
    python benchmarks/bench_engine.py --write benchmarks/RESULTS-engine.md

Everything runs in one process (start-up in fresh processes), in interleaved
rounds; the machine may be shared, so each figure is the best of its rounds
and the ratios compare figures of the same run.

1. Engine: 10^6 variants of scenarios/review-stars.yaml (3 strategies) over
   36 months -- requests per month log-uniform 10^3..10^7, growth 0..5% a
   month, the prompt's tokens 500..4,000 and the fine-tuned model's training
   tokens 0.3M..1.5M, all different in every variant -- each with its full
   monthly schedule (growth, retraining every 6 months), totals, break-even
   volume and payback month:

   (a) ``evaluate_summary``: cache-sized blocks and closed forms, asked for
       the totals, break-even volumes, payback months and cheapest strategy;
   (b) with --evaluate, ``engine.evaluate``: the straightforward version, every
       month of every variant materialised at once (several GB);
   (c) a plain scalar Python loop, one variant and one month at a time
       (``tests/scalar_reference.py``). Its time grows linearly with the
       number of variants; without --full it runs on the first 50,000 and is
       scaled to 10^6 (the line says so).

   Checks that (a) agrees with ``engine.evaluate`` (totals to 1e-12,
   break-even, payback) on the first 20,000 variants (all with --evaluate),
   and with (c) on the variants the loop ran.

2. Simulate: scenarios/review-stars-uncertain.yaml (5 uncertain inputs) over
   36 months, 10^5 samples: ``uncertainty.simulate`` (sampling, engine,
   percentiles).

3. Start-up: ``ftcost compare scenarios/review-stars.yaml`` (text table) in a
   fresh process, against ``python -c "import numpy, yaml, click"`` -- the
   floor any numpy + YAML + click tool pays; and whether matplotlib or pandas
   got imported on the way (they must not).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ftcost import engine  # noqa: E402
from ftcost.engine.inputs import array_fields  # noqa: E402
from ftcost.engine.summary import evaluate_summary  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from scalar_reference import evaluate_scalar  # noqa: E402  (the reference is not shipped in the package)

from ftcost.analysis.simulation import simulate  # noqa: E402
from ftcost.scenario import load_scenario  # noqa: E402

VARIANTS = 1_000_000
MONTHS = 36
SAMPLES = 100_000
LOOP_SUBSET = 50_000
TARGETS = {"engine_s": 0.4, "engine_vs_loop": 60.0, "simulate_s": 1.0, "startup_vs_floor": 1.5}


def variants(n: int, seed: int = 0) -> engine.Inputs:
    """n variants of review-stars over 36 months: [plan rows, n].

    The scenario's models retire within the 36 months, so its plans have
    several phases (issue 13): OpenAI's gpt-4o-mini moves to its successor,
    Azure's fine-tuned gpt-4.1-nano stops when its base model retires. Each
    phase is one engine row (``x.owner`` maps rows to the 3 strategies); a
    varied input varies in every row of its strategy.
    """
    sc = load_scenario(ROOT / "scenarios" / "review-stars.yaml", horizon=MONTHS)
    x = sc.inputs()
    rng = np.random.default_rng(seed)
    owner = np.asarray(x.owner if x.owner is not None else range(len(sc.strategies)))
    r = len(owner)

    def col(a):  # per-row [R] -> [R, 1]
        return np.broadcast_to(np.asarray(a, dtype=float), (r,)).reshape(r, 1)

    # every per-row input [R] as [R, 1] (whatever fields the engine has)
    fields = {f: col(getattr(x, f)) for f in array_fields(x) if f not in ("requests_per_month", "growth")}
    prompt = np.repeat(fields["prompt_tokens"], n, axis=1)
    draw = rng.uniform(500, 4000, n)
    prompt[(owner == 0) | (owner == 2)] = draw  # the batch strategy sends the same prompt, on every model of its plan
    cached = np.repeat(fields["cached_tokens"], n, axis=1)
    cached = np.minimum(cached, prompt)
    tokens = np.repeat(fields["training_tokens"], n, axis=1)
    tokens[owner == 1] = rng.uniform(3e5, 1.5e6, n)
    fields.update(prompt_tokens=prompt, cached_tokens=cached, training_tokens=tokens)
    return x.replace(requests_per_month=np.exp(rng.uniform(np.log(1e3), np.log(1e7), n)), growth=rng.uniform(0.0, 0.05, n), **fields)


def best(fn, rounds: int) -> tuple[float, object]:
    times, out = rounds_of(fn, rounds)
    return min(times), out


def rounds_of(fn, rounds: int) -> tuple[list[float], object]:
    """Every round's wall time (the report gives the best and the median, never only the best)."""
    out, times = None, []
    for _ in range(rounds):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return times, out


def threads() -> str:
    """The CPUs this process may run on (taskset) and the thread settings of numpy's libraries."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 0
    omp = os.environ.get("OMP_NUM_THREADS", "unset")
    return f"{cpus} of {os.cpu_count()} CPUs (taskset), OMP_NUM_THREADS={omp}; the engine itself runs on one thread"


def subset(x: engine.Inputs, k: int) -> engine.Inputs:
    n = np.shape(x.requests_per_month)[-1]
    return x.replace(
        **{
            f: (np.asarray(getattr(x, f))[..., :k] if np.shape(getattr(x, f))[-1:] == (n,) else getattr(x, f))
            for f in ("requests_per_month", "growth", "prompt_tokens", "cached_tokens", "training_tokens")
        }
    )


CORE = ("total_cost", "break_even", "cheaper_above", "payback_month", "cheapest", "feasible_until")


def load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def bench_engine(full: bool, with_evaluate: bool, rounds: int) -> dict:
    start_load = load()
    x = variants(VARIANTS)
    summary_times, s = rounds_of(lambda: evaluate_summary(x, outputs=CORE), rounds)
    t_eval = None
    if with_evaluate:
        t_eval, o = best(lambda: engine.evaluate(x), 1)
        ref, cut = o, VARIANTS
    else:
        cut = 20_000
        ref = engine.evaluate(subset(x, cut))
    ok_total = np.allclose(np.asarray(s.total_cost)[:, :cut], ref.total_cost, rtol=1e-12)
    ok_be = np.allclose(np.asarray(s.break_even)[:, :cut], ref.break_even, rtol=1e-12, equal_nan=True)
    pay_diff = int(np.count_nonzero(np.asarray(s.payback_month)[:, :cut] != np.asarray(ref.payback_month)))
    ok_plan = np.array_equal(np.asarray(s.feasible_until)[:, :cut], ref.feasible_until) and np.array_equal(np.asarray(s.cheapest)[:cut], ref.cheapest)
    del ref
    k = VARIANTS if full else LOOP_SUBSET
    t_loop, r = best(lambda: evaluate_scalar(x, limit=k), 1)
    ok_loop = np.allclose(r["total_cost"], np.asarray(s.total_cost)[:, :k], rtol=1e-10) and np.array_equal(r["cheapest"], np.asarray(s.cheapest)[:k])
    sc = load_scenario(ROOT / "scenarios" / "review-stars.yaml", horizon=MONTHS)
    moves = [
        f"{st.name}: {' -> '.join([st.model.ref] + [m['to'] for m in st.plan.migrations])}"
        + ("" if st.plan.feasible_last >= MONTHS else f", stops after month {int(st.plan.feasible_last)}")
        for st in sc.strategies
        if st.plan is not None and (st.plan.migrations or st.plan.feasible_last < MONTHS)
    ]
    return {
        "summary_s": min(summary_times),
        "summary_median_s": statistics.median(summary_times),
        "evaluate_s": t_eval,
        "loop_s": t_loop * VARIANTS / k,
        "loop_measured_on": k,
        "agree": bool(ok_total and ok_be and ok_loop and ok_plan),
        "payback_differences": pay_diff,
        "checked_on": cut,
        "load": (start_load,),
        "rows": len(x.owner) if x.owner is not None else 3,
        "migrations": "; ".join(moves) or "no retirements",
    }


def bench_simulate(rounds: int) -> dict:
    sc = load_scenario(ROOT / "scenarios" / "review-stars-uncertain.yaml", horizon=MONTHS)
    times, sim = rounds_of(lambda: simulate(sc, n=SAMPLES, seed=1), rounds)
    return {"simulate_s": min(times), "simulate_median_s": statistics.median(times), "inputs": len(sc.distributions)}


def bench_startup(rounds: int) -> dict:
    exe = shutil.which("ftcost")
    cmd = [exe] if exe else [sys.executable, "-m", "ftcost"]
    scenario = str(ROOT / "scenarios" / "review-stars.yaml")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="0")
    runs = {"compare": cmd + ["compare", scenario], "floor": [sys.executable, "-c", "import numpy, yaml, click"]}
    times: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(rounds):
        for k, c in runs.items():
            t = time.perf_counter()
            subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
            times[k].append(time.perf_counter() - t)
    probe = subprocess.run([sys.executable, "-X", "importtime", "-m", "ftcost", "compare", scenario], capture_output=True, text=True, env=env)
    heavy = sorted(
        {m for m in ("matplotlib", "pandas", "scipy", "openpyxl") if any(line.split("|")[-1].strip().split(".")[0] == m for line in probe.stderr.splitlines())}
    )
    return {
        "compare_s": min(times["compare"]),
        "floor_s": min(times["floor"]),
        "compare_median_s": statistics.median(times["compare"]),
        "floor_median_s": statistics.median(times["floor"]),
        "heavy_imports": heavy,
        "load": load(),
        "command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(runs["compare"][:2])) + " scenarios/review-stars.yaml",
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; Python {platform.python_version()}, numpy {np.__version__}"


def report(e: dict, s: dict, u: dict) -> str:
    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    ratio_loop = e["loop_s"] / e["summary_s"]
    ratio_start = u["compare_s"] / u["floor_s"]
    loop_note = "" if e["loop_measured_on"] == VARIANTS else f" (measured on {e['loop_measured_on']:,} variants, x{VARIANTS // e['loop_measured_on']})"
    lines = [
        f"machine: {machine()}",
        f"load average (1 min) at the start and end of the run: {e['load'][0]:.1f}, {u['load']:.1f} "
        "(the machine may be shared; each figure is the best of its rounds, the median in brackets)",
        f"threads: {threads()}",
        "",
        f"engine, {VARIANTS:,} variants x {MONTHS} months, 3 strategies in {e['rows']} plan rows"
        f" ({e['migrations']}) (totals, break-even, payback, feasibility):",
        f"  evaluate_summary (blocks, closed forms)  {e['summary_s']:8.3f} s ({e['summary_median_s']:.3f})   target < {TARGETS['engine_s']} s: {mark(e['summary_s'] < TARGETS['engine_s'])}",
        *(
            [f"  engine.evaluate (all months at once)     {e['evaluate_s']:8.3f} s   {e['evaluate_s'] / e['summary_s']:6.1f}x slower"]
            if e["evaluate_s"] is not None
            else []
        ),
        f"  scalar Python loop                       {e['loop_s']:8.3f} s   {ratio_loop:6.1f}x slower{loop_note}"
        f"   target >= {TARGETS['engine_vs_loop']:g}x: {mark(ratio_loop >= TARGETS['engine_vs_loop'])}",
        f"  results agree: {'yes' if e['agree'] else 'NO'} (against engine.evaluate on {e['checked_on']:,} variants; "
        f"payback months differing: {e['payback_differences']})",
        "",
        f"simulate, {SAMPLES:,} samples x {MONTHS} months, {s['inputs']} uncertain inputs:",
        f"  uncertainty.simulate                     {s['simulate_s']:8.3f} s ({s['simulate_median_s']:.3f})   target < {TARGETS['simulate_s']} s: {mark(s['simulate_s'] < TARGETS['simulate_s'])}",
        "",
        "start-up (fresh process, best of rounds, median in brackets):",
        f"  {u['command']:<40} {u['compare_s']:8.3f} s ({u['compare_median_s']:.3f})   {ratio_start:6.2f}x the floor"
        f"   target <= {TARGETS['startup_vs_floor']}x: {mark(ratio_start <= TARGETS['startup_vs_floor'])}",
        f'  python -c "import numpy, yaml, click"   {u["floor_s"]:8.3f} s ({u["floor_median_s"]:.3f})   (the floor)',
        f"  heavy imports on the compare path: {', '.join(u['heavy_imports']) or 'none (no matplotlib, pandas, scipy, openpyxl)'}",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="run the scalar loop on all 10^6 variants (about a minute)")
    ap.add_argument("--evaluate", action="store_true", help="also time engine.evaluate on all 10^6 variants (about 8 GB)")
    ap.add_argument("--rounds", type=int, default=7, help="rounds per timed step (best is kept); default 7")
    ap.add_argument("--write", metavar="FILE", help="also write the results as Markdown to FILE")
    a = ap.parse_args(argv)
    evaluate_summary(variants(1000))  # warm up imports and caches
    e = bench_engine(a.full, a.evaluate, a.rounds)
    s = bench_simulate(a.rounds)
    u = bench_startup(max(a.rounds, 5) * 2)
    text = report(e, s, u)
    print(text)
    if a.write:
        from ftcost.outputs import write_atomic

        stamp = time.strftime("%Y-%m-%d")
        flags = "".join(f" --{k}" for k in ("full", "evaluate") if getattr(a, k))
        md = (
            f"# Engine benchmark results\n\nMeasured {stamp} with `python benchmarks/bench_engine.py{flags}` "
            f"(see its docstring for what each line measures).\n\n```\n{text}\n```\n"
        )
        write_atomic(a.write, md)
        print(f"\nwritten to {a.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
