"""Scenarios from what is known: ``ftcost calibrate`` (request logs) and ``ftcost init`` (a few questions).

The data flows one way: log files -> one SQL aggregate per month and model
(:mod:`.sql`, run by DuckDB in :mod:`.aggregate`, or in a warehouse) ->
volume fit and token means (:mod:`.fit`) -> scenario text (:mod:`.write`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..i18n import Message
from .fit import Calibration
from .formats import FORMATS, LogError, Resolved

__all__ = ["FORMATS", "Calibration", "LogError", "calibrate_aggregate", "calibrate_logs", "resolve_log_model"]

# LiteLLM's provider prefixes -> ftcost catalog names (https://docs.litellm.ai/docs/providers)
PROVIDER_PREFIXES = {
    "azure": "azure-openai",
    "vertex_ai": "vertex-ai",
    "openai": "openai",
    "bedrock": "bedrock",
    "mistral": "mistral",
    "together_ai": "together",
    "fireworks_ai": "fireworks",
}


def calibrate_logs(
    paths: list[str],
    *,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    since: _dt.date | None = None,
    log_model: str | None = None,
    progress: bool | None = None,
) -> Calibration:
    """Read request logs and fit volume, growth and tokens (see :mod:`ftcost.calibrate.fit`)."""
    from .aggregate import aggregate_files

    rows, res = aggregate_files(list(paths), fmt=fmt, mapping=mapping or {}, since=since, progress=progress)
    return _finish(rows, res, list(paths), log_model)


def calibrate_aggregate(path: str, *, fmt: str | None = None, log_model: str | None = None) -> Calibration:
    """The same from the result of the printed query (``--aggregated``)."""
    from .aggregate import read_aggregated

    rows = read_aggregated(path)
    f = FORMATS.get(fmt or "")
    res = Resolved(
        fmt or "aggregated",
        {"time": "month", "model": "model", "input": "input_tokens", "output": "output_tokens", "cost": "cost"},
        bucketed=bool(f and f.bucketed),
    )
    return _finish(rows, res, [path], log_model)


def _finish(rows: list[dict[str, Any]], res: Resolved, files: list[str], log_model: str | None) -> Calibration:
    from .fit import calibrate, model_stats

    models = model_stats(rows, res.bucketed)
    chosen = None
    if log_model is not None:
        names = [m.model for m in models]
        if log_model not in names:
            from ..errors import did_you_mean

            raise LogError(
                Message("model {log_model!r} is not in the log", log_model=log_model),
                file=", ".join(files),
                path=(res.columns.get("model", "model"),),
                hint=(did_you_mean(log_model, names) or "") + " models in the log: " + ", ".join(names),
            )
        chosen = [log_model]
    return calibrate(rows, res, files, chosen=chosen)


def resolve_log_model(name: str, catalogs) -> Any:
    """The catalog model a log's model name stands for, or None.

    Tries the name as written (``openai/gpt-4o-mini``; LiteLLM's ``azure/...``
    prefixes mapped to catalog names), then OpenAI's catalog, then any catalog
    holding it alone.
    """
    from ..errors import CatalogError

    tries = []
    if "/" in name:
        prov, rest = name.split("/", 1)
        tries.append(f"{PROVIDER_PREFIXES.get(prov, prov)}/{rest}")
        name = rest
    tries += [f"openai/{name}", name]
    for t in tries:
        try:
            return catalogs.resolve(t)
        except CatalogError:
            continue
    return None
