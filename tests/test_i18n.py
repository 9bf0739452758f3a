"""Spanish: complete catalogs, Babel formats, every human output rendered in both languages.

An English message left in a Spanish output fails here: every message the
code marks (``_()``, ``N_()``, ``ngettext()``) must have a Spanish
translation with the same {fields}, and the literal English text of every
translated message must be absent from the Spanish outputs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import pytest

import ftcost
from ftcost import i18n
from ftcost.render import lfmt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import i18n_catalog  # noqa: E402

SCENARIOS = ["review-stars", "support-azure", "self-hosted-llama", "review-stars-uncertain", "distilled-classifier", "internal-tool"]


@pytest.fixture(scope="module")
def catalogs():
    return i18n_catalog.extract(), i18n_catalog.read("es")


def test_every_message_has_a_spanish_translation(catalogs):
    template, es = catalogs
    assert len(template) > 100
    assert i18n_catalog.missing(template, es) == []


def test_translations_keep_the_fields(catalogs):
    template, es = catalogs
    fields = lambda t: sorted(re.findall(r"\{(\w*)\}", t))  # noqa: E731
    for m in template:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        got = es.get(m.id)
        strings = [got.string] if isinstance(got.string, str) else list(got.string)
        for s in strings:
            assert fields(s) == fields(ids[-1]) or fields(s) == fields(ids[0]), (m.id, s)


def english_fragments(template, es) -> list[str]:
    """Literal pieces (3+ words) of English messages whose Spanish differs, and which no Spanish text contains."""
    spanish = " ".join(s for m in es if m.id for s in ([m.string] if isinstance(m.string, str) else m.string))
    out = set()
    for m in template:
        if not m.id:
            continue
        for msg in [m.id] if isinstance(m.id, str) else m.id:
            for piece in re.split(r"\{\w*\}", msg):
                piece = piece.strip(" ,.;:()'")
                if len(piece.split()) >= 3 and piece not in spanish:
                    out.add(piece)
    return sorted(out)


def workbook_text(result, path: Path) -> str:
    """Every cell's text and every comment of the XLSX the export writes."""
    from openpyxl import load_workbook

    from ftcost.render.export import write_export

    write_export(result, path)
    wb = load_workbook(path)
    parts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    parts.append(str(c.value))
                if c.comment is not None:
                    parts.append(c.comment.text)
    return "\n".join(parts)


def spanish_outputs(tmp_path) -> dict[str, str]:
    """Every human-facing output of every shipped scenario, in Spanish (text of the files)."""
    from ftcost.html_page import render
    from ftcost.render import text
    from ftcost.render.warnings_text import localized_warnings

    out = {}
    with i18n.use("es"):
        for name in SCENARIOS:
            r = ftcost.compare(ROOT / "scenarios" / f"{name}.yaml", today=dt.date(2026, 11, 30))
            out[f"{name} table"] = text.to_table(r)
            out[f"{name} markdown"] = text.to_markdown(r)
            out[f"{name} warnings"] = "\n".join(localized_warnings(r))
            if name in ("review-stars", "self-hosted-llama", "support-azure"):
                out[f"{name} xlsx"] = workbook_text(r, tmp_path / f"{name}.xlsx")
            if name in ("review-stars", "self-hosted-llama"):
                page = render(r)
                visible = page.split('<script id="ftcost-data"')[0]
                data = json.loads(re.search(r'<script id="ftcost-data" type="application/json">(.*?)</script>', page, re.S).group(1))
                out[f"{name} html"] = visible + json.dumps(data["text"], ensure_ascii=False) + " ".join(lab for c in data["controls"] for lab in c["labels"])
    return out


def test_spanish_outputs_carry_no_english_message(catalogs, tmp_path):
    template, es = catalogs
    fragments = english_fragments(template, es)
    assert len(fragments) > 50
    for what, text in spanish_outputs(tmp_path).items():
        left = [f for f in fragments if f in text]
        assert left == [], f"{what}: English left in the Spanish output: {left}"


def test_spanish_workbook_labels(tmp_path):
    with i18n.use("es"):
        r = ftcost.compare(ROOT / "scenarios" / "review-stars.yaml", today=dt.date(2026, 11, 30))
        text = workbook_text(r, tmp_path / "es.xlsx")
    assert "La más barata en el horizonte" in text and "Peticiones al mes en el mes 1" in text and "ene 2027" in text
    assert '"nunca"' in text or "nunca" in text


