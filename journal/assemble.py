"""Assemble parsed records into the model: resolve every name to a person and every promise
id to its promise, apply the journal's defaults.

Resolution only. A name that means no one, or more than one, is a problem here, and so is a
`fulfills` or `releases` that cannot close the promise it names: the model cannot be made
without an answer. Whatever only looks at what was assembled, or across files (two files
with one address, an id used twice, yourself in `with`), is checks.py's; a single field's
checks are schema.py's. Where things were written that the model does not keep goes to the
checks as Records. Pure: no I/O.
"""

from __future__ import annotations

import functools
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import Any

from .fields import CARD_FIELDS
from .keys import Remember, Same, just_make
from .model import ME, MET, Commitment, Config, Contact, Exchange, Journal, Meeting
from .problems import Problem
from .schema import CardRecord, CommitmentRecord, ExchangeRecord, IdRef, NoteRecord, PersonRef
from .text import ME_WORDS, NameIndex, address, did_you_mean, either, fold, name_index, one_of, slugify


def owner_keys(config: Config) -> frozenset[str]:
    """The fold keys that mean the journal's owner: 'me', 'I', 'myself', the owner's name and
    owner_aliases."""
    return ME_WORDS | {fold(name) for name in (config.owner, *config.owner_aliases) if name}


def _name_keys(name: str, slug: str, stem: str, aliases: Iterable[str]) -> set[str]:
    """The fold keys a person is found by: their name, slug, file name and aliases."""
    return {fold(name), fold(slug), fold(stem), *map(fold, aliases)}


def _could_be(name: str, people: list[tuple[str, str]]) -> str:
    """The problem with a name that matches more than one of `people`, as (name, slug)."""
    names = ", ".join(f"{person} ({slug})" for person, slug in people)
    return f"'{name}' could be more than one contact: {names}; write the full name or the slug"


def _close_index(
    keys: Mapping[str, set[str]], name_of: Callable[[str], str], config: Config, declared: Mapping[str, str]
) -> NameIndex:
    """The index of known names an unknown one may be a typo of: everyone's keys under their
    name, the owner's, and the names declared `new:`."""
    known = {(key, name_of(min(slugs))) for key, slugs in keys.items()}
    known |= {(key, config.owner) for key in owner_keys(config) - ME_WORDS}
    return name_index(frozenset(known | set(declared.items())))


