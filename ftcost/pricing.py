"""The 0.1 name of :mod:`ftcost.catalogs`, kept because docs/pricing.md documented it (``from ftcost.pricing import stale_prices``)."""

from .catalogs import *  # noqa: F403
from .catalogs import __all__ as __all__
