"""One strategy of a scenario: its model, prices, request tokens, hosting, self-hosted serving, quality and training.

The result is a :class:`~ftcost.model.scenario.Strategy`; its plan over the
horizon is built afterwards by the loader (:mod:`ftcost.model.migration`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..catalogs import Catalogs, Model
from ..errors import CatalogError
from ..i18n import N_, Message, did_you_mean
from .checker import _Checker, _fmt, _from_catalog, _has_control, _short
from .keys import HOSTING_KEYS, QUALITY_KEYS, REQUEST_KEYS, SERVING_KEYS, STRATEGY_KEYS, STRATEGY_TYPES
from .prices import _convert, _effective_prices, _override_price, _serving_price, _where
from .scenario import Serving, Strategy
from .token_counts import _count_messages, _count_prompt_file
from .training import _training

DEFAULT_HOURS_PER_MONTH = 730.0


def _strategy(
    chk: _Checker, raw: Any, path: tuple[str | int, ...], catalogs: Catalogs, currency: str, rates: dict[str, tuple[float, str]], base_dir: Path
) -> Strategy:
    m = chk.mapping(raw, path, STRATEGY_KEYS, N_("a strategy"))
    name = chk.string(m, "name", path, required=True)
    if _has_control(name):
        raise chk.fail(
            path + ("name",),
            Message("strategy name {name} contains a line break or control character", name=_short(name)),
            Message("names head table columns and CSV cells; keep them to one line"),
        )
    stype = chk.string(m, "type", path, required=True)
    if stype not in STRATEGY_TYPES:
        hint = did_you_mean(stype, STRATEGY_TYPES) or Message("types: {types}", types=", ".join(STRATEGY_TYPES))
        raise chk.fail(path + ("type",), Message("unknown strategy type '{type}'", type=stype), hint)
    self_hosted = stype == "self_hosted"
    lookup_note = None
    if self_hosted and m.get("model") is None:
        model = Model(provider="self-hosted", id=name, aliases=(), currency=currency, catalog_file="", fine_tuning={})
    else:
        model_ref = chk.string(m, "model", path, required=True)
        try:
            model, lookup_note = catalogs.lookup(model_ref)
        except CatalogError as exc:
            raise chk.fail(path + ("model",), _from_catalog(exc.message), _from_catalog(exc.hint)) from None
        model = _convert(model, currency, rates, chk, path + ("model",))
    for key in ("serving",):
        if m.get(key) is not None and not self_hosted:
            raise chk.fail(path + (key,), Message("'{key}' is only for type: self_hosted", key=key), key=True)
    if self_hosted and m.get("hosting") is not None:
        raise chk.fail(path + ("hosting",), Message("a self_hosted strategy pays for GPUs under 'serving', not 'hosting'"), key=True)
    fine_tuned = stype == "fine_tuned"
    if fine_tuned and model.fine_tuning is None:
        tunable = [x.ref for x in catalogs.all_models() if x.fine_tuning is not None]
        raise chk.fail(
            path + ("model",),
            Message("{model} has no fine-tuning prices in its catalog", model=model.ref),
            Message("fine-tunable models: {models}", models=", ".join(tunable[:12]) + (" ..." if len(tunable) > 12 else "")),
        )

    prices = _effective_prices(chk, m, path, model, fine_tuned, self_hosted)
    from .migration import read_options

    on_retirement, migration_cost, on_retirement_given = read_options(chk, m, path, model)

    # Request tokens.
    req = chk.mapping(m.get("request") or {}, path + ("request",), REQUEST_KEYS, "request")
    rp = path + ("request",)
    token_sources: dict[str, str] = {}
    given = [k for k in ("prompt_tokens", "prompt_file", "messages") if req.get(k) is not None]
    if len(given) > 1:
        raise chk.fail(rp + (given[1],), Message("give only one of prompt_tokens, prompt_file and messages (found {keys})", keys=", ".join(given)), key=True)
    prompt = chk.field(req, "prompt_tokens", rp, default=0.0)
    if req.get("prompt_tokens") is not None:
        token_sources["prompt_tokens"] = _where(chk, rp + ("prompt_tokens",))
    # TOKENS-HOOK: prompt_file and messages are counted with the model's encoding.
    recount = None
    if req.get("prompt_file") is not None:
        prompt, token_sources["prompt_tokens"] = _count_prompt_file(chk, req, rp, model, base_dir)
        recount = _recounter(lambda other: _count_prompt_file(chk, req, rp, other, base_dir), prompt, token_sources["prompt_tokens"])
    if req.get("messages") is not None:
        prompt, token_sources["prompt_tokens"] = _count_messages(chk, req, rp, model)
        recount = _recounter(lambda other: _count_messages(chk, req, rp, other), prompt, token_sources["prompt_tokens"])
    user = chk.field(req, "input_tokens", rp, default=0.0)
    cached = chk.field(req, "cached_prompt_tokens", rp, default=0.0)
    out = chk.field(req, "completion_tokens", rp, default=0.0)
    if cached > prompt + user:
        raise chk.fail(
            rp + ("cached_prompt_tokens",),
            Message(
                "cached_prompt_tokens ({cached}) is above the request's input tokens ({sent} = prompt + input)", cached=_fmt(cached), sent=_fmt(prompt + user)
            ),
            Message("only tokens that are sent can be cached"),
        )
    batch_share = chk.field(m, "batch_share", path, default=0.0)
    notes: list[str] = []
    if lookup_note:
        notes.append(Message("{name}: {note}", name=name, note=lookup_note))
    cw = model.context_window
    if cw and not self_hosted and np.any(np.asarray(prompt + user + out) > cw):
        raise chk.fail(
            rp,
            Message(
                "a request of {tokens} tokens (prompt + input + completion) is longer than {model}'s context window of {window:,} tokens",
                tokens=_fmt(float(np.max(np.asarray(prompt + user + out)))),
                model=model.ref,
                window=cw,
            ),
            Message("check the token counts: tokens per request, not per month or per dataset"),
        )
    if batch_share > 0 and "batch_input" not in prices and prices.get("batch_discount") is None:
        what = Message(N_("the fine-tuned model")) if fine_tuned else model.ref
        notes.append(
            Message(
                N_(
                    "{name}: {share}% of requests go through a batch API, but the catalog has no batch price for "
                    "{what}; they are priced at the standard rate (add prices: {{batch_discount: ...}} or batch_input/batch_output "
                    "if your provider has one)"
                ),
                name=name,
                share=_fmt(batch_share * 100),
                what=what,
            )
        )

    # Hosting and other fixed costs.
    host = chk.mapping(m.get("hosting") or {}, path + ("hosting",), HOSTING_KEYS, "hosting")
    hp = path + ("hosting",)
    if host.get("per_hour") is not None:
        prices["hosting_per_hour"] = _override_price(chk, host, "per_hour", hp)
    hours = chk.field(host, "hours_per_month", hp, default=DEFAULT_HOURS_PER_MONTH)
    if fine_tuned and not self_hosted:
        _serving_price(chk, prices, path, model)
    deployments = chk.field(host, "deployments", hp, default=1.0)
    fixed_other = chk.field(m, "fixed_monthly_cost", path, default=0.0)

    serving = _serving(chk, m, path, catalogs, currency, rates) if self_hosted else None
    if serving is not None:
        enc_in = prompt + user
        serving_raw = m["serving"]
        if serving_raw.get("requests_per_second") is None:
            # Time per request at full load: input at the prefill rate plus output at the decode rate.
            sp = path + ("serving",)
            ins = chk.field(serving_raw, "input_tokens_per_second", sp, required=True)
            outs = chk.field(serving_raw, "output_tokens_per_second", sp, required=True)
            seconds = enc_in / ins + out / outs
            if seconds <= 0:
                raise chk.fail(sp, Message("a request with no tokens has no throughput to size replicas from"), Message("give serving.requests_per_second"))
            serving.requests_per_second = 1.0 / seconds
        if not serving.capacity_per_month >= 1:  # also NaN; a replica that serves nothing would need infinitely many
            raise chk.fail(
                path + ("serving",),
                Message(
                    "one replica serves {capacity} requests a month at this throughput, utilization and hours; ftcost needs at least 1",
                    capacity=format(serving.capacity_per_month, ".3g"),
                ),
                Message("check requests_per_second (or the tokens-per-second pair), target_utilization and hours_per_month"),
                key=True,
            )

    q = m.get("quality")
    error_rate = cost_per_error = 0.0
    if q is not None:
        qp = path + ("quality",)
        chk.mapping(q, qp, QUALITY_KEYS, "quality")
        error_rate = chk.field(q, "error_rate", qp, required=True)
        cost_per_error = chk.field(q, "cost_per_error", qp, required=True)
    price_change = chk.field(m, "price_change_per_month", path, default=0.0)

    # Training.
    training = None
    if m.get("training") is not None:
        if not (fine_tuned or self_hosted):
            raise chk.fail(
                path + ("training",), Message("a prompt strategy has no training"), Message("use type: fine_tuned, or remove the training block"), key=True
            )
        training = _training(chk, m["training"], path + ("training",), model, prices, base_dir, serving, catalogs, currency, rates)
        notes += [Message("{name}: {note}", name=name, note=w) for w in training.notes]
        if training.epochs_auto and not training.hour_billed and training.tokens > 0 and not self_hosted:
            rule = training.epoch_rule
            if rule.assumed:
                notes.append(
                    Message(
                        N_(
                            "{name}: epochs: auto: {provider} publishes no default-epochs rule in its catalog; "
                            "assumed {rule}: {epochs} epochs for {examples:,} examples"
                        ),
                        name=name,
                        provider=model.provider,
                        rule=rule.describe(),
                        epochs=training.epochs,
                        examples=training.examples,
                    )
                )

    return Strategy(
        name=name,
        type=stype,
        model=model,
        prompt_tokens=prompt,
        input_tokens=user,
        cached_tokens=cached,
        completion_tokens=out,
        batch_share=batch_share,
        prices=prices,
        hours_per_month=hours,
        deployments=deployments,
        fixed_monthly_cost=fixed_other,
        training=training,
        token_sources=token_sources,
        description=chk.string(m, "description", path) or "",
        serving=serving,
        error_rate=error_rate,
        cost_per_error=cost_per_error,
        price_change_per_month=price_change,
        notes=notes,
        on_retirement=on_retirement,
        migration_cost=migration_cost,
        recount=recount,
        on_retirement_given=on_retirement_given,
    )


def _recounter(count: Callable[[Model], tuple[float, str]], tokens: float, source: str) -> Callable[[Model], tuple[float, str]]:
    """Re-count a prompt that came from text with another model's encoding (the same count when it has none)."""

    def recount(other: Model) -> tuple[float, str]:
        if not other.encoding:
            return tokens, f"{source}; not re-counted: {other.ref} has no tokenizer in its catalog"
        return count(other)

    return recount


