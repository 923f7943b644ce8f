"""Read a mailbox (mbox: what Thunderbird, Gmail's Takeout and Apple Mail export) into the
touches `journal import mail` writes: one note per person per day (`channel: email`, the
subjects as its body, the Message-IDs it covers in `mail:`), for every message to or from an
address on a card.

Streams: the mailbox is read a line at a time and only each message's header is kept (at most
MOST_HEADER_BYTES of it), so a mailbox of any size takes the memory of one header and of the
messages it imports; bodies are never read into a note. Addresses on no card are counted, not
imported (a mailbox is mostly not people one networks with). Reads only what the CLI hands it
(lines of bytes); the notes it plans are checked with the journal by the CLI (capture.py).
"""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, tzinfo
from email.parser import BytesHeaderParser

from .capture import Directory, NewNote, note_path, note_text, taken_names
from .importers import clean
from .model import Journal
from .problems import Problem
from .schema import NoteRecord
from .text import plural

MOST_HEADER_BYTES = 256_000
"""A header longer than this is not a real message's: it is left out with a warning."""
PROGRESS_BYTES = 1 << 24
"""How often (in bytes read) the reader reports its progress: every 16 MB."""
SKIPPED = ("already in the journal", "copies", "with no one on a card", "outside the window", "with a warning")
"""Why a message becomes no note, in the order the summary counts them."""

_PARSER = BytesHeaderParser(policy=email.policy.default)


@dataclass(frozen=True)
class Window:
    first: date
    last: date
    zone: tzinfo | None = None  # None: the machine's


@dataclass(frozen=True)
class Message:
    """One message with someone on a card: its line in the mailbox (of its 'From ' line)."""

    line: int
    key: str  # its Message-ID, or a digest of its date, sender and subject when it has none
    day: date
    people: tuple[str, ...]  # the card names it was with: the sender, or, from me, every recipient on a card
    subject: str


@dataclass
class MailRead:
    messages: list[Message] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    count: int = 0  # messages read


def _headers(lines: Iterable[bytes], progress: Callable[[int], None] | None) -> Iterator[tuple[int, bytes | None]]:
    """(line of its 'From ' line, its header's bytes, or None when too long) of each message.
    Everything after a header, up to the next 'From ' line, is passed over unread."""
    number, done, reported = 0, 0, 0
    start, header, in_header = 0, bytearray(), False
    for line in lines:
        number += 1
        done += len(line)
        if progress and done - reported >= PROGRESS_BYTES:
            progress(done)
            reported = done
        if line.startswith(b"From "):
            if start:
                yield start, bytes(header) if len(header) <= MOST_HEADER_BYTES else None
            start, header, in_header = number, bytearray(), True
        elif in_header:
            if not line.strip(b"\r\n"):
                in_header = False
            elif len(header) <= MOST_HEADER_BYTES:
                header += line
        elif not start and line.strip():
            raise _NotMbox(number)
    if start:
        yield start, bytes(header) if len(header) <= MOST_HEADER_BYTES else None


