"""Turn a file's front-matter tree into a typed record, field by field, with a line per problem.

Knows the entry format (README's contract) but nothing about other files: people stay
names here; assemble.py resolves them. Pure: no I/O, no yaml import.
"""

from __future__ import annotations

import functools
import json
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath

from . import fields as definitions
from .frontmatter import Document, Mapping, Scalar, Sequence
from .model import (
    CHANNELS,
    CONSENTS,
    FIRST_DATE,
    KINDS,
    LAST_DATE,
    MAX_DELAY_DAYS,
    STATUSES,
    Config,
    Day,
    PublishSettings,
)
from .problems import Problem
from .text import did_you_mean, one_of
from .wikilinks import property_name

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_RELATIVE = re.compile(r"^(\d+)\s*([dw])$")
NAME_CHARACTERS = 100
"""The longest name of a person: a card's name or alias, a name a note or journal.yaml writes.
Every name is looked up letter by letter for typos (text.NameIndex indexes the spellings a
letter or two away from each word of every known name: 465 for a word of 30 letters), so
five cards with 2,900 aliases of 30 letters each took `journal check` 30 s and 2.4 GB."""
MOST_ALIASES = 20
"""The most names a card's `aliases` or journal.yaml's `owner_aliases` may list."""
MOST_NEW = 50
"""The most names a note's `new` may list: each is indexed for typos as a card's name is."""
TRUE_WORDS = ("true", "yes", "on", "y")
FALSE_WORDS = ("false", "no", "off", "n")


@dataclass(frozen=True)
class PersonRef:
    name: str
    line: int


@dataclass(frozen=True)
class IdRef:
    """An id as written, with its line: a commitment's, where it is defined or named, or the
    calendar event a note was imported from (`event:`)."""

    id: str
    line: int


@dataclass(frozen=True)
class FollowUpRef:
    """A person named under `follow_up`, and by when (None: the journal's follow_up_days)."""

    person: PersonRef
    due: date | None = None


@dataclass(frozen=True)
class CommitmentRecord:
    line: int
    by: PersonRef
    what: str
    to: PersonRef | None = None
    kind: str = "other"
    due: date | None = None
    done: date | bool = False
    dropped: str = ""
    introducing: PersonRef | None = None
    consent: str = ""
    id: IdRef | None = None


@dataclass(frozen=True)
class ExchangeRecord:
    line: int
    direction: str  # "gave" or "received"
    person: PersonRef
    what: str
    kind: str = "other"
    on: date | None = None


@dataclass(frozen=True)
class NoteRecord:
    path: str
    date: date
    time: str
    title: str
    body: str
    people: tuple[PersonRef, ...] = ()
    where: str = ""
    tags: tuple[str, ...] = ()
    # None: everyone met, by the default date; a date: everyone met, by then; False: no one;
    # a tuple: only the people named.
    follow_up: Day | bool | tuple[FollowUpRef, ...] | None = None
    commitments: tuple[CommitmentRecord, ...] = ()
    exchanges: tuple[ExchangeRecord, ...] = ()
    fulfills: tuple[IdRef, ...] = ()
    releases: tuple[IdRef, ...] = ()
    new: tuple[PersonRef, ...] = ()  # people without a card, named on purpose though close to a contact
    event: IdRef | None = None  # the calendar event it was imported from, and the line of `event:`
    channel: str = "in person"  # one of model.CHANNELS
    mail: tuple[str, ...] = ()  # the Message-IDs of the e-mails it was imported from
    body_line: int = 0
    """The file's line of the body's first line. When the title heading was taken out of the
    body, only blank lines stood before it: this is then the line of the body's first line
    after the heading, so that every line that holds text is numbered as in the file."""


@dataclass(frozen=True)
class CardRecord:
    path: str
    line: int
    name: str
    aliases: tuple[PersonRef, ...] = ()
    company: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    tags: tuple[str, ...] = ()
    cadence: int | None = None
    status: str = ""
    decide_by: date | None = None
    notes: str = ""
    notes_line: int = 0  # the file's line of the notes' first line


