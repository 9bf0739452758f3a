"""``ftcost calibrate``: a scenario's volume, growth and tokens from request logs."""

from __future__ import annotations

import datetime as _dt
import json

import click

from ..model.fields import MAX_HORIZON

LOG_FORMATS = ("auto", "openai", "litellm", "helicone", "langfuse", "generic")
DEFAULT_TABLES = {"openai": "openai_usage_completions", "litellm": '"LiteLLM_SpendLogs"', "helicone": "helicone_requests", "langfuse": "observations"}


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value if len(value) > 7 else value + "-01")
    except ValueError:
        raise click.BadParameter(f"expected a date like 2026-01-31 or 2026-01, got {value!r}") from None


@click.command()
@click.argument("logs", nargs=-1, type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="Scenario to write; if it exists, its volume and the measured strategy's request are updated in place.",
)
@click.option(
    "--model",
    help="Catalog model that prices the logged traffic (provider/model); needed when the log's "
    "model name is in no catalog. With several models in the log, all their traffic.",
)
@click.option("--log-model", help="Use only the rows of this model name (as the log writes it).")
@click.option("--since", callback=_date, help="Ignore requests before this date (YYYY-MM-DD or YYYY-MM).")
@click.option(
    "--log-format",
    "log_format",
    type=click.Choice(LOG_FORMATS),
    default="auto",
    show_default=True,
    help="Format of the logs (auto: detected from the column names).",
)
@click.option(
    "--map",
    "mapping",
    help="Columns of a generic log: time=COL,model=COL,requests=COL,input=COL,cached=COL,output=COL,cost=COL (also overrides a detected format's columns).",
)
@click.option("--aggregated", is_flag=True, help="LOGS is the CSV result of the --print-sql query, run in a warehouse.")
@click.option("--print-sql", is_flag=True, help="Print the aggregation query to run where the logs are, and exit.")
@click.option(
    "--dialect", type=click.Choice(("duckdb", "spark", "bigquery", "postgres")), default="duckdb", show_default=True, help="SQL dialect of --print-sql."
)
@click.option("--table", help="Table the --print-sql query reads (default: the format's usual table name).")
@click.option("--candidate", help="Also write a fine-tuned strategy on this catalog model (needs --prompt-tokens).")
@click.option("--prompt-tokens", type=click.FloatRange(min=0), help="How many of the measured input tokens are the fixed prompt.")
@click.option("--horizon", type=click.IntRange(1, MAX_HORIZON), default=12, show_default=True, help="Months of a new scenario.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True, help="Output format of the summary.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr for scans over a second (default: on a terminal).")
def calibrate(
    logs, output, model, log_model, since, log_format, mapping, aggregated, print_sql, dialect, table, candidate, prompt_tokens, horizon, fmt, progress
):
    """Measure volume per month, its growth and the tokens per request from request logs
    (OpenAI usage export, LiteLLM spend logs, Langfuse or Helicone exports, or any
    CSV, JSON lines or Parquet log with --map), and write them into a scenario.

    The logs are read by DuckDB without loading them into memory (compressed .gz
    or .zst files too). The volume is fitted log-linearly over the complete
    months; where the data shows spread, the scenario gets distributions for
    ftcost simulate. Logs too big for one machine: run the --print-sql query in
    the warehouse and calibrate its result with --aggregated. See docs/calibrate.md.

    \b
    Examples:
      ftcost calibrate spend_logs.csv.gz -o scenario.yaml
      ftcost calibrate usage-*.jsonl --model openai/gpt-4o-mini --since 2026-03 --format json
      ftcost calibrate log.parquet --map time=ts,input=prompt_tokens,output=completion_tokens -o scenario.yaml
      ftcost calibrate --print-sql --log-format litellm --dialect bigquery > monthly.sql
      ftcost calibrate monthly.csv --aggregated --model openai/gpt-4o-mini -o scenario.yaml
    """
    from ..calibrate.formats import LogError, parse_map

    fmt_in = None if log_format == "auto" else log_format
    cols = parse_map(mapping)
    if print_sql:
        click.echo(_print_sql(logs, fmt_in, cols, since, dialect, table))
        return
    if not logs:
        raise LogError("no log files given", hint="ftcost calibrate LOG [LOG...] (or --print-sql)")
    if output is not None:
        from ..outputs import check_output_path

        check_output_path(output, inputs=logs, extensions=(".yaml", ".yml"))
    from .. import calibrate as lib

    if aggregated:
        if len(logs) != 1:
            raise LogError("--aggregated reads one file, the query's result", file=", ".join(logs))
        if since is not None or cols:
            raise LogError(
                "--since and --map go into the query, not its result", hint="ftcost calibrate --print-sql --since ... --map ... prints the query with them"
            )
        cal = lib.calibrate_aggregate(logs[0], fmt=fmt_in, log_model=log_model)
    else:
        cal = lib.calibrate_logs(list(logs), fmt=fmt_in, mapping=cols, since=since, log_model=log_model, progress=progress)
    try:
        catalog_model = _pick_model(cal, model, log_model)
    except LogError:
        # Keep what was measured in view (the log's own model names), then refuse to write.
        if fmt != "json":
            from ..calibrate.report import to_table

            click.echo(to_table(cal), nl=False)
        raise
    cal.catalog_model = catalog_model
    written = None
    if output is not None:
        written = _write(cal, output, catalog_model, candidate, prompt_tokens, horizon, logs)
    from ..calibrate.report import to_table

    if fmt == "json":
        click.echo(json.dumps({**cal.to_dict(), "scenario": written}, indent=2, default=str))
    else:
        click.echo(to_table(cal), nl=False)
        for w in cal.warnings:
            click.echo(f"warning: {w}", err=True)
        if written:
            click.echo(f"Wrote {written} (ftcost compare {written})")
        else:
            click.echo("No scenario written: add -o scenario.yaml to write one.")


def _pick_model(cal, model, log_model) -> str:
    """The catalog model for the measured traffic: --model, or the log's single model found in a catalog."""
    from ..calibrate import LogError, resolve_log_model
    from ..catalogs import Catalogs

    catalogs = Catalogs.load(None)
    if model:
        return catalogs.resolve(model).ref
    names = cal.chosen
    if len(names) > 1:
        listing = ", ".join(f"{m.model} ({m.requests:,.0f} requests)" for m in cal.models)
        raise LogError(
            f"the log holds {len(names)} models: {listing}",
            file=", ".join(cal.files),
            hint="pick one with --log-model NAME, or price all the traffic as one model with --model provider/model",
        )
    found = resolve_log_model(names[0], catalogs)
    if found is None:
        raise LogError(
            f"model {names[0]!r} of the log is in no catalog (kept in the summary)",
            file=", ".join(cal.files),
            path=("model",),
            hint="say which catalog model prices it: --model provider/model (ftcost pricing list shows them)",
        )
    return found.ref


def _write(cal, output, catalog_model, candidate, prompt_tokens, horizon, logs) -> str:
    from pathlib import Path

    from ..calibrate.build import from_calibration
    from ..calibrate.write import render, update_existing, write_scenario

    if candidate:
        from ..catalogs import Catalogs

        candidate = Catalogs.load(None).resolve(candidate).ref
    spec = from_calibration(cal, catalog_model, candidate=candidate, prompt_tokens=prompt_tokens, horizon=horizon)
    p = Path(output)
    updates = None
    if p.exists() and p.stat().st_size > 0:
        text, idx, strat = _update_text(output, spec)
        text = update_existing(text, _doc(output), spec, idx, strat)
        updates = output
    else:
        text = render(spec)
    write_scenario(output, text, inputs=logs, updates=updates)
    return output


def _doc(path):
    from ..errors import ScenarioError
    from ..yamlsrc import load_yaml_file

    return load_yaml_file(path, what="scenario file", error_cls=ScenarioError)


def _update_text(path, spec):
    """The scenario's text and which strategy's request gets the measurement: the prompt strategy on the
    calibrated model, else the baseline if it is a prompt strategy, else the first prompt strategy."""
    from ..errors import ScenarioError
    from ..model.load import load_scenario

    sc = load_scenario(path)
    target = spec.strategies[0]
    prompts = [i for i, s in enumerate(sc.strategies) if s.type == "prompt"]
    if not prompts:
        raise ScenarioError(
            "the scenario has no prompt strategy to put the measured request in",
            file=path,
            path=("strategies",),
            hint="add one, or write a new scenario with -o new.yaml",
        )
    same = [i for i in prompts if sc.strategies[i].model.ref == target.model]
    idx = same[0] if same else (sc.baseline if sc.baseline in prompts else prompts[0])
    from ..yamlsrc import MAX_YAML_BYTES, read_text_file

    return read_text_file(path, what="scenario file", max_bytes=MAX_YAML_BYTES, error_cls=ScenarioError), idx, target


def _print_sql(logs, fmt, cols, since, dialect, table) -> str:
    from ..calibrate.formats import FORMATS, LogError, Resolved, detect
    from ..calibrate.sql import build_query, quote

    if logs:
        from ..calibrate.aggregate import check_files, connect, describe

        kind = check_files(list(logs))
        con = connect()
        try:
            columns = describe(con, list(logs), kind)
        finally:
            con.close()
        res = detect(columns, fmt=fmt, mapping=cols, files=", ".join(logs))
    elif fmt in FORMATS:
        f = FORMATS[fmt]
        res = Resolved(f.name, {k: v[0] for k, v in f.columns.items()}, bucketed=f.bucketed, cached_is_extra=f.cached_is_extra)
        res.columns.update(cols)
    elif cols:
        res = detect({c.split(".")[0]: "" for c in cols.values()}, fmt="generic", mapping=cols, files="--map")
    else:
        raise LogError(
            "--print-sql needs to know the columns",
            hint="give --log-format openai|litellm|helicone|langfuse, or --map time=COL,input=COL,output=COL, or a sample log file",
        )
    source = table or DEFAULT_TABLES.get(res.format, "request_log")
    if table and not table.replace(".", "").replace("_", "").isalnum():
        source = quote(table)
    head = (
        f"-- ftcost calibrate: monthly aggregate per model ({res.format} columns, {dialect}).\n"
        "-- Save the result as CSV and run: ftcost calibrate RESULT.csv --aggregated -o scenario.yaml\n"
    )
    return head + build_query(res, source, since=since, dialect=dialect)
