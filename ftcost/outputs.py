"""Writing output files so that nothing is ever lost.

Every output goes to a temporary file in the destination folder and is then
renamed over the destination (``os.replace`` is atomic on one file system),
so a crash, a full disk or Ctrl-C leaves either the old file or the new one,
never half of one. An output path that is one of the command's inputs is
refused before anything is written.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import OutputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_output_path(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (), extensions: Iterable[str] | None = None) -> Path:
    """Validate an output path before doing any work; return it as a Path."""
    p = Path(path)
    if extensions is not None:
        exts = tuple(e.lower() for e in extensions)
        if p.suffix.lower() not in exts:
            raise OutputError(f"unknown output type '{p.suffix or '(none)'}'", file=str(path), hint="use one of: " + ", ".join(exts))
    for inp in inputs:
        if inp is not None and _same_file(p, Path(inp)):
            raise OutputError("output path is one of the inputs; refusing to overwrite it", file=str(path), hint="choose another output file name")
    if p.exists() and p.is_dir():
        raise OutputError("output path is a folder", file=str(path), hint="give a file name inside it")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise OutputError(f"folder {parent} does not exist", file=str(path), hint=f"create it first: mkdir -p {parent}")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"folder {parent} is not writable", file=str(path), hint="choose a folder you can write to")
    if p.exists() and not os.access(p, os.W_OK):
        raise OutputError("output file exists and is not writable", file=str(path))
    return p


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (), extensions: Iterable[str] | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``path`` (same suffix); rename it over ``path`` on success.

    For writers that want a file name (matplotlib's savefig, openpyxl's save).
    On any failure or interruption the temporary file is removed.
    """
    p = check_output_path(path, inputs=inputs, extensions=extensions)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=f".tmp{p.suffix}", dir=p.parent if str(p.parent) else ".")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        mode = 0o666 & ~_umask()
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, p)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_atomic(path: str | os.PathLike, data: str | bytes | Callable[[Path], None], *, inputs: Iterable[str | os.PathLike] = (),
                 extensions: Iterable[str] | None = None, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text, bytes, or a function that writes a given temp path) to ``path`` atomically."""
    with atomic_path(path, inputs=inputs, extensions=extensions) as tmp:
        if callable(data):
            data(tmp)
        elif isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            with open(tmp, "w", encoding=encoding, newline="") as fh:
                fh.write(data)
    return Path(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