class _Fields:
    """Reads one mapping's fields, collecting problems instead of raising."""

    def __init__(self, mapping: Mapping, path: str, known: tuple[str, ...], what: str, problems: list[Problem]):
        self.mapping, self.path, self.problems = mapping, path, problems
        for key, line in mapping.key_lines.items():
            if key not in known:
                hint = did_you_mean(key, list(known)) or f"; expected one of {one_of(known)}"
                problems.append(Problem(path, line, f"unknown {what} '{key}'{hint}"))

    def node(self, key: str):
        value = self.mapping.entries.get(key)
        if isinstance(value, Scalar) and value.is_null:
            return None
        return value

    def line(self, key: str) -> int:
        return self.mapping.key_lines.get(key, self.mapping.line)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def text(self, key: str, required: bool = False) -> str:
        value = self.node(key)
        if value is None:
            if required:
                self.error(self.mapping.line, f"missing required field '{key}'")
            return ""
        if not isinstance(value, Scalar):
            self.error(
                value.line,
                f"'{key}' must be a single piece of text, got a {'list' if isinstance(value, Sequence) else 'set of fields'}",
            )
            return ""
        return value.text.strip()

    def texts(self, key: str, what: str = "names") -> tuple[Scalar, ...]:
        value = self.node(key)
        if value is None:
            return ()
        items = value.items if isinstance(value, Sequence) else (value,)
        good = []
        for item in items:
            if isinstance(item, Scalar) and not item.is_null and item.text.strip():
                good.append(Scalar(item.text.strip(), item.line, item.plain))
            else:
                self.error(item.line, f"'{key}' must be a list of {what}")
        return tuple(good)

    def names(self, key: str, what: str = "names", most: int | None = None) -> tuple[PersonRef, ...]:
        """The people a field that lists them names (one name or a list), each read by
        person(): past `most` of them an error, and left out (so no run indexes them). A link
        written without quotes, which YAML reads as a list inside a list, is an error saying so."""
        value = self.node(key)
        if value is None:
            return ()
        items = value.items if isinstance(value, Sequence) and not _unquoted_link(value) else (value,)
        found = []
        for item in items:
            if _unquoted_link(item):
                self.error(item.line, _unquoted_link_error(key, item))
            elif isinstance(item, Scalar) and not item.is_null and item.text.strip():
                found.append(item)
            else:
                self.error(item.line, f"'{key}' must be a list of {what}")
        if most is not None and len(found) > most:
            self.error(self.line(key), f"'{key}' must be at most {most} names, got {len(found):,}")
            found = found[:most]
        return tuple(ref for item in found if (ref := self.person(key, item, "must be names of")))

    def person(self, key: str, value: Scalar, too_long: str) -> PersonRef | None:
        """The one reading of a value that names a person, for every field that names one: the
        name as written, or the name an Obsidian property link gives ("[[Pat Lee]]",
        "[[Pat Lee|Pat]]": wikilinks.property_name), at most NAME_CHARACTERS long (every
        name is indexed for typos). None, after an error at its line, for a link written wrong
        or a name too long; `too_long` says what the field must be ("must be names of")."""
        name, wrong = property_name(value.text)
        if wrong:
            self.error(value.line, f"'{key}' must be {_NAME_OR_LINK}, got {_shown(value)}: {wrong}")
            return None
        if len(name) > NAME_CHARACTERS:
            self.error(
                value.line, f"'{key}' {too_long} at most {NAME_CHARACTERS} characters, {_length(Scalar(name, 0))}"
            )
            return None
        return PersonRef(name, value.line)

    def one_person(self, key: str, too_long: str) -> PersonRef | None:
        """The person a field that names one person names, read by person(); None when the
        field is not written, or written as no single name (text() says so). A value written
        but refused is PersonRef('', its line), after its error: the caller leaves its record
        out without a second error saying the person is missing."""
        value = self.node(key)
        if value is None:
            return None
        if _unquoted_link(value):
            self.error(value.line, _unquoted_link_error(key, value))
            return PersonRef("", value.line)
        name = self.text(key)
        if not name:
            return None
        return self.person(key, Scalar(name, value.line), too_long) or PersonRef("", value.line)

    def date(self, key: str, expected: str = "a date like 2026-10-01") -> date | None:
        value = self.node(key)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(value.line, _date_error(key, value, expected))
        return parsed[0] if parsed else None

    def choice(self, key: str, choices: tuple[str, ...], label: str, default: str = "") -> str:
        text = self.text(key)
        if not text:
            return default
        if text.lower() in choices:
            return text.lower()
        self.error(self.mapping.entries[key].line, f"{label} '{text}' is not one of {one_of(choices)}")
        return default

    def days(self, key: str, allow_zero: bool = False) -> int | None:
        """A number of days: '30', '30d' or '4w'."""
        value = self.node(key)
        if value is None:
            return None
        text = value.text.strip() if isinstance(value, Scalar) else ""
        days = _delay(re.fullmatch(r"(\d+)\s*([dw]?)", text))
        if days is None or (days == 0 and not allow_zero):
            self.error(value.line, f"'{key}' must be a number of days like 30 (or 4w), got {_shown(value)}")
            return None
        if days > MAX_DELAY_DAYS:
            self.error(value.line, f"'{key}' must be at most {MAX_DELAY_DAYS} days (100 years), got {_shown(value)}")
            return None
        return days

    def setting_days(self, key: str, default: int) -> int:
        found = self.days(key, allow_zero=True)
        return default if found is None else found

    def mappings(self, key: str, what: str) -> tuple[Mapping, ...]:
        value = self.node(key)
        if value is None:
            return ()
        items = value.items if isinstance(value, Sequence) else (value,)
        good = []
        for item in items:
            if isinstance(item, Mapping):
                good.append(item)
            else:
                self.error(
                    item.line, f"each entry of '{key}' must be {what} with fields like 'what:' on their own lines"
                )
        return tuple(good)


