"""Closing a promise from a later note: `id`, `fulfills`, `releases`, and their errors."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from journal.pipeline import load

FIRST = """
    ---
    date: 2026-10-01
    with: Pat Lee
    commitments:
      - by: me
        what: Introduce Pat to Terry
        id: pat-terry
      - by: Pat Lee
        what: Send the brochure quote
        id: pat-quote
    ---
    Coffee.
"""


def _errors(root):
    return [str(p) for p in load(root)[1]]


def test_fulfills_and_releases_close_promises_with_the_later_note_date(make_journal):
    root = make_journal(
        {
            "entries/2026/a.md": FIRST,
            "entries/2026/b.md": """
            ---
            date: 2026-10-09
            with: Pat Lee
            fulfills: [pat-terry]
            releases: [pat-quote]
            ---
            Lunch.
        """,
        }
    )
    journal, problems, _ = load(root)
    assert problems == []
    done, released = journal.meetings[0].commitments
    assert (done.done, done.done_on, done.closed_in, done.is_open) == (True, date(2026, 10, 9), "b", False)
    assert (released.dropped, released.closed_in, released.is_open) == ("released", "b", False)


def test_unknown_duplicate_and_doubly_closed_ids_are_errors_at_their_line(make_journal):
    root = make_journal(
        {
            "entries/2026/a.md": FIRST,
            "entries/2026/b.md": """
            ---
            date: 2026-10-05
            with: Pat Lee
            fulfills: [pat-terry, pat-tery]
            commitments:
              - by: me
                what: Something else
                id: pat-quote
            ---
        """,
            "entries/2026/c.md": """
            ---
            date: 2026-10-06
            with: Pat Lee
            releases:
              - pat-terry
              - pat quote
            ---
        """,
        }
    )
    assert _errors(root) == [
        "entries/2026/b.md:4: error: 'fulfills' names 'pat-tery', but no promise has that id (did you mean 'pat-terry'?)",
        "entries/2026/b.md:8: error: id 'pat-quote' is already used by the promise at entries/2026/a.md:10",
        "entries/2026/c.md:5: error: 'pat-terry' is already closed at entries/2026/b.md:4",
        "entries/2026/c.md:6: error: 'releases' lists commitment ids, one word each like 'pat-intro', got 'pat quote'",
    ]


def test_closing_a_promise_already_done_or_made_later_is_an_error(make_journal):
    root = make_journal(
        {
            "entries/a.md": """
            ---
            date: 2026-10-01
            with: Pat Lee
            fulfills: [later]
            commitments:
              - by: me
                what: Done already
                id: done-one
                done: 2026-10-02
            ---
        """,
            "entries/b.md": """
            ---
            date: 2026-10-03
            with: Pat Lee
            fulfills: [done-one]
            commitments:
              - by: me
                what: Promised later
                id: later
            ---
        """,
        }
    )
    assert _errors(root) == [
        "entries/a.md:4: error: 'later' was promised on 2026-10-03, after this note",
        "entries/b.md:4: error: 'done-one' is already closed where it was promised, entries/a.md:6",
    ]


def test_contact_and_overdue_pages_say_where_a_promise_was_closed(make_journal, cli):
    root = make_journal(
        {
            "entries/2026/a.md": FIRST,
            "entries/2026/b.md": """
            ---
            date: 2026-10-09
            title: Lunch with Pat
            with: Pat Lee
            fulfills: [pat-terry]
            ---
        """,
        }
    )
    result = cli("build", "--root", str(root), "--today", "2026-10-20")
    assert result.returncode == 0, result.stderr
    contact = BeautifulSoup((root / "site/contacts/pat-lee.html").read_text(), "html5lib")
    closed = contact.find(id="closed").find("li")
    assert closed.find(class_="closed").get_text(" ", strip=True) == "closed in Lunch with Pat"
    assert closed.find(class_="closed").a["href"] == "../meetings/b.html"
    overdue = BeautifulSoup((root / "site/overdue/index.html").read_text(), "html5lib")
    items = overdue.find(id="closed").find_all("li")
    assert [li.find(class_="what").get_text() for li in items] == ["Introduce Pat to Terry"]
    assert items[0].find(class_="status").get_text(strip=True) == "done 2026-10-09, past its due date"
