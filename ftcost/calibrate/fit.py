"""From the monthly aggregate to the numbers a scenario needs.

Volume: requests per calendar month of the chosen traffic. Months only partly
covered by the log (its first and last, usually) are left out of the fit when
a complete month remains. Growth is a log-linear least-squares fit,
``ln V_m = a + b m``, so ``growth_per_month = e^b - 1`` (the compound rate of
docs/design.md); the scenario's volume is the fit's value for the month after the
log ends (the scenario's ``start``). The fit's spread is the residual
standard deviation ``s`` of ``ln V`` (n - 2 degrees of freedom) and the slope's
standard error ``s / sqrt(Sxx)``.

Tokens: means are totals over requests (sum of input tokens / requests), so
the cost of a month is exact whatever the spread; p50/p95 are per request.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

from ..i18n import Message
from .formats import LogError, Resolved

Z90 = 1.2815515655446004  # standard normal quantile at 0.90
MIXED_UNITS_RATIO = 30.0  # cost per token spread (p95 / p5) beyond this is taken as two units in one column
SPREAD_MIN = 0.02  # below this relative spread a number is written as a plain number


@dataclass
class ModelStats:
    model: str
    requests: float
    input_tokens: float
    cached_tokens: float
    output_tokens: float
    cost: float | None
    percentiles: dict[str, float | None]  # input_p50 ... output_p95 (None for bucketed logs)
    cost_per_token: tuple[float | None, float | None]

    @property
    def mean_input(self) -> float:
        return self.input_tokens / self.requests if self.requests else 0.0

    @property
    def mean_cached(self) -> float:
        return self.cached_tokens / self.requests if self.requests else 0.0

    @property
    def mean_output(self) -> float:
        return self.output_tokens / self.requests if self.requests else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "requests": self.requests,
            "mean_input_tokens": self.mean_input,
            "mean_cached_tokens": self.mean_cached,
            "mean_output_tokens": self.mean_output,
            "cost": self.cost,
            **self.percentiles,
        }


@dataclass
class Month:
    month: str  # YYYY-MM
    requests: float
    input_tokens: float
    cached_tokens: float
    output_tokens: float
    first_seen: _dt.datetime | None
    last_seen: _dt.datetime | None
    complete: bool = True
    used: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "requests": self.requests,
            "complete": self.complete,
            "used_in_fit": self.used,
            "mean_input_tokens": self.input_tokens / self.requests if self.requests else None,
            "mean_output_tokens": self.output_tokens / self.requests if self.requests else None,
        }


@dataclass
class Fit:
    months_used: list[str]
    requests_per_month: float  # fitted, for the month after the log
    growth_per_month: float
    residual_sd: float | None  # of ln V; None with fewer than 3 months
    growth_se: float | None  # of the slope b; None with fewer than 3 months
    prediction_sd: float | None  # of ln V at the projected month

    def to_dict(self) -> dict[str, Any]:
        return {
            "months_used": self.months_used,
            "requests_per_month": self.requests_per_month,
            "growth_per_month": self.growth_per_month,
            "residual_sd_log": self.residual_sd,
            "growth_se": self.growth_se,
            "prediction_sd_log": self.prediction_sd,
        }


@dataclass
class Calibration:
    files: list[str]
    format: str
    bucketed: bool
    models: list[ModelStats]
    chosen: list[str]  # log model names the scenario is built from
    months: list[Month]
    fit: Fit
    start: str  # YYYY-MM, the month after the log
    tokens: dict[str, float]  # mean input, cached, output of the chosen traffic
    spread: dict[str, float]  # sd of the monthly mean of input / output tokens
    warnings: list[str] = field(default_factory=list)
    catalog_model: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "format": self.format,
            "per_request_percentiles": not self.bucketed,
            "models": [m.to_dict() for m in self.models],
            "calibrated_models": self.chosen,
            "catalog_model": self.catalog_model,
            "start": self.start,
            "months": [m.to_dict() for m in self.months],
            "fit": self.fit.to_dict(),
            "request": {"mean_input_tokens": self.tokens["input"], "mean_cached_tokens": self.tokens["cached"], "mean_output_tokens": self.tokens["output"]},
            "monthly_spread": self.spread,
            "warnings": self.warnings,
        }


def _month_key(v: Any) -> str:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return f"{v.year:04d}-{v.month:02d}"
    return str(v)[:7]


def _naive(v: Any) -> _dt.datetime | None:
    if v is None:
        return None
    if isinstance(v, _dt.datetime):
        return v.replace(tzinfo=None) if v.tzinfo is None else v.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    if isinstance(v, _dt.date):
        return _dt.datetime(v.year, v.month, v.day)
    return None


def _next(key: str, k: int = 1) -> str:
    y, m = int(key[:4]), int(key[5:7])
    n = y * 12 + m - 1 + k
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _index(key: str) -> int:
    return int(key[:4]) * 12 + int(key[5:7]) - 1


def model_stats(rows: list[dict[str, Any]], bucketed: bool) -> list[ModelStats]:
    out = []
    for r in rows:
        if not r["is_total"]:
            continue
        pct = {
            k: (None if bucketed or r[k] is None else float(r[k])) for k in ("input_p50", "input_p95", "cached_p50", "cached_p95", "output_p50", "output_p95")
        }
        out.append(
            ModelStats(
                r["model"] if r["model"] is not None else "(none)",
                float(r["requests"] or 0),
                float(r["input_tokens"] or 0),
                float(r["cached_tokens"] or 0),
                float(r["output_tokens"] or 0),
                None if r["cost"] is None else float(r["cost"]),
                pct,
                (r["cost_per_token_p05"], r["cost_per_token_p95"]),
            )
        )
    out.sort(key=lambda m: -m.requests)
    return out


def check_units(models: list[ModelStats], res: Resolved, files: str) -> None:
    """Cents and dollars in one cost column show as a cost per token that jumps about 100x between rows."""
    col = res.columns.get("cost")
    for m in models:
        lo, hi = m.cost_per_token
        if col and lo and hi and lo > 0 and hi / lo > MIXED_UNITS_RATIO:
            raise LogError(
                Message(
                    "the cost per token of model {model!r} ranges {ratio:,.0f}-fold between rows (5th percentile {lo:.3g}, 95th {hi:.3g}): the column seems to mix units (cents and dollars?)",
                    model=m.model,
                    ratio=hi / lo,
                    lo=lo,
                    hi=hi,
                ),
                file=files,
                path=(col,),
                hint=Message(
                    "convert the column to one unit; it only serves this check (ftcost prices tokens from its catalogs), so --map cost=none leaves it out"
                ),
            )


def months_of(rows: list[dict[str, Any]], chosen: set[str]) -> list[Month]:
    by: dict[str, Month] = {}
    for r in rows:
        if r["is_total"] or r["month"] is None or (r["model"] if r["model"] is not None else "(none)") not in chosen:
            continue
        key = _month_key(r["month"])
        m = by.setdefault(key, Month(key, 0.0, 0.0, 0.0, 0.0, None, None))
        m.requests += float(r["requests"] or 0)
        m.input_tokens += float(r["input_tokens"] or 0)
        m.cached_tokens += float(r["cached_tokens"] or 0)
        m.output_tokens += float(r["output_tokens"] or 0)
        fs, ls = _naive(r["first_seen"]), _naive(r["last_seen"])
        if fs is not None and (m.first_seen is None or fs < m.first_seen):
            m.first_seen = fs
        if ls is not None and (m.last_seen is None or ls > m.last_seen):
            m.last_seen = ls
    return [by[k] for k in sorted(by)]


def check_gaps(months: list[Month], res: Resolved, files: str) -> None:
    """An empty month between two that have requests is a missing export, not a quiet month."""
    if not months:
        raise LogError(Message("no requests in the log (after --since)"), file=files, path=(res.columns["time"],), hint=Message("check --since and the files"))
    have = {m.month for m in months if m.requests > 0}
    k, last = months[0].month, months[-1].month
    missing = []
    while k <= last:
        if k not in have:
            missing.append(k)
        k = _next(k)
    if missing:
        raise LogError(
            Message(
                "no requests in {missing}, between {first} and {last}: a month is missing from the log",
                missing=", ".join(missing),
                first=months[0].month,
                last=last,
            ),
            file=files,
            path=(res.columns["time"],),
            hint=Message("add the missing export, or start after the gap with --since {month}-01", month=_next(missing[-1])),
        )


def _complete(m: Month) -> bool:
    if m.first_seen is None or m.last_seen is None:
        return True
    start = _dt.datetime(int(m.month[:4]), int(m.month[5:7]), 1)
    nxt = _next(m.month)
    end = _dt.datetime(int(nxt[:4]), int(nxt[5:7]), 1)
    day = _dt.timedelta(days=1)
    return m.first_seen < start + day and m.last_seen >= end - day


def fit_volume(months: list[Month]) -> Fit:
    """Log-linear least squares over the complete months (all months when none is complete)."""
    for i, m in enumerate(months):
        m.complete = (0 < i < len(months) - 1) or _complete(m)
    used = [m for m in months if m.complete] or months
    for m in months:
        m.used = m in used
    vols = []
    for m in used:
        v = m.requests
        if not m.complete and m.first_seen is not None and m.last_seen is not None:
            # Only part of the month is in the log: scale the requests seen to the whole month.
            nxt = _next(m.month)
            days_in = (_dt.date(int(nxt[:4]), int(nxt[5:7]), 1) - _dt.date(int(m.month[:4]), int(m.month[5:7]), 1)).days
            covered = max((m.last_seen - m.first_seen).total_seconds() / 86400.0, 1.0)
            v = v * days_in / min(covered, days_in)
        vols.append(v)
    x = [_index(m.month) - _index(used[0].month) for m in used]
    x_next = _index(months[-1].month) + 1 - _index(used[0].month)
    y = [math.log(v) for v in vols]
    n = len(y)
    if n == 1:
        return Fit([used[0].month], vols[0], 0.0, None, None, None)
    xbar, ybar = sum(x) / n, sum(y) / n
    sxx = sum((xi - xbar) ** 2 for xi in x)
    b = sum((xi - xbar) * (yi - ybar) for xi, yi in zip(x, y)) / sxx
    a = ybar - b * xbar
    growth = math.expm1(b)
    proj = math.exp(a + b * x_next)
    if n < 3:
        return Fit([m.month for m in used], proj, growth, None, None, None)
    ssr = sum((yi - (a + b * xi)) ** 2 for xi, yi in zip(x, y))
    s = math.sqrt(ssr / (n - 2))
    se_b = s / math.sqrt(sxx)
    pred = s * math.sqrt(1 + 1 / n + (x_next - xbar) ** 2 / sxx)
    return Fit([m.month for m in used], proj, growth, s, se_b, pred)


def calibrate(rows: list[dict[str, Any]], res: Resolved, files: list[str], *, chosen: list[str] | None = None) -> Calibration:
    """The numbers for a scenario from the aggregate rows; ``chosen`` log models (default: all)."""
    names = ", ".join(files)
    models = model_stats(rows, res.bucketed)
    check_units(models, res, names)
    pick = set(chosen) if chosen else {m.model for m in models}
    months = months_of(rows, pick)
    check_gaps(months, res, names)
    fit = fit_volume(months)
    sel = [m for m in models if m.model in pick]
    req = sum(m.requests for m in sel)
    tokens = {k: (sum(getattr(m, f"{k}_tokens") for m in sel) / req if req else 0.0) for k in ("input", "cached", "output")}
    spread = {}
    for k in ("input", "output"):
        means = [getattr(m, f"{k}_tokens") / m.requests for m in months if m.requests > 0 and m.used]
        if len(means) >= 2:
            mu = sum(means) / len(means)
            spread[k] = math.sqrt(sum((v - mu) ** 2 for v in means) / (len(means) - 1))
    cal = Calibration(
        files,
        res.format,
        res.bucketed,
        models,
        sorted(pick, key=lambda n: -next(m.requests for m in models if m.model == n)),
        months,
        fit,
        _next(months[-1].month),
        tokens,
        spread,
    )
    partial = [m.month for m in months if not m.used]
    if partial:
        cal.warnings.append(f"month(s) {', '.join(partial)} are only partly in the log and were left out of the fit")
    if len(fit.months_used) < 3:
        cal.warnings.append(f"only {len(fit.months_used)} complete month(s): the growth rate is a guess (3 or more months give a fit with a spread)")
    return cal


def distributions(cal: Calibration) -> dict[str, dict[str, Any]]:
    """The uncertain inputs the data supports, as scenario distributions (``{dist: ...}``)."""
    out: dict[str, dict[str, Any]] = {}
    f = cal.fit
    if f.prediction_sd is not None and f.prediction_sd > SPREAD_MIN:
        median = round(f.requests_per_month)
        out["requests_per_month"] = {"dist": "lognormal", "median": median, "p90": round(median * math.exp(Z90 * f.prediction_sd))}
    if f.growth_se is not None and f.growth_se > 1e-4:
        out["growth_per_month"] = {"dist": "normal", "mean": round(f.growth_per_month, 4), "sd": round((1 + f.growth_per_month) * f.growth_se, 4)}
    for k, key in (("output", "completion_tokens"), ("input", "input_tokens")):
        mean, sd = cal.tokens[k], cal.spread.get(k)
        if k == "input" and cal.tokens["cached"] > 0:
            continue  # cached tokens must stay below the input: keep both plain numbers
        if sd is not None and mean > 0 and sd / mean > SPREAD_MIN:
            out[key] = {"dist": "normal", "mean": round(mean, 1), "sd": round(sd, 1)}
    return out
