"""journal import calendar, fuzzed: calendars icalendar writes from hostile values (names with
control characters or script, any summary, any rule), and real exports cut and garbled line
by line. Reading never raises; every problem is one 'path:line: severity: message' line;
every note it would write reads back without a problem. derandomize and a bounded number
of examples keep the run the same everywhere (test_fuzz.py's FUZZ)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, vCalAddress
from test_fuzz import ANY_CHARACTER, FUZZ
from test_import_calendar import GOOGLE, OUTLOOK

from journal.calendar_import import Window, plan_calendar, read_calendar
from journal.capture import Directory, as_sources, from_import_file
from journal.frontmatter import split
from journal.model import Config, Journal
from journal.pipeline import load_sources
from journal.schema import parse_note
from journal.sources import SourceFile

PROBLEM = re.compile(r"^[^\n]+:\d+: (error|warning): [^\n]+$")
TODAY = date(2026, 11, 23)
WINDOW = Window(date(2026, 10, 24), date(2026, 12, 23), ZoneInfo("Europe/London"))
CONFIG = SourceFile("journal.yaml", "owner: Alex Rivera\nowner_emails: [alex@example.com]\n")
CARDS = [
    SourceFile("entries/contacts/pat-lee.md", "---\nname: Pat Lee\nemail: pat@lee.example\n---\n"),
    SourceFile("entries/2026/2026-11-02-lunch.md", "---\ndate: 2026-11-02\nwith: Greg Mallory\n---\n"),
]
JOURNAL, _, _ = load_sources(CONFIG, CARDS, [])
NAMES = st.one_of(
    st.text(ANY_CHARACTER, max_size=120),
    st.sampled_from(
        ["<script>alert(1)</script>", "Pat Lee", "Lee, Pat", "Greg Malory", "me", "\x1b]0;x\x07", "a" * 300]
    ),
)
ADDRESSES = st.one_of(
    st.sampled_from(["pat@lee.example", "alex@example.com", "x@resource.calendar.google.com", "", "not an address"]),
    st.emails().map(str),
)
STARTS = st.one_of(
    st.datetimes(datetime(1900, 1, 2), datetime(2200, 12, 30)),
    st.datetimes(datetime(2026, 9, 1), datetime(2027, 1, 31), timezones=st.sampled_from([UTC, ZoneInfo("America/New_York")])),
    st.dates(date(2026, 9, 1), date(2027, 1, 31)),
)  # fmt: skip
RULES = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {"freq": st.sampled_from(["secondly", "minutely", "hourly", "daily", "weekly", "monthly", "yearly"])},
        optional={
            "interval": st.integers(1, 1000),
            "count": st.integers(1, 200_000),
            "bymonth": st.integers(1, 12),
            "bymonthday": st.integers(-31, 31).filter(bool),
            "byday": st.sampled_from([["MO"], ["2TU"], ["-1FR"], ["SA", "SU"], ["5MO"]]),
            "byhour": st.integers(0, 23),
        },
    ),
)


@st.composite
def events(draw) -> Event:
    made = Event()
    made.add("uid", draw(st.text(ANY_CHARACTER, min_size=1, max_size=300)))
    made.add("summary", draw(st.text(ANY_CHARACTER, max_size=200)))
    start = draw(STARTS)
    made.add("dtstart", start)
    rule = draw(RULES)
    if rule:
        made.add("rrule", rule)
    if draw(st.booleans()):
        made.add("status", draw(st.sampled_from(["CANCELLED", "CONFIRMED", "TENTATIVE"])))
    for _ in range(draw(st.integers(0, 4))):
        attendee = vCalAddress(f"mailto:{draw(ADDRESSES)}")
        attendee.params["CN"] = draw(NAMES)
        attendee.params["PARTSTAT"] = draw(st.sampled_from(["ACCEPTED", "DECLINED", "NEEDS-ACTION"]))
        made.add("attendee", attendee)
    return made


def imported(text: str) -> None:
    """Read, plan and check one calendar, asserting what every run must hold."""
    read = read_calendar("cal.ics", text, WINDOW, Directory(JOURNAL))
    for problem in read.problems:
        assert PROBLEM.match(str(problem)), str(problem)
    if any(problem.severity == "error" for problem in read.problems):
        return
    plan = plan_calendar(JOURNAL, [], read, "cal.ics", TODAY)
    for note in plan.notes:
        assert parse_note(note.path, split(note.text, note.path))[1] == [], note.text
    _, problems, _ = load_sources(CONFIG, CARDS + as_sources(plan.notes), [])
    for problem in from_import_file(problems, plan.notes):
        assert PROBLEM.match(str(problem)), str(problem)
        assert problem.path == "cal.ics", str(problem)


@settings(FUZZ, max_examples=150)
@given(st.lists(events(), max_size=5), st.sampled_from(["", "Europe/Berlin", "Mars/Olympus"]))
def test_any_calendar_icalendar_writes_imports_or_is_told_why(made, zone):
    calendar = Calendar()
    calendar.add("prodid", "-//fuzz//EN")
    calendar.add("version", "2.0")
    if zone:
        calendar.add("x-wr-timezone", zone)
    for event in made:
        calendar.add_component(event)
    imported(calendar.to_ical().decode("utf-8"))


REAL = (GOOGLE + OUTLOOK).decode("utf-8").replace("\r\n", "\n").split("\n")


@settings(FUZZ, max_examples=300)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(REAL) - 1),
            st.sampled_from(["drop", "twice", "replace", "insert"]),
            st.text(ANY_CHARACTER, max_size=60),
        ),
        max_size=6,
    )
)
def test_a_garbled_export_never_raises(edits):
    lines = list(REAL)
    for index, edit, text in edits:
        index = min(index, len(lines) - 1)
        if edit == "drop" and lines:
            del lines[index]
        elif edit == "twice":
            lines.insert(index, lines[index])
        elif edit == "replace":
            lines[index] = lines[index].split(":", 1)[0] + ":" + text
        else:
            lines.insert(index, text)
    imported("\n".join(lines))


def test_a_journal_without_settings_is_read_in_the_machines_zone():
    """No timezone: the machine's own, and no owner_emails: me by name only."""
    journal = Journal(Config(owner="Alex Rivera"), (), ())
    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//x//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", "a")
    event.add("dtstart", start)
    for name in ("Alex Rivera", "Pat Lee"):
        attendee = vCalAddress(f"mailto:{name.split()[0].lower()}@x.example")
        attendee.params["CN"] = name
        event.add("attendee", attendee)
    calendar.add_component(event)
    window = Window(date(2026, 11, 1), date(2026, 11, 30))
    read = read_calendar("cal.ics", calendar.to_ical().decode(), window, Directory(journal))
    local = start.astimezone()
    assert [(o.day, o.time, [a.found.name for a in o.people]) for o in read.occurrences] == [
        (local.date(), f"{local:%H:%M}", ["Pat Lee"])
    ]
    assert timedelta(0) <= abs(local.utcoffset() or timedelta(0)) <= timedelta(hours=14)


def test_a_rule_that_expands_to_every_minute_is_refused_before_it_is_walked():
    """Monthly, but on every day at every minute since 1970: 30 million occurrences before the
    window. Refused by its count, at its line, without walking it (no test times it)."""
    every = {
        "freq": "monthly",
        "bymonthday": list(range(1, 32)),
        "byhour": list(range(24)),
        "byminute": list(range(60)),
    }
    calendar = Calendar()
    calendar.add("prodid", "-//x//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", "every@x")
    event.add("dtstart", datetime(1970, 1, 1, tzinfo=UTC))
    event.add("rrule", every)
    event.add("attendee", vCalAddress("mailto:pat@lee.example"))
    calendar.add_component(event)
    read = read_calendar("cal.ics", calendar.to_ical().decode(), WINDOW, Directory(JOURNAL))
    assert [str(problem) for problem in read.problems] == [
        "cal.ics:4: warning: its RRULE repeats more than 200,000 times between its start and 2026-12-23, "
        "too often to be a meeting; this event is left out"
    ]
