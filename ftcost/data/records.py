"""A JSONL dataset read line by line: each line a Record (an example in one of the two formats) or an Issue.

The reader behind ``ftcost data check|convert|split|savings`` (no click here).
It reads the two JSONL shapes providers take for supervised fine-tuning:

* chat: ``{"messages": [{"role": "system"|"user"|"assistant", "content": ...}, ...]}``
* prompt/completion (OpenAI's legacy format, still what many folders of
  examples hold): ``{"prompt": "...", "completion": "..."}``

Files are read line by line, as bytes, so one bad line (not UTF-8, not JSON,
JSON in neither shape, the other shape than the first example's) is reported with
its line number and the rest stays usable. The checks of a chat message are
those of ``ftcost tokens`` (:func:`ftcost.tokens.check_message`).

Also here, the rules every data command shares: a dataset is a file, not
standard input; the encoding tokens are counted with; "no usable examples".
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import tokens as tok
from ..errors import TokenError
from ..i18n import N_, Message, term

CHAT = "chat"
LEGACY = "prompt_completion"
FORMAT_LABELS = {CHAT: "chat", LEGACY: "prompt/completion"}

# Top-level keys each format may carry. Chat: OpenAI's fine-tuning format
# (messages, plus tools/functions definitions and parallel_tool_calls);
# prompt/completion: the legacy format had exactly these two.
CHAT_KEYS = ("messages", "tools", "functions", "parallel_tool_calls")
LEGACY_KEYS = ("prompt", "completion")

DEFAULT_ENCODING = "o200k_base"  # the encoding of OpenAI's current models; used when no --model is given

BINARY_SNIFF_BYTES = 8192


@dataclass
class Issue:
    """One finding. ``severity`` "error": the line is not usable; "warning": usable, but check it."""

    line: int | None
    kind: str
    message: str
    severity: str = "error"

    def to_dict(self) -> dict:
        return {"line": self.line, "kind": self.kind, "severity": self.severity, "message": self.message}

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


@dataclass
class Record:
    """A line that holds an example in one of the two formats."""

    line: int
    format: str
    data: dict
    text: str  # the line as read, without its line ending


def iter_lines(path: str | os.PathLike) -> Iterator[tuple[int, str | None, Issue | None]]:
    """Yield ``(line_number, text, None)`` or ``(line_number, None, issue)`` for each line of a file.

    Lines are decoded one by one, so a line that is not UTF-8 is reported and
    the others are still read. A byte-order mark at the start is dropped, and
    ``\\r\\n`` endings are read like ``\\n``. A file with NUL bytes near its
    start is refused as binary. A line over ``analyze.MAX_LINE_BYTES`` is not
    usable, as in ``ftcost tokens``: it is skipped without being held whole.
    """
    from ..reading import LongLine, line_blocks, too_long_message
    from .analyze import BLOCK_BYTES, MAX_LINE_BYTES  # read at each call: a test lowers the limit

    name = str(path)
    stream = tok.open_input(path, what="dataset")
    try:
        head = stream.peek(BINARY_SNIFF_BYTES)[:BINARY_SNIFF_BYTES] if hasattr(stream, "peek") else b""
        _sniff(head, name)
        number = 0
        for raws in line_blocks(stream, BLOCK_BYTES, MAX_LINE_BYTES):
            for raw in raws:
                number += 1
                if isinstance(raw, LongLine):
                    yield number, None, Issue(number, "line_too_long", too_long_message(raw.size, MAX_LINE_BYTES))
                    continue
                yield number, *_decode_line(raw, number)
    except OSError as exc:
        raise TokenError(Message("cannot read dataset: {reason}", reason=str(exc.strerror or exc)), file=name) from None
    finally:
        if stream is not getattr(sys.stdin, "buffer", None):
            stream.close()


def _decode_line(raw: bytes, number: int) -> tuple[str | None, Issue | None]:
    """(text, None), or (None, the issue) for a line that is not UTF-8; a BOM on line 1 and a final CR are dropped."""
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        col = len(raw[: exc.start].decode("utf-8", errors="replace")) + 1
        byte = raw[exc.start] if exc.start < len(raw) else 0
        return None, Issue(number, "invalid_utf8", Message("not valid UTF-8 (byte 0x{byte:02x} at column {col}); save the file as UTF-8", byte=byte, col=col))


def _sniff(head: bytes, name: str) -> None:
    """Refuse what is not JSONL as a whole (the same refusals as ``ftcost tokens``)."""
    if not head:
        raise TokenError(Message("dataset is empty (no examples)"), file=name, hint=Message('one JSON object per line: {{"messages": [...]}}'))
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head[:2] == b"\x1f\x8b":
        raise TokenError(Message("dataset is gzip-compressed"), file=name, hint=Message("decompress it first (gunzip)"))
    if b"\x00" in head:
        raise TokenError(
            Message("this looks like a binary file (it contains NUL bytes), not JSONL"),
            file=name,
            hint=Message("give a UTF-8 .jsonl file, one example per line"),
        )
    if head.lstrip()[:1] == b"[":
        raise TokenError(
            Message("dataset is a JSON array, not JSON Lines (one example per line)"),
            file=name,
            line=1,
            hint=Message("convert it, e.g. jq -c '.[]' data.json > data.jsonl"),
        )


def _json_type(value: Any) -> str:
    """'an array', 'a string'... (a Message: translated where a person reads it)."""
    if isinstance(value, bool):
        return Message("a boolean")
    names = {dict: N_("an object"), list: N_("an array"), str: N_("a string"), type(None): "null"}
    if type(value) in names:
        return term(names[type(value)])
    return Message("a number") if isinstance(value, (int, float)) else type(value).__name__


def parse_line(number: int, text: str) -> Record | Issue | None:
    """Classify one decoded line: a Record, an Issue (not usable), or None for a blank line."""
    if not text.strip():
        return Issue(number, "blank_line", Message("empty line (skipped)"), "warning")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Issue(number, "not_json", Message("not valid JSON: {msg} (column {colno})", msg=exc.msg, colno=exc.colno))
    except (ValueError, RecursionError) as exc:
        return Issue(number, "not_json", Message("not valid JSON: {reason}", reason=str(exc)[:80] or type(exc).__name__))
    if not isinstance(data, dict):
        return Issue(number, "not_an_object", Message("valid JSON but {type}, not an example object", type=_json_type(data)))
    has_chat = "messages" in data
    has_legacy = "prompt" in data or "completion" in data
    if has_chat and has_legacy:
        return Issue(number, "unrecognized_key", Message("has both 'messages' (chat) and 'prompt'/'completion' keys; an example is one or the other"))
    if has_chat:
        return _check_chat(number, text, data)
    if has_legacy:
        return _check_legacy(number, text, data)
    keys = ", ".join(repr(k) for k in list(data)[:5]) or "none"
    return Issue(
        number,
        "neither_format",
        Message(
            'valid JSON but neither a chat example ({{"messages": [...]}}) nor a prompt/completion example ({{"prompt": ..., "completion": ...}}); its keys: {keys}',
            keys=keys,
        ),
    )


def _check_chat(number: int, text: str, data: dict) -> Record | Issue:
    extra = [k for k in data if k not in CHAT_KEYS]
    if extra:
        return Issue(number, "unrecognized_key", Message("unknown key {key!r} in a chat example (allowed: {keys})", key=extra[0], keys=", ".join(CHAT_KEYS)))
    messages = data["messages"]
    if not isinstance(messages, list) or not messages:
        return Issue(number, "missing_messages", Message("'messages' must be a non-empty list of {{role, content}} objects"))
    for i, message in enumerate(messages):
        problems = tok.check_message(message)
        if problems:
            kind, detail = problems[0]
            return Issue(number, kind, Message("messages[{i}]: {detail}", i=i, detail=detail))
    if not any(m.get("role") == "assistant" for m in messages):
        return Issue(number, "no_assistant_message", Message("no assistant message: the example has no answer to learn"))
    return Record(number, CHAT, data, text)


def _check_legacy(number: int, text: str, data: dict) -> Record | Issue:
    extra = [k for k in data if k not in LEGACY_KEYS]
    if extra:
        return Issue(number, "unrecognized_key", Message("unknown key {key!r} in a prompt/completion example (allowed: prompt, completion)", key=extra[0]))
    for key in LEGACY_KEYS:
        if key not in data:
            return Issue(number, "empty_prompt_or_completion", Message("prompt/completion example without '{key}'", key=key))
        if not isinstance(data[key], str):
            return Issue(number, "empty_prompt_or_completion", Message("'{key}' is {type}, not text", key=key, type=_json_type(data[key])))
        if not data[key]:
            return Issue(number, "empty_prompt_or_completion", Message("'{key}' is empty", key=key))
    return Record(number, LEGACY, data, text)


def iter_records(path: str | os.PathLike) -> Iterator[Record | Issue]:
    """Every non-blank line of a JSONL file as a Record or an Issue (blank lines give a warning Issue)."""
    for number, text, issue in iter_lines(path):
        if issue is not None:
            yield issue
        elif text is not None:
            item = parse_line(number, text)
            if item is not None:
                yield item


def iter_examples(path: str | os.PathLike) -> Iterator[Record | Issue]:
    """Like :func:`iter_records`, and a line in the other format than the first valid example's is an Issue.

    That is the rule of ``ftcost tokens`` (analyze.analyze_dataset): a provider
    takes one format per file, and the first valid example sets it.
    """
    fmt, first = None, None
    for item in iter_records(path):
        if isinstance(item, Record):
            if fmt is None:
                fmt, first = item.format, item.line
            elif item.format != fmt:
                yield Issue(
                    item.line,
                    "mixed_format",
                    Message(
                        "{this} example in a file of {other} examples (first one at line {first}); a provider takes one format per file (ftcost data convert turns prompt/completion into chat)",
                        this=FORMAT_LABELS[item.format],
                        other=FORMAT_LABELS[fmt],
                        first=first,
                    ),
                )
                continue
        yield item


# --- shared by the data commands ----------------------------------------------------------------


def need_file(path, command: str) -> None:
    """A data command that reads the dataset twice needs a file: refuse ``-`` (standard input)."""
    if str(path) == "-":
        raise TokenError(
            Message("data {command} reads the dataset more than once (or names it in a scenario), so it needs a file, not standard input", command=command),
            hint=Message("save the data to a .jsonl file first"),
        )


def encoding_of(model, encoding: str | None) -> tuple[str, str]:
    """The encoding to count with (the model's, the one named, or o200k_base) and a note when it is a stand-in."""
    if model is not None:
        name = getattr(model, "encoding", None)
        if name and name in tok.ENCODINGS:
            return name, ""
        return DEFAULT_ENCODING, (f"{model.ref} has no bundled tokenizer in its catalog; tokens counted with {DEFAULT_ENCODING}, an approximation")
    if encoding:
        if encoding not in tok.available_encodings():
            raise TokenError(
                Message("unknown encoding {name!r}", name=encoding), hint=Message("available encodings: {names}", names=", ".join(tok.available_encodings()))
            )
        return encoding, ""
    return DEFAULT_ENCODING, f"no --model given: tokens counted with {DEFAULT_ENCODING}, no per-example limit or price checked"


def no_examples(path, issues: list[Issue]) -> TokenError:
    """The error of a dataset with no usable example, naming its first problem."""
    errors = [i for i in issues if i.severity == "error"]
    first = Message("; first problem: line {line}: {message}", line=errors[0].line, message=errors[0].message) if errors else ""
    lines = Message("{n:,} line", n=1) if len(errors) == 1 else Message("{n:,} lines", n=len(errors))
    return TokenError(
        Message("no usable examples ({lines} not usable){first}", lines=lines, first=first),
        file=str(path),
        hint=Message("run 'ftcost data check {path}' to see every problem", path=str(path)),
    )


def plural(n: int, word: str) -> str:
    """``plural(1, "line")`` is "1 line", ``plural(1200, "line")`` is "1,200 lines"."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")
