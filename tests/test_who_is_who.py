"""Who is who, for everyone (issue 24): people without a card count as much as carded ones.
A lone first name beside the full name in one note is that person; elsewhere a close miss
for anyone the journal names is an error with "did you mean"; a slip the typo rule lets
through is a warning; `journal people` shows everyone and the look-alikes."""

from __future__ import annotations

import json
import random

from conftest import write_files
from test_names import _bench_corpus

from journal.names import near_miss_warnings
from journal.pipeline import load_with_records

OWNER = {"journal.yaml": "owner: Alex Sample\n"}


def note(day: str, front: str) -> str:
    return f"---\ndate: {day}\n{front.strip()}\n---\nNotes.\n"


def checked(make_journal, files: dict[str, str]) -> list[str]:
    """Every problem `journal check` prints for these files, its warnings included."""
    journal, records, problems, _ = load_with_records(make_journal({**OWNER, **files}))
    return [str(problem) for problem in sorted(problems + near_miss_warnings(journal, records))]


def did_you_mean(name: str, meant: str) -> str:
    return (
        f"'{name}' is nobody the journal knows by that name (did you mean '{meant}'?); write that name, "
        f"or if this is someone new add 'new: [{name}]' to this note"
    )


def test_a_lone_first_name_beside_the_full_name_in_one_note_is_that_person(make_journal, cli):
    root = make_journal(
        {
            **OWNER,
            "entries/2026/a.md": note(
                "2026-10-01",
                """
with: Terry Nguyen
commitments:
  - {by: Terry, what: Send samples, due: 2026-10-08}
  - {by: me, to: terry, what: Call back}
gave: [{to: Terry, what: a lead}]
""",
            ),
        }
    )
    assert cli("check", "--root", str(root)).stdout == "ok: 1 meeting, 1 contact, 2 promises\n"
    brief = cli("brief", "Terry Nguyen", "--root", str(root), "--today", "2026-10-20").stdout
    assert "They owe me (1):\n  Send samples · 12 days overdue" in brief
    assert cli("brief", "Terry", "--root", str(root), "--today", "2026-10-20").returncode == 1  # no phantom Terry


def test_a_shared_alias_means_the_card_the_note_names_in_full(make_journal):
    cards = {
        "entries/contacts/dana-w.md": "---\nname: Dana Whitfield\naliases: [Dana]\n---\n",
        "entries/contacts/dana-m.md": "---\nname: Dana Moss\naliases: [Dana]\n---\n",
    }
    ok = note("2026-10-01", "with: Dana Whitfield\ncommitments: [{by: Dana, what: x}]")
    assert checked(make_journal, {**cards, "entries/2026/a.md": ok}) == []


def test_a_first_name_that_could_be_a_card_or_the_person_in_the_note_is_asked_about(make_journal):
    files = {
        "entries/contacts/pat.md": "---\nname: Pat Lee\naliases: [Pat]\n---\n",
        "entries/2026/a.md": note("2026-10-01", "with: Pat Morgan\ncommitments: [{by: Pat, what: x}]"),
    }
    assert checked(make_journal, files) == [
        "entries/2026/a.md:4: error: 'Pat' could be more than one contact: Pat Lee (pat), "
        "Pat Morgan (named in this note) (pat-morgan); write the full name or the slug"
    ]


