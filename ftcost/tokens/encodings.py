"""The bundled tiktoken encodings, offline and hash-checked.

The three encodings OpenAI's current models use ship inside the package as
gzip copies of tiktoken's published ``.tiktoken`` files
(``ftcost/encodings/*.tiktoken.gz``). On first use in a process a file is
decompressed, its SHA-256 is checked against the hash tiktoken publishes for
it, and a ``tiktoken.Encoding`` is built from it with the encoding's split
pattern and special tokens. Nothing is ever downloaded.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TokenError
from ..i18n import Message

ENCODINGS_DIR = Path(__file__).parent.parent / "encodings"  # the .tiktoken.gz files ship in ftcost/encodings

# The split patterns, special tokens and file hashes are the ones tiktoken
# defines in tiktoken_ext/openai_public.py (checked in tests/test_tokens.py
# against the installed tiktoken, so a drift fails a test).
_R50K_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)


@dataclass(frozen=True)
class EncodingSpec:
    """What it takes to build one encoding: the file, its published hash, the rules."""

    name: str
    sha256: str
    pat_str: str
    special_tokens: dict
    explicit_n_vocab: int | None = None

    @property
    def file(self) -> Path:
        return ENCODINGS_DIR / f"{self.name}.tiktoken.gz"


ENCODINGS: dict[str, EncodingSpec] = {
    "p50k_base": EncodingSpec(
        "p50k_base",
        "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069",
        _R50K_PATTERN,
        {"<|endoftext|>": 50256},
        50281,
    ),
    "cl100k_base": EncodingSpec(
        "cl100k_base",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        _CL100K_PATTERN,
        {
            "<|endoftext|>": 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
    ),
    "o200k_base": EncodingSpec(
        "o200k_base",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        _O200K_PATTERN,
        {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    ),
}

_cache: dict[str, Any] = {}
_cache_lock = threading.Lock()


def available_encodings() -> list[str]:
    """Names of the bundled encodings, e.g. ``['cl100k_base', 'o200k_base', 'p50k_base']``."""
    return sorted(ENCODINGS)


def _spec(name: str) -> EncodingSpec:
    if not isinstance(name, str) or name not in ENCODINGS:
        from ..i18n import did_you_mean

        hint = did_you_mean(str(name), ENCODINGS)
        available = Message("available encodings: {names}", names=", ".join(available_encodings()))
        raise TokenError(
            Message("unknown encoding {name!r}", name=name),
            hint=Message("{first} {second}", first=hint, second=available) if hint else available,
        )
    return ENCODINGS[name]


def load_ranks(name: str) -> dict[bytes, int]:
    """The mergeable ranks of a bundled encoding, read from its gzip file and hash-checked.

    The file holds one ``base64(token) rank`` pair per line; the SHA-256 of the
    decompressed bytes must equal the hash tiktoken publishes for the file.
    """
    import binascii

    spec = _spec(name)
    try:
        with gzip.open(spec.file, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as exc:
        raise TokenError(
            Message("bundled encoding file is missing or damaged: {reason}", reason=str(exc)), file=str(spec.file), hint=Message("reinstall ftcost")
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec.sha256:
        raise TokenError(
            Message("bundled encoding {name} fails its checksum (sha256 {digest}, expected {expected})", name=name, digest=digest, expected=spec.sha256),
            file=str(spec.file),
            hint=Message("the file was altered or damaged; reinstall ftcost"),
        )
    a2b = binascii.a2b_base64
    return {a2b(token): int(rank) for token, _, rank in (line.partition(b" ") for line in data.splitlines() if line)}


def get_encoding(name: str):
    """The ``tiktoken.Encoding`` named ``name``, built from the bundled file once per process.

    >>> get_encoding("o200k_base").encode_ordinary("hello world")
    [24912, 2375]
    """
    enc = _cache.get(name)
    if enc is not None:
        return enc
    spec = _spec(name)
    with _cache_lock:
        enc = _cache.get(name)
        if enc is None:
            import tiktoken

            enc = tiktoken.Encoding(
                spec.name,
                pat_str=spec.pat_str,
                mergeable_ranks=load_ranks(name),
                special_tokens=dict(spec.special_tokens),
                explicit_n_vocab=spec.explicit_n_vocab,
            )
            _cache[name] = enc
    return enc


def encoding_for_model(model) -> str:
    """The encoding name of a catalog ``Model`` (its ``encoding:`` entry), checked to be bundled."""
    name = getattr(model, "encoding", None)
    ref = getattr(model, "ref", str(model))
    if not name:
        raise TokenError(
            Message("model '{ref}' has no encoding in its pricing catalog, so its tokens cannot be counted", ref=ref),
            file=getattr(model, "catalog_file", None),
            hint=Message("add 'encoding:' to the model (one of {names}) or give token counts", names=", ".join(available_encodings())),
        )
    if name not in ENCODINGS:
        raise TokenError(
            Message("model '{ref}' uses encoding {name!r}, which is not bundled", ref=ref, name=name),
            file=getattr(model, "catalog_file", None),
            hint=Message("available encodings: {names}", names=", ".join(available_encodings())),
        )
    return name
