"""ftcost plot: the figure's data is the engine's; files are written atomically; compare stays matplotlib-free."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from ftcost.api import compare
from ftcost.render import plot
from ftcost.render.fmt import count_short
from ftcost.result import VolumeRange

# testco (tests/fixtures/testco.yaml): base-1 input $1.00 per 1M; tune-1 fine-tuned input $3.00,
# training $10.00 per 1M, hosting $1.00/h, storage $5.00/month.
SCENARIO = """
ftcost: 1
name: plot test
start: 2027-01
horizon_months: 4
pricing: [catalogs/testco.yaml]
volume: {requests_per_month: 100000}
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
# prompt: $0.001/request, no fixed cost. tuned: $0.0003/request; $105/month fixed; training
# 1M x 2 x $10/1M = $20 in months 1 and 3; one-time $50. Fbar = 105 + (50 + 40) / 4 = 127.5;
# break-even V* = 127.5 / (0.001 - 0.0003) = 182,142.857... requests/month.
BREAK_EVEN = 127.5 / 0.0007
# Monthly at 100,000: prompt 100 each; tuned 105 + 30 = 135 plus 70 (month 1), 20 (month 3):
# cumulative prompt 100, 200, 300, 400; tuned 205, 340, 495, 630: no payback.

HIGH = SCENARIO.replace("requests_per_month: 100000", "requests_per_month: 1000000")
# At 1,000,000: prompt 1,000 a month; tuned 105 + 300 = 405 (+70 in month 1): 475 <= 1,000: payback month 1.


@pytest.fixture
def low(write_scenario):
    return write_scenario(SCENARIO)


@pytest.fixture
def high(write_scenario):
    return write_scenario(HIGH, name="high.yaml")


def _artist(fig, gid):
    found = [a for a in fig.findobj() if getattr(a, "get_gid", lambda: None)() == gid]
    assert found, f"no artist with gid {gid!r}"
    return found[0]


def test_breakeven_x_in_the_figure_is_the_engines(low):
    r = compare(low)
    engine_v = r.strategies[1].break_even_requests_per_month
    assert engine_v == pytest.approx(BREAK_EVEN, rel=1e-12)
    for log in (False, True):
        fig = plot.breakeven_figure(r, log=log)
        marker = _artist(fig, "breakeven:tuned")
        assert marker.get_xdata()[0] == engine_v  # exactly the engine's number
        # y is where the two cost lines meet: 0.001 x V* = 182.142857...
        assert marker.get_ydata()[0] == pytest.approx(0.001 * BREAK_EVEN, rel=1e-12)
        label = _artist(fig, "breakeven:tuned:label")
        assert f"break-even {count_short(engine_v)}/mo" in label.get_text()
        assert "182k/mo" in label.get_text()  # 182,142.86 at a glance
        assert _artist(fig, "current-volume").get_xdata()[0] == 100_000


def test_breakeven_data_regions_follow_the_cost_lines(low):
    r = compare(low)
    d = plot.breakeven_data(r)
    assert [(x.strategy, x.from_volume) for x in d.regions][0] == ("prompt", 0.0)
    assert [x.strategy for x in d.regions] == ["prompt", "tuned"]
    assert d.regions[1].from_volume == pytest.approx(BREAK_EVEN, rel=1e-9)
    np.testing.assert_allclose(d.curves[0], 0.001 * d.volumes, rtol=1e-12)
    np.testing.assert_allclose(d.curves[1], 127.5 + 0.0003 * d.volumes, rtol=1e-12)
    assert BREAK_EVEN in d.volumes and 100_000 in d.volumes
    # The same as the engine's cheapest-by-volume ranges, where the result has them.
    ranges = getattr(r, "cheapest_by_volume", None)
    if ranges:
        assert [x.strategy for x in ranges] == ["prompt", "tuned"]
        assert ranges[1].from_requests_per_month == pytest.approx(d.regions[1].from_volume, rel=1e-9)


def test_cost_curve_uses_the_results_own_curves_when_it_has_them(low):
    r = compare(low)
    v = np.array([0.0, 1e5, 1e6])
    np.testing.assert_allclose(plot.cost_curve(r, v), [[0, 100, 1000], [127.5, 157.5, 427.5]], rtol=1e-12)

    # A staircase strategy (a result that knows its own curves): shading is the argmin, wherever it steps.
    def stairs(vol):
        vol = np.asarray(vol, dtype=float)
        return np.vstack([0.001 * vol, 300.0 * np.ceil(np.maximum(vol, 1) / 400_000)])

    fake = SimpleNamespace(
        strategies=r.strategies,
        outputs=r.outputs,
        scenario=r.scenario,
        cost_at_volumes=stairs,
        cheapest_by_volume=[
            VolumeRange("prompt", 0.0, 3e5),
            VolumeRange("tuned", 3e5, 4e5),
            VolumeRange("prompt", 4e5, 6e5),
        ],
    )
    np.testing.assert_array_equal(plot.cost_curve(fake, v), stairs(v))
    d = plot.breakeven_data(fake)
    # prompt is cheaper below 300,000 (0.001 V < 300), the staircase from there to 400,000, then
    # prompt again until 600,000 (0.001 V < 600), and so on.
    names = [x.strategy for x in d.regions]
    assert names[:3] == ["prompt", "tuned", "prompt"]
    assert d.regions[1].from_volume == pytest.approx(300_000, rel=1e-6)
    assert d.regions[2].from_volume == pytest.approx(400_000, rel=2e-3)


