"""The one aggregation query: a monthly aggregate per model, plus a total per model.

The same query runs inside ftcost on DuckDB (over the log files) and, printed
by ``ftcost calibrate --print-sql``, in a warehouse (over a table). It is
written once, in DuckDB's dialect, and translated with sqlglot for Spark,
BigQuery and Postgres. One row per (month, model) and one per model over all
months (``is_total = 1``, ``month`` null), from ``GROUP BY GROUPING SETS``;
rows whose time did not parse land in ``month`` null with ``is_total = 0``.

In DuckDB (the built-in path and ``--dialect duckdb``) the percentiles are
read off counts of the distinct per-request values (:func:`_counted_percentiles`):
exact for whole token counts below 10,000, within 0.05% above and for the
cost per token, with memory bounded by the number of distinct values. The
warehouse dialects use their approximate percentiles (a t-digest or the like:
``percentile_approx`` in Spark, ``APPROX_QUANTILES`` in BigQuery); Postgres
has none and gets ``percentile_cont`` (exact, sorts each group).
"""

from __future__ import annotations

import datetime as _dt

from ..i18n import Message
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
        # Each aggregate is computed once per grouping set, so the ones a log's columns make constant are left out:
        # no requests column, one request a row (n = 1); no cached column, no cached tokens (about a tenth of the query).
        if "requests" not in c:
            sums = sums.replace("SUM(n) AS requests", "COUNT(*) AS requests")
            per = {k: k for k in per}
        if "cached" not in c:
            sums = sums.replace("SUM(cached) AS cached_tokens", "0 AS cached_tokens")
        return head + ",\n" + _counted_percentiles(sums, per, unit, tokens=not res.bucketed, cached="cached" in c, cost="cost" in c)
    q = "quantile_cont" if dialect == "postgres" else "approx_quantile"
    pcts = ",\n  ".join(f"{q}({e}, 0.5) AS {k}_p50, {q}({e}, 0.95) AS {k}_p95" for k, e in per.items())
    sql = (
        f"{head}\nSELECT {sums},\n  {pcts},\n  {q}({unit}, 0.05) AS cost_per_token_p05, {q}({unit}, 0.95) AS "
        f"cost_per_token_p95\n{group}\nORDER BY is_total, model, month"
    )
    return transpile(sql, dialect)


# Levels of the percentiles computed from the counts: p50 and p95 of the tokens, p05 and p95 of the cost per token.
LEVELS = {"05": "0.05", "50": "0.5", "95": "0.95"}
UNIT_SCALE = 1000  # the cost per token is counted as round(ln(x) * 1000): bins 0.1% wide


def token_key(x: str) -> str:
    """A per-request token count as counted: whole tokens below 10,000, four significant digits above."""
    return f"CASE WHEN {x} < 10000 THEN ROUND({x}) ELSE ROUND({x} / POW(10, FLOOR(LOG10({x})) - 3)) * POW(10, FLOOR(LOG10({x})) - 3) END"


