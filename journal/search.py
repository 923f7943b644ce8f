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

from .keys import Remember, Same, just_make
from .model import ME, Journal
from .text import fold

INDEX_FILE = "search-index.js"
_PLAIN = "window.journalSearchIndex="
_SEALED = "window.journalSearchSealed="
_WORD = re.compile(r"\w{2,}")
_CHUNK = 512  # documents inverted together (see _invert)


def words(text: str) -> set[str]:
    """The searchable words of a text: folded like person names (case and accents ignored)."""
    return set(_WORD.findall(fold(text)))


def _document_words(parts: tuple[str, ...]) -> tuple[str, ...]:
    """words() of a document's parts. Interned, so that a preview's memory, which keeps them
    between renders, stores a word held by thousands of documents once."""
    return tuple(sys.intern(word) for word in words(" ".join(parts)))


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _postings(ids: tuple[int, ...]) -> str:
    """'3,1,a': the ids 3, 4 and 14 as gaps from the previous one, in base 36."""
    gaps, previous = [], 0
    for number in ids:
        gaps.append(_base36(number - previous))
        previous = number
    return ",".join(gaps)


def search_index(
    journal: Journal,
    contact_path: Callable[[str], str],
    meeting_path: Callable[[str], str],
    remember: Remember = just_make,
    shown: Callable[[str], str] | None = None,
) -> bytes:
    """search-index.js. Each document is [address, title, kind, detail]: search.js ranks a
    result by where the words are (title, then detail, then anywhere), and results tied
    there in the order of the documents: contacts by name, then meetings newest first,
    then open promises, then closed ones. E-mail addresses and
    phone numbers are left out: they are private and never shown on a page. A preview's
    `remember` keeps each document's words and each posting list: after one note's edit,
    almost all of them are what they were. `shown(body)`, when given, is the text of a
    Markdown body that is searchable (a publish build's: what its page shows); else the body
    itself."""
    name = journal.name_of
    shown = shown or (lambda body: body)
    docs: list[list[str]] = []
    document_words: list[tuple[str, ...]] = []

    def add(url: str, title: str, kind: str, detail: str, parts: tuple[str, ...]) -> None:
        docs.append([url, title, kind, detail])
        document_words.append(remember(("words", parts), lambda: _document_words(parts)))

    for contact in sorted(journal.contacts, key=lambda c: fold(c.name)):
        works = " at ".join(part for part in (contact.role, contact.company) if part)
        parts = (
            contact.name,
            *contact.aliases,
            contact.company,
            contact.role,
            *contact.tags,
            contact.status,
            shown(contact.notes),
        )
        add(contact_path(contact.slug), contact.name, "contact", works, parts)
    for meeting in reversed(journal.meetings):
        people = ", ".join(name(person) for person in meeting.people)
        exchanges = " ".join(e.what for e in meeting.exchanges)
        parts = (meeting.title, meeting.where, *meeting.tags, people, exchanges, shown(meeting.body))
        add(meeting_path(meeting.slug), meeting.title, "meeting", f"{meeting.date.isoformat()} {people}".strip(), parts)
    promises = sorted(journal.commitments, key=lambda c: (not c.is_open, c.due, c.path, c.line))
    for c in promises:
        who = f"{name(c.by)} → {name(c.to)}"
        state = f"due {c.due.isoformat()}" if c.is_open else ("done" if c.done else "dropped")
        people = " ".join(name(p) for p in (c.by, c.to, c.introducing) if p and p != ME)
        add(meeting_path(c.meeting), c.what, "promise", f"{who}, {state}", (c.what, c.kind, c.id, people))
    index: dict[str, list[int]] = {}
    for start in range(0, len(document_words), _CHUNK):
        chunk = document_words[start : start + _CHUNK]
        for word, numbers in remember(("chunk", start, Same(chunk)), partial(_invert, chunk, start)).items():
            postings = index.get(word)
            if postings is None:
                index[word] = list(numbers)
            else:
                postings.extend(numbers)
    payload = {
        "docs": docs,
        "words": {
            word: remember(("postings", ids), partial(_postings, ids))
            for word, ids in ((word, tuple(ids)) for word, ids in sorted(index.items()))
        },
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"{_PLAIN}{text};\n".encode()


def _invert(chunk: list[tuple[str, ...]], start: int) -> dict[str, tuple[int, ...]]:
    """{word: the numbers of the documents holding it} for documents start, start + 1, ...:
    the index is put together chunk by chunk, so that after one note's edit a preview inverts
    one chunk again, not 25,000 documents' words (and merges a few thousand lists per chunk
    rather than appending 750,000 numbers)."""
    found: dict[str, list[int]] = {}
    for number, document in enumerate(chunk, start):
        for word in document:
            postings = found.get(word)
            if postings is None:
                found[word] = [number]
            else:
                postings.append(number)
    return {word: tuple(numbers) for word, numbers in found.items()}


def sealed_index(index: bytes, seal: Callable[[bytes], str]) -> bytes:
    """search-index.js for an encrypted site: `index` (search_index's script) with its data
    sealed by `seal` (encrypt.seal with the build's keys, so the key that opens the pages
    opens it), for search.js to open in the browser with the key unlock.js keeps."""
    script = index.decode("utf-8")
    assert script.startswith(_PLAIN) and script.endswith(";\n"), "not a search_index script"
    data = script[len(_PLAIN) : -2].encode("utf-8")
    return f"{_SEALED}{seal(data)};\n".encode()
