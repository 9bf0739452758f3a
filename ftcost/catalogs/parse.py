"""Price catalogs: loading, validation and model look-up.

A catalog is one YAML file per provider (format in docs/design.md and
docs/pricing.md). Bundled catalogs live in ``ftcost/catalogs`` (``pricing/``
at the top of the repo points there). Every price keeps its source and as_of
date: a field-level entry in ``sources`` wins over the block's
``source``/``as_of``, which wins over the model's, which wins over the
catalog's.

Private catalogs (the ``--pricing DIR`` folders, then the folders in
``$FTCOST_PRICING_PATH``) are laid over the bundled catalog of the same
provider, model by model and price by price; a catalog a scenario names by
path is laid on top of both. docs/pricing.md states the rules.
"""

from __future__ import annotations

import dataclasses as _dc
import datetime as _dt
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .epochs import ASSUMED, DEFAULT_EPOCHS_KEYS, RULES, EpochRule
from .errors import CatalogError, did_you_mean
from .i18n import N_, Message
from .yamlsrc import YamlDoc, load_yaml_file

BUNDLED_DIR = Path(__file__).with_name("catalogs")
PRICING_PATH_ENV = "FTCOST_PRICING_PATH"
DEFAULT_MAX_AGE_DAYS = 180
MAX_NUMBER = 1e15  # no price or count in a catalog is larger; keeps the engine's products finite

# Per-1M-token rates and other money values a model block may carry.
BASE_PRICE_KEYS = ("input", "cached_input", "output", "batch_discount")
FT_PRICE_KEYS = (
    "training",  # per 1M training tokens (tokens x epochs)
    "training_per_hour",  # per hour of training time (reinforcement fine-tuning)
    "input",
    "cached_input",
    "output",
    "batch_discount",
    "hosting_per_hour",  # per deployment-hour, used or not
    "storage_per_month",  # per fine-tuned model kept
    "min_job_fee",  # a training job never costs less than this
    "max_job_fee",  # a training job is never billed more than this
    "model_unit_per_hour",  # provisioned throughput: per model unit and hour
    # Published batch prices of a fine-tuned model, per 1M tokens (OpenAI lists them; they are not
    # always the standard price less one discount). Given, they replace batch_discount.
    "batch_input",
    "batch_cached_input",
    "batch_output",
)
BATCH_PRICE_KEYS = ("batch_input", "batch_cached_input", "batch_output")
# last_new_job_day: the last day (inclusive) a new training job is accepted. new_jobs_until is the
# old name of the same key, still read (a catalog may not give both).
FT_FACT_KEYS = ("max_tokens_per_example", "last_new_job_day", "new_jobs_until", "notice", "model_units", "commitment_months", "serving", "hosting_gpu")
# How a provider serves a fine-tuned model (fine_tuning.serving), and so what it costs by the hour:
# serverless - per token only, no hourly fee (OpenAI, Vertex AI, Mistral);
# deployment - per token plus an hourly fee per deployment, used or not (Azure OpenAI: hosting_per_hour);
# dedicated  - a dedicated endpoint billed per GPU-hour while it runs, no per-token price
#              (Together, Fireworks): hosting_per_hour, or hosting_gpu naming one of the catalog's GPUs;
# provisioned - model units billed per hour (Bedrock: model_units x model_unit_per_hour).
SERVING_MODES = ("serverless", "deployment", "dedicated", "provisioned")
FT_OTHER_KEYS = FT_FACT_KEYS + ("source", "as_of", "sources")
MODEL_FACT_KEYS = ("retires_on", "successor", "encoding", "context_window", "notice", "tier")
MODEL_OTHER_KEYS = (
    "aliases",
    "encoding",
    "context_window",
    "retires_on",
    "successor",
    "notice",
    "source",
    "as_of",
    "sources",
    "fine_tuning",
    "tier",
    "description",
)
CATALOG_KEYS = ("provider", "currency", "as_of", "source", "notice", "models", "gpus", "description", "override", "default_epochs")
GPU_KEYS = ("per_hour", "memory_gb", "source", "as_of", "aliases", "description")
OVERRIDE_MODES = ("merge", "replace")
# A bare model name several loaded catalogs list means this provider's model (Catalogs.lookup).
PREFERRED_PROVIDER = "openai"

# Model attributes a private catalog may set over a bundled model (None = not set).
_MODEL_SCALARS = (
    "encoding",
    "context_window",
    "max_tokens_per_example",
    "last_new_job_day",
    "retires_on",
    "notice",
    "ft_notice",
    "tier",
    "description",
    "serving",
    "serving_source",
    "hosting_gpu",
    "successor",
    "successor_source",
    "successor_at",
)


