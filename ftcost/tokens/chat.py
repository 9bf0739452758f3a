"""Chat messages: their shape, checked, and their tokens counted OpenAI's way.

Chat messages are counted with OpenAI's method (cookbook notebooks
``How_to_count_tokens_with_tiktoken.ipynb`` and
``Chat_finetuning_data_prep.ipynb``)::

    tokens = sum over messages (3 + tokens of each value + 1 if it has a name) + 3

The result is an estimate of what the API bills, as OpenAI itself says
("not exact!"), but it is the estimate OpenAI publishes.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import TokenError
from ..i18n import Message
from .encodings import get_encoding

# OpenAI's chat counting constants (cookbook, Chat_finetuning_data_prep.ipynb:
# num_tokens_from_messages(messages, tokens_per_message=3, tokens_per_name=1),
# then ``num_tokens += 3`` for the reply priming <|start|>assistant<|message|>).
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3

# Chat message shape. The cookbook accepts the keys role, content, name,
# function_call and weight and the roles system, user, assistant, function;
# OpenAI's current fine-tuning format adds tool calls, so those are accepted too.
MESSAGE_KEYS = ("role", "content", "name", "function_call", "tool_calls", "tool_call_id", "weight")
ROLES = ("system", "developer", "user", "assistant", "function", "tool")
# Keys whose value is structured (a dict or a list): counted as compact JSON
# text, an approximation OpenAI does not specify.
STRUCTURED_KEYS = ("function_call", "tool_calls")
# Not text the model reads: not counted.
UNCOUNTED_KEYS = ("weight",)


def value_text(key: str, value: Any) -> str | None:
    """The text counted for one message value: strings as they are, tool calls as compact JSON."""
    if key in UNCOUNTED_KEYS or value is None:
        return None
    if isinstance(value, str):
        return value
    if key in STRUCTURED_KEYS:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return None


def check_message(message: Any) -> list[tuple[str, str]]:
    """Problems with one chat message, as ``(kind, detail)`` pairs; empty when it is valid.

    Kinds follow OpenAI's data-preparation notebook: ``unrecognized_key``,
    ``unknown_role`` (also a missing role), ``missing_content`` (content
    missing, empty or not text; a function or tool call may have null content).
    """
    if not isinstance(message, dict):
        return [("message_not_object", f"a message must be an object, got {_json_type(message)}")]
    problems = []
    for key in message:
        if key not in MESSAGE_KEYS:
            problems.append(("unrecognized_key", f"unrecognised message key {key!r}"))
            break
    if "role" not in message:
        problems.append(("unknown_role", "message has no 'role'"))
    elif message["role"] not in ROLES:
        problems.append(("unknown_role", f"unknown role {message['role']!r} (expected one of {', '.join(ROLES)})"))
    content = message.get("content")
    if message.get("function_call") or message.get("tool_calls"):
        if content is not None and not isinstance(content, str):
            problems.append(("missing_content", f"message content is {_json_type(content)}, not text"))
    elif not isinstance(content, str) or not content:
        what = "missing" if "content" not in message else ("empty" if content == "" else f"{_json_type(content)}, not text")
        problems.append(("missing_content", f"message content is {what}"))
    for key in ("name", "tool_call_id"):
        if key in message and not isinstance(message[key], str):
            problems.append(("unrecognized_key", f"message {key!r} must be text"))
    return problems


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def count_messages(messages: list[dict], encoding: str) -> int:
    """Tokens of a chat conversation, OpenAI's way.

    Notes
    -----
    ``tokens = sum_m (3 + sum_v tokens(v) + [name present]) + 3``, where v runs
    over the values of message m (role, content, name; tool calls as compact
    JSON), 3 is ``tokens_per_message``, 1 ``tokens_per_name`` and the final 3
    the reply priming (OpenAI cookbook, Chat_finetuning_data_prep.ipynb).

    Examples
    --------
    Two messages: roles "system" and "user" are 1 token each, "Be brief." is 3
    tokens and "Hi" 1 token (o200k_base), so 3 + 1 + 3 + 3 + 1 + 1 + 3 = 15.

    >>> count_messages([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}], "o200k_base")
    15
    """
    if not isinstance(messages, list) or not messages:
        raise TokenError(
            Message("messages must be a non-empty list of {{role, content}} objects"), hint=Message('e.g. [{{"role": "user", "content": "Hello"}}]')
        )
    from .cuts import count

    enc = get_encoding(encoding)
    total = REPLY_PRIMING
    for i, message in enumerate(messages):
        problems = check_message(message)
        if problems:
            kind, detail = problems[0]
            raise TokenError(detail, path=(i,), hint=Message("each message needs a role ({roles}) and text content", roles=", ".join(ROLES)))
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            text = value_text(key, value)
            if text is not None:
                total += count(enc, text)
            if key == "name":
                total += TOKENS_PER_NAME
    return total
