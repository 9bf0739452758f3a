"""OpenAI's default number of epochs for a count of training examples.

The provider's rule for ``epochs: auto`` (OpenAI's heuristic or a fixed
count, read from its catalog) is :class:`ftcost.epochs.EpochRule`; the
formula itself is the engine's (``engine.default_epochs``), so that the CLI
and the engine agree.
"""

from __future__ import annotations

from ..errors import TokenError

# OpenAI's default-epochs heuristic, constants from the cookbook notebook
# Chat_finetuning_data_prep.ipynb ("Pricing and default n_epochs estimate").
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25


def default_epochs(n: int, fixed: int = 0) -> int:
    """Epochs OpenAI picks by default for ``n`` training examples (``fixed``: a provider's fixed count instead).

    Notes
    -----
    3 epochs; if ``3 n < 100``: ``min(25, 100 // n)``; if ``3 n > 25000``:
    ``max(1, 25000 // n)`` (OpenAI cookbook, Chat_finetuning_data_prep.ipynb).
    ``fixed`` is ``EpochRule.fixed`` of the provider's catalog (Azure: 2).

    Examples
    --------
    >>> [default_epochs(n) for n in (1, 5, 33, 34, 8333, 8334, 100000)]
    [25, 20, 3, 3, 3, 2, 1]
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise TokenError(f"the default number of epochs needs at least one training example, got {n!r}")
    from ..engine import default_epochs as vectorized  # one formula for the CLI and the engine

    return int(vectorized(n, fixed=fixed))