class People:
    """Resolves names, aliases and slugs to contact slugs; invents contacts for unknown names.

    A person with a card is known by the card's file name (its slug); one without is known by
    the fold key of their name, and their slug is text.address() of it, which two different
    keys never share (see there): 'Pat & Lee' and 'Pat Lee' are two people with two pages."""

    def __init__(
        self, cards: list[CardRecord], config: Config, problems: list[Problem], declared: dict[str, str] | None = None
    ):
        """A card whose name (by fold) or file name's address an earlier card (by path)
        already has is left out: checks.duplicate_cards says so."""
        self.config = config
        self.problems = problems
        self.me = owner_keys(config)
        self.declared = declared or {}  # fold key -> name, of the names notes list under `new:`
        self.index: NameIndex | None = None
        self.cards: dict[str, CardRecord] = {}
        self.keys: dict[str, set[str]] = {}
        self.generated: dict[str, str] = {}  # slug -> display name
        self.spellings: dict[
            str, dict[str, tuple[str, str, int]]
        ] = {}  # slug -> fold key -> (name, path, line) first seen
        self.invented: list[tuple[str, str, str, int]] | None = None  # when a list, each invent() is noted in it
        self.in_note: dict[str, str | None] = {}  # first word -> the one full name the note being read gives it
        self.mentions: list[tuple[str, str, int]] | None = None  # when a list, each person named is noted in it
        self.named: dict[str, list[tuple[str, int]]] = {}  # slug -> every (path, line) naming them, in note order
        names_seen: dict[str, CardRecord] = {}
        for card in cards:
            stem = PurePosixPath(card.path).stem
            slug = slugify(stem)
            if fold(card.name) in names_seen or slug in self.cards:
                continue
            names_seen[fold(card.name)] = card
            self.cards[slug] = card
            for key in _name_keys(card.name, slug, stem, (alias.name for alias in card.aliases)):
                self.keys.setdefault(key, set()).add(slug)

    def is_me(self, name: str) -> bool:
        """'me', 'I', 'myself', the owner's name or one of owner_aliases, in any case."""
        return fold(name) in self.me

    def resolve(self, ref: PersonRef, path: str) -> str | None:
        """The one way a name in a note becomes a person, for every field that names one:
        a contact slug or ME; None (and a problem) when the name is ambiguous or is no
        contact but close to one (see close_to). Each person named is noted (mention)."""
        person = self._resolve(ref, path)
        if person and person != ME and self.mentions is not None:
            self.mentions.append((person, path, ref.line))
        return person

    def mention(self, slug: str, path: str, line: int) -> None:
        self.named.setdefault(slug, []).append((path, line))

    def _resolve(self, ref: PersonRef, path: str) -> str | None:
        if self.is_me(ref.name):
            return ME
        matches = self.keys.get(fold(ref.name), set())
        in_note = self._in_note(ref, path)
        if len(matches) > 1 and in_note in matches:  # 'Dana' beside 'with: Dana Whitfield'
            return in_note
        if len(matches) > 1:
            self.problems.append(
                Problem(path, ref.line, _could_be(ref.name, [(self.cards[s].name, s) for s in sorted(matches)]))
            )
            return None
        if matches:
            match = next(iter(matches))
            if in_note and in_note != match:
                named = f"{self.in_note[fold(ref.name)]} (named in this note)"
                self.problems.append(
                    Problem(path, ref.line, _could_be(ref.name, [(self.cards[match].name, match), (named, in_note)]))
                )
                return None
            return match
        if in_note:
            return in_note
        close = self.close_to(fold(ref.name))
        if close:
            self.problems.append(
                Problem(
                    path,
                    ref.line,
                    f"'{ref.name}' is not a contact (did you mean {either(close)}?); if this is someone new, give them a card (journal new contact \"{ref.name}\") or add 'new: [{ref.name}]' to this note",
                )
            )
            return None
        slug = address(ref.name)
        if slug in self.cards:
            card = self.cards[slug]
            self.problems.append(
                Problem(
                    path,
                    ref.line,
                    f"'{ref.name}' would get the address '{slug}' of {card.path}, who is someone else; write the name differently or give them a card",
                )
            )
            return None
        self.invent(slug, ref.name, path, ref.line)
        if self.invented is not None:
            self.invented.append((slug, ref.name, path, ref.line))
        return slug

    def _in_note(self, ref: PersonRef, path: str) -> str | None:
        """The person a lone first name means in the note being read: the one person the
        same note names in full with that first word ('by: Terry' beside 'with: Terry
        Nguyen'), as the writer meant; None when it names none, or several."""
        full = self.in_note.get(fold(ref.name))
        if not full:
            return None
        reported, self.problems = self.problems, []  # the full name's own line reports what is wrong with it
        try:
            return self._resolve(PersonRef(full, ref.line), path)
        finally:
            self.problems = reported

    def close_to(self, key: str) -> list[str]:
        """The known names an unknown name is close to (text.NameIndex): a card's name or
        alias, the owner's, a name some note lists under `new:`. A name listed under `new:`
        is never questioned. The index is built only once a name is unknown, and kept
        (text.name_index) while the known names stay the same."""
        if key in self.declared:
            return []
        if self.index is None:
            self.index = _close_index(self.keys, self.name_of, self.config, self.declared)
        return self.index.close(key)

    def name_of(self, slug: str) -> str:
        """The name a resolved contact goes by: its card's, or the name it was first met under."""
        return self.cards[slug].name if slug in self.cards else self.generated[slug]

    def invent(self, slug: str, name: str, path: str, line: int) -> None:
        """A person without a card, met at path:line under this name."""
        self.generated.setdefault(slug, name)
        self.spellings.setdefault(slug, {}).setdefault(fold(name), (name, path, line))

    def contacts(self) -> tuple[Contact, ...]:
        contacts = [_contact(slug, card) for slug, card in self.cards.items()]
        contacts += [Contact(slug=slug, name=name) for slug, name in self.generated.items()]
        return tuple(sorted(contacts, key=lambda contact: contact.slug))


