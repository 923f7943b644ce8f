"""`journal export`: the journal as documents other tools read. JSON holds the whole model
(contacts with their cadence, meetings, promises with their status, exchanges, reciprocity);
CSV a row per promise, for a spreadsheet; vCard 4.0 (RFC 6350) a card per contact card, for
an address book (`journal import vcard` reads it back).

Pure: a Journal and the day in, a document out (a dict for JSON, which the command prints as
every `--json` is printed; bytes for CSV and vCard); the command writes it. What an export
may hold is `profile`'s choice: by default the journal as a publish build shows it
(redact.redact: no e-mail, phone, Private section or private field), everything with
`private`. Statuses and cadence states are the words every command and page uses (views,
report.word). Imports the model, the views and redact.
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict
from datetime import date

from .model import ME, Commitment, Contact, Exchange, Journal, Meeting
from .redact import redact, strip_private
from .views import QUIET_STATUSES, Brief, Reliability, briefs, commitments_as_of, my_reliability, reciprocity

FORMAT = 1
"""The JSON document's version (`"format": 1`): a change that could break a reader of it
(a key renamed, removed or retyped) makes it 2; a new key does not."""

PROMISE_STATUSES = ("kept on time", "kept late", "open", "open and overdue", "dropped", "upcoming")
"""A promise's status on the day exported: the outcomes every reliability line counts, open
while not yet due, and upcoming when its note is dated after today (agenda, not a promise yet)."""

CADENCE_STATES = ("on track", "going cold", "not met yet", *QUIET_STATUSES)
"""How a relationship stands against its cadence, as a brief says it (views.Brief.cadence_status)."""

CSV_COLUMNS = ("by", "to", "what", "kind", "due", "done", "status", "source")
CSV_ENCODING = "utf-8-sig"  # with a byte-order mark: without one Excel reads UTF-8 as the machine's code page
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may run as a formula when a cell starts with it (OWASP's CSV injection
list): such a cell gets a leading apostrophe, which shows the text as text."""


def profile(journal: Journal, today: date, private: bool) -> Journal:
    """The journal an export is made of: as written with `private`, else as a publish build
    shows it on `today` (redact.redact), so that the two never disagree on what is private."""
    return journal if private else redact(journal, today)


def holds_private(journal: Journal) -> bool:
    """Whether the journal holds something an export without `private` leaves out: a card's
    e-mail or phone, a Private section, or a field journal.yaml lists in private_fields.
    (Addresses and numbers written in free text are left out too, without being counted here.)"""
    if journal.config.publish.private_fields:
        return True
    if any(contact.email or contact.phone for contact in journal.contacts):
        return True
    texts = [contact.notes for contact in journal.contacts] + [meeting.body for meeting in journal.meetings]
    return any(strip_private(text) != text for text in texts)


def emails(contact: Contact) -> list[str]:
    """A card's e-mail addresses: one, or several (the parser joins them with ', ')."""
    return [address for address in re.split(r"[,;\s]+", contact.email) if address]


def _status(c: Commitment, today: date) -> str:
    """c as it stands today (views.commitments_as_of), in PROMISE_STATUSES' words."""
    if c.dropped:
        return "dropped"
    if c.done:
        return "kept on time" if c.kept_on_time() else "kept late"
    return "open and overdue" if c.due < today else "open"


def _statuses(journal: Journal, today: date) -> list[tuple[Commitment, str]]:
    """Every promise as written, in note order, with its status today: the ones in notes dated
    after today are upcoming; the others as commitments_as_of has them (a later note's
    `fulfills`, or a `done` date, counts from its date)."""
    made = iter(commitments_as_of(journal, today))
    found = []
    for meeting in journal.meetings:
        upcoming = meeting.date > today
        for written in meeting.commitments:
            found.append((written, "upcoming" if upcoming else _status(next(made), today)))
    return found


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _or_none(text: str) -> str | None:
    return text or None


def _reliability(r: Reliability) -> dict:
    return asdict(r)


