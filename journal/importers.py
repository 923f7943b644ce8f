"""Read people from an address book (vCard 3 or 4, .vcf) or LinkedIn's Connections.csv, and
plan which of them become new contact cards.

The only module that imports vobject. Pure: text in, people and a plan out; scaffold.py
writes the cards. A person already in the journal (same name, alias or e-mail as a card) is
reported and left alone, so importing the same export twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import quopri
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from vobject.base import ContentLine, VObjectError, getLogicalLines, parseLine
from vobject.icalendar import stringToTextValues

from .assemble import owner_keys
from .frontmatter import split
from .model import Journal
from .problems import Problem
from .schema import MOST_ALIASES, NAME_CHARACTERS, parse_card
from .sources import MAX_BYTES
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


# What an address book may hold but a card must not: control characters (a DEL in a name
# made a card the front-matter reader refuses) and the two non-characters YAML rejects.
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def clean(text: str, lines: bool = False) -> str:
    """Imported text without control characters; a one-line value (lines=False) also has
    its tabs and line breaks turned into spaces."""
    if not lines:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _text(value: str, lines: bool = False) -> str:
    """A vCard text value with its backslash escapes (\\, \\; \\n) undone."""
    return clean(stringToTextValues(value, listSeparator=None)[0], lines) if value else ""


def _parts(value: str, separator: str) -> list[str]:
    return [clean(part) for part in stringToTextValues(value, listSeparator=separator)] if value else []


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
    aliases = _aliases(path, found.get("NICKNAME", []), name, problems)
    notes = [_text(line.value, lines=True) for line in found.get("NOTE", [])] + [
        _text(line.value) for line in found.get("URL", [])
    ]
    return Person(
        name=name,
        line=begin,
        aliases=aliases,
        company=organisation[0] if organisation else "",
        role=first("TITLE"),
        emails=_preferred_first(found.get("EMAIL", [])),
        phones=_preferred_first(found.get("TEL", [])),
        notes="\n\n".join(note for note in notes if note),
    )


def _aliases(path: str, lines: list, name: str, problems: list[Problem]) -> tuple[str, ...]:
    """The NICKNAMEs a card keeps as aliases, in order, once each: at most MOST_ALIASES of
    them, none longer than NAME_CHARACTERS (a warning for the ones left out, at their line)."""
    aliases: dict[str, int] = {}
    for line in lines:
        for alias in _parts(line.value, ","):
            if len(alias) > NAME_CHARACTERS:
                problems.append(
                    Problem(
                        path,
                        line.lineNumber,
                        f"NICKNAME '{alias[:40]}…' is {len(alias):,} characters long; a card keeps aliases of at most {NAME_CHARACTERS}, so it is left out",
                        "warning",
                    )
                )
            elif alias and alias != name:
                aliases.setdefault(alias, line.lineNumber)
    if len(aliases) > MOST_ALIASES:
        extra = list(aliases.values())[MOST_ALIASES]
        problems.append(
            Problem(
                path,
                extra,
                f"NICKNAME holds {len(aliases):,} names; a card keeps at most {MOST_ALIASES} aliases, so the first {MOST_ALIASES} are kept",
                "warning",
            )
        )
    return tuple(aliases)[:MOST_ALIASES]


def _quoted_printable(params: list[list[str]]) -> tuple[list[list[str]], bool]:
    """(a line's parameters without QUOTED-PRINTABLE, True if it was there): alone (2.1)
    or among ENCODING's values."""
    kept, quoted = [], False
    for param in params:
        words = [word.upper() for word in param]
        if words == ["QUOTED-PRINTABLE"]:
            quoted = True
            continue
        if words[0] == "ENCODING" and "QUOTED-PRINTABLE" in words[1:]:
            quoted = True
            param = [param[0], *(value for value in param[1:] if value.upper() != "QUOTED-PRINTABLE")]
            if len(param) == 1:
                continue
        kept.append(param)
    return kept, quoted


def _content_line(path: str, raw: str, number: int, problems: list[Problem]) -> ContentLine:
    """One vCard line, its 2.1 QUOTED-PRINTABLE value decoded here rather than by vobject,
    which raises on a byte that is not in the CHARSET, or a CHARSET it does not know. Here
    either is a warning and the value is read with a replacement character (U+FFFD)."""
    name, params, value, group = parseLine(raw, number)
    plain, quoted = _quoted_printable(params)
    line = ContentLine(name, plain, value, group, encoded=True, lineNumber=number)
    if not quoted:
        return line
    data = quopri.decodestring(value.encode("utf-8"))
    charset = (line.params.get("CHARSET") or ["UTF-8"])[0]
    line.value, why = _decode(data, charset)
    if why:
        problems.append(Problem(path, number, f"{name} {why}, check the card", "warning"))
    return line


def _decode(data: bytes, charset: str) -> tuple[str, str]:
    """(text, '' or why it needs a look): strictly, then with replacement characters, then,
    for a CHARSET that is no text encoding ('BOGUS', 'base64', 'idna'), as UTF-8."""
    try:
        return data.decode(charset), ""
    except (LookupError, UnicodeError):
        pass
    try:
        return data.decode(charset, errors="replace"), f"holds bytes that are not {charset}; they became \ufffd"
    except (LookupError, UnicodeError):
        return data.decode(
            "utf-8", errors="replace"
        ), f"names CHARSET '{charset}', which is not a text encoding; read as UTF-8"


def read_vcards(path: str, text: str) -> tuple[list[Person], list[Problem]]:
    """Every VCARD in a .vcf file (folded lines, escapes, quoted-printable 2.1 names too).
    A QUOTED-PRINTABLE value that does not decode is a warning; the rest are errors."""
    people: list[Person] = []
    problems: list[Problem] = []
    card: list | None = None
    begin = 0
    try:
        for raw, number in getLogicalLines(io.StringIO(text), True):
            number = max(number, 1)
            try:
                line = _content_line(path, raw, number, problems)
            except VObjectError:
                problems.append(Problem(path, number, f"not a vCard line: '{clean(raw[:40])}'"))
                continue
            if line.name == "BEGIN" and line.value.upper() == "VCARD":
                if card is not None:
                    problems.append(
                        Problem(
                            path,
                            number,
                            f"a vCard begins inside the vCard begun on line {begin}; end that one with 'END:VCARD' first",
                        )
                    )
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
        return [], [
            Problem(path, 1, f"no header row '{','.join(LINKEDIN_HEADER)}': is this LinkedIn's Connections.csv?")
        ]
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])))
    missing = [column for column in ("First Name", "Last Name") if column not in (reader.fieldnames or [])]
    if missing:
        return [], [Problem(path, start + 1, f"the header row has no '{missing[0]}' column")]
    people: list[Person] = []
    try:
        for row in reader:
            person = _linkedin_person(row, start + reader.line_num)
            if person is not None:
                people.append(person)
    except csv.Error as error:  # a field over csv's limit (131,072 characters), say
        return [], [Problem(path, start + reader.line_num + 1, f"not a CSV row LinkedIn writes: {error}")]
    return people, []


