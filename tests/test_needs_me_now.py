"""'What needs me now': the ranking, and the plain sentences at the top of the dashboard."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from journal import views
from journal.pipeline import load

JOURNAL = {
    "entries/contacts/quinn.md": "---\nname: Quinn Ray\ndecide_by: 2026-10-25\n---\n",
    "entries/2026/2026-06-01-old.md": """
        ---
        date: 2026-06-01
        with: [Olga Petrova]
        follow_up: false
        ---
    """,
    "entries/2026/2026-10-01-pat.md": """
        ---
        date: 2026-10-01
        title: Coffee with Pat and Sam
        with: [Pat Lee, Sam Wu]
        follow_up: false
        commitments:
          - by: me
            to: Pat Lee
            what: Send Pat the printer's number
            due: 2026-10-20
          - by: Sam Wu
            what: Send me the venue list
            due: 2026-10-20
          - by: me
            to: Sam Wu
            what: Not late yet
            due: 2026-11-20
        ---
    """,
    "entries/2026/2026-10-25-rita.md": """
        ---
        date: 2026-10-25
        title: Lunch with Rita
        with: Rita Gomez
        follow_up: 2026-10-27
        ---
    """,
}
TODAY = date(
    2026, 10, 30
)  # its own day: the promises due 10-20 are ten days late and the one due 11-20 is not yet; Quinn's decision (10-25) and Rita's follow-up (10-27) just fell due


def test_ranking_weighs_days_late_whose_move_it_is_and_silence(make_journal):
    journal, problems, _ = load(make_journal(JOURNAL))
    assert problems == []
    ranked = views.needs_me_now(journal, TODAY)
    assert [(u.action, u.contact, u.days_overdue, u.quiet_days, u.score) for u in ranked] == [
        ("keep", "pat-lee", 10, 29, 34),  # mine: 3 points a day late, + 4 weeks quiet
        ("chase", "sam-wu", 10, 29, 14),  # theirs, as late: 1 point a day, + 4
        ("decide", "quinn", 5, None, 10),  # never met: no silence points
        ("reconnect", "olga-petrova", 61, 151, 8),  # 61 days past a 90-day cadence: a point a week
        ("follow-up", "rita-gomez", 3, 5, 6),
    ]
    assert views.needs_me_now(journal, TODAY, limit=2) == ranked[:2]
    assert views.needs_me_now(journal, date(2026, 6, 2)) == []


def _words(element) -> str:
    """The text as a reader sees it: runs of white space as one space, none before punctuation."""
    text = " ".join(element.get_text().split())
    return text.replace(" :", ":").replace(" ;", ";").replace(" .", ".")


def test_dashboard_opens_with_the_top_five_in_plain_words(make_journal, cli):
    root = make_journal(JOURNAL)
    assert cli("build", "--root", str(root), "--today", TODAY.isoformat()).returncode == 0
    dashboard = BeautifulSoup((root / "site/index.html").read_text(encoding="utf-8"), "html5lib")
    section = dashboard.find("main").find("section")
    assert section["id"] == "now"
    assert [_words(li) for li in section.find_all("li")] == [
        "Keep your promise to Pat Lee: Send Pat the printer's number — 10 days overdue; last in touch 29 days ago.",
        "Remind Sam Wu: Send me the venue list — 10 days overdue; last in touch 29 days ago.",
        "Decide whether to pursue Quinn Ray — 5 days overdue.",
        "Get in touch with Olga Petrova — not met for 151 days.",
        "Follow up with Rita Gomez after Lunch with Rita — 3 days overdue.",
    ]
    assert _words(section.find("p", class_="why")) == (  # the order, in words, from the weights that make it
        "Why this order: declined introductions first; then each day overdue counts 3 for my promises, "
        "2 for follow-ups and decisions, 1 for what others owe me, plus 1 a week since we were last in touch; "
        "going cold counts 1 a week past its cadence."
    )
    assert dashboard.find("a", href="calendar.ics") is not None


DECLINED = {
    **JOURNAL,
    "entries/2026/2026-10-20-ann.md": """
        ---
        date: 2026-10-20
        title: Coffee with Ann
        with: Ann Bell
        follow_up: false
        commitments:
          - by: me
            what: Introduce Ann to Terry Quinn
            kind: introduction
            introducing: Terry Quinn
            consent: no
            due: 2026-10-25
          - by: me
            what: Refer Ann to Uma Cole
            kind: referral
            introducing: Uma Cole
            consent: no
            due: 2026-11-20
            id: uma-referral
          - by: me
            what: Introduce Ann to Vic Lam
            kind: introduction
            introducing: Vic Lam
            consent: asked
            due: 2026-11-20
        ---
    """,
}


def test_a_declined_introduction_heads_the_list_as_a_promise_to_release(make_journal, cli):
    journal, problems, _ = load(make_journal(DECLINED))
    assert problems == []
    ranked = views.needs_me_now(journal, TODAY)
    assert [(u.action, u.contact, u.commitment.what if u.commitment else "") for u in ranked] == [
        ("release", "ann-bell", "Introduce Ann to Terry Quinn"),  # 5 days late, but released, not kept
        ("release", "ann-bell", "Refer Ann to Uma Cole"),
        ("keep", "pat-lee", "Send Pat the printer's number"),
        ("chase", "sam-wu", "Send me the venue list"),
        ("decide", "quinn", ""),
    ]
    assert [c.what for c in views.unconsented_introductions(journal, TODAY)] == ["Introduce Ann to Vic Lam"]
    root = make_journal(DECLINED)
    assert cli("build", "--root", str(root), "--today", TODAY.isoformat()).returncode == 0
    dashboard = BeautifulSoup((root / "site/index.html").read_text(encoding="utf-8"), "html5lib")
    assert [_words(li) for li in dashboard.find("section", id="now").find_all("li")][:2] == [
        "Release this promise: Terry Quinn declined. Introduce Ann to Terry Quinn, promised to Ann Bell in Coffee with Ann.",
        "Release this promise: Uma Cole declined. Refer Ann to Uma Cole, promised to Ann Bell in Coffee with Ann.",
    ]


def test_check_warns_of_a_declined_introduction_and_still_passes(make_journal, cli):
    root = make_journal(DECLINED)
    result = cli("check", "--root", str(root), "--today", TODAY.isoformat())
    note = "entries/2026/2026-10-20-ann.md"
    assert (result.returncode, result.stdout) == (0, "ok: 4 meetings, 9 contacts, 6 promises\n")
    assert result.stderr.splitlines() == [
        f"{note}:7: warning: release this promise to Ann Bell: Terry Quinn declined to be introduced (consent: no); add 'dropped: Terry Quinn declined' to it",
        f"{note}:13: warning: release this promise to Ann Bell: Uma Cole declined to be introduced (consent: no); add 'releases: [uma-referral]' to a later note",
        "2 warnings in 5 files",
    ]
    (root / "entries/2026/broken.md").write_text("---\ndate: soon\n---\n", encoding="utf-8")
    result = cli("check", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == "1 error and 2 warnings in 6 files"


def test_last_met_is_said_once_per_person(make_journal, cli):
    """It is the same on each of a person's lines, so only their first line says it."""
    journal = {
        **JOURNAL,
        "entries/2026/2026-10-01-pat.md": JOURNAL["entries/2026/2026-10-01-pat.md"].replace(
            "          - by: Sam Wu\n",
            "          - by: me\n            to: Pat Lee\n            what: Send Pat the menu\n"
            "            due: 2026-10-22\n          - by: Sam Wu\n",
        ),
    }
    root = make_journal(journal)
    assert cli("build", "--root", str(root), "--today", TODAY.isoformat()).returncode == 0
    dashboard = BeautifulSoup((root / "site/index.html").read_text(encoding="utf-8"), "html5lib")
    assert [_words(li) for li in dashboard.find("section", id="now").find_all("li")][:3] == [
        "Keep your promise to Pat Lee: Send Pat the printer's number — 10 days overdue; last in touch 29 days ago.",
        "Keep your promise to Pat Lee: Send Pat the menu — 8 days overdue.",
        "Remind Sam Wu: Send me the venue list — 10 days overdue; last in touch 29 days ago.",
    ]
