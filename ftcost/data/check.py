"""``ftcost data check``: validate a JSONL dataset and advise on it.

Per line, the checks of :mod:`ftcost.data.records`; per example, the findings
of :mod:`ftcost.data.findings`; for the whole file, the counts of ``ftcost
tokens`` (:func:`ftcost.data.analyze.analyze_dataset`) and advice on its size
(the thresholds below, sources in docs/data.md). The text for a terminal is
``ftcost.render.data_text.format_check``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import tokens as tok
from .examples import digest, example_parts, example_tokens, split_completion, split_prompt
from .findings import Fact, find_issues
from .records import LEGACY, Issue, Record, encoding_of, iter_examples, need_file, plural
from .stats import MIN_EXAMPLES, training_cost

if TYPE_CHECKING:  # numpy is imported where it is used
    import numpy as np

# --- how many examples (sources in docs/data.md) -------------------------------------------------
# OpenAI fine-tuning guide: "To fine-tune a model, you are required to provide
# at least 10 examples"; a job with fewer is rejected (MIN_EXAMPLES, in stats).
# Same guide: "We typically see clear improvements from fine-tuning on 50 to
# 100 training examples"; below 50 a fine-tune rarely helps.
CLEAR_IMPROVEMENT_EXAMPLES = (50, 100)
# The review-to-star-rating lesson's rule of thumb: "a few hundred
# high-quality examples". ftcost reads "a few hundred" as 200 or more.
FEW_HUNDRED = 200


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
    stats: Any = None  # the stats.DatasetStats of `ftcost tokens`
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
    ``analyze.analyze_dataset``, the counts of ``ftcost tokens``, once for the findings).

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
    need_file(path, "check")
    enc, enc_note = encoding_of(model, encoding)
    limit = getattr(model, "max_tokens_per_example", None) if model is not None else None
    report = CheckReport(
        file=str(path), encoding=enc, model=getattr(model, "ref", None), max_tokens_per_example=limit, currency=getattr(model, "currency", "USD") or "USD"
    )

    # The validation and counts of `ftcost tokens` (whole-file problems such as
    # an empty, binary or compressed file are raised here).
    from .analyze import analyze_dataset

    stats = analyze_dataset(path, encoding=enc, max_tokens_per_example=limit, allow_empty=True, keep_counts=True)
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
    usable: list[Fact] = []
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
        usable.append(Fact(item.line, 0, digest(item.data), digest(inp), digest(answer), answer[:200], sep, lead, stop))
    counts: Sequence[int] | np.ndarray | None = stats.token_counts
    if counts is None or len(counts) != len(usable):  # not expected: both readers apply the same rules
        counts = [example_tokens(r, enc) for r in iter_examples(path) if isinstance(r, Record)]
    for f, n in zip(usable, counts):
        f.tokens = int(n)

    report.issues.extend(find_issues(usable, limit, report.format))
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
        add(Advice("warning", f"{plural(dups, 'exact duplicate')}: they weigh those examples more and are billed every epoch"))
    if n >= 2 * MIN_EXAMPLES and n >= 20:
        add(Advice("note", "hold out about 10% as a validation set to see over-fitting (ftcost data split; validation tokens are not billed)"))
