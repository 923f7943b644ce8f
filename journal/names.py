"""Who is who across the whole journal: everyone it names, carded or not, and the names that
look like one person.

Resolution (assemble.People) holds each name against the cards, the owner and the names
declared `new:`, one note at a time. Most people a networker meets have no card, so a
short form or a slip for one of them ('Greg Malory' beside 'Greg Mallory', 'Terry' beside
'Terry Nguyen') would become a second person there. This module holds every uncarded
person against everyone else the journal names, with the same rules (text.NameIndex), once
the whole journal is assembled:

- a close miss (typo, other order, other spacing, a lone first name) is an error at each
  place it is written, with "did you mean", unless a note declares it `new:`;
- a name one letter from someone, which the typo rule lets through on purpose (a short
  word, a word other names use: 'Pat Le' beside 'Pat Lee'), is a warning there;
- `journal people` lists everyone, and the pairs that look alike.

Of two uncarded spellings that look alike, the one questioned is the lone first name
beside a full name, else the one fewer notes use, else the one first written later (by
the notes' dates): the journal's own usage says which spelling is the person. A card always
wins. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .assemble import Records
from .model import Journal
from .problems import Problem
from .text import either, fold, name_index


@dataclass(frozen=True)
class Named:
    """One person the journal knows, and where it names them."""

    slug: str
    name: str
    card: str  # the card's path; '' without one
    places: tuple[tuple[str, int], ...]  # every (path, line) naming them, in the notes' path order
    notes: int  # how many notes name them
    first: tuple[str, int] | None  # the place in the earliest note (by date) that names them


def chronology(journal: Journal) -> Callable[[tuple[str, int]], tuple]:
    """A sort key for (path, line) places: by the date and time of the note, then path and line."""
    order = {meeting.path: meeting.sort_key for meeting in journal.meetings}
    return lambda place: (order.get(place[0], ()), place[0], place[1])


def everyone(journal: Journal, records: Records) -> list[Named]:
    """Everyone the journal knows, by slug: each card's person and each person a note names
    without a card, with every place a note names them and the first by the notes' dates.
    A preview runs this on every save: the first place is a min, not a sort."""
    when = chronology(journal)
    people = []
    for contact in journal.contacts:
        places = tuple(records.named.get(contact.slug, ()))
        notes = len({path for path, _ in places})
        first = min(places, key=when) if places else None
        people.append(Named(contact.slug, contact.name, contact.path, places, notes, first))
    return people


def _keys(person: Named, journal: Journal, records: Records) -> set[str]:
    """The fold keys a person is held against others by: a card's name and aliases, or
    every spelling the notes gave someone without a card."""
    if person.card:
        contact = journal.contact(person.slug)
        return {fold(person.name), *(fold(alias) for alias in contact.aliases)} if contact else {fold(person.name)}
    return set(records.spellings.get(person.slug, {})) or {fold(person.name)}


class _Likeness:
    """The journal's people in one NameIndex, and which of two look-alikes is questioned."""

    def __init__(self, journal: Journal, records: Records):
        self.people = {person.slug: person for person in everyone(journal, records)}
        self.when = chronology(journal)
        self.keys = {slug: _keys(person, journal, records) for slug, person in self.people.items()}
        self.owners: dict[str, set[str]] = {}
        for slug, keys in self.keys.items():
            for key in keys:
                self.owners.setdefault(key, set()).add(slug)
        self.index = name_index(frozenset((key, key) for key in self.owners))  # kept while the names are
        attending = {(note.path, ref.line) for note in records.notes for ref in note.people}
        self.met_in = {
            slug: {path for path, line in person.places if (path, line) in attending}
            for slug, person in self.people.items()
        }
        declared = {fold(ref.name) for note in records.notes for ref in note.new}
        self.declared = {slug for slug, keys in self.keys.items() if keys & declared}

    def _slugs(self, keys: Iterable[str], besides: str) -> list[Named]:
        """The people of these keys but `besides`, and but those a note lists beside them in
        `with`: two names met together are two people, however alike ('Pat & Lee', 'Pat Lee')."""
        found = {slug for key in keys for slug in self.owners.get(key, ())} - {besides}
        together = {slug for slug in found if self.met_in[slug] & self.met_in[besides]}
        return [self.people[slug] for slug in sorted(found - together)]

    def close(self, person: Named) -> list[Named]:
        """Who `person` looks like by the typo, order, spacing and short-form rules."""
        return self._slugs(
            (near for key in self.keys[person.slug] for near in self.index.close_as_stranger(key)), person.slug
        )

    def one_letter(self, person: Named) -> list[Named]:
        """Who `person` is one letter from, in one word, by a slip the typo rule lets through."""
        return self._slugs((near for key in self.keys[person.slug] for near in self.index.one_slip(key)), person.slug)

    def questioned(self, person: Named) -> bool:
        """Whether `person` may be asked about at all: not carded, not declared `new:`."""
        return not person.card and person.slug not in self.declared

    def outranks(self, other: Named, person: Named) -> bool:
        """Whether `other` is the one `person` should be written as: a card, a full name
        beside a lone first name, more notes, or, as many, the name written first."""
        if other.card:
            return True
        if other.slug in self.declared:
            return False
        words, theirs = len(fold(person.name).split()), len(fold(other.name).split())
        if words != theirs:
            return theirs > words
        if other.notes != person.notes:
            return other.notes > person.notes
        return self._first(other) < self._first(person)

    def _first(self, person: Named) -> tuple:
        return (0, self.when(person.first)) if person.first else (1, person.slug)


