"""``ftcost tokens``: count a prompt's tokens, or check and price a training file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import TokenError
from ..i18n import Message, _, localized
from .common import format_option, lang_option, pricing_option, use_language

DATASET_SUFFIXES = (".jsonl", ".jsonlines", ".ndjson", ".json")


class EpochsType(click.ParamType):
    name = "N|auto"

    def convert(self, value, param, ctx):
        if isinstance(value, int) or value is None:
            return value
        text = str(value).strip().lower()
        if text == "auto":
            return "auto"
        try:
            if not text.isascii():  # int() also takes '١٢'
                raise ValueError(text)
            n = int(text)
        except ValueError:
            self.fail(f"expected a whole number >= 1 or 'auto', got {value!r}", param, ctx)
        if n < 1:
            self.fail(f"expected a whole number >= 1 or 'auto', got {value!r}", param, ctx)
        return n


@click.command("tokens")
@click.argument("file", type=click.Path(dir_okay=True, allow_dash=True))
@click.option("--model", "-m", help="Model whose encoding, per-example limit and training price to use (provider/model or alias).")
@click.option("--encoding", help="Count with this encoding instead (cl100k_base, o200k_base, p50k_base).")
@click.option(
    "--epochs", type=EpochsType(), default="auto", show_default=True, help="Training epochs: a number, or auto for OpenAI's default for the number of examples."
)
@click.option(
    "--as",
    "kind",
    type=click.Choice(["auto", "dataset", "text"]),
    default="auto",
    show_default=True,
    help="Read FILE as JSONL training data or as plain text; auto: .jsonl/.ndjson/.json are data, anything else (and -) is text.",
)
@click.option(
    "--threads",
    type=click.IntRange(0, 64),
    default=None,
    help="Encoding threads for training data (0: all on one thread). Default: 2 to 4 when cores are idle, else 0.",
)
@pricing_option
@format_option(choices=("table", "json"))
@lang_option
def tokens(file, model, encoding, epochs, kind, fmt, threads, pricing_dirs=(), lang=None):
    """Count tokens in a prompt (text) or check and price training data (JSONL).

    For training data (chat {"messages": [...]} or {"prompt": ..., "completion": ...}
    lines) every line is checked as OpenAI's data-preparation guide does; bad lines
    are listed by kind and the valid ones counted: tokens per example, examples
    above the model's limit, billable tokens per epoch, epochs, training tokens
    and cost. Exit status 2 when no line is valid.

    For text (FILE = - reads standard input) it prints the token count.

    \b
    Examples:
      ftcost tokens train.jsonl --model gpt-4o-mini
      ftcost tokens train.jsonl --model openai/gpt-4.1-nano --epochs 3 --format json
      ftcost tokens prompt.txt --model gpt-4o-mini
      cat prompt.txt | ftcost tokens - --encoding o200k_base
    """
    from ..tokens import encoding_for_model

    use_language(lang)
    m, model_note = _resolve_model(model, pricing_dirs) if model else (None, None)
    enc_name = encoding or (encoding_for_model(m) if m is not None else "o200k_base")
    if encoding:
        from ..tokens.encodings import _spec

        _spec(encoding)  # unknown encoding: a clear error listing those available
    is_data = kind == "dataset" or (kind == "auto" and file != "-" and Path(file).suffix.lower() in DATASET_SUFFIXES)
    if is_data:
        _dataset(file, m, enc_name, epochs, fmt, model_note, threads)
    else:
        if epochs != "auto":
            raise click.UsageError(Message("--epochs applies to training data (JSONL); FILE is read as text (use --as dataset to change that)"))
        _text(file, m, enc_name, fmt)


def _resolve_model(name: str, pricing_dirs=()):
    """The catalog model named ``name`` by the rule every command uses (Catalogs.lookup), with its note."""
    from ..catalogs import Catalogs

    return Catalogs.load(None, extra_dirs=pricing_dirs).lookup(name)


def _text(file, model, enc_name, fmt):
    from ..tokens import count_text_file

    n = count_text_file(file, enc_name)
    where = "<stdin>" if file == "-" else file
    if fmt == "json":
        click.echo(json.dumps({"file": where, "encoding": enc_name, "model": model.ref if model else None, "tokens": n}))
    else:
        via = f"{enc_name}, {model.ref}" if model else enc_name
        click.echo(f"{where}: {n:,} tokens ({via})")


def _dataset(file, model, enc_name, epochs, fmt, model_note=None, threads=None):
    from ..data.analyze import analyze_dataset
    from ..data.stats import no_valid_message, training_cost
    from ..tokens import default_epochs

    cap = model.max_tokens_per_example if model is not None else None
    stats = analyze_dataset(file, encoding=enc_name, max_tokens_per_example=cap, allow_empty=True, workers=threads)
    price = None
    if model is not None and model.fine_tuning and "training" in model.fine_tuning:
        price = model.fine_tuning["training"]
    rule = model.epoch_rule if model is not None else None
    n_epochs: int | None
    if stats.examples:
        n_epochs = default_epochs(stats.examples, fixed=rule.fixed if rule is not None else 0) if epochs == "auto" else int(epochs)
    else:
        n_epochs = None if epochs == "auto" else int(epochs)
    training_tokens = stats.billable_tokens * n_epochs if n_epochs is not None else None
    cost = training_cost(stats.billable_tokens, n_epochs, price.value) if (price is not None and n_epochs is not None) else None
    notes = stats.warnings() + ([model_note] if model_note else [])
    if epochs == "auto" and rule is not None and rule.assumed and stats.examples:
        notes.append(f"{model.provider} publishes no default-epochs rule in its catalog; assumed {rule.describe()}")
    notes += context_warnings(stats, model)
    if model is None:
        notes.append(Message("no --model: counted with {encoding}, no per-example limit and no price; give --model for the training cost", encoding=enc_name))
    elif price is None:
        notes.append(Message("{model} has no training price in its catalog: no training cost", model=model.ref))
    elif model.ft_notice:
        notes.append(f"{model.ref}: {model.ft_notice}")
    out = stats.to_dict()
    out.update(
        {
            "model": model.ref if model else None,
            "epochs": n_epochs,
            "epochs_source": (f"auto: {_rule_words(rule)}" if epochs == "auto" else "given"),
            "training_tokens": training_tokens,
            "training_price_per_1m": price.value if price else None,
            "training_price_source": price.source if price else None,
            "currency": model.currency if model else None,
            "training_cost": cost,
            "warnings": notes,
        }
    )
    if fmt == "json":
        click.echo(json.dumps(out, indent=2))
    else:
        _print_table(stats, out)
        for note in notes:
            click.echo(_("Warning: {text}").format(text=localized(note)), err=True)
    if stats.examples == 0:
        hint = Message("the JSON above lists the invalid lines by kind") if fmt == "json" else Message("the report above lists the invalid lines by kind")
        raise TokenError(no_valid_message(stats), file=stats.path, hint=hint)


def _rule_words(rule) -> str:
    if rule is None:
        return "OpenAI's default for the number of examples"
    if rule.fixed:
        return f"the provider's default: {rule.fixed} epochs"
    return "OpenAI's default for the number of examples" + (" (assumed: no published rule)" if rule.assumed else "")


def context_warnings(stats, model) -> list[str]:
    """Examples longer than the model's context window, when no per-example cap is known (they are billed in full)."""
    if model is None or model.max_tokens_per_example is not None or not model.context_window or not stats.histogram:
        return []
    over = sum(n for v, n in stats.histogram.items() if v > model.context_window)
    if not over:
        return []
    return [
        f"{over:,} example(s) are longer than {model.ref}'s context window ({model.context_window:,} tokens); no per-example "
        "limit is published for it, so they are counted in full (the provider may truncate or refuse them)"
    ]


