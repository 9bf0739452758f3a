"""Every human-facing output rendered in both languages; the Spanish one may carry no English.

Two checks on the text of each output (compare table, markdown, warnings,
PDF report read back with pypdf, the text artists of both charts, the HTML
page, the workbook's cells and comments):

- no message the code marks for translation is left in English
  (:func:`english_fragments`: 3+ word pieces of the English message ids);
- no English word at all (:data:`ENGLISH`, words that are not Spanish), once
  the scenario's own data is taken out: strategy and scenario names, model
  ids, price sources and catalog notices, which stay as written. This finds
  text that was never marked for translation.

The scenarios trigger feasibility and migration lines (spanish-reviews,
support-azure), warnings, self-hosted GPU rows (self-hosted-llama,
spanish-reviews) and the simulation page (review-stars-uncertain).
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
from ftcost.api import report_facts

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import i18n_catalog  # noqa: E402

TODAY = dt.date(2026, 11, 30)
SCENARIOS = ["spanish-reviews", "review-stars", "support-azure", "self-hosted-llama", "review-stars-uncertain"]

# English words that are not Spanish words (nor model, unit or file names): one of them in a Spanish output is
# text nobody translated.
ENGLISH = set(
    """
    the of and with from over per month months cost costs cheapest cheaper dearer requests request training baseline
    payback average cannot retires retired successor whatever recommended carried only would which when where than
    after before between samples savings volume page warning warnings note none never yes above below hours replicas
    runs run its this that these those will each every any all is are be it at on to in by no not or for you your
    total spread shading changes break-even monthly cumulative calendar provider models accepting new jobs prices
    price source strategy strategies inputs assumptions key numbers fixed schedule variable generation data
    recommendation keep choose switch saving saves
    """.split()
)
ENGLISH -= {"no", "total", "variable"}  # Spanish words too
SHEETS = r"\b(?:Summary|Inputs|Schedule|Sources)\b"  # the workbook's sheet names, in its formulas: the same in every language


def data_strings(result) -> list[str]:
    """The scenario's own words, which stay as written in every language (longest first)."""
    sc = result.scenario
    out = [sc.name, sc.description or "", Path(sc.file).name if sc.file else ""]
    for s, st in zip(result.strategies, sc.strategies):
        out += [s.name, s.model, st.model.ref, st.model.id, st.description or "", st.model.notice or "", st.model.ft_notice or ""]
        out += [str(p.source or "") for p in s.prices.values()]
        out += [str(v) for v in (s.token_sources or {}).values()]
    return sorted({x for x in out if x}, key=len, reverse=True)


def _norm(word: str) -> str:
    """A word without the punctuation a sentence or a table cell puts around it."""
    return word.strip(",;:.!'\"")


def strip_data(text: str, data: list[str]) -> str:
    """``text`` less the scenario's data, also where a page wrapped it over several lines or table cells:
    every run of 2+ words (or a whole line) that occurs, word for word, in one of the data strings."""
    padded = " \n " + " \n ".join(" ".join(w for w in map(_norm, d.split()) if w) for d in data) + " \n "
    out = []
    for line in text.splitlines():
        words = [w for w in line.split() if _norm(w)]
        norm = [_norm(w) for w in words]
        keep = []
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and " " + " ".join(norm[i : j + 1]) + " " in padded:
                j += 1
            if j - i >= 2 or (i == 0 and j == len(words) == 1 and f" \n {norm[0]} \n " in padded):
                i = j
            else:
                keep.append(words[i])
                i += 1
        out.append(" ".join(keep))
    return "\n".join(out)


def english_words(text: str, data: list[str]) -> list[str]:
    """English words left in ``text`` once the data strings and identifiers (ids, paths, keys) are removed."""
    text = strip_data(text, data)
    text = re.sub(r"\S*[/_@\[\]]\S*|\S*\.(?:yaml|jsonl|json|csv)\b|\{\w*\}", " ", text)  # model ids, key paths, files, {fields}
    text = re.sub(SHEETS, " ", text)
    words = re.findall(r"[A-Za-zÁÉÍÓÚáéíóúñÑü][A-Za-zÁÉÍÓÚáéíóúñÑü-]*", text)
    return sorted({w for w in words if w.lower() in ENGLISH})


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


def figure_text(fig) -> str:
    """Every text artist of a drawn figure: titles, labels, legend, tick labels, annotations."""
    from matplotlib.text import Text

    fig.canvas.draw()
    return "\n".join(t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text())


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def workbook_text(result, path: Path) -> str:
    from openpyxl import load_workbook

    from ftcost.render.export import write_export

    write_export(result, path)
    parts = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and not str(c.value).startswith("="):  # formulas: sheet and function names
                    parts.append(str(c.value))
                if c.comment is not None:
                    parts.append(c.comment.text)
    return "\n".join(parts)