def _contact(slug: str, card: CardRecord) -> Contact:
    """A card's contact: each of fields.CARD_FIELDS copied over, and where the card is."""
    fields: dict[str, Any] = {
        card_field.name: _model_value(getattr(card, card_field.name)) for card_field in CARD_FIELDS
    }
    return Contact(slug=slug, notes=card.notes, path=card.path, line=card.line, notes_line=card.notes_line, **fields)


def _model_value(value: object) -> object:
    """A card field's value as the model holds it: names where the card has PersonRefs (an
    alias keeps its line only for problems), anything else as it is."""
    if isinstance(value, tuple) and value and isinstance(value[0], PersonRef):
        return tuple(ref.name for ref in value)
    return value


def find_contact(journal: Journal, name: str) -> tuple[str | None, str]:
    """(the slug of the one contact `name` means, ''), or (None, why not): a name on the
    command line matched as People.resolve matches a note's, by a card's name, alias, slug or
    file name, or the name a person without a card was met under; a near miss is asked about
    with the same did-you-mean."""
    if fold(name) in owner_keys(journal.config):
        return None, f"'{name}' is you; name the person you are meeting"
    keys: dict[str, set[str]] = {}
    for contact in journal.contacts:
        stem = PurePosixPath(contact.path).stem if contact.has_card else contact.slug
        for key in _name_keys(contact.name, contact.slug, stem, contact.aliases):
            keys.setdefault(key, set()).add(contact.slug)
    found = keys.get(fold(name), set())
    if len(found) > 1:
        return None, _could_be(name, [(journal.name_of(slug), slug) for slug in sorted(found)])
    if found:
        return next(iter(found)), ""
    close = _close_index(keys, journal.name_of, journal.config, {}).close(fold(name))
    return None, f"no contact called '{name}'" + (f" (did you mean {either(close)}?)" if close else "")


@functools.lru_cache(maxsize=1 << 16)
def _slug_choices(path: str) -> tuple[str, str]:
    """(the file stem's slug, the slug of the whole path below entries/) of a note."""
    pure = PurePosixPath(path)
    return slugify(pure.stem), slugify("-".join(pure.with_suffix("").parts[1:]))


def _meeting_slugs(notes: list[NoteRecord]) -> dict[str, str]:
    """File stem, or more of the path when two notes share a stem in different folders. Two
    notes can still be left with one slug ('Pat Lee.md' and 'pat-lee.md' side by side):
    checks.meeting_addresses says so."""
    stems: dict[str, int] = {}
    for note in notes:
        stem, _ = _slug_choices(note.path)
        stems[stem] = stems.get(stem, 0) + 1
    slugs: dict[str, str] = {}
    for note in notes:
        stem, longer = _slug_choices(note.path)
        slugs[note.path] = stem if stems[stem] == 1 else longer
    return slugs


