"""ftcost.data: check, convert, split and savings on small fixtures.

Expected token counts come from tiktoken's o200k_base encoding (the bundled
copy, hash-checked against tiktoken's) applied to the fixture texts, with the
arithmetic in the comments.
"""

import hashlib
import json
import shutil
from pathlib import Path

import pytest

import ftcost
from ftcost import data as dt
from ftcost.catalogs import Catalogs
from ftcost.data import records
from ftcost.data.analyze import analyze_dataset
from ftcost.data.split import default_split_paths
from ftcost.errors import OutputError, TokenError
from ftcost.scenario import load_scenario
from ftcost.tokens import get_encoding

DATA = Path(__file__).parent / "fixtures" / "data"
FIXTURES = Path(__file__).parent / "fixtures"
RESENAS = DATA / "resenas.jsonl"  # the lesson's three reviews, in Spanish, prompt/completion
MESSY = DATA / "messy.jsonl"
CHAT = DATA / "chat.jsonl"
FEWSHOT_ES = DATA / "fewshot_es.txt"
FEWSHOT_EN = DATA / "fewshot_en.txt"


def ntok(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def no_private_catalogs(monkeypatch):
    monkeypatch.delenv("FTCOST_PRICING_PATH", raising=False)


@pytest.fixture(scope="module")
def testco():
    """The made-up testco catalog: tune-1 (o200k_base, 4,096 tokens per example, $10/1M training)."""
    return Catalogs.load([str(FIXTURES / "testco.yaml")])


def write_jsonl(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n")
    return path


def legacy(i: int, stars: int = 4) -> dict:
    return {"prompt": f"Review number {i}: it works.\n\n###\n\n", "completion": f" {stars} stars END"}


def issues_by_line(report):
    return {(i.line, i.kind) for i in report.issues}


# --- the fixtures' token counts, from tiktoken --------------------------------------------------


def test_fixture_token_counts_from_tiktoken():
    # resenas.jsonl: prompts of 25, 22 and 18 tokens; each completion " N estrella(s) END" is
    # 4 tokens (" ", "N", " estrellas", " END").
    rows = [json.loads(line) for line in RESENAS.read_text(encoding="utf-8").splitlines()]
    assert [ntok(r["prompt"]) for r in rows] == [25, 22, 18]
    assert [ntok(r["completion"]) for r in rows] == [4, 4, 4]
    assert ntok(FEWSHOT_ES.read_text(encoding="utf-8")) == 102
    assert ntok(FEWSHOT_EN.read_text(encoding="utf-8")) == 43
    # chat.jsonl: system 11 tokens, users 8, 6, 5, 9, assistant replies 2; each role 1 token.
    for line, user in zip(CHAT.read_text().splitlines(), (8, 6, 5, 9)):
        system, u, a = json.loads(line)["messages"]
        assert (ntok(system["content"]), ntok(u["content"]), ntok(a["content"])) == (11, user, 2)


# --- reading and check --------------------------------------------------------------------------


def test_check_the_three_spanish_reviews():
    report = dt.check_dataset(RESENAS)
    assert report.format == records.LEGACY
    assert report.examples == 3
    # (25 + 4) + (22 + 4) + (18 + 4) = 77 tokens, no cap without a model
    assert report.tokens == report.billable_tokens == 77
    assert report.issues == []  # same separator, same stop, same form "N estrella(s)"
    assert report.advice[0].severity == "error" and "fewer than 10" in report.advice[0].message


def test_check_reports_every_problem_with_its_line():
    report = dt.check_dataset(MESSY)
    assert report.examples == 10
    assert issues_by_line(report) == {
        (4, "duplicate"),
        (5, "inconsistent_completion_format"),  # "Rating: 4" among "N stars"
        (6, "near_empty_completion"),  # " END": nothing once the stop is removed
        (7, "inconsistent_separator"),  # no "\n\n###\n\n"
        (8, "inconsistent_stop"),  # no " END"
        (9, "not_json"),
        (10, "neither_format"),  # valid JSON, neither format
        (11, "mixed_format"),  # a chat line in a prompt/completion file
        (12, "invalid_utf8"),  # Latin-1 "é"
        (13, "blank_line"),
        (14, "conflicting_answer"),  # same review as line 2, "2 stars" vs "1 star"
    }
    assert [i.line for i in report.errors] == [9, 10, 11, 12]
    by_line = {i.line: i.message for i in report.issues}
    assert "duplicate of line 1" in by_line[4]
    assert '"Rating: 4"' in by_line[5] and '"5 stars"' in by_line[5]
    assert "byte 0xe9" in by_line[12]
    assert "line 2" in by_line[14]
    assert report.advice[0].severity == "warning" and "fewer than 50" in report.advice[0].message


def test_check_agrees_with_ftcost_tokens():
    """The usable examples and their tokens are those of analyze_dataset (ftcost tokens, scenarios)."""
    for path in (RESENAS, MESSY, CHAT):
        report = dt.check_dataset(path)
        stats = analyze_dataset(path, encoding="o200k_base", max_tokens_per_example=None, allow_empty=True)
        assert (report.examples, report.billable_tokens) == (stats.examples, stats.billable_tokens)
        assert len(report.errors) == stats.invalid_examples


def test_check_chat_tokens_by_openais_method():
    # per example: 3 x (3 + 1 role) + 11 system + user + 2 reply + 3 priming = 28 + user
    # users 8, 6, 5, 9 -> 36 + 34 + 33 + 37 = 140
    report = dt.check_dataset(CHAT)
    assert report.format == records.CHAT
    assert report.tokens == 140
    assert (report.min_tokens, report.max_tokens) == (33, 37)
    assert report.completion_tokens == 8  # 4 replies of 2 tokens


def test_mixed_file_takes_the_first_valid_format(tmp_path):
    chat = {"messages": [{"role": "user", "content": "Review: good"}, {"role": "assistant", "content": "4 stars"}]}
    path = write_jsonl(tmp_path / "mixed.jsonl", ["not json", chat, legacy(1), chat, legacy(2)])
    report = dt.check_dataset(path)
    assert report.format == records.CHAT and report.examples == 2
    assert [(i.line, i.kind) for i in report.errors] == [(1, "not_json"), (3, "mixed_format"), (5, "mixed_format")]
    assert "first one at line 2" in report.errors[1].message


def test_a_file_that_is_not_utf8_reports_each_line_and_no_example(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"prompt": "Reseña: buena", "completion": " 5 estrellas END"}\n'.encode("latin-1") * 3)
    report = dt.check_dataset(path)
    assert report.examples == 0
    assert [(i.line, i.kind) for i in report.errors] == [(1, "invalid_utf8"), (2, "invalid_utf8"), (3, "invalid_utf8")]
    assert report.advice[0].severity == "error" and report.advice[0].message == "no usable examples"


def test_line_that_is_json_but_neither_format(tmp_path):
    path = write_jsonl(tmp_path / "x.jsonl", [{"text": "hello", "label": 1}, [1, 2], '"just a string"'])
    report = dt.check_dataset(path)
    assert [(i.line, i.kind) for i in report.errors] == [(1, "neither_format"), (2, "not_an_object"), (3, "not_an_object")]
    assert "'text', 'label'" in report.errors[0].message


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\x01binary", "binary"),
        (b"\x1f\x8b\x08\x00gzip", "gzip"),
        (b'[{"prompt": "a", "completion": " b"}]\n', "JSON array"),
        (b"", "empty"),
    ],
)
def test_whole_file_problems_are_one_error(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(TokenError, match=message):
        dt.check_dataset(path)


def test_examples_above_the_models_limit(tmp_path, testco):
    long_prompt = "Review: " + "very " * 5000 + "good\n\n###\n\n"
    path = write_jsonl(tmp_path / "long.jsonl", [legacy(1), {"prompt": long_prompt, "completion": " 5 stars END"}, legacy(3)])
    model = testco.resolve("testco/tune")
    report = dt.check_dataset(path, model=model)
    n_long = ntok(long_prompt) + ntok(" 5 stars END")
    assert n_long > 4096
    assert [(i.line, i.kind) for i in report.issues] == [(2, "too_long")]
    assert f"{n_long:,} tokens" in report.issues[0].message and "4,096" in report.issues[0].message
    short = ntok(legacy(1)["prompt"]) + ntok(legacy(1)["completion"])
    assert report.billable_tokens == 2 * short + 4096  # capped at the limit
    # training estimate: 3 examples -> min(25, 100 // 3) = 25 epochs, at $10/1M
    assert report.epochs == 25
    assert report.training_cost == pytest.approx(report.billable_tokens * 25 * 10 / 1e6)


@pytest.mark.parametrize(
    "n, severity, phrase",
    [
        (9, "error", "reject fewer than 10"),
        (10, "warning", "fewer than 50 rarely helps"),
        (49, "warning", "fewer than 50 rarely helps"),
        (50, "note", "low end of the 50 to 100"),
        (99, "note", "low end of the 50 to 100"),
        (100, "note", "few hundred"),
        (199, "note", "few hundred"),
        (200, "ok", "rule of thumb"),
    ],
)
def test_size_advice_thresholds(tmp_path, n, severity, phrase):
    path = write_jsonl(tmp_path / "n.jsonl", [legacy(i) for i in range(n)])
    report = dt.check_dataset(path, encoding="o200k_base")
    size = report.advice[0]
    assert (size.severity, report.examples) == (severity, n)
    assert phrase in size.message


def test_free_form_and_label_answers_are_not_flagged(tmp_path):
    labels = [{"prompt": f"Text {i} ->", "completion": f" {w}\n"} for i, w in enumerate(["positive", "negative", "very positive", "neutral"] * 3)]
    assert dt.check_dataset(write_jsonl(tmp_path / "labels.jsonl", labels)).issues == []
    sentences = [
        {"prompt": f"Question {i}?\n\n###\n\n", "completion": f" Answer {i}: " + "a long, free-form sentence " * (i % 3 + 1) + "END"} for i in range(12)
    ]
    assert dt.check_dataset(write_jsonl(tmp_path / "free.jsonl", sentences)).issues == []


def test_answer_forms():
    assert dt.answer_form("5 stars") == dt.answer_form("1 star") == dt.answer_form("4 estrellas") == "9 a"
    assert dt.answer_form("Rating: 5") == "a: 9"
    assert dt.answer_form("5 stars.") == "9 a."


# --- the rules of convert -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt, text, separator",
    [
        ("Review: good\n\n###\n\n", "Review: good", "\n\n###\n\n"),
        ("Review: good\n###\n", "Review: good", "\n###\n"),
        ("Review: good ->", "Review: good", " ->"),
        ("Review: good -->", "Review: good", " -->"),
        ("Review: good\n", "Review: good", "\n"),
        ("Review: good", "Review: good", ""),
        ("x = a->", "x = a->", ""),  # a marker glued to a word is text
        ("tag###", "tag###", ""),
    ],
)
def test_split_prompt(prompt, text, separator):
    assert dt.split_prompt(prompt) == (text, separator)


