"""Split a Markdown file into front matter and body, and compose the front matter into a
small tree that remembers the line of every value.

The only module that imports yaml. It never resolves YAML 1.1 types: `no`, `12:30` and
`+4412345` stay the text the user typed, and the schema decides what each field means.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem

try:  # libyaml is ten times faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]  # the same events, slower

_NULL_TAG = "tag:yaml.org,2002:null"
NULLS = ("", "~", "null", "Null", "NULL")  # plain scalars that mean "no value"


@dataclass(frozen=True)
class Scalar:
    """A single value as typed. `plain` is False when it was quoted or a block scalar."""

    text: str
    line: int
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in NULLS


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


MAX_DEPTH = 20  # a note nests three or four levels; this leaves room and bounds the work
# A busy note's front matter is a few kilobytes. Reading YAML costs about 1 s per 100 KB at
# worst (a broken file is read again by the pure-Python parser for its messages), so more
# is refused unread.
MAX_CHARACTERS = 100_000
_SCALAR, _ALIAS, _DOCUMENT_START = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


class _Refused(Exception):
    """Input the reader will not take (an alias, too deep, a second document): one problem."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _scalar(event, line: int) -> Scalar:
    plain = not event.style  # None from PyYAML, "" from libyaml
    if plain and (event.tag == _NULL_TAG or (event.tag is None and event.value in NULLS)):
        return Scalar("", line, True)
    return Scalar(event.value, line, plain)


def _mapping(children: list, line: int, path: str, problems: list[Problem]) -> Mapping:
    entries: dict = {}
    key_lines: dict = {}
    for key_node, value in zip(children[0::2], children[1::2]):
        if not isinstance(key_node, Scalar):
            problems.append(Problem(path, key_node.line, "field names must be plain words"))
            continue
        key = key_node.text
        if key in entries:
            problems.append(
                Problem(path, key_node.line, f"field '{key}' appears twice (first on line {key_lines[key]})")
            )
            continue
        entries[key] = value
        key_lines[key] = key_node.line
    return Mapping(entries, key_lines, line)


def _build(loader, first_line: int, path: str, what: str, problems: list[Problem]):
    """The value tree, built from the parser's events with a stack rather than from
    yaml.compose: composing follows aliases (a 355-byte alias bomb took 48 s and 1.5 GB)
    and recurses in C (a deep enough nest crashes the process). Here an alias, a nest
    deeper than MAX_DEPTH or a second document stops the reading at once. Takes the loader
    itself (yaml.parse's loop, without its generator) and tells events by their exact type,
    scalars first: this loop is most of the parse, 10,000 notes make 470,000 events."""
    stack: list[tuple[bool, int, list]] = []  # open collections: (is a mapping, line, children)
    root = None
    documents = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            kind = type(event)
            if kind is _SCALAR:
                node: Mapping | Sequence | Scalar = _scalar(event, event.start_mark.line + first_line)
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                line = event.start_mark.line + first_line
                if len(stack) == MAX_DEPTH:
                    raise _Refused(line, f"{what} nests more than {MAX_DEPTH} levels deep here")
                stack.append((kind is _MAPPING_START, line, []))
                continue
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                is_mapping, start, children = stack.pop()
                node = _mapping(children, start, path, problems) if is_mapping else Sequence(tuple(children), start)
            elif kind is _ALIAS:
                line = event.start_mark.line + first_line
                raise _Refused(line, f"YAML aliases (*{event.anchor}) are not allowed in {what}; write the value out")
            elif kind is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    line = event.start_mark.line + first_line
                    raise _Refused(line, f"{what} holds a second YAML document here; remove the '---' line above it")
                continue
            else:
                continue
            if stack:
                stack[-1][2].append(node)
            else:
                root = node
    finally:
        loader.dispose()
    return root


def compose(
    text: str, path: str, first_line: int = 1, what: str = "front matter"
) -> tuple[Mapping | Sequence | Scalar | None, list[Problem]]:
    """YAML text -> value tree. `first_line` is the file line the text starts on; `what`
    names the text in messages ('front matter', 'journal.yaml')."""
    problems: list[Problem] = []
    if len(text) > MAX_CHARACTERS:
        return None, [
            Problem(path, first_line, f"{what} is {len(text) // 1000} KB; it is limited to {MAX_CHARACTERS // 1000} KB")
        ]
    try:
        return _build(_Loader(text), first_line, path, what, problems), problems
    except _Refused as refused:
        return None, [Problem(path, refused.line, refused.message)]
    except yaml.YAMLError:
        return _compose_error(text, path, first_line, what)


def _compose_error(text: str, path: str, first_line: int, what: str) -> tuple[None, list[Problem]]:
    """Re-read broken YAML with the pure-Python parser: its messages are the same whether
    or not libyaml is installed, and they are error text the user sees. It stops at the
    same place the fast parser did, so this costs no more than the reading before it. Its
    events go through the same checks: a libyaml that stops a deep nest with its own limit
    (0.2.5 and later do, at 1000 levels, before the 21st level reaches us) still gets the
    message naming journal's limit."""
    try:
        problems: list[Problem] = []
        _build(yaml.SafeLoader(text), first_line, path, what, problems)
    except _Refused as refused:  # libyaml gave up first (its own nesting limit), or saw what this reads past
        return None, [Problem(path, refused.line, refused.message)]
    except yaml.MarkedYAMLError as error:
        line, message = _in_plain_words(error, text.split("\n"))
        return None, [Problem(path, line + first_line, message)]
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + first_line
        return None, [
            Problem(path, line, f"broken YAML: the character U+{error.character:04X} is not allowed; remove it")
        ]
    except yaml.YAMLError as error:
        return None, [Problem(path, first_line, f"broken YAML: {error}")]
    return None, [Problem(path, first_line, "broken YAML")]


