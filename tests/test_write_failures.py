"""Writes that fail, and processes that are stopped (issue 18).

* a full disk (a small tmpfs; needs root, skipped otherwise) under every
  writer, matplotlib's PDF (zlib) and openpyxl's XLSX included: exit 2, a
  message, no traceback or "Exception ignored", no temporary file;
* SIGTERM and SIGHUP while a real process writes: exit 143 / 129, the old
  file unchanged, no temporary file;
* an output name of 250 bytes (the temporary name fits in the 255-byte limit);
* standard error closed or full: the exit status still says how the command went.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import fuzz_support as fz
import pytest
from signal_run import signal_while_writing

from ftcost import outputs
from ftcost.errors import OutputError

REPO = Path(__file__).resolve().parents[1]
SCENARIO = str(REPO / "scenarios" / "review-stars.yaml")
UNCERTAIN = str(REPO / "scenarios" / "review-stars-uncertain.yaml")
TRAIN = "".join(
    json.dumps({"messages": [{"role": "user", "content": f"review {i} " + "words " * 40}, {"role": "assistant", "content": "4"}]}) + "\n" for i in range(300)
)


def temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".tmp" in p.name]


@pytest.fixture(scope="module")
def full_disk(tmp_path_factory):
    """A 64 KB tmpfs with 56 KB taken: room for small files only."""
    mnt = tmp_path_factory.mktemp("full")
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def fill(mnt: Path, leave: int = 8 * 1024) -> None:
    for p in mnt.iterdir():
        p.unlink()
    st = os.statvfs(mnt)
    (mnt / "fill").write_bytes(b"\0" * (st.f_bavail * st.f_frsize - leave))


WRITERS = {
    "report pdf": ["report", SCENARIO, "-o", "{d}/r.pdf"],
    "plot pdf": ["plot", SCENARIO, "-o", "{d}/p.pdf"],
    "plot png": ["plot", SCENARIO, "-o", "{d}/p.png"],
    "export xlsx": ["export", SCENARIO, "-o", "{d}/e.xlsx"],
    "export csv": ["export", SCENARIO, "-o", "{d}/e.csv", "--horizon", "600"],
    "simulate chart": ["simulate", UNCERTAIN, "-n", "200", "--chart", "{d}/s.svg"],
    "data convert": ["data", "convert", "{src}/train.jsonl", "-o", "{d}/c.jsonl"],
    "data split": ["data", "split", "{src}/train.jsonl", "--train-out", "{d}/t.jsonl", "--validation-out", "{d}/v.jsonl"],
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_full_disk_is_a_clean_error(full_disk, tmp_path, writer):
    (tmp_path / "train.jsonl").write_text(TRAIN)
    fill(full_disk)
    before = sorted(p.name for p in full_disk.iterdir())
    args = [a.format(d=full_disk, src=tmp_path) for a in WRITERS[writer]]
    code, out, err = fz.cli(args)
    assert code == 2, (out, err)
    assert "No space left on device" in err, err
    assert "Traceback" not in err and "Exception ignored" not in err and "Internal error" not in err, err
    assert sorted(p.name for p in full_disk.iterdir()) == before
    assert temp_files(full_disk) == []


@pytest.mark.parametrize("writer", ["export xlsx", "report pdf", "plot pdf"])
def test_full_disk_in_a_real_process_is_quiet_to_the_end(full_disk, tmp_path, writer):
    """As above in a process of its own: nothing the writer left open complains when the interpreter exits.

    (openpyxl's ZipFile, held by the frames of the failed save, was closed at exit and printed
    "Exception ignored in: ZipFile.__del__ ... No space left on device" after the clean message;
    the in-process test could not see it.)
    """
    (tmp_path / "train.jsonl").write_text(TRAIN)
    fill(full_disk)
    args = [a.format(d=full_disk, src=tmp_path) for a in WRITERS[writer]]
    r = subprocess.run([sys.executable, "-m", "ftcost", *args], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("Error: ") and "No space left on device" in r.stderr, r.stderr
    assert "Exception ignored" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert temp_files(full_disk) == []


def test_library_error_after_a_refused_write_is_reported_as_the_refusal(tmp_path):
    """zlib's 'Error -2 while flushing' raised while matplotlib handles the OSError: the OSError is the message."""
    import zlib

    def writer(tmp: Path):
        try:
            raise OSError(28, "No space left on device")
        except OSError:
            raise zlib.error("Error -2 while flushing: buffer error")  # noqa: B904 (chained, as matplotlib does)

    with pytest.raises(OutputError, match="No space left on device"):
        outputs.write_atomic(tmp_path / "x.pdf", writer)
    assert temp_files(tmp_path) == []
    with pytest.raises(ValueError):  # a plain bug stays a bug
        outputs.write_atomic(tmp_path / "y.pdf", lambda tmp: (_ for _ in ()).throw(ValueError("bug")))


def test_long_output_name_fits(tmp_path):
    for n in (250, 255):
        name = "a" * (n - 4) + ".csv"
        outputs.write_atomic(tmp_path / name, "x\n")
        assert (tmp_path / name).read_text() == "x\n"
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_termination_signal_while_writing_leaves_no_partial_file(tmp_path, sig, code):
    status, err, dest = signal_while_writing(tmp_path, sig, "old\n", lambda: bool(temp_files(tmp_path)))
    assert status == code, err
    assert f"Stopped by {signal.Signals(sig).name}" in err and "Traceback" not in err
    assert dest.read_text() == "old\n"
    assert temp_files(tmp_path) == []


def test_a_signal_ignored_by_the_parent_stays_ignored(tmp_path):
    """`nohup ftcost ...`: SIGHUP is ignored before ftcost starts, so a closed terminal does not stop the write."""
    status, err, dest = signal_while_writing(tmp_path, signal.SIGHUP, "old\n", lambda: bool(temp_files(tmp_path)), ignored=True)
    assert status == 0, err
    assert dest.read_text().startswith('{"messages"')
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("stderr", ["closed", "full"])
def test_stderr_closed_or_full_keeps_the_exit_status(tmp_path, stderr):
    def run(*args):
        kw = {"preexec_fn": lambda: os.close(2)} if stderr == "closed" else {"stderr": open("/dev/full", "w")}
        return subprocess.run([sys.executable, "-m", "ftcost", *args], stdout=subprocess.PIPE, text=True, timeout=120, **kw)

    ok = run("export", SCENARIO, "-o", str(tmp_path / "e.csv"))  # prints 'wrote' and warnings on stderr
    assert ok.returncode == 0 and (tmp_path / "e.csv").exists()
    bad = run("export", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "f.csv"))
    assert bad.returncode == 2