def html_text(result) -> str:
    from ftcost.html_page import render

    page = render(result)
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    visible = re.sub(r"<[^>]+>", " ", body).replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"')
    data = json.loads(re.search(r'<script id="ftcost-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    texts = "\n".join(str(v) for v in data["text"].values())
    return visible + "\n" + texts + "\n" + "\n".join(lab for c in data["controls"] for lab in c["labels"])


def outputs(name: str, lang: str, tmp_path: Path) -> tuple[dict[str, str], list[str]]:
    """Every human-facing output of scenario ``name`` in ``lang``, as text; and the scenario's data strings."""
    from ftcost.render import plot, text
    from ftcost.render.report import write_report

    out = {}
    with i18n.use(lang):
        r = ftcost.compare(ROOT / "scenarios" / f"{name}.yaml", today=TODAY)
        out["table"] = text.to_table(r)
        out["markdown"] = text.to_markdown(r)
        out["warnings"] = "\n".join(r.warnings_in_language())
        pdf = tmp_path / f"{name}-{lang}.pdf"
        write_report(report_facts(r), pdf, today=TODAY)
        out["pdf"] = pdf_text(pdf)
        for kind in plot.KINDS:
            out[f"{kind} chart"] = figure_text(plot.figure(r, kind))
        out["html"] = html_text(r)
        out["xlsx"] = workbook_text(r, tmp_path / f"{name}-{lang}.xlsx")
    return out, data_strings(r)


@pytest.fixture(scope="module")
def fragments():
    template, es = i18n_catalog.extract(), i18n_catalog.read("es")
    found = english_fragments(template, es)
    assert len(found) > 100
    return found


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_spanish_output_is_spanish(name, fragments, tmp_path):
    spanish, data = outputs(name, "es", tmp_path)
    assert set(spanish) == {"table", "markdown", "warnings", "pdf", "breakeven chart", "cumulative chart", "html", "xlsx"}
    for what, text in spanish.items():
        own = " ".join(strip_data(text, data).split())  # the scenario's data (a price source may say "per 1M tokens") left out
        assert [f for f in fragments if f in own] == [], f"{name} {what}: English message left in the Spanish output"
        assert english_words(text, data) == [], f"{name} {what}: English words in the Spanish output"
    assert "€" in spanish["pdf"] + spanish["table"] or "US$" in spanish["pdf"] + spanish["table"]
    assert "Cifras clave" in spanish["pdf"] and "página 1 de" in spanish["pdf"]


def test_the_english_outputs_are_english(tmp_path):
    english, data = outputs("spanish-reviews", "en", tmp_path)
    for what, text in english.items():
        assert english_words(text, data), f"{what}: no English in the English output"
    assert "Key numbers" in english["pdf"] and "page 1 of" in english["pdf"]
    assert "Requests per month (constant volume)" in english["breakeven chart"]


def test_the_detector_finds_an_unmarked_english_sentence():
    """The second check finds English that no catalog knows about."""
    assert english_words("Coste mensual: the cheapest strategy", ["Coste"]) == ["cheapest", "strategy", "the"]
    assert english_words("'few-shot prompt' es la más barata; openai/gpt-4o-mini", ["few-shot prompt"]) == []


def notes_scenario() -> dict:
    """A scenario whose reading leaves notes (issue 12): a bare model name in two catalogs, batch requests without a
    batch price, epochs assumed for a provider without a rule, a dataset with tool definitions not counted."""
    fixtures = Path(__file__).parent / "fixtures"
    request = {"prompt_tokens": 10}
    return {
        "ftcost": 1,
        "name": "notes",
        "start": "2026-12",
        "horizon_months": 3,
        "volume": {"requests_per_month": 1000},
        "pricing": ["openai", "azure-openai", "together"],
        "strategies": [
            {"name": "bare", "type": "prompt", "model": "gpt-4o-mini", "request": request},
            {"name": "batched", "type": "prompt", "model": "together/llama-3.1-8b-instruct", "request": request, "batch_share": 0.5},
            {
                "name": "tuned",
                "type": "fine_tuned",
                "model": "together/llama-3.1-8b-instruct",
                "request": request,
                "training": {"tokens": 1e6, "examples": 2500},
            },
            {
                "name": "tools",
                "type": "fine_tuned",
                "model": "openai/gpt-4o-mini",
                "request": request,
                "training": {"dataset": str(fixtures / "function_calling.jsonl")},
            },
        ],
    }


def test_the_notes_of_reading_a_scenario_in_spanish(tmp_path):
    """The notes ftcost writes while reading a scenario reach the Spanish outputs in Spanish (the JSON keeps English)."""
    from ftcost.render import text

    r = ftcost.compare(notes_scenario(), today=TODAY)
    english = r.warnings
    assert any("is in several catalogs" in w for w in english) and any("tool definitions" in w for w in english)
    assert any("no batch price" in w for w in english) and any("2,500 examples" in w for w in english)
    data = data_strings(r)
    with i18n.use("es"):
        spanish = r.warnings_in_language()
        table = text.to_table(r)
    assert len(spanish) == len(english)
    for w in spanish:
        assert english_words(w, data) == [], w
    assert english_words(table, data) == []
    joined = "\n".join(spanish)
    assert "2.500 ejemplos" in joined and "en varios catálogos" in joined and "definiciones de herramientas" in joined
    assert r.to_dict()["strategies"][3]["warnings"] == r.strategies[3].warnings  # the JSON: English
