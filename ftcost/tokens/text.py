"""Text and text files, counted: any length, streamed, in linear time.

Counting uses ``encode_ordinary``: text that looks like a special token
(``<|endoftext|>``) is counted as the ordinary text it is, and never raises.
A file is decoded block by block (a NUL byte or invalid UTF-8 is a located
error) and never held whole; ftcost/tokens/cuts.py says how the text is cut
so that the parts' counts add up to the whole's.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Iterable, Iterator
from typing import IO

from ..errors import TokenError
from ..i18n import Message
from .encodings import get_encoding


def count_text(text: str, encoding: str) -> int:
    """Number of tokens in ``text`` with the named encoding.

    Special-token text such as ``<|endoftext|>`` counts as ordinary text.

    >>> count_text("hello world", "o200k_base")
    2
    >>> count_text("", "cl100k_base")
    0
    """
    if not isinstance(text, str):
        raise TokenError(Message("expected text to count, got {type}", type=type(text).__name__))
    from .cuts import count

    return count(get_encoding(encoding), text)


TEXT_BLOCK_CHARS = 1 << 20


def count_text_stream(blocks: Iterable[str], encoding: str, *, block_chars: int = TEXT_BLOCK_CHARS) -> int:
    """Tokens of the concatenation of ``blocks``, without holding it all, in linear time.

    The text is cut only at points where no encoding's pre-tokenizer joins the
    two sides, so the sum of the parts' counts equals the count of the whole;
    a "word" of more than 4,096 characters with no such point is counted in
    chunks (see ftcost/tokens/cuts.py).

    >>> count_text_stream(["hello", " world"], "o200k_base") == count_text("hello world", "o200k_base")
    True
    """
    from .cuts import count_stream

    return count_stream(get_encoding(encoding), blocks, block_chars)


def open_input(path: str | os.PathLike, *, what: str = "file") -> IO[bytes]:
    """Open ``path`` (or ``-`` for standard input) for binary reading, with clear errors."""
    name = str(path)
    if name == "-":
        return sys.stdin.buffer
    from ..reading import open_regular

    return open_regular(path, what=what, error_cls=TokenError, stdin_ok=True)


def iter_text_blocks(stream: IO[bytes], *, name: str, block_bytes: int = TEXT_BLOCK_CHARS) -> Iterator[str]:
    """Decode a byte stream as UTF-8 block by block; a NUL byte or invalid UTF-8 is a TokenError.

    An initial byte-order mark is dropped. The error names the line and column
    (in characters) of the first bad byte.
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    line, col = 1, 1  # position of the start of the current block
    first = True
    while True:
        try:
            raw = stream.read(block_bytes)
        except OSError as exc:
            raise TokenError(Message("cannot read: {reason}", reason=str(exc.strerror or exc)), file=name) from None
        final = not raw
        if first and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        first = False
        nul = raw.find(b"\x00")
        if nul >= 0:
            good = raw[:nul].decode("utf-8", errors="replace")
            ln, cl = _advance(line, col, good)
            raise TokenError(
                Message("this looks like a binary file (it contains NUL bytes), not text"),
                file=name,
                line=ln,
                column=cl,
                hint=Message("give a UTF-8 text file"),
            )
        try:
            text = decoder.decode(raw, final)
        except UnicodeDecodeError as exc:
            good = raw[: exc.start].decode("utf-8", errors="replace")
            ln, cl = _advance(line, col, good)
            raise TokenError(
                Message("invalid UTF-8 (byte 0x{byte:02x})", byte=raw[exc.start]) if exc.start < len(raw) else Message("invalid UTF-8 at the end of the file"),
                file=name,
                line=ln,
                column=cl,
                hint=Message("save the file as UTF-8"),
            ) from None
        if text:
            line, col = _advance(line, col, text)
            yield text
        if final:
            return


def _advance(line: int, col: int, text: str) -> tuple[int, int]:
    n = text.count("\n")
    if n:
        return line + n, len(text) - text.rfind("\n")
    return line, col + len(text)


def count_text_file(path: str | os.PathLike, encoding: str) -> int:
    """Tokens in a UTF-8 text file (``-`` for standard input), streamed.

    The text is counted exactly as stored, a final newline included.
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    stream = open_input(path, what="text file")
    try:
        return count_text_stream(iter_text_blocks(stream, name=name), encoding)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def count_prompt_file(path: str | os.PathLike, encoding: str) -> int:
    """Tokens of a prompt file (``request.prompt_file`` in a scenario); same as count_text_file."""
    return count_text_file(path, encoding)
