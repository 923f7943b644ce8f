"""The brief before a meeting: `journal brief NAME [--json]`, and the "Before you meet" block on
contact pages and on the pages of meetings still to come (published redacted like the rest)."""

from __future__ import annotations

import json
from datetime import date

import html5lib
from bs4 import BeautifulSoup
from conftest import write_files
from sealed import leaks, read_tree

from journal.assemble import find_contact
from journal.build import build
from journal.pipeline import load
from journal.speed.incremental import Incremental
from journal.views import first_line, open_questions

TODAY = "2026-11-20"

JOURNAL = {
    "journal.yaml": """
        title: Brief journal
        owner: Alex Sample
        cadence_days: 30
    """,
    "entries/contacts/dana-whitfield.md": """
        ---
        name: Dana Whitfield
        aliases: [Dana]
        email: dana@whitfield.example
        status: prospect
        decide_by: 2026-11-30
        ---
        Insures small shops.

        ## Before I pursue this

        - [x] Worthwhile? Yes.
        - [ ] Who can vouch for her?
          - [ ] Time this quarter?

        ## Private

        - [ ] Does she still owe the bank SECRET-Q-41?
    """,
    "entries/contacts/dana-moss.md": """
        ---
        name: Dana Moss
        aliases: [Dana]
        ---
    """,
    "entries/2026/2026-10-01-coffee-dana.md": """
        ---
        date: 2026-10-01
        with: Dana Whitfield
        commitments:
          - by: me
            what: Send Dana the deck
            kind: favor
            due: 2026-10-10
            done: 2026-10-09
          - by: Dana Whitfield
            what: Introduce me to her insurer
            kind: introduction
            due: 2026-10-20
        gave:
          - to: Dana Whitfield
            what: A lead for a bakery
            kind: lead
        ---
        # Coffee with Dana

        Dana wants **bakeries**. She insures three.
    """,
    "entries/2026/2026-11-10-lunch-dana.md": """
        ---
        date: 2026-11-10
        with: Dana Whitfield
        commitments:
          - by: me
            what: Introduce Dana to Terry
            kind: introduction
            introducing: Terry Lu
            consent: asked
            due: 2026-11-25
          - by: me
            what: Send Dana my rate card
            kind: favor
            due: 2026-11-15
        ---
        # Lunch with Dana

        Talked about [Terry](https://terry.example) and
        the print run, at length and in detail, until the café closed and the chairs were up on every table.
    """,
    "entries/2026/2026-11-25-breakfast.md": """
        ---
        date: 2026-11-25
        with: [Dana Whitfield, Terry Lu]
        ---
        # Breakfast with Dana and Terry

        Agenda: the print run.
    """,
}

