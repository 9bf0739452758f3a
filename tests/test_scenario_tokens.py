"""Scenarios count tokens: request.prompt_file, request.messages and training.dataset (the TOKENS-HOOK).

Expected counts come from tiktoken directly (tests/tiktoken_reference.py), never
from ftcost.tokens; the testco catalog (tests/fixtures/testco.yaml) gives
base-1 and tune-1 the o200k_base encoding, tune-1 a 4,096-token cap and a
training price of 10.00 per 1M tokens.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tiktoken_reference import reference_count_messages, reference_encoding

from ftcost.api import compare
from ftcost.errors import FtcostError
from ftcost.scenario import load_scenario

FIXTURES = Path(__file__).parent / "fixtures"

SCENARIO = """
ftcost: 1
name: Counted scenario
start: 2027-01
volume:
  requests_per_month: 100000
pricing: [catalogs/testco.yaml]
strategies:
  - name: prompt from file
    type: prompt
    model: testco/base-1
    request:
      prompt_file: prompt.txt
      input_tokens: 100
      completion_tokens: 2
  - name: prompt from messages
    type: prompt
    model: testco/base-1
    request:
      messages:
        - {role: system, content: "Rate the review from 1 to 5 stars."}
        - {role: user, content: "Great value, fast delivery.", name: example_user}
        - {role: assistant, content: "5"}
      input_tokens: 100
      completion_tokens: 2
  - name: tuned
    type: fine_tuned
    model: testco/tune-1
    request: {prompt_tokens: 20, input_tokens: 100, completion_tokens: 2}
    training:
      dataset: data.jsonl
      epochs: auto
"""

MESSAGES = [
    {"role": "system", "content": "Rate the review from 1 to 5 stars."},
    {"role": "user", "content": "Great value, fast delivery.", "name": "example_user"},
    {"role": "assistant", "content": "5"},
]


@pytest.fixture
def scenario_dir(write_scenario, tmp_path):
    shutil.copy(FIXTURES / "tokens_prompt.txt", tmp_path / "prompt.txt")
    shutil.copy(FIXTURES / "tokens_chat.jsonl", tmp_path / "data.jsonl")
    return write_scenario(SCENARIO)


def chat_counts(path: Path) -> list[int]:
    return [reference_count_messages(json.loads(line)["messages"], "o200k_base") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_counts_come_from_files_and_messages(scenario_dir):
    sc = load_scenario(scenario_dir)
    by_name = {s.name: s for s in sc.strategies}
    prompt_text = (FIXTURES / "tokens_prompt.txt").read_text(encoding="utf-8")
    assert by_name["prompt from file"].prompt_tokens == len(reference_encoding("o200k_base").encode_ordinary(prompt_text))
    assert by_name["prompt from messages"].prompt_tokens == reference_count_messages(MESSAGES, "o200k_base")
    t = by_name["tuned"].training
    counts = chat_counts(FIXTURES / "tokens_chat.jsonl")
    assert t.tokens == sum(min(c, 4096) for c in counts)
    assert t.examples == 5
    assert (t.epochs, t.epochs_auto) == (20, True)  # 5 examples: min(25, 100 // 5) = 20


def test_compare_output_says_where_counts_came_from(scenario_dir):
    d = compare(scenario_dir).to_dict()
    src = {s["name"]: s["token_sources"] for s in d["strategies"]}
    assert src["prompt from file"]["prompt_tokens"].startswith("prompt_file prompt.txt")
    assert "o200k_base" in src["prompt from file"]["prompt_tokens"]
    assert src["prompt from messages"]["prompt_tokens"].startswith("messages (3 messages")
    assert src["tuned"]["training_tokens"].startswith("dataset data.jsonl (5 examples")
    tuned = next(s for s in d["strategies"] if s["name"] == "tuned")
    billable = sum(min(c, 4096) for c in chat_counts(FIXTURES / "tokens_chat.jsonl"))
    # one training run: tokens x epochs x 10.00 per 1M (testco tune-1)
    assert tuned["training_cost"] == pytest.approx(billable * 20 * 10.00 / 1e6, rel=1e-12)


def test_dataset_examples_above_the_cap_are_billed_at_the_cap(write_scenario, tmp_path):
    shutil.copy(FIXTURES / "tokens_prompt.txt", tmp_path / "prompt.txt")
    long_ex = {"messages": [{"role": "user", "content": "word " * 5000}, {"role": "assistant", "content": "ok"}]}
    rows = [json.loads(line) for line in (FIXTURES / "tokens_chat.jsonl").read_text(encoding="utf-8").splitlines()] + [long_ex]
    (tmp_path / "data.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    sc = load_scenario(write_scenario(SCENARIO))
    t = next(s for s in sc.strategies if s.name == "tuned").training
    counts = chat_counts(tmp_path / "data.jsonl")
    assert max(counts) > 4096
    assert t.tokens == sum(min(c, 4096) for c in counts)


def test_invalid_dataset_lines_are_skipped_and_said(write_scenario, tmp_path):
    shutil.copy(FIXTURES / "tokens_prompt.txt", tmp_path / "prompt.txt")
    shutil.copy(FIXTURES / "tokens_malformed.jsonl", tmp_path / "data.jsonl")
    d = compare(write_scenario(SCENARIO)).to_dict()
    tuned = next(s for s in d["strategies"] if s["name"] == "tuned")
    assert "12 invalid lines skipped" in tuned["token_sources"]["training_tokens"]


@pytest.mark.parametrize(
    "setup, match",
    [
        (lambda d: None, "not found"),  # no data.jsonl at all
        (lambda d: (d / "data.jsonl").write_text("not json\n"), "no valid training example"),
        (lambda d: (d / "data.jsonl").write_bytes(b""), "empty"),
        (lambda d: (d / "data.jsonl").write_text('[{"prompt": "a", "completion": "b"}]'), "JSON array"),
        (lambda d: (d / "data.jsonl").mkdir(), "directory"),
    ],
)
def test_bad_dataset_is_a_located_scenario_error(write_scenario, tmp_path, setup, match):
    shutil.copy(FIXTURES / "tokens_prompt.txt", tmp_path / "prompt.txt")
    setup(tmp_path)
    path = write_scenario(SCENARIO)
    with pytest.raises(FtcostError, match=match) as info:
        load_scenario(path)
    err = info.value
    assert err.file == str(path) and err.line is not None
    assert "strategies[2].training.dataset" in str(err)


def test_bad_messages_are_a_located_scenario_error(write_scenario, tmp_path):
    shutil.copy(FIXTURES / "tokens_prompt.txt", tmp_path / "prompt.txt")
    shutil.copy(FIXTURES / "tokens_chat.jsonl", tmp_path / "data.jsonl")
    text = SCENARIO.replace('{role: assistant, content: "5"}', '{role: robot, content: "5"}')
    with pytest.raises(FtcostError, match="unknown role 'robot'") as info:
        load_scenario(write_scenario(text))
    assert "strategies[1].request.messages" in str(info.value)


def test_missing_prompt_file_is_a_located_scenario_error(write_scenario, tmp_path):
    shutil.copy(FIXTURES / "tokens_chat.jsonl", tmp_path / "data.jsonl")
    with pytest.raises(FtcostError, match="not found") as info:
        load_scenario(write_scenario(SCENARIO))
    assert "strategies[0].request.prompt_file" in str(info.value)
