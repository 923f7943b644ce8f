"""journal import calendar: calendar exports written by icalendar (as Google Calendar, Outlook,
Apple Calendar and Thunderbird write them) become meeting notes that pass `journal check`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import TODAY_ARG, problems_of, site_files
from icalendar import Calendar, Event, vCalAddress

LONDON, BERLIN, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")

JOURNAL = {
    "journal.yaml": """
        owner: Alex Rivera
        owner_aliases: [Alex]
        timezone: Europe/London
        owner_emails: [alex@example.com, Alex.Rivera@Work.example]
        """,
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        email: pat@lee.example, pat@work.example
        ---
        """,
    "entries/contacts/terry-nguyen.md": """
        ---
        name: Terry Nguyen
        aliases: [Terry]
        ---
        """,
    "entries/contacts/robert-smith.md": """
        ---
        name: Robert Smith
        email: rob@smith.example
        ---
        Imported from contacts.vcf.

        ## Private

        - Other e-mail: bob@bakery.example
        """,
    "entries/2026/2026-11-02-lunch.md": """
        ---
        date: 2026-11-02
        with: Greg Mallory
        ---
        """,
}


def person(address: str, name: str = "", **params: str) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{address}")
    if name:
        attendee.params["CN"] = name
    for key, value in params.items():
        attendee.params[key.replace("_", "-").upper()] = value
    return attendee


def event(uid: str, summary: str, start, *attendees: vCalAddress, **properties) -> Event:
    made = Event()
    made.add("uid", uid)
    made.add("summary", summary)
    made.add("dtstart", start)
    for address in attendees:
        made.add("attendee", address)
    for key, value in properties.items():
        made.add(key.replace("_", "-"), value)
    return made


def ics(*events: Event, **properties: str) -> bytes:
    """A calendar file as icalendar writes it."""
    calendar = Calendar()
    calendar.add("prodid", "-//journal tests//EN")
    calendar.add("version", "2.0")
    for key, value in properties.items():
        calendar.add(key.replace("_", "-"), value)
    for made in events:
        calendar.add_component(made)
    return calendar.to_ical()


def line_of(data: bytes, needle: str) -> int:
    """The line of the first line holding `needle`, or that is `needle` when it ends with '$'."""
    lines = data.decode("utf-8").replace("\r\n", "\n").split("\n")
    exact = needle.endswith("$")
    return next(i for i, line in enumerate(lines) if (line == needle[:-1] if exact else needle in line)) + 1


def event_line(data: bytes, uid: str) -> int:
    """The line of the BEGIN:VEVENT of the event with this UID."""
    lines = data.decode("utf-8").replace("\r\n", "\n").split("\n")
    found = lines.index(f"UID:{uid}")
    return max(i for i, line in enumerate(lines[:found]) if line == "BEGIN:VEVENT") + 1


ME = person("alex@example.com", "Alex Rivera", partstat="ACCEPTED")

# Google Calendar: UTC times, the calendar's zone in X-WR-TIMEZONE, rooms as attendees.
GOOGLE = ics(
    event(
        "coffee@google.com",
        "Coffee with Pat",
        datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        ME,
        person("PAT@WORK.EXAMPLE", "Patricia", partstat="ACCEPTED"),
        person("board@resource.calendar.google.com", "Board room", cutype="RESOURCE"),
        location="Rosie's Diner",
    ),
    # Thursdays at 17:00 in Berlin, written in UTC: 16:00 in London all year, across both
    # clocks' changes (only when X-WR-TIMEZONE is honoured: read as UTC it would be 15:00);
    # not on 5 November (EXDATE), and on Friday the 13th instead of the 12th (RECURRENCE-ID).
    event(
        "sync@google.com",
        "Weekly sync",
        datetime(2026, 10, 1, 15, 0, tzinfo=UTC),
        person("terry@nguyen.example", "Nguyen, Terry", partstat="ACCEPTED"),
        organizer=person("alex@example.com", "Alex Rivera"),
        rrule={"freq": "weekly", "byday": "TH"},
        exdate=datetime(2026, 11, 5, 16, 0, tzinfo=UTC),
    ),
    event(
        "sync@google.com",
        "Weekly sync, on Friday",
        datetime(2026, 11, 13, 9, 0, tzinfo=UTC),
        person("terry@nguyen.example", "Nguyen, Terry", partstat="ACCEPTED"),
        recurrence_id=datetime(2026, 11, 12, 16, 0, tzinfo=UTC),
    ),
    event(
        "drinks@google.com",
        "Drinks",
        datetime(2026, 11, 21, 18, 0, tzinfo=UTC),
        person("alex@example.com", "alex@example.com", partstat="DECLINED"),
        person("rob@smith.example", "Rob"),
    ),
    event("cancel@google.com", "Lunch", datetime(2026, 11, 18, 12, 0, tzinfo=UTC), ME, status="CANCELLED"),
    event("focus@google.com", "Focus time", datetime(2026, 11, 19, 9, 0, tzinfo=UTC), ME),
    event("fair@google.com", "Print fair", date(2026, 11, 10), ME, person("pat@lee.example", "Pat Lee")),
    event("old@google.com", "Old coffee", datetime(2025, 1, 7, 9, 0, tzinfo=UTC), ME, person("pat@lee.example")),
    x_wr_timezone="Europe/Berlin",
    x_wr_calname="alex@example.com",
)

