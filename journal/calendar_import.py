"""Read a calendar export (.ics: Google Calendar, Outlook, Apple Calendar, Thunderbird) into
the meetings it holds in a window of days, and plan the notes `journal import calendar`
writes for them.

The only module that imports icalendar, recurring_ical_events, x_wr_timezone and dateutil:
RRULE, EXDATE and RECURRENCE-ID overrides, TZID zones (Outlook's Windows names too), UTC
times and Google's X-WR-TIMEZONE are theirs to get right. Ours is to bound the work: a
repeating event is expanded only up to the window's end, a rule that would take more than
MOST_STEPS steps to get there, or that can never happen, or that happens more than
MOST_OCCURRENCES times in the window, is left out with a warning at its line, never waited
for. Pure: text in, occurrences, counts and planned notes out (capture.py checks them with
the journal; scaffold.py writes them).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import islice

import icalendar
import recurring_ical_events
import x_wr_timezone
from dateutil.rrule import rrulestr

from .capture import Directory, Found, NewNote, is_person_address, note_path, note_text, taken_names
from .importers import clean
from .model import Journal
from .problems import Problem
from .schema import NoteRecord
from .text import plural

MOST_BYTES = 50_000_000
"""The largest .ics read: ten years of a busy calendar is a few megabytes."""
MOST_STEPS = 200_000
"""How many periods (days of a daily rule, hours of an hourly one) the expansion of one rule
may walk from its first occurrence to the window's end."""
MOST_STEPS_IN_ALL = 2_000_000
"""... and all the rules of one file together."""
MOST_OCCURRENCES = 2_000
"""The most occurrences of one event in the window: a meeting more often than that is not one."""
MOST_PROBLEMS = 100
"""Past this many lines that are not calendar lines, the file is not a calendar: say so once."""

SKIPPED = ("declined", "cancelled", "with nobody else", "all-day", "outside the window", "with a warning")
"""Why an event is not imported, in the order the summary counts them."""

# NAME;PARAM=value;PARAM="a:b":value. Lenient about what parameters hold (real exports break
# the rules: unquoted commas, underscores); a line without its colon is no calendar line.
_CONTENT_LINE = re.compile(r'([A-Za-z0-9_-]+)((?:;[^:;"]*(?:"[^"]*"[^:;"]*)*)*):(.*)', re.DOTALL)
_NOT_ATTENDING = {"RESOURCE", "ROOM", "GROUP"}
_RECURRENCE = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
_READ_FIRST = ("DTSTART", "DTEND", "DURATION", *_RECURRENCE)
_UNIT = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
    "MONTHLY": 28 * 86400,
    "YEARLY": 365 * 86400,
}
_DATE_FILTERS = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYDAY")
_LINE = "X-JOURNAL-LINE"  # each event's line in the file, carried into its occurrences


@dataclass(frozen=True)
class Window:
    """The days imported, first to last, in the journal's time zone (None: the machine's)."""

    first: date
    last: date
    zone: tzinfo | None = None
    all_day: bool = False


@dataclass(frozen=True)
class Attendee:
    found: Found
    line: int  # of its ATTENDEE or ORGANIZER line


@dataclass(frozen=True)
class Occurrence:
    """One meeting: an event, or one occurrence of a repeating one, in the window."""

    key: str  # the note's `event:`: the UID, and the occurrence's original start for a repeating event
    line: int  # of its BEGIN:VEVENT
    day: date
    time: str  # 'HH:MM' in the journal's zone, '' all day
    title: str
    where: str
    status: str  # '', 'cancelled' or 'declined' (by me)
    people: tuple[Attendee, ...]  # everyone else attending, the organizer first when not me


