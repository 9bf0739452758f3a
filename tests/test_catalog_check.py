"""``ftcost pricing check`` and the stale-price helpers the reports use."""

import datetime as dt
import json
import textwrap

import pytest

from ftcost.catalogs import Price, stale_prices, stale_warning
from ftcost.catalogs.check import check_paths

DAY = dt.date(2026, 11, 25)


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return p


GOOD = """
provider: acme
currency: USD
as_of: 2026-11-01
source: https://acme.example/prices
models:
  small:
    input: 0.10
    cached_input: 0.05
    output: 0.40
    fine_tuning:
      training: 2.00
      as_of: 2025-11-04
"""


def test_bundled_catalogs_pass(cli):
    rc, out, err = cli("pricing", "check", "--on", "2026-11-25")
    assert rc == 0
    assert "0 errors" in out and "error:" not in err


def test_stale_price_warns_with_location_and_age(tmp_path, cli):
    path = write(tmp_path, "acme.yaml", GOOD)
    rc, out, err = cli("pricing", "check", str(path), "--on", "2026-11-25")
    assert rc == 0
    # 2025-11-04 -> 2026-11-25 is 365 + 21 = 386 days; the catalog's 2026-11-01 prices are 24 days old.
    assert f"{path}:11:17: models.small.fine_tuning.training: warning: price training read 2025-11-04 is 386 days old (over 180)" in out
    assert "1 warning" in out and "0 errors" in out


def test_max_age_days_is_configurable_and_inclusive(tmp_path, cli):
    path = write(tmp_path, "acme.yaml", GOOD)
    assert "0 warnings" in cli("pricing", "check", str(path), "--on", "2026-11-25", "--max-age-days", "386")[1]
    assert "1 warning" in cli("pricing", "check", str(path), "--on", "2026-11-25", "--max-age-days", "385")[1]
    # 24 days old (2026-11-01 -> 2026-11-25): stale only when the limit is below 24.
    assert (
        "3 prices read 2026-11-01 (input, cached_input, output) are 24 days old (over 23)"
        in cli("pricing", "check", str(path), "--on", "2026-11-25", "--max-age-days", "23")[1]
    )


@pytest.mark.parametrize(
    "change, message, where",
    [
        (("    input: 0.10", "    input: -0.10"), "expected a finite number >= 0, got -0.1", ":7:12: models.small.input"),
        (("    cached_input: 0.05", "    cached_input: 0.50"), "cached_input 0.5 is above input 0.1", ":8:19"),
        (("source: https://acme.example/prices\n", ""), "price 'input' has no source", "models.small.input"),
        (("provider: acme\n", ""), "catalog needs 'provider'", ""),
        (("    output: 0.40", "    outptu: 0.40"), "unknown key 'outptu' in model 'small' (hint: did you mean 'output'?)", ":9:5"),
        (("as_of: 2026-11-01\n", ""), "price has no as_of date", ":6:12: models.small.input"),
    ],
)
def test_errors_are_located_and_exit_2(tmp_path, cli, change, message, where):
    path = write(tmp_path, "acme.yaml", GOOD.replace(*change))
    rc, out, err = cli("pricing", "check", str(path), "--on", "2026-11-25")
    assert rc == 2
    line = next(ln for ln in err.splitlines() if message in ln)
    assert line.startswith(str(path)) and where in line and "error" in line
    assert "Traceback" not in err


def test_future_as_of_is_a_warning(tmp_path):
    path = write(tmp_path, "acme.yaml", GOOD.replace("as_of: 2026-11-01", "as_of: 2027-01-01"))
    problems = [str(p) for r in check_paths([path], DAY) for p in r.problems]
    assert any("as_of 2027-01-01 is in the future" in p for p in problems)


def test_private_catalog_that_cannot_merge_is_an_error(tmp_path, cli):
    path = write(
        tmp_path,
        "azure.yaml",
        """
        provider: azure-openai
        currency: EUR
        as_of: 2026-11-01
        source: Contoso agreement
        models:
          gpt-4.1-nano:
            fine_tuning: {training: 1.20}
        """,
    )
    rc, out, err = cli("pricing", "check", str(path), "--on", "2026-11-25")
    assert rc == 2
    assert "cannot merge EUR prices into the USD catalog of azure-openai" in err


def test_folder_and_json_output(tmp_path, cli):
    write(tmp_path, "acme.yaml", GOOD)
    write(tmp_path, "broken.yaml", "provider: b\ncurrency: USD\nmodels: [1]\n")
    (tmp_path / "notes.txt").write_text("not a catalog")
    rc, out, err = cli("pricing", "check", str(tmp_path), "--on", "2026-11-25", "--format", "json")
    assert rc == 2
    data = json.loads(out)
    assert data["files"] == 2 and data["errors"] == 1 and data["warnings"] == 1 and data["prices"] == 4
    assert {p["level"] for p in data["problems"]} == {"error", "warning"}


