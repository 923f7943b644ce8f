"""`follow_up` says with whom: a list of the people met, or each with a date."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from conftest import TODAY

from journal import views
from journal.pipeline import load

BREAKFAST = """
    ---
    date: 2026-11-10
    title: Chapter breakfast
    with: [Dana Fox, Eli Park, Fay Ng, Gus Oh]
    follow_up: {follow_up}
    ---
"""


def load_journal(make_journal, files):
    journal, problems, _ = load(make_journal(files))
    return journal, [str(p) for p in problems]


def test_a_list_follows_up_only_the_people_named_by_the_default_date(make_journal):
    journal, problems = load_journal(
        make_journal,
        {
            "entries/2026/2026-11-01-coffee.md": "---\ndate: 2026-11-01\nwith: Gus Oh\nfollow_up: 2026-11-20\n---\n",
            "entries/2026/2026-11-10-breakfast.md": BREAKFAST.format(follow_up="[Eli Park, dana fox]"),
        },
    )
    assert problems == []
    breakfast = journal.meeting("2026-11-10-breakfast")
    assert breakfast.follow_ups == (("dana-fox", date(2026, 11, 12)), ("eli-park", date(2026, 11, 12)))
    # Gus was met again at the breakfast, so the coffee's follow-up is cleared; Fay gets none
    assert [(f.contact, f.due, f.days_overdue) for f in views.follow_ups_due(journal, TODAY)] == [
        ("dana-fox", date(2026, 11, 12), 11),
        ("eli-park", date(2026, 11, 12), 11),
    ]


def test_a_mapping_gives_each_their_date_or_the_default(make_journal):
    journal, problems = load_journal(
        make_journal,
        {
            "entries/2026/2026-11-10-breakfast.md": BREAKFAST.format(
                follow_up="\n      Dana Fox: 2026-11-30\n      Eli Park:"
            ),
        },
    )
    assert problems == []
    assert journal.meeting("2026-11-10-breakfast").follow_ups == (
        ("dana-fox", date(2026, 11, 30)),
        ("eli-park", date(2026, 11, 12)),
    )
    assert [f.contact for f in views.follow_ups_due(journal, TODAY)] == ["eli-park"]


def test_an_empty_list_is_no_one_and_false_is_no_one(make_journal):
    journal, problems = load_journal(
        make_journal,
        {
            "entries/2026/a.md": BREAKFAST.format(follow_up="[]"),
            "entries/2026/b.md": BREAKFAST.format(follow_up="false").replace("2026-11-10", "2026-11-11"),
        },
    )
    assert problems == []
    assert [m.follow_ups for m in journal.meetings] == [(), ()]


def test_names_must_be_people_met_once_each_and_dates_real(make_journal):
    _, problems = load_journal(
        make_journal,
        {
            "entries/2026/a.md": BREAKFAST.format(follow_up="[Dana Fox, Zoe Quinn, me, Dana Fox]"),
            "entries/2026/b.md": BREAKFAST.format(follow_up="\n      Dana Fox: soon\n      Eli Park: 2026-02-30"),
            "entries/2026/c.md": "---\ndate: 2026-11-10\nfollow_up: [Dana Fox]\n---\n",
            "entries/2026/d.md": BREAKFAST.format(follow_up="Dana Fox"),
        },
    )
    met = "the people met are Dana Fox, Eli Park, Fay Ng, Gus Oh"
    assert problems == [
        "entries/2026/a.md:5: error: 'follow_up' names 'Dana Fox' twice",
        f"entries/2026/a.md:5: error: 'follow_up' names 'Zoe Quinn', who is not in 'with'; {met}",
        "entries/2026/a.md:5: error: 'follow_up' names the people to follow up with; leave yourself out",
        "entries/2026/b.md:6: error: 'follow_up' for 'Dana Fox' must be a date like 2026-10-03 (or nothing, for the default), got 'soon'",
        "entries/2026/b.md:7: error: 'follow_up' for 'Eli Park' must be a date like 2026-10-03 (or nothing, for the default), got '2026-02-30'",
        "entries/2026/c.md:3: error: 'follow_up' names 'Dana Fox', who is not in 'with'; 'with' names nobody",
        "entries/2026/d.md:5: error: 'follow_up' must be a date like 2026-10-03, false, or the people to follow up with ([Dana, Eli]), got 'Dana Fox'",
    ]


def test_the_meeting_page_says_whom_to_follow_up(make_journal, cli):
    root = make_journal(
        {
            "entries/2026/2026-11-10-breakfast.md": BREAKFAST.format(follow_up="{Dana Fox: 2026-11-30, Eli Park: }"),
            "entries/2026/2026-11-12-coffee.md": "---\ndate: 2026-11-12\nwith: [Hal Ito, Ida Lu]\n---\n",
        }
    )
    assert cli("build", "--root", str(root), "--today", TODAY.isoformat()).returncode == 0

    def follow_up(page):
        html = BeautifulSoup((root / "site/meetings" / page).read_text(encoding="utf-8"), "html5lib")
        return " ".join(html.find("dt", string="Follow-up").find_next_sibling("dd").get_text().split())

    assert follow_up("2026-11-10-breakfast.html") == "Dana Fox by 2026-11-30, Eli Park by 2026-11-12"
    assert follow_up("2026-11-12-coffee.html") == "by 2026-11-14"
