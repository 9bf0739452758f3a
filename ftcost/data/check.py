"""Training data tools: check a JSONL dataset, convert it, split it, size the savings it buys.

The library behind ``ftcost data check|convert|split|savings`` (no click here).
It reads the two JSONL shapes providers take for supervised fine-tuning:

* chat: ``{"messages": [{"role": "system"|"user"|"assistant", "content": ...}, ...]}``
* prompt/completion (OpenAI's legacy format, still what many folders of
  examples hold): ``{"prompt": "...", "completion": "..."}``

Files are read line by line, as bytes, so one bad line (not UTF-8, not JSON,
JSON in neither shape, the other shape than the first example's) is reported with
its line number and the rest stays usable. Token counts use the public
functions of :mod:`ftcost.tokens` (``count_text``, ``count_messages``), so
they agree with ``ftcost tokens`` and with a scenario's ``training.dataset``.

The rules ``convert`` applies to legacy separators and stop sequences are in
:func:`split_prompt` and :func:`split_completion` and in docs/data.md.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tokens as tok
from .datasets import training_cost
from .errors import TokenError
from .outputs import atomic_path, check_output_path

if TYPE_CHECKING:  # numpy is imported where it is used
    import numpy as np

CHAT = "chat"
LEGACY = "prompt_completion"
FORMAT_LABELS = {CHAT: "chat", LEGACY: "prompt/completion"}

# Top-level keys each format may carry. Chat: OpenAI's fine-tuning format
# (messages, plus tools/functions definitions and parallel_tool_calls);
# prompt/completion: the legacy format had exactly these two.
CHAT_KEYS = ("messages", "tools", "functions", "parallel_tool_calls")
LEGACY_KEYS = ("prompt", "completion")

DEFAULT_ENCODING = "o200k_base"  # the encoding of OpenAI's current models; used when no --model is given

# --- how many examples (sources in docs/data.md) -------------------------------------------------
# OpenAI fine-tuning guide: "To fine-tune a model, you are required to provide
# at least 10 examples"; a job with fewer is rejected.
MIN_EXAMPLES = 10
# Same guide: "We typically see clear improvements from fine-tuning on 50 to
# 100 training examples"; below 50 a fine-tune rarely helps.
CLEAR_IMPROVEMENT_EXAMPLES = (50, 100)
# The review-to-star-rating lesson's rule of thumb: "a few hundred
# high-quality examples". ftcost reads "a few hundred" as 200 or more.
FEW_HUNDRED = 200

# Markers of OpenAI's legacy prompt/completion conventions (its legacy
# fine-tuning guide and the `openai tools fine_tunes.prepare_data` helper):
# every prompt ended with a fixed separator ("\n\n###\n\n" in the guide, " ->"
# in the helper's suggestions) and every completion started with a space and
# ended with a stop sequence ("\n", " END", "###").
SEPARATOR_MARKERS = ("-->", "###", "->")
STOP_MARKERS = ("<|endoftext|>", "###", "END")

# Completions up to this many characters (median) are treated as labels or
# short structured answers, whose form should be the same on every example.
SHORT_COMPLETION_CHARS = 40

BINARY_SNIFF_BYTES = 8192


# --- reading ------------------------------------------------------------------------------------


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
    start is refused as binary. A line over ``datasets.MAX_LINE_BYTES`` is not
    usable, as in ``ftcost tokens``: it is skipped without being held whole.
    """
    from .datasets import BLOCK_BYTES, MAX_LINE_BYTES
    from .reading import LongLine, line_blocks, too_long_message

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
        raise TokenError(f"cannot read dataset: {exc.strerror or exc}", file=name) from None
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
        return None, Issue(number, "invalid_utf8", f"not valid UTF-8 (byte 0x{byte:02x} at column {col}); save the file as UTF-8")


def _sniff(head: bytes, name: str) -> None:
    """Refuse what is not JSONL as a whole (the same refusals as ``ftcost tokens``)."""
    if not head:
        raise TokenError("dataset is empty (no examples)", file=name, hint='one JSON object per line: {"messages": [...]}')
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head[:2] == b"\x1f\x8b":
        raise TokenError("dataset is gzip-compressed", file=name, hint="decompress it first (gunzip)")
    if b"\x00" in head:
        raise TokenError("this looks like a binary file (it contains NUL bytes), not JSONL", file=name, hint="give a UTF-8 .jsonl file, one example per line")
    if head.lstrip()[:1] == b"[":
        raise TokenError(
            "dataset is a JSON array, not JSON Lines (one example per line)", file=name, line=1, hint="convert it, e.g. jq -c '.[]' data.json > data.jsonl"
        )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "an array", str: "a string", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def parse_line(number: int, text: str) -> Record | Issue | None:
    """Classify one decoded line: a Record, an Issue (not usable), or None for a blank line."""
    if not text.strip():
        return Issue(number, "blank_line", "empty line (skipped)", "warning")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Issue(number, "not_json", f"not valid JSON: {exc.msg} (column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        return Issue(number, "not_json", f"not valid JSON: {str(exc)[:80] or type(exc).__name__}")
    if not isinstance(data, dict):
        return Issue(number, "not_an_object", f"valid JSON but {_json_type(data)}, not an example object")
    has_chat = "messages" in data
    has_legacy = "prompt" in data or "completion" in data
    if has_chat and has_legacy:
        return Issue(number, "unrecognized_key", "has both 'messages' (chat) and 'prompt'/'completion' keys; an example is one or the other")
    if has_chat:
        return _check_chat(number, text, data)
    if has_legacy:
        return _check_legacy(number, text, data)
    keys = ", ".join(repr(k) for k in list(data)[:5]) or "none"
    return Issue(
        number,
        "neither_format",
        f'valid JSON but neither a chat example ({{"messages": [...]}}) nor a prompt/completion example '
        f'({{"prompt": ..., "completion": ...}}); its keys: {keys}',
    )


def _check_chat(number: int, text: str, data: dict) -> Record | Issue:
    extra = [k for k in data if k not in CHAT_KEYS]
    if extra:
        return Issue(number, "unrecognized_key", f"unknown key {extra[0]!r} in a chat example (allowed: {', '.join(CHAT_KEYS)})")
    messages = data["messages"]
    if not isinstance(messages, list) or not messages:
        return Issue(number, "missing_messages", "'messages' must be a non-empty list of {role, content} objects")
    for i, message in enumerate(messages):
        problems = tok.check_message(message)
        if problems:
            kind, detail = problems[0]
            return Issue(number, kind, f"messages[{i}]: {detail}")
    if not any(m.get("role") == "assistant" for m in messages):
        return Issue(number, "no_assistant_message", "no assistant message: the example has no answer to learn")
    return Record(number, CHAT, data, text)


def _check_legacy(number: int, text: str, data: dict) -> Record | Issue:
    extra = [k for k in data if k not in LEGACY_KEYS]
    if extra:
        return Issue(number, "unrecognized_key", f"unknown key {extra[0]!r} in a prompt/completion example (allowed: prompt, completion)")
    for key in LEGACY_KEYS:
        if key not in data:
            return Issue(number, "empty_prompt_or_completion", f"prompt/completion example without '{key}'")
        if not isinstance(data[key], str):
            return Issue(number, "empty_prompt_or_completion", f"'{key}' is {_json_type(data[key])}, not text")
        if not data[key]:
            return Issue(number, "empty_prompt_or_completion", f"'{key}' is empty")
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

    That is the rule of ``ftcost tokens`` (datasets.analyze_dataset): a provider
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
                    f"{FORMAT_LABELS[item.format]} example in a file of {FORMAT_LABELS[fmt]} examples (first one at line {first}); "
                    "a provider takes one format per file (ftcost data convert turns prompt/completion into chat)",
                )
                continue
        yield item


