"""JSON Schema (draft 2020-12) of the entry format, for editors: completion and inline errors
while typing a note's front matter, a contact card or journal.yaml.

Generated from schema.py's field tables and model's choices, the ones the parser reads, so the
two cannot drift. Pure: no I/O. journal reads every scalar as the text typed, where an
editor's YAML reader types `30` as a number and `true` as a boolean; each shape accepts
both readings. The schema can say less than the parser (February 30, a follow-up before the
note's date, a delay over MAX_DELAY_DAYS written as '40000d'), never more, except that the
parser's Python patterns read digits of any script and an editor's only ASCII ones.
tests/test_editor_schema.py holds it to both halves.
"""

from __future__ import annotations

from .frontmatter import NULLS
from .model import CONSENTS, KINDS, MAX_DELAY_DAYS, STATUSES
from .schema import (
    CARD_SHAPES,
    COMMITMENT_SHAPES,
    CONFIG_SHAPES,
    FALSE_WORDS,
    GAVE_SHAPES,
    ID_PATTERN,
    NOTE_SHAPES,
    PRIVATE_FIELD_CHOICES,
    PUBLISH_SHAPES,
    RECEIVED_SHAPES,
    SITE_ID_PATTERN,
    TRUE_WORDS,
)

KINDS_OF_FILE = ("note", "card", "config")
_REQUIRED = {
    "note": ("date",),
    "card": ("name",),
    "commitments": ("by", "what"),
    "gave": ("to", "what"),
    "received": ("from", "what"),
}
_TITLES = {
    "note": "journal meeting note (front matter)",
    "card": "journal contact card (front matter)",
    "config": "journal settings (journal.yaml)",
}
# 1900-01-01 to 2200-12-31 (model.FIRST_DATE, LAST_DATE), optionally with a time, as parse_date.
_DATE = r"^(19\d\d|2[01]\d\d|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([ T]([01]?\d|2[0-3]):[0-5]\d(:\d\d)?)?$"


def _any_case(words) -> str:
    """A pattern matching any of `words` in any letter case, as the parser's `.lower()` does;
    spelled with character classes because editors run ECMAScript patterns, without (?i)."""
    spelled = (
        "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c.replace(".", r"\.") for c in word) for word in words
    )
    return "^(" + "|".join(spelled) + ")$"


def _choice(choices) -> dict:
    """One of `choices`: offered as completions (enum), taken in any case (pattern)."""
    return {"anyOf": [{"enum": list(choices)}, {"type": "string", "pattern": _any_case(choices)}]}


def _definitions() -> dict:
    text = {"type": ["string", "number", "boolean"]}
    name = {"anyOf": [{"type": "string", "pattern": r"\S"}, {"type": ["number", "boolean"]}]}
    date = {
        "type": "string",
        "pattern": _DATE,
        "description": "a date like 2026-10-01, optionally with a time: 2026-10-01 14:30",
    }
    false = {"anyOf": [{"const": False}, {"type": "string", "pattern": _any_case(FALSE_WORDS)}]}
    flag = {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": _any_case(TRUE_WORDS + FALSE_WORDS)}]}

    def days(least: int) -> dict:
        digits = r"\d+" if least == 0 else r"0*[1-9]\d*"
        return {
            "anyOf": [
                {"type": "integer", "minimum": least, "maximum": MAX_DELAY_DAYS},
                {"type": "string", "pattern": rf"^{digits}\s*[dw]?$"},
            ],
            "description": "a number of days like 30, or 30d, or 4w",
        }

    return {
        "null": {"anyOf": [{"type": "null"}, {"enum": list(NULLS)}]},
        "text": text,
        "names": {"anyOf": [{"$ref": "#/$defs/name"}, {"type": "array", "items": {"$ref": "#/$defs/name"}}]},
        "name": name,
        "date": date,
        "days": days(1),
        "setting_days": days(0),
        "flag": flag,
        "kind": _choice(KINDS),
        "consent": _choice(CONSENTS),
        "status": _choice(STATUSES),
        "id": {
            "type": ["string", "integer"],
            "pattern": ID_PATTERN,
            "minimum": 0,
            "description": "one word like 'pat-intro'",
        },
        "ids": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "items": {"$ref": "#/$defs/id"}}]},
        "due": {
            "anyOf": [{"$ref": "#/$defs/date"}, {"type": "string", "pattern": r"^\d+\s*[dw]$"}],
            "description": "a date like 2026-10-01 or a delay like 3d or 2w",
        },
        "done": {
            "anyOf": [{"$ref": "#/$defs/flag"}, {"$ref": "#/$defs/date"}],
            "description": "true, or the date it was done",
        },
        "dropped": {**text, "description": "the reason the promise was released (or true)"},
        "follow_up": {
            "anyOf": [
                {"$ref": "#/$defs/date"},
                false,
                {"type": "array", "items": {"$ref": "#/$defs/name"}},
                {
                    "type": "object",
                    "additionalProperties": {"anyOf": [{"$ref": "#/$defs/date"}, {"$ref": "#/$defs/null"}]},
                },
            ],
            "description": "a date like 2026-10-03, false, the people to follow up with ([Dana, Eli]), or each of them with a date",
        },
        "private_fields": {
            "anyOf": [
                {"enum": list(PRIVATE_FIELD_CHOICES)},
                {"type": "array", "items": {"enum": list(PRIVATE_FIELD_CHOICES)}},
            ]
        },
        "site_id": {
            "type": "string",
            "pattern": f"^{SITE_ID_PATTERN}$",
            "description": "32 to 64 hex digits, as `journal init` writes",
        },
        "commitments": _one_or_many(_object(COMMITMENT_SHAPES, _REQUIRED["commitments"])),
        "gave": _one_or_many(_object(GAVE_SHAPES, _REQUIRED["gave"])),
        "received": _one_or_many(_object(RECEIVED_SHAPES, _REQUIRED["received"])),
        "publish": _object(PUBLISH_SHAPES, ()),
    }


def _one_or_many(item: dict) -> dict:
    """A mapping, or a list of them: the parser's fields.mappings takes both."""
    return {"anyOf": [item, {"type": "array", "items": item}]}


def _object(shapes: dict[str, str], required: tuple[str, ...]) -> dict:
    """A mapping of exactly the fields in `shapes`. An empty value counts as absent, as in
    the parser, except for a required field."""
    properties = {}
    for key, shape in shapes.items():
        reference = {"$ref": f"#/$defs/{shape}"}
        properties[key] = reference if key in required else {"anyOf": [reference, {"$ref": "#/$defs/null"}]}
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


def editor_schema(kind: str) -> dict:
    """The schema of a note's front matter, a card's front matter, or journal.yaml."""
    shapes = {"note": NOTE_SHAPES, "card": CARD_SHAPES, "config": CONFIG_SHAPES}[kind]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": _TITLES[kind],
        **_object(shapes, _REQUIRED.get(kind, ())),
        "$defs": _definitions(),
    }
    if kind == "config":
        schema["type"] = ["object", "null"]  # an empty journal.yaml is all defaults
    return schema