@dataclass
class CalendarRead:
    occurrences: list[Occurrence] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Block:
    """Where a VEVENT is in the file: its first line, its properties' first lines, and the
    lines of its ATTENDEEs in order."""

    line: int
    lines: dict[str, int] = field(default_factory=dict)
    attendees: list[int] = field(default_factory=list)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, content line) with folded lines (a space or tab first) joined."""
    number, current = 0, None
    for index, line in enumerate(text.split("\n"), 1):
        if line[:1] in (" ", "\t") and current is not None:
            current += line[1:]
            continue
        if current is not None:
            yield number, current
        number, current = index, line
    if current is not None:
        yield number, current


def _scan(path: str, text: str) -> tuple[list[_Block], dict[str, int], list[Problem]]:
    """Every VEVENT's place in the file, the lines of the calendar's own properties, and the
    lines that make it no calendar: no content line, an END without its BEGIN, a BEGIN never
    ended. icalendar reads the values; this reads where they are."""
    blocks: list[_Block] = []
    top: dict[str, int] = {}
    problems: list[Problem] = []
    stack: list[tuple[str, int]] = []
    for number, line in _logical_lines(text):
        if not line.strip():
            continue
        match = _CONTENT_LINE.fullmatch(line)
        if match is None:
            problems.append(Problem(path, number, f"not a calendar line: '{clean(line[:40])}'"))
            if len(problems) > MOST_PROBLEMS:
                return [], top, problems[:MOST_PROBLEMS] + [Problem(path, number, "and more: this is no calendar")]
            continue
        name, value = match.group(1).upper(), match.group(3).strip().upper()
        if name == "BEGIN":
            stack.append((value, number))
            blocks += [_Block(number)] if value == "VEVENT" else []
        elif name == "END":
            problems += _end(path, number, value, stack)
        elif stack and stack[-1][0] == "VEVENT":
            blocks[-1].lines.setdefault(name, number)
            blocks[-1].attendees += [number] if name == "ATTENDEE" else []
        elif stack and stack[-1][0] == "VCALENDAR":
            top.setdefault(name, number)
    problems += [Problem(path, line, f"'BEGIN:{clean(kind[:40])}' is never ended") for kind, line in stack]
    if "VERSION" not in top and not problems:
        problems.append(Problem(path, 1, "not a calendar: an .ics file holds 'BEGIN:VCALENDAR' ... 'END:VCALENDAR'"))
    return blocks, top, problems


def _end(path: str, number: int, kind: str, stack: list[tuple[str, int]]) -> list[Problem]:
    """An END line closes the component begun last, or is a problem."""
    if stack and stack[-1][0] == kind:
        stack.pop()
        return []
    still = f"; 'BEGIN:{clean(stack[-1][0][:40])}' on line {stack[-1][1]} is still open" if stack else ""
    return [Problem(path, number, f"'END:{clean(kind[:40])}' has no 'BEGIN:' before it{still}")]


def _calendars(path: str, text: str, top: dict[str, int], problems: list[Problem]) -> list:
    """The file's VCALENDARs, read by icalendar, each in the zones it names (X-WR-TIMEZONE)."""
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as error:  # icalendar raises many kinds on a broken file: each is reported
        problems.append(Problem(path, 1, f"not a calendar icalendar can read: {clean(str(error)[:200])}"))
        return []
    standard = []
    for calendar in calendars:
        try:
            standard.append(x_wr_timezone.to_standard(calendar))
        except Exception as error:  # an unknown X-WR-TIMEZONE: the times stay as written (UTC)
            problems.append(
                Problem(
                    path,
                    top.get("X-WR-TIMEZONE", 1),
                    f"X-WR-TIMEZONE is no time zone journal knows ({clean(str(error)[:80])}); times are read as written",
                    "warning",
                )
            )
            standard.append(calendar)
    return standard


def _events(calendars: list, blocks: list[_Block]) -> dict[str, list]:
    """The VEVENTs by UID (an event without one by its start and summary), each marked with
    its line."""
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    by_line = len(events) == len(blocks)
    series: dict[str, list] = {}
    for index, event in enumerate(events):
        event[_LINE] = str(blocks[index].line if by_line else 1)
        uid = event.get("UID", "")
        uid = clean(str(uid[0] if isinstance(uid, list) else uid))
        if not uid:
            start = event.get("DTSTART")
            made = f"{start.to_ical() if start is not None else b''!r} {event.get('SUMMARY', '')}"
            uid = "no-uid-" + hashlib.sha256(made.encode("utf-8", "replace")).hexdigest()[:16]
        if len(uid) > 200:  # an event id is a line of a note: long ones are cut and told apart by a hash
            uid = uid[:100] + "-" + hashlib.sha256(uid.encode("utf-8", "replace")).hexdigest()[:16]
        series.setdefault(uid, []).append(event)
    return series


def _line(event) -> int:
    return int(str(event.get(_LINE, "1")))


class _Skip(Exception):
    """An event left out, and why: a warning at its line, counted."""

    def __init__(self, line: int, why: str):
        super().__init__(why)
        self.line = line


_ONCE = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SUMMARY", "LOCATION", "STATUS", "ORGANIZER")
"""What an event holds at most once (RFC 5545): read twice, it could be either."""