# --- the parts of an example --------------------------------------------------------------------


def _ends_with_marker(body: str, marker: str) -> bool:
    """``body`` ends with ``marker`` standing alone: at the start or after whitespace ("WEEKEND" has no END)."""
    if not body.endswith(marker):
        return False
    before = len(body) - len(marker)
    return before == 0 or body[before - 1].isspace()


def split_prompt(prompt: str, separators: Iterable[str] = (), *, builtin: bool = True) -> tuple[str, str]:
    """Split a legacy prompt into ``(text, separator)`` with ``prompt == text + separator``.

    Rules (docs/data.md): the separator is the prompt's trailing whitespace,
    plus a separator marker before it and the whitespace before that marker.
    A marker is one of ``separators`` (exact text, tried first, longest
    first) or a built-in one, ``-->``, ``###`` or ``->``, which counts only
    when it stands alone (at the start or after whitespace).

    >>> split_prompt("Review: great\\n\\n###\\n\\n")
    ('Review: great', '\\n\\n###\\n\\n')
    >>> split_prompt("Review: great ->")
    ('Review: great', ' ->')
    >>> split_prompt("x = a->")
    ('x = a->', '')
    """
    body = _strip_custom(prompt, separators)
    body = body.rstrip()
    if builtin and len(body) == len(prompt.rstrip()):
        for marker in SEPARATOR_MARKERS:
            if _ends_with_marker(body, marker):
                body = body[: -len(marker)].rstrip()
                break
    return body, prompt[len(body) :]


def _strip_custom(text: str, markers: Iterable[str]) -> str:
    for marker in sorted((m for m in markers if m), key=len, reverse=True):
        for candidate in (text, text.rstrip()):
            if candidate.endswith(marker):
                return candidate[: -len(marker)]
    return text


def split_completion(completion: str, stops: Iterable[str] = (), *, builtin: bool = True) -> tuple[str, str, str]:
    """Split a legacy completion into ``(lead, text, stop)`` with ``completion == lead + text + stop``.

    Rules (docs/data.md): ``lead`` is one leading space (the legacy format
    started every completion with a space); other leading whitespace stays,
    it may be indentation. ``stop`` is the trailing whitespace (a ``"\\n"``
    stop sequence), plus a stop marker before it and the whitespace before
    that marker. A marker is one of ``stops`` (exact text, tried first) or a
    built-in one, ``<|endoftext|>``, ``###`` or ``END``, which counts only
    when it stands alone (``" END"`` is a stop, ``"WEEKEND"`` is a word).

    >>> split_completion(" 5 estrellas END")
    (' ', '5 estrellas', ' END')
    >>> split_completion(" positive\\n")
    (' ', 'positive', '\\n')
    >>> split_completion("WEEKEND")
    ('', 'WEEKEND', '')
    """
    lead = " " if completion.startswith(" ") else ""
    rest = completion[len(lead) :]
    body = _strip_custom(rest, stops).rstrip()
    if builtin and len(body) == len(rest.rstrip()):
        for marker in STOP_MARKERS:
            if _ends_with_marker(body, marker):
                body = body[: -len(marker)].rstrip()
                break
    return lead, body, rest[len(body) :]


def last_assistant_index(messages: list[dict]) -> int:
    for i in range(len(messages) - 1, -1, -1):
        if isinstance(messages[i], dict) and messages[i].get("role") == "assistant":
            return i
    return -1


def reply_text(message: dict) -> str:
    """The text of an assistant reply: its content, or its tool calls as compact JSON."""
    content = message.get("content")
    if isinstance(content, str) and content:
        return content
    for key in ("tool_calls", "function_call"):
        text = tok.value_text(key, message.get(key))
        if text:
            return text
    return content if isinstance(content, str) else ""


def example_parts(rec: Record) -> tuple[Any, str, str]:
    """``(input, completion, answer)``: what the model is given (prompt text or the messages
    before the last assistant reply), the reply as stored, and the reply without legacy
    markers and surrounding whitespace (what the form and emptiness checks look at)."""
    if rec.format == LEGACY:
        completion = rec.data["completion"]
        return rec.data["prompt"], completion, split_completion(completion)[1].strip()
    messages = rec.data["messages"]
    i = last_assistant_index(messages)
    reply = reply_text(messages[i])
    return messages[:i], reply, reply.strip()


def example_tokens(rec: Record, encoding: str) -> int:
    """Tokens of a whole example: chat by OpenAI's method, prompt/completion as the two texts (docs/design.md)."""
    if rec.format == CHAT:
        return tok.count_messages(rec.data["messages"], encoding)
    return tok.count_text(rec.data["prompt"], encoding) + tok.count_text(rec.data["completion"], encoding)


def request_tokens(rec: Record, encoding: str) -> tuple[int, int]:
    """``(input, completion)`` tokens of one request the example stands for.

    Chat: the messages before the last assistant reply counted with OpenAI's
    chat method (3 per message + values + 3 reply priming), and the reply's
    text. Prompt/completion: the prompt's text and the completion's text, as
    stored (separator and stop sequence included).
    """
    if rec.format == LEGACY:
        return tok.count_text(rec.data["prompt"], encoding), tok.count_text(rec.data["completion"], encoding)
    messages = rec.data["messages"]
    i = last_assistant_index(messages)
    before = messages[:i]
    n_in = tok.count_messages(before, encoding) if before else tok.REPLY_PRIMING
    return n_in, tok.count_text(reply_text(messages[i]), encoding)


