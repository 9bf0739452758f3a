"""ftcost.tokens (encodings, text, chat, epochs): bundled encodings (offline, hash-checked), text and chat counting, epochs."""

from __future__ import annotations

import gzip
import io
import json
import socket
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiktoken_reference import constructor_args, reference_count_messages, reference_encoding

from ftcost import tokens
from ftcost.errors import TokenError

FIXTURES = Path(__file__).parent / "fixtures"
NAMES = ["cl100k_base", "o200k_base", "p50k_base"]

SAMPLES = [
    "",
    "hello world",
    "Hello, World!  Two spaces, a tab\tand a newline\n\nand 12345678 digits.",
    "Très bon produit, livraison rapide. 日本語のレビューもあります。",
    "I'm sure you'll see they've won't've",
    "Literal <|endoftext|> and <|endofprompt|> are ordinary text here",
    "emoji 👍🏽 and combining e\u0301 marks",
    "   leading and trailing spaces   ",
    "def f(x):\n    return x ** 2  # comment\r\n",
]


# --- the bundled encodings are tiktoken's ----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_bundled_encoding_is_tiktokens_definition(name):
    # Source: tiktoken_ext/openai_public.py of the installed tiktoken (its constructors,
    # run with their loader pointed at the bundled file; tiktoken checks the file's hash).
    kwargs, published_hash = constructor_args(name)
    spec = tokens.ENCODINGS[name]
    assert spec.sha256 == published_hash
    assert spec.pat_str == kwargs["pat_str"]
    assert spec.special_tokens == kwargs["special_tokens"]
    assert spec.explicit_n_vocab == kwargs.get("explicit_n_vocab")
    assert tokens.load_ranks(name) == kwargs["mergeable_ranks"]


@pytest.mark.parametrize("name", NAMES)
def test_counts_equal_tiktoken_directly(name):
    ref = reference_encoding(name)
    for text in SAMPLES:
        expected = len(ref.encode(text, disallowed_special=()))
        assert tokens.count_text(text, name) == expected, text
        assert tokens.get_encoding(name).encode_ordinary(text) == ref.encode_ordinary(text)


def test_known_token_ids():
    # tiktoken (o200k_base): "hello world" -> [24912, 2375]; cl100k_base -> [15339, 1917].
    assert tokens.get_encoding("o200k_base").encode_ordinary("hello world") == [24912, 2375]
    assert tokens.get_encoding("cl100k_base").encode_ordinary("hello world") == [15339, 1917]


def test_encoding_is_cached_per_process():
    assert tokens.get_encoding("cl100k_base") is tokens.get_encoding("cl100k_base")


