"""Request-log formats: which column holds what, detected from the column names.

Every log is reduced to the same few fields, one row per request (or per
bucket of requests):

- ``time``      when the request (or the bucket) started;
- ``model``     the model name as the log writes it;
- ``requests``  how many requests the row stands for (1 for a request log);
- ``input``     input tokens, cached ones included;
- ``cached``    the part of ``input`` read from the provider's prompt cache;
- ``output``    output (completion) tokens;
- ``cost``      what the row cost, if the log says (only used to check units).

The column names below were read from each tool's public documentation or
schema; the source of each is in :data:`FORMATS` and in docs/calibrate.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import FtcostError
from ..i18n import Message

FIELDS = ("time", "model", "requests", "input", "cached", "output", "cost")
REQUIRED = ("time", "input", "output")


class LogError(FtcostError):
    """A request log could not be read or makes no sense."""


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    source: str
    # field -> candidate column names, first present wins. A dotted name "a.b"
    # is key b of a nested column a (a struct, a map or JSON text).
    columns: dict[str, tuple[str, ...]]
    bucketed: bool = False  # one row is many requests (per-request percentiles are not available)
    cached_is_extra: bool = False  # the input column excludes the cached tokens (they are added)
    notes: str = ""


FORMATS: dict[str, Format] = {
    # OpenAI Usage API, completions object (one row per time bucket and model when
    # grouped by model): https://platform.openai.com/docs/api-reference/usage/completions_object
    # input_tokens includes the cached tokens ("including cached and cache-write tokens").
    "openai": Format(
        "openai",
        "OpenAI usage export (completions buckets)",
        "https://platform.openai.com/docs/api-reference/usage/completions_object",
        {
            "time": ("start_time",),
            "model": ("model",),
            "requests": ("num_model_requests",),
            "input": ("input_tokens",),
            "cached": ("input_cached_tokens",),
            "output": ("output_tokens",),
        },
        bucketed=True,
        notes="export with group_by=model so that every bucket names its model; start_time is Unix seconds",
    ),
    # LiteLLM proxy spend logs, table LiteLLM_SpendLogs (schema.prisma in BerriAI/litellm;
    # litellm-js/spend-logs/src/_types.ts lists the same columns):
    # https://docs.litellm.ai/docs/proxy/cost_tracking
    "litellm": Format(
        "litellm",
        "LiteLLM spend logs (LiteLLM_SpendLogs)",
        "https://github.com/BerriAI/litellm/blob/main/schema.prisma (model LiteLLM_SpendLogs)",
        {"time": ("startTime",), "model": ("model", "model_group"), "input": ("prompt_tokens",), "output": ("completion_tokens",), "cost": ("spend",)},
        notes="spend is in USD; cached tokens are not a column of the table (cached = 0)",
    ),
    # Helicone request export (npx @helicone/export, or POST /v1/request/query-clickhouse),
    # HeliconeRequest schema: https://docs.helicone.ai/rest/request/post-v1requestquery-clickhouse
    "helicone": Format(
        "helicone",
        "Helicone request export",
        "https://docs.helicone.ai/rest/request/post-v1requestquery-clickhouse (HeliconeRequest)",
        {
            "time": ("request_created_at",),
            "model": ("request_model", "response_model", "model"),
            "input": ("prompt_tokens",),
            "cached": ("prompt_cache_read_tokens",),
            "output": ("completion_tokens",),
            "cost": ("cost", "cost_usd"),
        },
    ),
    # Langfuse observations: the public API / UI export (camelCase: startTime, model,
    # usageDetails) and the blob-storage export (snake_case: start_time,
    # provided_model_name, usage_details). usageDetails maps a usage type to units;
    # each type is priced on its own, so "input" holds the uncached input and the cache
    # reads are added to it. https://langfuse.com/docs/api-and-data-platform/features/blob-storage-export-fields
    "langfuse": Format(
        "langfuse",
        "Langfuse observations export",
        "https://langfuse.com/docs/api-and-data-platform/features/blob-storage-export-fields",
        {
            "time": ("startTime", "start_time"),
            "model": ("model", "provided_model_name"),
            "input": ("usageDetails.input", "usage_details.input", "promptTokens"),
            "cached": (
                "usageDetails.input_cached_tokens",
                "usageDetails.cache_read_input_tokens",
                "usage_details.input_cached_tokens",
                "usage_details.cache_read_input_tokens",
            ),
            "output": ("usageDetails.output", "usage_details.output", "completionTokens"),
        },
        cached_is_extra=True,
        notes="only observations of type GENERATION carry token usage; other rows count 0 tokens and are skipped",
    ),
}

# What a generic log's --map keys mean (also accepted: the field names themselves).
MAP_ALIASES = {
    "n": "requests",
    "count": "requests",
    "prompt": "input",
    "input_tokens": "input",
    "completion": "output",
    "output_tokens": "output",
    "cached_tokens": "cached",
    "timestamp": "time",
    "date": "time",
    "spend": "cost",
}


@dataclass
class Resolved:
    """The columns (or nested keys) a log's fields come from."""

    format: str
    columns: dict[str, str] = field(default_factory=dict)  # field -> column (dotted for a nested key)
    bucketed: bool = False
    cached_is_extra: bool = False


