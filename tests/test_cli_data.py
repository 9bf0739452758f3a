"""``ftcost data check|convert|split|savings``: exit codes, output, bad input, no tracebacks."""

import doctest
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from ftcost.data import convert, examples

DATA = Path(__file__).parent / "fixtures" / "data"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def work(tmp_path):
    """A folder with copies of the fixtures and the testco catalog under catalogs/."""
    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "catalogs").mkdir()
    shutil.copy(FIXTURES / "testco.yaml", tmp_path / "catalogs" / "testco.yaml")
    return tmp_path


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_docstring_examples():
    results = [doctest.testmod(m) for m in (examples, convert)]  # the rules of split_prompt, split_completion, answer_form, convert_example
    assert sum(r.attempted for r in results) >= 6 and sum(r.failed for r in results) == 0


@pytest.mark.parametrize("command", ["check", "convert", "split", "savings"])
def test_every_command_has_help_with_an_example(cli, command):
    rc, out, _ = cli("data", command, "--help")
    assert rc == 0 and "Example" in out


def test_data_is_registered(cli):
    rc, out, _ = cli("--help")
    assert rc == 0 and "data" in out


# --- check --------------------------------------------------------------------------------------


def test_check_spanish_reviews(cli, work):
    rc, out, _ = cli("data", "check", work / "resenas.jsonl", "--model", "testco/tune", "--pricing", work / "catalogs")
    assert rc == 0
    assert "3 usable examples in prompt/completion format" in out
    # 77 tokens (25+4 + 22+4 + 18+4), 25 epochs for 3 examples, $10/1M: 77 x 25 x 10 / 1e6 = $0.01925,
    # shown to 4 decimals (the float is 0.019249999...): $0.0192
    assert "77 billable per epoch (at most 4,096 per example)" in out
    assert "25 epochs" in out and "= $0.0192 per run" in out
    assert "error: 3 usable examples: providers reject fewer than 10" in out


def test_check_messy_lists_lines(cli, work):
    rc, out, _ = cli("data", "check", work / "messy.jsonl")
    assert rc == 0
    for expected in (
        "line 4: exact duplicate of line 1",
        "line 9: not valid JSON",
        "line 10: valid JSON but neither",
        "line 11: chat example in a file of prompt/completion",
        "line 12: not valid UTF-8",
        'line 5: completion "Rating: 4" is not in the usual form "5 stars"',
        "line 6: near-empty completion",
    ):
        assert expected in out
    assert "Not usable (4)" in out


def test_check_json_and_limit(cli, work):
    rc, out, _ = cli("data", "check", work / "messy.jsonl", "--format", "json")
    d = json.loads(out)
    assert rc == 0 and d["examples"] == 10 and d["unusable_lines"] == 4
    assert {"line": 12, "kind": "invalid_utf8"}.items() <= next(i for i in d["issues"] if i["line"] == 12).items()
    rows = [{"prompt": "x", "completion": "y"} if i % 2 else "bad" for i in range(30)]
    p = work / "many.jsonl"
    p.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    rc, out, _ = cli("data", "check", p, "--limit", "3")
    assert "... and 12 more not json (use --limit)" in out


def test_check_strict(cli, work):
    rc, _, err = cli("data", "check", work / "messy.jsonl", "--strict")
    assert rc == 2 and "--strict" in err


def test_check_with_no_usable_example_exits_2(cli, work):
    p = work / "latin1.jsonl"
    p.write_bytes('{"prompt": "Reseña", "completion": " 5 END"}\n'.encode("latin-1") * 2)
    rc, out, err = cli("data", "check", p)
    assert rc == 2
    assert "line 1: not valid UTF-8" in out and "line 2: not valid UTF-8" in out
    assert err.startswith("Error:") and "no usable examples" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (("missing.jsonl",), "not found"),
        ((".",), "directory"),
        (("resenas.jsonl", "--model", "nobody/nothing"), "unknown provider"),
    ],
)
def test_check_bad_arguments_exit_2(cli, work, monkeypatch, args, message):
    monkeypatch.chdir(work)
    rc, _, err = cli("data", "check", *args)
    assert rc == 2 and message in err and err.count("\n") == 1


def test_check_binary_file(cli, work):
    p = work / "x.jsonl"
    p.write_bytes(b"\x00\x00\x00")
    rc, _, err = cli("data", "check", p)
    assert rc == 2 and "binary" in err


# --- convert ------------------------------------------------------------------------------------


def test_convert(cli, work):
    before = digest(work / "resenas.jsonl")
    out = work / "chat.jsonl"
    rc, text, err = cli("data", "convert", work / "resenas.jsonl", "-o", out, "--system", "Puntúa la reseña.")
    assert rc == 0 and err == ""
    assert "3 chat examples written" in text and 'removed prompt separator "\\n\\n###\\n\\n" from 3 examples' in text
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows[1]["messages"] == [
        {"role": "system", "content": "Puntúa la reseña."},
        {"role": "user", "content": "Reseña: La funda se rompió a la semana y el vendedor no contesta los mensajes."},
        {"role": "assistant", "content": "1 estrella"},
    ]
    assert digest(work / "resenas.jsonl") == before


def test_convert_custom_markers_from_the_shell(cli, work):
    src = work / "c.jsonl"
    src.write_text(json.dumps({"prompt": "Q: hi\n---\n", "completion": " hello<STOP>"}) + "\n")
    rc, _, _ = cli("data", "convert", src, "-o", work / "o.jsonl", "--separator", "\\n---\\n", "--stop", "<STOP>")
    msgs = json.loads((work / "o.jsonl").read_text())["messages"]
    assert rc == 0 and msgs == [{"role": "user", "content": "Q: hi"}, {"role": "assistant", "content": "hello"}]


