"""Fuzzing scenario files: hostile, broken and odd input always ends cleanly.

Targets (2,000 cases each in CI; FTCOST_FUZZ_EXAMPLES scales them):

* ``scenario.mutated``: the shipped scenarios and one that uses every feature,
  with keys deleted, renamed and added, values of the wrong type, huge, tiny,
  NaN and inf numbers, unicode, deep nesting, repeated lists;
* ``scenario.damaged``: the same files damaged as bytes (truncated, invalid
  UTF-8, NUL, BOM, CRLF, stray YAML syntax, tags);
* ``scenario.random_yaml``: random YAML documents and random YAML-ish text;
* ``scenario.bombs``: alias ("billion laughs") and merge-key bombs;
* ``scenario.cli`` (a few hundred): mutated scenarios through the real
  ``ftcost`` entry point, checking exit codes and stderr.

Each case ends in a valid result or a clean FtcostError naming the file and
line:column (tests/fuzz_support.py says exactly what is checked).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import textwrap

import fuzz_support as fz
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ftcost import scenario as scn
from ftcost.api import compare
from ftcost.yamlsrc import MAX_DEPTH, MAX_NODES

SHIPPED = sorted((fz.REPO / "scenarios").glob("*.yaml"))

RICH = textwrap.dedent("""\
    ftcost: 1
    name: Everything at once
    description: every feature of the format, for the fuzzers
    currency: USD
    exchange_rate: {EUR: 1.1, source: test, as_of: 2026-11-25}
    horizon_months: 18
    start: 2027-01                # before gpt-4o-mini retires (2027-01-14): a retired model is refused (issue 12)
    volume: {requests_per_month: 2000000, growth_per_month: 0.05}
    pricing: [openai, azure-openai, catalogs/testco.yaml, catalogs/eurco.yaml]
    baseline: prompt file
    strategies:
      - name: prompt file
        type: prompt
        model: openai/gpt-4o-mini
        request: {prompt_file: prompt.txt, input_tokens: 100, cached_prompt_tokens: 0, completion_tokens: 5}
        batch_share: 0.5
        quality: {error_rate: 0.02, cost_per_error: 0.01}
      - name: messages
        type: prompt
        model: testco/base
        request:
          messages: [{role: system, content: "Rate the review."}, {role: user, content: "Great!"}]
          input_tokens: 50
          completion_tokens: 2
        price_change_per_month: -0.02
      - name: euro
        type: prompt
        model: eurco/euro-1
        request: {prompt_tokens: 500, completion_tokens: 5}
      - name: tuned testco
        type: fine_tuned
        model: testco/tune
        request: {prompt_tokens: 30, input_tokens: 100, cached_prompt_tokens: 20, completion_tokens: 5}
        training:
          tokens: 300000
          examples: 1000
          epochs: auto
          retrain_every_months: 4
          one_time_cost: 500
          data_generation: {examples: 1000, input_tokens: 300, output_tokens: 20, model: openai/gpt-4o-mini}
        hosting: {per_hour: 0.5, hours_per_month: 700, deployments: 2}
        fixed_monthly_cost: 10
        prices: {training: 12, batch_discount: 0.4}
        quality: {error_rate: 0.01, cost_per_error: 0.01}
      - name: own gpu
        type: self_hosted
        request: {prompt_tokens: 30, input_tokens: 100, completion_tokens: 5}
        serving: {gpu_per_hour: 2.5, gpus_per_replica: 1, requests_per_second: 5, target_utilization: 0.6, min_replicas: 1}
        training: {tokens: 300000, examples: 1000, epochs: 2, gpu_hours: 4, gpu_per_hour: 3}
      - name: own gpu tps
        type: self_hosted
        request: {prompt_tokens: 30, input_tokens: 100, completion_tokens: 5}
        serving: {gpu_per_hour: 2.5, input_tokens_per_second: 5000, output_tokens_per_second: 200, min_replicas: 0}
    """)

KNOWN_KEYS = sorted(
    set(
        scn.SCENARIO_KEYS
        + scn.VOLUME_KEYS
        + scn.STRATEGY_KEYS
        + scn.SERVING_KEYS
        + scn.QUALITY_KEYS
        + scn.DATA_GENERATION_KEYS
        + scn.REQUEST_KEYS
        + scn.TRAINING_KEYS
        + scn.HOSTING_KEYS
        + scn.PRICE_OVERRIDE_KEYS
        + ("role", "content", "source", "as_of", "EUR", "USD")
    )
)
KNOWN_VALUES = [
    "prompt",
    "fine_tuned",
    "self_hosted",
    "auto",
    "openai/gpt-4o-mini",
    "azure-openai/gpt-4.1-nano",
    "azure-openai/gpt-4.1-mini",
    "testco/tune",
    "testco/base",
    "testco/rft-1",
    "testco/closing-1",
    "eurco/euro-1",
    "prompt.txt",
    "fifo",
    "catalogs",
    "/dev/zero",
    "few-shot prompt",
    "prompt file",
    "messages",
]


def _datasets_ready() -> bool:
    try:
        from ftcost.data import analyze  # noqa: F401
    except ImportError:
        return False
    return hasattr(analyze, "analyze_dataset")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder with the fixture catalogs, a prompt file, a FIFO, a sub-folder and a small dataset."""
    d = tmp_path_factory.mktemp("fuzz_scenario")
    (d / "catalogs").mkdir()
    for f in fz.FIXTURES.glob("*.yaml"):
        shutil.copy(f, d / "catalogs" / f.name)
    (d / "prompt.txt").write_text("You rate reviews from 1 to 5 stars. Answer with one digit.\n", encoding="utf-8")
    os.mkfifo(d / "fifo")
    (d / "train.jsonl").write_text('{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "5"}]}\n' * 3, encoding="utf-8")
    (d / "bad.jsonl").write_bytes(b'{"messages": [\n\xff\xfe\n')
    (d / "rich.yaml").write_text(RICH, encoding="utf-8")
    return d


