"""Read people from an address book (vCard 3 or 4, .vcf) or LinkedIn's Connections.csv, and
plan which of them become new contact cards.

The only module that imports vobject. Pure: text in, people and a plan out; scaffold.py
writes the cards. A person already in the journal (same name, alias or e-mail as a card) is
reported and left alone, so importing the same export twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from vobject.base import VObjectError, getLogicalLines, textLineToContentLine
from vobject.icalendar import stringToTextValues

from .model import Journal
from .problems import Problem
from .text import fold

LINKEDIN_HEADER = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")


@dataclass(frozen=True)
class Person:
    """One person as an import file describes them; `line` is where, in that file."""

    name: str
    line: int
    aliases: tuple[str, ...] = ()
    company: str = ""
    role: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ImportPlan:
    new: tuple[Person, ...]
    existing: tuple[tuple[Person, str], ...]  # (person, why it is left alone)


def _text(value: str) -> str:
    """A vCard text value with its backslash escapes (\\, \\; \\n) undone."""
    return stringToTextValues(value, listSeparator=None)[0].strip() if value else ""


def _parts(value: str, separator: str) -> list[str]:
    return [part.strip() for part in stringToTextValues(value, listSeparator=separator)] if value else []


def _preferred_first(lines) -> tuple[str, ...]:
    """E-mails or phones, the one marked preferred (3.0 TYPE=pref, 4.0 PREF=1) first, no repeats."""

    def rank(line) -> int:
        types = [t.lower() for t in line.params.get("TYPE", [])]
        return 0 if "pref" in types or line.params.get("PREF") == ["1"] else 1

    values = []
    for line in sorted(lines, key=rank):
        value = _text(line.value)
        value = value[4:] if value.lower().startswith("tel:") else value
        value = value[7:] if value.lower().startswith("mailto:") else value
        if value and value not in values:
            values.append(value)
    return tuple(values)


def _vcard_person(path: str, begin: int, lines: list, problems: list[Problem]) -> Person | None:
    found: dict[str, list] = {}
    for line in lines:
        found.setdefault(line.name, []).append(line)

    def first(name: str) -> str:
        return _text(found[name][0].value) if name in found else ""

    name = first("FN")
    if not name and "N" in found:
        family, given = (_parts(found["N"][0].value, ";") + ["", ""])[:2]
        name = " ".join(part for part in (given, family) if part)
    if not name:
        problems.append(Problem(path, begin, "this vCard has no name (FN or N)"))
        return None
    organisation = _parts(found["ORG"][0].value, ";") if "ORG" in found else []
    aliases = [alias for line in found.get("NICKNAME", []) for alias in _parts(line.value, ",") if alias and alias != name]
    notes = [_text(line.value) for line in found.get("NOTE", [])] + [_text(line.value) for line in found.get("URL", [])]
    return Person(
        name=name, line=begin, aliases=tuple(dict.fromkeys(aliases)),
        company=organisation[0] if organisation else "", role=first("TITLE"),
        emails=_preferred_first(found.get("EMAIL", [])), phones=_preferred_first(found.get("TEL", [])),
        notes="\n\n".join(note for note in notes if note),
    )


def read_vcards(path: str, text: str) -> tuple[list[Person], list[Problem]]:
    """Every VCARD in a .vcf file (folded lines, escapes, quoted-printable 2.1 names too)."""
    people: list[Person] = []
    problems: list[Problem] = []
    card: list | None = None
    begin = 0
    try:
        for raw, number in getLogicalLines(io.StringIO(text), True):
            number = max(number, 1)
            try:
                line = textLineToContentLine(raw, number)
            except VObjectError:
                problems.append(Problem(path, number, f"not a vCard line: '{raw[:40]}'"))
                continue
            if line.name == "BEGIN" and line.value.upper() == "VCARD":
                card, begin = [], number
            elif line.name == "END" and line.value.upper() == "VCARD" and card is not None:
                person = _vcard_person(path, begin, card, problems)
                if person is not None:
                    people.append(person)
                card = None
            elif card is not None:
                card.append(line)
    except VObjectError as error:
        problems.append(Problem(path, error.lineNumber or 1, f"not a vCard file: {error}"))
    if card is not None:
        problems.append(Problem(path, begin, "this vCard never ends: add an 'END:VCARD' line"))
    if not people and not problems:
        problems.append(Problem(path, 1, "no vCard found (a .vcf file holds 'BEGIN:VCARD' ... 'END:VCARD')"))
    return people, problems


def _linkedin_date(text: str) -> str:
    """'07 Dec 2025' -> '2025-12-07'; anything else as it was written."""
    try:
        return datetime.strptime(text.strip(), "%d %b %Y").date().isoformat()
    except ValueError:
        return text.strip()


def read_linkedin(path: str, text: str) -> tuple[list[Person], list[Problem]]:
    """LinkedIn's Connections.csv: a 'Notes:' preamble, then the header row, then a row per
    connection (most with an empty e-mail). Rows without a name are skipped."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("First Name,")), None)
    if start is None:
        return [], [Problem(path, 1, f"no header row '{','.join(LINKEDIN_HEADER)}': is this LinkedIn's Connections.csv?")]
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])))
    missing = [column for column in ("First Name", "Last Name") if column not in (reader.fieldnames or [])]
    if missing:
        return [], [Problem(path, start + 1, f"the header row has no '{missing[0]}' column")]
    people = []
    for row in reader:
        name = " ".join(part for part in ((row.get("First Name") or "").strip(), (row.get("Last Name") or "").strip()) if part)
        if not name:
            continue
        connected = _linkedin_date(row.get("Connected On") or "")
        url = (row.get("URL") or "").strip()
        note = f"Connected on LinkedIn{' on ' + connected if connected else ''}{': ' + url if url else '.'}"
        email = (row.get("Email Address") or "").strip()
        people.append(Person(
            name=name, line=start + reader.line_num, company=(row.get("Company") or "").strip(),
            role=(row.get("Position") or "").strip(), emails=(email,) if email else (), notes=note,
        ))
    return people, []


