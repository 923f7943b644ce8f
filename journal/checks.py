"""The validate stage: checks of an assembled journal that look across files, or at how a
note's names were resolved, and change nothing.

Each check is a small function `(journal, records) -> problems`, testable alone; CHECKS
lists them and run_checks runs them all, in that order (as beancount's ops/validation.py).
A check never raises and never mends the model: where assembling needs an answer to go on
(a name that means no one, a `fulfills` that closes nothing), that is a resolution problem
and stays in assemble.py. What the model does not keep (a record's file and line, the names
a person was met under) comes from assemble.Records. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from .assemble import Records, owner_keys
from .model import Journal
from .names import uncarded_near_misses
from .problems import Problem
from .schema import CardRecord, NoteRecord
from .text import address, fold, slugify

Check = Callable[[Journal, Records], list[Problem]]


def _same_address(slug: str, other: str) -> str:
    return f"this file name gives the same address '{slug}' as {other}; rename one"


def duplicate_cards(journal: Journal, records: Records) -> list[Problem]:
    """A card assemble left out: its name (by fold) or its file name's address is an earlier
    card's (by path). At the later card, naming the earlier."""
    kept = {contact.path for contact in journal.contacts if contact.has_card}
    by_name = {fold(contact.name): contact for contact in journal.contacts if contact.has_card}
    problems = []
    for card in records.cards:
        if card.path in kept:
            continue
        earlier = by_name.get(fold(card.name))
        if earlier is not None:
            problems.append(
                Problem(
                    card.path,
                    card.line,
                    f"duplicate card for '{card.name}': {earlier.path}:{earlier.line} is the same person",
                )
            )
        else:
            slug = slugify(PurePosixPath(card.path).stem)
            other = journal.contact(slug)
            problems.append(Problem(card.path, 1, _same_address(slug, other.path if other else "")))
    return problems


def meeting_addresses(journal: Journal, records: Records) -> list[Problem]:
    """Two notes left with one slug ('Pat Lee.md' and 'pat-lee.md' side by side) would be one
    page: at the later path, naming the first."""
    owners: dict[str, str] = {}
    problems = []
    for meeting in sorted(journal.meetings, key=lambda meeting: meeting.path):
        if meeting.slug in owners:
            problems.append(Problem(meeting.path, 1, _same_address(meeting.slug, owners[meeting.slug])))
        owners.setdefault(meeting.slug, meeting.path)
    return problems


def person_addresses(journal: Journal, records: Records) -> list[Problem]:
    """Two people without cards whose names are not one (by fold) but got one address: only
    a crafted name or a hash collision does that (text.address). At each later name, naming
    the first (by file and line). Records.spellings holds the names of every note, replayed
    from a preview's memo or not, so a clash across an unchanged and an edited note is found."""
    problems = []
    for slug, keys in records.spellings.items():
        first, *others = sorted(keys.values(), key=lambda seen: (seen[1], seen[2], seen[0]))
        problems += [
            Problem(
                path,
                line,
                f"'{name}' and '{first[0]}' ({first[1]}:{first[2]}) would share the address '{slug}'; write one of them differently",
            )
            for name, path, line in others
        ]
    return problems


def tag_addresses(journal: Journal, records: Records) -> list[Problem]:
    """Two tags that are not one (by fold) but got one address: only a crafted tag or a hash
    collision does that (text.address). At the later file (notes first, then cards), naming
    the first."""
    first: dict[str, tuple[str, str, str]] = {}
    keys: dict[str, tuple[str, str]] = {}  # tag as written -> (address, fold): once per spelling
    problems = []
    tagged: list[NoteRecord | CardRecord] = [*records.notes, *records.cards]
    for record in tagged:
        for tag in record.tags:
            at, folded = keys.get(tag) or keys.setdefault(tag, (address(tag), fold(tag)))
            seen = first.setdefault(at, (folded, tag, record.path))
            if seen[0] != folded:
                problems.append(
                    Problem(
                        record.path,
                        1,
                        f"tag '{tag}' would share the address '{address(tag)}' with tag '{seen[1]}' of {seen[2]}; write one of them differently",
                    )
                )
    return problems


def yourself_in_with(journal: Journal, records: Records) -> list[Problem]:
    """`with` lists the people met; the owner is left out of them."""
    me = owner_keys(journal.config)
    return [
        Problem(note.path, ref.line, "'with' lists the people you met; leave yourself out")
        for note in records.notes
        for ref in note.people
        if fold(ref.name) in me
    ]


def yourself_in_exchanges(journal: Journal, records: Records) -> list[Problem]:
    """A `gave` or `received` entry with the owner on both ends is left out."""
    me = owner_keys(journal.config)
    return [
        Problem(
            note.path,
            record.person.line,
            f"a '{record.direction}' entry is between you and someone else; name the other person",
        )
        for note in records.notes
        for record in note.exchanges
        if fold(record.person.name) in me
    ]


def yourself_in_follow_up(journal: Journal, records: Records) -> list[Problem]:
    """`follow_up` names some of the people met; the owner is left out of them."""
    me = owner_keys(journal.config)
    return [
        Problem(note.path, named.person.line, "'follow_up' names the people to follow up with; leave yourself out")
        for note in records.notes
        if isinstance(note.follow_up, tuple)
        for named in note.follow_up
        if fold(named.person.name) in me
    ]


def unclear_beneficiary(journal: Journal, records: Records) -> list[Problem]:
    """A promise of mine without `to` is to the one person met; when the note met more or
    fewer, assemble leaves it out."""
    me = owner_keys(journal.config)
    return [
        Problem(
            note.path,
            record.line,
            f"this promise of mine needs 'to': the note met {len(note.people)} people, so who benefits is not clear",
        )
        for note in records.notes
        if len(note.people) != 1
        for record in note.commitments
        if record.to is None and fold(record.by.name) in me
    ]


def reused_promise_ids(journal: Journal, records: Records) -> list[Problem]:
    """A promise id names one promise: the first (oldest meeting first) keeps it, and a later
    use is an error at the line its id is written, naming the first."""
    id_lines = {
        (note.path, record.line): record.id.line for note in records.notes for record in note.commitments if record.id
    }
    first: dict[str, tuple[str, int]] = {}
    problems = []
    for commitment in journal.commitments:
        if not commitment.id:
            continue
        line = id_lines[(commitment.path, commitment.line)]
        if commitment.id in first:
            path, first_line = first[commitment.id]
            problems.append(
                Problem(
                    commitment.path, line, f"id '{commitment.id}' is already used by the promise at {path}:{first_line}"
                )
            )
        else:
            first[commitment.id] = (commitment.path, line)
    return problems


CHECKS: tuple[Check, ...] = (
    duplicate_cards,
    meeting_addresses,
    person_addresses,
    tag_addresses,
    yourself_in_with,
    yourself_in_exchanges,
    yourself_in_follow_up,
    unclear_beneficiary,
    reused_promise_ids,
    uncarded_near_misses,
)


def run_checks(journal: Journal, records: Records) -> list[Problem]:
    """Every check's problems, check by check in CHECKS' order."""
    return [problem for check in CHECKS for problem in check(journal, records)]
