"""Shared machinery of the fuzz tests (tests/test_fuzz_*.py, benchmarks/fuzz_long.py).

Every fuzz case must end in one of two outcomes:

* a valid result: ``to_dict()`` serialises with ``json.dumps(allow_nan=False)``,
  every renderer runs, every cost is a finite number >= 0; or
* a clean :class:`ftcost.errors.FtcostError` whose message names the file and,
  where the data has a position, ``:line:column``.

Anything else (another exception, a numpy warning, NaN or inf, a case slower
than ``CASE_SECONDS``) fails the test. numpy warnings are turned into errors
while a case runs (underflow stays ignored, as numpy's default never reports
it to the user).

``FTCOST_FUZZ_EXAMPLES`` scales the number of cases per target (2,000 in CI);
``FTCOST_FUZZ_SEED`` switches from the fixed (derandomized) seed to a given one.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import csv
import datetime as dt
import io
import json
import math
import os
import time
import warnings
from pathlib import Path

import numpy as np
import yaml
from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st

from ftcost.errors import FtcostError

EXAMPLES = int(os.environ.get("FTCOST_FUZZ_EXAMPLES", "2000"))
SEED = os.environ.get("FTCOST_FUZZ_SEED")
CASE_SECONDS = float(os.environ.get("FTCOST_FUZZ_CASE_SECONDS", "10"))
TODAY = dt.date(2026, 12, 1)
REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"

#: cases run per target, and how they ended ("result" / "error")
COUNTS: collections.Counter = collections.Counter()
OUTCOMES: collections.Counter = collections.Counter()

# Errors about the file as a whole: no line to point at.
WHOLE_FILE_MESSAGES = (
    "is empty",
    "NUL bytes",
    "byte limit",
    "is a directory",
    "not a regular file",
    "not found",
    "too large to compute",  # a cost past 1e308: the scenario as a whole, no one value to point at
)


def fuzz(examples: int | None = None):
    """Hypothesis settings of a fuzz target: fixed seed, no deadline, no example database."""
    n = examples or EXAMPLES

    def deco(fn):
        fn = settings(
            max_examples=n,
            derandomize=SEED is None,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )(fn)
        if SEED is not None:
            fn = seed(int(SEED))(fn)
        return fn

    return deco


class Hang(Exception):
    """A case ran far past its time limit (a blocking read, an endless loop)."""


@contextlib.contextmanager
def hang_guard(seconds: float):
    """Raise Hang in the main thread after ``seconds`` (SIGALRM), so a hang fails the test instead of stalling CI."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum, frame):
        raise Hang(f"case still running after {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def strict_numpy():
    """numpy warnings (overflow, invalid, divide by zero) and Python warnings become errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            yield


def run_case(target: str, fn, *, files: dict[str, bool] | None = None):
    """Run one case: ``fn()`` returns a Result (or any object with ``to_dict``), or raises FtcostError.

    ``files`` maps file paths the case reads to whether errors about them must
    carry a line (True for YAML files, whose every value has a position).
    Returns the result or the error.
    """
    COUNTS[target] += 1
    t0 = time.perf_counter()
    with strict_numpy(), hang_guard(3 * CASE_SECONDS):
        try:
            out = fn()
        except FtcostError as exc:
            check_error(exc, files or {})
            OUTCOMES[target, "error"] += 1
            out = exc
        else:
            if out is not None and hasattr(out, "strategies") and hasattr(out, "scenario"):
                check_result(out)
            OUTCOMES[target, "result"] += 1
    elapsed = time.perf_counter() - t0
    assert elapsed < CASE_SECONDS, f"case took {elapsed:.1f} s (limit {CASE_SECONDS} s)"
    return out


def check_error(exc: FtcostError, files: dict[str, bool]) -> None:
    msg = str(exc)
    assert exc.file, f"error names no file: {msg}"
    assert msg.startswith(str(exc.file)), f"message does not start with the file: {msg}"
    assert len(msg) < 4000, f"message is {len(msg)} characters long: {msg[:300]}..."
    assert "Traceback" not in msg
    need_line = files.get(str(exc.file), False)
    if need_line and not any(m in exc.message for m in WHOLE_FILE_MESSAGES):
        assert exc.line is not None and exc.column is not None, f"error has no line:column: {msg}"
        assert msg.startswith(f"{exc.file}:{exc.line}:{exc.column}"), msg


def _finite_nonneg(x, what):
    assert isinstance(x, (int, float)) and not isinstance(x, bool), f"{what} is {x!r}"
    assert math.isfinite(x), f"{what} is {x}"
    assert x >= 0, f"{what} is negative: {x}"


def check_result(result) -> None:
    """The Result of a comparison is complete, finite and consistent."""
    d = result.to_dict()
    json.dumps(d, allow_nan=False)
    h = d["horizon_months"]
    names = [s["name"] for s in d["strategies"]]
    assert d["cheapest"] in names and d["baseline"] in names
    for s in d["strategies"]:
        for k in ("cost_per_request", "fixed_monthly", "training_cost", "one_time_cost", "average_fixed_monthly", "monthly_cost", "total_cost"):
            _finite_nonneg(s[k], f"{s['name']}.{k}")
        assert len(s["monthly"]) == h
        for v in s["monthly"]:
            _finite_nonneg(v, f"{s['name']}.monthly")
        assert 0 <= s["training_runs"] <= h
        be = s["break_even_requests_per_month"]
        if be is not None:
            _finite_nonneg(be, f"{s['name']}.break_even")
        pm = s["payback_month"]
        assert pm is None or 1 <= pm <= h
        if s["name"] == d["baseline"]:
            assert be is None and pm is None and s["cheaper_above_break_even"] is None
        elif be is not None:
            assert isinstance(s["cheaper_above_break_even"], bool)
        else:
            assert s["cheaper_above_break_even"] in (None, True, False)
        assert all(isinstance(w, str) for w in s["warnings"])
    from ftcost.render import text

    text.to_table(result)
    text.to_markdown(result)
    rows = list(csv.reader(io.StringIO(text.to_csv(result))))
    header = rows[0]
    for row in rows[1:]:
        for name, cell in zip(header, row):
            if name in ("currency", "name", "type", "model"):
                continue
            assert cell.lower() not in ("nan", "inf", "-inf"), f"CSV {name} = {cell}"


# --------------------------------------------------------------------------
# Values and mutations of plain data trees (dicts, lists, scalars)

EDGE_NUMBERS = [
    0,
    1,
    -1,
    0.5,
    -0.5,
    -0.99,
    -0.999999,
    0.999999,
    1.000001,
    2,
    3,
    12,
    24,
    100,
    1199,
    1200,
    1201,
    744,
    745,
    1e6,
    1e12,
    1e15,
    1e16,
    1e300,
    -1e300,
    1.7976931348623157e308,
    5e-324,
    1e-300,
    1e-12,
    -0.0,
    10**400,
    -(10**400),
    2**63,
    2**64,
    10**30,
    float("nan"),
    float("inf"),
    float("-inf"),
]
EDGE_TEXT = [
    "",
    " ",
    "auto",
    "AUTO",
    "3",
    "1e3",
    "1_000",
    "1,000",
    "nan",
    ".inf",
    "null",
    "yes",
    "~",
    "x" * 5000,
    "é日本🙂",
    "\u202e\u200b",
    "tab\there",
    "line\nbreak",
    "openai/gpt-4o-mini",
    "azure-openai/gpt-4.1-nano",
    "testco/tune",
    "testco/base",
    "eurco/euro-1",
    "openai",
    "azure-openai",
    "nosuch",
    "nosuch/model",
    "2027-01",
    "2027-13",
    "0000-01",
    "1899-12",
    "9999-12",
    "2027-01-31",
    "prompt",
    "fine_tuned",
    "self_hosted",
    "USD",
    "EUR",
    "usd",
    "US",
    "../../etc/passwd",
    "/",
    ".",
    "..",
    "/dev/zero",
    "/dev/null",
    "fifo",
    "prompt.txt",
    "missing.txt",
    "catalogs/testco.yaml",
    "catalogs/eurco.yaml",
    "catalogs",
    "train.jsonl",
    "bad.jsonl",
    "scenario.yaml",
]
EDGE_OTHER = [None, True, False, dt.date(2027, 1, 1), dt.date(1, 1, 1), dt.date(9999, 12, 31), [], {}, [1, 2], {"a": 1}, [None], [[[]]], {"": None}]

_scalar = st.one_of(
    st.sampled_from(EDGE_NUMBERS),
    st.sampled_from(EDGE_TEXT),
    st.sampled_from(EDGE_OTHER),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.text(max_size=20),
)


def values(known: list | None = None):
    """A replacement value: edge numbers and texts, known words, random scalars, small containers."""
    base = _scalar if not known else st.one_of(_scalar, st.sampled_from(known))
    return st.one_of(
        base,
        base,
        base,
        st.lists(base, max_size=3),
        st.dictionaries(st.text(max_size=8), base, max_size=3),
    ).map(unshared)  # never hand out (and later mutate) the pool objects, nor one twice ({"a": [], "b": []} drew one list)


def paths(tree, prefix=()):
    """Every path (tuple of keys and indexes) in a tree of dicts and lists, the root included."""
    out = [prefix]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += paths(v, prefix + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out += paths(v, prefix + (i,))
    return out


def get(tree, path):
    for p in path:
        tree = tree[p]
    return tree


def put(tree, path, value):
    if not path:
        return value
    get(tree, path[:-1])[path[-1]] = value
    return tree


def depth_of(tree) -> int:
    """Nesting depth of a tree of dicts and lists, without recursion (a tree may be deeper than the stack)."""
    deepest = 0
    todo = [(tree, 0)]
    while todo:
        node, d = todo.pop()
        if isinstance(node, (dict, list)):
            d += 1
            todo.extend((v, d) for v in (node.values() if isinstance(node, dict) else node))
        deepest = max(deepest, d)
    return deepest


# yaml.safe_dump (about 3 frames a level) and copy.deepcopy run out of stack near 280 levels under pytest and
# hypothesis; a swap can move a 200-level subtree under another deep branch. Deeper than this, a mutation is undone
# (the long fuzz run drew such trees and failed in the test's own yaml.safe_dump, not in ftcost).
MAX_TREE_DEPTH = 200


def dump_yaml(doc, **kw) -> str:
    """``yaml.safe_dump`` through libyaml's emitter when PyYAML has it: the same document, about six times faster.

    The pure-Python emitter was the largest cost of a catalog case (0.3 s of
    0.7 s in a profile), which made the long run's 20,000 cases per target
    take hours.
    """
    return yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), **kw)


def nest(value, depth: int, kind: str):
    for i in range(depth):
        value = [value] if kind == "list" else {f"k{i}": value}
    return value


MUTATIONS = ("set", "set", "set", "delete", "rename", "insert", "nest", "repeat", "swap", "retype")


def unshared(tree):
    """A copy of a tree of dicts and lists in which no dict or list appears twice.

    ``yaml.safe_load`` gives one object for an anchor and all its aliases
    (openai.yaml, fireworks.yaml, ...), and ``copy.deepcopy`` keeps that
    sharing. In a shared tree two paths that differ can lead to the same
    object, so changing the tree at one path silently moves the other: a swap
    of ``a.k`` with ``b.k.z`` where ``a`` and ``b`` are one mapping replaced
    ``k`` under both and then failed inside :func:`put` (KeyError, TypeError),
    the generator's own failure that the full suite met now and then. Every
    mutation below keeps a tree unshared (values are copied in, nodes moved).

    >>> s = {"k": {"z": 1}}
    >>> t = unshared({"a": s, "b": s})
    >>> t == {"a": s, "b": s} and t["a"] is not t["b"]
    True
    """
    if isinstance(tree, dict):
        return {k: unshared(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [unshared(v) for v in tree]
    return copy.deepcopy(tree)  # a scalar: dates, numbers, text (immutable, but never hand out a pool object)


@st.composite
def mutated(draw, bases: list, known_keys: list, known_values: list | None = None, max_mutations: int = 4):
    """A copy of one of ``bases`` with 1..max_mutations random mutations (a plain data tree, nothing shared)."""
    tree = unshared(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(1, max_mutations))):
        before = copy.deepcopy(tree)
        tree = _mutate_once(draw, tree, known_keys, known_values)
        if depth_of(tree) > MAX_TREE_DEPTH:
            tree = before
    return tree


def _mutate_once(draw, tree, known_keys: list, known_values: list | None):
    """One random mutation of ``tree`` (in place where it can be); returns the tree."""
    ps = paths(tree)
    path = ps[draw(st.integers(0, len(ps) - 1))]
    op = draw(st.sampled_from(MUTATIONS))
    node = get(tree, path)
    if op == "set":
        tree = put(tree, path, draw(values(known_values)))
    elif op == "retype":
        # the same value as another type: text, list, mapping, number
        kind = draw(st.sampled_from(["str", "list", "dict", "num", "bool"]))
        new = {
            "str": str(node),
            "list": [node],
            "dict": {"value": node},
            "num": draw(st.sampled_from(EDGE_NUMBERS)),
            "bool": bool(node) if not isinstance(node, float) or not math.isnan(node) else True,
        }[kind]
        tree = put(tree, path, new)
    elif op == "delete" and path:
        parent = get(tree, path[:-1])
        del parent[path[-1]]
    elif op == "rename" and path and isinstance(get(tree, path[:-1]), dict):
        parent = get(tree, path[:-1])
        new_key = draw(
            st.one_of(
                st.sampled_from(known_keys), st.text(max_size=12), st.sampled_from([str(path[-1]).upper(), str(path[-1]) + "s", str(path[-1])[:-1] or "x"])
            )
        )
        parent[new_key] = parent.pop(path[-1])
    elif op == "insert":
        target = node if isinstance(node, (dict, list)) else (get(tree, path[:-1]) if path else tree)
        if isinstance(target, dict):
            target[draw(st.one_of(st.sampled_from(known_keys), st.text(max_size=12)))] = draw(values(known_values))
        elif isinstance(target, list):
            target.insert(draw(st.integers(0, len(target))), draw(values(known_values)))
    elif op == "nest":
        depth = draw(st.sampled_from([1, 2, 5, 30, 63, 64, 65, 100, 190]))
        if depth_of(tree) + depth <= MAX_TREE_DEPTH:
            tree = put(tree, path, nest(node, depth, draw(st.sampled_from(["list", "dict"]))))
    elif op == "repeat" and isinstance(node, list) and node:
        k = draw(st.sampled_from([2, 3, 10, 60]))
        tree = put(tree, path, [copy.deepcopy(x) for x in node for _ in range(k)][:200])
    elif op == "swap" and len(ps) > 2:
        other = ps[draw(st.integers(0, len(ps) - 1))]
        if other and path and other[: len(path)] != path and path[: len(other)] != other:
            a, b = copy.deepcopy(get(tree, path)), copy.deepcopy(get(tree, other))
            tree = put(tree, path, b)
            tree = put(tree, other, a)
    return tree


def byte_mutations():
    """Raw-text damage: (operation, position fraction, payload) triples applied by :func:`damage`."""
    payloads = st.sampled_from(
        [
            b"\x00",
            b"\xff",
            b"\xfe\xff",
            b"\xc3",
            b"\xed\xa0\x80",
            b"\xef\xbb\xbf",
            b"\r",
            b"\r\n",
            b"\t",
            b"\n  ",
            b":",
            b": ",
            b"- ",
            b"[",
            b"{",
            b"]",
            b"}",
            b"&a ",
            b"*a",
            b"<<: *a\n",
            b"!!python/object:os.system ",
            b"!!binary ",
            b"!!bool ",
            b"!!timestamp ",
            b"!!int ",
            b"!!float ",
            b"? ",
            b"|",
            b">",
            b"'",
            b'"',
            b"#",
            b"%YAML 1.1\n---\n",
            b"---\n",
            b"...\n",
            b"\xe2\x80\xae",
            "é🙂".encode(),
            b"1e309",
            b".nan",
            b"-.inf",
            b"0x",
            b"0o9",
            b"99999999999999999999999999",
        ]
    )
    return st.lists(
        st.tuples(st.sampled_from(["insert", "delete", "truncate", "replace", "dupline", "crlf", "bom", "indent"]), st.floats(0, 1), payloads),
        min_size=1,
        max_size=4,
    )


def damage(raw: bytes, ops) -> bytes:
    for op, frac, payload in ops:
        i = int(frac * len(raw))
        if op == "insert":
            raw = raw[:i] + payload + raw[i:]
        elif op == "delete":
            raw = raw[:i] + raw[i + 1 + len(payload) :]
        elif op == "truncate":
            raw = raw[:i]
        elif op == "replace":
            raw = raw[:i] + payload + raw[i + len(payload) :]
        elif op == "dupline":
            lines = raw.split(b"\n")
            j = int(frac * (len(lines) - 1))
            lines.insert(j, lines[j])
            raw = b"\n".join(lines)
        elif op == "crlf":
            raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        elif op == "bom":
            raw = b"\xef\xbb\xbf" + raw
        elif op == "indent":
            lines = raw.split(b"\n")
            j = int(frac * (len(lines) - 1))
            lines[j] = b" " + lines[j]
            raw = b"\n".join(lines)
    return raw


def summary() -> str:
    """One line per target: cases run, results, clean errors."""
    out = []
    for target in sorted(COUNTS):
        out.append(f"{target}: {COUNTS[target]} cases ({OUTCOMES[target, 'result']} results, {OUTCOMES[target, 'error']} clean errors)")
    return "\n".join(out)


def cli(args: list[str]) -> tuple[int, str, str]:
    """Run ``ftcost ARGS`` in this process through the real entry point (run_main); (exit code, stdout, stderr)."""
    import sys

    from ftcost.cli import main
    from ftcost.cli.common import run_main

    out, err = io.StringIO(), io.StringIO()
    old_argv = sys.argv
    sys.argv = ["ftcost", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run_main(main)
    finally:
        sys.argv = old_argv
    return code, out.getvalue(), err.getvalue()


def check_cli(code: int, out: str, err: str, *, fmt: str | None = None, target: str | None = None) -> None:
    """Exit 0 with clean output, or exit 2 with one 'Error: <file>...' message; never 1, never a traceback."""
    if target:
        OUTCOMES[target, "result" if code == 0 else "error"] += 1
    assert code in (0, 2), f"exit {code}\nstdout: {out[:2000]}\nstderr: {err[:2000]}"
    assert "Traceback" not in out + err
    assert "Internal error" not in err
    assert "RuntimeWarning" not in err, err
    if code == 2:
        # warnings may come first; then one error paragraph
        assert any(line.startswith(("Error: ", "Usage:")) for line in err.splitlines()), err[:500]
    elif fmt == "json":
        json.loads(out)
