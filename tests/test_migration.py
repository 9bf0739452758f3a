"""Plans that can actually happen (issue 13): successors, on_retirement, feasibility.

Every case runs on small made-up catalogs written here (provider "acme" and
friends), so the numbers are easy to follow by hand; the arithmetic is in the
comments. The calendar rule (docs/migration.md): a model that retires on day D
serves through the month containing D; its successor takes over the month after.
With start 2027-01, a model retiring 2027-02-10 is replaced from month 3 (2027-03).
"""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest

from ftcost.api import compare
from ftcost.engine import evaluate
from ftcost.errors import CatalogError, ScenarioError

ACME = """
provider: acme
currency: USD
as_of: 2026-11-25
source: made-up test catalog
models:
  old:
    encoding: o200k_base
    input: 1.00
    output: 2.00
    retires_on: 2027-02-10
    successor: acme/new
    fine_tuning: {training: 10.0, input: 1.00, output: 2.00, hosting_per_hour: 0}
  new:
    encoding: cl100k_base
    input: 2.00
    output: 4.00
    fine_tuning: {training: 20.0, input: 2.00, output: 4.00, hosting_per_hour: 0}
  steady:
    encoding: o200k_base
    input: 3.00
    output: 3.00
  a:
    input: 1.00
    output: 0
    retires_on: 2027-01-20
    successor: b
  b:
    input: 2.00
    output: 0
    retires_on: 2027-02-15
    successor: c
  c:
    input: 3.00
    output: 0
  lonely:
    input: 0.50
    output: 0
    retires_on: 2027-02-10
  abroad:
    input: 1.00
    output: 0
    retires_on: 2027-02-10
    successor: other/far
    sources: {successor: "made-up: the provider's deprecation page names other/far"}
"""

OTHER = """
provider: other
currency: USD
as_of: 2026-11-25
source: made-up test catalog
models:
  far:
    input: 5.00
    output: 0
"""

OPENAI_LIKE = """
provider: openai
currency: USD
as_of: 2026-11-25
source: made-up test catalog
models:
  tune-me:
    input: 1.00
    output: 1.00
    fine_tuning: {training: 10.0, input: 1.00, output: 1.00, hosting_per_hour: 0, last_new_job_day: 2027-01-05}
"""


@pytest.fixture
def scenario(tmp_path):
    """Write the catalogs and a scenario built from ``strategies`` (YAML text); return the loaded comparison."""
    (tmp_path / "acme.yaml").write_text(ACME)
    (tmp_path / "other.yaml").write_text(OTHER)
    (tmp_path / "openai-like.yaml").write_text(OPENAI_LIKE)

    def make(strategies: str, *, horizon=4, volume=1_000_000, start="2026-12" if False else "2027-01", pricing="[acme.yaml, other.yaml]", extra=""):
        text = (
            textwrap.dedent(f"""
            ftcost: 1
            name: plans
            start: {start}
            horizon_months: {horizon}
            volume: {{requests_per_month: {volume}}}
            pricing: {pricing}
            {extra}
            strategies:
            """).lstrip("\n")
            + textwrap.indent(textwrap.dedent(strategies).strip("\n"), "  ")
            + "\n"
        )
        p = tmp_path / "scenario.yaml"
        p.write_text(text)
        return p

    return make


def run(path):
    return compare(path)


def by_name(result, name):
    return next(s for s in result.strategies if s.name == name)


