"""calendar.ics: parsed back with icalendar and checked item by item against the model."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
from conftest import made_with_and_without_memory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import calendar, views
from journal.model import LAST_DATE
from journal.pipeline import load
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


def _written_as(text: str) -> str:
    """What a TEXT value reads back as: line breaks as LF, other control characters gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char in "\t\n" or not (char < " " or char == "\x7f"))


def _text_read_strictly(component: bytes, name: bytes) -> str:
    """A property's TEXT value read by RFC 5545's rules alone (3.1 unfolding, 3.3.11 escapes):
    an unescaped comma or semicolon, an unknown escape or a control character fails."""
    lines = component.replace(b"\r\n ", b"").split(b"\r\n")
    (value,) = (line[len(name) + 1 :] for line in lines if line.startswith(name + b":"))
    text, escaped = [], False
    for char in value.decode("utf-8"):
        if escaped:
            assert char in "\\;,nN", f"unknown escape \\{char}"
            text.append("\n" if char in "nN" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            assert char not in ",;" and (char == "\t" or not (char < " " or char == "\x7f")), repr(char)
            text.append(char)
    assert not escaped
    return "".join(text)


def _folds_inside_an_escape(component: bytes) -> bool:
    """Whether a fold comes between a backslash and the character it escapes."""
    logical = b""
    for line in component.split(b"\r\n")[:-1]:
        if line.startswith(b" "):
            trailing = len(logical) - len(logical.rstrip(b"\\"))
            if trailing % 2:
                return True
            line = line[1:]
        else:
            logical = b""
        logical += line
    return False


# Text as notes hold it, with the characters the format is particular about, put where the
# lines fold: after some padding, and repeated.
TRICKY = st.sampled_from('\\;,:"\r\n\t\x00\x1b\x7f aé€😀N') | st.characters(blacklist_categories=("Cs",))
NOTE_TEXT = st.builds(
    lambda padding, text, times: "p" * padding + text * times,
    st.integers(0, 160),
    st.text(TRICKY, max_size=40),
    st.integers(1, 6),
)
FUZZ = settings(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(FUZZ, max_examples=500)
@given(summary=NOTE_TEXT, description=NOTE_TEXT, kind=st.sampled_from(["event", "todo"]))
def test_any_text_reads_back_as_written_from_lines_of_75_octets(summary, description, kind):
    """journal writes the feed itself (calendar.content_line, text_value): whatever a note's
    text holds, icalendar reads back each value as written, no line is longer than 75 octets
    or splits a character, no fold falls inside an escape, and no text starts a property."""
    item = calendar._Item(
        kind, f"{kind}-x@journal", date(2026, 10, 3), summary, description, "https://e.org/m/a.html", date(2026, 10, 9)
    )
    component = calendar._component_bytes(item)
    lines = component.split(b"\r\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        assert len(line) <= calendar.LINE_OCTETS
        line.decode("utf-8")  # whole characters on every line
    assert not _folds_inside_an_escape(component)
    assert _text_read_strictly(component, b"SUMMARY") == _written_as(summary)
    assert _text_read_strictly(component, b"DESCRIPTION") == _written_as(description)
    parsed = icalendar.Component.from_ical(component)
    assert str(parsed["summary"]) == _written_as(summary)
    assert str(parsed["description"]) == _written_as(description)
    assert sorted(parsed) == sorted(
        ["UID", "DTSTAMP", "SUMMARY", "DESCRIPTION", "URL"]
        + (["DTSTART", "DTEND", "TRANSP"] if kind == "event" else ["DUE", "STATUS"])
    )
    assert parsed.decoded("dtstamp") == datetime(2026, 10, 3, tzinfo=UTC)