def _meant(likeness: _Likeness, person: Named) -> list[Named]:
    """Whom an uncarded person's name is a close miss for: those who outrank them."""
    if not likeness.questioned(person):
        return []
    return [other for other in likeness.close(person) if not other.card and likeness.outranks(other, person)]


def uncarded_near_misses(journal: Journal, records: Records) -> list[Problem]:
    """A person without a card whose name is a close miss for someone the journal names
    more surely (see _Likeness.outranks): an error at every place it is written."""
    likeness = _Likeness(journal, records)
    problems = []
    for person in likeness.people.values():
        meant = _meant(likeness, person)
        if not meant:
            continue
        names = either([other.name for other in meant])
        message = (
            f"'{person.name}' is nobody the journal knows by that name (did you mean {names}?); write that name, "
            f"or if this is someone new add 'new: [{person.name}]' to this note"
        )
        problems += [Problem(path, line, message) for path, line in person.places]
    return problems


def near_miss_warnings(journal: Journal, records: Records) -> list[Problem]:
    """A person without a card one letter from someone else the journal names more surely,
    a slip the typo rule lets through ('Pat Le' beside 'Pat Lee'): a warning at every place
    it is written, which `new: [Pat Le]` silences."""
    likeness = _Likeness(journal, records)
    warnings = []
    for person in likeness.people.values():
        if not likeness.questioned(person) or _meant(likeness, person):  # an error says it already
            continue
        close = [other for other in likeness.one_letter(person) if likeness.outranks(other, person)]
        if not close:
            continue
        other = close[0]
        where = f" ({other.card})" if other.card else ""
        message = (
            f"'{person.name}' is one letter from '{other.name}'{where}; if they are two people, "
            f"add 'new: [{person.name}]' to this note to say so"
        )
        warnings += [Problem(path, line, message, "warning") for path, line in person.places]
    return warnings


@dataclass(frozen=True)
class LookAlike:
    """Two people whose names look like one person's, and why."""

    first: Named
    second: Named
    why: str  # 'close' (typo, order, spacing, short form) or 'one letter'


def look_alikes(journal: Journal, records: Records) -> list[LookAlike]:
    """Every pair of people the rules above hold alike, carded or not, once each (by slug)."""
    likeness = _Likeness(journal, records)
    pairs: dict[tuple[str, str], LookAlike] = {}
    for person in likeness.people.values():
        for why, others in (("close", likeness.close(person)), ("one letter", likeness.one_letter(person))):
            for other in others:
                first, second = sorted((person, other), key=lambda named: named.slug)
                pairs.setdefault((first.slug, second.slug), LookAlike(first, second, why))
    return [pairs[key] for key in sorted(pairs)]
