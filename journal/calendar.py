"""The calendar feed: open promises, follow-ups and decisions as an RFC 5545 calendar.

Pure: Journal in, bytes out. UIDs and DTSTAMPs come from the data, never from the clock, so
an unchanged journal gives a byte-identical feed and a subscribed calendar app updates its
events instead of duplicating them.

journal writes the few properties it uses itself (content_line, text_value) rather than
through icalendar: building icalendar's objects cost 0.15 ms a component, 0.7 s of a
10,000-note build, and its bytes changed between its releases (7.x folds lines elsewhere).
The tests read the feed back with icalendar, a test-only dependency now.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial

from . import views
from .keys import Remember, Same, just_make
from .model import LAST_DATE, Commitment, Journal, Meeting
from .plan import SitePaths

PRODID = "-//journal//networking journal//EN"


LINE_OCTETS = 75  # RFC 5545 3.1: a longer content line is folded
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # no TEXT value may hold them (3.3.11), a tab aside
_URI_UNSAFE = re.compile("[\x00-\x1f\x7f]")


def text_value(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line
    break (CRLF, LF or a lone CR) written `\\n`, and the other control characters, which
    the format has no way to write, left out: a note's text cannot start a property of its own."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def content_line(name: str, value: str) -> bytes:
    """`NAME:value` as UTF-8 ending in CRLF, folded so that no line is longer than 75 octets
    (3.1): a fold is CRLF and a space, never inside a character's bytes nor between a
    backslash and the character it escapes (some calendar apps unfold those wrongly).
    `value` comes escaped (text_value) or is made of safe characters (dates, URIs)."""
    data = f"{name}:{value}".encode()
    if len(data) <= LINE_OCTETS:
        return data + b"\r\n"
    pieces: list[bytes] = []
    start, room = 0, LINE_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: step back to the character's start
            end -= 1
        backslashes = len(data[start:end]) - len(data[start:end].rstrip(b"\\"))
        if backslashes % 2:  # the piece would end on an escape's backslash: leave it to the next
            end -= 1
        pieces.append(data[start:end])
        start, room = end, LINE_OCTETS - 1  # a continuation line starts with its space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


def _date(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"  # strftime's %Y drops a small year's zeros


def _stamp(day: date) -> str:
    """A DTSTAMP from the data: midnight UTC of the day the item was written down."""
    return _date(day) + "T000000Z"


def _uri(url: str) -> str:
    """A URI value: written as it is (3.3.13), less any control character, which no URI holds."""
    return _URI_UNSAFE.sub("", url)


def _uid(kind: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return f"{kind}-{digest}@journal"


def _commitment_key(commitment: Commitment) -> tuple[str, ...]:
    """What names a promise across edits: its id when it has one, else who owes what to whom."""
    return (commitment.id,) if commitment.id else (commitment.meeting, commitment.by, commitment.to, commitment.what)


@dataclass(frozen=True)
class _Item:
    """One calendar component as plain data: what is sorted, compared and remembered."""

    kind: str  # "event" or "todo"
    uid: str
    written_on: date
    summary: str
    description: str
    url: str
    day: date  # the event's all-day date, or the to-do's due date


def _component_bytes(item: _Item) -> bytes:
    """One VEVENT or VTODO, its properties in the order icalendar put them in (only where
    long lines fold differs from the feed it wrote)."""
    url = [content_line("URL", _uri(item.url))] if item.url else []
    summary = content_line("SUMMARY", text_value(item.summary))
    description = content_line("DESCRIPTION", text_value(item.description))
    stamp = content_line("DTSTAMP", _stamp(item.written_on))
    uid = content_line("UID", text_value(item.uid))
    if item.kind == "event":
        lines = [
            b"BEGIN:VEVENT\r\n",
            summary,
            content_line("DTSTART;VALUE=DATE", _date(item.day)),
            content_line("DTEND;VALUE=DATE", _date(item.day + timedelta(days=1))),
            stamp,
            uid,
            description,
            b"TRANSP:TRANSPARENT\r\n",  # a reminder, not a meeting: leave the day free
            *url,
            b"END:VEVENT\r\n",
        ]
    else:
        lines = [
            b"BEGIN:VTODO\r\n",
            description,
            stamp,
            content_line("DUE;VALUE=DATE", _date(item.day)),
            b"STATUS:NEEDS-ACTION\r\n",
            summary,
            uid,
            *url,
            b"END:VTODO\r\n",
        ]
    return b"".join(lines)


_MEETINGS = 64  # meetings whose promises' components a preview remembers together


def calendar_feed(journal: Journal, paths: SitePaths, remember: Remember = just_make) -> bytes:
    """calendar.ics: a VEVENT per open promise of mine (on its due date), per pending
    follow-up and per pending decide_by, and a VTODO per open promise either way (many
    calendar apps ignore VTODO in subscriptions, so my promises come as both). A calendar
    shows what is to come, so the feed reads every note as written, upcoming ones included
    (the views as of LAST_DATE): no `today` in it. `remember` may keep each component's
    bytes by its data, and the components of each run of 64 meetings' promises (and of 64
    follow-ups) while those meetings are the very same objects and no contact's name changed."""
    name = journal.name_of
    base = journal.config.base_url

    def url(slug: str) -> str:
        return base.rstrip("/") + "/" + urllib.parse.quote(paths.meeting(slug)) if base and slug else ""

    items: list[tuple[_Item, bytes | None]] = []
    seen: dict[str, int] = {}
    names = remember(("names", journal.contact_names()), object)  # the same while all names are
    for start in range(0, len(journal.meetings), _MEETINGS):
        run = journal.meetings[start : start + _MEETINGS]
        run_key = ("calendar promises", Same(run), names, base, paths)
        for key, made in remember(run_key, partial(_promise_components, run, name, url, remember)):
            seen[key] = seen.get(key, 0) + 1
            if seen[key] == 1:
                items += made
            else:  # the same promise written twice: told apart by a suffix, worked out here
                unique = key.replace("@", f"-{seen[key]}@")
                items += ((replace(item, uid=item.uid.replace(key, unique)), None) for item, _ in made)
    pending = views.pending_follow_ups(journal, LAST_DATE)
    for start in range(0, len(pending), _MEETINGS):
        follow_ups = tuple(pending[start : start + _MEETINGS])
        people = tuple((person, due) for person, _, due in follow_ups)
        meetings = Same(meeting for _, meeting, _ in follow_ups)
        follow_up_key = ("calendar follow-ups", meetings, people, names, base, paths)
        items += remember(follow_up_key, partial(_follow_up_components, follow_ups, name, url, remember))
    for contact in journal.contacts:
        if views.awaiting_decision(contact) and contact.decide_by is not None:
            summary = f"Decide whether to pursue {contact.name}"
            description = f"decide_by in {contact.path}"
            uid = _uid("decide", contact.slug)
            items.append((_Item("event", uid, contact.decide_by, summary, description, "", contact.decide_by), None))
    head = b"".join(
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
            content_line("PRODID", PRODID),
            content_line("X-WR-CALNAME", text_value(journal.config.title)),
        )
    )
    items.sort(key=lambda pair: (pair[0].day, pair[0].uid))
    body = b"".join(
        made if made is not None else remember(("ical", item), partial(_component_bytes, item)) for item, made in items
    )
    return head + body + b"END:VCALENDAR\r\n"


