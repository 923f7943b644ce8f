"""The journal's data: frozen dataclasses, no I/O, no clock.

Imports only the standard library. Derived views (overdue, reciprocity...) live in views.py.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

ME = "me"
KINDS = ("introduction", "referral", "lead", "favor", "follow-up", "other")
Day = date  # for annotations in a class that has a field named `date`, which hides the type there
STATUSES = ("prospect", "active", "partner", "dormant", "declined")
CONSENTS = ("yes", "asked", "no")
CHANNELS = ("in person", "call", "video", "email", "message")
"""How a note's people and I were in touch (`channel`). Every note is contact (cadence, going
cold); only these count as having met, and only a meeting asks for a follow-up by default:"""
MET = ("in person", "call", "video")
# The dates and delays the journal takes: wide enough for any life's notes, narrow enough
# that a date plus any delay stays a date Python can hold (9999-12-31 plus two days is not).
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2200, 12, 31)
MAX_DELAY_DAYS = 36500  # 100 years

T = TypeVar("T")


@dataclass(frozen=True)
class PublishSettings:
    encrypt: bool = True
    private_fields: tuple[str, ...] = ()
    cname: str = ""
    calendar: bool = False
    site_id: str = ""  # random, made once per journal: salts page addresses, names the browser's key
    line: int = 0  # of `publish:` in journal.yaml (0: no such section), for 'site_id is missing'


@dataclass(frozen=True)
class Config:
    title: str = "Networking journal"
    owner: str = ""
    owner_aliases: tuple[str, ...] = ()  # other names the notes use for the owner ('me', 'I', 'myself' need none)
    follow_up_days: int = 2
    default_due_days: int = 7
    cadence_days: int = 90
    base_url: str = ""
    publish: PublishSettings = field(default_factory=PublishSettings)
    timezone: str = ""  # an IANA zone ('Europe/London') imported times are written in; '' the machine's
    owner_emails: tuple[str, ...] = ()  # the owner's e-mail addresses, as calendars and mailboxes name them
    notes_repository: str = ""  # OWNER/NAME of the notes' GitHub repository: pages link to a new note there
    notes_branch: str = "main"


@dataclass(frozen=True)
class Contact:
    """A person: from a card in entries/contacts/, or generated from a name used in notes."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    company: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    tags: tuple[str, ...] = ()
    cadence: int | None = None
    status: str = ""
    decide_by: date | None = None
    notes: str = ""
    path: str = ""
    line: int = 0
    notes_line: int = 0  # the card's line where `notes` begins, for problems in them

    @property
    def has_card(self) -> bool:
        return bool(self.path)


@dataclass(frozen=True)
class Commitment:
    """A promise: `by` owes `what` to `to` by `due`. People are contact slugs or ME."""

    by: str
    to: str
    what: str
    kind: str
    made_on: date
    due: date
    done: bool = False
    done_on: date | None = None
    dropped: str = ""
    introducing: str = ""
    consent: str = ""
    meeting: str = ""
    path: str = ""
    line: int = 0
    id: str = ""
    closed_in: str = ""  # the slug of the later meeting whose `fulfills`/`releases` closed it

    @property
    def is_open(self) -> bool:
        return not self.done and not self.dropped

    @property
    def is_mine(self) -> bool:
        return self.by == ME

    def kept_on_time(self) -> bool:
        """Done by the due date; a bare `done: true` carries no date and is taken on trust."""
        return self.done and (self.done_on is None or self.done_on <= self.due)


@dataclass(frozen=True)
class Exchange:
    """Something given or received without a prior promise."""

    giver: str
    receiver: str
    what: str
    kind: str
    on: date
    meeting: str = ""
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class Meeting:
    slug: str
    date: date
    title: str
    time: str = ""
    people: tuple[str, ...] = ()
    where: str = ""
    tags: tuple[str, ...] = ()
    follow_ups: tuple[
        tuple[str, Day], ...
    ] = ()  # (contact, follow up by): the people met I mean to follow up, in `with` order
    body: str = ""
    commitments: tuple[Commitment, ...] = ()
    exchanges: tuple[Exchange, ...] = ()
    path: str = ""
    body_line: int = 0  # the note's line of the body's first line (see schema.NoteRecord)
    event: str = ""  # the calendar event it was imported from (`event:`), '' for a note written by hand
    channel: str = "in person"  # one of CHANNELS: email and message are touches, not meetings
    mail: tuple[str, ...] = ()  # the Message-IDs of the e-mails it was imported from

    @property
    def met(self) -> bool:
        """Whether this note is a meeting (in person, a call, a video call), not a touch."""
        return self.channel in MET

    @property
    def sort_key(self):
        return (self.date, self.time, self.path)

    def follow_up_for(self, person: str) -> Day | None:
        """When I mean to follow up with `person` after this meeting; None: no follow-up."""
        return next((due for who, due in self.follow_ups if who == person), None)


@dataclass(frozen=True)
class Journal:
    """Everything, sorted: contacts by slug, meetings oldest first."""

    config: Config
    contacts: tuple[Contact, ...]
    meetings: tuple[Meeting, ...]
    # What a wikilink may name (assemble.link_names): derived from the contacts and meetings,
    # so it takes no part in comparing journals.
    names: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, compare=False, repr=False)

    def contact(self, slug: str) -> Contact | None:
        return self._contacts_by_slug().get(slug)

    def meeting(self, slug: str) -> Meeting | None:
        cached = self.__dict__.get("_meetings_by_slug")
        if cached is None:
            cached = {meeting.slug: meeting for meeting in self.meetings}
            object.__setattr__(self, "_meetings_by_slug", cached)
        return cached.get(slug)

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """make(), worked out once per journal and key: a view that a build asks for again and
        again (the promises as they stand on a day: eleven times a build, 8 ms each at 10,000
        notes). Sound because a Journal never changes; a new build makes a new Journal."""
        cached = self.__dict__.get("_derived")
        if cached is None:
            cached = {}
            object.__setattr__(self, "_derived", cached)
        if key not in cached:
            cached[key] = make()
        return cached[key]

    def _contacts_by_slug(self) -> dict[str, Contact]:
        cached = self.__dict__.get("_by_slug")
        if cached is None:
            cached = {contact.slug: contact for contact in self.contacts}
            object.__setattr__(self, "_by_slug", cached)
        return cached

    def linked(self, key: str) -> tuple[tuple[str, str], ...]:
        """The pages a wikilink whose target folds to `key` may mean, as ("contact", slug) or
        ("meeting", slug): one when it is clear, none or several when not. A method, so that
        the preview's page cache notes each lookup a page makes (speed/incremental.py's _ReadLog)."""
        return self.names.get(key, ())

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        return tuple(c for meeting in self.meetings for c in meeting.commitments)

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        return tuple(e for meeting in self.meetings for e in meeting.exchanges)

    def contact_names(self) -> tuple[tuple[str, str], ...]:
        """(slug, name) of every contact: all that name_of() reads, so a value worked out with
        it may be kept while these are equal (a card's other fields changed, say)."""
        return tuple((contact.slug, contact.name) for contact in self.contacts)

    def name_of(self, person: str) -> str:
        if person == ME:
            return "me"
        contact = self.contact(person)
        return contact.name if contact else person
