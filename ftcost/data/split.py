"""``ftcost data split``: training and validation files, deterministic and without shared duplicates."""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TokenError
from ..i18n import Message
from ..outputs import atomic_path, check_output_path
from .examples import canonical, example_tokens
from .records import Issue, encoding_of, iter_examples, iter_lines, need_file, no_examples


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
        raise TokenError(
            Message("--validation must be a fraction between 0 and 1 (exclusive), got {value!r}", value=validation),
            hint=Message("for example --validation 0.1"),
        )
    need_file(path, "split")
    d_train, d_val = default_split_paths(path)
    train_out = Path(train_out) if train_out is not None else d_train
    validation_out = Path(validation_out) if validation_out is not None else d_val
    check_output_path(train_out, inputs=[path])
    check_output_path(validation_out, inputs=[path, train_out])
    enc, _ = encoding_of(model, encoding)
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
        raise no_examples(path, report.issues)
    if n == 1:
        raise TokenError(Message("one usable example cannot be split into training and validation"), file=str(path))
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
            Message("every example has an exact duplicate group too large for the validation share; nothing to hold out"),
            file=str(path),
            hint=Message("remove the duplicates (ftcost data check lists them) or raise --validation"),
        )

    # Pass 2: copy the lines, as they are, into the two files.
    with atomic_path(train_out, inputs=[path]) as t_tmp, atomic_path(validation_out, inputs=[path]) as v_tmp:
        with open(t_tmp, "w", encoding="utf-8", newline="") as ft, open(v_tmp, "w", encoding="utf-8", newline="") as fv:
            for number, text, _ in iter_lines(path):
                if text is not None and number in keep:
                    (fv if number in chosen else ft).write(text + "\n")
    return report
