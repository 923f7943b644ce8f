"""A note dated after today is an upcoming meeting: nothing in it counts until its date."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from conftest import TODAY, journal_of

from journal import views

JOURNAL = {
    "entries/contacts/sam-example.md": "---\nname: Sam Example\ncadence: 14\n---\n",
    "entries/2026/2026-11-02-coffee.md": """
        ---
        date: 2026-11-02
        title: Coffee with Sam
        with: Sam Example
        commitments:
          - {by: me, what: send the deck, due: 2026-11-20, id: deck}
        ---
    """,
    "entries/2026/2026-11-25-lunch.md": """
        ---
        date: 2026-11-25 12:30
        title: Lunch with Sam and Ana
        with: [Sam Example, Ana Ruiz]
        fulfills: [deck]
        commitments:
          - {by: me, to: Sam Example, what: bring the printed brochure, due: 2026-11-26}
          - {by: Ana Ruiz, what: send her venue list}
        gave:
          - {to: Ana Ruiz, what: a signed copy of the book, kind: favor}
        ---
    """,
    "entries/2026/2026-12-10-later.md": """
        ---
        date: 2026-12-10
        title: Call with Lou
        with: Lou Park
        ---
    """,
}


def test_an_upcoming_meeting_is_not_met_yet(make_journal):
    journal = journal_of(make_journal(JOURNAL))
    last = views.last_meetings(journal, TODAY)
    assert {person: meeting.slug for person, meeting in last.items()} == {"sam-example": "2026-11-02-coffee"}
    # Sam's follow-up from the coffee still stands (nothing cleared it), and nobody gets one from the lunch
    assert [(f.contact, f.met, f.due, f.meeting) for f in views.follow_ups_due(journal, TODAY)] == [
        ("sam-example", date(2026, 11, 2), date(2026, 11, 4), "2026-11-02-coffee")
    ]
    assert views.going_cold(journal, TODAY) == [views.GoingCold("sam-example", date(2026, 11, 2), 14, 21)]
    assert views.reciprocity(journal, TODAY) == []


def test_its_promises_are_agenda_and_its_closings_wait_for_its_date(make_journal):
    journal = journal_of(make_journal(JOURNAL))
    mine, theirs = views.overdue_commitments(journal, TODAY)
    # the lunch will fulfil the deck: until then the deck is 3 days overdue
    assert [(o.commitment.what, o.days_overdue) for o in mine] == [("send the deck", 3)] and theirs == []
    assert views.upcoming_commitments(journal, TODAY) == []  # the brochure is not promised yet
    assert [c.what for c in views.open_commitments(journal, TODAY)] == ["send the deck"]
    assert views.my_reliability(journal, TODAY) == views.Reliability(1, 0, 0, 1)
    assert [c.what for c in views.promises_by_contact(journal, TODAY)["sam-example"]] == ["send the deck"]
    assert "ana-ruiz" not in views.promises_by_contact(journal, TODAY)


def test_on_its_date_it_counts_as_met(make_journal):
    journal = journal_of(make_journal(JOURNAL))
    day = date(2026, 11, 25)
    assert {p: m.slug for p, m in views.last_meetings(journal, day).items()} == {
        "sam-example": "2026-11-25-lunch",
        "ana-ruiz": "2026-11-25-lunch",
    }
    assert views.overdue_commitments(journal, day) == ([], [])
    assert [c.what for c in views.upcoming_commitments(journal, day)] == [
        "bring the printed brochure",
        "send her venue list",
    ]
    assert [(r.contact, r.given) for r in views.reciprocity(journal, day)] == [("ana-ruiz", 1), ("sam-example", 1)]
    assert views.my_reliability(journal, day) == views.Reliability(1, 0, 1, 0)  # the deck, kept late by the lunch


def test_upcoming_meetings_are_the_next_seven_days_soonest_first(make_journal):
    journal = journal_of(
        make_journal(
            {
                **JOURNAL,
                "entries/2026/2026-11-23-today.md": "---\ndate: 2026-11-23\nwith: Kim\n---\n",
                "entries/2026/2026-11-30-week.md": "---\ndate: 2026-11-30\nwith: Kim\n---\n",
            }
        )
    )
    assert [m.slug for m in views.upcoming_meetings(journal, TODAY)] == ["2026-11-25-lunch", "2026-11-30-week"]
    assert [m.slug for m in views.upcoming_meetings(journal, TODAY, days=30)] == [
        "2026-11-25-lunch",
        "2026-11-30-week",
        "2026-12-10-later",
    ]


def test_a_done_date_still_to_come_leaves_the_promise_open(make_journal):
    journal = journal_of(
        make_journal(
            {
                "entries/a.md": "---\ndate: 2026-11-01\nwith: Bob\ncommitments:\n  - {by: me, what: x, due: 2026-11-10, done: 2026-11-30}\n---\n",
            }
        )
    )
    assert [(o.commitment.what, o.days_overdue) for o in views.overdue_commitments(journal, TODAY)[0]] == [("x", 13)]
    assert views.overdue_commitments(journal, date(2026, 11, 30)) == ([], [])


def test_the_dashboard_lists_what_is_coming_up_with_links_to_the_brief(make_journal, cli):
    root = make_journal(JOURNAL)
    result = cli("build", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    dashboard = BeautifulSoup((root / "site/index.html").read_text(encoding="utf-8"), "html5lib")
    section = dashboard.find("section", id="coming-up")
    assert section.find("h2").get_text() == "Coming up"
    (item,) = section.find_all("li")
    assert " ".join(item.get_text().split()) == "Wed 25 Nov 2026, 12:30 Sam Example, Ana Ruiz Lunch with Sam and Ana"
    assert [a["href"] for a in item.find_all("a")] == [
        "contacts/sam-example.html",
        "contacts/ana-ruiz.html",
        "meetings/2026-11-25-lunch.html#before-you-meet",
    ]
    assert "Call with Lou" not in section.get_text()  # more than seven days ahead
    contact = BeautifulSoup((root / "site/contacts/sam-example.html").read_text(encoding="utf-8"), "html5lib")
    # Written ahead, the promise is the next meeting's agenda ("You bring"), not yet owed.
    brief = contact.find(id="before-you-meet")
    owed = [li.get_text(" ", strip=True) for li in brief.select("ul.brief-items")[0].find_all("li")]
    assert owed == ["send the deck · 3 days overdue"]
    assert "You bring: bring the printed brochure" in brief.get_text(" ", strip=True)


def test_nothing_coming_up_says_so(make_journal, cli):
    root = make_journal({"entries/a.md": "---\ndate: 2026-11-01\nwith: Bob\n---\n"})
    assert cli("build", "--root", str(root), "--today", TODAY.isoformat()).returncode == 0
    dashboard = BeautifulSoup((root / "site/index.html").read_text(encoding="utf-8"), "html5lib")
    assert dashboard.find("section", id="coming-up").find("p").get_text() == "No meetings in the next seven days."