def _shown(value) -> str:
    """A value as a message quotes it: whole when short, its start when long."""
    if isinstance(value, Scalar):
        text = value.text if len(value.text) <= 40 else value.text[:40] + "…"
        return f"'{text}'"
    return "a list" if isinstance(value, Sequence) else "a set of fields"


_NAME_OR_LINK = 'a name, or a link to one written "[[Name]]" or "[[Name|shown]]"'


def _unquoted_link(value) -> str:
    """'[[Pat Lee]]' when the value is what YAML makes of that text unquoted, a list holding a
    list of one plain text; '' otherwise."""
    if isinstance(value, Sequence) and len(value.items) == 1:
        inner = value.items[0]
        if isinstance(inner, Sequence) and len(inner.items) == 1:
            text = inner.items[0]
            if isinstance(text, Scalar) and text.plain and not text.is_null:
                return f"[[{text.text}]]"
    return ""


def _unquoted_link_error(key: str, value) -> str:
    link = _unquoted_link(value)
    return (
        f"'{key}' holds a list inside a list, {link}: YAML reads a link without quotes that way; "
        f"put the link in quotes, as Obsidian writes it: {json.dumps(link, ensure_ascii=False)}"
    )


def _delay(match: re.Match | None) -> int | None:
    """Days from a match of (digits)(d, w or nothing); more digits than any allowed delay
    has are read as too many days, not handed to int() (which refuses 4,300 digits)."""
    if not match:
        return None
    digits = match.group(1)
    count = int(digits) if len(digits) <= len(str(MAX_DELAY_DAYS)) else MAX_DELAY_DAYS + 1
    return count * (7 if match.group(2) == "w" else 1)


def _calendar_date(value) -> date | None:
    """The day a scalar names, in any year Python can hold; None when it names none."""
    match = _DATE.match(value.text.strip()) if isinstance(value, Scalar) else None
    if not match:
        return None
    year, month, day = match.groups()[:3]
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date_error(key: str, value, expected: str, label: str = "") -> str:
    """Why `value` is not a date the journal takes: not a date at all, or outside the years
    whose date arithmetic (a due date, a follow-up) stays representable. `label` names the
    value when its key alone would not ('follow_up' for 'Dana')."""
    label = label or f"'{key}'"
    day = _calendar_date(value)
    if day is not None and not FIRST_DATE <= day <= LAST_DATE:
        return f"{label} must be a date from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}, got {_shown(value)}"
    return f"{label} must be {expected}, got {_shown(value)}"


