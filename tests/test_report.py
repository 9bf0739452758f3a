"""ftcost report: the PDF has the expected pages and text (read back with pypdf); outputs are atomic."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path

import pytest

from ftcost.api import compare, report_facts
from ftcost.render import report

FIXTURES = Path(__file__).parent / "fixtures"
pypdf = pytest.importorskip("pypdf")

TODAY = dt.date(2026, 11, 25)

# testco (tests/fixtures/testco.yaml): base-1 input $1.00 per 1M; tune-1 fine-tuned input $3.00,
# training $10.00 per 1M, hosting $1.00/h, storage $5.00/month.
HAND = """
ftcost: 1
name: Hand-checked report
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
# prompt: $0.001/request x 1,000,000 / 1,100,000 / 1,210,000 = 1,000 + 1,100 + 1,210 = $3,310.
# tuned: $0.0003/request; $105/month fixed; $20 training in months 1 and 3; $50 once:
#   475 + 435 + 488 = $1,398; saving 3,310 - 1,398 = $1,912 (57.8%); cumulative 475 <= 1,000: payback month 1.

# closing-1 stops taking fine-tuning jobs after 2027-03-15 and retires 2027-06-30: warnings.
CLOSING = """
ftcost: 1
name: Closing provider
start: 2027-01
horizon_months: 48
pricing: [catalogs/testco.yaml]
volume: {requests_per_month: 500000}
strategies:
  - name: prompt
    type: prompt
    model: testco/base-1
    request: {prompt_tokens: 1000}
  - name: tuned on closing
    type: fine_tuned
    model: testco/closing-1
    request: {prompt_tokens: 100}
    training: {tokens: 1000000, epochs: 1, retrain_every_months: 3}
"""


def _pages(path) -> list[str]:
    reader = pypdf.PdfReader(str(path))
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in reader.pages]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s)


@pytest.fixture
def hand(write_scenario):
    return write_scenario(HAND)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """One run of ``ftcost report SCENARIO --png figures`` in a fresh folder (default output path),
    over an older reports/scenario.pdf that it must replace. Shared: a report takes seconds to draw."""
    import shutil

    d = tmp_path_factory.mktemp("made")
    (d / "catalogs").mkdir()
    shutil.copy(FIXTURES / "testco.yaml", d / "catalogs" / "testco.yaml")
    scen = d / "scenario.yaml"
    scen.write_text(HAND.lstrip("\n"), encoding="utf-8")
    (d / "reports").mkdir()
    (d / "reports" / "scenario.pdf").write_bytes(b"%PDF old")
    old = os.getcwd()
    os.chdir(d)
    try:
        code, out, err = cli(["report", "scenario.yaml", "--png", "figures"])
    finally:
        os.chdir(old)
    return d, code, err


def test_report_pages_and_text(made):
    d, code, err = made
    assert code == 0, err
    out = d / "reports" / "scenario.pdf"  # the default: reports/NAME.pdf
    assert "wrote reports/scenario.pdf" in err
    r = compare(d / "scenario.yaml")
    pages = _pages(out)  # the old file was replaced
    # 1 summary page, 2 charts, 1 schedule page (3 months), 1 prices page, then who still accepts fine-tuning jobs.
    assert len(pages) == 6
    p1 = pages[0]
    rec = report.recommendation(r)
    # The volume the totals are computed at: 1,000,000, 1,100,000, 1,210,000, average 3,310,000 / 3 = 1,103,333.
    # Payback in month 1 is nothing to pay back: "cheaper from month 1".
    assert rec == (
        "Fine-tune: choose 'tuned'. With volume going from 1,000,000 to 1,210,000 requests a month (average "
        "1,103,333), it costs $1,398.00 over 3 months against $3,310.00 for 'prompt', saving $1,912.00 (57.8%), "
        "and it is cheaper from month 1."
    )
    assert _norm(rec) in p1  # the recommendation, in one sentence, on page 1
    for text in (
        "Hand-checked report",
        "Key numbers",
        "Inputs and assumptions",
        "$3,310.00",
        "$1,398.00",
        "above 192,857/mo",
        "1,000,000 requests in month 1",
        "growing 10.0% a month",
        "testco/tune-1",
        "How the numbers are computed",
        "page 1 of 6",
    ):
        assert text in p1, text
    assert "Warnings" not in p1  # testco's base-1 and tune-1 have no notices
    assert "monthly cost by volume" in pages[1] and "Requests per month" in pages[1]
    assert "cumulative cost over 3 months" in pages[2]
    assert "Monthly schedule" in pages[3] and "2027-03" in pages[3]
    assert "$475.00 *" in pages[3]  # month 1 of 'tuned', with its training run and one-time cost
    assert "$1,398.00" in pages[3]
    p5 = pages[4]
    assert "Prices used, with their source" in p5
    assert "tests/fixtures (made-up prices for hand-computed examples)" in p5
    assert "2026-11-25" in p5 and "$10.00" in p5  # training price and its as_of date
    assert "Who still accepts new fine-tuning jobs" in pages[-1]


def test_report_png_figures(made):
    d, code, err = made
    for kind in ("breakeven", "cumulative"):
        assert (d / "figures" / f"scenario-{kind}.png").read_bytes().startswith(b"\x89PNG")
    assert not [p for p in os.listdir(d / "reports") if p.startswith(".")]  # no temporary file left


