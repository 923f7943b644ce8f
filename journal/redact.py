"""The publish profile's model: a Journal with everything private taken out.

Private is a contact's `email` and `phone`, every section under a heading named "Private" (in
notes and cards), the fields listed in journal.yaml `publish.private_fields`, and any e-mail
address or phone number written anywhere: in free text, in every field, in a person's or a
tag's name, in a file's name (which becomes a page's address). Redacting the model, before
any template sees it, means no template (shipped or the user's) can leak a private value.
Pure: no I/O; imports only the model and text helpers.

Contact details are found by what a page shows, not by how the text spells it (`shown`):
Markdown's escapes and emphasis markers, HTML entities, invisible characters and
compatibility forms (a full-width '＠', '５') are read as the page shows them, so
`pat\\@example\\.com`, `555-**010**-6666` and `pat＠example.com` are the addresses and numbers
they look like. The forms people write to keep an address from machines, `pat [at] example
[dot] com`, and numbers read out digit by digit (`five five five, oh one oh, ...`, seven
digits or more, in English) are contact details too: they mean one, and prose has no other
use for them.

A name that holds a contact detail (`with: [pat@example.com]`, a card's file name) is not
published: the person keeps their page under what is left of the name, or a neutral one
(`Unnamed contact 1`), at an address made from that. An alias or tag that holds one is left
out. A person who is named only in fields kept private has no page at all. Source paths are
published as the meeting's or card's address alone (`2026-10-01-coffee-pat.md`), never with
the folders the notes sit in.

A Private section is found by structure, not by spelling: `_private_lines` reads the body the
way Python-Markdown (prose.markdown_renderer) parses it, block by block, with its fenced code,
indented code, block quotes, list items, definitions and footnotes, so that `##Private`,
`## **Private**`, `> ## Private` or `- ## Private` hide what they head just as `## Private`
does; a heading says Private when its letters alone do (`## 🔒 Private`, `## (Private)`).
Markdown itself is prose.py's alone (tests/test_architecture.py), and the model must
be redacted before any template sees it, so this is a reading of the text that mirrors the
parser; where the two could disagree it errs towards hiding (anything that might be a Private
heading starts a section). The publish renderer then drops any Private section still in the
tree Python-Markdown really built (prose.converter(publish=True)), and the publish search
index holds only the text pages show: the real parser has the last word on every published
page. tests/test_redact.py checks the two agree on generated bodies.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any, NamedTuple

from .fields import CARD_FIELDS, COMMITMENT_FIELDS, NOTE_FIELDS, WHOLE, blanks
from .model import LAST_DATE, ME, Commitment, Contact, Journal, Meeting
from .text import address, slugify, unaccented

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
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_ATTR_LIST = re.compile(r"\s*\{[^{}]*\}\s*$")
_BARE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,15}\s*/?>")  # a note's HTML shows as text: read past it
_NOT_ASCII_LETTERS = re.compile(r"[^a-z]+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")

Line = tuple[int, str]
"""(index of the line in the body, the line's text inside its container: a quote's '>' or a
list item's marker and indentation taken off)."""


def _letters(text: str) -> str:
    """The letters of a text as a reader takes them, run together: bare HTML tags read past,
    HTML entities decoded,
    compatibility forms (full-width, mathematical bold) made plain, accents, case, digits,
    emoji, punctuation, markup and invisible characters gone. '## 🔒 *Pri\u200bvate*.' ->
    'private'."""
    text = _BARE_TAG.sub("", text) if "<" in text else text
    text = html.unescape(text) if "&" in text else text
    if text.isascii():
        return _NOT_ASCII_LETTERS.sub("", text.casefold())
    return _NOT_LETTERS.sub("", unaccented(unicodedata.normalize("NFKC", text)).casefold())


def is_private_heading(text: str) -> bool:
    """Whether a heading's text says "Private": its letters alone are the word, whatever else
    it holds (markup, link targets, trailing `{: attribute lists }` and #'s, emoji,
    punctuation, digits, invisible characters; case and accents ignored): `🔒 Private`,
    `(Private)`, `Private.` and `**PRIVATE:**` do, `Private notes` does not. prose.py asks
    the same of the headings Python-Markdown built."""
    text = _LINK_TARGET.sub("]", text)
    while (bare := _ATTR_LIST.sub("", text)) != text:
        text = bare
    return _letters(text) == PRIVATE_HEADING


def _may_say_private(text: str) -> bool:
    """False when no heading in the text can say Private: its letters, read as
    is_private_heading reads a heading's, never spell the word. Most bodies have no Private
    section, and this look costs a fraction of reading their blocks."""
    return PRIVATE_HEADING in text.lower() or PRIVATE_HEADING in _letters(_LINK_TARGET.sub("]", text))


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
        says_private = _may_say_private("\n".join(text for _, text in lines))
        return {index: None for index, _ in lines} if says_private else {}
    hidden: dict[int, str | None] = {}
    level = 0  # of the Private section open in this container; 0 when none is
    block_start = True
    detabbed_until = 0  # Python-Markdown moves an item's indented block left once, not twice
    at = 0
    while at < len(lines):
        index, text = lines[at]
        if block_start and in_item and at >= detabbed_until and _indented(text) and index not in fenced:
            lines, detabbed_until = _detab(lines, at, fenced)
            continue
        block = _block(lines, at, fenced, block_start)
        block_start = block.starts_next
        if block.heading:
            heading_level, private = block.heading
            if level and heading_level <= level:
                level = 0
            if private and not level:
                level = heading_level
        end = max(block.end, at + 1)
        if level:
            hidden.update((index, None) for index, _ in lines[at:end])
        else:
            hidden.update(_private_in(block.inner, fenced, depth))
        at = end
    return hidden


def _indented(text: str) -> bool:
    return bool(text.strip()) and text.startswith(_INDENT)


@dataclass(frozen=True)
class _Block:
    """One block of a container, as Python-Markdown reads it: where it ends, the containers
    inside it (quotes, list items: (list marker or '', lines)), whether a new block may start
    on the line after it, and for a heading (its level, whether it says Private)."""

    end: int
    inner: list
    starts_next: bool
    heading: tuple[int, bool] | None = None


def _block(lines: list[Line], at: int, fenced: set[int], block_start: bool) -> _Block:
    index, text = lines[at]
    if index in fenced or not text.strip():
        return _Block(at + 1, [], True)
    if block_start and text.startswith(_INDENT):  # indented code runs to its first unindented line
        end = at + 1
        while (
            end < len(lines) and lines[end][0] not in fenced and (not lines[end][1].strip() or _indented(lines[end][1]))
        ):
            end += 1
        return _Block(end, [], block_start)
    if heading := _heading(lines, at, block_start, fenced):
        heading_level, private, taken = heading
        return _Block(at + taken, [], True, (heading_level, private))
    if _HR.match(text):
        return _Block(at + 1, [], True)
    if _QUOTE.match(text):
        quote, end = _quote(lines, at, fenced)
        return _Block(end, [("", quote)], True)
    if _LIST_ITEM.match(text) and (block_start or text.lstrip(" ").startswith(":")) or _FOOTNOTE.match(text):
        inner, end = _list(lines, at, fenced)
        return _Block(end, inner, True)
    return _Block(at + 1, [], False)


def _private_in(inner: list, fenced: set[int], depth: int) -> dict[int, str | None]:
    """The Private lines of the containers inside a block outside any Private section."""
    hidden: dict[int, str | None] = {}
    for marker, content in inner:
        found = _private_lines(content, fenced, bool(marker), depth + 1)
        if marker and content[0][0] in found and any(text.strip() and i not in found for i, text in content):
            found[content[0][0]] = marker  # the item goes on after its Private section
        hidden.update(found)
    return hidden


def strip_private(markdown: str) -> str:
    """The Markdown without any section under a heading named "Private": at any level, in any
    spelling Python-Markdown makes a heading of, inside quotes and list items too, up to the
    next heading of the same or a higher level in the same container. Code is not a heading."""
    if not _may_say_private(markdown):
        return markdown
    lines = markdown.split("\n")
    seen = [line.rstrip("\r").expandtabs(4) for line in lines]  # as Python-Markdown normalises them
    seen = [line if line.strip() else "" for line in seen]
    fenced = _fenced_lines(seen)
    hidden = _private_lines(list(enumerate(seen)), fenced)
    return "\n".join(hidden.get(index) or line for index, line in enumerate(lines) if hidden.get(index, "") is not None)


# What a page shows of a text, for finding contact details in it (`shown`): Markdown's
# backslash escapes and emphasis, strike-through and code markers, bare HTML tags (`<b>`,
# `</i>`: a note's HTML is shown as text, and a reader reads past it), HTML entities (decoded),
# invisible characters (format characters and the other default-ignorable ones: zero-width
# spaces, joiners, soft hyphens, variation selectors, Hangul fillers), combining marks, and
# each character's compatibility form (NFKC: '＠' is '@', '５' is '5', a no-break space a
# space; the ideographic full stops are dots, as in domain names).
_MARKUP_IN_TEXT = (
    rf"\\(?=[!-/:-@\[-`{{-~])|[*_`~]+|{_BARE_TAG.pattern}"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_ASCII_SHOWN = re.compile(_MARKUP_IN_TEXT)
_NO_MARKUP = str.maketrans("", "", "*_`~")  # shown() of an ASCII text without '&', '\\' or '<', the quick way
_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufff8\U000e0000-\U000e0fff]"
)
_DOTS = {"\u3002": ".", "\uff61": "."}


