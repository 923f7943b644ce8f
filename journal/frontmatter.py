"""Split a Markdown file into front matter and body, and compose the front matter into a
small tree that remembers the line of every value.

The only module that imports yaml. It never resolves YAML 1.1 types: `no`, `12:30` and
`+4412345` stay the text the user typed, and the schema decides what each field means.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .problems import Problem

try:  # libyaml is ten times faster; the pure-Python composer gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Scalar:
    """A single value as typed. `plain` is False when it was quoted or a block scalar."""

    text: str
    line: int
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Sequence:
    items: tuple
    line: int


@dataclass(frozen=True)
class Mapping:
    """Keys in file order; `key_lines` gives the line of each key for 'unknown field' errors."""

    entries: dict
    key_lines: dict
    line: int


@dataclass(frozen=True)
class Document:
    """A parsed file: its front matter tree (None when absent), body and body's first line."""

    meta: Mapping | None
    body: str
    body_line: int
    problems: tuple = field(default=())


def _convert(node, first_line: int, path: str, problems: list[Problem]):
    line = node.start_mark.line + first_line
    if isinstance(node, yaml.ScalarNode):
        plain = not node.style  # None from PyYAML, "" from libyaml
        if node.tag == _NULL_TAG and plain:
            return Scalar("", line, True)
        return Scalar(node.value, line, plain)
    if isinstance(node, yaml.SequenceNode):
        return Sequence(tuple(_convert(item, first_line, path, problems) for item in node.value), line)
    entries: dict = {}
    key_lines: dict = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + first_line
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(path, key_line, "field names must be plain words"))
            continue
        key = key_node.value
        if key in entries:
            problems.append(Problem(path, key_line, f"field '{key}' appears twice (first on line {key_lines[key]})"))
            continue
        entries[key] = _convert(value_node, first_line, path, problems)
        key_lines[key] = key_line
    return Mapping(entries, key_lines, line)


def compose(text: str, path: str, first_line: int = 1) -> tuple[Mapping | Sequence | Scalar | None, list[Problem]]:
    """YAML text -> value tree. `first_line` is the file line the text starts on."""
    problems: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return _compose_error(text, path, first_line)
    if node is None:
        return None, []
    return _convert(node, first_line, path, problems), problems


def _compose_error(text: str, path: str, first_line: int) -> tuple[None, list[Problem]]:
    """Re-read broken YAML with the pure-Python loader: its messages are the same whether
    or not libyaml is installed, and they are error text the user sees."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else first_line
        reason = error.problem or error.context or "not valid YAML"
        return None, [Problem(path, line, f"broken YAML: {reason}")]
    except yaml.YAMLError as error:
        return None, [Problem(path, first_line, f"broken YAML: {error}")]
    return None, [Problem(path, first_line, "broken YAML")]


def split(text: str, path: str) -> Document:
    """Front matter between a first line '---' and the next '---' or '...' line."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Document(None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        return Document(None, text, 1, (Problem(path, 1, "front matter starts with '---' but never ends; close it with a '---' line"),))
    tree, problems = compose("\n".join(lines[1:index]), path, first_line=2)
    body = "\n".join(lines[index + 1:])
    if tree is None and not problems:
        tree = Mapping({}, {}, 2)
    if tree is not None and not isinstance(tree, Mapping):
        problems.append(Problem(path, 2, "front matter must be a list of 'field: value' lines"))
        tree = None
    return Document(tree, body, index + 2, tuple(problems))