def _bases(workdir) -> list[dict]:
    bases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in SHIPPED]
    rich = yaml.safe_load(RICH)
    if _datasets_ready():
        # the tuned strategy counts its training set from a JSONL file
        t = rich["strategies"][3]["training"]
        t.pop("tokens")
        t.pop("examples", None)  # the dataset's own count (a different training.examples is refused, issue 12)
        t["dataset"] = "train.jsonl"
    bases.append(rich)
    return bases


def _raw_bases(workdir) -> list[bytes]:
    return [p.read_bytes() for p in SHIPPED] + [RICH.encode()]


def test_bases_are_valid(workdir):
    """The starting points themselves load and compare (so mutations start from something real)."""
    for i, doc in enumerate(_bases(workdir)):
        p = workdir / f"base{i}.yaml"
        p.write_text(fz.dump_yaml(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        r = fz.run_case("scenario.bases", lambda p=p: compare(p, today=fz.TODAY), files={str(p): True})
        assert not isinstance(r, Exception), r


def _compare_file(target: str, path) -> object:
    return fz.run_case(target, lambda: compare(path, today=fz.TODAY), files={str(path): True})


def test_fuzz_mutated_scenarios(workdir):
    bases = _bases(workdir)
    path = workdir / "scenario.yaml"

    @fz.fuzz()
    @given(fz.mutated(bases, KNOWN_KEYS, KNOWN_VALUES))
    def case(doc):
        path.write_text(fz.dump_yaml(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        _compare_file("scenario.mutated", path)

    before = fz.COUNTS["scenario.mutated"]
    case()
    assert fz.COUNTS["scenario.mutated"] - before >= fz.EXAMPLES


def test_fuzz_damaged_scenarios(workdir):
    raws = _raw_bases(workdir)
    path = workdir / "damaged.yaml"

    @fz.fuzz()
    @given(st.sampled_from(raws), fz.byte_mutations())
    def case(raw, ops):
        path.write_bytes(fz.damage(raw, ops))
        _compare_file("scenario.damaged", path)

    before = fz.COUNTS["scenario.damaged"]
    case()
    assert fz.COUNTS["scenario.damaged"] - before >= fz.EXAMPLES


_yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12), st.sampled_from(fz.EDGE_NUMBERS + fz.EDGE_TEXT))
_yaml_trees = st.recursive(
    _yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=8)), children, max_size=5)
    ),
    max_leaves=25,
)
_yaml_chars = st.text(alphabet=st.sampled_from(list("ab01.-: \n\t[]{},&*!|>'\"#%@`?<=~\\/é🙂\r")), max_size=200)


