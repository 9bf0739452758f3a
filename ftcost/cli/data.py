"""``ftcost data``: check, convert, split a training set, and size the savings it buys."""

from __future__ import annotations

import json
import re

import click

from ..i18n import Message, _, localized
from .common import ASCII_FLOAT, ASCII_INT, AsciiIntRange, lang_option, pricing_option, use_language


def _resolve(ref: str | None, pricing_dirs):
    """The model ``ref`` names, by the rule every command uses (catalogs.Catalogs.lookup); its note goes to stderr."""
    if ref is None:
        return None
    from ..catalogs import Catalogs

    model, note = Catalogs.load(None, extra_dirs=pricing_dirs).lookup(ref)
    if note:
        click.echo(_("Note: {text}").format(text=localized(note)), err=True)
    return model


def _echo_issues(issues, limit: int = 20) -> None:
    """Lines left out, on stderr: at most ``limit`` listed."""
    errors = [i for i in issues if i.severity == "error"]
    for issue in errors[:limit]:
        text = Message("line {line}: {message}", line=issue.line, message=issue.message) if issue.line is not None else issue.message
        click.echo(_("skipped {issue}").format(issue=localized(text)), err=True)
    if len(errors) > limit:
        click.echo(Message("... and {n:,} more lines skipped (ftcost data check lists them all)", n=len(errors) - limit).localized(), err=True)


json_option = click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True, help="Output format.")


@click.group()
def data():
    """Training data: check it, convert it to chat, split it, and size the savings it buys.

    Reads JSONL in the chat format ({"messages": [...]}) or the classic
    prompt/completion format ({"prompt": ..., "completion": ...}). Bad lines are
    reported with their line numbers; outputs are written atomically and never
    over an input.

    \b
    Examples:
      ftcost data check reviews.jsonl --model openai/gpt-4o-mini
      ftcost data convert reviews.jsonl -o reviews-chat.jsonl --system "Rate the review from 1 to 5 stars."
      ftcost data split reviews-chat.jsonl --validation 0.1 --seed 7
      ftcost data savings --prompt fewshot.txt --dataset reviews-chat.train.jsonl --model openai/gpt-4o-mini --scenario plan.yaml
    """


@data.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=str))
@click.option("--model", help="Model to check against (its tokenizer, per-example limit, training price), e.g. openai/gpt-4o-mini.")
@click.option("--limit", type=AsciiIntRange(min=1), default=20, show_default=True, help="Lines listed per kind of finding.")
@click.option("--strict", is_flag=True, help="Exit 2 when any line is unusable or the advice has an error (for CI).")
@json_option
@pricing_option
@lang_option
def check(file, model, limit, strict, fmt, pricing_dirs, lang):
    """Check FILE (JSONL) before fine-tuning: the validation of `ftcost tokens`, plus
    advice from the providers' guides.

    Reported with line numbers: lines that are not UTF-8, not JSON, in neither
    format, or in the other format of a mixed file (not usable); exact
    duplicates, the same input with different answers, near-empty completions,
    examples above the model's per-example limit, and completions or legacy
    separators in an unusual form (e.g. "Rating: 5" among "5 stars"). Advice on
    size: fewer than 10 examples is rejected, under 50 to 100 rarely helps, a few
    hundred good examples is the rule of thumb. Exit 2 when no example is usable.

    \b
    Example:
      ftcost data check reviews.jsonl --model openai/gpt-4o-mini
    """
    use_language(lang)
    from .. import data as dt
    from ..errors import TokenError
    from ..render import data_text

    report = dt.check_dataset(file, model=_resolve(model, pricing_dirs))
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(data_text.format_check(report, limit=limit), nl=False)
    if report.examples == 0:
        raise TokenError(Message("no usable examples"), file=file, hint=Message("see the lines listed above"))
    if strict and (report.errors or any(a.severity == "error" for a in report.advice)):
        raise TokenError(Message("--strict: the dataset has unusable lines or too few examples"), file=file)


@data.command()
@click.argument("input", type=click.Path(dir_okay=True, path_type=str))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=str),
    help="Chat JSONL file to write ('-': standard output, and the summary goes to standard error).",
)
@click.option("--system", help="System message to put first in every converted example.")
@click.option("--separator", "separators", multiple=True, help="Extra prompt separator to remove (exact text; \\n is a newline; repeatable).")
@click.option("--stop", "stops", multiple=True, help="Extra completion stop sequence to remove (exact text; \\n is a newline; repeatable).")
@click.option("--keep-markers", is_flag=True, help="Copy prompts and completions exactly, removing no separator, space or stop.")
@json_option
@lang_option
def convert(input, output, system, separators, stops, keep_markers, fmt, lang):
    """Convert INPUT from prompt/completion to chat JSONL: system (optional), user =
    prompt, assistant = completion.

    Removed, as in OpenAI's legacy format (details in docs/data.md): a prompt's
    trailing separator ("\\n\\n###\\n\\n", " ->", "-->", trailing whitespace); a
    completion's one leading space and trailing stop sequence ("\\n", " END",
    "###", "<|endoftext|>"). Chat lines are copied as they are; unusable lines
    are reported and left out. Exit 2 when no example remains.

    \b
    Example:
      ftcost data convert reviews.jsonl -o reviews-chat.jsonl --system "Rate the review from 1 to 5 stars."
    """
    use_language(lang)
    from .. import data as dt
    from ..render import data_text

    def unescape(items):  # "\n" and "\t" typed in a shell mean a newline and a tab
        return tuple(re.sub(r"\\([nt\\])", lambda m: {"n": "\n", "t": "\t", "\\": "\\"}[m.group(1)], s) for s in items)

    report = dt.convert_dataset(input, output, system=system, separators=unescape(separators), stops=unescape(stops), strip=not keep_markers)
    _echo_issues(report.issues)
    to_stderr = output == "-"  # the data went to standard output
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), err=to_stderr)
    else:
        click.echo(data_text.format_convert(report), nl=False, err=to_stderr)


