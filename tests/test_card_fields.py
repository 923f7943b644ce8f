"""A contact card's fields are defined once (fields.CARD_FIELDS): the parser, the editor
schema, the model and the publish profile all follow that one definition, so a new field
cannot be forgotten in one of them."""

from __future__ import annotations

import dataclasses

from journal.editor_schema import editor_schema
from journal.fields import CARD_FIELDS
from journal.model import Contact
from journal.pipeline import load
from journal.redact import redact
from journal.schema import CARD_SHAPES, CardRecord

EVERY_FIELD = """\
---
name: Pat Lee
aliases: [Pat, P. Lee]
company: Lee Print (pat@lee.example)
role: Owner
email: pat@lee.example
phone: +1 415 555 0100
tags: [print, golf]
cadence: 30
status: active
decide_by: 2026-12-01
---
Met at the chamber breakfast.
"""


def test_every_card_field_is_a_field_of_the_record_the_model_and_the_editor_schema():
    names = [field.name for field in CARD_FIELDS]
    record = [field.name for field in dataclasses.fields(CardRecord)]
    contact = [field.name for field in dataclasses.fields(Contact)]
    assert [name for name in record if name in names] == names
    assert [name for name in contact if name in names] == names
    assert list(CARD_SHAPES) == names
    assert set(editor_schema("card")["properties"]) == set(names)
    assert {field.published for field in CARD_FIELDS} <= {"as is", "cleaned", "never"}


def test_a_card_with_every_field_reaches_the_model_whole(make_journal):
    journal, problems, _ = load(make_journal({"entries/contacts/pat-lee.md": EVERY_FIELD}))
    assert problems == []
    contact = journal.contact("pat-lee")
    for field in CARD_FIELDS:  # parse_card reads it and assemble copies it: nothing is left empty
        assert getattr(contact, field.name) not in ("", (), None), field.name
    assert contact.aliases == ("Pat", "P. Lee")


def test_publishing_follows_each_fields_rule(make_journal):
    journal, problems, _ = load(
        make_journal(
            {
                "journal.yaml": "publish:\n  private_fields: [tags]\n",
                "entries/contacts/pat-lee.md": EVERY_FIELD,
            }
        )
    )
    assert problems == []
    before, after = journal.contact("pat-lee"), redact(journal).contact("pat-lee")
    for field in CARD_FIELDS:
        value = getattr(after, field.name)
        if field.published == "never" or field.name == "tags":  # a contact detail; listed private
            assert value == field.empty, field.name
        elif field.name == "company":  # cleaned: the address written in it is hidden
            assert value == "Lee Print ([private])"
        else:
            assert value == getattr(before, field.name), field.name