def _readable(event, block: _Block | None) -> None:
    """Refuse an event whose times icalendar could not read, or whose zone is unknown."""
    line = _line(event)
    where = block.lines if block else {}
    for name in _ONCE:
        if isinstance(event.get(name), list):
            raise _Skip(where.get(name, line), f"{name} is written more than once in this event")
    for name, message in getattr(event, "errors", []):
        if name in _READ_FIRST or name is None:
            raise _Skip(where.get(name, line), f"{name or 'a line'} cannot be read ({clean(str(message)[:120])})")
    if event.get("DTSTART") is None:
        raise _Skip(line, "this event has no DTSTART")
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        prop = event.get(name)
        zone = prop.params.get("TZID") if prop is not None else None
        if zone and isinstance(prop.dt, datetime) and prop.dt.tzinfo is None:
            raise _Skip(
                where.get(name, line),
                f"{name} names the time zone '{clean(str(zone)[:60])}', which the file does not define and journal does not know",
            )


def _rules(event) -> list:
    rules = event.get("RRULE")
    return [] if rules is None else rules if isinstance(rules, list) else [rules]


def _start_day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


_EXPANDING = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYHOUR", "BYMINUTE", "BYSECOND")
_WEEKDAYS_IN = {"YEARLY": 53, "MONTHLY": 5}  # how many of one weekday a period holds


def _per_period(rule, freq: str) -> int:
    """At most how many times `rule` happens in one period: its BY lists multiplied (every
    day of a month at every minute of the day is 44,640 a month)."""
    count = 1
    for name in _EXPANDING:
        count *= max(len(rule.get(name, [])), 1)
    if "BYDAY" in rule:
        count *= len(rule["BYDAY"]) * _WEEKDAYS_IN.get(freq, 1)
    return count


