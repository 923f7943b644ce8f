"""Entry format: every field read as documented, every problem reported as path:line: message."""

from __future__ import annotations

from datetime import date

from conftest import journal_of, problems_of

from journal.model import ME
from journal.pipeline import load

NOTE = "entries/2026/2026-10-01-coffee-pat.md"


def test_a_full_note_reads_every_field(make_journal):
    root = make_journal(
        {
            "journal.yaml": "follow_up_days: 3\ndefault_due_days: 10\n",
            "entries/contacts/pat-lee.md": """
            ---
            name: Pat Lee
            aliases: [Pat]
            ---
        """,
            NOTE: """
            ---
            date: 2026-10-01 08:30
            title: Breakfast at Rosie's
            with: [Pat, Terry Nguyen]
            where: Rosie's Diner
            tags: [bni, printing]
            commitments:
              - by: me
                to: pat lee
                what: Introduce Pat to Terry
                kind: introduction
                introducing: Terry Nguyen
                consent: asked
                due: 2w
              - by: Pat
                what: Send me Jane and Terry
                kind: referral
                done: 2026-10-05
              - by: Terry Nguyen
                what: Quote for the brochure
                dropped: retired
            gave:
              - to: Terry Nguyen
                what: A lead at the bakery
                kind: lead
                date: 2026-10-02
            received:
              - from: Pat
                what: A seat at the chamber lunch
                kind: favor
            ---
            Body text.
        """,
        }
    )
    journal = journal_of(root)
    (meeting,) = journal.meetings
    assert meeting.date == date(2026, 10, 1) and meeting.time == "08:30"
    assert meeting.title == "Breakfast at Rosie's"
    assert meeting.people == ("pat-lee", "terry-nguyen")
    assert meeting.where == "Rosie's Diner"
    assert meeting.tags == ("bni", "printing")
    assert meeting.follow_ups == (("pat-lee", date(2026, 10, 4)), ("terry-nguyen", date(2026, 10, 4)))
    assert meeting.body.strip() == "Body text."
    mine, pats, terrys = meeting.commitments
    assert (mine.by, mine.to, mine.kind, mine.introducing, mine.consent) == (
        ME,
        "pat-lee",
        "introduction",
        "terry-nguyen",
        "asked",
    )
    assert mine.due == date(2026, 10, 15) and mine.line == 8
    assert (pats.by, pats.to, pats.done, pats.done_on, pats.due) == (
        "pat-lee",
        ME,
        True,
        date(2026, 10, 5),
        date(2026, 10, 11),
    )
    assert (terrys.dropped, terrys.is_open) == ("retired", False)
    gave, received = meeting.exchanges
    assert (gave.giver, gave.receiver, gave.kind, gave.on) == (ME, "terry-nguyen", "lead", date(2026, 10, 2))
    assert (received.giver, received.receiver, received.kind, received.on) == (
        "pat-lee",
        ME,
        "favor",
        date(2026, 10, 1),
    )
    assert [c.slug for c in journal.contacts] == ["pat-lee", "terry-nguyen"]
    assert journal.contact("terry-nguyen").has_card is False


def test_defaults_title_from_heading_then_file_name(make_journal):
    root = make_journal(
        {
            "entries/a.md": "---\ndate: 2026-10-01\n---\n\n# Lunch with Bob\n\nWe ate.\n",
            "entries/b-mixer.md": "---\ndate: 2026-10-02\n---\nNo heading.\n",
        }
    )
    first, second = journal_of(root).meetings
    assert first.title == "Lunch with Bob" and "# Lunch" not in first.body
    assert second.title == "b-mixer"


def test_default_to_follow_up_and_due(make_journal):
    root = make_journal(
        {
            "entries/a.md": """
            ---
            date: 2026-10-01
            with: Bob
            follow_up: false
            commitments:
              - by: me
                what: send the deck
              - by: Bob
                what: call his printer
                due: 3d
                done: true
            ---
        """,
        }
    )
    (meeting,) = journal_of(root).meetings
    assert meeting.people == ("bob",) and meeting.follow_ups == ()
    mine, bobs = meeting.commitments
    assert (mine.to, mine.due, mine.kind) == ("bob", date(2026, 10, 8), "other")
    assert (bobs.to, bobs.due, bobs.done, bobs.done_on) == (ME, date(2026, 10, 4), True, None)


def test_yaml_1_1_surprises_stay_text(make_journal):
    root = make_journal(
        {
            "entries/contacts/pat.md": "---\nname: Pat\nphone: +4412345\n---\n",
            "entries/a.md": "---\ndate: 2026-10-01\nwith: Pat\nwhere: 12:30\ncommitments:\n  - by: me\n    what: no\n---\n",
        }
    )
    journal = journal_of(root)
    assert journal.contact("pat").phone == "+4412345"
    assert journal.meetings[0].where == "12:30"
    assert journal.meetings[0].commitments[0].what == "no"


