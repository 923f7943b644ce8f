"""Assemble parsed records into the model: resolve every person, apply the journal's defaults.

Checks that need more than one file live here (ambiguous names, duplicate cards); checks of
a single field live in schema.py. Pure: no I/O.
"""

from __future__ import annotations

import functools
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import PurePosixPath

from .model import ME, Commitment, Config, Contact, Exchange, Journal, Meeting
from .problems import Problem
from .schema import CardRecord, IdRef, NoteRecord, PersonRef
from .text import ME_WORDS, NameIndex, address, did_you_mean, either, fold, name_index, one_of, slugify


class People:
    """Resolves names, aliases and slugs to contact slugs; invents contacts for unknown names.

    A person with a card is known by the card's file name (its slug); one without is known by
    the fold key of their name, and their slug is text.address() of it, which two different
    keys never share (see there): 'Pat & Lee' and 'Pat Lee' are two people with two pages."""

    def __init__(self, cards: list[CardRecord], config: Config, problems: list[Problem], declared: dict[str, str] | None = None):
        self.config = config
        self.problems = problems
        self.me = ME_WORDS | {fold(name) for name in (config.owner, *config.owner_aliases) if name}
        self.declared = declared or {}  # fold key -> name, of the names notes list under `new:`
        self.index: NameIndex | None = None
        self.cards: dict[str, CardRecord] = {}
        self.keys: dict[str, set[str]] = {}
        self.generated: dict[str, str] = {}  # slug -> display name
        self.spellings: dict[str, dict[str, tuple[str, str, int]]] = {}  # slug -> fold key -> (name, path, line) first seen
        self.invented: list[tuple[str, str, str, int]] | None = None  # when a list, each invent() is noted in it
        names_seen: dict[str, CardRecord] = {}
        for card in cards:
            stem = PurePosixPath(card.path).stem
            slug = slugify(stem)
            earlier = names_seen.get(fold(card.name))
            if earlier is not None:
                problems.append(Problem(card.path, card.line, f"duplicate card for '{card.name}': {earlier.path}:{earlier.line} is the same person"))
                continue
            if slug in self.cards:
                problems.append(Problem(card.path, 1, _same_address(slug, self.cards[slug].path)))
                continue
            names_seen[fold(card.name)] = card
            self.cards[slug] = card
            for key in {fold(card.name), fold(slug), fold(stem), *(fold(alias.name) for alias in card.aliases)}:
                self.keys.setdefault(key, set()).add(slug)

    def is_me(self, name: str) -> bool:
        """'me', 'I', 'myself', the owner's name or one of owner_aliases, in any case."""
        return fold(name) in self.me

    def resolve(self, ref: PersonRef, path: str) -> str | None:
        """The one way a name in a note becomes a person, for every field that names one:
        a contact slug or ME; None (and a problem) when the name is ambiguous or is no
        contact but close to one (see close_to)."""
        if self.is_me(ref.name):
            return ME
        matches = self.keys.get(fold(ref.name), set())
        if len(matches) > 1:
            names = ", ".join(f"{self.cards[s].name} ({s})" for s in sorted(matches))
            self.problems.append(Problem(path, ref.line, f"'{ref.name}' could be more than one contact: {names}; write the full name or the slug"))
            return None
        if matches:
            return next(iter(matches))
        close = self.close_to(fold(ref.name))
        if close:
            self.problems.append(Problem(path, ref.line, f"'{ref.name}' is not a contact (did you mean {either(close)}?); if this is someone new, give them a card (journal new contact \"{ref.name}\") or add 'new: [{ref.name}]' to this note"))
            return None
        slug = address(ref.name)
        if slug in self.cards:
            card = self.cards[slug]
            self.problems.append(Problem(path, ref.line, f"'{ref.name}' would get the address '{slug}' of {card.path}, who is someone else; write the name differently or give them a card"))
            return None
        self.invent(slug, ref.name, path, ref.line)
        if self.invented is not None:
            self.invented.append((slug, ref.name, path, ref.line))
        return slug

    def close_to(self, key: str) -> list[str]:
        """The known names an unknown name is close to (text.NameIndex): a card's name or
        alias, the owner's, a name some note lists under `new:`. A name listed under `new:`
        is never questioned. The index is built only once a name is unknown, and kept
        (text.name_index) while the known names stay the same."""
        if key in self.declared:
            return []
        if self.index is None:
            known = {(known, self.cards[min(slugs)].name) for known, slugs in self.keys.items()}
            known |= {(known, self.config.owner) for known in self.me - ME_WORDS}
            self.index = name_index(frozenset(known | set(self.declared.items())))
        return self.index.close(key)

    def name_of(self, slug: str) -> str:
        """The name a resolved contact goes by: its card's, or the name it was first met under."""
        return self.cards[slug].name if slug in self.cards else self.generated[slug]

    def invent(self, slug: str, name: str, path: str, line: int) -> None:
        """A person without a card, met at path:line under this name."""
        self.generated.setdefault(slug, name)
        self.spellings.setdefault(slug, {}).setdefault(fold(name), (name, path, line))

    def clashes(self) -> list[Problem]:
        """Two people without cards whose names are not one (by fold) but got one address:
        only a crafted name or a hash collision does that (text.address). Asked once all
        notes are resolved, so a note replayed from an AssembleMemo is checked too."""
        problems = []
        for slug, keys in self.spellings.items():
            first, *others = sorted(keys.values(), key=lambda seen: (seen[1], seen[2], seen[0]))
            problems += [Problem(path, line, f"'{name}' and '{first[0]}' ({first[1]}:{first[2]}) would share the address '{slug}'; write one of them differently")
                         for name, path, line in others]
        return problems

    def contacts(self) -> tuple[Contact, ...]:
        contacts = [
            Contact(
                slug=slug, name=card.name, aliases=tuple(a.name for a in card.aliases), company=card.company,
                role=card.role, email=card.email, phone=card.phone, tags=card.tags, cadence=card.cadence,
                status=card.status, decide_by=card.decide_by, notes=card.notes, path=card.path, line=card.line,
                notes_line=card.notes_line,
            )
            for slug, card in self.cards.items()
        ]
        contacts += [Contact(slug=slug, name=name) for slug, name in self.generated.items()]
        return tuple(sorted(contacts, key=lambda contact: contact.slug))


