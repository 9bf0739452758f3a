"""Nothing lost: outputs are written atomically, never over an input, and Ctrl-C leaves no partial file.

* every output goes to a temporary file in the destination folder, then is
  renamed over the destination: a writer failing half-way (an exception, a
  full disk, KeyboardInterrupt) leaves the old file as it was and no
  temporary file behind;
* an output path that is one of the command's inputs (the scenario, a catalog
  or prompt file it reads, the dataset) is refused with exit 2, whatever its
  spelling (relative, ``..``, a symlink, a hard link);
* SIGINT sent to a real ``ftcost`` process while it writes leaves the
  destination unchanged and no temporary file (exit 130).
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import click
import fuzz_support as fz
import pytest
from signal_run import signal_while_writing

from ftcost import outputs
from ftcost.errors import OutputError

OLD = "the old content\n"


def leftovers(folder: Path, name: str) -> list[str]:
    """Temporary files of ``name`` left in ``folder`` (atomic_path names them .NAME.*.tmp*)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}.") and ".tmp" in p.name)


# --------------------------------------------------------------------------
# The library: write_atomic / atomic_path


@pytest.mark.parametrize("existing", [True, False])
@pytest.mark.parametrize("exc", [RuntimeError("writer bug"), OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_writer_failing_half_way_leaves_old_file(tmp_path, existing, exc):
    dest = tmp_path / "out.csv"
    if existing:
        dest.write_text(OLD)

    def writer(tmp: Path):
        with open(tmp, "w") as fh:
            fh.write("half of the new cont")
            fh.flush()
        raise exc

    # A refused write (OSError) becomes the user's error, named (exit 2); anything else propagates as it is.
    with pytest.raises(OutputError if isinstance(exc, OSError) else type(exc)):
        outputs.write_atomic(dest, writer)
    assert (dest.read_text() == OLD) if existing else not dest.exists()
    assert leftovers(tmp_path, "out.csv") == []


def test_rename_failing_leaves_old_file(tmp_path, monkeypatch):
    dest = tmp_path / "out.json"
    dest.write_text(OLD)

    def broken_replace(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(outputs.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="Input/output error"):
        outputs.write_atomic(dest, '{"new": true}')
    assert dest.read_text() == OLD
    assert leftovers(tmp_path, "out.json") == []


def test_success_replaces_whole_file_with_normal_permissions(tmp_path):
    dest = tmp_path / "out.txt"
    dest.write_text(OLD * 1000)
    outputs.write_atomic(dest, "new\r\nlines\n")
    assert dest.read_bytes() == b"new\r\nlines\n"  # text written exactly, no newline translation
    mask = os.umask(0)
    os.umask(mask)
    assert dest.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600
    assert leftovers(tmp_path, "out.txt") == []


def test_temp_file_is_in_the_destination_folder(tmp_path):
    """Same folder, so the final rename never crosses file systems (which would not be atomic)."""
    seen = []
    with outputs.atomic_path(tmp_path / "a.png") as tmp:
        seen.append(tmp)
        tmp.write_bytes(b"png")
    assert seen[0].parent == tmp_path
    assert seen[0].name.startswith(".a.png.")


def test_bytes_and_callable(tmp_path):
    outputs.write_atomic(tmp_path / "b.bin", b"\x00\xff")
    outputs.write_atomic(tmp_path / "c.txt", lambda p: p.write_text("called"))
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert (tmp_path / "c.txt").read_text() == "called"


# --------------------------------------------------------------------------
# Output = input, and other refused output paths


def _spellings(tmp_path: Path, inp: Path) -> list[Path]:
    (tmp_path / "sub").mkdir(exist_ok=True)
    link = tmp_path / "link.yaml"
    if not link.exists():
        link.symlink_to(inp)
    hard = tmp_path / "hard.yaml"
    if not hard.exists():
        os.link(inp, hard)
    return [inp, tmp_path / "sub" / ".." / inp.name, Path(os.path.relpath(inp)), link, hard]


def test_output_equal_to_input_refused_in_every_spelling(tmp_path):
    inp = tmp_path / "scenario.yaml"
    inp.write_text(OLD)
    for out in _spellings(tmp_path, inp):
        with pytest.raises(OutputError, match="one of the inputs"):
            outputs.write_atomic(out, "x", inputs=[inp])
        assert inp.read_text() == OLD
    assert leftovers(tmp_path, "scenario.yaml") == []


@pytest.mark.parametrize("case", ["folder", "missing folder", "bad extension"])
def test_other_refusals(tmp_path, case):
    path = {"folder": tmp_path, "missing folder": tmp_path / "nope" / "x.csv", "bad extension": tmp_path / "x.exe"}[case]
    with pytest.raises(OutputError) as e:
        outputs.write_atomic(path, "x", extensions=(".csv",))
    assert str(e.value).startswith(str(path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_folder_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="not writable"):
            outputs.write_atomic(ro / "x.csv", "x")
    finally:
        ro.chmod(0o700)


# --------------------------------------------------------------------------
# Every command that writes a file refuses to write over its inputs

SCENARIO = """\
ftcost: 1
name: atomic
start: 2027-01
pricing: [catalogs/testco.yaml]
volume: {requests_per_month: 1000000}
strategies:
  - name: prompt
    type: prompt
    model: testco/base
    request: {prompt_file: notes.csv, completion_tokens: 5}
  - name: tuned
    type: fine_tuned
    model: testco/tune
    request: {prompt_tokens: 20, completion_tokens: 5}
    training: {dataset: train.jsonl, epochs: 2}
"""
TRAIN = "".join(json.dumps({"messages": [{"role": "user", "content": f"review {i}"}, {"role": "assistant", "content": "4"}]}) + "\n" for i in range(20))
PC = "".join(json.dumps({"prompt": f"review {i} ->", "completion": " 4"}) + "\n" for i in range(20))


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "catalogs").mkdir()
    (tmp_path / "catalogs" / "testco.yaml").write_text((fz.FIXTURES / "testco.yaml").read_text())
    (tmp_path / "scenario.yaml").write_text(SCENARIO)
    (tmp_path / "notes.csv").write_text("Rate the review from 1 to 5 stars.\n")
    (tmp_path / "train.jsonl").write_text(TRAIN)
    (tmp_path / "pc.jsonl").write_text(PC)
    (tmp_path / "prompt.yaml").write_text("Rate the review from 1 to 5 stars.\n")
    # the same scenario with a prompt file and a catalog named like outputs
    (tmp_path / "catalogs" / "prices.csv").write_text((fz.FIXTURES / "testco.yaml").read_text())
    for ext in ("svg", "pdf"):
        (tmp_path / f"notes.{ext}").write_text("Rate the review from 1 to 5 stars.\n")
        (tmp_path / f"{ext}.yaml").write_text(
            SCENARIO.replace("notes.csv", f"notes.{ext}").replace("[catalogs/testco.yaml]", "[catalogs/testco.yaml, catalogs/prices.csv]")
        )
    monkeypatch.chdir(tmp_path)
    return tmp_path


# (arguments, the input file the output would overwrite); every one must fail with exit 2 and leave it unchanged
OVERWRITES = [
    # outputs with the right extension that are files the scenario reads (its prompt file, its catalog)
    (["plot", "svg.yaml", "-o", "notes.svg"], "notes.svg"),
    (["report", "pdf.yaml", "-o", "notes.pdf"], "notes.pdf"),
    (["export", "svg.yaml", "-o", "catalogs/prices.csv"], "catalogs/prices.csv"),
    (["sweep", "svg.yaml", "--vary", "volume.requests_per_month=1000:2000:2", "--chart", "notes.svg"], "notes.svg"),
    (["sensitivity", "svg.yaml", "--chart", "notes.svg"], "notes.svg"),
    (["export", "scenario.yaml", "-o", "notes.csv"], "notes.csv"),  # the prompt file the scenario reads
    (["export", "scenario.yaml", "-o", "scenario.yaml"], "scenario.yaml"),
    (["plot", "scenario.yaml", "-o", "scenario.yaml"], "scenario.yaml"),
    (["report", "scenario.yaml", "-o", "scenario.yaml"], "scenario.yaml"),
    (["data", "convert", "pc.jsonl", "-o", "pc.jsonl"], "pc.jsonl"),
    (["data", "convert", "pc.jsonl", "-o", "./sub/../pc.jsonl"], "pc.jsonl"),
    (["data", "split", "train.jsonl", "--train-out", "train.jsonl"], "train.jsonl"),
    (["data", "split", "train.jsonl", "--validation-out", "train.jsonl"], "train.jsonl"),
    (["sweep", "scenario.yaml", "--vary", "volume.requests_per_month=1000:2000:2", "--chart", "scenario.yaml"], "scenario.yaml"),
    (["sensitivity", "scenario.yaml", "--chart", "scenario.yaml"], "scenario.yaml"),
    (["simulate", "scenario.yaml", "-n", "100", "--chart", "scenario.yaml"], "scenario.yaml"),
    (["calibrate", "notes.csv", "-o", "notes.csv"], "notes.csv"),  # the log it reads
    # a prompt file that happens to be .yaml, and the scenario this command would write
    (
        [
            "data",
            "savings",
            "--prompt",
            "prompt.yaml",
            "--dataset",
            "train.jsonl",
            "--model",
            "testco/base",
            "--tuned-model",
            "testco/tune",
            "--pricing",
            "catalogs",
            "--scenario",
            "prompt.yaml",
        ],
        "prompt.yaml",
    ),
]


@pytest.mark.parametrize("args,victim", OVERWRITES, ids=[" ".join(a) for a, _ in OVERWRITES])
def test_cli_refuses_to_overwrite_an_input(project, args, victim):
    (project / "sub").mkdir(exist_ok=True)
    before = {str(p.relative_to(project)): p.read_bytes() for p in project.rglob("*") if p.is_file()}
    code, out, err = fz.cli(args)
    assert code == 2, err
    assert "Traceback" not in err
    assert "one of the inputs" in err or "unknown output type" in err, err
    assert {str(p.relative_to(project)): p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
    assert not [p for p in project.iterdir() if ".tmp" in p.name]


def _output_options(cmd, prefix=()):
    """(command path, option name) of every option whose name says it names a file to write."""
    out = []
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            out += _output_options(cmd.get_command(ctx, name), prefix + (name,))
        return out
    for p in cmd.params:
        if isinstance(p, click.Option) and any(w in p.name for w in ("output", "_out", "chart")):
            out.append((" ".join(prefix), p.opts[-1]))
    return out


def test_every_output_option_is_covered():
    """A new command (or option) that writes a file must get a line in OVERWRITES above."""
    from ftcost.cli import main

    covered = set()
    for args, _ in OVERWRITES:
        words = [a for a in args if not a.startswith("-")]
        for opt in [a for a in args if a.startswith("--") or a == "-o"]:
            for n in (1, 2):
                covered.add((" ".join(words[:n]), opt))
    alias = {"-o": "--output"}
    missing = []
    for command, opt in _output_options(main):
        if (command, opt) not in covered and (command, {v: k for k, v in alias.items()}.get(opt, opt)) not in covered:
            missing.append(f"{command} {opt}")
    assert not missing, "output options without an overwrite test: " + ", ".join(missing)


# --------------------------------------------------------------------------
# Ctrl-C while a real process writes


def test_sigint_while_writing_leaves_no_partial_file(tmp_path):
    code, err, dest = signal_while_writing(tmp_path, signal.SIGINT, OLD, lambda: bool(leftovers(tmp_path, "chat.jsonl")))
    assert code == 130, err
    assert "Traceback" not in err
    assert dest.read_text() == OLD
    assert leftovers(tmp_path, "chat.jsonl") == []
