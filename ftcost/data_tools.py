"""The 0.1 name of :mod:`ftcost.data`, kept because docs/data.md documented it (``from ftcost.data_tools import check_dataset``)."""

from .data import *  # noqa: F403
from .data import __all__ as __all__
from .render.data_text import format_check, format_convert, format_savings, format_split  # noqa: F401
