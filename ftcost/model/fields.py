"""Every numeric input of a scenario file, declared once.

One row per number a scenario can hold. The scenario checker reads its
ranges from here (``_Checker.field``), ``ftcost.model.paths`` builds the ``--vary``
and distribution paths from the rows that can vary, the workbook takes its
Inputs row labels and units from here, and the JSON Schema's numeric
constraints are generated from it (``ftcost.model.schema``; a test checks
that the committed schema equals the generated one).

The columns of :class:`NumberField`:

``path``
    The key path as the file spells it, ``*`` standing for any strategy index
    (``strategies.*.request.prompt_tokens``) or any currency code
    (``exchange_rate.*``).
``minimum``, ``exclusive_min``, ``maximum``
    The valid range (``None``: no bound on that side). Every number also
    stays within ``limits.MAX_NUMBER`` and a monthly rate must not compound
    past ``limits.MAX_COMPOUND_FACTOR``; those limits apply to all rows.
``integer``
    Whole numbers only. A whole-number field takes no distribution (it can
    still be swept over whole numbers).
``vary_whole``
    The file may hold a fraction, but ``--vary`` and sensitivity move it in
    whole steps and it takes no distribution (``hosting.deployments``: a
    deployment shared with another workload may be written as 0.5).
``unit``
    What one unit of the number is, in English ("tokens", "per 1M tokens").
``label``
    A short lower-case name for messages and tables ("prompt tokens").
``title``
    The row heading of the workbook's Inputs sheet ("" where the workbook has
    no such row). Titles and units marked with ``N_()`` are translated
    through the gettext catalogs in ``ftcost/locale`` (that is the slot for
    translations: ``scripts/i18n_catalog.py`` extracts them).
``engine``
    The ``engine.Inputs`` field it feeds, directly or through a derivation
    made while loading (a replica's cost, a training run's fixed cost);
    ``None`` for numbers that only size something else.
``vary``
    Whether ``--vary``, sensitivity and distributions may move it. A field
    that can vary takes a distribution unless it is ``integer``.
``needs``
    For strategy fields that can vary: the block the strategy must have
    ("training", "serving", "hosting" = not self-hosted, "gpu_training").
``fixed``
    For fields that cannot vary: why not, shown in the refusal.
``what``
    The phrase in "expected ..., got text" messages.
``words``
    Text values the field accepts besides numbers (``epochs: auto``).

How to add a numeric input: add its row here, read it in the checker with
``chk.field(...)``, carry it to its ``engine`` field, and regenerate the
schema with ``python tests/test_scenario_fields.py --update``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import N_

MAX_HORIZON = 1200  # months (100 years); bounds the month axis
MAX_HOURS_PER_MONTH = 744.0  # 31 days x 24 hours

ANY = "*"  # a strategy index or a currency code in a path


@dataclass(frozen=True)
class NumberField:
    """One numeric input of a scenario file (see the module docstring for the columns)."""

    path: tuple[str, ...]
    minimum: float | None = 0.0
    maximum: float | None = None
    exclusive_min: bool = False
    integer: bool = False
    vary_whole: bool = False
    unit: str = ""
    label: str = ""
    title: str = ""
    engine: str | None = None
    vary: bool = True
    needs: str | None = None
    fixed: str | None = None
    what: str = N_("a number")
    words: tuple[str, ...] = ()

    @property
    def distribution(self) -> bool:
        """Whether the file may give a distribution ``{dist: ...}`` here."""
        return self.vary and not (self.integer or self.vary_whole)

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    @property
    def strategy_key(self) -> tuple[str, ...] | None:
        """The path after ``strategies.*`` for a strategy field, else None."""
        return self.path[2:] if self.path[:2] == ("strategies", ANY) else None


def _f(path: str, *args: Any, **kwargs: Any) -> NumberField:
    return NumberField(tuple(path.split(".")), *args, **kwargs)


def _s(path: str, *args: Any, **kwargs: Any) -> NumberField:
    return _f("strategies.*." + path, *args, **kwargs)


PER_1M = N_("per 1M tokens")
WHOLE_MONTHS = N_("a whole number of months")
WHOLE_EXAMPLES = N_("a whole number of examples")
SHARE = N_("a share from 0 to 1")

# The price overrides, in the order paths.PRICE_KEYS lists the ones that can vary.
_PRICES = [
    _s("prices.input", unit=PER_1M, label="input price", title=N_("Input price"), engine="input_price"),
    _s("prices.cached_input", unit=PER_1M, label="cached input price", title=N_("Cached input price"), engine="cached_price"),
    _s("prices.output", unit=PER_1M, label="output price", title=N_("Output price"), engine="output_price"),
    _s("prices.batch_discount", 0.0, 1.0, unit=N_("fraction off"), label="batch discount price", title=N_("Batch discount"), engine="batch_discount"),
    _s("prices.training", unit=PER_1M, label="training price", title=N_("Training price"), engine="training_price"),
    _s("prices.hosting_per_hour", unit=N_("per hour"), label="hosting per hour price", title=N_("Hosting per deployment-hour"), engine="per_hour"),
    _s("prices.storage_per_month", unit=N_("per month"), label="storage per month price", title=N_("Model storage"), engine="storage_per_month"),
    _s("prices.min_job_fee", unit=N_("per run"), label="min job fee price", title=N_("Minimum fee per training job"), engine="min_job_fee"),
    _s("prices.max_job_fee", unit=N_("per run"), label="max job fee price", title=N_("Maximum fee per training job (empty = no cap)"), engine="max_job_fee"),
    _s(
        "prices.batch_input",
        unit=N_("per 1M tokens"),
        label="batch input price",
        title=N_("Batch input price (empty: not published, the batch discount applies)"),
        engine="batch_input_price",
    ),
    _s(
        "prices.batch_cached_input",
        unit=N_("per 1M tokens"),
        label="batch cached input price",
        title=N_("Batch cached input price (empty: not published)"),
        engine="batch_cached_price",
    ),
    _s(
        "prices.batch_output",
        unit=N_("per 1M tokens"),
        label="batch output price",
        title=N_("Batch output price (empty: not published)"),
        engine="batch_output_price",
    ),
    _s("prices.training_per_hour", unit=N_("per hour of training"), label="training price per hour", engine="training_fixed", vary=False),
    _s("prices.model_unit_per_hour", unit=N_("per model-unit hour"), label="model unit price per hour", engine="per_hour", vary=False),
]

FIELDS: tuple[NumberField, ...] = (
    _f(
        "horizon_months",
        1.0,
        float(MAX_HORIZON),
        integer=True,
        unit=N_("months"),
        label="horizon",
        engine="horizon",
        vary=False,
        fixed=N_("it sets the length of the month axis; run 'ftcost compare --horizon N' for each horizon"),
        what=WHOLE_MONTHS,
    ),
    _f(
        "exchange_rate.*",
        exclusive_min=True,
        unit=N_("scenario currency per unit"),
        label="exchange rate",
        vary=False,
        fixed=N_("exchange rates convert catalog prices while loading; vary the prices themselves (strategies.<i>.prices.input ...)"),
        what=N_("a rate"),
    ),
    _f("volume.requests_per_month", unit=N_("requests"), label="requests per month", engine="requests_per_month"),
    _f("volume.requests_per_day", unit=N_("requests"), label="requests per day", engine="requests_per_month"),
    _f("volume.growth_per_month", -1.0, 1.0, exclusive_min=True, unit=N_("per month"), label="monthly growth", engine="growth"),
    _s(
        "request.prompt_tokens",
        unit=N_("tokens"),
        label="prompt tokens",
        title=N_("Prompt tokens per request (instructions, examples)"),
        engine="prompt_tokens",
    ),
    _s("request.input_tokens", unit=N_("tokens"), label="input tokens", title=N_("User input tokens per request"), engine="input_tokens"),
    _s(
        "request.cached_prompt_tokens",
        unit=N_("tokens"),
        label="cached prompt tokens",
        title=N_("Of the input, tokens billed at the cached price"),
        engine="cached_tokens",
    ),
    _s("request.completion_tokens", unit=N_("tokens"), label="completion tokens", title=N_("Output tokens per request"), engine="completion_tokens"),
    _s("batch_share", 0.0, 1.0, unit=N_("0..1"), label="batch share", title=N_("Share of requests sent through a batch API"), engine="batch_share", what=SHARE),
    _s("hosting.per_hour", unit=N_("per hour"), label="hosting per hour", engine="per_hour", needs="hosting"),
    _s(
        "hosting.hours_per_month",
        0.0,
        MAX_HOURS_PER_MONTH,
        unit=N_("hours"),
        label="hosting hours per month",
        title=N_("Hosting hours per month"),
        engine="hours_per_month",
        needs="hosting",
    ),
    _s("hosting.deployments", vary_whole=True, unit=N_("count"), label="deployments", title=N_("Deployments"), engine="deployments", needs="hosting"),
    _s("fixed_monthly_cost", unit=N_("per month"), label="fixed monthly cost", title=N_("Other fixed monthly cost"), engine="fixed_monthly_cost"),
    *_PRICES,
    _s("training.tokens", unit=N_("tokens"), label="training tokens", title=N_("Training tokens per epoch"), engine="training_tokens", needs="training"),
    _s("training.examples", 1.0, integer=True, unit=N_("examples"), label="training examples", engine="examples", needs="training", what=WHOLE_EXAMPLES),
    _s(
        "training.epochs",
        1.0,
        integer=True,
        unit=N_("count"),
        label="epochs",
        title=N_("Epochs per run"),
        engine="epochs",
        needs="training",
        words=("auto",),
    ),
    _s(
        "training.retrain_every_months",
        1.0,
        integer=True,
        unit=N_("months"),
        label="months between retrains",
        title=N_("Retrain every (0 = train once)"),
        engine="retrain_every",
        needs="training",
        what=WHOLE_MONTHS,
    ),
    _s("training.one_time_cost", unit=N_("once"), label="one-time cost", title=N_("One-time cost (month 1)"), engine="one_time_cost", needs="training"),
    _s("training.gpu_hours", unit=N_("GPU hours per run"), label="training GPU hours", engine="training_fixed", needs="gpu_training"),
    _s("training.gpu_per_hour", unit=N_("per GPU-hour"), label="training GPU price per hour", engine="training_fixed", needs="gpu_training"),
    _s("training.hours", unit=N_("hours per run"), label="training hours", engine="training_fixed", vary=False),
    _s(
        "training.data_generation.examples",
        integer=True,
        unit=N_("examples"),
        label="generated examples",
        engine="data_generation_cost",
        vary=False,
        fixed=N_("the data generation cost is counted once while loading the scenario"),
        what=WHOLE_EXAMPLES,
    ),
    _s(
        "training.data_generation.input_tokens",
        unit=N_("tokens per example"),
        label="generation input tokens",
        engine="data_generation_cost",
        vary=False,
        fixed=N_("the data generation cost is counted once while loading the scenario"),
    ),
    _s(
        "training.data_generation.output_tokens",
        unit=N_("tokens per example"),
        label="generation output tokens",
        engine="data_generation_cost",
        vary=False,
        fixed=N_("the data generation cost is counted once while loading the scenario"),
    ),
    _s("quality.error_rate", 0.0, 1.0, unit=N_("per request"), label="error rate", engine="quality_cost", what=SHARE),
    _s("quality.cost_per_error", unit=N_("per error"), label="cost per error", engine="quality_cost"),
    _s(
        "price_change_per_month",
        -1.0,
        1.0,
        exclusive_min=True,
        unit=N_("per month"),
        label="price change per month",
        title=N_("Change of per-token prices each month (compounding)"),
        engine="price_change",
    ),
    _s("migration_cost", unit=N_("per move"), label="migration cost", engine="one_time_cost", vary=False),
    _s("serving.gpu_per_hour", unit=N_("per GPU-hour"), label="GPU price per hour", title=N_("Self-hosted: GPU price"), engine="replica_cost", needs="serving"),
    _s(
        "serving.gpus_per_replica",
        exclusive_min=True,
        unit=N_("count"),
        label="GPUs per replica",
        title=N_("Self-hosted: GPUs per replica"),
        engine="replica_cost",
        needs="serving",
    ),
    _s(
        "serving.requests_per_second",
        exclusive_min=True,
        unit=N_("per second"),
        label="requests per second per replica",
        title=N_("Self-hosted: requests/second of one replica at full load"),
        engine="replica_capacity",
        needs="serving",
        what=N_("a throughput above 0"),
    ),
    _s(
        "serving.input_tokens_per_second",
        exclusive_min=True,
        unit=N_("tokens per second"),
        label="prefill tokens per second",
        engine="replica_capacity",
        vary=False,
        fixed=N_("the replica's request rate is derived from it while loading; vary serving.requests_per_second"),
        what=N_("tokens per second"),
    ),
    _s(
        "serving.output_tokens_per_second",
        exclusive_min=True,
        unit=N_("tokens per second"),
        label="decode tokens per second",
        engine="replica_capacity",
        vary=False,
        fixed=N_("the replica's request rate is derived from it while loading; vary serving.requests_per_second"),
        what=N_("tokens per second"),
    ),
    _s(
        "serving.target_utilization",
        0.0,
        1.0,
        exclusive_min=True,
        unit=N_("0..1"),
        label="target utilization",
        title=N_("Self-hosted: target utilization"),
        engine="replica_capacity",
        needs="serving",
        what=N_("a share above 0 and at most 1"),
    ),
    _s(
        "serving.min_replicas",
        integer=True,
        unit=N_("count"),
        label="minimum replicas",
        title=N_("Self-hosted: minimum replicas"),
        engine="min_replicas",
        needs="serving",
        what=N_("a whole number"),
    ),
    _s(
        "serving.hours_per_month",
        0.0,
        MAX_HOURS_PER_MONTH,
        unit=N_("hours"),
        label="serving hours per month",
        title=N_("Self-hosted: GPU hours per month"),
        engine="replica_cost",
        needs="serving",
    ),
)

BY_PATH: dict[tuple[str, ...], NumberField] = {f.path: f for f in FIELDS}
assert len(BY_PATH) == len(FIELDS), "a path is declared twice"


def pattern(path: tuple[Any, ...]) -> tuple[str, ...]:
    """The table's path for a concrete key path: a strategy index or currency code becomes ``*``.

    >>> pattern(("strategies", 2, "request", "prompt_tokens"))
    ('strategies', '*', 'request', 'prompt_tokens')
    >>> pattern(("exchange_rate", "USD"))
    ('exchange_rate', '*')
    """
    parts = tuple(str(p) for p in path)
    if len(parts) >= 2 and parts[0] in ("strategies", "exchange_rate"):
        parts = (parts[0], ANY) + parts[2:]
    return parts


def at(path: tuple[Any, ...]) -> NumberField | None:
    """The row a concrete key path names, or None when it names no numeric input.

    >>> at(("strategies", 0, "batch_share")).maximum
    1.0
    >>> at(("volume", "growth_per_month")).exclusive_min
    True
    """
    return BY_PATH.get(pattern(path))
