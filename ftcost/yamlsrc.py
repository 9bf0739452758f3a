"""Safe YAML loading that remembers where every value came from.

PyYAML's safe loader builds plain Python objects and forgets their position;
error messages need ``file:line:column``. So the document is composed into
nodes (which carry marks), and walked here into plain data while recording a
location for every key path. The walk also bounds what a hostile file can
cost: its size, the number of nodes visited (alias bombs expand through the
walk, not the composer) and the nesting depth.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import FtcostError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_YAML_BYTES = 5 * 1024 * 1024  # scenarios and catalogs are a few KB
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 64


@dataclass
class YamlDoc:
    """Plain data plus the (line, column) of every key path in it."""

    data: Any
    file: str
    locations: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_locations: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: tuple, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of ``path`` (or of its nearest known parent)."""
        table = self.key_locations if key else self.locations
        p = tuple(path)
        while True:
            if p in table:
                return table[p]
            if key and p in self.locations:
                return self.locations[p]
            if not p:
                return (None, None)
            p = p[:-1]

    def error(self, cls: type[FtcostError], path: tuple, message: str, hint: str | None = None, *, key: bool = False):
        line, col = self.where(path, key=key)
        return cls(message, file=self.file, line=line, column=col, path=path, hint=hint)


def read_text_file(path: str | os.PathLike, *, what: str, max_bytes: int, error_cls: type[FtcostError]) -> str:
    """Read a small UTF-8 text input, refusing directories, special files and huge files."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise error_cls(f"{what} not found", file=name, hint="check the path; relative paths in a scenario are relative to the scenario file")
    if p.is_dir():
        raise error_cls(f"{what} is a directory, not a file", file=name)
    if not p.is_file():
        raise error_cls(f"{what} is not a regular file", file=name, hint="pipes, devices and sockets are not read")
    size = p.stat().st_size
    if size > max_bytes:
        raise error_cls(
            f"{what} is {size:,} bytes, over the {max_bytes:,}-byte limit",
            file=name,
            hint="a scenario or catalog is a few kilobytes; is this the right file?",
        )
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error_cls(f"{what} is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", file=name, line=line, column=col, hint="save the file as UTF-8") from None
    return text


def load_yaml_file(path: str | os.PathLike, *, what: str, error_cls: type[FtcostError], max_bytes: int = MAX_YAML_BYTES) -> YamlDoc:
    text = read_text_file(path, what=what, max_bytes=max_bytes, error_cls=error_cls)
    return load_yaml_text(text, file=str(path), error_cls=error_cls)


def load_yaml_text(text: str, *, file: str, error_cls: type[FtcostError]) -> YamlDoc:
    if "\x00" in text:
        raise error_cls("file contains NUL bytes; it is not a YAML text file", file=file)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            raise error_cls(
                f"invalid YAML: {problem}",
                file=file,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                hint="check indentation, colons and quotes near this position",
            ) from None
        except yaml.YAMLError as exc:
            raise error_cls(f"invalid YAML: {exc}", file=file) from None
        except RecursionError:
            raise error_cls("YAML nesting is too deep to read", file=file) from None
        doc = YamlDoc(data=None, file=file)
        if node is None:
            return doc
        walker = _Walker(loader, doc, error_cls)
        doc.data = walker.walk(node, (), 0)
        return doc
    finally:
        loader.dispose()


class _Walker:
    def __init__(self, loader, doc: YamlDoc, error_cls):
        self.loader = loader
        self.doc = doc
        self.error_cls = error_cls
        self.count = 0

    def fail(self, node, path, message, hint=None):
        m = node.start_mark
        return self.error_cls(message, file=self.doc.file, line=m.line + 1, column=m.column + 1, path=path, hint=hint)

    def walk(self, node, path: tuple, depth: int):
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, path, f"document expands to more than {MAX_NODES:,} values", "YAML aliases (*name) that repeat large blocks are refused")
        if depth > MAX_DEPTH:
            raise self.fail(node, path, f"nesting deeper than {MAX_DEPTH} levels", "scenarios and catalogs are only a few levels deep")
        m = node.start_mark
        # Aliases can put the same node under many paths; keep the first location.
        self.doc.locations.setdefault(path, (m.line + 1, m.column + 1))
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, path, "a mapping key must be a plain word, not a list or mapping")
                key = self.scalar(key_node, path)
                if isinstance(key, (int, float, bool)) or key is None:
                    key = key_node.value  # keep '1' or 'yes' as the text the user wrote
                key = str(key)
                kpath = path + (key,)
                if key in out:
                    raise self.fail(key_node, kpath, f"key '{key}' appears twice", "remove one of them")
                km = key_node.start_mark
                self.doc.key_locations[kpath] = (km.line + 1, km.column + 1)
                out[key] = self.walk(value_node, kpath, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(v, path + (i,), depth + 1) for i, v in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node, path):
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise self.fail(node, path, f"cannot read value: {exc.problem}", "only plain YAML values are allowed (no !!python tags)") from None
        except (ValueError, OverflowError) as exc:
            raise self.fail(node, path, f"cannot read value: {exc}") from None
