"""ftcost export: the tidy CSV equals the JSON schedule; the XLSX has formulas and, evaluated, the engine's totals.

The XLSX formulas are evaluated by a small evaluator written here for exactly
the shapes ftcost emits (arithmetic, comparisons, IF/AND/MAX/MIN/SUM/AVERAGE/
MOD/INT/ROUND/ROUNDUP/ABS/ISNUMBER/MATCH/INDEX/IFERROR, cell and range
references across sheets, defined names). No LibreOffice and no extra
package needed; the evaluator fails loudly on anything else, so a new
formula shape shows up here first.
"""

from __future__ import annotations

import csv
import glob
import io
import math
import os
from pathlib import Path

import numpy as np
import pytest

from ftcost.api import compare
from ftcost.render.export import SCHEDULE_COLUMNS, schedule, to_csv, write_export

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.formula.tokenizer import Token, Tokenizer  # noqa: E402
from openpyxl.utils import range_boundaries  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


# --------------------------------------------------------------------------
# A small spreadsheet formula evaluator


class XlError(Exception):
    """An Excel error value (#N/A, #DIV/0!, ...)."""


def _xl_round(x: float, n: int) -> float:
    f = 10.0**n
    return math.copysign(math.floor(abs(x) * f + 0.5) / f, x)


def _xl_roundup(x: float, n: int) -> float:
    f = 10.0**n
    return math.copysign(math.ceil(abs(x) * f) / f, x)


def _flat(args):
    for a in args:
        if isinstance(a, list):
            yield from a
        else:
            yield a


def _nums(args):
    return [float(v) for v in _flat(args) if isinstance(v, (int, float)) and not isinstance(v, bool)]


