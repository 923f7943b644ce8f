"""Derived views of the journal: what is overdue, who needs a follow-up, who is going cold,
what each relationship gave and got, what to know before meeting someone (a brief). Pure
queries: `today` is always an argument.

Nothing counts before its date. A meeting dated after today is upcoming: it is not a
meeting I have had (no last-met, follow-up, cadence or exchange comes from it), and the
promises written in it are agenda, not promises, until its date: not open, not due, not
overdue, not in anyone's reliability. A promise closed by a note still to come (`fulfills`,
`releases`) or by a `done` date still to come is open until then. The calendar feed, a view
of what is to come, asks as of model.LAST_DATE and so sees every note as written.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from typing import TypeVar

from .keys import Remember, Same, just_make
from .model import KINDS, ME, Commitment, Contact, Exchange, Journal, Meeting

V = TypeVar("V")
UPCOMING_DAYS = 7
QUIET_STATUSES = ("dormant", "declined")


@dataclass(frozen=True)
class Overdue:
    commitment: Commitment
    days_overdue: int


@dataclass(frozen=True)
class FollowUp:
    """I met `contact` at `meeting` and promised myself to follow up by `due`."""

    contact: str
    met: date
    due: date
    days_overdue: int
    meeting: str


@dataclass(frozen=True)
class GoingCold:
    contact: str
    last_met: date
    cadence: int
    days_since: int


@dataclass(frozen=True)
class PendingDecision:
    contact: str
    decide_by: date
    days_overdue: int


@dataclass(frozen=True)
class LedgerEntry:
    """One thing that moved between me and a contact: an exchange, or a promise kept."""

    on: date
    gave: bool
    what: str
    kind: str
    meeting: str
    promised: bool


@dataclass(frozen=True)
class Reliability:
    """Of the promises that fell due (due date passed, or done), how many were kept on time,
    kept late, or are open and overdue; dropped ones (released, or no longer wanted) are
    counted apart and never in the rest. The one vocabulary of a promise's outcome, in every
    command and page."""

    fell_due: int = 0
    kept_on_time: int = 0
    kept_late: int = 0
    open_overdue: int = 0
    dropped: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.kept_on_time / self.fell_due) if self.fell_due else None


@dataclass(frozen=True)
class Reciprocity:
    contact: str
    given: int
    received: int
    last_exchange: date | None
    by_kind: dict = field(default_factory=dict)  # kind -> {"given": n, "received": n}
    theirs: Reliability = Reliability()
    ledger: tuple[LedgerEntry, ...] = ()

    @property
    def balance(self) -> int:
        return self.given - self.received


def has_happened(meeting: Meeting, today: date) -> bool:
    """A note dated today is a meeting had; one dated later is upcoming."""
    return meeting.date <= today


def upcoming_meetings(journal: Journal, today: date, days: int = UPCOMING_DAYS) -> list[Meeting]:
    """Meetings dated after today and at most `days` ahead, soonest first."""
    horizon = today + timedelta(days=days)
    return [meeting for meeting in journal.meetings if today < meeting.date <= horizon]


def commitments_as_of(journal: Journal, today: date) -> list[Commitment]:
    """The promises made by today, each as it stands today: one whose note, `fulfills`,
    `releases` or `done` date is still to come is not yet closed (the same object when
    nothing changes, a copy when something does)."""
    made = journal.derived(
        ("commitments_as_of", today),
        lambda: tuple(_as_of(journal, c, today) for meeting in _had(journal, today) for c in meeting.commitments),
    )
    return list(made)


def _had(journal: Journal, today: date):
    """The meetings had by today, oldest first."""
    for meeting in journal.meetings:
        if not has_happened(meeting, today):
            return  # meetings are sorted by date: the rest are upcoming too
        yield meeting


def _as_of(journal: Journal, c: Commitment, today: date) -> Commitment:
    closer = journal.meeting(c.closed_in) if c.closed_in else None
    if closer is not None and not has_happened(closer, today):
        return replace(c, done=False, done_on=None, dropped="", closed_in="")
    if c.done and c.done_on is not None and c.done_on > today:
        return replace(c, done=False, done_on=None)
    return c


def open_commitments(journal: Journal, today: date) -> list[Commitment]:
    return [c for c in commitments_as_of(journal, today) if c.is_open]


def overdue_commitments(journal: Journal, today: date) -> tuple[list[Overdue], list[Overdue]]:
    """(mine, theirs), most overdue first."""

    def make() -> tuple[tuple[Overdue, ...], tuple[Overdue, ...]]:
        late = [Overdue(c, (today - c.due).days) for c in open_commitments(journal, today) if c.due < today]
        late.sort(key=lambda item: (-item.days_overdue, item.commitment.path, item.commitment.line))
        return tuple(i for i in late if i.commitment.is_mine), tuple(i for i in late if not i.commitment.is_mine)

    mine, theirs = journal.derived(("overdue_commitments", today), make)
    return list(mine), list(theirs)


def upcoming_commitments(journal: Journal, today: date, days: int = UPCOMING_DAYS) -> list[Commitment]:
    """Open promises falling due from today to `days` ahead, soonest first."""
    horizon = today + timedelta(days=days)
    coming = [c for c in open_commitments(journal, today) if today <= c.due <= horizon]
    return sorted(coming, key=lambda c: (c.due, c.path, c.line))


FEW = 64
"""At most this many contacts asked for (a preview's save): the by-contact maps below keep
only theirs, in a pass that skips the others, rather than sorting out everyone's."""


def _few(slugs: Collection[str] | None) -> frozenset[str] | None:
    return frozenset(slugs) if slugs is not None and len(slugs) <= FEW else None


def _by_contact(journal: Journal, key: tuple, few: frozenset[str] | None, make: Callable[[], V]) -> V:
    """journal.derived(key + (few,), make): everyone's map, or the few contacts' asked for."""
    return journal.derived((*key, few), make)


def _only(made: dict[str, V], few: frozenset[str] | None) -> dict[str, V]:
    """A by-contact map of the few contacts asked for, in the slugs' order, never a set's."""
    return made if few is None else {person: made[person] for person in sorted(few) if person in made}


def meetings_by_contact(journal: Journal, slugs: Collection[str] | None = None) -> dict[str, list[Meeting]]:
    """Each contact's meetings (at least those of these contacts), oldest first, in one pass
    (not one scan per contact)."""
    few = _few(slugs)

    def make() -> dict[str, tuple[Meeting, ...]]:
        found: dict[str, list[Meeting]] = {}
        for meeting in journal.meetings:
            for person in meeting.people:
                if few is None or person in few:
                    found.setdefault(person, []).append(meeting)
        return {person: tuple(meetings) for person, meetings in found.items()}

    made = _by_contact(journal, ("meetings_by_contact",), few, make)
    return {person: list(meetings) for person, meetings in _only(made, few).items()}


def promises_by_contact(
    journal: Journal, today: date, slugs: Collection[str] | None = None
) -> dict[str, list[Commitment]]:
    """The promises made by today each contact (at least each of these) is part of (by, to
    or introduced), in note order."""
    few = _few(slugs)

    def make() -> dict[str, tuple[Commitment, ...]]:
        found: dict[str, list[Commitment]] = {}
        for c in commitments_as_of(journal, today):
            for person in dict.fromkeys((c.by, c.to, c.introducing)):
                if person and (few is None or person in few):
                    found.setdefault(person, []).append(c)
        return {person: tuple(promises) for person, promises in found.items()}

    made = _by_contact(journal, ("promises_by_contact", today), few, make)
    return {person: list(promises) for person, promises in _only(made, few).items()}


def last_meetings(journal: Journal, today: date) -> dict[str, Meeting]:
    """Each contact's most recent meeting had by today (meetings are sorted oldest first)."""

    def make() -> dict[str, Meeting]:
        latest: dict[str, Meeting] = {}
        for meeting in _had(journal, today):
            for person in meeting.people:
                latest[person] = meeting
        return latest

    return dict(journal.derived(("last_meetings", today), make))


def pending_follow_ups(
    journal: Journal, today: date, slugs: Collection[str] | None = None
) -> list[tuple[str, Meeting, date]]:
    """(contact, latest meeting, follow up by) for each person (or each of these) that meeting
    asks me to follow up. Meeting someone again clears it, whether or not the new note asks
    for another."""
    pending: list[tuple[str, Meeting, date]] = []
    for person, meeting in _of(last_meetings(journal, today), slugs):
        due = meeting.follow_up_for(person)
        if due is not None:
            pending.append((person, meeting, due))
    return pending


def _of(by_contact: dict[str, V], slugs: Collection[str] | None) -> list[tuple[str, V]]:
    """by_contact's items, or those of these contacts, in by_contact's order."""
    if slugs is None:
        return list(by_contact.items())
    return [(slug, value) for slug, value in by_contact.items() if slug in slugs]


def follow_ups_due(journal: Journal, today: date, slugs: Collection[str] | None = None) -> list[FollowUp]:
    """People (or these people) whose latest meeting's follow-up date has passed; a later
    note clears it. Everyone's is worked out once per journal (the dashboard asks twice)."""

    def make() -> tuple[FollowUp, ...]:
        due = [
            FollowUp(person, meeting.date, by, (today - by).days, meeting.slug)
            for person, meeting, by in pending_follow_ups(journal, today, slugs)
            if by < today
        ]
        return tuple(sorted(due, key=lambda f: (-f.days_overdue, f.contact)))

    return list(make() if slugs is not None else journal.derived(("follow_ups_due", today), make))


def cadence_of(journal: Journal, contact: Contact) -> int:
    return contact.cadence or journal.config.cadence_days


def going_cold(journal: Journal, today: date, slugs: Collection[str] | None = None) -> list[GoingCold]:
    """Contacts (or these contacts) met longer ago than their cadence; dormant and declined
    ones are let go. Everyone's is worked out once per journal (the dashboard asks twice)."""

    def make() -> tuple[GoingCold, ...]:
        cold = []
        for person, meeting in _of(last_meetings(journal, today), slugs):
            contact = journal.contact(person)
            if contact is None or contact.status in QUIET_STATUSES:
                continue
            cadence = cadence_of(journal, contact)
            since = (today - meeting.date).days
            if since > cadence:
                cold.append(GoingCold(person, meeting.date, cadence, since))
        return tuple(sorted(cold, key=lambda g: (-(g.days_since - g.cadence), g.contact)))

    return list(make() if slugs is not None else journal.derived(("going_cold", today), make))


def awaiting_decision(contact: Contact) -> bool:
    """A prospect (or a card with no status) with a decide-by date."""
    return contact.decide_by is not None and contact.status in ("", "prospect")


def decisions_pending(journal: Journal, today: date) -> list[PendingDecision]:
    """Prospects whose decide-by date has passed while they are still only prospects."""
    pending = [
        PendingDecision(c.slug, c.decide_by, (today - c.decide_by).days)
        for c in journal.contacts
        if awaiting_decision(c) and c.decide_by is not None and c.decide_by < today
    ]
    return sorted(pending, key=lambda p: (-p.days_overdue, p.contact))


def _my_open_introductions(journal: Journal, today: date) -> list[Commitment]:
    return [
        c
        for c in open_commitments(journal, today)
        if c.is_mine and c.kind in ("introduction", "referral") and c.introducing
    ]


def unconsented_introductions(journal: Journal, today: date) -> list[Commitment]:
    """My open introductions and referrals whose third person has not yet said yes or no."""
    return list(
        journal.derived(
            ("unconsented_introductions", today),
            lambda: tuple(c for c in _my_open_introductions(journal, today) if c.consent in ("", "asked")),
        )
    )


def declined_introductions(journal: Journal, today: date) -> list[Commitment]:
    """My open introductions and referrals whose third person said no: promises I cannot
    keep, to release (and say so to the person I made them to) before anything else."""
    return [c for c in _my_open_introductions(journal, today) if c.consent == "no"]


def reliability(commitments: list[Commitment], today: date) -> Reliability:
    fell_due = [c for c in commitments if not c.dropped and (c.done or c.due < today)]
    kept = sum(1 for c in fell_due if c.kept_on_time())
    late = sum(1 for c in fell_due if c.done and not c.kept_on_time())
    dropped = sum(1 for c in commitments if c.dropped)
    return Reliability(len(fell_due), kept, late, len(fell_due) - kept - late, dropped)


def my_reliability(journal: Journal, today: date) -> Reliability:
    return journal.derived(
        ("my_reliability", today),
        lambda: reliability([c for c in commitments_as_of(journal, today) if c.is_mine], today),
    )


def _other_side(e: Exchange) -> str:
    """Whose ledger an exchange is in: the other side from me (between two others, the giver's)."""
    return e.receiver if e.giver == ME else e.giver


def exchanges_by_contact(journal: Journal, slugs: Collection[str] | None = None) -> dict[str, tuple[Meeting, ...]]:
    """The meetings holding an exchange in each person's ledger (at least in each of these
    contacts'), oldest first, worked out once per journal."""
    few = _few(slugs)

    def make() -> dict[str, tuple[Meeting, ...]]:
        found: dict[str, list[Meeting]] = {}
        for meeting in journal.meetings:
            for person in dict.fromkeys(_other_side(e) for e in meeting.exchanges):
                if few is None or person in few:
                    found.setdefault(person, []).append(meeting)
        return {person: tuple(meetings) for person, meetings in found.items()}

    return _by_contact(journal, ("exchanges_by_contact",), few, make)


def _meeting_order(journal: Journal) -> dict[str, int]:
    return journal.derived("meeting_order", lambda: {meeting.slug: n for n, meeting in enumerate(journal.meetings)})


def _ledger(
    slug: str, meetings: Sequence[Meeting], promises: Sequence[Commitment], today: date, order: dict[str, int]
) -> list[LedgerEntry]:
    """Everything given to and received from one contact by today, oldest first, from the
    contact's exchange meetings and promises as of today (the keys a preview remembers its
    rows by): an exchange counts from its date (and its note's), a kept promise from when it
    was kept; entries of one date in note order, and in a note its exchanges first."""
    found: list[tuple[int, bool, LedgerEntry]] = []
    for meeting in meetings:
        if not has_happened(meeting, today):
            break  # oldest first: the rest are upcoming too
        for e in meeting.exchanges:
            if e.on <= today and _other_side(e) == slug:
                entry = LedgerEntry(e.on, e.giver == ME, e.what, e.kind, meeting.slug, False)
                found.append((order[meeting.slug], False, entry))
    for c in promises:
        if c.done and ME in (c.by, c.to) and (c.to if c.by == ME else c.by) == slug:
            entry = LedgerEntry(c.done_on or c.made_on, c.by == ME, c.what, c.kind, c.meeting, True)
            found.append((order[c.meeting], True, entry))
    found.sort(key=lambda item: (item[2].on, item[0], item[1]))
    return [entry for _, _, entry in found]


def reciprocity(
    journal: Journal, today: date, slugs: Collection[str] | None = None, remember: Remember = just_make
) -> list[Reciprocity]:
    """Per contact (or per one of these contacts) with anything given, received or promised:
    counts, balance, reliability. A preview's `remember` keeps each row while the contact's
    exchange meetings and promises are the very same objects (keys.Same)."""
    rows: list[Reciprocity] = []
    exchanged = exchanges_by_contact(journal, slugs)
    involved = promises_by_contact(journal, today, slugs)
    order = _meeting_order(journal)
    for contact in journal.contacts:
        slug = contact.slug
        if slugs is not None and slug not in slugs:
            continue
        meetings, promises = exchanged.get(slug, ()), involved.get(slug, [])
        if not meetings and not promises:
            continue
        key = ("reciprocity", today, slug, Same(meetings), Same(promises))
        rows += remember(key, partial(_reciprocity, slug, meetings, promises, today, order))
    return rows


def owed_most_first(rows: Sequence[Reciprocity], journal: Journal) -> list[Reciprocity]:
    """The order the reciprocity page and `journal reciprocity` list people in: the one I
    owe most (lowest balance: they gave more than I did) first, then by name."""
    return sorted(rows, key=lambda r: (r.balance, journal.name_of(r.contact).casefold()))


def _reciprocity(
    slug: str, meetings: Sequence[Meeting], promises: Sequence[Commitment], today: date, order: dict[str, int]
) -> tuple[Reciprocity, ...]:
    """The contact's row, or none when nothing was exchanged and they promised nothing."""
    entries = _ledger(slug, meetings, promises, today, order)
    theirs = [c for c in promises if c.by == slug]
    if not entries and not theirs:
        return ()
    given = Counter(e.kind for e in entries if e.gave)
    received = Counter(e.kind for e in entries if not e.gave)
    by_kind = {k: {"given": given[k], "received": received[k]} for k in KINDS if given[k] or received[k]}
    return (
        Reciprocity(
            contact=slug,
            given=sum(given.values()),
            received=sum(received.values()),
            last_exchange=entries[-1].on if entries else None,
            by_kind=by_kind,
            theirs=reliability(theirs, today),
            ledger=tuple(entries),
        ),
    )


RECENTLY_CLOSED_DAYS = 30


def recently_closed(journal: Journal, today: date, days: int = RECENTLY_CLOSED_DAYS) -> list[Commitment]:
    """Promises a later note fulfilled or released in the last `days`, latest closing first:
    what stopped being overdue, and where that was written."""
    closed_on: dict[str, date] = {}
    for c in journal.commitments:
        if c.closed_in and c.closed_in not in closed_on:
            closer = journal.meeting(c.closed_in)
            assert closer is not None, "assemble closes promises only from notes it has"
            closed_on[c.closed_in] = closer.date
    closed = [c for c in journal.commitments if c.closed_in and 0 <= (today - closed_on[c.closed_in]).days <= days]
    return sorted(closed, key=lambda c: (-closed_on[c.closed_in].toordinal(), c.path, c.line))


@dataclass(frozen=True)
class Urgent:
    """One thing to do now. `action` is release (my promise whose third person declined),
    keep (my promise), chase (theirs), follow-up, decide or reconnect; `quiet_days` counts
    since I last met the contact (None: never met)."""

    action: str
    contact: str
    days_overdue: int
    quiet_days: int | None
    score: int
    commitment: Commitment | None = None
    meeting: str = ""


# Points per day late. A late promise of mine costs my reputation, so a day of it weighs
# three times a day of someone else's; a follow-up or decision I owe myself weighs twice.
# Silence adds a point a week since I last met the person, because a quiet relationship is
# where a forgotten promise is noticed least and hurts most. A relationship past its cadence
# gains only a point a week: reconnecting matters, but never more than a promise late for days.
# A promise the third person declined comes before all of these: it cannot be kept, and
# every day it stays open the person I made it to still counts on it.
ACTION_WEIGHTS = {"keep": 3, "follow-up": 2, "decide": 2, "chase": 1}
ACTIONS = ("release", *ACTION_WEIGHTS, "reconnect")


def needs_me_now(journal: Journal, today: date, limit: int = 5) -> list[Urgent]:
    """The open items to do today, most urgent first: promises to release because their
    third person declined, then overdue promises both ways, follow-ups, decisions and cold
    relationships, ranked by days late, whose move it is, and silence."""
    last = last_meetings(journal, today)

    def quiet(contact: str) -> int | None:
        met = last.get(contact)
        return (today - met.date).days if met else None

    def score(action: str, contact: str, days_overdue: int) -> int:
        if action == "release":
            return 0  # ranked first by its action, whatever the others score
        if action == "reconnect":
            return days_overdue // 7
        return ACTION_WEIGHTS[action] * days_overdue + (quiet(contact) or 0) // 7

    # (action, contact, days overdue, commitment, meeting): an Urgent is made for the few shown
    Item = tuple[str, str, int, Commitment | None, str]
    mine, theirs = overdue_commitments(journal, today)
    declined = declined_introductions(journal, today)
    released = {id(c) for c in declined}  # to release, not to keep (the very objects: both are as of today)
    items: list[Item] = [("release", c.to, max(0, (today - c.due).days), c, c.meeting) for c in declined]
    items += [
        ("keep", o.commitment.to, o.days_overdue, o.commitment, o.commitment.meeting)
        for o in mine
        if id(o.commitment) not in released
    ]
    items += [("chase", o.commitment.by, o.days_overdue, o.commitment, o.commitment.meeting) for o in theirs]
    items += [("follow-up", f.contact, f.days_overdue, None, f.meeting) for f in follow_ups_due(journal, today)]
    items += [("decide", d.contact, d.days_overdue, None, "") for d in decisions_pending(journal, today)]
    items += [("reconnect", g.contact, g.days_since - g.cadence, None, "") for g in going_cold(journal, today)]

    def rank(item: Item) -> tuple:
        action, contact, days_overdue, commitment, _ = item
        return (
            action != "release",
            -score(action, contact, days_overdue),
            ACTIONS.index(action),
            contact,
            commitment.path if commitment else "",
            commitment.line if commitment else 0,
        )

    return [
        Urgent(action, contact, days, quiet(contact), score(action, contact, days), commitment, meeting)
        for action, contact, days, commitment, meeting in heapq.nsmallest(limit, items, key=rank)
    ]


@dataclass(frozen=True)
class Owed:
    """An open promise between me and one contact; `days_overdue` is negative while not yet due."""

    commitment: Commitment
    days_overdue: int


@dataclass(frozen=True)
class PastMeeting:
    """A meeting as a brief recalls it: when, what, and the gist of its first line."""

    slug: str
    date: date
    title: str
    first_line: str
    path: str


@dataclass(frozen=True)
class NextMeeting:
    """The next meeting with a contact that a note is written for ahead of time, and its
    agenda: the promises that note writes down with them (by, to or introducing them)."""

    slug: str
    date: date
    time: str
    title: str
    path: str
    agenda: tuple[Commitment, ...]

    def brings(self, who: str) -> tuple[Commitment, ...]:
        """The agenda's promises `who` makes (ME or a contact's slug)."""
        return tuple(c for c in self.agenda if c.by == who)


def _next_meeting(contact: str, upcoming: list[Meeting]) -> NextMeeting | None:
    if not upcoming:
        return None
    meeting = upcoming[0]
    agenda = tuple(c for c in meeting.commitments if contact in (c.by, c.to, c.introducing))
    return NextMeeting(meeting.slug, meeting.date, meeting.time, meeting.title, meeting.path, agenda)


@dataclass(frozen=True)
class LastContact:
    """The latest note with a contact, a meeting or a touch (an e-mail, a message): what the
    cadence counts from."""

    date: date
    channel: str
    path: str
    days_since: int


@dataclass(frozen=True)
class Brief:
    """What to have in mind before meeting one contact: who owes whom, what happened lately,
    how the relationship stands and what is still undecided. Built from one journal on one
    day, so a page holding it is equal to the same page built cold."""

    contact: Contact
    owed_by_me: tuple[Owed, ...]
    owed_to_me: tuple[Owed, ...]
    last_meetings: tuple[PastMeeting, ...]  # newest first, at most BRIEF_MEETINGS
    theirs: Reliability  # their word: every promise they made, to anyone
    mine: Reliability  # my word toward them: the promises I made them
    given: int
    received: int
    last_exchange: date | None
    last_met: date | None  # the last meeting: in person, a call or a video call (model.MET)
    days_since: int | None  # since last_met
    cadence: int
    cadence_status: str  # on track, going cold, not met yet, or the quiet status (dormant, declined)
    decide_by: date | None  # only while a decision is still owed (awaiting_decision)
    open_questions: tuple[str, ...]
    unconsented: tuple[Owed, ...]  # my open introductions to them or of them, without their third person's yes
    next_meeting: NextMeeting | None = None  # the soonest note written ahead with them
    last_contact: LastContact | None = None  # the last note with them, a touch too

    @property
    def balance(self) -> int:
        return self.given - self.received


BRIEF_MEETINGS = 3
FIRST_LINE_CHARS = 100
_CHECKBOX = re.compile(r"\s*[-*+]\s+\[ \]\s+(?P<item>\S.*)")
_BLOCK_MARKS = re.compile(r"^(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def open_questions(notes: str) -> tuple[str, ...]:
    """The card's unchecked checklist items (`- [ ] ...` lines), in order: the due diligence
    not done yet. A ticked item (`- [x]`) is answered."""
    if "[ ]" not in notes:
        return ()
    return tuple(match.group("item").strip() for line in notes.splitlines() if (match := _CHECKBOX.fullmatch(line)))


def _lines(text: str):
    """The lines of `text`, one at a time: a brief reads only a note's first paragraph."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield text[start:end].rstrip("\r")
        start = end + 1


def first_line(body: str, limit: int = FIRST_LINE_CHARS, title: str = "") -> str:
    """The first sentence of a note's first paragraph, as plain words (code blocks skipped;
    heading, quote and list marks, emphasis and link targets taken off), cut at a word
    under `limit` characters: enough to recall the meeting at a glance. A first paragraph
    that only says the note's `title` again (a '# Lunch with Rick' heading) is passed over:
    the brief shows the title beside it."""
    paragraph: list[str] = []
    fenced = False
    for line in _lines(body.lstrip()):  # blank lines before the first are passed over anyway, one by one
        if line.lstrip().startswith(("```", "~~~")):
            if paragraph:
                break
            fenced = not fenced
            continue
        bare = "" if fenced else _BLOCK_MARKS.sub("", line.strip())
        if bare:
            paragraph.append(bare)
        elif paragraph and _says_again(paragraph, title):
            paragraph = []
        elif paragraph:
            break
    if _says_again(paragraph, title):
        paragraph = []
    text = _unlinked(" ".join(paragraph)).replace("*", "").replace("`", "")
    end = _SENTENCE_END.search(text)
    if end and end.start() <= limit:
        return text[: end.start()]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _unlinked(text: str) -> str:
    r"""The text with each `[words](target)` and `![words](target)` as its words alone. As the
    pattern `!?\[([^\]]*)\]\([^)]*\)` would have it, in one pass: a `[` is followed to the first
    `]` after it, which takes a link only when `(` follows it and a `)` comes later. Every `[`
    before that `]` meets the same `]`, so the reading goes on after it, not from the next `[`:
    the pattern read on from each, and 900 KB of `![[` took over 200 seconds."""
    kept: list[str] = []
    done = at = 0
    while (start := text.find("[", at)) >= 0:
        close = text.find("]", start)
        if close < 0:
            break
        end = text.find(")", close + 2) if text.startswith("(", close + 1) else -1
        if end < 0:
            if text.startswith("(", close + 1):
                break  # no ')' from here on: no link either
            at = close + 1
            continue
        begin = start - 1 if start > done and text[start - 1] == "!" else start
        kept += [text[done:begin], text[start + 1 : close]]
        done = at = end + 1
    return "".join(kept) + text[done:]


def _says_again(paragraph: list[str], title: str) -> bool:
    """Whether a paragraph is the title again, or its start ('Lunch with Rick' of 'Lunch
    with Rick, to give him my answer')."""
    said = _plain(" ".join(paragraph))
    return bool(title and said) and _plain(title).startswith(said)


def _plain(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def _cadence_status(contact: Contact, days_since: int | None, cadence: int) -> str:
    if contact.status in QUIET_STATUSES:
        return contact.status
    if days_since is None:
        return "not met yet"
    return "going cold" if days_since > cadence else "on track"


def _owed(promises: list[Commitment], today: date) -> tuple[Owed, ...]:
    """The open ones, most overdue first."""
    items = [Owed(c, (today - c.due).days) for c in promises if c.is_open]
    return tuple(sorted(items, key=lambda o: (-o.days_overdue, o.commitment.path, o.commitment.line)))


def briefs(
    journal: Journal, today: date, slugs: Collection[str] | None = None, remember: Remember = just_make
) -> dict[str, Brief]:
    """{slug: Brief} for these contacts (default: all), in one pass over the journal: the
    site gives every contact page a brief. Only meetings on or before `today` count as met.
    A preview's `remember` keeps each brief while the contact, its meetings, promises and
    exchange meetings are the very same (keys.Same): after one note's edit, nearly all are."""
    wanted = {c.slug for c in journal.contacts} if slugs is None else set(slugs)
    by_contact = meetings_by_contact(journal, slugs)
    met = {slug: [m for m in by_contact.get(slug, ()) if has_happened(m, today)] for slug in wanted}
    ahead = {slug: [m for m in by_contact.get(slug, ()) if not has_happened(m, today)][:1] for slug in wanted}
    involved = promises_by_contact(journal, today, slugs)
    exchanged = exchanges_by_contact(journal, slugs)
    order = _meeting_order(journal)
    asked: dict[str, list[Commitment]] = {}
    for c in unconsented_introductions(journal, today):
        for person in dict.fromkeys((c.to, c.introducing)):
            asked.setdefault(person, []).append(c)
    seen: dict[str, PastMeeting] = {}

    def recalled(meeting: Meeting) -> PastMeeting:
        """One PastMeeting per meeting, however many of its people are briefed."""
        if meeting.slug not in seen:
            seen[meeting.slug] = PastMeeting(
                meeting.slug, meeting.date, meeting.title, first_line(meeting.body, title=meeting.title), meeting.path
            )
        return seen[meeting.slug]

    found = {}
    for slug in sorted(wanted):
        contact = journal.contact(slug)
        if contact is None:
            continue
        # A note written ahead is an agenda: its promises and exchanges count from its date.
        promises = involved.get(slug, [])
        meetings = met.get(slug, [])
        exchange_meetings = exchanged.get(slug, ())
        entries = partial(_ledger, slug, exchange_meetings, promises, today, order)
        unconsented = asked.get(slug, [])
        cadence = cadence_of(journal, contact)
        upcoming = ahead.get(slug, [])
        key = (
            "brief",
            today,
            cadence,
            Same((contact, *meetings)),
            Same(promises),
            Same(exchange_meetings),
            Same(unconsented),
            Same(upcoming),
        )
        made = partial(_brief, contact, meetings, promises, entries, unconsented, cadence, today, recalled)
        found[slug] = remember(key, partial(_with_next, made, slug, upcoming))
    return found


def _brief(
    contact: Contact,
    meetings: list[Meeting],
    promises: list[Commitment],
    entries: Callable[[], list[LedgerEntry]],
    unconsented: list[Commitment],
    cadence: int,
    today: date,
    recalled: Callable[[Meeting], PastMeeting],
) -> Brief:
    """One contact's brief from what briefs() gathered for it (the key it remembers it by);
    entries() is its ledger."""
    slug = contact.slug
    met = [meeting for meeting in meetings if meeting.met]
    last_met = met[-1].date if met else None
    days_since = (today - last_met).days if last_met else None
    latest = meetings[-1] if meetings else None
    last_contact = LastContact(latest.date, latest.channel, latest.path, (today - latest.date).days) if latest else None
    ledger = entries()
    given, received = sum(1 for e in ledger if e.gave), sum(1 for e in ledger if not e.gave)
    last_exchange = ledger[-1].on if ledger else None
    return Brief(
        contact=contact,
        owed_by_me=_owed([c for c in promises if c.by == ME and c.to == slug], today),
        owed_to_me=_owed([c for c in promises if c.by == slug and c.to == ME], today),
        last_meetings=tuple(recalled(m) for m in reversed(met[-BRIEF_MEETINGS:])),
        theirs=reliability([c for c in promises if c.by == slug], today),
        mine=reliability([c for c in promises if c.by == ME and c.to == slug], today),
        given=given,
        received=received,
        last_exchange=last_exchange,
        last_met=last_met,
        days_since=days_since,
        cadence=cadence,
        cadence_status=_cadence_status(contact, last_contact.days_since if last_contact else None, cadence),
        decide_by=contact.decide_by if awaiting_decision(contact) else None,
        open_questions=open_questions(contact.notes),
        unconsented=tuple(Owed(c, (today - c.due).days) for c in unconsented),
        last_contact=last_contact,
    )


def _with_next(made: Callable[[], Brief], slug: str, upcoming: list[Meeting]) -> Brief:
    brief = made()
    following = _next_meeting(slug, upcoming)
    return replace(brief, next_meeting=following) if following else brief


def brief(journal: Journal, contact_slug: str, today: date) -> Brief:
    """The brief for one contact (a slug of the journal's)."""
    return briefs(journal, today, [contact_slug])[contact_slug]