@functools.lru_cache(maxsize=1 << 16)
def _slug_choices(path: str) -> tuple[str, str]:
    """(the file stem's slug, the slug of the whole path below entries/) of a note."""
    pure = PurePosixPath(path)
    return slugify(pure.stem), slugify("-".join(pure.with_suffix("").parts[1:]))


def _same_address(slug: str, other: str) -> str:
    return f"this file name gives the same address '{slug}' as {other}; rename one"


def _meeting_slugs(notes: list[NoteRecord]) -> tuple[dict[str, str], list[Problem]]:
    """File stem, or more of the path when two notes share a stem in different folders. Two
    notes still left with one slug ('Pat Lee.md' and 'pat-lee.md' side by side) would be one
    page: an error at the later path, naming the first."""
    stems: dict[str, int] = {}
    for note in notes:
        stem, _ = _slug_choices(note.path)
        stems[stem] = stems.get(stem, 0) + 1
    slugs: dict[str, str] = {}
    owners: dict[str, str] = {}
    problems = []
    for note in notes:
        stem, longer = _slug_choices(note.path)
        slug = slugs[note.path] = stem if stems[stem] == 1 else longer
        if slug in owners:
            problems.append(Problem(note.path, 1, _same_address(slug, owners[slug])))
        owners.setdefault(slug, note.path)
    return slugs, problems


