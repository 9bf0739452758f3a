"""How the PDF report and the workbook name a catalog price: its key and unit in English, words in another language."""

from __future__ import annotations

from ..i18n import N_, _, get_language

PRICE_UNITS = {
    "input": N_("per 1M input tokens"),
    "cached_input": N_("per 1M cached input tokens"),
    "output": N_("per 1M output tokens"),
    "training": N_("per 1M training tokens"),
    "hosting_per_hour": N_("per deployment-hour"),
    "storage_per_month": N_("per month"),
    "min_job_fee": N_("per training job"),
    "gpu_per_hour": N_("per GPU-hour"),
    "model_unit_per_hour": N_("per model unit-hour"),
}
# A price in words, in a language other than English (where the catalog key would be English).
PRICE_NAMES = {
    "input": N_("per 1M input tokens"),
    "cached_input": N_("per 1M cached input tokens"),
    "output": N_("per 1M output tokens"),
    "training": N_("per 1M training tokens"),
    "hosting_per_hour": N_("hosting, per hour"),
    "storage_per_month": N_("storage, per month"),
    "min_job_fee": N_("minimum per training job"),
    "max_job_fee": N_("maximum per training job"),
    "batch_discount": N_("batch discount"),
    "gpu_per_hour": N_("GPU, per hour"),
    "model_unit_per_hour": N_("model unit, per hour"),
}


def price_name(key: str, *, unit: bool = True) -> str:
    """A catalog price as a person reads it. English: its key, with its unit when ``unit``
    ('input (per 1M input tokens)'); another language: in words ('por 1M de tokens de entrada'),
    the key when it has none."""
    if get_language() == "en":
        u = PRICE_UNITS.get(key) if unit else None
        return key + (f" ({u})" if u else "")
    return _(PRICE_NAMES[key]) if key in PRICE_NAMES else key
