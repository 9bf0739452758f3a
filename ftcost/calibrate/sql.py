"""The one aggregation query: a monthly aggregate per model, plus a total per model.

The same query runs inside ftcost on DuckDB (over the log files) and, printed
by ``ftcost calibrate --print-sql``, in a warehouse (over a table). It is
written once, in DuckDB's dialect, and translated with sqlglot for Spark,
BigQuery and Postgres. One row per (month, model) and one per model over all
months (``is_total = 1``, ``month`` null), from ``GROUP BY GROUPING SETS``;
rows whose time did not parse land in ``month`` null with ``is_total = 0``.

Percentiles are approximate (a t-digest: ``approx_quantile`` in DuckDB,
``percentile_approx`` in Spark, ``APPROX_QUANTILES`` in BigQuery) so that
memory stays bounded whatever the size of the log; Postgres has no
approximate percentile and gets ``percentile_cont`` (exact, sorts each group).
"""

from __future__ import annotations

import datetime as _dt

from .formats import Resolved

DIALECTS = ("duckdb", "spark", "bigquery", "postgres")
OUTPUT_COLUMNS = (
    "month",
    "model",
    "is_total",
    "requests",
    "input_tokens",
    "cached_tokens",
    "output_tokens",
    "cost",
    "log_rows",
    "first_seen",
    "last_seen",
    "input_p50",
    "input_p95",
    "cached_p50",
    "cached_p95",
    "output_p50",
    "output_p95",
    "cost_per_token_p05",
    "cost_per_token_p95",
)
NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "REAL")


