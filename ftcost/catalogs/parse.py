"""Parsing one catalog file: its blocks (models, fine-tuning, serving, GPUs, default epochs) checked and turned into a Catalog.

Every problem is a CatalogError located at its key (file, line, column),
with a hint; docs/pricing.md states the rules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from ..epochs import ASSUMED, DEFAULT_EPOCHS_KEYS, RULES, EpochRule
from ..errors import CatalogError
from ..i18n import Message, did_you_mean
from ..yamlsrc import YamlDoc
from .model import (
    BASE_PRICE_KEYS,
    BATCH_PRICE_KEYS,
    CATALOG_KEYS,
    FT_FACT_KEYS,
    FT_OTHER_KEYS,
    FT_PRICE_KEYS,
    GPU_KEYS,
    MODEL_FACT_KEYS,
    MODEL_OTHER_KEYS,
    OVERRIDE_MODES,
    SERVING_MODES,
    Catalog,
    Gpu,
    Model,
    Price,
)
from .values import _as_date, _check_cached, _check_keys, _has_control, _money, _prices, _sources, _text


def _last_new_job_day(doc: YamlDoc, ft_block: dict, fp: tuple) -> _dt.date | None:
    """``last_new_job_day`` (inclusive), or its old name ``new_jobs_until``; not both."""
    if ft_block.get("last_new_job_day") is not None and ft_block.get("new_jobs_until") is not None:
        raise doc.error(
            CatalogError,
            fp + ("new_jobs_until",),
            Message("give last_new_job_day or its old name new_jobs_until, not both"),
            Message("keep last_new_job_day: the last day (inclusive) new training jobs are accepted"),
            key=True,
        )
    key = "new_jobs_until" if ft_block.get("new_jobs_until") is not None else "last_new_job_day"
    return _as_date(ft_block.get(key), doc, fp + (key,))


def _epoch_rule(doc: YamlDoc, raw: Any, cat_source: str, cat_asof: _dt.date | None) -> EpochRule:
    """The catalog's ``default_epochs`` block, or ASSUMED (OpenAI's heuristic, with a warning where it is used)."""
    if raw is None:
        return ASSUMED
    p = ("default_epochs",)
    _check_keys(doc, raw, p, DEFAULT_EPOCHS_KEYS, "default_epochs")
    rule = raw.get("rule")
    if rule not in RULES:
        raise doc.error(
            CatalogError,
            p + ("rule",),
            Message("rule must be one of {choices}, got {rule!r}", choices=", ".join(RULES), rule=rule),
            did_you_mean(str(rule), RULES),
        )
    epochs = None
    if rule == "fixed":
        if raw.get("epochs") is None:
            raise doc.error(CatalogError, p, Message("rule: fixed needs epochs: N"), key=True)
        epochs = int(_money(doc, raw["epochs"], p + ("epochs",), integer=True))
        if epochs < 1:
            raise doc.error(CatalogError, p + ("epochs",), Message("epochs must be at least 1"))
    elif raw.get("epochs") is not None:
        raise doc.error(CatalogError, p + ("epochs",), Message("epochs is for rule: fixed"), key=True)
    source = _text(doc, raw, "source", p) or cat_source
    if not source:
        raise doc.error(CatalogError, p, Message("default_epochs has no source"), Message("add source: the page that publishes the rule"), key=True)
    asof = _as_date(raw.get("as_of"), doc, p + ("as_of",)) if "as_of" in raw else cat_asof
    return EpochRule(str(rule), epochs, source, asof)


def _serving(doc: YamlDoc, ft_block: dict, fp: tuple, ft: Mapping[str, Price], inherited_src: str) -> tuple[str | None, str | None, str | None]:
    """``serving`` (one of SERVING_MODES), its source, and ``hosting_gpu``; checked against the block's prices."""
    mode = ft_block.get("serving")
    gpu = _text(doc, ft_block, "hosting_gpu", fp)
    if mode is None:
        if gpu is not None:
            raise doc.error(CatalogError, fp + ("hosting_gpu",), Message("hosting_gpu needs serving: dedicated"), key=True)
        return None, None, None
    if mode not in SERVING_MODES:
        raise doc.error(
            CatalogError,
            fp + ("serving",),
            Message("serving must be one of {choices}, got {mode!r}", choices=", ".join(SERVING_MODES), mode=mode),
            did_you_mean(str(mode), SERVING_MODES),
        )
    host = ft.get("hosting_per_hour")
    if mode == "serverless" and host is not None and host.value > 0:
        raise doc.error(
            CatalogError,
            fp + ("hosting_per_hour",),
            Message("a serverless fine-tuned model has no hourly fee"),
            Message("use serving: deployment (per token plus an hourly fee) or dedicated (per GPU-hour)"),
        )
    if gpu is not None and mode != "dedicated":
        raise doc.error(CatalogError, fp + ("hosting_gpu",), Message("hosting_gpu is for serving: dedicated"), key=True)
    if gpu is not None and host is not None:
        raise doc.error(CatalogError, fp + ("hosting_gpu",), Message("give hosting_gpu or hosting_per_hour, not both"), key=True)
    if mode == "provisioned" and ft_block.get("model_units") is None:
        raise doc.error(CatalogError, fp + ("serving",), Message("serving: provisioned needs model_units"))
    per_field = _sources(doc, ft_block, fp)
    src = per_field.get("serving", (None, None))[0] or _text(doc, ft_block, "source", fp) or inherited_src or None
    if not src:
        raise doc.error(CatalogError, fp + ("serving",), Message("serving has no source"), Message("add sources: {{serving: ...}} or a source to the block"))
    return str(mode), src, gpu