@pytest.mark.parametrize(
    "completion, parts",
    [
        (" 5 estrellas END", (" ", "5 estrellas", " END")),
        (" positive\n", (" ", "positive", "\n")),
        (" 4 stars###", (" ", "4 stars###", "")),  # "###" glued to a word is text
        (" 4 stars ###", (" ", "4 stars", " ###")),
        (" 4 stars\n###", (" ", "4 stars", "\n###")),
        (" yes<|endoftext|>", (" ", "yes<|endoftext|>", "")),
        (" yes <|endoftext|>", (" ", "yes", " <|endoftext|>")),
        ("WEEKEND", ("", "WEEKEND", "")),
        ("  indented code\n", (" ", " indented code", "\n")),  # one space only
        (" END", (" ", "", "END")),
    ],
)
def test_split_completion(completion, parts):
    assert dt.split_completion(completion) == parts
    assert "".join(parts) == completion


def test_custom_separator_and_stop():
    assert dt.split_prompt("Q: hi\n---\n", ["\n---\n"]) == ("Q: hi", "\n---\n")
    assert dt.split_completion(" answer<STOP>", ["<STOP>"]) == (" ", "answer", "<STOP>")


# --- convert ------------------------------------------------------------------------------------


def test_convert_the_spanish_reviews(tmp_path):
    before = digest(RESENAS)
    out = tmp_path / "chat.jsonl"
    report = dt.convert_dataset(RESENAS, out, system="Puntúa la reseña de 1 a 5 estrellas.")
    assert (report.converted, report.copied, report.issues) == (3, 0, [])
    assert report.separators == {"\n\n###\n\n": 3} and report.stops == {" END": 3} and report.leads == 3
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {
        "messages": [
            {"role": "system", "content": "Puntúa la reseña de 1 a 5 estrellas."},
            {"role": "user", "content": "Reseña: El envío llegó a tiempo y la batería dura todo el día. Muy contenta con la compra."},
            {"role": "assistant", "content": "5 estrellas"},
        ]
    }
    assert [r["messages"][2]["content"] for r in rows] == ["5 estrellas", "1 estrella", "3 estrellas"]
    assert "Reseña" in out.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    assert digest(RESENAS) == before  # input untouched
    # the output is a valid chat training file
    assert dt.check_dataset(out).format == records.CHAT
    assert analyze_dataset(out, encoding="o200k_base", max_tokens_per_example=None).examples == 3


