"""The token counts a scenario asks for: ``prompt_file``, ``messages`` and ``training.dataset``.

Counted offline with the model's encoding (:mod:`ftcost.tokens`,
:mod:`ftcost.data`); a file that cannot be read or counted is a located error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from ..catalogs import Model
from ..errors import FtcostError, ScenarioError
from ..i18n import N_, Message
from ..yamlsrc import read_text_file
from .checker import _Checker

MAX_PROMPT_FILE_BYTES = 50 * 1024 * 1024


def _encoding_for(chk: _Checker, model: Model, path: tuple[str | int, ...]) -> str:
    if not model.encoding:
        raise chk.fail(
            path,
            Message("{model} has no tokenizer in its catalog, so ftcost cannot count its tokens", model=model.ref),
            Message("give the count as a number instead (prompt_tokens / training.tokens)"),
        )
    return model.encoding


def _count_prompt_file(chk: _Checker, req: dict[str, Any], rp: tuple[str | int, ...], model: Model, base_dir: Path) -> tuple[float, str]:
    from .. import tokens as tok

    p = rp + ("prompt_file",)
    rel = req["prompt_file"]
    if not isinstance(rel, str):
        raise chk.fail(p, Message("prompt_file must be a path"))
    enc = _encoding_for(chk, model, p)
    path = Path(rel) if Path(rel).is_absolute() else base_dir / rel
    try:
        text = read_text_file(path, what=N_("prompt file"), max_bytes=MAX_PROMPT_FILE_BYTES, error_cls=ScenarioError)
        n = tok.count_text(text, enc)
    except FtcostError as exc:
        raise chk.fail(p, Message("{file}: {message}", file=rel, message=exc.message), exc.hint) from None
    return float(n), f"prompt_file {rel} ({enc}, {n:,} tokens)"


def _count_messages(chk: _Checker, req: dict[str, Any], rp: tuple[str | int, ...], model: Model) -> tuple[float, str]:
    from .. import tokens as tok

    p = rp + ("messages",)
    msgs = req["messages"]
    if not isinstance(msgs, list) or not msgs:
        raise chk.fail(p, Message("messages must be a list of {{role, content}}"))
    enc = _encoding_for(chk, model, p)
    try:
        n = tok.count_messages(msgs, enc)
    except FtcostError as exc:
        # The counter's path names the message (messages[2]): point the error there.
        # (FtcostError.path holds objects; the counter's are keys and indexes.)
        inner = cast("tuple[str | int, ...]", tuple(x for x in exc.path if not (isinstance(x, str) and x == "messages")))
        raise chk.fail(p + inner, exc.message, exc.hint) from None
    return float(n), f"messages ({len(msgs)} messages, {enc}, OpenAI chat counting)"


def _count_dataset(chk: _Checker, t: dict[str, Any], path: tuple[str | int, ...], model: Model, base_dir: Path) -> tuple[float, int, str, list[str]]:
    from .. import data as datasets

    p = path + ("dataset",)
    rel = t["dataset"]
    if not isinstance(rel, str):
        raise chk.fail(p, Message("dataset must be a path to a JSONL file"))
    enc = _encoding_for(chk, model, p)
    fpath = Path(rel) if Path(rel).is_absolute() else base_dir / rel
    try:
        if fpath.exists() and not fpath.is_file() and not fpath.is_dir():
            # a FIFO would block the run forever, a device may never end: a scenario names regular files only
            raise chk.fail(p, Message("{file}: training file is not a regular file", file=rel), Message("pipes, devices and sockets are not read"))
        stats = datasets.analyze_dataset(fpath, encoding=enc, max_tokens_per_example=model.max_tokens_per_example)
    except OSError as exc:  # a name too long, a loop of links
        raise chk.fail(p, Message("{file}: cannot read training file: {reason}", file=rel, reason=exc.strerror or exc)) from None
    except FtcostError as exc:
        raise chk.fail(p, Message("{file}: {message}", file=rel, message=exc.message), exc.hint) from None
    bad_tools = stats.errors.get("invalid_tools")
    if bad_tools is not None:
        raise chk.fail(
            p,
            Message("{file}: {n:,} example(s) have tool definitions that cannot be read ({first})", file=rel, n=bad_tools.count, first=bad_tools.first_detail),
            'tools must be [{"type": "function", "function": {"name": ..., "description": ..., "parameters": {...}}}]; '
            "their tokens are billed, so ftcost does not skip them",
        )
    if stats.examples == 0:
        raise chk.fail(p, Message("{file} has no valid training examples", file=rel), Message("run 'ftcost tokens {file}' to see what is wrong", file=rel))
    note = f"dataset {rel} ({stats.examples:,} examples, {int(stats.billable_tokens):,} billable tokens per epoch, {enc})"
    if stats.invalid_examples:
        note += f"; {stats.invalid_examples:,} invalid lines skipped"
    if stats.examples_with_tools:
        note += f"; {stats.tool_tokens:,} of them tool definitions (OpenAI cookbook's function-token count)"
    warnings = [w for w in stats.warnings() if "tool definitions" in w or "above" in w]
    if model.max_tokens_per_example is None and model.context_window and stats.histogram:
        over = sum(n for v, n in stats.histogram.items() if v > model.context_window)
        if over:
            warnings.append(
                Message(
                    N_(
                        "{path}: {n:,} example(s) are longer than {model}'s context window ({window:,} tokens); "
                        "no per-example limit is published for it, so they are counted in full"
                    ),
                    path=rel,
                    n=over,
                    model=model.ref,
                    window=model.context_window,
                )
            )
    return float(stats.billable_tokens), int(stats.examples), note, warnings