def parse_map(text: str | None) -> dict[str, str]:
    """``requests=n,input=prompt_tokens`` -> {"requests": "n", "input": "prompt_tokens"}."""
    out: dict[str, str] = {}
    if not text:
        return out
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise LogError(
                Message("--map: expected FIELD=COLUMN, got {part!r}", part=part),
                hint=Message("e.g. --map time=ts,input=prompt_tokens,output=completion_tokens"),
            )
        key, col = (s.strip() for s in part.split("=", 1))
        key = MAP_ALIASES.get(key, key)
        if key not in FIELDS:
            raise LogError(Message("--map: unknown field {key!r}", key=key), hint=Message("fields: {names}", names=", ".join(FIELDS)))
        if not col:
            raise LogError(Message("--map: no column given for {key!r}", key=key), hint=Message("{key}=none leaves a detected column out", key=key))
        out[key] = col
    return out


def _present(name: str, columns: dict[str, str]) -> bool:
    head = name.split(".", 1)[0]
    return head in columns


def detect(columns: dict[str, str], *, fmt: str | None, mapping: dict[str, str], files: str) -> Resolved:
    """Pick the format of a log from its column names (``columns``: name -> type).

    ``fmt`` forces a format ("generic" for a --map only log); ``mapping`` overrides
    or adds columns. Raises LogError naming the columns found and the --map that
    would read them.
    """
    if fmt not in (None, "auto", "generic") and fmt not in FORMATS:
        raise LogError(Message("unknown log format {fmt!r}", fmt=fmt), hint=Message("formats: auto, {names}, generic", names=", ".join(FORMATS)))
    candidates = [FORMATS[fmt]] if fmt in FORMATS else ([] if fmt == "generic" else list(FORMATS.values()))
    best: Resolved | None = None
    for f in candidates:
        res = Resolved(f.name, bucketed=f.bucketed, cached_is_extra=f.cached_is_extra)
        for fld, names in f.columns.items():
            hit = next((n for n in names if _present(n, columns)), None)
            if hit is not None:
                res.columns[fld] = hit
        own = [k for k in REQUIRED if k in res.columns]
        res.columns.update(mapping)
        # A format is recognised by its own columns; --map only fills in or renames some of them.
        if (own or fmt in FORMATS) and all(k in res.columns for k in REQUIRED):
            best = res
            break
    if best is None:
        res = Resolved("generic", bucketed="requests" in mapping)
        res.columns.update(mapping)
        if all(k in res.columns for k in REQUIRED):
            best = res
    if best is None:
        raise LogError(_no_format_message(columns, fmt, mapping), file=files, hint=_map_hint(columns))
    best.columns = {k: v for k, v in best.columns.items() if v.lower() != "none" or k in REQUIRED}
    for fld, col in best.columns.items():
        if not _present(col, columns):
            raise LogError(
                Message("column {col!r} (for {fld}) is not in the log", col=col, fld=fld),
                file=files,
                hint=Message("columns found: {names}", names=", ".join(columns)),
            )
    if best.format == "generic" and "requests" in mapping:
        best.bucketed = True
    return best


def _no_format_message(columns: dict[str, str], fmt: str | None, mapping: dict[str, str]) -> str:
    what = Message("the {fmt} format", fmt=fmt) if fmt in FORMATS else Message("a known log format")
    missing = [k for k in REQUIRED if k not in mapping]
    return Message(
        "cannot read this log as {what}: it has none of the expected columns for {missing}; columns found: {columns}",
        what=what,
        missing=", ".join(missing),
        columns=", ".join(columns) or Message("(none)"),
    )


def _map_hint(columns: dict[str, str]) -> str:
    """A --map guessed from the column names (the user checks it)."""
    guesses = {
        "time": ("time", "timestamp", "created", "date", "ts", "start"),
        "model": ("model",),
        "input": ("prompt", "input"),
        "cached": ("cache",),
        "output": ("completion", "output"),
        "requests": ("count", "requests", "num_"),
    }
    picked: dict[str, str] = {}
    for fld, words in guesses.items():
        for c in columns:
            low = c.lower()
            if any(w in low for w in words) and c not in picked.values():
                if fld == "input" and "cache" in low:
                    continue
                picked[fld] = c
                break
    sample = ",".join(f"{k}={v}" for k, v in picked.items()) or "time=COLUMN,input=COLUMN,output=COLUMN"
    return Message(
        "name the columns with --map, e.g. --map {sample} (fields: {fields}; time, input and output are required), or pick a format with --log-format {formats}",
        sample=sample,
        fields=", ".join(FIELDS),
        formats="|".join(FORMATS),
    )