def test_report_warnings_on_page_one_and_long_schedule(write_scenario, tmp_path):
    r = compare(write_scenario(CLOSING))
    assert r.warnings
    out = tmp_path / "closing.pdf"
    report.write_report(report_facts(r), out, today=TODAY)
    pages = _pages(out)
    p1 = pages[0]
    assert "Warnings" in p1
    assert "testco stops taking fine-tuning jobs after 2027-03-15" in p1
    # 48 months do not fit one page: the schedule continues with its header repeated.
    sched = [p for p in pages if p.startswith("Monthly schedule") or "Monthly schedule" in p[:40]]
    assert len(sched) >= 2
    assert all("Calendar" in p for p in sched)
    assert "2030-12" in " ".join(sched)  # month 48
    assert pages[-1].rstrip().endswith(f"page {len(pages)} of {len(pages)}")


from cli_run import run_cli as cli  # noqa: E402


@pytest.mark.parametrize(
    "target, message",
    [
        ("r.docx", "unknown output type '.docx'"),
        ("missing/r.pdf", "does not exist"),
    ],
)
def test_report_bad_output_exit_2(hand, tmp_path, target, message):
    code, _, err = cli(["report", hand, "-o", tmp_path / target])
    assert code == 2 and err.startswith("Error: ") and message in err, err


def test_report_never_overwrites_its_input(write_scenario):
    p = write_scenario(HAND, name="scenario.pdf")
    before = p.read_bytes()
    code, _, err = cli(["report", p, "-o", p])
    assert code == 2 and "one of the inputs" in err
    assert p.read_bytes() == before


def test_report_failure_leaves_the_old_file(hand, tmp_path, monkeypatch):
    out = tmp_path / "r.pdf"
    out.write_bytes(b"%PDF old report")

    def broken(*a, **k):
        raise OSError(28, "No space left on device")

    from matplotlib.backends import backend_pdf

    monkeypatch.setattr(backend_pdf.PdfPages, "savefig", broken)
    code, _, err = cli(["report", hand, "-o", out])
    assert code == 2 and "No space left on device" in err
    assert out.read_bytes() == b"%PDF old report"  # untouched: the new one was never renamed over it
    assert sorted(os.listdir(tmp_path)) == sorted(["r.pdf", "scenario.yaml", "catalogs"])  # no temp file left


def _pdf_bytes(result, *, faster: bool) -> bytes:
    import io

    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from ftcost.render.pdf_text import faster_text

    buf = io.BytesIO()
    with faster_text() if faster else contextlib.nullcontext():
        pages, _figs = report.report_pages(result, today=TODAY)
        with matplotlib.rc_context(report._RC), PdfPages(buf, metadata={"CreationDate": None}) as pdf:
            for fig in pages:
                pdf.savefig(fig)
    return buf.getvalue()


@pytest.mark.parametrize("name", ["spanish-reviews.yaml", "self-hosted-llama.yaml"])
def test_faster_text_writes_the_same_pdf(name):
    # write_report draws within faster_text (strings measured and shaped once, no second glyph load in the PDF's
    # text layout): the pages must be byte for byte those matplotlib writes on its own, charts included.
    from matplotlib.backends import _backend_pdf_ps, backend_pdf

    from ftcost.render.labels import for_drawing

    result = for_drawing(compare(Path(__file__).parents[1] / "scenarios" / name))
    plain = _pdf_bytes(result, faster=False)
    import io

    import matplotlib.text
    from matplotlib import font_manager

    base = _backend_pdf_ps.RendererPDFPSBase

    def patched():
        return (
            base.get_text_width_height_descent,
            base._get_font_ttf,
            backend_pdf._text_helpers,
            font_manager._get_font,
            io.open,
            backend_pdf.RendererPdf.draw_text,
            matplotlib.text.get_font,
            _backend_pdf_ps.CharacterTracker.track_glyph,
        )

    before = patched()
    assert _pdf_bytes(result, faster=True) == plain
    # and everything is put back
    assert patched() == before

    assert "_find_fonts_by_props" not in vars(font_manager.fontManager)


def test_fonts_in_memory_keep_their_path():
    # Within faster_text a font is read from a copy of its file in memory; its fname is still the file's path
    # (the PDF backend embeds the font from it), and open() outside the font lookup is the ordinary one.
    import io

    from matplotlib.font_manager import FontProperties, findfont, get_font

    from ftcost.render.pdf_text import _FontFile, faster_text

    path = findfont(FontProperties(family=["DejaVu Sans"]))
    with faster_text():
        font = get_font(path)
        assert io.open is open
    assert str(font.fname.path if hasattr(font.fname, "path") else font.fname) == str(Path(path).resolve())
    font.set_size(10, 72)
    font.set_text("Kosten €1,141.38")
    assert font.get_width_height()[0] > 0
    assert _FontFile(b"abc", "x.ttf").name == "x.ttf"


def test_dry_flow_lays_out_the_same_pages():
    # Page 1's type scale is found by dry runs (nothing drawn): a dry flow makes the decisions a drawing one does.
    from ftcost.render.pages import Flow, _Sketch

    result = compare(Path(__file__).parents[1] / "scenarios" / "spanish-reviews.yaml")
    for k in (1.0, 0.94, 0.88):
        dry, drawn = report._page_one(Flow(dry=True), result, TODAY, k), report._page_one(Flow(), result, TODAY, k)
        assert (len(dry.pages), round(dry.y, 9)) == (len(drawn.pages), round(drawn.y, 9))
        assert all(isinstance(p, _Sketch) for p in dry.pages) and drawn.pages[0].texts


def test_load_matplotlib_puts_kwdoc_back():
    # The commands import matplotlib's figures without the property lists of their docstrings; kwdoc itself is
    # put back (a later Artist class, or help(), gets the full text).
    import matplotlib
    import matplotlib.artist

    from ftcost.cli.plot import load_matplotlib

    kwdoc = matplotlib.artist.kwdoc
    load_matplotlib()
    assert matplotlib.artist.kwdoc is kwdoc and matplotlib.get_backend().lower() == "agg"
    assert "Properties" in kwdoc(matplotlib.artist.Artist)