def _meeting(note: NoteRecord, slug: str, people: People, config: Config, problems: list[Problem]) -> Meeting:
    """The note's meeting, every name in it resolved. What cannot be resolved is left out,
    with a problem from People.resolve or here; yourself where someone else belongs is left
    out silently (checks.py says so)."""
    met = _met(note, people)
    commitments = [
        commitment
        for record in note.commitments
        if (commitment := _commitment(record, note, slug, met, people, config, problems))
    ]
    exchanges = [exchange for record in note.exchanges if (exchange := _exchange(record, note, slug, people))]
    return Meeting(
        slug=slug,
        date=note.date,
        time=note.time,
        title=note.title,
        people=tuple(met),
        where=note.where,
        tags=note.tags,
        follow_ups=_follow_ups(note, met, people, config, problems),
        body=note.body,
        commitments=tuple(commitments),
        exchanges=tuple(exchanges),
        path=note.path,
        body_line=note.body_line,
        event=note.event.id if note.event else "",
        channel=note.channel,
        mail=note.mail,
    )


def _met(note: NoteRecord, people: People) -> list[str]:
    """The people `with` names, once each, in its order."""
    met: list[str] = []
    for ref in note.people:
        person = people.resolve(ref, note.path)
        if person and person != ME and person not in met:
            met.append(person)
    return met


def _commitment(
    record: CommitmentRecord,
    note: NoteRecord,
    slug: str,
    met: list[str],
    people: People,
    config: Config,
    problems: list[Problem],
) -> Commitment | None:
    """The promise, by and to whom resolved: `to` defaults to me for someone else's promise
    and to the one person met for mine. None when a name means no one, or when whom a
    promise of mine is to is not clear (checks.unclear_beneficiary; its `introducing` is then
    not looked at)."""
    by = people.resolve(record.by, note.path)
    if record.to is not None:
        to = people.resolve(record.to, note.path)
    elif by != ME:
        to = ME
    elif len(note.people) == 1:
        to = met[0] if met else None
    else:
        return None
    introducing = people.resolve(record.introducing, note.path) if record.introducing else ""
    if by is None or to is None or introducing is None:
        return None
    if by == to:
        problems.append(Problem(note.path, record.line, "'by' and 'to' are the same person"))
        return None
    done_on = record.done if not isinstance(record.done, bool) else None
    return Commitment(
        by=by,
        to=to,
        what=record.what,
        kind=record.kind,
        made_on=note.date,
        due=record.due or note.date + timedelta(days=config.default_due_days),
        done=bool(record.done),
        done_on=done_on,
        dropped=record.dropped,
        introducing=introducing,
        consent=record.consent,
        meeting=slug,
        path=note.path,
        line=record.line,
        id=record.id.id if record.id else "",
    )


def _exchange(record: ExchangeRecord, note: NoteRecord, slug: str, people: People) -> Exchange | None:
    """What was given or received, and with whom; None when that is no one else."""
    person = people.resolve(record.person, note.path)
    if person is None or person == ME:
        return None
    giver, receiver = (ME, person) if record.direction == "gave" else (person, ME)
    return Exchange(giver, receiver, record.what, record.kind, record.on or note.date, slug, note.path, record.line)


def _follow_ups(
    note: NoteRecord, met: list[str], people: People, config: Config, problems: list[Problem]
) -> tuple[tuple[str, date], ...]:
    """(contact, follow up by) for the people met whom `follow_up` asks to follow up: all of
    them unless it names some (and only people met can be named) or says false."""
    default = note.date + timedelta(days=config.follow_up_days)
    if note.follow_up is None and note.channel not in MET:
        return ()  # a touch (an e-mail, a message) needs no follow-up unless the note asks for one
    if not isinstance(note.follow_up, tuple):
        due = note.follow_up if isinstance(note.follow_up, date) else default
        return () if note.follow_up is False else tuple((person, due) for person in met)
    chosen: dict[str, date] = {}
    for named in note.follow_up:
        person = people.resolve(named.person, note.path)
        if person is None or person == ME:
            continue
        if person not in met:
            names = [people.name_of(slug) for slug in met]
            hint = f"; the people met are {one_of(names)}" if names else "; 'with' names nobody"
            problems.append(
                Problem(
                    note.path, named.person.line, f"'follow_up' names '{named.person.name}', who is not in 'with'{hint}"
                )
            )
        elif person in chosen:
            problems.append(Problem(note.path, named.person.line, f"'follow_up' names '{named.person.name}' twice"))
        else:
            chosen[person] = named.due or default
    return tuple((person, chosen[person]) for person in met if person in chosen)