def test_prompt_strategy_moves_to_a_dearer_successor_in_month_3(scenario):
    # acme/old: 1,000 prompt + 100 completion tokens at 1.00 / 2.00 per 1M = (1,000 + 200) / 1e6 = $0.0012 a request.
    # It retires 2027-02-10: months 1-2 (2027-01, 2027-02) on old, x 1,000,000 requests = $1,200 a month.
    # acme/new from month 3: (1,000 x 2 + 100 x 4) / 1e6 = $0.0024, $2,400 a month. Total 2 x 1,200 + 2 x 2,400 = $7,200.
    r = run(
        scenario("""
        - name: p
          type: prompt
          model: acme/old
          request: {prompt_tokens: 1000, completion_tokens: 100}
        """)
    )
    s = r.strategies[0]
    assert s.monthly == pytest.approx([1200, 1200, 2400, 2400], rel=1e-12)
    assert s.total_cost == pytest.approx(7200, rel=1e-12)
    assert s.feasible and s.feasible_until == 4 and s.feasibility == ""
    assert s.on_retirement == "successor"  # the default where a successor is known
    assert [(m.month, m.from_model, m.to_model, m.calendar_month) for m in s.migrations] == [(3, "acme/old", "acme/new", "2027-03")]
    assert s.migrations[0].training_cost == 0.0
    assert [(p.model, p.from_month, p.to_month) for p in s.phases] == [("acme/old", 1, 2), ("acme/new", 3, 4)]
    d = r.to_dict()
    assert d["recommendation"]["feasible"] is True and d["cheapest"] == "p"
    json.dumps(d, allow_nan=False)


def test_prompt_from_text_is_recounted_with_the_successors_encoding(scenario, tmp_path):
    from ftcost import tokens

    text = "Rate this review from 1 to 5 stars. Answer with the digit only. " * 7 + "Überprüfung naïve café 東京"
    (tmp_path / "prompt.txt").write_text(text, encoding="utf-8")
    r = run(
        scenario("""
        - name: p
          type: prompt
          model: acme/old
          request: {prompt_file: prompt.txt}
        """)
    )
    s = r.strategies[0]
    n_old, n_new = tokens.count_text(text, "o200k_base"), tokens.count_text(text, "cl100k_base")
    assert n_old != n_new  # the two encodings split this text differently
    # month 1 at old prices: n_old x 1.00 / 1e6 x 1e6 requests = n_old dollars; month 3 at new: n_new x 2.00.
    assert s.monthly[0] == pytest.approx(n_old, rel=1e-12)
    assert s.monthly[2] == pytest.approx(2 * n_new, rel=1e-12)
    assert s.phases[1].prompt_tokens == n_new and "cl100k_base" in s.phases[1].prompt_source


def test_fine_tuned_strategy_migrates_with_a_new_training_run(scenario):
    # Training 100,000 tokens x 2 epochs: on old at 10.00/1M = $2.00 (month 1); on new at 20.00/1M = $4.00 (month 3).
    # 1,000 requests of 100 prompt + 10 completion tokens: old (100 x 1 + 10 x 2) / 1e6 x 1,000 = $0.12 a month,
    # new (100 x 2 + 10 x 4) / 1e6 x 1,000 = $0.24 a month. Migration cost $50 in month 3.
    # Months: 2.12, 0.12, 4 + 0.24 + 50 = 54.24, 0.24; total 56.72.
    r = run(
        scenario(
            """
        - name: ft
          type: fine_tuned
          model: acme/old
          migration_cost: 50
          request: {prompt_tokens: 100, completion_tokens: 10}
          training: {tokens: 100000, epochs: 2}
        """,
            volume=1000,
        )
    )
    s = r.strategies[0]
    assert s.monthly == pytest.approx([2.12, 0.12, 54.24, 0.24], rel=1e-12)
    assert s.total_cost == pytest.approx(56.72, rel=1e-12)
    assert s.training_runs == 2 and s.training_months == [1, 3]
    mg = s.migrations[0]
    assert (mg.month, mg.to_model) == (3, "acme/new")
    assert mg.training_cost == pytest.approx(4.0, rel=1e-12) and mg.migration_cost == 50
    assert s.feasible
    # The JSON keeps its field names (the dataclass says from_model/to_model: 'from' is a Python keyword).
    js = r.to_dict()["strategies"][0]
    assert js["migrations"] == [
        {"month": 3, "calendar_month": mg.calendar_month, "from": mg.from_model, "to": "acme/new", "training_cost": mg.training_cost, "migration_cost": 50}
    ]
    assert list(js["phases"][1]) == ["model", "from_month", "to_month", "cost_per_request", "prompt_tokens", "prompt_source"]
    assert js["phases"][1]["model"] == "acme/new" and js["phases"][1]["from_month"] == 3


