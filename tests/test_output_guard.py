"""One output check for every command (ftcost/outputs.py, issue 18): nothing the command reads, no device.

* a private catalog (``--pricing`` folder, ``$FTCOST_PRICING_PATH`` folder) or
  a catalog the scenario names in ``pricing:`` is never overwritten, however
  the output names it: relative, absolute, ``./x/../x``, a symlink, a hard link;
* an output path that exists and is not a regular file (a device, a FIFO, a
  socket, a symlink to one) is refused and left as it was;
* ``-`` writes text formats to standard output, and is refused for the others;
* ``compare --plot x.pdf --report x.pdf`` is refused rather than losing the chart.

Every refusal is exit 2 with a message, no traceback, every file byte-identical
and no temporary file left.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import fuzz_support as fz
import pytest

TRAIN = "".join(json.dumps({"messages": [{"role": "user", "content": f"review {i}"}, {"role": "assistant", "content": "4"}]}) + "\n" for i in range(20))
PC = "".join(json.dumps({"prompt": f"review {i} ->", "completion": " 4"}) + "\n" for i in range(20))
CHART_SCENARIO = """\
ftcost: 1
name: guard
start: 2027-01
pricing: [catalogs/testco.yaml, ./price.{ext}]
volume: {{requests_per_month: 1000000}}
strategies:
  - name: prompt
    type: prompt
    model: testco/base
    request: {{prompt_tokens: 300, completion_tokens: 5}}
  - name: tuned
    type: fine_tuned
    model: testco/tune
    request: {{prompt_tokens: 20, completion_tokens: 5}}
    training: {{tokens: 100000, epochs: 2}}
"""
# A private overlay: negotiated prices for testco (what `data savings` and `data split` used to overwrite).
PRIVATE = (fz.FIXTURES / "testco.yaml").read_text().replace("input: 1.00", "input: 0.50")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def temp_files(root: Path) -> list[str]:
    return [str(p) for p in root.rglob("*") if ".tmp" in p.name]


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "catalogs").mkdir()
    (tmp_path / "catalogs" / "testco.yaml").write_text((fz.FIXTURES / "testco.yaml").read_text())
    (tmp_path / "priv").mkdir()
    (tmp_path / "priv" / "mine.yaml").write_text(PRIVATE)
    (tmp_path / "train.jsonl").write_text(TRAIN)
    (tmp_path / "pc.jsonl").write_text(PC)
    (tmp_path / "notes.txt").write_text("Rate the review from 1 to 5 stars.\n")
    for ext in ("png", "pdf", "svg", "csv", "xlsx"):
        (tmp_path / f"price.{ext}").write_text(PRIVATE)
        (tmp_path / f"s-{ext}.yaml").write_text(CHART_SCENARIO.format(ext=ext))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FTCOST_PRICING_PATH", raising=False)
    return tmp_path


def spell(root: Path, target: str, how: str) -> str:
    """``target`` (relative to ``root``) named another way."""
    t = root / target
    ext = t.suffix
    if how == "relative":
        return target
    if how == "absolute":
        return str(t)
    if how == "dotdot":
        return f"./{t.parent.name}/../{t.parent.name}/{t.name}" if t.parent != root else f"./catalogs/../{t.name}"
    if how == "symlink":
        link = root / f"link{ext}"
        link.symlink_to(t)
        return link.name
    if how == "hardlink":
        hard = root / f"hard{ext}"
        os.link(t, hard)
        return hard.name
    raise AssertionError(how)


SPELLINGS = ["relative", "absolute", "dotdot", "symlink", "hardlink"]

# Commands whose output may be any name (or .yaml): a private catalog in a pricing folder is at risk.
YAML_WRITERS = {
    "convert": ["data", "convert", "pc.jsonl", "-o", "{out}"],
    "split --train-out": ["data", "split", "train.jsonl", "--train-out", "{out}"],
    "split --validation-out": ["data", "split", "train.jsonl", "--validation-out", "{out}"],
    "split --model --train-out": ["data", "split", "train.jsonl", "--model", "testco/tune", "--train-out", "{out}"],
    "savings --scenario": [
        "data",
        "savings",
        "--prompt",
        "notes.txt",
        "--dataset",
        "train.jsonl",
        "--model",
        "testco/base",
        "--tuned-model",
        "testco/tune",
        "--scenario",
        "{out}",
    ],
}


def refused(root: Path, args: list[str], before: dict[str, bytes], *, why: str = "one of the inputs") -> str:
    code, out, err = fz.cli(args)
    assert code == 2, (args, out, err)
    assert "Traceback" not in err and "Internal error" not in err, err
    assert why in err, err
    assert snapshot(root) == before
    assert temp_files(root) == []
    return err


@pytest.mark.parametrize("how", SPELLINGS)
@pytest.mark.parametrize(
    "command,source", [(c, s) for c in YAML_WRITERS for s in ("--pricing", "FTCOST_PRICING_PATH") if (c, s) != ("convert", "--pricing")]
)  # data convert has no --pricing
def test_private_catalog_is_never_an_output(project, monkeypatch, command, source, how):
    out = spell(project, "priv/mine.yaml", how)
    args = [a.replace("{out}", out) for a in YAML_WRITERS[command]]
    if source == "--pricing":
        args += ["--pricing", "priv"]
    else:
        monkeypatch.setenv("FTCOST_PRICING_PATH", str(project / "priv"))
    refused(project, args, snapshot(project))


CHART_WRITERS = {
    "plot -o": (["plot", "s-{ext}.yaml", "-o", "{out}"], ("png", "pdf", "svg")),
    "report -o": (["report", "s-{ext}.yaml", "-o", "{out}"], ("pdf",)),
    "export -o": (["export", "s-{ext}.yaml", "-o", "{out}"], ("csv", "xlsx")),
    "compare --plot": (["compare", "s-{ext}.yaml", "--plot", "{out}"], ("svg",)),
    "compare --report": (["compare", "s-{ext}.yaml", "--report", "{out}"], ("pdf",)),
    "simulate --chart": (["simulate", "s-{ext}.yaml", "-n", "50", "--chart", "{out}"], ("png",)),
    "sweep --chart": (["sweep", "s-{ext}.yaml", "--vary", "volume.requests_per_month=1000:2000:2", "--chart", "{out}"], ("svg",)),
    "sensitivity --chart": (["sensitivity", "s-{ext}.yaml", "--chart", "{out}"], ("pdf",)),
}


@pytest.mark.parametrize("how", SPELLINGS)
@pytest.mark.parametrize("command", list(CHART_WRITERS))
def test_catalog_named_by_the_scenario_is_never_an_output(project, command, how):
    """The scenario's own ``pricing:`` entry ./price.EXT, written over in every spelling."""
    template, exts = CHART_WRITERS[command]
    ext = exts[len(how) % len(exts)]
    out = spell(project, f"price.{ext}", how)
    refused(project, [a.replace("{ext}", ext).replace("{out}", out) for a in template], snapshot(project))


