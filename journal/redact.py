"""The publish profile's model: a Journal with everything private taken out.

Private is a contact's `email` and `phone`, every section under a heading named "Private" (in
notes and cards), the fields listed in journal.yaml `publish.private_fields`, and any e-mail
address or phone number written anywhere in free text. Redacting the model, before any
template sees it, means no template (shipped or the user's) can leak a private value. Pure:
no I/O; imports only the model and text helpers.

A Private section is found by structure, not by spelling: `_private_lines` reads the body the
way Python-Markdown (prose.markdown_renderer) parses it, block by block, with its fenced code,
indented code, block quotes, list items, definitions and footnotes, so that `##Private`,
`## **Private**`, `> ## Private` or `- ## Private` hide what they head just as `## Private`
does. Markdown itself is prose.py's alone (tests/test_architecture.py), and the model must
be redacted before any template sees it, so this is a reading of the text that mirrors the
parser; where the two could disagree it errs towards hiding (anything that might be a Private
heading starts a section). The publish renderer then drops any Private section still in the
tree Python-Markdown really built (prose.converter(publish=True)), and the publish search
index holds only the text pages show: the real parser has the last word on every published
page. tests/test_redact.py checks the two agree on generated bodies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from .model import CARD_FIELDS, ME, Commitment, Contact, Journal, Meeting
from .text import fold

PRIVATE_HEADING = "private"
HIDDEN = "[private]"

# Python-Markdown's own patterns, with its tab length of 4: the scanner must find blocks where
# the parser finds them. Fenced code is markdown.extensions.fenced_code's FENCED_BLOCK_RE: an
# opening fence at the very start of a line, closed by the same fence (an unclosed or indented
# fence is no fence at all); hr is markdown.blockprocessors.HRProcessor's.
_FENCED = re.compile(
    r"(?P<fence>^(?:~{3,}|`{3,}))[ ]*((\{[^\n]*\})|(\.?[\w#.+-]*[ ]*)?(hl_lines=(?P<quot>\"|')(.*?)(?P=quot)[ ]*)?)\n"
    r"(.*?)(?<=\n)(?P=fence)[ ]*$",
    re.MULTILINE | re.DOTALL,
)
_HR = re.compile(r"[ ]{0,3}(?=(?P<rule>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=rule)[ ]*$")
_ATX = re.compile(r"(?P<indent> {0,3})(?P<level>#{1,6})(?P<text>.*)$")
_SETEXT = re.compile(r"[=-]+[ ]*$")
_QUOTE = re.compile(r"[ ]{0,3}>[ ]?")
# An item of a list, a definition (def_list) or a footnote (footnotes): containers alike.
_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[*+-]|\d+\.|:|\[\^[^\]]*\]:)[ ]+")
_FOOTNOTE = re.compile(r"[ ]{0,3}\[\^[^\]]*\]:[ ]+")
_NESTED_ITEM = re.compile(r"[ ]{4,7}(?:[*+-]|\d+\.)[ ]+")
DEEPEST = 50  # containers in containers: deeper than any note needs, shallow enough for the stack
_NO_LINE = -1  # a block boundary Python-Markdown makes where the text has no blank line
_INDENT = " " * 4
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_ATTR_LIST = re.compile(r"\s*\{[^{}]*\}\s*$")
_MARKUP = str.maketrans("", "", "\\*_`~#[]")

Line = tuple[int, str]
"""(index of the line in the body, the line's text inside its container: a quote's '>' or a
list item's marker and indentation taken off)."""


def is_private_heading(text: str) -> bool:
    """Whether a heading's text says "Private": markup, links, trailing `{: attribute lists }`
    and #'s, invisible characters, case and a trailing colon ignored. render.py asks the same
    of the headings Python-Markdown built."""
    text = _LINK_TARGET.sub("]", text)
    while (bare := _ATTR_LIST.sub("", text)) != text:
        text = bare
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").translate(_MARKUP)
    return fold(text).rstrip(": ") == PRIVATE_HEADING


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines of fenced code blocks, found the way the fenced_code extension
    finds them: on the whole text, before any block is parsed."""
    text = "\n".join(lines)
    found: set[int] = set()
    for match in _FENCED.finditer(text):
        first = text.count("\n", 0, match.start())
        found.update(range(first, first + text.count("\n", match.start(), match.end()) + 1))
    return found


def _heading(lines: list[Line], at: int, block_start: bool, fenced: set[int]) -> tuple[int, bool, int] | None:
    """(level, whether it says Private, lines it takes) when lines[at] is a heading. A heading
    Python-Markdown would not see (# after spaces, a setext underline inside a paragraph) still
    counts when it says Private: hiding too much is the safe mistake."""
    text = lines[at][1]
    match = _ATX.match(text)
    if match:
        private = is_private_heading(match.group("text"))
        return (len(match.group("level")), private, 1) if private or not match.group("indent") else None
    if at + 1 < len(lines) and lines[at + 1][0] not in fenced and _SETEXT.match(lines[at + 1][1]):
        private = is_private_heading(text)
        if private or block_start:
            return (1 if lines[at + 1][1].startswith("=") else 2), private, 2
    return None


def _next_text(lines: list[Line], at: int) -> int:
    """The index of the first non-blank line from `at` (len(lines) if none)."""
    while at < len(lines) and not lines[at][1].strip():
        at += 1
    return at


def _quote(lines: list[Line], at: int, fenced: set[int]) -> tuple[list[Line], int]:
    """The content of the block quote that starts at lines[at], and where it ends. Lazy lines
    belong to it; a '#' or rule line ends it (Python-Markdown splits the block there); so does a
    blank line unless the next block is quoted too (then both are one quote)."""
    inner: list[Line] = []
    while at < len(lines):
        index, text = lines[at]
        if index in fenced or _ATX.match(text) and not text.startswith(" ") or _HR.match(text):
            break
        if not text.strip():
            following = _next_text(lines, at)
            if following == len(lines) or lines[following][0] in fenced or not _QUOTE.match(lines[following][1]):
                break
            inner += [(index, "") for index, _ in lines[at:following]]
            at = following
            continue
        marker = _QUOTE.match(text)
        inner.append((index, text[marker.end() :] if marker else text))
        at += 1
    return inner, at


def _list(lines: list[Line], at: int, fenced: set[int]) -> tuple[list[tuple[str, list[Line]]], int]:
    """The items of the list that starts at lines[at], each as (its marker, its lines: the
    first without the marker, the others as written, as Python-Markdown's list processors keep
    them), and where the list ends. A later block belongs to the list when it is indented four
    spaces (every line of it: ListIndentProcessor) or starts another item. A line that starts
    an item four to seven spaces in begins a new block of the current item (a nested list)."""
    items: list[tuple[str, list[Line]]] = []
    indented_block = False
    while at < len(lines):
        index, text = lines[at]
        if index in fenced:
            break
        if not text.strip():
            following = _next_text(lines, at)
            if following == len(lines) or lines[following][0] in fenced:
                break
            upcoming = lines[following][1]
            if not (upcoming.startswith(_INDENT) or _LIST_ITEM.match(upcoming)):
                break
            items[-1][1].extend((index, "") for index, _ in lines[at:following])
            indented_block = upcoming.startswith(_INDENT)
            at = following
            continue
        if not indented_block and (_ATX.match(text) and not text.startswith(" ") or _HR.match(text)):
            break
        marker = None if indented_block else _LIST_ITEM.match(text)
        if marker:
            items.append((marker.group(), [(index, text[marker.end() :])]))
        else:
            if not indented_block and _NESTED_ITEM.match(text):
                items[-1][1].append((_NO_LINE, ""))
            items[-1][1].append((index, text))
        at += 1
    return items, at


def _detab(lines: list[Line], at: int, fenced: set[int]) -> tuple[list[Line], int]:
    """The lines with the block at `at` moved four spaces left, and where that block ends: an
    indented block inside a list item or definition is parsed as the item's own content."""
    end = at
    while end < len(lines) and lines[end][1].strip() and lines[end][0] not in fenced:
        end += 1
    moved = [(index, text[4:] if text.startswith(_INDENT) else text) for index, text in lines[at:end]]
    return lines[:at] + moved + lines[end:], end


def _private_lines(lines: list[Line], fenced: set[int], in_item: bool = False, depth: int = 0) -> dict[int, str | None]:
    """The lines in Private sections of one container (the body, a quote, a list item), as
    {index: None (left out) or the list marker to keep}: from a Private heading to the next
    heading of the same or a higher level in the same container, or the container's end.
    Containers inside a section are hidden whole; containers outside one are searched in turn.
    A container nested deeper than DEEPEST is hidden whole if it says "private" anywhere."""
    if depth > DEEPEST:
        says_private = "private" in fold(" ".join(text for _, text in lines))
        return {index: None for index, _ in lines} if says_private else {}
    hidden: dict[int, str | None] = {}
    level = 0  # of the Private section open in this container; 0 when none is
    block_start = True
    detabbed_until = 0  # Python-Markdown moves an item's indented block left once, not twice
    at = 0
    while at < len(lines):
        index, text = lines[at]
        end, inner = at + 1, []
        if index in fenced or not text.strip():
            block_start = True
        elif block_start and text.startswith(_INDENT) and in_item and at >= detabbed_until:
            lines, detabbed_until = _detab(lines, at, fenced)
            continue
        elif block_start and text.startswith(_INDENT):  # indented code runs to its first unindented line
            while (
                end < len(lines)
                and lines[end][0] not in fenced
                and (not lines[end][1].strip() or lines[end][1].startswith(_INDENT))
            ):
                end += 1
        elif heading := _heading(lines, at, block_start, fenced):
            heading_level, private, taken = heading
            if level and heading_level <= level:
                level = 0
            if private and not level:
                level = heading_level
            end, block_start = at + taken, True
        elif _HR.match(text):
            block_start = True
        elif _QUOTE.match(text):
            quote, end = _quote(lines, at, fenced)
            inner, block_start = [("", quote)], True
        elif _LIST_ITEM.match(text) and (block_start or text.lstrip(" ").startswith(":")) or _FOOTNOTE.match(text):
            inner, end = _list(lines, at, fenced)
            block_start = True
        else:
            block_start = False
        end = max(end, at + 1)
        if level:
            hidden.update((index, None) for index, _ in lines[at:end])
        for marker, content in inner if not level else ():
            found = _private_lines(content, fenced, bool(marker), depth + 1)
            if marker and content[0][0] in found and any(text.strip() and i not in found for i, text in content):
                found[content[0][0]] = marker  # the item goes on after its Private section
            hidden.update(found)
        at = end
    return hidden


def strip_private(markdown: str) -> str:
    """The Markdown without any section under a heading named "Private": at any level, in any
    spelling Python-Markdown makes a heading of, inside quotes and list items too, up to the
    next heading of the same or a higher level in the same container. Code is not a heading."""
    lines = markdown.split("\n")
    seen = [line.rstrip("\r").expandtabs(4) for line in lines]  # as Python-Markdown normalises them
    seen = [line if line.strip() else "" for line in seen]
    fenced = _fenced_lines(seen)
    hidden = _private_lines(list(enumerate(seen)), fenced)
    return "\n".join(hidden.get(index) or line for index, line in enumerate(lines) if hidden.get(index, "") is not None)


# E-mail addresses and phone numbers in free text. Each pattern starts only where a token
# starts, so a long word costs one look, not one per character.
_AT = r"(?:@|%40|&#0*64;|&#x0*40;|&commat;)"  # '@' and the spellings a page would show as '@'
_EMAIL = re.compile(rf"(?<![\w.!#$%&'*+/=?^`{{|}}~-])[\w.!#$%&'*+/=?^`{{|}}~-]+{_AT}[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_DASH = "\\-\u2010-\u2015\u2212"  # hyphen, the Unicode dashes, minus
_GAP = f"(?:[ \u00a0\u2007\u202f]?[{_DASH}/][ \u00a0\u2007\u202f]?|[ \u00a0\u2007\u202f.])"  # space, no-break spaces, dot, dash, slash
_DATE = r"(?:\d{4}[-./]\d\d?[-./]\d\d?|\d\d?[-./]\d\d?[-./]\d{4})(?!\d)"
_PHONE = re.compile(
    rf"(?<![\w+/])(?<!\d[.{_DASH}])"  # not inside a longer number or word
    rf"(?:\+{_GAP}?)?(?:\(\d+\){_GAP}?)?(?!{_DATE})\d+"
    rf"(?:(?:{_GAP}?\(\d+\){_GAP}?|{_GAP})(?!{_DATE})\d+)*"
    rf"(?![\w]|[.,{_DASH}]\d)"
)
_LOCAL_NUMBER = re.compile(rf"\d{{3}}{_GAP}\d{{4}}")
"""A local number as North America writes it, without the area code: 555-0142."""
_MONEY = re.compile(r"[$€£¥₹][ \u00a0]?$|^[ \u00a0]?(?:[$€£¥₹]|(?:EUR|USD|GBP|CHF|JPY)\b)", re.IGNORECASE)
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+$")
_BOOK_NUMBER = re.compile(r"\bIS[BS]N(?:-1[03])?:?[ \u00a0]?$", re.IGNORECASE)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _is_phone(match: re.Match, known: tuple[str, ...]) -> bool:
    """Whether a run of digits is a phone number: a contact's own number in any spelling
    (same digits, with or without the country code or a leading 0), or anything shaped like a
    number to dial: 7 to 15 digits after a '+', a local number (555-0142), or 9 to 15
    digits in groups or with an area code in brackets. Dates (2026-10-01), times, amounts
    (a currency sign or 1.234.567), ISBNs and ids written as one run of digits (invoice
    123456789) are not."""
    text = match.group()
    digits = _digits(text)
    core = digits.lstrip("0")
    if len(core) >= 7 and any(number.endswith(core) or core.endswith(number) for number in known):
        return True
    before, after = (
        match.string[max(0, match.start() - 10) : match.start()],
        match.string[match.end() : match.end() + 4],
    )
    if _MONEY.search(before) or _MONEY.search(after) or _THOUSANDS.match(text) or _BOOK_NUMBER.search(before):
        return False
    if text.startswith("+"):
        return 7 <= len(digits) <= 15
    if _LOCAL_NUMBER.fullmatch(text):
        return True
    return digits != text and 9 <= len(digits) <= 15


def scrub(text: str, emails: re.Pattern | None = None, phones: tuple[str, ...] = ()) -> str:
    """The text with every e-mail address and phone number replaced by HIDDEN: the journal's
    contacts' own (`emails`, a pattern of them in any case; `phones`, their digits without
    leading zeros) and any other written in it."""
    if emails is not None:
        text = emails.sub(HIDDEN, text)
    text = _EMAIL.sub(HIDDEN, text)
    return _PHONE.sub(lambda match: HIDDEN if _is_phone(match, phones) else match.group(), text)


# Blank values for the optional fields a user may list in publish.private_fields. A private
# field is published as if it had not been written; `to`, `due` and `done` decide who owes
# whom and what is overdue, so schema.py does not offer them.
_CONTACT_FIELDS = {
    field.name: (field.name, field.empty)
    for field in CARD_FIELDS
    if field.name != "name" and field.published != "never"
}
_MEETING_FIELDS = {
    "with": ("people", ()),
    "where": ("where", ""),
    "tags": ("tags", ()),
    "follow_up": ("follow_ups", ()),
}
_COMMITMENT_FIELDS = {"kind": ("kind", "other"), "introducing": ("introducing", ""), "consent": ("consent", "")}


def _scrubber(journal: Journal):
    """scrub() with the journal's contacts' e-mail addresses and phone numbers."""
    emails = sorted(
        {contact.email.strip() for contact in journal.contacts if contact.email.strip()}, key=lambda e: (-len(e), e)
    )
    pattern = re.compile("|".join(map(re.escape, emails)), re.IGNORECASE) if emails else None
    phones = tuple(
        sorted({core for contact in journal.contacts if len(core := _digits(contact.phone).lstrip("0")) >= 7})
    )
    return lambda text: scrub(text, pattern, phones)


def _blank(record, table: dict, private: tuple[str, ...]):
    changes = dict(table[name] for name in private if name in table)
    return replace(record, **changes) if changes else record


def _contact(contact: Contact, private: tuple[str, ...], clean) -> Contact:
    contact = _blank(contact, _CONTACT_FIELDS, private)
    published: dict[str, Any] = {
        field.name: field.empty if field.published == "never" else clean(getattr(contact, field.name))
        for field in CARD_FIELDS
        if field.published != "as is"
    }
    return replace(contact, notes=clean(strip_private(contact.notes)), **published)


def _commitment(commitment: Commitment, private: tuple[str, ...], clean) -> Commitment:
    commitment = _blank(commitment, _COMMITMENT_FIELDS, private)
    dropped = commitment.dropped
    if dropped and "dropped" in private:
        dropped = "reason not published"
    return replace(commitment, what=clean(commitment.what), dropped=clean(dropped))


def _body(meeting: Meeting) -> str:
    """A note whose opening heading was "# Private" (in any spelling) lost that heading to its
    title; put it back so the section it opened stays hidden."""
    if is_private_heading(meeting.title):
        return strip_private(f"# {meeting.title}\n{meeting.body}")
    return strip_private(meeting.body)


def _meeting(meeting: Meeting, private: tuple[str, ...], clean) -> Meeting:
    meeting = _blank(meeting, _MEETING_FIELDS, private)
    if "with" in private:  # the people to follow up with are people who were there
        meeting = replace(meeting, follow_ups=())
    exchanges = tuple(
        replace(e, what=clean(e.what))
        for e in meeting.exchanges
        if not ("gave" in private and e.giver == ME) and not ("received" in private and e.receiver == ME)
    )
    commitments = () if "commitments" in private else tuple(_commitment(c, private, clean) for c in meeting.commitments)
    title = f"Meeting on {meeting.date.isoformat()}" if "title" in private else clean(meeting.title)
    return replace(
        meeting,
        title=title,
        body=clean(_body(meeting)),
        where=clean(meeting.where),
        commitments=commitments,
        exchanges=exchanges,
    )


def redact(journal: Journal) -> Journal:
    """The journal as a publish build may show it."""
    private = journal.config.publish.private_fields
    clean = _scrubber(journal)
    return replace(
        journal,
        contacts=tuple(_contact(contact, private, clean) for contact in journal.contacts),
        meetings=tuple(_meeting(meeting, private, clean) for meeting in journal.meetings),
    )