DANA = {
    "contact": "dana-whitfield",
    "name": "Dana Whitfield",
    "owed_by_me": [
        {
            "by": "me",
            "to": "dana-whitfield",
            "what": "Send Dana my rate card",
            "kind": "favor",
            "due": "2026-11-15",
            "days_overdue": 5,
            "source": "entries/2026/2026-11-10-lunch-dana.md",
            "line": 11,
        },
        {
            "by": "me",
            "to": "dana-whitfield",
            "what": "Introduce Dana to Terry",
            "kind": "introduction",
            "due": "2026-11-25",
            "days_overdue": -5,
            "source": "entries/2026/2026-11-10-lunch-dana.md",
            "line": 5,
        },
    ],
    "owed_to_me": [
        {
            "by": "dana-whitfield",
            "to": "me",
            "what": "Introduce me to her insurer",
            "kind": "introduction",
            "due": "2026-10-20",
            "days_overdue": 31,
            "source": "entries/2026/2026-10-01-coffee-dana.md",
            "line": 10,
        },
    ],
    "last_meetings": [
        {
            "date": "2026-11-10",
            "title": "Lunch with Dana",
            "source": "entries/2026/2026-11-10-lunch-dana.md",
            "first_line": "Talked about Terry and the print run, at length and in detail, until the café closed and the chairs…",
        },
        {
            "date": "2026-10-01",
            "title": "Coffee with Dana",
            "source": "entries/2026/2026-10-01-coffee-dana.md",
            "first_line": "Dana wants bakeries.",
        },
    ],
    "balance": 2,
    "given": 2,
    "received": 0,
    "last_exchange": "2026-10-09",
    "last_met": "2026-11-10",
    "days_since": 10,
    "last_contact": {"date": "2026-11-10", "channel": "in person", "source": "entries/2026/2026-11-10-lunch-dana.md"},
    "cadence": 30,
    "cadence_status": "on track",
    "decide_by": "2026-11-30",
    "open_questions": ["Who can vouch for her?", "Time this quarter?", "Does she still owe the bank SECRET-Q-41?"],
    "reliability": {
        "theirs": {"fell_due": 1, "kept_on_time": 0, "kept_late": 0, "open_overdue": 1, "dropped": 0},
        "mine": {"fell_due": 2, "kept_on_time": 1, "kept_late": 0, "open_overdue": 1, "dropped": 0},
    },
    "awaiting_consent": [
        {
            "by": "me",
            "to": "dana-whitfield",
            "what": "Introduce Dana to Terry",
            "kind": "introduction",
            "due": "2026-11-25",
            "days_overdue": -5,
            "source": "entries/2026/2026-11-10-lunch-dana.md",
            "line": 5,
            "introducing": "terry-lu",
            "consent": "asked",
        },
    ],
    "next_meeting": {
        "date": "2026-11-25",
        "time": None,
        "title": "Breakfast with Dana and Terry",
        "source": "entries/2026/2026-11-25-breakfast.md",
        "agenda": [],
    },
}


def test_brief_json_has_promises_both_ways_and_the_relationship(make_journal, cli):
    root = make_journal(JOURNAL)
    result = cli("brief", "Dana Whitfield", "--json", "--root", str(root), "--today", TODAY)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == DANA


def test_brief_text_reads_top_down(make_journal, cli):
    root = make_journal(JOURNAL)
    result = cli("brief", "dana-whitfield", "--root", str(root), "--today", TODAY)
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        result.stdout
        == """\
Before you meet Dana Whitfield
Next: Wed 25 Nov Breakfast with Dana and Terry.
Last met 2026-11-10 (10 days ago) · every 30 days: on track

I owe them (2):
  Send Dana my rate card · 5 days overdue
  Introduce Dana to Terry (Terry Lu: consent asked) · due in 5 days
They owe me (1):
  Introduce me to her insurer · 31 days overdue
Decide by 2026-11-30 (in 10 days)
Open questions (3):
  - Who can vouch for her?
  - Time this quarter?
  - Does she still owe the bank SECRET-Q-41?

Gave 2, got 0 (+2), last 2026-10-09
Their word: 0 of 1 due kept on time, 1 open and overdue · mine to them: 1 of 2 due kept on time, 1 open and overdue

Last meetings:
  2026-11-10  Lunch with Dana: Talked about Terry and the print run, at length and in detail, until the café closed and the chairs…
  2026-10-01  Coffee with Dana: Dana wants bakeries.
"""
    )


def test_brief_of_someone_never_met_asks_for_their_consent(make_journal, cli):
    """Terry is only in a note still to come: the first meeting is that one, and the
    introduction awaits their yes."""
    root = make_journal(JOURNAL)
    result = cli("brief", "TERRY LU", "--root", str(root), "--today", TODAY)
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        result.stdout
        == """\
Before you meet Terry Lu
Next: Wed 25 Nov Breakfast with Dana and Terry.
First meeting on 2026-11-25 · every 30 days

I owe them: nothing
They owe me: nothing
Ask them (1):
  may I introduce them to Dana Whitfield? (consent asked)

Nothing given or received yet
"""
    )