def parse_date(value) -> tuple[date, str] | None:
    """(date, 'HH:MM' or '') from a scalar, or None when it is not a valid date from
    FIRST_DATE to LAST_DATE."""
    day_value = _calendar_date(value)
    if day_value is None or not FIRST_DATE <= day_value <= LAST_DATE:
        return None
    written = _DATE.match(value.text.strip())
    if written is None:  # _calendar_date read it, so it matches; this only tells the type checker
        return None
    hour, minute = written.groups()[3:5]
    if hour is None:
        return day_value, ""
    if int(hour) > 23 or int(minute) > 59:
        return None
    return day_value, f"{int(hour):02d}:{minute}"


def _flag(value: Scalar) -> bool | None:
    if value.plain and value.text.lower() in TRUE_WORDS:
        return True
    if value.plain and value.text.lower() in FALSE_WORDS:
        return False
    return None


def _person(fields: _Fields, key: str) -> PersonRef | None:
    """The person a promise's or an exchange's field names (_Fields.one_person). A name it
    refuses leaves the whole promise or exchange out: the name is never looked up."""
    return fields.one_person(key, "must be a name of")


def _length(value: Scalar) -> str:
    """How long a name that is too long is, as its message says it."""
    return f"got {_shown(value)} ({len(value.text.strip()):,} characters)"


# The entry format, one table per mapping: field -> the shape of value the parser below reads
# for it, from the one definition of each field (fields.py). The parser takes its known fields
# from these tables and editor_schema.py turns the same tables into JSON Schema, so an
# editor's idea of the format cannot drift from journal's.
# A shape names a reader: "text" fields.text, "names" fields.texts, "date" parse_date,
# "days" fields.days, "kind"/"consent"/"status" fields.choice over model's tuples, "ids"
# _ids, "id" _commitment_id, "flag" _flag, "due"/"done"/"dropped"/"follow_up" their own
# functions, "commitments"/"gave"/"received" a mapping (or a list of them) of the table below.
NOTE_SHAPES = definitions.shapes(definitions.NOTE_FIELDS)
COMMITMENT_SHAPES = definitions.shapes(definitions.COMMITMENT_FIELDS)
GAVE_SHAPES = definitions.shapes(definitions.GAVE_FIELDS)
RECEIVED_SHAPES = definitions.shapes(definitions.RECEIVED_FIELDS)
CARD_SHAPES = definitions.shapes(definitions.CARD_FIELDS)
NOTE_FIELDS = tuple(NOTE_SHAPES)
COMMITMENT_FIELDS = tuple(COMMITMENT_SHAPES)
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_ID = re.compile(ID_PATTERN)
GAVE_FIELDS = tuple(GAVE_SHAPES)
RECEIVED_FIELDS = tuple(RECEIVED_SHAPES)
CARD_KEYS = tuple(CARD_SHAPES)


def first_heading(body: str) -> tuple[str, str]:
    """(title, body without that heading) when the body opens with a '# heading'."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# "):
            rest = "\n".join(lines[:index] + lines[index + 1 :])
            return line[2:].strip().rstrip("#").strip(), rest
        break
    return "", body


def _front_matter(
    path: str, document: Document, known: tuple[str, ...], label: str, missing: str
) -> tuple[_Fields | None, list[Problem]]:
    """The file's fields, or None and why when it has no usable front matter."""
    problems = list(document.problems)
    if document.meta is None:
        return None, problems or [Problem(path, 1, missing)]
    return _Fields(document.meta, path, known, label, problems), problems


