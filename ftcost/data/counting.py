"""Training data (JSONL): validation and token counting, streamed.

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
texts of a block are counted with one encoder call (``count_many``) instead of
one per text. When the machine has idle cores, a few threads encode a block
while the next one is parsed (tiktoken releases the GIL while it encodes).
Token counts are kept as a histogram {tokens: examples}, so memory does not
grow with the file, and the percentiles are still exact. Measurements:
benchmarks/RESULTS-tokens.md.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

from .errors import TokenError
from .i18n import N_, Message, join
from .reading import LongLine, line_blocks, too_long_message
from .token_cuts import count, may_hold_giant_piece
from .tokens import (
    REPLY_PRIMING,
    ROLES,
    STRUCTURED_KEYS,
    TOKENS_PER_MESSAGE,
    TOKENS_PER_NAME,
    UNCOUNTED_KEYS,
    check_message,
    get_encoding,
    open_input,
)
from .tool_tokens import ToolCount, ToolsError, count_tools

# Problems a line can have, in the order they are reported.
ERROR_KINDS = {
    "invalid_utf8": "not valid UTF-8",
    "line_too_long": "line longer than the limit",
    "not_json": "not JSON",
    "not_an_object": "not a JSON object",
    "missing_messages": "missing or empty messages (or prompt/completion)",
    "message_not_object": "a message is not an object",
    "unknown_role": "missing or unknown role",
    "missing_content": "missing content",
    "unrecognized_key": "unrecognised key",
    "no_assistant_message": "no assistant message",
    "empty_prompt_or_completion": "empty prompt or completion",
    "mixed_format": "format differs from the first valid example",
    "invalid_tools": "tool definitions that cannot be read",
}

CHAT_KEYS = ("messages", "tools", "functions", "parallel_tool_calls")
PROMPT_KEYS = ("prompt", "completion")
FIRST_LINES = 5  # line numbers kept per error kind
MAX_LINE_BYTES = 16 * 1024 * 1024  # a longer line cannot be a real training example
BLOCK_BYTES = 1 << 20
MIN_EXAMPLES = 10  # OpenAI's minimum number of training examples
_CACHE_CHARS = 8_000_000  # bound on the text remembered across blocks
_INLINE_STRINGS = 64  # below this many texts a block is encoded inline


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
    # Tool (function) definitions of chat examples, counted with OpenAI's cookbook method (ftcost.tool_tokens);
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
    from .engine import training_run_cost  # the one formula (engine.training_run_cost)

    return float(training_run_cost(tokens_per_epoch, epochs, price_per_million))


# --- reading ---------------------------------------------------------------------------------------


def _sniff(stream: IO[bytes], name: str) -> bytes:
    """Read the first block and refuse whole-file problems: empty, binary, compressed, a JSON array."""
    head = stream.read(BLOCK_BYTES)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head.strip():
        raise TokenError("training file is empty (no examples)", file=name, hint='one JSON object per line: {"messages": [...]}')
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise TokenError("training file is UTF-16, not UTF-8", file=name, hint="save it as UTF-8")
    if head[:2] == b"\x1f\x8b":
        raise TokenError("training file is gzip-compressed", file=name, hint="decompress it first (gunzip)")
    if b"\x00" in head[:8192]:
        raise TokenError("this looks like a binary file (it contains NUL bytes), not JSON Lines", file=name, hint="give a UTF-8 .jsonl file")
    if head.lstrip()[:1] == b"[":
        raise TokenError(
            "training file is a JSON array, not JSON Lines (one example per line)",
            file=name,
            line=1,
            hint="convert it, e.g. jq -c '.[]' data.json > data.jsonl",
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


# --- counting --------------------------------------------------------------------------------------


EOT = "<|endoftext|>"


def count_many(enc, texts: list[str]) -> np.ndarray:
    r"""Token counts of many texts with one encoder call.

    The texts are joined with the special token ``<|endoftext|>`` and encoded
    with only that token allowed: tiktoken splits the input at each allowed
    special token and encodes the pieces between them independently, so
    counting the tokens between separators gives each text's own count, with
    one call (and one release of the GIL) instead of one per text. A text that
    itself contains ``<|endoftext|>`` would break this, so such a batch is
    counted text by text, and so is one with a lone surrogate (which
    ``encode_ordinary`` replaces with U+FFFD, as tiktoken does).

    >>> from ftcost.tokens import get_encoding, count_text
    >>> texts = ["Hello there", " spaced ", "", "line\n\n"]
    >>> count_many(get_encoding("cl100k_base"), texts).tolist() == [count_text(t, "cl100k_base") for t in texts]
    True
    """
    if not texts:
        return np.zeros(0, dtype=np.int64)
    giant = [i for i, t in enumerate(texts) if may_hold_giant_piece(t)]
    if giant:  # a "word" of thousands of characters: counted apart, in linear time (ftcost/token_cuts.py)
        out = np.zeros(len(texts), dtype=np.int64)
        skip = set(giant)
        rest = [i for i in range(len(texts)) if i not in skip]
        out[rest] = count_many(enc, [texts[i] for i in rest])
        out[giant] = [count(enc, texts[i]) for i in giant]
        return out
    joined = EOT.join(texts)
    ids = None
    if joined.count(EOT) == len(texts) - 1:
        try:
            ids = enc.encode_to_numpy(joined, allowed_special={EOT}, disallowed_special=())
        except UnicodeEncodeError:
            pass  # a lone surrogate ("\ud800" in the JSON): encode_ordinary replaces it, as tiktoken does
    if ids is None:
        encode = enc.encode_ordinary
        return np.array([len(encode(t)) for t in texts], dtype=np.int64)
    cuts = np.flatnonzero(ids == enc.eot_token)
    return np.diff(np.concatenate(([-1], cuts, [len(ids)]))) - 1


class _Counter:
    """Per-block work: parse and check lines, collect the texts to encode, then add up."""

    def __init__(self, stats: DatasetStats, enc, workers: int, keep_counts: bool):
        self.stats = stats
        self.enc = enc
        self.encode = enc.encode_ordinary
        self.role_tokens = {r: len(enc.encode_ordinary(r)) for r in ROLES}
        self.cache: dict[str, int] = {}
        self.cache_chars = 0
        self.workers = workers
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="ftcost-tokens") if workers > 0 else None
        self.keep: list[np.ndarray] | None = [] if keep_counts else None
        self.cap = stats.max_tokens_per_example
        self.tool_cache: dict[str, ToolCount] = {}

    def count_tools(self, obj: dict) -> ToolCount:
        """Tokens of an example's tools/functions (OpenAI's cookbook method); the same definitions are counted once."""
        tools, functions = obj.get("tools"), obj.get("functions")
        key = json.dumps([tools, functions], sort_keys=True, ensure_ascii=False)
        hit = self.tool_cache.get(key)
        if hit is None:
            encode = self.encode
            hit = count_tools(tools, functions, self.stats.encoding, lambda t: len(encode(t)))
            if len(self.tool_cache) > 4096:
                self.tool_cache.clear()
            self.tool_cache[key] = hit
        return hit

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    # texts of one block -> token counts, on the workers
    def _encode_all(self, texts: list[str]) -> np.ndarray:
        return count_many(self.enc, texts)

    def submit(self, texts: list[str]):
        """Start encoding ``texts``; return a function that waits for their counts."""
        if self.pool is None or len(texts) < _INLINE_STRINGS:
            result = self._encode_all(texts)
            return lambda: result
        n = len(texts)
        step = -(-n // self.workers)
        futures = [self.pool.submit(self._encode_all, texts[i : i + step]) for i in range(0, n, step)]
        return lambda: np.concatenate([f.result() for f in futures])

    def parse_block(self, raws: list, first_line: int):
        """Check each line; return what finishing the block needs (texts are being encoded)."""
        st = self.stats
        cache = self.cache
        role_tokens = self.role_tokens
        loads = json.loads
        fixed: list[int] = []  # per valid example: the tokens known without encoding
        lines: list[int] = []  # per valid example: its line number
        owners: list[int] = []  # per text reference: the example it belongs to
        refs: list[int] = []  # per text reference: index into texts
        texts: list[str] = []
        index: dict[str, int] = {}
        repeats: set[int] = set()

        def ref(text: str, ex: int) -> int:
            k = cache.get(text)
            if k is not None:
                return k
            i = index.get(text)
            if i is None:
                i = index[text] = len(texts)
                texts.append(text)
            else:
                repeats.add(i)
            owners.append(ex)
            refs.append(i)
            return 0

        line_no = first_line - 1
        for raw in raws:
            line_no += 1
            if isinstance(raw, LongLine):
                st.lines += 1
                st.invalid_examples += 1
                st._error("line_too_long", line_no, too_long_message(raw.size, MAX_LINE_BYTES))
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                st.lines += 1
                st.invalid_examples += 1
                st._error("invalid_utf8", line_no, f"column {exc.start + 1}: byte 0x{raw[exc.start]:02x} is not valid UTF-8")
                continue
            if not text.strip():
                st.blank_lines += 1
                continue
            st.lines += 1
            try:
                obj = loads(text)
            except json.JSONDecodeError as exc:
                st.invalid_examples += 1
                st._error("not_json", line_no, f"column {exc.colno}: {exc.msg}")
                continue
            except RecursionError:
                st.invalid_examples += 1
                st._error("not_json", line_no, "JSON nested too deeply")
                continue
            except ValueError as exc:  # e.g. an integer longer than Python's 4,300-digit limit
                st.invalid_examples += 1
                st._error("not_json", line_no, str(exc).split(";")[0])
                continue
            ex = len(fixed)
            # Fast path: a chat example whose messages are all {role, content} with text content.
            if type(obj) is dict and len(obj) == 1 and st.format != "prompt_completion":
                messages = obj.get("messages")
                if type(messages) is list and messages:
                    mark = len(refs)
                    total = REPLY_PRIMING
                    assistant = False
                    for m in messages:
                        if type(m) is not dict or len(m) != 2:
                            break
                        role = m.get("role")
                        content = m.get("content")
                        if type(role) is not str or type(content) is not str or not content:
                            break
                        role_n = role_tokens.get(role)
                        if role_n is None:
                            break
                        total += TOKENS_PER_MESSAGE + role_n
                        if not assistant and role == "assistant":
                            assistant = True
                        k = cache.get(content)
                        if k is None:
                            i = index.get(content)
                            if i is None:
                                i = index[content] = len(texts)
                                texts.append(content)
                            else:
                                repeats.add(i)
                            owners.append(ex)
                            refs.append(i)
                        else:
                            total += k
                    else:
                        if assistant:
                            if st.format is None:
                                st.format = "chat"
                            fixed.append(total)
                            lines.append(line_no)
                            continue
                    del owners[mark:], refs[mark:]
            # Full check, every rule, with the reasons.
            problems = self._check(obj, line_no)
            if isinstance(problems, list):
                st.invalid_examples += 1
                seen = set()
                for kind, detail in problems:
                    if kind not in seen:
                        seen.add(kind)
                        st._error(kind, line_no, detail)
                continue
            fmt = problems
            if fmt == "chat":
                total = REPLY_PRIMING
                if obj.get("tools") is not None or obj.get("functions") is not None:
                    try:
                        tc = self.count_tools(obj)
                    except ToolsError as exc:
                        st.invalid_examples += 1
                        st._error("invalid_tools", line_no, str(exc))
                        continue
                    total += tc.tokens
                    st.tool_tokens += tc.tokens
                    st.examples_with_tools += 1
                    if tc.uncounted:
                        st.tools_not_counted += 1
                        if not st.tools_not_counted_first:
                            st.tools_not_counted_first = Message(N_("first at line {line}: {key}"), line=line_no, key=tc.uncounted[0])
                for m in obj["messages"]:
                    total += TOKENS_PER_MESSAGE + role_tokens[m["role"]]
                    for key, value in m.items():
                        if key == "role" or key in UNCOUNTED_KEYS or value is None:
                            continue
                        if key == "name":
                            total += TOKENS_PER_NAME
                        if not isinstance(value, str):
                            if key not in STRUCTURED_KEYS:
                                continue
                            value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
                        total += ref(value, ex)
            else:
                total = ref(obj["prompt"], ex) + ref(obj["completion"], ex)
            fixed.append(total)
            lines.append(line_no)
        pending = self.submit(texts)
        return (fixed, lines, owners, refs, texts, repeats, pending)

    def _check(self, obj: Any, line_no: int):
        """The format (``"chat"``, ``"prompt_completion"``) of a valid example, else a list of ``(kind, detail)``."""
        st = self.stats
        if not isinstance(obj, dict):
            return [("not_an_object", f"expected a JSON object, got {_kind(obj)}")]
        problems: list[tuple[str, str]] = []
        if "messages" in obj:
            fmt = "chat"
            for key in obj:
                if key not in CHAT_KEYS:
                    problems.append(("unrecognized_key", f"unrecognised key {key!r} in a chat example (expected {', '.join(CHAT_KEYS)})"))
                    break
            messages = obj["messages"]
            if not isinstance(messages, list) or not messages:
                problems.append(("missing_messages", "'messages' must be a non-empty list" if messages else "'messages' is empty"))
            else:
                assistant = False
                for i, m in enumerate(messages):
                    for kind, detail in check_message(m):
                        problems.append((kind, f"messages[{i}]: {detail}"))
                    if isinstance(m, dict) and m.get("role") == "assistant":
                        assistant = True
                if not assistant:
                    problems.append(("no_assistant_message", "no message has role 'assistant'"))
        elif "prompt" in obj or "completion" in obj:
            fmt = "prompt_completion"
            for key in obj:
                if key not in PROMPT_KEYS:
                    problems.append(("unrecognized_key", f"unrecognised key {key!r} in a prompt/completion example"))
                    break
            for key in PROMPT_KEYS:
                value = obj.get(key)
                if not isinstance(value, str) or not value:
                    what = "missing" if key not in obj else ("empty" if value == "" else f"{_kind(value)}, not text")
                    problems.append(("empty_prompt_or_completion", f"'{key}' is {what}"))
        else:
            keys = ", ".join(repr(k) for k in list(obj)[:5]) or "none"
            return [("missing_messages", f"no 'messages' (chat) or 'prompt'/'completion'; keys: {keys}")]
        if problems:
            return problems
        if st.format is None:
            st.format = fmt
        elif fmt != st.format:
            return [("mixed_format", f"a {fmt.replace('_', '/')} example in a {st.format.replace('_', '/')} file")]
        return fmt

    def finish_block(self, parsed) -> None:
        fixed, lines, owners, refs, texts, repeats, pending = parsed
        st = self.stats
        counts = pending()
        if not fixed:
            return
        per_example = np.asarray(fixed, dtype=np.int64)
        if refs:
            lens = np.asarray(counts, dtype=np.int64)
            per_example += np.bincount(np.asarray(owners, dtype=np.intp), weights=lens[np.asarray(refs, dtype=np.intp)], minlength=len(fixed)).astype(np.int64)
        # remember the texts repeated in this block (a shared system prompt): the next blocks skip them
        for i in repeats:
            t = texts[i]
            if self.cache_chars + len(t) > _CACHE_CHARS:
                self.cache.clear()
                self.cache_chars = 0
            if len(t) <= _CACHE_CHARS // 8:
                self.cache[t] = int(counts[i])
                self.cache_chars += len(t)
        st.examples += len(fixed)
        st.total_tokens += int(per_example.sum())
        if self.cap is not None:
            over = per_example > self.cap
            n_over = int(over.sum())
            if n_over:
                st.over_limit += n_over
                room = FIRST_LINES - len(st.over_limit_lines)
                if room > 0:
                    st.over_limit_lines += [lines[i] for i in np.flatnonzero(over)[:room]]
            st.billable_tokens += int(np.minimum(per_example, self.cap).sum())
        else:
            st.billable_tokens += int(per_example.sum())
        values, freq = np.unique(per_example, return_counts=True)
        hist = st.histogram
        for v, f in zip(values.tolist(), freq.tolist()):
            hist[v] = hist.get(v, 0) + f
        if self.keep is not None:
            self.keep.append(per_example)


def _kind(value: Any) -> str:
    from .tokens import _json_type

    return _json_type(value)


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
        raise TokenError(f"max_tokens_per_example must be a whole number >= 1, got {max_tokens_per_example!r}")
    stats = DatasetStats(name, encoding, None if max_tokens_per_example is None else int(max_tokens_per_example))
    stream = open_input(path, what="training file")
    counter = _Counter(stats, enc, default_workers() if workers is None else int(workers), keep_counts)
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
        raise TokenError(f"cannot read training file: {exc.strerror or exc}", file=name) from None
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


def no_valid_message(stats: DatasetStats) -> str:
    parts = [f"{e.description} ({e.count})" for e in stats.errors.values()]
    return "no valid training example" + (": " + ", ".join(parts) if parts else "")


def no_valid_hint(stats: DatasetStats) -> str:
    first = next(iter(stats.errors.values()), None)
    if first is not None:
        return first.first_detail + "; run 'ftcost tokens FILE' for the full report"
    return 'one JSON object per line: {"messages": [{"role": ..., "content": ...}]}'