def quote(name: str) -> str:
    """A column name as a quoted SQL identifier (DuckDB/Postgres style; sqlglot re-quotes for other dialects)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _is_numeric(sql_type: str | None) -> bool:
    if not sql_type:
        return False
    t = str(sql_type).upper()
    return t.split("(")[0] in NUMERIC or t.startswith("DECIMAL")


def _column(name: str, types: dict[str, str] | None) -> str:
    """A plain column, or key b of a nested column a for ``a.b`` (struct, map or JSON text)."""
    if "." not in name or (types is not None and name in types):
        return quote(name)
    head, key = name.split(".", 1)
    path = literal("$." + key)
    if types is not None and not str(types.get(head, "VARCHAR")).upper().startswith(("VARCHAR", "JSON")):
        return f"json_extract(to_json({quote(head)}), {path})"
    return f"json_extract({quote(head)}, {path})"


def time_expr(name: str, types: dict[str, str] | None) -> str:
    """The row's time as a UTC timestamp without zone: numbers are Unix seconds, text is parsed (null when it
    does not parse; an offset such as +02:00 is honoured), a zoned timestamp is converted (session zone UTC).

    Plain timestamps are used as they are: converting every row through a zoned type costs about
    a third of the scan (measured on 3 million CSV rows).
    """
    col = _column(name, types)
    t = None if types is None else str(types.get(name)).upper()
    if t is None:
        return f"CAST({col} AS TIMESTAMP)"
    if _is_numeric(t):
        return f"CAST(to_timestamp({col}) AS TIMESTAMP)"
    if t.startswith(("VARCHAR", "JSON")) or "." in name and name not in (types or {}):
        return f"CAST(TRY_CAST({col} AS TIMESTAMPTZ) AS TIMESTAMP)"
    if t == "TIMESTAMP":
        return col
    return f"CAST({col} AS TIMESTAMP)"


def number_expr(name: str | None, types: dict[str, str] | None, default: str = "0") -> str:
    if name is None:
        return default
    return f"COALESCE(CAST({_column(name, types)} AS DOUBLE), 0)"


def build_query(
    res: Resolved, source: str, *, types: dict[str, str] | None = None, since: _dt.date | None = None, dialect: str = "duckdb", epoch_time: bool | None = None
) -> str:
    """The aggregation query over ``source`` (a table name or a DuckDB table function), in ``dialect``.

    ``types`` (column -> DuckDB type) is known when ftcost reads the files
    itself; for a warehouse it is not, and the time column is taken as a
    timestamp (Unix seconds for the OpenAI export, ``epoch_time``).
    """
    c = res.columns
    if types is None and (epoch_time or (epoch_time is None and res.format == "openai")):
        ts = f"CAST(to_timestamp({_column(c['time'], None)}) AS TIMESTAMP)"
    else:
        ts = time_expr(c["time"], types)
    model = f"CAST({_column(c['model'], types)} AS VARCHAR)" if "model" in c else "CAST(NULL AS VARCHAR)"
    n = number_expr(c.get("requests"), types, "1")
    inp = number_expr(c.get("input"), types)
    cached = number_expr(c.get("cached"), types)
    if res.cached_is_extra and "cached" in c:
        inp = f"{inp} + {cached}"
    out = number_expr(c.get("output"), types)
    cost = f"CAST({_column(c['cost'], types)} AS DOUBLE)" if "cost" in c else "CAST(NULL AS DOUBLE)"
    where = f"\n  WHERE ts IS NULL OR ts >= CAST({literal(since.isoformat())} AS TIMESTAMP)" if since else ""
    per = {x: f"CASE WHEN n > 0 THEN {x} / n END" for x in ("input", "cached", "output")}
    unit = "CASE WHEN cost > 0 AND input + output > 0 THEN cost / (input + output) END"
    head = f"""WITH r AS (
  SELECT {ts} AS ts, {model} AS model, {n} AS n, {inp} AS input, {cached} AS cached, {out} AS output, {cost} AS cost
  FROM {source}
), m AS (
  SELECT DATE_TRUNC('month', ts) AS month, model, n, input, cached, output, cost, ts
  FROM r{where}
)"""
    sums = """month, model, GROUPING(month) AS is_total,
  SUM(n) AS requests, SUM(input) AS input_tokens, SUM(cached) AS cached_tokens, SUM(output) AS output_tokens,
  SUM(cost) AS cost, COUNT(*) AS log_rows, MIN(ts) AS first_seen, MAX(ts) AS last_seen"""
    group = "FROM m\nGROUP BY GROUPING SETS ((month, model), (model))"
    if dialect == "duckdb":
        # One t-digest per column for both percentiles (a list of quantiles) costs half of two.
        levels = {**{k: "[0.5, 0.95]" for k in per}, "unit": "[0.05, 0.95]"}
        qs = ",\n  ".join(f"approx_quantile({e}, {levels[k]}) AS q_{k}" for k, e in (*per.items(), ("unit", unit)))
        pick = ", ".join(f"q_{k}[1] AS {k}_p50, q_{k}[2] AS {k}_p95" for k in per)
        return (
            f"{head}, a AS (\nSELECT {sums},\n  {qs}\n{group}\n)\n"
            "SELECT month, model, is_total, requests, input_tokens, cached_tokens, output_tokens, cost, log_rows,\n"
            f"  first_seen, last_seen, {pick},\n  q_unit[1] AS cost_per_token_p05, q_unit[2] AS cost_per_token_p95\n"
            "FROM a\nORDER BY is_total, model, month"
        )
    q = "quantile_cont" if dialect == "postgres" else "approx_quantile"
    pcts = ",\n  ".join(f"{q}({e}, 0.5) AS {k}_p50, {q}({e}, 0.95) AS {k}_p95" for k, e in per.items())
    sql = (
        f"{head}\nSELECT {sums},\n  {pcts},\n  {q}({unit}, 0.05) AS cost_per_token_p05, {q}({unit}, 0.95) AS "
        f"cost_per_token_p95\n{group}\nORDER BY is_total, model, month"
    )
    return transpile(sql, dialect)


def transpile(sql: str, dialect: str) -> str:
    """``sql`` (DuckDB dialect) in ``dialect``, checked by parsing it back in that dialect."""
    import sqlglot

    if dialect not in DIALECTS:
        from .formats import LogError

        raise LogError(f"unknown SQL dialect {dialect!r}", hint="dialects: " + ", ".join(DIALECTS))
    out = sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=True)[0]
    sqlglot.parse_one(out, read=dialect)  # raises if the translation is not valid in that dialect
    return out