def canonical(data: Any) -> bytes:
    """The example as canonical JSON bytes (sorted keys): equal examples give equal bytes."""
    # surrogatepass: a JSON escape such as "\\ud800" is a lone surrogate, which plain UTF-8 cannot encode
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _digest(data: Any) -> bytes:
    return hashlib.sha256(canonical(data)).digest()


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORDS = re.compile(r"[^\W\d_]+(?:[ '’\-][^\W\d_]+)*")
_REPEAT = re.compile(r"([^\w\s])\1+")
_SPACES = re.compile(r"\s+")


def answer_form(answer: str) -> str:
    """The form of a short answer: numbers become 9, runs of words become a.

    >>> [answer_form(s) for s in ("5 stars", "4 estrellas", "Rating: 5", "five stars", "★★★★")]
    ['9 a', '9 a', 'a: 9', 'a', '★']
    """
    s = _NUMBER.sub("9", answer)
    s = _WORDS.sub("a", s)
    s = _REPEAT.sub(r"\1", s)
    return _SPACES.sub(" ", s).strip()


def _printable(s: str) -> str:
    """``s`` with lone surrogates (from escapes like "\\ud800" in the data) written as escapes, so it can be printed."""
    return s.encode("utf-8", "backslashreplace").decode("utf-8")


def _short(text: str, n: int = 40) -> str:
    s = _printable(json.dumps(text, ensure_ascii=False))
    return s if len(s) <= n else s[: n - 4] + '..."'


# --- check --------------------------------------------------------------------------------------


@dataclass
class Advice:
    severity: str  # "error" | "warning" | "note" | "ok"
    message: str
    source: str = ""

    def to_dict(self) -> dict:
        return {"severity": self.severity, "message": self.message, "source": self.source}


@dataclass
class CheckReport:
    """What ``ftcost data check`` found in a dataset."""

    file: str
    encoding: str
    model: str | None
    max_tokens_per_example: int | None
    lines: int = 0  # lines read, blank ones included
    format: str | None = None
    examples: int = 0  # usable examples
    tokens: int = 0  # tokens of the usable examples
    billable_tokens: int = 0  # capped at max_tokens_per_example
    min_tokens: int = 0
    max_tokens: int = 0
    completion_tokens: int = 0
    issues: list[Issue] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    stats: Any = None  # the datasets.DatasetStats of `ftcost tokens`
    epochs: int | None = None
    epochs_fixed: bool = False  # the provider's rule is a fixed count (Azure), not OpenAI's heuristic
    training_price: float | None = None
    training_price_source: str = ""
    currency: str = "USD"
    tool_tokens: int = 0  # tokens of tool/function definitions (included in tokens), OpenAI cookbook method
    examples_with_tools: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def mean_tokens(self) -> float:
        return self.tokens / self.examples if self.examples else 0.0

    @property
    def training_cost(self) -> float | None:
        """One training run at the default epochs: billable tokens x epochs x price / 1M."""
        if self.training_price is None or not self.epochs:
            return None
        return training_cost(self.billable_tokens, self.epochs, self.training_price)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "model": self.model,
            "encoding": self.encoding,
            "format": self.format,
            "lines": self.lines,
            "examples": self.examples,
            "unusable_lines": len(self.errors),
            "tokens": self.tokens,
            "billable_tokens": self.billable_tokens,
            "tool_tokens": self.tool_tokens,
            "examples_with_tools": self.examples_with_tools,
            "max_tokens_per_example": self.max_tokens_per_example,
            "tokens_per_example": self.stats.distribution() if self.stats is not None else None,
            "completion_tokens": self.completion_tokens,
            "default_epochs": self.epochs,
            "training_cost": self.training_cost,
            "currency": self.currency,
            "issues": [i.to_dict() for i in self.issues],
            "advice": [a.to_dict() for a in self.advice],
        }


def check_dataset(path: str | os.PathLike, *, model=None, encoding: str | None = None) -> CheckReport:
    """Validate a JSONL dataset and advise on it, streaming it twice (once through
    ``datasets.analyze_dataset``, the counts of ``ftcost tokens``, once for the findings).

    Per line: not UTF-8, not JSON, JSON in neither format, the other format
    than the first example's, invalid chat messages (the checks of ``ftcost
    tokens``) make a line unusable. Usable examples are then checked for exact duplicates, the
    same input with different answers, near-empty completions (no letter or
    digit once legacy markers are removed), examples above the model's
    per-example limit, and answers or legacy markers in a form other than the
    usual one. The dataset as a whole gets advice on its size (see the
    thresholds at the top of this module).

    Parameters
    ----------
    path : the JSONL file.
    model : a catalog ``Model`` (``Catalogs.load().resolve(ref)``), optional:
        gives the encoding, the per-example limit and the training price.
    encoding : encoding name when no model is given (default o200k_base).
    """
    _need_file(path, "check")
    enc, enc_note = _encoding_of(model, encoding)
    limit = getattr(model, "max_tokens_per_example", None) if model is not None else None
    report = CheckReport(
        file=str(path), encoding=enc, model=getattr(model, "ref", None), max_tokens_per_example=limit, currency=getattr(model, "currency", "USD") or "USD"
    )

    # The validation and counts of `ftcost tokens` (whole-file problems such as
    # an empty, binary or compressed file are raised here).
    from . import datasets

    stats = datasets.analyze_dataset(path, encoding=enc, max_tokens_per_example=limit, allow_empty=True, keep_counts=True)
    report.stats = stats
    report.format = stats.format
    report.examples = stats.examples
    report.tokens, report.billable_tokens = stats.total_tokens, stats.billable_tokens
    report.min_tokens, report.max_tokens = stats.minimum or 0, stats.maximum or 0
    report.tool_tokens, report.examples_with_tools = stats.tool_tokens, stats.examples_with_tools
    for w in stats.warnings():
        if "tool definitions" in w:
            report.advice.append(Advice("warning", w))

    # Then one pass of ours for the line-by-line findings, keeping small facts per example.
    usable: list[_Fact] = []
    for item in iter_examples(path):
        report.lines = max(report.lines, item.line or 0)  # every item here comes from a line
        if isinstance(item, Issue):
            report.issues.append(item)
            continue
        inp, completion, answer = example_parts(item)
        sep = lead = stop = None
        if item.format == LEGACY:
            sep = split_prompt(inp)[1]
            lead, _, stop = split_completion(completion)
        report.completion_tokens += tok.count_text(completion, enc)
        usable.append(_Fact(item.line, 0, _digest(item.data), _digest(inp), _digest(answer), answer[:200], sep, lead, stop))
    counts: Sequence[int] | np.ndarray | None = stats.token_counts
    if counts is None or len(counts) != len(usable):  # not expected: both readers apply the same rules
        counts = [example_tokens(r, enc) for r in iter_examples(path) if isinstance(r, Record)]
    for f, n in zip(usable, counts):
        f.tokens = int(n)

    _example_findings(report, usable, limit)
    _size_advice(report)
    if enc_note:
        report.advice.append(Advice("note", enc_note))
    if model is not None and report.examples:
        report.epochs = tok.default_epochs(report.examples, fixed=model.epoch_rule.fixed)
        report.epochs_fixed = bool(model.epoch_rule.fixed)
        price = (getattr(model, "fine_tuning", None) or {}).get("training")
        if price is not None:
            report.training_price = price.value
            report.training_price_source = price.source or ""
        elif getattr(model, "fine_tuning", None) is None:
            report.advice.append(Advice("warning", f"{model.ref} has no fine-tuning in its catalog"))
        else:
            report.advice.append(Advice("note", f"{model.ref} has no training price in its catalog; training cost not estimated"))
    report.issues.sort(key=lambda i: (i.line or 0, i.severity != "error"))
    return report