def test_fine_tuned_retrain_after_the_providers_cut_off_is_infeasible(scenario):
    # OpenAI-like: no new jobs after 2027-01-05. Start 2027-01, retrain every 3 months: runs in months 1, 4, 7.
    # Month 1 (starts 2027-01-01, on or before the last day) is fine; month 4 (2027-04-01) is not.
    # The plan holds up to month 3. Costs are still shown: training 100,000 x 1 x 10 / 1e6 = $1.00 a run,
    # 3 runs over 8 months; no requests (volume 0): total $3.00.
    r = run(
        scenario(
            """
        - name: ft
          type: fine_tuned
          model: openai/tune-me
          request: {prompt_tokens: 10}
          training: {tokens: 100000, epochs: 1, retrain_every_months: 3}
        - name: prompt
          type: prompt
          model: acme/steady
          request: {prompt_tokens: 10}
        """,
            horizon=8,
            volume=0,
            pricing="[openai-like.yaml, acme.yaml]",
        )
    )
    ft = by_name(r, "ft")
    assert ft.total_cost == pytest.approx(3.0, rel=1e-12)
    assert ft.feasible_until == 3 and not ft.feasible
    assert ft.feasibility == ("Fine-tuning on OpenAI: no new jobs after 2027-01-05; your month-4 retrain cannot run; switch provider or stop retraining")
    # Never recommended, although it costs $3 against the prompt's $0.
    assert r.cheapest.name == "prompt"
    from ftcost.render.text import to_table

    # The table's last paragraph (wrapped to the terminal's width) names the constraint.
    last = " ".join(to_table(r).rstrip("\n").split("\n\n")[-1].split())
    assert "no new jobs after 2027-01-05; your month-4 retrain cannot run" in last and "'ft'" in last


def test_cheapest_plan_infeasible_so_the_recommendation_goes_to_the_second(scenario):
    # lonely retires 2027-02-10 with no successor: default stop, feasible through month 2.
    # 1,000 prompt tokens x 1,000,000 requests: lonely 0.50/1M -> $500 a month, $2,000 over 4 months;
    # steady 3.00/1M -> $3,000 a month, $12,000. lonely is cheaper but cannot run from month 3.
    r = run(
        scenario("""
        - name: cheap but retiring
          type: prompt
          model: acme/lonely
          request: {prompt_tokens: 1000}
        - name: steady
          type: prompt
          model: acme/steady
          request: {prompt_tokens: 1000}
        """)
    )
    cheap = by_name(r, "cheap but retiring")
    assert cheap.total_cost == pytest.approx(2000, rel=1e-12) and by_name(r, "steady").total_cost == pytest.approx(12000, rel=1e-12)
    assert cheap.on_retirement == "stop" and cheap.feasible_until == 2 and not cheap.feasible
    assert "retires on 2027-02-10" in cheap.feasibility and "no successor is known" in cheap.feasibility
    assert r.cheapest.name == "steady"
    d = r.to_dict()
    assert d["cheapest"] == "steady" and d["recommendation"]["feasible_strategies"] == ["steady"]
    assert [x["strategy"] for x in d["cheapest_by_volume"]] == ["steady"]
    # savings against the baseline (the first strategy): 2,000 - 12,000
    assert d["savings"] == pytest.approx(-10000, rel=1e-12)


