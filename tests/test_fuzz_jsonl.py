"""Fuzzing JSONL training files: any file ends in counted stats or a clean error naming it.

Targets (2,000 cases each in CI; FTCOST_FUZZ_EXAMPLES scales them):

* ``jsonl.mutated``: files built from valid chat and prompt/completion lines
  and damaged ones (truncated lines, wrong JSON types, unknown roles, invalid
  UTF-8, NUL, BOM, CRLF, blank lines, very long lines, no final newline),
  through ``ftcost.data.analyze.analyze_dataset`` with every bundled encoding and caps;
* ``jsonl.bytes``: the same files damaged further as bytes;
* ``jsonl.cli`` (a few hundred): ``ftcost tokens`` and ``ftcost data check``
  on mutated files, and a scenario whose ``training.dataset`` is the file.
"""

from __future__ import annotations

import copy
import itertools
import json
import math

import fuzz_support as fz
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftcost.data import analyze

VALID_LINES = [
    {
        "messages": [
            {"role": "system", "content": "Rate the review from 1 to 5."},
            {"role": "user", "content": "Great phone!"},
            {"role": "assistant", "content": "5"},
        ]
    },
    {"messages": [{"role": "user", "content": "Meh."}, {"role": "assistant", "content": "3", "weight": 1}]},
    {"messages": [{"role": "user", "content": "日本語のレビュー 🙂"}, {"role": "assistant", "content": "4", "name": "bot"}]},
    {
        "messages": [
            {"role": "user", "content": "call it"},
            {"role": "assistant", "tool_calls": [{"id": "1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        ]
    },
    {"prompt": "Terrible service ->", "completion": " 1"},
]
WEIRD_VALUES = [None, True, 0, -1, 1e308, float("nan"), "", "x" * 3000, [], {}, [1], {"role": "user"}, "<|endoftext|>", "\u0000", "\ud7ff", "é🙂", "\r\n"]


@st.composite
def line_objects(draw):
    """One JSON line as an object: a valid example or a damaged one."""
    obj = json.loads(json.dumps(draw(st.sampled_from(VALID_LINES))))
    for _ in range(draw(st.integers(0, 3))):
        ps = fz.paths(obj)
        path = ps[draw(st.integers(0, len(ps) - 1))]
        op = draw(st.sampled_from(["set", "delete", "rename", "wrap"]))
        if op == "set":
            obj = fz.put(
                obj,
                path,
                copy.deepcopy(
                    draw(st.one_of(st.sampled_from(WEIRD_VALUES), st.text(max_size=20), st.sampled_from(["system", "user", "assistant", "tool", "robot"])))
                ),
            )
        elif op == "delete" and path:
            del fz.get(obj, path[:-1])[path[-1]]
        elif op == "rename" and path and isinstance(fz.get(obj, path[:-1]), dict):
            parent = fz.get(obj, path[:-1])
            parent[draw(st.sampled_from(["messages", "prompt", "completion", "role", "content", "name", "tools", "x", ""]))] = parent.pop(path[-1])
        elif op == "wrap":
            obj = fz.put(obj, path, [fz.get(obj, path)])
    return obj


def _encode(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


ODD_LINES = [
    b"",
    b"   ",
    b"not json",
    b"[]",
    b"[1, 2]",
    b"null",
    b"42",
    b'"text"',
    b"{",
    b"}",
    b"\xff\xfe",
    b"\xc3(",
    b"\x00\x00",
    b"\xef\xbb\xbf" + _encode(VALID_LINES[0]),
    b'{"messages": []}',
    b'{"prompt": "", "completion": ""}',
    b'{"messages": [{"role": "user", "content": "' + b"a " * 40_000 + b'"}, {"role": "assistant", "content": "1"}]}',  # a long line
    b'{"a": ' * 2000 + b"1" + b"}" * 2000,  # deep JSON
    b"[" * 100_000,  # deeper than any JSON parser recurses
]


_lines = st.one_of(
    line_objects().map(_encode),
    line_objects().map(_encode),
    line_objects().map(lambda o: _encode(o)[: max(1, len(_encode(o)) // 2)]),  # truncated
    st.integers(0, len(ODD_LINES) - 1).map(lambda i: ODD_LINES[i]),
    st.binary(max_size=40),
)


@st.composite
def jsonl_files(draw) -> bytes:
    lines = draw(st.lists(_lines, min_size=0, max_size=12))
    sep = draw(st.sampled_from([b"\n", b"\r\n", b"\n\n", b"\r"]))
    raw = sep.join(lines) + draw(st.sampled_from([b"", b"\n", b"\r\n"]))
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw


_names = itertools.count()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz_jsonl")


def check_stats(stats) -> None:
    d = stats.to_dict()
    json.dumps(d, allow_nan=False)
    assert stats.examples >= 0 and stats.invalid_examples >= 0
    assert stats.examples + stats.invalid_examples <= stats.lines
    assert 0 <= stats.billable_tokens <= stats.total_tokens
    assert stats.examples > 0 or stats.total_tokens == 0
    for k, v in d["tokens_per_example"].items():
        assert v is None or (math.isfinite(v) and v >= 0), (k, v)
    for w in stats.warnings():
        assert isinstance(w, str)


def _analyze(target: str, path, enc: str, cap, workers):
    def run():
        stats = analyze.analyze_dataset(path, encoding=enc, max_tokens_per_example=cap, workers=workers, allow_empty=True)
        check_stats(stats)
        return None

    return fz.run_case(target, run, files={str(path): False})


_settings = dict(
    enc=st.sampled_from(["o200k_base", "cl100k_base", "p50k_base"]), cap=st.sampled_from([None, 1, 5, 4096, 65536]), workers=st.sampled_from([0, 0, 0, 2])
)


def test_fuzz_jsonl(workdir):
    path = workdir / "train.jsonl"

    @fz.fuzz()
    @given(raw=jsonl_files(), **_settings)
    def case(raw, enc, cap, workers):
        path.write_bytes(raw)
        _analyze("jsonl.mutated", path, enc, cap, workers)

    before = fz.COUNTS["jsonl.mutated"]
    case()
    assert fz.COUNTS["jsonl.mutated"] - before >= fz.EXAMPLES


def test_fuzz_jsonl_bytes(workdir):
    path = workdir / "damaged.jsonl"

    @fz.fuzz()
    @given(raw=jsonl_files(), ops=fz.byte_mutations(), **_settings)
    def case(raw, ops, enc, cap, workers):
        path.write_bytes(fz.damage(raw, ops))
        _analyze("jsonl.bytes", path, enc, cap, workers)

    before = fz.COUNTS["jsonl.bytes"]
    case()
    assert fz.COUNTS["jsonl.bytes"] - before >= fz.EXAMPLES


def test_fuzz_jsonl_cli_and_scenario(workdir):
    """The same files through ``ftcost tokens``, ``ftcost data check`` and a scenario's training.dataset."""
    scenario = workdir / "scenario.yaml"
    scenario.write_text(
        fz.dump_yaml(
            {
                "ftcost": 1,
                "name": "dataset fuzz",
                "start": "2027-01",
                "pricing": ["openai"],
                "volume": {"requests_per_month": 1_000_000},
                "strategies": [
                    {"name": "prompt", "type": "prompt", "model": "openai/gpt-4o-mini", "request": {"prompt_tokens": 1500, "completion_tokens": 5}},
                    {
                        "name": "tuned",
                        "type": "fine_tuned",
                        "model": "openai/gpt-4o-mini",
                        "request": {"prompt_tokens": 50, "completion_tokens": 5},
                        "training": {"dataset": "cli.jsonl", "epochs": "auto"},
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    path = workdir / "cli.jsonl"

    @fz.fuzz(max(50, fz.EXAMPLES // 10))
    @given(
        jsonl_files(),
        st.sampled_from(
            [
                ["tokens", "{file}", "--model", "openai/gpt-4o-mini", "--format", "json", "--threads", "0"],
                ["tokens", "{file}", "--encoding", "cl100k_base", "--as", "dataset", "--threads", "0"],
                ["tokens", "{file}", "--encoding", "o200k_base", "--as", "text"],
                ["data", "check", "{file}", "--model", "openai/gpt-4o-mini"],
                ["compare", "{scenario}", "--format", "json"],
            ]
        ),
    )
    def case(raw, args):
        path.write_bytes(raw)
        argv = [a.replace("{file}", str(path)).replace("{scenario}", str(scenario)) for a in args]
        fz.COUNTS["jsonl.cli"] += 1
        with fz.strict_numpy():
            code, out, err = fz.cli(argv)
        fz.check_cli(code, out, err, fmt="json" if "json" in args else None, target="jsonl.cli")
        if code == 2 and args[0] == "compare":
            # the dataset's problem is reported at the scenario line naming it
            assert f"Error: {scenario}:" in err, err[:500]

    case()
