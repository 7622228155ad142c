"""Read one YAML file safely into plain data plus the line marks of every key and value.

No Python tags, no duplicate keys, a bounded number of aliases and nodes, and a size limit:
hostile or careless files fail fast with a problem that names the file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml._yaml import CParser

from bmr_materials.errors import Problem

MAX_FILE_BYTES = 1_000_000
MAX_ALIASES = 50
MAX_NODES = 100_000
KeyPath = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass
class Marked:
    """The data of one file with the (line, column) of each key path, 1-based."""

    file: str
    data: Any
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: KeyPath) -> tuple[int, int]:
        """Line and column of the key of `path` (or its value, or its nearest ancestor)."""
        for cut in range(len(path), -1, -1):
            found = self.keys.get(path[:cut]) or self.values.get(path[:cut])
            if found:
                return found
        return (1, 1)

    def problem(self, path: KeyPath, message: str, *, severity: str = "error") -> Problem:
        """A problem located at `path` in this file."""
        line, column = self.where(path)
        return Problem(self.file, line, column, format_path(path), message, severity)


def format_path(path: KeyPath) -> str:
    """`('lighthouses', 0, 'name')` -> `lighthouses[0].name`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _YamlProblem(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


class _AliasBound:
    """A composer that refuses alias floods (mixed into both loaders below)."""

    aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                event: Any = self.peek_event()  # type: ignore[attr-defined]
                raise _YamlProblem(
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                    f"more than {MAX_ALIASES} aliases: refusing to expand them",
                )
        return super().compose_node(parent, index)  # type: ignore[misc]


class _FastLoader(_AliasBound, yaml.composer.Composer, CParser, yaml.resolver.Resolver):
    """libyaml's scanner and parser (C, ten times faster) under PyYAML's composer, which, being
    Python, stops deep nesting with a RecursionError instead of a crash."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)


class _ExactLoader(_AliasBound, yaml.SafeLoader):
    """PyYAML's own parser: slower, but its syntax errors name the character and the place
    more precisely than libyaml's, so a file that fails is read again with it."""


def _compose(loader: _FastLoader | _ExactLoader) -> yaml.Node | None:
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def read_yaml(path: Path, shown_as: str) -> tuple[Marked | None, list[Problem]]:
    """Parse `path`; return the marked data, or None and the problems that stopped it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    shown_as,
                    1,
                    1,
                    "",
                    f"file is {size:,} bytes, more than the limit of {MAX_FILE_BYTES:,}",
                )
            ]
        if not path.is_file():
            return None, [Problem(shown_as, 1, 1, "", "not a regular file")]
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [Problem(shown_as, 1, 1, "", f"cannot be read: {exc.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(shown_as, 1, 1, "", f"file is more than {MAX_FILE_BYTES:,} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(shown_as, 1, 1, "", f"not UTF-8 text (byte {exc.start})")]
    control = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        return None, [
            Problem(
                shown_as,
                line,
                column,
                "",
                f"control character U+{ord(control.group()):04X} is not allowed",
            )
        ]
    try:
        node = _compose(_FastLoader(text))
        marked = Marked(shown_as, None)
        marked.data = _Builder(marked).build(node, ()) if node is not None else {}
        return marked, []
    except _YamlProblem as exc:
        return None, [Problem(shown_as, exc.line, exc.column, "", exc.message)]
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(_exact_error(text) or exc, shown_as)]
    except yaml.YAMLError as exc:
        return None, [Problem(shown_as, 1, 1, "", f"YAML error: {exc}")]
    except RecursionError:
        return None, [Problem(shown_as, 1, 1, "", "values are nested too deeply")]


def _exact_error(text: str) -> yaml.MarkedYAMLError | None:
    """The syntax error as PyYAML's own parser words it (a failing file is read again)."""
    try:
        _compose(_ExactLoader(text))
    except yaml.MarkedYAMLError as exc:
        return exc
    except (yaml.YAMLError, _YamlProblem, RecursionError):
        pass
    return None


# PyYAML's problem -> (point at where the construct began?, what it means in plain words)
_PLAIN_WORDS: tuple[tuple[str, bool, str], ...] = (
    (r"found character '\\t'", False, "a tab character: indent with spaces, not tabs"),
    (
        r"found character '(.)' that cannot start",
        False,
        "a value cannot start with '{0}': put the text in quotes",
    ),
    (
        r"mapping values are not allowed",
        False,
        "unexpected ':' here: put a text containing ': ' in quotes, or check the indentation",
    ),
    (r"exceeded maximum nesting depth", False, "values are nested too deeply"),
    (r"expected <block end>", False, "this line's indentation does not fit the lines above it"),
    (
        r"could not find expected ':'",
        True,
        "a line without 'key: value' (a missing ':', or a quote that is not closed)",
    ),
    (r"found unexpected end of stream", True, "a quote opened here is never closed"),
    (r"expected ',' or '\]'", True, "a list opened with '[' here is not closed with ']'"),
    (r"expected ',' or '}'", True, "a mapping opened with '{{' here is not closed with '}}'"),
    (
        r"found unknown escape character '(.*)'",
        False,
        "'\\{0}' is not an escape in a double-quoted text: write \\\\ for a backslash, "
        "or use single quotes",
    ),
    (r"found undefined alias '(.*)'", False, "'*{0}' refers to no anchor '&{0}'"),
    (r"but found another document", False, "a second document ('---'): a content file holds one"),
    (
        r"expected alphabetic or numeric character",
        True,
        "'*' and '&' start aliases and anchors: put the text in quotes",
    ),
    (
        r"did not find expected key",
        False,
        "expected a 'key: value' line here: check the indentation",
    ),
    (r"did not find expected '-'", False, "expected a '- ' list item here: check the indentation"),
    (r"did not find expected node content", False, "a value is missing here"),
    (
        r"chomping or indentation indicators",
        False,
        "after '|' or '>' the text starts on the next line",
    ),
    (
        r"expected '<document start>'",
        False,
        "a line starting with '%' (a YAML directive): put the text in quotes",
    ),
)


def syntax_problem(exc: yaml.MarkedYAMLError, shown_as: str) -> Problem:
    """PyYAML's error in plain words, at the line where the mistake most likely is."""
    problem = exc.problem or exc.context or ""
    for pattern, at_start, words in _PLAIN_WORDS:
        found = re.search(pattern, problem)
        if found:
            mark = (exc.context_mark if at_start else None) or exc.problem_mark
            message = words.format(*found.groups())
            break
    else:
        mark, message = exc.problem_mark or exc.context_mark, f"cannot be read ({problem})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(shown_as, line, column, "", f"YAML syntax error: {message}")


class _Builder:
    """Turn a composed node graph into plain data, recording marks and refusing odd tags."""

    def __init__(self, marked: Marked) -> None:
        self.marked = marked
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _YamlProblem(
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                f"more than {MAX_NODES} values (alias expansion?)",
            )
        self.marked.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _PLAIN_TAGS:
            raise _YamlProblem(
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                f"tag {node.tag!r} is not allowed in content",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text: periods are validated as text
        return self.constructor.construct_object(node)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _YamlProblem(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    "merge keys (<<) are not allowed in content",
                )
            key = self.build(key_node, (*path, "<key>"))
            if not isinstance(key, str | int):
                raise _YamlProblem(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    "keys must be plain text",
                )
            key = str(key)
            if key in result:
                raise _YamlProblem(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    f"duplicate key {key!r}",
                )
            self.marked.keys[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, (*path, key))
        return result
