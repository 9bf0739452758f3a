"""Error types. Every error a user can cause is an FtcostError subclass.

The CLI turns these into one paragraph and exit code 2; anything else is a bug
(exit 1). A location is (file, line, column, key path); line and column are
1-based, as editors show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def format_path(path: Sequence[object]) -> str:
    """Render a key path the way a reader writes it: ``strategies[1].training.epochs``.

    Integers are list indexes; strings are mapping keys (llm's bug to avoid:
    joining indexes as if they were keys).
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class FtcostError(Exception):
    """A problem with the user's input, reported with its location and a hint."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: Sequence[object] = (),
        hint: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.path = tuple(path)
        self.hint = hint

    def location(self) -> str:
        parts = []
        if self.file:
            loc = str(self.file)
            if self.line is not None:
                loc += f":{self.line}"
                if self.column is not None:
                    loc += f":{self.column}"
            parts.append(loc)
        if self.path:
            parts.append(format_path(self.path))
        return ": ".join(parts)

    def __str__(self) -> str:
        # Each part is clipped: a 5 MB value or key quoted back must not flood the terminal.
        loc = _clip(self.location(), 500)
        text = f"{loc}: {_clip(self.message)}" if loc else _clip(self.message)
        if self.hint:
            text += f" (hint: {_clip(self.hint)})"
        return text


def _clip(text: str, limit: int = 1000) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    text = str(text)
    if len(text) <= limit:
        return text
    return text[:limit] + f"... ({len(text) - limit:,} more characters)"


class ScenarioError(FtcostError):
    """A scenario file is invalid."""


class CatalogError(FtcostError):
    """A pricing catalog is invalid, or a model or price is not in it."""


class TokenError(FtcostError):
    """Text or a dataset could not be read or counted."""


class OutputError(FtcostError):
    """An output could not be written (or would overwrite an input)."""


def did_you_mean(word: str, choices: Iterable[str], n: int = 1) -> str | None:
    """Return 'did you mean X?' for the closest choice, or None when none is close."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=n, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"
