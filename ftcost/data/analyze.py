"""Training data (JSONL): validation and token counting, streamed (``ftcost tokens FILE.jsonl``).

A training file holds one example per line, in one of two formats:

- chat: ``{"messages": [{"role": "system", "content": "..."}, ...]}``
- prompt/completion: ``{"prompt": "...", "completion": "..."}``

Every line is checked the way OpenAI's data-preparation notebook
(Chat_finetuning_data_prep.ipynb) checks it; a bad line is counted under the
kind of its problem (see ERROR_KINDS) with its line number, and the valid lines
are still counted. Token counts per example:

- chat: ``sum_m (3 + tokens of each value of m + 1 if m has a name) + 3``
- prompt/completion: ``tokens(prompt) + tokens(completion)``

and the billable tokens of one epoch are ``sum_e min(tokens_e, cap)`` with
``cap`` the model's ``max_tokens_per_example``.

How it stays fast and lean: the file is read in blocks of about 1 MB, never
whole, and a line over MAX_LINE_BYTES is skipped without being held. Role
names are counted once per encoding; a text repeated within a block (a shared
system prompt) is encoded once and remembered for later blocks; the other
texts of a block are counted with one encoder call (``counting.count_many``) instead of
one per text. When the machine has idle cores, a few threads encode a block
while the next one is parsed (tiktoken releases the GIL while it encodes).
Token counts are kept as a histogram {tokens: examples}, so memory does not
grow with the file, and the percentiles are still exact. Measurements:
benchmarks/RESULTS-tokens.md.
"""

from __future__ import annotations

import os
from typing import IO

import numpy as np

from ..errors import TokenError
from ..i18n import Message
from ..reading import line_blocks
from ..tokens.encodings import get_encoding
from ..tokens.text import open_input
from .counting import BlockCounter
from .stats import ERROR_KINDS, DatasetStats, no_valid_hint, no_valid_message

MAX_LINE_BYTES = 16 * 1024 * 1024  # a longer line cannot be a real training example
BLOCK_BYTES = 1 << 20


# --- reading ---------------------------------------------------------------------------------------


def _sniff(stream: IO[bytes], name: str) -> bytes:
    """Read the first block and refuse whole-file problems: empty, binary, compressed, a JSON array."""
    head = stream.read(BLOCK_BYTES)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head.strip():
        raise TokenError(Message("training file is empty (no examples)"), file=name, hint=Message('one JSON object per line: {{"messages": [...]}}'))
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise TokenError(Message("training file is UTF-16, not UTF-8"), file=name, hint=Message("save it as UTF-8"))
    if head[:2] == b"\x1f\x8b":
        raise TokenError(Message("training file is gzip-compressed"), file=name, hint=Message("decompress it first (gunzip)"))
    if b"\x00" in head[:8192]:
        raise TokenError(Message("this looks like a binary file (it contains NUL bytes), not JSON Lines"), file=name, hint=Message("give a UTF-8 .jsonl file"))
    if head.lstrip()[:1] == b"[":
        raise TokenError(
            Message("training file is a JSON array, not JSON Lines (one example per line)"),
            file=name,
            line=1,
            hint=Message("convert it, e.g. jq -c '.[]' data.json > data.jsonl"),
        )
    return head


class _Chain:
    """A stream that first returns ``head`` and then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self.head = head
        self.stream = stream

    def read(self, n: int) -> bytes:
        if self.head:
            out, self.head = self.head, b""
            return out
        return self.stream.read(n)


def default_workers() -> int:
    """Encoding threads to use: 2 to 4 when the machine has idle cores, else 0 (all on one thread).

    Threads pay off only when cores are free: on a 2-core machine, encoding
    on two threads ran up to 1.6x as fast as on one while the cores were
    idle (tiktoken releases the GIL while it encodes), and 0.6x to 0.95x as
    fast while other processes kept them busy (benchmarks/RESULTS-tokens.md).
    So the count follows the idle cores (cores minus the 1-minute load
    average), as ``make -l`` does: one idle core on average is enough, since
    the parsing thread is this process's own.
    """
    n = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on every platform
        load = 0.0
    if n < 2 or n - load < 1.0:
        return 0
    return min(4, n)


def analyze_dataset(
    path: str | os.PathLike,
    *,
    encoding: str,
    max_tokens_per_example: int | None,
    workers: int | None = None,
    keep_counts: bool = False,
    allow_empty: bool = False,
    block_bytes: int = BLOCK_BYTES,
) -> DatasetStats:
    """Check and count a JSONL training file (``-`` for standard input), streaming it.

    Parameters
    ----------
    path : the file.
    encoding : a bundled encoding name (``tokens.available_encodings()``).
    max_tokens_per_example : the model's cap; billable tokens of an example are
        ``min(tokens, cap)``. None: no cap.
    workers : encoding threads; 0 encodes on the calling thread; None picks
        ``default_workers()``.
    keep_counts : also return each valid example's tokens (``token_counts``).
    allow_empty : return the stats even when no line is valid (the CLI reports
        them); by default that is a TokenError.

    Raises
    ------
    TokenError : the file is missing, a directory, empty, binary, compressed or
        a JSON array; or (unless ``allow_empty``) no valid example remains.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "t.jsonl")
    >>> _ = open(p, "w").write('{"prompt": "Great phone", "completion": " 5"}\\nnot json\\n')
    >>> s = analyze_dataset(p, encoding="o200k_base", max_tokens_per_example=None, allow_empty=True)
    >>> s.examples, s.invalid_examples, s.billable_tokens, s.errors["not_json"].first_lines
    (1, 1, 4, [2])
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    enc = get_encoding(encoding)
    if max_tokens_per_example is not None and (isinstance(max_tokens_per_example, bool) or int(max_tokens_per_example) < 1):
        raise TokenError(Message("max_tokens_per_example must be a whole number >= 1, got {value!r}", value=max_tokens_per_example))
    stats = DatasetStats(name, encoding, None if max_tokens_per_example is None else int(max_tokens_per_example))
    stream = open_input(path, what="training file")
    counter = BlockCounter(stats, enc, default_workers() if workers is None else int(workers), keep_counts, MAX_LINE_BYTES)
    try:
        head = _sniff(stream, name)
        line = 1
        pending = None
        for raws in line_blocks(_Chain(head, stream), block_bytes, MAX_LINE_BYTES):
            parsed = counter.parse_block(raws, line)
            line += len(raws)
            if pending is not None:
                counter.finish_block(pending)
            pending = parsed
        if pending is not None:
            counter.finish_block(pending)
    except OSError as exc:
        raise TokenError(Message("cannot read training file: {reason}", reason=str(exc.strerror or exc)), file=name) from None
    finally:
        counter.close()
        if hasattr(stream, "close") and str(path) != "-":
            stream.close()
    if counter.keep is not None:
        stats.token_counts = np.concatenate(counter.keep) if counter.keep else np.zeros(0, dtype=np.int64)
    stats.errors = {k: stats.errors[k] for k in ERROR_KINDS if k in stats.errors}
    if stats.examples == 0 and not allow_empty:
        raise TokenError(no_valid_message(stats), file=name, hint=no_valid_hint(stats))
    return stats