def test_no_feasible_plan_gives_the_best_plan_up_to_when_it_stops(scenario):
    # Both stop: lonely after month 2 ($500 a month), old with on_retirement: stop after month 2 too
    # (1,000 x 1.00 = $1,000 a month). Best up to month 2: lonely, $1,000 to then.
    r = run(
        scenario("""
        - name: lonely
          type: prompt
          model: acme/lonely
          request: {prompt_tokens: 1000}
        - name: old
          type: prompt
          model: acme/old
          on_retirement: stop
          request: {prompt_tokens: 1000}
        """)
    )
    rec = r.recommendation
    assert (rec.strategy, rec.feasible, rec.until_month, rec.until) == ("lonely", False, 2, "2027-02")
    from ftcost.render.text import verdict

    assert verdict(r) == (
        "No strategy can be carried out over all 4 months. The best plan up to month 2 (2027-02), when it stops, is 'lonely': $1,000.00 to then."
    )


def test_chain_of_successors_within_the_horizon(scenario):
    # a retires 2027-01-20 -> b from month 2; b retires 2027-02-15 -> c from month 3.
    # 1,000 prompt tokens x 1,000,000 requests at 1, 2, 3 per 1M: $1,000, $2,000, $3,000, $3,000 = $9,000.
    r = run(
        scenario("""
        - name: chain
          type: prompt
          model: acme/a
          migration_cost: 10
          request: {prompt_tokens: 1000}
        """)
    )
    s = r.strategies[0]
    # plus $10 at each migration (months 2 and 3)
    assert s.monthly == pytest.approx([1000, 2010, 3010, 3000], rel=1e-12)
    assert [(m.month, m.from_model, m.to_model) for m in s.migrations] == [(2, "acme/a", "acme/b"), (3, "acme/b", "acme/c")]
    assert s.feasible


def test_successor_in_another_providers_catalog(scenario):
    # abroad (acme, 1.00/1M) retires 2027-02-10; its successor is other/far (5.00/1M) from month 3.
    # 1,000 tokens x 1,000,000: $1,000, $1,000, $5,000, $5,000 = $12,000.
    r = run(
        scenario("""
        - name: x
          type: prompt
          model: acme/abroad
          request: {prompt_tokens: 1000}
        """)
    )
    s = r.strategies[0]
    assert s.total_cost == pytest.approx(12000, rel=1e-12)
    assert s.migrations[0].to_model == "other/far"


def test_successor_catalog_loaded_on_demand_from_a_pricing_folder(scenario, tmp_path):
    # The scenario names only acme; other/far comes from the --pricing folder.
    d = tmp_path / "private"
    d.mkdir()
    (d / "other.yaml").write_text(OTHER)
    from ftcost.scenario import load_scenario

    sc = load_scenario(
        scenario(
            """
        - name: x
          type: prompt
          model: acme/abroad
          request: {prompt_tokens: 1000}
        """,
            pricing="[acme.yaml]",
        ),
        pricing_dirs=[d],
    )
    assert [p.model.ref for p in sc.strategies[0].plan.phases] == ["acme/abroad", "other/far"]


def test_same_price_keeps_the_old_behaviour_and_a_model_that_never_retires_is_unchanged(scenario):
    # same_price: acme/old at $1,200 a month for all 4 months = $4,800 (the pre-issue-13 totals), feasible.
    # steady never retires: 1,000 x 3.00 = $3,000 a month, $12,000, with or without a plan.
    r = run(
        scenario("""
        - name: same
          type: prompt
          model: acme/old
          on_retirement: same_price
          request: {prompt_tokens: 1000, completion_tokens: 100}
        - name: steady
          type: prompt
          model: acme/steady
          request: {prompt_tokens: 1000}
        """)
    )
    same, steady = r.strategies
    assert same.total_cost == pytest.approx(4800, rel=1e-12) and same.feasible and same.migrations == []
    assert any("as if a successor model cost the same" in w for w in same.warnings)
    assert steady.total_cost == 12000 and steady.feasible_until == 4
    x = r.scenario.inputs()
    assert x.owner is None  # no plan with several models: one engine row per strategy, as before
    np.testing.assert_array_equal(evaluate(x).total_cost, r.outputs.total_cost)