def plan_import(journal: Journal, people: list[Person]) -> ImportPlan:
    """Who gets a new card, and who is left alone: a card already has their name, one of its
    aliases or file name, or one of their e-mails, or they came earlier in the same file.
    The same keys as `journal check` matches names with (assemble.People), so whoever is new
    here is a new person there too, and scaffold.new_card gives them a file of their own."""
    known: dict[str, str] = {}
    for contact in journal.contacts:
        if contact.has_card:
            for key in (contact.name, contact.slug, PurePosixPath(contact.path).stem, *contact.aliases):
                known.setdefault(fold(key), f"{contact.path} (same name)")
            if contact.email:
                known.setdefault(contact.email.casefold(), f"{contact.path} (same e-mail)")
    new, existing = [], []
    for person in people:
        why = known.get(fold(person.name)) or next((known[e.casefold()] for e in person.emails if e.casefold() in known), None)
        if why:
            existing.append((person, why))
            continue
        new.append(person)
        for key in (fold(person.name), *(e.casefold() for e in person.emails)):
            known.setdefault(key, f"line {person.line} of the same file")
    return ImportPlan(tuple(new), tuple(existing))


def card_for(person: Person, source: str) -> tuple[dict[str, str | tuple[str, ...]], str]:
    """(front-matter fields, body) of the card for `person`. The first e-mail and phone go in
    the fields; the others under '## Private', which a published build leaves out."""
    fields: dict[str, str | tuple[str, ...]] = {
        "name": person.name, "aliases": person.aliases, "company": person.company, "role": person.role,
        "email": person.emails[0] if person.emails else "", "phone": person.phones[0] if person.phones else "",
    }
    body = [f"Imported from {source}."]
    if person.notes:
        body.append(person.notes)
    private = [f"- Other e-mail: {e}" for e in person.emails[1:]] + [f"- Other phone: {p}" for p in person.phones[1:]]
    if private:
        body.append("## Private\n\n" + "\n".join(private))
    return fields, "\n\n".join(body) + "\n"
