"""Convert LiteLLM's model_prices_and_context_window.json into ftcost catalogs.

LiteLLM keeps one row per model name with USD prices per token. This module
turns the chat and completion rows into one ftcost catalog per provider, with
prices per 1M tokens. The rules (also in docs/pricing.md):

Conversion, row by row
  - ``litellm_provider`` picks the catalog (PROVIDERS below; any other name
    with ``_`` turned into ``-``); the provider prefix of the key
    (``azure/``, ``fireworks_ai/accounts/fireworks/models/``...) is dropped to
    give the model id.
  - ``input_cost_per_token``, ``cache_read_input_token_cost`` and
    ``output_cost_per_token`` x 1,000,000 give input, cached_input and output
    (decimal arithmetic, so 1.5e-07 becomes exactly 0.15).
  - ``*_batches`` prices give batch_discount = 1 - batch / normal, only when
    the input and output ratios agree; otherwise it is left out and reported.
  - ``max_input_tokens`` gives context_window; ``deprecation_date`` gives
    retires_on (its source is the row's deprecation_source).
  - An ``ft:BASE`` row gives the inference prices of fine-tuned BASE: the
    fine_tuning block of model BASE (created if BASE has no row).
  - A row with ``alias_of`` becomes an alias of that model when the target is
    in the same catalog.
  - Only modes chat, completion and responses are read; tiered prices (above
    128k/200k tokens), priority/flex rates, cache writes, audio and images are
    not. A price that is not a number >= 0 is dropped and reported; a cached
    price above the input price is dropped and reported. When two rows give
    the same model id, the first in the file is kept.
  - LiteLLM has no training, hosting, storage or token-encoding data: an
    imported catalog has none of them.

Merging into catalogs already in the output folder, and writing them, is
:mod:`ftcost.catalogs.litellm_import`.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import json
import math
import os
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeGuard

from ..errors import CatalogError
from ..i18n import Message, did_you_mean

PROVIDERS = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "azure": "azure-openai",
    "azure_text": "azure-openai",
    "azure_ai": "azure-ai",
    "vertex_ai": "vertex-ai",
    "gemini": "gemini",
    "bedrock": "bedrock",
    "bedrock_converse": "bedrock",
    "together_ai": "together",
    "fireworks_ai": "fireworks",
    "mistral": "mistral",
}
KEY_PREFIXES = (
    "azure/",
    "azure_ai/",
    "vertex_ai/",
    "bedrock/",
    "bedrock_converse/",
    "together_ai/",
    "fireworks_ai/",
    "mistral/",
    "gemini/",
    "openai/",
    "text-completion-openai/",
)
SUB_PREFIXES = ("accounts/fireworks/models/",)
MODES = ("chat", "completion", "responses")
# The 2026 file is ~2 MB. Refusing absurd inputs (and gzip bombs) bounds the memory of the import: parsed JSON takes
# about 6x its size in Python objects (docs/guarantees.md has the figures measured).
MAX_INPUT_BYTES = 32 * 1024 * 1024
MAX_JSON_DEPTH = 200  # LiteLLM's rows are 2-3 levels deep; Python's json recursion ends near 1,000
MAX_INT_DIGITS = 4300  # Python's limit for int('...') (sys.get_int_max_str_digits); json.loads raises past it
IMPORTED_FIELDS = ("input", "cached_input", "output", "batch_discount")
FACT_FIELDS = ("context_window", "retires_on")


def provider_for(litellm_provider: str) -> str:
    if litellm_provider in PROVIDERS:
        return PROVIDERS[litellm_provider]
    if litellm_provider.startswith("vertex_ai"):
        return "vertex-ai"  # vertex_ai-language-models, vertex_ai-anthropic_models...
    return re.sub(r"[^a-z0-9.-]+", "-", litellm_provider.lower()).strip("-") or "unknown"


def model_id(key: str, litellm_provider: str) -> str:
    for prefix in (litellm_provider + "/",) + KEY_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    for prefix in SUB_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key


def per_million(value: Any) -> float:
    """USD per token to USD per 1M tokens, in decimal so that 1.5e-07 gives 0.15 exactly."""
    return float(Decimal(repr(float(value))).scaleb(6).normalize())


def _is_price(value: Any) -> TypeGuard[float]:
    """A number >= 0 a float can hold (an integer of 400 digits is not: math.isfinite would raise)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value) and value >= 0
    except OverflowError:
        return False


def version_from_name(name: str) -> str | None:
    m = re.search(r"(\d+\.\d+\.\d+)", name)
    return m.group(1) if m else None