def _need_file(path, command: str) -> None:
    if str(path) == "-":
        raise TokenError(
            f"data {command} reads the dataset more than once (or names it in a scenario), so it needs a file, not standard input",
            hint="save the data to a .jsonl file first",
        )


def _encoding_of(model, encoding: str | None) -> tuple[str, str]:
    if model is not None:
        name = getattr(model, "encoding", None)
        if name and name in tok.ENCODINGS:
            return name, ""
        return DEFAULT_ENCODING, (f"{model.ref} has no bundled tokenizer in its catalog; tokens counted with {DEFAULT_ENCODING}, an approximation")
    if encoding:
        if encoding not in tok.available_encodings():
            raise TokenError(f"unknown encoding {encoding!r}", hint="available encodings: " + ", ".join(tok.available_encodings()))
        return encoding, ""
    return DEFAULT_ENCODING, f"no --model given: tokens counted with {DEFAULT_ENCODING}, no per-example limit or price checked"


@dataclass(slots=True)
class _Fact:
    """What the line-by-line checks keep of one usable example."""

    line: int
    tokens: int
    digest: bytes  # the whole example
    input: bytes  # what the model is given
    answer_digest: bytes
    answer: str  # the reply without markers and surrounding whitespace (first 200 characters)
    separator: str | None  # prompt/completion only: the prompt's separator, the completion's lead and stop
    lead: str | None
    stop: str | None


def _example_findings(report: CheckReport, usable: list[_Fact], limit: int | None) -> None:
    add = report.issues.append
    seen: dict[bytes, int] = {}
    inputs: dict[bytes, _Fact] = {}
    for f in usable:
        if f.digest in seen:
            add(Issue(f.line, "duplicate", f"exact duplicate of line {seen[f.digest]}", "warning"))
            continue
        seen[f.digest] = f.line
        other = inputs.setdefault(f.input, f)
        if other.answer_digest != f.answer_digest:
            add(
                Issue(
                    f.line,
                    "conflicting_answer",
                    f"same input as line {other.line} but a different answer ({_short(f.answer)} vs {_short(other.answer)})",
                    "warning",
                )
            )
        if not any(ch.isalnum() for ch in f.answer):
            add(
                Issue(
                    f.line,
                    "near_empty_completion",
                    f"near-empty completion {_short(f.answer) if f.answer else '(nothing once markers and spaces are removed)'}: no letter or digit to learn",
                    "warning",
                )
            )
        if limit and f.tokens > limit:
            add(
                Issue(
                    f.line,
                    "too_long",
                    f"{f.tokens:,} tokens, above the model's limit of {limit:,} per example (the provider truncates or rejects it; ftcost bills {limit:,})",
                    "warning",
                )
            )
    _form_findings(report, usable)


def _usual(values: list, n: int) -> tuple[Any, int] | None:
    """The most common value when it covers at least half of the n examples, else None."""
    if not values:
        return None
    value, count = Counter(values).most_common(1)[0]
    return (value, count) if count * 2 >= n else None


