"""``ftcost data convert``: prompt/completion examples turned into chat examples.

The legacy separator, the completion's leading space and its stop sequence
are removed by the rules of :func:`ftcost.data.examples.split_prompt` and
:func:`~ftcost.data.examples.split_completion` (docs/data.md).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TokenError
from ..i18n import Message
from ..outputs import atomic_path, check_output_path
from .examples import split_completion, split_prompt
from .records import CHAT, Issue, iter_records, no_examples


@dataclass
class ConvertReport:
    file: str
    output: str
    converted: int = 0  # prompt/completion examples turned into chat
    copied: int = 0  # chat examples copied as they were
    issues: list[Issue] = field(default_factory=list)
    separators: Counter = field(default_factory=Counter)  # separator removed -> count
    stops: Counter = field(default_factory=Counter)  # stop sequence removed -> count
    leads: int = 0  # completions whose leading space was removed

    @property
    def written(self) -> int:
        return self.converted + self.copied

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "output": self.output,
            "written": self.written,
            "converted": self.converted,
            "copied": self.copied,
            "separators_removed": dict(self.separators),
            "stops_removed": dict(self.stops),
            "leading_spaces_removed": self.leads,
            "issues": [i.to_dict() for i in self.issues],
        }


def convert_example(
    data: dict, *, system: str | None = None, separators: Iterable[str] = (), stops: Iterable[str] = (), strip: bool = True
) -> tuple[dict, str, str, str]:
    """Turn one ``{"prompt", "completion"}`` example into ``{"messages": [...]}``.

    Returns ``(example, separator, lead, stop)``: the chat example and what was
    removed. With ``strip`` False the texts are kept exactly as they are.

    >>> convert_example({"prompt": "Reseña: muy bueno\\n\\n###\\n\\n", "completion": " 5 estrellas END"}, system="Puntúa")[0]
    {'messages': [{'role': 'system', 'content': 'Puntúa'}, {'role': 'user', 'content': 'Reseña: muy bueno'}, {'role': 'assistant', 'content': '5 estrellas'}]}
    """
    prompt, completion = data["prompt"], data["completion"]
    if strip:
        user, sep = split_prompt(prompt, separators)
        lead, answer, stop = split_completion(completion, stops)
    else:
        user, sep, lead, answer, stop = prompt, "", "", completion, ""
    messages = [{"role": "system", "content": system}] if system else []
    messages += [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]
    return {"messages": messages}, sep, lead, stop


def convert_dataset(
    path: str | os.PathLike,
    output: str | os.PathLike,
    *,
    system: str | None = None,
    separators: Iterable[str] = (),
    stops: Iterable[str] = (),
    strip: bool = True,
) -> ConvertReport:
    """Convert a prompt/completion JSONL file to chat format, written atomically to ``output``.

    Chat lines are copied unchanged (so a mixed file comes out all chat);
    lines that are not usable are reported and left out. Nothing is written
    when no example remains (a TokenError).
    """
    separators, stops = tuple(separators), tuple(stops)
    if system is not None and not system.strip():
        raise TokenError(Message("--system is empty"), hint=Message("leave it out for no system message"))
    check_output_path(output, inputs=[path], stdout_ok=True)
    report = ConvertReport(file=str(path), output=str(output))

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for item in iter_records(path):
                if isinstance(item, Issue):
                    report.issues.append(item)
                    continue
                if item.format == CHAT:
                    fh.write(item.text.strip() + "\n")
                    report.copied += 1
                    continue
                example, sep, lead, stop = convert_example(item.data, system=system, separators=separators, stops=stops, strip=strip)
                user, answer = example["messages"][-2]["content"], example["messages"][-1]["content"]
                if not user.strip():
                    report.issues.append(Issue(item.line, "missing_content", "the prompt is empty once its separator is removed; left out"))
                    continue
                if not answer.strip():
                    report.issues.append(Issue(item.line, "missing_content", "the completion is empty once its stop sequence is removed; left out"))
                    continue
                fh.write(_json_line(example))
                report.converted += 1
                if sep:
                    report.separators[sep] += 1
                if stop:
                    report.stops[stop] += 1
                if lead:
                    report.leads += 1
        if report.written == 0:
            raise no_examples(path, report.issues)

    with atomic_path(output, inputs=[path], stdout_ok=True) as tmp:  # '-': standard output
        write(tmp)
    return report


def _json_line(obj: Any) -> str:
    """One JSONL line, readable UTF-8; with \\u escapes when the text has lone surrogates (from
    escapes such as "\\ud800" in the input), which UTF-8 cannot hold."""
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj)
    return line + "\n"