def test_crlf_and_bom_are_fine(make_journal):
    text = "---\r\ndate: 2026-10-01\r\nwith: Bob\r\n---\r\n# Hi\r\nbody\r\n"
    root = make_journal({"entries/a.md": b"\xef\xbb\xbf" + text.encode()})
    (meeting,) = journal_of(root).meetings
    assert meeting.title == "Hi" and "\r" not in meeting.body


def test_people_match_names_aliases_and_slugs_ignoring_case_and_accents(make_journal):
    root = make_journal(
        {
            "entries/contacts/jose.md": "---\nname: José Díaz\naliases: [Pepe]\n---\n",
            "entries/a.md": "---\ndate: 2026-10-01\nwith: [jose diaz, PEPE, jose, Ann Smith, ann  smith]\n---\n",
        }
    )
    (meeting,) = journal_of(root).meetings
    assert meeting.people == ("jose", "ann-smith")


def test_owner_name_means_me(make_journal):
    root = make_journal(
        {
            "journal.yaml": "owner: Sam Carter\n",
            "entries/a.md": "---\ndate: 2026-10-01\nwith: Bob\ncommitments:\n  - by: Sam Carter\n    what: x\n---\n",
        }
    )
    assert journal_of(root).meetings[0].commitments[0].by == ME


def test_editor_droppings_are_not_notes(make_journal):
    root = make_journal(
        {
            "entries/a.md": "---\ndate: 2026-10-01\n---\n",
            "entries/.a.md.swp": "garbage: [",
            "entries/a.md~": "garbage: [",
            "entries/.#a.md": "garbage: [",
            "entries/4913": "",
        }
    )
    assert len(journal_of(root).meetings) == 1


def test_config_defaults_and_publish_settings(make_journal):
    root = make_journal(
        {
            "journal.yaml": """
            title: Sam's journal
            owner: Sam
            cadence_days: 60
            base_url: https://example.org/j/
            publish:
              encrypt: false
              private_fields: [where]
              cname: j.example.org
        """,
        }
    )
    config = journal_of(root).config
    assert (config.title, config.owner, config.cadence_days, config.follow_up_days, config.default_due_days) == (
        "Sam's journal",
        "Sam",
        60,
        2,
        7,
    )
    assert config.base_url == "https://example.org/j/"
    assert (config.publish.encrypt, config.publish.private_fields, config.publish.cname) == (
        False,
        ("where",),
        "j.example.org",
    )


def test_card_fields(make_journal):
    root = make_journal(
        {
            "entries/contacts/pat.md": """
            ---
            name: Pat Lee
            company: Lee Print
            role: Owner
            email: pat@example.com
            tags: [printing]
            cadence: 4w
            status: Prospect
            decide_by: 2026-11-01
            ---
            Notes on Pat.
        """,
        }
    )
    pat = journal_of(root).contact("pat")
    assert (pat.company, pat.role, pat.email, pat.tags, pat.cadence, pat.status, pat.decide_by) == (
        "Lee Print",
        "Owner",
        "pat@example.com",
        ("printing",),
        28,
        "prospect",
        date(2026, 11, 1),
    )
    assert pat.notes.strip() == "Notes on Pat." and pat.path == "entries/contacts/pat.md" and pat.line == 2


# --- every problem, exactly, with its line ---------------------------------------------------