def _form_findings(report: CheckReport, usable: list[_Fact]) -> None:
    """Flag the examples whose legacy markers or short answers differ from the usual form.

    Near-empty answers are left out: they are reported as such.
    """
    usable = [f for f in usable if any(ch.isalnum() for ch in f.answer)]
    n = len(usable)
    if n < 2:
        return
    add = report.issues.append
    if report.format == LEGACY:
        # OpenAI's legacy guide and prepare_data: the same separator and stop sequence on every example.
        for attr, what in (("separator", "prompt ending"), ("lead", "completion start"), ("stop", "completion ending")):
            values = [getattr(f, attr) for f in usable]
            usual = _usual(values, n)
            if usual is None or usual[1] == n:
                continue
            value, count = usual
            example = next(f.line for f, v in zip(usable, values) if v == value)
            for f, v in zip(usable, values):
                if v != value:
                    add(
                        Issue(
                            f.line,
                            "inconsistent_" + attr,
                            f"{what} {_marker(v)} differs from the usual {_marker(value)} ({count:,} of {n:,} examples, e.g. line {example})",
                            "warning",
                        )
                    )
    lengths = sorted(len(f.answer) for f in usable)
    if lengths[len(lengths) // 2] > SHORT_COMPLETION_CHARS:
        return  # free-form answers: no single form to expect
    forms = [answer_form(f.answer) for f in usable]
    usual = _usual(forms, n)
    if usual is None or usual[1] == n:
        return
    value, count = usual
    usual_one = next(f for f, form in zip(usable, forms) if form == value)
    for f, form in zip(usable, forms):
        if form != value:
            add(
                Issue(
                    f.line,
                    "inconsistent_completion_format",
                    f"completion {_short(f.answer)} is not in the usual form {_short(usual_one.answer)} "
                    f"({count:,} of {n:,} completions, e.g. line {usual_one.line})",
                    "warning",
                )
            )


def _marker(text: str) -> str:
    return _printable(json.dumps(text, ensure_ascii=False)) if text else "(none)"


def _size_advice(report: CheckReport) -> None:
    n = report.examples
    add = report.advice.append
    guide = "OpenAI fine-tuning guide"
    lo, hi = CLEAR_IMPROVEMENT_EXAMPLES
    if n == 0:
        add(Advice("error", "no usable examples", ""))
    elif n < MIN_EXAMPLES:
        add(Advice("error", f"{n} usable examples: providers reject fewer than {MIN_EXAMPLES}", guide + ": at least 10 examples are required"))
    elif n < lo:
        add(
            Advice(
                "warning",
                f"{n} usable examples: fewer than {lo} rarely helps; clear improvements typically start at {lo} to {hi}",
                guide + ": clear improvements from 50 to 100 examples",
            )
        )
    elif n < hi:
        add(
            Advice(
                "note",
                f"{n} usable examples: at the low end of the {lo} to {hi} where clear improvements typically start; "
                "the rule of thumb is a few hundred high-quality examples",
                guide + "; review-to-star-rating lesson",
            )
        )
    elif n < FEW_HUNDRED:
        add(
            Advice(
                "note",
                f"{n} usable examples: enough to see an improvement; the rule of thumb is a few hundred high-quality examples",
                "review-to-star-rating lesson",
            )
        )
    else:
        add(
            Advice(
                "ok",
                f"{n:,} usable examples: at or above the rule of thumb of a few hundred; their quality now matters more than their number",
                "review-to-star-rating lesson",
            )
        )
    dups = sum(1 for i in report.issues if i.kind == "duplicate")
    if dups:
        add(Advice("warning", f"{_plural(dups, 'exact duplicate')}: they weigh those examples more and are billed every epoch"))
    if n >= 2 * MIN_EXAMPLES and n >= 20:
        add(Advice("note", "hold out about 10% as a validation set to see over-fitting (ftcost data split; validation tokens are not billed)"))


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def format_check(report: CheckReport, *, limit: int = 20) -> str:
    """The check report as text for a terminal; at most ``limit`` lines listed per kind of finding."""
    from .render.fmt import money, money_small

    out = []
    fmt = FORMAT_LABELS.get(report.format or "", "no")
    model = f"{report.model}, " if report.model else ""
    out.append(
        f"{report.file}: {_plural(report.examples, 'usable example')} in {fmt} format, {_plural(report.lines, 'line')} read, {len(report.errors):,} not usable"
    )
    if report.examples:
        cap = f" (at most {report.max_tokens_per_example:,} per example)" if report.max_tokens_per_example else ""
        out.append(
            f"Tokens ({model}{report.encoding}): {report.tokens:,} in all, {report.billable_tokens:,} billable per epoch{cap}; "
            f"per example min {report.min_tokens:,}, mean {report.mean_tokens:,.1f}, max {report.max_tokens:,}; "
            f"completions {report.completion_tokens:,}"
        )
        if report.examples_with_tools:
            out.append(
                f"Tool definitions: {report.tool_tokens:,} tokens in {_plural(report.examples_with_tools, 'example')}, "
                "included above (OpenAI cookbook's function-token count)"
            )
    if report.training_cost is not None and report.epochs is not None:  # (a training cost has its epochs)
        rule = "the provider's default" if report.epochs_fixed else f"OpenAI's default for {report.examples:,} examples"
        out.append(
            f"Training: {_plural(report.epochs, 'epoch')} ({rule}) x "
            f"{report.billable_tokens:,} tokens x {money(report.training_price, report.currency)}/1M = "
            f"{money_small(report.training_cost, report.currency)} per run"
        )
    for title, items in (("Not usable", report.errors), ("Check", report.warnings)):
        if not items:
            continue
        out.append("")
        out.append(f"{title} ({len(items):,}):")
        shown: Counter = Counter()
        hidden: Counter = Counter()
        for issue in items:
            if shown[issue.kind] < limit:
                shown[issue.kind] += 1
                out.append(f"  {issue}")
            else:
                hidden[issue.kind] += 1
        for kind, k in hidden.items():
            out.append(f"  ... and {k:,} more {kind.replace('_', ' ')} (use --limit)")
    if report.advice:
        out.append("")
        out.append("Advice:")
        for a in report.advice:
            out.append(f"  {a.severity}: {a.message}" + (f" [{a.source}]" if a.source else ""))
    return "\n".join(out) + "\n"


# --- convert ------------------------------------------------------------------------------------


@dataclass
class ConvertReport:
    file: str
    output: str
    converted: int = 0  # prompt/completion examples turned into chat
    copied: int = 0  # chat examples copied as they were
    issues: list[Issue] = field(default_factory=list)
    separators: Counter = field(default_factory=Counter)  # separator removed -> count
    stops: Counter = field(default_factory=Counter)  # stop sequence removed -> count
    leads: int = 0  # completions whose leading space was removed

    @property
    def written(self) -> int:
        return self.converted + self.copied

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "output": self.output,
            "written": self.written,
            "converted": self.converted,
            "copied": self.copied,
            "separators_removed": dict(self.separators),
            "stops_removed": dict(self.stops),
            "leading_spaces_removed": self.leads,
            "issues": [i.to_dict() for i in self.issues],
        }


def convert_example(
    data: dict, *, system: str | None = None, separators: Iterable[str] = (), stops: Iterable[str] = (), strip: bool = True
) -> tuple[dict, str, str, str]:
    """Turn one ``{"prompt", "completion"}`` example into ``{"messages": [...]}``.

    Returns ``(example, separator, lead, stop)``: the chat example and what was
    removed. With ``strip`` False the texts are kept exactly as they are.

    >>> convert_example({"prompt": "Reseña: muy bueno\\n\\n###\\n\\n", "completion": " 5 estrellas END"}, system="Puntúa")[0]
    {'messages': [{'role': 'system', 'content': 'Puntúa'}, {'role': 'user', 'content': 'Reseña: muy bueno'}, {'role': 'assistant', 'content': '5 estrellas'}]}
    """
    prompt, completion = data["prompt"], data["completion"]
    if strip:
        user, sep = split_prompt(prompt, separators)
        lead, answer, stop = split_completion(completion, stops)
    else:
        user, sep, lead, answer, stop = prompt, "", "", completion, ""
    messages = [{"role": "system", "content": system}] if system else []
    messages += [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]
    return {"messages": messages}, sep, lead, stop