def _fmt(x, digits=0):
    if x is None:
        return "-"
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    if isinstance(x, float) and digits:
        return f"{x:,.{digits}f}"
    return f"{x:,.0f}" if isinstance(x, float) else f"{x:,}"


def _print_table(stats, out):
    fmt_name = {"chat": "chat", "prompt_completion": "prompt/completion", None: "no valid example"}[stats.format]
    via = f"{out['encoding']}" + (f", {out['model']}" if out["model"] else "")
    rows = [("file", f"{stats.path} ({fmt_name}; counted with {via})")]
    rows.append(
        (
            "examples",
            f"{stats.examples:,} valid, {stats.invalid_examples:,} invalid" + (f", {stats.blank_lines:,} blank lines skipped" if stats.blank_lines else ""),
        )
    )
    if stats.examples:
        d = stats.distribution()
        rows.append(
            (
                "tokens per example",
                f"min {_fmt(d['min'])}, mean {_fmt(d['mean'], 1)}, p50 {_fmt(d['p50'], 1)}, p90 {_fmt(d['p90'], 1)}, p99 {_fmt(d['p99'], 1)}, max {_fmt(d['max'])}",
            )
        )
        if stats.max_tokens_per_example is not None:
            rows.append((f"above {stats.max_tokens_per_example:,} tokens", f"{stats.over_limit:,}" + (" (billed at the cap)" if stats.over_limit else "")))
        if stats.examples_with_tools:
            rows.append(
                (
                    "tool definitions",
                    f"{_fmt(stats.tool_tokens)} tokens in {stats.examples_with_tools:,} example(s), included above (OpenAI cookbook's function-token count)",
                )
            )
        rows.append(("billable tokens / epoch", _fmt(stats.billable_tokens)))
        rows.append(("epochs", f"{out['epochs']} ({out['epochs_source']})"))
        rows.append(("training tokens", _fmt(out["training_tokens"])))
        if out["training_cost"] is not None:
            cost = out["training_cost"]
            shown = f"{cost:,.2f}" if cost >= 0.01 or cost == 0 else f"{cost:.2g}"
            rows.append(
                (
                    "training cost",
                    f"{out['currency']} {shown} ({_fmt(out['training_tokens'])} x {out['training_price_per_1m']:g} per 1M; {out['training_price_source']})",
                )
            )
        else:
            rows.append(("training cost", "- (no training price)"))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        click.echo(f"{k.ljust(width)}  {v}")
    if stats.errors:
        click.echo("invalid lines (not counted):")
        for e in stats.errors.values():
            more = ", ..." if e.count > len(e.first_lines) else ""
            click.echo(f"  {e.kind}: {e.count:,} ({e.description}); lines {', '.join(map(str, e.first_lines))}{more}; first: {e.first_detail}")
