"""The shell commands of README.md and docs/*.md, read from the Markdown and run in a copy of the repository.

The convention (docs/contributing.md, "Commands in the documentation", says the same for writers):

* A fenced block whose info string is ``sh``, ``bash``, ``shell`` or ``console`` holds commands, and every
  one of them runs. Any other block (no info string, ``text``, ``yaml``, ``python``...) is never run: output,
  synopses, file formats. An unmarked block with a line that starts like a command (``ftcost ``,
  ``python ``, ``pip ``, ``$ ``) is an error, so that no command escapes by a forgotten info string.
* ``sh``/``bash``/``shell``: each line is a command, a line ending in ``\\`` continues on the next; bash runs
  it, so ``# comments``, ``&&``, ``>`` and ``VAR=value`` prefixes mean what they mean in a terminal.
* ``console``: a line starting with ``$ `` is a command, the lines after it (up to the next ``$ `` line)
  are its output. The command's stdout followed by its stderr must equal them; the only normalisation is
  the temporary folder's path, written ``.``, and trailing spaces at line ends.
* HTML comments on the lines right above the fence (blank lines between are allowed) are markers:
  ``<!-- not run: REASON -->`` skips the block (the reason is required; the test prints the list),
  ``<!-- exit: N -->`` says every command of the block exits with N (default 0),
  ``<!-- setup: COMMAND -->`` runs COMMAND first, unseen (to put an input the text assumes in place).
* Each block runs in its own fresh copy of the repository, with the venv's ``ftcost`` first on PATH, an
  empty HOME and English locale; the commands of one block run in order (a later one may read what an
  earlier one wrote).

``python tests/doc_commands.py --update`` rewrites the output of every ``console`` block from a real run
(after a change of the output format), and ``--list`` prints the blocks and their markers.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHELL_INFOS = {"sh", "bash", "shell", "console"}
COMMAND_START = re.compile(r"^(\$ |ftcost |python |pip |pytest )")
MARKER = re.compile(r"^<!--\s*(not run|exit|setup)\s*:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^(\s*)(`{3,})([^`\s]*)\s*$")  # a fence of 3 or more backticks; it closes with as many or more
IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "*.egg-info", "build", "dist", "reports")
TIMEOUT = 180


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclasses.dataclass
class Command:
    text: str  # as bash gets it (continuations kept)
    output: str | None = None  # console blocks: the output shown under it
    output_lines: tuple[int, int] | None = None  # 0-based [start, end) of those lines in the file


@dataclasses.dataclass
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    info: str
    commands: list[Command]
    not_run: str | None = None
    exit: int = 0
    setup: list[str] = dataclasses.field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{shown(self.path)}:{self.line}"


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


class DocError(ValueError):
    pass


def _markers(lines: list[str], fence: int) -> list[tuple[str, str]]:
    found = []
    i = fence - 1
    while i >= 0 and (not lines[i].strip() or MARKER.match(lines[i].strip())):
        m = MARKER.match(lines[i].strip())
        if m:
            found.append((m.group(1), m.group(2)))
        i -= 1
    return found[::-1]


def _sh_commands(body: list[str]) -> list[Command]:
    out: list[Command] = []
    pending = ""
    for line in body:
        pending += line + "\n"
        if line.rstrip().endswith("\\"):
            continue
        if pending.strip() and not pending.lstrip().startswith("#"):
            out.append(Command(pending.rstrip("\n")))
        pending = ""
    if pending.strip():
        out.append(Command(pending.rstrip("\n")))
    return out


def _console_commands(body: list[str], first: int) -> list[Command]:
    out: list[Command] = []
    for k, line in enumerate(body):
        if line.startswith("$ "):
            out.append(Command(line[2:], "", (first + k + 1, first + k + 1)))
        elif out:
            cmd = out[-1]
            assert cmd.output is not None and cmd.output_lines is not None
            cmd.output += line + "\n"
            cmd.output_lines = (cmd.output_lines[0], first + k + 1)
        elif line.strip():
            raise DocError(f"a console block must start with a '$ ' line, not {line!r}")
    return out


def parse(path: Path) -> list[Block]:
    """Every shell block of one Markdown file; DocError for an unmarked block holding commands, a marker
    without its value, or a marker above a block that is not a shell block."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, ticks, info = m.group(1), m.group(2), m.group(3).lower()
        end = i + 1
        while end < len(lines) and not (lines[end].strip().startswith(ticks) and set(lines[end].strip()) == {"`"}):
            end += 1
        body = [ln[len(indent) :] if ln.startswith(indent) else ln for ln in lines[i + 1 : end]]
        where = f"{shown(path)}:{i + 1}"
        markers = _markers(lines, i)
        if info in SHELL_INFOS:
            try:
                cmds = _console_commands(body, i + 1) if info == "console" else _sh_commands(body)
            except DocError as e:
                raise DocError(f"{where}: {e}") from None
            b = Block(path, i + 1, info, cmds)
            for key, value in markers:
                if not value:
                    raise DocError(f"{where}: the marker '{key}:' needs a value")
                if key == "not run":
                    b.not_run = value
                elif key == "exit":
                    b.exit = int(value)
                else:
                    b.setup.append(value)
            blocks.append(b)
        else:
            if markers:
                raise DocError(f"{where}: markers {markers} above a ```{info} block, which is never run")
            if not info:
                for ln in body:
                    if COMMAND_START.match(ln):
                        raise DocError(f"{where}: an unmarked block holds the command {ln!r}: mark it ```sh (or ```text if it is not meant to run)")
        i = end + 1
    return blocks


