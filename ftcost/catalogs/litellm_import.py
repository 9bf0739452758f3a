"""``ftcost pricing import litellm``: LiteLLM's prices merged into the catalogs of a folder, and written.

The rows are converted by :mod:`ftcost.catalogs.litellm` (the conversion rules
are in its docstring and in docs/pricing.md). The rules here:

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
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import CatalogError, OutputError
from ..i18n import Message
from ..outputs import write_atomic
from ..yamlsrc import load_yaml_file, load_yaml_text
from .litellm import FACT_FIELDS, IMPORTED_FIELDS, convert, read_litellm, version_from_name
from .model import BATCH_PRICE_KEYS
from .parse import parse_catalog


@dataclass
class ImportResult:
    catalogs: dict[str, dict]  # provider -> catalog data (new or merged)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    counts: dict[str, dict] = field(default_factory=dict)  # provider -> {models, added, changed}


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
    from ..yamlsrc import MAX_YAML_BYTES

    def refuse(size: int, estimate: bool) -> CatalogError:
        return CatalogError(
            Message(
                "the {prov} catalog would be about {size:,} bytes ({models:,} models), over the {limit:,}-byte limit of a catalog ftcost reads; nothing was written",
                prov=prov,
                size=size,
                models=len(cat["models"]),
                limit=MAX_YAML_BYTES,
            )
            if estimate
            else Message(
                "the {prov} catalog would be {size:,} bytes ({models:,} models), over the {limit:,}-byte limit of a catalog ftcost reads; nothing was written",
                prov=prov,
                size=size,
                models=len(cat["models"]),
                limit=MAX_YAML_BYTES,
            ),
            file=str(target),
            hint=Message("import fewer providers at a time with --provider (this one: --provider {prov}), or keep only the models you use", prov=prov),
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
        raise OutputError(Message("output must be a folder"), file=str(out))
    result = ImportResult({}, warnings)
    texts: dict[Path, str] = {}
    for prov, cat in sorted(cats.items()):
        target = out / f"{prov}.yaml"
        existing_text = None
        if target.exists():
            if inp.exists() and target.resolve() == inp.resolve():
                raise OutputError(Message("the output would overwrite the input file"), file=str(target))
            doc = load_yaml_file(target, what="pricing catalog", error_cls=CatalogError)
            parse_catalog(doc)  # never merge into a broken catalog
            if doc.data.get("currency", "USD") != "USD":
                raise CatalogError(
                    Message("cannot merge LiteLLM's USD prices into a {currency} catalog", currency=doc.data["currency"]), file=str(target), path=("currency",)
                )
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
            raise OutputError(Message("cannot create the output folder: {reason}", reason=exc.strerror), file=str(out)) from None
        for target, text in texts.items():
            try:
                write_atomic(target, text, inputs=[inp], updates=target)
            except OSError as exc:
                raise OutputError(Message("cannot write catalog: {reason}", reason=exc.strerror), file=str(target)) from None
            result.written.append(target)
    return result
