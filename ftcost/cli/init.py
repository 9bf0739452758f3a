"""``ftcost init``: a first scenario from a few questions, then its comparison."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..i18n import Message, _
from ..model.fields import BY_PATH, MAX_HORIZON
from .common import lang_option, use_language


def parse_volume(text: str) -> tuple[float, bool]:
    """``300000``, ``300000/month``, ``10000/day``, ``1.5M/month``, ``2,000/day`` -> (requests, per day?)."""
    t = str(text).strip().lower().replace(",", "").replace("_", "").replace(" ", "")
    per_day = False
    for suffix, day in (("/month", False), ("/mo", False), ("/day", True), ("/d", True), ("perday", True), ("permonth", False)):
        if t.endswith(suffix):
            t, per_day = t[: -len(suffix)], day
            break
    mult = {"k": 1e3, "m": 1e6, "b": 1e9}.get(t[-1:], 1.0)
    if mult != 1.0:
        t = t[:-1]
    try:
        v = float(t) * mult
    except ValueError:
        raise click.BadParameter(f"expected a number of requests like 300000, 10000/day or 1.5M/month, got {text!r}") from None
    if not v >= 0 or v == float("inf"):
        raise click.BadParameter(f"requests must be a number >= 0, got {text!r}")
    return v, per_day


def parse_growth(text: str) -> float:
    """``0.03`` or ``3%`` -> 0.03 a month."""
    t = str(text).strip().replace(" ", "")
    pct = t.endswith("%")
    try:
        v = float(t.rstrip("%")) / (100 if pct else 1)
    except ValueError:
        raise click.BadParameter(f"expected a monthly growth like 0.03 or 3%, got {text!r}") from None
    row = BY_PATH[("volume", "growth_per_month")]  # the scenario checker's range: a file init writes must load
    if not (row.minimum or 0) < v <= (row.maximum or 0):
        raise click.BadParameter(f"growth must be above {row.minimum or 0:.0%} and at most {row.maximum or 0:.0%} a month, got {text!r}")
    return v


def _catalogs():
    from ..catalogs import Catalogs

    return Catalogs.load(None)


def check_model(text: str, *, fine_tune: bool = False) -> str:
    from ..errors import CatalogError

    try:
        m = _catalogs().resolve(text)
    except CatalogError as exc:
        raise click.BadParameter(str(exc)) from None
    if fine_tune:
        import datetime as _dt

        if not m.can_fine_tune():
            raise click.BadParameter(f"{m.ref} cannot be fine-tuned (ftcost pricing list shows the models that can)")
        if not m.accepts_jobs_on(_dt.date.today()):
            raise click.BadParameter(f"{m.ref} accepts no new fine-tuning jobs any more; pick another candidate")
        _check_prices(m.ref)
    return m.ref


CANDIDATES = ("azure-openai/gpt-4.1-nano", "together/llama-3.1-8b-instruct", "openai/gpt-4.1-nano", "vertex-ai/gemini-2.5-flash-lite")


def default_candidate() -> str:
    """The first model of CANDIDATES that can be fine-tuned today with known prices (catalog dates move)."""
    for ref in CANDIDATES:
        try:
            return check_model(ref, fine_tune=True)
        except click.BadParameter:
            continue
    return CANDIDATES[0]


def _check_prices(ref: str) -> None:
    """A fine-tuned strategy on ``ref`` loads (its catalog knows every price it needs), checked by the scenario loader."""
    from ..errors import FtcostError
    from ..model.load import load_scenario

    probe = {
        "ftcost": 1,
        "name": "probe",
        "pricing": [ref.split("/", 1)[0]],
        "volume": {"requests_per_month": 1000},
        "strategies": [
            {
                "name": "tuned",
                "type": "fine_tuned",
                "model": ref,
                "request": {"prompt_tokens": 40},
                "training": {"tokens": 100000, "examples": 100, "epochs": 1},
            }
        ],
    }
    try:
        load_scenario(probe)
    except FtcostError as exc:
        raise click.BadParameter(
            f"{ref} cannot be costed as a fine-tuned model: {exc.message}" + (f" ({exc.hint})" if exc.hint else "") + "; pick another candidate"
        ) from None


def _existing_file(what: str):
    def check(text: str) -> str | None:
        if str(text).strip().lower() in ("", "none", "no", "-"):
            return None
        if not Path(text).is_file():
            raise click.BadParameter(f"{what} {text!r} not found")
        return str(text)

    return check


def _prompt_answer(text: str):
    """A number of tokens, or the path of a prompt file."""
    t = str(text).strip()
    try:
        v = float(t.replace(",", ""))
    except ValueError:
        if Path(t).is_file():
            return t
        raise click.BadParameter(f"{t!r} is neither a number of tokens nor an existing file") from None
    if v < 0:
        raise click.BadParameter("tokens cannot be negative")
    return v


def _ask(value, question: str, default, proc, yes: bool):
    """The option's value if given, else the default with --yes, else the answer to ``question``."""
    if value is not None:
        try:
            return proc(value)
        except click.BadParameter as exc:
            raise click.UsageError(f"{question.split(' (')[0]}: {exc.message}") from None
    if yes:
        return proc(default) if default is not None else None
    return click.prompt(question, default=default, value_proc=proc, err=True)


