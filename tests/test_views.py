"""Derived views: overdue, follow-ups, going cold, decisions, consent, reciprocity, reliability."""

from __future__ import annotations

from datetime import date

from conftest import TODAY, journal_of

from journal import views
from journal.pipeline import load


def test_overdue_splits_mine_and_theirs_and_skips_done_dropped_and_future(make_journal):
    journal = journal_of(
        make_journal(
            {
                "entries/a.md": """
            ---
            date: 2026-11-01
            with: Bob
            commitments:
              - {by: me, what: intro to Terry, due: 2026-11-10}
              - {by: me, what: old one, due: 2026-11-02}
              - {by: me, what: kept, due: 2026-11-02, done: 2026-11-02}
              - {by: me, what: released, due: 2026-11-02, dropped: no longer needed}
              - {by: me, what: not yet, due: 2026-11-30}
              - {by: me, what: due today, due: 2026-11-23}
              - {by: Bob, what: send Jane and Terry, due: 2026-11-20}
            ---
        """,
            }
        )
    )
    mine, theirs = views.overdue_commitments(journal, TODAY)
    assert [(i.commitment.what, i.days_overdue) for i in mine] == [("old one", 21), ("intro to Terry", 13)]
    assert [(i.commitment.what, i.days_overdue) for i in theirs] == [("send Jane and Terry", 3)]
    assert [c.what for c in views.upcoming_commitments(journal, TODAY)] == ["due today", "not yet"]


def test_follow_up_due_until_a_later_note_includes_the_person(make_journal):
    journal = journal_of(
        make_journal(
            {
                "entries/a.md": "---\ndate: 2026-11-01\nwith: [Bob, Ann]\n---\n",
                "entries/b.md": "---\ndate: 2026-11-10\nwith: Ann\nfollow_up: false\n---\n",
                "entries/c.md": "---\ndate: 2026-11-20\nwith: Cy\nfollow_up: 2026-11-25\n---\n",
                "entries/d.md": "---\ndate: 2026-11-22\nwith: Di\n---\n",
            }
        )
    )
    due = views.follow_ups_due(journal, TODAY)
    assert [(f.contact, f.met, f.due, f.days_overdue) for f in due] == [
        ("bob", date(2026, 11, 1), date(2026, 11, 3), 20)
    ]


def test_going_cold_uses_the_card_cadence_then_the_default_and_lets_declined_go(make_journal):
    journal = journal_of(
        make_journal(
            {
                "journal.yaml": "cadence_days: 60\n",
                "entries/contacts/ann.md": "---\nname: Ann\ncadence: 30\n---\n",
                "entries/contacts/dee.md": "---\nname: Dee\nstatus: declined\n---\n",
                "entries/a.md": "---\ndate: 2026-10-01\nwith: [Ann, Bob, Dee]\n---\n",
                "entries/b.md": "---\ndate: 2026-09-01\nwith: [Cy]\n---\n",
                "entries/c.md": "---\ndate: 2026-11-01\nwith: [Cy]\n---\n",
            }
        )
    )
    cold = views.going_cold(journal, TODAY)
    assert [(g.contact, g.last_met, g.cadence, g.days_since) for g in cold] == [("ann", date(2026, 10, 1), 30, 53)]


def test_decisions_pending_only_for_undecided_prospects(make_journal):
    journal = journal_of(
        make_journal(
            {
                "entries/contacts/p.md": "---\nname: P\nstatus: prospect\ndecide_by: 2026-11-20\n---\n",
                "entries/contacts/q.md": "---\nname: Q\nstatus: active\ndecide_by: 2026-11-20\n---\n",
                "entries/contacts/r.md": "---\nname: R\nstatus: prospect\ndecide_by: 2026-11-30\n---\n",
            }
        )
    )
    assert [(d.contact, d.days_overdue) for d in views.decisions_pending(journal, TODAY)] == [("p", 3)]


def test_introductions_without_consent(make_journal):
    journal = journal_of(
        make_journal(
            {
                "entries/a.md": """
            ---
            date: 2026-11-01
            with: Bob
            commitments:
              - {by: me, what: a, kind: introduction, introducing: Terry, consent: asked}
              - {by: me, what: b, kind: referral, introducing: Jane}
              - {by: me, what: c, kind: introduction, introducing: Kim, consent: yes}
              - {by: me, what: d, kind: introduction, introducing: Lou, consent: no, dropped: she said no}
              - {by: Bob, what: e, kind: introduction, introducing: Mo}
            ---
        """,
            }
        )
    )
    assert [c.what for c in views.unconsented_introductions(journal, TODAY)] == ["a", "b"]


def test_reciprocity_counts_exchanges_and_done_promises_by_kind(make_journal):
    journal = journal_of(
        make_journal(
            {
                "entries/a.md": """
            ---
            date: 2026-10-01
            with: Bob
            commitments:
              - {by: me, what: intro, kind: introduction, due: 2026-10-05, done: 2026-10-04}
              - {by: Bob, what: two referrals, kind: referral, due: 2026-10-05, done: 2026-10-09}
              - {by: Bob, what: quote, due: 2026-10-10}
              - {by: Bob, what: lunch, due: 2026-12-10}
              - {by: Bob, what: call, due: 2026-10-06, done: true}
            gave:
              - {to: Bob, what: a lead, kind: lead, date: 2026-10-20}
            received:
              - {from: Ann, what: a favor, kind: favor}
            ---
        """,
            }
        )
    )
    rows = {row.contact: row for row in views.reciprocity(journal, TODAY)}
    bob = rows["bob"]
    assert (bob.given, bob.received, bob.balance, bob.last_exchange) == (2, 2, 0, date(2026, 10, 20))
    assert bob.by_kind == {
        "introduction": {"given": 1, "received": 0},
        "referral": {"given": 0, "received": 1},
        "lead": {"given": 1, "received": 0},
        "other": {"given": 0, "received": 1},
    }
    # fell due: referral (late), quote (broken), call (done, trusted); lunch is not due yet
    assert (bob.theirs.fell_due, bob.theirs.kept_on_time, bob.theirs.kept_late, bob.theirs.open_overdue) == (3, 1, 1, 1)
    assert (rows["ann"].given, rows["ann"].received, rows["ann"].balance) == (0, 1, -1)
    mine = views.my_reliability(journal, TODAY)
    assert (mine.fell_due, mine.kept_on_time, mine.percent) == (1, 1, 100)


def test_the_views_of_one_contact_are_the_whole_journals_rows_for_that_contact(demo_root):
    """The preview works out an edited card's going cold, follow-up, reciprocity and brief for
    that contact alone; they must be the rows the whole site shows for it."""
    journal, problems, _ = load(demo_root)
    assert problems == []
    for today in (TODAY, date(2027, 6, 1)):  # the demo's day, and months later when much has gone cold
        cold, follow, rows = (
            views.going_cold(journal, today),
            views.follow_ups_due(journal, today),
            views.reciprocity(journal, today),
        )
        briefs = views.briefs(journal, today)
        assert cold and follow and rows  # each view has rows to compare
        for contact in journal.contacts:
            alone = [contact.slug]
            assert views.going_cold(journal, today, alone) == [g for g in cold if g.contact == contact.slug]
            assert views.follow_ups_due(journal, today, alone) == [f for f in follow if f.contact == contact.slug]
            assert views.reciprocity(journal, today, alone) == [r for r in rows if r.contact == contact.slug]
            assert views.briefs(journal, today, alone) == {contact.slug: briefs[contact.slug]}