def test_english_outputs_carry_the_english_messages(tmp_path):
    from ftcost.render import text

    with i18n.use("en"):
        # (review-stars: its recommended plan runs the whole horizon; support-azure's models all retire, issue 13)
        r = ftcost.compare(ROOT / "scenarios" / "review-stars.yaml", today=dt.date(2026, 11, 30))
        t = text.to_table(r)
    from ftcost.render import fmt

    assert "total, 24 months" in t and "is the cheapest over 24 months" in t and fmt.money(r.cheapest.total_cost) in t


def test_babel_formats():
    with i18n.use("es"):
        assert lfmt.money(1453.64, "EUR") == "1.453,64 €"
        assert lfmt.money(-1453.64, "USD") == "-1.453,64 US$"
        assert i18n.date(dt.date(2026, 11, 30)) == "30 nov 2026"
        assert lfmt.count(1234567) == "1.234.567"
        assert lfmt.percent(0.466) == "46,6 %"
        assert lfmt.money_format("EUR") == {"group": ".", "decimal": ",", "before": "", "after": " €"}
        assert lfmt.money(4351.225, "EUR") == "4.351,23 €"  # the float's exact value rounds up, as in English
    with i18n.use("en"):
        assert lfmt.money(1453.64, "EUR") == "€1,453.64"
        assert i18n.date(dt.date(2026, 11, 30)) == "2026-11-30"
        assert lfmt.money(4351.225, "USD") == "$4,351.23"


def test_language_from_the_environment(cli, monkeypatch):
    scenario = ROOT / "scenarios" / "review-stars.yaml"
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    rc, out, err = cli("compare", scenario)
    assert rc == 0 and "peticiones/mes" in out and "aviso:" in err
    rc, out, _ = cli("compare", scenario, "--lang", "en")
    assert rc == 0 and "requests/month" in out
    monkeypatch.setenv("LANG", "C.UTF-8")
    rc, out, _ = cli("compare", scenario)
    assert rc == 0 and "requests/month" in out
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")  # no French: English
    rc, out, _ = cli("compare", scenario)
    assert rc == 0 and "requests/month" in out
    i18n.set_language("en")


def test_json_and_csv_do_not_change_with_the_language(cli):
    scenario = ROOT / "scenarios" / "support-azure.yaml"
    for fmt in ("json", "csv"):
        _, en, _ = cli("compare", scenario, "--format", fmt, "--lang", "en")
        _, es, _ = cli("compare", scenario, "--format", fmt, "--lang", "es")
        assert en == es
    i18n.set_language("en")


def test_errors_in_spanish(cli, tmp_path):
    rc, _, err = cli("report", ROOT / "scenarios" / "review-stars.yaml", "-o", tmp_path / "no" / "p.html", "--lang", "es")
    assert rc == 2 and "no existe" in err and "sugerencia:" in err
    rc, _, err = cli("compare", ROOT / "scenarios" / "review-stars.yaml", "--lang", "de")
    assert rc == 2 and "--lang" in err
    i18n.set_language("en")


def test_unknown_language_in_the_library():
    with pytest.raises(ftcost.FtcostError, match="unknown language 'fr'"):
        i18n.resolve("fr")


def test_pdf_report_and_chart_in_spanish(cli, tmp_path):
    """``--lang es``: the PDF report and ``ftcost plot`` are written in Spanish, numbers and dates in Spain's formats."""
    from pypdf import PdfReader

    out = tmp_path / "r.pdf"
    rc, _, err = cli("report", ROOT / "scenarios" / "review-stars.yaml", "-o", out, "--lang", "es")
    assert rc == 0 and "inglés" not in err and "aviso:" in err
    text = "\n".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "Cifras clave" in text and "(referencia)" in text and "Key numbers" not in text
    assert re.search(r"\d\.\d{3},\d{2} US\$", text)  # 1.453,64 US$
    chart = tmp_path / "c.pdf"
    rc, _, err = cli("plot", ROOT / "scenarios" / "review-stars.yaml", "-o", chart, "--kind", "cumulative", "--lang", "es")
    words = PdfReader(str(chart)).pages[0].extract_text()
    assert rc == 0 and "Coste acumulado" in words and "Cumulative cost" not in words
    i18n.set_language("en")
