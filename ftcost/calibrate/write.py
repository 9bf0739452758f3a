"""Scenario text for ``ftcost init`` and ``ftcost calibrate``: written with comments, checked, then saved.

A new scenario is rendered from a :class:`Spec`; an existing one gets its
``volume`` block and one strategy's ``request`` block (and its ``start``
line) replaced in place, line by line, using the key positions the located
YAML loader records, so every other line and comment stays as it was. Either
way the text is validated with the scenario loader before the atomic rename:
a scenario that would not load is never written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ScenarioError

Number = Any  # a number, or a {dist: ...} mapping


@dataclass
class StrategySpec:
    name: str
    type: str  # prompt | fine_tuned
    model: str
    request: dict[str, Number]  # prompt_tokens or prompt_file, input_tokens, cached_prompt_tokens, completion_tokens
    request_comments: list[str] = field(default_factory=list)
    training: dict[str, Any] | None = None
    training_comments: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass
class Spec:
    name: str
    description: str
    header: list[str]  # comment lines at the top
    horizon_months: int
    start: str | None
    requests_per_month: Number
    growth_per_month: Number
    volume_comments: list[str]
    strategies: list[StrategySpec]
    pricing: list[str] | None = None
    volume_key: str = "requests_per_month"  # or requests_per_day


def scalar(v: Any) -> str:
    """A YAML scalar or flow mapping for a number, text or {dist: ...}."""
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {scalar(x)}" for k, x in v.items()) + "}"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(round(v, 6))
    text = str(v)
    import json

    plain = (
        text
        and text.strip() == text
        and not any(c in text for c in ":#{}[],&*!|>'\"%@`")
        and text.lower() not in ("yes", "no", "true", "false", "null", "on", "off", "~")
    )
    try:
        float(text)
        plain = False
    except ValueError:
        pass
    return text if plain else json.dumps(text, ensure_ascii=False)


def _comments(lines: Iterable[str], indent: str) -> list[str]:
    return [f"{indent}# {c}".rstrip() for c in lines]


def volume_lines(spec: Spec, indent: str = "") -> list[str]:
    out = [f"{indent}volume:"]
    out += _comments(spec.volume_comments, indent + "  ")
    out.append(f"{indent}  {spec.volume_key}: {scalar(spec.requests_per_month)}")
    out.append(f"{indent}  growth_per_month: {scalar(spec.growth_per_month)}")
    return out


def request_lines(s: StrategySpec, indent: str) -> list[str]:
    out = [f"{indent}request:"]
    out += _comments(s.request_comments, indent + "  ")
    out += [f"{indent}  {k}: {scalar(v)}" for k, v in s.request.items()]
    return out


def render(spec: Spec) -> str:
    lines = _comments(spec.header, "")
    lines += ["ftcost: 1", f"name: {scalar(spec.name)}", f"description: {scalar(spec.description)}", "currency: USD", f"horizon_months: {spec.horizon_months}"]
    if spec.start:
        lines.append(f"start: {spec.start}")
    lines.append("")
    lines += volume_lines(spec)
    lines.append("")
    if spec.pricing:
        lines.append(f"pricing: [{', '.join(spec.pricing)}]")
    lines.append(f"baseline: {scalar(spec.strategies[0].name)}")
    lines += ["", "strategies:"]
    for s in spec.strategies:
        lines += _comments(s.comments, "  ")
        lines += [f"  - name: {scalar(s.name)}", f"    type: {s.type}", f"    model: {scalar(s.model)}"]
        lines += request_lines(s, "    ")
        if s.training is not None:
            lines.append("    training:")
            lines += _comments(s.training_comments, "      ")
            lines += [f"      {k}: {scalar(v)}" for k, v in s.training.items()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _block_end(lines: list[str], start: int, col: int) -> int:
    """Index of the last line of the block whose key is at lines[start], column ``col`` (0-based)."""
    end = start
    for i in range(start + 1, len(lines)):
        text = lines[i]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent <= col:
            break
        end = i
    return end


def replace_block(text: str, doc, path: tuple, new_lines: list[str]) -> str:
    """Replace the block of key ``path`` (its key line to its last more-indented line) by ``new_lines``.

    ``new_lines`` are written for a key at column 0; they are shifted to the
    key's column. Text before the key on its line (a list item's "- ") stays.
    """
    where = doc.key_locations.get(tuple(path))
    if where is None:
        raise ScenarioError(f"no '{path[-1]}' block to update", file=doc.file, path=path)
    line, col = where[0] - 1, where[1] - 1
    lines = text.split("\n")
    end = _block_end(lines, line, col)
    prefix = lines[line][:col]
    pad = " " * col
    shifted = [prefix + new_lines[0]] + [(pad + ln) if ln else ln for ln in new_lines[1:]]
    return "\n".join(lines[:line] + shifted + lines[end + 1 :])


def update_existing(text: str, doc, spec: Spec, strategy_index: int, strategy: StrategySpec) -> str:
    """``text`` with its volume, the request of strategies[strategy_index] and its start replaced."""
    # Bottom-up, so that earlier line numbers stay valid.
    edits: list[tuple[tuple, list[str]]] = [(("volume",), volume_lines(spec))]
    edits.append((("strategies", strategy_index, "request"), request_lines(strategy, "")))
    if spec.start and ("start",) in doc.key_locations:
        edits.append((("start",), [f"start: {spec.start}"]))
    edits.sort(key=lambda e: doc.key_locations.get(e[0], (0, 0))[0], reverse=True)
    for path, new in edits:
        text = replace_block(text, doc, path, new)
    return text


def write_scenario(path: str | os.PathLike, text: str, *, inputs: Iterable[str] = (), updates: str | None = None) -> None:
    """Write ``text`` to ``path`` atomically, after checking that it loads as a scenario.

    ``updates``: the scenario read in order to rewrite it (``calibrate -o existing.yaml``).
    """
    from ..model.load import load_scenario
    from ..outputs import atomic_path

    with atomic_path(path, inputs=inputs, extensions=(".yaml", ".yml"), updates=updates) as tmp:
        tmp.write_text(text, encoding="utf-8")
        try:
            load_scenario(tmp)
        except ScenarioError as exc:  # a bug in ftcost's writer, or a catalog the user must fix
            exc.file = str(path)
            raise