def _counted_percentiles(sums: str, per: dict[str, str], unit: str, *, tokens: bool, cached: bool, cost: bool) -> str:
    """The rest of the DuckDB query: sums per month and model, and exact percentiles per model from counts.

    One ``GROUP BY GROUPING SETS`` (one scan, in any DuckDB version) counts the
    rows per (month, model) with their sums, and per (model, value) for each
    per-request value (input, cached and output tokens, cost per token): a table
    of distinct values, not of rows, so memory stays bounded. The percentile is
    then read off the running counts with ``quantile_cont``'s definition (value
    at rank p (N - 1), interpolated between the two neighbouring ranks). Exact
    for whole token counts below 10,000 (see :func:`token_key`), and cheaper
    than the t-digests (``approx_quantile``) per month and per model it
    replaced: 1.0-1.2 CPU seconds instead of 3.0 for the whole query over a
    10^7-row Parquet log (benchmarks/RESULTS-calibrate.md).
    """
    values: dict[str, str] = {}  # per-request value -> its expression over m
    if tokens:
        values.update({k: e for k, e in per.items() if k != "cached" or cached})
    if cost:
        values["unit"] = unit
    keys = {k: (f"ROUND(LN(x_{k}) * {UNIT_SCALE})" if k == "unit" else token_key(f"x_{k}")) for k in values}
    xcols = "".join(f", {e} AS x_{k}" for k, e in values.items())
    kcols = "".join(f", {e} AS k_{k}" for k, e in keys.items())
    sets = "".join(f", (model, k_{k})" for k in keys)
    flags = "".join(f", GROUPING(k_{k}) AS g_{k}" for k in keys)
    counted = "\n  UNION ALL ".join(f"SELECT model, '{k}' AS k, k_{k} AS v, log_rows AS c FROM agg WHERE g_{k} = 0 AND k_{k} IS NOT NULL" for k in keys)
    if not keys:
        counted = "SELECT CAST(NULL AS VARCHAR) AS model, '' AS k, CAST(NULL AS DOUBLE) AS v, 0 AS c WHERE false"
    rank = {lv: f"{p} * (total - 1)" for lv, p in LEVELS.items()}
    picks = ",\n    ".join(
        f"MAX(v) FILTER (WHERE above - c <= FLOOR({r}) AND FLOOR({r}) < above) AS lo{lv}, "
        f"MAX(v) FILTER (WHERE above - c <= CEIL({r}) AND CEIL({r}) < above) AS hi{lv}, MAX({r} - FLOOR({r})) AS f{lv}"
        for lv, r in rank.items()
    )

    def pct(k: str, lv: str) -> str:
        return f"MAX(CASE WHEN k = '{k}' THEN lo{lv} + f{lv} * (hi{lv} - lo{lv}) END)"

    cols = []
    for k in ("input", "cached", "output"):
        for lv in ("50", "95"):
            if k in keys:
                expr = pct(k, lv)
            elif k == "cached" and "input" in keys:  # no cached column: every request read 0 cached tokens
                expr = f"CASE WHEN {pct('input', lv)} IS NOT NULL THEN 0.0 END"
            else:
                expr = "CAST(NULL AS DOUBLE)"
            cols.append(f"{expr} AS {k}_p{lv}")
    for lv in ("05", "95"):
        cols.append(f"EXP({pct('unit', lv)} / {UNIT_SCALE}) AS cost_per_token_p{lv}" if "unit" in keys else f"CAST(NULL AS DOUBLE) AS cost_per_token_p{lv}")
    outs = ", ".join(f"p.{x}" for x in OUTPUT_COLUMNS[11:])
    nulls = ", ".join(f"CAST(NULL AS DOUBLE) AS {x}" for x in OUTPUT_COLUMNS[11:])
    names = "".join(f", k_{k}" for k in keys)
    return f"""vals AS (
  SELECT *{xcols}
  FROM m
), keyed AS (
  SELECT *{kcols}
  FROM vals
), agg AS (
SELECT {sums.replace("GROUPING(month) AS is_total", "GROUPING(month) AS gm")}{names}{flags}
FROM keyed
GROUP BY GROUPING SETS ((month, model){sets})
), monthly AS (
  SELECT * FROM agg WHERE gm = 0
), counts AS (
  {counted}
), ranks AS (
  SELECT model, k, v, c, SUM(c) OVER (PARTITION BY model, k ORDER BY v) AS above, SUM(c) OVER (PARTITION BY model, k) AS total
  FROM counts
), picks AS (
  SELECT model, k,
    {picks}
  FROM ranks
  GROUP BY model, k
), pcts AS (
  SELECT model,
    {("," + chr(10) + "    ").join(cols)}
  FROM picks
  GROUP BY model
), totals AS (
  SELECT model, SUM(requests) AS requests, SUM(input_tokens) AS input_tokens, SUM(cached_tokens) AS cached_tokens,
    SUM(output_tokens) AS output_tokens, SUM(cost) AS cost, SUM(log_rows) AS log_rows, MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen
  FROM monthly
  GROUP BY model
)
SELECT month, model, 0 AS is_total, requests, input_tokens, cached_tokens, output_tokens, cost, log_rows, first_seen, last_seen,
  {nulls}
FROM monthly
UNION ALL
SELECT NULL, t.model, 1, t.requests, t.input_tokens, t.cached_tokens, t.output_tokens, t.cost, t.log_rows, t.first_seen, t.last_seen,
  {outs}
FROM totals AS t LEFT JOIN pcts AS p ON t.model IS NOT DISTINCT FROM p.model
ORDER BY is_total, model, month"""


def transpile(sql: str, dialect: str) -> str:
    """``sql`` (DuckDB dialect) in ``dialect``, checked by parsing it back in that dialect."""
    import sqlglot

    if dialect not in DIALECTS:
        from .formats import LogError

        raise LogError(Message("unknown SQL dialect {dialect!r}", dialect=dialect), hint=Message("dialects: {names}", names=", ".join(DIALECTS)))
    out = sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=True)[0]
    sqlglot.parse_one(out, read=dialect)  # raises if the translation is not valid in that dialect
    return out