# --------------------------------------------------------------------------
# Bad input: located errors, exit 2


def test_unknown_successor_is_a_located_catalog_error(scenario, tmp_path, cli):
    (tmp_path / "acme.yaml").write_text(ACME.replace("successor: acme/new", "successor: acme/nope"))
    p = scenario("""
        - name: p
          type: prompt
          model: acme/old
          request: {prompt_tokens: 10}
        """)
    with pytest.raises(CatalogError) as e:
        run(p)
    line = ACME.splitlines().index("    successor: acme/new") + 1  # the file keeps ACME's first, empty line
    assert e.value.file.endswith("acme.yaml") and e.value.line == line
    assert "acme/nope" in e.value.message and e.value.path[-1] == "successor"
    rc, out, err = cli("compare", p)
    assert rc == 2 and "acme.yaml" in err and "acme/nope" in err


def test_successor_cycle_is_a_located_error(scenario, tmp_path, cli):
    (tmp_path / "acme.yaml").write_text(ACME.replace("    input: 3.00\n    output: 0\n", "    input: 3.00\n    output: 0\n    successor: a\n"))
    p = scenario("""
        - name: p
          type: prompt
          model: acme/a
          request: {prompt_tokens: 10}
        """)
    with pytest.raises(CatalogError, match="successor cycle: acme/a -> acme/b -> acme/c -> acme/a") as e:
        run(p)
    assert e.value.line is not None and e.value.file.endswith("acme.yaml")
    rc, _, err = cli("compare", p)
    assert rc == 2 and "cycle" in err


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("on_retirement", "retrain", "unknown on_retirement 'retrain'"),
        ("migration_cost", -5, "must be >= 0"),
    ],
)
def test_bad_on_retirement_and_migration_cost(scenario, cli, key, value, message):
    p = scenario(f"""
        - name: p
          type: prompt
          model: acme/old
          {key}: {value}
          request: {{prompt_tokens: 10}}
        """)
    with pytest.raises(ScenarioError) as e:
        run(p)
    assert message in e.value.message and e.value.path == ("strategies", 0, key) and e.value.line == 12  # the line of the key
    rc, _, err = cli("compare", p)
    assert rc == 2 and f"strategies[0].{key}" in err


def test_pricing_where_lists_the_providers_that_take_jobs_for_a_model_or_its_successor(tmp_path, cli):
    d = tmp_path / "private"
    d.mkdir()
    (d / "acme.yaml").write_text(ACME)
    # On 2027-03-01 acme/old has retired (2027-02-10); its successor acme/new takes jobs at $20.00 per 1M training tokens.
    rc, out, _ = cli("pricing", "where", "acme/old", "--on", "2027-03-01", "--pricing", d)
    assert rc == 0
    taking, _, not_taking = out.partition("Not on that date:")
    assert "acme/new" in taking and "$20.00" in taking and "successor of acme/old" in taking
    assert "acme/old" in not_taking and "retired 2027-02-10" in not_taking
    rc, out, _ = cli("pricing", "where", "old", "--on", "2027-01-15", "--pricing", d, "--format", "json")
    rows = {r["model"]: r for r in json.loads(out)["where"]}
    assert rows["acme/old"]["accepts_new_jobs"] is True and rows["acme/new"]["why"] == "successor of acme/old"
    assert rows["acme/new"]["prices"]["training"]["value"] == 20.0


