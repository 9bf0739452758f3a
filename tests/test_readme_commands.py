"""Every command of README.md and docs/*.md runs as shown (issue 12 item 8).

The commands are read from the Markdown, never listed here: every fenced block marked ```sh, ```bash,
```shell or ```console runs in its own temporary copy of the repository (tests/doc_commands.py has the
convention and the markers; docs/contributing.md says it for writers). Each command exits 0, or with the
status an ``<!-- exit: N -->`` marker above its block gives; a ```console block's pasted output must equal
the command's stdout followed by its stderr. A block that cannot run here (pip install, an interactive
prompt, a half-hour benchmark) carries ``<!-- not run: REASON -->``, and the reasons are checked below.

When an output format changes on purpose, refresh the pasted output from a real run:

    python tests/doc_commands.py --update
"""

from __future__ import annotations

import pytest
from doc_commands import Block, DocError, all_blocks, doc_files, parse, run_all

BLOCKS = all_blocks()
RUN = [b for b in BLOCKS if not b.not_run]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    # Blocks are independent (a fresh copy each): three at a time keeps the run near half a minute.
    return run_all(RUN, tmp_path_factory.mktemp("docs"), workers=3)


@pytest.mark.parametrize("block", RUN, ids=[b.name for b in RUN])
def test_block_runs_as_shown(results, block: Block):
    ran = results[block.name]
    for cmd, r in zip(block.commands, ran, strict=False):
        assert r.code == block.exit, f"{block.name}: `{r.command}` exited {r.code}, the text says {block.exit}\n{r.stderr[-3000:]}"
        if cmd.output is not None:
            got = (r.stdout + r.stderr).rstrip("\n")
            shown = "\n".join(line.rstrip() for line in cmd.output.rstrip("\n").split("\n"))
            assert got == shown, (
                f"{block.name}: the output of `{cmd.text}` differs from the pasted one; after an intended change run python tests/doc_commands.py --update"
            )
    assert len(ran) == len(block.commands)


def test_the_documents_have_commands_and_every_skip_says_why():
    assert len(doc_files()) >= 8
    assert len(RUN) >= 15 and sum(len(b.commands) for b in RUN) >= 45
    skipped = [b for b in BLOCKS if b.not_run]
    # Each skip names its reason; the list is short and known, so a new skip is a decision, not an accident.
    assert {b.name.split(":")[0]: b.not_run for b in skipped} and all(len(b.not_run or "") > 15 for b in skipped)
    assert len(skipped) <= 6, [(b.name, b.not_run) for b in skipped]
    assert any(b.exit == 2 for b in RUN), "the README's validate example exits 2"
    assert any(c.output for b in RUN for c in b.commands), "the README's compare output is compared"


def test_an_unmarked_block_with_a_command_is_refused(tmp_path):
    doc = tmp_path / "probe.md"
    doc.write_text("Text.\n\n```\nftcost compare x.yaml\n```\n", encoding="utf-8")
    with pytest.raises(DocError, match="mark it ```sh"):
        parse(doc)
    doc.write_text("<!-- exit: 2 -->\n\n```yaml\na: 1\n```\n", encoding="utf-8")
    with pytest.raises(DocError, match="never run"):
        parse(doc)
    doc.write_text("<!-- not run: -->\n```sh\nftcost pricing list\n```\n", encoding="utf-8")
    with pytest.raises(DocError, match="needs a value"):
        parse(doc)
    doc.write_text("<!-- setup: touch a -->\n<!-- exit: 2 -->\n\n```console\n$ ftcost validate a\nError: x\n\n$ ftcost x \\\n```\n", encoding="utf-8")
    (b,) = parse(doc)
    assert (b.exit, b.setup, [c.text for c in b.commands], b.commands[0].output) == (2, ["touch a"], ["ftcost validate a", "ftcost x \\"], "Error: x\n\n")


def test_sh_lines_continue_and_comments_are_not_commands(tmp_path):
    doc = tmp_path / "probe.md"
    doc.write_text("```sh\n# a comment\nftcost sweep a \\\n    --vary b   # c\n\nftcost d\n```\n", encoding="utf-8")
    (b,) = parse(doc)
    assert [c.text for c in b.commands] == ["ftcost sweep a \\\n    --vary b   # c", "ftcost d"]