class Workbook:
    """Evaluate cells of an openpyxl workbook (loaded with formulas, not cached values)."""

    def __init__(self, wb):
        self.wb = wb
        self.cache: dict[tuple[str, str], object] = {}
        self.names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
        self.overrides: dict[tuple[str, str], object] = {}

    def set(self, sheet: str, coord: str, value) -> None:
        self.overrides[(sheet, coord.replace("$", ""))] = value
        self.cache.clear()

    def value(self, sheet: str, coord: str):
        key = (sheet, coord.replace("$", ""))
        if key in self.overrides:
            return self.overrides[key]
        if key not in self.cache:
            raw = self.wb[sheet][key[1]].value
            if isinstance(raw, str) and raw.startswith("="):
                try:
                    self.cache[key] = self.formula(raw, sheet)
                except XlError as exc:
                    self.cache[key] = exc
            else:
                self.cache[key] = raw
        v = self.cache[key]
        if isinstance(v, XlError):
            raise v
        return v

    def ref(self, text: str, sheet: str):
        if text in self.names:
            text = self.names[text]
        if "!" in text:
            sheet, text = text.rsplit("!", 1)
            sheet = sheet.strip("'").replace("''", "'")
        text = text.replace("$", "")
        if ":" in text:
            c0, r0, c1, r1 = range_boundaries(text)
            from openpyxl.utils import get_column_letter

            return [self.value(sheet, f"{get_column_letter(c)}{r}") for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        return self.value(sheet, text)

    # parsing -------------------------------------------------------------
    def formula(self, text: str, sheet: str):
        toks = [t for t in Tokenizer(text).items if t.type != Token.WSPACE]
        self._toks, self._i, self._sheet = toks, 0, sheet
        node = self._expr(0)
        assert self._i == len(toks), f"trailing tokens in {text}"
        return self._eval(node)

    def _peek(self):
        return self._toks[self._i] if self._i < len(self._toks) else None

    def _next(self):
        t = self._toks[self._i]
        self._i += 1
        return t

    PREC = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4, "^": 5}

    def _expr(self, min_prec):
        left = self._primary()
        while True:
            t = self._peek()
            if t is None or t.type != Token.OP_IN or self.PREC[t.value] < min_prec:
                return left
            self._next()
            p = self.PREC[t.value]
            right = self._expr(p + 1)
            left = ("op", t.value, left, right)

    def _primary(self):
        t = self._next()
        if t.type == Token.OP_PRE:
            return ("neg" if t.value == "-" else "pos", self._primary())
        if t.type == Token.OPERAND:
            if t.subtype == Token.NUMBER:
                return ("lit", float(t.value))
            if t.subtype == Token.TEXT:
                return ("lit", t.value[1:-1].replace('""', '"'))
            if t.subtype == Token.LOGICAL:
                return ("lit", t.value.upper() == "TRUE")
            return ("ref", t.value, self._sheet)
        if t.type == Token.PAREN and t.subtype == Token.OPEN:
            e = self._expr(0)
            assert self._next().subtype == Token.CLOSE
            return e
        if t.type == Token.FUNC and t.subtype == Token.OPEN:
            name = t.value[:-1].upper()
            args = []
            if not (self._peek().type == Token.FUNC and self._peek().subtype == Token.CLOSE):
                while True:
                    args.append(self._expr(0))
                    nt = self._next()
                    if nt.type == Token.SEP:
                        continue
                    assert nt.type == Token.FUNC and nt.subtype == Token.CLOSE, nt
                    break
            else:
                self._next()
            return ("fn", name, args)
        raise AssertionError(f"unexpected token {t.type} {t.value!r}")

    # evaluation ----------------------------------------------------------
    def _eval(self, n):
        kind = n[0]
        if kind == "lit":
            return n[1]
        if kind == "ref":
            return self.ref(n[1], n[2])
        if kind == "neg":
            return -self._num(self._eval(n[1]))
        if kind == "pos":
            return self._eval(n[1])
        if kind == "op":
            op, a, b = n[1], self._eval(n[2]), self._eval(n[3])
            if isinstance(a, list) or isinstance(b, list):  # an array formula (inside SUMPRODUCT): element by element
                xs = a if isinstance(a, list) else [a] * len(b)
                ys = b if isinstance(b, list) else [b] * len(a)
                return [self._eval(("op", op, ("lit", x), ("lit", y))) for x, y in zip(xs, ys, strict=True)]
            if op in ("=", "<>", "<", ">", "<=", ">="):
                return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
            a, b = self._num(a), self._num(b)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if op == "/":
                if b == 0:
                    raise XlError("#DIV/0!")
                return a / b
            if op == "^":
                return a**b
            raise AssertionError(op)
        if kind == "fn":
            return self._call(n[1], n[2])
        raise AssertionError(kind)

    @staticmethod
    def _num(v):
        if isinstance(v, bool):
            return 1.0 if v else 0.0
        if v is None:
            return 0.0
        if isinstance(v, (int, float)):
            return float(v)
        raise XlError("#VALUE!")

    def _call(self, name, args):
        ev = self._eval
        if name == "IF":
            cond = ev(args[0])
            return ev(args[1]) if (cond if isinstance(cond, bool) else self._num(cond) != 0) else (ev(args[2]) if len(args) > 2 else False)
        if name == "IFERROR":
            try:
                return ev(args[0])
            except XlError:
                return ev(args[1])
        vals = [ev(a) for a in args]
        if name == "AND":
            return all(bool(v) for v in _flat(vals))
        if name == "MAX":
            return max(_nums(vals))
        if name == "MIN":
            return min(_nums(vals))
        if name == "SUM":
            return sum(_nums(vals))
        if name == "SUMPRODUCT":
            cols = [[self._num(v) for v in (x if isinstance(x, list) else [x])] for x in vals]
            return sum(math.prod(t) for t in zip(*cols, strict=True))
        if name == "AVERAGE":
            xs = _nums(vals)
            return sum(xs) / len(xs)
        if name == "MOD":
            a, b = self._num(vals[0]), self._num(vals[1])
            return a - b * math.floor(a / b)
        if name == "INT":
            return float(math.floor(self._num(vals[0])))
        if name == "ROUND":
            return _xl_round(self._num(vals[0]), int(self._num(vals[1])))
        if name == "ROUNDUP":
            return _xl_roundup(self._num(vals[0]), int(self._num(vals[1])))
        if name == "ABS":
            return abs(self._num(vals[0]))
        if name == "ISNUMBER":
            return isinstance(vals[0], (int, float)) and not isinstance(vals[0], bool)
        if name == "MATCH":
            target, rng, mode = vals[0], vals[1], self._num(vals[2])
            assert mode == 0
            for k, v in enumerate(rng, 1):
                if v == target:
                    return k
            raise XlError("#N/A")
        if name == "INDEX":
            return vals[0][int(self._num(vals[1])) - 1]
        raise AssertionError(f"function {name} is not in the evaluator")


