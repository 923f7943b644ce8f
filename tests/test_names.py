"""People are matched or questioned, never invented by accident; `journal new` needs names only."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

from conftest import REPO, problems_of, write_files

from journal.assemble import assemble
from journal.frontmatter import split
from journal.model import ME, Config
from journal.pipeline import load
from journal.schema import parse_card, parse_note
from journal.speed.incremental import Memo

SAM = {"entries/contacts/sam-example.md": "---\nname: Sam Example\n---\n"}
NEW = "if this is someone new, give them a card (journal new contact \"{0}\") or add 'new: [{0}]' to this note"


def not_a_contact(name: str, meant: str) -> str:
    return f"'{name}' is not a contact (did you mean {meant}?); " + NEW.format(name)


def test_a_typo_in_every_field_that_names_a_person_is_questioned_at_its_line(make_journal):
    note = """
        ---
        date: 2026-10-01
        with: [Sam Exampel, Dana]
        commitments:
          - by: Sam Exmaple
            what: Send the quote
          - by: me
            to: Sam Exampl
            what: Introduce Sam
            kind: introduction
            introducing: Example Sam
        gave:
          - {to: Samexample, what: A lead}
        received:
          - {from: Sam Examples, what: A coffee}
        ---
    """
    assert problems_of(make_journal({**SAM, "entries/2026/a.md": note})) == [
        "entries/2026/a.md:3: error: " + not_a_contact("Sam Exampel", "'Sam Example'"),
        "entries/2026/a.md:5: error: " + not_a_contact("Sam Exmaple", "'Sam Example'"),
        "entries/2026/a.md:8: error: " + not_a_contact("Sam Exampl", "'Sam Example'"),
        "entries/2026/a.md:11: error: " + not_a_contact("Example Sam", "'Sam Example'"),
        "entries/2026/a.md:13: error: " + not_a_contact("Samexample", "'Sam Example'"),
        "entries/2026/a.md:15: error: " + not_a_contact("Sam Examples", "'Sam Example'"),
    ]


def test_a_first_name_alone_or_a_short_form_is_questioned_with_every_match(make_journal):
    cards = {
        "entries/contacts/sam-wu.md": "---\nname: Sam Wu\n---\n",
        "entries/contacts/sam-lee.md": "---\nname: Sam Lee\n---\n",
        "entries/contacts/alexandra-ng.md": "---\nname: Alexandra Ng\naliases: [Gregory]\n---\n",
    }
    note = "---\ndate: 2026-10-01\nwith: [Sam, Alex Ng, Greg, Gregroy, Lee Sam]\n---\n"
    assert problems_of(make_journal({**cards, "entries/a.md": note})) == [
        "entries/a.md:3: error: " + not_a_contact("Alex Ng", "'Alexandra Ng'"),
        "entries/a.md:3: error: " + not_a_contact("Greg", "'Alexandra Ng'"),
        "entries/a.md:3: error: " + not_a_contact("Gregroy", "'Alexandra Ng'"),
        "entries/a.md:3: error: " + not_a_contact("Lee Sam", "'Sam Lee'"),
        "entries/a.md:3: error: " + not_a_contact("Sam", "'Sam Lee' or 'Sam Wu'"),
    ]


def test_real_people_a_letter_or_an_order_apart_are_not_questioned(make_journal):
    """Two known names never clash, and an unknown name made of words known names use where
    it uses them is someone new: 'Ann Wu' beside 'Sam Wu', 'Mario Rossi' beside 'Maria
    Rossi' and 'Mario Bianchi', 'Lee Kim' beside 'Kim Lee', 'Lee Park' and 'Jin Kim'. Short words are
    never typos ('Sam Xu' beside 'Sam Wu'), and far names are just new."""
    cards = {
        f"entries/contacts/{name.lower().replace(' ', '-')}.md": f"---\nname: {name}\n---\n"
        for name in ("Sam Wu", "Sam Lee", "Maria Rossi", "Mario Bianchi", "Kim Lee", "Lee Park", "Jin Kim", "José Díaz")
    }
    note = "---\ndate: 2026-10-01\nwith: [Sam Wu, Sam Lee, Ann Wu, Sam Xu, Mario Rossi, Lee Kim, Jose Diaz, Walt Hughes]\n---\n"
    root = make_journal({**cards, "entries/a.md": note})
    journal, problems, _ = load(root)
    assert problems == []
    assert [contact.name for contact in journal.contacts if not contact.has_card] == [
        "Ann Wu",
        "Lee Kim",
        "Mario Rossi",
        "Sam Xu",
        "Walt Hughes",
    ]


def test_new_names_someone_on_purpose_for_the_whole_journal(make_journal):
    first = "---\ndate: 2026-10-01\nwith: Sam Exampel\nnew: [Sam Exampel]\n---\n"
    later = "---\ndate: 2026-10-08\nwith: sam exampel\ncommitments:\n  - {by: Sam Exampel, what: A call}\n---\n"
    root = make_journal({**SAM, "entries/a.md": first, "entries/b.md": later})
    journal, problems, _ = load(root)
    assert problems == []
    assert [(contact.slug, contact.has_card) for contact in journal.contacts] == [
        ("sam-exampel", False),
        ("sam-example", True),
    ]
    assert [meeting.people for meeting in journal.meetings] == [("sam-exampel",), ("sam-exampel",)]
    assert problems_of(make_journal({"entries/c.md": "---\ndate: 2026-10-09\nwith: Sam Exampl\n---\n"})) == [
        "entries/c.md:3: error: " + not_a_contact("Sam Exampl", "'Sam Exampel' or 'Sam Example'"),
    ]


def test_me_i_myself_the_owner_and_owner_aliases_are_me(make_journal):
    files = {
        **SAM,
        "journal.yaml": "owner: Alex Rivera\nowner_aliases: [Alex, AR]\n",
        "entries/a.md": """
            ---
            date: 2026-10-01
            with: Sam Example
            commitments:
              - {by: I, what: one}
              - {by: MYSELF, what: two}
              - {by: alex rivera, what: three}
              - {by: ar, what: four}
              - {by: Sam Example, to: Me, what: five}
            ---
        """,
        "entries/b.md": "---\ndate: 2026-10-02\nwith: [Sam Example, i]\n---\n",
    }
    journal, problems, _ = load(make_journal(files))
    assert [str(problem) for problem in problems] == [
        "entries/b.md:3: error: 'with' lists the people you met; leave yourself out"
    ]
    assert [(c.by, c.to) for c in journal.commitments] == [(ME, "sam-example")] * 4 + [("sam-example", ME)]
    assert [contact.slug for contact in journal.contacts] == ["sam-example"]


def test_a_close_name_is_asked_about_the_owner_too(make_journal):
    files = {
        "journal.yaml": "owner: Alex Rivera\n",
        "entries/a.md": "---\ndate: 2026-10-01\ncommitments:\n  - {by: Alex Rivrea, what: x}\n---\n",
    }
    assert problems_of(make_journal(files)) == [
        "entries/a.md:4: error: " + not_a_contact("Alex Rivrea", "'Alex Rivera'")
    ]


def test_a_preview_asks_again_when_a_later_note_says_new():
    """The preview's memo replays a note's problems only while the names declared `new:` stay the same."""
    card = parse_card("entries/contacts/sam-example.md", split("---\nname: Sam Example\n---\n", "c"))[0]
    typo = parse_note("entries/a.md", split("---\ndate: 2026-10-01\nwith: Sam Exampel\n---\n", "a"))[0]
    declares = parse_note("entries/b.md", split("---\ndate: 2026-10-02\nnew: [Sam Exampel]\n---\n", "b"))[0]
    memo = Memo()
    assert len(assemble(Config(), [typo], [card], memo.remember)[1]) == 1
    assert assemble(Config(), [typo, declares], [card], memo.remember)[1] == []
    assert len(assemble(Config(), [typo], [card], memo.remember)[1]) == 1


def test_assemble_asks_remember_for_each_note_and_a_memo_replays_the_same_meeting():
    """remember(key, make) is asked once for the people key, then once per note under a key
    holding that very object (the one an equal earlier assemble's gave back); the preview's
    memo hands back the very Meeting while nothing changed."""
    card = parse_card("entries/contacts/sam-example.md", split("---\nname: Sam Example\n---\n", "c"))[0]
    notes = [
        parse_note(f"entries/{name}.md", split("---\ndate: 2026-10-01\nwith: [Sam Example, Pat Lee]\n---\n", name))[0]
        for name in "ab"
    ]
    asked = []

    def remember(key, make):
        asked.append(key)
        return make()

    journal = assemble(Config(), notes, [card], remember)[0]
    assert [key[0] for key in asked] == ["assemble people", "assembled note", "assembled note"]
    assert [(key[1].items[0].path, key[2]) for key in asked[1:]] == [("entries/a.md", "a"), ("entries/b.md", "b")]
    assert asked[1][3] == asked[2][3]
    assert [contact.slug for contact in journal.contacts] == ["pat-lee", "sam-example"]
    memo = Memo()
    first = assemble(Config(), notes, [card], memo.remember)[0]
    again = assemble(Config(), notes, [card], memo.remember)[0]
    assert again == first and all(m is n for m, n in zip(again.meetings, first.meetings, strict=True))
    changed = assemble(Config(owner="Sam Example"), notes, [card], memo.remember)[0]
    assert changed.meetings[0] is not first.meetings[0]


def _bench_corpus():
    spec = importlib.util.spec_from_file_location("corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_false_alarm_on_the_demo_journal():
    _, problems, _ = load(REPO)
    assert problems == []


def test_no_false_alarm_on_a_generated_journal_of_3000_people(tmp_path):
    """bench/corpus.py's names (shared first names and surnames, accents, names a letter
    apart), half with a card, each named in notes in every field that names a person."""
    corpus = _bench_corpus()
    rng = random.Random(11)
    names = corpus.person_names(3000)
    files = {"journal.yaml": "owner: Alex Rivera\n"}
    for name in rng.sample(names, 1500):
        files[f"entries/contacts/{name.lower().replace(' ', '-')}.md"] = corpus.card(rng, name)
    for index in range(0, len(names), 10):
        group = names[index : index + 10]
        files[f"entries/2024/note-{index}.md"] = "\n".join(
            [
                "---",
                "date: 2024-05-01",
                f"with: [{', '.join(group)}]",
                "commitments:",
                f"  - {{by: {group[0]}, what: x}}",
                f"  - {{by: I, to: {group[1]}, what: y, kind: introduction, introducing: {group[2]}}}",
                f"gave: [{{to: {group[3]}, what: z}}]",
                f"received: [{{from: {group[4]}, what: z}}]",
                "---",
                "",
            ]
        )
    journal, problems, _ = load(write_files(tmp_path, files))
    assert problems == []
    assert len(journal.contacts) == 3000


def test_new_works_whatever_state_the_other_notes_are_in(make_journal, cli):
    root = make_journal(
        {
            "entries/contacts/pat-lee.md": "---\nname: Pat Lee\naliases: [Pat]\nstatus: hot\n---\n",
            "entries/contacts/broken.md": "---\nname: [\n---\n",
            "entries/2026/broken.md": "---\ndate: 2026-13-45\nwith: [Sam Exampel\n---\n",
            "entries/2026/2026-11-23-bob.md": "---\ndate: 2026-11-23\n---\nMine, keep it.\n",
        }
    )
    assert cli("check", "--root", str(root)).returncode == 1
    meeting = cli("new", "meeting", "Bob", "--root", str(root), "--today", "2026-11-23")
    assert (meeting.returncode, meeting.stdout, meeting.stderr) == (
        0,
        f"{root / 'entries/2026/2026-11-23-bob-2.md'}\n",
        "",
    )
    assert (root / "entries/2026/2026-11-23-bob.md").read_text() == "---\ndate: 2026-11-23\n---\nMine, keep it.\n"
    card = cli("new", "contact", "Dana Whitfield", "--root", str(root), "--today", "2026-11-23")
    assert (card.returncode, card.stdout) == (0, f"{root / 'entries/contacts/dana-whitfield.md'}\n")
    again = cli("new", "contact", "pat", "--root", str(root), "--today", "2026-11-23")
    assert (again.returncode, again.stderr) == (
        1,
        "journal: entries/contacts/pat-lee.md is already a card for pat; nothing written\n",
    )


def test_new_without_a_journal_says_so(cli, tmp_path: Path):
    result = cli("new", "meeting", "Bob", "--root", str(tmp_path), "--today", "2026-11-23")
    assert (result.returncode, result.stdout) == (1, "")
    assert (
        result.stderr
        == f"entries: error: no entries/ folder in {tmp_path}; run 'journal init' or pass --root\n1 error in 0 files\n"
    )
    assert not (tmp_path / "entries").exists()


def test_the_name_check_is_bounded_and_ignores_names_without_letters():
    """A 90-letter word is never taken for a typo (the deletions of a word grow with the
    square of its length; a name is at most 100 characters), and a name of punctuation is no
    one's near miss."""
    long = "Q" * 90
    card = parse_card("entries/contacts/q.md", split(f"---\nname: {long} Lee\n---\n", "c"))[0]
    dash = parse_card("entries/contacts/dash.md", split('---\nname: "\u2014"\n---\n', "c"))[0]
    note = parse_note("entries/a.md", split(f'---\ndate: 2026-10-01\nwith: [{long}R Lee, "-"]\n---\n', "a"))[0]
    journal, problems, _ = assemble(Config(), [note], [card, dash])
    assert problems == [] and len(journal.meetings[0].people) == 2