def _cadence(brief: Brief) -> dict:
    last = brief.last_contact
    return {
        "days": brief.cadence,
        "state": brief.cadence_status,
        "last_in_touch": _day(last.date) if last else None,
        "last_in_touch_by": last.channel if last else None,
        "last_met": _day(brief.last_met),
    }


def _contact(contact: Contact, brief: Brief) -> dict:
    return {
        "slug": contact.slug,
        "name": contact.name,
        "card": _or_none(contact.path),
        "aliases": list(contact.aliases),
        "company": _or_none(contact.company),
        "role": _or_none(contact.role),
        "tags": list(contact.tags),
        "status": _or_none(contact.status),
        "decide_by": _day(contact.decide_by),
        "emails": emails(contact),
        "phones": [contact.phone] if contact.phone else [],
        "notes": contact.notes,
        "cadence": _cadence(brief),
    }


def _meeting(meeting: Meeting, today: date) -> dict:
    return {
        "slug": meeting.slug,
        "date": meeting.date.isoformat(),
        "time": _or_none(meeting.time),
        "title": meeting.title,
        "with": list(meeting.people),
        "where": _or_none(meeting.where),
        "tags": list(meeting.tags),
        "channel": meeting.channel,
        "met": meeting.met,
        "upcoming": meeting.date > today,
        "follow_up": [{"contact": who, "by": by.isoformat()} for who, by in meeting.follow_ups],
        "event": _or_none(meeting.event),
        "mail": list(meeting.mail),
        "source": meeting.path,
        "body": meeting.body,
    }


def _promise(c: Commitment, status: str) -> dict:
    return {
        "id": _or_none(c.id),
        "by": c.by,
        "to": c.to,
        "what": c.what,
        "kind": c.kind,
        "made_on": c.made_on.isoformat(),
        "due": c.due.isoformat(),
        "done": c.done,
        "done_on": _day(c.done_on),
        "dropped": _or_none(c.dropped),
        "introducing": _or_none(c.introducing),
        "consent": _or_none(c.consent),
        "status": status,
        "meeting": c.meeting,
        "closed_in": _or_none(c.closed_in),
        "source": c.path,
        "line": c.line,
    }


def _exchange(e: Exchange) -> dict:
    return {
        "direction": "given" if e.giver == ME else "received",
        "from": e.giver,
        "to": e.receiver,
        "what": e.what,
        "kind": e.kind,
        "date": e.on.isoformat(),
        "meeting": e.meeting,
        "source": e.path,
        "line": e.line,
    }


def json_document(journal: Journal, today: date, private: bool) -> dict:
    """The whole journal as one document (its JSON Schema: export_schema.py). People are
    named by slug (`me` is the owner), as every `--json` names them; contacts by slug,
    meetings, promises and exchanges in note order; `private` says whether private values
    are in it (the caller made `journal` with profile())."""
    cards = briefs(journal, today)
    rows = reciprocity(journal, today)
    return {
        "format": FORMAT,
        "generated": today.isoformat(),
        "title": journal.config.title,
        "owner": journal.config.owner or None,
        "private": private,
        "my_word": _reliability(my_reliability(journal, today)),
        "contacts": [_contact(contact, cards[contact.slug]) for contact in journal.contacts],
        "meetings": [_meeting(meeting, today) for meeting in journal.meetings],
        "promises": [_promise(c, status) for c, status in _statuses(journal, today)],
        "exchanges": [_exchange(e) for e in journal.exchanges],
        "reciprocity": [
            {
                "contact": row.contact,
                "given": row.given,
                "received": row.received,
                "balance": row.balance,
                "last_exchange": _day(row.last_exchange),
                "by_kind": row.by_kind,
                "their_word": _reliability(row.theirs),
            }
            for row in rows
        ],
    }


def _cell(text: str) -> str:
    """A cell a spreadsheet shows as the text it is: one that starts like a formula gets a
    leading apostrophe. Notes are written by anyone who sends you a name or a promise."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Lines(list):
    """What csv.writer writes into: the rows' text, kept in memory (no file here)."""

    def write(self, text: str) -> None:
        self.append(text)