def _tag_clashes(notes: list[NoteRecord], cards: list[CardRecord]) -> list[Problem]:
    """Two tags that are not one (by fold) but got one address: only a crafted tag or a hash
    collision does that (text.address). At the later file, naming the first."""
    first: dict[str, tuple[str, str]] = {}
    problems = []
    for record in [*notes, *cards]:
        for tag in record.tags:
            seen = first.setdefault(address(tag), (fold(tag), tag, record.path))
            if seen[0] != fold(tag):
                problems.append(Problem(record.path, 1, f"tag '{tag}' would share the address '{address(tag)}' with tag '{seen[1]}' of {seen[2]}; write one of them differently"))
    return problems


def _meeting(note: NoteRecord, slug: str, people: People, config: Config, problems: list[Problem]) -> Meeting:
    met = []
    for ref in note.people:
        person = people.resolve(ref, note.path)
        if person == ME:
            problems.append(Problem(note.path, ref.line, "'with' lists the people you met; leave yourself out"))
        elif person and person not in met:
            met.append(person)
    commitments = []
    for record in note.commitments:
        by = people.resolve(record.by, note.path)
        if record.to is not None:
            to = people.resolve(record.to, note.path)
        elif by != ME:
            to = ME
        elif len(note.people) == 1:
            to = met[0] if met else None
        else:
            problems.append(Problem(note.path, record.line, f"this promise of mine needs 'to': the note met {len(note.people)} people, so who benefits is not clear"))
            continue
        introducing = people.resolve(record.introducing, note.path) if record.introducing else ""
        if by is None or to is None or introducing is None:
            continue
        if by == to:
            problems.append(Problem(note.path, record.line, "'by' and 'to' are the same person"))
            continue
        done_on = record.done if not isinstance(record.done, bool) else None
        commitments.append(Commitment(
            by=by, to=to, what=record.what, kind=record.kind, made_on=note.date,
            due=record.due or note.date + timedelta(days=config.default_due_days),
            done=bool(record.done), done_on=done_on, dropped=record.dropped,
            introducing=introducing, consent=record.consent, meeting=slug, path=note.path, line=record.line,
            id=record.id.id if record.id else "",
        ))
    exchanges = []
    for record in note.exchanges:
        person = people.resolve(record.person, note.path)
        if person is None:
            continue
        if person == ME:
            problems.append(Problem(note.path, record.person.line, f"a '{record.direction}' entry is between you and someone else; name the other person"))
            continue
        giver, receiver = (ME, person) if record.direction == "gave" else (person, ME)
        exchanges.append(Exchange(giver, receiver, record.what, record.kind, record.on or note.date, slug, note.path, record.line))
    return Meeting(
        slug=slug, date=note.date, time=note.time, title=note.title, people=tuple(met), where=note.where,
        tags=note.tags, follow_ups=_follow_ups(note, met, people, config, problems), body=note.body, commitments=tuple(commitments),
        exchanges=tuple(exchanges), path=note.path, body_line=note.body_line,
    )


def _follow_ups(note: NoteRecord, met: list[str], people: People, config: Config, problems: list[Problem]) -> tuple[tuple[str, date], ...]:
    """(contact, follow up by) for the people met whom `follow_up` asks to follow up: all of
    them unless it names some (and only people met can be named) or says false."""
    default = note.date + timedelta(days=config.follow_up_days)
    if not isinstance(note.follow_up, tuple):
        return () if note.follow_up is False else tuple((person, note.follow_up or default) for person in met)
    chosen: dict[str, date] = {}
    for named in note.follow_up:
        person = people.resolve(named.person, note.path)
        if person is None:
            continue
        if person == ME:
            problems.append(Problem(note.path, named.person.line, "'follow_up' names the people to follow up with; leave yourself out"))
        elif person not in met:
            names = [people.name_of(slug) for slug in met]
            hint = f"; the people met are {one_of(names)}" if names else "; 'with' names nobody"
            problems.append(Problem(note.path, named.person.line, f"'follow_up' names '{named.person.name}', who is not in 'with'{hint}"))
        elif person in chosen:
            problems.append(Problem(note.path, named.person.line, f"'follow_up' names '{named.person.name}' twice"))
        else:
            chosen[person] = named.due or default
    return tuple((person, chosen[person]) for person in met if person in chosen)


