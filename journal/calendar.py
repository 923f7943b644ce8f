"""The calendar feed: open promises, follow-ups and decisions as an RFC 5545 calendar.

The only module that imports icalendar. Pure: Journal in, bytes out. UIDs and DTSTAMPs come
from the data, never from the clock, so an unchanged journal gives a byte-identical feed and
a subscribed calendar app updates its events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

import icalendar

from . import views
from .keys import Remember, Same, just_make
from .model import LAST_DATE, Commitment, Journal, Meeting
from .plan import SitePaths

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
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", journal.config.title)
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end), "icalendar changed how it ends a calendar"
    items.sort(key=lambda pair: (pair[0].day, pair[0].uid))
    body = b"".join(
        made if made is not None else remember(("ical", item), partial(_component_bytes, item)) for item, made in items
    )
    return head[: -len(end)] + body + end


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