def test_missing_path_is_an_error(tmp_path, cli):
    rc, out, err = cli("pricing", "check", str(tmp_path / "nope.yaml"))
    assert rc == 2 and "no such catalog file or folder" in err


# ---------------------------------------------------------------- stale_prices / stale_warning


def price(field, day):
    return Price(1.0, "src", day, field)


def test_stale_prices_boundary_and_order():
    old = price("training", dt.date(2025, 11, 4))  # 386 days before DAY
    edge = price("input", DAY - dt.timedelta(days=180))  # exactly 180 days: not stale
    over = price("output", DAY - dt.timedelta(days=181))
    undated = price("hosting_per_hour", None)
    assert stale_prices([edge, over, old, undated], DAY) == [undated, old, over]
    assert stale_prices({"input": edge}, DAY) == []
    assert stale_prices([over], DAY, max_age_days=181) == []
    assert stale_prices([over], "2026-11-25") == [over]


def test_stale_warning_is_one_line():
    old = price("training", dt.date(2025, 11, 4))
    new = price("input", dt.date(2026, 11, 1))
    assert stale_warning([new], DAY) is None
    assert stale_warning([new, old], DAY) == "1 price is older than 180 days (training read 2025-11-04, 386 days ago); check it with ftcost pricing show"
    two = stale_warning([old, price("output", dt.date(2026, 1, 1)), price("x", None)], DAY, max_age_days=90)
    assert two == "3 prices are older than 90 days or undated (1 with no as_of date); check them with ftcost pricing show"
    assert "\n" not in two


# ---- issue 12, item 9: the data stays honest over time ------------------------------------------

RETIRED = """
provider: acme
currency: USD
as_of: 2026-11-01
source: https://acme.example/prices
models:
  old:
    input: 0.10
    output: 0.40
    retires_on: 2026-10-20
    fine_tuning:
      training: 2.00
      {last}
"""


@pytest.mark.parametrize(
    "last, errors",
    [
        ("", 1),  # no last day: still offered for new fine-tuning after retirement
        ("last_new_job_day: 2026-10-20", 1),  # open on the day it retires
        ("last_new_job_day: 2026-10-19", 0),  # closed the day before: fine
    ],
)
def test_a_retired_model_still_open_to_new_jobs_is_an_error(tmp_path, last, errors):
    f = write(tmp_path, "acme.yaml", RETIRED.format(last=last))
    (rep,) = check_paths([f], DAY)
    found = [p for p in rep.problems if p.level == "error"]
    assert len(found) == errors
    if errors:
        assert "retired on 2026-10-20" in found[0].message and found[0].line == 11  # the fine_tuning: line
        assert found[0].hint.startswith("set last_new_job_day: 2026-10-19")


def test_not_an_error_before_the_retirement_date(tmp_path):
    f = write(tmp_path, "acme.yaml", RETIRED.format(last=""))
    (rep,) = check_paths([f], dt.date(2026, 10, 1))
    assert [p for p in rep.problems if p.level == "error"] == []


SECONDARY = """
provider: acme
currency: USD
as_of: 2026-11-01
models:
  small:
    input: 0.10
    output: 0.40
    source: https://acme.example/prices
    fine_tuning:
      training: 2.00
      source: "{src}"
"""


@pytest.mark.parametrize(
    "src, errors",
    [
        # The catalog reads input/output on acme.example/prices itself, yet calls training from that page secondary.
        ("secondary: a blog post quoting https://acme.example/prices", 1),
        ("secondary: a blog post quoting https://other.example/prices", 0),
        ("https://acme.example/prices", 0),
    ],
)
def test_secondary_price_citing_a_primary_page_of_the_catalog_is_an_error(tmp_path, src, errors):
    f = write(tmp_path, "acme.yaml", SECONDARY.format(src=src))
    (rep,) = check_paths([f], DAY)
    found = [p for p in rep.problems if p.level == "error"]
    assert len(found) == errors
    if errors:
        assert "cites https://acme.example/prices" in found[0].message and found[0].path == ("models", "small", "fine_tuning", "training")


def test_a_relayed_primary_source_does_not_count(tmp_path):
    text = SECONDARY.replace("source: https://acme.example/prices", 'source: "https://acme.example/prices (via LiteLLM)"', 1)
    f = write(tmp_path, "acme.yaml", text.format(src="secondary: a blog post quoting https://acme.example/prices"))
    (rep,) = check_paths([f], DAY)
    assert [p for p in rep.problems if p.level == "error"] == []