def test_evaluator_on_known_formulas():
    from openpyxl import Workbook as WB

    wb = WB()
    ws = wb.active
    ws.title = "S"
    ws["A1"], ws["A2"], ws["A3"] = 2, 3, 0
    ws["B1"] = "=A1+A2*2^2"  # 2 + 3*4 = 14
    ws["B2"] = '=IF(A3>0,A1/A3,"none")'  # the untaken branch divides by zero: never evaluated
    ws["B3"] = '=IFERROR(MATCH(1,A1:A3,0),"none")'  # no 1 in 2, 3, 0
    ws["B4"] = "=ROUNDUP(ROUND(A2/A1,9),0)+MOD(7-1,3)+INT(2.7)"  # ceil(1.5)=2, 0, 2 -> 4
    ev = Workbook(wb)
    assert ev.value("S", "B1") == 14
    assert ev.value("S", "B2") == "none"
    assert ev.value("S", "B3") == "none"
    assert ev.value("S", "B4") == 4


# --------------------------------------------------------------------------
# Scenarios

# Hand-checkable: testco's base-1 (input $1.00 per 1M) and tune-1 fine-tuned
# (input $3.00, training $10.00 per 1M, hosting $1.00/h, storage $5/month).
HAND = """
ftcost: 1
name: hand
start: 2027-01
horizon_months: 3
pricing: [catalogs/testco.yaml]
volume: {requests_per_month: 1000000, growth_per_month: 0.1}
strategies:
  - name: prompt
    type: prompt
    model: testco/base-1
    request: {prompt_tokens: 1000}
  - name: tuned
    type: fine_tuned
    model: testco/tune-1
    request: {prompt_tokens: 100}
    hosting: {hours_per_month: 100}
    training: {tokens: 1000000, epochs: 2, retrain_every_months: 2, one_time_cost: 50}
"""
# prompt: 1000 tokens x $1/1M = $0.001/request; volumes 1,000,000, 1,100,000, 1,210,000
#   -> months $1,000, $1,100, $1,210; total $3,310.
# tuned: 100 x $3/1M = $0.0003/request; fixed $1 x 100 h + $5 storage = $105/month;
#   training run 1,000,000 x 2 x $10/1M = $20 in months 1 and 3; one-time $50 in month 1.
#   month 1: 105 + 300 + 20 + 50 = 475; month 2: 105 + 330 = 435; month 3: 105 + 363 + 20 = 488;
#   total 1,398. Cumulative 475 <= 1,000: payback in month 1.
#   Break-even: Fbar = 105 + (50 + 2 x 20) / 3 = 135; V* = (135 - 0) / (0.001 - 0.0003) = 192,857.14...
HAND_MONTHLY = {"prompt": [1000.0, 1100.0, 1210.0], "tuned": [475.0, 435.0, 488.0]}
HAND_BREAK_EVEN = 135 / 0.0007


@pytest.fixture
def hand(write_scenario):
    return write_scenario(HAND)


def _result(path, **kw):
    return compare(path, **kw)


def repo_scenarios():
    return sorted(glob.glob(str(REPO / "scenarios" / "*.yaml")))


