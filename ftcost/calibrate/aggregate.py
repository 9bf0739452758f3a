"""Run the aggregation query over log files with DuckDB (embedded), or read a warehouse's result.

DuckDB scans CSV, JSON lines and Parquet, gzip- or zstd-compressed or not,
in its own engine: rows never become Python objects, and with a memory limit
and a spill folder its memory stays bounded whatever the size of the logs
(the aggregate has one row per month and model). DuckDB is imported here
only, so other commands never load it.
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ..i18n import Message
from . import sql as sqlmod
from .formats import LogError, Resolved, detect

MEMORY_LIMIT = os.environ.get("FTCOST_DUCKDB_MEMORY", "512MB")
THREADS = os.environ.get("FTCOST_DUCKDB_THREADS", "")  # default: DuckDB's, one per core
PROGRESS_AFTER_S = 1.0

KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "json", ".ndjson": "json", ".json": "json", ".parquet": "parquet", ".pq": "parquet"}
COMPRESSIONS = (".gz", ".zst", ".gzip")


def kind_of(path: str) -> str:
    """csv, json or parquet, from the file name (compression suffixes skipped)."""
    name = path.lower()
    for c in COMPRESSIONS:
        name = name.removesuffix(c)
    kind = KINDS.get(Path(name).suffix)
    if kind is None:
        raise LogError(
            Message("cannot tell the log's type from its name"), file=path, hint=Message("name it .csv, .jsonl or .parquet (optionally .gz or .zst)")
        )
    return kind


def check_files(paths: list[str]) -> str:
    """Every log exists and is a readable file of one kind; return that kind."""
    if not paths:
        raise LogError(Message("no log files given"), hint=Message("ftcost calibrate usage.csv [more.csv ...]"))
    kinds = set()
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise LogError(Message("log file not found"), file=p)
        if not path.is_file():
            raise LogError(Message("log is not a regular file"), file=p)
        if not os.access(path, os.R_OK):
            raise LogError(Message("log file is not readable"), file=p)
        kinds.add(kind_of(p))
    if len(kinds) > 1:
        raise LogError(
            "the logs mix file types (" + ", ".join(sorted(kinds)) + ")",
            file=", ".join(paths),
            hint=Message("calibrate one type at a time, or convert them to one type"),
        )
    return kinds.pop()


def connect():
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = {sqlmod.literal(MEMORY_LIMIT)}")
    if THREADS.strip():
        if not THREADS.strip().isdigit() or int(THREADS) < 1:
            con.close()
            raise LogError(
                Message("FTCOST_DUCKDB_THREADS={value!r} is not a number of threads", value=THREADS),
                hint=Message("set it to a whole number, 1 or more, or unset it"),
            )
        con.execute(f"SET threads = {int(THREADS)}")
    con.execute(f"SET temp_directory = {sqlmod.literal(tempfile.gettempdir())}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET TimeZone = 'UTC'")
    # Progress is tracked (for query_progress, read by _run) but DuckDB does not print it.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


def source_sql(paths: list[str], kind: str, types: dict[str, str] | None = None) -> str:
    """The table function reading ``paths``; several files are matched by column name (``union_by_name``,
    which costs 5-10% of a one-file CSV scan, so it is left out for one file)."""
    files = "[" + ", ".join(sqlmod.literal(str(p)) for p in paths) + "]"
    union = ", union_by_name = true" if len(paths) > 1 else ""
    if kind == "csv":
        extra = ""
        if types:
            extra = ", types = {" + ", ".join(f"{sqlmod.literal(k)}: {sqlmod.literal(v)}" for k, v in types.items()) + "}"
        return f"read_csv({files}, header = true{union}{extra})"
    if kind == "json":
        return f"read_json_auto({files}{union})"
    return f"read_parquet({files}{union})"


def describe(con, paths: list[str], kind: str) -> dict[str, str]:
    import duckdb

    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {source_sql(paths, kind)}").fetchall()
    except duckdb.Error as exc:
        raise _read_error(con, paths, kind, exc) from None
    return {r[0]: str(r[1]) for r in rows}


def aggregate_files(
    paths: list[str], *, fmt: str | None, mapping: dict[str, str], since: _dt.date | None, progress: bool | None = None
) -> tuple[list[dict[str, Any]], Resolved]:
    """Run the aggregation over log files; return its rows (dicts of OUTPUT_COLUMNS) and the format used."""
    import duckdb

    kind = check_files(paths)
    con = connect()
    try:
        columns = describe(con, paths, kind)
        res = detect(columns, fmt=fmt, mapping=mapping, files=", ".join(paths))
        types = dict(columns)
        overrides = None
        # A time column the reader types as text is parsed by the query (a value that does not parse is
        # counted and reported); one it types as a timestamp is parsed by the reader, which names the
        # line of a value that does not parse past its sample (see _read_error).
        query = sqlmod.build_query(res, source_sql(paths, kind, overrides), types=types, since=since)
        try:
            rows = _run(con, query, progress)
        except duckdb.Error as exc:
            raise _read_error(con, paths, kind, exc, res) from None
        out = [dict(zip(sqlmod.OUTPUT_COLUMNS, r)) for r in rows]
        bad = sum(r["log_rows"] for r in out if r["month"] is None and not r["is_total"])
        if bad:
            raise _bad_time_error(con, paths, kind, res, types, overrides, bad)
        return out, res
    finally:
        con.close()


def run_sql(sql_text: str, setup: str = "") -> list[dict[str, Any]]:
    """Run a printed query (the tests' warehouse stand-in) and return its rows."""
    con = connect()
    try:
        if setup:
            con.execute(setup)
        return [dict(zip(sqlmod.OUTPUT_COLUMNS, r)) for r in con.execute(sql_text).fetchall()]
    finally:
        con.close()


def _run(con, query: str, progress: bool | None):
    """Execute, drawing a progress line on stderr when the scan takes more than a second."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return con.execute(query).fetchall()
    import duckdb

    result: dict[str, Any] = {}

    def work():
        try:
            result["rows"] = con.execute(query).fetchall()
        except duckdb.Error as exc:  # handed to the caller's thread below
            result["error"] = exc

    t = threading.Thread(target=work, daemon=True)
    start = time.monotonic()
    t.start()
    shown = False
    while t.is_alive():
        t.join(0.25)
        if t.is_alive() and time.monotonic() - start > PROGRESS_AFTER_S:
            try:
                pct = max(0.0, float(con.query_progress()))
            except (duckdb.Error, RuntimeError):  # the query finished between the check and the call
                pct = 0.0
            bar = "#" * int(pct / 5)
            sys.stderr.write(f"\rreading logs [{bar:<20}] {pct:5.1f}%  {time.monotonic() - start:5.1f} s")
            sys.stderr.flush()
            shown = True
    if shown:
        sys.stderr.write("\r" + " " * 60 + "\r")
        sys.stderr.flush()
    if "error" in result:
        raise result["error"]
    return result["rows"]


def _read_error(con, paths: list[str], kind: str, exc: Exception, res: Resolved | None = None) -> LogError:
    """A DuckDB failure as a LogError naming the file that fails (each file is tried alone to find it)."""
    import duckdb

    culprit = ", ".join(paths)
    if len(paths) > 1:
        for p in paths:
            try:
                con.execute(f"SELECT COUNT(*) FROM {source_sql([p], kind)}").fetchall()
            except duckdb.Error:
                culprit = p
                break
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    conv = _conversion(str(exc))
    if conv is not None:
        line, column, value, to = conv
        where = re.search(r"^\s*file = (.+)$", str(exc), re.M)
        what = Message("a timestamp") if "TIME" in to or "DATE" in to else Message("a number")
        return LogError(
            Message("value {value!r} is not {what}", value=value, what=what),
            file=where.group(1).strip() if where else culprit,
            line=line,
            path=(column,),
            hint=Message("fix or drop that row, or map another column with --map"),
        )
    low = str(exc).lower()
    hint = None
    if "gzip" in low or "zstd" in low or "compress" in low or "inflate" in low or "truncat" in low:
        hint = Message("the compressed file looks truncated or corrupt (check it with gzip -t); download or export it again")
    elif "could not convert" in low or "conversion" in low:
        col = _column_in(low, res)
        hint = (
            Message("column {col!r} holds a value that is not a number; fix the value, or map another column with --map", col=col)
            if col
            else Message("fix the value, or map another column with --map")
        )
    elif "no files found" in low or "no such file" in low:
        hint = Message("check the path")
    return LogError(Message("cannot read the log: {text}", text=text), file=culprit, hint=hint)


def _conversion(message: str) -> tuple[int | None, str, str, str] | None:
    """(line, column, value, type) of DuckDB's CSV conversion error, or None."""
    m = re.search(r'Error when converting column "(.+?)"\. Could not convert string "(.*?)" to \'(.+?)\'', message)
    if not m:
        return None
    line = re.search(r"Line: (\d+)", message)
    return (int(line.group(1)) if line else None), m.group(1), m.group(2), m.group(3).upper()


def _column_in(low_message: str, res: Resolved | None) -> str | None:
    if res is None:
        return None
    for col in res.columns.values():
        if col.lower() in low_message:
            return col
    return None


def _bad_time_error(con, paths, kind, res: Resolved, types, overrides, bad: int) -> LogError:
    """Name a file, the time column and one value of it that does not parse."""
    col = res.columns["time"]
    src = source_sql(paths, kind, overrides).rstrip(")") + ", filename = true)"
    expr = sqlmod.time_expr(col, types)
    example = con.execute(f"SELECT filename, CAST({sqlmod.quote(col)} AS VARCHAR) FROM {src} WHERE ({expr}) IS NULL LIMIT 1").fetchall()
    file, value = example[0] if example else (", ".join(paths), None)
    shown = "empty" if value in (None, "") else repr(value)
    return LogError(
        Message("{bad:,} row(s) have a time that does not parse (first: {shown})", bad=bad, shown=shown),
        file=file,
        path=(col,),
        hint=Message(
            "times must look like 2026-01-31 or 2026-01-31T12:00:00Z, or be Unix seconds; fix or drop those rows, or map another column with --map time=COLUMN"
        ),
    )


def read_aggregated(path: str) -> list[dict[str, Any]]:
    """Read the result of the printed query (saved as CSV from a warehouse)."""
    from ..yamlsrc import read_text_file

    text = read_text_file(path, what="aggregate file", max_bytes=50 * 1024 * 1024, error_cls=LogError)
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in sqlmod.OUTPUT_COLUMNS if c not in header]
    if missing:
        raise LogError(
            "not the result of ftcost calibrate --print-sql: missing column(s) " + ", ".join(missing), file=path, hint="columns found: " + ", ".join(header)
        )
    out = []
    for i, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v.strip() if isinstance(v, str) else v) for k, v in raw.items() if k}
        rec: dict[str, Any] = {}
        for c in sqlmod.OUTPUT_COLUMNS:
            v = row.get(c)
            if v in ("", None, "NULL", "null", "None"):
                rec[c] = None
            elif c in ("month", "first_seen", "last_seen"):
                rec[c] = _parse_time(v, path, i, c)
            elif c == "model":
                rec[c] = v
            elif c == "is_total":
                rec[c] = 1 if v.lower() in ("1", "true", "t") else 0
            else:
                try:
                    rec[c] = float(v)
                except ValueError:
                    raise LogError(Message("expected a number, got {value!r}", value=v), file=path, line=i, path=(c,)) from None
        out.append(rec)
    return out


def _parse_time(v: str, path: str, line: int, col: str) -> _dt.datetime:
    text = v.replace("T", " ").replace("Z", "").replace(" UTC", "")
    if len(text) >= 3 and text[-3] in "+-" and text[-6:-5] != "-":
        text = text[:-3]  # a "+00" offset, as Postgres prints it
    text = text.split("+")[0]
    try:
        return _dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise LogError(Message("expected a date or timestamp, got {value!r}", value=v), file=path, line=line, path=(col,)) from None
