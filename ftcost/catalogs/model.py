"""The catalog model: Price (a number with its source and date), Model, Gpu, Catalog, and the keys a catalog may hold.

A catalog is one YAML file per provider (format in docs/design.md and
docs/pricing.md). Every price keeps its source and as_of date: a field-level
entry in ``sources`` wins over the block's ``source``/``as_of``, which wins
over the model's, which wins over the catalog's.
"""

from __future__ import annotations

import dataclasses as _dc
import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..epochs import ASSUMED, EpochRule
from ..errors import CatalogError
from ..yamlsrc import YamlDoc

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