def test_close_misses_for_people_without_a_card_are_errors_at_every_place(make_journal):
    files = {
        "entries/2026/2026-10-01-a.md": note("2026-10-01", "with: Terry Nguyen"),
        "entries/2026/2026-10-02-b.md": note(
            "2026-10-02", "with: Greg Mallory\ngave: [{to: Greg Malory, what: a lead}]"
        ),
        "entries/2026/2026-10-03-c.md": note(
            "2026-10-03", "with: Greg Mallory\ncommitments: [{by: Terry, what: call}]"
        ),
        "entries/2026/2026-10-04-d.md": note("2026-10-04", "with: [Oliver Stein, Nadia Haddad]"),
        "entries/2026/2026-10-05-e.md": note("2026-10-05", "with: Oliver\ncommitments: [{by: me, to: Nadia, what: x}]"),
        "entries/2026/2026-10-06-f.md": note("2026-10-06", "with: [Greg Malory, Haddad Nadia]"),
    }
    assert checked(make_journal, files) == [
        f"entries/2026/2026-10-02-b.md:4: error: {did_you_mean('Greg Malory', 'Greg Mallory')}",
        f"entries/2026/2026-10-03-c.md:4: error: {did_you_mean('Terry', 'Terry Nguyen')}",
        f"entries/2026/2026-10-05-e.md:3: error: {did_you_mean('Oliver', 'Oliver Stein')}",
        f"entries/2026/2026-10-05-e.md:4: error: {did_you_mean('Nadia', 'Nadia Haddad')}",
        f"entries/2026/2026-10-06-f.md:3: error: {did_you_mean('Greg Malory', 'Greg Mallory')}",
        f"entries/2026/2026-10-06-f.md:3: error: {did_you_mean('Haddad Nadia', 'Nadia Haddad')}",
    ]


def test_the_spelling_more_notes_use_is_the_person_and_on_a_tie_the_first_written(make_journal):
    once_each = {
        "entries/2026/2026-10-01-a.md": note("2026-10-01", "with: Greg Malory"),
        "entries/2026/2026-10-02-b.md": note("2026-10-02", "with: Greg Mallory"),
    }
    assert checked(make_journal, once_each) == [
        f"entries/2026/2026-10-02-b.md:3: error: {did_you_mean('Greg Mallory', 'Greg Malory')}"
    ]
    more = {**once_each, "entries/2026/2026-10-03-c.md": note("2026-10-03", "with: Greg Mallory")}
    assert checked(make_journal, more) == [
        f"entries/2026/2026-10-01-a.md:3: error: {did_you_mean('Greg Malory', 'Greg Mallory')}"
    ]


def test_new_says_someone_else_and_people_met_together_are_two(make_journal):
    files = {
        "entries/2026/2026-10-01-a.md": note("2026-10-01", "with: Greg Mallory"),
        "entries/2026/2026-10-02-b.md": note("2026-10-02", "with: Greg Mallory"),
        # A name declared new is known from then on: the other spelling is declared too.
        "entries/2026/2026-10-03-c.md": note("2026-10-03", "with: Greg Malory\nnew: [Greg Malory, Greg Mallory]"),
        "entries/2026/2026-10-04-d.md": note("2026-10-04", "with: [Pat & Lee, Pat Lee]"),
        "entries/2026/2026-10-05-e.md": note("2026-10-05", "with: Terry Nguyen"),
        "entries/2026/2026-10-06-f.md": note("2026-10-06", "with: Terry\nnew: [Terry]"),
    }
    assert checked(make_journal, files) == []


def test_a_slip_the_typo_rule_lets_through_is_a_warning_that_new_silences(make_journal, cli):
    files = {
        "entries/contacts/pat-lee.md": "---\nname: Pat Lee\naliases: [Pat]\n---\n",
        "entries/2026/2026-10-01-a.md": note("2026-10-01", "with: Pat Lee\ncommitments: [{by: Pat Le, what: x}]"),
        "entries/2026/2026-10-02-b.md": note("2026-10-02", "with: [Sam Wu, Ann Wu, Sam Lee]"),
    }
    warning = (
        "entries/2026/2026-10-01-a.md:4: warning: 'Pat Le' is one letter from 'Pat Lee' (entries/contacts/pat-lee.md); "
        "if they are two people, add 'new: [Pat Le]' to this note to say so"
    )
    assert checked(make_journal, files) == [warning]
    root = make_journal({**OWNER, **files})
    result = cli("check", "--root", str(root))
    assert (result.returncode, result.stderr) == (0, f"{warning}\n1 warning in 4 files\n")
    files["entries/2026/2026-10-01-a.md"] = files["entries/2026/2026-10-01-a.md"].replace(
        "with: Pat Lee", "with: Pat Lee\nnew: [Pat Le]"
    )
    assert checked(make_journal, files) == []


