"""Exit codes, as README.md ("Exit codes") and docs/guarantees.md state them.

* 0: success;
* 2: bad usage or bad input: one ``Error: FILE:LINE:COL: key: message (hint: ...)`` paragraph;
  the system refusing a read or a write (permissions, a full disk) is also 2;
* 1: an unexpected internal error: a short message asking to report it,
  the traceback only with ``ftcost --debug``;
* 130: interrupted (Ctrl-C), leaving no partial output.

Most cases run the real entry point (``run_main``) in-process; a few run
``python -m ftcost`` in a subprocess to check the process exit status itself.
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys

import fuzz_support as fz
import pytest

SHIPPED = str(fz.REPO / "scenarios" / "review-stars.yaml")


def cli(*args):
    return fz.cli(list(args))


# --------------------------------------------------------------------------
# 0


@pytest.mark.parametrize(
    "args",
    [
        ["compare", SHIPPED],
        ["compare", SHIPPED, "--format", "json"],
        ["compare", SHIPPED, "--format", "csv"],
        ["validate", SHIPPED],
        ["--help"],
        ["compare", "--help"],
        ["--version"],
    ],
)
def test_success_is_0(args):
    code, out, err = cli(*args)
    assert code == 0, err
    assert "Error" not in err
    if "json" in args:
        json.loads(out)


# --------------------------------------------------------------------------
# 2: bad usage


@pytest.mark.parametrize(
    "args",
    [
        ["nosuchcommand"],
        ["compare"],  # missing argument
        ["compare", SHIPPED, "--format", "yaml"],  # bad choice
        ["compare", SHIPPED, "--nosuchoption"],
        ["compare", SHIPPED, "--volume", "lots"],
        ["compare", SHIPPED, "--horizon", "1.5"],
    ],
)
def test_bad_usage_is_2(args):
    code, out, err = cli(*args)
    assert code == 2, (code, err)
    assert "Traceback" not in err and "Internal error" not in err
    assert "Error" in err or "Usage" in err


# --------------------------------------------------------------------------
# 2: bad input, with its location


def _write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "text,located",
    [
        ("ftcost: 1\nname: x\nvolume: {requests_per_month: -5}\n", ":3:30: volume.requests_per_month: must be >= 0"),
        ("ftcost: 1\nname: x\nvolume: {requests_per_mnth: 5}\n", ":3:10: volume.requests_per_mnth: unknown key"),
        ("ftcost: 1\nname: [unclosed\n", ":3:1: invalid YAML"),
        ("ftcost: 1\nname: x\nvolume: {requests_per_month: 5}\npricing: [nosuch]\n", ":4:10: pricing: no pricing catalog named 'nosuch'"),
        ("a: &a [*a, *a]\n", ":1:4: an alias (*name) refers to a block that contains it"),
    ],
)
def test_bad_input_is_2_with_location(tmp_path, text, located):
    p = _write(tmp_path, text)
    code, out, err = cli("compare", str(p))
    assert code == 2, err
    assert err.startswith(f"Error: {p}{located}"), err
    assert len(err.strip().splitlines()) == 1  # one paragraph


@pytest.mark.parametrize("what", ["missing", "directory", "fifo", "empty", "binary", "huge"])
def test_unusable_files_are_2(tmp_path, what):
    p = tmp_path / "s.yaml"
    if what == "directory":
        p.mkdir()
    elif what == "fifo":
        import os

        os.mkfifo(p)
    elif what == "empty":
        p.write_text("")
    elif what == "binary":
        p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    elif what == "huge":
        p.write_text("# " + "x" * (2 * 1024 * 1024) + "\n")
    code, out, err = cli("compare", str(p))
    assert code == 2, err
    assert err.startswith(f"Error: {p}"), err


def test_unreadable_file_is_2(tmp_path, monkeypatch):
    """Permission denied (simulated: the tests may run as root) is the user's problem, named, exit 2."""
    p = _write(tmp_path, "ftcost: 1\n")
    real_open = os.open  # every input is opened with os.open (ftcost/reading.py)

    def deny(file, *a, **k):
        if str(file) == str(p):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr(os, "open", deny)
    code, out, err = cli("compare", str(p))
    assert code == 2, err
    assert err.startswith(f"Error: {p}: cannot read scenario file: Permission denied"), err


def test_disk_full_while_writing_is_2_and_leaves_nothing(tmp_path, monkeypatch):
    from ftcost import outputs

    dest = tmp_path / "out.csv"

    def full(path, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(outputs.os, "replace", full)
    code, out, err = cli("export", SHIPPED, "-o", str(dest))
    assert code == 2, err
    assert "No space left on device" in err and "Internal error" not in err
    assert not dest.exists()
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]


# --------------------------------------------------------------------------
# 1: a bug


@pytest.fixture
def bug(monkeypatch):
    """Make the comparison itself crash, as a bug in ftcost would."""
    import ftcost.api

    def broken(*a, **k):
        raise ZeroDivisionError("division by zero in the engine " + "x" * 5000)

    monkeypatch.setattr(ftcost.api, "compare", broken)


def test_bug_is_1_with_a_short_message(bug):
    code, out, err = cli("compare", SHIPPED)
    assert code == 1
    assert "Traceback" not in err
    assert err.startswith("Internal error: ZeroDivisionError: division by zero in the engine")
    assert "bug in ftcost" in err and "report" in err and "--debug" in err
    assert len(err) < 600 and len(err.splitlines()) <= 3


def test_bug_with_debug_shows_the_traceback(bug):
    code, out, err = cli("--debug", "compare", SHIPPED)
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert "ZeroDivisionError" in err


def test_keyboard_interrupt_is_130(monkeypatch):
    import ftcost.api

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(ftcost.api, "compare", interrupted)
    code, out, err = cli("compare", SHIPPED)
    assert code == 130
    assert "Traceback" not in err


# --------------------------------------------------------------------------
# The process exit status itself


def _run(*args, code=None):
    prog = "import sys; import ftcost.api as a\n" + (code or "") + "\nfrom ftcost.cli import run\nsys.argv = ['ftcost'] + sys.argv[1:]\nrun()\n"
    return subprocess.run([sys.executable, "-c", prog, *args], capture_output=True, text=True, timeout=120)


def test_process_exit_statuses(tmp_path):
    assert _run("validate", SHIPPED).returncode == 0
    missing = _run("compare", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and missing.stderr.startswith("Error: "), missing.stderr
    crash = _run("compare", SHIPPED, code="def boom(*a, **k): raise RuntimeError('boom')\na.compare = boom")
    assert crash.returncode == 1 and "Internal error: RuntimeError: boom" in crash.stderr and "Traceback" not in crash.stderr
    m = subprocess.run([sys.executable, "-m", "ftcost", "compare", str(tmp_path / "nope.yaml")], capture_output=True, text=True, timeout=120)
    assert m.returncode == 2


# --------------------------------------------------------------------------
# Documented


@pytest.mark.parametrize("doc", ["README.md", "docs/guarantees.md"])
def test_exit_codes_documented(doc):
    text = (fz.REPO / doc).read_text(encoding="utf-8")
    section = text[text.index("Exit codes") :]
    for code in ("0", "1", "2"):
        assert re.search(rf"^\|\s*{code}\s*\|", section, re.M), f"{doc}: exit code {code} not in the table"