def convert_dataset(
    path: str | os.PathLike,
    output: str | os.PathLike,
    *,
    system: str | None = None,
    separators: Iterable[str] = (),
    stops: Iterable[str] = (),
    strip: bool = True,
) -> ConvertReport:
    """Convert a prompt/completion JSONL file to chat format, written atomically to ``output``.

    Chat lines are copied unchanged (so a mixed file comes out all chat);
    lines that are not usable are reported and left out. Nothing is written
    when no example remains (a TokenError).
    """
    separators, stops = tuple(separators), tuple(stops)
    if system is not None and not system.strip():
        raise TokenError("--system is empty", hint="leave it out for no system message")
    check_output_path(output, inputs=[path], stdout_ok=True)
    report = ConvertReport(file=str(path), output=str(output))

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for item in iter_records(path):
                if isinstance(item, Issue):
                    report.issues.append(item)
                    continue
                if item.format == CHAT:
                    fh.write(item.text.strip() + "\n")
                    report.copied += 1
                    continue
                example, sep, lead, stop = convert_example(item.data, system=system, separators=separators, stops=stops, strip=strip)
                user, answer = example["messages"][-2]["content"], example["messages"][-1]["content"]
                if not user.strip():
                    report.issues.append(Issue(item.line, "missing_content", "the prompt is empty once its separator is removed; left out"))
                    continue
                if not answer.strip():
                    report.issues.append(Issue(item.line, "missing_content", "the completion is empty once its stop sequence is removed; left out"))
                    continue
                fh.write(_json_line(example))
                report.converted += 1
                if sep:
                    report.separators[sep] += 1
                if stop:
                    report.stops[stop] += 1
                if lead:
                    report.leads += 1
        if report.written == 0:
            raise _no_examples(path, report.issues)

    with atomic_path(output, inputs=[path], stdout_ok=True) as tmp:  # '-': standard output
        write(tmp)
    return report


def _json_line(obj: Any) -> str:
    """One JSONL line, readable UTF-8; with \\u escapes when the text has lone surrogates (from
    escapes such as "\\ud800" in the input), which UTF-8 cannot hold."""
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj)
    return line + "\n"


def _no_examples(path, issues: list[Issue]) -> TokenError:
    errors = [i for i in issues if i.severity == "error"]
    first = f"; first problem: line {errors[0].line}: {errors[0].message}" if errors else ""
    return TokenError(
        f"no usable examples ({_plural(len(errors), 'line')} not usable){first}",
        file=str(path),
        hint="run 'ftcost data check " + str(path) + "' to see every problem",
    )


def format_convert(report: ConvertReport) -> str:
    out = [
        f"{report.output}: {_plural(report.written, 'chat example')} written "
        f"({report.converted:,} converted from prompt/completion, {report.copied:,} chat copied as they were)"
    ]
    for sep, k in report.separators.most_common():
        out.append(f"  removed prompt separator {_marker(sep)} from {_plural(k, 'example')}")
    if report.leads:
        out.append(f"  removed the leading space of {_plural(report.leads, 'completion')}")
    for stop, k in report.stops.most_common():
        out.append(f"  removed completion ending {_marker(stop)} from {_plural(k, 'example')}")
    return "\n".join(out) + "\n"


# --- split --------------------------------------------------------------------------------------


@dataclass
class SplitReport:
    file: str
    train_file: str
    validation_file: str
    seed: int
    fraction: float
    encoding: str
    format: str | None = None
    train_examples: int = 0
    validation_examples: int = 0
    train_tokens: int = 0  # billable: capped per example
    validation_tokens: int = 0
    issues: list[Issue] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "seed": self.seed,
            "validation_fraction": self.fraction,
            "encoding": self.encoding,
            "format": self.format,
            "train": {"file": self.train_file, "examples": self.train_examples, "tokens": self.train_tokens, "billed": True},
            "validation": {"file": self.validation_file, "examples": self.validation_examples, "tokens": self.validation_tokens, "billed": False},
            "issues": [i.to_dict() for i in self.issues],
        }


def default_split_paths(path: str | os.PathLike) -> tuple[Path, Path]:
    """``data/reviews.jsonl`` -> ``data/reviews.train.jsonl``, ``data/reviews.validation.jsonl``."""
    p = Path(path)
    stem = p.name[: -len(".jsonl")] if p.name.endswith(".jsonl") else p.stem
    return p.with_name(stem + ".train.jsonl"), p.with_name(stem + ".validation.jsonl")


def split_key(seed: int, data: Any) -> bytes:
    """Where an example falls in the shuffled order: SHA-256 of the seed and the example's canonical JSON.

    Depends only on the seed and the example's content, so the split is the
    same on any machine and Python version, and equal examples sort together.
    """
    return hashlib.sha256(f"ftcost-split:{seed}\n".encode() + canonical(data)).digest()


def split_dataset(
    path: str | os.PathLike,
    *,
    validation: float = 0.1,
    seed: int = 0,
    train_out: str | os.PathLike | None = None,
    validation_out: str | os.PathLike | None = None,
    model=None,
    encoding: str | None = None,
) -> SplitReport:
    """Split a JSONL dataset into training and validation files, deterministically.

    Notes
    -----
    The usable examples are ordered by :func:`split_key` (seed + content) and
    the validation file takes ``k = round(n x validation)`` of them (at least
    1, at most n - 1), whole groups of exact duplicates at a time so that no
    example is in both files (a group that would overshoot k is skipped).
    Each file keeps the input's order and its lines as they are (a
    byte-order mark dropped, ``\\r\\n`` written as ``\\n``). Unusable lines
    and lines in the other format than the first example's are left out and reported.
    Validation tokens are counted apart: providers do not bill them.
    """
    if isinstance(validation, bool) or not isinstance(validation, (int, float)) or not 0 < validation < 1:
        raise TokenError(f"--validation must be a fraction between 0 and 1 (exclusive), got {validation!r}", hint="for example --validation 0.1")
    _need_file(path, "split")
    d_train, d_val = default_split_paths(path)
    train_out = Path(train_out) if train_out is not None else d_train
    validation_out = Path(validation_out) if validation_out is not None else d_val
    check_output_path(train_out, inputs=[path])
    check_output_path(validation_out, inputs=[path, train_out])
    enc, _ = _encoding_of(model, encoding)
    limit = getattr(model, "max_tokens_per_example", None) if model is not None else None
    report = SplitReport(str(path), str(train_out), str(validation_out), int(seed), float(validation), enc)

    # Pass 1: keys and tokens of the usable examples.
    usable = []  # (line, key, billable tokens)
    for item in iter_examples(path):
        if isinstance(item, Issue):
            report.issues.append(item)
            continue
        report.format = report.format or item.format
        n = example_tokens(item, enc)
        usable.append((item.line, split_key(seed, item.data), min(n, limit) if limit else n))
    n = len(usable)
    if n == 0:
        raise _no_examples(path, report.issues)
    if n == 1:
        raise TokenError("one usable example cannot be split into training and validation", file=str(path))
    k = min(max(1, math.floor(n * validation + 0.5)), n - 1)
    groups: dict[bytes, list] = {}
    for row in sorted(usable, key=lambda r: (r[1], r[0])):
        groups.setdefault(row[1], []).append(row)
    chosen: set[int] = set()
    for group in groups.values():
        if len(chosen) + len(group) <= k:
            chosen.update(r[0] for r in group)
        if len(chosen) == k:
            break
    keep = {r[0] for r in usable}
    for r in usable:
        if r[0] in chosen:
            report.validation_examples += 1
            report.validation_tokens += r[2]
        else:
            report.train_examples += 1
            report.train_tokens += r[2]
    if report.validation_examples == 0:
        raise TokenError(
            "every example has an exact duplicate group too large for the validation share; nothing to hold out",
            file=str(path),
            hint="remove the duplicates (ftcost data check lists them) or raise --validation",
        )

    # Pass 2: copy the lines, as they are, into the two files.
    with atomic_path(train_out, inputs=[path]) as t_tmp, atomic_path(validation_out, inputs=[path]) as v_tmp:
        with open(t_tmp, "w", encoding="utf-8", newline="") as ft, open(v_tmp, "w", encoding="utf-8", newline="") as fv:
            for number, text, _ in iter_lines(path):
                if text is not None and number in keep:
                    (fv if number in chosen else ft).write(text + "\n")
    return report


