"""Fuzzed journals: hostile front matter, odd bodies and file names. Whatever the input,
loading, the reports and the build never raise, and every problem is one line
'path:line: error: message'. A fixed seed (derandomize) and a bounded number of examples
keep the run the same on every machine and short in CI; each case the fuzzer found is a
regression test of its own in test_bounded.py."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

from conftest import TODAY, TODAY_ARG, run_cli, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import report
from journal.build import build
from journal.importers import card_for, card_problems, read_linkedin, read_vcards
from journal.pipeline import load
from journal.scaffold import card_text
from journal.schema import CARD_KEYS, COMMITMENT_FIELDS, CONFIG_FIELDS, NOTE_FIELDS

PROBLEM_LINE = re.compile(r"^[^\n]+:\d+: (error|warning): .+$")
FUZZ = settings(
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters a file may hold: everything but surrogates (not text), including control
# characters, line separators, right-to-left marks and emoji.
ANY_CHARACTER = st.characters(blacklist_categories=("Cs",))
NAME_CHARACTER = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")

HOSTILE_VALUES = [
    "2026-10-01",
    "2026-10-01 14:30",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2200-12-31",
    "2026-02-30",
    "2026-10-01 25:61",
    "3d",
    "2w",
    "3000000d",
    "99999999999",
    "9" * 5000,
    "0",
    "-1",
    "1e9",
    "0x10",
    "٣٠",
    "~",
    "null",
    "yes",
    "no",
    "true",
    "''",
    '""',
    "[]",
    "{}",
    "[a, [b, [c]]]",
    "{a: {b: {c: d}}}",
    "[" * 25 + "]" * 25,
    "&anchor value",
    "*undefined",
    "!!binary aGk=",
    "!!python/object/apply:os.system [ls]",
    "!!null x",
    "|\n  block\n  text",
    ">-\n  folded",
    '"\\x07\\u2028"',
    "'it''s'",
    "a: b: c",
    "- item",
    "{",
    "[",
    '"unclosed',
    "@reserved",
    "`tick",
    "%directive",
    "? complex",
    "\x07",
    "\x7f",
    "\u2028",
    "\ufeff",
    "\t",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "x" * 500,
    "张伟",
    "Ольга Петрова",
    "C++",
    "../../etc/passwd",
    "Pat Lee",
    "me",
    "introduction",
    "asked",
    "active",
]
VALUES = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(ANY_CHARACTER, max_size=40))
KEYS = st.one_of(
    st.sampled_from(sorted(set(NOTE_FIELDS + CARD_KEYS + COMMITMENT_FIELDS + CONFIG_FIELDS))),
    st.text(ANY_CHARACTER, min_size=1, max_size=12),
)
# Bodies stay mild: deep '[' runs and nested lists make Python-Markdown quadratic, which the
# renderer's own bounds (another part of issue 10) deal with; here the body only has to
# carry odd characters and the Markdown a person writes.
BODIES = st.lists(
    st.one_of(
        st.text(ANY_CHARACTER, max_size=60),
        st.sampled_from(
            [
                "# Heading",
                "## Private",
                "- item",
                "> quote",
                "```\ncode\n```",
                "[a](javascript:alert(1))",
                "<img src=x onerror=alert(1)>",
                "{: onclick=alert(1) }",
                "| a | b |\n|---|---|\n| 1 | 2 |",
                "---",
                "***",
            ]
        ),
    ),
    max_size=6,
).map("\n\n".join)


def _indent(value: str, by: str) -> str:
    return value.replace("\n", "\n" + by)


@st.composite
def front_matter(draw, keys=KEYS, nested: bool = True) -> str:
    lines = []
    for key in draw(st.lists(keys, max_size=6)):
        if nested and key in ("commitments", "gave", "received") and draw(st.booleans()):
            items = draw(
                st.lists(
                    st.dictionaries(st.sampled_from(COMMITMENT_FIELDS + ("from", "date")), VALUES, max_size=4),
                    max_size=3,
                )
            )
            lines.append(f"{key}:")
            for item in items:
                for index, (field, value) in enumerate(item.items() or [("what", "x")]):
                    lines.append(f"  {'- ' if index == 0 else '  '}{field}: {_indent(value, '      ')}")
        else:
            lines.append(f"{key}: {_indent(draw(VALUES), '  ')}")
    return "\n".join(lines)


@st.composite
def hostile_file(draw) -> str:
    shape = draw(st.sampled_from(["front matter", "front matter", "front matter", "raw", "unclosed"]))
    if shape == "raw":
        return draw(st.text(ANY_CHARACTER, max_size=200))
    matter = draw(front_matter())
    closing = "" if shape == "unclosed" else "\n---\n"
    return f"---\n{matter}{closing}{draw(BODIES)}"


FILE_NAMES = (
    st.text(NAME_CHARACTER, min_size=1, max_size=40)
    .filter(lambda name: name not in (".", ".."))
    .map(lambda name: name + ".md")
)


@st.composite
def hostile_journal(draw) -> dict[str, str]:
    files = {
        f"entries/{draw(st.sampled_from(['', '2026/', 'contacts/']))}{name}": draw(hostile_file())
        for name in draw(st.lists(FILE_NAMES, min_size=1, max_size=5, unique=True))
    }
    if draw(st.booleans()):
        files["journal.yaml"] = draw(front_matter(keys=st.one_of(st.sampled_from(CONFIG_FIELDS), KEYS), nested=False))
    return files


def _write(folder: Path, files: dict[str, str]) -> Path:
    root = Path(tempfile.mkdtemp(dir=folder))
    (root / "entries").mkdir()
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    return root


def _assert_one_line_each(problems) -> None:
    for problem in problems:
        assert PROBLEM_LINE.match(str(problem)), repr(str(problem))


@settings(FUZZ, max_examples=300)
@given(files=hostile_journal())
def test_hostile_journals_load_with_one_line_problems_and_never_raise(tmp_path, files):
    root = _write(tmp_path, files)
    journal, problems, _ = load(root)
    _assert_one_line_each(problems)
    if not problems:
        report.overdue_text(journal, TODAY)
        report.reciprocity_text(journal, TODAY)
        assert build(root, root / "site", TODAY).problems == ()


# Journals that mostly load, so the build runs: real dates at the edges of the range, the
# longest delays, odd names and tags, every field filled.
EDGE_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)).map(date.isoformat)
SHORT_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30).map(
    lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
)
DELAYS = st.one_of(st.integers(0, 36500).map(str), st.integers(1, 36500 // 7).map(lambda weeks: f"{weeks}w"))


@st.composite
def building_note(draw) -> str:
    people = draw(st.lists(SHORT_TEXT, max_size=3))
    lines = [
        f"date: {draw(EDGE_DATES)}",
        f"title: {draw(SHORT_TEXT)}",
        f"with: [{', '.join(people)}]",
        f"tags: [{', '.join(draw(st.lists(SHORT_TEXT, max_size=3)))}]",
        f"where: {draw(SHORT_TEXT)}",
    ]
    if draw(st.booleans()):
        lines.append(f"follow_up: {draw(st.one_of(EDGE_DATES, st.just('false')))}")
    others = people or ['"Pat"']
    commitments = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["me", *others]),
                SHORT_TEXT,
                st.one_of(EDGE_DATES, DELAYS.map(lambda d: d if d.endswith("w") else d + "d")),
            ),
            max_size=3,
        )
    )
    if commitments:
        lines.append("commitments:")
        lines += [
            f"  - by: {by}\n    to: {others[0] if by == 'me' else 'me'}\n    what: {what}\n    due: {due}"
            for by, what, due in commitments
        ]
    return "---\n" + "\n".join(lines) + "\n---\n" + draw(BODIES)


@st.composite
def building_journal(draw) -> dict[str, str]:
    files = {
        f"entries/2026/{index}-{name}": draw(building_note())
        for index, name in enumerate(draw(st.lists(FILE_NAMES, min_size=1, max_size=4, unique=True)))
    }
    for index, name in enumerate(draw(st.lists(SHORT_TEXT, max_size=2))):
        decide = f"decide_by: {draw(EDGE_DATES)}\ncadence: {draw(DELAYS.filter(lambda d: d not in ('0', '0w')))}\n"
        files[f"entries/contacts/card-{index}.md"] = (
            f"---\nname: {name}\ntags: [{draw(SHORT_TEXT)}]\n{decide}---\n{draw(BODIES)}"
        )
    files["journal.yaml"] = (
        "\n".join(
            f"{key}: {draw(DELAYS.filter(lambda d: not d.endswith('w')))}"
            for key in ("follow_up_days", "default_due_days", "cadence_days")
        )
        + "\n"
    )
    return files


@settings(FUZZ, max_examples=60)
@given(files=building_journal(), today=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_journals_at_the_edges_build_or_report_and_never_raise(tmp_path, files, today):
    root = _write(tmp_path, files)
    result = build(root, root / "site", today)
    _assert_one_line_each(result.problems)
    if not result.problems:
        assert (root / "site" / "index.html").is_file()


VCARD_LINES = st.one_of(
    st.text(ANY_CHARACTER, max_size=40),
    st.sampled_from(
        [
            "BEGIN:VCARD",
            "END:VCARD",
            "VERSION:2.1",
            "VERSION:3.0",
            "FN:Pat Lee",
            "N:Lee;Pat;;;",
            "ORG:Acme;Sales",
            "NICKNAME:P,Pat",
            "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=C3=28",
            "FN;QUOTED-PRINTABLE:a=",
            "FN;CHARSET=idna;ENCODING=QUOTED-PRINTABLE:=FF",
            "FN;ENCODING=QUOTED-PRINTABLE,8BIT:x",
            "FN;ENCODING:x",
            "EMAIL;TYPE=pref:a@b.example",
            "TEL;PREF=1:tel:+1 555",
            "NOTE:a\\nb\x7f",
            " folded",
            "\tfolded",
            ":",
            ";",
            'FN;A="b":c',
            "item1.EMAIL:x",
            "FN:\x07\u2028",
        ]
    ),
)


@settings(FUZZ, max_examples=200)
@given(lines=st.lists(VCARD_LINES, max_size=12), rows=st.lists(st.text(ANY_CHARACTER, max_size=30), max_size=6))
def test_hostile_imports_give_line_problems_or_cards_that_load(lines, rows):
    for people, problems in (
        read_vcards("x.vcf", "\n".join(lines)),
        read_linkedin(
            "c.csv", "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "\n".join(rows)
        ),
    ):
        _assert_one_line_each(problems)
        for person in people:
            fields, body = card_for(person, "export")
            assert card_problems(person, "export", card_text(fields, body)) == []


NASTY = {
    "journal.yaml": "follow_up_days: 99999999999\nbase: &b {title: x}\n",
    "entries/2026/bomb.md": "---\ndate: 2026-10-01\na: &a [1,1,1,1,1,1,1,1,1]\nb: [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n---\n",
    "entries/2026/deep.md": "---\ndate: 2026-10-01\nwith: " + "[" * 494 + "]" * 494 + "\n---\n",
    "entries/2026/far.md": "---\ndate: 9999-12-31\ncommitments:\n  - by: me\n    what: x\n    due: 3000000d\n---\n",
    "entries/2026/bell\x07.md": "---\ndate: 2026-10-01\nwhere: \x07\n---\n",
    "entries/2026/new\nline.md": "---\ndate: [2026]\n---\n",
    "entries/contacts/del.md": "---\nname: Del\x7f\ndecide_by: 0001-01-01\n---\n",
    "entries/2026/ok.md": "---\ndate: 2026-10-01\nwith: [张伟, Ольга]\n---\n# Hi\n\n[x](javascript:alert(1))\n",
}


def test_check_and_build_of_a_nasty_journal_print_one_line_per_problem(tmp_path):
    root = write_files(tmp_path / "nasty", NASTY)
    for command in ("check", "build"):
        result = run_cli(command, "--root", str(root), "--today", TODAY_ARG)
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines() == [
            "entries/2026/bell\\x07.md:3: error: broken YAML: the character U+0007 is not allowed; remove it",
            "entries/2026/bomb.md:4: error: YAML aliases (*a) are not allowed in front matter; write the value out",
            "entries/2026/deep.md:3: error: front matter nests more than 20 levels deep here",
            "entries/2026/far.md:2: error: 'date' must be a date from 1900-01-01 to 2200-12-31, got '9999-12-31'",
            "entries/2026/far.md:6: error: 'due' must be a delay of at most 36500 days (100 years), got '3000000d'",
            "entries/2026/new\\nline.md:2: error: 'date' must be a date like 2026-10-01 (optionally with a time, 2026-10-01 14:30), got a list",
            "entries/contacts/del.md:2: error: broken YAML: the character U+007F is not allowed; remove it",
            "journal.yaml:1: error: 'follow_up_days' must be at most 36500 days (100 years), got '99999999999'",
            "journal.yaml:2: error: unknown setting 'base' (did you mean 'base_url'?)",
            "9 errors in 8 files",
        ]
    assert not (root / "site").exists()