def _promise_ids(meetings: list[Meeting]) -> dict[str, Commitment]:
    """id -> the promise it names: the first to use it (checks.reused_promise_ids)."""
    defined: dict[str, Commitment] = {}
    for meeting in meetings:
        for commitment in meeting.commitments:
            if commitment.id:
                defined.setdefault(commitment.id, commitment)
    return defined


def _close_promises(meetings: list[Meeting], notes: dict[str, NoteRecord], problems: list[Problem]) -> list[Meeting]:
    """Apply each note's `fulfills` and `releases` to the promises they name, so a promise
    is closed by writing forward in a later note instead of editing the old one."""
    defined = _promise_ids(meetings)
    closings: dict[str, tuple[str, Meeting, IdRef]] = {}
    for meeting in meetings:
        note = notes[meeting.path]
        for verb, refs in (("fulfills", note.fulfills), ("releases", note.releases)):
            for ref in refs:
                refused = _cannot_close(verb, ref, meeting, defined, closings)
                if refused:
                    problems.append(Problem(meeting.path, ref.line, refused))
                else:
                    closings[ref.id] = (verb, meeting, ref)
    if not closings:
        return meetings

    def closed(commitment: Commitment) -> Commitment:
        if commitment.id not in closings or defined[commitment.id] is not commitment:
            return commitment
        verb, closer, _ = closings[commitment.id]
        if verb == "fulfills":
            return replace(commitment, done=True, done_on=closer.date, closed_in=closer.slug)
        return replace(commitment, dropped="released", closed_in=closer.slug)

    return [replace(m, commitments=tuple(closed(c) for c in m.commitments)) for m in meetings]


def _cannot_close(
    verb: str,
    ref: IdRef,
    meeting: Meeting,
    defined: dict[str, Commitment],
    closings: dict[str, tuple[str, Meeting, IdRef]],
) -> str:
    """Why `verb: [ref]` in the meeting cannot close the promise it names ('' when it can)."""
    target = defined.get(ref.id)
    if target is None:
        return f"'{verb}' names '{ref.id}', but no promise has that id{did_you_mean(ref.id, list(defined))}"
    if ref.id in closings:
        _, closer, closer_ref = closings[ref.id]
        return f"'{ref.id}' is already closed at {closer.path}:{closer_ref.line}"
    if not target.is_open:
        return f"'{ref.id}' is already closed where it was promised, {target.path}:{target.line}"
    if target.made_on > meeting.date:
        return f"'{ref.id}' was promised on {target.made_on.isoformat()}, after this note"
    return ""


@dataclass(frozen=True)
class Records:
    """Where the journal's things were written, which the model does not keep, for the
    checks (checks.py) to point at a file and line: the records it was assembled from, and
    each name a person without a card was met under."""

    notes: tuple[NoteRecord, ...]  # by path
    cards: tuple[CardRecord, ...]  # by path, the ones left out (People) too
    spellings: Mapping[
        str, Mapping[str, tuple[str, str, int]]
    ]  # slug -> fold key -> (name, path, line) first met under it
    named: Mapping[str, tuple[tuple[str, int], ...]] = field(
        default_factory=dict
    )  # slug -> every (path, line) naming them


@dataclass(frozen=True)
class AssembledNote:
    """One note's share of an assemble: what a caller's memory may keep and hand back
    (assemble's `remember`)."""

    meeting: Meeting
    problems: tuple[Problem, ...]
    invented: tuple[tuple[str, str, str, int], ...]  # the contacts it made up (People.invent's arguments), in order
    mentions: tuple[tuple[str, str, int], ...] = ()  # every person it names: (slug, path, line), People.mention's


