"""Loading catalogs: the bundled ones (the YAML files beside this module), private folders laid over them, and by name or path.

Bundled catalogs live in ``ftcost/catalogs`` (``pricing/`` at the top of the
repo points there). Private catalogs (the ``--pricing DIR`` folders, then
the folders in ``$FTCOST_PRICING_PATH``) are laid over the bundled catalog of
the same provider, model by model and price by price; a catalog a scenario
names by path is laid on top of both. docs/pricing.md states the rules.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..errors import CatalogError
from ..i18n import Message, did_you_mean
from ..yamlsrc import load_yaml_file
from .model import Catalog, Model
from .parse import parse_catalog
from .values import _check_cached

BUNDLED_DIR = Path(__file__).parent  # the bundled catalogs' .yaml files sit beside the code that reads them
PRICING_PATH_ENV = "FTCOST_PRICING_PATH"

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


@lru_cache(maxsize=64)
def _load_catalog_cached(path: str, mtime: float, size: int) -> Catalog:
    doc = load_yaml_file(path, what="pricing catalog", error_cls=CatalogError)
    return parse_catalog(doc)


def load_catalog(path: str | os.PathLike) -> Catalog:
    from ..reading import note_input

    p = Path(path)
    note_input(p)  # even when cached: no output of this command may overwrite a catalog it uses
    try:
        st = p.stat()
    except OSError:
        raise CatalogError(
            Message("pricing catalog not found"), file=str(path), hint=Message("bundled catalogs: {names}", names=", ".join(bundled_names()))
        ) from None
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
        raise high.error(("provider",), Message("cannot lay the {high} catalog over the {low} catalog", high=high.provider, low=low.provider))
    if high.override == "replace":
        return replace(high, files=low.files + high.files)
    if high.currency != low.currency:
        raise high.error(
            ("currency",),
            Message(
                "cannot merge {high} prices into the {low} catalog of {provider} ({file})",
                high=high.currency,
                low=low.currency,
                provider=low.provider,
                file=low.file,
            ),
            Message("convert the prices, or add 'override: replace' to use this catalog alone"),
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
                raise high.error(
                    ("models", mid, "aliases"),
                    Message("alias '{alias}' of new model '{mid}' already names '{named}' in {file}", alias=alias, mid=mid, named=named.id, file=low.file),
                )
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
            raise CatalogError(
                Message("pricing folder given by {origin} not found", origin=origin), file=str(d), hint=Message("give a folder of catalog .yaml files")
            )
        # Within one folder, files are laid in name order (a later name wins).
        out.extend(load_catalog(f) for f in _catalog_files(d))
    return out


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
        raise CatalogError(
            Message("no pricing catalog named '{name}'", name=name),
            hint=Message("{near} known: {known}", near=did_you_mean(name, names) or "", known=", ".join(names)),
        )
    return p


def all_catalog_names(extra_dirs: Iterable[str | os.PathLike] = ()) -> list[str]:
    names = set(bundled_names())
    for d in user_dirs(extra_dirs):
        if d.is_dir():
            names.update(p.stem for p in _catalog_files(d))
    return sorted(names)
