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
from typing import Any, TypeVar

import yaml

from .errors import FtcostError
from .i18n import N_, Message, recognize, term

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_E = TypeVar("_E", bound=FtcostError)  # the error class YamlDoc.error builds and returns

MAX_YAML_BYTES = 1024 * 1024  # scenarios and catalogs are a few KB; 1 MB parses in about 2 s at worst
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 64

# The problems libyaml (and PyYAML) report most often, translated where a scenario's reader sees them
# ("invalid YAML: ..."); another problem is shown as the parser says it.
YAML_PROBLEMS = (
    N_("mapping values are not allowed in this context"),
    N_("mapping values are not allowed here"),
    N_("did not find expected key"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}}'"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected node content"),
    N_("could not find expected ':'"),
    N_("found unexpected end of stream"),
    N_("found undefined alias"),
    N_("found unknown escape character"),
    N_("found character that cannot start any token"),
    N_("found unknown directive name"),
    N_("but found another document"),
    N_("second occurrence"),
    N_("invalid YAML"),
)


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

    def error(self, cls: type[_E], path: tuple, message: str, hint: str | None = None, *, key: bool = False) -> _E:
        line, col = self.where(path, key=key)
        return cls(message, file=self.file, line=line, column=col, path=path, hint=hint)


def read_text_file(path: str | os.PathLike, *, what: str, max_bytes: int, error_cls: type[FtcostError]) -> str:
    """Read a small UTF-8 text input, refusing directories, special files and huge files."""
    p = Path(path)
    name = str(path)
    try:
        exists, is_dir, is_file = p.exists(), p.is_dir(), p.is_file()
    except OSError as exc:  # a name too long, a loop of links...: pathlib lets these through
        raise error_cls(Message("cannot read {what}: {reason}", what=term(what), reason=exc.strerror or exc), file=name) from None
    if not exists:
        raise error_cls(
            Message("{what} not found", what=term(what)),
            file=name,
            hint=Message("check the path; relative paths in a scenario are relative to the scenario file"),
        )
    if is_dir:
        raise error_cls(Message("{what} is a directory, not a file", what=term(what)), file=name)
    if not is_file:
        raise error_cls(Message("{what} is not a regular file", what=term(what)), file=name, hint=Message("pipes, devices and sockets are not read"))
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise error_cls(Message("cannot read {what}: {reason}", what=term(what), reason=exc.strerror or exc), file=name) from None
    if size > max_bytes:
        raise error_cls(
            Message("{what} is {size:,} bytes, over the {limit:,}-byte limit", what=term(what), size=size, limit=max_bytes),
            file=name,
            hint=Message("a scenario or catalog is a few kilobytes; is this the right file?"),
        )
    from .reading import open_regular

    try:
        with open_regular(p, what=what, error_cls=error_cls) as fh:
            raw = fh.read(max_bytes + 1)  # never more than the limit, even if the file grew since stat()
    except OSError as exc:
        raise error_cls(Message("cannot read {what}: {reason}", what=term(what), reason=exc.strerror or exc), file=name) from None
    if len(raw) > max_bytes:
        raise error_cls(Message("{what} is over the {limit:,}-byte limit", what=term(what), limit=max_bytes), file=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error_cls(
            Message("{what} is not valid UTF-8 (byte 0x{byte})", what=term(what), byte=format(raw[exc.start], "02x")),
            file=name,
            line=line,
            column=col,
            hint=Message("save the file as UTF-8"),
        ) from None
    return text


def load_yaml_file(path: str | os.PathLike, *, what: str, error_cls: type[FtcostError], max_bytes: int = MAX_YAML_BYTES) -> YamlDoc:
    text = read_text_file(path, what=what, max_bytes=max_bytes, error_cls=error_cls)
    return load_yaml_text(text, file=str(path), error_cls=error_cls)


def load_yaml_text(text: str, *, file: str, error_cls: type[FtcostError]) -> YamlDoc:
    if "\x00" in text:
        raise error_cls(Message("file contains NUL bytes; it is not a YAML text file"), file=file)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            raise error_cls(
                Message("invalid YAML: {problem}", problem=recognize(problem, YAML_PROBLEMS)),
                file=file,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                hint=Message("check indentation, colons and quotes near this position"),
            ) from None
        except yaml.YAMLError as exc:
            raise error_cls(Message("invalid YAML: {problem}", problem=recognize(str(exc), YAML_PROBLEMS)), file=file) from None
        except RecursionError:
            raise error_cls(Message("YAML nesting is too deep to read"), file=file) from None
        doc = YamlDoc(data=None, file=file)
        if node is None:
            return doc
        walker = _Walker(loader, doc, error_cls)
        walker.check_size(node)
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

    def check_size(self, root) -> None:
        """Refuse, before walking, a document whose aliases expand past MAX_NODES values, or refer to themselves.

        Sizes are computed once per distinct node (aliases share nodes), so a
        "billion laughs" costs as much to refuse as its text is long.
        """
        size: dict[int, int] = {}
        active: set[int] = set()
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            key = id(node)
            if isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = node.value
            else:
                size[key] = 1
                continue
            if done:
                active.discard(key)
                size[key] = n = 1 + sum(size[id(c)] for c in children)
                if n > MAX_NODES:
                    raise self.fail(
                        node,
                        (),
                        Message("document expands to more than {n:,} values", n=MAX_NODES),
                        Message("a scenario or catalog has a few hundred; YAML aliases (*name) that repeat large blocks are refused"),
                    )
                continue
            if key in size:
                continue
            if key in active:
                raise self.fail(
                    node, (), Message("an alias (*name) refers to a block that contains it"), Message("YAML structures that contain themselves are refused")
                )
            active.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in size)

    def walk(self, node, path: tuple, depth: int):
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node,
                path,
                Message("document expands to more than {n:,} values", n=MAX_NODES),
                Message("YAML aliases (*name) that repeat large blocks are refused"),
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, path, Message("nesting deeper than {n} levels", n=MAX_DEPTH), Message("scenarios and catalogs are only a few levels deep"))
        m = node.start_mark
        # Aliases can put the same node under many paths; keep the first location.
        self.doc.locations.setdefault(path, (m.line + 1, m.column + 1))
        if isinstance(node, yaml.MappingNode):
            self.flatten(node, path)
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, path, Message("a mapping key must be a plain word, not a list or mapping"))
                key = self.scalar(key_node, path)
                if isinstance(key, (int, float, bool)) or key is None:
                    key = key_node.value  # keep '1' or 'yes' as the text the user wrote
                key = str(key)
                kpath = path + (key,)
                if key in out:
                    raise self.fail(key_node, kpath, Message("key '{key}' appears twice", key=key), Message("remove one of them"))
                km = key_node.start_mark
                self.doc.key_locations[kpath] = (km.line + 1, km.column + 1)
                out[key] = self.walk(value_node, kpath, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(v, path + (i,), depth + 1) for i, v in enumerate(node.value)]
        return self.scalar(node, path)

    def flatten(self, node, path: tuple, depth: int = 0) -> None:
        """PyYAML's ``flatten_mapping`` (merge keys ``<<``), with the merged entries counted.

        PyYAML copies merged entries into the mapping before any value is
        walked, so merges that repeat a mapping at every level ("merge bombs")
        would double memory per level; here every merged entry counts against
        MAX_NODES, and bad merges are located errors.
        """
        if depth > MAX_DEPTH:
            raise self.fail(node, path, Message("merge keys nested deeper than {n} levels", n=MAX_DEPTH))
        merge: list = []
        index = 0
        while index < len(node.value):
            key_node, value_node = node.value[index]
            if key_node.tag == "tag:yaml.org,2002:merge":
                del node.value[index]
                if isinstance(value_node, yaml.MappingNode):
                    subs = [value_node]
                elif isinstance(value_node, yaml.SequenceNode):
                    subs = list(value_node.value)
                else:
                    raise self.fail(value_node, path, Message("a merge key (<<) needs a mapping or a list of mappings"))
                parts = []
                for sub in subs:
                    if not isinstance(sub, yaml.MappingNode):
                        raise self.fail(sub, path, Message("a merge key (<<) needs a mapping or a list of mappings"))
                    self.flatten(sub, path, depth + 1)
                    parts.append(sub.value)
                for part in parts:
                    self.count += len(part)
                    if self.count > MAX_NODES:
                        raise self.fail(
                            value_node,
                            path,
                            Message("document expands to more than {n:,} values", n=MAX_NODES),
                            Message("YAML merge keys (<<: *name) that repeat large blocks are refused"),
                        )
                    merge.extend(part)
            elif key_node.tag == "tag:yaml.org,2002:value":
                key_node.tag = "tag:yaml.org,2002:str"
                index += 1
            else:
                index += 1
        if merge:
            # YAML's rule: the mapping's own keys override merged ones, and an earlier merged
            # mapping overrides a later one; so only the first merged entry of each key is kept.
            seen = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
            kept = []
            for k, v in merge:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        continue
                    seen.add(k.value)
                kept.append((k, v))
            node.value = kept + node.value

    def scalar(self, node, path):
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise self.fail(
                node,
                path,
                Message("cannot read value: {problem}", problem=recognize(str(exc.problem), YAML_PROBLEMS)),
                Message("only plain YAML values are allowed (no !!python tags)"),
            ) from None
        except (ValueError, OverflowError, KeyError, AttributeError, TypeError, IndexError):
            # PyYAML's own constructors fail this way on odd explicit tags: !!bool maybe, !!timestamp x
            raise self.fail(node, path, Message("cannot read value {value!r} as {tag}", value=node.value[:40], tag=node.tag.rsplit(":", 1)[-1])) from None