def parse_note(path: str, document: Document) -> tuple[NoteRecord | None, list[Problem]]:
    fields, problems = _front_matter(
        path,
        document,
        NOTE_FIELDS,
        "field",
        "a meeting note starts with front matter: a '---' line, 'date: 2026-10-01', and a closing '---' line",
    )
    if fields is None:
        return None, problems
    when = fields.node("date")
    parsed = parse_date(when) if when is not None else None
    if when is None:
        fields.error(1, "missing required field 'date' (a date like 2026-10-01)")
    elif parsed is None:
        fields.error(
            when.line, _date_error("date", when, "a date like 2026-10-01 (optionally with a time, 2026-10-01 14:30)")
        )
    heading, body = first_heading(document.body)
    title = fields.text("title") or heading or PurePosixPath(path).stem
    body_line = document.body_line + (1 if body != document.body else 0)
    if fields.text("title"):
        body, body_line = document.body, document.body_line
    note_date = parsed[0] if parsed else date.min
    follow_up = _follow_up(fields, note_date)
    commitments = tuple(
        filter(
            None, (_commitment(item, path, note_date, problems) for item in fields.mappings("commitments", "a promise"))
        )
    )
    exchanges = tuple(
        filter(
            None,
            (
                _exchange(item, path, direction, problems)
                for direction in ("gave", "received")
                for item in fields.mappings(direction, "a thing exchanged")
            ),
        )
    )
    if parsed is None:
        return None, problems
    record = NoteRecord(
        path=path,
        date=parsed[0],
        time=parsed[1],
        title=title,
        body=body,
        people=fields.names("with"),
        where=fields.text("where"),
        tags=tuple(s.text for s in fields.texts("tags", "tags")),
        follow_up=follow_up,
        commitments=commitments,
        exchanges=exchanges,
        fulfills=_ids(fields, "fulfills"),
        releases=_ids(fields, "releases"),
        new=fields.names("new", most=MOST_NEW),
        event=IdRef(fields.text("event"), fields.line("event")) if fields.text("event") else None,
        channel=fields.choice("channel", CHANNELS, "channel", "in person"),
        mail=tuple(s.text for s in fields.texts("mail", "Message-IDs")),
        body_line=body_line,
    )
    return record, problems


_FOLLOW_UP = "a date like 2026-10-03, false, or the people to follow up with ([Dana, Eli])"


def _follow_up(fields: _Fields, note_date: date) -> date | bool | tuple[FollowUpRef, ...] | None:
    """`follow_up`: a date or false for everyone met, or only some of them: a list of names
    (by the default date) or a mapping of name to date (an empty date is the default). A
    date before the note's own is an error: nobody follows up a meeting before it."""
    raw = fields.node("follow_up")
    if raw is None:
        return None
    if isinstance(raw, Scalar):
        if _flag(raw) is False:
            return False
        day = fields.date("follow_up", _FOLLOW_UP)
        return None if day is None or _before_note(fields, raw, "'follow_up'", day, note_date) else day
    if isinstance(raw, Sequence):
        return tuple(FollowUpRef(ref) for ref in fields.names("follow_up", "the people to follow up with"))
    people = []
    for name, line in raw.key_lines.items():
        value = raw.entries[name]
        parsed = None
        person = fields.person("follow_up", Scalar(name, line), "must name people in")
        if person is None:
            continue
        if not (isinstance(value, Scalar) and value.is_null):
            parsed = parse_date(value)
            if parsed is None:
                fields.error(
                    value.line,
                    _date_error(
                        name,
                        value,
                        "a date like 2026-10-03 (or nothing, for the default)",
                        label=f"'follow_up' for '{name}'",
                    ),
                )
                continue
            if _before_note(fields, value, f"'follow_up' for '{name}'", parsed[0], note_date):
                continue
        people.append(FollowUpRef(person, parsed[0] if parsed else None))
    return tuple(people)


def _before_note(fields: _Fields, value, label: str, day: date, note_date: date) -> bool:
    """Whether `day` comes before the note's date (then an error at the value's line); a
    note without a valid date has its own error and no date to compare with."""
    if note_date == date.min or day >= note_date:
        return False
    fields.error(value.line, f"{label} {day.isoformat()} is before this note's date {note_date.isoformat()}")
    return True


def _ids(fields: _Fields, key: str) -> tuple[IdRef, ...]:
    """The commitment ids a note closes; each one word, so a typo cannot hide in spaces."""
    refs = []
    for item in fields.texts(key, "commitment ids"):
        if _ID.match(item.text):
            refs.append(IdRef(item.text, item.line))
        else:
            fields.error(item.line, f"'{key}' lists commitment ids, one word each like 'pat-intro', got '{item.text}'")
    return tuple(refs)