def _done(c: Commitment) -> str:
    if not c.done:
        return ""
    return c.done_on.isoformat() if c.done_on else "yes"


def promises_csv(journal: Journal, today: date) -> bytes:
    """A row per promise, in note order, under a header row of CSV_COLUMNS: people by name,
    `done` the day it was kept (or 'yes' when the note says only that it was), the status
    today, and where it is written (path:line). UTF-8 with a byte-order mark, CRLF rows,
    quoted where a cell needs it; formula-like cells defused (_cell)."""
    lines = _Lines()
    writer = csv.writer(lines)
    writer.writerow(CSV_COLUMNS)
    name = journal.name_of
    for c, status in _statuses(journal, today):
        row = [name(c.by), name(c.to), c.what, c.kind, c.due.isoformat(), _done(c), status, f"{c.path}:{c.line}"]
        writer.writerow([_cell(cell) for cell in row])
    return "".join(lines).encode(CSV_ENCODING)


# vCard 4.0 (RFC 6350). A text value escapes backslash, comma, semicolon and newline (3.4);
# no control character is a value character (3.3), so none is written; a line is folded
# after 75 octets, never inside a character's UTF-8 bytes, each continuation starting with a
# space (3.2). Lines end in CRLF.
_VCARD_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_VCARD_ESCAPES = {"\\": "\\\\", ",": "\\,", ";": "\\;", "\n": "\\n"}
FOLD_OCTETS = 75


def vcard_text(value: str) -> str:
    """A text value (or one component of a structured one) as a vCard writes it."""
    value = _VCARD_CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(_VCARD_ESCAPES.get(ch, ch) for ch in value)


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets (CRLF not counted)."""
    pieces: list[str] = []
    piece: list[str] = []
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > FOLD_OCTETS:
            pieces.append("".join(piece))
            piece, size = [" "], 1
        piece.append(ch)
        size += width
    pieces.append("".join(piece))
    return "\r\n".join(pieces)


def _names(name: str) -> str:
    """N (family;given;additional;prefixes;suffixes) from a name as the card writes it: the
    last word the family name, the words before it the given names. A guess, as any reading
    of a whole name is; FN holds the name as written, and is what `journal import` reads."""
    words = name.split()
    family, given = (words[-1], " ".join(words[:-1])) if len(words) > 1 else (name, "")
    return f"{vcard_text(family)};{vcard_text(given)};;;"


def _vcard(contact: Contact) -> list[str]:
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{vcard_text(contact.name)}", f"N:{_names(contact.name)}"]
    if contact.aliases:
        lines.append("NICKNAME:" + ",".join(vcard_text(alias) for alias in contact.aliases))
    if contact.company:
        lines.append(f"ORG:{vcard_text(contact.company)}")
    if contact.role:
        lines.append(f"TITLE:{vcard_text(contact.role)}")
    lines += [f"EMAIL:{vcard_text(address)}" for address in emails(contact)]
    if contact.phone:
        lines.append(f"TEL;VALUE=text:{vcard_text(contact.phone)}")
    if contact.tags:
        lines.append("CATEGORIES:" + ",".join(vcard_text(tag) for tag in contact.tags))
    if contact.notes.strip():
        lines.append(f"NOTE:{vcard_text(contact.notes.strip())}")
    return [*lines, "END:VCARD"]


def vcards(journal: Journal) -> bytes:
    """A vCard 4.0 of each contact card, by slug: FN and N, NICKNAME (the aliases), ORG
    (company), TITLE (role), EMAIL, TEL, CATEGORIES (tags) and NOTE (the card's notes).
    People without a card are left out: an address book holds the people you have cards for."""
    lines = [fold(line) for contact in journal.contacts if contact.has_card for line in _vcard(contact)]
    return "".join(line + "\r\n" for line in lines).encode("utf-8")