def test_brief_of_an_unknown_or_ambiguous_name_is_an_error(make_journal, cli):
    root = make_journal(JOURNAL)

    def brief(name: str) -> tuple[int, str, str]:
        result = cli("brief", name, "--root", str(root), "--today", TODAY)
        return result.returncode, result.stdout, result.stderr

    assert brief("Dana Whitfeld") == (
        1,
        "",
        "journal: no contact called 'Dana Whitfeld' (did you mean 'Dana Whitfield'?)\n",
    )
    assert brief("Quentin Zyx") == (1, "", "journal: no contact called 'Quentin Zyx'\n")
    assert brief("dana") == (
        1,
        "",
        "journal: 'dana' could be more than one contact: Dana Moss (dana-moss), Dana Whitfield (dana-whitfield); write the full name or the slug\n",
    )
    assert brief("Alex Sample") == (1, "", "journal: 'Alex Sample' is you; name the person you are meeting\n")


def test_a_name_on_the_command_line_is_found_as_a_note_finds_it(make_journal):
    """find_contact: the did-you-mean, ambiguity and 'is you' of a note's names (assemble.People)."""
    root = make_journal(
        {**JOURNAL, "entries/2026/2026-11-01-tea.md": "---\ndate: 2026-11-01\nwith: Robin Castellanos\n---\n"}
    )
    journal, problems, _ = load(root)
    assert problems == []
    assert find_contact(journal, "Dana Whitfield") == ("dana-whitfield", "")
    assert find_contact(journal, "DANA-WHITFIELD") == ("dana-whitfield", "")
    assert find_contact(journal, "robin castellanos") == ("robin-castellanos", "")
    assert find_contact(journal, "Quentin Zyx") == (None, "no contact called 'Quentin Zyx'")
    assert find_contact(journal, "Dana Whitfeld") == (
        None,
        "no contact called 'Dana Whitfeld' (did you mean 'Dana Whitfield'?)",
    )
    assert find_contact(journal, "Whitfield Dana") == (
        None,
        "no contact called 'Whitfield Dana' (did you mean 'Dana Whitfield'?)",
    )
    assert find_contact(journal, "Robin Castelanos") == (
        None,
        "no contact called 'Robin Castelanos' (did you mean 'Robin Castellanos'?)",
    )
    assert find_contact(journal, "Dana") == (
        None,
        "'Dana' could be more than one contact: Dana Moss (dana-moss), Dana Whitfield (dana-whitfield); write the full name or the slug",
    )
    assert find_contact(journal, "me") == (None, "'me' is you; name the person you are meeting")
    assert find_contact(journal, "alex sample") == (None, "'alex sample' is you; name the person you are meeting")


def _block(site, page: str):
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html5lib")
    return soup, soup.find(id="before-you-meet")


def test_the_brief_heads_contact_pages_and_upcoming_meetings_only(make_journal, cli, tmp_path):
    root = make_journal(JOURNAL)
    site = tmp_path / "site"
    result = cli("build", "--root", str(root), "--out", str(site), "--today", TODAY, "--quiet")
    assert (result.returncode, result.stderr) == (0, "")

    soup, block = _block(site, "contacts/dana-whitfield.html")
    assert soup.main.h1.find_next_sibling() is block  # at the top, under the name
    heads = [p.get_text(" ", strip=True) for p in block.select("p.brief-head")]
    assert heads == [
        "Next: Wed 25 Nov Breakfast with Dana and Terry",
        "I owe them (2)",
        "They owe me (1)",
        "Decide whether to pursue: due in 10 days",
        "Open questions (3)",
        "Last 2 meetings",
    ]
    assert [li.get_text(" ", strip=True) for li in block.select("ul.brief-items")[0].find_all("li")] == [
        "Send Dana my rate card · 5 days overdue",
        "Introduce Dana to Terry · due in 5 days · Terry Lu: consent asked",
    ]
    assert block.find("a", string="Lunch with Dana")["href"] == "../meetings/2026-11-10-lunch-dana.html"

    html5lib.HTMLParser(strict=True).parse(
        (site / "meetings/2026-11-25-breakfast.html").read_bytes()
    )  # raises on any parse error
    soup, block = _block(site, "meetings/2026-11-25-breakfast.html")
    assert soup.main.article.h1.find_next_sibling() is block
    people = block.find_all("div", class_="brief-person")
    assert [div.h3.get_text(strip=True) for div in people] == ["Dana Whitfield", "Terry Lu"]
    assert "Ask them (1)" in people[1].get_text(" ", strip=True)

    for past in ("meetings/2026-10-01-coffee-dana.html", "meetings/2026-11-10-lunch-dana.html"):
        assert _block(site, past)[1] is None, past