def _commitment(mapping: Mapping, path: str, note_date: date, problems: list[Problem]) -> CommitmentRecord | None:
    fields = _Fields(mapping, path, COMMITMENT_FIELDS, "commitment field", problems)
    count = len(problems)
    by = _person(fields, "by")
    if by is None:
        fields.error(mapping.line, "a commitment needs 'by': me, or the person who promised")
    what = fields.text("what")
    if not what:
        fields.error(mapping.line, "a commitment needs 'what': the thing promised")
    due, done, dropped = _due(fields, note_date), _done(fields, note_date), _dropped(fields)
    record = CommitmentRecord(
        line=mapping.line,
        by=by or PersonRef("", mapping.line),
        what=what,
        to=_person(fields, "to"),
        kind=fields.choice("kind", KINDS, "commitment kind", "other"),
        due=due,
        done=done,
        dropped=dropped,
        introducing=_person(fields, "introducing"),
        consent=fields.choice("consent", CONSENTS, "consent"),
        id=_commitment_id(fields),
    )
    return record if len(problems) == count else None


def _due(fields: _Fields, note_date: date) -> date | None:
    """A promise's `due`: a date on or after the note's, or a delay from it (3d, 2w)."""
    due_node = fields.node("due")
    if due_node is None:
        return None
    if not isinstance(due_node, Scalar):
        fields.error(
            due_node.line, f"'due' must be a date like 2026-10-01 or a delay like 3d or 2w, got {_shown(due_node)}"
        )
        return None
    amount = _delay(_RELATIVE.match(due_node.text.strip()))
    if amount is not None and amount > MAX_DELAY_DAYS:
        fields.error(
            due_node.line, f"'due' must be a delay of at most {MAX_DELAY_DAYS} days (100 years), got {_shown(due_node)}"
        )
        return None
    if amount is not None:
        return note_date + timedelta(days=amount)
    due = fields.date("due", "a date like 2026-10-01 or a delay like 3d or 2w")
    return None if due is None or _before_note(fields, due_node, "'due'", due, note_date) else due


def _done(fields: _Fields, note_date: date) -> date | bool:
    """A promise's `done`: true or false, or the day it was kept (not before the note's)."""
    done_node = fields.node("done")
    if done_node is None:
        return False
    if isinstance(done_node, Scalar) and _flag(done_node) is not None:
        return bool(_flag(done_node))
    done = fields.date("done") or False
    if isinstance(done, date) and note_date != date.min and done < note_date:
        fields.error(done_node.line, f"'done' is {done.isoformat()}, before the note's date {note_date.isoformat()}")
    return done


def _dropped(fields: _Fields) -> str:
    """A promise's `dropped`: the reason it was released ('dropped' for a bare true)."""
    dropped_node = fields.node("dropped")
    if isinstance(dropped_node, Scalar):
        flag = _flag(dropped_node)
        return "" if flag is False else ("dropped" if flag else dropped_node.text.strip())
    if dropped_node is not None:
        fields.error(dropped_node.line, "'dropped' must be the reason the promise was released")
    return ""


def _commitment_id(fields: _Fields) -> IdRef | None:
    value = fields.node("id")
    if value is None:
        return None
    if not isinstance(value, Scalar) or not _ID.match(value.text.strip()):
        fields.error(value.line, f"'id' must be one word like 'pat-intro', got {_shown(value)}")
        return None
    return IdRef(value.text.strip(), value.line)


def _exchange(mapping: Mapping, path: str, direction: str, problems: list[Problem]) -> ExchangeRecord | None:
    person_key = "to" if direction == "gave" else "from"
    fields = _Fields(
        mapping, path, GAVE_FIELDS if direction == "gave" else RECEIVED_FIELDS, f"'{direction}' field", problems
    )
    count = len(problems)
    person = _person(fields, person_key)
    if person is None:
        fields.error(mapping.line, f"each '{direction}' entry needs '{person_key}': the person")
    what = fields.text("what")
    if not what:
        fields.error(mapping.line, f"each '{direction}' entry needs 'what'")
    kind = fields.choice("kind", KINDS, f"'{direction}' kind", "other")
    on = fields.date("date")
    if len(problems) != count or person is None:
        return None
    return ExchangeRecord(mapping.line, direction, person, what, kind, on)


