"""Convert LiteLLM's model_prices_and_context_window.json into ftcost catalogs.

LiteLLM keeps one row per model name with USD prices per token. This module
turns the chat and completion rows into one ftcost catalog per provider, with
prices per 1M tokens, and merges them into catalogs already in the output
folder. The rules (also in docs/pricing.md):

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

Merging into an existing catalog in the output folder (same provider file)
  - The existing file is the base: every model, GPU, alias, note and price
    it has stays, unless the import has a *different* value for one of the
    fields the import sets (input, cached_input, output, batch_discount,
    context_window, retires_on, and the same for fine_tuning). Then the new
    value replaces it, with a per-field ``sources`` entry naming the LiteLLM
    file, its version and as_of, and the change is reported. Equal values
    keep their existing source. A fine-tuning block with published batch
    prices (batch_input, batch_output) keeps them and gets no batch_discount
    (reported).
  - An imported row matches an existing model by id, or else by alias (a row
    matching by alias is skipped when another row matched that model by id).
  - Models not in the file are added. The file's opening comment is kept;
    other comments and YAML anchors are not (the data they expand to is).
  - Every catalog is validated before it is written; each is written to a
    temporary file in the output folder and then renamed over the target, so
    a reader never sees half a file. The input file is never overwritten.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import json
import math
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from .errors import CatalogError, OutputError, did_you_mean
from .outputs import write_atomic
from .pricing import BATCH_PRICE_KEYS, parse_catalog
from .yamlsrc import load_yaml_file, load_yaml_text

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


@dataclass
class ImportResult:
    catalogs: dict[str, dict]  # provider -> catalog data (new or merged)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    counts: dict[str, dict] = field(default_factory=dict)  # provider -> {models, added, changed}


def read_litellm(path: str | os.PathLike) -> dict:
    """The parsed JSON of a LiteLLM price file (.json or .json.gz)."""
    p = Path(path)
    name = str(path)
    from .reading import open_regular

    try:
        with open_regular(p, what="LiteLLM price file", error_cls=CatalogError) as raw_fh:
            fh = gzip.GzipFile(fileobj=raw_fh) if p.name.endswith(".gz") else raw_fh
            raw = fh.read(MAX_INPUT_BYTES + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise CatalogError(f"cannot read LiteLLM price file: {exc}", file=name) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise CatalogError(
            f"LiteLLM price file is over {MAX_INPUT_BYTES:,} bytes" + (" once decompressed" if p.name.endswith(".gz") else ""),
            file=name,
            hint="LiteLLM's model_prices_and_context_window.json is about 3.5 MB (version 1.110.2); give that file, or cut it to the providers you need",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogError("LiteLLM price file is not UTF-8 JSON", file=name) from None
    del raw
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"invalid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno) from None
    except (RecursionError, ValueError) as exc:  # nesting past the recursion limit; an integer of 4,300+ digits
        raise _json_limit_error(text, name, exc) from None
    if not isinstance(data, dict):
        raise CatalogError("expected a JSON object mapping model names to prices", file=name)
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
                    f"JSON nested more than {MAX_JSON_DEPTH} levels deep",
                    file=name,
                    line=line,
                    column=col,
                    hint="a LiteLLM price file is a mapping of model names to flat rows of prices",
                )
        elif tok in "]}":
            depth -= 1
        elif not tok.startswith('"'):
            line, col = _line_col(text, m.start())
            return CatalogError(
                f"a number of {len(tok.lstrip('-')):,} digits; ftcost reads at most {MAX_INT_DIGITS:,}",
                file=name,
                line=line,
                column=col,
                hint="a price or a token count has a few digits",
            )
    return CatalogError(f"cannot read the JSON: {str(exc)[:200]}", file=name)


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
                f"no LiteLLM rows for provider '{unknown[0]}'",
                hint=(did_you_mean(unknown[0], seen_providers) or "") + " providers in the file: " + ", ".join(sorted(seen_providers)),
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


# ---------------------------------------------------------------- merging into existing catalogs


def _find(models: dict, mid: str) -> str | None:
    if mid in models:
        return mid
    for existing, block in models.items():
        if isinstance(block, dict) and mid in (block.get("aliases") or []):
            return existing
    return None


def _merge_fields(target: dict, new: dict, fields: tuple[str, ...], src: dict, where: str, changes: list[str]) -> int:
    """Set ``fields`` of ``new`` into ``target`` where they differ; returns how many changed."""
    n = 0
    for f in fields:
        if f not in new:
            continue
        old = target.get(f)
        if old == new[f]:
            continue
        target[f] = new[f]
        target.setdefault("sources", {})[f] = dict(src)
        changes.append(f"{where} {f}: {'(none)' if old is None else old} -> {new[f]}")
        n += 1
    return n


def _without_discount_over_published(target: dict, new: dict, where: str, warnings: list[str]) -> dict:
    """The imported block without its batch_discount when the catalog already holds published batch prices
    there: a catalog gives one or the other, and the published prices are the better source."""
    if "batch_discount" not in new or not any(k in target for k in BATCH_PRICE_KEYS):
        return new
    new = dict(new)
    warnings.append(f"{where}: batch_discount {new.pop('batch_discount')} left out: the catalog has published batch prices")
    return new


def merge_into(existing: dict, imported: dict, *, source: str, as_of: _dt.date, changes: list[str], warnings: list[str]) -> tuple[dict, dict]:
    """Lay an imported catalog's values into existing catalog data (rules in the module docstring).

    Returns the merged data and the counts of models added and values changed.
    """
    models = existing.setdefault("models", {})
    provider = existing.get("provider")
    src = {"source": source, "as_of": as_of}
    matched_by_id = {mid for mid in imported["models"] if mid in models}
    added = changed = 0
    for mid, block in imported["models"].items():
        target_id = _find(models, mid)
        if target_id is None:
            models[mid] = block
            added += 1
            continue
        if target_id != mid and target_id in matched_by_id:
            continue  # the row with the model's own id wins over an alias row
        target = models[target_id]
        if target is None:
            target = models[target_id] = {}
        where = f"{provider}/{target_id}"
        changed += _merge_fields(target, block, IMPORTED_FIELDS + FACT_FIELDS, src, where, changes)
        for alias in block.get("aliases", []):
            if alias != target_id and alias not in (target.get("aliases") or []):
                if _find(models, alias) is None:
                    target.setdefault("aliases", []).append(alias)
                else:
                    warnings.append(f"{where}: alias '{alias}' already names another model; not added")
        if "fine_tuning" in block:
            ft = target.get("fine_tuning")
            if ft is None:
                target["fine_tuning"] = block["fine_tuning"]
                changed += 1
                changes.append(f"{where} fine_tuning: added")
            else:
                new_ft = _without_discount_over_published(ft, block["fine_tuning"], where + " fine_tuning", warnings)
                changed += _merge_fields(ft, new_ft, IMPORTED_FIELDS, src, where + " fine_tuning", changes)
    return existing, {"added": added, "changed": changed}


# ---------------------------------------------------------------- writing


def _header(existing_text: str | None, *, input_name: str, source: str, as_of: _dt.date) -> str:
    lines = []
    if existing_text:
        for line in existing_text.splitlines():
            if line.startswith("#") or not line.strip():
                lines.append(line)
            else:
                break
        while lines and not lines[-1].strip():
            lines.pop()
        lines.append(f"# Prices merged by 'ftcost pricing import litellm {input_name}' ({source}, as_of {as_of.isoformat()});")
        lines.append("# merge rules: docs/pricing.md. Changed prices name that source in 'sources'.")
    else:
        lines.append(f"# Imported by 'ftcost pricing import litellm {input_name}' from {source}, as_of {as_of.isoformat()}.")
        lines.append("# USD per 1M tokens (LiteLLM's per-token prices x 1,000,000). LiteLLM has no training,")
        lines.append("# hosting or storage prices and no token encodings: add them by hand, each with its source.")
    return "\n".join(lines) + "\n"


def _checked_size(prov: str, cat: dict, target: Path, make_text) -> str:
    """The catalog's text, refused before writing when it is over the size ftcost reads (yamlsrc.MAX_YAML_BYTES).

    JSON of the same data is a cheap first estimate (the YAML is about as long): a catalog far over the limit is
    refused without dumping it.
    """
    from .yamlsrc import MAX_YAML_BYTES

    def refuse(size: int, estimate: bool) -> CatalogError:
        return CatalogError(
            f"the {prov} catalog would be {'about ' if estimate else ''}{size:,} bytes ({len(cat['models']):,} models), "
            f"over the {MAX_YAML_BYTES:,}-byte limit of a catalog ftcost reads; nothing was written",
            file=str(target),
            hint=f"import fewer providers at a time with --provider (this one: --provider {prov}), or keep only the models you use",
        )

    estimate = len(json.dumps(cat, default=str, separators=(",", ":")))
    if estimate > 2 * MAX_YAML_BYTES:
        raise refuse(estimate, True)
    text = make_text()
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        raise refuse(size, False)
    return text


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=200)


def import_litellm(
    input_path: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    providers: list[str] | None = None,
    version: str | None = None,
    as_of: _dt.date | None = None,
    write: bool = True,
) -> ImportResult:
    """Convert a LiteLLM price file into catalogs in ``out_dir``, merging with catalogs already there."""
    inp = Path(input_path)
    out = Path(out_dir)
    version = version or version_from_name(inp.name)
    as_of = as_of or _dt.date.today()
    source = f"LiteLLM {version or '(version unknown)'} {inp.name}"
    data = read_litellm(inp)
    cats, warnings = convert(data, source=source, as_of=as_of, providers=providers)
    if version is None:
        warnings.insert(0, "the LiteLLM version is not in the file name; give it with --version so the source names it")
    if out.exists() and not out.is_dir():
        raise OutputError("output must be a folder", file=str(out))
    result = ImportResult({}, warnings)
    texts: dict[Path, str] = {}
    for prov, cat in sorted(cats.items()):
        target = out / f"{prov}.yaml"
        existing_text = None
        if target.exists():
            if inp.exists() and target.resolve() == inp.resolve():
                raise OutputError("the output would overwrite the input file", file=str(target))
            doc = load_yaml_file(target, what="pricing catalog", error_cls=CatalogError)
            parse_catalog(doc)  # never merge into a broken catalog
            if doc.data.get("currency", "USD") != "USD":
                raise CatalogError(f"cannot merge LiteLLM's USD prices into a {doc.data['currency']} catalog", file=str(target), path=("currency",))
            existing_text = target.read_text(encoding="utf-8")
            cat, counts = merge_into(doc.data, cat, source=source, as_of=as_of, changes=result.changes, warnings=warnings)
        else:
            counts = {"added": len(cat["models"]), "changed": 0}
        counts["models"] = len(cat["models"])
        header = _header(existing_text, input_name=inp.name, source=source, as_of=as_of)
        text = _checked_size(prov, cat, target, lambda c=cat, h=header: h + _dump(c))
        parse_catalog(load_yaml_text(text, file=str(target), error_cls=CatalogError))  # what we write must load
        texts[target] = text
        result.catalogs[prov] = cat
        result.counts[prov] = counts
    if write and texts:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the output folder: {exc.strerror}", file=str(out)) from None
        for target, text in texts.items():
            try:
                write_atomic(target, text, inputs=[inp], updates=target)
            except OSError as exc:
                raise OutputError(f"cannot write catalog: {exc.strerror}", file=str(target)) from None
            result.written.append(target)
    return result