def test_report_png_folder_never_overwrites_a_catalog(project):
    (project / "figs").mkdir()
    (project / "figs" / "r-breakeven.png").write_text(PRIVATE)
    (project / "s.yaml").write_text(CHART_SCENARIO.format(ext="png").replace("./price.png", "figs/r-breakeven.png"))
    refused(project, ["report", "s.yaml", "-o", "r.pdf", "--png", "figs"], snapshot(project))


def test_pricing_import_still_merges_into_its_own_folder(project, monkeypatch):
    """``pricing import -o FOLDER`` reads the catalogs there in order to rewrite them: that stays allowed."""
    monkeypatch.setenv("FTCOST_PRICING_PATH", str(project / "priv"))
    src = fz.FIXTURES / "litellm-1.110.2-mini.json"
    code, out, err = fz.cli(["pricing", "import", "litellm", str(src), "-o", "priv"])
    assert code == 0, err
    code, out, err = fz.cli(["pricing", "import", "litellm", str(src), "-o", "priv"])
    assert code == 0, err


# --------------------------------------------------------------------------
# Outputs that exist and are not regular files


def special(root: Path, kind: str, name: str) -> Path:
    p = root / name
    if kind == "fifo":
        os.mkfifo(p)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(p))
        s.close()
    elif kind in ("devnull", "devfull"):
        p.symlink_to("/dev/null" if kind == "devnull" else "/dev/full")
    return p


def node_state(p: str | Path):
    st = os.stat(p)
    return stat.S_IFMT(st.st_mode), st.st_rdev, st.st_ino