def _steps(rule, start, end: date) -> int:
    """About how many occurrences expanding `rule` from `start` walks through to reach `end`:
    its periods (days of a daily rule) by how many times it may happen in each. A rule that
    cannot happen (30 February) would walk to the year 9999: refused in _possible first."""
    freq = str(rule.get("FREQ", [""])[0]).upper()
    if freq not in _UNIT:
        raise ValueError(f"FREQ '{clean(freq[:20])}' is not one of {', '.join(_UNIT)}")
    interval = max(int(rule.get("INTERVAL", [1])[0]), 1)
    until = rule.get("UNTIL")
    stop = min(end, _start_day(until[0])) if until else end
    filtered = any(name in rule for name in _DATE_FILTERS)
    if filtered and interval > 1 and _UNIT[freq] < _UNIT["MONTHLY"]:
        stop = date.max  # every 7th day on a Tuesday may never come: dateutil walks to the year 9999
    days = max((stop - _start_day(start)).days + 1, 0)
    steps = (days * 86400 // (_UNIT[freq] * interval) + 1) * _per_period(rule, freq)
    count = rule.get("COUNT")
    return max(min(steps, int(count[0])), 1) if count and not filtered else steps


_ORDINAL = re.compile(r"[+-]?\d+(?=[A-Z]{2}$)")


def _possible(rule) -> bool:
    """Whether the days `rule` allows ever come. The Gregorian calendar repeats every 400
    years, weekdays included, so the days a rule's date filters allow in 9600-9999 are the
    days they ever allow: a yearly rule of the filters alone walks 400 years at most."""
    filters = {name: rule[name] for name in _DATE_FILTERS if name in rule}
    if not filters:
        return True
    if "BYDAY" in filters:  # the 2nd Tuesday is a Tuesday: any Tuesday will do here
        filters["BYDAY"] = [_ORDINAL.sub("", str(day)) for day in filters["BYDAY"]]
    text = ";".join(f"{name}={','.join(str(value) for value in values)}" for name, values in filters.items())
    return next(iter(rrulestr(f"FREQ=YEARLY;{text}", dtstart=datetime(9600, 1, 1))), None) is not None


def _bounded(master, last: date, budget: list[int]) -> None:
    """Refuse a rule whose expansion would walk too far or never stop; end every other one
    just after the window's `last` day (UNTIL), so nothing is expanded past it."""
    start, end = master["DTSTART"].dt, last + timedelta(days=2)
    for rule in _rules(master):
        try:
            steps = _steps(rule, start, end)
            possible = _possible(rule)
        except Exception as error:  # dateutil and icalendar raise many kinds on a broken rule: each is reported
            raise _Skip(_line(master), f"its RRULE cannot be read ({clean(str(error)[:120])})") from None
        if not possible:
            raise _Skip(_line(master), "its RRULE names days that never come (like 30 February)")
        if steps > MOST_STEPS or steps > budget[0]:
            raise _Skip(
                _line(master),
                f"its RRULE repeats more than {MOST_STEPS:,} times between its start and {last.isoformat()}, too often to be a meeting"
                if steps > MOST_STEPS
                else f"the file's repeating events take more than {MOST_STEPS_IN_ALL:,} steps to expand; narrow --from",
            )
        budget[0] -= steps
        _end_at(rule, start, end)


def _end_at(rule, start, end: date) -> None:
    """UNTIL the window's end (kept when earlier): of the type DTSTART has, as RFC 5545 asks."""
    last: date = end
    if isinstance(start, datetime):
        midnight = datetime.combine(end, datetime.min.time())
        last = midnight.replace(tzinfo=UTC) if start.tzinfo else midnight
    until = rule.get("UNTIL")
    if until and _start_day(until[0]) <= end:
        return
    if "COUNT" in rule:  # a count already ends it; dateutil refuses both
        return
    rule["UNTIL"] = [last]


def _recurring(events: list) -> bool:
    return any(name in event for event in events for name in _RECURRENCE)


def _stamp(value) -> str:
    """An occurrence's original start, as its event id ends: UTC when it has a zone."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") if value.tzinfo else f"{value:%Y%m%dT%H%M%S}"
    return f"{value:%Y%m%d}"


def _local(value, zone: tzinfo | None) -> tuple[date, str]:
    """(day, 'HH:MM') in the journal's zone; a floating time as written; a date all day."""
    if not isinstance(value, datetime):
        return value, ""
    if value.tzinfo is not None:
        value = value.astimezone(zone) if zone is not None else value.astimezone()
    return value.date(), f"{value:%H:%M}"


def _addresses(prop) -> str:
    address = clean(str(prop))
    return address[7:] if address.lower().startswith("mailto:") else address


def _people(event, block: _Block | None, directory: Directory) -> tuple[str, tuple[Attendee, ...]]:
    """('declined' when I declined, else ''; everyone else who attends: the organizer, then
    the attendees, once each; not rooms, groups, non-participants or who declined)."""
    line = _line(event)
    attendees = event.get("ATTENDEE") or []
    attendees = attendees if isinstance(attendees, list) else [attendees]
    lines = block.attendees if block and len(block.attendees) == len(attendees) else [line] * len(attendees)
    organizer = event.get("ORGANIZER")
    status = ""
    people: dict[str, Attendee] = {}
    candidates = [(organizer, block.lines.get("ORGANIZER", line) if block else line)] if organizer else []
    for prop, at in [*candidates, *zip(attendees, lines)]:
        params = prop.params
        shown, address = clean(str(params.get("CN", ""))), _addresses(prop)
        declined = str(params.get("PARTSTAT", "")).upper() == "DECLINED"
        if directory.is_me(shown, address):
            status = "declined" if declined else status
            continue
        if (
            declined
            or str(params.get("CUTYPE", "")).upper() in _NOT_ATTENDING
            or str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT"
            or not is_person_address(address.casefold())
        ):
            people.pop(address.casefold() or shown, None)
            continue
        found = directory.find(shown, address)
        if found.how != "me" and found.name:
            people.setdefault(address.casefold() or found.name, Attendee(found, at))
    unique: dict[str, Attendee] = {}
    for attendee in people.values():
        unique.setdefault(attendee.found.name.casefold(), attendee)
    return status, tuple(unique.values())


def _occurrence(component, key: str, block: _Block | None, window: Window, directory: Directory) -> Occurrence:
    day, time = _local(component["DTSTART"].dt, window.zone)
    status, people = _people(component, block, directory)
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        status = "cancelled"
    return Occurrence(
        key=key,
        line=_line(component),
        day=day,
        time=time,
        title=clean(str(component.get("SUMMARY", "")))[:300],
        where=clean(str(component.get("LOCATION", "")))[:300],
        status=status,
        people=people,
    )


def _expand(events: list, window: Window, budget: list[int]) -> list:
    """The occurrences of one event (its master and overrides) near the window, at most
    MOST_OCCURRENCES + 1 of them."""
    master = next((event for event in events if "RECURRENCE-ID" not in event), None)
    if master is not None:
        _bounded(master, window.last, budget)
    calendar = icalendar.Calendar()
    for event in events:
        calendar.add_component(event)
    try:
        query = recurring_ical_events.of(calendar)
        found = [
            occurrence.as_component(False)
            for series in query.series
            for occurrence in islice(
                series.between(window.first - timedelta(days=1), window.last + timedelta(days=2)), MOST_OCCURRENCES * 2
            )
        ]
    except Exception as error:  # recurring_ical_events raises many kinds on a broken rule: each is reported
        raise _Skip(_line(events[0]), f"its repetition cannot be worked out ({clean(str(error)[:120])})") from None
    return found


def read_calendar(path: str, text: str, window: Window, directory: Directory) -> CalendarRead:
    """Every meeting of the calendar in the window: each event or occurrence that someone
    besides me attends, with its status. What is left out is counted in `skipped` (an
    unreadable event also warned about at its line); a file that is no calendar is errors."""
    read = CalendarRead()
    blocks, top, problems = _scan(path, text)
    if problems:
        read.problems = problems
        return read
    calendars = _calendars(path, text, top, read.problems)
    by_line = {block.line: block for block in blocks}
    budget = [MOST_STEPS_IN_ALL]
    for uid, events in _events(calendars, blocks).items():
        try:
            _series_into(read, uid, events, by_line, window, directory, budget)
        except _Skip as skip:
            read.problems.append(Problem(path, skip.line, f"{skip}; this event is left out", "warning"))
            read.skipped["with a warning"] += 1
    read.occurrences.sort(key=lambda occurrence: (occurrence.day, occurrence.time, occurrence.key))
    return read


def _series_into(
    read: CalendarRead,
    uid: str,
    events: list,
    blocks: dict[int, _Block],
    window: Window,
    directory: Directory,
    budget: list[int],
) -> None:
    """The occurrences of one event in the window into `read`, or what was left out counted."""
    for event in events:
        _readable(event, blocks.get(_line(event)))
    recurring = _recurring(events)
    found = []
    for component in _expand(events, window, budget):
        day, _ = _local(component["DTSTART"].dt, window.zone)
        if window.first <= day <= window.last:
            found.append(component)
    if len(found) > MOST_OCCURRENCES:
        raise _Skip(
            _line(events[0]),
            f"it happens {'more than ' if len(found) >= MOST_OCCURRENCES * 2 else ''}{len(found):,} times "
            f"from {window.first.isoformat()} to {window.last.isoformat()}; import it with a narrower --from and --to",
        )
    if not found:
        read.skipped["outside the window"] += 1
        return
    for component in found:
        if not isinstance(component["DTSTART"].dt, datetime) and not window.all_day:
            read.skipped["all-day"] += 1
            continue
        key = f"{uid} {_stamp(component['RECURRENCE-ID'].dt)}" if recurring and "RECURRENCE-ID" in component else uid
        read.occurrences.append(_occurrence(component, key, blocks.get(_line(component)), window, directory))


@dataclass(frozen=True)
class CalendarPlan:
    notes: tuple[NewNote, ...]
    existing: tuple[tuple[Occurrence, str], ...]  # (occurrence, the note that has it already)
    warnings: tuple[Problem, ...]  # at notes already there: the event moved, or was cancelled
    new_people: tuple[Found, ...]  # named for the first time by the new notes
    skipped: Counter[str]


def _when(day: date, time: str) -> str:
    return f"{day.isoformat()} {time}".strip()


def _since(occurrence: Occurrence, note: NoteRecord) -> Problem | None:
    """What changed in the calendar since `note` was imported from it, at the note's
    `event:` line; the note is never rewritten: the user may have edited it."""
    line = note.event.line if note.event else 1
    if occurrence.status:
        why = "was cancelled" if occurrence.status == "cancelled" else "was declined (by you)"
        return Problem(
            note.path,
            line,
            f"the calendar says this event {why}; the note is left as it is: delete it if the meeting did not happen",
            "warning",
        )
    if (occurrence.day, occurrence.time) != (note.date, note.time if occurrence.time else ""):
        return Problem(
            note.path,
            line,
            f"the calendar now has this event on {_when(occurrence.day, occurrence.time)}, this note on "
            f"{_when(note.date, note.time)}; the note is left as it is: change its 'date' if the meeting moved",
            "warning",
        )
    return None


def _by_hand(journal: Journal) -> dict[date, list[tuple[str, str, set[str]]]]:
    """The notes not imported from a calendar, by day: (path, time, the people's names folded)."""
    found: dict[date, list[tuple[str, str, set[str]]]] = {}
    for meeting in journal.meetings:
        if not meeting.event:
            people = {journal.name_of(person).casefold() for person in meeting.people}
            found.setdefault(meeting.date, []).append((meeting.path, meeting.time, people))
    return found


def _written(occurrence: Occurrence, by_hand: dict[date, list[tuple[str, str, set[str]]]]) -> str:
    """The note written by hand for this meeting, if there is one: the same day, everyone it
    names there, at its time or none ('' when there is none)."""
    names = {attendee.found.name.casefold() for attendee in occurrence.people}
    for path, time, people in by_hand.get(occurrence.day, []):
        if names <= people and time in ("", occurrence.time):
            return path
    return ""


def plan_calendar(
    journal: Journal, notes: Iterable[NoteRecord], read: CalendarRead, source: str, today: date
) -> CalendarPlan:
    """The notes to write: one per occurrence not yet in the journal (by `event:`), neither
    cancelled nor declined, with someone else there. An occurrence already imported is left
    alone (a warning when it moved or was cancelled since)."""
    imported = {note.event.id: note for note in notes if note.event}
    by_hand = _by_hand(journal)
    taken = taken_names(meeting.path for meeting in journal.meetings)
    new_notes: list[NewNote] = []
    existing: list[tuple[Occurrence, str]] = []
    warnings: list[Problem] = []
    skipped = Counter(read.skipped)
    new_people: dict[str, Found] = {}
    for occurrence in read.occurrences:
        note = imported.get(occurrence.key)
        if note is not None:
            existing.append((occurrence, note.path))
            warning = _since(occurrence, note)
            warnings += [warning] if warning else []
        elif occurrence.status:
            skipped[occurrence.status] += 1
        elif not occurrence.people:
            skipped["with nobody else"] += 1
        elif written := _written(occurrence, by_hand):
            existing.append((occurrence, f"{written} (written by hand: the same day and people)"))
        else:
            new_notes.append(_new_note(occurrence, journal, source, today, taken))
            for attendee in occurrence.people:
                if attendee.found.how == "new":
                    new_people.setdefault(attendee.found.name.casefold(), attendee.found)
    return CalendarPlan(tuple(new_notes), tuple(existing), tuple(warnings), tuple(new_people.values()), skipped)


def _new_note(occurrence: Occurrence, journal: Journal, source: str, today: date, taken: set[str]) -> NewNote:
    """The note of one occurrence. A meeting whose follow-up day has passed by the import
    says `follow_up: false`: the import writes down what happened, it does not invent a
    follow-up already overdue."""
    names = tuple(attendee.found.name for attendee in occurrence.people)
    title = occurrence.title or f"Meeting with {', '.join(names[:3])}"
    fields: dict[str, str | bool | tuple[str, ...]] = {"title": title, "with": names, "where": occurrence.where}
    if occurrence.day + timedelta(days=journal.config.follow_up_days) < today:
        fields["follow_up"] = False
    fields["event"] = occurrence.key
    text, with_lines = note_text(_when(occurrence.day, occurrence.time), fields)
    when = _when(occurrence.day, occurrence.time)
    return NewNote(
        path=note_path(occurrence.day, title, taken),
        text=text,
        label=f"'{title[:60]}' on {when}",
        source=source,
        line=occurrence.line,
        people_lines=tuple(zip(with_lines, (attendee.line for attendee in occurrence.people))),
    )


def summary(plan: CalendarPlan, created: int, dry_run: bool) -> str:
    """'created 3 notes; 2 already in the journal; skipped 5: 1 declined, ...'."""
    verb = "would create" if dry_run else "created"
    parts = [f"{verb} {plural(created, 'note')}", f"{len(plan.existing)} already in the journal"]
    counts = [f"{plan.skipped[why]} {why}" for why in SKIPPED if plan.skipped[why]]
    if counts:
        parts.append(f"skipped {sum(plan.skipped[why] for why in SKIPPED)}: {', '.join(counts)}")
    return "; ".join(parts)


def owner_hint(journal: Journal) -> str:
    """'' or why attendees may take me for someone else."""
    if journal.config.owner_emails:
        return ""
    return "journal.yaml has no owner_emails: you are known in the calendar by your name only (owner, owner_aliases)"