def parse_card(path: str, document: Document) -> tuple[CardRecord | None, list[Problem]]:
    fields, problems = _front_matter(
        path,
        document,
        CARD_KEYS,
        "contact field",
        "a contact card starts with front matter: a '---' line, 'name: Full Name', and a closing '---' line",
    )
    if fields is None:
        return None, problems
    named = fields.one_person("name", "must be")
    if named is None:
        fields.error(1, "missing required field 'name'")
    name = named.name if named else ""
    record = CardRecord(
        path=path,
        line=fields.line("name") if name else 1,
        name=name,
        aliases=fields.names("aliases", most=MOST_ALIASES),
        company=fields.text("company"),
        role=fields.text("role"),
        email=", ".join(s.text for s in fields.texts("email", "e-mail addresses")),
        phone=fields.text("phone"),
        tags=tuple(s.text for s in fields.texts("tags", "tags")),
        cadence=fields.days("cadence"),
        status=fields.choice("status", STATUSES, "status"),
        decide_by=fields.date("decide_by"),
        notes=document.body,
        notes_line=document.body_line,
    )
    return (record if name else None), problems


# journal.yaml's tables, as NOTE_SHAPES ("setting_days": fields.setting_days, zero allowed;
# "private_fields": names from PRIVATE_FIELD_CHOICES; "site_id": SITE_ID).
CONFIG_SHAPES = {
    "title": "text",
    "owner": "text",
    "owner_aliases": "names",
    "follow_up_days": "setting_days",
    "default_due_days": "setting_days",
    "cadence_days": "setting_days",
    "base_url": "text",
    "publish": "publish",
    "timezone": "text",
    "owner_emails": "names",
    "notes_repository": "text",
    "notes_branch": "text",
}
PUBLISH_SHAPES = {
    "encrypt": "flag",
    "private_fields": "private_fields",
    "cname": "text",
    "calendar": "flag",
    "site_id": "site_id",
}
CONFIG_FIELDS = tuple(CONFIG_SHAPES)
PUBLISH_FIELDS = tuple(PUBLISH_SHAPES)
SITE_ID_PATTERN = r"[0-9a-f]{32,64}"
SITE_ID = re.compile(SITE_ID_PATTERN)
"""publish.site_id: 16 to 32 random bytes in hex, as `journal init` writes (secrets.token_hex(16))."""
# `to`, `due` and `done` decide who owes whom and what is overdue: a site without them would
# show wrong lists, so they cannot be kept private (redact.py blanks the rest). `new` only
# tells the name check a person is new; nothing shows it.
PRIVATE_FIELD_CHOICES = definitions.PRIVATE_CHOICES  # fields.py says which fields may be private


