"""Spreadsheet-safe text: a name or a source can never become a live formula.

A spreadsheet program evaluates a CSV cell that starts with ``=``, ``+``,
``-`` or ``@`` (and some also after a tab or a carriage return) as a formula:
a strategy named ``=HYPERLINK("http://...")`` or a catalog ``source:`` of
``=WEBSERVICE(...)`` would run when the file is opened. Following the OWASP
guidance on CSV injection (https://owasp.org/www-community/attacks/CSV_Injection),
such text is written with a leading single quote in CSV, and as a string
cell (never a formula) in XLSX. Numbers are not text and stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _looks_like_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet would read as a formula (a lone '-' or a number written as text is not)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and value != "-" and not _looks_like_number(value)


def spreadsheet_text(value: Any) -> Any:
    """``value`` as a CSV cell: formula-looking text gets a leading single quote; anything else is unchanged."""
    return "'" + value if is_formula_like(value) else value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """A CSV row with every cell passed through :func:`spreadsheet_text`."""
    return [spreadsheet_text(v) for v in row]


def user_texts(result) -> set[str]:
    """Every text of ``result`` that came from the user's files (names, model ids, sources, notes, warnings)."""
    out: set[str] = set()

    def walk(v: Any) -> None:
        if isinstance(v, str):
            out.add(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    walk(result.to_dict())
    sc = result.scenario
    walk([sc.name, sc.currency, getattr(sc, "baseline_name", "")])
    walk([[s.name, str(getattr(s, "model", ""))] for s in sc.strategies])
    return out


def guard_workbook(wb, texts: set[str]) -> int:
    """Make every cell of ``wb`` whose value is one of ``texts`` and would be a formula a string cell; return how many.

    openpyxl stores a str starting with '=' as a formula; ftcost's own
    formulas are never user text, so they stay formulas.
    """
    risky = {t for t in texts if t.startswith("=")}
    n = 0
    if not risky:
        return 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" and c.value in risky:
                    c.data_type = "s"
                    n += 1
    return n
