"""Token counts in linear time (ftcost/tokens/cuts.py, issue 18): exact on ordinary text, bounded on giant "words".

* every cut point is exact: counting the text between consecutive cut points
  gives tiktoken's count of the whole, for the three encodings, on text built
  from the characters that matter to the split patterns;
* ordinary text and text with long runs up to GIANT_CHARS are counted exactly
  as tiktoken counts them, whole or streamed in any block size;
* a stretch longer than GIANT_CHARS with no cut point (a run of one letter,
  random letters, symbols, blank space) is counted in chunks: within two
  tokens per 4,096-character chunk of tiktoken's count of the whole, and tiktoken is never given more than
  GIANT_CHARS characters of it (so the time is linear; measured in
  benchmarks/bench_tokens_giant.py, never timed here).
"""

from __future__ import annotations

import random
import string

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiktoken_reference import reference_encoding

from ftcost.tokens import count_text, count_text_file, count_text_stream, get_encoding
from ftcost.tokens import cuts as tc

NAMES = ["o200k_base", "cl100k_base", "p50k_base"]
TRICKY = list("ab Z9 \n\n\t.,'!?-/_:\"") + ["é", "日本", "e\u0301", "  ", "\r\n", "'s", "'re", "x²", "😀", "Ω", "Ⅻ", "٣", "ǅ"]


# The cut points as defined (lookarounds at every position): the oracle the fast searches are checked against.
ORACLE = regex.compile(r"(?<=\S)(?= \p{L})|(?<=\S\n)(?=\p{L})|(?<=\p{L})(?=[^\s\p{L}\p{M}'])|(?<=\p{N})(?=\p{L})")


def oracle_cuts(text: str) -> list[int]:
    return [m.start() for m in ORACLE.finditer(text) if m.start() > 0]


def reference(name: str, text: str) -> int:
    return len(reference_encoding(name).encode_ordinary(text))


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(parts=st.lists(st.sampled_from(TRICKY), max_size=150), name=st.sampled_from(NAMES))
def test_every_cut_point_is_exact(parts, name):
    text = "".join(parts)
    bounds = [0, *oracle_cuts(text), len(text)]
    enc = reference_encoding(name)
    assert sum(len(enc.encode_ordinary(text[a:b])) for a, b in zip(bounds, bounds[1:])) == len(enc.encode_ordinary(text))


def test_cut_searches_agree_with_each_other():
    rng = random.Random(7)
    for _ in range(200):
        s = "".join(rng.choices("aaaaaB1 \n.'\u0301!中", k=rng.randint(0, 300)))
        every = oracle_cuts(s)
        assert [p for p in range(1, len(s)) if tc.last_cut(s, p, p + 1) == p] == every
        for start in range(0, len(s) + 1, 5):
            assert tc.next_cut(s, start) == next((p for p in every if p > start), len(s))
            assert tc.last_cut(s, start) == max((p for p in every if p >= start), default=-1)
            assert tc.last_cut(s, 0, start) == max((p for p in every if p < start), default=-1)


def ordinary_texts() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    code = (root / "ftcost" / "model" / "strategies.py").read_text(encoding="utf-8")
    rng = random.Random(3)
    runs = " ".join("x" * rng.randint(1, tc.GIANT_CHARS) for _ in range(30))  # long words, each under the limit
    cjk = "".join(rng.choices("中文字测试日本語，。", k=20_000))  # no spaces, cut points at the punctuation
    b64 = "".join(rng.choices(string.ascii_letters + string.digits + "+/", k=20_000))
    return [readme, code, runs, cjk, b64, readme.replace(" ", "")]


@pytest.mark.parametrize("name", NAMES)
def test_ordinary_text_counts_are_tiktokens(name):
    enc = get_encoding(name)
    for text in ordinary_texts():
        expected = reference(name, text)
        assert count_text(text, name) == expected
        for block in (1000, 1 << 14, 1 << 20):
            blocks = [text[i : i + 777] for i in range(0, len(text), 777)]
            assert tc.count_stream(enc, blocks, block) == expected