def _serving(chk: _Checker, m: dict[str, Any], path: tuple[str | int, ...], catalogs: Catalogs, currency: str, rates: dict[str, tuple[float, str]]) -> Serving:
    sp = path + ("serving",)
    raw = m.get("serving")
    if raw is None:
        raise chk.fail(
            path,
            Message("a self_hosted strategy needs a 'serving' block (GPU price and throughput)"),
            "serving: {gpu: fireworks/h100-80gb, requests_per_second: 10, target_utilization: 0.6}",
            key=True,
        )
    chk.mapping(raw, sp, SERVING_KEYS, "serving")
    if raw.get("gpu") is not None and raw.get("gpu_per_hour") is not None:
        raise chk.fail(sp + ("gpu_per_hour",), Message("give serving.gpu or serving.gpu_per_hour, not both"), key=True)
    if raw.get("gpu") is not None:
        gname = chk.string(raw, "gpu", sp, required=True)
        try:
            gpu = catalogs.gpu(gname)
        except CatalogError as exc:
            raise chk.fail(sp + ("gpu",), _from_catalog(exc.message), _from_catalog(exc.hint)) from None
        per_hour = gpu.per_hour.value
        gsource = f"{gpu.provider}/{gpu.name}: {gpu.per_hour.source}"
        cur = catalogs.by_provider[gpu.provider].currency
        if cur != currency:
            if cur not in rates:
                raise chk.fail(
                    sp + ("gpu",),
                    Message("GPU {gpu} is priced in {currency} but the scenario is in {scenario}", gpu=gname, currency=cur, scenario=currency),
                    Message("add exchange_rate: {{{currency}: ...}}", currency=cur),
                )
            per_hour *= rates[cur][0]
    else:
        per_hour = chk.field(raw, "gpu_per_hour", sp, required=True)
        gsource = f"scenario ({_where(chk, sp + ('gpu_per_hour',))})"
    if raw.get("requests_per_second") is not None and (raw.get("input_tokens_per_second") is not None or raw.get("output_tokens_per_second") is not None):
        raise chk.fail(sp + ("requests_per_second",), Message("give requests_per_second or the tokens-per-second pair, not both"), key=True)
    rps = chk.field(raw, "requests_per_second", sp)
    if rps is None and raw.get("input_tokens_per_second") is None and raw.get("output_tokens_per_second") is None:
        raise chk.fail(sp, Message("serving needs a throughput: requests_per_second, or input_tokens_per_second and output_tokens_per_second"), key=True)
    return Serving(
        gpu_per_hour=per_hour,
        gpu_source=gsource,
        gpus_per_replica=chk.field(raw, "gpus_per_replica", sp, default=1.0),
        requests_per_second=rps or 0.0,
        target_utilization=chk.field(raw, "target_utilization", sp, default=0.7),
        min_replicas=float(chk.field(raw, "min_replicas", sp, default=1)),
        hours_per_month=chk.field(raw, "hours_per_month", sp, default=DEFAULT_HOURS_PER_MONTH),
    )
