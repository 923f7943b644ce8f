"""Obsidian's wikilinks, `[[Pat Lee]]` and `[[Pat Lee|Pat]]`: how a body writes them, what
each one names (in a body, and as a front-matter property that names a person: schema.py
reads every such field through property_name), and the warnings `journal check` gives about
a body: a wikilink that names nothing, and a body with more Markdown than can be rendered in
bounded time (markdown_budget, which prose.py asks before rendering a body, and shows one
over it as plain text).

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


def property_name(text: str) -> tuple[str, str]:
    """(the name, '') that a front-matter value names a person by; ('', what is wrong) when
    it is a link written wrong. Obsidian writes a property that links to a note as a quoted
    wikilink ("[[Pat Lee]]"), and a link names whom a body's link to the same target names
    (target_key): "[[Pat Lee|Pat]]" and "[[Pat Lee#Notes]]" name Pat Lee. A link names a
    file, so its folders go: "[[contacts/pat-lee]]" is the card's file name, pat-lee, which
    finds the card as a body's link to it does. Text with neither '[[' nor ']]' is the name
    as written; no '[[' or ']]' is left in a name either way."""
    text = text.strip()
    if "[[" not in text and "]]" not in text:
        return text, ""
    if not text.startswith("[["):
        return "", "text before the link" if "[[" in text else "']]' closes a link that never opens with '[['"
    if not text.endswith("]]"):
        return "", "text after the link" if "]]" in text else "the link is never closed with ']]'"
    inner = text[2:-2]
    if "[" in inner or "]" in inner:
        return "", "a link holds no '[' or ']' inside it (one link to each person, in a list for several)"
    if "\n" in inner:
        return "", "a link is written on one line"
    target, bar, shown = inner.partition("|")
    name = target.partition("#")[0].rpartition("/")[2].strip()
    if not name:
        return "", "the link names no one"
    if bar and not shown.strip():
        return "", "nothing follows the '|'"
    return name, ""


def targets(text: str) -> set[str]:
    """Every target the text's wikilinks name, code or not (a cheap superset for the caller
    that resolves them before Markdown decides what is code)."""
    if "[[" not in text:
        return set()
    return {target for match in WIKILINK.finditer(text) if (target := parts(match)[0])}


MARKDOWN_MARKS = 10_000
"""The most Markdown marks a body is rendered as Markdown with: its paragraphs (text between
blank lines), the lines that open a list item, heading, quote, rule, fence or definition, the
lines of a paragraph that holds a definition list or a table (each may be a term or a row),
the characters * _ ` [ < & \\ | > and two-space line breaks. Python-Markdown spends up to tens of
microseconds on each: 80,000 entities (`&#64;`) took 25 seconds, 135,000 paragraphs longer;
10,000 paragraphs take under a second."""

MARKDOWN_WORK = 100_000_000
"""The most work a body is rendered as Markdown with. An inline mark (* _ ` [ < & \\ or a
two-space line break) and a line that splits its paragraph (an ATX heading, a setext
underline, a rule, a definition list's ':') each count the length of their paragraph:
Python-Markdown copies the rest of the paragraph for each, or searches it again. A reference,
footnote or abbreviation definition counts DEFINITION_WEIGHT times that (after each, three
extensions' slow patterns search the rest of the paragraph again), and a fence or an
abbreviation definition counts the whole body (the fenced-code preprocessor searches the
text from its start after each block; abbreviations are looked for in all of it). 100
million is a 1 MB paragraph with 100 marks or a 10 KB one with 10,000: some tenths of a
second at most. 500 reference definitions in one paragraph of 950 KB took 15 seconds."""

DEFINITION_WEIGHT = 16

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_INLINE_MARKS = ("*", "_", "`", "[", "<", "&", "\\", "  \n")
_CELL_MARKS = ("|", ">")  # a table cell, a quote: some work each, but not the paragraph's length
_BLOCK_LINE = re.compile(
    r"^ {0,3}(?:(?P<fence>`{3,}|~{3,})|(?P<abbreviation>\*\[(?P<short>[^\]\n]*))|(?P<definition>\[[^\]\n]*\]:)"
    r"|(?P<rows>:|(?=[-:| \t]*\|)(?=[:| \t]*-)[-:| \t]+$)"  # a definition, a table's rule: each line a term or row
    r"|(?P<split>#|[=-]+[ \t]*$|[-*_][-*_ \t]*$)|[-*+](?=[ \t])|\d+[.)])",  # headings, underlines, rules
    re.MULTILINE,
)


_TOO_MANY_MARKS = (
    f"this body holds more than {MARKDOWN_MARKS:,} Markdown marks (paragraphs, lines that open a list item, "
    "heading or quote, rows of tables and definition lists, uses of abbreviations, and the characters "
    "* _ ` [ < & \\ | >), more than Markdown renders in bounded time; it is shown as plain text"
)


def markdown_budget(body: str) -> tuple[int, str]:
    """(the index of the body's line it concerns, why the body is shown as plain text) when
    rendering its Markdown would take more than MARKDOWN_MARKS or MARKDOWN_WORK; (0, '')
    when it is within both. Counted from the text alone, never by a clock: every process
    and every run decides alike, and the same body gives the same bytes."""
    text = body.replace("\r\n", "\n").replace("\r", "\n") if "\r" in body else body
    rough = sum(text.count(mark) for mark in (*_INLINE_MARKS, *_CELL_MARKS, "\n")) + 1
    if (
        2 * rough <= MARKDOWN_MARKS
        and rough * (DEFINITION_WEIGHT + 1) * len(text) <= MARKDOWN_WORK
        and "*[" not in text  # an abbreviation's uses are no marks
    ):
        return 0, ""  # most bodies: too few marks to be over either, whatever they are
    marks = work = whole = 0
    heaviest = (0, 0, 0, 0)  # (work, line index, length, weighted marks) of the costliest paragraph
    abbreviations: set[str] = set()
    line = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        inline = sum(paragraph.count(mark) for mark in _INLINE_MARKS)
        marks += 1 + inline + sum(paragraph.count(mark) for mark in _CELL_MARKS)
        weighted = inline
        rows = False
        for block in _BLOCK_LINE.finditer(paragraph):
            marks += 1
            if marks > MARKDOWN_MARKS:
                break
            kind = block.lastgroup
            whole += kind in ("fence", "abbreviation")
            rows = rows or kind == "rows"
            if kind == "abbreviation":
                abbreviations.add(block.group("short").strip())
            weighted += DEFINITION_WEIGHT if kind in ("definition", "abbreviation") else kind in ("split", "rows")
        marks += paragraph.count("\n") if rows else 0  # every line of it may be a term or a table row
        if marks > MARKDOWN_MARKS:
            return 0, _TOO_MANY_MARKS
        cost = weighted * len(paragraph)
        work += cost
        if cost > heaviest[0]:
            start = len(paragraph) - len(paragraph.lstrip("\n"))
            heaviest = (cost, line + start, len(paragraph) - start, weighted)
        line += paragraph.count("\n") + 2
    # Each use of an abbreviation is an element: as many as the text holds its name (or the
    # start of its name, up to a ']' in it), at most.
    marks += sum(text.count(short) for short in abbreviations if short)
    if marks > MARKDOWN_MARKS:
        return 0, _TOO_MANY_MARKS
    work += whole * len(text)
    if work <= MARKDOWN_WORK:
        return 0, ""
    spent = f"{work / 1e6:,.0f} million of at most {MARKDOWN_WORK / 1e6:,.0f} million"
    if whole * len(text) >= heaviest[0]:
        return 0, (
            f"this body's {whole:,} fences and abbreviation definitions make Markdown read all of its "
            f"{len(text):,} characters again for each ({spent}); it is shown as plain text"
        )
    _, at, length, weighted = heaviest
    return at, (
        f"this paragraph is {length:,} characters long and holds {weighted:,} Markdown marks (a reference, "
        f"footnote or abbreviation definition counts {DEFINITION_WEIGHT}); Markdown reads the paragraph again "
        f"for each ({spent} for the body), so the body is shown as plain text: split long paragraphs with "
        "blank lines"
    )


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


WIKILINK_WARNINGS = 10
"""The most wikilinks one body is warned about; one more warning says how many others there
are. Each looks for a did-you-mean among every contact and meeting (66 ms in a journal of
20,000 of them): a note of 2,500 links to nowhere would have taken `journal check` minutes."""


def warnings(journal: Journal) -> list[Problem]:
    """A warning at each body (a note's or a card's) shown as plain text because its Markdown
    is over markdown_budget, and at each wikilink in the others that names no page (it shows
    as plain text) or more than one (it shows as plain text until written so it names one):
    WIKILINK_WARNINGS of them a body at most."""
    choices: dict[str, str] = {}
    hints: dict[str, str] = {}  # target key -> its did-you-mean, for every body
    problems = []
    bodies = [(meeting.path, meeting.body_line, meeting.body) for meeting in journal.meetings]
    bodies += [(contact.path, contact.notes_line, contact.notes) for contact in journal.contacts if contact.has_card]
    for path, first_line, body in bodies:
        at, too_much = markdown_budget(body)
        if too_much:
            problems.append(Problem(path, first_line + at, too_much, "warning"))
            continue
        if "[[" not in body:
            continue
        unlinked = [
            (first_line + index, match.group(), target, pages)
            for index, line in _prose_lines(body)
            for match in WIKILINK.finditer(line)
            if (target := parts(match)[0]) and len(pages := journal.linked(target_key(target))) != 1
        ]
        for line, written, target, pages in unlinked[:WIKILINK_WARNINGS]:
            if not choices:
                choices = _choices(journal)
            problems.append(Problem(path, line, _why(written, target, pages, choices, hints), "warning"))
        if len(unlinked) > WIKILINK_WARNINGS:
            more = len(unlinked) - WIKILINK_WARNINGS
            problems.append(
                Problem(
                    path,
                    unlinked[WIKILINK_WARNINGS][0],
                    f"{more:,} more wikilinks from here on name no page, or more than one, and show as plain text",
                    "warning",
                )
            )
    return sorted(problems)


def _why(
    written: str, target: str, pages: tuple[tuple[str, str], ...], choices: dict[str, str], hints: dict[str, str]
) -> str:
    if pages:
        some = " or ".join(f"{kind} '{slug}'" for kind, slug in pages)
        return f"{written} could be {some}; it shows as plain text until you write the file name"
    key = target_key(target)
    if key not in hints:
        close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.6)
        hints[key] = f" (did you mean '{choices[close[0]]}'?)" if close else ""
    return f"{written} names no contact or meeting, so it shows as plain text{hints[key]}"


def _choices(journal: Journal) -> dict[str, str]:
    """fold key -> the name a did-you-mean suggests: contacts' names and aliases, meetings'
    titles."""
    names = {fold(meeting.title): meeting.title for meeting in journal.meetings}
    names.update((fold(alias), alias) for contact in journal.contacts for alias in contact.aliases)
    names.update((fold(contact.name), contact.name) for contact in journal.contacts)
    return names
