"""The prices a strategy pays: the catalog's, the scenario's overrides, and money in the scenario currency.

Also the hourly price of serving a fine-tuned model (never a silent 0) and the
check that a per-1M price was not typed per 1K tokens.
"""

from __future__ import annotations

import os
from typing import Any, overload

from ..catalogs import Model, Price
from ..i18n import N_, Message
from .checker import _Checker, _fmt
from .fields import FIELDS, PER_1M
from .keys import PRICE_OVERRIDE_KEYS


def _exchange_rates(chk: _Checker, top: dict[str, Any], currency: str) -> dict[str, tuple[float, str]]:
    """``exchange_rate: {USD: 0.92, source: ..., as_of: ...}``: one USD costs 0.92 of the scenario currency."""
    raw = top.get("exchange_rate")
    if raw is None:
        return {}
    p = ("exchange_rate",)
    if not isinstance(raw, dict):
        raise chk.fail(
            p,
            Message("exchange_rate must map a currency code to its price in the scenario currency"),
            "exchange_rate: {USD: 0.92, source: ECB, as_of: 2026-11-25}",
        )
    note = str(raw.get("source") or "scenario exchange_rate")
    if raw.get("as_of") is not None:
        note += f", {raw['as_of']}"
    rates = {}
    for code in raw:
        if code in ("source", "as_of"):
            continue
        if not (isinstance(code, str) and len(code) == 3 and code.isalpha()):
            raise chk.fail(p + (code,), Message("'{code}' is not a currency code", code=code), Message("use three letters such as USD or EUR"), key=True)
        rates[code.upper()] = (chk.field(raw, code, p, required=True), note)
    return rates


def _convert(model: Model, currency: str, rates: dict[str, tuple[float, str]], chk: _Checker, path: tuple[str | int, ...]) -> Model:
    """The model with its money converted to the scenario currency (a copy; catalogs stay as read)."""
    if model.currency == currency:
        return model
    if model.currency not in rates:
        raise chk.fail(
            path,
            Message("{model} is priced in {currency} but the scenario is in {scenario}", model=model.ref, currency=model.currency, scenario=currency),
            Message("add exchange_rate: {{{currency}: <{scenario} per {currency}>}} or set currency: {currency}", currency=model.currency, scenario=currency),
        )
    import dataclasses

    rate, note = rates[model.currency]

    @overload
    def conv(prices: dict[str, Price]) -> dict[str, Price]: ...
    @overload
    def conv(prices: dict[str, Price] | None) -> dict[str, Price] | None: ...
    def conv(prices: dict[str, Price] | None) -> dict[str, Price] | None:
        if prices is None:
            return None
        return {
            k: (p if k == "batch_discount" else Price(p.value * rate, f"{p.source}; converted at {rate:g} {currency}/{model.currency} ({note})", p.as_of, k))
            for k, p in prices.items()
        }

    return dataclasses.replace(model, currency=currency, base=conv(model.base), fine_tuning=conv(model.fine_tuning))


def _serving_price(chk: _Checker, prices: dict[str, Price], path: tuple[str | int, ...], model: Model) -> None:
    """What serving the fine-tuned model costs by the hour: the catalog's, the scenario's, or 0 when it is serverless.

    Never a silent 0: a model whose serving is not known to be serverless and has
    no hourly price is a located error naming the missing key.
    """
    if "hosting_per_hour" in prices:
        return
    if model.serving == "serverless":
        prices["hosting_per_hour"] = Price(0.0, f"serverless: no hourly fee ({model.serving_source})", None, "hosting_per_hour")
        return
    hows = {"dedicated": N_("served on a dedicated endpoint billed per GPU-hour"), "deployment": N_("served on a deployment billed by the hour")}
    how = Message(hows.get(model.serving or "", N_("served in a way its catalog does not state")))
    hint = Message("set hosting: {{per_hour: ...}} in this strategy to your endpoint's hourly price (GPU price x GPUs)")
    if model.serving == "dedicated":
        hint = Message("{hint} ('ftcost pricing show {provider}' lists its GPUs)", hint=hint, provider=model.provider)
    raise chk.fail(
        path + ("model",),
        Message("{model}: the fine-tuned model is {how}, and its catalog has no fine_tuning.hosting_per_hour", model=model.ref, how=how),
        hint,
    )


def _where(chk: _Checker, path: tuple[str | int, ...]) -> str:
    line, _ = chk.doc.where(path)
    name = os.path.basename(chk.doc.file)
    return f"{name} line {line}" if line else "the scenario"


def _override_price(chk: _Checker, block: dict[str, Any], key: str, path: tuple[str | int, ...]) -> Price:
    v = chk.field(block, key, path, required=True)
    return Price(v, f"scenario override ({_where(chk, path + (key,))})", None, key)