def test_journal_people_lists_everyone_and_the_look_alikes(make_journal, cli):
    root = make_journal(
        {
            **OWNER,
            "entries/contacts/pat-lee.md": "---\nname: Pat Lee\n---\n",
            "entries/2026/2026-10-01-a.md": note("2026-10-01", "with: [Pat Lee, Greg Mallory]"),
            "entries/2026/2026-10-02-b.md": note(
                "2026-10-02", "with: Greg Mallory\ngave: [{to: Greg Malory, what: z}]"
            ),
            "entries/2026/2026-10-03-c.md": note("2026-10-03", "with: Pat Le"),
        }
    )
    result = cli("people", "--json", "--root", str(root))
    assert result.returncode == 0
    assert result.stderr == "the journal has 1 error: 'journal check' lists them\n"
    assert json.loads(result.stdout) == {
        "people": [
            {
                "slug": "greg-mallory",
                "name": "Greg Mallory",
                "card": None,
                "notes": 2,
                "first_named": "entries/2026/2026-10-01-a.md:3",
            },
            {
                "slug": "greg-malory",
                "name": "Greg Malory",
                "card": None,
                "notes": 1,
                "first_named": "entries/2026/2026-10-02-b.md:4",
            },
            {
                "slug": "pat-le",
                "name": "Pat Le",
                "card": None,
                "notes": 1,
                "first_named": "entries/2026/2026-10-03-c.md:3",
            },
            {
                "slug": "pat-lee",
                "name": "Pat Lee",
                "card": "entries/contacts/pat-lee.md",
                "notes": 1,
                "first_named": "entries/2026/2026-10-01-a.md:3",
            },
        ],
        "look_alike": [
            {"first": "greg-mallory", "second": "greg-malory", "why": "close"},
            {"first": "pat-le", "second": "pat-lee", "why": "one letter"},
        ],
    }
    text = cli("people", "--root", str(root)).stdout.splitlines()
    assert text[:3] == [
        "name          slug          card  notes  first named",
        "------------  ------------  ----  -----  ------------------------------",
        "Greg Mallory  greg-mallory  -     2      entries/2026/2026-10-01-a.md:3",
    ]
    assert text[-3:] == [
        "Look alike (2): one person, or two? A card or 'new:' settles it.",
        "  Greg Mallory (greg-mallory) · Greg Malory (greg-malory): close",
        "  Pat Le (pat-le) · Pat Lee (pat-lee): one letter",
    ]


def test_no_false_alarm_when_3000_people_each_have_notes_of_their_own(tmp_path):
    """bench/corpus.py's names (first names and surnames shared, names a letter apart: Maria
    and Mario, Li and Lee, Chan and Chen), 1,000 with a card, each named alone in notes of
    their own, in every field that names a person: nobody is questioned, not even warned."""
    corpus = _bench_corpus()
    rng = random.Random(3)
    names = corpus.person_names(3000)
    files = {"journal.yaml": "owner: Alex Rivera\n"}
    for name in rng.sample(names, 1000):
        files[f"entries/contacts/{name.lower().replace(' ', '-').replace('.', '')}.md"] = corpus.card(rng, name)
    for index, name in enumerate(names):
        other = names[(index * 7 + 1) % len(names)]
        front = (
            f"with: {name}\ncommitments: [{{by: me, to: {name}, what: x, kind: introduction, introducing: {other}}}]"
        )
        files[f"entries/2024/note-{index}.md"] = note("2024-05-01", front)
    journal, records, problems, _ = load_with_records(write_files(tmp_path, files))
    assert problems == []
    assert near_miss_warnings(journal, records) == []
    assert len(journal.contacts) == 3000
