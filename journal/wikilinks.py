"""Obsidian's wikilinks, `[[Pat Lee]]` and `[[Pat Lee|Pat]]`: how a body writes them, what
each one names, and the warnings `journal check` gives for those that name nothing.

Which page a name means is decided where `with` names are (assemble.link_names, asked
through model.Journal.linked); prose.py turns each link into an element. Pure: imports only
the model and text helpers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from .model import Journal
from .problems import Problem
from .text import fold

NAME_LENGTH = 200
"""The longest target or label read as a wikilink: names are short, and a bound keeps the
search for `]]` from reading on through a paragraph."""

WIKILINK = re.compile(rf"!?\[\[([^\[\]|\n]{{1,{NAME_LENGTH}}})(?:\|([^\[\]\n]{{0,{NAME_LENGTH}}}))?\]\]")
"""`[[target]]` or `[[target|label]]`, on one line, with no bracket inside. Obsidian's
embed, `![[target]]`, is read as a link: a page shows no other file inside it."""


def target_key(target: str) -> str:
    """The fold key a target is looked up by: `[[Pat Lee#History]]` names Pat Lee's page
    (a page has no anchors for a note's headings)."""
    return fold(target.partition("#")[0])


def parts(match: re.Match) -> tuple[str, str]:
    """(target, label) of a WIKILINK match; the label is the target when none is written."""
    target = match.group(1).strip()
    return target, (match.group(2) or "").strip() or target


def targets(text: str) -> set[str]:
    """Every target the text's wikilinks name, code or not (a cheap superset for the caller
    that resolves them before Markdown decides what is code)."""
    if "[[" not in text:
        return set()
    return {target for match in WIKILINK.finditer(text) if (target := parts(match)[0])}


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(index, line) of each line outside fenced code blocks, with its code spans blanked:
    a wikilink shown as code is an example, not a link."""
    fence = ""
    for index, line in enumerate(text.split("\n")):
        opening = _FENCE.match(line)
        if fence:
            if (
                opening
                and opening.group(1)[0] == fence[0]
                and len(opening.group(1)) >= len(fence)
                and not line[opening.end() :].strip()
            ):
                fence = ""
        elif opening:
            fence = opening.group(1)
        elif "[[" in line:
            yield index, _CODE_SPAN.sub(lambda span: " " * len(span.group()), line)


def warnings(journal: Journal) -> list[Problem]:
    """A warning at each wikilink in a note or card that names no page (it shows as plain
    text) or more than one (it shows as plain text until written so it names one)."""
    choices: dict[str, str] = {}
    problems = []
    bodies = [(meeting.path, meeting.body_line, meeting.body) for meeting in journal.meetings]
    bodies += [(contact.path, contact.notes_line, contact.notes) for contact in journal.contacts if contact.has_card]
    for path, first_line, body in bodies:
        if "[[" not in body:
            continue
        for index, line in _prose_lines(body):
            for match in WIKILINK.finditer(line):
                target, _ = parts(match)
                if not target:
                    continue
                pages = journal.linked(target_key(target))
                if len(pages) == 1:
                    continue
                if not choices:
                    choices = _choices(journal)
                problems.append(
                    Problem(path, first_line + index, _why(match.group(), target, pages, choices), "warning")
                )
    return sorted(problems)


def _why(written: str, target: str, pages: tuple[tuple[str, str], ...], choices: dict[str, str]) -> str:
    if pages:
        some = " or ".join(f"{kind} '{slug}'" for kind, slug in pages)
        return f"{written} could be {some}; it shows as plain text until you write the file name"
    close = difflib.get_close_matches(target_key(target), list(choices), n=1, cutoff=0.6)
    hint = f" (did you mean '{choices[close[0]]}'?)" if close else ""
    return f"{written} names no contact or meeting, so it shows as plain text{hint}"


def _choices(journal: Journal) -> dict[str, str]:
    """fold key -> the name a did-you-mean suggests: contacts' names and aliases, meetings'
    titles."""
    names = {fold(meeting.title): meeting.title for meeting in journal.meetings}
    names.update((fold(alias), alias) for contact in journal.contacts for alias in contact.aliases)
    names.update((fold(contact.name), contact.name) for contact in journal.contacts)
    return names
