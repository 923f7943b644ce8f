"""YAML mistakes in plain words, on the line to edit (issue 24): what a person does wrong
when typing front matter by hand or on a phone, and what journal tells them."""

from __future__ import annotations

import pytest

from journal.frontmatter import compose, split

DETAIL = " (the YAML reader says: "


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "date: 2026-12-09\nwith:\n\t- Pat\n",
            "n.md:4: error: a tab is used for indenting here; indent with spaces, not a tab",
        ),
        (
            "date: 2026-12-09\ncommitments:\n  - by: me\n\t  what: x\n",
            "n.md:5: error: a tab is used for indenting here; indent with spaces, not a tab",
        ),
        ("title: x\ndate:2026-12-09\nwith: Pat\n", "n.md:3: error: put a space after the colon: 'date: 2026-12-09'"),
        ("title: x\nwith: Pat\ndate:2026-12-09\n", "n.md:4: error: put a space after the colon: 'date: 2026-12-09'"),
        ("date:2026-12-09\n", "n.md:2: error: put a space after the colon: 'date: 2026-12-09'"),
        (
            "date: 2026-12-09\ncommitments:\n  - by: me\n    what: Lead: the cafe\n    due: 1w\n",
            "n.md:5: error: the value of 'what' holds ': '; put the text in quotes: what: \"Lead: the cafe\"",
        ),
        (
            'title: Lunch: with "Greg"\n',
            "n.md:2: error: the value of 'title' holds ': '; put the text in quotes: title: \"Lunch: with \\\"Greg\\\"\"",
        ),
        (
            'date: 2026-12-09\ntitle: "abc\nwith: x\n',
            "n.md:3: error: a quote opened on this line is never closed; end the text with the same quote",
        ),
        (
            "with: [Pat, Greg\ntitle: x\n",
            "n.md:2: error: a list opened on this line is never closed; end it with ']'",
        ),
    ],
)
def test_a_yaml_slip_is_named_on_its_own_line(front, expected):
    document = split(f"---\n{front}---\nbody\n", "n.md")
    assert len(document.problems) == 1
    message = str(document.problems[0])
    assert message.partition(DETAIL)[0] == expected


def test_the_readers_own_words_stay_as_a_detail():
    tree, problems = compose("date: 1\nwith:\n\t- Pat\n", "journal.yaml", what="journal.yaml")
    assert tree is None
    assert str(problems[0]) == (
        "journal.yaml:3: error: a tab is used for indenting here; indent with spaces, not a tab "
        "(the YAML reader says: found character '\\t' that cannot start any token)"
    )


def test_a_url_is_not_taken_for_a_missing_space(cli, make_journal):
    root = make_journal({"entries/a.md": "---\ndate: 2026-10-01\nwhere: https://meet.example/x\n---\n"})
    assert cli("check", "--root", str(root)).returncode == 0