def _full_names(note: NoteRecord) -> dict[str, str | None]:
    """First word (fold) -> the one name of two or more words the note writes with it
    (None when it writes several), from every field that names a person."""
    refs: list[PersonRef | None] = [*note.people]
    for c in note.commitments:
        refs += [c.by, c.to, c.introducing]
    refs += [e.person for e in note.exchanges]
    if isinstance(note.follow_up, tuple):
        refs += [named.person for named in note.follow_up]
    found: dict[str, dict[str, str]] = {}
    for ref in refs:
        words = fold(ref.name).split() if ref else []
        if ref and len(words) > 1:
            found.setdefault(words[0], {}).setdefault(" ".join(words), ref.name)
    return {first: next(iter(names.values())) if len(names) == 1 else None for first, names in found.items()}


def _assembled_note(note: NoteRecord, slug: str, people: People, config: Config) -> AssembledNote:
    """The note's meeting, with the problems and made-up contacts resolving it gave."""
    shared = people.problems
    people.problems, people.invented, people.in_note, people.mentions = [], [], _full_names(note), []
    try:
        meeting = _meeting(note, slug, people, config, people.problems)
        return AssembledNote(meeting, tuple(people.problems), tuple(people.invented), tuple(people.mentions))
    finally:
        people.problems, people.invented, people.in_note, people.mentions = shared, None, {}, None


def assemble(
    config: Config, notes: list[NoteRecord], cards: list[CardRecord], remember: Remember = just_make
) -> tuple[Journal, list[Problem], Records]:
    """(the journal, the problems of resolving it, the Records its checks need).

    `remember` (keys.py) is asked for each note's share under a key holding all it depends
    on: the very record object (keys.Same: a preview's parse memory hands back the same
    object for an unchanged text), its slug, and the people key (the config, each card's
    path, name and aliases, the names declared `new:`). The people key is itself passed
    through `remember` first, so that an equal one from the last assemble comes back as
    that very object and each note's key compares by identity, not 10,000 deep compares."""
    problems: list[Problem] = []
    cards = sorted(cards, key=lambda card: card.path)
    notes = sorted(notes, key=lambda note: note.path)
    declared: dict[str, str] = {}
    for note in notes:
        for ref in note.new:
            declared.setdefault(fold(ref.name), ref.name)
    people = People(cards, config, problems, declared)
    slugs = _meeting_slugs(notes)
    # A note reads a card only through its path, name and aliases (People): an edit of a
    # card's phone number or notes leaves every note's result as it was.
    naming = tuple((card.path, card.name, tuple(alias.name for alias in card.aliases)) for card in cards)
    people_key = (config, naming, tuple(declared.items()))
    same_people = Same((remember(("assemble people", people_key), lambda: people_key),))
    meetings = []
    for note in notes:
        make = functools.partial(_assembled_note, note, slugs[note.path], people, config)
        assembled = remember(("assembled note", Same((note,)), slugs[note.path], same_people), make)
        for invented in assembled.invented:  # a replayed note's: a made note's are there already
            people.invent(*invented)
        for mentioned in assembled.mentions:
            people.mention(*mentioned)
        meetings.append(assembled.meeting)
        problems += assembled.problems
    meetings.sort(key=lambda meeting: meeting.sort_key)
    meetings = _close_promises(meetings, {note.path: note for note in notes}, problems)
    journal = Journal(config, people.contacts(), tuple(meetings), link_names(people, meetings))
    named = {slug: tuple(places) for slug, places in people.named.items()}
    return journal, problems, Records(tuple(notes), tuple(cards), people.spellings, named)


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
    return ChainMap(
        contacts, _meeting_names(tuple((meeting.path, meeting.title, meeting.slug) for meeting in meetings))
    )


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
