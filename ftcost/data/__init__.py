"""Training data (JSONL): reading, checking, counting, converting, splitting, and the savings it measures.

- ``analyze``: one streamed pass that validates and counts a file (``ftcost
  tokens``, a scenario's ``training.dataset``), with ``counting`` (blocks of
  lines, few encoder calls) and ``stats`` (what the file holds);
- ``records``: a file read line by line into records and issues (the data
  commands), and ``examples``: the parts of one example;
- ``check`` and ``findings``: ``ftcost data check``; ``convert``, ``split``,
  ``savings``: the other data commands.

No click here; ``ftcost.render.data_text`` writes the reports for a terminal.
The names below are the library documented in docs/data.md.
"""

from .analyze import analyze_dataset
from .check import CheckReport, check_dataset
from .convert import ConvertReport, convert_dataset, convert_example
from .examples import answer_form, split_completion, split_prompt
from .savings import Savings, measure_savings, write_savings_scenario
from .split import SplitReport, split_dataset, split_key
from .stats import DatasetStats, training_cost

__all__ = [
    "CheckReport",
    "ConvertReport",
    "DatasetStats",
    "Savings",
    "SplitReport",
    "analyze_dataset",
    "answer_form",
    "check_dataset",
    "convert_dataset",
    "convert_example",
    "measure_savings",
    "split_completion",
    "split_dataset",
    "split_key",
    "split_prompt",
    "training_cost",
    "write_savings_scenario",
]
