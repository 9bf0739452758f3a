"""``ftcost data savings``: tokens per request with a few-shot prompt and with a fine-tuned model,
measured on a dataset, and the scenario that compares them."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import tokens as tok
from ..errors import TokenError
from ..i18n import Message
from ..outputs import check_output_path
from .examples import request_tokens
from .records import Issue, iter_examples, need_file, no_examples, plural

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
    need_file(dataset, "savings")
    tuned_model = tuned_model or model
    if getattr(tuned_model, "fine_tuning", None) is None:
        raise TokenError(
            Message("{model} has no fine-tuning prices in its catalog, so it cannot be the fine-tuned model", model=tuned_model.ref),
            hint=Message("name a fine-tunable model with --tuned-model (ftcost pricing lists them)"),
        )
    enc = tok.encoding_for_model(model)
    tuned_enc = tok.encoding_for_model(tuned_model)
    from ..yamlsrc import read_text_file

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
        raise no_examples(dataset, result.issues)
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
        f"      input_tokens: {few['input_tokens']}  # mean input of {plural(n, 'example')} in {s.dataset}",
        f"      completion_tokens: {few['completion_tokens']}  # mean reply of the same examples",
        "      # add cached_prompt_tokens if the provider caches the prompt prefix",
        "  - name: fine-tuned",
        "    type: fine_tuned",
        f"    model: {_q(s.tuned_model.ref)}",
        "    request:",
        f"      input_tokens: {tuned['input_tokens']}  # only the example's own input ({s.tuned_model.encoding})",
        f"      completion_tokens: {tuned['completion_tokens']}",
        "    training:",
        f"      dataset: {_q(ds)}  # {plural(n, 'example')}, counted when the scenario loads",
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
    from ..outputs import write_atomic

    if not (isinstance(volume, (int, float)) and math.isfinite(volume) and volume >= 0):
        raise TokenError(Message("--volume must be a number of requests per month >= 0, got {value}", value=volume))
    if isinstance(horizon_months, bool) or not isinstance(horizon_months, int) or horizon_months < 1:
        raise TokenError(Message("--horizon must be a whole number of months >= 1, got {value}", value=horizon_months))
    check_output_path(path, inputs=[s.prompt_file, s.dataset], extensions=(".yaml", ".yml"), stdout_ok=True)
    text = savings_scenario_yaml(s, path, volume=volume, horizon_months=horizon_months)
    return write_atomic(path, text, inputs=[s.prompt_file, s.dataset], extensions=(".yaml", ".yml"), stdout_ok=True)