def _promise_ids(meetings: list[Meeting], notes: dict[str, NoteRecord], problems: list[Problem]) -> dict[str, tuple[Commitment, IdRef]]:
    """id -> (commitment, where the id is written); a reused id is an error at its later use."""
    defined: dict[str, tuple[Commitment, IdRef]] = {}
    for meeting in meetings:
        id_refs = {record.line: record.id for record in notes[meeting.path].commitments if record.id}
        for commitment in meeting.commitments:
            ref = id_refs.get(commitment.line)
            if ref is None:
                continue
            if ref.id in defined:
                first, first_ref = defined[ref.id]
                problems.append(Problem(meeting.path, ref.line, f"id '{ref.id}' is already used by the promise at {first.path}:{first_ref.line}"))
            else:
                defined[ref.id] = (commitment, ref)
    return defined


def _close_promises(meetings: list[Meeting], notes: dict[str, NoteRecord], problems: list[Problem]) -> list[Meeting]:
    """Apply each note's `fulfills` and `releases` to the promises they name, so a promise
    is closed by writing forward in a later note instead of editing the old one."""
    defined = _promise_ids(meetings, notes, problems)
    closings: dict[str, tuple[str, Meeting, IdRef]] = {}
    for meeting in meetings:
        note = notes[meeting.path]
        for verb, refs in (("fulfills", note.fulfills), ("releases", note.releases)):
            for ref in refs:
                target = defined.get(ref.id)
                if target is None:
                    problems.append(Problem(meeting.path, ref.line, f"'{verb}' names '{ref.id}', but no promise has that id{did_you_mean(ref.id, list(defined))}"))
                elif ref.id in closings:
                    _, closer, closer_ref = closings[ref.id]
                    problems.append(Problem(meeting.path, ref.line, f"'{ref.id}' is already closed at {closer.path}:{closer_ref.line}"))
                elif not target[0].is_open:
                    problems.append(Problem(meeting.path, ref.line, f"'{ref.id}' is already closed where it was promised, {target[0].path}:{target[0].line}"))
                elif target[0].made_on > meeting.date:
                    problems.append(Problem(meeting.path, ref.line, f"'{ref.id}' was promised on {target[0].made_on.isoformat()}, after this note"))
                else:
                    closings[ref.id] = (verb, meeting, ref)
    if not closings:
        return meetings

    def closed(commitment: Commitment) -> Commitment:
        if commitment.id not in closings or defined[commitment.id][0] is not commitment:
            return commitment
        verb, closer, _ = closings[commitment.id]
        if verb == "fulfills":
            return replace(commitment, done=True, done_on=closer.date, closed_in=closer.slug)
        return replace(commitment, dropped="released", closed_in=closer.slug)

    return [replace(m, commitments=tuple(closed(c) for c in m.commitments)) for m in meetings]


@dataclass(frozen=True)
class _Assembled:
    note: NoteRecord
    slug: str
    meeting: Meeting
    problems: tuple[Problem, ...]
    invented: tuple[tuple[str, str, str, int], ...]  # the contacts it made up (People.invent's arguments), in order


class AssembleMemo:
    """Each note's Meeting from the last assemble, for a preview that assembles the whole
    journal on every save (a second at 10,000 notes). With the same cards, config and names
    listed under `new:`, a note whose record is the very object load.ParseCache handed out
    last time, under the same slug, gives the same Meeting, problems and made-up contacts:
    they are replayed, not worked out again. Memory only."""

    def __init__(self) -> None:
        self.people_key: tuple | None = None
        self.notes: dict[str, _Assembled] = {}


