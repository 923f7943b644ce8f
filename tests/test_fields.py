"""Every front-matter field is defined once (journal/fields.py): the parser, the editor schema,
the model and the publish profile all read that one definition, so a field offered as private
is one redact.py hides, and a new field cannot be forgotten in one of them."""

from __future__ import annotations

import dataclasses

from journal import fields, schema
from journal.editor_schema import editor_schema
from journal.model import Commitment, Exchange, Meeting
from journal.redact import HIDES
from journal.schema import NoteRecord


def _attributes(kind) -> set[str]:
    return {field.name for field in dataclasses.fields(kind)}


def test_the_parser_and_the_editor_schema_read_the_one_definition():
    assert tuple(schema.NOTE_SHAPES) == tuple(field.name for field in fields.NOTE_FIELDS)
    assert tuple(schema.COMMITMENT_SHAPES) == tuple(field.name for field in fields.COMMITMENT_FIELDS)
    assert set(editor_schema("note")["properties"]) == {field.name for field in fields.NOTE_FIELDS}
    assert schema.PRIVATE_FIELD_CHOICES == fields.PRIVATE_CHOICES


def test_each_field_names_a_model_attribute_and_hides_as_it_says():
    for table, model in (
        (fields.NOTE_FIELDS, Meeting),
        (fields.COMMITMENT_FIELDS, Commitment),
        (fields.GAVE_FIELDS, Exchange),
        (fields.RECEIVED_FIELDS, Exchange),
    ):
        for field in table:
            assert field.private in ("blank", "whole", ""), field
            if field.attribute:
                assert field.attribute in _attributes(model), (model.__name__, field)
            default = next((f.default for f in dataclasses.fields(model) if f.name == field.attribute), None)
            if field.private == "blank" and default is not dataclasses.MISSING:
                assert type(field.empty) is type(default), field  # a blank value of the attribute's own kind


def test_every_field_offered_as_private_is_one_publishing_hides():
    assert set(fields.PRIVATE_CHOICES) <= HIDES
    assert set(fields.PRIVATE_CHOICES) == {
        field.name for field in fields.NOTE_FIELDS + fields.COMMITMENT_FIELDS if field.private
    } | {field.name for field in fields.CARD_FIELDS if field.name != "name"}


def test_every_note_field_reaches_the_parsed_record():
    """Read into NoteRecord under its own name, or under the model's (`with` is `people`,
    `gave` and `received` are `exchanges`), so assemble can carry it on."""
    record = _attributes(NoteRecord)
    for field in fields.NOTE_FIELDS:
        assert field.name in record or field.attribute in record, field


def test_search_indexes_the_fields_marked_searched_and_no_other(make_journal):
    """search.py reads which fields it indexes from fields.py: a word written only in a
    field marked searched is found, a word only in one that is not (the calendar event, the
    mail ids, the place-holder of a channel) is not."""
    from journal.pipeline import load
    from journal.plan import SitePaths
    from journal.search import INDEX_FILE, search_index

    assert INDEX_FILE
    root = make_journal(
        {
            "journal.yaml": "owner: Alex\n",
            "entries/contacts/pat.md": "---\nname: Pat Lee\naliases: [Patsearchalias]\ncompany: Coresearchco\n"
            "role: Rolesearch\ntags: [cardtagsearch]\nstatus: partner\ncadence: 30\n---\n",
            "entries/a.md": "---\ndate: 2026-10-01\ntitle: Titlesearch\nwith: [Pat Lee, Withsearch Person]\n"
            "where: Wheresearch\ntags: [notetagsearch]\nevent: eventsearch-uid\nchannel: call\n"
            "mail: [mailsearch@example.invalid]\n"
            "gave:\n  - {to: Pat Lee, what: Gavesearch, kind: lead}\n"
            "received:\n  - {from: Pat Lee, what: Receivedsearch, kind: favor}\n"
            "commitments:\n  - {by: me, to: Pat Lee, what: Whatsearch, kind: introduction, introducing: Introsearch Person,"
            " id: idsearch}\n---\nBody.\n",
        }
    )
    journal, problems, _ = load(root)
    assert [p for p in problems if p.severity == "error"] == []
    index = search_index(journal, SitePaths()).decode().casefold()
    for word in (
        "patsearchalias coresearchco rolesearch cardtagsearch titlesearch withsearch wheresearch notetagsearch"
        " gavesearch receivedsearch whatsearch introsearch idsearch"
    ).split():
        assert f'"{word}"' in index, word
    for word in ("eventsearch", "mailsearch"):
        assert word not in index, word
    searched = {field.name for field in fields.NOTE_FIELDS + fields.COMMITMENT_FIELDS if field.searched}
    assert searched >= {"title", "with", "where", "tags", "gave", "received", "what", "id"}
    assert not {"event", "mail", "channel", "date", "new"} & searched
