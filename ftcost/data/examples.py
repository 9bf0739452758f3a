"""The parts of one example: prompt and answer, legacy separators and stop sequences, tokens, form.

The rules ``convert`` applies to legacy separators and stop sequences are in
:func:`split_prompt` and :func:`split_completion` and in docs/data.md. Token
counts use the public functions of :mod:`ftcost.tokens` (``count_text``,
``count_messages``), so they agree with ``ftcost tokens`` and with a
scenario's ``training.dataset``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from .. import tokens as tok
from .records import CHAT, LEGACY, Record

# Markers of OpenAI's legacy prompt/completion conventions (its legacy
# fine-tuning guide and the `openai tools fine_tunes.prepare_data` helper):
# every prompt ended with a fixed separator ("\n\n###\n\n" in the guide, " ->"
# in the helper's suggestions) and every completion started with a space and
# ended with a stop sequence ("\n", " END", "###").
SEPARATOR_MARKERS = ("-->", "###", "->")
STOP_MARKERS = ("<|endoftext|>", "###", "END")


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


def digest(data: Any) -> bytes:
    """SHA-256 of the canonical JSON: what duplicate and conflict checks compare."""
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


def quote_short(text: str, n: int = 40) -> str:
    """``text`` as a JSON string of at most ``n`` characters, for a message."""
    s = _printable(json.dumps(text, ensure_ascii=False))
    return s if len(s) <= n else s[: n - 4] + '..."'


def quote_marker(text: str) -> str:
    """A separator or stop sequence as a JSON string, or "(none)"."""
    return _printable(json.dumps(text, ensure_ascii=False)) if text else "(none)"
