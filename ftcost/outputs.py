"""Writing output files so that nothing is ever lost.

Every output goes to a temporary file in the destination folder, is flushed
to disk (fsync) and is then renamed over the destination (``os.replace`` is
atomic on one file system), so a crash, a full disk, Ctrl-C, SIGTERM or
SIGHUP leaves either the old file or the new one, never half of one, and no
temporary file.

One check, :func:`check_output_path`, guards every output of every command.
It refuses:

* a path that is one of the command's inputs, in any spelling (relative,
  absolute, ``./x/../x``, a symlink, a hard link): the inputs are those the
  caller names plus every file the process has read so far through
  :func:`note_input` (the scenario, every catalog, the prompt files, the
  datasets) and every catalog in the private pricing folders (``--pricing``
  and ``$FTCOST_PRICING_PATH``), read or not;
* a path that exists and is not a regular file: a folder, a device node
  (``/dev/null``, ``/dev/full``, ``/dev/stdout``), a FIFO, a socket;
* a missing or unwritable folder, an unknown extension.

``-`` means standard output where the caller allows it (text formats): the
output is still written to a temporary file first, then copied to stdout.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import FtcostError, OutputError
from .i18n import N_, _
from .reading import identities, identity, private_catalog_files, seen_inputs

STDOUT = "-"


def _is_input(p: Path, inputs: Iterable[str | os.PathLike[str] | None], updates: str | os.PathLike[str] | None = None) -> bool:
    """Whether ``p`` is one of ``inputs`` or a file the process read (``updates``, a file read to be rewritten, excepted)."""
    own = {x for x in identity(p) if x is not None}
    if not own:
        return False
    protected = own & (seen_inputs() | identities(private_catalog_files()))
    if updates is not None:
        protected -= identities([updates])
    return bool(protected or own & identities(inputs))


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISCHR, N_("a character device")),
        (stat.S_ISBLK, N_("a block device")),
        (stat.S_ISFIFO, N_("a pipe (FIFO)")),
        (stat.S_ISSOCK, N_("a socket")),
    )
    for test, name in kinds:
        if test(mode):
            return _(name)
    return _("not a regular file")


def check_output_path(
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    extensions: Iterable[str] | None = None,
    stdout_ok: bool = False,
    updates: str | os.PathLike[str] | None = None,
) -> Path:
    """Validate an output path before doing any work; return it as a Path.

    ``stdout_ok``: ``-`` names standard output (a text format); otherwise ``-`` is refused.
    ``updates``: a file the command read in order to rewrite it (``pricing import`` merging
    into a catalog); it may be the output unless it is also one of ``inputs``.
    """
    name = str(path)
    if name == STDOUT:
        if not stdout_ok:
            raise OutputError(
                _("this output cannot be written to standard output ('-')"),
                file=name,
                hint=_("give a file name ending in {extensions}").format(extensions=", ".join(extensions)) if extensions else _("give a file name"),
            )
        return Path(STDOUT)
    p = Path(path)
    if extensions is not None:
        exts = tuple(e.lower() for e in extensions)
        if p.suffix.lower() not in exts:
            raise OutputError(
                _("unknown output type '{suffix}'").format(suffix=p.suffix or _("(none)")),
                file=name,
                hint=_("use one of: {choices}").format(choices=", ".join(exts)),
            )
    if _is_input(p, inputs, updates):
        raise OutputError(_("output path is one of the inputs; refusing to overwrite it"), file=name, hint=_("choose another output file name"))
    try:
        st: os.stat_result | None = os.stat(p)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(
            _("cannot use this output path: {reason}").format(reason=exc.strerror or exc), file=name, hint=_("choose another output file name")
        ) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(_("output path is a folder"), file=name, hint=_("give a file name inside it"))
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OutputError(
            _("output path exists and is {kind}, not a regular file; refusing to replace it").format(kind=_kind(st.st_mode)),
            file=name,
            hint=_("give the name of a new or regular file; use '-' for standard output") if stdout_ok else _("give the name of a new or regular file"),
        )
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(
            _("folder {folder} does not exist").format(folder=parent), file=name, hint=_("create it first: {command}").format(command=f"mkdir -p {parent}")
        )
    if not os.access(parent, os.W_OK):
        raise OutputError(_("folder {folder} is not writable").format(folder=parent), file=name, hint=_("choose a folder you can write to"))
    if st is not None and not os.access(p, os.W_OK):
        raise OutputError(_("output file exists and is not writable"), file=name)
    return p


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


def _temp_prefix(p: Path, folder: Path) -> tuple[str, str]:
    """(prefix, suffix) of the temporary file: ``.NAME.XXXXXXXX.tmpSUFFIX``, NAME shortened to fit the name limit."""
    suffix = f".tmp{p.suffix}"
    room = _name_max(folder) - 2 - 8 - len(suffix.encode())  # the two dots, mkstemp's 8 random characters
    head = p.name.encode()
    if len(head) > room:
        head = head[: max(room, 1)]
        suffix = ".tmp" if room < 1 else suffix
    return "." + head.decode("utf-8", errors="ignore") + ".", suffix


@contextlib.contextmanager
def atomic_path(
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    extensions: Iterable[str] | None = None,
    stdout_ok: bool = False,
    updates: str | os.PathLike[str] | None = None,
) -> Iterator[Path]:
    """Yield a temporary path next to ``path`` (same suffix); rename it over ``path`` on success.

    For writers that want a file name (matplotlib's savefig, openpyxl's save).
    On any failure or interruption the temporary file is removed. With
    ``stdout_ok`` and ``path`` '-', the finished file is copied to standard output.
    """
    p = check_output_path(path, inputs=inputs, extensions=extensions, stdout_ok=stdout_ok, updates=updates)
    to_stdout = str(p) == STDOUT
    folder = Path(tempfile.gettempdir()) if to_stdout else (p.parent if str(p.parent) else Path("."))
    prefix, suffix = _temp_prefix(Path("stdout") if to_stdout else p, folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    except OSError as exc:
        raise OutputError(
            _("cannot create a file in {folder}: {reason}").format(folder=folder, reason=exc.strerror or exc),
            file=str(path),
            hint=_("choose a folder you can write to, with free space"),
        ) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if to_stdout:
            _copy_to_stdout(tmp_path)
            tmp_path.unlink()
            return
        # The finished file is on disk before it takes the destination's name.
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, p)
        _fsync_folder(p.parent if str(p.parent) else Path("."))
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        problem = _write_problem(exc, folder)
        if problem is not None:
            raise OutputError(
                _("cannot write the file: {problem}").format(problem=problem), file=str(path), hint=_("choose a folder you can write to, with free space")
            ) from None
        raise


def _write_problem(exc: BaseException, folder: Path) -> str | None:
    """What the system refused, when a writer failed because of it (a full disk, an I/O error), else None.

    A library may fail with its own error after the system refused a write
    (matplotlib's PDF: zlib "Error -2 while flushing", "'Stream' object has
    no attribute 'pos'"): the OSError is then in the exception's context, or
    the folder has no free space left. Objects the writer left half-open
    (openpyxl's zip file) are closed now, without their own complaints.
    """
    if not isinstance(exc, Exception) or isinstance(exc, FtcostError):
        return None  # an interruption, or the user's error with its own message
    _collect_quietly(exc)
    seen: BaseException | None = exc
    for _depth in range(10):
        if seen is None:
            break
        if isinstance(seen, OSError):
            return seen.strerror or str(seen)
        seen = seen.__cause__ or (None if seen.__suppress_context__ else seen.__context__)
    try:
        st = os.statvfs(folder)
        if st.f_bavail == 0 or (st.f_favail == 0 and st.f_files > 0):
            return os.strerror(28)  # No space left on device
    except OSError:
        pass
    return None


def _collect_quietly(exc: BaseException) -> None:
    """Close what the failed writer left open, now and without complaints.

    The writer's finished frames, kept alive by the traceback of ``exc`` and
    of the exceptions it chains to, still hold its objects (openpyxl's
    ZipFile); their locals are cleared first, or the ZipFile would be closed
    at exit and print "Exception ignored ... No space left on device".
    """
    import gc
    import traceback

    old = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None  # clearing a frame may finalize its objects at once
    try:
        seen: BaseException | None = exc
        for _depth in range(10):
            if seen is None:
                break
            traceback.clear_frames(seen.__traceback__)  # frames still running are left as they are
            seen = seen.__cause__ or seen.__context__
        gc.collect()
    finally:
        sys.unraisablehook = old


def _copy_to_stdout(tmp: Path) -> None:
    buf = getattr(sys.stdout, "buffer", None)
    with open(tmp, "rb") as fh:
        if buf is not None:
            sys.stdout.flush()
            shutil.copyfileobj(fh, buf)
            buf.flush()
        else:  # a text-only stream (tests capture stdout in a StringIO)
            sys.stdout.write(fh.read().decode("utf-8"))
            sys.stdout.flush()


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every file system lets a folder be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(
    path: str | os.PathLike[str],
    data: str | bytes | Callable[[Path], None],
    *,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    extensions: Iterable[str] | None = None,
    encoding: str = "utf-8",
    stdout_ok: bool = False,
    updates: str | os.PathLike[str] | None = None,
) -> Path:
    """Write ``data`` (text, bytes, or a function that writes a given temp path) to ``path`` atomically."""
    with atomic_path(path, inputs=inputs, extensions=extensions, stdout_ok=stdout_ok, updates=updates) as tmp:
        if callable(data):
            data(tmp)
        elif isinstance(data, bytes):
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
        else:
            with open(tmp, "w", encoding=encoding, newline="") as fh:
                fh.write(data)
                fh.flush()
    return Path(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
