"""The calendar feed: open promises, follow-ups and decisions as an RFC 5545 calendar.

The only module that imports icalendar. Pure: Journal in, bytes out. UIDs and DTSTAMPs come
from the data, never from the clock, so an unchanged journal gives a byte-identical feed and
a subscribed calendar app updates its events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

import icalendar

from . import views
from .keys import Remember, just_make
from .model import LAST_DATE, Commitment, Journal

PRODID = "-//journal//networking journal//EN"


def _stamp(day: date) -> datetime:
    """A DTSTAMP from the data: midnight UTC of the day the item was written down."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


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
    """One VEVENT or VTODO as icalendar writes it: about a millisecond a component, so a
    preview's `remember` keeps them (4 s for a 10,000-note journal, nearly all unchanged)."""
    component = icalendar.Event() if item.kind == "event" else icalendar.Todo()
    component.add("uid", item.uid)
    component.add("dtstamp", _stamp(item.written_on))
    component.add("summary", item.summary)
    component.add("description", item.description)
    if item.url:
        component.add("url", item.url)
    if item.kind == "event":
        component.add("dtstart", item.day)
        component.add("dtend", item.day + timedelta(days=1))
        component.add("transp", "TRANSPARENT")  # a reminder, not a meeting: leave the day free
    else:
        component.add("due", item.day)
        component.add("status", "NEEDS-ACTION")
    return component.to_ical()


def calendar_feed(journal: Journal, meeting_path: Callable[[str], str], remember: Remember = just_make) -> bytes:
    """calendar.ics: a VEVENT per open promise of mine (on its due date), per pending
    follow-up and per pending decide_by, and a VTODO per open promise either way (many
    calendar apps ignore VTODO in subscriptions, so my promises come as both). A calendar
    shows what is to come, so the feed reads every note as written, upcoming ones included
    (the views as of LAST_DATE): no `today` in it. `remember` may keep each component's
    bytes by its data."""
    name = journal.name_of
    base = journal.config.base_url
    titles = {meeting.slug: meeting.title for meeting in journal.meetings}

    def url(slug: str) -> str:
        return base.rstrip("/") + "/" + urllib.parse.quote(meeting_path(slug)) if base and slug else ""

    items: list[_Item] = []
    seen: dict[str, int] = {}
    for c in views.open_commitments(journal, LAST_DATE):
        key = _uid("promise", *_commitment_key(c))
        seen[key] = seen.get(key, 0) + 1
        key = key if seen[key] == 1 else key.replace("@", f"-{seen[key]}@")
        summary = f"Promise to {name(c.to)}: {c.what}" if c.is_mine else f"{name(c.by)} owes {name(c.to)}: {c.what}"
        description = f"{c.kind}, promised on {c.made_on.isoformat()} in {titles[c.meeting]} ({c.path}:{c.line})"
        if c.is_mine:
            items.append(_Item("event", "event-" + key, c.made_on, summary, description, url(c.meeting), c.due))
        items.append(_Item("todo", "todo-" + key, c.made_on, summary, description, url(c.meeting), c.due))
    for person, meeting, due in views.pending_follow_ups(journal, LAST_DATE):
        summary = f"Follow up with {name(person)}"
        description = f"after {meeting.title} on {meeting.date.isoformat()} ({meeting.path})"
        items.append(
            _Item(
                "event",
                _uid("follow-up", meeting.slug, person),
                meeting.date,
                summary,
                description,
                url(meeting.slug),
                due,
            )
        )
    for contact in journal.contacts:
        if views.awaiting_decision(contact) and contact.decide_by is not None:
            summary = f"Decide whether to pursue {contact.name}"
            items.append(
                _Item(
                    "event",
                    _uid("decide", contact.slug),
                    contact.decide_by,
                    summary,
                    f"decide_by in {contact.path}",
                    "",
                    contact.decide_by,
                )
            )
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", journal.config.title)
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end), "icalendar changed how it ends a calendar"
    ordered = sorted(items, key=lambda item: (item.day, item.uid))
    body = b"".join(remember(("ical", item), partial(_component_bytes, item)) for item in ordered)
    return head[: -len(end)] + body + end
