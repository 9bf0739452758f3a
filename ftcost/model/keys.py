"""The keys each block of a scenario file accepts (format version 1 of docs/design.md).

The checker refuses any other key with a "did you mean" hint; the JSON Schema
and the fuzz tests read the same tuples.
"""

from __future__ import annotations

SCHEMA_VERSION = 1
SCENARIO_KEYS = ("ftcost", "name", "description", "currency", "exchange_rate", "horizon_months", "start", "volume", "pricing", "baseline", "strategies")
VOLUME_KEYS = ("requests_per_month", "requests_per_day", "growth_per_month")
STRATEGY_TYPES = ("prompt", "fine_tuned", "self_hosted")
STRATEGY_KEYS = (
    "name",
    "type",
    "model",
    "description",
    "request",
    "batch_share",
    "training",
    "hosting",
    "serving",
    "fixed_monthly_cost",
    "prices",
    "quality",
    "price_change_per_month",
    "on_retirement",
    "migration_cost",
)
SERVING_KEYS = (
    "gpu",
    "gpu_per_hour",
    "gpus_per_replica",
    "requests_per_second",
    "input_tokens_per_second",
    "output_tokens_per_second",
    "target_utilization",
    "min_replicas",
    "hours_per_month",
)
QUALITY_KEYS = ("error_rate", "cost_per_error")
DATA_GENERATION_KEYS = ("examples", "input_tokens", "output_tokens", "model")
REQUEST_KEYS = ("prompt_tokens", "prompt_file", "messages", "input_tokens", "cached_prompt_tokens", "completion_tokens")
TRAINING_KEYS = ("tokens", "dataset", "examples", "epochs", "retrain_every_months", "one_time_cost", "hours", "gpu_hours", "gpu_per_hour", "data_generation")
HOSTING_KEYS = ("per_hour", "hours_per_month", "deployments")
PRICE_OVERRIDE_KEYS = (
    "input",
    "cached_input",
    "output",
    "batch_discount",
    "batch_input",
    "batch_cached_input",
    "batch_output",
    "training",
    "training_per_hour",
    "hosting_per_hour",
    "storage_per_month",
    "min_job_fee",
    "max_job_fee",
    "model_unit_per_hour",
)