def format_split(report: SplitReport) -> str:
    out = [
        f"{report.file}: {report.train_examples + report.validation_examples:,} usable examples, "
        f"split with seed {report.seed} ({report.fraction:g} for validation); tokens counted with {report.encoding}",
        f"  training:   {report.train_file}: {_plural(report.train_examples, 'example')}, {report.train_tokens:,} tokens per epoch (billed)",
        f"  validation: {report.validation_file}: {_plural(report.validation_examples, 'example')}, "
        f"{report.validation_tokens:,} tokens (not billed by OpenAI or Azure OpenAI)",
    ]
    if report.train_examples < MIN_EXAMPLES:
        out.append(f"  warning: {_plural(report.train_examples, 'training example')}; providers reject fewer than {MIN_EXAMPLES}")
    return "\n".join(out) + "\n"


# --- savings ------------------------------------------------------------------------------------

MAX_PROMPT_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class Savings:
    """Tokens per request with a few-shot prompt and with a fine-tuned model, measured on a dataset."""

    prompt_file: str
    dataset: str
    model: Any  # the prompt strategy's catalog Model
    tuned_model: Any  # the fine-tuned strategy's catalog Model
    format: str | None = None
    examples: int = 0
    prompt_tokens: int = 0  # the few-shot prompt, with the prompt model's encoding
    input_tokens: float = 0.0  # mean input of a request, prompt model's encoding
    completion_tokens: float = 0.0
    tuned_input_tokens: float = 0.0  # the same, tuned model's encoding
    tuned_completion_tokens: float = 0.0
    issues: list[Issue] = field(default_factory=list)

    @property
    def few_shot_input_tokens(self) -> float:
        return self.prompt_tokens + self.input_tokens

    @property
    def saved_input_tokens(self) -> float:
        return self.few_shot_input_tokens - self.tuned_input_tokens

    def request_blocks(self, *, prompt_file: str | None = None) -> dict:
        """The two strategies' ``request`` blocks (scenario format v1)."""
        few: dict[str, str | float] = {"prompt_file": prompt_file} if prompt_file else {"prompt_tokens": self.prompt_tokens}
        few.update(input_tokens=_round(self.input_tokens), completion_tokens=_round(self.completion_tokens))
        tuned = {"input_tokens": _round(self.tuned_input_tokens), "completion_tokens": _round(self.tuned_completion_tokens)}
        return {"prompt": few, "fine_tuned": tuned}

    def to_dict(self) -> dict:
        return {
            "prompt_file": self.prompt_file,
            "dataset": self.dataset,
            "format": self.format,
            "examples": self.examples,
            "model": self.model.ref,
            "encoding": self.model.encoding,
            "tuned_model": self.tuned_model.ref,
            "tuned_encoding": self.tuned_model.encoding,
            "prompt_tokens": self.prompt_tokens,
            "input_tokens": self.input_tokens,
            "completion_tokens": self.completion_tokens,
            "few_shot_input_tokens": self.few_shot_input_tokens,
            "tuned_input_tokens": self.tuned_input_tokens,
            "tuned_completion_tokens": self.tuned_completion_tokens,
            "saved_input_tokens": self.saved_input_tokens,
            "request": self.request_blocks(),
            "issues": [i.to_dict() for i in self.issues],
        }


def _round(x: float) -> float | int:
    r = round(float(x), 1)
    return int(r) if r == int(r) else r


def measure_savings(prompt_file: str | os.PathLike, dataset: str | os.PathLike, model, tuned_model=None) -> Savings:
    """Measure the request of each strategy on a dataset.

    Notes
    -----
    Per example: fine-tuned input = the example's own input (prompt/completion:
    the prompt's tokens; chat: the messages before the last assistant reply,
    OpenAI's chat counting); few-shot input = the few-shot prompt's tokens +
    the same; completion = the reply's tokens. The means over the usable
    examples are the scenario's ``input_tokens`` and ``completion_tokens``.
    The few-shot prompt is counted as a scenario's ``prompt_file`` is.
    """
    _need_file(dataset, "savings")
    tuned_model = tuned_model or model
    if getattr(tuned_model, "fine_tuning", None) is None:
        raise TokenError(
            f"{tuned_model.ref} has no fine-tuning prices in its catalog, so it cannot be the fine-tuned model",
            hint="name a fine-tunable model with --tuned-model (ftcost pricing lists them)",
        )
    enc = tok.encoding_for_model(model)
    tuned_enc = tok.encoding_for_model(tuned_model)
    from .yamlsrc import read_text_file

    text = read_text_file(prompt_file, what="few-shot prompt file", max_bytes=MAX_PROMPT_FILE_BYTES, error_cls=TokenError)
    result = Savings(str(prompt_file), str(dataset), model, tuned_model, prompt_tokens=tok.count_text(text, enc))

    usable = []  # (in, out, tuned in, tuned out)
    for item in iter_examples(dataset):
        if isinstance(item, Issue):
            result.issues.append(item)
            continue
        result.format = result.format or item.format
        i, o = request_tokens(item, enc)
        ti, to = (i, o) if tuned_enc == enc else request_tokens(item, tuned_enc)
        usable.append((i, o, ti, to))
    if not usable:
        raise _no_examples(dataset, result.issues)
    n = len(usable)
    result.examples = n
    result.input_tokens = sum(r[0] for r in usable) / n
    result.completion_tokens = sum(r[1] for r in usable) / n
    result.tuned_input_tokens = sum(r[2] for r in usable) / n
    result.tuned_completion_tokens = sum(r[3] for r in usable) / n
    return result


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _rel(target: str | os.PathLike, base_dir: Path) -> str:
    """``target`` relative to ``base_dir`` (a scenario's paths are relative to it), or absolute when
    that would climb more than two folders up."""
    full = Path(target).resolve()
    rel = os.path.relpath(full, base_dir.resolve())
    if Path(rel).parts[:3] == ("..", "..", ".."):
        return full.as_posix()
    return Path(rel).as_posix()