SPECIAL_OUTPUTS = {
    "plot": (["plot", "s-png.yaml", "-o", "{out}"], "png"),
    "report": (["report", "s-png.yaml", "-o", "{out}"], "pdf"),
    "export": (["export", "s-png.yaml", "-o", "{out}"], "xlsx"),
    "compare --plot": (["compare", "s-png.yaml", "--plot", "{out}"], "svg"),
    "simulate --chart": (["simulate", "s-png.yaml", "-n", "50", "--chart", "{out}"], "png"),
    "data convert": (["data", "convert", "pc.jsonl", "-o", "{out}"], "jsonl"),
    "data split": (["data", "split", "train.jsonl", "--train-out", "{out}"], "jsonl"),
    "data savings": (
        [
            "data",
            "savings",
            "--prompt",
            "notes.txt",
            "--dataset",
            "train.jsonl",
            "--model",
            "testco/base",
            "--tuned-model",
            "testco/tune",
            "--pricing",
            "catalogs",
            "--scenario",
            "{out}",
        ],
        "yaml",
    ),
}


@pytest.mark.parametrize("kind", ["fifo", "socket", "devnull", "devfull"])
@pytest.mark.parametrize("command", list(SPECIAL_OUTPUTS))
def test_special_file_as_output_is_refused_and_kept(project, command, kind):
    template, ext = SPECIAL_OUTPUTS[command]
    p = special(project, kind, f"out.{ext}")
    before = node_state(p)
    refused(project, [a.replace("{out}", p.name) for a in template], snapshot(project), why="not a regular file")
    assert node_state(p) == before
    assert p.is_symlink() == kind.startswith("dev")


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
@pytest.mark.parametrize("command", ["data convert", "data split"])
def test_device_path_as_output_is_refused(project, command, device):
    template, _ = SPECIAL_OUTPUTS[command]
    before = node_state(device)
    refused(project, [a.replace("{out}", device) for a in template], snapshot(project), why="character device")
    assert node_state(device) == before


@pytest.mark.parametrize("target", ["/dev/stdout", "/proc/self/fd/1"])
def test_stdout_device_as_output_in_a_real_process(project, target):
    """The report's case: as root, ``data convert -o /dev/stdout`` replaced the machine's /dev/stdout."""
    link_before = os.readlink("/dev/stdout")
    try:
        proc = subprocess.run([sys.executable, "-m", "ftcost", "data", "convert", "pc.jsonl", "-o", target], capture_output=True, text=True, timeout=120)
    finally:
        if not os.path.islink("/dev/stdout") and os.geteuid() == 0:  # a regression: repair the machine before failing
            os.unlink("/dev/stdout")
            os.symlink(link_before, "/dev/stdout")
    assert proc.returncode == 2, proc.stderr
    assert "not a regular file" in proc.stderr and "Traceback" not in proc.stderr
    assert os.readlink("/dev/stdout") == link_before and os.path.islink("/dev/stdout")
    assert temp_files(project) == []


# --------------------------------------------------------------------------
# '-' is standard output for text formats


def test_dash_writes_text_formats_to_stdout(project):
    code, out, err = fz.cli(["data", "convert", "pc.jsonl", "-o", "-"])
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 20 and json.loads(lines[0])["messages"][-1]["content"] == "4"
    assert "20" in err  # the summary went to stderr
    code, out, err = fz.cli(["export", "s-png.yaml", "-o", "-", "--horizon", "3"])
    assert code == 0, err
    assert out.splitlines()[0].startswith("strategy,") or "," in out.splitlines()[0]
    assert len(out.splitlines()) == 1 + 2 * 3  # a header, then 2 strategies x 3 months
    code, out, err = fz.cli(
        [
            "data",
            "savings",
            "--prompt",
            "notes.txt",
            "--dataset",
            "train.jsonl",
            "--model",
            "testco/base",
            "--tuned-model",
            "testco/tune",
            "--pricing",
            "catalogs",
            "--scenario",
            "-",
        ]
    )
    assert code == 0, err
    assert "ftcost: 1" in out and "strategies:" in out
    assert not (project / "-").exists()
    assert temp_files(project) == []


@pytest.mark.parametrize(
    "args",
    [
        ["plot", "s-png.yaml", "-o", "-"],
        ["report", "s-png.yaml", "-o", "-"],
        ["simulate", "s-png.yaml", "-n", "50", "--chart", "-"],
        ["data", "split", "train.jsonl", "--train-out", "-"],
    ],
)
def test_dash_refused_for_binary_and_split_outputs(project, args):
    refused(project, args, snapshot(project), why="standard output")


def test_plot_and_report_on_the_same_file_is_refused(project):
    (project / "x.pdf").write_text("old")
    err = refused(project, ["compare", "s-png.yaml", "--plot", "x.pdf", "--report", "./x.pdf"], snapshot(project), why="same file")
    assert "x.pdf" in err
