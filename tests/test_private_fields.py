"""Every field journal.yaml's publish.private_fields accepts, run through every file a publish
build writes: each field holds a marker the local site shows, and with the field listed
private no published byte holds it, in any page, the search index, the calendar feed, or a
file's name. The fields come from the parser's own list (schema.PRIVATE_FIELD_CHOICES), so
a field added there fails here until it has a marker and redaction hides it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sealed import decrypt_site, leaks, open_index, read_tree

from journal.pipeline import load, render_site
from journal.publish import build_published, published_site
from journal.redact import HIDES
from journal.schema import PRIVATE_FIELD_CHOICES

TODAY = date(2026, 11, 1)  # the notes below lead up to it
PASSPHRASE = "correct horse battery staple"
SITE_ID = "0f9e8d7c6b5a49382716051423324150"

# What the local site shows of each field, and no publish build with the field private may.
MARKERS = {
    "aliases": ["aliasmarker"],
    "cadence": ["37 days"],
    "commitments": ["commitmentmarker"],
    "company": ["companymarker"],
    "consent": ["consent: asked"],
    "decide_by": ["2031-07-19"],
    "dropped": ["droppedmarker"],
    "email": ["emailmarker"],
    "follow_up": ["2030-03-17", "20300317"],
    "fulfills": ["fulfillsmarker", "closed in Fulfillercloser"],  # the id it names; which note closed it
    "gave": ["gavemarker"],
    "id": ["idmarker"],
    "introducing": ["introducingmarker"],
    "kind": ["favor"],
    "phone": ["7700 900555", "7700900555"],
    "received": ["receivedmarker"],
    "releases": ["releasesmarker", "closed in Releasercloser"],
    "role": ["rolemarker"],
    "status": ["partner"],
    "tags": ["cardtagmarker", "notetagmarker"],
    "title": ["titlemarker"],  # the file is named after it too: so is the page's address
    "where": ["wheremarker"],
    "with": ["withmarker"],  # met only there: no page, no search entry, no follow-up
}

PUBLIC = ["Pat Lee", "Pat's card", "Body of the lunch"]

JOURNAL = {
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        aliases: [Aliasmarker]
        company: Companymarker Ltd
        role: Rolemarker
        email: emailmarker@example.com
        phone: "+44 7700 900555"
        tags: [cardtagmarker]
        cadence: 37
        status: partner
        decide_by: 2031-07-19
        ---
        Pat's card.
        """,
    "entries/2026/2026-10-01-titlemarker.md": """
        ---
        date: 2026-10-01
        title: Titlemarker lunch
        with: [Pat Lee, Withmarker Person]
        where: Wheremarker Cafe
        tags: [notetagmarker]
        follow_up: 2030-03-17
        commitments:
          - by: me
            what: Commitmentmarker brochure
            to: Pat Lee
            kind: favor
            due: 2026-12-01
          - by: me
            what: introduce them
            to: Pat Lee
            kind: introduction
            introducing: Introducingmarker Person
            consent: asked
            id: idmarker
            due: 2026-12-05
          - by: Pat Lee
            what: a quote
            dropped: Droppedmarker reason
          - by: me
            what: call back
            to: Pat Lee
            id: fulfillsmarker
            due: 2026-10-20
          - by: me
            what: send the deck
            to: Pat Lee
            id: releasesmarker
            due: 2026-10-25
        gave:
          - to: Pat Lee
            what: Gavemarker lead
        received:
          - from: Pat Lee
            what: Receivedmarker intro
        ---
        Body of the lunch.
        """,
    "entries/2026/2026-10-10-fulfillercloser.md": """
        ---
        date: 2026-10-10
        title: Fulfillercloser
        with: [Pat Lee]
        fulfills: [fulfillsmarker]
        ---
        Done.
        """,
    "entries/2026/2026-10-12-releasercloser.md": """
        ---
        date: 2026-10-12
        title: Releasercloser
        with: [Pat Lee]
        releases: [releasesmarker]
        ---
        Released.
        """,
}


def _journal(make_journal, private: list[str], encrypt: bool = False) -> Path:
    config = f"""
        title: Every field
        publish:
          encrypt: {str(encrypt).lower()}
          calendar: true
          site_id: {SITE_ID}
          private_fields: [{", ".join(private)}]
        """
    return make_journal({**JOURNAL, "journal.yaml": config})


def _with_names(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files, and their names as one more file: an address is published too."""
    return {**files, "(file names)": "\n".join(files).encode()}


def test_every_field_that_can_be_private_has_a_marker_and_redaction_knows_it():
    assert set(MARKERS) == set(PRIVATE_FIELD_CHOICES), "give each field a marker the local site shows"
    assert set(PRIVATE_FIELD_CHOICES) <= HIDES


def test_the_local_site_shows_every_marker(make_journal):
    root = _journal(make_journal, [])
    journal, problems, _ = load(root)
    assert problems == []
    files, problems = render_site(root, journal, TODAY)
    assert problems == []
    found = {marker for _, marker in leaks(_with_names(files), [m for ms in MARKERS.values() for m in ms])}
    assert found == {marker for markers in MARKERS.values() for marker in markers}


@pytest.mark.parametrize("field", PRIVATE_FIELD_CHOICES)
def test_a_private_field_reaches_no_published_file(make_journal, field):
    root = _journal(make_journal, [field])
    journal, problems, _ = load(root)
    assert problems == []
    files, problems = published_site(root, journal, TODAY, lambda: "")
    assert problems == [] and {"calendar.ics", "search-index.js"} <= set(files)
    assert leaks(_with_names(files), MARKERS.get(field, [f"no marker for {field}"])) == []
    assert {text for _, text in leaks(files, PUBLIC)} == set(PUBLIC)


def test_every_field_private_at_once_in_an_encrypted_site(make_journal, tmp_path):
    """The encrypted profile: the readable calendar feed and the file names, and every page
    and the search index as the passphrase opens them."""
    root = _journal(make_journal, list(PRIVATE_FIELD_CHOICES), encrypt=True)
    result = build_published(root, tmp_path / "site", TODAY, lambda: PASSPHRASE)
    assert result.problems == ()
    files = read_tree(tmp_path / "site")
    files.update(decrypt_site(tmp_path / "site", PASSPHRASE))
    files["search-index.js (opened)"] = json.dumps(open_index(tmp_path / "site", PASSPHRASE)).encode()
    assert "calendar.ics" in files
    assert leaks(_with_names(files), [marker for markers in MARKERS.values() for marker in markers]) == []
