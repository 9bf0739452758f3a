"""``ftcost tokens``: output, JSON keys, exit codes, bad input without a traceback."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from tiktoken_reference import reference_count_messages, reference_encoding

from ftcost.cli import main
from ftcost.cli.common import run_main

FIXTURES = Path(__file__).parent / "fixtures"
CHAT = FIXTURES / "tokens_chat.jsonl"
PC = FIXTURES / "tokens_prompt_completion.jsonl"
PROMPT = FIXTURES / "tokens_prompt.txt"


def run(monkeypatch, capsys, *args, stdin: bytes | None = None):
    monkeypatch.setattr(sys, "argv", ["ftcost", "tokens", *map(str, args)])
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = run_main(main)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_json_keys_and_values_for_a_chat_file(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, CHAT, "--model", "openai/gpt-4o-mini", "--format", "json")
    assert code == 0
    d = json.loads(out)
    for key in ("examples", "invalid_examples", "billable_tokens", "epochs", "training_tokens", "training_cost"):
        assert key in d
    expected = sum(reference_count_messages(json.loads(line)["messages"], "o200k_base") for line in CHAT.read_text(encoding="utf-8").splitlines())
    assert d["examples"] == 5 and d["invalid_examples"] == 0
    assert d["billable_tokens"] == expected
    assert d["epochs"] == 20  # default for 5 examples: min(25, 100 // 5)
    assert d["training_tokens"] == expected * 20
    assert d["training_cost"] == pytest.approx(expected * 20 * 3.00 / 1e6)  # gpt-4o-mini: $3.00 per 1M
    assert d["model"] == "openai/gpt-4o-mini-2024-07-18" and d["encoding"] == "o200k_base"
    assert d["max_tokens_per_example"] == 65536


def test_given_epochs_and_cl100k_model(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, PC, "--model", "openai/gpt-3.5-turbo", "--epochs", "3", "--format", "json")
    d = json.loads(out)
    enc = reference_encoding("cl100k_base")
    rows = [json.loads(line) for line in PC.read_text(encoding="utf-8").splitlines()]
    expected = sum(len(enc.encode(r["prompt"])) + len(enc.encode(r["completion"])) for r in rows)
    assert (code, d["format"], d["encoding"], d["epochs"], d["epochs_source"]) == (0, "prompt_completion", "cl100k_base", 3, "given")
    assert d["training_cost"] == pytest.approx(expected * 3 * 8.00 / 1e6)


def test_table_output(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, CHAT, "--model", "gpt-4o-mini")
    assert code == 0
    assert "examples" in out and "5 valid, 0 invalid" in out
    assert "tokens per example" in out and "p99" in out
    assert "training cost" in out and "USD" in out
    assert "20 (auto" in out
    assert "several catalogs" in err  # bare gpt-4o-mini is in openai and azure-openai: the note says which


def test_no_model_counts_without_price(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, CHAT, "--format", "json")
    d = json.loads(out)
    assert code == 0 and d["training_cost"] is None and d["encoding"] == "o200k_base"
    assert any("--model" in w for w in d["warnings"])


def test_plain_text_prompt(monkeypatch, capsys):
    expected = len(reference_encoding("o200k_base").encode_ordinary(PROMPT.read_text(encoding="utf-8")))
    code, out, _ = run(monkeypatch, capsys, PROMPT, "--model", "gpt-4o-mini")
    assert code == 0 and f": {expected:,} tokens (o200k_base" in out
    code, out, _ = run(monkeypatch, capsys, PROMPT, "--model", "gpt-4o-mini", "--format", "json")
    assert json.loads(out)["tokens"] == expected


def test_stdin_text(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "-", "--encoding", "cl100k_base", "--format", "json", stdin=b"hello world")
    assert code == 0 and json.loads(out) == {"file": "<stdin>", "encoding": "cl100k_base", "model": None, "tokens": 2}


def test_invalid_lines_are_reported_and_valid_ones_counted(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, FIXTURES / "tokens_malformed.jsonl", "--model", "openai/gpt-4o-mini")
    assert code == 0
    assert "2 valid, 12 invalid" in out
    assert "not_json: 1" in out and "lines 2;" in out
    assert "missing_content: 2" in out and "lines 7, 11" in out


@pytest.mark.parametrize(
    "content, match",
    [
        (b"", "empty"),
        (b"\x00\x00\x00\x00binary", "binary"),
        (b'[{"prompt": "a", "completion": "b"}]\n', "JSON array"),
        (b"not json\nalso not\n", "no valid training example"),
        (b'{"prompt": "caf\xe9", "completion": " 5"}\n', "no valid training example"),
    ],
)
def test_bad_files_exit_2_with_one_clear_message(monkeypatch, capsys, tmp_path, content, match):
    p = tmp_path / "data.jsonl"
    p.write_bytes(content)
    code, out, err = run(monkeypatch, capsys, p, "--model", "openai/gpt-4o-mini")
    assert code == 2
    assert match in err and str(p) in err


def test_nothing_valid_still_prints_the_report(monkeypatch, capsys, tmp_path):
    p = tmp_path / "data.jsonl"
    p.write_text("not json\n")
    code, out, err = run(monkeypatch, capsys, p, "--format", "json")
    assert code == 2
    assert json.loads(out)["errors"]["not_json"]["first_lines"] == [1]


def test_directory_missing_and_binary_text(monkeypatch, capsys, tmp_path):
    code, _, err = run(monkeypatch, capsys, tmp_path)
    assert code == 2 and "is a directory" in err
    code, _, err = run(monkeypatch, capsys, tmp_path / "nope.jsonl")
    assert code == 2 and "not found" in err
    gz = tmp_path / "data.txt"
    gz.write_bytes(gzip.compress(b"hello" * 100) + b"\x00")
    code, _, err = run(monkeypatch, capsys, gz)
    assert code == 2 and ("binary" in err or "UTF-8" in err)


def test_unknown_encoding_and_model(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, PROMPT, "--encoding", "gpt2")
    assert code == 2 and "unknown encoding 'gpt2'" in err and "o200k_base" in err
    code, _, err = run(monkeypatch, capsys, PROMPT, "--model", "openai/gpt-9")
    assert code == 2 and "unknown model" in err


def test_epochs_validation(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, CHAT, "--epochs", "0")
    assert code == 2 and "whole number >= 1" in err
    code, _, err = run(monkeypatch, capsys, PROMPT, "--epochs", "3")
    assert code == 2 and "training data" in err


def test_as_dataset_overrides_the_suffix(monkeypatch, capsys, tmp_path):
    p = tmp_path / "train.txt"
    p.write_bytes(PC.read_bytes())
    code, out, _ = run(monkeypatch, capsys, p, "--as", "dataset", "--format", "json", "--encoding", "cl100k_base")
    assert code == 0 and json.loads(out)["examples"] == 4


def test_help_ends_with_examples(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--help")
    assert code == 0 and "ftcost tokens train.jsonl --model gpt-4o-mini" in out