# Outlook: zones by TZID, names as 'Last, First', a floating time, one zone nobody knows.
OUTLOOK = ics(
    event(
        "040000008200E00074C5B7101A82E008",
        "Kickoff",
        datetime(2026, 12, 1, 9, 0, tzinfo=NEW_YORK),
        person("greg@mallory.example", "Greg Mallory"),
        person("bob@bakery.example", "Smith, Bob"),
        organizer=person("Alex.Rivera@work.example", "Rivera, Alex"),
    ),
    event(
        "intro@outlook",
        "Intro call",
        datetime(2026, 11, 24, 14, 0),
        person("dana.whitfield@x.example", "dana.whitfield@x.example"),
    ),
    event(
        "mars@outlook",
        "On Mars",
        datetime(2026, 11, 25, 9, 0),
        person("terry@nguyen.example"),
        dtstamp=datetime(2026, 1, 1, tzinfo=UTC),
    ),
)
OUTLOOK = OUTLOOK.replace(b"DTSTART:20261125T090000", b"DTSTART;TZID=Mars/Olympus:20261125T090000")


@pytest.fixture
def root(make_journal) -> Path:
    return make_journal(JOURNAL)


def notes_of(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((root / "entries" / "2026").glob("*.md"))
        if path.name != "2026-11-02-lunch.md"
    }


def test_a_google_export_becomes_notes_in_the_journals_zone(root, cli):
    (root / "google.ics").write_bytes(GOOGLE)
    done = cli("import", "calendar", "google.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "created  entries/2026/2026-10-29-weekly-sync.md  'Weekly sync' on 2026-10-29 16:00",
        "created  entries/2026/2026-11-13-weekly-sync-on-friday.md  'Weekly sync, on Friday' on 2026-11-13 09:00",
        "created  entries/2026/2026-11-19-weekly-sync.md  'Weekly sync' on 2026-11-19 16:00",
        "created  entries/2026/2026-11-20-coffee-with-pat.md  'Coffee with Pat' on 2026-11-20 09:00",
        "created  entries/2026/2026-11-26-weekly-sync.md  'Weekly sync' on 2026-11-26 16:00",
        "created  entries/2026/2026-12-03-weekly-sync.md  'Weekly sync' on 2026-12-03 16:00",
        "created  entries/2026/2026-12-10-weekly-sync.md  'Weekly sync' on 2026-12-10 16:00",
        "created  entries/2026/2026-12-17-weekly-sync.md  'Weekly sync' on 2026-12-17 16:00",
        "created 8 notes; 0 already in the journal; skipped 5: 1 declined, 1 cancelled, 1 with nobody else, 1 all-day, 1 outside the window",
    ]
    notes = notes_of(root)
    assert notes["entries/2026/2026-11-20-coffee-with-pat.md"] == (
        "---\n"
        "date: 2026-11-20 09:00\n"
        'title: "Coffee with Pat"\n'
        "with:\n"
        '  - "Pat Lee"\n'
        'where: "Rosie\'s Diner"\n'
        "follow_up: false\n"
        'event: "coffee@google.com"\n'
        "---\n"
    )
    assert notes["entries/2026/2026-11-26-weekly-sync.md"] == (
        "---\n"
        "date: 2026-11-26 16:00\n"
        'title: "Weekly sync"\n'
        "with:\n"
        '  - "Terry Nguyen"\n'
        'event: "sync@google.com 20261126T160000Z"\n'
        "---\n"
    )
    assert 'event: "sync@google.com 20261112T160000Z"' in notes["entries/2026/2026-11-13-weekly-sync-on-friday.md"]
    assert problems_of(root) == []