@dataclass(frozen=True)
class Price:
    """One number with where it came from (``file``/``line`` locate it in its catalog)."""

    value: float
    source: str
    as_of: _dt.date | None
    field: str = ""
    # (``field`` above shadows dataclasses.field inside this class body)
    file: str = _dc.field(default="", compare=False, repr=False)
    line: int | None = _dc.field(default=None, compare=False, repr=False)
    column: int | None = _dc.field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        return {"value": self.value, "source": self.source, "as_of": self.as_of.isoformat() if self.as_of else None}

    @property
    def confidence(self) -> str:
        """``unverified``, ``secondary`` or ``primary``, read from the source's prefix."""
        low = self.source.lower()
        for tag in ("unverified", "secondary"):
            if low.startswith(tag + ":") or low.startswith(tag + " "):
                return tag
        return "primary"


@dataclass
class Model:
    provider: str
    id: str
    aliases: tuple[str, ...]
    currency: str
    catalog_file: str
    encoding: str | None = None
    context_window: int | None = None
    base: dict[str, Price] = field(default_factory=dict)
    fine_tuning: dict[str, Price] | None = None
    max_tokens_per_example: int | None = None
    last_new_job_day: _dt.date | None = None  # inclusive: the last day a new training job is accepted
    retires_on: _dt.date | None = None
    notice: str | None = None  # model- or catalog-level notice
    ft_notice: str | None = None  # fine-tuning notice
    tier: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # model_units, commitment_months (ints)
    description: str | None = None
    serving: str | None = None  # one of SERVING_MODES, or None when the catalog does not say
    serving_source: str | None = None
    hosting_gpu: str | None = None  # dedicated serving: the catalog GPU whose hourly price is hosting_per_hour
    epoch_rule: EpochRule = ASSUMED  # the provider's epochs: auto rule (its catalog's default_epochs)
    # The model the provider recommends in its place ("provider/id", any catalog; issue 13), where that
    # was read, and where the key is written (file, line, column) for located errors.
    successor: str | None = None
    successor_source: str | None = None
    successor_at: tuple | None = None

    @property
    def ref(self) -> str:
        return f"{self.provider}/{self.id}"

    @property
    def new_jobs_until(self) -> _dt.date | None:
        """Deprecated name of :attr:`last_new_job_day` (same value, inclusive)."""
        return self.last_new_job_day

    @property
    def model_units(self) -> int | None:
        """Model units a provisioned-throughput deployment buys (Bedrock), or None."""
        v = self.extra.get("model_units")
        return None if v is None else int(v)

    @property
    def commitment_months(self) -> int | None:
        """Commitment term the model-unit price assumes, in months (0 = none), or None."""
        v = self.extra.get("commitment_months")
        return None if v is None else int(v)

    def can_fine_tune(self) -> bool:
        """The provider offers fine-tuning of this model (some of its prices may be unknown)."""
        return self.fine_tuning is not None

    def accepts_jobs_on(self, day: _dt.date) -> bool:
        """New training jobs can be created on ``day``: fine-tunable, on or before last_new_job_day, not past retires_on."""
        if not self.can_fine_tune():
            return False
        if self.last_new_job_day is not None and day > self.last_new_job_day:
            return False
        if self.retires_on is not None and day > self.retires_on:
            return False
        return True

    def prices(self) -> list[Price]:
        """Every price of the model, base then fine-tuning."""
        return list(self.base.values()) + list((self.fine_tuning or {}).values())

    def to_dict(self, day: _dt.date | None = None) -> dict:
        """Plain data for JSON output; ``accepts_new_jobs`` is given when ``day`` is."""
        out: dict[str, Any] = {
            "model": self.ref,
            "provider": self.provider,
            "id": self.id,
            "aliases": list(self.aliases),
            "tier": self.tier,
            "currency": self.currency,
            "encoding": self.encoding,
            "context_window": self.context_window,
            "prices": {k: p.to_dict() for k, p in self.base.items()},
            "fine_tuning": None,
            "retires_on": self.retires_on.isoformat() if self.retires_on else None,
            "successor": self.successor,
            "successor_source": self.successor_source,
            "notice": self.notice,
            "catalog_file": self.catalog_file,
        }
        if self.fine_tuning is not None:
            out["fine_tuning"] = {
                "prices": {k: p.to_dict() for k, p in self.fine_tuning.items()},
                "serving": self.serving,
                "serving_source": self.serving_source,
                "hosting_gpu": self.hosting_gpu,
                "max_tokens_per_example": self.max_tokens_per_example,
                "model_units": self.model_units,
                "commitment_months": self.commitment_months,
                "last_new_job_day": self.last_new_job_day.isoformat() if self.last_new_job_day else None,
                # The old name of last_new_job_day, same value (kept so that existing readers still work).
                "new_jobs_until": self.last_new_job_day.isoformat() if self.last_new_job_day else None,
                "notice": self.ft_notice,
            }
        if day is not None:
            out["accepts_new_jobs"] = self.accepts_jobs_on(day)
        return out


@dataclass
class Gpu:
    provider: str
    name: str
    per_hour: Price
    aliases: tuple[str, ...] = ()
    memory_gb: float | None = None
    description: str | None = None

    def to_dict(self) -> dict:
        return {
            "gpu": f"{self.provider}/{self.name}",
            "aliases": list(self.aliases),
            "memory_gb": self.memory_gb,
            "per_hour": self.per_hour.to_dict(),
            "description": self.description,
        }


