"""Nothing a note says drives the terminal (hostile input, round three): every command prints
names, titles and promises through one guard, and --json escapes what JSON leaves raw."""

from __future__ import annotations

import json

import pytest
from conftest import write_files

ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e", "\x08", "\r")
EVE = "Eve\x1b]0;PWNED\x07\x1b[31mRED\x9b2J"
WHAT = "Send the deck\x1b[2J\x1b]8;;http://evil.example\x07click\x1b]8;;\x07\u202eesrever"

JOURNAL = {
    "journal.yaml": "owner: Alex Sample\n",
    "entries/2026/2026-10-01-coffee.md": f"""
        ---
        date: 2026-10-01
        title: "Coffee\\e[2J with Eve"
        with: "{EVE.encode("unicode_escape").decode()}"
        commitments:
          - by: me
            to: "{EVE.encode("unicode_escape").decode()}"
            what: "{WHAT.encode("unicode_escape").decode()}"
            due: 2026-10-08
          - by: "{EVE.encode("unicode_escape").decode()}"
            what: "{WHAT.encode("unicode_escape").decode()}"
            due: 2026-10-09
        gave:
          - kind: introduction
            to: "{EVE.encode("unicode_escape").decode()}"
            what: "{WHAT.encode("unicode_escape").decode()}"
        ---
        Notes.
    """,
}


@pytest.fixture
def journal(tmp_path):
    root = tmp_path / "journal"
    (root / "entries").mkdir(parents=True)
    return write_files(root, JOURNAL)


def _assert_clean(text: str) -> None:
    for escape in ESCAPES:
        assert escape not in text, f"{escape!r} reached the terminal"


@pytest.mark.parametrize(
    "command",
    [
        ("overdue",),
        ("reciprocity",),
        ("brief", "Eve"),
        ("check",),
        ("brief", EVE),
        ("brief", "\x1b]0;x\x07nobody"),
    ],
)
def test_text_commands_escape_what_a_note_says(cli, journal, command):
    result = cli(*command, "--root", str(journal), "--today", "2026-11-23")
    _assert_clean(result.stdout)
    _assert_clean(result.stderr)
    assert "Traceback" not in result.stderr
    if command[0] in ("overdue", "brief") and result.returncode == 0:
        assert "\\x1b]0;PWNED\\x07" in result.stdout  # shown, escaped: the reader sees what was written


@pytest.mark.parametrize("command", [("overdue", "--json"), ("reciprocity", "--json"), ("brief", EVE, "--json")])
def test_json_escapes_what_a_terminal_acts_on_and_reads_back_the_same(cli, journal, command):
    result = cli(*command, "--root", str(journal), "--today", "2026-11-23")
    assert result.returncode == 0, result.stderr
    _assert_clean(result.stdout)
    assert "\\u001b" in result.stdout
    assert any("\x1b" in text for text in _strings(json.loads(result.stdout)))  # the data, unchanged


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [text for value in data.values() for text in _strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in _strings(value)]
    return [data] if isinstance(data, str) else []


def test_json_escapes_c1_controls_and_overrides_that_json_dumps_leaves_raw():
    from journal.cli import _json

    text = _json({"name": EVE + "\u2066"})
    _assert_clean(text)
    assert json.loads(text) == {"name": EVE + "\u2066"}


def test_tables_stay_aligned_around_escaped_names(cli, journal):
    result = cli("overdue", "--root", str(journal), "--today", "2026-11-23")
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("days  by  to"))
    column = lines[header].index("what")
    assert lines[header + 2][column:].startswith("Send the deck\\x1b[2J")