def test_fuzz_random_yaml(workdir):
    path = workdir / "random.yaml"

    @fz.fuzz()
    @given(
        st.one_of(
            _yaml_trees.map(lambda t: fz.dump_yaml(t, allow_unicode=True)),
            # a random tree under a valid header, so the checker goes deeper than the first key
            _yaml_trees.map(lambda t: "ftcost: 1\nname: x\n" + fz.dump_yaml({"volume": t} if not isinstance(t, dict) else t, allow_unicode=True)),
            _yaml_chars,
            _yaml_chars.map(lambda s: "ftcost: 1\nname: x\nvolume: {requests_per_month: 1}\nstrategies:\n  - " + s),
        )
    )
    def case(text):
        path.write_text(text, encoding="utf-8", newline="")
        _compare_file("scenario.random_yaml", path)

    before = fz.COUNTS["scenario.random_yaml"]
    case()
    assert fz.COUNTS["scenario.random_yaml"] - before >= fz.EXAMPLES


# --------------------------------------------------------------------------
# Alias and merge-key bombs


def laughs(depth: int, width: int, *, where: str = "top", payload: str = "lol") -> str:
    """The classic "billion laughs": each level repeats the one before ``width`` times."""
    lines = [f"l0: &l0 {json.dumps(payload)}"]
    for i in range(1, depth + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    if where == "description":
        return "ftcost: 1\nname: bomb\nvolume: {requests_per_month: 1}\ndescription:\n" + textwrap.indent("\n".join(lines), "  ") + "\n"
    return "\n".join(lines) + "\n"


def merge_bomb(depth: int) -> str:
    """Merge keys that double a mapping at every level, all inside one merge list."""
    items = ["&a0 {x: 1}"] + [f"&a{i} {{<<: [*a{i - 1}, *a{i - 1}]}}" for i in range(1, depth + 1)]
    return "<<: [" + ", ".join(items) + "]\n"


def merge_chain(depth: int, width: int) -> str:
    """Mappings that merge the previous one under new keys: linear text, exponential values."""
    lines = ["m0: &m0 {a: 1, b: 2}"]
    for i in range(1, depth + 1):
        keys = ", ".join(f"k{j}: *m{i - 1}" for j in range(width))
        lines.append(f"m{i}: &m{i} {{<<: *m{i - 1}, {keys}}}")
    return "\n".join(lines) + "\n"


def test_fuzz_bombs(workdir):
    path = workdir / "bomb.yaml"

    @fz.fuzz()
    @given(
        st.one_of(
            st.builds(laughs, st.integers(1, 40), st.integers(1, 12), where=st.sampled_from(["top", "description"]), payload=st.text(max_size=10)),
            st.builds(merge_bomb, st.integers(1, 80)),
            st.builds(merge_chain, st.integers(1, 40), st.integers(1, 8)),
        )
    )
    def case(text):
        path.write_text(text, encoding="utf-8")
        err = _compare_file("scenario.bombs", path)
        assert isinstance(err, Exception)  # none of these is a scenario

    before = fz.COUNTS["scenario.bombs"]
    case()
    assert fz.COUNTS["scenario.bombs"] - before >= fz.EXAMPLES


BOMBS = {
    "laughs 9x10": laughs(9, 10),
    "laughs 30x10 in description": laughs(30, 10, where="description"),
    "merge doubling 40": merge_bomb(40),
    "merge chain 30x6": merge_chain(30, 6),
    f"nesting {MAX_DEPTH * 100}": "a: " + "[" * (MAX_DEPTH * 100) + "]" * (MAX_DEPTH * 100) + "\n",
    "nesting flow maps 5000": "a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n",
    "nesting block 2000": "".join(" " * i + f"k{i}:\n" for i in range(2000)) + " " * 2000 + "v\n",
    f"flat {MAX_NODES + 1} values": "a: [" + "1," * MAX_NODES + "1]\n",
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_bombs_bounded_in_subprocess(workdir, name):
    """Each bomb ends with a clean error (exit 2) in under 20 s and 1 GB of address space."""
    path = workdir / f"bomb-{abs(hash(name))}.yaml"
    path.write_text(BOMBS[name], encoding="utf-8")

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run([sys.executable, "-m", "ftcost", "validate", str(path)], capture_output=True, text=True, timeout=20, preexec_fn=limit)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.startswith(f"Error: {path}:"), proc.stderr[:500]
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------
# Paths a scenario names: relative to the scenario, regular files only

PATH_VALUES = [
    ".",
    "..",
    "/",
    "fifo",
    "/dev/zero",
    "/dev/stdin",
    "/dev/null",
    "missing.txt",
    "catalogs",
    "sub/../prompt.txt",
    "prompt.txt",
    "-",
    "",
    "\x00",
    "é🙂.txt",
    "a" * 300,
]
PATH_KEYS = {
    "prompt_file": lambda d, v: d["strategies"][0]["request"].update(prompt_file=v),
    "dataset": lambda d, v: (d["strategies"][3]["training"].pop("tokens", None), d["strategies"][3]["training"].update(dataset=v)),
    "pricing": lambda d, v: d.update(pricing=["openai", "azure-openai", "catalogs/testco.yaml", "catalogs/eurco.yaml", v]),
}


@pytest.mark.parametrize("key", list(PATH_KEYS))
@pytest.mark.parametrize("value", PATH_VALUES, ids=lambda v: repr(v)[:20])
def test_paths_in_a_scenario(workdir, tmp_path, monkeypatch, key, value):
    """Special files and folders are refused (never read, never waited on); relative paths start at the scenario."""
    (workdir / "sub").mkdir(exist_ok=True)
    doc = yaml.safe_load(RICH)
    PATH_KEYS[key](doc, value)
    path = workdir / "paths.yaml"
    path.write_text(fz.dump_yaml(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # somewhere else: a relative path must not be read from the working directory
    out = _compare_file("scenario.paths", path)
    if value in ("prompt.txt", "sub/../prompt.txt") and key == "prompt_file":
        assert not isinstance(out, Exception), out
    elif not (key == "pricing" and value in ("openai",)):
        assert isinstance(out, Exception)
        if out.line is None or key != "pricing":
            assert str(out).startswith(f"{path}:"), out  # located in the scenario, at the key
        # else: the named file is read and its own content is wrong: located in that file


@pytest.mark.parametrize("name", ["two\nlines", "cr\rname", "nul\x00", "tab\there", "sep\u2028"])
def test_strategy_name_with_control_characters_refused(workdir, name):
    """A strategy name heads a table column and a CSV cell: a line break in it would split the row."""
    doc = yaml.safe_load(RICH)
    doc["strategies"][1]["name"] = name
    path = workdir / "ctl.yaml"
    path.write_text(fz.dump_yaml(doc, allow_unicode=True), encoding="utf-8")
    err = _compare_file("scenario.regressions", path)
    assert "strategies[1].name" in str(err) and "control character" in str(err)


# --------------------------------------------------------------------------
# Through the command line


def test_fuzz_cli(workdir):
    bases = _bases(workdir)
    path = workdir / "cli.yaml"

    @fz.fuzz(max(50, fz.EXAMPLES // 10))
    @given(
        fz.mutated(bases, KNOWN_KEYS, KNOWN_VALUES, max_mutations=2),
        st.sampled_from(
            [
                ["compare", "--format", "json"],
                ["compare", "--format", "csv"],
                ["compare"],
                ["compare", "--format", "markdown", "--volume", "0", "--horizon", "1"],
                ["compare", "--format", "json", "--volume", "1e12"],
                ["validate"],
            ]
        ),
    )
    def case(doc, args):
        path.write_text(fz.dump_yaml(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        fz.COUNTS["scenario.cli"] += 1
        with fz.strict_numpy():
            code, out, err = fz.cli([args[0], str(path), *args[1:]])
        fz.check_cli(code, out, err, fmt="json" if "json" in args else None, target="scenario.cli")
        if code == 2:
            assert err.startswith(f"Error: {path}") or err.startswith("Error: --"), err[:500]

    case()
