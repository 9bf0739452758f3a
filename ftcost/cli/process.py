"""The process around a command: SIGTERM and SIGHUP, and a standard error that may be gone.

* SIGTERM (``kill``, ``timeout``, CI cancelling a job) and SIGHUP (the
  terminal closed) stop the command the way Ctrl-C does: the exception
  unwinds through every open output (ftcost/outputs.py removes its temporary
  file) and the process exits 128 + the signal number (143, 129). A signal
  the parent set to be ignored stays ignored: under ``nohup`` a closed
  terminal does not stop the command.
* Messages on standard error are best effort: if stderr is closed, full
  (/dev/full) or a pipe nobody reads, a message that cannot be written is
  dropped, and the exit status still says how the command went.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

HANDLED = (signal.SIGTERM, signal.SIGHUP)


class Terminated(BaseException):
    """A termination signal arrived; raised in the main thread like KeyboardInterrupt."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _raise(signum: int, frame: Any) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def termination_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Terminated while the block runs (main thread only; handlers restored after)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {}
    for sig in HANDLED:
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(sig) == signal.SIG_IGN:
                continue  # ignored by whoever started us (`nohup` ignores SIGHUP): stay so
            old[sig] = signal.signal(sig, _raise)
    try:
        yield
    finally:
        for sig, handler in old.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, handler)


class BestEffortStream:
    """A text stream whose writes never fail: what cannot be written is dropped."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        if self._stream is not None:
            try:
                return self._stream.write(text)
            except (OSError, ValueError):  # closed, full, a broken pipe
                self._stream = None
        return len(text)

    def flush(self) -> None:
        if self._stream is not None:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._stream = None

    def isatty(self) -> bool:
        try:
            return bool(self._stream is not None and self._stream.isatty())
        except (OSError, ValueError):
            return False

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return getattr(self._stream, "errors", None) or "strict"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def best_effort_stderr() -> Iterator[None]:
    saved = sys.stderr
    sys.stderr = BestEffortStream(saved)
    try:
        yield
    finally:
        sys.stderr = saved