class _NotMbox(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def _day(value: str, zone: tzinfo | None) -> date | None:
    """The day a Date header names, in the journal's zone."""
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # -0000: the time is UTC, its zone unknown
    try:
        return when.astimezone(zone).date() if zone is not None else when.astimezone().date()
    except (OverflowError, ValueError):
        return None


def _addresses(message, *names: str) -> list[tuple[str, str]]:
    values = [str(value) for name in names for value in message.get_all(name, [])]
    return [(clean(shown), clean(address).casefold()) for shown, address in email.utils.getaddresses(values)]


def _message(line: int, header: bytes, window: Window, directory: Directory) -> tuple[Message | None, str]:
    """(the message, '') or (None, why it is left out)."""
    message = _PARSER.parsebytes(header)
    day = _day(str(message.get("Date", "")), window.zone)
    if day is None:
        return None, "undated"
    if not window.first <= day <= window.last:
        return None, "outside the window"
    senders = _addresses(message, "From")
    if any(directory.is_me(shown, address) for shown, address in senders):
        recipients = _addresses(message, "To", "Cc", "Bcc")
        people = [directory.card(address) for _, address in recipients]
    else:
        people = [directory.card(address) for _, address in senders]
    named = tuple(dict.fromkeys(name for name in people if name))
    if not named:
        return None, "with no one on a card"
    subject = clean(str(message.get("Subject", "")))[:300]
    key = clean(str(message.get("Message-ID", "")))[:300]
    if not key:
        made = f"{message.get('Date', '')} {message.get('From', '')} {subject}"
        key = "no-id-" + hashlib.sha256(made.encode("utf-8", "replace")).hexdigest()[:16]
    return Message(line, key, day, named, subject), ""


def read_mailbox(
    path: str,
    lines: Iterable[bytes],
    window: Window,
    directory: Directory,
    known: set[str],
    progress: Callable[[int], None] | None = None,
) -> MailRead:
    """The messages with someone on a card in the window, once each and none already in the
    journal (`known`: the Message-IDs its notes list); the others counted by why. A message
    whose header cannot be read or has no date is a warning at its line."""
    read = MailRead()
    seen: set[str] = set()
    try:
        for line, header in _headers(lines, progress):
            read.count += 1
            found, why = _one(path, line, header, window, directory, read.problems)
            if found is not None and found.key in known:
                why = "already in the journal"
            elif found is not None and found.key in seen:
                why = "copies"  # of a message read before: Gmail's Takeout writes one for each label
            elif found is not None:
                seen.add(found.key)
                read.messages.append(found)
            if why:
                read.skipped[why] += 1
    except _NotMbox as error:
        read.problems.append(
            Problem(
                path, error.line, "not an mbox file: a mailbox starts with a 'From ' line (export the mail as mbox)"
            )
        )
    if not read.count and not read.problems:
        read.problems.append(Problem(path, 1, "no message in this file: a mailbox holds 'From ' lines, then messages"))
    return read


def _one(
    path: str, line: int, header: bytes | None, window: Window, directory: Directory, problems: list[Problem]
) -> tuple[Message | None, str]:
    """One message, or why not (a warning at its line for one that cannot be read)."""
    if header is None:
        warning = f"this message's header is over {MOST_HEADER_BYTES // 1000} KB"
    else:
        try:
            found, why = _message(line, header, window, directory)
        except Exception as error:  # the email package raises many kinds on a hostile header: each is reported
            warning = f"this message's header cannot be read ({clean(str(error)[:120])})"
        else:
            if why != "undated":
                return found, why
            warning = "this message has no Date a mail program writes"
    problems.append(Problem(path, line, f"{warning}; it is left out", "warning"))
    return None, "with a warning"


@dataclass(frozen=True)
class MailPlan:
    notes: tuple[NewNote, ...]
    skipped: Counter[str]
    messages: int  # how many the notes cover


def _escaped(subject: str) -> str:
    """A subject as a list item of the note's body: a wikilink in it is only text."""
    return (subject or "(no subject)").replace("[[", "[\\[")


def plan_mail(journal: Journal, read: MailRead, source: str) -> MailPlan:
    """One note per person per day, the day's subjects its body, in date order."""
    groups: dict[tuple[date, str], list[Message]] = {}
    for message in read.messages:
        for name in message.people:
            groups.setdefault((message.day, name), []).append(message)
    taken = taken_names(meeting.path for meeting in journal.meetings)
    notes = []
    for (day, name), messages in sorted(groups.items()):
        title = f"E-mail with {name}"
        body = "".join(f"- {_escaped(message.subject)}\n" for message in messages)
        keys = tuple(dict.fromkeys(message.key for message in messages))
        fields: dict[str, str | bool | tuple[str, ...]] = {
            "title": title,
            "with": (name,),
            "channel": "email",
            "mail": keys,
        }
        text, _ = note_text(day.isoformat(), fields, body)
        label = f"'{title[:60]}' on {day.isoformat()}"
        notes.append(NewNote(note_path(day, title, taken), text, label, source, messages[0].line))
    return MailPlan(tuple(notes), read.skipped, len(read.messages))


def known_messages(notes: Iterable[NoteRecord]) -> set[str]:
    """The Message-IDs the journal's notes cover already."""
    return {key for note in notes for key in note.mail}


def summary(plan: MailPlan, count: int, dry_run: bool) -> str:
    """'created 3 notes from 5 messages of 120; skipped 115: 2 duplicates, ...'."""
    verb = "would create" if dry_run else "created"
    parts = [f"{verb} {plural(len(plan.notes), 'note')} from {plural(plan.messages, 'message')} of {count:,}"]
    counts = [
        f"{plan.skipped[why]} {why if why != 'copies' or plan.skipped[why] > 1 else 'copy'}"
        for why in SKIPPED
        if plan.skipped[why]
    ]
    if counts:
        parts.append(f"skipped {sum(plan.skipped[why] for why in SKIPPED)}: {', '.join(counts)}")
    return "; ".join(parts)