@data.command()
@click.argument("input", type=click.Path(dir_okay=True, path_type=str))
@click.option("--validation", type=ASCII_FLOAT, default=0.1, show_default=True, help="Share of the examples for validation (0 < v < 1).")
@click.option("--seed", type=ASCII_INT, default=0, show_default=True, help="Seed of the deterministic shuffle.")
@click.option("--train-out", type=click.Path(path_type=str), help="Training file to write [default: INPUT stem + .train.jsonl].")
@click.option("--validation-out", type=click.Path(path_type=str), help="Validation file to write [default: INPUT stem + .validation.jsonl].")
@click.option("--model", help="Count tokens with this model's tokenizer and per-example limit (default: o200k_base, no limit).")
@json_option
@pricing_option
@lang_option
def split(input, validation, seed, train_out, validation_out, model, fmt, pricing_dirs, lang):
    """Split INPUT into training and validation files, deterministically: the same file
    and seed give the same split on any machine. Lines are copied byte for byte, in
    their order; exact duplicates stay on the same side. Validation tokens are
    reported apart: providers do not bill them.

    \b
    Example:
      ftcost data split reviews-chat.jsonl --validation 0.1 --seed 7
    """
    use_language(lang)
    from .. import data as dt
    from ..render import data_text

    report = dt.split_dataset(input, validation=validation, seed=seed, train_out=train_out, validation_out=validation_out, model=_resolve(model, pricing_dirs))
    _echo_issues(report.issues)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(data_text.format_split(report), nl=False)


@data.command()
@click.option(
    "--prompt",
    "prompt_file",
    required=True,
    type=click.Path(dir_okay=True, path_type=str),
    help="The few-shot prompt used today (text file: instructions and examples).",
)
@click.option("--dataset", required=True, type=click.Path(dir_okay=True, path_type=str), help="Training JSONL (chat or prompt/completion).")
@click.option("--model", required=True, help="Model the few-shot prompt runs on, e.g. openai/gpt-4o-mini.")
@click.option("--tuned-model", help="Model to fine-tune, if not --model (e.g. azure-openai/gpt-4.1-nano).")
@click.option(
    "--scenario",
    "scenario_out",
    type=click.Path(path_type=str),
    help="Write a ready-to-run scenario (.yaml) here ('-': standard output, and the summary goes to standard error).",
)
@click.option("--volume", type=ASCII_FLOAT, default=100_000, show_default=True, help="Requests per month written into the scenario.")
@click.option("--horizon", type=ASCII_INT, default=12, show_default=True, help="Months written into the scenario.")
@json_option
@pricing_option
@lang_option
def savings(prompt_file, dataset, model, tuned_model, scenario_out, volume, horizon, fmt, pricing_dirs, lang):
    """Measure on a dataset the tokens per request with the few-shot prompt (prompt +
    the example's input) and with a fine-tuned model (the example's input only), and
    print them as the request blocks of a scenario; --scenario writes the whole
    scenario, with the training block pointing at the dataset, for `ftcost compare`.

    \b
    Example:
      ftcost data savings --prompt fewshot.txt --dataset train.jsonl --model openai/gpt-4o-mini --scenario plan.yaml
      ftcost compare plan.yaml
    """
    use_language(lang)
    from .. import data as dt
    from ..render import data_text

    m = _resolve(model, pricing_dirs)
    tm = _resolve(tuned_model, pricing_dirs) if tuned_model else None
    if scenario_out:
        from ..outputs import check_output_path

        check_output_path(scenario_out, inputs=[prompt_file, dataset], extensions=(".yaml", ".yml"), stdout_ok=True)
    result = dt.measure_savings(prompt_file, dataset, m, tm)
    _echo_issues(result.issues)
    if scenario_out:
        dt.write_savings_scenario(result, scenario_out, volume=volume, horizon_months=horizon)
    to_stderr = scenario_out == "-"  # the scenario went to standard output
    if fmt == "json":
        out = result.to_dict()
        out["scenario"] = scenario_out
        click.echo(json.dumps(out, indent=2, ensure_ascii=False), err=to_stderr)
    else:
        click.echo(data_text.format_savings(result), nl=False, err=to_stderr)
        if scenario_out and not to_stderr:
            click.echo("\n" + _("Wrote {path}; run: ftcost compare {path}").format(path=scenario_out))
