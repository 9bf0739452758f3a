"""Opening untrusted input files: regular files only, never blocking, always remembered.

Every file ftcost reads (scenarios, catalogs, prompt files, datasets, the
text of ``ftcost tokens``, a LiteLLM price file) is opened here:

* only a regular file is read: a folder, a FIFO, a device (``/dev/zero``,
  ``/dev/stdin``), a socket is refused with exit 2 before a byte is read. The
  file is opened with ``O_NONBLOCK`` and checked with ``fstat`` on the open
  descriptor, so a FIFO put in place between a check and the open cannot
  block the process either;
* the file is recorded as an input of the command (:func:`ftcost.outputs.note_input`),
  so no output of the same command can overwrite it.

Standard input (``-``) is read where a command allows it; that is the way to
read from a pipe.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Protocol, TypeAlias

from .errors import FtcostError
from .i18n import N_, Message, term

STDIN = "-"
# The environment variable of private catalog folders (ftcost.catalogs.load.PRICING_PATH_ENV; this layer is below catalogs).
PRICING_PATH_ENV = "FTCOST_PRICING_PATH"

PIPE_HINT = N_("ftcost reads regular files only; to read from a pipe or device, redirect it to standard input: ftcost ... - < SOURCE")
# The names of the inputs that messages of this module and of ftcost.yamlsrc say (what=...), for translation.
INPUT_NAMES = (
    N_("scenario file"),
    N_("prompt file"),
    N_("few-shot prompt file"),
    N_("pricing catalog"),
    N_("training file"),
    N_("dataset"),
    N_("text file"),
    N_("LiteLLM price file"),
    N_("aggregate file"),
)


def kind_of(mode: int) -> str:
    """What a non-regular file is, for messages."""
    for test, name in (
        (stat.S_ISDIR, N_("a directory")),
        (stat.S_ISCHR, N_("a character device")),
        (stat.S_ISBLK, N_("a block device")),
        (stat.S_ISFIFO, N_("a pipe (FIFO)")),
        (stat.S_ISSOCK, N_("a socket")),
    ):
        if test(mode):
            return Message(name)
    return Message("not a regular file")


def open_regular(path: str | os.PathLike[str], *, what: str, error_cls: type[FtcostError], stdin_ok: bool = False) -> BinaryIO:
    """Open ``path`` for binary reading if it is a regular file; ``error_cls`` (exit 2) otherwise."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error_cls(Message("{what} not found", what=term(what)), file=name, hint=Message("check the path")) from None
    except IsADirectoryError:
        raise error_cls(Message("{what} is a directory, not a file", what=term(what)), file=name, hint=Message("give the path of a file inside it")) from None
    except (OSError, ValueError) as exc:
        try:  # a socket cannot be opened at all (ENXIO): say what it is
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            mode = stat.S_IFREG
        if not stat.S_ISREG(mode):
            raise error_cls(
                Message("{what} is {kind}, not a regular file; not read", what=term(what), kind=kind_of(mode)),
                file=name,
                hint=Message(PIPE_HINT if stdin_ok else N_("give a regular file")),
            ) from None
        raise error_cls(Message("cannot read {what}: {reason}", what=term(what), reason=getattr(exc, "strerror", None) or exc), file=name) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                raise error_cls(Message("{what} is a directory, not a file", what=term(what)), file=name, hint=Message("give the path of a file inside it"))
            hint = Message(PIPE_HINT if stdin_ok else N_("give a regular file"))
            raise error_cls(Message("{what} is {kind}, not a regular file; not read", what=term(what), kind=kind_of(st.st_mode)), file=name, hint=hint)
        os.set_blocking(fd, True)
        note_input(path)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# --------------------------------------------------------------------------
# The record of what the command reads (ftcost.outputs refuses to write over any of it)

# A file as the record of inputs knows it: its (device, inode) pair, or its resolved path.
Identity: TypeAlias = "tuple[int, int] | str"

_seen: set[Identity] = set()  # (device, inode) pairs and resolved paths of the files read
_pricing_dirs: list[str] = []