_FIELD_WITHOUT_SPACE = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):(?!//)(\S.*)")
_FIELD_WITH_VALUE = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+(.+?)\s*")
_LINK = re.compile(r"\[\[[^\[\]\n]*\]\]")
_UNQUOTED_LINK = re.compile(r"(?<![\"'])\[\[[^\[\]\n]*\]\](?![\"'])")


def _in_plain_words(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    """(line within the YAML text, message) for a YAML error, said as what to do on the line
    the person must edit; the reader's own words follow as a detail. The common slips: a tab
    used for indenting, 'date:2026-12-09' (the reader notices on the next line), an
    unquoted ': ' inside a value, a quote never closed."""
    problem, context = error.problem or "", error.context or ""
    mark = error.problem_mark or error.context_mark
    at = mark.line if mark else 0
    started = error.context_mark.line if error.context_mark else at
    detail = f" (the YAML reader says: {problem or context or 'not valid YAML'})"

    def text_of(index: int) -> str:
        return lines[index] if 0 <= index < len(lines) else ""

    if "'\\t'" in problem or "\t" in problem:
        return at, "a tab is used for indenting here; indent with spaces, not a tab" + detail
    unquoted = _UNQUOTED_LINK.search(text_of(at))
    if unquoted:
        return at, _quote_links(text_of(at), unquoted[0]) + detail
    if "could not find expected ':'" in problem and "simple key" in context:
        slip = _FIELD_WITHOUT_SPACE.fullmatch(text_of(started))
        if slip:
            return started, f"put a space after the colon: '{slip[1]}: {slip[2]}'" + detail
        return started, "this line needs the form 'field: value' (a colon, then a space)" + detail
    if "mapping values are not allowed" in problem:
        field = _FIELD_WITH_VALUE.fullmatch(text_of(at))
        if field:
            quoted = json.dumps(field[2], ensure_ascii=False)
            return at, f"the value of '{field[1]}' holds ': '; put the text in quotes: {field[1]}: {quoted}" + detail
        return at, "a ': ' inside a value; put the text in quotes" + detail
    for opened, closing, kind in (("flow sequence", "]", "list"), ("flow mapping", "}", "mapping")):
        if opened in context:
            return started, f"a {kind} opened on this line is never closed; end it with '{closing}'" + detail
    if "escape character" in problem:
        return at, (
            "a backslash inside double quotes starts an escape; write \\\\ for a backslash, or use single quotes"
        ) + detail
    if "quoted scalar" in context and "end of stream" in problem:
        return started, "a quote opened on this line is never closed; end the text with the same quote" + detail
    return at, f"broken YAML: {problem or context or 'not valid YAML'}"


def _quote_links(line: str, unquoted: str) -> str:
    """What to write for a line with Obsidian links typed without quotes ('with: [[Pat Lee]],
    [[Bob]]'), which YAML reads as lists inside lists: its links in quotes, several as a list."""
    links = _LINK.findall(line)
    field = _FIELD_WITH_VALUE.fullmatch(line)
    quoted = ", ".join(json.dumps(link, ensure_ascii=False) for link in links)
    written = quoted if len(links) == 1 else f"[{quoted}]"
    return (
        f"a link needs quotes in front matter (YAML reads {unquoted} without them as a list inside a list); "
        f"write {field[1] + ': ' if field else ''}{written}"
    )


def divide(text: str) -> tuple[str, str, int] | None:
    """(the front matter's text, the body, the body's first line) of a text whose first line
    is '---', up to the next '---' or '...' line; None when there is no such front matter.
    What split() reads, without reading the YAML."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def split(text: str, path: str) -> Document:
    """Front matter between a first line '---' and the next '---' or '...' line."""
    divided = divide(text)
    if divided is None:
        if text.split("\n", 1)[0].rstrip() != "---":
            return Document(None, text, 1)
        return Document(
            None,
            text,
            1,
            (Problem(path, 1, "front matter starts with '---' but never ends; close it with a '---' line"),),
        )
    front, body, body_line = divided
    tree, problems = compose(front, path, first_line=2)
    if tree is None and not problems:
        tree = Mapping({}, {}, 2)
    if tree is not None and not isinstance(tree, Mapping):
        slip = _FIELD_WITHOUT_SPACE.fullmatch(tree.text) if isinstance(tree, Scalar) else None
        if slip:
            problems.append(Problem(path, tree.line, f"put a space after the colon: '{slip[1]}: {slip[2]}'"))
        else:
            problems.append(Problem(path, 2, "front matter must be a list of 'field: value' lines"))
        tree = None
    return Document(tree, body, body_line, tuple(problems))
