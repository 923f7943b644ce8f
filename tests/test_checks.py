"""Each check of checks.py alone, on a journal and records built by hand."""

from __future__ import annotations

from datetime import date

from journal import checks
from journal.assemble import Records
from journal.model import ME, Commitment, Config, Contact, Journal, Meeting
from journal.problems import Problem
from journal.schema import CardRecord, CommitmentRecord, ExchangeRecord, FollowUpRef, IdRef, NoteRecord, PersonRef

DAY = date(2026, 10, 1)
EMPTY = Journal(Config(), (), ())


def note(path: str, **fields) -> NoteRecord:
    return NoteRecord(path=path, date=DAY, time="", title="", body="", **fields)


def records(notes=(), cards=(), spellings=None) -> Records:
    return Records(tuple(notes), tuple(cards), spellings or {})


def meeting(slug: str, path: str, *commitments: Commitment, day: date = DAY) -> Meeting:
    return Meeting(slug=slug, date=day, title="", path=path, commitments=commitments)


def messages(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def test_a_card_left_out_for_an_earlier_cards_name_or_address_is_named_at_the_later_card():
    kept = CardRecord("entries/contacts/pat-lee.md", 2, "Pat Lee")
    same_name = CardRecord("entries/contacts/patricia.md", 2, "PAT  lee")
    same_address = CardRecord("entries/contacts/Pat Lee.md", 2, "Patricia Lee")
    journal = Journal(Config(), (Contact("pat-lee", "Pat Lee", path=kept.path, line=2), Contact("sam", "Sam")), ())
    assert messages(checks.duplicate_cards(journal, records(cards=[same_address, kept, same_name]))) == [
        "entries/contacts/Pat Lee.md:1: error: this file name gives the same address 'pat-lee' as entries/contacts/pat-lee.md; rename one",
        "entries/contacts/patricia.md:2: error: duplicate card for 'PAT  lee': entries/contacts/pat-lee.md:2 is the same person",
    ]
    assert checks.duplicate_cards(journal, records(cards=[kept])) == []


def test_two_meetings_with_one_slug_are_named_at_the_later_path():
    journal = Journal(
        Config(),
        (),
        (
            meeting("pat-lee", "entries/b/pat-lee.md"),
            meeting("pat-lee", "entries/a/Pat Lee.md"),
            meeting("sam", "entries/sam.md"),
        ),
    )
    assert messages(checks.meeting_addresses(journal, records())) == [
        "entries/b/pat-lee.md:1: error: this file name gives the same address 'pat-lee' as entries/a/Pat Lee.md; rename one"
    ]


def test_two_names_of_people_without_cards_with_one_address_are_named_after_the_first():
    spellings = {
        "pat-lee-1": {"pat & lee": ("Pat & Lee", "entries/a.md", 3), "pat lee 1": ("Pat Lee 1", "entries/b.md", 3)},
        "sam": {"sam": ("Sam", "entries/a.md", 3)},
    }
    assert messages(checks.person_addresses(EMPTY, records(spellings=spellings))) == [
        "entries/b.md:3: error: 'Pat Lee 1' and 'Pat & Lee' (entries/a.md:3) would share the address 'pat-lee-1'; write one of them differently"
    ]


def test_two_tags_with_one_address_are_named_at_the_later_file_notes_before_cards():
    notes = [note("entries/b.md", tags=("C++",)), note("entries/c.md", tags=("c++", "sales"))]
    card = CardRecord("entries/contacts/a.md", 2, "Sam", tags=("c cedb1bac",))
    assert messages(checks.tag_addresses(EMPTY, records(notes, [card]))) == [
        "entries/contacts/a.md:1: error: tag 'c cedb1bac' would share the address 'c-cedb1bac' with tag 'C++' of entries/b.md; write one of them differently"
    ]


def test_yourself_in_with_gave_received_or_follow_up_is_named_at_its_line():
    journal = Journal(Config(owner="Alex Rivera", owner_aliases=("Lex",)), (), ())
    notes = [
        note(
            "entries/a.md",
            people=(PersonRef("Sam", 3), PersonRef("alex  rivera", 4), PersonRef("I", 5)),
            follow_up=(FollowUpRef(PersonRef("Sam", 6)), FollowUpRef(PersonRef("lex", 7))),
        ),
        note(
            "entries/b.md",
            exchanges=(
                ExchangeRecord(4, "gave", PersonRef("Me", 5), "a lead"),
                ExchangeRecord(6, "received", PersonRef("Sam", 7), "tea"),
            ),
        ),
    ]
    assert messages(checks.yourself_in_with(journal, records(notes))) == [
        "entries/a.md:4: error: 'with' lists the people you met; leave yourself out",
        "entries/a.md:5: error: 'with' lists the people you met; leave yourself out",
    ]
    assert messages(checks.yourself_in_follow_up(journal, records(notes))) == [
        "entries/a.md:7: error: 'follow_up' names the people to follow up with; leave yourself out"
    ]
    assert messages(checks.yourself_in_exchanges(journal, records(notes))) == [
        "entries/b.md:5: error: a 'gave' entry is between you and someone else; name the other person"
    ]


def test_a_promise_of_mine_without_to_needs_one_person_met():
    mine = CommitmentRecord(5, PersonRef("me", 5), "Send the deck")
    theirs = CommitmentRecord(7, PersonRef("Sam", 7), "Call back")
    to_sam = CommitmentRecord(9, PersonRef("me", 9), "Intro", to=PersonRef("Sam", 10))
    notes = [
        note("entries/a.md", people=(PersonRef("Sam", 3), PersonRef("Lee", 3)), commitments=(mine, theirs, to_sam)),
        note("entries/b.md", commitments=(mine,)),
        note("entries/c.md", people=(PersonRef("Sam", 3),), commitments=(mine,)),
    ]
    assert messages(checks.unclear_beneficiary(EMPTY, records(notes))) == [
        "entries/a.md:5: error: this promise of mine needs 'to': the note met 2 people, so who benefits is not clear",
        "entries/b.md:5: error: this promise of mine needs 'to': the note met 0 people, so who benefits is not clear",
    ]


def test_a_reused_promise_id_is_named_at_the_line_of_its_later_id():
    def promise(path: str, line: int, id: str = "") -> Commitment:
        return Commitment(by=ME, to="sam", what="x", kind="other", made_on=DAY, due=DAY, path=path, line=line, id=id)

    def record(line: int, id_line: int | None) -> CommitmentRecord:
        return CommitmentRecord(line, PersonRef("me", line), "x", id=IdRef("intro", id_line) if id_line else None)

    notes = [
        note("entries/a.md", commitments=(record(4, 8), record(9, None))),
        note("entries/b.md", commitments=(record(3, 5),)),
    ]
    journal = Journal(
        Config(),
        (),
        (
            meeting("a", "entries/a.md", promise("entries/a.md", 4, "intro"), promise("entries/a.md", 9)),
            meeting("b", "entries/b.md", promise("entries/b.md", 3, "intro"), day=date(2026, 10, 2)),
        ),
    )
    assert messages(checks.reused_promise_ids(journal, records(notes))) == [
        "entries/b.md:5: error: id 'intro' is already used by the promise at entries/a.md:8"
    ]


def test_run_checks_runs_every_check_in_order():
    notes = [
        note(
            "entries/a.md",
            people=(PersonRef("me", 3), PersonRef("Sam", 3)),
            commitments=(CommitmentRecord(5, PersonRef("me", 5), "x"),),
        )
    ]
    assert messages(checks.run_checks(EMPTY, records(notes))) == [
        "entries/a.md:3: error: 'with' lists the people you met; leave yourself out",
        "entries/a.md:5: error: this promise of mine needs 'to': the note met 2 people, so who benefits is not clear",
    ]
    assert len(checks.CHECKS) == len(set(checks.CHECKS))
