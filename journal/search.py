"""The search index: every word of every note, contact and promise, mapped to the pages that
hold it, for the search box on each page (templates/search.js).

Pure: Journal in, one JavaScript file out. A script that assigns a global rather than a
JSON file, because browsers refuse fetch() of a local file, and the site must work opened
from disk. Words map to document numbers (not the other way round), and each posting list
is delta-encoded in base 36, so a 10,000-note journal stays a few megabytes that the box
loads once, on first focus.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from functools import partial

from .fields import CARD_FIELDS, COMMITMENT_FIELDS, NOTE_FIELDS, searched
from .keys import Remember, Same, just_make
from .model import ME, Contact, Journal, Meeting
from .plan import SitePaths
from .text import fold, unaccented

INDEX_FILE = "search-index.js"
_PLAIN = "window.journalSearchIndex="
_SEALED = "window.journalSearchSealed="
_WORD = re.compile(r"[^\W_]{2,}")  # letters and digits: fold() takes '_' and '-' for spaces
_CHUNK = 512  # documents inverted together (see _invert)
_MEETINGS = 64  # meetings whose documents a preview remembers together


def words(text: str) -> set[str]:
    """The searchable words of a text: folded like person names (case and accents ignored),
    the words of fold(text) without its work on spaces, which words do not need."""
    return set(_WORD.findall(unaccented(text).casefold()))


def _document_words(parts: tuple[str, ...]) -> tuple[str, ...]:
    """words() of a document's parts. Interned, so that a preview's memory, which keeps them
    between renders, stores a word held by thousands of documents once."""
    return tuple(sys.intern(word) for word in words(" ".join(parts)))


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_PAIRS = [high + low for high in _DIGITS for low in _DIGITS]  # 0 .. 1295, two digits each
_SHORT = [pair.lstrip("0") or "0" for pair in _PAIRS]  # the same without leading zeros


def _base36(number: int) -> str:
    """`number` in base 36, two digits at a time: an index writes tens of thousands a save."""
    if number < 1296:
        return _SHORT[number]
    high, low = divmod(number, 1296)
    return _base36(high) + _PAIRS[low]


_Segment = tuple[int, int, str]
"""One chunk's share of a word's posting list: the first and last numbers of the documents
in the chunk holding the word, and the gaps after the first, written out ('' for none)."""


def _postings(segments: list[_Segment]) -> str:
    """'3,1,a': the documents 3, 4 and 14 as gaps from the previous one, in base 36, put
    together from the word's segments in chunk order: only the first gap of each segment
    depends on the chunks before it."""
    parts, previous = [], 0
    for first, last, gaps in segments:
        parts.append(_base36(first - previous))
        if gaps:
            parts.append(gaps)
        previous = last
    return ",".join(parts)


def search_index(
    journal: Journal,
    paths: SitePaths,
    remember: Remember = just_make,
    shown: Callable[[str], str] | None = None,
) -> bytes:
    """search-index.js. Each document is [address, title, kind, detail]: search.js ranks a
    result by where the words are (title, then detail, then anywhere), and results tied
    there in the order of the documents: contacts by name, then meetings newest first,
    then open promises, then closed ones. E-mail addresses and
    phone numbers are left out: they are private and never shown on a page. A preview's
    `remember` keeps the documents of each run of 64 contacts while they are the very same
    objects, of each run of 64 meetings (and of their promises) while those meetings are and
    no contact's name changed, and each chunk's segments: after one note's or card's edit,
    almost all of them are what they were. `shown(body)`, when given, is the text of a
    Markdown body that is searchable (a publish build's: what its page shows); else the body
    itself."""
    # A token that stays the very same object while every contact's name does: all that a
    # meeting's or a promise's document takes from the contacts, and what orders theirs.
    names = remember(("names", journal.contact_names()), object)

    def words(parts: tuple[str, ...]) -> tuple[str, ...]:  # kept with the run that asked
        return remember(("words", parts), partial(_document_words, parts))

    by_name = remember(("contacts by name", names), lambda: _by_name(journal))
    by_slug = {contact.slug: contact for contact in journal.contacts}
    contacts = [by_slug[slug] for slug in by_name]
    documents: list[_Document] = []
    for start in range(0, len(contacts), _MEETINGS):
        people = contacts[start : start + _MEETINGS]
        documents += remember(
            ("contact documents", Same(people), paths, shown),
            partial(_contact_documents, people, paths.contact, shown, words),
        )
    promises: list[tuple[tuple, _Document]] = []
    meetings = journal.meetings[::-1]
    for start in range(0, len(meetings), _MEETINGS):
        run = meetings[start : start + _MEETINGS]
        made = remember(
            ("meeting documents", Same(run), names, paths, shown),
            partial(_meeting_documents, journal, run, paths.meeting, shown, words),
        )
        documents += made[0]
        promises += made[1]
    promises.sort(key=lambda item: item[0])
    documents += [document for _, document in promises]
    document_words = [words for _, words in documents]
    segments: dict[str, list[_Segment]] = {}
    for start in range(0, len(document_words), _CHUNK):
        chunk = document_words[start : start + _CHUNK]
        for word, segment in remember(("chunk", start, Same(chunk)), partial(_invert, chunk, start)).items():
            found = segments.get(word)
            if found is None:
                segments[word] = [segment]
            else:
                found.append(segment)
    # The JSON put together from pieces: each document's was written when it was made, and a
    # word (\w characters) or a posting list (base 36 and commas) never needs escaping.
    docs = ",".join(row for row, _ in documents)
    postings = ",".join(f'"{word}":"{_postings(segments[word])}"' for word in sorted(segments))
    return f'{_PLAIN}{{"docs":[{docs}],"words":{{{postings}}}}};\n'.encode()


_Document = tuple[str, tuple[str, ...]]
"""A document of the index: [address, title, kind, detail] as JSON, and its words."""


def _row(address: str, title: str, kind: str, detail: str) -> str:
    return json.dumps([address, title, kind, detail], ensure_ascii=False, separators=(",", ":"))


_Words = Callable[[tuple[str, ...]], tuple[str, ...]]
"""_document_words, or a preview's remembered result of it."""


def _by_name(journal: Journal) -> tuple[str, ...]:
    """The contacts' slugs, by name (folded: case and accents aside)."""
    return tuple(contact.slug for contact in sorted(journal.contacts, key=lambda c: fold(c.name)))


def _contact_documents(
    contacts: list[Contact],
    contact_path: Callable[[str], str],
    shown: Callable[[str], str] | None,
    words: _Words,
) -> list[_Document]:
    """These contacts' documents, in their order."""
    documents = []
    for contact in contacts:
        works = " at ".join(part for part in (contact.role, contact.company) if part)
        notes = shown(contact.notes) if shown else contact.notes
        parts = (*_texts(contact, _CARD_SEARCHED, str), notes)
        documents.append((_row(contact_path(contact.slug), contact.name, "contact", works), words(parts)))
    return documents


def _meeting_documents(
    journal: Journal,
    meetings: tuple[Meeting, ...],
    meeting_path: Callable[[str], str],
    shown: Callable[[str], str] | None,
    words: _Words,
) -> tuple[list[_Document], list[tuple[tuple, _Document]]]:
    """These meetings' documents, in their order, and their promises' documents, each with
    the key that orders all promises: open ones first, by due date, then where written."""
    name = journal.name_of
    documents, promises = [], []
    for meeting in meetings:
        people = ", ".join(name(person) for person in meeting.people)
        body = shown(meeting.body) if shown else meeting.body
        parts = (*_texts(meeting, _NOTE_SEARCHED, name), body)
        row = _row(meeting_path(meeting.slug), meeting.title, "meeting", f"{meeting.date.isoformat()} {people}".strip())
        documents.append((row, words(parts)))
        for c in meeting.commitments:
            who = f"{name(c.by)} → {name(c.to)}"
            state = f"due {c.due.isoformat()}" if c.is_open else ("done" if c.done else "dropped")
            row = _row(meeting_path(c.meeting), c.what, "promise", f"{who}, {state}")
            order = (not c.is_open, c.due, c.path, c.line)
            promises.append((order, (row, words(_texts(c, _PROMISE_SEARCHED, name)))))
    return documents, promises


_NOTE_SEARCHED = searched(NOTE_FIELDS)
_PROMISE_SEARCHED = searched(COMMITMENT_FIELDS)
_CARD_SEARCHED = tuple((field.name, "text") for field in CARD_FIELDS if field.searched)


def _texts(record: object, fields: tuple[tuple[str, str], ...], name: Callable[[str], str]) -> tuple[str, ...]:
    """The searchable text of these fields of a meeting, a promise or a contact, as
    fields.py marks them: "text" as written (a tuple of texts, each), "people" by their
    names (not the owner's), "what" of each exchange. A field hidden by a publish build is
    blank in its redacted journal, so it is never searchable there."""
    texts: list[str] = []
    for attribute, how in fields:
        value = getattr(record, attribute)
        values = value if isinstance(value, tuple) else (value,)
        if how == "people":
            texts += (name(person) for person in values if person and person != ME)
        elif how == "what":
            texts += (exchange.what for exchange in values)
        else:
            texts += (text for text in values if isinstance(text, str))
    return tuple(texts)


def _invert(chunk: list[tuple[str, ...]], start: int) -> dict[str, _Segment]:
    """{word: its segment} for documents start, start + 1, ...: the index is put together
    chunk by chunk, so that after one note's edit a preview inverts one chunk again, not
    25,000 documents' words, and the merge joins a few segments per word rather than
    encoding 750,000 numbers again."""
    found: dict[str, list[int]] = {}
    for number, document in enumerate(chunk, start):
        for word in document:
            numbers = found.get(word)
            if numbers is None:
                found[word] = [number]
            else:
                numbers.append(number)
    return {word: (numbers[0], numbers[-1], _gaps(numbers)) for word, numbers in found.items()}


def _gaps(numbers: list[int]) -> str:
    return ",".join(_base36(number - previous) for previous, number in zip(numbers, numbers[1:]))


def sealed_index(index: bytes, seal: Callable[[bytes], str]) -> bytes:
    """search-index.js for an encrypted site: `index` (search_index's script) with its data
    sealed by `seal` (encrypt.seal with the build's keys, so the key that opens the pages
    opens it), for search.js to open in the browser with the key unlock.js keeps."""
    script = index.decode("utf-8")
    assert script.startswith(_PLAIN) and script.endswith(";\n"), "not a search_index script"
    data = script[len(_PLAIN) : -2].encode("utf-8")
    return f"{_SEALED}{seal(data)};\n".encode()
