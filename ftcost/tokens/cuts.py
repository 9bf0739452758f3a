"""Counting tokens in linear time, whatever the text: cut points and giant pieces.

tiktoken first splits text into pieces with its encoding's pattern, then runs
BPE on each piece. BPE's time grows faster than the piece's length (on this
machine, o200k_base: 0.3 us per character for a piece of 4,000 letters, 1.3
us at 16,000, 1.7 us at 256,000), so 100 MB of text without a space, one
piece, would take hours, and a streaming counter that must hold such text
until it can cut it would hold all of it.

Two things keep counting linear:

* **Cut points** (:data:`CUT`): places where the text can be split and each
  side counted apart with the same total, because every one of the three
  patterns (r50k_base, cl100k_base, o200k_base) ends a piece there and
  starts the next one there whatever follows: before a space + letter or a
  newline + letter after a non-space, between a letter and a number, a number
  and a letter, and a letter and a symbol (not a space, mark or apostrophe).
  None of the patterns' lookahead alternatives (whitespace only) can end at
  such a point, so the pieces on each side are the pieces of the whole.
  Ordinary text has cut points every few characters, so its count is
  tiktoken's exactly.
* **Giant pieces**: a stretch of more than :data:`GIANT_CHARS` characters
  with no cut point (a run of one letter, base64 without digits, a line of
  symbols, a huge run of blank lines) is counted in chunks of
  :data:`CHUNK_CHARS` characters, each as tiktoken counts it. That count can
  differ from tiktoken's on the whole stretch by about one token per chunk
  boundary (measured in tests/test_token_cuts.py), and it takes linear time.
  Repeated chunks (a run of one character) are counted once per stretch.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

GIANT_CHARS = 4096
CHUNK_CHARS = 4096

# The cut points, as the two or three characters around each: L = letter, X = a symbol or number
# (not whitespace, a mark or an apostrophe), N = number, S = not whitespace. Cut: L|X, N|L, S| L, S\n|L.
# (Matching the characters is four times faster than the same test with lookarounds.)
_CUT_PATTERN = r"\p{L}[^\s\p{L}\p{M}']|\p{N}\p{L}|\S[ \n]\p{L}"
CUT = regex.compile(_CUT_PATTERN)
_CUT_BACK = regex.compile(_CUT_PATTERN, regex.REVERSE)
SEARCH_BACK_CHARS = 16384  # how far from the end of the buffer count_stream looks for a cut point


def _cut_of(m) -> int:
    """The cut point inside a match of _CUT_PATTERN."""
    return m.start() + (2 if m.end() - m.start() == 3 and m.group()[1] == "\n" else 1)


def last_cut(text: str, start: int = 0, end: int | None = None) -> int:
    """The last cut point p with max(start, 1) <= p < end in ``text`` (0 < p), or -1."""
    end = len(text) if end is None else min(end, len(text))
    lo = max(start, 1)
    stop = min(end + 1, len(text))  # a cut at end - 1 may need the character after it
    while stop > lo - 2:
        m = _CUT_BACK.search(text, max(lo - 2, 0), stop)
        if m is None:
            return -1
        p = _cut_of(m)
        if p < end:
            return p if p >= lo else -1
        stop = m.end() - 1
    return -1


_LETTER = regex.compile(r"\p{L}")
_NOT_LETTER = regex.compile(r"\P{L}")
_LOOK = 64


def next_cut(text: str, start: int) -> int:
    """The first cut point p > start in ``text``, or len(text).

    Every cut point has a letter and a non-letter next to it, so across a long
    run of letters (or of non-letters) the search jumps to the run's end.
    """
    n = len(text)
    pos = start
    while pos < n:
        lo = max(pos - 1, 0)
        m = CUT.search(text, lo, min(pos + _LOOK, n))
        while m is not None and _cut_of(m) <= start:
            m = CUT.search(text, m.start() + 1, min(pos + _LOOK, n))
        if m is not None:
            return _cut_of(m)
        q = pos + _LOOK - 3  # no cut point in text[pos:q]; the next one is near the next letter / non-letter border
        if q >= n:
            return n
        jump = (_NOT_LETTER if _LETTER.match(text, q) else _LETTER).search(text, q)
        if jump is None:
            return n
        pos = max(jump.start() - 2, pos + 1)
    return n


REPEAT_MEMO = 64  # chunks whose counts count_chunks remembers within one stretch


def count_chunks(enc, text: str) -> int:
    """Tokens of a giant stretch, counted CHUNK_CHARS characters at a time.

    A chunk equal to one met before in the same stretch (a run of one letter,
    of one symbol, of blank lines, any pattern repeated with a short period)
    reuses that chunk's count: the count is the same as without the memo, but
    BPE runs once per distinct chunk, not once per chunk (up to
    :data:`REPEAT_MEMO` distinct chunks are remembered; comparing 4,096
    characters costs a hash, BPE on them about a millisecond).

    >>> from ftcost.tokens import get_encoding
    >>> count_chunks(get_encoding("o200k_base"), "a" * 20_000)  # 'aaaaaaaa' is one token: 4,096 / 8 per chunk
    2500
    """
    encode = enc.encode_ordinary
    seen: dict[str, int] = {}
    total = 0
    for i in range(0, len(text), CHUNK_CHARS):
        chunk = text[i : i + CHUNK_CHARS]
        n = seen.get(chunk)
        if n is None:
            n = len(encode(chunk))
            if len(seen) < REPEAT_MEMO:
                seen[chunk] = n
        total += n
    return total


def may_hold_giant_piece(text: str) -> bool:
    """False when ``text`` surely holds no piece of more than GIANT_CHARS characters.

    A giant piece is a run of letters, of symbols or digits (no whitespace at
    all) or of whitespace only, so it covers a whole window of GIANT_CHARS / 2
    characters aligned on that size, with no space and no newline or with
    nothing else. Checking the windows costs a few C-level searches each.
    """
    n = len(text)
    if n <= GIANT_CHARS:
        return False
    w = GIANT_CHARS // 2
    find = text.find
    for i in range(0, n - w + 1, w):
        if find(" ", i, i + w) < 0 and find("\n", i, i + w) < 0 or text[i : i + w].isspace():
            return True
    return False


def count(enc, text: str) -> int:
    """Tokens of ``text``: tiktoken's exact count, giant pieces counted in chunks (see the module's notes)."""
    if not may_hold_giant_piece(text):
        return len(enc.encode_ordinary(text))
    encode = enc.encode_ordinary
    total = 0
    pos, n = 0, len(text)
    while n - pos > GIANT_CHARS:
        cut = last_cut(text, pos + 1, pos + GIANT_CHARS + 1)
        if cut > pos:
            total += len(encode(text[pos:cut]))
            pos = cut
        else:  # no cut point in GIANT_CHARS characters: a giant stretch, up to the next cut point
            end = next_cut(text, pos + GIANT_CHARS)
            total += count_chunks(enc, text[pos:end])
            pos = end
    return total + len(encode(text[pos:]))


def count_stream(enc, blocks: Iterable[str], block_chars: int) -> int:
    """Tokens of the concatenation of ``blocks``, holding about ``block_chars`` characters at most.

    Once the buffer holds ``block_chars`` characters, the part before its last
    cut point within the last SEARCH_BACK_CHARS characters is counted. With no
    cut point there, the buffer ends in a giant stretch: the part before
    those last characters is counted (the stretch is counted in chunks anyway).
    Each character is searched a bounded number of times: linear time.
    """
    total = 0
    buf = ""
    for block in blocks:
        buf += block
        if len(buf) < block_chars:
            continue
        tail = len(buf) - SEARCH_BACK_CHARS
        cut = last_cut(buf, max(tail, 1))
        if cut <= 0:
            if tail <= 0:
                continue  # a small buffer with no cut point yet: read on
            cut = tail  # inside a stretch of SEARCH_BACK_CHARS with no cut point: a giant piece, counted in chunks anyway
        total += count(enc, buf[:cut])
        buf = buf[cut:]
    return total + count(enc, buf)
