"""Touches: a note may say how we were in touch (`channel:`). Every note is contact for the
cadence and going cold; only in person, a call or a video call is a meeting (last met); a
touch asks for no follow-up unless the note says so."""

from __future__ import annotations

import json

from conftest import TODAY, TODAY_ARG, journal_of, problems_of

from journal.views import brief, follow_ups_due, going_cold

JOURNAL = {
    "journal.yaml": "owner: Alex Rivera\ncadence_days: 30\n",
    "entries/contacts/pat-lee.md": "---\nname: Pat Lee\n---\n",
    "entries/2026/2026-10-01-coffee.md": "---\ndate: 2026-10-01\nwith: Pat Lee\nchannel: In Person\n---\n",
    "entries/2026/2026-11-20-mail.md": "---\ndate: 2026-11-20\nwith: Pat Lee\nchannel: email\n---\n- The quote\n",
}


def test_a_touch_is_contact_but_not_a_meeting(make_journal):
    journal = journal_of(make_journal(JOURNAL))
    found = brief(journal, "pat-lee", TODAY)
    assert (found.last_met.isoformat(), found.days_since, found.cadence_status) == ("2026-10-01", 53, "on track")
    assert (found.last_contact.date.isoformat(), found.last_contact.channel, found.last_contact.days_since) == (
        "2026-11-20",
        "email",
        3,
    )
    assert [m.date.isoformat() for m in found.last_meetings] == ["2026-10-01"]
    assert going_cold(journal, TODAY) == []
    assert follow_ups_due(journal, TODAY) == []  # the e-mail asked for none, and cleared the coffee's


def test_a_touch_may_ask_for_a_follow_up(make_journal):
    files = {**JOURNAL, "entries/2026/2026-11-20-mail.md": "---\ndate: 2026-11-20\nwith: Pat Lee\nchannel: message\nfollow_up: 2026-11-21\n---\n"}  # fmt: skip
    journal = journal_of(make_journal(files))
    assert [(f.contact, f.due.isoformat()) for f in follow_ups_due(journal, TODAY)] == [("pat-lee", "2026-11-21")]


def test_the_brief_says_both(make_journal, cli):
    root = make_journal(JOURNAL)
    done = cli("brief", "Pat Lee", "--root", str(root), "--today", TODAY_ARG, "--json")
    data = json.loads(done.stdout)
    assert (data["last_met"], data["days_since"], data["last_contact"]) == (
        "2026-10-01",
        53,
        {"date": "2026-11-20", "channel": "email", "source": "entries/2026/2026-11-20-mail.md"},
    )
    done = cli("brief", "Pat Lee", "--root", str(root), "--today", TODAY_ARG)
    assert "Last met 2026-10-01 (53 days ago); last contact 2026-11-20 by email (3 days ago)" in done.stdout
    assert cli("build", "--root", str(root), "--today", TODAY_ARG, "-q").returncode == 0
    page = (root / "site/contacts/pat-lee.html").read_text(encoding="utf-8")
    assert (
        'Last met <time datetime="2026-10-01">2026-10-01</time>, 53 days ago · last contact <time datetime="2026-11-20">2026-11-20</time> by email, 3 days ago · every 30 days: on track'
        in page
    )


def test_a_channel_is_one_of_five(make_journal):
    root = make_journal({"entries/a.md": "---\ndate: 2026-10-01\nchannel: fax\n---\n"})
    assert problems_of(root) == [
        "entries/a.md:3: error: channel 'fax' is not one of in person, call, video, email, message"
    ]


def test_touches_are_listed_lighter_and_said_in_words(make_journal, cli):
    root = make_journal(JOURNAL)
    assert cli("build", "--root", str(root), "--today", TODAY_ARG, "-q").returncode == 0
    for page in ("contacts/pat-lee.html", "meetings/index.html"):
        text = (root / "site" / page).read_text(encoding="utf-8")
        assert '<tr class="touch"><td class="date"><time datetime="2026-11-20">' in text, page
        assert '<small class="channel">by email</small>' in text, page
        assert text.count('class="touch"') == 1, page  # the coffee is a meeting
    assert "tr.touch .date, tr.touch .channel { color: var(--muted); }" in (root / "site/style.css").read_text()
