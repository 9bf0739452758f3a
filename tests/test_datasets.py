"""ftcost.data.analyze and ``ftcost tokens``: JSONL validation, counting, caps, epochs, cost, bad input."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiktoken_reference import reference_count_messages, reference_encoding

from ftcost import tokens
from ftcost.data import analyze
from ftcost.data.analyze import analyze_dataset
from ftcost.data.counting import count_many
from ftcost.data.stats import DatasetStats, training_cost
from ftcost.errors import TokenError

FIXTURES = Path(__file__).parent / "fixtures"
CHAT = FIXTURES / "tokens_chat.jsonl"
PC = FIXTURES / "tokens_prompt_completion.jsonl"
MALFORMED = FIXTURES / "tokens_malformed.jsonl"
MALFORMED_PC = FIXTURES / "tokens_malformed_pc.jsonl"


def lines_of(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- counts against tiktoken directly ----------------------------------------------------------


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base", "p50k_base"])
@pytest.mark.parametrize("workers", [0, 2])
def test_chat_fixture_counts_equal_tiktoken(name, workers):
    expected = [reference_count_messages(ex["messages"], name) for ex in lines_of(CHAT)]
    s = analyze_dataset(CHAT, encoding=name, max_tokens_per_example=None, keep_counts=True, workers=workers)
    assert s.format == "chat"
    assert s.token_counts.tolist() == expected
    assert (s.examples, s.invalid_examples, s.total_tokens, s.billable_tokens) == (5, 0, sum(expected), sum(expected))
    assert s.minimum == min(expected) and s.maximum == max(expected)


def test_prompt_completion_format():
    # The classic review-to-rating format: tokens(prompt) + tokens(completion), no chat overhead.
    enc = reference_encoding("cl100k_base")
    expected = [len(enc.encode(ex["prompt"])) + len(enc.encode(ex["completion"])) for ex in lines_of(PC)]
    s = analyze_dataset(PC, encoding="cl100k_base", max_tokens_per_example=None, keep_counts=True)
    assert s.format == "prompt_completion"
    assert s.token_counts.tolist() == expected
    assert s.billable_tokens == sum(expected)


def test_cookbook_toy_dataset(tmp_path):
    # OpenAI cookbook, Chat_finetuning_data_prep.ipynb on examples/data/toy_chat_fine_tuning.jsonl
    # (5 examples, the last one "Eat a banana!" x 2000): "~4306 tokens that will be charged",
    # "20 epochs", "~86120 tokens" (cl100k_base, MAX_TOKENS_PER_EXAMPLE 4096).
    sys_p = "You are a happy assistant that puts a positive spin on everything."
    convs = [
        [("system", sys_p), ("user", "I fell off my bike today."), ("assistant", "It's great that you're getting exercise outdoors!")],
        [
            ("system", sys_p),
            ("user", "I lost my tennis match today."),
            ("assistant", "It's ok, it happens to everyone."),
            ("user", "But I trained so hard!"),
            ("assistant", "It will pay off next time."),
            ("user", "I'm going to switch to golf."),
            ("assistant", "Golf is fun too!"),
            ("user", "I don't even know how to play golf."),
            ("assistant", "It's easy to learn!"),
        ],
        [("user", "I lost my book today."), ("assistant", "You can read everything on ebooks these days!")],
        [("system", sys_p), ("assistant", "You're great!")],
        [("system", sys_p), ("user", "I'm hungry."), ("assistant", "Eat a banana!" * 2000)],
    ]
    p = tmp_path / "toy_chat_fine_tuning.jsonl"
    p.write_text("".join(json.dumps({"messages": [{"role": r, "content": c} for r, c in conv]}) + "\n" for conv in convs))
    s = analyze_dataset(p, encoding="cl100k_base", max_tokens_per_example=4096)
    assert s.billable_tokens == 4306
    assert s.over_limit == 1 and s.over_limit_lines == [5]
    epochs = tokens.default_epochs(s.examples)
    assert epochs == 20
    assert s.billable_tokens * epochs == 86_120


# --- cost --------------------------------------------------------------------------------------


def test_published_training_cost_example():
    # OpenAI fine-tuning guide: 100,000 tokens x 3 epochs at $8.00 / 1M (gpt-3.5-turbo) = ~$2.40,
    # and at $3.00 / 1M (gpt-4o-mini) = ~$0.90.
    assert training_cost(100_000, 3, 8.00) == pytest.approx(2.40, rel=1e-12)
    assert training_cost(100_000, 3, 3.00) == pytest.approx(0.90, rel=1e-12)


def test_published_example_through_the_catalog_price():
    from ftcost.catalogs import Catalogs

    m = Catalogs.load(["openai"]).resolve("openai/gpt-3.5-turbo")
    assert m.fine_tuning["training"].value == 8.00
    assert training_cost(100_000, 3, m.fine_tuning["training"].value) == pytest.approx(2.40, rel=1e-12)


# --- validation --------------------------------------------------------------------------------

MALFORMED_EXPECTED = {
    # kind: line numbers in tests/fixtures/tokens_malformed.jsonl (see its comments in the test below)
    "not_json": [2],
    "not_an_object": [3, 12],
    "missing_messages": [4, 5],
    "message_not_object": [14],
    "unknown_role": [6],
    "missing_content": [7, 11],
    "unrecognized_key": [8],
    "no_assistant_message": [9],
    "mixed_format": [13],
}


def test_each_malformed_kind_with_line_numbers():
    s = analyze_dataset(MALFORMED, encoding="o200k_base", max_tokens_per_example=None, keep_counts=True)
    got = {k: e.first_lines for k, e in s.errors.items()}
    assert got == MALFORMED_EXPECTED
    assert {k: e.count for k, e in s.errors.items()} == {k: len(v) for k, v in MALFORMED_EXPECTED.items()}
    # lines 1 and 15 are valid and still counted; line 10 is blank
    assert (s.examples, s.invalid_examples, s.blank_lines, s.lines) == (2, 12, 1, 14)
    one = reference_count_messages([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}], "o200k_base")
    assert s.token_counts.tolist() == [one, one]
    assert s.errors["not_json"].first_detail.startswith("line 2: column ")
    assert "'robot'" in s.errors["unknown_role"].first_detail
    assert "'mood'" in s.errors["unrecognized_key"].first_detail


def test_malformed_prompt_completion_lines():
    s = analyze_dataset(MALFORMED_PC, encoding="o200k_base", max_tokens_per_example=None)
    assert {k: e.first_lines for k, e in s.errors.items()} == {"unrecognized_key": [5], "empty_prompt_or_completion": [2, 3, 4]}
    assert s.examples == 1
    details = s.errors["empty_prompt_or_completion"]
    assert details.first_detail == "line 2: 'prompt' is empty"


def test_line_counts_once_per_kind_but_under_every_kind(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text('{"messages": [{"role": "robot"}, {"role": "alien"}]}\n')
    s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None, allow_empty=True)
    assert s.invalid_examples == 1
    assert {k: e.count for k, e in s.errors.items()} == {"unknown_role": 1, "missing_content": 1, "no_assistant_message": 1}


def test_first_lines_are_capped_but_counts_are_not(tmp_path):
    p = tmp_path / "many.jsonl"
    p.write_text("oops\n" * 12 + '{"prompt": "a", "completion": "b"}\n')
    s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None)
    assert s.errors["not_json"].count == 12
    assert s.errors["not_json"].first_lines == [1, 2, 3, 4, 5]


def test_function_and_tool_calls_and_weight_are_valid(tmp_path):
    ex = {
        "messages": [
            {"role": "user", "content": "weather?"},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
            {"role": "assistant", "content": "Sunny.", "weight": 0},
        ]
    }
    p = tmp_path / "d.jsonl"
    p.write_text(json.dumps(ex) + "\n")
    s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None, keep_counts=True)
    assert s.examples == 1
    assert s.token_counts.tolist() == [tokens.count_messages(ex["messages"], "o200k_base")]


# --- caps, distribution, streaming ----------------------------------------------------------------


def test_billable_tokens_capped_per_example():
    s = analyze_dataset(CHAT, encoding="o200k_base", max_tokens_per_example=30, keep_counts=True)
    counts = s.token_counts
    assert s.billable_tokens == int(np.minimum(counts, 30).sum())
    assert s.total_tokens == int(counts.sum())
    assert s.over_limit == int((counts > 30).sum()) > 0
    assert s.over_limit_lines == [i + 1 for i in np.flatnonzero(counts > 30)[:5]]
    assert any("billed at the cap" in w for w in s.warnings())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.integers(0, 50), min_size=1, max_size=40), q=st.sampled_from([0.0, 0.1, 0.5, 0.9, 0.99, 1.0]))
def test_quantiles_match_numpy(values, q):
    hist = {}
    for v in values:
        hist[v] = hist.get(v, 0) + 1
    s = DatasetStats("x", "o200k_base", None, examples=len(values), total_tokens=sum(values), histogram=hist)
    assert s.quantile(q) == pytest.approx(float(np.quantile(values, q)), rel=1e-12, abs=1e-12)


def test_block_size_and_workers_do_not_change_results(tmp_path):
    rows = lines_of(CHAT) * 40 + lines_of(MALFORMED_PC)[:1]  # 201 lines: enough texts for the worker pool
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:-1]) + "not json\n"
    p = tmp_path / "d.jsonl"
    p.write_text(text, encoding="utf-8")
    ref = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=40, workers=0, keep_counts=True)
    for block, workers in [(64, 0), (97, 2), (1 << 20, 2), (1 << 20, 3)]:
        s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=40, workers=workers, block_bytes=block, keep_counts=True)
        assert s.token_counts.tolist() == ref.token_counts.tolist()
        assert (s.billable_tokens, s.over_limit, s.over_limit_lines, s.histogram) == (ref.billable_tokens, ref.over_limit, ref.over_limit_lines, ref.histogram)
        assert s.errors["not_json"].first_lines == [201]
    expected = [reference_count_messages(r["messages"], "o200k_base") for r in rows[:-1]]
    assert ref.token_counts.tolist() == expected


@settings(max_examples=80, deadline=None)
@given(texts=st.lists(st.text(alphabet=st.sampled_from(list("ab <|>endoftx \n9é日")), max_size=30), max_size=20))
def test_count_many_equals_one_by_one(texts):
    enc = tokens.get_encoding("cl100k_base")
    assert count_many(enc, texts).tolist() == [len(enc.encode_ordinary(t)) for t in texts]


def test_count_many_with_literal_separator_text():
    enc = tokens.get_encoding("o200k_base")
    texts = ["before <|endoftext|> after", "plain"]
    assert count_many(enc, texts).tolist() == [len(enc.encode_ordinary(t)) for t in texts]


def test_crlf_bom_and_no_final_newline(tmp_path):
    p = tmp_path / "win.jsonl"
    rows = [json.dumps(r) for r in lines_of(PC)]
    p.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode())
    s = analyze_dataset(p, encoding="cl100k_base", max_tokens_per_example=None)
    ref = analyze_dataset(PC, encoding="cl100k_base", max_tokens_per_example=None)
    assert (s.examples, s.billable_tokens, s.invalid_examples) == (4, ref.billable_tokens, 0)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, match",
    [
        (b"", "empty"),
        (b"\n  \n\n", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (gzip.compress(b'{"prompt": "a", "completion": "b"}\n'), "gzip"),
        (b'[{"prompt": "a", "completion": "b"}]', "JSON array"),
        ('{"prompt": "a", "completion": "b"}\n'.encode("utf-16"), "UTF-16"),
        (b'[\n  {"prompt": "a", "completion": "b"},\n  {"prompt": "c", "completion": "d"}\n]\n', "JSON array"),
    ],
)
def test_whole_file_problems(tmp_path, content, match):
    p = tmp_path / "data.jsonl"
    p.write_bytes(content)
    with pytest.raises(TokenError, match=match) as info:
        analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None, allow_empty=True)
    assert info.value.file == str(p)
    assert info.value.hint


def test_directory_and_missing(tmp_path):
    with pytest.raises(TokenError, match="directory"):
        analyze_dataset(tmp_path, encoding="o200k_base", max_tokens_per_example=None)
    with pytest.raises(TokenError, match="not found"):
        analyze_dataset(tmp_path / "nope.jsonl", encoding="o200k_base", max_tokens_per_example=None)


def test_invalid_utf8_is_a_per_line_error(tmp_path):
    p = tmp_path / "latin1.jsonl"
    p.write_bytes('{"prompt": "café", "completion": " 5"}\n'.encode("latin-1") + b'{"prompt": "ok", "completion": " 4"}\n')
    s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None)
    assert s.examples == 1
    assert s.errors["invalid_utf8"].first_lines == [1]
    assert "column 16" in s.errors["invalid_utf8"].first_detail  # the 0xe9 of "café" is byte 16


def test_huge_single_line_is_skipped_without_reading_it_whole(tmp_path):
    # A 17 MiB line (over MAX_LINE_BYTES, 16 MiB) between two valid lines.
    ok = b'{"prompt": "a", "completion": "b"}\n'
    p = tmp_path / "huge.jsonl"
    with open(p, "wb") as f:
        f.write(ok)
        f.write(b'{"prompt": "' + b"x" * (17 * 1024 * 1024) + b'", "completion": "b"}\n')
        f.write(ok)
    s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None)
    assert s.examples == 2
    assert s.errors["line_too_long"].first_lines == [2]


def test_only_a_huge_line_means_nothing_valid(tmp_path):
    p = tmp_path / "huge.jsonl"
    p.write_bytes(b'{"prompt": "' + b"y" * (analyze.MAX_LINE_BYTES + 10))  # no newline at all
    with pytest.raises(TokenError, match="no valid training example: line longer than the limit"):
        analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None)


def test_no_valid_line_raises_unless_allowed():
    with pytest.raises(TokenError, match="no valid training example") as info:
        analyze_dataset(MALFORMED_PC.parent / "tokens_prompt.txt", encoding="o200k_base", max_tokens_per_example=None)
    assert "line 1" in info.value.hint
    s = analyze_dataset(FIXTURES / "tokens_prompt.txt", encoding="o200k_base", max_tokens_per_example=None, allow_empty=True)
    assert s.examples == 0 and s.errors["not_json"].count == 2


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PC.read_bytes())))
    s = analyze_dataset("-", encoding="cl100k_base", max_tokens_per_example=None)
    assert (s.path, s.examples) == ("<stdin>", 4)


def test_fewer_than_ten_examples_warns():
    s = analyze_dataset(PC, encoding="cl100k_base", max_tokens_per_example=None)
    assert any("at least 10" in w for w in s.warnings())


def test_to_dict_keys():
    d = analyze_dataset(CHAT, encoding="o200k_base", max_tokens_per_example=None).to_dict()
    for key in ("examples", "invalid_examples", "billable_tokens", "errors", "tokens_per_example", "total_tokens"):
        assert key in d
    assert set(d["tokens_per_example"]) == {"min", "mean", "p50", "p90", "p99", "max"}
    json.dumps(d)


def test_lone_surrogate_is_counted_as_tiktoken_does(tmp_path):
    # JSON may escape a lone surrogate ("\ud800"); tiktoken's encode_ordinary replaces it with U+FFFD.
    p = tmp_path / "d.jsonl"
    p.write_text('{"prompt": "bad \\ud800 surrogate", "completion": " 5"}\n', encoding="utf-8")
    s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None, keep_counts=True)
    ref = reference_encoding("o200k_base")
    assert s.token_counts.tolist() == [len(ref.encode_ordinary("bad \ud800 surrogate")) + len(ref.encode_ordinary(" 5"))]
    enc = tokens.get_encoding("o200k_base")
    assert count_many(enc, ["a \ud800", "b"]).tolist() == [len(enc.encode_ordinary("a \ud800")), 1]


def test_deeply_nested_json_is_a_per_line_error(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text('{"a":' * 100_000 + "\n" + '{"prompt": "a", "completion": "b"}\n')
    s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None)
    assert s.examples == 1 and s.errors["not_json"].first_lines == [1]


@pytest.mark.parametrize(
    "line, kind",
    [
        ('{"messages": [{"role": ["user"], "content": "x"}, {"role": "assistant", "content": "y"}]}', "unknown_role"),
        ('{"messages": [{"role": {"a": 1}, "content": "x"}, {"role": "assistant", "content": "y"}]}', "unknown_role"),
        ('{"messages": [{"role": "user", "content": {"a": 1}}, {"role": "assistant", "content": "y"}]}', "missing_content"),
        ('{"messages": {"role": "user", "content": "x"}}', "missing_messages"),
        ('{"prompt": ["a"], "completion": "b"}', "empty_prompt_or_completion"),
    ],
)
def test_odd_json_types_are_per_line_errors(tmp_path, line, kind):
    p = tmp_path / "d.jsonl"
    p.write_text(line + "\n" + '{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}\n')
    s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None)
    assert s.examples == 1 and s.errors[kind].first_lines == [1]
