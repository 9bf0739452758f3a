"""ftcost calibrate --print-sql / --aggregated: the warehouse path gives the same scenario (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

LOGS = Path(__file__).parent / "fixtures" / "logs"


def _strip_comments(sql: str) -> str:
    return "\n".join(ln for ln in sql.splitlines() if not ln.startswith("--"))


CASES = [
    # (fixture, log format, table the printed query reads, how the "warehouse" holds the log)
    ("litellm_spend_logs.csv", "litellm", '"LiteLLM_SpendLogs"', "read_csv('{f}')"),
    ("openai_usage.jsonl", "openai", "openai_usage_completions", "read_json_auto('{f}')"),
    ("helicone_export.csv.gz", "helicone", "helicone_requests", "read_csv('{f}')"),
]


@pytest.mark.parametrize("fixture, fmt, table, reader", CASES, ids=[c[1] for c in CASES])
def test_printed_query_in_a_warehouse_gives_the_same_scenario(cli, tmp_path, fixture, fmt, table, reader):
    import duckdb

    log = LOGS / fixture
    rc, sql, err = cli("calibrate", "--print-sql", "--log-format", fmt)
    assert rc == 0, err
    # The "warehouse": a DuckDB table with the log's rows (typed as its own reader types them), the printed
    # query run over it, and the result saved as CSV, as a user would export it.
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM {reader.format(f=log)}")
    agg = tmp_path / "monthly.csv"
    con.execute(f"COPY ({_strip_comments(sql)}) TO '{agg}' (HEADER, DELIMITER ',')")
    con.close()

    direct, warehouse = tmp_path / "direct.yaml", tmp_path / "warehouse.yaml"
    rc, _, err = cli("calibrate", log, "-o", direct)
    assert rc == 0, err
    rc, _, err = cli("calibrate", agg, "--aggregated", "--log-format", fmt, "-o", warehouse)
    assert rc == 0, err
    a, b = yaml.safe_load(direct.read_text()), yaml.safe_load(warehouse.read_text())
    assert a == b
    # The comments differ only in the file named.
    assert re.sub(r"from 1 log file\S* \(\w+\)", "", direct.read_text()) == re.sub(r"from 1 log file\S* \(\w+\)", "", warehouse.read_text())


@pytest.mark.parametrize("dialect, marker", [("spark", "PERCENTILE_APPROX"), ("bigquery", "APPROX_QUANTILES"), ("postgres", "PERCENTILE_CONT")])
@pytest.mark.parametrize("fmt", ["litellm", "openai", "langfuse", "helicone"])
def test_other_dialects_parse_in_their_own_dialect(cli, dialect, marker, fmt):
    import sqlglot

    rc, sql, err = cli("calibrate", "--print-sql", "--log-format", fmt, "--dialect", dialect, "--since", "2026-03")
    assert rc == 0, err
    body = _strip_comments(sql)
    tree = sqlglot.parse_one(body, read=dialect)
    assert marker in body.upper()
    assert "GROUPING SETS" in body.upper()
    assert tree.find(sqlglot.exp.Group) is not None


def test_print_sql_reads_columns_from_a_sample_log(cli):
    rc, sql, err = cli(
        "calibrate", LOGS / "generic.parquet", "--print-sql", "--map", "time=ts,model=llm,input=ptok,output=ctok", "--table", "analytics.requests"
    )
    assert rc == 0, err
    assert "FROM analytics.requests" in sql and '"ptok"' in sql


def test_print_sql_without_columns_says_what_it_needs(cli):
    rc, _, err = cli("calibrate", "--print-sql")
    assert rc == 2 and "--log-format" in err


def test_aggregated_file_with_wrong_columns(cli, tmp_path):
    f = tmp_path / "agg.csv"
    f.write_text("month,model,requests\n2026-01-01,gpt-4o-mini,10\n")
    rc, _, err = cli("calibrate", f, "--aggregated")
    assert rc == 2 and str(f) in err and "input_tokens" in err
