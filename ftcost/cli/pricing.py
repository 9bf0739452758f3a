"""``ftcost pricing``: list, show, check and import price catalogs."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import click

from ..catalogs import BUNDLED_DIR, Catalogs, Gpu, Model, Price
from ..errors import CatalogError
from ..render import fmt
from .common import _today, format_option, pricing_dirs_option

UNITS = {
    "input": "/ 1M tokens",
    "cached_input": "/ 1M tokens",
    "output": "/ 1M tokens",
    "batch_input": "/ 1M tokens (batch)",
    "batch_cached_input": "/ 1M tokens (batch)",
    "batch_output": "/ 1M tokens (batch)",
    "training": "/ 1M training tokens",
    "training_per_hour": "/ hour of training",
    "hosting_per_hour": "/ hour per deployment",
    "storage_per_month": "/ month per model",
    "min_job_fee": "per job (minimum)",
    "max_job_fee": "per job (cap)",
    "model_unit_per_hour": "/ model unit / hour",
    "per_hour": "/ GPU-hour",
}
LEGEND = (
    "Prices per 1M tokens unless marked (/h: per hour, /MU-h: per model unit and hour).\n"
    "? = not in the catalog (set it in the scenario; a missing CACHED price means INPUT), * = unverified,\n"
    "- = no fine-tuning, blank = a fine-tuning tier entry (base prices are on the model it names)."
)


def money(value: float, currency: str = "USD") -> str:
    """A price as people read it: $0.15, $0.075, $1,224.00 (2 decimals unless more are needed).

    >>> money(0.15), money(0.075), money(1224), money(1.875, "EUR"), money(3, "CHF")
    ('$0.15', '$0.075', '$1,224.00', '€1.875', '3.00 CHF')
    """
    decimals = 2
    while decimals < 6 and abs(round(value, decimals) - value) > 1e-12:
        decimals += 1
    return fmt.money(value, currency, decimals=decimals)


def price_text(p: Price, currency: str, *, unit: bool = True) -> str:
    """``$0.15 / 1M tokens`` (or ``50% off`` for a batch discount)."""
    if p.field == "batch_discount":
        return f"{p.value * 100:g}% off"
    text = money(p.value, currency)
    return f"{text} {UNITS[p.field]}" if unit and p.field in UNITS else text


@click.group()
def pricing():
    """Price catalogs: list models, show a price's source, check and import catalogs.

    \b
    Example:
      ftcost pricing list --fine-tunable
      ftcost pricing show azure-openai/gpt-4.1-nano
    """


# ---------------------------------------------------------------- list


def _cell(prices: dict[str, Price] | None, key: str, currency: str, suffix: str = "") -> str:
    if prices is None:
        return "-"
    p = prices.get(key)
    if p is None:
        return "?" + suffix
    return money(p.value, currency) + suffix + ("*" if p.confidence == "unverified" else "")


def _base_cell(m: Model, key: str) -> str:
    # An entry that prices only a fine-tuning tier (Azure -developer, -regional) has no base prices at all.
    return _cell(m.base, key, m.currency) if m.base else ""


def _training_cell(m: Model) -> str:
    ft = m.fine_tuning
    if ft is None:
        return "-"
    if "training" in ft:
        return _cell(ft, "training", m.currency)
    if "training_per_hour" in ft:
        return _cell(ft, "training_per_hour", m.currency, "/h")
    return "?"


def _hosting_cell(m: Model) -> str:
    ft = m.fine_tuning
    if ft is None:
        return "-"
    if m.model_units is not None:
        return _cell(ft, "model_unit_per_hour", m.currency, "/MU-h")
    return _cell(ft, "hosting_per_hour", m.currency, "/h")


def availability(m: Model, day: _dt.date) -> str:
    """Short availability note on ``day``: retired, closed to new jobs, or the dates to come."""
    if m.retires_on is not None and day > m.retires_on:
        return f"retired {m.retires_on.isoformat()}"
    parts = []
    if m.fine_tuning is not None and m.last_new_job_day is not None:
        if day > m.last_new_job_day:
            parts.append(f"no new jobs since {(m.last_new_job_day + _dt.timedelta(days=1)).isoformat()}")
        else:
            parts.append(f"last new job {m.last_new_job_day.isoformat()}")
    if m.retires_on is not None:
        parts.append(f"retires {m.retires_on.isoformat()}")
    return ", ".join(parts)


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    lines = []
    for r in [header] + rows:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) if 0 < i < len(r) - 1 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)) if i > 0]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


@pricing.command("list")
@click.option("--provider", "providers", multiple=True, metavar="P", help="Only this provider's catalog (repeatable).")
@click.option("--fine-tunable", is_flag=True, help="Only models that accept new fine-tuning jobs on the date (--on, default today).")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Date for --fine-tunable (default: today).")
@pricing_dirs_option
@format_option(choices=("table", "json"))
def list_(providers, fine_tunable, on, pricing_dirs, fmt):
    """List the models of the loaded catalogs with their main prices.

    Prices are per 1M tokens; TRAINING is per 1M training tokens (or per hour
    for reinforcement fine-tuning), HOSTING per deployment-hour (or per
    model-unit hour for provisioned throughput).

    \b
    Example:
      ftcost pricing list --provider azure-openai
      ftcost pricing list --fine-tunable --on 2027-02-01 --format json
    """
    if on is not None and not fine_tunable:
        raise click.UsageError("--on needs --fine-tunable")
    day = on.date() if on is not None else _today()
    cats = Catalogs.load(list(providers) or None, extra_dirs=pricing_dirs)
    models = sorted(cats.all_models(), key=lambda m: (m.provider, m.id))
    if fine_tunable:
        models = [m for m in models if m.accepts_jobs_on(day)]
    gpus: list[Gpu] = [] if fine_tunable else sorted((g for c in cats.by_provider.values() for g in c.gpus.values()), key=lambda g: (g.provider, g.name))
    if fmt == "json":
        out = {"date": day.isoformat(), "fine_tunable_only": fine_tunable, "models": [m.to_dict(day) for m in models], "gpus": [g.to_dict() for g in gpus]}
        click.echo(json.dumps(out, indent=2))
        return
    if not models:
        click.echo(f"No model accepts new fine-tuning jobs on {day.isoformat()}." if fine_tunable else "No models in the loaded catalogs.")
        return
    header = ["MODEL", "INPUT", "CACHED", "OUTPUT", "TRAINING", "FT INPUT", "FT OUTPUT", "HOSTING", "AVAILABILITY"]
    rows = [
        [
            m.ref,
            _base_cell(m, "input"),
            _base_cell(m, "cached_input"),
            _base_cell(m, "output"),
            _training_cell(m),
            _cell(m.fine_tuning, "input", m.currency),
            _cell(m.fine_tuning, "output", m.currency),
            _hosting_cell(m),
            availability(m, day),
        ]
        for m in models
    ]
    if fine_tunable:
        click.echo(f"Models that accept new fine-tuning jobs on {day.isoformat()}:")
    click.echo(_table(rows, header))
    if gpus:
        click.echo("")
        click.echo(
            _table(
                [
                    [
                        f"{g.provider}/{g.name}",
                        money(g.per_hour.value, cats.by_provider[g.provider].currency) + "/h",
                        f"{g.memory_gb:g} GB" if g.memory_gb else "",
                        g.description or "",
                    ]
                    for g in gpus
                ],
                ["GPU", "PER HOUR", "MEMORY", "WHAT"],
            )
        )
    click.echo("")
    click.echo(LEGEND)


# ---------------------------------------------------------------- show


def _price_lines(prices: dict[str, Price], currency: str) -> list[str]:
    """Prices grouped by (source, as_of), each group followed by its source once."""
    groups: dict[tuple, list[Price]] = {}
    for p in prices.values():
        groups.setdefault((p.source, p.as_of, p.file), []).append(p)
    width = max((len(k) for k in prices), default=0)
    lines = []
    for (source, as_of, file), ps in groups.items():
        lines += [f"  {p.field.ljust(width)}  {price_text(p, currency)}" for p in ps]
        lines.append(f"      source: {source} (as of {as_of.isoformat() if as_of else 'no date'})")
        if file and Path(file).resolve().parent != BUNDLED_DIR.resolve():
            lines.append(f"      from private catalog {file}")
    return lines


def show_text(m: Model, day: _dt.date) -> str:
    out = [m.ref + (f"  (aliases: {', '.join(m.aliases)})" if m.aliases else "")]
    if m.description:
        out.append(m.description)
    facts = [f"currency {m.currency}"]
    if m.tier:
        facts.append(f"tier {m.tier}")
    facts.append(f"encoding {m.encoding}" if m.encoding else "no token encoding (token counts must be given)")
    if m.context_window:
        facts.append(f"context window {m.context_window:,} tokens")
    out.append(", ".join(facts))
    out.append(f"catalog: {m.catalog_file}")
    out.append("")
    out.append("Base model" + ("" if m.base else ": no prices in this entry"))
    out += _price_lines(m.base, m.currency)
    out.append("")
    if m.fine_tuning is None:
        out.append("Fine-tuning: not offered (no fine_tuning block)")
    else:
        out.append("Fine-tuning" + ("" if m.fine_tuning else ": offered, no prices known"))
        out += _price_lines(m.fine_tuning, m.currency)
        if m.serving:
            out.append(f"  serving: {m.serving}{' on 1 x ' + m.hosting_gpu if m.hosting_gpu else ''}")
            out.append(f"      source: {m.serving_source}")
        else:
            out.append("  serving: not stated (a fine-tuned strategy needs hosting_per_hour from the catalog or the scenario)")
        if m.model_units is not None:
            needed: tuple[str, ...] = ("training", "model_unit_per_hour")
        elif m.serving == "dedicated":
            needed = ("training", "hosting_per_hour")
        else:
            needed = ("training", "input", "output")
        missing = [k for k in needed if k not in m.fine_tuning]
        if "training" in missing and "training_per_hour" in m.fine_tuning:
            missing.remove("training")
        if missing:
            out.append(f"  not known: {', '.join(missing)} (set with prices: in the scenario)")
        if m.max_tokens_per_example:
            out.append(f"  max tokens per example: {m.max_tokens_per_example:,}")
        if m.model_units is not None:
            out.append(f"  model units: {m.model_units}, commitment: " + (f"{m.commitment_months} months" if m.commitment_months else "none (hourly)"))
    out.append("")
    out.append("Availability")
    if m.fine_tuning is not None:
        state = "accepts" if m.accepts_jobs_on(day) else "does not accept"
        out.append(f"  {state} new training jobs on {day.isoformat()}")
        out.append(f"  last day for new jobs: {m.last_new_job_day.isoformat() + ' (inclusive)' if m.last_new_job_day else 'no end date known'}")
    out.append(f"  retires on: {m.retires_on.isoformat() if m.retires_on else 'no date known'}")
    if m.ft_notice:
        out.append(f"  notice (fine-tuning): {m.ft_notice}")
    if m.notice:
        out.append(f"  notice: {m.notice}")
    return "\n".join(out)


@pricing.command("show")
@click.argument("model")
@click.option(
    "--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Date for 'accepts new training jobs' (default: today)."
)
@pricing_dirs_option
@format_option(choices=("table", "json"))
def show(model, on, pricing_dirs, fmt):
    """Every price of MODEL with its source and as_of date, and its availability.

    MODEL is provider/id or an alias (a bare name follows the model-name rule of
    docs/pricing.md); a GPU name (e.g. fireworks/h100-80gb) shows that GPU's
    hourly price; a provider name (e.g. together) lists that provider's models,
    as 'ftcost pricing list --provider' does.

    \b
    Example:
      ftcost pricing show openai/gpt-4o-mini
      ftcost pricing show together
    """
    day = on.date() if on is not None else _today()
    cats = Catalogs.load(None, extra_dirs=pricing_dirs)
    if model in cats.by_provider and cats.by_provider[model].find(model) is None:
        ctx = click.get_current_context()
        ctx.invoke(list_, providers=(model,), fine_tunable=False, on=on, pricing_dirs=pricing_dirs, fmt=fmt)
        return
    try:
        m, note = cats.lookup(model)
        if note:
            click.echo(f"Note: {note}", err=True)
    except CatalogError as exc:
        try:
            g = cats.gpu(model)
        except CatalogError:
            raise exc from None
        if fmt == "json":
            click.echo(json.dumps(g.to_dict(), indent=2))
        else:
            cur = cats.by_provider[g.provider].currency
            click.echo(
                "\n".join(
                    [
                        f"{g.provider}/{g.name}" + (f"  (aliases: {', '.join(g.aliases)})" if g.aliases else ""),
                        *([g.description] if g.description else []),
                        *_price_lines({"per_hour": g.per_hour}, cur),
                    ]
                )
            )
        return
    if fmt == "json":
        click.echo(json.dumps(m.to_dict(day), indent=2))
    else:
        click.echo(show_text(m, day))


# ---------------------------------------------------------------- check, import and where: each its own module, registered on this group

from .pricing_check import check  # noqa: E402
from .pricing_import import import_  # noqa: E402
from .pricing_where import where  # noqa: E402

pricing.add_command(check)
pricing.add_command(import_)
pricing.add_command(where)
