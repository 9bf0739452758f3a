"""The catalogs a scenario uses, and model look-up across them: one rule for every command."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import CatalogError
from ..i18n import N_, Message, did_you_mean
from .load import BUNDLED_DIR, _is_file, _is_path, bundled_names, catalog_path, load_catalog, overlay_catalog, private_catalogs
from .model import Catalog, Gpu, Model

# A bare model name several loaded catalogs list means this provider's model (Catalogs.lookup).
PREFERRED_PROVIDER = "openai"


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
                    raise CatalogError(Message("a pricing catalog must be a name or a path, got {n!r}", n=n))
                if _is_path(n):
                    c = load_catalog(catalog_path(n, relative_to=relative_to))
                    explicit.setdefault(c.provider, []).append(c)
                    continue
                providers = [n] if _is_file(BUNDLED_DIR / f"{n}.yaml") else []
                providers += [c.provider for c in private if c.provider == n or Path(c.file).stem == n]
                if not providers:
                    known = sorted(set(bundled_names()) | {c.provider for c in private})
                    raise CatalogError(
                        Message("no pricing catalog named '{name}'", name=n),
                        hint=Message("{near} known: {known}", near=did_you_mean(n, known) or "", known=", ".join(known)),
                    )
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
            raise CatalogError(Message("model must be a name like 'openai/gpt-4o-mini'"))
        ref = ref.strip()
        if "/" in ref:
            provider, name = ref.split("/", 1)
            cat = self.by_provider.get(provider)
            if cat is None:
                hint = did_you_mean(provider, self.by_provider) or Message("loaded providers: {providers}", providers=", ".join(sorted(self.by_provider)))
                raise CatalogError(Message("unknown provider '{provider}' in model '{ref}'", provider=provider, ref=ref), hint=hint)
            m = cat.find(name)
            if m is None:
                near = did_you_mean(name, cat.names())
                known = ", ".join(sorted(m.id for m in cat.models.values()))
                raise CatalogError(
                    Message("unknown model '{name}' in the {provider} catalog", name=name, provider=provider),
                    hint=Message("{near} known models: {known}", near=near, known=known) if near else Message("known models: {known}", known=known),
                )
            return m
        hits = [m for c in self.by_provider.values() if (m := c.find(ref)) is not None]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise CatalogError(Message("model '{ref}' is in several catalogs", ref=ref), hint=Message("name one: {refs}", refs=", ".join(m.ref for m in hits)))
        all_names = [f"{c.provider}/{n}" for c in self.by_provider.values() for n in c.names()]
        hint = did_you_mean(ref, [n.split("/", 1)[1] for n in all_names]) or Message("run 'ftcost pricing list' for known models")
        raise CatalogError(Message("unknown model '{ref}'", ref=ref), hint=hint)

    def gpu(self, name: str) -> Gpu:
        for c in self.by_provider.values():
            for g in c.gpus.values():
                if name in (g.name, f"{g.provider}/{g.name}", *g.aliases):
                    return g
        known = [f"{c.provider}/{g}" for c in self.by_provider.values() for g in c.gpus]
        raise CatalogError(
            Message("unknown GPU '{name}'", name=name),
            hint=Message("{near} known GPUs: {known}", near=did_you_mean(name, known) or "", known=", ".join(known) or Message("none in the loaded catalogs")),
        )