# --------------------------------------------------------------------------
# CSV


def test_csv_equals_json_schedule(hand):
    r = _result(hand)
    rows = list(csv.DictReader(io.StringIO(to_csv(r))))
    d = r.to_dict()
    assert len(rows) == 2 * 3  # one row per strategy and month
    assert list(rows[0]) == [
        "strategy",
        "month",
        "calendar_month",
        "requests",
        "variable_cost",
        "fixed_cost",
        "gpu_cost",
        "training_cost",
        "one_time_cost",
        "data_generation_cost",
        "total_cost",
        "cumulative_cost",
        "currency",
    ]
    for s in d["strategies"]:
        mine = [row for row in rows if row["strategy"] == s["name"]]
        assert [int(row["month"]) for row in mine] == [1, 2, 3]
        assert [row["calendar_month"] for row in mine] == ["2027-01", "2027-02", "2027-03"]
        assert [float(row["total_cost"]) for row in mine] == s["monthly"]  # exactly: repr round-trips
        np.testing.assert_allclose([float(row["cumulative_cost"]) for row in mine], np.cumsum(s["monthly"]), rtol=1e-12)
        np.testing.assert_allclose(s["monthly"], HAND_MONTHLY[s["name"]], rtol=1e-12)
        parts = sum(
            np.array([float(row[k]) for row in mine])
            for k in ("variable_cost", "fixed_cost", "gpu_cost", "training_cost", "one_time_cost", "data_generation_cost")
        )
        np.testing.assert_allclose(parts, s["monthly"], rtol=1e-12)
    tuned = [row for row in rows if row["strategy"] == "tuned"]
    assert [float(row["training_cost"]) for row in tuned] == pytest.approx([20, 0, 20])
    assert [float(row["one_time_cost"]) for row in tuned] == pytest.approx([50, 0, 0])
    assert [float(row["fixed_cost"]) for row in tuned] == pytest.approx([105, 105, 105])


@pytest.mark.parametrize("path", repo_scenarios(), ids=lambda p: Path(p).stem)
def test_schedule_parts_add_up_for_every_shipped_scenario(path):
    r = _result(path)
    s = schedule(r)
    parts = s["variable_cost"] + s["fixed_cost"] + s["gpu_cost"] + s["training_cost"] + s["one_time_cost"] + s["data_generation_cost"]
    np.testing.assert_allclose(parts, s["total_cost"], rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(s["total_cost"], np.array([x["monthly"] for x in r.to_dict()["strategies"]]))


# --------------------------------------------------------------------------
# XLSX


def _load(path):
    return openpyxl.load_workbook(path)  # formulas, not cached values


def _summary_rows(wb):
    ws = wb["Summary"]
    out = {}
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 2).value in ("prompt", "fine_tuned", "self_hosted") or (ws.cell(row, 3).value and "/" in str(ws.cell(row, 3).value)):
            out[ws.cell(row, 1).value] = row
    return out


def test_xlsx_has_formulas_where_promised(hand, tmp_path):
    out = tmp_path / "hand.xlsx"
    write_export(_result(hand), out)
    wb = _load(out)
    assert wb.sheetnames == ["Summary", "Inputs", "Schedule", "Sources"]
    sh = wb["Schedule"]
    assert [c.value for c in sh[1]] == SCHEDULE_COLUMNS
    for row in range(2, 2 + 2 * 3):
        for col in "DEFGHIJKLMN":  # everything after strategy, month and calendar month
            v = sh[f"{col}{row}"].value
            assert isinstance(v, str) and v.startswith("="), (col, row, v)
    assert sh["D2"].value == "=Volume_month1*(1+Growth_per_month)^(B2-1)"
    rows = _summary_rows(wb)
    sm = wb["Summary"]
    for name, row in rows.items():
        for col in "DEFG":
            assert str(sm[f"{col}{row}"].value).startswith("="), (name, col)
    assert str(sm[f"H{rows['tuned']}"].value).startswith("=IF(")  # break-even
    assert "IFERROR(MATCH(" in str(sm[f"J{rows['tuned']}"].value)  # payback
    # Inputs are plain numbers (yellow), derived values are formulas.
    inp = wb["Inputs"]
    assert inp[wb.defined_names["Volume_month1"].attr_text.split("!")[1].replace("$", "")].value == 1_000_000
    labels = {inp.cell(r, 1).value: r for r in range(1, inp.max_row + 1)}
    assert inp.cell(labels["Input price"], 3).value == 1.0  # testco base-1, $1.00 per 1M
    assert str(inp.cell(labels["Token cost per request (month-1 prices)"], 3).value).startswith("=")
    assert wb.calculation.fullCalcOnLoad


