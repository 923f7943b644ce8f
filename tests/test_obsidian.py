"""Obsidian's property links: every front-matter field that names a person takes "[[Pat Lee]]"
and "[[Pat Lee|Pat]]" (quoted, as Obsidian writes a property that links to a note) as that
person, with the same name rules as the plain name; a link written wrong, or left unquoted
(YAML reads `[[Pat Lee]]` as a list inside a list), is an error that says what to write. And
a journal that is also an Obsidian vault: Obsidian's own folders are not read."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, TODAY_ARG, write_files
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.frontmatter import split
from journal.schema import NAME_CHARACTERS, parse_note
from journal.text import fold
from journal.watch import relevant_path
from journal.wikilinks import WIKILINK, parts, property_name, target_key

CARDS = {
    "journal.yaml": "title: Vault\nowner: Alex Sample\n",
    "entries/contacts/pat-lee.md": "---\nname: Pat Lee\naliases: [Patty]\n---\n",
    "entries/contacts/sam-example.md": "---\nname: Sam Example\n---\n",
}
NOTE = "entries/2026/2026-10-01-coffee.md"
LINKED = """
    ---
    date: 2026-10-01
    with: ["[[Pat Lee]]", "[[Terry Nguyen|Terry]]"]
    follow_up:
      - "[[Patty]]"
    new: ["[[Dana Whitfield#Work]]"]
    commitments:
      - by: "[[pat-lee|Pat]]"
        what: Send the quote
        due: 2026-10-08
      - by: me
        to: "[[contacts/pat-lee]]"
        what: Introduce Pat to Dana
        kind: introduction
        introducing: "[[Dana Whitfield]]"
        consent: asked
    gave:
      - to: "[[Terry Nguyen]]"
        what: A lead
    received:
      - from: "[[entries/contacts/pat-lee|Pat]]"
        what: Coffee
    ---
    # Coffee

    Met [[Pat Lee]], [[pat-lee|Pat]] and [[contacts/pat-lee]] with [[Terry Nguyen#Work|Terry]].
"""


def check(cli, root):
    return cli("check", "--root", str(root), "--today", TODAY_ARG)


def test_quoted_links_in_every_person_field_name_the_people_and_their_pages_list_the_meeting(
    make_journal, cli, tmp_path
):
    root = make_journal({**CARDS, NOTE: LINKED})
    checked = check(cli, root)
    assert (checked.returncode, checked.stderr) == (0, "")
    assert checked.stdout == "ok: 1 meeting, 4 contacts, 2 promises\n"
    built = cli("build", "--root", str(root), "--out", str(tmp_path / "site"), "--today", TODAY_ARG, "--quiet")
    assert (built.returncode, built.stderr) == (0, "")
    contacts = tmp_path / "site/contacts"
    assert sorted(page.name for page in contacts.glob("*.html")) == [
        "dana-whitfield.html",
        "index.html",
        "pat-lee.html",
        "sam-example.html",
        "terry-nguyen.html",
    ]
    for person in ("pat-lee", "terry-nguyen"):
        assert 'href="../meetings/2026-10-01-coffee.html"' in (contacts / f"{person}.html").read_text()
    # The body's links to the same targets go to the same page as the properties' do.
    meeting = (tmp_path / "site/meetings/2026-10-01-coffee.html").read_text()
    body = re.search(r"Met (.*?)\.</p>", meeting)
    assert body is not None
    assert re.findall(r'href="([^"]+)"', body[1]) == ["../contacts/pat-lee.html"] * 3 + [
        "../contacts/terry-nguyen.html"
    ]
    owed = cli("overdue", "--root", str(root), "--today", "2026-10-20", "--json")
    assert owed.returncode == 0, owed.stderr
    assert '"pat-lee"' in owed.stdout and "Send the quote" in owed.stdout and "Introduce Pat to Dana" in owed.stdout


@pytest.mark.parametrize(
    "linked, plain",
    [
        ('with: ["[[Sam Exampel]]"]', "with: [Sam Exampel]"),  # a typo of a card's name: an error, did you mean
        ('with: ["[[Sam Exampel|Sam]]"]', "with: [Sam Exampel]"),
        ('with: ["[[Pat Le]]"]', "with: [Pat Le]"),  # one letter from a card, in a short word: a warning
        ('with:\n  - "[[Example Sam]]"', "with:\n  - Example Sam"),  # the same words in another order
        (
            'with: [Terry Nguyen]\ncommitments:\n  - by: "[[Terry]]"\n    what: x',
            "with: [Terry Nguyen]\ncommitments:\n  - by: Terry\n    what: x",
        ),
        ('with: ["[[Pat Lee]]", "[[Pat Lee]]"]', "with: [Pat Lee, Pat Lee]"),
        ('with: ["[[me]]"]', "with: [me]"),
    ],
)
def test_a_link_is_held_to_the_same_name_rules_as_the_plain_name(make_journal, cli, tmp_path, linked, plain):
    linked_result, plain_result = (
        check(cli, make_journal({**CARDS, NOTE: f"---\ndate: 2026-10-01\n{front}\n---\n"}, tmp_path / folder))
        for front, folder in ((linked, "linked"), (plain, "plain"))
    )
    assert (linked_result.returncode, linked_result.stdout, linked_result.stderr) == (
        plain_result.returncode,
        plain_result.stdout,
        plain_result.stderr,
    )


def test_a_typo_in_a_link_gets_did_you_mean(make_journal, cli):
    root = make_journal({**CARDS, NOTE: '---\ndate: 2026-10-01\nwith: ["[[Pat Lee]]", "[[Sam Exampel]]"]\n---\n'})
    result = check(cli, root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{NOTE}:3: error: 'Sam Exampel' is not a contact (did you mean 'Sam Example'?); if this is someone new, "
        "give them a card (journal new contact \"Sam Exampel\") or add 'new: [Sam Exampel]' to this note",
        "1 error in 4 files",
    ]


def test_a_one_letter_slip_in_a_link_is_a_warning_as_it_is_in_a_plain_name(make_journal, cli):
    root = make_journal({**CARDS, NOTE: '---\ndate: 2026-10-01\nwith: ["[[Pat Le]]"]\n---\n'})
    result = check(cli, root)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{NOTE}:3: warning: 'Pat Le' is one letter from 'Pat Lee' (entries/contacts/pat-lee.md); if they are "
        "two people, add 'new: [Pat Le]' to this note to say so",
        "1 warning in 4 files",
    ]


UNQUOTED = "YAML reads a link without quotes that way; put the link in quotes, as Obsidian writes it"


def test_an_unquoted_link_says_in_plain_words_to_quote_it(make_journal, cli):
    root = make_journal(
        {
            **CARDS,
            NOTE: """
                ---
                date: 2026-10-01
                with: [[Pat Lee]]
                new:
                  - [[Bob Stone|Bob]]
                commitments:
                  - by: [[Pat Lee]]
                    what: x
                ---
            """,
            "entries/2026/2026-10-02-two.md": "---\ndate: 2026-10-02\nwith: [[Pat Lee]], [[Bob]]\n---\n",
            "entries/contacts/terry.md": "---\nname: [[Terry Nguyen]]\n---\n",
        }
    )
    result = check(cli, root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{NOTE}:3: error: 'with' holds a list inside a list, [[Pat Lee]]: {UNQUOTED}: \"[[Pat Lee]]\"",
        f"{NOTE}:5: error: 'new' holds a list inside a list, [[Bob Stone|Bob]]: {UNQUOTED}: \"[[Bob Stone|Bob]]\"",
        f"{NOTE}:7: error: 'by' holds a list inside a list, [[Pat Lee]]: {UNQUOTED}: \"[[Pat Lee]]\"",
        "entries/2026/2026-10-02-two.md:3: error: a link needs quotes in front matter (YAML reads [[Pat Lee]] "
        'without them as a list inside a list); write with: ["[[Pat Lee]]", "[[Bob]]"] '
        "(the YAML reader says: expected <block end>, but found ',')",
        f"entries/contacts/terry.md:2: error: 'name' holds a list inside a list, [[Terry Nguyen]]: {UNQUOTED}: "
        '"[[Terry Nguyen]]"',
        "5 errors in 6 files",
    ]


def test_readme_shows_the_errors_journal_gives(make_journal, cli):
    root = make_journal(
        {
            **CARDS,
            "entries/2026/2026-10-01-coffee.md": """
                ---
                date: 2026-10-01
                with: [[Pat Lee]]
                commitments:
                  - by: "[[Pat Lee|]]"
                    what: Send the quote
                ---
            """,
        }
    )
    shown = [line.strip() for line in (REPO / "README.md").read_text().splitlines() if "[[Pat Lee" in line]
    result = check(cli, root)
    assert result.stderr.splitlines()[:-1] == [line for line in shown if line.startswith("entries/2026/")]


EXPECTED = 'must be a name, or a link to one written "[[Name]]" or "[[Name|shown]]"'


@pytest.mark.parametrize(
    "written, why",
    [
        ("[[]]", "the link names no one"),
        ("[[ ]]", "the link names no one"),
        ("[[|Pat]]", "the link names no one"),
        ("[[#Work]]", "the link names no one"),
        ("[[a|]]", "nothing follows the '|'"),
        ("[[[x]]]", "a link holds no '[' or ']' inside it (one link to each person, in a list for several)"),
        ("[[a [[b]] c]]", "a link holds no '[' or ']' inside it (one link to each person, in a list for several)"),
        (
            "[[Pat Lee]] and [[Sam]]",
            "a link holds no '[' or ']' inside it (one link to each person, in a list for several)",
        ),
        ("[[Pat Lee", "the link is never closed with ']]'"),
        ("[[Pat Lee]", "the link is never closed with ']]'"),
        ("[[Pat Lee]] x", "text after the link"),
        ("Pat [[Lee]]", "text before the link"),
        ("Pat Lee]]", "']]' closes a link that never opens with '[['"),
    ],
)
def test_a_link_written_wrong_is_an_error_naming_the_field_and_what_it_must_be(make_journal, cli, written, why):
    quoted = written.replace('"', '\\"')
    root = make_journal(
        {
            **CARDS,
            NOTE: f'---\ndate: 2026-10-01\nwith:\n  - "{quoted}"\ngave:\n  - to: "{quoted}"\n    what: x\n---\n',
            "entries/contacts/bob.md": f'---\nname: Bob\naliases: ["{quoted}"]\n---\n',
        }
    )
    result = check(cli, root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{NOTE}:4: error: 'with' {EXPECTED}, got '{written}': {why}",
        f"{NOTE}:6: error: 'to' {EXPECTED}, got '{written}': {why}",
        f"entries/contacts/bob.md:3: error: 'aliases' {EXPECTED}, got '{written}': {why}",
        "3 errors in 5 files",
    ]


def test_a_linked_name_is_held_to_the_100_character_cap(make_journal, cli):
    name = "Pat " + "x" * (NAME_CHARACTERS - 3)
    root = make_journal(
        {
            NOTE: f'---\ndate: 2026-10-01\nwith: ["[[{name}|Pat]]"]\nfollow_up:\n  "[[{name}]]":\n'
            f'commitments:\n  - by: "[[{name}]]"\n    what: x\n---\n',
            "entries/2026/2026-10-02-fine.md": f'---\ndate: 2026-10-02\nwith: ["[[{name[:-1]}|Pat]]"]\n---\n',
        }
    )
    shown = f"'Pat {'x' * 36}…' (101 characters)"
    result = check(cli, root)
    assert result.stderr.splitlines() == [
        f"{NOTE}:3: error: 'with' must be names of at most 100 characters, got {shown}",
        f"{NOTE}:5: error: 'follow_up' must name people in at most 100 characters, got {shown}",
        f"{NOTE}:7: error: 'by' must be a name of at most 100 characters, got {shown}",
        "3 errors in 2 files",
    ]


def test_obsidian_folders_and_trash_are_not_read(make_journal, cli, tmp_path):
    """The vault is the journal's root (Obsidian keeps .obsidian/ and .trash/ there), or
    entries/ itself: either way, journal reads neither folder, nor what Obsidian's trash holds."""
    deleted = "---\ndate: 2026-10-03\nwith: [Ghost Person]\n---\nDeleted in Obsidian.\n"
    root = make_journal({**CARDS, NOTE: '---\ndate: 2026-10-01\nwith: ["[[Pat Lee]]"]\n---\n'})
    write_files(
        root,
        {
            ".obsidian/app.json": "{}\n",
            ".obsidian/templates/meeting.md": "---\ndate: {{date}}\n---\n",
            ".trash/2026-10-03-deleted.md": deleted,
            "entries/.obsidian/workspace.json": '{"main": {}}\n',
            "entries/.obsidian/snippets/notes.md": "not front matter\n",
            "entries/.trash/2026-10-03-deleted.md": deleted,
            "entries/contacts/.trash/ghost.md": "---\nname: Ghost Person\n---\n",
            "entries/2026/Untitled.canvas": '{"nodes": []}\n',
        },
    )
    checked = check(cli, root)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "ok: 1 meeting, 2 contacts, 0 promises\n", "")
    built = cli("build", "--root", str(root), "--out", str(tmp_path / "site"), "--today", TODAY_ARG, "--quiet")
    assert (built.returncode, built.stderr) == (0, "")
    assert not (tmp_path / "site/contacts/ghost-person.html").exists()
    assert "Ghost" not in "".join(page.read_text() for page in (tmp_path / "site").rglob("*.html"))
    for path in ("entries/.obsidian/workspace.json", "entries/.trash/a.md", ".obsidian/app.json", ".trash/a.md"):
        assert relevant_path(root, str(root / path), False) is None  # a preview does not rebuild for them


# The names a link may hold: no brackets, '|', '#', '/' or line breaks, and some letter.
TARGET = st.text(st.characters(blacklist_characters="[]|#/\n\r", blacklist_categories=("Cs",)), max_size=40).filter(
    lambda text: text.strip()
)
SHOWN = st.text(st.characters(blacklist_characters="[]\n\r", blacklist_categories=("Cs",)), max_size=20).filter(
    lambda text: text.strip()
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    TARGET, SHOWN, st.sampled_from(["", "#Work", "#^block"]), st.sampled_from(["", "contacts/", "entries/contacts/"])
)
def test_a_link_names_what_a_body_link_to_the_same_target_names(name, shown, heading, folder):
    for link in (f"[[{folder}{name}{heading}]]", f"[[{folder}{name}{heading}|{shown}]]"):
        assert property_name(link) == (name.strip(), "")
        assert property_name(f"  {link} ") == (name.strip(), "")
        if not folder:  # a body finds a file by its path too; a property by the file's name
            match = WIKILINK.fullmatch(link)
            assert match is not None and target_key(parts(match)[0]) == fold(name)


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.text(st.sampled_from("[]|#/ ab\n"), max_size=16) | st.text(max_size=30))
def test_any_text_is_a_name_or_a_reason_never_a_name_with_brackets(text):
    name, why = property_name(text)
    assert (name == "") or (why == "")
    assert "[[" not in name and "]]" not in name
    if "[[" not in text and "]]" not in text:
        assert (name, why) == (text.strip(), "")
    elif not why:
        assert text.strip().startswith("[[") and text.strip().endswith("]]") and name
    else:
        assert name == ""


@settings(max_examples=200, derandomize=True, deadline=None)
@given(TARGET.filter(lambda text: '"' not in text and "\\" not in text and not text.isspace()))
def test_a_note_reads_a_linked_name_as_the_plain_one(name):
    """Through the parser: `with` and `by` read "[[name]]" as they read "name", line included."""
    records = []
    for written in (f"[[{name}]]", name):
        text = f'---\ndate: 2026-10-01\nwith: ["{written}"]\ncommitments:\n  - by: "{written}"\n    what: x\n---\n'
        records.append(parse_note(NOTE, split(text, NOTE)))
    (linked, linked_problems), (plain, plain_problems) = records
    assert [str(problem) for problem in linked_problems] == [str(problem) for problem in plain_problems]
    if plain is not None and linked is not None:
        assert (linked.people, linked.commitments) == (plain.people, plain.commitments)
