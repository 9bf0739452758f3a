"""Text renderers for ``ftcost simulate``, ``ftcost sweep`` and ``ftcost sensitivity``.

Each result renders as a table (for people), Markdown, CSV (one row per
strategy, grid point or input) and JSON (its ``to_dict()``). Numbers in CSV
and JSON are plain floats, unrounded; null / empty means "never" or "not
defined".
"""

from __future__ import annotations

from .sensitivity_text import saves_words, sensitivity_csv, sensitivity_markdown, sensitivity_table
from .simulation_text import simulation_csv, simulation_markdown, simulation_table, simulation_verdict
from .sweep_text import sweep_csv, sweep_csv_chunks, sweep_json, sweep_markdown, sweep_table
from .tabular import to_json

__all__ = [
    "RENDERERS",
    "saves_words",
    "sensitivity_csv",
    "sensitivity_markdown",
    "sensitivity_table",
    "simulation_csv",
    "simulation_markdown",
    "simulation_table",
    "simulation_verdict",
    "sweep_csv",
    "sweep_csv_chunks",
    "sweep_json",
    "sweep_markdown",
    "sweep_table",
    "to_json",
]

RENDERERS = {
    "simulate": {"table": simulation_table, "markdown": simulation_markdown, "csv": simulation_csv, "json": to_json},
    "sweep": {"table": sweep_table, "markdown": sweep_markdown, "csv": sweep_csv_chunks, "json": sweep_json},
    "sensitivity": {"table": sensitivity_table, "markdown": sensitivity_markdown, "csv": sensitivity_csv, "json": to_json},
}