@functools.lru_cache(maxsize=1 << 14)
def _shown_char(ch: str) -> str:
    """A non-ASCII character as detection reads it: '' for what a reader does not see as a
    character of its own, else its compatibility form."""
    if unicodedata.category(ch) in ("Cf", "Mn", "Me") or _IGNORABLE.match(ch):
        return ""
    return _DOTS.get(ch) or unicodedata.normalize("NFKC", ch)


@functools.lru_cache(maxsize=64)
def _shown_pattern(changed: str) -> re.Pattern:
    """The markup, entities and these non-ASCII characters, one match each run of them."""
    return re.compile(f"{_MARKUP_IN_TEXT}|[{re.escape(changed)}]") if changed else _ASCII_SHOWN


def _replacement(found: str) -> str:
    if found.startswith("&"):
        return html.unescape(found)
    if found[0] in "\\*_`~<":
        return ""
    return _shown_char(found)


Edit = tuple[int, int, int, int]
"""(start, end) in the shown text, (start, end) in the text as written, of one replaced run."""


def shown(text: str) -> tuple[str, list[Edit]]:
    """The text as detection reads it, and the edits that made it (none: it is the text)."""
    if text.isascii():
        pattern = _ASCII_SHOWN
    else:
        pattern = _shown_pattern("".join(sorted(ch for ch in set(text) if not ch.isascii() and _shown_char(ch) != ch)))
    pieces: list[str] = []
    edits: list[Edit] = []
    at = length = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        new = _replacement(match.group())
        if new == match.group():
            continue
        pieces += (text[at:start], new)
        length += start - at
        edits.append((length, length + len(new), start, end))
        length += len(new)
        at = end
    if not edits:
        return text, edits
    pieces.append(text[at:])
    return "".join(pieces), edits