def parse_config(path: str, tree) -> tuple[Config, list[Problem]]:
    """journal.yaml -> Config; every key optional, unknown keys are errors with a hint."""
    problems: list[Problem] = []
    if tree is None:
        return Config(), problems
    if not isinstance(tree, Mapping):
        return Config(), [Problem(path, 1, "journal.yaml must be a list of 'setting: value' lines")]
    fields = _Fields(tree, path, CONFIG_FIELDS, "setting", problems)
    defaults = Config()
    publish = PublishSettings()
    publish_node = fields.node("publish")
    if isinstance(publish_node, Mapping):
        sub = _Fields(publish_node, path, PUBLISH_FIELDS, "publish setting", problems)
        private = []
        for item in sub.texts("private_fields", "field names"):
            if item.text not in PRIVATE_FIELD_CHOICES:
                sub.error(
                    item.line,
                    f"'{item.text}' is not a field that can be kept private{did_you_mean(item.text, list(PRIVATE_FIELD_CHOICES))}",
                )
            else:
                private.append(item.text)
        publish = PublishSettings(
            encrypt=_setting_flag(sub, "encrypt", True),
            private_fields=tuple(private),
            cname=sub.text("cname"),
            calendar=_setting_flag(sub, "calendar", False),
            site_id=_site_id(sub),
            line=fields.line("publish"),
        )
    elif publish_node is not None:
        fields.error(publish_node.line, "'publish' must hold settings on indented lines, like '  encrypt: true'")
    config = Config(
        title=fields.text("title") or defaults.title,
        owner=_owner(fields),
        owner_aliases=tuple(ref.name for ref in fields.names("owner_aliases", most=MOST_ALIASES)),
        follow_up_days=fields.setting_days("follow_up_days", defaults.follow_up_days),
        default_due_days=fields.setting_days("default_due_days", defaults.default_due_days),
        cadence_days=fields.setting_days("cadence_days", defaults.cadence_days),
        base_url=fields.text("base_url"),
        publish=publish,
        timezone=_timezone(fields),
        owner_emails=_owner_emails(fields),
        notes_repository=_checked(
            fields, "notes_repository", _REPOSITORY, "OWNER/NAME of a GitHub repository, like alex/my-journal"
        ),
        notes_branch=_checked(fields, "notes_branch", _BRANCH, "a branch name like main") or defaults.notes_branch,
    )
    return config, problems


def _owner(fields: _Fields) -> str:
    owner = fields.one_person("owner", "must be a name of")
    return owner.name if owner else ""


_ZONE = re.compile(r"[A-Za-z0-9_+-]{1,40}(/[A-Za-z0-9_+-]{1,40}){0,3}")


@functools.lru_cache(maxsize=64)
def known_zone(name: str) -> bool:
    """Whether `name` is a time zone of the IANA database ('Europe/London', 'UTC'). The
    database is read like the standard library's own data: a name it holds today it holds
    on every run."""
    if not _ZONE.fullmatch(name):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, like 'Europe'
        return False
    return True


def _timezone(fields: _Fields) -> str:
    """`timezone`: the zone imported times are written in ('' : the machine's)."""
    zone = fields.text("timezone")
    if not zone or known_zone(zone):
        return zone
    hint = did_you_mean(zone, sorted(zoneinfo.available_timezones())) if _ZONE.fullmatch(zone) else ""
    fields.error(
        fields.line("timezone"),
        f"'timezone' must be a time zone like Europe/London or America/New_York, got {_shown(fields.node('timezone'))}{hint}",
    )
    return ""


_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+")


def _owner_emails(fields: _Fields) -> tuple[str, ...]:
    """`owner_emails`: the addresses calendars and mailboxes know the owner by."""
    emails = []
    for item in fields.texts("owner_emails", "e-mail addresses"):
        if _EMAIL.fullmatch(item.text):
            emails.append(item.text)
        else:
            fields.error(
                item.line, f"'owner_emails' must be e-mail addresses like alex@example.com, got {_shown(item)}"
            )
    return tuple(emails)


_REPOSITORY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}")
_BRANCH = re.compile(r"(?!.*\.\.)(?!.*//)[A-Za-z0-9_][A-Za-z0-9._/-]{0,99}(?<![/.])")


def _checked(fields: _Fields, key: str, pattern: re.Pattern, expected: str) -> str:
    """A setting that must match `pattern` ('' when not set, or an error and '')."""
    value = fields.text(key)
    if not value or pattern.fullmatch(value):
        return value
    fields.error(fields.line(key), f"'{key}' must be {expected}, got {_shown(fields.node(key))}")
    return ""


def _site_id(fields: _Fields) -> str:
    site_id = fields.text("site_id")
    if site_id and not SITE_ID.fullmatch(site_id):
        fields.error(
            fields.line("site_id"),
            "'site_id' must be 32 to 64 hex digits (0-9, a-f), like the one `journal init` writes",
        )
        return ""
    return site_id


def _setting_flag(fields: _Fields, key: str, default: bool) -> bool:
    value = fields.node(key)
    if value is None:
        return default
    flag = _flag(value) if isinstance(value, Scalar) else None
    if flag is None:
        fields.error(value.line, f"'{key}' must be true or false, got {_shown(value)}")
        return default
    return flag
