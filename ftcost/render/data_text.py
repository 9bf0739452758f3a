"""The reports of ``ftcost data check|convert|split|savings`` as text for a terminal."""

from __future__ import annotations

from collections import Counter

from ..data.check import CheckReport
from ..data.convert import ConvertReport
from ..data.examples import quote_marker
from ..data.records import FORMAT_LABELS, LEGACY, plural
from ..data.savings import Savings, savings_strategies_yaml
from ..data.split import SplitReport
from ..data.stats import MIN_EXAMPLES
from .fmt import money, money_small


def format_check(report: CheckReport, *, limit: int = 20) -> str:
    """The check report as text for a terminal; at most ``limit`` lines listed per kind of finding."""
    out = []
    fmt = FORMAT_LABELS.get(report.format or "", "no")
    model = f"{report.model}, " if report.model else ""
    out.append(
        f"{report.file}: {plural(report.examples, 'usable example')} in {fmt} format, {plural(report.lines, 'line')} read, {len(report.errors):,} not usable"
    )
    if report.examples:
        cap = f" (at most {report.max_tokens_per_example:,} per example)" if report.max_tokens_per_example else ""
        out.append(
            f"Tokens ({model}{report.encoding}): {report.tokens:,} in all, {report.billable_tokens:,} billable per epoch{cap}; "
            f"per example min {report.min_tokens:,}, mean {report.mean_tokens:,.1f}, max {report.max_tokens:,}; "
            f"completions {report.completion_tokens:,}"
        )
        if report.examples_with_tools:
            out.append(
                f"Tool definitions: {report.tool_tokens:,} tokens in {plural(report.examples_with_tools, 'example')}, "
                "included above (OpenAI cookbook's function-token count)"
            )
    if report.training_cost is not None and report.epochs is not None:  # (a training cost has its epochs)
        rule = "the provider's default" if report.epochs_fixed else f"OpenAI's default for {report.examples:,} examples"
        out.append(
            f"Training: {plural(report.epochs, 'epoch')} ({rule}) x "
            f"{report.billable_tokens:,} tokens x {money(report.training_price, report.currency)}/1M = "
            f"{money_small(report.training_cost, report.currency)} per run"
        )
    for title, items in (("Not usable", report.errors), ("Check", report.warnings)):
        if not items:
            continue
        out.append("")
        out.append(f"{title} ({len(items):,}):")
        shown: Counter = Counter()
        hidden: Counter = Counter()
        for issue in items:
            if shown[issue.kind] < limit:
                shown[issue.kind] += 1
                out.append(f"  {issue}")
            else:
                hidden[issue.kind] += 1
        for kind, k in hidden.items():
            out.append(f"  ... and {k:,} more {kind.replace('_', ' ')} (use --limit)")
    if report.advice:
        out.append("")
        out.append("Advice:")
        for a in report.advice:
            out.append(f"  {a.severity}: {a.message}" + (f" [{a.source}]" if a.source else ""))
    return "\n".join(out) + "\n"


def format_convert(report: ConvertReport) -> str:
    out = [
        f"{report.output}: {plural(report.written, 'chat example')} written "
        f"({report.converted:,} converted from prompt/completion, {report.copied:,} chat copied as they were)"
    ]
    for sep, k in report.separators.most_common():
        out.append(f"  removed prompt separator {quote_marker(sep)} from {plural(k, 'example')}")
    if report.leads:
        out.append(f"  removed the leading space of {plural(report.leads, 'completion')}")
    for stop, k in report.stops.most_common():
        out.append(f"  removed completion ending {quote_marker(stop)} from {plural(k, 'example')}")
    return "\n".join(out) + "\n"


def format_split(report: SplitReport) -> str:
    out = [
        f"{report.file}: {report.train_examples + report.validation_examples:,} usable examples, "
        f"split with seed {report.seed} ({report.fraction:g} for validation); tokens counted with {report.encoding}",
        f"  training:   {report.train_file}: {plural(report.train_examples, 'example')}, {report.train_tokens:,} tokens per epoch (billed)",
        f"  validation: {report.validation_file}: {plural(report.validation_examples, 'example')}, "
        f"{report.validation_tokens:,} tokens (not billed by OpenAI or Azure OpenAI)",
    ]
    if report.train_examples < MIN_EXAMPLES:
        out.append(f"  warning: {plural(report.train_examples, 'training example')}; providers reject fewer than {MIN_EXAMPLES}")
    return "\n".join(out) + "\n"


def format_savings(s: Savings) -> str:
    n = s.examples
    out = [
        f"{s.dataset}: {plural(n, 'usable example')} ({FORMAT_LABELS.get(s.format or '', '?')} format); "
        f"few-shot prompt {s.prompt_file}: {s.prompt_tokens:,} tokens ({s.model.encoding})",
        "",
        f"Tokens per request (mean over the {plural(n, 'example')}):",
        f"  few-shot prompt ({s.model.ref}): {s.few_shot_input_tokens:,.1f} input "
        f"({s.prompt_tokens:,} prompt + {s.input_tokens:,.1f} example), {s.completion_tokens:,.1f} completion",
        f"  fine-tuned ({s.tuned_model.ref}): {s.tuned_input_tokens:,.1f} input (the example only), {s.tuned_completion_tokens:,.1f} completion",
        f"  saved: {s.saved_input_tokens:,.1f} input tokens per request"
        + (f" ({s.saved_input_tokens / s.few_shot_input_tokens:.0%})" if s.few_shot_input_tokens else ""),
        "",
        "Request blocks of a ready-to-run scenario (--scenario OUT.yaml writes it whole, with paths relative to it):",
        "",
    ]
    if s.format == LEGACY:
        out[1:1] = [
            "note: prompt/completion examples are counted as stored (separators and stop sequences included); "
            "current models train on chat examples: ftcost data convert, then measure the chat file"
        ]
    return "\n".join(out) + "\n" + savings_strategies_yaml(s)
