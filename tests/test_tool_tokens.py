"""Tool (function) definitions in chat training data are billed, so they are counted (issue 12 item 2; audit finding 2).

Method: OpenAI cookbook "How to count tokens with tiktoken", num_tokens_for_tools(): func_init 7 (gpt-4o family,
o200k_base) or 10 (gpt-3.5-turbo / gpt-4, cl100k_base), prop_init 3, prop_key 3, enum_init -3, enum_item 3,
func_end 12, plus the tokens of "name:description" and "name:type:description" (a trailing "." dropped).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ftcost.data.analyze import analyze_dataset
from ftcost.tokens import count_messages, count_text
from ftcost.tokens.tools import ToolsError, count_tools

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WEATHER = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather in a given location",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                    "unit": {"type": "string", "description": "The unit of temperature to return", "enum": ["celsius", "fahrenheit"]},
                },
                "required": ["location"],
            },
        },
    }
]
WEATHER_MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant that can answer to questions about the weather."},
    {"role": "user", "content": "What's the weather like in San Francisco?"},
]


@pytest.mark.parametrize("encoding, published", [("o200k_base", 101), ("cl100k_base", 105)])
def test_the_cookbooks_own_example(encoding, published):
    # The cookbook prints, for its weather tool and these two messages, 101 prompt tokens for gpt-4o / gpt-4o-mini
    # and 105 for gpt-3.5-turbo / gpt-4, "counted by num_tokens_for_tools()" and equal to the API's usage.
    tools = count_tools(WEATHER, None, encoding, lambda t: count_text(t, encoding))
    assert tools.tokens + count_messages(WEATHER_MESSAGES, encoding) == published


def _expected():
    # Hand count of tests/fixtures/function_calling.jsonl (o200k_base; token counts of the strings in brackets):
    # line 1: messages 3 + (3 + 1 + 6 ["You are a support agent."]) + (3 + 1 + 8 ["Where is order A-1042?"])
    #         + (3 + 1 + 4 ["It shipped yesterday."]) = 33;
    #         tools 7 + 9 ["lookup_order:Find an order by its number"] + 3 + 3 + 14 ["order_id:string:The order number,
    #         e.g. A-1042"] + 12 = 48; example 81.
    # line 2: messages 3 + 10 + (3 + 1 + 13 ["I want a refund for A-7, it arrived broken."]) + (3 + 1 + 3 ["Refund
    #         started."]) = 37; tools: lookup_order 7 + 9 + 3 + 3 + 14 = 36; refund 7 + 5 ["refund:Refund an order"]
    #         + 3 + (3 + 7 ["order_id:string:The order to refund"]) + (3 - 3 + (3 + 2 ["damaged"]) + (3 + 1 ["late"])
    #         + (3 + 1 ["other"]) + 4 ["reason:string:Why"]) = 42; + 12 once = 90; example 127.
    # line 3 (legacy "functions"): messages 3 + 12 + 8 = 23; tools 7 + 6 ["tag_order:Tag an order"] + 3 + 3
    #         + 7 ["tags:array:Tags to add"] + 12 = 38 ("items" is not counted by the method: a warning); example 61.
    return {"examples": 3, "tool_tokens": 48 + 90 + 38, "total": 81 + 127 + 61}


def test_function_calling_fixture_against_hand_counts():
    s = analyze_dataset(FIXTURES / "function_calling.jsonl", encoding="o200k_base", max_tokens_per_example=None, workers=0)
    e = _expected()
    assert (s.examples, s.tool_tokens, s.total_tokens, s.billable_tokens) == (e["examples"], 176, 269, 269)
    assert s.examples_with_tools == 3 and s.tools_not_counted == 1
    assert s.to_dict()["tool_tokens"] == 176
    (w,) = [w for w in s.warnings() if "tool definitions" in w]
    assert "line 3: functions[0].parameters.properties.tags.items" in w and "lower bound" in w


def test_without_tools_counting_would_understate():
    # The same three examples without their tools: 269 - 176 = 93 tokens, about a third of what is billed.
    s = analyze_dataset(FIXTURES / "function_calling.jsonl", encoding="o200k_base", max_tokens_per_example=None, workers=0)
    assert s.total_tokens - s.tool_tokens == 33 + 37 + 23


def test_unreadable_tools_are_invalid_lines_with_their_reason():
    s = analyze_dataset(FIXTURES / "function_calling_bad.jsonl", encoding="o200k_base", max_tokens_per_example=None, workers=0, allow_empty=True)
    e = s.errors["invalid_tools"]
    assert (s.examples, e.count, e.first_lines) == (1, 2, [2, 3])
    assert e.first_detail == "line 2: tools[0].function.name: is missing"


@pytest.mark.parametrize(
    "tools, path",
    [
        ("x", "tools"),
        (["x"], "tools[0]"),
        ([{"type": "function"}], "tools[0].function"),
        ([{"type": "function", "function": {"name": 3}}], "tools[0].function.name"),
        (
            [{"type": "function", "function": {"name": "f", "parameters": {"properties": {"a": {"type": "string", "enum": "x"}}}}}],
            "tools[0].function.parameters.properties.a.enum",
        ),
    ],
)
def test_tools_error_names_where(tools, path):
    with pytest.raises(ToolsError) as e:
        count_tools(tools, None, "o200k_base", len)
    assert e.value.path == path


def test_other_tool_types_are_reported_not_dropped():
    c = count_tools([{"type": "code_interpreter"}], None, "o200k_base", len)
    assert c.tokens == 0 and c.uncounted == ["tools[0]"]


def test_tokens_and_data_check_report_tool_tokens(cli):
    rc, out, err = cli("tokens", FIXTURES / "function_calling.jsonl", "--model", "openai/gpt-4o-mini")
    assert rc == 0 and "tool definitions         176 tokens in 3 example(s)" in out
    rc, out, err = cli("tokens", FIXTURES / "function_calling.jsonl", "--model", "openai/gpt-4o-mini", "--format", "json")
    assert json.loads(out)["tool_tokens"] == 176
    rc, out, err = cli("data", "check", FIXTURES / "function_calling.jsonl", "--model", "openai/gpt-4o-mini")
    assert "Tool definitions: 176 tokens in 3 examples" in out
    rc, out, err = cli("data", "check", FIXTURES / "function_calling.jsonl", "--model", "openai/gpt-4o-mini", "--format", "json")
    assert json.loads(out)["tool_tokens"] == 176


def test_scenario_refuses_a_training_file_whose_tools_cannot_be_read(cli, tmp_path):
    scen = tmp_path / "s.yaml"
    scen.write_text(
        "ftcost: 1\nname: tools\nstart: 2026-12\nvolume: {requests_per_month: 1000}\npricing: [openai]\nstrategies:\n"
        "  - {name: p, type: prompt, model: openai/gpt-4o-mini, request: {prompt_tokens: 100}}\n"
        "  - name: tuned\n    type: fine_tuned\n    model: openai/gpt-4o-mini\n    request: {prompt_tokens: 10}\n"
        f"    training: {{dataset: {FIXTURES / 'function_calling_bad.jsonl'}}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    rc, stdout, err = cli("export", scen, "-o", out)
    assert rc == 2 and not out.exists()
    assert "s.yaml:12:" in err and "strategies[1].training.dataset" in err and "tools[0].function.name: is missing" in err
