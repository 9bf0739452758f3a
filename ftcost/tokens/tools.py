"""Tokens of the tool (function) definitions of a chat training example.

A chat example may carry ``tools`` (``[{"type": "function", "function": {...}}]``)
or the older ``functions`` (``[{"name": ..., "description": ..., "parameters": ...}]``).
The model is trained on them as part of the prompt, so they are billed as
training tokens (OpenAI community thread "Why does the use of tools in
finetuning represent a 40% increase in the amount of trained tokens?").

They are counted with the method OpenAI publishes in its cookbook, "How to
count tokens with tiktoken", ``num_tokens_for_tools`` (the best published
method; OpenAI says its counts are estimates)::

    per function:  func_init + tokens("name:description")   (a trailing "." dropped)
                   + prop_init, if it has properties
                   + per property: prop_key + tokens("name:type:description")
                                   + enum_init + sum(enum_item + tokens(item)) if it has an enum
    once, if there are functions: func_end

with func_init 7 for gpt-4o / gpt-4o-mini (o200k_base) and 10 for
gpt-3.5-turbo / gpt-4 (cl100k_base); prop_init 3, prop_key 3, enum_init -3,
enum_item 3, func_end 12 for both. The cookbook gives no constants for the
gpt-4.1 family: it shares gpt-4o's encoding, so gpt-4o's are used.

The cookbook counts the top level of each parameter schema only. Parts it
does not count (nested ``properties``, ``items``, ``anyOf`` ..., a tool that
is not a function) are billed all the same, so they are reported
(``uncounted``) and the caller warns: the count is then a lower bound.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# OpenAI cookbook, How_to_count_tokens_with_tiktoken.ipynb, num_tokens_for_tools().
FUNC_INIT = {"o200k_base": 7, "cl100k_base": 10}
PROP_INIT = 3
PROP_KEY = 3
ENUM_INIT = -3
ENUM_ITEM = 3
FUNC_END = 12
# Keys of a property schema the cookbook reads; any other key holding a schema is billed but not counted.
_COUNTED_PROPERTY_KEYS = ("type", "description", "enum")
_NESTED_SCHEMA_KEYS = ("properties", "items", "anyOf", "oneOf", "allOf", "prefixItems", "additionalProperties", "$defs", "definitions")


class ToolsError(ValueError):
    """Tool definitions that cannot be read; ``path`` is where in the example (e.g. ``tools[0].function.name``)."""

    def __init__(self, message: str, path: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.detail = message


@dataclass
class ToolCount:
    tokens: int
    functions: int
    uncounted: list[str]  # where parts billed but not counted by the published method are


def _text(value: Any, path: str, *, required: bool = False) -> str:
    if value is None:
        if required:
            raise ToolsError("is missing", path)
        return ""
    if not isinstance(value, str):
        raise ToolsError(f"must be text, got {type(value).__name__}", path)
    return value


def _functions(tools: Any, functions: Any) -> list[tuple[str, Any]]:
    """``(path, function object)`` for every function of ``tools`` and ``functions``; raises ToolsError."""
    out: list[tuple[str, Any]] = []
    for key, value in (("tools", tools), ("functions", functions)):
        if value is None:
            continue
        if not isinstance(value, list):
            raise ToolsError(f"must be a list, got {type(value).__name__}", key)
        for i, item in enumerate(value):
            p = f"{key}[{i}]"
            if not isinstance(item, dict):
                raise ToolsError(f"must be an object, got {type(item).__name__}", p)
            if key == "tools":
                kind = item.get("type", "function")
                if kind != "function":
                    out.append((p, None))  # another tool type: billed, no published way to count it
                    continue
                fn = item.get("function")
                if not isinstance(fn, dict):
                    raise ToolsError("must be an object with name, description and parameters", p + ".function")
                out.append((p + ".function", fn))
            else:
                out.append((p, item))
    return out


def count_tools(tools: Any, functions: Any, encoding: str, count: Callable[[str], int]) -> ToolCount:
    """Tokens of an example's tool definitions, OpenAI's cookbook way (see the module docstring).

    ``count`` gives the tokens of a text in ``encoding``. Raises :class:`ToolsError`
    when the definitions cannot be read (not a list, a function without a name, ...).

    Examples
    --------
    The cookbook's own example: one function ``get_current_weather`` with two
    properties, one with an enum (the test suite checks the full example
    against the cookbook's published total of 101 prompt tokens on gpt-4o).

    >>> from ftcost.tokens import count_text
    >>> tool = {"type": "function", "function": {"name": "f", "description": "Do it.",
    ...         "parameters": {"type": "object", "properties": {"x": {"type": "string", "description": "X"}}}}}
    >>> c = count_tools([tool], None, "o200k_base", lambda t: count_text(t, "o200k_base"))
    >>> # 7 + tokens("f:Do it") + 3 + 3 + tokens("x:string:X") + 12
    >>> c.tokens == 7 + count_text("f:Do it", "o200k_base") + 3 + 3 + count_text("x:string:X", "o200k_base") + 12
    True
    """
    found = _functions(tools, functions)
    func_init = FUNC_INIT.get(encoding, FUNC_INIT["o200k_base"])
    total = 0
    uncounted: list[str] = []
    n = 0
    for path, fn in found:
        if fn is None:
            uncounted.append(path)
            continue
        n += 1
        name = _text(fn.get("name"), path + ".name", required=True)
        desc = _text(fn.get("description"), path + ".description")
        if desc.endswith("."):
            desc = desc[:-1]
        total += func_init + count(f"{name}:{desc}")
        params = fn.get("parameters")
        if params is None:
            continue
        if not isinstance(params, dict):
            raise ToolsError(f"must be an object, got {type(params).__name__}", path + ".parameters")
        props = params.get("properties") or {}
        if not isinstance(props, dict):
            raise ToolsError(f"must be an object, got {type(props).__name__}", path + ".parameters.properties")
        for key in params:
            if key in _NESTED_SCHEMA_KEYS and key != "properties":
                uncounted.append(f"{path}.parameters.{key}")
        if props:
            total += PROP_INIT
        for pname, prop in props.items():
            pp = f"{path}.parameters.properties.{pname}"
            if not isinstance(prop, dict):
                raise ToolsError(f"must be an object, got {type(prop).__name__}", pp)
            total += PROP_KEY
            ptype = prop.get("type", "")
            if isinstance(ptype, list):
                ptype = ",".join(str(t) for t in ptype)
            elif not isinstance(ptype, str):
                raise ToolsError(f"must be text, got {type(ptype).__name__}", pp + ".type")
            pdesc = _text(prop.get("description"), pp + ".description")
            enum = prop.get("enum")
            if enum is not None:
                if not isinstance(enum, list):
                    raise ToolsError(f"must be a list, got {type(enum).__name__}", pp + ".enum")
                total += ENUM_INIT
                for item in enum:
                    total += ENUM_ITEM + count(item if isinstance(item, str) else str(item))
            if pdesc.endswith("."):
                pdesc = pdesc[:-1]
            total += count(f"{pname}:{ptype}:{pdesc}")
            for key in prop:
                if key in _NESTED_SCHEMA_KEYS:
                    uncounted.append(f"{pp}.{key}")
    if n:
        total += FUNC_END
    return ToolCount(max(total, 0), n, uncounted)