def test_outlook_names_zones_and_people_new_to_the_journal(root, cli):
    (root / "outlook.ics").write_bytes(OUTLOOK)
    done = cli("import", "calendar", "outlook.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    mars = line_of(OUTLOOK, "DTSTART;TZID=Mars")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"outlook.ics:{mars}: warning: DTSTART names the time zone 'Mars/Olympus', which the file does not define "
        "and journal does not know; this event is left out"
    ]
    assert done.stdout.splitlines() == [
        "created  entries/2026/2026-11-24-intro-call.md  'Intro call' on 2026-11-24 14:00",
        "created  entries/2026/2026-12-01-kickoff.md  'Kickoff' on 2026-12-01 14:00",
        "new person  Dana Whitfield <dana.whitfield@x.example> (name made from the address)",
        "created 2 notes; 0 already in the journal; skipped 1: 1 with a warning",
    ]
    assert notes_of(root)["entries/2026/2026-12-01-kickoff.md"] == (
        "---\n"
        "date: 2026-12-01 14:00\n"
        'title: "Kickoff"\n'
        "with:\n"
        '  - "Greg Mallory"\n'
        '  - "Robert Smith"\n'
        'event: "040000008200E00074C5B7101A82E008"\n'
        "---\n"
    )
    assert problems_of(root) == []


def test_all_day_events_on_request_and_a_dry_run_writes_nothing(root, cli):
    (root / "google.ics").write_bytes(GOOGLE)
    before = site_files(root)
    done = cli(
        "import", "calendar", "google.ics", "--root", str(root), "--today", TODAY_ARG, "--all-day", "--dry-run",
        "--from", "2026-11-10", "--to", "2026-11-10", cwd=root,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "would create  entries/2026/2026-11-10-print-fair.md  'Print fair' on 2026-11-10",
        "would create 1 note; 0 already in the journal; skipped 6: 6 outside the window",
    ]
    assert site_files(root) == before


def test_a_second_run_changes_nothing_and_a_moved_event_is_reported_at_its_note(root, cli):
    (root / "google.ics").write_bytes(GOOGLE)
    assert cli("import", "calendar", "google.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root).returncode == 0
    edited = root / "entries/2026/2026-11-20-coffee-with-pat.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "Pat wants an intro to a printer.\n", encoding="utf-8")
    before = site_files(root)
    moved = GOOGLE.replace(b"DTSTART:20261120T090000Z", b"DTSTART:20261121T100000Z")
    (root / "google.ics").write_bytes(moved)
    done = cli("import", "calendar", "google.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        "entries/2026/2026-11-20-coffee-with-pat.md:8: warning: the calendar now has this event on 2026-11-21 10:00, "
        "this note on 2026-11-20 09:00; the note is left as it is: change its 'date' if the meeting moved"
    ]
    assert done.stdout.splitlines()[-1] == (
        "created 0 notes; 8 already in the journal; skipped 5: 1 declined, 1 cancelled, 1 with nobody else, 1 all-day, 1 outside the window"
    )
    assert "exists  Coffee with Pat: entries/2026/2026-11-20-coffee-with-pat.md" in done.stdout.splitlines()
    assert site_files(root) == {**before, "google.ics": moved}


def test_a_name_close_to_someone_is_an_error_at_the_attendees_line_and_nothing_is_written(root, cli):
    data = ics(
        event("a@x", "Coffee", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), ME, person("t@typo.example", "Terry Nguyn")),
        event("b@x", "Tea", datetime(2026, 11, 21, 9, 0, tzinfo=UTC), ME, person("pat@lee.example")),
    )
    (root / "cal.ics").write_bytes(data)
    before = site_files(root)
    done = cli("import", "calendar", "cal.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"cal.ics:{line_of(data, 'Terry Nguyn')}: error: the note for 'Coffee' on 2026-11-20 09:00 would not pass "
        "journal check: 'Terry Nguyn' is not a contact (did you mean 'Terry Nguyen'?); if this is someone new, give "
        "them a card (journal new contact \"Terry Nguyn\") or add 'new: [Terry Nguyn]' to this note",
        "1 error in 1 file",
        "nothing written: the new notes would not pass journal check",
    ]
    assert done.stdout == ""
    assert site_files(root) == before