def test_xlsx_evaluated_hand_numbers(hand, tmp_path):
    out = tmp_path / "hand.xlsx"
    r = _result(hand)
    write_export(r, out)
    wb = _load(out)
    ev = Workbook(wb)
    rows = _summary_rows(wb)
    # Totals by hand (comment at HAND): 3,310 and 1,398.
    assert ev.value("Summary", f"D{rows['prompt']}") == pytest.approx(3310, rel=1e-12)
    assert ev.value("Summary", f"D{rows['tuned']}") == pytest.approx(1398, rel=1e-12)
    assert ev.value("Summary", f"H{rows['tuned']}") == pytest.approx(HAND_BREAK_EVEN, rel=1e-12)
    assert ev.value("Summary", f"H{rows['tuned']}") == pytest.approx(r.strategies[1].break_even_requests_per_month, rel=1e-12)
    assert ev.value("Summary", f"I{rows['tuned']}") == "above"
    assert ev.value("Summary", f"J{rows['tuned']}") == 1
    sm = wb["Summary"]
    cheapest_row = next(row for row in range(1, sm.max_row + 1) if sm.cell(row, 1).value == "Cheapest over the horizon")
    assert ev.value("Summary", f"B{cheapest_row}") == "tuned"
    # Every month of the schedule, against the engine.
    for k in range(3):
        assert ev.value("Schedule", f"K{2 + k}") == pytest.approx(HAND_MONTHLY["prompt"][k], rel=1e-12)
        assert ev.value("Schedule", f"K{5 + k}") == pytest.approx(HAND_MONTHLY["tuned"][k], rel=1e-12)


def _inputs_cell(wb, label: str, strategy_index: int) -> str:
    inp = wb["Inputs"]
    for r in range(1, inp.max_row + 1):
        if inp.cell(r, 1).value == label:
            return inp.cell(r, 3 + strategy_index).coordinate
    raise KeyError(label)


def test_xlsx_recomputes_when_a_finance_user_changes_inputs(hand, tmp_path):
    out = tmp_path / "hand.xlsx"
    write_export(_result(hand), out)
    wb = _load(out)
    ev = Workbook(wb)
    rows = _summary_rows(wb)
    vol_cell = wb.defined_names["Volume_month1"].attr_text.split("!")[1]
    growth_cell = wb.defined_names["Growth_per_month"].attr_text.split("!")[1]

    # Volume 2,000,000 and no growth: prompt 3 x 2,000 = 6,000; tuned 3 x (105 + 600) + 2 x 20 + 50 = 2,205.
    ev.set("Inputs", vol_cell, 2_000_000.0)
    ev.set("Inputs", growth_cell, 0.0)
    assert ev.value("Summary", f"D{rows['prompt']}") == pytest.approx(6000, rel=1e-12)
    assert ev.value("Summary", f"D{rows['tuned']}") == pytest.approx(2205, rel=1e-12)
    engine = _result(hand, volume=2_000_000)
    # (the engine run keeps 10% growth; check the sheet against it with growth restored)
    ev.set("Inputs", growth_cell, 0.1)
    for _i, s in enumerate(engine.strategies):
        assert ev.value("Summary", f"D{rows[s.name]}") == pytest.approx(s.total_cost, rel=1e-12)

    # A price: the fine-tuned input price from $3 to $1 per 1M -> $0.0001/request at 1,000,000 a month:
    # months 105 + 100 + 20 + 50 = 275, 105 + 110 = 215, 105 + 121 + 20 = 246 -> 736.
    ev.set("Inputs", vol_cell, 1_000_000.0)
    ev.set("Inputs", _inputs_cell(wb, "Input price", 1), 1.0)
    assert ev.value("Summary", f"D{rows['tuned']}") == pytest.approx(736, rel=1e-12)


