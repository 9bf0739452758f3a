"""Counting the examples of a training file one block of lines at a time, with few encoder calls.

Role names are counted once per encoding; a chat example whose messages are
all plain ``{role, content}`` takes a fast path; any other line gets the full
check (the rules of OpenAI's data-preparation notebook, the kinds of
:data:`ftcost.data.stats.ERROR_KINDS`). A text repeated within a block (a
shared system prompt) is encoded once and remembered for later blocks; the
other texts of a block are counted with one encoder call (:func:`count_many`)
instead of one per text, on worker threads when there are idle cores.
Token counts per example:

- chat: ``sum_m (3 + tokens of each value of m + 1 if m has a name) + 3``
- prompt/completion: ``tokens(prompt) + tokens(completion)``
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from ..i18n import N_, Message
from ..reading import LongLine, too_long_message
from ..tokens.chat import (
    REPLY_PRIMING,
    ROLES,
    STRUCTURED_KEYS,
    TOKENS_PER_MESSAGE,
    TOKENS_PER_NAME,
    UNCOUNTED_KEYS,
    check_message,
)
from ..tokens.cuts import count, may_hold_giant_piece
from ..tokens.tools import ToolCount, ToolsError, count_tools
from .stats import FIRST_LINES, DatasetStats

CHAT_KEYS = ("messages", "tools", "functions", "parallel_tool_calls")
PROMPT_KEYS = ("prompt", "completion")
_CACHE_CHARS = 8_000_000  # bound on the text remembered across blocks
_INLINE_STRINGS = 64  # below this many texts a block is encoded inline


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
    if giant:  # a "word" of thousands of characters: counted apart, in linear time (ftcost/tokens/cuts.py)
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


class BlockCounter:
    """Per-block work: parse and check lines, collect the texts to encode, then add up.

    A line over ``max_line_bytes`` came as a ``reading.LongLine`` (its size, not its bytes).
    """

    def __init__(self, stats: DatasetStats, enc, workers: int, keep_counts: bool, max_line_bytes: int):
        self.stats = stats
        self.max_line_bytes = max_line_bytes
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
                st._error("line_too_long", line_no, too_long_message(raw.size, self.max_line_bytes))
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                st.lines += 1
                st.invalid_examples += 1
                st._error("invalid_utf8", line_no, Message("column {column}: byte 0x{byte:02x} is not valid UTF-8", column=exc.start + 1, byte=raw[exc.start]))
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
                st._error("not_json", line_no, Message("JSON nested too deeply"))
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
    from ..tokens.chat import _json_type

    return _json_type(value)
