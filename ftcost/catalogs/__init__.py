"""Price catalogs: the bundled YAML files (beside this module), and the code that reads, checks and imports them.

- ``model``: Price, Model, Gpu, Catalog, and the keys a catalog may hold;
- ``values`` and ``parse``: one catalog file checked and parsed, every problem located;
- ``load``: bundled and private catalogs, laid over each other;
- ``lookup``: ``Catalogs``, the catalogs a scenario uses, and model look-up;
- ``staleness``: prices read too long ago;
- ``check``: ``ftcost pricing check``; ``litellm`` and ``litellm_import``:
  ``ftcost pricing import litellm`` (imported only by those commands).

The names below are the public API (the 0.1 ``ftcost.pricing`` module's).
"""

from .load import BUNDLED_DIR, PRICING_PATH_ENV, all_catalog_names, bundled_names, catalog_path, load_catalog, overlay_catalog, private_catalogs, user_dirs
from .lookup import PREFERRED_PROVIDER, Catalogs
from .model import (
    BASE_PRICE_KEYS,
    BATCH_PRICE_KEYS,
    CATALOG_KEYS,
    FT_FACT_KEYS,
    FT_OTHER_KEYS,
    FT_PRICE_KEYS,
    GPU_KEYS,
    MAX_NUMBER,
    MODEL_FACT_KEYS,
    MODEL_OTHER_KEYS,
    OVERRIDE_MODES,
    SERVING_MODES,
    Catalog,
    Gpu,
    Model,
    Price,
)
from .parse import parse_catalog
from .staleness import DEFAULT_MAX_AGE_DAYS, stale_prices, stale_warning

__all__ = [
    "BASE_PRICE_KEYS",
    "BATCH_PRICE_KEYS",
    "BUNDLED_DIR",
    "CATALOG_KEYS",
    "DEFAULT_MAX_AGE_DAYS",
    "FT_FACT_KEYS",
    "FT_OTHER_KEYS",
    "FT_PRICE_KEYS",
    "GPU_KEYS",
    "MAX_NUMBER",
    "MODEL_FACT_KEYS",
    "MODEL_OTHER_KEYS",
    "OVERRIDE_MODES",
    "PREFERRED_PROVIDER",
    "PRICING_PATH_ENV",
    "SERVING_MODES",
    "Catalog",
    "Catalogs",
    "Gpu",
    "Model",
    "Price",
    "all_catalog_names",
    "bundled_names",
    "catalog_path",
    "load_catalog",
    "overlay_catalog",
    "parse_catalog",
    "private_catalogs",
    "stale_prices",
    "stale_warning",
    "user_dirs",
]