def test_all_problems_are_reported_at_once_with_their_lines(make_journal):
    root = make_journal(
        {
            "journal.yaml": "title: x\nfolow_up_days: 3\n",
            "entries/contacts/pat-lee.md": "---\nname: Pat Lee\naliases: [Pat]\nstatus: hot\ncadence: often\n---\n",
            "entries/contacts/pat-morgan.md": "---\nname: Pat Morgan\naliases: [Pat]\n---\n",
            "entries/contacts/zz-dup.md": "---\nname: pat lee\n---\n",
            "entries/contacts/nameless.md": "---\ncompany: X\n---\n",
            NOTE: """
            ---
            date: 2026-10-01
            with: [Pat, Bob]
            folow_up: 2026-10-02
            commitments:
              - by: me
                to: Bob
                what: a bribe
                kind: bribe
                due: soon
              - by: Bob
                what: x
                done: 2026-09-01
              - what: nobody promised
              - by: me
                what: to whom?
            ---
        """,
            "entries/b.md": "---\ndate: 2026-13-01\n---\n",
            "entries/c.md": "---\ndate: [2026\n---\n",
            "entries/d.md": "no front matter here\n",
            "entries/e.md": "---\nwith: Bob\n---\n",
            "entries/f.md": b"---\ndate: 2026-10-01\n---\ncaf\xe9\n",
            "entries/g.md": "---\ndate: 2026-10-01\ndate: 2026-10-02\nconsent: yes\n---\n",
        }
    )
    assert problems_of(root) == [
        "entries/2026/2026-10-01-coffee-pat.md:3: error: 'Pat' could be more than one contact: Pat Lee (pat-lee), Pat Morgan (pat-morgan); write the full name or the slug",
        "entries/2026/2026-10-01-coffee-pat.md:4: error: unknown field 'folow_up' (did you mean 'follow_up'?)",
        "entries/2026/2026-10-01-coffee-pat.md:9: error: commitment kind 'bribe' is not one of introduction, referral, lead, favor, follow-up, other",
        "entries/2026/2026-10-01-coffee-pat.md:10: error: 'due' must be a date like 2026-10-01 or a delay like 3d or 2w, got 'soon'",
        "entries/2026/2026-10-01-coffee-pat.md:13: error: 'done' is 2026-09-01, before the note's date 2026-10-01",
        "entries/2026/2026-10-01-coffee-pat.md:14: error: a commitment needs 'by': me, or the person who promised",
        "entries/2026/2026-10-01-coffee-pat.md:15: error: this promise of mine needs 'to': the note met 2 people, so who benefits is not clear",
        "entries/b.md:2: error: 'date' must be a date like 2026-10-01 (optionally with a time, 2026-10-01 14:30), got '2026-13-01'",
        "entries/c.md:2: error: a list opened on this line is never closed; end it with ']' (the YAML reader says: expected ',' or ']', but got '<stream end>')",
        "entries/contacts/nameless.md:1: error: missing required field 'name'",
        "entries/contacts/pat-lee.md:4: error: status 'hot' is not one of prospect, active, partner, dormant, declined",
        "entries/contacts/pat-lee.md:5: error: 'cadence' must be a number of days like 30 (or 4w), got 'often'",
        "entries/contacts/zz-dup.md:2: error: duplicate card for 'pat lee': entries/contacts/pat-lee.md:2 is the same person",
        "entries/d.md:1: error: a meeting note starts with front matter: a '---' line, 'date: 2026-10-01', and a closing '---' line",
        "entries/e.md:1: error: missing required field 'date' (a date like 2026-10-01)",
        "entries/f.md:4: error: file is not UTF-8 text (byte 0xe9); save it as UTF-8",
        "entries/g.md:3: error: field 'date' appears twice (first on line 2)",
        "entries/g.md:4: error: unknown field 'consent'; expected one of date, title, with, where, tags, follow_up, commitments, gave, received, fulfills, releases, new, event, channel, mail",
        "journal.yaml:2: error: unknown setting 'folow_up_days' (did you mean 'follow_up_days'?)",
    ]


def test_settings_accept_zero_days_and_reject_words(make_journal):
    root = make_journal({"journal.yaml": "follow_up_days: 0\ndefault_due_days: 2w\ncadence_days: often\n"})
    journal, problems, _ = load(root)
    assert [str(p) for p in problems] == [
        "journal.yaml:3: error: 'cadence_days' must be a number of days like 30 (or 4w), got 'often'"
    ]
    root = make_journal({"journal.yaml": "follow_up_days: 0\ndefault_due_days: 2w\n"})
    config = journal_of(root).config
    assert (config.follow_up_days, config.default_due_days, config.cadence_days) == (0, 14, 90)


def test_a_due_date_before_the_note_is_an_error(make_journal):
    root = make_journal(
        {
            NOTE: """
            ---
            date: 2026-10-01
            with: Pat
            commitments:
              - by: me
                what: the quote
                due: 2026-09-30
              - by: Pat
                what: the venue list
                due: 2026-10-01
              - by: Pat
                what: a call
                due: 0d
            ---
        """,
        }
    )
    assert problems_of(root) == [
        "entries/2026/2026-10-01-coffee-pat.md:7: error: 'due' 2026-09-30 is before this note's date 2026-10-01",
    ]


def test_a_follow_up_date_before_the_note_is_an_error(make_journal):
    root = make_journal(
        {
            "entries/a.md": "---\ndate: 2026-10-01\nwith: [Pat, Bob]\nfollow_up: 2026-09-30\n---\n",
            "entries/b.md": "---\ndate: 2026-10-01\nwith: [Pat, Bob]\nfollow_up:\n  Pat: 2026-10-01\n  Bob: 2026-09-01\n---\n",
        }
    )
    assert problems_of(root) == [
        "entries/a.md:4: error: 'follow_up' 2026-09-30 is before this note's date 2026-10-01",
        "entries/b.md:6: error: 'follow_up' for 'Bob' 2026-09-01 is before this note's date 2026-10-01",
    ]
