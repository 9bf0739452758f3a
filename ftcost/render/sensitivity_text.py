"""``ftcost sensitivity`` rendered: its table, Markdown and CSV."""

from __future__ import annotations

from .fmt import count, money
from .tabular import _csv, _grid, _markdown, _value, _wrapped


def _signed(x: float | None, cur: str) -> str:
    if x is None:
        return "-"
    return ("+" if x > 0 else "") + money(x, cur, decimals=0)


def _signed_count(x: float | None) -> str:
    if x is None:
        return "-"
    return ("+" if x > 0 else "") + count(x)


def _sens_rows(res) -> tuple[list[str], list[tuple[str, list[str]]]]:
    cur = res.scenario.currency
    pct = f"{res.swing * 100:g}%"
    header = ["value", f"-{pct} / +{pct}", "savings change", "break-even change"]
    body = []
    for m in res.moves:
        dl, dh = m.savings_change(res.base_savings)
        bl, bh = m.break_even_change(res.base_break_even)
        body.append(
            (
                m.description,
                [
                    _value(m.value),
                    f"{_value(m.low)} / {_value(m.high)}",
                    f"{_signed(dl, cur)} / {_signed(dh, cur)}",
                    "-" if res.base_break_even is None else f"{_signed_count(bl)} / {_signed_count(bh)}",
                ],
            )
        )
    return header, body


def _sens_title(res) -> str:
    sc = res.scenario
    cur = sc.currency
    be = res.base_break_even
    be_text = "no break-even volume" if be is None else f"break-even {count(be)} requests/month"
    return (
        f"{sc.name}: sensitivity of '{res.strategy_name}' against '{sc.baseline_name}', each input "
        f"-{res.swing * 100:g}% and +{res.swing * 100:g}% ({sc.horizon_months} months, {cur})\n"
        f"As written: {saves_words(res.base_savings, cur)}, {be_text}. Sorted by the change in savings."
    )


def saves_words(x: float, cur: str) -> str:
    """'saves €1,636' or 'costs €561 more' (never 'saves -€561')."""
    return f"saves {money(x, cur, decimals=0)}" if x >= 0 else f"costs {money(-x, cur, decimals=0)} more"


def sensitivity_table(res) -> str:
    header, body = _sens_rows(res)
    out = _wrapped(_sens_title(res)) + [""] + _grid(header, body)
    if res.no_effect:
        out += [""] + _wrapped("No effect: " + ", ".join(_human(res, p) for p in res.no_effect))
    return "\n".join(out) + "\n"


def _human(res, dotted: str) -> str:
    """The human label of an input path ('GPU price per hour of 'self-hosted Llama 8B''), else the path."""
    return str(res.no_effect_descriptions.get(dotted, dotted))


def sensitivity_markdown(res) -> str:
    header, body = _sens_rows(res)
    out = [f"## {res.scenario.name}: sensitivity", "", _sens_title(res).replace("\n", "  \n"), ""]
    out += _markdown(header, body, first="input")
    if res.no_effect:
        out += ["", "No effect: " + ", ".join(f"`{p}`" for p in res.no_effect)]
    return "\n".join(out) + "\n"


def sensitivity_csv(res) -> str:
    head = [
        "currency",
        "path",
        "description",
        "value",
        "low",
        "high",
        "savings_low",
        "savings_high",
        "savings_change_low",
        "savings_change_high",
        "break_even_low",
        "break_even_high",
        "break_even_change_low",
        "break_even_change_high",
    ]
    rows = [head]
    for d in res.to_dict()["inputs"]:
        rows.append([res.scenario.currency] + [d[k] for k in head[1:]])
    return _csv(rows)
