"""Hostile and unusual input gets a path:line message and bounded work, never a traceback:
YAML aliases and deep nests, huge files, dates and delays past what arithmetic can hold,
unreadable folders, symlink loops, control characters in file names, and broken imports."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from datetime import date

import pytest
from conftest import problems_of
from hypothesis import given, settings
from hypothesis import strategies as st

from journal import report
from journal.frontmatter import compose, split
from journal.importers import read_vcards
from journal.pipeline import load
from journal.problems import Problem
from journal.schema import MOST_ALIASES, NAME_CHARACTERS, parse_card

NOTE = "entries/2026/a.md"
ALIAS_BOMB = (
    "---\n"
    "date: 2026-10-01\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "with: [*h]\n"
    "---\n"
)


def test_a_yaml_alias_is_refused_at_its_line_so_an_alias_bomb_costs_nothing(make_journal):
    root = make_journal({NOTE: ALIAS_BOMB})
    assert problems_of(root) == [
        f"{NOTE}:4: error: YAML aliases (*a) are not allowed in front matter; write the value out"
    ]


def test_a_merge_key_alias_in_journal_yaml_is_refused_too(make_journal):
    root = make_journal(
        {"journal.yaml": "base: &base\n  title: x\npublish:\n  <<: *base\n", NOTE: "---\ndate: 2026-10-01\n---\n"}
    )
    assert problems_of(root) == [
        "journal.yaml:4: error: YAML aliases (*base) are not allowed in journal.yaml; write the value out"
    ]


def test_nesting_deeper_than_20_levels_is_an_error_at_the_level_that_goes_too_deep(make_journal):
    deep = "[" * 494 + "]" * 494
    root = make_journal(
        {
            NOTE: f"---\ndate: 2026-10-01\nwith: {deep}\n---\n",
            "entries/2026/b.md": "---\ndate: 2026-10-01\ncommitments:\n"
            + "".join("  " * i + "- \n" for i in range(1, 30))
            + "---\n",
        }
    )
    assert problems_of(root) == [
        f"{NOTE}:3: error: front matter nests more than 20 levels deep here",
        "entries/2026/b.md:23: error: front matter nests more than 20 levels deep here",
    ]


def test_a_nest_of_45000_levels_is_refused_at_the_21st(make_journal):
    root = make_journal({NOTE: "---\ndate: 2026-10-01\nwith: " + "[" * 45_000 + "]" * 45_000 + "\n---\n"})
    assert problems_of(root) == [f"{NOTE}:3: error: front matter nests more than 20 levels deep here"]


def test_twenty_levels_are_fine_and_nulls_and_lines_are_as_before():
    tree, problems = compose("a:\n  - b: ~\n    c: null\n    d: '~'\n  - " + "[" * 18 + "]" * 18 + "\n", "p.md", 2)
    assert problems == []
    first = tree.entries["a"].items[0]
    assert [(first.entries[k].text, first.entries[k].plain, first.entries[k].line) for k in "bcd"] == [
        ("", True, 3),
        ("", True, 4),
        ("~", False, 5),
    ]
    assert tree.key_lines == {"a": 2} and tree.entries["a"].line == 3


def test_a_second_yaml_document_is_an_error_at_its_start(make_journal):
    root = make_journal({"journal.yaml": "title: A\n---\ntitle: B\n", NOTE: "---\ndate: 2026-10-01\n---\n"})
    assert problems_of(root) == [
        "journal.yaml:2: error: journal.yaml holds a second YAML document here; remove the '---' line above it"
    ]


def test_a_control_character_in_yaml_is_reported_at_its_line(make_journal):
    root = make_journal(
        {
            NOTE: "---\ndate: 2026-10-01\nwhere: bar\x07\n---\n",
            "entries/2026/b.md": '---\ndate: 2026-10-01\nwhere: "\\q"\n---\n',
        }
    )
    assert problems_of(root) == [
        f"{NOTE}:3: error: broken YAML: the character U+0007 is not allowed; remove it",
        "entries/2026/b.md:3: error: a backslash inside double quotes starts an escape; write \\\\ for a backslash, or use single quotes (the YAML reader says: found unknown escape character 'q')",
    ]


def test_a_file_over_1_mb_is_refused_without_reading_it(make_journal):
    root = make_journal(
        {
            NOTE: "---\ndate: 2026-10-01\n---\n" + "word " * 1_040_000,
            "journal.yaml": "title: " + "x" * 1_100_000 + "\n",
        }
    )
    assert problems_of(root) == [
        f"{NOTE}:1: error: file is 5.2 MB; entries are limited to 1 MB",
        "journal.yaml:1: error: file is 1.1 MB; journal.yaml is limited to 1 MB",
    ]


def test_front_matter_over_100_kb_is_refused_unread(make_journal):
    root = make_journal(
        {
            NOTE: "---\ndate: 2026-10-01\nwith: [" + ",".join(["a"] * 60_000) + "]\n---\nbody\n",
            "journal.yaml": "title: " + "x" * 150_000 + "\n",
        }
    )
    assert problems_of(root) == [
        f"{NOTE}:2: error: front matter is 120 KB; it is limited to 100 KB",
        "journal.yaml:1: error: journal.yaml is 150 KB; it is limited to 100 KB",
    ]


def test_dates_outside_1900_to_2200_are_errors_at_their_field(make_journal):
    root = make_journal(
        {
            "entries/contacts/pat.md": "---\nname: Pat\ndecide_by: 9999-12-31\n---\n",
            NOTE: """
            ---
            date: 9999-12-31
            ---
        """,
            "entries/2026/b.md": """
            ---
            date: 2026-10-01 09:30
            follow_up: 9999-12-31
            commitments:
              - by: me
                what: a
                due: 9999-12-31
              - by: me
                what: b
                done: 1899-12-31
            gave:
              - to: Pat
                what: c
                date: 0001-01-01
            ---
        """,
        }
    )
    assert problems_of(root) == [
        f"{NOTE}:2: error: 'date' must be a date from 1900-01-01 to 2200-12-31, got '9999-12-31'",
        "entries/2026/b.md:3: error: 'follow_up' must be a date from 1900-01-01 to 2200-12-31, got '9999-12-31'",
        "entries/2026/b.md:7: error: 'due' must be a date from 1900-01-01 to 2200-12-31, got '9999-12-31'",
        "entries/2026/b.md:10: error: 'done' must be a date from 1900-01-01 to 2200-12-31, got '1899-12-31'",
        "entries/2026/b.md:14: error: 'date' must be a date from 1900-01-01 to 2200-12-31, got '0001-01-01'",
        "entries/contacts/pat.md:3: error: 'decide_by' must be a date from 1900-01-01 to 2200-12-31, got '9999-12-31'",
    ]


def test_the_last_dates_and_longest_delays_still_add_up(make_journal):
    root = make_journal(
        {
            "journal.yaml": "follow_up_days: 36500\ndefault_due_days: 36500\ncadence_days: 36500\n",
            NOTE: "---\ndate: 2200-12-31\nwith: Pat\ncommitments:\n  - by: me\n    what: a\n  - by: me\n    what: b\n    due: 36500d\n---\n",
        }
    )
    journal, problems, _ = load(root)
    assert problems == []
    assert [c.due for c in journal.commitments] == [date(2300, 12, 7), date(2300, 12, 7)]
    for today in (date(1900, 1, 1), date(2200, 12, 31)):
        assert report.overdue_data(journal, today)["mine"] == []
        report.reciprocity_data(journal, today)


def test_delays_over_100_years_are_errors_at_their_field(make_journal):
    root = make_journal(
        {
            "journal.yaml": "follow_up_days: 99999999999\ncadence_days: " + "9" * 5000 + "\ndefault_due_days: 5215w\n",
            "entries/contacts/pat.md": "---\nname: Pat\ncadence: 36501\n---\n",
            NOTE: "---\ndate: 2026-10-01\ncommitments:\n  - by: me\n    what: a\n    due: 3000000d\n---\n",
        }
    )
    assert problems_of(root) == [
        f"{NOTE}:6: error: 'due' must be a delay of at most 36500 days (100 years), got '3000000d'",
        "entries/contacts/pat.md:3: error: 'cadence' must be at most 36500 days (100 years), got '36501'",
        "journal.yaml:1: error: 'follow_up_days' must be at most 36500 days (100 years), got '99999999999'",
        "journal.yaml:2: error: 'cadence_days' must be at most 36500 days (100 years), got '" + "9" * 40 + "…'",
        "journal.yaml:3: error: 'default_due_days' must be at most 36500 days (100 years), got '5215w'",
    ]


def test_today_out_of_range_is_a_usage_error(make_journal, cli):
    root = make_journal({NOTE: "---\ndate: 2026-10-01\n---\n"})
    result = cli("overdue", "--root", str(root), "--today", "9999-12-25")
    assert result.returncode == 2
    assert (
        result.stderr.splitlines()[-1]
        == "journal overdue: error: argument --today: '9999-12-25' is not a date from 1900-01-01 to 2200-12-31"
    )
    assert "Traceback" not in result.stderr


def test_a_file_symlinked_to_itself_or_in_a_loop_is_reported_and_the_rest_loads(make_journal):
    root = make_journal({NOTE: "---\ndate: 2026-10-01\n---\n"})
    os.symlink("self.md", root / "entries/self.md")
    os.symlink("b.md", root / "entries/c.md")
    os.symlink("c.md", root / "entries/b.md")
    journal, problems, _ = load(root)
    assert [str(p) for p in problems] == [
        "entries/b.md:1: error: cannot read: Too many levels of symbolic links",
        "entries/c.md:1: error: cannot read: Too many levels of symbolic links",
        "entries/self.md:1: error: cannot read: Too many levels of symbolic links",
    ]
    assert len(journal.meetings) == 1


def test_a_journal_yaml_symlinked_to_itself_is_reported(make_journal):
    root = make_journal({NOTE: "---\ndate: 2026-10-01\n---\n"})
    os.symlink("journal.yaml", root / "journal.yaml")
    assert problems_of(root) == ["journal.yaml:1: error: cannot read: Too many levels of symbolic links"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file and folder")
def test_unreadable_folders_and_files_are_errors_with_their_path(make_journal):
    root = make_journal(
        {
            NOTE: "---\ndate: 2026-10-01\n---\n",
            "entries/private/b.md": "---\ndate: 2026-10-01\n---\n",
            "entries/c.md": "x",
        }
    )
    (root / "entries/private").chmod(0)
    (root / "entries/c.md").chmod(0)
    try:
        assert problems_of(root) == [
            "entries/c.md:1: error: cannot read: Permission denied",
            "entries/private: error: cannot read this folder: Permission denied",
        ]
    finally:
        (root / "entries/private").chmod(0o755)


def test_a_control_character_in_a_file_name_is_shown_escaped_on_one_line(make_journal, cli):
    root = make_journal({"entries/a\nb:7: error: fake\x1b[2J.md": "---\nwhere: x\n---\n"})
    result = cli("check", "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "entries/a\\nb:7: error: fake\\x1b[2J.md:1: error: missing required field 'date' (a date like 2026-10-01)",
        "1 error in 1 file",
    ]


def test_a_problem_escapes_control_characters_in_its_message_too():
    assert str(Problem("a.md", 3, "'where' got 'x\ny\u2028'")) == "a.md:3: error: 'where' got 'x\\ny\\u2028'"
    assert str(Problem("a.vcf", 2, "odd", "warning")) == "a.vcf:2: warning: odd"


# Imports: every card checked before any is written.


def _import(cli, root, tmp_path, kind, name, content: bytes):
    export = tmp_path / name
    export.write_bytes(content)
    return cli("import", kind, str(export), "--root", str(root)), str(export)


def test_broken_quoted_printable_and_unknown_charsets_import_with_a_warning(make_journal, cli, tmp_path):
    root = make_journal({})
    vcf = (
        b"BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Pat=C3=28Lee\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=BOGUS-9:Ann=20Example\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:2.1\nFN;QUOTED-PRINTABLE;CHARSET=base64:Bo=20Quinn\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Ren=E9e Roux\nEND:VCARD\n"
    )
    result, export = _import(cli, root, tmp_path, "vcard", "phone.vcf", vcf)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{export}:3: warning: FN holds bytes that are not UTF-8; they became \ufffd, check the card",
        f"{export}:7: warning: FN names CHARSET 'BOGUS-9', which is not a text encoding; read as UTF-8, check the card",
        f"{export}:11: warning: FN names CHARSET 'base64', which is not a text encoding; read as UTF-8, check the card",
    ]
    journal, problems, _ = load(root)
    assert problems == []
    assert sorted(c.name for c in journal.contacts) == ["Ann Example", "Bo Quinn", "Pat\ufffd(Lee", "Renée Roux"]


def test_quoted_printable_among_other_encodings_is_decoded_here_not_by_vobject():
    people, problems = read_vcards(
        "x.vcf",
        (
            "BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE,8BIT:Ann=20Example\nEND:VCARD\n"
            "BEGIN:VCARD\nFN;ENCODING:Bo=41\nEND:VCARD\n"
            "BEGIN:VCARD\nFN;encoding=quoted-printable:Cy=20Dee\nEND:VCARD\n"
        ),
    )
    assert problems == []
    assert [person.name for person in people] == ["Ann Example", "Bo=41", "Cy Dee"]


def test_control_characters_are_stripped_from_imported_text(make_journal, cli, tmp_path):
    root = make_journal({})
    vcf = "BEGIN:VCARD\nVERSION:3.0\nFN:Del\x7fName\x1b[2J\nORG:Acme\x00 Ltd\nNOTE:line one\x01\\nline two\x9b\nEND:VCARD\n"
    result, _ = _import(cli, root, tmp_path, "vcard", "a.vcf", vcf.encode())
    assert result.returncode == 0, result.stderr
    journal, problems, _ = load(root)
    assert problems == []
    (contact,) = journal.contacts
    assert (contact.name, contact.company) == ("DelName[2J", "Acme Ltd")
    assert "line one\nline two" in contact.notes


def test_a_nested_begin_vcard_is_an_error_at_its_line_and_nothing_is_written(make_journal, cli, tmp_path):
    root = make_journal({})
    vcf = b"BEGIN:VCARD\nFN:Ann\nEND:VCARD\nBEGIN:VCARD\nFN:Outer\nBEGIN:VCARD\nFN:Inner\nEND:VCARD\nEND:VCARD\n"
    result, export = _import(cli, root, tmp_path, "vcard", "n.vcf", vcf)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{export}:6: error: a vCard begins inside the vCard begun on line 4; end that one with 'END:VCARD' first",
        "1 error in 1 file",
    ]
    assert list((root / "entries").iterdir()) == []


def test_a_linkedin_field_over_the_csv_limit_is_an_error_at_its_line(make_journal, cli, tmp_path):
    root = make_journal({})
    csv_text = "First Name,Last Name\nAnn,Example\nBo," + "x" * 140_000 + "\n"
    result, export = _import(cli, root, tmp_path, "linkedin", "Connections.csv", csv_text.encode())
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{export}:3: error: not a CSV row LinkedIn writes: field larger than field limit (131072)",
        "1 error in 1 file",
    ]
    assert list((root / "entries").iterdir()) == []


def test_a_card_that_cannot_be_written_takes_back_the_cards_written_before_it(make_journal, tmp_path):
    """The second card is bigger than the process may write (RLIMIT_FSIZE, a real write
    failure that even root gets), so the first card, already written, is removed again."""
    root = make_journal({})
    company = "Big " + "x" * 4000
    export = tmp_path / "Connections.csv"
    export.write_text(f"First Name,Last Name,Company\nAnn,Example,Small\nBo,Quinn,{company}\n", encoding="utf-8")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    result = subprocess.run(
        [sys.executable, "-m", "journal.cli", "import", "linkedin", str(export), "--root", str(root)],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{export}:3: error: cannot write the card for 'Bo Quinn': File too large; nothing written",
        "1 error in 1 file",
    ]
    assert result.stdout == ""
    assert list((root / "entries/contacts").iterdir()) == []


# Names: every name is indexed or looked up letter by letter for typos (text.NameIndex), so a
# name is at most NAME_CHARACTERS long and a card lists at most MOST_ALIASES aliases. Five
# cards of 2,900 aliases of 30 letters took `journal check` 30 s and 2.4 GB.

LONG = "Pat " + "x" * 97  # 101 characters


def _letters(seed: int, count: int) -> str:
    """`count` letters, a different run for each seed (no two aliases alike)."""
    return "".join(chr(ord("a") + (seed // 26**place) % 26) for place in range(count))


def test_five_cards_of_2900_long_aliases_are_errors_and_only_the_first_20_are_kept(make_journal):
    files: dict[str, str | bytes] = {
        f"entries/contacts/p{card}.md": (
            f"---\nname: Person {card}\naliases: [{', '.join(_letters(card * 3000 + n, 30) for n in range(2900))}]\n---\n"
        ).encode()
        for card in range(5)
    }
    files[NOTE] = "---\ndate: 2026-10-01\nwith: [Somebody Unknownish]\n---\n"
    journal, problems, _ = load(make_journal(files))
    assert [str(p) for p in problems] == [
        f"entries/contacts/p{card}.md:3: error: 'aliases' must be at most 20 names, got 2,900" for card in range(5)
    ]
    assert [len(contact.aliases) for contact in journal.contacts if contact.has_card] == [20] * 5


def test_names_over_100_characters_and_too_many_aliases_are_errors_at_their_lines(make_journal):
    root = make_journal(
        {
            "journal.yaml": f"owner: {LONG}\nowner_aliases: [{', '.join(f'Me {n}' for n in range(21))}]\n",
            "entries/contacts/long.md": f"---\nname: {LONG}\n---\n",
            "entries/contacts/pat.md": f"---\nname: Pat\naliases:\n  - Patty\n  - {LONG}\n---\n",
            NOTE: f"""
            ---
            date: 2026-10-01
            with: [Pat, {LONG}]
            new: [{", ".join(f"New {n}" for n in range(51))}]
            follow_up:
              {LONG}: 2026-10-05
            commitments:
              - by: {LONG}
                what: a
            gave:
              - to: {LONG}
                what: b
            ---
            """,
        }
    )
    shown = f"'Pat {'x' * 36}…' (101 characters)"
    assert problems_of(root) == [
        f"{NOTE}:3: error: 'with' must be names of at most 100 characters, got {shown}",
        f"{NOTE}:4: error: 'new' must be at most 50 names, got 51",
        f"{NOTE}:6: error: 'follow_up' must name people in at most 100 characters, got {shown}",
        f"{NOTE}:8: error: 'by' must be a name of at most 100 characters, got {shown}",
        f"{NOTE}:11: error: 'to' must be a name of at most 100 characters, got {shown}",
        f"entries/contacts/long.md:2: error: 'name' must be at most 100 characters, got {shown}",
        f"entries/contacts/pat.md:5: error: 'aliases' must be names of at most 100 characters, got {shown}",
        f"journal.yaml:1: error: 'owner' must be a name of at most 100 characters, got {shown}",
        "journal.yaml:2: error: 'owner_aliases' must be at most 20 names, got 21",
    ]


def test_names_of_100_characters_and_20_aliases_are_fine(make_journal):
    name = "Pat " + "x" * 96
    root = make_journal(
        {
            "entries/contacts/pat.md": f"---\nname: {name}\naliases: [{', '.join(f'P{n}' for n in range(20))}]\n---\n",
            NOTE: f"---\ndate: 2026-10-01\nwith: [{name}]\nnew: [{', '.join(f'New {n}' for n in range(50))}]\n---\n",
        }
    )
    journal, problems, _ = load(root)
    assert problems == []
    assert [len(contact.aliases) for contact in journal.contacts if contact.has_card] == [20]


def test_a_vcard_keeps_20_nicknames_of_100_characters_at_most_with_a_warning(make_journal, cli, tmp_path):
    root = make_journal({})
    nicknames = ",".join(_letters(n, 30) for n in range(2900))
    ann = f"BEGIN:VCARD\nVERSION:3.0\nFN:Ann Example\nNICKNAME:{'y' * 150},Annie\nNICKNAME:{nicknames}\nEND:VCARD\n"
    long_name = f"BEGIN:VCARD\nVERSION:3.0\nFN:{'z' * 150}\nEND:VCARD\n"
    warnings = [
        "4: warning: NICKNAME '"
        + "y" * 40
        + "…' is 150 characters long; a card keeps aliases of at most 100, so it is left out",
        "5: warning: NICKNAME holds 2,901 names; a card keeps at most 20 aliases, so the first 20 are kept",
    ]
    result, export = _import(cli, root, tmp_path, "vcard", "book.vcf", (ann + long_name).encode())
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        *(f"{export}:{warning}" for warning in warnings),
        f"{export}:7: error: the card for '{'z' * 40}…' would not load: 'name' must be at most 100 characters, "
        f"got '{'z' * 40}…' (150 characters)",
        "1 error in 1 file",
    ]
    assert list((root / "entries").iterdir()) == []
    result, export = _import(cli, root, tmp_path, "vcard", "ann.vcf", ann.encode())
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"{export}:{warning}" for warning in warnings]
    journal, problems, _ = load(root)
    assert problems == []
    (contact,) = journal.contacts
    assert contact.aliases == ("Annie", *(_letters(n, 30) for n in range(19)))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.integers(1, 150), st.lists(st.integers(1, 150), max_size=3 * MOST_ALIASES))
def test_any_card_keeps_at_most_20_aliases_of_at_most_100_characters(name_length, alias_lengths):
    """Whatever a card's name and aliases, what the typo index is given is bounded: an error
    for each name past the limits, which are left out."""
    path = "entries/contacts/c.md"
    name = _letters(0, name_length)
    aliases = [_letters(n + 1, length) for n, length in enumerate(alias_lengths)]
    text = f"---\nname: {name}\naliases:\n" + "".join(f"  - {alias}\n" for alias in aliases) + "---\n"
    record, problems = parse_card(path, split(text, path))
    expected = []
    if name_length > NAME_CHARACTERS:
        expected.append(
            f"{path}:2: error: 'name' must be at most 100 characters, got '{name[:40]}…' ({name_length} characters)"
        )
    if len(aliases) > MOST_ALIASES:
        expected.append(f"{path}:3: error: 'aliases' must be at most 20 names, got {len(aliases)}")
    kept = []
    for line, alias in enumerate(aliases[:MOST_ALIASES], start=4):
        if len(alias) > NAME_CHARACTERS:
            expected.append(
                f"{path}:{line}: error: 'aliases' must be names of at most 100 characters, "
                f"got '{alias[:40]}…' ({len(alias)} characters)"
            )
        else:
            kept.append(alias)
    assert sorted(str(problem) for problem in problems) == sorted(expected)
    if name_length > NAME_CHARACTERS:
        assert record is None
    else:
        assert record is not None and [alias.name for alias in record.aliases] == kept
