"""Issue 18: ``pricing import litellm`` on hostile files, and a catalog limit it cannot set off.

Every case is a located error (exit 2) or a catalog ftcost itself reads; nothing is written on error.
"""

from __future__ import annotations

import json

import fuzz_support as fz
import pytest

from ftcost.catalogs.litellm import MAX_INPUT_BYTES, MAX_JSON_DEPTH
from ftcost.yamlsrc import MAX_YAML_BYTES


def row(i: int, provider: str = "openai") -> dict:
    return {
        "litellm_provider": provider,
        "mode": "chat",
        "input_cost_per_token": 1.5e-07 + i * 1e-9,
        "output_cost_per_token": 6e-07,
        "max_input_tokens": 128000,
        "deprecation_date": "2027-01-14",
        "deprecation_source": "https://example.com/" + "d" * 40,
    }


def run(args, code):
    rc, out, err = fz.cli(args)
    fz.check_cli(rc, out, err)
    assert rc == code, (rc, out[-1000:], err[-1000:])
    return out, err


def test_deeply_nested_json_is_located(tmp_path):
    src = tmp_path / "deep.json"
    src.write_text('{"gpt-x": {"litellm_provider": "openai",\n "mode": ' + "[" * 5000 + "]" * 5000 + "}}")
    _, err = run(["pricing", "import", "litellm", str(src), "-o", str(tmp_path / "out")], 2)
    assert err.startswith(f"Error: {src}:2:") and f"more than {MAX_JSON_DEPTH} levels" in err
    assert not (tmp_path / "out").exists()


def test_integer_of_5000_digits_is_located(tmp_path):
    src = tmp_path / "bigint.json"
    src.write_text('{\n"gpt-x": {"litellm_provider": "openai", "mode": "chat",\n"input_cost_per_token": ' + "7" * 5000 + "}}")
    _, err = run(["pricing", "import", "litellm", str(src), "-o", str(tmp_path / "out")], 2)
    assert err.startswith(f"Error: {src}:3:25:") and "5,000 digits" in err


def test_huge_numbers_that_parse_are_left_out_with_a_warning(tmp_path):
    # 400 digits: json.loads reads it, a float cannot hold it; 1e10 per token is 1e16 per 1M, over 1e15
    src = tmp_path / "huge.json"
    r = row(0)
    r["input_cost_per_token"] = 10**400
    r["max_input_tokens"] = 10**400
    r2 = row(1)
    r2["output_cost_per_token"] = 1e10
    src.write_text(json.dumps({"gpt-x": r, "gpt-y": r2}))
    out_dir = tmp_path / "out"
    _, err = run(["pricing", "import", "litellm", str(src), "-o", str(out_dir)], 0)
    assert "left out" in err
    run(["pricing", "check", str(out_dir / "openai.yaml")], 0)  # what was written loads
    text = (out_dir / "openai.yaml").read_text()
    assert "context_window" not in text.split("gpt-y")[0] and "9" * 30 not in text and "1e+16" not in text


def test_catalog_over_the_size_limit_is_refused_before_writing(tmp_path):
    # ~6,000 rows with long deprecation sources make one openai catalog of several MB, over the 1 MB limit
    src = tmp_path / "many.json"
    data = {f"gpt-{i}": row(i) for i in range(6000)}
    data.update({f"mistral/m-{i}": row(i, "mistral") for i in range(10)})
    src.write_text(json.dumps(data))
    out_dir = tmp_path / "out"
    _, err = run(["pricing", "import", "litellm", str(src), "-o", str(out_dir)], 2)
    assert "the openai catalog would be" in err and f"over the {MAX_YAML_BYTES:,}-byte limit" in err
    assert "--provider" in err and "6,000 models" in err
    assert not out_dir.exists()
    # the way out the hint gives works, and its catalog loads
    run(["pricing", "import", "litellm", str(src), "-o", str(out_dir), "--provider", "mistral"], 0)
    run(["pricing", "check", str(out_dir / "mistral.yaml")], 0)


def test_input_over_the_cap_is_refused(tmp_path):
    src = tmp_path / "big.json"
    with open(src, "wb") as fh:
        fh.write(b'{"x": "')
        fh.seek(MAX_INPUT_BYTES + 10)
        fh.write(b'"}')
    _, err = run(["pricing", "import", "litellm", str(src), "-o", str(tmp_path / "out")], 2)
    assert f"over {MAX_INPUT_BYTES:,} bytes" in err and "model_prices_and_context_window.json is about 3.5 MB" in err


def test_gzipped_input_over_the_cap_once_decompressed_is_refused(tmp_path):
    import gzip

    src = tmp_path / "big.json.gz"
    with gzip.open(src, "wb") as fh:  # 33 MB of JSON in a gzip file of about 33 KB
        fh.write(b'{"x": "' + b"a" * (MAX_INPUT_BYTES + 10) + b'"}')
    _, err = run(["pricing", "import", "litellm", str(src), "-o", str(tmp_path / "out")], 2)
    assert f"over {MAX_INPUT_BYTES:,} bytes once decompressed" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", [0, -1])
def test_max_tokens_per_example_below_one_is_refused_by_pricing_check(tmp_path, value):
    text = (fz.FIXTURES / "testco.yaml").read_text().replace("max_tokens_per_example: 4096", f"max_tokens_per_example: {value}")
    cat = tmp_path / "testco.yaml"
    cat.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "max_tokens_per_example" in t)
    _, err = run(["pricing", "check", str(cat)], 2)
    assert f"{cat}:{line}:" in err and "max_tokens_per_example" in err
