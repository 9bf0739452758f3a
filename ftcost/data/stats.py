"""What a training file holds: the kinds of invalid line, the counts, the distribution of tokens per example.

:class:`DatasetStats` is what ``ftcost tokens`` reports and what a scenario's
``training.dataset`` reads; :func:`ftcost.data.analyze.analyze_dataset`
fills it. Billable tokens of one epoch are ``sum_e min(tokens_e, cap)`` with
``cap`` the model's ``max_tokens_per_example``; :func:`training_cost` turns
them into the cost of one run (the engine's formula).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..i18n import N_, Message, join, term

ERROR_KINDS = {
    "invalid_utf8": N_("not valid UTF-8"),
    "line_too_long": N_("line longer than the limit"),
    "not_json": N_("not JSON"),
    "not_an_object": N_("not a JSON object"),
    "missing_messages": N_("missing or empty messages (or prompt/completion)"),
    "message_not_object": N_("a message is not an object"),
    "unknown_role": N_("missing or unknown role"),
    "missing_content": N_("missing content"),
    "unrecognized_key": N_("unrecognised key"),
    "no_assistant_message": N_("no assistant message"),
    "empty_prompt_or_completion": N_("empty prompt or completion"),
    "mixed_format": N_("format differs from the first valid example"),
    "invalid_tools": N_("tool definitions that cannot be read"),
}
FIRST_LINES = 5  # line numbers kept per error kind
MIN_EXAMPLES = 10  # OpenAI's minimum number of training examples


@dataclass
class ErrorSummary:
    """How many lines have one kind of problem, and where the first ones are."""

    kind: str
    count: int = 0
    first_lines: list[int] = field(default_factory=list)
    first_detail: str = ""

    @property
    def description(self) -> str:
        return ERROR_KINDS.get(self.kind, self.kind)

    def to_dict(self) -> dict:
        return {"description": self.description, "count": self.count, "first_lines": list(self.first_lines), "first_error": self.first_detail}


@dataclass
class DatasetStats:
    """What a training file holds, for one encoding and per-example cap.

    ``billable_tokens`` is per epoch: the sum over valid examples of
    ``min(tokens, max_tokens_per_example)``. The distribution (``minimum``,
    ``mean``, ``quantile``) is over the valid examples' uncapped tokens.
    """

    path: str
    encoding: str
    max_tokens_per_example: int | None
    format: str | None = None  # "chat" or "prompt_completion"
    lines: int = 0  # non-blank lines read
    blank_lines: int = 0
    examples: int = 0
    invalid_examples: int = 0
    errors: dict[str, ErrorSummary] = field(default_factory=dict)
    total_tokens: int = 0
    billable_tokens: int = 0
    over_limit: int = 0
    over_limit_lines: list[int] = field(default_factory=list)
    histogram: dict[int, int] = field(default_factory=dict)
    token_counts: np.ndarray | None = None  # per valid example, in file order, when asked for
    # Tool (function) definitions of chat examples, counted with OpenAI's cookbook method (ftcost.tokens.tools);
    # included in total_tokens and billable_tokens, reported on their own here.
    tool_tokens: int = 0
    examples_with_tools: int = 0
    tools_not_counted: int = 0  # examples whose tools have parts the published method does not count
    tools_not_counted_first: str = ""

    # -- distribution ------------------------------------------------------------------------

    def _sorted(self) -> tuple[np.ndarray, np.ndarray]:
        values = np.array(sorted(self.histogram), dtype=np.int64)
        counts = np.array([self.histogram[int(v)] for v in values], dtype=np.int64)
        return values, counts

    @property
    def minimum(self) -> int | None:
        return min(self.histogram) if self.histogram else None

    @property
    def maximum(self) -> int | None:
        return max(self.histogram) if self.histogram else None

    @property
    def mean(self) -> float | None:
        return self.total_tokens / self.examples if self.examples else None

    def quantile(self, q: float) -> float | None:
        """The q-quantile (0..1) of tokens per example, as ``numpy.quantile`` computes it.

        Notes
        -----
        With the n values sorted as x_0 <= ... <= x_{n-1}, ``h = (n - 1) q``
        and ``Q = x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h))``
        (numpy's default "linear" method), read from the histogram.

        Examples
        --------
        Values 10, 20, 20, 40: h = 3 x 0.5 = 1.5, so Q = 20 + 0.5 x (20 - 20) = 20.

        >>> DatasetStats("x", "o200k_base", None, examples=4, histogram={10: 1, 20: 2, 40: 1}).quantile(0.5)
        20.0
        """
        if not self.histogram:
            return None
        values, counts = self._sorted()
        cum = np.cumsum(counts)
        n = int(cum[-1])
        h = (n - 1) * float(q)
        lo = int(np.floor(h))
        hi = min(lo + 1, n - 1)
        x_lo = values[np.searchsorted(cum, lo, side="right")]
        x_hi = values[np.searchsorted(cum, hi, side="right")]
        return float(x_lo + (h - lo) * (x_hi - x_lo))

    def distribution(self) -> dict[str, float | int | None]:
        """min, mean, p50, p90, p99 and max of tokens per valid example."""
        return {
            "min": self.minimum,
            "mean": self.mean,
            "p50": self.quantile(0.50),
            "p90": self.quantile(0.90),
            "p99": self.quantile(0.99),
            "max": self.maximum,
        }

    # -- reporting ---------------------------------------------------------------------------

    def warnings(self) -> list[str]:
        """Plain-language warnings a scenario can pass on (invalid lines skipped, capped examples)."""
        out: list[str] = []
        if self.invalid_examples:
            parts = [
                Message(N_("{kind} ({n}; first at line {line})"), kind=e.kind, n=e.count, line=e.first_lines[0]) for e in self.errors.values() if e.first_lines
            ]
            out.append(
                Message(N_("{path}: {n:,} invalid line(s) skipped, not counted: {parts}"), path=self.path, n=self.invalid_examples, parts=join(", ", parts))
            )
        if self.over_limit:
            out.append(
                Message(
                    N_("{path}: {n:,} example(s) above {cap:,} tokens (first at line {line}); billed at the cap and truncated in training"),
                    path=self.path,
                    n=self.over_limit,
                    cap=self.max_tokens_per_example,
                    line=self.over_limit_lines[0],
                )
            )
        if 0 < self.examples < MIN_EXAMPLES:
            out.append(Message(N_("{path}: {n} valid example(s); OpenAI requires at least {least}"), path=self.path, n=self.examples, least=MIN_EXAMPLES))
        if self.tools_not_counted:
            out.append(
                Message(
                    N_(
                        "{path}: {n:,} example(s) have tool definitions that OpenAI's published counting "
                        "method leaves out ({first}); they are billed, so the tool tokens are a lower bound"
                    ),
                    path=self.path,
                    n=self.tools_not_counted,
                    first=self.tools_not_counted_first,
                )
            )
        return out

    def to_dict(self) -> dict:
        return {
            "file": self.path,
            "format": self.format,
            "encoding": self.encoding,
            "lines": self.lines,
            "blank_lines": self.blank_lines,
            "examples": self.examples,
            "invalid_examples": self.invalid_examples,
            "errors": {k: e.to_dict() for k, e in self.errors.items()},
            "tokens_per_example": self.distribution(),
            "total_tokens": self.total_tokens,
            "max_tokens_per_example": self.max_tokens_per_example,
            "examples_over_limit": self.over_limit,
            "examples_over_limit_first_lines": list(self.over_limit_lines),
            "billable_tokens": self.billable_tokens,
            "tool_tokens": self.tool_tokens,
            "examples_with_tools": self.examples_with_tools,
            "examples_with_tools_not_counted": self.tools_not_counted,
        }

    def _error(self, kind: str, line: int, detail: str) -> None:
        e = self.errors.get(kind)
        if e is None:
            e = self.errors[kind] = ErrorSummary(kind)
        e.count += 1
        if len(e.first_lines) < FIRST_LINES:
            e.first_lines.append(line)
        if not e.first_detail:
            e.first_detail = f"line {line}: {detail}"


def training_cost(tokens_per_epoch: float, epochs: float, price_per_million: float) -> float:
    """Cost of one training run.

    Notes
    -----
    ``T = tokens_per_epoch * epochs * price_per_million / 1e6`` (OpenAI's
    fine-tuning guide: price per 1M training tokens / 1M x tokens in the
    training file x epochs).

    Examples
    --------
    OpenAI's published example: 100,000 tokens over 3 epochs on gpt-3.5-turbo
    at $8.00 per 1M training tokens costs ~$2.40.

    >>> round(training_cost(100_000, 3, 8.00), 2)
    2.4
    """
    from ..engine import training_run_cost  # the one formula (engine.training_run_cost)

    return float(training_run_cost(tokens_per_epoch, epochs, price_per_million))


def no_valid_message(stats: DatasetStats) -> str:
    parts = [Message("{kind} ({n})", kind=term(e.description), n=e.count) for e in stats.errors.values()]
    return Message("no valid training example: {kinds}", kinds=join(", ", parts)) if parts else Message("no valid training example")


def no_valid_hint(stats: DatasetStats) -> str:
    first = next(iter(stats.errors.values()), None)
    if first is not None:
        return Message("{detail}; run 'ftcost tokens FILE' for the full report", detail=first.first_detail)
    return Message('one JSON object per line: {{"messages": [{{"role": ..., "content": ...}}]}}')