def _assembled_meeting(note: NoteRecord, slug: str, people: People, config: Config,
                       memo: dict[str, _Assembled] | None) -> tuple[Meeting, tuple[Problem, ...], _Assembled | None]:
    known = memo.get(note.path) if memo else None
    if known and known.note is note and known.slug == slug:
        for invented in known.invented:
            people.invent(*invented)
        return known.meeting, known.problems, known
    shared = people.problems
    people.problems, people.invented = [], []
    try:
        meeting = _meeting(note, slug, people, config, people.problems)
        assembled = _Assembled(note, slug, meeting, tuple(people.problems), tuple(people.invented))
    finally:
        people.problems, people.invented = shared, None
    return meeting, assembled.problems, assembled


def assemble(config: Config, notes: list[NoteRecord], cards: list[CardRecord],
             memo: AssembleMemo | None = None) -> tuple[Journal, list[Problem]]:
    problems: list[Problem] = []
    cards = sorted(cards, key=lambda card: card.path)
    notes = sorted(notes, key=lambda note: note.path)
    declared: dict[str, str] = {}
    for note in notes:
        for ref in note.new:
            declared.setdefault(fold(ref.name), ref.name)
    people = People(cards, config, problems, declared)
    slugs, found = _meeting_slugs(notes)
    problems += found
    known = None
    if memo is not None:
        people_key = (config, tuple(cards), tuple(declared.items()))
        known = memo.notes if memo.people_key == people_key else {}
        memo.people_key, memo.notes = people_key, {}
    meetings = []
    for note in notes:
        meeting, found, assembled = _assembled_meeting(note, slugs[note.path], people, config, known)
        meetings.append(meeting)
        problems += found
        if memo is not None:
            memo.notes[note.path] = assembled
    problems += people.clashes() + _tag_clashes(notes, cards)
    meetings.sort(key=lambda meeting: meeting.sort_key)
    meetings = _close_promises(meetings, {note.path: note for note in notes}, problems)
    return Journal(config, people.contacts(), tuple(meetings), link_names(people, meetings)), problems


@functools.lru_cache(maxsize=1 << 16)
def _link_keys(path: str, name: str = "") -> tuple[str, ...]:
    """The fold keys a wikilink may find the file at `path` by: its name, or its path below
    the vault (the journal's root, or its entries/ folder), without '.md' (as Obsidian
    writes links), and `name` (a meeting's title). Remembered, as _slug_choices is: a
    preview asks again for every file on every save."""
    below_root = path.removesuffix(".md")
    keys = {fold(name), fold(below_root.rpartition("/")[2]), fold(below_root), fold(below_root.partition("/")[2])}
    return tuple(sorted(keys - {""}))


def link_names(people: People, meetings: list[Meeting]) -> Mapping[str, tuple[tuple[str, str], ...]]:
    """fold key -> the pages a wikilink `[[key]]` may mean (model.Journal.linked). A contact
    is found as `with` finds them (a card by name, alias or file name; a person without a
    card by any spelling a note used), or by the card's path; a meeting by its title or its
    file's name or path. A name that finds a contact never finds a meeting."""
    contacts = {key: tuple(("contact", slug) for slug in sorted(slugs)) for key, slugs in people.keys.items()}
    for slug, spellings in people.spellings.items():
        for key in spellings:
            contacts.setdefault(key, (("contact", slug),))
    for slug, card in people.cards.items():
        for key in _link_keys(card.path):
            contacts.setdefault(key, (("contact", slug),))
    return ChainMap(contacts, _meeting_names(tuple((meeting.path, meeting.title, meeting.slug) for meeting in meetings)))


@functools.lru_cache(maxsize=1)
def _meeting_names(meetings: tuple[tuple[str, str, str], ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    """fold key -> the meetings it names, for (path, title, slug) of every meeting. The last
    answer is remembered: a preview saves one note at a time, and most saves change no
    meeting's path or title, while making this index anew cost a 10,000-note journal a third
    of the rest of assembling it. Never changed once made: journals share it."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path, title, slug in meetings:
        page = ("meeting", slug)
        for key in _link_keys(path, title):
            found.setdefault(key, []).append(page)
    return {key: tuple(pages) for key, pages in found.items()}