def test_nothing_is_downloaded(monkeypatch):
    # Any attempt at the network or at tiktoken's downloader fails the test.
    def refuse(*a, **k):
        raise AssertionError("network or tiktoken download attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    import tiktoken.load

    monkeypatch.setattr(tiktoken.load, "read_file", refuse)
    monkeypatch.setattr(tiktoken.load, "read_file_cached", refuse)
    monkeypatch.setattr(tokens.encodings, "_cache", {})
    assert tokens.count_text("hello world", "p50k_base") == 2  # "hello", " world"


def test_damaged_file_fails_its_checksum(tmp_path, monkeypatch):
    data = gzip.decompress((tokens.ENCODINGS_DIR / "p50k_base.tiktoken.gz").read_bytes())
    damaged = data.replace(b" 50255", b" 50254", 1)
    assert damaged != data
    (tmp_path / "p50k_base.tiktoken.gz").write_bytes(gzip.compress(damaged))
    monkeypatch.setattr(tokens.encodings, "ENCODINGS_DIR", tmp_path)
    with pytest.raises(TokenError, match="checksum") as info:
        tokens.load_ranks("p50k_base")
    assert "reinstall" in info.value.hint


def test_missing_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(tokens.encodings, "ENCODINGS_DIR", tmp_path)
    with pytest.raises(TokenError, match="missing or damaged"):
        tokens.load_ranks("cl100k_base")


def test_unknown_encoding_lists_available():
    with pytest.raises(TokenError) as info:
        tokens.count_text("x", "o200k_bas")
    err = info.value
    assert "unknown encoding 'o200k_bas'" in str(err)
    assert "did you mean 'o200k_base'" in err.hint
    assert "cl100k_base, o200k_base, p50k_base" in err.hint


def test_encoding_for_model_comes_from_the_catalog():
    from ftcost.catalogs import Catalogs

    cats = Catalogs.load(["openai"])
    assert tokens.encoding_for_model(cats.resolve("openai/gpt-4o-mini")) == "o200k_base"
    assert tokens.encoding_for_model(cats.resolve("openai/gpt-3.5-turbo")) == "cl100k_base"


def test_encoding_for_model_without_or_with_unknown_encoding():
    class M:
        ref = "acme/model-x"
        catalog_file = "acme.yaml"
        encoding = None

    with pytest.raises(TokenError, match="has no encoding") as info:
        tokens.encoding_for_model(M())
    assert info.value.file == "acme.yaml"
    M.encoding = "r50k_base"
    with pytest.raises(TokenError, match="not bundled") as info:
        tokens.encoding_for_model(M())
    assert "o200k_base" in info.value.hint


def test_count_text_rejects_non_text():
    with pytest.raises(TokenError, match="expected text"):
        tokens.count_text(b"bytes", "o200k_base")


# --- chat messages -----------------------------------------------------------------------------


def test_count_messages_hand_arithmetic():
    # o200k_base: "system", "user" 1 token each; "Be brief." 3 tokens; "Hi" 1 token (tiktoken).
    # 3 priming + (3 + 1 + 3) + (3 + 1 + 1) = 15
    msgs = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    assert tokens.count_messages(msgs, "o200k_base") == 15


def test_name_adds_its_tokens_plus_one():
    plain = [{"role": "user", "content": "Hi"}]
    named = [{"role": "user", "content": "Hi", "name": "bob"}]
    bob = tokens.count_text("bob", "o200k_base")
    assert tokens.count_messages(named, "o200k_base") == tokens.count_messages(plain, "o200k_base") + bob + 1


@pytest.mark.parametrize("name", NAMES)
def test_count_messages_matches_cookbook_counter_on_tiktoken(name):
    for line in (FIXTURES / "tokens_chat.jsonl").read_text(encoding="utf-8").splitlines():
        msgs = json.loads(line)["messages"]
        assert tokens.count_messages(msgs, name) == reference_count_messages(msgs, name)


def test_tool_calls_count_as_compact_json():
    call = {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}
    n = tokens.count_messages([call], "o200k_base")
    text = json.dumps(call["tool_calls"], separators=(",", ":"))
    assert n == 3 + 3 + tokens.count_text("assistant", "o200k_base") + tokens.count_text(text, "o200k_base")


@pytest.mark.parametrize(
    "messages, match, index",
    [
        ([], "non-empty list", None),
        ("hello", "non-empty list", None),
        ([{"role": "user", "content": "ok"}, "text"], "must be an object", 1),
        ([{"content": "no role"}], "no 'role'", 0),
        ([{"role": "robot", "content": "x"}], "unknown role 'robot'", 0),
        ([{"role": "user"}], "content is missing", 0),
        ([{"role": "user", "content": ""}], "content is empty", 0),
        ([{"role": "user", "content": ["a", "b"]}], "an array, not text", 0),
        ([{"role": "user", "content": "x", "mood": "happy"}], "unrecognised message key 'mood'", 0),
        ([{"role": "user", "content": "x", "name": 7}], "'name' must be text", 0),
    ],
)
def test_bad_messages_raise_token_error_with_index(messages, match, index):
    with pytest.raises(TokenError, match=match) as info:
        tokens.count_messages(messages, "o200k_base")
    if index is not None:
        assert info.value.path == (index,)
    assert info.value.hint


# --- text files, streamed ----------------------------------------------------------------------

TEXT_ALPHABET = st.sampled_from(list("ab Z9 \n\n\t.,'!?-/") + ["é", "日本", "e\u0301", "  ", "\r\n", "'s", "x²", "😀", "Ω"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(TEXT_ALPHABET, min_size=0, max_size=120), block=st.integers(2, 40), name=st.sampled_from(NAMES))
def test_streamed_count_equals_whole_count(parts, block, name):
    # Cutting only at safe points must not change the count, whatever the block size.
    text = "".join(parts)
    blocks = [text[i : i + 7] for i in range(0, len(text), 7)]
    assert tokens.count_text_stream(blocks, name, block_chars=block) == len(reference_encoding(name).encode_ordinary(text))


def test_streamed_count_on_long_text():
    text = (FIXTURES / "tokens_prompt.txt").read_text(encoding="utf-8") * 400
    blocks = [text[i : i + 1000] for i in range(0, len(text), 1000)]
    assert tokens.count_text_stream(blocks, "cl100k_base", block_chars=4096) == tokens.count_text(text, "cl100k_base")


def test_count_text_file_counts_the_file_as_stored(tmp_path):
    p = FIXTURES / "tokens_prompt.txt"
    expected = len(reference_encoding("o200k_base").encode_ordinary(p.read_text(encoding="utf-8")))
    assert tokens.count_text_file(p, "o200k_base") == expected
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    assert tokens.count_text_file(bom, "o200k_base") == expected
    assert tokens.count_prompt_file(p, "o200k_base") == expected


def test_count_text_file_from_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"hello world")))
    assert tokens.count_text_file("-", "o200k_base") == 2