def test_convert_reports_skipped_lines(cli, work):
    rc, out, err = cli("data", "convert", work / "messy.jsonl", "-o", work / "m.jsonl", "--format", "json")
    assert rc == 0
    assert "skipped line 9: not valid JSON" in err and "skipped line 12: not valid UTF-8" in err
    assert json.loads(out)["written"] == 10


def test_convert_refuses_its_input_and_empty_results(cli, work):
    rc, _, err = cli("data", "convert", work / "resenas.jsonl", "-o", work / "resenas.jsonl")
    assert rc == 2 and "one of the inputs" in err
    bad = work / "bad.jsonl"
    bad.write_text("nope\n")
    rc, _, err = cli("data", "convert", bad, "-o", work / "o.jsonl")
    assert rc == 2 and "no usable examples" in err and not (work / "o.jsonl").exists()
    rc, _, err = cli("data", "convert", work / "resenas.jsonl", "-o", work / "no-such-dir" / "o.jsonl")
    assert rc == 2 and "does not exist" in err


# --- split --------------------------------------------------------------------------------------


def test_split(cli, work):
    src = work / "d.jsonl"
    src.write_text("".join(json.dumps({"prompt": f"Review {i}\n\n###\n\n", "completion": f" {i % 5 + 1} stars END"}) + "\n" for i in range(30)))
    rc, out, _ = cli("data", "split", src, "--validation", "0.1", "--seed", "3")
    assert rc == 0
    assert "27 examples" in out and "3 examples" in out and "(not billed" in out
    train, val = work / "d.train.jsonl", work / "d.validation.jsonl"
    first = (train.read_bytes(), val.read_bytes())
    rc, out2, _ = cli("data", "split", src, "--validation", "0.1", "--seed", "3", "--format", "json")
    assert (train.read_bytes(), val.read_bytes()) == first
    d = json.loads(out2)
    assert d["validation"]["examples"] == 3 and d["validation"]["billed"] is False and d["seed"] == 3


@pytest.mark.parametrize(
    "args, message",
    [
        (("--validation", "1.5"), "fraction between 0 and 1"),
        (("--validation", "0"), "fraction between 0 and 1"),
        (("--train-out", "resenas.jsonl"), "one of the inputs"),
    ],
)
def test_split_bad_arguments(cli, work, monkeypatch, args, message):
    monkeypatch.chdir(work)
    rc, _, err = cli("data", "split", "resenas.jsonl", *args)
    assert rc == 2 and message in err


# --- savings ------------------------------------------------------------------------------------


def test_savings_prints_request_blocks(cli, work):
    rc, out, _ = cli(
        "data", "savings", "--prompt", work / "fewshot_es.txt", "--dataset", work / "resenas.jsonl", "--model", "testco/tune", "--pricing", work / "catalogs"
    )
    assert rc == 0
    # few-shot: 102 + (25 + 22 + 18) / 3 = 123.7 input tokens; fine-tuned 21.7; replies 4
    assert "123.7 input (102 prompt + 21.7 example), 4.0 completion" in out
    assert "saved: 102.0 input tokens per request" in out
    assert "prompt_tokens: 102" in out and "input_tokens: 21.7" in out and "completion_tokens: 4" in out


def test_savings_writes_a_scenario_that_compares(cli, work):
    out = work / "plan.yaml"
    rc, text, _ = cli(
        "data",
        "savings",
        "--prompt",
        work / "fewshot_en.txt",
        "--dataset",
        work / "chat.jsonl",
        "--model",
        "testco/tune",
        "--pricing",
        work / "catalogs",
        "--scenario",
        out,
        "--volume",
        "50000",
    )
    assert rc == 0 and f"Wrote {out}" in text
    rc, text, _ = cli("compare", out, "--pricing", work / "catalogs", "--format", "json")
    d = json.loads(text)
    assert rc == 0 and d["volume_requests_per_month"] == 50000
    assert [s["name"] for s in d["strategies"]] == ["few-shot prompt", "fine-tuned"]


def test_savings_json(cli, work):
    rc, out, _ = cli(
        "data",
        "savings",
        "--prompt",
        work / "fewshot_en.txt",
        "--dataset",
        work / "chat.jsonl",
        "--model",
        "testco/tune",
        "--pricing",
        work / "catalogs",
        "--format",
        "json",
    )
    d = json.loads(out)
    # (3 + 1 + 11) + (3 + 1 + user) + 3 with users 8, 6, 5, 9: mean 29
    assert rc == 0 and d["tuned_input_tokens"] == 29 and d["prompt_tokens"] == 43 and d["saved_input_tokens"] == 43


@pytest.mark.parametrize(
    "extra, message",
    [
        (("--model", "testco/base"), "no fine-tuning"),
        (("--model", "testco/tune", "--scenario", "chat.jsonl"), "unknown output type"),
        (("--model", "testco/tune", "--scenario", "fewshot_en.txt"), "unknown output type"),
    ],
)
def test_savings_bad_arguments(cli, work, monkeypatch, extra, message):
    monkeypatch.chdir(work)
    rc, _, err = cli("data", "savings", "--prompt", "fewshot_en.txt", "--dataset", "chat.jsonl", "--pricing", "catalogs", *extra)
    assert rc == 2 and message in err
    assert digest(work / "chat.jsonl") == digest(DATA / "chat.jsonl")


def test_savings_with_no_usable_example(cli, work):
    bad = work / "bad.jsonl"
    bad.write_text('{"text": "x"}\n')
    rc, _, err = cli("data", "savings", "--prompt", work / "fewshot_en.txt", "--dataset", bad, "--model", "testco/tune", "--pricing", work / "catalogs")
    assert rc == 2 and "no usable examples (1 line not usable); first problem: line 1: valid JSON but neither" in err