# Prices per 1M tokens (the per-1K check below applies to them): the table rows whose unit says so.
PER_TOKEN_PRICE_KEYS = tuple(f.path[-1] for f in FIELDS if f.path[2:3] == ("prices",) and f.unit == PER_1M)


def _check_per_1k(chk: _Checker, path: tuple[str | int, ...], value: float, catalog: Price | None) -> None:
    """A per-1M price about 1,000 times below the catalog's is a per-1K price typed into a per-1M field."""
    if path[-1] not in PER_TOKEN_PRICE_KEYS or catalog is None or catalog.value <= 0 or value <= 0:
        return
    ratio = catalog.value / value
    if 300 <= ratio <= 3000:
        raise chk.fail(
            path,
            Message(
                "{value} looks like a price per 1K tokens: prices here are per 1M tokens (the catalog's {key} is {catalog} per 1M)",
                value=_fmt(value),
                key=path[-1],
                catalog=format(catalog.value, "g"),
            ),
            Message("multiply by 1,000: {value} per 1M tokens", value=_fmt(value * 1000)),
        )


def _effective_prices(
    chk: _Checker, m: dict[str, Any], path: tuple[str | int, ...], model: Model, fine_tuned: bool, self_hosted: bool = False
) -> dict[str, Price]:
    """The rates a strategy pays: the catalog's, then the scenario's ``prices`` overrides."""
    if self_hosted:
        # Own GPUs: no per-token API price; a catalog's per-token training price (LoRA services) still applies.
        ft = model.fine_tuning or {}
        prices: dict[str, Price] = {k: ft[k] for k in ("training", "min_job_fee") if k in ft}
        for k in ("input", "output"):
            prices[k] = Price(0.0, "self-hosted: paid through GPU hours", None, k)
    elif fine_tuned:
        ft = model.fine_tuning or {}
        prices = {k: v for k, v in ft.items()}
        if model.extra.get("model_units") is not None:
            # Provisioned Throughput (Bedrock): requests cost nothing per token; the model units bill by the hour.
            for k in ("input", "output"):
                prices.setdefault(k, Price(0.0, "provisioned throughput: billed per model-unit hour, not per token", None, k))
        if model.serving == "dedicated":
            # A dedicated endpoint (Together, Fireworks): the GPU-hours are the price, not the tokens.
            for k in ("input", "output"):
                prices.setdefault(k, Price(0.0, f"dedicated endpoint: billed per GPU-hour, not per token ({model.serving_source})", None, k))
        # A fine-tuned model's batch price is its own block's (published batch prices or a batch_discount
        # with a source); the base model's discount is not inherited (price audit 2026-11-30, finding 5:
        # no source says Azure fine-tuned deployments have batch pricing).
    else:
        prices = dict(model.base)
    overrides = m.get("prices")
    if overrides is not None:
        pp = path + ("prices",)
        chk.mapping(overrides, pp, PRICE_OVERRIDE_KEYS, "prices")
        for key in overrides:
            if overrides[key] is not None:
                catalog_price = prices.get(key)
                prices[key] = _override_price(chk, overrides, key, pp)
                _check_per_1k(chk, pp + (key,), prices[key].value, catalog_price)
        if "batch_discount" in prices and prices["batch_discount"].value > 1:
            raise chk.fail(pp + ("batch_discount",), Message("batch_discount is a fraction off, from 0 to 1"))
    if fine_tuned and model.extra.get("model_units") is not None and "hosting_per_hour" not in prices:
        if "model_unit_per_hour" not in prices:
            raise chk.fail(
                path + ("model",),
                Message("{model} is served on provisioned throughput and its catalog has no price per model-unit hour", model=model.ref),
                Message("add prices: {{model_unit_per_hour: <your AWS quote>}} to this strategy"),
            )
        mu = prices["model_unit_per_hour"]
        units = model.extra["model_units"]
        prices["hosting_per_hour"] = Price(mu.value * units, f"{units:g} model unit(s) x {mu.value:g}/hour ({mu.source})", mu.as_of, "hosting_per_hour")
    for key in ("input", "output"):
        if key not in prices:
            text = (
                N_("{model} has no fine-tuned inference '{key}' price in its catalog") if fine_tuned else N_("{model} has no base '{key}' price in its catalog")
            )
            raise chk.fail(
                path + ("model",),
                Message(text, model=model.ref, key=key),
                Message("add prices: {{{key}: ...}} to this strategy with your own quote", key=key),
            )
    if "cached_input" in prices and prices["cached_input"].value > prices["input"].value:
        raise chk.fail(path + ("prices", "cached_input"), Message("cached_input price is above the input price"))
    return prices
