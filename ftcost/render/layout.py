"""Text tables that fit a width: wrapped cells, and strategies as rows when columns would overflow.

A comparison table has metrics down and strategies across. That reads best
while it fits; with long names, long model ids or many strategies it would
print 200-character lines. :func:`fit_table` wraps headers and cells (at
spaces, after ``/`` or ``-`` in a long word) to make the columns narrower;
when even the narrowest columns do not fit, it turns the table around:
one block per strategy, its metrics as ``label  value`` lines, so any
number of strategies fits any width of 40 columns and up.
"""

from __future__ import annotations

import os
import shutil
import sys

GAP = 2
DEFAULT_WIDTH = 100  # when the output is not a terminal (a file, a pipe, a test)
MIN_WIDTH = 40


def output_width(stream=None) -> int:
    """The terminal's width when ``stream`` (stdout) is a terminal, else 100 (``COLUMNS`` overrides both)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return max(MIN_WIDTH, int(env))
    stream = stream or sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return DEFAULT_WIDTH
    return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def _split_word(word: str, width: int) -> list[str]:
    """A word longer than ``width``: cut after a separator when one is in reach, else hard."""
    out = []
    while len(word) > width:
        cut = word.rfind("/", 0, width)  # a provider/model id breaks after the provider first
        if cut <= 0 or len(word) - cut - 1 > width:
            cut = max(word.rfind(ch, 0, width) for ch in "/-_.,")
            cut = cut if cut >= width // 3 else width - 1
        k = cut + 1
        out.append(word[:k])
        word = word[k:]
    return out + [word] if word else out


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to ``width`` characters; never returns a line longer than ``width``.

    >>> wrap("cheaper above 8,097,916/mo", 14)
    ['cheaper above', '8,097,916/mo']
    >>> wrap("azure-openai/gpt-4.1-nano-2025-04-14", 16)
    ['azure-openai/', 'gpt-4.1-nano-', '2025-04-14']
    >>> wrap("openai/gpt-4o-mini-2024-07-18", 24)
    ['openai/', 'gpt-4o-mini-2024-07-18']
    """
    width = max(1, width)
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in _split_word(word, width):
            cand = piece if not line else line + " " + piece
            if len(cand) <= width:
                line = cand
            else:
                lines.append(line)
                line = piece
    lines.append(line)
    return lines


def _min_width(text: str) -> int:
    """The narrowest a cell can get: its longest word, cut after a separator if it is long."""
    widest = 0
    for word in text.split():
        if len(word) > 14:
            parts = _split_word(word, 14)
            widest = max(widest, max(len(p) for p in parts))
        else:
            widest = max(widest, len(word))
    return widest


def _fit(natural: list[int], minimal: list[int], room: int) -> list[int] | None:
    """Shrink the widest columns first, never below their minimum; None when they cannot fit ``room``."""
    widths = list(natural)
    if sum(minimal) > room:
        return None
    while sum(widths) > room:
        j = max((k for k in range(len(widths)) if widths[k] > minimal[k]), key=lambda k: widths[k])
        widths[j] -= 1
    return widths


def across(header: list[str], body: list[tuple[str, list[str]]], width: int) -> list[str] | None:
    """Metrics down, one column per header entry, cells (and labels) wrapped to fit; None when it cannot fit ``width``."""
    labels = [label for label, _ in body]
    label_nat = max([len(x) for x in labels] + [0])
    label_min = min(label_nat, max([_min_width(x) for x in labels] + [0, 18]))
    cols = list(zip(header, *[cells for _, cells in body]))
    natural = [label_nat] + [max(len(c) for c in col) for col in cols]
    minimal = [label_min] + [max(_min_width(c) for c in col) for col in cols]
    fitted = _fit(natural, minimal, width - GAP * len(header))
    if fitted is None:
        return None
    label_w, widths = fitted[0], fitted[1:]
    out = []
    head = [wrap(h, w) for h, w in zip(header, widths)]
    depth = max([len(h) for h in head] + [1])
    for k in range(depth):
        # Names sit on the bottom line of the header, right above the rule.
        cells = [(h[k - (depth - len(h))] if k >= depth - len(h) else "") for h in head]
        out.append((" " * label_w + "".join(" " * GAP + c.rjust(w) for c, w in zip(cells, widths))).rstrip())
    out.append(" " * label_w + "".join(" " * GAP + "-" * w for w in widths))
    for label, cells in body:
        indent = len(label) - len(label.lstrip(" "))
        lab = [(" " * indent + x) for x in wrap(label.strip(), label_w - indent)] if len(label) > label_w else [label]
        wrapped = [wrap(c, w) for c, w in zip(cells, widths)]
        for k in range(max([len(x) for x in wrapped] + [len(lab)])):
            lead = (lab[k] if k < len(lab) else "").ljust(label_w)
            out.append((lead + "".join(" " * GAP + (x[k] if k < len(x) else "").rjust(w) for x, w in zip(wrapped, widths))).rstrip())
    return out


def down(header: list[str], body: list[tuple[str, list[str]]], width: int) -> list[str]:
    """One block per strategy (header entry): its name, then ``label  value`` lines, values wrapped."""
    label_w = min(max([len(label) for label, _ in body] + [0]), max(12, width // 3))
    out: list[str] = []
    for j, name in enumerate(header):
        if j:
            out.append("")
        title = wrap(name, width)
        out.extend(title)
        out.append("-" * max(len(x) for x in title))
        for label, cells in body:
            lead = label if len(label) <= label_w else ""
            if not lead:  # a label wider than its column gets a line of its own
                out.extend(wrap(label, width))
            for k, line in enumerate(wrap(cells[j], width - label_w - GAP)):
                out.append(((lead if k == 0 else "").ljust(label_w) + " " * GAP + line).rstrip())
    return out


def fit_table(header: list[str], body: list[tuple[str, list[str]]], width: int | None = None) -> list[str]:
    """The table of ``(header, body)`` within ``width`` columns (default: :func:`output_width`)."""
    width = max(MIN_WIDTH, width or output_width())
    return across(header, body, width) or down(header, body, width)