def test_two_meetings_on_one_day_and_a_long_summary_get_short_names_of_their_own(root, cli):
    long = "Quarterly planning " * 7  # 133 characters
    data = ics(
        event("a@x", long, datetime(2026, 11, 20, 9, 0, tzinfo=UTC), ME, person("pat@lee.example")),
        event("b@x", long, datetime(2026, 11, 20, 15, 0, tzinfo=UTC), ME, person("pat@lee.example")),
    )
    (root / "cal.ics").write_bytes(data)
    done = cli("import", "calendar", "cal.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 0, done.stderr
    assert sorted(notes_of(root)) == [
        "entries/2026/2026-11-20-quarterly-planning-quarterly-planning-quarterly-planning-2.md",
        "entries/2026/2026-11-20-quarterly-planning-quarterly-planning-quarterly-planning.md",
    ]
    assert f'title: "{long.strip()}"' in notes_of(root)[sorted(notes_of(root))[0]]
    assert problems_of(root) == []


def test_rules_that_would_never_end_are_bounded_by_the_window(root, cli):
    """A rule without end, a 100,000-occurrence rule, one every minute since 1970 and one that
    can never happen: the first two give their occurrences in the window, the others a
    warning at their line, and the command returns (no test times it)."""
    pat = person("pat@lee.example")
    data = ics(
        event("daily@x", "Standup", datetime(2000, 1, 3, 9, 0, tzinfo=LONDON), pat, rrule={"freq": "daily"}),
        event("many@x", "Check-in", datetime(2026, 11, 1, 8, 0, tzinfo=LONDON), pat, rrule={"freq": "daily", "count": 100000}),
        event("minute@x", "Ping", datetime(1970, 1, 1, tzinfo=UTC), pat, rrule={"freq": "minutely"}),
        event("never@x", "Never", datetime(2026, 1, 1, 9, 0, tzinfo=UTC), pat, rrule={"freq": "daily", "bymonth": 2, "bymonthday": 30}),
        event("often@x", "Often", datetime(2026, 11, 20, tzinfo=UTC), pat, rrule={"freq": "minutely", "count": 100000}),
    )  # fmt: skip
    (root / "cal.ics").write_bytes(data)
    done = cli(
        "import", "calendar", "cal.ics", "--root", str(root), "--today", TODAY_ARG, "--from", "2026-11-20", "--to", "2026-11-21", cwd=root
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"cal.ics:{event_line(data, 'minute@x')}: warning: its RRULE repeats more than 200,000 times between "
        "its start and 2026-11-21, too often to be a meeting; this event is left out",
        f"cal.ics:{event_line(data, 'never@x')}: warning: its RRULE names days that never come "
        "(like 30 February); this event is left out",
        f"cal.ics:{event_line(data, 'often@x')}: warning: it happens 2,880 times from 2026-11-20 "
        "to 2026-11-21; import it with a narrower --from and --to; this event is left out",
    ]
    assert done.stdout.splitlines()[-1] == "created 4 notes; 0 already in the journal; skipped 3: 3 with a warning"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nno colon here\nEND:VEVENT\nEND:VCALENDAR\n",
         ["bad.ics:5: error: not a calendar line: 'no colon here'"]),
        ("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VEVENT\nEND:VCALENDAR\n",
         ["bad.ics:3: error: 'END:VEVENT' has no 'BEGIN:' before it; 'BEGIN:VCALENDAR' on line 1 is still open"]),
        ("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\n",
         ["bad.ics:1: error: 'BEGIN:VCALENDAR' is never ended", "bad.ics:3: error: 'BEGIN:VEVENT' is never ended"]),
        ("Subject: hello\n\nnot a calendar\n",
         ["bad.ics:3: error: not a calendar line: 'not a calendar'"]),
        ("", ["bad.ics:1: error: not a calendar: an .ics file holds 'BEGIN:VCALENDAR' ... 'END:VCALENDAR'"]),
        (b"BEGIN:VCALENDAR\nSUMMARY:caf\xe9\n", ["bad.ics:2: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8"]),
    ],
)  # fmt: skip
def test_a_broken_file_is_errors_at_its_lines_and_nothing_is_written(root, cli, text, expected):
    (root / "bad.ics").write_bytes(text if isinstance(text, bytes) else text.encode())
    before = site_files(root)
    done = cli("import", "calendar", "bad.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 1
    assert done.stderr.splitlines()[:-1] == expected
    assert site_files(root) == before


def test_a_broken_event_is_left_out_with_a_warning(root, cli):
    data = ics(
        event("a@x", "Fine", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), ME, person("pat@lee.example")),
        event("b@x", "Broken", datetime(2026, 11, 21, 9, 0, tzinfo=UTC), ME, person("pat@lee.example")),
        event("c@x", "Bad rule", datetime(2026, 11, 22, 9, 0, tzinfo=UTC), ME, person("pat@lee.example")),
    )
    data = data.replace(b"DTSTART:20261121T090000Z", b"DTSTART:2026112").replace(
        b"UID:c@x", b"UID:c@x\r\nRRULE:FREQ=SOMETIMES"
    )
    (root / "cal.ics").write_bytes(data)
    done = cli("import", "calendar", "cal.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"cal.ics:{line_of(data, 'DTSTART:2026112$')}: warning: DTSTART cannot be read (Expected time, got: "
        "2026112); this event is left out",
        f"cal.ics:{line_of(data, 'RRULE:FREQ=SOMETIMES')}: warning: RRULE cannot be read (Expected frequency, got: "
        "SOMETIMES); this event is left out",
    ]
    assert done.stdout.splitlines()[-1] == "created 1 note; 0 already in the journal; skipped 2: 2 with a warning"


def test_the_settings_are_checked(make_journal):
    root = make_journal(
        {"journal.yaml": "timezone: Europe/Lodnon\nowner_emails: [alex@example.com, alex]\n", "entries/a.md": "---\ndate: 2026-10-01\n---\n"}
    )  # fmt: skip
    assert problems_of(root) == [
        "journal.yaml:1: error: 'timezone' must be a time zone like Europe/London or America/New_York, got "
        "'Europe/Lodnon' (did you mean 'Europe/London'?)",
        "journal.yaml:2: error: 'owner_emails' must be e-mail addresses like alex@example.com, got 'alex'",
    ]


def test_import_options_for_a_calendar_only(root, cli):
    done = cli("import", "vcard", "x.vcf", "--root", str(root), "--all-day", cwd=root)
    assert (done.returncode, done.stderr) == (
        2,
        "journal import vcard: error: --from and --to are for a calendar or a mailbox, --all-day for a calendar\n",
    )
    done = cli(
        "import", "calendar", "x.ics", "--root", str(root), "--from", "2026-12-01", "--to", "2026-11-01", cwd=root
    )
    assert (done.returncode, done.stderr) == (2, "journal import calendar: error: --from is after --to\n")


def test_a_meeting_already_written_by_hand_is_not_written_again(root, cli):
    (root / "entries/2026/2026-11-20-pat-lee.md").write_text(
        "---\ndate: 2026-11-20\nwith: pat lee\n---\n", encoding="utf-8"
    )
    data = ics(
        event("a@x", "Coffee with Pat", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), ME, person("pat@work.example")),
        event("b@x", "Coffee with Pat and Rob", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), ME, person("pat@lee.example"), person("rob@smith.example")),
    )  # fmt: skip
    (root / "cal.ics").write_bytes(data)
    done = cli("import", "calendar", "cal.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "exists  Coffee with Pat: entries/2026/2026-11-20-pat-lee.md (written by hand: the same day and people)",
        "created  entries/2026/2026-11-20-coffee-with-pat-and-rob.md  'Coffee with Pat and Rob' on 2026-11-20 09:00",
        "created 1 note; 1 already in the journal",
    ]


def test_a_card_may_list_several_addresses_and_odd_parameters_are_read(make_journal, cli):
    root = make_journal(
        {
            **JOURNAL,
            "entries/contacts/pat-lee.md": "---\nname: Pat Lee\nemail: [pat@lee.example, Pat@Home.example]\n---\n",
        }
    )
    data = ics(
        event("a@x", "Coffee", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), ME, person("pat@home.example", "P")),
    ).replace(b"ATTENDEE;CN=P:", b"ATTENDEE;CN=Lee, P;X_ODD=1:")
    assert b"ATTENDEE;CN=Lee, P;X_ODD=1:mailto:pat@home.example" in data  # an unquoted comma, an underscore
    (root / "cal.ics").write_bytes(data)
    done = cli("import", "calendar", "cal.ics", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 0, done.stderr
    assert '  - "Pat Lee"\n' in notes_of(root)["entries/2026/2026-11-20-coffee.md"]
    (root / "pat.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Patricia\nEMAIL:PAT@HOME.EXAMPLE\nEND:VCARD\n")
    done = cli("import", "vcard", "pat.vcf", "--root", str(root), cwd=root)
    assert done.stdout.splitlines()[0] == "exists  Patricia: entries/contacts/pat-lee.md (same e-mail)"
