"""Token counting, offline: bundled tiktoken encodings, text, chat messages.

The three encodings OpenAI's current models use ship inside the package as
gzip copies of tiktoken's published ``.tiktoken`` files
(``ftcost/encodings/*.tiktoken.gz``). On first use in a process a file is
decompressed, its SHA-256 is checked against the hash tiktoken publishes for
it, and a ``tiktoken.Encoding`` is built from it with the encoding's split
pattern and special tokens. Nothing is ever downloaded.

Counting uses ``encode_ordinary``: text that looks like a special token
(``<|endoftext|>``) is counted as the ordinary text it is, and never raises.

Chat messages are counted with OpenAI's method (cookbook notebooks
``How_to_count_tokens_with_tiktoken.ipynb`` and
``Chat_finetuning_data_prep.ipynb``)::

    tokens = sum over messages (3 + tokens of each value + 1 if it has a name) + 3

The result is an estimate of what the API bills, as OpenAI itself says
("not exact!"), but it is the estimate OpenAI publishes.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import TokenError

ENCODINGS_DIR = Path(__file__).with_name("encodings")

# OpenAI's chat counting constants (cookbook, Chat_finetuning_data_prep.ipynb:
# num_tokens_from_messages(messages, tokens_per_message=3, tokens_per_name=1),
# then ``num_tokens += 3`` for the reply priming <|start|>assistant<|message|>).
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3

# Chat message shape. The cookbook accepts the keys role, content, name,
# function_call and weight and the roles system, user, assistant, function;
# OpenAI's current fine-tuning format adds tool calls, so those are accepted too.
MESSAGE_KEYS = ("role", "content", "name", "function_call", "tool_calls", "tool_call_id", "weight")
ROLES = ("system", "developer", "user", "assistant", "function", "tool")
# Keys whose value is structured (a dict or a list): counted as compact JSON
# text, an approximation OpenAI does not specify.
STRUCTURED_KEYS = ("function_call", "tool_calls")
# Not text the model reads: not counted.
UNCOUNTED_KEYS = ("weight",)


# --- the bundled encodings ---------------------------------------------------------------------

# The split patterns, special tokens and file hashes are the ones tiktoken
# defines in tiktoken_ext/openai_public.py (checked in tests/test_tokens.py
# against the installed tiktoken, so a drift fails a test).
_R50K_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)


@dataclass(frozen=True)
class EncodingSpec:
    """What it takes to build one encoding: the file, its published hash, the rules."""

    name: str
    sha256: str
    pat_str: str
    special_tokens: dict
    explicit_n_vocab: int | None = None

    @property
    def file(self) -> Path:
        return ENCODINGS_DIR / f"{self.name}.tiktoken.gz"


ENCODINGS: dict[str, EncodingSpec] = {
    "p50k_base": EncodingSpec(
        "p50k_base",
        "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069",
        _R50K_PATTERN,
        {"<|endoftext|>": 50256},
        50281,
    ),
    "cl100k_base": EncodingSpec(
        "cl100k_base",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        _CL100K_PATTERN,
        {
            "<|endoftext|>": 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
    ),
    "o200k_base": EncodingSpec(
        "o200k_base",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        _O200K_PATTERN,
        {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    ),
}

_cache: dict[str, Any] = {}
_cache_lock = threading.Lock()


def available_encodings() -> list[str]:
    """Names of the bundled encodings, e.g. ``['cl100k_base', 'o200k_base', 'p50k_base']``."""
    return sorted(ENCODINGS)


def _spec(name: str) -> EncodingSpec:
    if not isinstance(name, str) or name not in ENCODINGS:
        from .errors import did_you_mean

        hint = did_you_mean(str(name), ENCODINGS)
        raise TokenError(
            f"unknown encoding {name!r}",
            hint=(hint + " " if hint else "") + "available encodings: " + ", ".join(available_encodings()),
        )
    return ENCODINGS[name]


def load_ranks(name: str) -> dict[bytes, int]:
    """The mergeable ranks of a bundled encoding, read from its gzip file and hash-checked.

    The file holds one ``base64(token) rank`` pair per line; the SHA-256 of the
    decompressed bytes must equal the hash tiktoken publishes for the file.
    """
    import binascii

    spec = _spec(name)
    try:
        with gzip.open(spec.file, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as exc:
        raise TokenError(f"bundled encoding file is missing or damaged: {exc}", file=str(spec.file), hint="reinstall ftcost") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec.sha256:
        raise TokenError(
            f"bundled encoding {name} fails its checksum (sha256 {digest}, expected {spec.sha256})",
            file=str(spec.file),
            hint="the file was altered or damaged; reinstall ftcost",
        )
    a2b = binascii.a2b_base64
    return {a2b(token): int(rank) for token, _, rank in (line.partition(b" ") for line in data.splitlines() if line)}


def get_encoding(name: str):
    """The ``tiktoken.Encoding`` named ``name``, built from the bundled file once per process.

    >>> get_encoding("o200k_base").encode_ordinary("hello world")
    [24912, 2375]
    """
    enc = _cache.get(name)
    if enc is not None:
        return enc
    spec = _spec(name)
    with _cache_lock:
        enc = _cache.get(name)
        if enc is None:
            import tiktoken

            enc = tiktoken.Encoding(
                spec.name,
                pat_str=spec.pat_str,
                mergeable_ranks=load_ranks(name),
                special_tokens=dict(spec.special_tokens),
                explicit_n_vocab=spec.explicit_n_vocab,
            )
            _cache[name] = enc
    return enc


def encoding_for_model(model) -> str:
    """The encoding name of a catalog ``Model`` (its ``encoding:`` entry), checked to be bundled."""
    name = getattr(model, "encoding", None)
    ref = getattr(model, "ref", str(model))
    if not name:
        raise TokenError(
            f"model '{ref}' has no encoding in its pricing catalog, so its tokens cannot be counted",
            file=getattr(model, "catalog_file", None),
            hint="add 'encoding:' to the model (one of " + ", ".join(available_encodings()) + ") or give token counts",
        )
    if name not in ENCODINGS:
        raise TokenError(
            f"model '{ref}' uses encoding {name!r}, which is not bundled",
            file=getattr(model, "catalog_file", None),
            hint="available encodings: " + ", ".join(available_encodings()),
        )
    return name


# --- counting ----------------------------------------------------------------------------------


def count_text(text: str, encoding: str) -> int:
    """Number of tokens in ``text`` with the named encoding.

    Special-token text such as ``<|endoftext|>`` counts as ordinary text.

    >>> count_text("hello world", "o200k_base")
    2
    >>> count_text("", "cl100k_base")
    0
    """
    if not isinstance(text, str):
        raise TokenError(f"expected text to count, got {type(text).__name__}")
    from .token_cuts import count

    return count(get_encoding(encoding), text)


def value_text(key: str, value: Any) -> str | None:
    """The text counted for one message value: strings as they are, tool calls as compact JSON."""
    if key in UNCOUNTED_KEYS or value is None:
        return None
    if isinstance(value, str):
        return value
    if key in STRUCTURED_KEYS:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return None


def check_message(message: Any) -> list[tuple[str, str]]:
    """Problems with one chat message, as ``(kind, detail)`` pairs; empty when it is valid.

    Kinds follow OpenAI's data-preparation notebook: ``unrecognized_key``,
    ``unknown_role`` (also a missing role), ``missing_content`` (content
    missing, empty or not text; a function or tool call may have null content).
    """
    if not isinstance(message, dict):
        return [("message_not_object", f"a message must be an object, got {_json_type(message)}")]
    problems = []
    for key in message:
        if key not in MESSAGE_KEYS:
            problems.append(("unrecognized_key", f"unrecognised message key {key!r}"))
            break
    if "role" not in message:
        problems.append(("unknown_role", "message has no 'role'"))
    elif message["role"] not in ROLES:
        problems.append(("unknown_role", f"unknown role {message['role']!r} (expected one of {', '.join(ROLES)})"))
    content = message.get("content")
    if message.get("function_call") or message.get("tool_calls"):
        if content is not None and not isinstance(content, str):
            problems.append(("missing_content", f"message content is {_json_type(content)}, not text"))
    elif not isinstance(content, str) or not content:
        what = "missing" if "content" not in message else ("empty" if content == "" else f"{_json_type(content)}, not text")
        problems.append(("missing_content", f"message content is {what}"))
    for key in ("name", "tool_call_id"):
        if key in message and not isinstance(message[key], str):
            problems.append(("unrecognized_key", f"message {key!r} must be text"))
    return problems


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def count_messages(messages: list[dict], encoding: str) -> int:
    """Tokens of a chat conversation, OpenAI's way.

    Notes
    -----
    ``tokens = sum_m (3 + sum_v tokens(v) + [name present]) + 3``, where v runs
    over the values of message m (role, content, name; tool calls as compact
    JSON), 3 is ``tokens_per_message``, 1 ``tokens_per_name`` and the final 3
    the reply priming (OpenAI cookbook, Chat_finetuning_data_prep.ipynb).

    Examples
    --------
    Two messages: roles "system" and "user" are 1 token each, "Be brief." is 3
    tokens and "Hi" 1 token (o200k_base), so 3 + 1 + 3 + 3 + 1 + 1 + 3 = 15.

    >>> count_messages([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}], "o200k_base")
    15
    """
    if not isinstance(messages, list) or not messages:
        raise TokenError("messages must be a non-empty list of {role, content} objects", hint='e.g. [{"role": "user", "content": "Hello"}]')
    from .token_cuts import count

    enc = get_encoding(encoding)
    total = REPLY_PRIMING
    for i, message in enumerate(messages):
        problems = check_message(message)
        if problems:
            kind, detail = problems[0]
            raise TokenError(detail, path=(i,), hint="each message needs a role (" + ", ".join(ROLES) + ") and text content")
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            text = value_text(key, value)
            if text is not None:
                total += count(enc, text)
            if key == "name":
                total += TOKENS_PER_NAME
    return total


# --- text files, streamed ----------------------------------------------------------------------

TEXT_BLOCK_CHARS = 1 << 20


def count_text_stream(blocks: Iterable[str], encoding: str, *, block_chars: int = TEXT_BLOCK_CHARS) -> int:
    """Tokens of the concatenation of ``blocks``, without holding it all, in linear time.

    The text is cut only at points where no encoding's pre-tokenizer joins the
    two sides, so the sum of the parts' counts equals the count of the whole;
    a "word" of more than 4,096 characters with no such point is counted in
    chunks (see ftcost/token_cuts.py).

    >>> count_text_stream(["hello", " world"], "o200k_base") == count_text("hello world", "o200k_base")
    True
    """
    from .token_cuts import count_stream

    return count_stream(get_encoding(encoding), blocks, block_chars)


def open_input(path: str | os.PathLike, *, what: str = "file") -> IO[bytes]:
    """Open ``path`` (or ``-`` for standard input) for binary reading, with clear errors."""
    name = str(path)
    if name == "-":
        return sys.stdin.buffer
    from .reading import open_regular

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
            raise TokenError(f"cannot read: {exc.strerror or exc}", file=name) from None
        final = not raw
        if first and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        first = False
        nul = raw.find(b"\x00")
        if nul >= 0:
            good = raw[:nul].decode("utf-8", errors="replace")
            ln, cl = _advance(line, col, good)
            raise TokenError("this looks like a binary file (it contains NUL bytes), not text", file=name, line=ln, column=cl, hint="give a UTF-8 text file")
        try:
            text = decoder.decode(raw, final)
        except UnicodeDecodeError as exc:
            good = raw[: exc.start].decode("utf-8", errors="replace")
            ln, cl = _advance(line, col, good)
            raise TokenError(
                f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})" if exc.start < len(raw) else "invalid UTF-8 at the end of the file",
                file=name,
                line=ln,
                column=cl,
                hint="save the file as UTF-8",
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


# --- epochs ------------------------------------------------------------------------------------

# OpenAI's default-epochs heuristic, constants from the cookbook notebook
# Chat_finetuning_data_prep.ipynb ("Pricing and default n_epochs estimate").
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25


def default_epochs(n: int, fixed: int = 0) -> int:
    """Epochs OpenAI picks by default for ``n`` training examples (``fixed``: a provider's fixed count instead).

    Notes
    -----
    3 epochs; if ``3 n < 100``: ``min(25, 100 // n)``; if ``3 n > 25000``:
    ``max(1, 25000 // n)`` (OpenAI cookbook, Chat_finetuning_data_prep.ipynb).
    ``fixed`` is ``EpochRule.fixed`` of the provider's catalog (Azure: 2).

    Examples
    --------
    >>> [default_epochs(n) for n in (1, 5, 33, 34, 8333, 8334, 100000)]
    [25, 20, 3, 3, 3, 2, 1]
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise TokenError(f"the default number of epochs needs at least one training example, got {n!r}")
    from .engine import default_epochs as vectorized  # one formula for the CLI and the engine

    return int(vectorized(n, fixed=fixed))
