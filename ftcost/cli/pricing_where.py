"""``ftcost pricing where MODEL``: who fine-tunes this model (or its successor) on a date, and at what price."""

from __future__ import annotations

import datetime as _dt
import json

import click

from ..catalogs import Catalogs, Model
from ..errors import CatalogError
from .common import format_option


def _matches(m: Model, name: str) -> bool:
    """``name`` is the model's id or an alias, or a prefix of one up to a '-' (dated snapshots, tier entries)."""
    names = (m.id, *m.aliases)
    return any(n == name or n.startswith(name + "-") for n in names)


def candidates(cats: Catalogs, name: str) -> list[tuple[Model, str]]:
    """The models ``name`` names in every loaded catalog, then their successors: (model, why it is listed)."""
    name = name.strip()
    if "/" in name:
        provider, bare = name.split("/", 1)
        found = [m for m in cats.all_models() if m.provider == provider and _matches(m, bare)]
    else:
        found = [m for m in cats.all_models() if _matches(m, name)]
    if not found:
        cats.resolve(name)  # raises the usual "unknown model" error with a hint
    out: list[tuple[Model, str]] = [(m, "") for m in found]
    seen = {m.ref for m in found}
    for m in found:
        cur = m
        while cur.successor:
            try:
                nxt = cats.resolve(cur.successor)
            except CatalogError:
                break  # a successor in a catalog not loaded here: nothing to price
            if nxt.ref in seen:
                break
            seen.add(nxt.ref)
            out.append((nxt, f"successor of {cur.ref}"))
            cur = nxt
    return out


def _status(m: Model, day: _dt.date) -> str:
    if m.fine_tuning is None:
        return "no fine-tuning"
    if m.retires_on is not None and day > m.retires_on:
        return f"retired {m.retires_on.isoformat()}"
    if m.last_new_job_day is not None and day > m.last_new_job_day:
        return f"no new jobs after {m.last_new_job_day.isoformat()}"
    return "accepts jobs"


def _row(m: Model, why: str, day: _dt.date) -> dict:
    from .pricing import money

    ft = m.fine_tuning or {}

    def cell(key: str) -> str | None:
        p = ft.get(key)
        return None if p is None else money(p.value, m.currency)

    per_hour = cell("training_per_hour")
    return {
        "model": m.ref,
        "provider": m.provider,
        "why": why or None,
        "accepts_new_jobs": m.accepts_jobs_on(day),
        "status": _status(m, day),
        "currency": m.currency,
        "training": cell("training") or (per_hour + "/h" if per_hour else None),
        "input": cell("input"),
        "output": cell("output"),
        "hosting_per_hour": cell("hosting_per_hour"),
        "last_new_job_day": m.last_new_job_day.isoformat() if m.last_new_job_day else None,
        "retires_on": m.retires_on.isoformat() if m.retires_on else None,
        "prices": {k: p.to_dict() for k, p in ft.items()},
    }


@click.command("where")
@click.argument("model")
@click.option(
    "--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="The date the training job would start (default: today)."
)
@click.option(
    "--pricing",
    "pricing_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Folder of private catalogs laid over the bundled ones (repeatable; also $FTCOST_PRICING_PATH).",
)
@format_option(choices=("table", "json"))
def where(model, on, pricing_dirs, fmt):
    """Where can MODEL (or the model its provider names as its successor) be fine-tuned on a date?

    Lists every loaded catalog's entry for MODEL (a bare name such as
    gpt-4.1-nano matches every provider's snapshots and tiers of it) and its
    successors, the ones that accept new training jobs first, with their
    fine-tuning prices.

    \b
    Example:
      ftcost pricing where gpt-4.1-nano --on 2027-03-01
      ftcost pricing where openai/gpt-4o-mini --format json
    """
    from .pricing import _table

    day = on.date() if on is not None else _dt.date.today()
    cats = Catalogs.load(None, extra_dirs=pricing_dirs)
    rows = [_row(m, why, day) for m, why in candidates(cats, model)]
    rows.sort(key=lambda r: (not r["accepts_new_jobs"], r["why"] is not None, r["model"]))
    if fmt == "json":
        click.echo(json.dumps({"model": model, "date": day.isoformat(), "where": rows}, indent=2))
        return
    yes = [r for r in rows if r["accepts_new_jobs"]]
    head = ["MODEL", "TRAINING", "FT INPUT", "FT OUTPUT", "HOSTING", "WHY LISTED", "STATUS"]

    def cells(r):
        return [
            r["model"],
            r["training"] or "?",
            r["input"] or "?",
            r["output"] or "?",
            (r["hosting_per_hour"] + "/h") if r["hosting_per_hour"] else "?",
            r["why"] or "",
            r["status"],
        ]

    if yes:
        click.echo(f"Fine-tune {model} on {day.isoformat()} (prices per 1M tokens; ? = not in the catalog):")
        click.echo(_table([cells(r) for r in yes], head))
    else:
        click.echo(f"No loaded catalog accepts new fine-tuning jobs for {model} or its successors on {day.isoformat()}.")
    no = [r for r in rows if not r["accepts_new_jobs"]]
    if no:
        click.echo("")
        click.echo("Not on that date:")
        click.echo(_table([cells(r) for r in no], head))