def savings_strategies_yaml(s: Savings, *, prompt_file: str | None = None, dataset: str | None = None) -> str:
    """The ``strategies:`` block of a scenario, with comments saying where each number comes from."""
    blocks = s.request_blocks(prompt_file=prompt_file)
    few, tuned = blocks["prompt"], blocks["fine_tuned"]
    n = s.examples
    ds = dataset or s.dataset
    if prompt_file:
        prompt_line = f"prompt_file: {_q(prompt_file)}  # {s.prompt_tokens:,} tokens ({s.model.encoding})"
    else:
        prompt_line = f"prompt_tokens: {s.prompt_tokens}  # {s.prompt_file} ({s.model.encoding})"
    lines = [
        "strategies:",
        "  - name: few-shot prompt",
        "    type: prompt",
        f"    model: {_q(s.model.ref)}",
        "    request:",
        f"      {prompt_line}",
        f"      input_tokens: {few['input_tokens']}  # mean input of {_plural(n, 'example')} in {s.dataset}",
        f"      completion_tokens: {few['completion_tokens']}  # mean reply of the same examples",
        "      # add cached_prompt_tokens if the provider caches the prompt prefix",
        "  - name: fine-tuned",
        "    type: fine_tuned",
        f"    model: {_q(s.tuned_model.ref)}",
        "    request:",
        f"      input_tokens: {tuned['input_tokens']}  # only the example's own input ({s.tuned_model.encoding})",
        f"      completion_tokens: {tuned['completion_tokens']}",
        "    training:",
        f"      dataset: {_q(ds)}  # {_plural(n, 'example')}, counted when the scenario loads",
        "      epochs: auto",
    ]
    return "\n".join(lines) + "\n"


def savings_scenario_yaml(s: Savings, scenario_path: str | os.PathLike, *, volume: float = 100_000, horizon_months: int = 12) -> str:
    """A complete scenario (format v1) for ``ftcost compare``; paths relative to ``scenario_path``."""
    base = Path(scenario_path).resolve().parent
    providers = []
    for m in (s.model, s.tuned_model):
        if m.provider not in providers:
            providers.append(m.provider)
    name = f"{Path(s.dataset).name}: few-shot prompt or fine-tuning"
    head = [
        f"# Written by ftcost data savings from {s.prompt_file} and {s.dataset}.",
        f"# Per request: few-shot {s.few_shot_input_tokens:,.1f} input tokens, fine-tuned {s.tuned_input_tokens:,.1f}",
        f"# ({s.saved_input_tokens:,.1f} fewer); replies {s.completion_tokens:,.1f} tokens.",
        f"#   ftcost compare {Path(scenario_path).name}",
        "ftcost: 1",
        f"name: {_q(name)}",
        f"horizon_months: {int(horizon_months)}",
        "volume:",
        f"  requests_per_month: {_round(volume)}  # your volume (ftcost compare --volume N overrides it)",
        "pricing: [" + ", ".join(providers) + "]",
        "baseline: few-shot prompt",
    ]
    body = savings_strategies_yaml(s, prompt_file=_rel(s.prompt_file, base), dataset=_rel(s.dataset, base))
    return "\n".join(head) + "\n" + body


def write_savings_scenario(s: Savings, path: str | os.PathLike, *, volume: float = 100_000, horizon_months: int = 12) -> Path:
    """Write the scenario atomically; refuses to overwrite the prompt file or the dataset."""
    from .outputs import write_atomic

    if not (isinstance(volume, (int, float)) and math.isfinite(volume) and volume >= 0):
        raise TokenError(f"--volume must be a number of requests per month >= 0, got {volume}")
    if isinstance(horizon_months, bool) or not isinstance(horizon_months, int) or horizon_months < 1:
        raise TokenError(f"--horizon must be a whole number of months >= 1, got {horizon_months}")
    check_output_path(path, inputs=[s.prompt_file, s.dataset], extensions=(".yaml", ".yml"), stdout_ok=True)
    text = savings_scenario_yaml(s, path, volume=volume, horizon_months=horizon_months)
    return write_atomic(path, text, inputs=[s.prompt_file, s.dataset], extensions=(".yaml", ".yml"), stdout_ok=True)


def format_savings(s: Savings) -> str:
    n = s.examples
    out = [
        f"{s.dataset}: {_plural(n, 'usable example')} ({FORMAT_LABELS.get(s.format or '', '?')} format); "
        f"few-shot prompt {s.prompt_file}: {s.prompt_tokens:,} tokens ({s.model.encoding})",
        "",
        f"Tokens per request (mean over the {_plural(n, 'example')}):",
        f"  few-shot prompt ({s.model.ref}): {s.few_shot_input_tokens:,.1f} input "
        f"({s.prompt_tokens:,} prompt + {s.input_tokens:,.1f} example), {s.completion_tokens:,.1f} completion",
        f"  fine-tuned ({s.tuned_model.ref}): {s.tuned_input_tokens:,.1f} input (the example only), {s.tuned_completion_tokens:,.1f} completion",
        f"  saved: {s.saved_input_tokens:,.1f} input tokens per request"
        + (f" ({s.saved_input_tokens / s.few_shot_input_tokens:.0%})" if s.few_shot_input_tokens else ""),
        "",
        "Request blocks of a ready-to-run scenario (--scenario OUT.yaml writes it whole, with paths relative to it):",
        "",
    ]
    if s.format == LEGACY:
        out[1:1] = [
            "note: prompt/completion examples are counted as stored (separators and stop sequences included); "
            "current models train on chat examples: ftcost data convert, then measure the chat file"
        ]
    return "\n".join(out) + "\n" + savings_strategies_yaml(s)