def test_convert_without_system_and_with_keep_markers(tmp_path):
    out = tmp_path / "a.jsonl"
    dt.convert_dataset(RESENAS, out)
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert [m["role"] for m in first["messages"]] == ["user", "assistant"]
    dt.convert_dataset(RESENAS, out, strip=False)
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["messages"][0]["content"].endswith("\n\n###\n\n") and first["messages"][1]["content"] == " 5 estrellas END"


def test_convert_a_messy_file(tmp_path):
    out = tmp_path / "m.jsonl"
    report = dt.convert_dataset(MESSY, out)
    # 10 prompt/completion lines usable for check; line 6 (" END") is empty once converted; line 11 is chat: copied
    assert (report.converted, report.copied) == (9, 1)
    assert [(i.line, i.kind) for i in report.issues if i.severity == "error"] == [
        (6, "missing_content"),
        (9, "not_json"),
        (10, "neither_format"),
        (12, "invalid_utf8"),
    ]
    lines = out.read_text().splitlines()
    assert len(lines) == 10
    assert lines[7] == MESSY.read_bytes().splitlines()[10].decode()  # the chat line, as it was


def test_convert_refuses_to_overwrite_its_input(tmp_path):
    src = tmp_path / "in.jsonl"
    shutil.copy(RESENAS, src)
    with pytest.raises(OutputError, match="one of the inputs"):
        dt.convert_dataset(src, src)
    assert digest(src) == digest(RESENAS)