def test_cumulative_figure_marks_training_steps_and_payback(high):
    r = compare(high)
    tuned = r.strategies[1]
    assert tuned.payback_month == 1 and tuned.training_months == [1, 3]
    d = plot.cumulative_data(r)
    np.testing.assert_allclose(d.cumulative[0], [1000, 2000, 3000, 4000], rtol=1e-12)
    np.testing.assert_allclose(d.cumulative[1], [475, 880, 1305, 1710], rtol=1e-12)  # 405 a month, +70, +20
    fig = plot.cumulative_figure(r)
    steps = _artist(fig, "training:tuned")
    # Lump sums at the start of months 1 and 3 (x = 0 and 2): 50 + 20 = 70 after 0; 880 + 20 after month 2.
    np.testing.assert_allclose(steps.get_xdata(), [0, 2])
    np.testing.assert_allclose(steps.get_ydata(), [70, 900], rtol=1e-12)
    star = _artist(fig, "payback:tuned")
    assert star.get_xdata()[0] == 1 and star.get_ydata()[0] == pytest.approx(475)
    assert "month 1 (2027-01)" in _artist(fig, "payback:tuned:label").get_text()
    # The line itself reaches the engine's cumulative at every month end.
    line = _artist(fig, "curve:tuned")
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    for m in range(1, 5):
        assert y[np.flatnonzero(x == m)[0]] == pytest.approx(d.cumulative[1, m - 1], rel=1e-12)


def test_money_axes_have_no_scientific_notation(high):
    r = compare(high)
    for fig in (plot.breakeven_figure(r), plot.cumulative_figure(r), plot.breakeven_figure(r, log=True)):
        fig.draw_without_rendering()
        ax = fig.axes[0]
        ylabels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert ylabels and all(s.startswith("$") for s in ylabels), ylabels
        assert not any("e+" in s or "e-" in s or "×" in s for s in ylabels)
        assert ax.yaxis.get_offset_text().get_text() == ""
    ax = plot.breakeven_figure(r).axes[0]
    ax.figure.draw_without_rendering()
    xlabels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "1M" in xlabels or "2M" in xlabels, xlabels
    assert "Requests per month" in ax.get_xlabel() and "USD" in ax.get_ylabel()


# --------------------------------------------------------------------------
# The command


from cli_run import run_cli as cli  # noqa: E402

MAGIC = {".png": b"\x89PNG", ".pdf": b"%PDF", ".svg": b"<?xml"}


@pytest.mark.parametrize("ext", [".png", ".pdf", ".svg"])
def test_plot_command_writes_each_format(low, tmp_path, ext):
    out = tmp_path / f"chart{ext}"
    code, _, err = cli(["plot", low, "-o", out, "--kind", "cumulative" if ext == ".svg" else "breakeven"])
    assert code == 0, err
    assert out.read_bytes().startswith(MAGIC[ext])
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".chart")]  # no temporary file left


@pytest.mark.parametrize(
    "target, message",
    [
        ("chart.jpg", "unknown output type '.jpg'"),
        ("missing/chart.png", "does not exist"),
    ],
)
def test_plot_bad_output_exit_2(low, tmp_path, target, message):
    code, _, err = cli(["plot", low, "-o", tmp_path / target])
    assert code == 2 and err.startswith("Error: ") and message in err, err


def test_plot_refuses_to_overwrite_the_scenario(write_scenario):
    p = write_scenario(SCENARIO, name="scenario.svg")  # a scenario with a plot's extension
    before = p.read_bytes()
    code, _, err = cli(["plot", p, "-o", p])
    assert code == 2 and "one of the inputs" in err
    assert p.read_bytes() == before


def test_plot_write_failure_leaves_nothing(low, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    def fail(self, *a, **k):
        Path(a[0]).write_bytes(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", fail)
    out = tmp_path / "chart.png"
    code, _, err = cli(["plot", low, "-o", out])
    assert code == 2 and "No space left on device" in err
    assert not out.exists() and not [p for p in os.listdir(tmp_path) if p.startswith(".chart")]


def test_compare_plot_and_report_options(low, tmp_path):
    code, out, err = cli(["compare", low, "--format", "json", "--plot", tmp_path / "c.png", "--report", tmp_path / "c.pdf"])
    assert code == 0, err
    assert out.lstrip().startswith("{")  # stdout stays pure JSON
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = cli(["compare", low, "--plot", tmp_path / "c.bmp"])
    assert code == 2 and "unknown output type" in err


def test_compare_text_output_never_imports_matplotlib(low):
    code = (
        "import sys\nfrom ftcost.cli import main\nfrom ftcost.cli.common import run_main\n"
        f"sys.argv = ['ftcost', 'compare', {str(low)!r}]\nrc = run_main(main)\n"
        "assert rc == 0, rc\nassert 'matplotlib' not in sys.modules, 'matplotlib was imported'\nprint('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("ok")
