"""Price catalogs: loading, validation and model look-up.

A catalog is one YAML file per provider (format in DESIGN.md). Bundled
catalogs live in ``ftcost/catalogs`` (``pricing/`` at the top of the repo
points there). Every price keeps its source and as_of date: a field-level
entry in ``sources`` wins over the block's ``source``/``as_of``, which wins
over the model's, which wins over the catalog's.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .errors import CatalogError, did_you_mean
from .yamlsrc import YamlDoc, load_yaml_file

BUNDLED_DIR = Path(__file__).with_name("catalogs")
PRICING_PATH_ENV = "FTCOST_PRICING_PATH"

# Per-1M-token rates and other money values a model block may carry.
BASE_PRICE_KEYS = ("input", "cached_input", "output", "batch_discount")
FT_PRICE_KEYS = (
    "training",
    "input",
    "cached_input",
    "output",
    "batch_discount",
    "hosting_per_hour",
    "storage_per_month",
    "min_job_fee",
    "model_unit_per_hour",
)
FT_OTHER_KEYS = ("max_tokens_per_example", "new_jobs_until", "notice", "model_units", "commitment_months", "source", "as_of", "sources")
MODEL_OTHER_KEYS = ("aliases", "encoding", "context_window", "retires_on", "notice", "source", "as_of", "sources", "fine_tuning", "tier", "description")
CATALOG_KEYS = ("provider", "currency", "as_of", "source", "notice", "models", "gpus", "description")
GPU_KEYS = ("per_hour", "memory_gb", "source", "as_of", "aliases", "description")


@dataclass(frozen=True)
class Price:
    """One number with where it came from."""

    value: float
    source: str
    as_of: _dt.date | None
    field: str = ""

    def to_dict(self) -> dict:
        return {"value": self.value, "source": self.source, "as_of": self.as_of.isoformat() if self.as_of else None}


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
    new_jobs_until: _dt.date | None = None
    retires_on: _dt.date | None = None
    notice: str | None = None  # model- or catalog-level notice
    ft_notice: str | None = None  # fine-tuning notice
    tier: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.provider}/{self.id}"

    def can_fine_tune(self) -> bool:
        return self.fine_tuning is not None and "training" in self.fine_tuning

    def accepts_jobs_on(self, day: _dt.date) -> bool:
        if not self.can_fine_tune():
            return False
        if self.new_jobs_until is not None and day > self.new_jobs_until:
            return False
        if self.retires_on is not None and day > self.retires_on:
            return False
        return True


@dataclass
class Gpu:
    provider: str
    name: str
    per_hour: Price
    aliases: tuple[str, ...] = ()


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
    if not math.isfinite(value) or value < 0:
        raise doc.error(CatalogError, path, f"expected a finite number >= 0, got {value!r}")
    if integer and int(value) != value:
        raise doc.error(CatalogError, path, f"expected a whole number, got {value!r}")
    return float(value)


def _sources(doc: YamlDoc, block: dict, path: tuple) -> dict[str, tuple[str | None, _dt.date | None]]:
    raw = block.get("sources") or {}
    if not isinstance(raw, dict):
        raise doc.error(CatalogError, path + ("sources",), "sources must map a price name to {source, as_of}")
    out = {}
    for name, entry in raw.items():
        p = path + ("sources", name)
        if isinstance(entry, str):
            out[name] = (entry, None)
            continue
        _check_keys(doc, entry, p, ("source", "as_of"), "a price source")
        out[name] = (entry.get("source"), _as_date(entry.get("as_of"), doc, p + ("as_of",)))
    return out


def _prices(doc, block, path, keys, inherited: tuple[str, _dt.date | None], facts: tuple[str, ...] = ()) -> dict[str, Price]:
    """The prices ``keys`` of ``block``, each with its source; ``facts`` may also be named in ``sources``."""
    src = block.get("source") or inherited[0]
    asof = _as_date(block.get("as_of"), doc, path + ("as_of",)) if "as_of" in block else inherited[1]
    per_field = _sources(doc, block, path)
    for name in per_field:
        if name not in keys and name not in facts:
            raise doc.error(CatalogError, path + ("sources", name), f"'{name}' is not a price or fact of this block", did_you_mean(name, keys + facts), key=True)
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
            out[k] = Price(v, source, fdate or asof, k)
    return out


def parse_catalog(doc: YamlDoc) -> Catalog:
    data = doc.data
    if data is None:
        raise CatalogError("catalog is empty", file=doc.file)
    _check_keys(doc, data, (), CATALOG_KEYS, "a catalog")
    for req in ("provider", "currency", "models"):
        if req not in data:
            raise doc.error(CatalogError, (), f"catalog needs '{req}'", f"see DESIGN.md for the catalog format")
    provider = data["provider"]
    if not isinstance(provider, str) or not provider or "/" in provider:
        raise doc.error(CatalogError, ("provider",), "provider must be a name without '/'")
    currency = str(data["currency"]).upper()
    cat_asof = _as_date(data.get("as_of"), doc, ("as_of",))
    cat_source = data.get("source") or ""
    models_raw = data["models"]
    if not isinstance(models_raw, dict):
        raise doc.error(CatalogError, ("models",), "models must be a mapping of model id to prices")
    models: dict[str, Model] = {}
    seen_names: dict[str, str] = {}
    for mid, block in models_raw.items():
        p = ("models", mid)
        _check_keys(doc, block, p, BASE_PRICE_KEYS + MODEL_OTHER_KEYS, f"model '{mid}'")
        m_src = block.get("source") or cat_source
        m_asof = _as_date(block.get("as_of"), doc, p + ("as_of",)) if "as_of" in block else cat_asof
        base = _prices(doc, block, p, BASE_PRICE_KEYS, (m_src, m_asof), ("retires_on", "encoding", "context_window", "notice"))
        if "cached_input" in base and "input" in base and base["cached_input"].value > base["input"].value:
            raise doc.error(CatalogError, p + ("cached_input",), "cached_input is above input", "a cached token never costs more than a fresh one")
        aliases = block.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise doc.error(CatalogError, p + ("aliases",), "aliases must be a list of names")
        for name in [mid, *aliases]:
            if name in seen_names:
                raise doc.error(CatalogError, p, f"name '{name}' is used by both '{seen_names[name]}' and '{mid}'")
            seen_names[name] = mid
        ft = None
        ft_block = block.get("fine_tuning")
        max_ex = new_jobs = None
        ft_notice = None
        extra: dict[str, Any] = {}
        if ft_block is not None:
            fp = p + ("fine_tuning",)
            _check_keys(doc, ft_block, fp, FT_PRICE_KEYS + FT_OTHER_KEYS, "a fine_tuning block")
            ft = _prices(doc, ft_block, fp, FT_PRICE_KEYS, (m_src, m_asof), ("max_tokens_per_example", "new_jobs_until", "notice", "model_units", "commitment_months"))
            if "cached_input" in ft and "input" in ft and ft["cached_input"].value > ft["input"].value:
                raise doc.error(CatalogError, fp + ("cached_input",), "cached_input is above input")
            if ft_block.get("max_tokens_per_example") is not None:
                max_ex = int(_money(doc, ft_block["max_tokens_per_example"], fp + ("max_tokens_per_example",), integer=True))
            new_jobs = _as_date(ft_block.get("new_jobs_until"), doc, fp + ("new_jobs_until",))
            ft_notice = ft_block.get("notice")
            for k in ("model_units", "commitment_months"):
                if ft_block.get(k) is not None:
                    extra[k] = _money(doc, ft_block[k], fp + (k,), integer=True)
        enc = block.get("encoding")
        cw = block.get("context_window")
        models[mid] = Model(
            provider=provider,
            id=str(mid),
            aliases=tuple(aliases),
            currency=currency,
            catalog_file=doc.file,
            encoding=enc,
            context_window=int(cw) if isinstance(cw, (int, float)) and not isinstance(cw, bool) else None,
            base=base,
            fine_tuning=ft,
            max_tokens_per_example=max_ex,
            new_jobs_until=new_jobs,
            retires_on=_as_date(block.get("retires_on"), doc, p + ("retires_on",)),
            notice=block.get("notice") or data.get("notice"),
            ft_notice=ft_notice,
            tier=block.get("tier"),
            extra=extra,
        )
    gpus: dict[str, Gpu] = {}
    for gname, gblock in (data.get("gpus") or {}).items():
        gp = ("gpus", gname)
        _check_keys(doc, gblock, gp, GPU_KEYS, f"gpu '{gname}'")
        prices = _prices(doc, gblock, gp, ("per_hour",), (gblock.get("source") or cat_source, cat_asof))
        if "per_hour" not in prices:
            raise doc.error(CatalogError, gp, f"gpu '{gname}' needs per_hour")
        gpus[str(gname)] = Gpu(provider, str(gname), prices["per_hour"], tuple(gblock.get("aliases") or ()))
    return Catalog(provider, currency, doc.file, cat_asof, cat_source, data.get("notice"), models, gpus)


@lru_cache(maxsize=64)
def _load_catalog_cached(path: str, mtime: float, size: int) -> Catalog:
    doc = load_yaml_file(path, what="pricing catalog", error_cls=CatalogError)
    return parse_catalog(doc)


def load_catalog(path: str | os.PathLike) -> Catalog:
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        raise CatalogError("pricing catalog not found", file=str(path), hint="bundled catalogs: " + ", ".join(bundled_names())) from None
    return _load_catalog_cached(str(p), st.st_mtime, st.st_size)


def bundled_names() -> list[str]:
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml"))


def user_dirs(extra: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """Folders of private catalogs, highest precedence first: --pricing, then $FTCOST_PRICING_PATH."""
    dirs = [Path(d) for d in extra]
    env = os.environ.get(PRICING_PATH_ENV)
    if env:
        dirs += [Path(d) for d in env.split(os.pathsep) if d]
    return dirs


def catalog_path(name: str, *, relative_to: Path | None = None, extra_dirs: Iterable[str | os.PathLike] = ()) -> Path:
    """Where catalog ``name`` lives: a path (relative to the scenario) or a bundled/user catalog name."""
    if name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name:
        p = Path(name)
        if not p.is_absolute() and relative_to is not None:
            p = relative_to / p
        return p
    for d in user_dirs(extra_dirs):
        for ext in (".yaml", ".yml"):
            if (d / f"{name}{ext}").is_file():
                return d / f"{name}{ext}"
    p = BUNDLED_DIR / f"{name}.yaml"
    if not p.is_file():
        names = all_catalog_names(extra_dirs)
        raise CatalogError(f"no pricing catalog named '{name}'", hint=(did_you_mean(name, names) or "") + " known: " + ", ".join(names))
    return p


def all_catalog_names(extra_dirs: Iterable[str | os.PathLike] = ()) -> list[str]:
    names = set(bundled_names())
    for d in user_dirs(extra_dirs):
        if d.is_dir():
            names.update(p.stem for p in d.glob("*.y*ml"))
    return sorted(names)


class Catalogs:
    """The catalogs a scenario uses, and model look-up across them."""

    def __init__(self, catalogs: Iterable[Catalog]):
        self.by_provider: dict[str, Catalog] = {}
        for c in catalogs:
            # A later catalog for the same provider (a user override) replaces the earlier one.
            self.by_provider[c.provider] = c

    @classmethod
    def load(cls, names: Iterable[str] | None = None, *, relative_to: Path | None = None, extra_dirs: Iterable[str | os.PathLike] = ()) -> "Catalogs":
        if names is None:
            names = all_catalog_names(extra_dirs)
        return cls(load_catalog(catalog_path(n, relative_to=relative_to, extra_dirs=extra_dirs)) for n in names)

    def all_models(self) -> list[Model]:
        return [m for c in self.by_provider.values() for m in c.models.values()]

    def resolve(self, ref: str) -> Model:
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
                hint = did_you_mean(name, cat.names())
                known = ", ".join(sorted(m.id for m in cat.models.values()))
                raise CatalogError(f"unknown model '{name}' in the {provider} catalog", hint=(hint + " " if hint else "") + f"known models: {known}")
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
        raise CatalogError(f"unknown GPU '{name}'", hint=(did_you_mean(name, known) or "") + " known GPUs: " + (", ".join(known) or "none in the loaded catalogs"))