def test_convert_with_nothing_usable_leaves_the_old_output(tmp_path):
    bad = write_jsonl(tmp_path / "bad.jsonl", ["nope", {"text": 1}])
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    with pytest.raises(TokenError, match="no usable examples"):
        dt.convert_dataset(bad, out)
    assert out.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "out.jsonl"]  # no temp file left


# --- split --------------------------------------------------------------------------------------


def test_split_is_deterministic_and_complete(tmp_path):
    src = write_jsonl(tmp_path / "d.jsonl", [legacy(i, i % 5 + 1) for i in range(40)])
    before = digest(src)
    a = dt.split_dataset(src, validation=0.1, seed=7, train_out=tmp_path / "a.train.jsonl", validation_out=tmp_path / "a.val.jsonl")
    dt.split_dataset(src, validation=0.1, seed=7, train_out=tmp_path / "b.train.jsonl", validation_out=tmp_path / "b.val.jsonl")
    assert (a.train_examples, a.validation_examples) == (36, 4)  # round(40 x 0.1) = 4
    assert digest(tmp_path / "a.val.jsonl") == digest(tmp_path / "b.val.jsonl")
    assert digest(tmp_path / "a.train.jsonl") == digest(tmp_path / "b.train.jsonl")
    lines = src.read_text().splitlines()
    train = (tmp_path / "a.train.jsonl").read_text().splitlines()
    val = (tmp_path / "a.val.jsonl").read_text().splitlines()
    assert sorted(train + val) == sorted(lines)
    assert train == [x for x in lines if x in set(train)]  # input order kept
    assert digest(src) == before
    other = dt.split_dataset(src, validation=0.1, seed=8, train_out=tmp_path / "c.train.jsonl", validation_out=tmp_path / "c.val.jsonl")
    assert other.validation_examples == 4
    assert (tmp_path / "c.val.jsonl").read_text() != "\n".join(val) + "\n"


def test_split_key_is_pinned():
    # sha256 of "ftcost-split:<seed>\n" + the example's canonical JSON: the same on every machine and Python.
    expected = hashlib.sha256(b'ftcost-split:0\n{"completion":" 5","prompt":"a"}').digest()
    assert dt.split_key(0, {"prompt": "a", "completion": " 5"}) == expected


def test_split_validation_tokens_apart(tmp_path):
    src = write_jsonl(tmp_path / "d.jsonl", [legacy(i) for i in range(20)])
    report = dt.split_dataset(src, validation=0.25, seed=1)
    train, val = default_split_paths(src)
    assert (train.name, val.name) == ("d.train.jsonl", "d.validation.jsonl")
    t = analyze_dataset(train, encoding="o200k_base", max_tokens_per_example=None)
    v = analyze_dataset(val, encoding="o200k_base", max_tokens_per_example=None)
    assert (report.train_examples, report.validation_examples) == (t.examples, v.examples) == (15, 5)
    assert (report.train_tokens, report.validation_tokens) == (t.billable_tokens, v.billable_tokens)
    d = report.to_dict()
    assert d["validation"]["billed"] is False and d["train"]["billed"] is True


