"""What ``ftcost data check`` finds among the usable examples: duplicates, conflicts, near-empty and
over-long examples, and answers or legacy markers in a form other than the usual one.

The checks run on small facts kept per example (:class:`Fact`: digests, the
short answer, the markers), so a dataset of any size is checked in memory
that grows with the number of distinct examples, not with their text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .examples import answer_form, quote_marker, quote_short
from .records import LEGACY, Issue

# Completions up to this many characters (median) are treated as labels or
# short structured answers, whose form should be the same on every example.
SHORT_COMPLETION_CHARS = 40


@dataclass(slots=True)
class Fact:
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


def find_issues(usable: list[Fact], limit: int | None, fmt: str | None) -> list[Issue]:
    """The warnings about the usable examples (``fmt``: the file's format); ``check_dataset`` sorts them by line."""
    found: list[Issue] = []
    add = found.append
    seen: dict[bytes, int] = {}
    inputs: dict[bytes, Fact] = {}
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
                    f"same input as line {other.line} but a different answer ({quote_short(f.answer)} vs {quote_short(other.answer)})",
                    "warning",
                )
            )
        if not any(ch.isalnum() for ch in f.answer):
            add(
                Issue(
                    f.line,
                    "near_empty_completion",
                    f"near-empty completion {quote_short(f.answer) if f.answer else '(nothing once markers and spaces are removed)'}: no letter or digit to learn",
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
    _form_findings(found, usable, fmt)
    return found


def _usual(values: list, n: int) -> tuple[Any, int] | None:
    """The most common value when it covers at least half of the n examples, else None."""
    if not values:
        return None
    value, count = Counter(values).most_common(1)[0]
    return (value, count) if count * 2 >= n else None


def _form_findings(found: list[Issue], usable: list[Fact], fmt: str | None) -> None:
    """Flag the examples whose legacy markers or short answers differ from the usual form.

    Near-empty answers are left out: they are reported as such.
    """
    usable = [f for f in usable if any(ch.isalnum() for ch in f.answer)]
    n = len(usable)
    if n < 2:
        return
    add = found.append
    if fmt == LEGACY:
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
                            f"{what} {quote_marker(v)} differs from the usual {quote_marker(value)} ({count:,} of {n:,} examples, e.g. line {example})",
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
                    f"completion {quote_short(f.answer)} is not in the usual form {quote_short(usual_one.answer)} "
                    f"({count:,} of {n:,} completions, e.g. line {usual_one.line})",
                    "warning",
                )
            )
