"""The JSON Schema (draft 2020-12) of `journal export json`'s document, format 1, which
`journal schema export` prints: every key, its type, and the words a status may take, from
the same tables export.py and the model use. Strict (every key required, no other key
allowed), so a document that validates is one a reader of format 1 can trust.

Pure: no I/O. Imports export.py's tables and the model's choices.
"""

from __future__ import annotations

from .export import CADENCE_STATES, FORMAT, PROMISE_STATUSES
from .model import CHANNELS, CONSENTS, KINDS, ME, STATUSES

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "a day, YYYY-MM-DD"}
_MAYBE_DATE = {"anyOf": [{"$ref": "#/$defs/date"}, {"type": "null"}]}
_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_COUNT = {"type": "integer", "minimum": 0}
_TEXTS = {"type": "array", "items": {"type": "string"}}


def _object(properties: dict, description: str = "") -> dict:
    """An object of exactly these keys, all of them present."""
    found = {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}
    return {**found, "description": description} if description else found


def _definitions() -> dict:
    person = {"type": "string", "minLength": 1, "description": f"a contact's slug, or '{ME}' for the owner"}
    return {
        "date": _DATE,
        "person": person,
        "kind": {"enum": list(KINDS)},
        "reliability": _object(
            {name: _COUNT for name in ("fell_due", "kept_on_time", "kept_late", "open_overdue", "dropped")},
            "of the promises that fell due (due date passed, or done), how many were kept on time, kept late, "
            "or are open and overdue; dropped ones counted apart",
        ),
        "contact": _object(
            {
                "slug": _TEXT,
                "name": _TEXT,
                "card": {**_MAYBE_TEXT, "description": "the card's path; null for a person named only in notes"},
                "aliases": _TEXTS,
                "company": _MAYBE_TEXT,
                "role": _MAYBE_TEXT,
                "tags": _TEXTS,
                "status": {"enum": [*STATUSES, None]},
                "decide_by": _MAYBE_DATE,
                "emails": {**_TEXTS, "description": "empty unless exported with --private"},
                "phones": {**_TEXTS, "description": "empty unless exported with --private"},
                "notes": {**_TEXT, "description": "the card's Markdown body"},
                "cadence": _object(
                    {
                        "days": _COUNT,
                        "state": {"enum": list(CADENCE_STATES)},
                        "last_in_touch": _MAYBE_DATE,
                        "last_in_touch_by": {"enum": [*CHANNELS, None]},
                        "last_met": _MAYBE_DATE,
                    },
                    "stay in touch every `days`; `last_in_touch` counts every note (an e-mail too), "
                    "`last_met` meetings only",
                ),
            }
        ),
        "meeting": _object(
            {
                "slug": _TEXT,
                "date": {"$ref": "#/$defs/date"},
                "time": _MAYBE_TEXT,
                "title": _TEXT,
                "with": {"type": "array", "items": {"$ref": "#/$defs/person"}},
                "where": _MAYBE_TEXT,
                "tags": _TEXTS,
                "channel": {"enum": list(CHANNELS)},
                "met": {"type": "boolean", "description": "in person, a call or a video call (not an e-mail)"},
                "upcoming": {"type": "boolean", "description": "dated after the day exported"},
                "follow_up": {
                    "type": "array",
                    "items": _object({"contact": {"$ref": "#/$defs/person"}, "by": {"$ref": "#/$defs/date"}}),
                },
                "event": _MAYBE_TEXT,
                "mail": _TEXTS,
                "source": _TEXT,
                "body": {**_TEXT, "description": "the note's Markdown body"},
            }
        ),
        "promise": _object(
            {
                "id": _MAYBE_TEXT,
                "by": {"$ref": "#/$defs/person"},
                "to": {"$ref": "#/$defs/person"},
                "what": _TEXT,
                "kind": {"$ref": "#/$defs/kind"},
                "made_on": {"$ref": "#/$defs/date"},
                "due": {"$ref": "#/$defs/date"},
                "done": {"type": "boolean"},
                "done_on": _MAYBE_DATE,
                "dropped": {**_MAYBE_TEXT, "description": "why it was released; null while not dropped"},
                "introducing": {"anyOf": [{"$ref": "#/$defs/person"}, {"type": "null"}]},
                "consent": {"enum": [*CONSENTS, None]},
                "status": {"enum": list(PROMISE_STATUSES)},
                "meeting": _TEXT,
                "closed_in": {**_MAYBE_TEXT, "description": "the later note whose fulfills or releases closed it"},
                "source": _TEXT,
                "line": {"type": "integer", "minimum": 1},
            }
        ),
        "exchange": _object(
            {
                "direction": {"enum": ["given", "received"]},
                "from": {"$ref": "#/$defs/person"},
                "to": {"$ref": "#/$defs/person"},
                "what": _TEXT,
                "kind": {"$ref": "#/$defs/kind"},
                "date": {"$ref": "#/$defs/date"},
                "meeting": _TEXT,
                "source": _TEXT,
                "line": {"type": "integer", "minimum": 1},
            }
        ),
        "reciprocity": _object(
            {
                "contact": {"$ref": "#/$defs/person"},
                "given": _COUNT,
                "received": _COUNT,
                "balance": {"type": "integer"},
                "last_exchange": _MAYBE_DATE,
                "by_kind": {
                    "type": "object",
                    "propertyNames": {"enum": list(KINDS)},
                    "additionalProperties": _object({"given": _COUNT, "received": _COUNT}),
                },
                "their_word": {"$ref": "#/$defs/reliability"},
            }
        ),
    }


def export_schema() -> dict:
    """The schema of the document `journal export json` writes."""

    def many(name: str) -> dict:
        return {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}

    document = _object(
        {
            "format": {"const": FORMAT},
            "generated": {"$ref": "#/$defs/date"},
            "title": _TEXT,
            "owner": _MAYBE_TEXT,
            "private": {"type": "boolean", "description": "whether private values are in it (--private)"},
            "my_word": {"$ref": "#/$defs/reliability"},
            "contacts": many("contact"),
            "meetings": many("meeting"),
            "promises": many("promise"),
            "exchanges": many("exchange"),
            "reciprocity": many("reciprocity"),
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"journal export, format {FORMAT}",
        **document,
        "$defs": _definitions(),
    }