def test_split_keeps_duplicates_together_and_skips_bad_lines(tmp_path):
    rows = [legacy(i) for i in range(10)] + [legacy(3)] * 3 + ["not json"]
    src = write_jsonl(tmp_path / "d.jsonl", rows)
    for seed in range(10):
        report = dt.split_dataset(src, validation=0.3, seed=seed)
        train, val = default_split_paths(src)
        assert not set(train.read_text().splitlines()) & set(val.read_text().splitlines())
        assert report.train_examples + report.validation_examples == 13
        assert [(i.line, i.kind) for i in report.issues] == [(14, "not_json")]


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5])
def test_split_rejects_a_bad_fraction(tmp_path, fraction):
    with pytest.raises(TokenError, match="fraction between 0 and 1"):
        dt.split_dataset(RESENAS, validation=fraction, train_out=tmp_path / "t.jsonl", validation_out=tmp_path / "v.jsonl")


def test_split_refuses_to_overwrite_input_or_one_example(tmp_path):
    src = tmp_path / "in.jsonl"
    shutil.copy(RESENAS, src)
    with pytest.raises(OutputError):
        dt.split_dataset(src, train_out=src)
    with pytest.raises(OutputError):
        dt.split_dataset(src, train_out=tmp_path / "t.jsonl", validation_out=tmp_path / "t.jsonl")
    one = write_jsonl(tmp_path / "one.jsonl", [legacy(1)])
    with pytest.raises(TokenError, match="one usable example"):
        dt.split_dataset(one)
    assert digest(src) == digest(RESENAS)


# --- savings ------------------------------------------------------------------------------------


def test_savings_on_the_spanish_reviews(testco):
    model = testco.resolve("testco/tune")
    s = dt.measure_savings(FEWSHOT_ES, RESENAS, model)
    assert (s.examples, s.format) == (3, records.LEGACY)
    assert s.prompt_tokens == 102
    # fine-tuned input: the prompts' own tokens, (25 + 22 + 18) / 3 = 21.67; completions 4 each
    assert s.tuned_input_tokens == pytest.approx(65 / 3)
    assert s.completion_tokens == s.tuned_completion_tokens == 4
    # few-shot input: 102 + 21.67 = 123.67, so 102 tokens saved per request
    assert s.few_shot_input_tokens == pytest.approx(102 + 65 / 3)
    assert s.saved_input_tokens == pytest.approx(102)
    assert s.request_blocks() == {
        "prompt": {"prompt_tokens": 102, "input_tokens": 21.7, "completion_tokens": 4},
        "fine_tuned": {"input_tokens": 21.7, "completion_tokens": 4},
    }


def test_savings_on_chat_examples(testco):
    s = dt.measure_savings(FEWSHOT_EN, CHAT, testco.resolve("testco/tune"))
    # request = system + user, OpenAI's way: (3 + 1 + 11) + (3 + 1 + user) + 3 = 22 + user
    # users 8, 6, 5, 9 -> 30, 28, 27, 31, mean 29; reply "N stars" 2 tokens
    assert s.tuned_input_tokens == 29
    assert s.completion_tokens == 2
    assert s.few_shot_input_tokens == 43 + 29