def test_sweep_and_simulate_count_feasible_plans_only(scenario):
    from ftcost.analysis.simulation import simulate
    from ftcost.analysis.sweep import sweep
    from ftcost.scenario import load_scenario

    # 'cheap' (acme/lonely, 0.50/1M) stops after month 2; 'steady' (3.00/1M) runs all 4 months.
    # cheap is cheaper at every volume, yet every sweep point and every sample picks steady.
    p = scenario("""
        - name: steady
          type: prompt
          model: acme/steady
          request: {prompt_tokens: 1000}
        - name: cheap
          type: prompt
          model: acme/lonely
          request: {prompt_tokens: {dist: uniform, low: 500, high: 1500}}
        """)
    sc = load_scenario(p)
    res = sweep(sc, ["volume.requests_per_month=1e3:1e6:log:5"])
    for point in res.rows():
        totals = {s["name"]: s for s in point["strategies"]}
        assert totals["cheap"]["total_cost"] < totals["steady"]["total_cost"]
        assert point["cheapest"] == "steady" and point["savings"] == 0.0
        assert totals["cheap"]["feasible"] is False and totals["cheap"]["feasible_until"] == 2
    sim = simulate(sc, n=500, seed=3)
    stats = {s.name: s for s in sim.strategies}
    assert stats["cheap"].p_cheapest == 0.0 and stats["cheap"].p_feasible == 0.0
    assert stats["steady"].p_cheapest == 1.0 and stats["steady"].p_feasible == 1.0


def test_fine_tuned_migration_to_a_provider_that_takes_no_new_jobs_is_infeasible(scenario, tmp_path):
    # acme/old retires 2027-02-10; point its successor at openai/tune-me, whose provider takes no jobs after 2027-01-05.
    # The migration run would fall in month 3 (2027-03): it cannot happen, so the plan holds to month 2.
    (tmp_path / "acme.yaml").write_text(ACME.replace("successor: acme/new", "successor: openai/tune-me"))
    r = run(
        scenario(
            """
        - name: ft
          type: fine_tuned
          model: acme/old
          request: {prompt_tokens: 100}
          training: {tokens: 100000, epochs: 1}
        """,
            pricing="[acme.yaml, openai-like.yaml]",
        )
    )
    s = r.strategies[0]
    assert s.migrations[0].to_model == "openai/tune-me" and s.migrations[0].month == 3
    assert s.feasible_until == 2
    assert s.feasibility == (
        "Fine-tuning on OpenAI: no new jobs after 2027-01-05; the month-3 training run on openai/tune-me (the migration) cannot run; switch provider"
    )


def test_a_successor_already_retired_when_the_plan_reaches_it_stops_the_plan_at_the_move(scenario, tmp_path):
    # old retires 2027-02-10 -> new from month 3; make new retire 2027-01-20 (before the move) with no successor:
    # the plan cannot move in month 3, so it holds to month 2 (not to month 1, new's own retirement).
    (tmp_path / "acme.yaml").write_text(ACME.replace("  new:\n    encoding: cl100k_base\n", "  new:\n    encoding: cl100k_base\n    retires_on: 2027-01-20\n"))
    r = run(
        scenario("""
        - name: p
          type: prompt
          model: acme/old
          request: {prompt_tokens: 1000}
        """)
    )
    s = r.strategies[0]
    assert s.feasible_until == 2 and s.feasibility.startswith("from 2027-03 (month 3): acme/new retires on 2027-01-20")


def test_bundled_successors_resolve_have_sources_and_no_cycles():
    from ftcost.catalogs import Catalogs
    from ftcost.model.migration import check_chain

    cats = Catalogs.load(None)
    named = [m for m in cats.all_models() if m.successor]
    assert len(named) >= 10  # OpenAI, Azure OpenAI and Vertex models that retire name their replacement
    for m in named:
        chain = check_chain(m, cats)  # raises on an unknown successor or a cycle
        assert chain[1].ref == cats.resolve(m.successor).ref
        assert m.successor_source and m.successor_source != "", m.ref
    # the review-stars story: gpt-4o-mini moves to gpt-6-luna when it retires
    assert cats.resolve("openai/gpt-4o-mini").successor == "openai/gpt-6-luna"
