"""Every front-matter field, defined once: a note's, a promise's, an exchange's and a card's.

Each field says its key, the shape of value the parser reads (schema.py) and the editor
schema describes (editor_schema.py), the model attribute it becomes, whether and how the
search index holds it (search.py), and how a publish build hides it when journal.yaml's
`publish.private_fields` lists it (redact.py):

- "blank": the attribute is published as `empty`, as if the field had not been written;
- "whole": redact.py hides it with more than a blank value (a title gives the page another
  address, a promise's `dropped` keeps it open, `fulfills` closes nothing);
- "never": a contact detail, never published, private or not (a card's e-mail and phone);
- "": not offered as private, because the rest of the journal stands on it (a note's date,
  who promised what to whom and by when, the names declared new).

The choices `private_fields` accepts are read from here (schema.PRIVATE_FIELD_CHOICES), and
so are redact's tables: a field offered as private that publishing does not hide cannot be
written without tests/test_private_fields.py failing. A new note field is a line here, a read
in schema.parse_note, an attribute of NoteRecord and model.Meeting, and a template line.

Imports nothing from the package: every other module may import it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One field of a note, a promise or an exchange (see the module's docstring)."""

    name: str
    shape: str
    attribute: str = ""  # of model.Meeting, model.Commitment or model.Exchange; '' when the model keeps none
    empty: object = ""
    private: str = "blank"  # "blank", "whole" or "" (not offered)
    searched: str = ""  # how search.py indexes it: "text" as written, "people" by their names, "what" of exchanges


NOTE_FIELDS: tuple[Field, ...] = (
    Field("date", "date", "date", private=""),
    Field("title", "text", "title", private="whole", searched="text"),
    Field("with", "names", "people", (), searched="people"),
    Field("where", "text", "where", searched="text"),
    Field("tags", "names", "tags", (), searched="text"),
    Field("follow_up", "follow_up", "follow_ups", ()),
    Field("commitments", "commitments", "commitments", (), private="whole"),
    Field("gave", "gave", "exchanges", (), private="whole", searched="what"),
    Field("received", "received", "exchanges", (), private="whole", searched="what"),
    Field("fulfills", "ids", private="whole"),
    Field("releases", "ids", private="whole"),
    Field("new", "names", private=""),
    # The calendar event a note was imported from (UID, and the occurrence of a repeating
    # one): what makes `journal import calendar` idempotent. No page shows it.
    Field("event", "text", "event", private=""),
    # How we were in touch: in person (the default), call or video is a meeting; email or
    # message is a touch, contact that is not a meeting. Read as one of model.CHANNELS
    # (the editor schema takes any text, which says less, never more).
    Field("channel", "text", "channel", "in person", private=""),
    # The e-mails a touch was imported from (Message-IDs): what makes `journal import mail`
    # idempotent. No page shows them.
    Field("mail", "names", "mail", (), private=""),
)
COMMITMENT_FIELDS: tuple[Field, ...] = (
    Field("by", "text", "by", private="", searched="people"),
    Field("what", "text", "what", private="", searched="text"),
    Field("to", "text", "to", private="", searched="people"),
    Field("kind", "kind", "kind", "other", searched="text"),
    Field("due", "due", "due", private=""),
    Field("done", "done", "done", private=""),
    Field("dropped", "dropped", "dropped", private="whole"),
    Field("introducing", "text", "introducing", searched="people"),
    Field("consent", "consent", "consent"),
    Field("id", "id", "id", searched="text"),
)
GAVE_FIELDS: tuple[Field, ...] = (
    Field("to", "text", "receiver", private=""),
    Field("what", "text", "what", private=""),
    Field("kind", "kind", "kind", private=""),
    Field("date", "date", "on", private=""),
)
RECEIVED_FIELDS: tuple[Field, ...] = (
    Field("from", "text", "giver", private=""),
    *GAVE_FIELDS[1:],
)


@dataclass(frozen=True)
class CardField:
    """One field of a contact card's front matter, defined once for every module that handles
    it: `name` is its key in a card and its attribute of schema.CardRecord and of Contact;
    `shape` how schema.py reads it and the editor schema describes it; `empty` its value when
    not written (and when journal.yaml's publish.private_fields lists it); `published` what a
    published site shows of it: "as is", "cleaned" (e-mail addresses and phone numbers
    written in it become [private]; a name in a list that holds one is left out) or "never"
    (it is a contact detail). The card's `name` is the person's: redact.py publishes what is
    left of it, at another address when it or the card's file name holds a contact detail.

    A new card field is a line here, an attribute of CardRecord and of Contact, and a read in
    schema.parse_card; tests/test_card_fields.py fails until all four agree."""

    name: str
    shape: str
    empty: object = ""
    published: str = "as is"
    searched: bool = False  # whether search.py indexes it (as published: a publish build's is redacted first)


CARD_FIELDS: tuple[CardField, ...] = (
    CardField("name", "text", searched=True),
    CardField("aliases", "names", (), published="cleaned", searched=True),
    CardField("company", "text", published="cleaned", searched=True),
    CardField("role", "text", published="cleaned", searched=True),
    CardField("email", "names", published="never"),  # one address, or several: [a@x.example, b@y.example]
    CardField("phone", "text", published="never"),
    CardField("tags", "names", (), published="cleaned", searched=True),
    CardField("cadence", "days", None),
    CardField("status", "status", published="cleaned", searched=True),
    CardField("decide_by", "date", None),
)


def searched(fields: tuple[Field, ...]) -> tuple[tuple[str, str], ...]:
    """(model attribute, how) of each field search.py indexes, each attribute once ('gave'
    and 'received' are both a meeting's exchanges), in the fields' order."""
    return tuple({field.attribute: field.searched for field in fields if field.searched}.items())


def shapes(fields: tuple[Field, ...] | tuple[CardField, ...]) -> dict[str, str]:
    """{key: shape}, in the fields' order: what the parser and the editor schema read."""
    return {field.name: field.shape for field in fields}


def blanks(fields: tuple[Field, ...]) -> dict[str, tuple[str, object]]:
    """{key: (model attribute, its private value)} of the fields a publish hides by blanking."""
    return {field.name: (field.attribute, field.empty) for field in fields if field.private == "blank"}


PRIVATE_CHOICES: tuple[str, ...] = tuple(
    sorted(
        {field.name for field in NOTE_FIELDS + COMMITMENT_FIELDS if field.private}
        | {field.name for field in CARD_FIELDS if field.name != "name"}
    )
)
"""What journal.yaml's publish.private_fields may list: every field offered as private."""

WHOLE: tuple[str, ...] = tuple(field.name for field in NOTE_FIELDS + COMMITMENT_FIELDS if field.private == "whole")
"""The private fields redact.py hides with more than a blank value."""
