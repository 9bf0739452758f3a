"""Scenario specs (:class:`.write.Spec`) from a calibration or from ``ftcost init``'s answers."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from ..i18n import Message
from .fit import Calibration, distributions
from .formats import LogError
from .write import Spec, StrategySpec

CHAT_OVERHEAD_TOKENS = 15  # chat formatting per training example, as in scenarios/review-stars.yaml
SHORT_PROMPT_TOKENS = 40  # a one-line instruction left to a fine-tuned model


def _fmt(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.1f}"


@dataclass
class Answers:
    """What ``ftcost init`` asks (every one has a default)."""

    task: str = "Classify support tickets"
    model: str = "openai/gpt-4o-mini"
    prompt_tokens: float | None = 1500.0  # the fixed instructions and examples
    prompt_file: str | None = None  # instead of prompt_tokens: counted with the model's encoding
    input_tokens: float = 200.0
    completion_tokens: float = 20.0
    requests_per_month: float = 100_000.0  # per day when per_day
    per_day: bool = False
    growth_per_month: float = 0.0
    candidate: str = "azure-openai/gpt-4.1-nano"
    dataset: str | None = None
    training_examples: int = 1000
    horizon_months: int = 12
    start: str | None = None


def providers(*models: str) -> list[str]:
    out: list[str] = []
    for m in models:
        if "/" in m and m.split("/", 1)[0] not in out:
            out.append(m.split("/", 1)[0])
    return out


def candidate_strategy(model: str, input_tokens: float, completion_tokens: float, *, dataset: str | None, examples: int) -> StrategySpec:
    per_example = SHORT_PROMPT_TOKENS + input_tokens + completion_tokens + CHAT_OVERHEAD_TOKENS
    training: dict[str, Any]
    if dataset:
        training = {"dataset": dataset, "epochs": "auto"}
        tcomments = ["Training tokens and examples are counted from the dataset (OpenAI's method, docs/design.md)."]
    else:
        training = {"tokens": round(examples * per_example), "examples": examples, "epochs": "auto"}
        tcomments = [
            f"A guess until there is a dataset: {examples:,} examples of about {_fmt(per_example)} tokens",
            (
                f"({SHORT_PROMPT_TOKENS} instruction + {_fmt(input_tokens)} input + {_fmt(completion_tokens)} answer"
                f" + {CHAT_OVERHEAD_TOKENS} chat formatting). Replace with dataset: FILE.jsonl when you have one."
            ),
        ]
    return StrategySpec(
        name="fine-tuned",
        type="fine_tuned",
        model=model,
        request={"prompt_tokens": SHORT_PROMPT_TOKENS, "input_tokens": round(input_tokens, 1), "completion_tokens": round(completion_tokens, 1)},
        request_comments=[f"The tuned model has learned the instructions: a {SHORT_PROMPT_TOKENS}-token system message remains."],
        training=training,
        training_comments=tcomments,
        comments=["The candidate: fine-tune a model and send it short prompts."],
    )


def from_answers(a: Answers) -> Spec:
    request: dict = {}
    if a.prompt_file:
        request["prompt_file"] = a.prompt_file
        pcomment = f"The fixed instructions and examples, counted from {a.prompt_file} with the model's encoding."
    else:
        request["prompt_tokens"] = round(a.prompt_tokens or 0, 1)
        pcomment = "The fixed instructions and examples sent with every request, in tokens."
    request["input_tokens"] = round(a.input_tokens, 1)
    request["completion_tokens"] = round(a.completion_tokens, 1)
    current = StrategySpec(
        name="prompt",
        type="prompt",
        model=a.model,
        request=request,
        request_comments=[pcomment, "input_tokens: the per-request content; completion_tokens: the answer."],
        comments=["What runs today: the model with the full prompt on every request."],
    )
    cand = candidate_strategy(a.candidate, a.input_tokens, a.completion_tokens, dataset=a.dataset, examples=a.training_examples)
    return Spec(
        name=a.task,
        description=f"{a.task}: prompting {a.model} vs fine-tuning {a.candidate}",
        header=[
            "Written by ftcost init. Every number is an answer to one of its questions; edit freely.",
            "Run: ftcost compare THIS_FILE   (ftcost validate THIS_FILE checks it)",
        ],
        horizon_months=a.horizon_months,
        start=a.start,
        requests_per_month=round(a.requests_per_month, 1),
        growth_per_month=a.growth_per_month,
        volume_key="requests_per_day" if a.per_day else "requests_per_month",
        volume_comments=[
            (f"Requests per {'day (x 365/12 a month)' if a.per_day else 'month'} in the first month, growing by growth_per_month each month (compound).")
        ],
        strategies=[current, cand],
        pricing=providers(a.model, a.candidate),
    )


def from_calibration(
    cal: Calibration,
    model: str,
    *,
    candidate: str | None = None,
    prompt_tokens: float | None = None,
    horizon: int = 12,
    name: str | None = None,
    dataset: str | None = None,
    examples: int = 1000,
) -> Spec:
    """A scenario whose volume and request are the log's; ``model`` is the catalog model that prices it."""
    dist = distributions(cal)
    f = cal.fit
    t = cal.tokens
    first, last = cal.months[0].month, cal.months[-1].month
    used = f.months_used
    vcomments = [
        f"Calibrated by ftcost calibrate from {len(cal.files)} log file(s) ({cal.format}), {first} to {last}.",
        f"Fit: ln(requests) linear in the month over {len(used)} complete month(s) ({used[0]} to {used[-1]}):",
        f"growth e^b - 1 = {f.growth_per_month:.4f} a month; requests_per_month is the fit for {cal.start}.",
    ]
    if f.residual_sd is not None:
        vcomments.append(
            f"Spread: residual sd of ln(requests) {f.residual_sd:.3f}; slope standard error {f.growth_se:.4f}; at {cal.start}: {f.prediction_sd:.3f}."
        )
    if "requests_per_month" in dist:
        vcomments.append("The lognormal's p90 is exp(1.2816 x that sd) times the median (ftcost simulate samples it).")
    rpm = dist.get("requests_per_month", round(f.requests_per_month))
    growth = dist.get("growth_per_month", round(f.growth_per_month, 4))
    mean_in = t["input"]
    if prompt_tokens is not None and prompt_tokens > mean_in:
        raise LogError(
            Message(
                "--prompt-tokens {prompt_tokens:g} is more than the measured mean input ({mean_in:,.1f} tokens)", prompt_tokens=prompt_tokens, mean_in=mean_in
            ),
            hint=Message("give the size of the fixed prompt, which is part of every request's input"),
        )
    request: dict = {}
    rc = [f"Measured over {sum(m.requests for m in cal.months):,.0f} requests of {', '.join(cal.chosen)}: means per request."]
    sel = [m for m in cal.models if m.model in cal.chosen]
    if len(sel) == 1 and sel[0].percentiles.get("input_p50") is not None:
        p = sel[0].percentiles
        rc.append(
            f"Input p50 {_fmt(p['input_p50'])}, p95 {_fmt(p['input_p95'])}; output p50 {_fmt(p['output_p50'])}, "
            f"p95 {_fmt(p['output_p95'])}; cached p50 {_fmt(p['cached_p50'])}, p95 {_fmt(p['cached_p95'])}."
        )
    if prompt_tokens is None:
        request["prompt_tokens"] = round(mean_in, 1)
        request["input_tokens"] = 0
        rc.append("The log gives the whole input; prompt_tokens holds all of it (split it with --prompt-tokens N).")
        user = 0.0
    else:
        request["prompt_tokens"] = round(prompt_tokens, 1)
        user = mean_in - prompt_tokens
        request["input_tokens"] = dist.get("input_tokens", round(user, 1))
        rc.append(f"prompt_tokens: the fixed prompt (--prompt-tokens); input_tokens: the rest of the measured {_fmt(mean_in)}.")
    request["cached_prompt_tokens"] = round(min(t["cached"], mean_in), 1)
    request["completion_tokens"] = dist.get("completion_tokens", round(t["output"], 1))
    if any(k in dist for k in ("input_tokens", "completion_tokens")):
        rc.append("A normal distribution where the monthly means vary: sd of the monthly means (ftcost simulate).")
    current = StrategySpec(
        name="prompt (measured)",
        type="prompt",
        model=model,
        request=request,
        request_comments=rc,
        comments=[f"What runs today, as the logs show it, priced as {model}."],
    )
    strategies = [current]
    if candidate:
        if prompt_tokens is None:
            raise LogError(
                Message("--candidate needs --prompt-tokens: how many of the measured input tokens are the fixed prompt that fine-tuning removes"),
                hint=Message("e.g. --prompt-tokens 1500"),
            )
        strategies.append(candidate_strategy(candidate, user, t["output"], dataset=dataset, examples=examples))
    return Spec(
        name=name or f"Calibrated from {cal.format} logs",
        description=f"Volume and tokens measured from logs, {first} to {last}",
        header=[
            "Written by ftcost calibrate from request logs; the volume and request blocks are measured.",
            "Run: ftcost compare THIS_FILE   (ftcost simulate THIS_FILE samples the measured spread)",
        ],
        horizon_months=horizon,
        start=cal.start,
        requests_per_month=rpm,
        growth_per_month=growth,
        volume_comments=vcomments,
        strategies=strategies,
        pricing=providers(model, *([candidate] if candidate else [])),
    )


def this_month() -> str:
    d = _dt.date.today()
    return f"{d.year:04d}-{d.month:02d}"
