"""Default number of epochs (``epochs: auto``) by the provider that runs the job.

A catalog may carry a ``default_epochs`` block naming its provider's rule and
where it is published::

    default_epochs: {rule: openai, source: ..., as_of: ...}    # OpenAI's heuristic
    default_epochs: {rule: fixed, epochs: 2, source: ...}      # a fixed count

``openai`` is OpenAI's published heuristic; ``fixed`` is the same number of
epochs whatever the dataset size. A catalog without the block has no
published rule: OpenAI's heuristic is assumed, and a strategy that relies on
it gets a warning that says so. The numbers themselves come from
:func:`ftcost.engine.default_epochs` (``fixed=rule.fixed``): this module is
data only, so the catalogs can carry it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from .i18n import N_, Message

RULES = ("openai", "fixed")
DEFAULT_EPOCHS_KEYS = ("rule", "epochs", "source", "as_of")


@dataclass(frozen=True)
class EpochRule:
    """How a provider picks the number of epochs for ``n`` training examples."""

    rule: str = "openai"
    epochs: int | None = None  # for rule "fixed"
    source: str = ""
    as_of: _dt.date | None = None
    assumed: bool = False  # True: the provider publishes no rule, OpenAI's heuristic stands in

    @property
    def fixed(self) -> int:
        """The fixed number of epochs, or 0 for OpenAI's heuristic (the ``fixed`` argument of engine.default_epochs)."""
        return int(self.epochs or 0) if self.rule == "fixed" else 0

    def describe(self) -> str:
        """One phrase for messages: which rule, in words."""
        if self.rule == "fixed":
            return Message(N_("{n} epochs whatever the number of examples"), n=self.epochs)
        return Message(N_("OpenAI's heuristic (3 epochs; min(25, 100 // n) below 34 examples, max(1, 25000 // n) above 8,333)"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "epochs": self.epochs,
            "source": self.source or None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "assumed": self.assumed,
        }


# What ftcost uses for a provider whose catalog names no rule.
ASSUMED = EpochRule("openai", None, "assumed: no default-epochs rule published in this catalog", None, assumed=True)