def _follow_up_components(
    follow_ups: tuple[tuple[str, Meeting, date], ...],
    name: Callable[[str], str],
    url: Callable[[str], str],
    remember: Remember,
) -> list[tuple[_Item, bytes]]:
    """(item, its component) for each (person, latest meeting, follow up by); `remember` keeps
    each component by its item (a rename makes the run again, and few items change)."""
    found = []
    for person, meeting, due in follow_ups:
        summary = f"Follow up with {name(person)}"
        description = f"after {meeting.title} on {meeting.date.isoformat()} ({meeting.path})"
        item = _Item(
            "event", _uid("follow-up", meeting.slug, person), meeting.date, summary, description, url(meeting.slug), due
        )
        found.append((item, remember(("ical", item), partial(_component_bytes, item))))
    return found


def _promise_components(
    meetings: tuple[Meeting, ...], name: Callable[[str], str], url: Callable[[str], str], remember: Remember
) -> list[tuple[str, list[tuple[_Item, bytes]]]]:
    """(uid key, [(item, its component)]) for each open promise of these meetings, as written
    (as of LAST_DATE nothing is closed later than written): a VEVENT for one of mine, and a
    VTODO each."""
    found = []
    for meeting in meetings:
        for c in meeting.commitments:
            if not c.is_open:
                continue
            key = _uid("promise", *_commitment_key(c))
            summary = f"Promise to {name(c.to)}: {c.what}" if c.is_mine else f"{name(c.by)} owes {name(c.to)}: {c.what}"
            description = f"{c.kind}, promised on {c.made_on.isoformat()} in {meeting.title} ({c.path}:{c.line})"
            kinds = ("event", "todo") if c.is_mine else ("todo",)
            made = [
                _Item(kind, f"{kind}-{key}", c.made_on, summary, description, url(c.meeting), c.due) for kind in kinds
            ]
            found.append((key, [(item, remember(("ical", item), partial(_component_bytes, item))) for item in made]))
    return found
