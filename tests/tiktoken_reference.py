"""tiktoken's own encodings, built offline, as the reference ftcost's counts are checked against.

``tiktoken.get_encoding`` would download the files; instead the constructors in
tiktoken_ext/openai_public.py (tiktoken's published definitions: split
pattern, special tokens, vocabulary size, file hash) are run with their file
loader pointed at a decompressed copy of the bundled file, read and
hash-checked by tiktoken's own ``load_tiktoken_bpe``. Nothing in ftcost.tokens
is used to build them.
"""

from __future__ import annotations

import atexit
import gzip
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path
from unittest import mock

import tiktoken
import tiktoken.load
import tiktoken_ext.openai_public as openai_public

ENCODINGS_DIR = Path(__file__).resolve().parents[1] / "ftcost" / "encodings"
_TMP = Path(tempfile.mkdtemp(prefix="ftcost-tiktoken-ref-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)


def _local_copy(name: str) -> str:
    out = _TMP / f"{name}.tiktoken"
    if not out.exists():
        out.write_bytes(gzip.decompress((ENCODINGS_DIR / f"{name}.tiktoken.gz").read_bytes()))
    return str(out)


@cache
def constructor_args(name: str) -> tuple[dict, str]:
    """tiktoken's keyword arguments for ``tiktoken.Encoding`` and the hash it expects for the file."""
    seen = {}

    def load(url, expected_hash=None):
        seen["hash"] = expected_hash
        # TIKTOKEN_CACHE_DIR="" makes tiktoken read the path directly, with its own hash check.
        with mock.patch.dict(os.environ, {"TIKTOKEN_CACHE_DIR": ""}):
            return tiktoken.load.load_tiktoken_bpe(_local_copy(name), expected_hash=expected_hash)

    with mock.patch.object(openai_public, "load_tiktoken_bpe", load):
        kwargs = openai_public.ENCODING_CONSTRUCTORS[name]()
    return kwargs, seen["hash"]


@cache
def reference_encoding(name: str) -> tiktoken.Encoding:
    kwargs, _ = constructor_args(name)
    return tiktoken.Encoding(**kwargs)


def reference_count_messages(messages: list[dict], name: str) -> int:
    """OpenAI's cookbook counter (3 per message, 1 per name, 3 priming), on tiktoken directly.

    Values that are not text (``weight``) are skipped; the cookbook's own loop
    would fail on them.
    """
    enc = reference_encoding(name)
    n = 3
    for message in messages:
        n += 3
        for key, value in message.items():
            if isinstance(value, str):
                n += len(enc.encode(value, disallowed_special=()))
            if key == "name":
                n += 1
    return n