def test_invalid_utf8_names_line_and_column(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"line one\nline two \xc3\xa9\nab\xffcd\n")  # the bad byte is line 3, column 3
    with pytest.raises(TokenError, match="invalid UTF-8") as info:
        tokens.count_text_file(p, "o200k_base")
    assert (info.value.file, info.value.line, info.value.column) == (str(p), 3, 3)


def test_binary_file_is_refused(tmp_path):
    p = tmp_path / "image.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(TokenError, match="binary"):
        tokens.count_text_file(p, "o200k_base")


def test_directory_and_missing_file(tmp_path):
    with pytest.raises(TokenError, match="is a directory"):
        tokens.count_text_file(tmp_path, "o200k_base")
    with pytest.raises(TokenError, match="not found"):
        tokens.count_text_file(tmp_path / "nope.txt", "o200k_base")


def test_empty_text_file_has_zero_tokens(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert tokens.count_text_file(p, "o200k_base") == 0


# --- default epochs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, epochs",
    [
        (1, 25),  # 3 < 100: min(25, 100 // 1) = 25
        (5, 20),  # the cookbook notebook's example: min(25, 100 // 5) = 20
        (33, 3),  # 99 < 100: min(25, 100 // 33) = 3
        (34, 3),  # 102 is within [100, 25000]: 3
        (8333, 3),  # 24,999 <= 25,000: 3
        (8334, 2),  # 25,002 > 25,000: max(1, 25,000 // 8,334) = 2
        (100_000, 1),  # max(1, 25,000 // 100,000) = max(1, 0) = 1
    ],
)
def test_default_epochs_edge_cases(n, epochs):
    # Source: OpenAI cookbook Chat_finetuning_data_prep.ipynb constants (TARGET_EPOCHS 3,
    # MIN_TARGET_EXAMPLES 100, MAX_TARGET_EXAMPLES 25000, epochs clamped to 1..25).
    assert tokens.default_epochs(n) == epochs


@pytest.mark.parametrize("n", [0, -1, 2.5, True, "10"])
def test_default_epochs_needs_a_positive_count(n):
    with pytest.raises(TokenError):
        tokens.default_epochs(n)


@pytest.mark.parametrize(
    "module",
    [
        "ftcost.tokens.encodings",
        "ftcost.tokens.text",
        "ftcost.tokens.chat",
        "ftcost.tokens.epochs",
        "ftcost.data.analyze",
        "ftcost.data.counting",
        "ftcost.data.stats",
    ],
)
def test_docstring_examples_run(module):
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(module))
    assert tried > 0 and failures == 0