def test_savings_scenario_runs_with_compare(tmp_path, testco):
    cat = tmp_path / "catalogs"
    cat.mkdir()
    shutil.copy(FIXTURES / "testco.yaml", cat / "testco.yaml")
    (tmp_path / "data").mkdir()
    for f in (RESENAS, FEWSHOT_ES):
        shutil.copy(f, tmp_path / "data" / f.name)
    (tmp_path / "plans").mkdir()
    out = tmp_path / "plans" / "plan.yaml"
    s = dt.measure_savings(tmp_path / "data" / "fewshot_es.txt", tmp_path / "data" / "resenas.jsonl", testco.resolve("testco/tune"))
    dt.write_savings_scenario(s, out, volume=250_000, horizon_months=24)
    text = out.read_text(encoding="utf-8")
    assert 'dataset: "../data/resenas.jsonl"' in text
    assert 'prompt_file: "../data/fewshot_es.txt"' in text
    sc = load_scenario(out, pricing_dirs=[cat])
    few, tuned = sc.strategies
    assert (few.type, tuned.type) == ("prompt", "fine_tuned")
    assert few.prompt_tokens == 102 and few.input_tokens == 21.7 and few.completion_tokens == 4
    assert tuned.prompt_tokens == 0 and tuned.input_tokens == 21.7
    # training block from the dataset: 77 billable tokens (25+4 + 22+4 + 18+4), 3 examples -> 25 epochs
    assert (tuned.training.tokens, tuned.training.examples, tuned.training.epochs) == (77, 3, 25)
    assert (sc.requests_per_month, sc.horizon_months, sc.baseline_name) == (250_000, 24, "few-shot prompt")
    result = ftcost.compare(out, pricing_dirs=[cat])
    assert [r.name for r in result.strategies] == ["few-shot prompt", "fine-tuned"]
    d = result.to_dict()
    # testco tune-1: prompt on the base input price $2/1M, output $8/1M:
    # (102 + 21.7) x 2 / 1e6 + 4 x 8 / 1e6 = 0.0002474 + 0.000032 = 0.0002794
    assert d["strategies"][0]["cost_per_request"] == pytest.approx((123.7 * 2 + 4 * 8) / 1e6)
    # fine-tuned at $3 in / $12 out: 21.7 x 3 / 1e6 + 4 x 12 / 1e6 = 0.0001131
    assert d["strategies"][1]["cost_per_request"] == pytest.approx((21.7 * 3 + 4 * 12) / 1e6)


def test_savings_with_bundled_catalog_and_another_tuned_model(tmp_path):
    cats = Catalogs.load(None)
    model = cats.resolve("openai/gpt-4o-mini")
    shutil.copy(CHAT, tmp_path / "train.jsonl")
    shutil.copy(FEWSHOT_EN, tmp_path / "fewshot.txt")
    s = dt.measure_savings(tmp_path / "fewshot.txt", tmp_path / "train.jsonl", model)
    out = tmp_path / "plan.yaml"
    dt.write_savings_scenario(s, out)
    assert 'dataset: "train.jsonl"' in out.read_text()
    assert ftcost.compare(out).to_dict()["strategies"][1]["training_runs"] == 1


def test_savings_refuses_bad_models_and_outputs(tmp_path, testco):
    with pytest.raises(TokenError, match="no fine-tuning"):
        dt.measure_savings(FEWSHOT_ES, RESENAS, testco.resolve("testco/base"))
    with pytest.raises(TokenError, match="no encoding"):
        dt.measure_savings(FEWSHOT_ES, RESENAS, testco.resolve("testco/rft-1"))
    s = dt.measure_savings(FEWSHOT_ES, RESENAS, testco.resolve("testco/tune"))
    with pytest.raises(OutputError, match="unknown output type"):
        dt.write_savings_scenario(s, tmp_path / "plan.txt")
    bad = write_jsonl(tmp_path / "bad.jsonl", ["nope"])
    with pytest.raises(TokenError, match="no usable examples"):
        dt.measure_savings(FEWSHOT_ES, bad, testco.resolve("testco/tune"))


# --- odd lines never crash convert, split or savings ---------------------------------------------

ODD_LINES = [
    '{"prompt": "a \\ud800 b", "completion": " 5 END"}',  # a lone surrogate escape: valid JSON, not encodable as UTF-8
    "[" * 100_000 + "]" * 100_000,  # nested too deep for the JSON parser
    '{"prompt": 1' + "0" * 5000 + ', "completion": " x"}',  # an integer over Python's digit limit
    '{"prompt": NaN, "completion": " x"}',
    '{"messages": "nope"}',
    '{"messages": [1, 2]}',
    '{"prompt": "ok\\n\\n###\\n\\n", "completion": " 5 stars END"}',
    '{"prompt": "fine\\n\\n###\\n\\n", "completion": " 4 stars END"}',
]


def test_odd_lines(tmp_path, testco):
    src = write_jsonl(tmp_path / "odd.jsonl", ODD_LINES)
    out = tmp_path / "chat.jsonl"
    report = dt.convert_dataset(src, out)
    assert report.converted == 3
    assert [i.line for i in report.issues] == [2, 3, 4, 5, 6]
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["messages"][0]["content"] == "a \ud800 b"
    split = dt.split_dataset(src, validation=0.34, seed=0)
    assert (split.train_examples, split.validation_examples) == (2, 1)
    s = dt.measure_savings(FEWSHOT_EN, src, testco.resolve("testco/tune"))
    assert s.examples == 3
