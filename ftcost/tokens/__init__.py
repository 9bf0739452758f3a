"""Token counting, offline: the bundled tiktoken encodings, text, chat messages, tool definitions.

- ``encodings``: the bundled encodings, hash-checked (``get_encoding``,
  ``encoding_for_model``);
- ``text``: text and text files, streamed (``count_text``,
  ``count_text_file``);
- ``chat``: chat messages, checked and counted OpenAI's way
  (``count_messages``, ``check_message``);
- ``tools``: tool (function) definitions, OpenAI's cookbook count;
- ``cuts``: where text can be cut so that counting stays linear;
- ``epochs``: OpenAI's default number of epochs for n examples.

The names below are the module's public API (``from ftcost import tokens;
tokens.count_text(...)``), as it was when this was one file.
"""

from .chat import (
    MESSAGE_KEYS,
    REPLY_PRIMING,
    ROLES,
    STRUCTURED_KEYS,
    TOKENS_PER_MESSAGE,
    TOKENS_PER_NAME,
    UNCOUNTED_KEYS,
    check_message,
    count_messages,
    value_text,
)
from .encodings import ENCODINGS, ENCODINGS_DIR, EncodingSpec, available_encodings, encoding_for_model, get_encoding, load_ranks
from .epochs import MAX_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES, MIN_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES, TARGET_EPOCHS, default_epochs
from .text import TEXT_BLOCK_CHARS, count_prompt_file, count_text, count_text_file, count_text_stream, iter_text_blocks, open_input

__all__ = [
    "ENCODINGS",
    "ENCODINGS_DIR",
    "MAX_DEFAULT_EPOCHS",
    "MAX_TARGET_EXAMPLES",
    "MESSAGE_KEYS",
    "MIN_DEFAULT_EPOCHS",
    "MIN_TARGET_EXAMPLES",
    "REPLY_PRIMING",
    "ROLES",
    "STRUCTURED_KEYS",
    "TARGET_EPOCHS",
    "TEXT_BLOCK_CHARS",
    "TOKENS_PER_MESSAGE",
    "TOKENS_PER_NAME",
    "UNCOUNTED_KEYS",
    "EncodingSpec",
    "available_encodings",
    "check_message",
    "count_messages",
    "count_prompt_file",
    "count_text",
    "count_text_file",
    "count_text_stream",
    "default_epochs",
    "encoding_for_model",
    "get_encoding",
    "iter_text_blocks",
    "load_ranks",
    "open_input",
    "value_text",
]