def all_blocks() -> list[Block]:
    return [b for p in doc_files() for b in parse(p)]


@dataclasses.dataclass
class Ran:
    command: str
    code: int
    stdout: str
    stderr: str


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "FTCOST_", "PYTEST_", "COV_"))}
    bin_dir = str(Path(sys.executable).parent)
    env.update(PATH=bin_dir + os.pathsep + env.get("PATH", ""), HOME=str(home), LANG="C.UTF-8", PYTHONHASHSEED="0")
    for name in ("COLUMNS", "LINES", "LANGUAGE"):
        env.pop(name, None)
    # matplotlib keeps its font cache in HOME: point it at the real one, or every chart rebuilds it.
    cache = Path(os.environ.get("MPLCONFIGDIR", Path.home() / ".config" / "matplotlib"))
    if cache.is_dir():
        env["MPLCONFIGDIR"] = str(cache)
    return env


def run_block(block: Block, base: Path) -> list[Ran]:
    """Run the block in a fresh copy of the repository under base; stops at the first command whose exit
    status is not the expected one (the later ones would fail for that reason)."""
    work = Path(tempfile.mkdtemp(prefix="block-", dir=base))
    repo, home = work / "repo", work / "home"
    shutil.copytree(ROOT, repo, symlinks=True, ignore=IGNORE)
    home.mkdir()
    env = environment(home)
    ran: list[Ran] = []
    for setup in block.setup:
        r = subprocess.run(["bash", "-c", setup], cwd=repo, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        if r.returncode:
            return [Ran("setup: " + setup, r.returncode, r.stdout, r.stderr)]
    for cmd in block.commands:
        try:
            r = subprocess.run(["bash", "-c", cmd.text], cwd=repo, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT)
            got = Ran(cmd.text, r.returncode, r.stdout, r.stderr)
        except subprocess.TimeoutExpired:
            got = Ran(cmd.text, -1, "", f"timed out after {TIMEOUT} s")
        ran.append(dataclasses.replace(got, stdout=normalise(got.stdout, repo), stderr=normalise(got.stderr, repo)))
        if got.code != block.exit:
            break
    shutil.rmtree(work, ignore_errors=True)
    return ran


def normalise(text: str, repo: Path) -> str:
    text = text.replace(str(repo) + os.sep, "").replace(str(repo), ".")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def run_all(blocks: list[Block], base: Path, workers: int = 3) -> dict[str, list[Ran]]:
    # The blocks with most commands first, so that a long one does not start last and run alone.
    todo = sorted((b for b in blocks if not b.not_run), key=lambda b: -len(b.commands))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = dict(zip([b.name for b in todo], pool.map(lambda b: run_block(b, base), todo), strict=True))
    return results


def update(blocks: list[Block]) -> int:
    """Rewrite every console block's output from a real run; returns how many outputs changed."""
    console = [b for b in blocks if b.info == "console" and not b.not_run]
    with tempfile.TemporaryDirectory() as base:
        results = run_all(console, Path(base))
    changed = 0
    for path in {b.path for b in console}:
        lines = path.read_text(encoding="utf-8").split("\n")
        edits = []
        for b in (b for b in console if b.path == path):
            for cmd, ran in zip(b.commands, results[b.name], strict=False):
                if ran.code != b.exit:
                    print(f"{b.name}: {cmd.text} exited {ran.code}, expected {b.exit}; not updated\n{ran.stderr}", file=sys.stderr)
                    continue
                new = (ran.stdout + ran.stderr).rstrip("\n").split("\n")
                assert cmd.output_lines is not None
                start, end = cmd.output_lines
                if lines[start:end] != new:
                    edits.append((start, end, new))
        for start, end, new in sorted(edits, reverse=True):
            lines[start:end] = new
            changed += 1
        path.write_text("\n".join(lines), encoding="utf-8")
    return changed


if __name__ == "__main__":
    if "--update" in sys.argv[1:]:
        print(f"{update(all_blocks())} output(s) updated")
    elif "--list" in sys.argv[1:]:
        for b in all_blocks():
            flags = f"not run: {b.not_run}" if b.not_run else f"exit {b.exit}" + (f", setup {b.setup}" if b.setup else "")
            print(f"{b.name} ```{b.info} ({flags})")
            for c in b.commands:
                print("    " + c.text.replace("\n", "\n    "))
    else:
        sys.exit("usage: python tests/doc_commands.py --list | --update")