@pytest.mark.parametrize("path", repo_scenarios(), ids=lambda p: Path(p).stem)
def test_xlsx_evaluated_equals_engine_for_every_shipped_scenario(path, tmp_path):
    r = _result(path)
    out = tmp_path / "s.xlsx"
    write_export(r, out)
    wb = _load(out)
    ev = Workbook(wb)
    rows = _summary_rows(wb)
    h = r.scenario.horizon_months
    for i, s in enumerate(r.strategies):
        assert ev.value("Summary", f"D{rows[s.name]}") == pytest.approx(s.total_cost, rel=1e-9)
        for k in (0, h - 1):
            assert ev.value("Schedule", f"K{2 + i * h + k}") == pytest.approx(s.monthly[k], rel=1e-9)
        if i != r.scenario.baseline:
            be = ev.value("Summary", f"H{rows[s.name]}")
            if s.break_even_requests_per_month is None:
                assert be == "never"
            else:
                assert be == pytest.approx(s.break_even_requests_per_month, rel=1e-9)
            pay = ev.value("Summary", f"J{rows[s.name]}")
            base_total = r.strategies[r.scenario.baseline].total_cost
            dearer = s.total_cost > base_total * (1 + 1e-9)  # ahead for a while, dearer over the months
            assert pay == (s.payback_month if s.payback_month and not dearer else "none")


# --------------------------------------------------------------------------
# The command


from cli_run import run_cli as cli  # noqa: E402


def test_export_command_writes_both_kinds(hand, tmp_path):
    for name in ("x.csv", "x.xlsx"):
        code, out, err = cli(["export", hand, "-o", tmp_path / name])
        assert code == 0, err
        assert (tmp_path / name).stat().st_size > 0
        assert f"wrote {tmp_path / name}" in err
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]  # no temporary files left


@pytest.mark.parametrize(
    "target, message",
    [
        ("x.json", "unknown output type '.json'"),
        ("no-such-folder/x.csv", "does not exist"),
        ("", "is a directory"),
    ],
)
def test_export_bad_output_paths_exit_2(hand, tmp_path, target, message):
    code, out, err = cli(["export", hand, "-o", tmp_path / target if target else tmp_path])
    assert code == 2
    assert "Error: " in err and message in err, err


def test_export_never_overwrites_its_input(write_scenario, tmp_path):
    # A scenario saved with a .csv name, exported onto itself: refused, file intact.
    p = write_scenario(HAND, name="scenario.csv")
    before = p.read_bytes()
    code, out, err = cli(["export", p, "-o", p])
    assert code == 2 and "one of the inputs" in err
    assert p.read_bytes() == before


def test_export_replaces_an_existing_output(hand, tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("old")
    code, out, err = cli(["export", hand, "-o", target])
    assert code == 0
    assert target.read_text().startswith("strategy,month,")


def test_export_unwritable_target_is_a_clean_error(hand, tmp_path, monkeypatch):
    # A write that fails half-way (disk full) leaves no file and exits 2.
    import ftcost.render.export as ex

    def boom(self, filename):
        Path(filename).write_bytes(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ex, "workbook", lambda result: type("WB", (), {"save": boom})())
    code, out, err = cli(["export", hand, "-o", tmp_path / "x.xlsx"])
    assert code == 2 and "No space left on device" in err, err
    assert not (tmp_path / "x.xlsx").exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".x.xlsx")]
