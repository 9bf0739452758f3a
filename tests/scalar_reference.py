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

from ftcost.engine import Inputs, _PAYBACK_RTOL as _RTOL
from ftcost.engine_blocks import CLOSED_FORM_FIELDS, array_fields, full_shape


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
    s_count = shape[0]
    n = int(np.prod(shape[1:])) if shape[1:] else 1
    n = n if limit is None else min(n, limit)
    cols = {name: np.broadcast_to(np.asarray(getattr(x, name), dtype=float), shape).reshape(s_count, -1)[:, :n].tolist()
            for name in array_fields(x) if name in CLOSED_FORM_FIELDS}
    h = int(x.horizon)
    b = int(x.baseline)
    total = [[0.0] * n for _ in range(s_count)]
    be = [[math.nan] * n for _ in range(s_count)]
    above = [[True] * n for _ in range(s_count)]
    pay = [[0] * n for _ in range(s_count)]
    cheapest = [0] * n
    strategies = range(s_count)
    for j in range(n):
        monthly, slope, fixed, stepped = [], [], [], []
        for s in strategies:
            v = {name: col[s][j] for name, col in cols.items()}
            fresh = v["prompt_tokens"] + v["input_tokens"] - v["cached_tokens"]
            standard = fresh * v["input_price"] + v["cached_tokens"] * v["cached_price"] + v["completion_tokens"] * v["output_price"]
            if math.isnan(v["batch_input_price"]):
                c = (1.0 - v["batch_share"] * v["batch_discount"]) * standard / 1e6
            else:  # published batch prices (issue 12)
                batch = (fresh * v["batch_input_price"] + v["cached_tokens"] * v["batch_cached_price"]
                         + v["completion_tokens"] * v["batch_output_price"])
                c = ((1.0 - v["batch_share"]) * standard + v["batch_share"] * batch) / 1e6
            f = v["per_hour"] * v["hours_per_month"] * v["deployments"] + v["storage_per_month"] + v["fixed_monthly_cost"]
            epochs = v["epochs"]
            if epochs <= 0:
                ex = max(int(v["examples"]), 1)
                epochs = min(25, 100 // ex) if ex * 3 < 100 else (max(1, 25000 // ex) if ex * 3 > 25000 else 3)
            trains = v["has_training"] > 0
            t = min(max(v["training_tokens"] * epochs * v["training_price"] / 1e6 + v["training_fixed"], v["min_job_fee"]),
                    v.get("max_job_fee", math.inf)) if trains else 0.0
            r = int(v["retrain_every"])
            q, cap, rc, min_rep = v["quality_cost"], v["replica_capacity"], v["replica_cost"], v["min_replicas"]
            volume, grow = v["requests_per_month"], 1.0 + v["growth"]
            index, trend = 1.0, 1.0 + v["price_change"]
            months, training, index_sum = [], 0.0, 0.0
            for m in range(1, h + 1):
                cost = f + volume * (c * index + q)
                if cap > 0:
                    cost += max(min_rep, math.ceil(round(volume / cap, 9))) * rc
                if trains and (m == 1 or (r > 0 and (m - 1) % r == 0)):
                    cost += t * index
                    training += t * index
                months.append(cost)
                index_sum += index
                volume *= grow
                index *= trend
            months[0] += v["one_time_cost"] + v["data_generation_cost"]
            monthly.append(months)
            slope.append(c * index_sum / h + q)
            fixed.append(f + (v["one_time_cost"] + v["data_generation_cost"] + training) / h)
            stepped.append(cap > 0)
            total[s][j] = sum(months)
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
        cheapest[j] = min(strategies, key=lambda s: total[s][j])
    return {"total_cost": np.array(total), "break_even": np.array(be), "cheaper_above": np.array(above),
            "payback_month": np.array(pay), "cheapest": np.array(cheapest)}
