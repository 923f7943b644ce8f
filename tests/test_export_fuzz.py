"""Fuzzed journals through `journal export`: whatever a journal that loads holds (control
characters, right-to-left marks, quotes, commas, backslashes, formulas, emoji), each export is
made without raising, the JSON validates against its schema, the CSV reads back a row per
promise, and the vCard reads back a person per card with no error."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import ANY_CHARACTER, BODIES, FUZZ, HOSTILE_VALUES, _write, building_journal, hostile_journal

from journal import export
from journal.export_schema import export_schema
from journal.importers import clean, read_vcards
from journal.pipeline import load

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what a vCard cannot hold (RFC 6350 3.3)
VALIDATOR = jsonschema.Draft202012Validator(export_schema())
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def _exports_read_back(journal, today: date) -> None:
    for private in (False, True):
        shown = export.profile(journal, today, private)
        document = json.loads(json.dumps(export.json_document(shown, today, private)))
        VALIDATOR.validate(document)
        assert len(document["promises"]) == len(shown.commitments)

        rows = list(csv.reader(io.StringIO(export.promises_csv(shown, today).decode("utf-8-sig"), newline="")))
        assert rows[0] == list(export.CSV_COLUMNS)
        assert len(rows) == len(shown.commitments) + 1 and all(len(row) == len(export.CSV_COLUMNS) for row in rows)
        assert not any(cell.startswith(export.FORMULA_STARTS) for row in rows for cell in row)

        cards = [contact for contact in shown.contacts if contact.has_card]
        data = export.vcards(shown)
        assert all(len(line) <= 75 for line in data.split(b"\r\n"))
        if not cards:
            assert data == b""
            continue
        people, problems = read_vcards("export.vcf", data.decode("utf-8"))
        assert [p for p in problems if p.severity == "error"] == []
        assert [person.name for person in people] == [clean(_CONTROLS.sub("", card.name)) for card in cards]


# building_journal's delays are drawn with filters; with this test's seed they discard enough
# inputs for Hypothesis to warn, which says nothing of what the export does.
@settings(FUZZ, max_examples=30, suppress_health_check=[*FUZZ.suppress_health_check, HealthCheck.filter_too_much])
@given(files=building_journal(), today=DAYS)
def test_exports_of_journals_at_the_edges_read_back(tmp_path, files, today):
    journal, problems, _ = load(_write(tmp_path, files))
    if not problems:
        _exports_read_back(journal, today)


@settings(FUZZ, max_examples=30)
@given(files=hostile_journal())
def test_exports_of_hostile_journals_that_load_read_back(tmp_path, files):
    journal, problems, _ = load(_write(tmp_path, files))
    if not problems:
        _exports_read_back(journal, date(2026, 11, 23))


HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE_VALUES + ["=1+1", "+cmd|' /C calc'!A0", "@SUM(1)", "-2", "a,b;c\\d", 'say "hi"']),
    st.text(ANY_CHARACTER, min_size=1, max_size=30),
)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar of any text: what is not printable as an escape."""

    def escaped(ch: str) -> str:
        if ch in '"\\':
            return "\\" + ch
        if ch.isprintable() and ch != "\ufeff":
            return ch
        return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"

    return '"' + "".join(map(escaped, text)) + '"'


@st.composite
def journal_of_hostile_values(draw) -> dict[str, str]:
    """A card and a note that load, every free-text field of them hostile."""

    def text() -> str:
        return _quoted(draw(HOSTILE_TEXT))

    name = text() if draw(st.booleans()) else '"Pat Lee"'
    card = (
        f"---\nname: {name}\naliases: [{text()}]\ncompany: {text()}\nrole: {text()}\n"
        f"email: {text()}\nphone: {text()}\ntags: [{text()}]\n---\n{draw(BODIES)}"
    )
    note = (
        f"---\ndate: 2026-10-01\ntitle: {text()}\nwith: {name}\nwhere: {text()}\ncommitments:\n"
        f"  - by: me\n    what: {text()}\n    due: 2026-10-05\n"
        f"  - by: {name}\n    what: {text()}\n    dropped: {text()}\n"
        f"gave:\n  - to: {name}\n    what: {text()}\n---\n{draw(BODIES)}"
    )
    return {"entries/contacts/pat.md": card, "entries/2026/2026-10-01-note.md": note}


@settings(FUZZ, max_examples=30)
@given(files=journal_of_hostile_values())
def test_exports_of_journals_of_hostile_values_read_back(tmp_path, files):
    journal, problems, _ = load(_write(tmp_path, files))
    if not problems:
        _exports_read_back(journal, date(2026, 11, 23))
