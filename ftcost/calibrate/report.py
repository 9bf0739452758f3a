"""The summary ``ftcost calibrate`` prints: per model, per month, and the fit (fits in 80 columns)."""

from __future__ import annotations

from .fit import Calibration


def _n(v: float | None, digits: int = 0) -> str:
    if v is None:
        return "-"
    return f"{v:,.{digits}f}"


def to_table(cal: Calibration) -> str:
    lines = [f"Logs: {len(cal.files)} file(s), format {cal.format}, {cal.months[0].month} to {cal.months[-1].month}", ""]
    head = f"{'MODEL':<23} {'REQUESTS':>10} {'IN':>7} {'CACHED':>7} {'OUT':>6} {'IN p50/p95':>11} {'OUT p50/95':>10}"
    lines.append(head)
    for m in cal.models:
        p = m.percentiles
        pin = "-" if p["input_p50"] is None else f"{_n(p['input_p50'])}/{_n(p['input_p95'])}"
        pout = "-" if p["output_p50"] is None else f"{_n(p['output_p50'])}/{_n(p['output_p95'])}"
        mark = "*" if m.model in cal.chosen else " "
        name = (m.model[:20] + "..") if len(m.model) > 22 else m.model
        lines.append(f"{mark}{name:<22} {_n(m.requests):>10} {_n(m.mean_input, 1):>7} {_n(m.mean_cached, 1):>7} {_n(m.mean_output, 1):>6} {pin:>11} {pout:>10}")
    lines.append("(IN, CACHED, OUT: mean tokens per request; p50/p95 per request;")
    lines.append(" * marks the traffic the scenario is built from)")
    if cal.bucketed:
        lines.append("(the log is bucketed: no per-request percentiles)")
    lines += ["", f"{'MONTH':<8} {'REQUESTS':>13} {'IN':>8} {'OUT':>7}  FIT"]
    for mo in cal.months:
        note = "used" if mo.used else "partial, left out"
        mi = mo.input_tokens / mo.requests if mo.requests else None
        mout = mo.output_tokens / mo.requests if mo.requests else None
        lines.append(f"{mo.month:<8} {_n(mo.requests):>13} {_n(mi, 1):>8} {_n(mout, 1):>7}  {note}")
    f = cal.fit
    lines += [
        "",
        (
            f"Volume for {cal.start}: {_n(f.requests_per_month)} requests/month; "
            f"growth {f.growth_per_month * 100:+.2f}%/month over {len(f.months_used)} month(s)"
        ),
    ]
    if f.residual_sd is not None and f.growth_se is not None and f.prediction_sd is not None:
        lines.append(f"Spread of ln(requests): residual sd {f.residual_sd:.3f}, at {cal.start} {f.prediction_sd:.3f}")
        lines.append(f"Growth standard error: {f.growth_se * 100:.2f} points")
    t = cal.tokens
    lines.append(f"Request: {t['input']:,.1f} input tokens ({t['cached']:,.1f} cached), {t['output']:,.1f} output")
    if cal.catalog_model:
        lines.append(f"Priced as {cal.catalog_model}")
    return "\n".join(lines) + "\n"