@dataclass
class Catalog:
    provider: str
    currency: str
    file: str
    as_of: _dt.date | None
    source: str
    notice: str | None
    models: dict[str, Model]
    gpus: dict[str, Gpu] = field(default_factory=dict)
    override: str = "merge"
    files: tuple[str, ...] = ()  # every file laid into this catalog, bundled first
    doc: YamlDoc | None = field(default=None, repr=False, compare=False)  # where its values are, for located errors
    epoch_rule: EpochRule = ASSUMED  # default_epochs: the provider's epochs: auto rule

    def error(self, path: tuple, message: str, hint: str | None = None) -> CatalogError:
        """A CatalogError at ``path`` of this catalog's file (with line and column when known)."""
        if self.doc is not None:
            return self.doc.error(CatalogError, path, message, hint)
        return CatalogError(message, file=self.file, path=path, hint=hint)

    def find(self, name: str) -> Model | None:
        if name in self.models:
            return self.models[name]
        for m in self.models.values():
            if name in m.aliases:
                return m
        return None

    def names(self) -> list[str]:
        out = []
        for m in self.models.values():
            out.append(m.id)
            out.extend(m.aliases)
        return out

    def prices(self) -> list[Price]:
        """Every price in the catalog: models, then GPUs."""
        return [p for m in self.models.values() for p in m.prices()] + [g.per_hour for g in self.gpus.values()]


# ---------------------------------------------------------------- parsing


def _as_date(value: Any, doc: YamlDoc, path: tuple) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise doc.error(CatalogError, path, f"expected a date YYYY-MM-DD, got {value!r}")


def _check_keys(doc: YamlDoc, mapping: Any, path: tuple, allowed: Iterable[str], what: str) -> dict:
    if not isinstance(mapping, dict):
        raise doc.error(CatalogError, path, f"{what} must be a mapping, got {type(mapping).__name__}")
    allowed = tuple(allowed)
    for key in mapping:
        if key not in allowed:
            hint = did_you_mean(key, allowed) or "allowed keys: " + ", ".join(allowed)
            raise doc.error(CatalogError, path + (key,), f"unknown key '{key}' in {what}", hint, key=True)
    return mapping


