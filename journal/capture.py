"""What the importers of meetings and touches share (`journal import calendar`, `journal
import mail`): who a name or an address is, the text and file name of a new note, and where
in the import file a problem with a new note comes from.

A new note is checked by the journal's own pipeline before anything is written (the CLI
loads the journal with the new notes beside its own and hands the problems to
`from_import_file`), so whatever the importer writes passes `journal check`. Pure: no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from .assemble import owner_keys
from .importers import clean
from .model import Journal
from .problems import Problem
from .schema import NAME_CHARACTERS
from .sources import ENTRIES, SourceFile
from .text import fold, slugify

SLUG_BYTES = 60
"""The longest slug of a new note's file name, in UTF-8 bytes: a 120-character summary makes
a short name, and two meetings on one day get -2."""

_SEPARATORS = re.compile(r"[,;\s]+")
_OTHER_EMAIL = re.compile(r"^\s*-\s*Other e-mail:\s*(\S+@\S+)\s*$", re.MULTILINE)
_NOT_PEOPLE = (".calendar.google.com",)  # Google's room and group calendars: never a person


def card_emails(email_field: str, notes: str) -> list[str]:
    """A card's addresses, lower-cased: its `email` (one, or several separated by commas),
    then each '- Other e-mail: ...' line of its notes (as `journal import vcard` writes them)."""
    found = [part for part in _SEPARATORS.split(email_field) if "@" in part]
    found += _OTHER_EMAIL.findall(notes)
    return [address.casefold() for address in found]


def is_person_address(address: str) -> bool:
    """False for the addresses of rooms and shared calendars, which calendars list as attendees."""
    return not address.endswith(_NOT_PEOPLE)


def _from_address(address: str) -> str:
    """A name made from an address: 'pat.lee+news@x.example' -> 'Pat Lee'; the address itself
    when its first half holds no letters."""
    local = address.split("@", 1)[0].split("+", 1)[0]
    words = [word for word in re.split(r"[._\-\d]+", local) if word]
    return " ".join(word[:1].upper() + word[1:] for word in words) or address


def _cut(name: str) -> str:
    """A name no longer than a note takes (schema.NAME_CHARACTERS), cut at a space."""
    if len(name) <= NAME_CHARACTERS:
        return name
    cut = name[:NAME_CHARACTERS]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def display_name(shown: str, address: str) -> tuple[str, bool]:
    """(the name to write for someone a calendar or mailbox shows as `shown` at `address`,
    True when it was made from the address). Control characters go; 'Lee, Pat' (as Outlook
    shows names) is 'Pat Lee'; a name that is only an address is made from it."""
    name = clean(shown).strip("'\" ")
    if "@" in name or not name:
        source = name if "@" in name else address
        return (_cut(_from_address(source)), True) if source else ("", False)
    family, comma, given = name.partition(",")
    if comma and "," not in given and 0 < len(family.split()) <= 3 and 0 < len(given.split()) <= 3:
        if not any(ch.isdigit() for ch in name):
            name = f"{given.strip()} {family.strip()}"
    return _cut(name), False


@dataclass(frozen=True)
class Found:
    """Who someone is in the journal: `name` to write in a note, and how it was found: 'me',
    'e-mail' (a card's address), 'name' (someone the journal knows by that name) or 'new'."""

    name: str
    how: str
    address: str = ""
    made_up: bool = False  # the name was made from the address


class Directory:
    """The journal's people, by address and by name, as an importer looks them up."""

    def __init__(self, journal: Journal):
        config = journal.config
        self.my_addresses = frozenset(address.casefold() for address in config.owner_emails)
        self.my_keys = owner_keys(config)
        self.by_address: dict[str, str] = {}
        keys: dict[str, set[str]] = {}
        self.names = {contact.slug: contact.name for contact in journal.contacts}
        for contact in journal.contacts:
            names = [contact.name, contact.slug]
            if contact.has_card:
                names += [PurePosixPath(contact.path).stem, *contact.aliases]
                for address in card_emails(contact.email, contact.notes):
                    self.by_address.setdefault(address, contact.slug)
            for name in names:
                keys.setdefault(fold(name), set()).add(contact.slug)
        self.by_key = {key: next(iter(slugs)) for key, slugs in keys.items() if len(slugs) == 1}

    def is_me(self, shown: str, address: str) -> bool:
        return address.casefold() in self.my_addresses or fold(clean(shown)) in self.my_keys

    def card(self, address: str) -> str | None:
        """The name of the person whose card has this address, if one has."""
        slug = self.by_address.get(address.casefold())
        return self.names[slug] if slug else None

    def find(self, shown: str, address: str) -> Found:
        """Who `shown` <`address`> is: me; a card's person by any of its addresses; the one
        person the journal knows by that name (a card's name, alias or file name, or a name
        notes use); else someone new, under the best name there is. The journal's check
        then holds a new name against everyone (a near miss is an error, as in a note)."""
        address = address.casefold()
        if self.is_me(shown, address):
            return Found("me", "me", address)
        if address in self.by_address:
            return Found(self.names[self.by_address[address]], "e-mail", address)
        name, made_up = display_name(shown, address)
        slug = self.by_key.get(fold(name))
        if slug is not None:
            return Found(self.names[slug], "name", address)
        if fold(name) in self.my_keys:
            return Found("me", "me", address)
        return Found(name, "new", address, made_up)


@dataclass(frozen=True)
class NewNote:
    """A note an import would write, and where it comes from in the import file."""

    path: str  # relative to the journal's root: entries/2026/2026-10-01-coffee-with-pat.md
    text: str
    label: str  # how messages name it: "'Coffee with Pat' on 2026-10-01 08:30"
    source: str  # the import file, as given
    line: int  # its line there
    people_lines: tuple[tuple[int, int], ...] = ()  # (the note's line of a name in `with`, its line in the import file)


def _yaml(value: str) -> str:
    """A JSON string is a YAML double-quoted scalar: read back exactly as written."""
    return json.dumps(value, ensure_ascii=False)


def note_text(when: str, fields: dict[str, str | bool | tuple[str, ...]], body: str = "") -> tuple[str, list[int]]:
    """(the note's text, the lines of its `with` names): `date: when`, then `fields` in order
    (empty ones left out; a tuple one item a line, so each name has a line of its own),
    then `body`."""
    lines = ["---", f"date: {when}"]
    with_lines = []
    for key, value in fields.items():
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, tuple) and value:
            lines.append(f"{key}:")
            for item in value:
                lines.append(f"  - {_yaml(item)}")
                if key == "with":
                    with_lines.append(len(lines))
        elif isinstance(value, str) and value:
            lines.append(f"{key}: {_yaml(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body, with_lines


def _short_slug(title: str) -> str:
    """The slug of a title, cut at a hyphen to at most SLUG_BYTES; 'meeting' for none."""
    slug = slugify(title[:200]) if title.strip() else "meeting"
    while len(slug.encode("utf-8")) > SLUG_BYTES:
        cut = slug.encode("utf-8")[:SLUG_BYTES].decode("utf-8", errors="ignore")
        slug = cut.rsplit("-", 1)[0] if "-" in cut.strip("-") else cut
    return slug.strip("-") or "meeting"


def taken_names(paths: Iterable[str]) -> set[str]:
    """The slugs of the file names of the journal's notes: a new note's must differ from each
    (a note whose name another one shares in another folder would move that one's page)."""
    return {slugify(PurePosixPath(path).stem) for path in paths}


def note_path(day: date, title: str, taken: set[str]) -> str:
    """entries/YYYY/YYYY-MM-DD-slug.md, -2, -3... when taken; the name is added to `taken`."""
    base = f"{day.isoformat()}-{_short_slug(title)}"
    number = 1
    while True:
        stem = base if number == 1 else f"{base}-{number}"
        if slugify(stem) not in taken:
            taken.add(slugify(stem))
            return f"{ENTRIES}/{day:%Y}/{stem}.md"
        number += 1


def as_sources(notes: Iterable[NewNote]) -> list[SourceFile]:
    """The new notes as files the pipeline reads, to check them with the journal."""
    return [SourceFile(note.path, note.text) for note in notes]


def from_import_file(problems: Iterable[Problem], notes: Iterable[NewNote]) -> list[Problem]:
    """The problems of loading the journal with the new notes, a new note's told at its place
    in the import file (a name in `with` at that person's line); a problem in a note already
    there (a name the new notes make questionable, say) stays where it is."""
    by_path = {note.path: note for note in notes}
    told = []
    for problem in problems:
        note = by_path.get(problem.path)
        if note is None:
            told.append(problem)
            continue
        line = dict(note.people_lines).get(problem.line, note.line)
        why = f"the note for {note.label} would not pass journal check: {problem.message}"
        told.append(Problem(note.source, line, why, problem.severity))
    return sorted(set(told))
