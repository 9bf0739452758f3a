"""The cost model as a plain Python loop: the scalar reference.

:func:`evaluate_scalar` is straightforward scalar code, one variant and one
month at a time, that the property tests (tests/test_engine_blocks.py,
tests/test_properties.py) and the engine benchmark (benchmarks/bench_engine.py)
compare the vectorized engine with. It is written independently of
:mod:`ftcost.engine`'s formulas on purpose, so it is not shipped in the
package.
"""

from __future__ import annotations

import math

import numpy as np

from ftcost.engine import _PAYBACK_RTOL as _RTOL
from ftcost.engine import Inputs
from ftcost.engine.inputs import array_fields, full_shape
from ftcost.engine.summary import CLOSED_FORM_FIELDS


def evaluate_scalar(x: Inputs, limit: int | None = None) -> dict[str, np.ndarray]:
    """The cost model of :func:`ftcost.engine.evaluate` as a plain Python loop, one variant and one month at a time.

    The reference the tests and the benchmark compare :func:`evaluate_summary`
    with: straightforward scalar code (each strategy's per-request and fixed
    costs worked out once per variant, then month by month: volume, price
    index, training runs, cumulative cost). Returns ``total_cost``,
    ``break_even``, ``cheaper_above``, ``payback_month`` [strategies, variants]
    and ``cheapest`` [variants], for the first ``limit`` variants (all by
    default) of the flattened variant axes.
    """
    shape = full_shape(x)
    r_count = shape[0]  # engine rows: one per phase of a strategy's plan (owner: row -> strategy)
    owner = list(x.owner) if x.owner is not None else list(range(r_count))
    s_count = max(owner) + 1
    n = int(np.prod(shape[1:])) if shape[1:] else 1
    n = n if limit is None else min(n, limit)
    cols = {
        name: np.broadcast_to(np.asarray(getattr(x, name), dtype=float), shape).reshape(r_count, -1)[:, :n].tolist()
        for name in array_fields(x)
        if name in CLOSED_FORM_FIELDS
    }
    h = int(x.horizon)
    b = int(x.baseline)
    total = [[0.0] * n for _ in range(s_count)]
    be = [[math.nan] * n for _ in range(s_count)]
    above = [[True] * n for _ in range(s_count)]
    pay = [[0] * n for _ in range(s_count)]
    cheapest = [0] * n
    feasible = [[h] * n for _ in range(s_count)]
    strategies = range(s_count)
    for j in range(n):
        monthly = [[0.0] * h for _ in strategies]
        slope, fixed, stepped = [0.0] * s_count, [0.0] * s_count, [False] * s_count
        for row in range(r_count):
            s = owner[row]
            v = {name: col[row][j] for name, col in cols.items()}
            fresh = v["prompt_tokens"] + v["input_tokens"] - v["cached_tokens"]
            standard = fresh * v["input_price"] + v["cached_tokens"] * v["cached_price"] + v["completion_tokens"] * v["output_price"]
            if math.isnan(v["batch_input_price"]):
                c = (1.0 - v["batch_share"] * v["batch_discount"]) * standard / 1e6
            else:  # published batch prices (issue 12)
                batch = fresh * v["batch_input_price"] + v["cached_tokens"] * v["batch_cached_price"] + v["completion_tokens"] * v["batch_output_price"]
                c = ((1.0 - v["batch_share"]) * standard + v["batch_share"] * batch) / 1e6
            f = v["per_hour"] * v["hours_per_month"] * v["deployments"] + v["storage_per_month"] + v["fixed_monthly_cost"]
            epochs = v["epochs"]
            if epochs <= 0:
                ex = max(int(v["examples"]), 1)
                epochs = min(25, 100 // ex) if ex * 3 < 100 else (max(1, 25000 // ex) if ex * 3 > 25000 else 3)
            trains = v["has_training"] > 0
            t = (
                min(max(v["training_tokens"] * epochs * v["training_price"] / 1e6 + v["training_fixed"], v["min_job_fee"]), v.get("max_job_fee", math.inf))
                if trains
                else 0.0
            )
            r = int(v["retrain_every"])
            q, cap, rc, min_rep = v["quality_cost"], v["replica_capacity"], v["replica_cost"], v["min_replicas"]
            volume, grow = v["requests_per_month"], 1.0 + v["growth"]
            index, trend = 1.0, 1.0 + v["price_change"]
            first, last = int(v["first_month"]), int(min(v["last_month"], h))
            training, index_sum, active = 0.0, 0.0, 0
            stop = v["feasible_last"]
            for m in range(1, h + 1):
                if first <= m <= last:
                    cost = f + volume * (c * index + q)
                    if cap > 0:
                        cost += max(min_rep, math.ceil(round(volume / cap, 9))) * rc
                    if trains and (m == first or (r > 0 and (m - first) % r == 0)):
                        cost += t * index
                        training += t * index
                        if m > v["jobs_until"]:  # the provider takes no new jobs: the plan stops before this run
                            stop = min(stop, m - 1)
                    if m == first:
                        cost += v["one_time_cost"] + v["data_generation_cost"]
                    monthly[s][m - 1] += cost
                    index_sum += index
                    active += 1
                volume *= grow
                index *= trend
            slope[s] += c * index_sum / h + q * active / h
            fixed[s] += f * active / h + (v["one_time_cost"] + v["data_generation_cost"] + training) / h
            stepped[s] = stepped[s] or cap > 0
            feasible[s][j] = int(max(0, min(feasible[s][j], stop)))
        for s in strategies:
            total[s][j] = sum(monthly[s])
        for s in strategies:
            if s != b and not (stepped[s] or stepped[b]):
                dc, df = slope[b] - slope[s], fixed[s] - fixed[b]
                if dc > 0:
                    be[s][j] = max(df / dc, 0.0)
                elif dc == 0 and df < 0:
                    be[s][j] = 0.0
                elif dc < 0 and df < 0:
                    be[s][j], above[s][j] = df / dc, False
            elif s != b and slope[s] > slope[b] and fixed[s] < fixed[b]:
                above[s][j] = False
            ks = kb = 0.0
            for cost_s, cost_b in zip(monthly[s], monthly[b]):
                ks += cost_s
                kb += cost_b
                pay[s][j] += 1
                if ks - kb <= _RTOL * max(abs(kb), 1.0):
                    break
            else:
                pay[s][j] = 0
        ok = [s for s in strategies if feasible[s][j] >= h]  # only plans that run the whole horizon can be the cheapest
        cheapest[j] = min(ok, key=lambda s: total[s][j]) if ok else -1
    return {
        "total_cost": np.array(total),
        "break_even": np.array(be),
        "cheaper_above": np.array(above),
        "payback_month": np.array(pay),
        "cheapest": np.array(cheapest),
        "feasible_until": np.array(feasible),
    }
