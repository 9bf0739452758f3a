"""A strategy's ``training`` block: tokens or a dataset, epochs, GPU or hour-billed runs, data generation.

The result is a :class:`~ftcost.model.scenario.Training` with the numbers
resolved (``epochs: auto`` by the provider's rule).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import engine
from ..catalogs import Catalogs, Model, Price
from ..errors import CatalogError
from ..i18n import Message
from ..limits import MAX_NUMBER
from .checker import _Checker, _finite, _from_catalog, _short
from .keys import DATA_GENERATION_KEYS, TRAINING_KEYS
from .prices import _convert, _where
from .scenario import Serving, Training
from .token_counts import _count_dataset


def _training(
    chk: _Checker,
    raw: Any,
    path: tuple[str | int, ...],
    model: Model,
    prices: dict[str, Price],
    base_dir: Path,
    serving: Serving | None = None,
    catalogs: Catalogs | None = None,
    currency: str = "USD",
    rates: dict[str, tuple[float, str]] | None = None,
) -> Training:
    t = chk.mapping(raw, path, TRAINING_KEYS, "training")
    fixed_per_run = 0.0
    hours = rate = billed = 0.0
    if t.get("gpu_hours") is not None or t.get("gpu_per_hour") is not None:
        if serving is None:
            raise chk.fail(
                path + ("gpu_hours",),
                Message("training.gpu_hours is for self_hosted strategies"),
                Message("a provider's fine-tuning is priced per token"),
                key=True,
            )
        hours = chk.field(t, "gpu_hours", path, required=True)
        rate = chk.field(t, "gpu_per_hour", path, default=serving.gpu_per_hour)
        fixed_per_run = hours * rate
    if t.get("hours") is not None:
        if "training_per_hour" not in prices:
            raise chk.fail(
                path + ("hours",),
                Message("{model} has no training price per hour in its catalog", model=model.ref),
                Message("training.hours is for hour-billed training (reinforcement fine-tuning); add prices: {{training_per_hour: ...}}"),
                key=True,
            )
        billed = chk.field(t, "hours", path)
        fixed_per_run = billed * prices["training_per_hour"].value
    gen_cost, gen_note = 0.0, ""
    if t.get("data_generation") is not None:
        assert catalogs is not None, "data_generation prices its model from the loaded catalogs"
        gen_cost, gen_note = _data_generation(chk, t["data_generation"], path + ("data_generation",), catalogs, currency, rates or {})
    if t.get("tokens") is not None and t.get("dataset") is not None:
        raise chk.fail(path + ("dataset",), Message("give training.tokens or training.dataset, not both"), key=True)
    examples = chk.field(t, "examples", path)
    if t.get("dataset") is not None:
        tokens, ds_examples, source, ds_warnings = _count_dataset(chk, t, path, model, base_dir)
        if examples is not None and examples != ds_examples:
            raise chk.fail(
                path + ("examples",),
                Message(
                    "training.examples is {examples:,} but training.dataset ({dataset}) has {counted:,} examples",
                    examples=examples,
                    dataset=t["dataset"],
                    counted=ds_examples,
                ),
                Message("remove examples: (the dataset's count is used), or name the dataset you mean"),
            )
        examples = examples or ds_examples
    else:
        tokens = chk.field(t, "tokens", path, default=0.0)
        source = _where(chk, path + ("tokens",)) if t.get("tokens") is not None else "no training tokens given"
        ds_warnings = []
    ep_raw = t.get("epochs", "auto")
    if ep_raw is None or ep_raw == "auto":
        if examples is None:
            if tokens > 0:
                raise chk.fail(
                    path,
                    Message("epochs: auto needs training.examples (or a dataset) to pick the number of epochs"),
                    Message("add examples: N, or set epochs: 3"),
                    key=True,
                )
            examples = 1
        epochs = int(engine.default_epochs(examples, fixed=model.epoch_rule.fixed))
        auto = True
    else:
        if (
            isinstance(ep_raw, bool)
            or not isinstance(ep_raw, (int, float))
            or not _finite(ep_raw)
            or ep_raw != int(ep_raw)
            or ep_raw < 1
            or ep_raw > MAX_NUMBER
        ):
            raise chk.fail(path + ("epochs",), Message('expected a whole number >= 1 or "auto", got {value}', value=_short(ep_raw)))
        epochs = int(ep_raw)
        auto = False
    retrain = chk.field(t, "retrain_every_months", path, default=0)
    one_time = chk.field(t, "one_time_cost", path, default=0.0)
    if tokens > 0 and "training" not in prices and not fixed_per_run:
        raise chk.fail(
            path,
            Message("{model} has no training price in its catalog (a price nobody published is left out)", model=model.ref),
            Message("add prices: {{training: <price per 1M training tokens>}} to this strategy with your own quote"),
            key=True,
        )
    hour_billed = t.get("hours") is not None and "training" not in prices
    if fixed_per_run and "training" not in prices:
        tokens = 0.0  # hour-billed training: the token count only sized the run
    return Training(
        tokens=tokens,
        examples=examples,
        epochs=epochs,
        epochs_auto=auto,
        retrain_every_months=retrain,
        one_time_cost=one_time,
        token_source=source,
        fixed_per_run=fixed_per_run,
        data_generation_cost=gen_cost,
        data_generation_note=gen_note,
        epoch_rule=model.epoch_rule,
        hour_billed=hour_billed,
        gpu_hours=hours,
        gpu_rate=rate,
        gpu_rate_given=t.get("gpu_per_hour") is not None,
        gpu_billed=serving is not None and t.get("hours") is None,
        billed_hours=billed,
        notes=ds_warnings,
    )


def _data_generation(
    chk: _Checker, raw: Any, path: tuple[str | int, ...], catalogs: Catalogs, currency: str, rates: dict[str, tuple[float, str]]
) -> tuple[float, str]:
    """Cost of creating the training set with a larger model (distillation): month 1, one time.

    ``examples x (input_tokens x input price + output_tokens x output price) / 1e6`` at the model's base prices.
    """
    chk.mapping(raw, path, DATA_GENERATION_KEYS, "data_generation")
    n = chk.field(raw, "examples", path, required=True)
    tin = chk.field(raw, "input_tokens", path, default=0.0)
    tout = chk.field(raw, "output_tokens", path, default=0.0)
    ref = chk.string(raw, "model", path, required=True)
    try:
        model = catalogs.resolve(ref)
    except CatalogError as exc:
        raise chk.fail(path + ("model",), _from_catalog(exc.message), _from_catalog(exc.hint)) from None
    model = _convert(model, currency, rates, chk, path + ("model",))
    for k in ("input", "output"):
        if k not in model.base:
            raise chk.fail(path + ("model",), Message("{model} has no base '{key}' price in its catalog", model=model.ref, key=k))
    cost = n * (tin * model.base["input"].value + tout * model.base["output"].value) / 1e6
    return cost, f"{n:,} examples x ({tin:,.0f} in + {tout:,.0f} out tokens) on {model.ref}"