def test_a_meeting_with_one_person_shows_their_brief_without_a_name_heading(make_journal, cli, tmp_path):
    root = make_journal(
        {
            **JOURNAL,
            "entries/2026/2026-11-25-breakfast.md": "---\ndate: 2026-11-25\nwith: Dana Whitfield\n---\nAgenda.\n",
        }
    )
    site = tmp_path / "site"
    assert cli("build", "--root", str(root), "--out", str(site), "--today", TODAY, "--quiet").returncode == 0
    _, block = _block(site, "meetings/2026-11-25-breakfast.html")
    assert len(block.find_all("div", class_="brief-person")) == 1 and block.h3 is None


def test_the_published_brief_leaves_private_values_out(make_journal, cli, tmp_path):
    config = "title: Brief journal\npublish:\n  encrypt: false\n  site_id: 5e1f0c9a7b3d42e8a6c1f09b2d7e4a31\n  private_fields: [decide_by]\n"
    root = make_journal({**JOURNAL, "journal.yaml": config})
    out = tmp_path / "pub"
    result = cli(
        "build", "--publish", "--root", str(root), "--out", str(out), "--today", TODAY, env={"JOURNAL_PASSPHRASE": ""}
    )
    assert result.returncode == 0, result.stderr
    files = read_tree(out)
    assert leaks(files, ["SECRET-Q-41", "2026-11-30", "dana@whitfield.example", "whether to pursue"]) == []
    assert {secret for _, secret in leaks(files, ["Who can vouch for her?", "Before you meet"])} == {
        "Who can vouch for her?",
        "Before you meet",
    }


def test_open_questions_are_the_unchecked_checklist_items():
    notes = "- [ ] One?\n* [ ]  Two?\n- [x] Done.\n- [X] Done too.\n-[ ] not a list item\n- [ ]\n    - [ ] Nested?\n`- [ ] code`\n"
    assert open_questions(notes) == ("One?", "Two?", "Nested?")


def test_first_line_is_the_first_sentence_in_plain_words():
    assert first_line("\n## Agenda\n\nSecond paragraph.") == "Agenda"
    assert first_line("> **Bold** start. Then more.") == "Bold start."
    assert first_line("```\ncode\n```\n\nAfter the fence.") == "After the fence."
    assert first_line("Before the fence\n```\ncode\n```\nafter") == "Before the fence"
    assert first_line("word " * 30, limit=20) == "word word word word…"
    assert first_line("") == ""


def test_the_excerpt_of_a_past_meeting_does_not_say_its_title_again():
    body = "# Lunch with Rick\n\nWritten ahead. The answer is no."
    assert first_line(body, title="Lunch with Rick, to give him my answer") == "Written ahead."
    assert first_line("## Lunch With Rick!\n\nHe said yes.", title="Lunch with Rick") == "He said yes."
    assert first_line("# Lunch with Rick", title="Lunch with Rick") == ""
    assert first_line("# Agenda\n\nMore.", title="Lunch with Rick") == "Agenda"


