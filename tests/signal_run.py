"""Send a signal to a real ``ftcost data convert`` while it writes its output (tests of Ctrl-C, SIGTERM, SIGHUP).

The signal is sent once the temporary file exists. On a loaded machine the
conversion can finish between the moment the test sees the temporary file
and the moment the signal lands (exit 0, the new file complete): that try
says nothing, so it is repeated with an input three times as long. Any other
outcome is returned for the test to judge.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def signal_while_writing(tmp_path: Path, sig: signal.Signals, old: str, temp_exists: Callable[[], bool], *, ignored: bool = False) -> tuple[int, str, Path]:
    """(exit status, stderr, destination) of ``ftcost data convert BIG -o DEST`` sent ``sig`` while it writes.

    The child starts with ``sig`` at its default disposition, or ignored with
    ``ignored`` (as ``nohup`` ignores SIGHUP; a shell's background job, the way
    a test runner may be started, ignores SIGINT and would pass that on).
    """
    disposition = signal.SIG_IGN if ignored else signal.SIG_DFL
    big = tmp_path / "big.jsonl"
    dest = tmp_path / "chat.jsonl"
    for lines in (150_000, 450_000, 1_350_000):
        with open(big, "w") as f:
            for i in range(lines):
                f.write(json.dumps({"prompt": f"Review number {i}: the battery is weak ->", "completion": " 2"}) + "\n")
        dest.write_text(old)
        proc = subprocess.Popen(
            [sys.executable, "-m", "ftcost", "data", "convert", str(big), "-o", str(dest)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=lambda: signal.signal(sig, disposition),
        )
        try:
            deadline = time.monotonic() + 120
            while not temp_exists() and proc.poll() is None:  # writing has begun
                assert time.monotonic() < deadline, "no temporary file after 120 s"
                time.sleep(0.01)
            if proc.poll() is None:
                time.sleep(0.05)
                proc.send_signal(sig)
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
        if proc.returncode == 0 and dest.read_text() != old and not ignored:
            continue  # finished before the signal landed: try a longer input
        return proc.returncode, err, dest
    raise AssertionError(f"data convert finished before {sig.name} landed, even on {lines:,} lines")