@click.command()
@click.argument("file", required=False, default="scenario.yaml", type=click.Path(dir_okay=False, path_type=str))
@click.option("--task", help="What the prompt does, in a few words (the scenario's name).")
@click.option("--model", help="The model the prompt runs on today (provider/model).")
@click.option("--prompt-file", help="A file with the fixed instructions and examples (counted with the model's encoding).")
@click.option("--prompt-tokens", help="Or the fixed prompt's size in tokens.")
@click.option("--input-tokens", help="Tokens of per-request content (the part a fine-tuned model still gets).")
@click.option("--completion-tokens", help="Tokens in each answer.")
@click.option("--volume", help="Requests per month, or per day as N/day (1.5M/month, 20000/day).")
@click.option("--growth", help="Volume growth per month: 0.03 or 3%.")
@click.option("--candidate", help="The model to fine-tune (provider/model; ftcost pricing list shows them).")
@click.option("--dataset", help="Training dataset (.jsonl) to count, if there is one.")
@click.option("--horizon", help="Months to compare over.")
@click.option("-y", "--yes", is_flag=True, help="Take the default for every question not given as an option.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@lang_option
def init(file, task, model, prompt_file, prompt_tokens, input_tokens, completion_tokens, volume, growth, candidate, dataset, horizon, yes, force, lang):
    """Write a first scenario to FILE (default scenario.yaml) from a few questions, then
    compare its strategies: the prompt that runs today against fine-tuning a candidate model.

    Every question shows its default in brackets (Enter takes it); each can be
    answered with an option instead, and --yes takes the defaults of the rest.
    The scenario is commented and checked before it is written; edit it and run
    ftcost compare again. To measure volume and tokens from logs, see ftcost calibrate.

    \b
    Examples:
      ftcost init
      ftcost init review.yaml --model openai/gpt-4o-mini --prompt-file prompt.txt --volume 20000/day --yes
      ftcost init --yes --volume 2M --candidate azure-openai/gpt-4.1-mini-regional
    """
    from ..calibrate.build import Answers, from_answers, this_month
    from ..calibrate.write import render, write_scenario
    from ..errors import OutputError
    from ..outputs import check_output_path

    use_language(lang)
    out = Path(file)
    if out.exists() and not force:
        raise OutputError(
            Message("file exists; ftcost init writes new scenarios only"),
            file=file,
            hint=Message("choose another name, or --force to replace it (ftcost calibrate -o updates one)"),
        )
    check_output_path(file, extensions=(".yaml", ".yml"))
    d = Answers()
    if not yes:
        click.echo(_("A few questions for a first scenario (Enter takes the default in brackets)."), err=True)
    a = Answers()
    a.task = _ask(task, _("What does the prompt do"), d.task, lambda t: str(t).strip() or d.task, yes)
    a.model = _ask(model, _("Model it runs on today"), d.model, check_model, yes)
    if prompt_file is not None:
        prompt = _ask(prompt_file, _("Prompt file"), None, _existing_file("prompt file"), yes)
    else:
        prompt = _ask(prompt_tokens, _("Fixed prompt: a file with it, or its size in tokens"), f"{d.prompt_tokens:g}", _prompt_answer, yes)
    if isinstance(prompt, str):
        a.prompt_file, a.prompt_tokens = prompt, None
    else:
        a.prompt_tokens = prompt
    a.input_tokens = _ask(input_tokens, _("Tokens of per-request content (the user's text)"), f"{d.input_tokens:g}", _tokens, yes)
    a.completion_tokens = _ask(completion_tokens, _("Tokens in each answer"), f"{d.completion_tokens:g}", _tokens, yes)
    a.requests_per_month, a.per_day = _ask(volume, _("Requests per month (or N/day)"), f"{d.requests_per_month:g}", parse_volume, yes)
    a.growth_per_month = _ask(growth, _("Growth per month (0.03 or 3%)"), f"{d.growth_per_month:g}", parse_growth, yes)
    a.candidate = _ask(candidate, _("Model to fine-tune (ftcost pricing list shows them)"), default_candidate(), lambda t: check_model(t, fine_tune=True), yes)
    a.dataset = _ask(dataset, _("Training dataset (.jsonl), if you have one"), "none", _existing_file("dataset"), yes)
    a.horizon_months = _ask(horizon, _("Months to compare over"), str(d.horizon_months), _months, yes)
    a.start = this_month()
    inputs = [p for p in (a.prompt_file, a.dataset) if p]
    base = out.resolve().parent
    if a.prompt_file:
        a.prompt_file = os.path.relpath(Path(a.prompt_file).resolve(), base)
    if a.dataset:
        a.dataset = os.path.relpath(Path(a.dataset).resolve(), base)
    write_scenario(file, render(from_answers(a)), inputs=inputs)
    click.echo(_("Wrote {file}. Comparison (ftcost compare {file}):").format(file=file) + "\n", err=True)
    from ..api import compare as run_compare
    from ..render import text

    result = run_compare(file)
    click.echo(text.to_table(result), nl=False)
    for w in result.warnings_in_language():
        click.echo(_("warning: {text}").format(text=w), err=True)


def _tokens(text) -> float:
    try:
        v = float(str(text).replace(",", ""))
    except ValueError:
        raise click.BadParameter(f"expected a number of tokens, got {text!r}") from None
    if not 0 <= v < 1e9:
        raise click.BadParameter(f"tokens must be a number from 0, got {text!r}")
    return v


def _months(text) -> int:
    try:
        v = int(str(text).strip())
    except ValueError:
        raise click.BadParameter(f"expected a whole number of months, got {text!r}") from None
    if not 1 <= v <= MAX_HORIZON:
        raise click.BadParameter(f"months must be from 1 to {MAX_HORIZON}")
    return v