def read_litellm(path: str | os.PathLike) -> dict:
    """The parsed JSON of a LiteLLM price file (.json or .json.gz)."""
    p = Path(path)
    name = str(path)
    from ..reading import open_regular

    try:
        with open_regular(p, what="LiteLLM price file", error_cls=CatalogError) as raw_fh:
            fh = gzip.GzipFile(fileobj=raw_fh) if p.name.endswith(".gz") else raw_fh
            raw = fh.read(MAX_INPUT_BYTES + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise CatalogError(Message("cannot read LiteLLM price file: {reason}", reason=str(exc)), file=name) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise CatalogError(
            f"LiteLLM price file is over {MAX_INPUT_BYTES:,} bytes" + (" once decompressed" if p.name.endswith(".gz") else ""),
            file=name,
            hint=Message(
                "LiteLLM's model_prices_and_context_window.json is about 3.5 MB (version 1.110.2); give that file, or cut it to the providers you need"
            ),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogError(Message("LiteLLM price file is not UTF-8 JSON"), file=name) from None
    del raw
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(Message("invalid JSON: {msg}", msg=exc.msg), file=name, line=exc.lineno, column=exc.colno) from None
    except (RecursionError, ValueError) as exc:  # nesting past the recursion limit; an integer of 4,300+ digits
        raise _json_limit_error(text, name, exc) from None
    if not isinstance(data, dict):
        raise CatalogError(Message("expected a JSON object mapping model names to prices"), file=name)
    return data


def _json_limit_error(text: str, name: str, exc: Exception) -> CatalogError:
    """The located error for JSON that json.loads gives up on: too deep, or an integer too long (found by a scan)."""
    depth = 0
    long_int = "-?[0-9]{" + str(MAX_INT_DIGITS + 1) + ",}"
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|' + long_int, text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                line, col = _line_col(text, m.start())
                return CatalogError(
                    Message("JSON nested more than {limit} levels deep", limit=MAX_JSON_DEPTH),
                    file=name,
                    line=line,
                    column=col,
                    hint=Message("a LiteLLM price file is a mapping of model names to flat rows of prices"),
                )
        elif tok in "]}":
            depth -= 1
        elif not tok.startswith('"'):
            line, col = _line_col(text, m.start())
            return CatalogError(
                Message("a number of {n:,} digits; ftcost reads at most {limit:,}", n=len(tok.lstrip("-")), limit=MAX_INT_DIGITS),
                file=name,
                line=line,
                column=col,
                hint=Message("a price or a token count has a few digits"),
            )
    return CatalogError(Message("cannot read the JSON: {reason}", reason=str(exc)[:200]), file=name)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def convert(data: dict, *, source: str, as_of: _dt.date, providers: list[str] | None = None) -> tuple[dict[str, dict], list[str]]:
    """LiteLLM rows to ftcost catalog data, one dict per provider; also the warnings."""
    warnings: list[str] = []
    cats: dict[str, dict] = {}
    origin: dict[tuple[str, str], str] = {}  # (provider, id) -> LiteLLM key that made it
    ft_rows: list[tuple[str, str, str, dict]] = []
    alias_rows: list[tuple[str, str, str, str]] = []  # (provider, alias, LiteLLM key, target model id)
    seen_providers: set[str] = set()
    for key, row in data.items():
        if key == "sample_spec" or not isinstance(row, dict):
            continue
        target_row = data.get(row.get("alias_of")) if isinstance(row.get("alias_of"), str) else None
        if isinstance(target_row, dict) and isinstance(target_row.get("litellm_provider"), str):
            # {"alias_of": "azure/gpt-6-luna"}: another name of that model
            tlp = target_row["litellm_provider"]
            alias_rows.append((provider_for(tlp), model_id(key, tlp), key, model_id(row["alias_of"], tlp)))
            continue
        lp = row.get("litellm_provider")
        if not isinstance(lp, str) or row.get("mode") not in MODES:
            continue
        prov = provider_for(lp)
        seen_providers.add(prov)
        if providers is not None and prov not in providers:
            continue
        mid = model_id(key, lp)
        if not mid:
            continue
        if mid.startswith("ft:"):
            ft_rows.append((prov, mid[3:], key, row))
            continue
        block = _model_block(key, row, source, as_of, warnings)
        if block is None:
            continue
        cat = cats.setdefault(prov, _new_catalog(prov, source, as_of))
        if mid in cat["models"]:
            if cat["models"][mid] != block:
                warnings.append(f"{key}: model id '{mid}' already came from {origin[(prov, mid)]} with other values; kept that one")
            continue
        cat["models"][mid] = block
        origin[(prov, mid)] = key
    if providers is not None:
        unknown = [p for p in providers if p not in seen_providers]
        if unknown:
            raise CatalogError(
                Message("no LiteLLM rows for provider '{provider}'", provider=unknown[0]),
                hint=Message(
                    "{near} providers in the file: {providers}",
                    near=did_you_mean(unknown[0], seen_providers) or "",
                    providers=", ".join(sorted(seen_providers)),
                ),
            )
    for prov, alias, key, target in alias_rows:
        models = cats.get(prov, {}).get("models", {})
        if target not in models or alias == target:
            continue  # target not imported (filtered, not a chat model...)
        if alias in models or any(alias in (b.get("aliases") or []) for b in models.values()):
            warnings.append(f"{key}: '{alias}' already names a model; not added as an alias of '{target}'")
            continue
        models[target].setdefault("aliases", []).append(alias)
    for prov, base_id, key, row in ft_rows:
        ft = _prices(key, row, warnings)
        if not ft:
            continue
        cat = cats.setdefault(prov, _new_catalog(prov, source, as_of))
        model = cat["models"].get(base_id)
        if model is None:
            model = cat["models"][base_id] = {}
            origin[(prov, base_id)] = key
        if "fine_tuning" in model:
            warnings.append(f"{key}: fine-tuned prices for '{base_id}' already came from another row; kept those")
            continue
        row_src = row.get("source")
        if isinstance(row_src, str) and row_src.startswith("http"):
            ft["source"] = f"{row_src} (via {source})"
        model["fine_tuning"] = ft
    for cat in cats.values():
        cat["models"] = dict(sorted(cat["models"].items()))
    return cats, warnings


def _new_catalog(provider: str, source: str, as_of: _dt.date) -> dict:
    return {"provider": provider, "currency": "USD", "as_of": as_of, "source": source, "models": {}}


def _prices(key: str, row: dict, warnings: list[str]) -> dict:
    out: dict[str, Any] = {}
    for name, lkey in (("input", "input_cost_per_token"), ("cached_input", "cache_read_input_token_cost"), ("output", "output_cost_per_token")):
        if lkey in row:
            if _is_price(row[lkey]) and per_million(row[lkey]) <= 1e15:  # pricing.MAX_NUMBER: what a catalog holds
                out[name] = per_million(row[lkey])
            else:
                warnings.append(f"{key}: {lkey} is {_short_repr(row[lkey])}, not a price >= 0 up to 1e9 per token; left out")
    if "cached_input" in out and "input" in out and out["cached_input"] > out["input"]:
        warnings.append(f"{key}: cached input price {out['cached_input']:g} is above the input price {out['input']:g}; left out")
        del out["cached_input"]
    discounts = []
    for normal, batch in (("input_cost_per_token", "input_cost_per_token_batches"), ("output_cost_per_token", "output_cost_per_token_batches")):
        n, b = row.get(normal), row.get(batch)
        if _is_price(n) and _is_price(b) and n > 0:
            try:
                discounts.append(Decimal(1) - Decimal(repr(float(b))) / Decimal(repr(float(n))))
            except InvalidOperation:
                pass
    if discounts:
        if max(discounts) - min(discounts) > Decimal("1e-9"):
            warnings.append(
                f"{key}: batch prices are not one discount (input {float(discounts[0]):.4g}, output {float(discounts[1]):.4g} off); batch_discount left out"
            )
        elif not Decimal(0) <= discounts[0] <= Decimal(1):
            warnings.append(f"{key}: batch price above the normal price; batch_discount left out")
        else:
            out["batch_discount"] = float(discounts[0].quantize(Decimal("1e-9")).normalize())
    return out


def _short_repr(value: Any) -> str:
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else f"a {len(str(abs(value)))}-digit number"
    return text if len(text) <= 60 else text[:57] + "..."


def _model_block(key: str, row: dict, source: str, as_of: _dt.date, warnings: list[str]) -> dict | None:
    prices = _prices(key, row, warnings)
    if not any(k in prices for k in ("input", "output")):
        return None
    block: dict[str, Any] = {}
    mti = row.get("max_input_tokens")
    if isinstance(mti, int) and not isinstance(mti, bool) and mti > 0:
        if mti <= 10**15:  # the largest number a catalog holds (pricing.MAX_NUMBER)
            block["context_window"] = mti
        else:
            warnings.append(f"{key}: max_input_tokens {str(mti)[:20]}... is implausibly large; left out")
    block.update(prices)
    sources: dict[str, Any] = {}
    dep = row.get("deprecation_date")
    if isinstance(dep, str):
        try:
            block["retires_on"] = _dt.date.fromisoformat(dep)
            dsrc = row.get("deprecation_source")
            sources["retires_on"] = f"{source} deprecation_date" + (f" ({dsrc})" if isinstance(dsrc, str) and dsrc else "")
        except ValueError:
            warnings.append(f"{key}: deprecation_date {dep!r} is not YYYY-MM-DD; left out")
    row_src = row.get("source")
    if isinstance(row_src, str) and row_src.startswith("http"):
        block["source"] = f"{row_src} (via {source})"
    if sources:
        block["sources"] = sources
    return block