class Recorder:
    """An encoding that records the longest text handed to BPE."""

    def __init__(self, enc):
        self.enc = enc
        self.longest = 0

    def encode_ordinary(self, text):
        self.longest = max(self.longest, len(text))
        self.calls = getattr(self, "calls", 0) + 1
        return self.enc.encode_ordinary(text)


GIANTS = {
    "one letter": "a" * 60_000,
    "random letters": "".join(random.Random(1).choices(string.ascii_letters, k=60_000)),
    "symbols": "!?" * 30_000,
    "blank lines": "\n" * 60_000,
    "spaces": " " * 60_000,
    "letters and apostrophes": "a'" * 30_000,
}


@pytest.mark.parametrize("kind", list(GIANTS))
def test_giant_words_are_close_and_never_given_whole(kind):
    name = "o200k_base"
    giant = GIANTS[kind]
    text = "Before the giant word. " + giant + " and after it, ordinary words again.\n"
    expected = reference(name, text)
    bound = 2 * len(giant) / tc.CHUNK_CHARS + 4  # at most about two tokens per place the stretch is cut
    rec = Recorder(get_encoding(name))
    got = tc.count(rec, text)
    assert abs(got - expected) <= bound, (got, expected)
    assert rec.longest <= tc.GIANT_CHARS
    rec = Recorder(get_encoding(name))
    streamed = tc.count_stream(rec, [text[i : i + 5000] for i in range(0, len(text), 5000)], 20_000)
    assert abs(streamed - expected) <= bound, (streamed, expected)
    assert rec.longest <= tc.GIANT_CHARS


@pytest.mark.parametrize("kind", list(GIANTS))
def test_repeated_chunks_are_counted_once_with_the_same_count(kind):
    """count_chunks remembers the counts of chunks it met in the stretch: same total as counting every chunk."""
    giant = GIANTS[kind] * 3
    enc = get_encoding("o200k_base")
    chunks = [giant[i : i + tc.CHUNK_CHARS] for i in range(0, len(giant), tc.CHUNK_CHARS)]
    rec = Recorder(enc)
    assert tc.count_chunks(rec, giant) == sum(len(enc.encode_ordinary(c)) for c in chunks)
    distinct = len(set(chunks))
    assert rec.calls == distinct if distinct <= tc.REPEAT_MEMO else rec.calls >= tc.REPEAT_MEMO
    if kind in ("one letter", "blank lines", "spaces"):
        assert rec.calls == 2  # 44 full chunks alike, and the shorter last one


def test_a_giant_word_in_a_file_and_in_a_dataset(tmp_path):
    """`ftcost tokens` on 2 MB with no whitespace, and a 1 MB word inside a JSONL message, end quickly."""
    from ftcost.data.analyze import analyze_dataset

    p = tmp_path / "nospace.txt"
    p.write_text("a" * 2_000_000)
    # 8 a's are one token in o200k_base ('aaaaaaaa'); chunks of 4,096 keep that: 2,000,000 / 8
    assert count_text_file(p, "o200k_base") == 250_000
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text('{"messages": [{"role": "user", "content": "' + "b" * 1_000_000 + '"}, {"role": "assistant", "content": "ok"}]}\n')
    stats = analyze_dataset(jsonl, encoding="o200k_base", max_tokens_per_example=None)
    assert stats.examples == 1
    assert abs(stats.total_tokens - (count_text("b" * 1_000_000, "o200k_base") + 3 + 1 + 3 + 1 + 1 + 3)) <= 1


def test_stream_of_normal_text_equals_whole():
    text = ordinary_texts()[0] * 20
    assert (
        count_text_stream([text[i : i + 4096] for i in range(0, len(text), 4096)], "cl100k_base", block_chars=8192)
        == count_text(text, "cl100k_base")
        == reference("cl100k_base", text)
    )