def _money(doc: YamlDoc, value: Any, path: tuple, *, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise doc.error(CatalogError, path, f"expected a number, got {value!r}")
    if (isinstance(value, float) and not math.isfinite(value)) or value < 0:
        raise doc.error(CatalogError, path, f"expected a finite number >= 0, got {value!r}")
    if value > MAX_NUMBER:  # also an int too large for a float (OverflowError otherwise)
        raise doc.error(CatalogError, path, f"{str(value)[:40]} is implausibly large (a catalog value is at most {MAX_NUMBER:g})", "check the number of digits")
    if integer and int(value) != value:
        raise doc.error(CatalogError, path, f"expected a whole number, got {value!r}")
    return float(value)


def _text(doc: YamlDoc, block: dict, key: str, path: tuple) -> str | None:
    value = block.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise doc.error(CatalogError, path + (key,), f"{key} must be text, got {value!r}")
    return value


def _sources(doc: YamlDoc, block: dict, path: tuple) -> dict[str, tuple[str | None, _dt.date | None]]:
    raw = block.get("sources") or {}
    if not isinstance(raw, dict):
        raise doc.error(CatalogError, path + ("sources",), "sources must map a price name to {source, as_of}")
    out: dict[str, tuple[str | None, _dt.date | None]] = {}
    for name, entry in raw.items():
        p = path + ("sources", name)
        if isinstance(entry, str):
            out[name] = (entry, None)
            continue
        _check_keys(doc, entry, p, ("source", "as_of"), "a price source")
        src = entry.get("source")
        if src is not None and (not isinstance(src, str) or not src.strip()):
            raise doc.error(CatalogError, p + ("source",), f"source must be text, got {src!r}")
        out[name] = (src, _as_date(entry.get("as_of"), doc, p + ("as_of",)))
    return out


def _prices(doc, block, path, keys, inherited: tuple[str, _dt.date | None], facts: tuple[str, ...] = ()) -> dict[str, Price]:
    """The prices ``keys`` of ``block``, each with its source; ``facts`` may also be named in ``sources``."""
    src = _text(doc, block, "source", path) or inherited[0]
    asof = _as_date(block.get("as_of"), doc, path + ("as_of",)) if "as_of" in block else inherited[1]
    per_field = _sources(doc, block, path)
    for name in per_field:
        if name not in keys and name not in facts:
            raise doc.error(
                CatalogError, path + ("sources", name), f"'{name}' is not a price or fact of this block", did_you_mean(name, keys + facts), key=True
            )
    out = {}
    for k in keys:
        if k in block and block[k] is not None:
            v = _money(doc, block[k], path + (k,))
            if k == "batch_discount" and v > 1:
                raise doc.error(CatalogError, path + (k,), f"batch_discount is a fraction off (0..1), got {v}")
            fsrc, fdate = per_field.get(k, (None, None))
            source = fsrc or src
            if not source:
                raise doc.error(CatalogError, path + (k,), f"price '{k}' has no source", "add source: to the model, its block or the catalog")
            line, col = doc.where(path + (k,))
            out[k] = Price(v, source, fdate or asof, k, doc.file, line, col)
    return out


def _last_new_job_day(doc: YamlDoc, ft_block: dict, fp: tuple) -> _dt.date | None:
    """``last_new_job_day`` (inclusive), or its old name ``new_jobs_until``; not both."""
    if ft_block.get("last_new_job_day") is not None and ft_block.get("new_jobs_until") is not None:
        raise doc.error(
            CatalogError,
            fp + ("new_jobs_until",),
            "give last_new_job_day or its old name new_jobs_until, not both",
            "keep last_new_job_day: the last day (inclusive) new training jobs are accepted",
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
        raise doc.error(CatalogError, p + ("rule",), f"rule must be one of {', '.join(RULES)}, got {rule!r}", did_you_mean(str(rule), RULES))
    epochs = None
    if rule == "fixed":
        if raw.get("epochs") is None:
            raise doc.error(CatalogError, p, "rule: fixed needs epochs: N", key=True)
        epochs = int(_money(doc, raw["epochs"], p + ("epochs",), integer=True))
        if epochs < 1:
            raise doc.error(CatalogError, p + ("epochs",), "epochs must be at least 1")
    elif raw.get("epochs") is not None:
        raise doc.error(CatalogError, p + ("epochs",), "epochs is for rule: fixed", key=True)
    source = _text(doc, raw, "source", p) or cat_source
    if not source:
        raise doc.error(CatalogError, p, "default_epochs has no source", "add source: the page that publishes the rule", key=True)
    asof = _as_date(raw.get("as_of"), doc, p + ("as_of",)) if "as_of" in raw else cat_asof
    return EpochRule(str(rule), epochs, source, asof)


def _serving(doc: YamlDoc, ft_block: dict, fp: tuple, ft: Mapping[str, Price], inherited_src: str) -> tuple[str | None, str | None, str | None]:
    """``serving`` (one of SERVING_MODES), its source, and ``hosting_gpu``; checked against the block's prices."""
    mode = ft_block.get("serving")
    gpu = _text(doc, ft_block, "hosting_gpu", fp)
    if mode is None:
        if gpu is not None:
            raise doc.error(CatalogError, fp + ("hosting_gpu",), "hosting_gpu needs serving: dedicated", key=True)
        return None, None, None
    if mode not in SERVING_MODES:
        raise doc.error(
            CatalogError, fp + ("serving",), f"serving must be one of {', '.join(SERVING_MODES)}, got {mode!r}", did_you_mean(str(mode), SERVING_MODES)
        )
    host = ft.get("hosting_per_hour")
    if mode == "serverless" and host is not None and host.value > 0:
        raise doc.error(
            CatalogError,
            fp + ("hosting_per_hour",),
            "a serverless fine-tuned model has no hourly fee",
            "use serving: deployment (per token plus an hourly fee) or dedicated (per GPU-hour)",
        )
    if gpu is not None and mode != "dedicated":
        raise doc.error(CatalogError, fp + ("hosting_gpu",), "hosting_gpu is for serving: dedicated", key=True)
    if gpu is not None and host is not None:
        raise doc.error(CatalogError, fp + ("hosting_gpu",), "give hosting_gpu or hosting_per_hour, not both", key=True)
    if mode == "provisioned" and ft_block.get("model_units") is None:
        raise doc.error(CatalogError, fp + ("serving",), "serving: provisioned needs model_units")
    per_field = _sources(doc, ft_block, fp)
    src = per_field.get("serving", (None, None))[0] or _text(doc, ft_block, "source", fp) or inherited_src or None
    if not src:
        raise doc.error(CatalogError, fp + ("serving",), "serving has no source", "add sources: {serving: ...} or a source to the block")
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
            f"hosting_gpu '{m.hosting_gpu}' is not a GPU of this catalog",
            did_you_mean(m.hosting_gpu, list(gpus)) or "add it under gpus: with its per_hour price",
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
                f"{given[0]} needs {need} as well",
                "give the batch prices as published: batch_input, batch_output (and batch_cached_input)",
            )
    if "batch_discount" in ft:
        raise doc.error(CatalogError, fp + ("batch_discount",), "give published batch prices or a batch_discount, not both", key=True)
    bc, bi = ft.get("batch_cached_input"), ft["batch_input"]
    if bc is not None and bc.value > bi.value:
        raise doc.error(
            CatalogError,
            fp + ("batch_cached_input",),
            f"batch_cached_input {bc.value:g} is above batch_input {bi.value:g}",
            "a cached token never costs more than a fresh one",
        )


def _check_cached(prices: Mapping[str, Price], where: str) -> None:
    """cached_input never above input (a cached token never costs more than a fresh one)."""
    c, i = prices.get("cached_input"), prices.get("input")
    if c is not None and i is not None and c.value > i.value:
        raise CatalogError(
            f"cached_input {c.value:g} is above input {i.value:g} in {where}",
            file=c.file or None,
            line=c.line,
            column=c.column,
            hint="a cached token never costs more than a fresh one",
        )


def _successor(doc: YamlDoc, block: dict, path: tuple, provider: str, model_source: str) -> dict[str, Any]:
    """``successor: provider/id`` (a bare id means this catalog's provider), its source and location."""
    name = _text(doc, block, "successor", path)
    if name is None:
        return {}
    name = name.strip()
    if _has_control(name):
        raise doc.error(CatalogError, path + ("successor",), "successor contains a line break or control character")
    ref = name if "/" in name else f"{provider}/{name}"
    src = _sources(doc, block, path).get("successor", (None, None))[0] or model_source
    line, col = doc.where(path + ("successor",))
    return {"successor": ref, "successor_source": src, "successor_at": (doc.file, line, col, path + ("successor",))}


def parse_catalog(doc: YamlDoc) -> Catalog:
    data = doc.data
    if data is None:
        raise CatalogError("catalog is empty", file=doc.file)
    _check_keys(doc, data, (), CATALOG_KEYS, "a catalog")
    for req in ("provider", "currency", "models"):
        if req not in data:
            raise doc.error(CatalogError, (), f"catalog needs '{req}'", "see docs/pricing.md for the catalog format")
    provider = data["provider"]
    if not isinstance(provider, str) or not provider or "/" in provider or _has_control(provider):
        raise doc.error(CatalogError, ("provider",), "provider must be a name without '/', line breaks or control characters")
    currency = data["currency"]
    if not isinstance(currency, str) or len(currency.strip()) != 3 or not currency.strip().isalpha():
        raise doc.error(CatalogError, ("currency",), f"currency must be a 3-letter code like USD, got {currency!r}")
    currency = currency.strip().upper()
    override = data.get("override", "merge")
    if override not in OVERRIDE_MODES:
        raise doc.error(
            CatalogError, ("override",), f"override must be one of {', '.join(OVERRIDE_MODES)}, got {override!r}", did_you_mean(str(override), OVERRIDE_MODES)
        )
    cat_asof = _as_date(data.get("as_of"), doc, ("as_of",))
    cat_source = _text(doc, data, "source", ()) or ""
    cat_notice = _text(doc, data, "notice", ())
    epoch_rule = _epoch_rule(doc, data.get("default_epochs"), cat_source, cat_asof)
    models_raw = data["models"]
    if not isinstance(models_raw, dict):
        raise doc.error(CatalogError, ("models",), "models must be a mapping of model id to prices")
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
            raise doc.error(CatalogError, p + ("aliases",), "aliases must be a list of names")
        for name in [str(mid), *aliases]:
            if _has_control(name):
                raise doc.error(CatalogError, p, f"model name {name[:40]!r} contains a line break or control character", key=True)
            if name in seen_names:
                raise doc.error(CatalogError, p, f"name '{name}' is used by both '{seen_names[name]}' and '{mid}'")
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
                raise doc.error(CatalogError, fp + ("min_job_fee",), "min_job_fee is above max_job_fee")
            if ft_block.get("max_tokens_per_example") is not None:
                max_ex = int(_money(doc, ft_block["max_tokens_per_example"], fp + ("max_tokens_per_example",), integer=True))
                if max_ex < 1:  # a cap of 0 tokens per example would bill no training at all
                    raise doc.error(
                        CatalogError,
                        fp + ("max_tokens_per_example",),
                        f"max_tokens_per_example must be a whole number >= 1, got {max_ex}",
                        "the provider's limit of tokens in one training example, e.g. 65536; leave it out when unknown",
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
        raise doc.error(CatalogError, ("gpus",), "gpus must map a GPU name to {per_hour, source, as_of}")
    for gname, gblock in gpus_raw.items():
        gp = ("gpus", gname)
        _check_keys(doc, gblock, gp, GPU_KEYS, f"gpu '{gname}'")
        prices = _prices(doc, gblock, gp, ("per_hour",), (cat_source, cat_asof))
        if "per_hour" not in prices:
            raise doc.error(CatalogError, gp, f"gpu '{gname}' needs per_hour")
        mem = gblock.get("memory_gb")
        galiases = gblock.get("aliases") or []
        if not isinstance(galiases, list) or not all(isinstance(a, str) and a for a in galiases):
            raise doc.error(CatalogError, gp + ("aliases",), "aliases must be a list of names")
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


@lru_cache(maxsize=64)
def _load_catalog_cached(path: str, mtime: float, size: int) -> Catalog:
    doc = load_yaml_file(path, what="pricing catalog", error_cls=CatalogError)
    return parse_catalog(doc)


def load_catalog(path: str | os.PathLike) -> Catalog:
    from .reading import note_input

    p = Path(path)
    note_input(p)  # even when cached: no output of this command may overwrite a catalog it uses
    try:
        st = p.stat()
    except OSError:
        raise CatalogError("pricing catalog not found", file=str(path), hint="bundled catalogs: " + ", ".join(bundled_names())) from None
    return _load_catalog_cached(str(p), st.st_mtime, st.st_size)


# ---------------------------------------------------------------- private catalogs laid over bundled ones


def _merge_model(low: Model, high: Model) -> Model:
    """``high``'s prices and facts over ``low``'s; what ``high`` leaves out stays as in ``low``."""
    ft = None
    if low.fine_tuning is not None or high.fine_tuning is not None:
        ft = {**(low.fine_tuning or {}), **(high.fine_tuning or {})}
    merged = replace(
        low,
        aliases=low.aliases + tuple(a for a in high.aliases if a not in low.aliases and a != low.id),
        currency=high.currency,
        catalog_file=high.catalog_file,
        base={**low.base, **high.base},
        fine_tuning=ft,
        extra={**low.extra, **high.extra},
    )
    for attr in _MODEL_SCALARS:
        value = getattr(high, attr)
        if value is not None:
            setattr(merged, attr, value)
    _check_cached(merged.base, f"model '{merged.id}' after laying {high.catalog_file} over {low.catalog_file}")
    if merged.fine_tuning:
        _check_cached(merged.fine_tuning, f"the fine_tuning block of '{merged.id}' after laying {high.catalog_file} over {low.catalog_file}")
    return merged


def overlay_catalog(low: Catalog, high: Catalog) -> Catalog:
    """Lay catalog ``high`` (a private one) over ``low`` (of the same provider).

    ``override: replace`` in ``high`` drops ``low`` entirely. Otherwise (merge):
    a model of ``high`` whose id is an id or alias in ``low`` is merged price by
    price into that model; other models of ``high`` are added; models and GPUs
    ``high`` does not name stay as they are. Merging needs the same currency.
    """
    if high.provider != low.provider:
        raise high.error(("provider",), f"cannot lay the {high.provider} catalog over the {low.provider} catalog")
    if high.override == "replace":
        return replace(high, files=low.files + high.files)
    if high.currency != low.currency:
        raise high.error(
            ("currency",),
            f"cannot merge {high.currency} prices into the {low.currency} catalog of {low.provider} ({low.file})",
            "convert the prices, or add 'override: replace' to use this catalog alone",
        )
    models = dict(low.models)
    if not high.epoch_rule.assumed:  # the private catalog names its provider's rule: it holds for every model
        models = {k: replace(m, epoch_rule=high.epoch_rule) for k, m in models.items()}
    for mid, hm in high.models.items():
        target = low.find(mid)
        if target is None:
            clash = [(a, named) for a in hm.aliases if (named := low.find(a)) is not None]
            if clash:
                alias, named = clash[0]
                raise high.error(("models", mid, "aliases"), f"alias '{alias}' of new model '{mid}' already names '{named.id}' in {low.file}")
            models[mid] = hm
        else:
            models[target.id] = _merge_model(models[target.id], hm)
    return Catalog(
        provider=low.provider,
        currency=low.currency,
        file=low.file,
        as_of=high.as_of or low.as_of,
        source=low.source,
        notice=high.notice or low.notice,
        models=models,
        gpus={**low.gpus, **high.gpus},
        override="merge",
        files=low.files + high.files,
        epoch_rule=high.epoch_rule if not high.epoch_rule.assumed else low.epoch_rule,
    )


def bundled_names() -> list[str]:
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml"))


def user_dirs(extra: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """Folders of private catalogs, highest precedence first: --pricing (first given first), then $FTCOST_PRICING_PATH (in order)."""
    dirs = [Path(d) for d in extra]
    env = os.environ.get(PRICING_PATH_ENV)
    if env:
        dirs += [Path(d) for d in env.split(os.pathsep) if d]
    return dirs


def _catalog_files(d: Path) -> list[Path]:
    return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def private_catalogs(extra_dirs: Iterable[str | os.PathLike] = ()) -> list[Catalog]:
    """Every catalog in the private folders, lowest precedence first (so each can be laid over the one before)."""
    extra = [Path(d) for d in extra_dirs]
    out: list[Catalog] = []
    for d in reversed(user_dirs(extra)):
        if not d.is_dir():
            origin = "--pricing" if d in extra else f"${PRICING_PATH_ENV}"
            raise CatalogError(f"pricing folder given by {origin} not found", file=str(d), hint="give a folder of catalog .yaml files")
        # Within one folder, files are laid in name order (a later name wins).
        out.extend(load_catalog(f) for f in _catalog_files(d))
    return out


def _has_control(text: str) -> bool:
    """Line breaks, tabs, NUL and other control characters: a name with them breaks tables and CSV rows."""
    import unicodedata

    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


def _is_file(p: Path) -> bool:
    """Path.is_file that says False, not OSError, for a name too long to be a file (a provider or catalog name of 5,000 characters)."""
    try:
        return p.is_file()
    except OSError:
        return False


def _is_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name


def catalog_path(name: str, *, relative_to: Path | None = None, extra_dirs: Iterable[str | os.PathLike] = ()) -> Path:
    """Where catalog ``name`` lives: a path (relative to the scenario) or the highest-precedence file of that name."""
    if _is_path(name):
        p = Path(name)
        if not p.is_absolute() and relative_to is not None:
            p = relative_to / p
        return p
    for d in user_dirs(extra_dirs):
        for ext in (".yaml", ".yml"):
            if _is_file(d / f"{name}{ext}"):
                return d / f"{name}{ext}"
    p = BUNDLED_DIR / f"{name}.yaml"
    if not _is_file(p):
        names = all_catalog_names(extra_dirs)
        raise CatalogError(f"no pricing catalog named '{name}'", hint=(did_you_mean(name, names) or "") + " known: " + ", ".join(names))
    return p


def all_catalog_names(extra_dirs: Iterable[str | os.PathLike] = ()) -> list[str]:
    names = set(bundled_names())
    for d in user_dirs(extra_dirs):
        if d.is_dir():
            names.update(p.stem for p in _catalog_files(d))
    return sorted(names)


class Catalogs:
    """The catalogs a scenario uses, and model look-up across them."""

    def __init__(self, catalogs: Iterable[Catalog]):
        self.by_provider: dict[str, Catalog] = {}
        for c in catalogs:
            # A later catalog for the same provider replaces the earlier one.
            self.by_provider[c.provider] = c

    @classmethod
    def load(cls, names: Iterable[str] | None = None, *, relative_to: Path | None = None, extra_dirs: Iterable[str | os.PathLike] = ()) -> Catalogs:
        """Load catalogs by name or path, each with the private catalogs of its provider laid over it.

        ``names`` None means every bundled and private catalog. A name picks the
        bundled catalog of that provider and any private catalog whose file stem
        or provider is that name; a path (``.yaml`` or with a ``/``) picks that
        file, which is laid last, over the bundled and private catalogs of its
        provider. Precedence, highest first: scenario paths, ``--pricing``
        folders, ``$FTCOST_PRICING_PATH`` folders, bundled catalogs.
        """
        private = private_catalogs(extra_dirs)
        explicit: dict[str, list[Catalog]] = {}  # provider -> catalogs named by path, in order
        if names is None:
            for n in bundled_names():
                explicit.setdefault(n, [])
            for c in private:
                explicit.setdefault(c.provider, [])
        else:
            if isinstance(names, str):
                names = [names]
            for n in names:
                if not isinstance(n, str) or not n.strip():
                    raise CatalogError(f"a pricing catalog must be a name or a path, got {n!r}")
                if _is_path(n):
                    c = load_catalog(catalog_path(n, relative_to=relative_to))
                    explicit.setdefault(c.provider, []).append(c)
                    continue
                providers = [n] if _is_file(BUNDLED_DIR / f"{n}.yaml") else []
                providers += [c.provider for c in private if c.provider == n or Path(c.file).stem == n]
                if not providers:
                    known = sorted(set(bundled_names()) | {c.provider for c in private})
                    raise CatalogError(f"no pricing catalog named '{n}'", hint=(did_you_mean(n, known) or "") + " known: " + ", ".join(known))
                for prov in providers:
                    explicit.setdefault(prov, [])
        out = []
        for provider, on_top in explicit.items():
            layers = [c for c in private if c.provider == provider] + on_top
            bundled = BUNDLED_DIR / f"{provider}.yaml"
            cat = load_catalog(bundled) if _is_file(bundled) else None
            for layer in layers:
                cat = layer if cat is None else overlay_catalog(cat, layer)
            assert cat is not None, provider  # named by a bundled file or by a private catalog: one of them is there
            out.append(cat)
        return cls(out)

    def all_models(self) -> list[Model]:
        return [m for c in self.by_provider.values() for m in c.models.values()]

    def resolve(self, ref: str) -> Model:
        """The model ``ref`` names, by the one rule every command uses (:meth:`lookup`)."""
        return self.lookup(ref)[0]

    def lookup(self, ref: str) -> tuple[Model, str | None]:
        """The model ``ref`` names, and a note when a bare name had to be settled.

        The rule (docs/pricing.md, "Model names"), the same in every command:
        ``provider/model`` names that provider's model (id or alias); a bare
        name names the one model of that name in the loaded catalogs; a bare
        name that several catalogs list means OpenAI's own model when OpenAI
        lists it (the encoding and the per-example limit are the same; the
        note names the others); any other bare name in several catalogs is an
        error that lists them.
        """
        try:
            return self._exact(ref), None
        except CatalogError:
            if not isinstance(ref, str) or "/" in ref:
                raise
            hits = [m for c in self.by_provider.values() if (m := c.find(ref.strip())) is not None]
            preferred = [m for m in hits if m.provider == PREFERRED_PROVIDER]
            if len(hits) > 1 and preferred:
                m = preferred[0]
                others = ", ".join(h.ref for h in hits if h is not m)
                other = next(h for h in hits if h is not m)
                note = Message(
                    N_("'{ref}' is in several catalogs; used {model} (also: {others}); name one to choose, e.g. {other}"),
                    ref=ref.strip(),
                    model=m.ref,
                    others=others,
                    other=other.ref,
                )
                return m, note
            raise

    def _exact(self, ref: str) -> Model:
        """Find ``provider/model`` (id or alias), or a bare model name if it is unambiguous."""
        if not isinstance(ref, str) or not ref.strip():
            raise CatalogError("model must be a name like 'openai/gpt-4o-mini'")
        ref = ref.strip()
        if "/" in ref:
            provider, name = ref.split("/", 1)
            cat = self.by_provider.get(provider)
            if cat is None:
                hint = did_you_mean(provider, self.by_provider) or "loaded providers: " + ", ".join(sorted(self.by_provider))
                raise CatalogError(f"unknown provider '{provider}' in model '{ref}'", hint=hint)
            m = cat.find(name)
            if m is None:
                near = did_you_mean(name, cat.names())
                known = ", ".join(sorted(m.id for m in cat.models.values()))
                raise CatalogError(f"unknown model '{name}' in the {provider} catalog", hint=(near + " " if near else "") + f"known models: {known}")
            return m
        hits = [m for c in self.by_provider.values() if (m := c.find(ref)) is not None]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise CatalogError(f"model '{ref}' is in several catalogs", hint="name one: " + ", ".join(m.ref for m in hits))
        all_names = [f"{c.provider}/{n}" for c in self.by_provider.values() for n in c.names()]
        hint = did_you_mean(ref, [n.split("/", 1)[1] for n in all_names]) or "run 'ftcost pricing list' for known models"
        raise CatalogError(f"unknown model '{ref}'", hint=hint)

    def gpu(self, name: str) -> Gpu:
        for c in self.by_provider.values():
            for g in c.gpus.values():
                if name in (g.name, f"{g.provider}/{g.name}", *g.aliases):
                    return g
        known = [f"{c.provider}/{g}" for c in self.by_provider.values() for g in c.gpus]
        raise CatalogError(
            f"unknown GPU '{name}'", hint=(did_you_mean(name, known) or "") + " known GPUs: " + (", ".join(known) or "none in the loaded catalogs")
        )


# ---------------------------------------------------------------- staleness


def _day(value: _dt.date | str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


def stale_prices(prices: Iterable[Price] | Mapping[str, Price], today: _dt.date | str, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[Price]:
    """The prices read more than ``max_age_days`` before ``today``, or with no as_of date, oldest first.

    A price read exactly ``max_age_days`` ago is not stale. Prices without a
    date come first: their age is unknown, which is worse than old.

    >>> import datetime as dt
    >>> old = Price(2.0, "x", dt.date(2026, 1, 1), "training")
    >>> new = Price(0.1, "x", dt.date(2026, 11, 1), "input")
    >>> [p.field for p in stale_prices([new, old], dt.date(2026, 11, 25))]
    ['training']
    """
    if isinstance(prices, Mapping):
        prices = prices.values()
    if max_age_days < 0:
        raise ValueError("max_age_days must be >= 0")
    day = _day(today)
    stale = [p for p in prices if p.as_of is None or (day - p.as_of).days > max_age_days]
    return sorted(stale, key=lambda p: (p.as_of is not None, p.as_of or _dt.date.min))


def stale_warning(prices: Iterable[Price] | Mapping[str, Price], today: _dt.date | str, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> str | None:
    """One line for compare/report when some prices are stale, else None.

    >>> import datetime as dt
    >>> p = Price(3.0, "x", dt.date(2025, 11, 4), "training")
    >>> stale_warning({"training": p}, dt.date(2026, 11, 25))
    '1 price is older than 180 days (training read 2025-11-04, 386 days ago); check it with ftcost pricing show'
    """
    stale = stale_prices(prices, today, max_age_days)
    if not stale:
        return None
    from .i18n import _, date, ngettext

    day = _day(today)
    n = len(stale)
    undated = sum(p.as_of is None for p in stale)
    if undated:
        head = ngettext("{n} price is older than {days} days or undated", "{n} prices are older than {days} days or undated", n)
    else:
        head = ngettext("{n} price is older than {days} days", "{n} prices are older than {days} days", n)
    head = head.format(n=n, days=max_age_days)
    oldest = stale[0]
    if oldest.as_of is None:
        what = _("{n} with no as_of date").format(n=undated)
    else:
        what = _("{field} read {date}, {days} days ago").format(field=oldest.field or _("oldest"), date=date(oldest.as_of), days=(day - oldest.as_of).days)
    check = ngettext("check it with ftcost pricing show", "check them with ftcost pricing show", n)
    return f"{head} ({what}); {check}"
