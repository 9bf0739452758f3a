"""Re-exports of ftcost.model: ``from ftcost.scenario import load_scenario, Scenario`` is public API (docs, notebooks, benchmarks)."""

from __future__ import annotations

from .limits import MAX_COMPOUND_FACTOR, MAX_NUMBER
from .model.checker import CATALOG_MESSAGES
from .model.keys import (
    DATA_GENERATION_KEYS,
    HOSTING_KEYS,
    PRICE_OVERRIDE_KEYS,
    QUALITY_KEYS,
    REQUEST_KEYS,
    SCENARIO_KEYS,
    SCHEMA_VERSION,
    SERVING_KEYS,
    STRATEGY_KEYS,
    STRATEGY_TYPES,
    TRAINING_KEYS,
    VOLUME_KEYS,
)
from .model.load import MAX_STRATEGIES, load_scenario
from .model.prices import PER_TOKEN_PRICE_KEYS
from .model.scenario import DAYS_PER_MONTH, SECONDS_PER_HOUR, Scenario, Serving, Strategy, Training
from .model.strategies import DEFAULT_HOURS_PER_MONTH
from .model.token_counts import MAX_PROMPT_FILE_BYTES

__all__ = [
    "CATALOG_MESSAGES",
    "DATA_GENERATION_KEYS",
    "DAYS_PER_MONTH",
    "DEFAULT_HOURS_PER_MONTH",
    "HOSTING_KEYS",
    "MAX_COMPOUND_FACTOR",
    "MAX_NUMBER",
    "MAX_PROMPT_FILE_BYTES",
    "MAX_STRATEGIES",
    "PER_TOKEN_PRICE_KEYS",
    "PRICE_OVERRIDE_KEYS",
    "QUALITY_KEYS",
    "REQUEST_KEYS",
    "SCENARIO_KEYS",
    "SCHEMA_VERSION",
    "SECONDS_PER_HOUR",
    "SERVING_KEYS",
    "STRATEGY_KEYS",
    "STRATEGY_TYPES",
    "TRAINING_KEYS",
    "VOLUME_KEYS",
    "Scenario",
    "Serving",
    "Strategy",
    "Training",
    "load_scenario",
]
