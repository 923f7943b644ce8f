"""calendar.ics: parsed back with icalendar and checked item by item against the model."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
from conftest import made_with_and_without_memory

from journal import calendar, views
from journal.load import load
from journal.model import LAST_DATE
from journal.plan import SitePaths

JOURNAL = {
    "journal.yaml": "title: Alex's journal\nbase_url: https://example.org/j/\n",
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        company: Lee Print
        decide_by: 2026-11-01
        ---
    """,
    "entries/contacts/dana.md": """
        ---
        name: Dana Fox
        status: active
        decide_by: 2026-11-01
        ---
    """,
    "entries/2026/2026-10-01-pat.md": """
        ---
        date: 2026-10-01
        title: Coffee with Pat
        with: Pat Lee
        commitments:
          - by: me
            what: Introduce Pat to Terry, the printer; soon
            due: 2026-10-10
          - by: Pat Lee
            what: Send the quote
            due: 2026-10-05
          - by: me
            what: Already done
            done: true
        ---
    """,
    "entries/2026/2026-10-03-dana.md": """
        ---
        date: 2026-10-03
        with: Dana Fox
        follow_up: 2026-10-06
        commitments:
          - by: me
            what: Send Dana the deck
            id: dana-deck
            due: 3d
        ---
    """,
}


def _feed(root):
    return icalendar.Calendar.from_ical((root / "site/calendar.ics").read_bytes())


def _by_summary(calendar, kind):
    return {str(item["summary"]): item for item in calendar.walk(kind)}


def test_every_event_and_todo_matches_the_model(make_journal, cli):
    root = make_journal(JOURNAL)
    assert cli("build", "--root", str(root), "--today", "2026-10-04").returncode == 0
    journal, problems, _ = load(root)
    assert problems == []
    calendar = _feed(root)
    assert str(calendar["x-wr-calname"]) == "Alex's journal"
    events, todos = _by_summary(calendar, "VEVENT"), _by_summary(calendar, "VTODO")

    mine = [c for c in views.open_commitments(journal, LAST_DATE) if c.is_mine]
    expected_events = {f"Promise to {journal.name_of(c.to)}: {c.what}": c.due for c in mine}
    expected_events["Follow up with Pat Lee"] = date(2026, 10, 3)
    expected_events["Follow up with Dana Fox"] = date(2026, 10, 6)
    expected_events["Decide whether to pursue Pat Lee"] = date(2026, 11, 1)
    assert {summary: event.decoded("dtstart") for summary, event in events.items()} == expected_events
    for event in events.values():
        assert event.decoded("dtend") == event.decoded("dtstart") + timedelta(days=1)
        assert str(event["transp"]) == "TRANSPARENT"

    expected_todos = {
        "Promise to Pat Lee: Introduce Pat to Terry, the printer; soon": date(2026, 10, 10),
        "Pat Lee owes me: Send the quote": date(2026, 10, 5),
        "Promise to Dana Fox: Send Dana the deck": date(2026, 10, 6),
    }
    assert {summary: todo.decoded("due") for summary, todo in todos.items()} == expected_todos
    assert {str(todo["status"]) for todo in todos.values()} == {"NEEDS-ACTION"}
    deck = todos["Promise to Dana Fox: Send Dana the deck"]
    assert deck.decoded("dtstamp") == datetime(2026, 10, 3, tzinfo=UTC)
    assert str(deck["url"]) == "https://example.org/j/meetings/2026-10-03-dana.html"
    uids = [str(item["uid"]) for item in calendar.walk() if "uid" in item]
    assert len(uids) == len(set(uids)) == len(events) + len(todos)


def test_the_feed_is_byte_identical_and_uids_survive_other_edits(make_journal, cli, tmp_path):
    root = make_journal(JOURNAL)
    assert cli("build", "--root", str(root), "--today", "2026-10-04").returncode == 0
    first = (root / "site/calendar.ics").read_bytes()
    assert cli("build", "--root", str(root), "--today", "2026-12-25").returncode == 0
    assert (root / "site/calendar.ics").read_bytes() == first
    uids_before = {str(item["summary"]): str(item["uid"]) for item in _feed(root).walk("VTODO")}
    (root / "entries/2026/2026-09-01-early.md").write_text(
        "---\ndate: 2026-09-01\nwith: Dana Fox\n---\n", encoding="utf-8"
    )
    assert cli("build", "--root", str(root), "--today", "2026-10-04").returncode == 0
    uids_after = {str(item["summary"]): str(item["uid"]) for item in _feed(root).walk("VTODO")}
    assert uids_after == uids_before


def test_a_feed_put_together_from_remembered_runs_equals_one_made_afresh(make_journal, monkeypatch):
    """A preview remembers the components of each run of meetings' promises while those
    meetings and the contacts naming them are the very same objects: after an edit, a
    renamed contact and a promise written twice (told apart by its uid's suffix), the feed
    is what a build with no memory writes. Runs of one meeting, so the journal spans several."""
    monkeypatch.setattr(calendar, "_MEETINGS", 1)
    twice = "  - by: me\n    what: Send Dana the map\n"
    root = make_journal(JOURNAL)
    both = made_with_and_without_memory(
        root, lambda journal, remember: calendar.calendar_feed(journal, SitePaths(), remember)
    )

    assert len(set(both())) == 1
    dana = root / "entries/2026/2026-10-03-dana.md"
    dana.write_text(dana.read_text().replace("commitments:\n", "commitments:\n" + twice + twice))
    remembered, afresh = both()
    assert remembered == afresh
    uids = [
        str(todo["uid"]) for todo in icalendar.Calendar.from_ical(afresh).walk("VTODO") if "map" in str(todo["summary"])
    ]
    assert len(uids) == 2 and len(set(uids)) == 2
    (root / "entries/contacts/pat-lee.md").write_text("---\nname: Pat Okafor\ndecide_by: 2026-11-01\n---\n")
    (root / "entries/contacts/dana.md").write_text("---\nname: Dana Wolf\naliases: [Dana Fox]\nstatus: active\n---\n")
    remembered, afresh = both()
    unfolded = remembered.replace(b"\r\n ", b"")
    assert remembered == afresh and b"Pat Okafor owes" in unfolded and b"Follow up with Dana Wolf" in unfolded