def _written(edits: list[Edit], starts: list[int], start: int, end: int) -> tuple[int, int]:
    """Where shown text's [start, end) was written: from its first character's source to its
    last character's (the markup around a match stays; the markup inside it goes with it)."""

    def source(position: int, last: bool) -> int:
        index = bisect_right(starts, position) - 1
        if index < 0:
            return position + last
        shown_start, shown_end, written_start, written_end = edits[index]
        if position < shown_end:
            return written_end if last else written_start
        return position - shown_end + written_end + last

    return source(start, False), source(end - 1, True)


# E-mail addresses and phone numbers, in what a page shows. Each pattern starts only where a
# token starts, so a long word costs one look, not one per character.
_AT = r"(?:@|%40|&#0*64;|&#x0*40;|&commat;)"  # '@' and the spellings a page would show as '@'
_EMAIL = re.compile(rf"(?<![\w.!#$%&'*+/=?^`{{|}}~-])[\w.!#$%&'*+/=?^`{{|}}~-]+{_AT}[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# An address spelled out: 'pat [at] example [dot] com', 'pat (at) example.com', 'pat at
# example dot com' (a plain ' at ' only with spelled-out dots: 'works at acme.com' is prose),
# ending in a country's two letters or a common top-level domain.
_BRACKETED_AT = r"\s*[\[({<]\s*at\s*[\])}>]\s*"
_SPELLED_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+)"
_TLD = r"(?:[a-z]{2}|com|org|net|edu|gov|mil|int|info|biz|name|mobi|app|dev|email|mail)(?![\w-])"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+(?:{_BRACKETED_AT}(?:[\w-]+(?:\.|{_SPELLED_DOT}))+|\s+at\s+(?:[\w-]+{_SPELLED_DOT})+){_TLD}",
    re.IGNORECASE,
)
_BRACKETED_AT_HINT = re.compile(r"[\[({<]\s*at\s*[\])}>]", re.IGNORECASE)
_DIGIT_WORD = "(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|double|triple)"
_SPELLED_NUMBER = re.compile(rf"\b{_DIGIT_WORD}(?:[\s,.-]+{_DIGIT_WORD}){{6,}}\b")
"""A number read out digit by digit: seven digit words or more ('double' and 'triple' count
as words), in English, in a lower-cased text (a scan for lower-case words is twice as fast)."""
_SPELLED_NUMBER_ANY_CASE = re.compile(_SPELLED_NUMBER.pattern, re.IGNORECASE)
_LINK_SCHEMES = re.compile(
    r"(?<![\w.+-])(?:tel|sms|callto|mailto|facetime|facetime-audio):([^\s<>()\[\]\"']+)", re.IGNORECASE
)
"""A link to dial or write to: what follows the scheme is a contact detail, whatever its shape."""
_DASH = "\\-\u2010-\u2015\u2212"  # hyphen, the Unicode dashes, minus
_SPACE = " \u00a0\u2007\u202f"
_GAP = f"(?:[{_SPACE}]?[{_DASH}/][{_SPACE}]?|[{_SPACE}\n.])"  # space, no-break spaces, a line break, dot, dash, slash
_DATE = r"(?:\d{4}[-./]\d\d?[-./]\d\d?|\d\d?[-./]\d\d?[-./]\d{4})(?!\d)"
_PHONE = re.compile(
    # Every match starts with '+', '(' or a digit: saying so first lets a scan pass any other
    # place in one look, where the look-behinds and optional groups cost several (2.5 times
    # as fast over a body of prose). The same matches.
    r"(?=[+(\d])"
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


_NOT_ASCII_DIGITS = re.compile(r"[^0-9]+")  # in an ASCII text, what is not str.isdigit


def _digits(text: str) -> str:
    """The digits of a text, in ASCII: a number written in another script's digits is the same number."""
    if text.isascii():
        return _NOT_ASCII_DIGITS.sub("", text)
    return "".join(str(value) for ch in text if (value := unicodedata.digit(ch, None)) is not None)


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


_SCHEMES = ("tel:", "sms:", "callto:", "mailto:", "facetime")
_ANY_DIGIT = re.compile(r"\d")


class Known(NamedTuple):
    """The journal's contacts' own details, found in any spelling: `emails`, a pattern of
    their shown forms in any case (`with_at`: each holds an '@'); `phones`, their digits
    without leading zeros."""

    emails: re.Pattern | None = None
    with_at: bool = True
    phones: tuple[str, ...] = ()


NOBODY = Known()


def _found(text: str, known: Known) -> Iterator[tuple[int, int]]:
    """(start, end) of each contact detail in a shown text. Each pattern is tried only on a
    text that holds what every match of it holds (an '@', a digit, ...): a scan that cannot
    find anything costs a whole build's text each time."""
    at = "@" in text or "%40" in text
    if known.emails is not None and (at or not known.with_at):
        yield from (match.span() for match in known.emails.finditer(text))
    if at:
        yield from (match.span() for match in _EMAIL.finditer(text))
    lowered = text.lower()
    if ":" in text and any(scheme in lowered for scheme in _SCHEMES):
        yield from (match.span(1) for match in _LINK_SCHEMES.finditer(text))
    if ("dot" in lowered and "at" in lowered) or _BRACKETED_AT_HINT.search(text):
        yield from (match.span() for match in _SPELLED_EMAIL.finditer(text))
    if len(lowered) == len(text):  # each character lower-cased to one: the same places
        yield from (match.span() for match in _SPELLED_NUMBER.finditer(lowered))
    else:
        yield from (match.span() for match in _SPELLED_NUMBER_ANY_CASE.finditer(text))
    if _ANY_DIGIT.search(text):
        yield from (match.span() for match in _PHONE.finditer(text) if _is_phone(match, known.phones))


def scrub(text: str, known: Known = NOBODY) -> str:
    """The text with every e-mail address and phone number replaced by HIDDEN: the journal's
    contacts' own (`known`) and any other written in it, found in what a page shows of the
    text (`shown`) and replaced where the text writes them."""
    if text.isascii() and "&" not in text and "\\" not in text and "<" not in text:  # quick to read
        spans = sorted(_found(text.translate(_NO_MARKUP), known))
        if not spans:
            return text
    seen, edits = shown(text)
    spans = sorted(_found(seen, known))
    if not spans:
        return text
    if edits:
        starts = [edit[0] for edit in edits]
        spans = sorted(_written(edits, starts, start, end) for start, end in spans)
    pieces: list[str] = []
    at = 0
    for start, end in spans:
        if end <= at:
            continue
        if start >= at:
            pieces += (text[at:start], HIDDEN)
        at = end
    return "".join(pieces) + text[at:]


# Blank values for the optional fields a user may list in publish.private_fields. A private
# field is published as if it had not been written; `to`, `due` and `done` decide who owes
# whom and what is overdue, so schema.py does not offer them.
_CONTACT_FIELDS = {
    field.name: (field.name, field.empty)
    for field in CARD_FIELDS
    if field.name != "name" and field.published != "never"
}
_MEETING_FIELDS = blanks(NOTE_FIELDS)  # fields.py says how each field is hidden
_COMMITMENT_FIELDS = blanks(COMMITMENT_FIELDS)
HIDES = frozenset([*_CONTACT_FIELDS, *_MEETING_FIELDS, *_COMMITMENT_FIELDS, *WHOLE, "email", "phone"])
"""Every field redaction knows how to keep private (tests/test_private_fields.py holds it to
schema.PRIVATE_FIELD_CHOICES, and runs each through every published file)."""

Clean = Callable[[str], str]
Map = Callable[[Callable[[Any], Any], Sequence[Any], None], list[Any]]
"""map(function, items, progress) -> [function(item) for item in items], in order, as
pipeline.Map (redact may not import the pipeline)."""


def _scrubber(journal: Journal) -> Clean:
    """scrub() with the journal's contacts' e-mail addresses and phone numbers."""
    emails = sorted(
        {shown(contact.email.strip())[0] for contact in journal.contacts if contact.email.strip()},
        key=lambda e: (-len(e), e),
    )
    phones = tuple(
        sorted({core for contact in journal.contacts if len(core := _digits(contact.phone).lstrip("0")) >= 7})
    )
    known = Known(
        re.compile("|".join(map(re.escape, emails)), re.IGNORECASE) if emails else None,
        all("@" in email for email in emails),
        phones,
    )
    return lambda text: scrub(text, known)


def _kept(names: tuple[str, ...], clean: Clean) -> tuple[str, ...]:
    """The names (aliases, tags) that hold no contact detail: one that does is no name."""
    return tuple(name for name in names if clean(name) == name)


def _blank(record, table: dict, private: tuple[str, ...]):
    changes = dict(table[name] for name in private if name in table)
    return replace(record, **changes) if changes else record


def _contact(contact: Contact, private: tuple[str, ...], clean: Clean) -> Contact:
    contact = _blank(contact, _CONTACT_FIELDS, private)
    published: dict[str, Any] = {}
    for field in CARD_FIELDS:
        value = getattr(contact, field.name)
        if field.published == "never":
            published[field.name] = field.empty
        elif field.published == "cleaned":
            published[field.name] = _kept(value, clean) if isinstance(value, tuple) else clean(value)
    return replace(contact, notes=clean(strip_private(contact.notes)), **published)


# People and addresses. A contact's name and slug, and a meeting's slug (its file's name),
# are published only when they hold no contact detail; a meeting's only when its title is
# not private (a file is named after its meeting) and it is the file's name alone (a slug
# takes in the folders when two notes share a name). The others are given published ones,
# and every reference follows. A path is published as the file's published name alone.
NEUTRAL_NAME = "Unnamed contact"


def _stem(path: str) -> str:
    """A file's name without its folders and suffix: 'entries/2026/pat-lee.md' -> 'pat-lee'."""
    return posixpath.splitext(posixpath.basename(path))[0]


def _unique(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3, ...: the first that no page has yet (now taken)."""
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def _published_names(contacts: tuple[Contact, ...], clean: Clean) -> dict[str, tuple[str, str]]:
    """{slug: (published name, published slug)} of each contact whose name or address holds
    a contact detail: what is left of the name, or a neutral one when nothing is; an address
    made from that when the address itself held it (a card's file name, or the name of a
    person without a card)."""
    named, moving = {}, set()
    for contact in contacts:
        source = _stem(contact.path) if contact.has_card else contact.name
        if clean(contact.name) != contact.name or clean(source) != source:
            named[contact.slug] = clean(contact.name)
        if clean(source) != source:
            moving.add(contact.slug)
    taken = {contact.slug for contact in contacts if contact.slug not in moving}
    neutral = 0
    published = {}
    for slug, name in named.items():
        if not re.search(r"[^\W_]", name.replace(HIDDEN, "")):
            neutral += 1
            while address(name := f"{NEUTRAL_NAME} {neutral}") in taken:
                neutral += 1
        published[slug] = (name, _unique(address(name), taken) if slug in moving else slug)
    return published


def _published_slugs(meetings: tuple[Meeting, ...], private: tuple[str, ...], clean: Clean) -> dict[str, str]:
    """{slug: published slug} of each meeting whose address would say more than its page."""
    moving = {}
    for meeting in meetings:
        stem = _stem(meeting.path)
        if "title" in private:
            base = meeting.date.isoformat()
        elif clean(stem) != stem or meeting.slug != slugify(stem):
            base = slugify(clean(stem))
        else:
            continue
        if base != meeting.slug:
            moving[meeting.slug] = base
    taken = {meeting.slug for meeting in meetings if meeting.slug not in moving}
    return {slug: _unique(base, taken) for slug, base in moving.items()}


@dataclass(frozen=True)
class _Publishing:
    """What redacting a meeting needs to know of the journal: the private fields, the
    scrubber, whether a meeting (by slug) is had by the day published for, and the
    published slug of each contact (`names`: name and slug) and meeting that moves."""

    private: tuple[str, ...]
    clean: Clean
    had: Callable[[str], bool]
    names: Mapping[str, tuple[str, str]]
    slugs: Mapping[str, str]

    def person(self, slug: str) -> str:
        moved = self.names.get(slug)
        return moved[1] if moved else slug

    def place(self, slug: str) -> str:
        return self.slugs.get(slug, slug)


def _commitment(c: Commitment, how: _Publishing, slug: str, path: str) -> Commitment:
    c = _blank(c, _COMMITMENT_FIELDS, how.private)
    dropped, closed_in, ident = c.dropped, c.closed_in, c.id
    if dropped and "dropped" in how.private:
        dropped = "reason not published"
    if ident and how.clean(ident) != ident:
        ident = ""
    closer = "fulfills" if c.done else "releases"
    if closed_in and closer in how.private:
        # Which later note closed it, and the id that note named, are that field's value.
        # A release is as of its note's date, which the promise no longer knows.
        if closer == "releases" and not how.had(closed_in):
            dropped = ""
        closed_in, ident = "", ""
    return replace(
        c,
        what=how.clean(c.what),
        dropped=how.clean(dropped),
        id=ident,
        by=how.person(c.by),
        to=how.person(c.to),
        introducing=how.person(c.introducing),
        meeting=slug,
        closed_in=how.place(closed_in),
        path=path,
    )


def _body(meeting: Meeting) -> str:
    """A note whose opening heading was "# Private" (in any spelling) lost that heading to its
    title; put it back so the section it opened stays hidden."""
    if is_private_heading(meeting.title):
        return strip_private(f"# {meeting.title}\n{meeting.body}")
    return strip_private(meeting.body)


def _published_body(clean: Clean, meeting: Meeting) -> str:
    """The meeting's body as published: Private sections out, contact details hidden."""
    return clean(_body(meeting))


def _meeting(meeting: Meeting, how: _Publishing, body: str) -> Meeting:
    """The meeting as published, at its published address, naming everyone by theirs, with
    its published body (_published_body)."""
    private, clean, person = how.private, how.clean, how.person
    meeting = _blank(meeting, _MEETING_FIELDS, private)
    slug = how.place(meeting.slug)
    path = f"{slug}.md"
    exchanges = tuple(
        replace(e, what=clean(e.what), giver=person(e.giver), receiver=person(e.receiver), meeting=slug, path=path)
        for e in meeting.exchanges
        if not ("gave" in private and e.giver == ME) and not ("received" in private and e.receiver == ME)
    )
    commitments = (
        () if "commitments" in private else tuple(_commitment(c, how, slug, path) for c in meeting.commitments)
    )
    follow_ups = () if "with" in private else meeting.follow_ups  # the people followed up are people who were there
    return replace(
        meeting,
        slug=slug,
        path=path,
        title=f"Meeting on {meeting.date.isoformat()}" if "title" in private else clean(meeting.title),
        body=body,
        where=clean(meeting.where),
        tags=_kept(meeting.tags, clean),
        people=tuple(map(person, meeting.people)),
        follow_ups=tuple((person(who), due) for who, due in follow_ups),
        commitments=commitments,
        exchanges=exchanges,
    )


def _named(meeting: Meeting) -> Iterator[str]:
    """Everyone a published meeting names."""
    yield from meeting.people
    for c in meeting.commitments:
        yield from (c.by, c.to, c.introducing)
    for e in meeting.exchanges:
        yield from (e.giver, e.receiver)


class _Moved(Mapping):
    """The wikilink names (Journal.names) of the published journal: each page at its
    published slug, and no link to a person it leaves out."""

    def __init__(self, names: Mapping, slugs: Mapping[str, Mapping[str, str]]):
        self.names, self.slugs = names, slugs

    def __getitem__(self, key: str) -> tuple[tuple[str, str], ...]:
        pages = ((kind, self.slugs[kind].get(slug)) for kind, slug in self.names[key])
        return tuple((kind, slug) for kind, slug in pages if slug)

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _one_by_one(function: Callable[[Any], Any], items: Sequence[Any], progress: None = None) -> list[Any]:
    return [function(item) for item in items]


def redact(journal: Journal, today: date = LAST_DATE, map: Map = _one_by_one) -> Journal:
    """The journal as a publish build may show it, on `today` (by default every note as
    written, as the calendar feed reads them: a promise that a later note releases, with
    `releases` private, is open until that note's date). A person without a card whom only
    private fields named is left out. The bodies, most of the work, are redacted through
    `map` (pipeline.Map: a command passes speed.parallel.ordered_map to use every core)."""
    private = journal.config.publish.private_fields
    clean = _scrubber(journal)

    def had(slug: str) -> bool:
        closer = journal.meeting(slug)
        return closer is not None and closer.date <= today

    names = _published_names(journal.contacts, clean)
    how = _Publishing(private, clean, had, names, _published_slugs(journal.meetings, private, clean))
    bodies = map(partial(_published_body, clean), journal.meetings, None)
    meetings = tuple(_meeting(meeting, how, body) for meeting, body in zip(journal.meetings, bodies))
    named = {who for meeting in meetings for who in _named(meeting)}
    contacts, contact_slugs = [], {}
    for contact in journal.contacts:
        name, slug = names.get(contact.slug, (contact.name, contact.slug))
        if contact.has_card or slug in named:
            contact_slugs[contact.slug] = slug
            contact = replace(_contact(contact, private, clean), name=name, slug=slug)
            contacts.append(replace(contact, path=f"{slug}.md") if contact.has_card else contact)
    moved = {"contact": contact_slugs, "meeting": {m.slug: how.place(m.slug) for m in journal.meetings}}
    config = replace(journal.config, title=clean(journal.config.title), owner=clean(journal.config.owner))
    return replace(
        journal,
        config=config,
        contacts=tuple(sorted(contacts, key=lambda contact: contact.slug)),
        meetings=meetings,
        names=_Moved(journal.names, moved),
    )