def _price_hosting_gpu(doc: YamlDoc, m: Model, gpus: Mapping[str, Gpu]) -> None:
    """A dedicated endpoint on ``hosting_gpu``: its hourly price becomes the fine-tuned model's hosting_per_hour."""
    if m.hosting_gpu is None or m.fine_tuning is None:
        return
    path = ("models", m.id, "fine_tuning", "hosting_gpu")
    g = gpus.get(m.hosting_gpu) or next((x for x in gpus.values() if m.hosting_gpu in x.aliases), None)
    if g is None:
        raise doc.error(
            CatalogError,
            path,
            Message("hosting_gpu '{hosting_gpu}' is not a GPU of this catalog", hosting_gpu=m.hosting_gpu),
            did_you_mean(m.hosting_gpu, list(gpus)) or Message("add it under gpus: with its per_hour price"),
        )
    line, col = doc.where(path)
    m.fine_tuning["hosting_per_hour"] = Price(
        g.per_hour.value, f"dedicated endpoint on 1 x {g.name}: {g.per_hour.source}", g.per_hour.as_of, "hosting_per_hour", doc.file, line, col
    )


def _check_batch_prices(doc: YamlDoc, ft: Mapping[str, Price], fp: tuple) -> None:
    """Published batch prices come as a set: batch_input and batch_output (batch_cached_input optional), not with batch_discount."""
    given = [k for k in BATCH_PRICE_KEYS if k in ft]
    if not given:
        return
    for need in ("batch_input", "batch_output"):
        if need not in ft:
            raise doc.error(
                CatalogError,
                fp + (given[0],),
                Message("{given} needs {need} as well", given=given[0], need=need),
                Message("give the batch prices as published: batch_input, batch_output (and batch_cached_input)"),
            )
    if "batch_discount" in ft:
        raise doc.error(CatalogError, fp + ("batch_discount",), Message("give published batch prices or a batch_discount, not both"), key=True)
    bc, bi = ft.get("batch_cached_input"), ft["batch_input"]
    if bc is not None and bc.value > bi.value:
        raise doc.error(
            CatalogError,
            fp + ("batch_cached_input",),
            Message("batch_cached_input {value:g} is above batch_input {value2:g}", value=bc.value, value2=bi.value),
            Message("a cached token never costs more than a fresh one"),
        )