def identity(path: str | os.PathLike[str]) -> tuple[tuple[int, int] | None, str | None]:
    """((device, inode) or None, resolved path or None) of ``path``: equal for every spelling of one file."""
    try:
        st = os.stat(path)
        ident: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except (OSError, ValueError):
        ident = None
    try:
        resolved: str | None = os.path.realpath(path)
    except (OSError, ValueError):
        resolved = None
    return ident, resolved


def identities(files: Iterable[str | os.PathLike[str] | None]) -> set[Identity]:
    """The identities of ``files`` (None and '-' left out), in one set."""
    out: set[Identity] = set()
    for f in files:
        if f is not None and str(f) != STDIN:
            out.update(x for x in identity(f) if x is not None)
    return out


def note_input(path: str | os.PathLike[str]) -> None:
    """Remember that this process reads ``path``: no output of the process may overwrite it."""
    _seen.update(identities([path]))


def seen_inputs() -> set[Identity]:
    return set(_seen)


def note_pricing_dirs(dirs: Iterable[str | os.PathLike[str]]) -> None:
    """Folders of private catalogs the command was given (``--pricing``): every catalog in them is an input."""
    _pricing_dirs.extend(str(d) for d in dirs)


def private_catalog_files() -> list[str]:
    """Every .yaml/.yml file in the --pricing folders and the $FTCOST_PRICING_PATH folders, read or not."""
    dirs = list(_pricing_dirs)
    env = os.environ.get(PRICING_PATH_ENV)
    if env:
        dirs += [d for d in env.split(os.pathsep) if d]
    files: list[str] = []
    for d in dirs:
        try:
            with os.scandir(d) as it:
                files += [e.path for e in it if e.name.endswith((".yaml", ".yml"))]
        except OSError:
            continue
    return files


@contextlib.contextmanager
def input_scope() -> Iterator[None]:
    """A fresh record of inputs for one command (the CLI runs each command in one)."""
    global _seen, _pricing_dirs
    saved = (_seen, _pricing_dirs)
    _seen, _pricing_dirs = set(), []
    try:
        yield
    finally:
        _seen, _pricing_dirs = saved


# --------------------------------------------------------------------------
# Lines of an untrusted file, streamed with a limit per line

MIB = 1024 * 1024


class LongLine:
    """A line over the limit, in place of its bytes: never held whole, only measured."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        self.size = size


class Readable(Protocol):
    """What line_blocks reads from: a binary file, plain or decompressing."""

    def read(self, size: int, /) -> bytes: ...


def human_bytes(n: float) -> str:
    """1,536 -> '1.5 KB', 2_147_483_648 -> '2.1 GB' (decimal units, one decimal)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} bytes"


def too_long_message(size: int, limit: int) -> str:
    """'line is 2.1 GB; the limit is 16 MiB; not read' (the caller names the line number)."""
    return Message("line is {size}; the limit is {limit} MiB; not read", size=human_bytes(size), limit=limit // MIB)


def line_blocks(stream: Readable, block_bytes: int, max_line: int) -> Iterator[list[bytes | LongLine]]:
    """Lists of the lines of ``stream`` (bytes without the newline, or a LongLine), one list per block read.

    Memory stays under ``max_line + block_bytes`` whatever the file: a line
    over ``max_line`` bytes is skipped up to its newline and only counted.
    """
    carry = b""  # the start of the current line
    skipped = -1  # >= 0: bytes of the current over-long line seen so far
    while True:
        block = stream.read(block_bytes)
        if not block:
            break
        out: list[bytes | LongLine] = []
        if skipped >= 0:
            nl = block.find(b"\n")
            if nl < 0:
                skipped += len(block)
                continue
            out.append(LongLine(skipped + nl))
            skipped = -1
            block = block[nl + 1 :]
        parts = block.split(b"\n")
        if carry:
            parts[0] = carry + parts[0]
        carry = parts.pop()
        if len(block) + len(parts[0] if parts else b"") > max_line:
            out += [LongLine(len(p)) if len(p) > max_line else p for p in parts]
        else:
            out += parts
        if len(carry) > max_line:
            skipped, carry = len(carry), b""
        if out:
            yield out
    if skipped >= 0:
        yield [LongLine(skipped)]
    elif carry:
        yield [carry]