def test_the_preview_shows_an_upcoming_meetings_brief_first_and_as_a_cold_build_does(make_journal, tmp_path):
    """A saved note still to come is rendered before the rest of the site (its first pages),
    with its people's briefs, byte for byte what the full render and a cold build write."""
    root = make_journal({path: text for path, text in JOURNAL.items() if "breakfast" not in path})
    today, out = date.fromisoformat(TODAY), tmp_path / "warm"
    memory = Incremental(root, out)
    assert memory.build(today).problems == ()
    upcoming = "entries/2026/2026-11-25-breakfast.md"
    write_files(root, {upcoming: JOURNAL[upcoming]})
    first: dict[str, bytes] = {}
    result = memory.build(today, first_pages=lambda paths: first.update({p: (out / p).read_bytes() for p in paths}))
    assert result.problems == ()
    assert (
        list(first) == ["meetings/2026-11-25-breakfast.html"]
        and b'id="before-you-meet"' in first["meetings/2026-11-25-breakfast.html"]
    )
    assert build(root, tmp_path / "cold", today).problems == ()
    assert read_tree(out) == read_tree(tmp_path / "cold")
    assert (
        first["meetings/2026-11-25-breakfast.html"]
        == read_tree(tmp_path / "cold")["meetings/2026-11-25-breakfast.html"]
    )


def test_the_demo_journal_has_a_brief_with_something_in_every_part(tmp_path, cli):
    from conftest import REPO

    result = cli("brief", "Linda", "--json", "--root", str(REPO), "--today", "2026-11-23")
    assert (result.returncode, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    empty = [
        key
        for key in ("owed_by_me", "owed_to_me", "last_meetings", "decide_by", "open_questions", "last_met")
        if not data[key]
    ]
    assert empty == []


UPCOMING = {
    "journal.yaml": "owner: Alex Sample\n",
    "entries/2026/2026-12-18-lunch-greg.md": """
        ---
        date: 2026-12-18 12:30
        title: Lunch with Greg
        with: Greg Mallory
        commitments:
          - by: me
            what: Bring the printer's quote
            due: 2026-12-18
          - by: Greg Mallory
            what: Introduce me to his accountant
            kind: introduction
        ---
        Agenda.
    """,
}


def test_the_brief_names_the_meeting_about_to_happen_first(make_journal, cli, tmp_path):
    root = make_journal(UPCOMING)
    text = cli("brief", "Greg Mallory", "--root", str(root), "--today", "2026-12-10")
    assert (text.returncode, text.stderr) == (0, "")
    assert text.stdout.splitlines()[:5] == [
        "Before you meet Greg Mallory",
        "Next: Fri 18 Dec 12:30 Lunch with Greg.",
        "You bring: Bring the printer's quote.",
        "They bring: Introduce me to his accountant.",
        "First meeting on 2026-12-18 · every 90 days",
    ]
    assert "I owe them: nothing" not in text.stdout and "They owe me: nothing" not in text.stdout
    data = json.loads(cli("brief", "greg-mallory", "--json", "--root", str(root), "--today", "2026-12-10").stdout)
    assert data["next_meeting"] == {
        "date": "2026-12-18",
        "time": "12:30",
        "title": "Lunch with Greg",
        "source": "entries/2026/2026-12-18-lunch-greg.md",
        "agenda": [
            {"by": "me", "to": "greg-mallory", "what": "Bring the printer's quote", "due": "2026-12-18"},
            {"by": "greg-mallory", "to": "me", "what": "Introduce me to his accountant", "due": "2026-12-25"},
        ],
    }
    site = tmp_path / "site"
    assert cli("build", "--root", str(root), "--out", str(site), "--today", "2026-12-10", "--quiet").returncode == 0
    for page in ("meetings/2026-12-18-lunch-greg.html", "contacts/greg-mallory.html"):
        _, block = _block(site, page)
        said = block.get_text(" ", strip=True)
        assert "Next: Fri 18 Dec 12:30 Lunch with Greg" in said
        assert "You bring: Bring the printer's quote" in said
        assert "First meeting on 2026-12-18" in said and "Not met yet" not in said
        assert "I owe them: nothing" not in said and "They owe me: nothing" not in said