def _linkedin_person(row: dict, line: int) -> Person | None:
    """One connection; None for a row without a name."""

    def field(column: str) -> str:
        return clean(row.get(column) or "")

    name = " ".join(part for part in (field("First Name"), field("Last Name")) if part)
    if not name:
        return None
    connected = _linkedin_date(field("Connected On"))
    url = field("URL")
    note = f"Connected on LinkedIn{' on ' + connected if connected else ''}{': ' + url if url else '.'}"
    email = field("Email Address")
    return Person(
        name=name,
        line=line,
        company=field("Company"),
        role=field("Position"),
        emails=(email,) if email else (),
        notes=note,
    )


def plan_import(journal: Journal, people: list[Person]) -> ImportPlan:
    """Who gets a new card, and who is left alone: the owner ('me', the owner's name or
    aliases: an export of one's own address book holds oneself), a card already has their
    name, one of its aliases or file name, or one of their e-mails, or they came earlier in
    the same file.
    The same keys as `journal check` matches names with (assemble.People), so whoever is new
    here is a new person there too, and scaffold.new_card gives them a file of their own."""
    you = "you, the journal's owner (owner: in journal.yaml)"
    known: dict[str, str] = dict.fromkeys(owner_keys(journal.config), you)
    for contact in journal.contacts:
        if contact.has_card:
            for key in (contact.name, contact.slug, PurePosixPath(contact.path).stem, *contact.aliases):
                known.setdefault(fold(key), f"{contact.path} (same name)")
            for email in re.split(r"[,;\s]+", contact.email):  # a card may list several
                if email:
                    known.setdefault(email.casefold(), f"{contact.path} (same e-mail)")
    new, existing = [], []
    for person in people:
        why = known.get(fold(person.name)) or next(
            (known[e.casefold()] for e in person.emails if e.casefold() in known), None
        )
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
        "name": person.name,
        "aliases": person.aliases,
        "company": person.company,
        "role": person.role,
        "email": person.emails[0] if person.emails else "",
        "phone": person.phones[0] if person.phones else "",
    }
    body = [f"Imported from {source}."]
    if person.notes:
        body.append(person.notes)
    private = [f"- Other e-mail: {e}" for e in person.emails[1:]] + [f"- Other phone: {p}" for p in person.phones[1:]]
    if private:
        body.append("## Private\n\n" + "\n".join(private))
    return fields, "\n\n".join(body) + "\n"


def card_problems(person: Person, source: str, text: str) -> list[Problem]:
    """Why the card written for `person` would not load, pinned to the person's line in
    the export: every card is read back before any is written, and none is over the size
    the journal reads an entry up to (a 10 MB NOTE would make a card `journal check` refuses)."""
    name = person.name if len(person.name) <= 60 else person.name[:40] + "…"
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        why = f"the card for '{name}' would be {size / 1_000_000:.1f} MB; entries are limited to {MAX_BYTES // 1_000_000} MB (shorten its NOTE)"
        return [Problem(source, person.line, why)]
    record_path = "entries/contacts/imported.md"
    _, problems = parse_card(record_path, split(text, record_path))
    return [
        Problem(source, person.line, f"the card for '{name}' would not load: {problem.message}") for problem in problems
    ]
