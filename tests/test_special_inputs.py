"""Every input is a regular file, read with a limit (ftcost/reading.py, issue 18).

A FIFO, a device (/dev/zero never ends, /dev/null is empty) or a socket given
as any input of any command (a scenario, a catalog it names, its prompt file
or dataset, the file of ``tokens`` and of every ``data`` command, a LiteLLM
file) is refused with exit 2 and a message naming it: no command blocks on a
FIFO with no writer or reads a device forever. A JSONL line over the limit
is reported with its number and size and the rest of the file is read.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import fuzz_support as fz
import pytest

TRAIN = "".join(json.dumps({"messages": [{"role": "user", "content": f"review {i}"}, {"role": "assistant", "content": "4"}]}) + "\n" for i in range(20))
SCENARIO = """\
ftcost: 1
name: inputs
start: 2027-01
pricing: [{catalog}]
volume: {{requests_per_month: 100000}}
strategies:
  - name: prompt
    type: prompt
    model: testco/base
    request: {{prompt_file: {prompt}, completion_tokens: 5}}
  - name: tuned
    type: fine_tuned
    model: testco/tune
    request: {{prompt_tokens: 20, completion_tokens: 5}}
    training: {{dataset: {dataset}, epochs: 2}}
"""


def make_special(p: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(p)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(p))
        s.close()
    else:
        p.symlink_to({"dev-zero": "/dev/zero", "dev-null": "/dev/null"}[kind])


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "testco.yaml").write_text((fz.FIXTURES / "testco.yaml").read_text())
    (tmp_path / "cats").mkdir()
    (tmp_path / "cats" / "testco.yaml").write_text((fz.FIXTURES / "testco.yaml").read_text())
    (tmp_path / "train.jsonl").write_text(TRAIN)
    (tmp_path / "prompt.txt").write_text("Rate the review from 1 to 5 stars.\n")
    (tmp_path / "s.yaml").write_text(SCENARIO.format(catalog="testco.yaml", prompt="prompt.txt", dataset="train.jsonl"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


# (arguments with X for the special file, the file name X gets, a scenario to write first or None)
CASES = {
    "tokens text": (["tokens", "X", "--encoding", "o200k_base"], "x.txt", None),
    "tokens dataset": (["tokens", "X", "--encoding", "o200k_base", "--as", "dataset"], "x.jsonl", None),
    "data check": (["data", "check", "X"], "x.jsonl", None),
    "data convert": (["data", "convert", "X", "-o", "out.jsonl"], "x.jsonl", None),
    "data split": (["data", "split", "X"], "x.jsonl", None),
    "data savings --dataset": (
        ["data", "savings", "--prompt", "prompt.txt", "--dataset", "X", "--model", "testco/base", "--tuned-model", "testco/tune", "--pricing", "cats"],
        "x.jsonl",
        None,
    ),
    "data savings --prompt": (
        ["data", "savings", "--prompt", "X", "--dataset", "train.jsonl", "--model", "testco/base", "--tuned-model", "testco/tune", "--pricing", "cats"],
        "x.txt",
        None,
    ),
    "compare scenario": (["compare", "X"], "x.yaml", None),
    "validate scenario": (["validate", "X"], "x.yaml", None),
    "scenario catalog": (["compare", "t.yaml"], "x.yaml", {"catalog": "x.yaml", "prompt": "prompt.txt", "dataset": "train.jsonl"}),
    "scenario prompt_file": (["compare", "t.yaml"], "x.txt", {"catalog": "testco.yaml", "prompt": "x.txt", "dataset": "train.jsonl"}),
    "scenario dataset": (["compare", "t.yaml"], "x.jsonl", {"catalog": "testco.yaml", "prompt": "prompt.txt", "dataset": "x.jsonl"}),
    "pricing check": (["pricing", "check", "X"], "x.yaml", None),
    "pricing import": (["pricing", "import", "litellm", "X", "-o", "out"], "x.json", None),
}


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "dev-null", "socket"])
@pytest.mark.parametrize("case", list(CASES))
def test_special_file_as_input_is_refused(project, case, kind):
    args, name, scenario = CASES[case]
    make_special(project / name, kind)
    if scenario:
        (project / "t.yaml").write_text(SCENARIO.format(**scenario))
    with fz.hang_guard(30):
        code, out, err = fz.cli([name if a == "X" else a for a in args])
    assert code == 2, (out, err)
    assert "Traceback" not in err and "Internal error" not in err, err
    assert name in err, err
    assert "not a regular file" in err, err
    assert not (project / "out.jsonl").exists() and not (project / "out").exists()


def test_stdin_still_reads_a_pipe(project, monkeypatch):
    """'-' is the way to read from a pipe: `cat prompt.txt | ftcost tokens -`."""
    import io
    import sys

    class Stdin:
        buffer = io.BytesIO(b"hello world")

    monkeypatch.setattr(sys, "stdin", Stdin())
    code, out, err = fz.cli(["tokens", "-", "--encoding", "o200k_base", "--format", "json"])
    assert code == 0, err
    assert '"tokens": 2' in out


def test_line_over_the_limit_is_named_with_its_size(project, monkeypatch):
    from ftcost.data import analyze

    monkeypatch.setattr(analyze, "MAX_LINE_BYTES", 1024 * 1024)  # 1 MiB, so the test writes 3 MB, not 20
    big = json.dumps({"messages": [{"role": "user", "content": "x" * 3_000_000}, {"role": "assistant", "content": "4"}]})
    (project / "big.jsonl").write_text(TRAIN[: TRAIN.index("\n") + 1] + big + "\n" + TRAIN[TRAIN.index("\n") + 1 :] + TRAIN)
    for args in (["data", "check", "big.jsonl"], ["tokens", "big.jsonl", "--encoding", "o200k_base"]):
        code, out, err = fz.cli(args)
        assert code == 0, err
        assert "line 2" in out + err and "3.0 MB; the limit is 1 MiB" in out + err, out + err
    code, out, err = fz.cli(["data", "split", "big.jsonl", "--format", "json"])
    assert code == 0, err
    report = json.loads(out)
    assert report["train"]["examples"] + report["validation"]["examples"] == 40  # every line but the long one
    assert [i["line"] for i in report["issues"]] == [2]


def test_line_blocks_matches_split():
    """The streamed line reader gives the lines bytes.split gives, and LongLine for each line over the limit."""
    import io
    import random

    from ftcost.reading import LongLine, line_blocks

    rng = random.Random(5)
    for _ in range(300):
        data = b"".join(rng.choice([b"a", b"bb", b"\n", b"ccccccc", b"\r\n", b"x" * rng.randint(0, 40)]) for _ in range(rng.randint(0, 60)))
        limit, block = rng.randint(1, 30), rng.randint(1, 17)
        got = [x.size if isinstance(x, LongLine) else x for blk in line_blocks(io.BytesIO(data), block, limit) for x in blk]
        lines = data.split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        assert got == [len(x) if len(x) > limit else x for x in lines], (data, limit, block)