def _successor(doc: YamlDoc, block: dict, path: tuple, provider: str, model_source: str) -> dict[str, Any]:
    """``successor: provider/id`` (a bare id means this catalog's provider), its source and location."""
    name = _text(doc, block, "successor", path)
    if name is None:
        return {}
    name = name.strip()
    if _has_control(name):
        raise doc.error(CatalogError, path + ("successor",), Message("successor contains a line break or control character"))
    ref = name if "/" in name else f"{provider}/{name}"
    src = _sources(doc, block, path).get("successor", (None, None))[0] or model_source
    line, col = doc.where(path + ("successor",))
    return {"successor": ref, "successor_source": src, "successor_at": (doc.file, line, col, path + ("successor",))}


def parse_catalog(doc: YamlDoc) -> Catalog:
    data = doc.data
    if data is None:
        raise CatalogError(Message("catalog is empty"), file=doc.file)
    _check_keys(doc, data, (), CATALOG_KEYS, "a catalog")
    for req in ("provider", "currency", "models"):
        if req not in data:
            raise doc.error(CatalogError, (), Message("catalog needs '{req}'", req=req), Message("see docs/pricing.md for the catalog format"))
    provider = data["provider"]
    if not isinstance(provider, str) or not provider or "/" in provider or _has_control(provider):
        raise doc.error(CatalogError, ("provider",), Message("provider must be a name without '/', line breaks or control characters"))
    currency = data["currency"]
    if not isinstance(currency, str) or len(currency.strip()) != 3 or not currency.strip().isalpha():
        raise doc.error(CatalogError, ("currency",), Message("currency must be a 3-letter code like USD, got {currency!r}", currency=currency))
    currency = currency.strip().upper()
    override = data.get("override", "merge")
    if override not in OVERRIDE_MODES:
        raise doc.error(
            CatalogError,
            ("override",),
            Message("override must be one of {choices}, got {override!r}", choices=", ".join(OVERRIDE_MODES), override=override),
            did_you_mean(str(override), OVERRIDE_MODES),
        )
    cat_asof = _as_date(data.get("as_of"), doc, ("as_of",))
    cat_source = _text(doc, data, "source", ()) or ""
    cat_notice = _text(doc, data, "notice", ())
    epoch_rule = _epoch_rule(doc, data.get("default_epochs"), cat_source, cat_asof)
    models_raw = data["models"]
    if not isinstance(models_raw, dict):
        raise doc.error(CatalogError, ("models",), Message("models must be a mapping of model id to prices"))
    models: dict[str, Model] = {}
    seen_names: dict[str, str] = {}
    for mid, block in models_raw.items():
        p = ("models", mid)
        _check_keys(doc, block, p, BASE_PRICE_KEYS + MODEL_OTHER_KEYS, f"model '{mid}'")
        m_src = _text(doc, block, "source", p) or cat_source
        m_asof = _as_date(block.get("as_of"), doc, p + ("as_of",)) if "as_of" in block else cat_asof
        base = _prices(doc, block, p, BASE_PRICE_KEYS, (m_src, m_asof), MODEL_FACT_KEYS)
        _check_cached(base, f"model '{mid}'")
        aliases = block.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise doc.error(CatalogError, p + ("aliases",), Message("aliases must be a list of names"))
        for name in [str(mid), *aliases]:
            if _has_control(name):
                raise doc.error(CatalogError, p, Message("model name {name!r} contains a line break or control character", name=name[:40]), key=True)
            if name in seen_names:
                raise doc.error(CatalogError, p, Message("name '{name}' is used by both '{first}' and '{mid}'", name=name, first=seen_names[name], mid=mid))
            seen_names[name] = mid
        ft = None
        ft_block = block.get("fine_tuning")
        max_ex = new_jobs = None
        ft_notice = serving = serving_src = hosting_gpu = None
        extra: dict[str, Any] = {}
        if ft_block is not None:
            fp = p + ("fine_tuning",)
            _check_keys(doc, ft_block, fp, FT_PRICE_KEYS + FT_OTHER_KEYS, "a fine_tuning block")
            ft = _prices(doc, ft_block, fp, FT_PRICE_KEYS, (m_src, m_asof), FT_FACT_KEYS)
            _check_cached(ft, f"the fine_tuning block of '{mid}'")
            mn, mx = ft.get("min_job_fee"), ft.get("max_job_fee")
            if mn is not None and mx is not None and mn.value > mx.value:
                raise doc.error(CatalogError, fp + ("min_job_fee",), Message("min_job_fee is above max_job_fee"))
            if ft_block.get("max_tokens_per_example") is not None:
                max_ex = int(_money(doc, ft_block["max_tokens_per_example"], fp + ("max_tokens_per_example",), integer=True))
                if max_ex < 1:  # a cap of 0 tokens per example would bill no training at all
                    raise doc.error(
                        CatalogError,
                        fp + ("max_tokens_per_example",),
                        Message("max_tokens_per_example must be a whole number >= 1, got {max_ex}", max_ex=max_ex),
                        Message("the provider's limit of tokens in one training example, e.g. 65536; leave it out when unknown"),
                    )
            new_jobs = _last_new_job_day(doc, ft_block, fp)
            _check_batch_prices(doc, ft, fp)
            serving, serving_src, hosting_gpu = _serving(doc, ft_block, fp, ft, m_src)
            ft_notice = _text(doc, ft_block, "notice", fp)
            for k in ("model_units", "commitment_months"):
                if ft_block.get(k) is not None:
                    extra[k] = int(_money(doc, ft_block[k], fp + (k,), integer=True))
        enc = _text(doc, block, "encoding", p)
        cw = block.get("context_window")
        if cw is not None:
            cw = int(_money(doc, cw, p + ("context_window",), integer=True))
        models[str(mid)] = Model(
            provider=provider,
            id=str(mid),
            aliases=tuple(aliases),
            currency=currency,
            catalog_file=doc.file,
            encoding=enc,
            context_window=cw,
            base=base,
            fine_tuning=ft,
            max_tokens_per_example=max_ex,
            last_new_job_day=new_jobs,
            retires_on=_as_date(block.get("retires_on"), doc, p + ("retires_on",)),
            notice=_text(doc, block, "notice", p) or cat_notice,
            ft_notice=ft_notice,
            tier=_text(doc, block, "tier", p),
            extra=extra,
            description=_text(doc, block, "description", p),
            serving=serving,
            serving_source=serving_src,
            hosting_gpu=hosting_gpu,
            epoch_rule=epoch_rule,
            **_successor(doc, block, p, provider, m_src),
        )
    gpus: dict[str, Gpu] = {}
    gpus_raw = data.get("gpus") or {}
    if not isinstance(gpus_raw, dict):
        raise doc.error(CatalogError, ("gpus",), Message("gpus must map a GPU name to {{per_hour, source, as_of}}"))
    for gname, gblock in gpus_raw.items():
        gp = ("gpus", gname)
        _check_keys(doc, gblock, gp, GPU_KEYS, f"gpu '{gname}'")
        prices = _prices(doc, gblock, gp, ("per_hour",), (cat_source, cat_asof))
        if "per_hour" not in prices:
            raise doc.error(CatalogError, gp, Message("gpu '{gname}' needs per_hour", gname=gname))
        mem = gblock.get("memory_gb")
        galiases = gblock.get("aliases") or []
        if not isinstance(galiases, list) or not all(isinstance(a, str) and a for a in galiases):
            raise doc.error(CatalogError, gp + ("aliases",), Message("aliases must be a list of names"))
        gpus[str(gname)] = Gpu(
            provider,
            str(gname),
            prices["per_hour"],
            tuple(galiases),
            _money(doc, mem, gp + ("memory_gb",)) if mem is not None else None,
            _text(doc, gblock, "description", gp),
        )
    for m in models.values():
        _price_hosting_gpu(doc, m, gpus)
    return Catalog(provider, currency, doc.file, cat_asof, cat_source, cat_notice, models, gpus, override, (doc.file,), doc, epoch_rule)
