"""The page plan: every page of the site, where it lives and what it shows.

Pure: Journal and `today` in, a list of Pages out; imports no template engine, so that
encrypt.py (OpaquePaths) and scaffold.py do not load Jinja2 or Markdown. render.py
turns each Page into bytes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from . import charts, views
from .keys import Remember, Same, just_make
from .model import Journal, Meeting
from .text import address, fold

FEED_FILE = "calendar.ics"
"""The calendar feed's path in the site (calendar.py writes it; the dashboard links it)."""


@dataclass(frozen=True)
class SitePaths:
    """Where each page lives in the site, relative to its root."""

    def contact(self, slug: str) -> str:
        return f"contacts/{slug}.html"

    def meeting(self, slug: str) -> str:
        return f"meetings/{slug}.html"

    def tag(self, tag: str) -> str:
        """Tags that fold alike ('Rust', 'rust') share a page; others never do ('C++', 'C#')."""
        return f"tags/{address(tag)}.html"


PAGE_ROWS = 200
"""Rows per page of a list that grows with the journal: a 10,000-row page is slow to render and to read."""


@dataclass(frozen=True)
class Pager:
    """Where a page sits among the pages of one split list; `paths[0]` is the first page."""

    number: int
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    context: dict = field(default_factory=dict)


# The dashboard shows the latest few meetings had (those to come are under Coming up) and
# links the rest, so it fits a screen.
RECENT_ON_DASHBOARD = 5


@dataclass(frozen=True)
class ContactViews:
    """What the contacts' pages show beside their own meetings and promises, worked out once
    for the contacts asked for (`slugs`, None for everyone): the site plan shares the
    whole-journal lists with the dashboard, and a preview that shows an edited card's page
    first works them out for that contact alone (views.py works out a few contacts' share
    in a pass that skips the others). Either way each contact's entries are equal."""

    slugs: frozenset[str] | None
    reciprocity: list[views.Reciprocity]
    going_cold: list[views.GoingCold]
    follow_ups: list[views.FollowUp]
    last: dict[str, Meeting]
    briefs: dict[str, views.Brief]

    @classmethod
    def of(
        cls, journal: Journal, today: date, slugs: Collection[str] | None = None, remember: Remember = just_make
    ) -> ContactViews:
        return cls(
            None if slugs is None else frozenset(slugs),
            views.reciprocity(journal, today, slugs, remember),
            views.going_cold(journal, today, slugs),
            views.follow_ups_due(journal, today, slugs),
            views.last_meetings(journal, today),
            views.briefs(journal, today, slugs, remember),
        )


@dataclass
class ContactShare:
    """One contact's share of the plan: its page entry, brief and reciprocity row (None:
    nothing exchanged or promised). Handed to a caller's memory under a key holding all it
    depends on (_share_key), and worked out in one batch for every contact the memory did
    not hold: so it is made empty and filled in before page_plan returns."""

    slug: str
    page: Page | None = None
    brief: views.Brief | None = None
    reciprocity: views.Reciprocity | None = None


def _naming(journal: Journal) -> dict[str, list[Meeting]]:
    """slug -> the meetings that name the contact (met, followed up, in a promise or an
    exchange), then the meetings that closed those meetings' promises: all of the journal a
    contact's share reads besides the contact, the day and the config."""
    named: dict[str, list[Meeting]] = {}
    for meeting in journal.meetings:
        people = set(meeting.people)
        people.update(who for who, _ in meeting.follow_ups)
        closers = []
        for c in meeting.commitments:
            people.update((c.by, c.to, c.introducing))
            if c.closed_in and (closer := journal.meeting(c.closed_in)) is not None:
                closers.append(closer)
        for e in meeting.exchanges:
            people.update((e.giver, e.receiver))
        for person in people:
            named.setdefault(person, []).append(meeting)
            named[person] += closers
    return named


def contact_shares(
    journal: Journal, today: date, paths: SitePaths, whole: ContactViews, remember: Remember = just_make
) -> dict[str, ContactShare]:
    """{slug: ContactShare} of every contact, in the journal's order: those a caller's memory
    holds for the very same contact, meetings naming it and config, and the others worked
    out together. `whole`'s lists (going cold, follow-ups due, last meetings) are the whole
    journal's; its reciprocity rows and briefs are not read."""
    naming = _naming(journal)
    shares = {
        contact.slug: remember(
            ("contact share", today, paths, journal.config, Same((contact, *naming.get(contact.slug, ())))),
            partial(ContactShare, contact.slug),
        )
        for contact in journal.contacts
    }
    # A share is filled in below; one left empty by a plan that failed part-way is filled now.
    missing = [share for share in shares.values() if share.page is None]
    if missing:
        slugs = None if len(missing) == len(shares) else frozenset(share.slug for share in missing)
        rows = {row.contact: row for row in views.reciprocity(journal, today, slugs, remember)}
        shown = ContactViews(
            slugs,
            list(rows.values()),
            whole.going_cold,
            whole.follow_ups,
            whole.last,
            views.briefs(journal, today, slugs, remember),
        )
        for share, page in zip(missing, contact_pages(journal, today, paths, shown, remember), strict=True):
            share.page, share.brief, share.reciprocity = page, shown.briefs[share.slug], rows.get(share.slug)
    return shares


def page_plan(
    journal: Journal, today: date, paths: SitePaths, calendar: bool = True, remember: Remember = just_make
) -> list[Page]:
    """Every page of the site and what it shows; the single list the writer trusts.
    `calendar`: whether the site has the calendar feed, so the dashboard links it or not.
    `remember`: a caller's memory (keys.py) for each contact's brief, reciprocity row and
    meeting chart, and each past meeting's page entry, reused while their inputs are the
    very same objects (keys.Same): a preview's save then plans the same entries again for
    all it did not change, and its page cache knows them at a glance."""
    last = views.last_meetings(journal, today)
    whole = ContactViews(None, [], views.going_cold(journal, today), views.follow_ups_due(journal, today), last, {})
    shares = contact_shares(journal, today, paths, whole, remember)
    overdue = _overdue(journal, today, whole)
    reciprocity = [share.reciprocity for share in shares.values() if share.reciprocity]
    tags = tag_groups(journal)
    pages = [
        dashboard_page(journal, today, overdue, tags, calendar),
        overdue_page(journal, today, overdue),
        *paginate(
            Page(
                "reciprocity/index.html",
                "reciprocity.html",
                {
                    "reliability": views.my_reliability(journal, today),
                    "balance_chart": charts.balance_chart(reciprocity),
                    "word_kept": charts.word_kept([c for c in journal.commitments if c.is_mine], today),
                },
            ),
            "rows",
            views.owed_most_first(reciprocity, journal),
        ),
        *paginate(
            Page("contacts/index.html", "contacts.html", {"last": last}),
            "contacts",
            sorted(journal.contacts, key=lambda c: c.name),
        ),
        *paginate(Page("meetings/index.html", "meetings.html", {}), "meetings", list(reversed(journal.meetings))),
        Page("tags/index.html", "tags.html", {"tags": tags}),
    ]
    pages += (share.page for share in shares.values() if share.page)
    briefs = {slug: share.brief for slug, share in shares.items() if share.brief}
    pages += meeting_pages(journal, today, paths, briefs, remember)
    for tag, tagged in tags.items():
        first, *later = paginate(
            Page(paths.tag(tag), "tag.html", {"tag": tag, "contacts": tagged["contacts"], "contacts_elsewhere": 0}),
            "meetings",
            tagged["meetings"],
        )
        # The tag's contacts are listed on its first page; the pages of older meetings link there
        # (a card's edit then changes one page of the tag, and no page repeats the list).
        elsewhere = {"contacts": [], "contacts_elsewhere": len(tagged["contacts"])}
        pages += [first, *(Page(page.path, page.template, {**page.context, **elsewhere}) for page in later)]
    return pages


def _overdue(journal: Journal, today: date, whole: ContactViews) -> dict[str, Any]:
    """What the dashboard and the overdue page both show: overdue promises, mine and theirs,
    follow-ups due, relationships going cold, decisions and introductions waiting."""
    mine, theirs = views.overdue_commitments(journal, today)
    return {
        "mine": mine,
        "theirs": theirs,
        "follow_ups": whole.follow_ups,
        "going_cold": whole.going_cold,
        "decisions": views.decisions_pending(journal, today),
        "unconsented": views.unconsented_introductions(journal, today),
        "upcoming": views.upcoming_commitments(journal, today),
    }


def dashboard_page(
    journal: Journal, today: date, overdue: dict[str, Any], tags: dict[str, dict], calendar: bool
) -> Page:
    return Page(
        "index.html",
        "dashboard.html",
        {
            **overdue,
            "now": views.needs_me_now(journal, today),
            "weights": views.ACTION_WEIGHTS,
            "coming_up": views.upcoming_meetings(journal, today),
            "recent": [m for m in reversed(journal.meetings) if views.has_happened(m, today)][:RECENT_ON_DASHBOARD],
            "reliability": views.my_reliability(journal, today),
            "tags": tags,
            "calendar_feed": FEED_FILE if calendar else "",
        },
    )


def overdue_page(journal: Journal, today: date, overdue: dict[str, Any]) -> Page:
    return Page(
        "overdue/index.html", "overdue.html", {**overdue, "recently_closed": views.recently_closed(journal, today)}
    )


def page_alone(journal: Journal, today: date, paths: SitePaths, path: str, calendar: bool = True) -> Page | None:
    """The plan entry page_plan makes for the page at `path`, worked out without planning the
    rest of the site, for the pages that allow it: the dashboard, the overdue page, a
    meeting's and a contact's. None for the others (the split lists, reciprocity, tags),
    whose entries depend on every contact's share, and for a path that is no page.
    The preview serves these while its first build renders the rest (speed/ondemand.py)."""
    if path in ("index.html", "overdue/index.html"):
        whole = ContactViews(None, [], views.going_cold(journal, today), views.follow_ups_due(journal, today), {}, {})
        overdue = _overdue(journal, today, whole)
        if path == "overdue/index.html":
            return overdue_page(journal, today, overdue)
        return dashboard_page(journal, today, overdue, tag_groups(journal), calendar)
    for meeting in journal.meetings:
        if paths.meeting(meeting.slug) == path:
            people = meeting.people if meeting.date > today else ()
            return meeting_page(meeting, paths, today, views.briefs(journal, today, people) if people else {})
    for contact in journal.contacts:
        if paths.contact(contact.slug) == path:
            shown = ContactViews.of(journal, today, [contact.slug])
            return contact_pages(journal, today, paths, shown)[0]
    return None


def contact_pages(
    journal: Journal, today: date, paths: SitePaths, shown: ContactViews, remember: Remember = just_make
) -> list[Page]:
    """The pages of the contacts `shown` was worked out for, in the journal's order."""
    met = views.meetings_by_contact(journal, shown.slugs)
    involved = views.promises_by_contact(journal, today, shown.slugs)
    by_contact = {row.contact: row for row in shown.reciprocity}
    cold = {item.contact: item for item in shown.going_cold}
    follow = {item.contact: item for item in shown.follow_ups}

    def rhythm(meetings: list[Meeting], cadence: int) -> charts.Rhythm | None:
        key = ("rhythm", today, cadence, Same(meetings))
        return remember(key, lambda: charts.meeting_rhythm(meetings, cadence, today))

    pages = []
    for contact in journal.contacts:
        if shown.slugs is not None and contact.slug not in shown.slugs:
            continue
        promises = involved.get(contact.slug, [])
        cadence = views.cadence_of(journal, contact)
        pages.append(
            Page(
                paths.contact(contact.slug),
                "contact.html",
                {
                    "contact": contact,
                    "meetings": list(reversed(met.get(contact.slug, []))),
                    "open_promises": [c for c in promises if c.is_open],
                    "closed_promises": [c for c in promises if not c.is_open],
                    "reciprocity": by_contact.get(contact.slug),
                    "last_met": shown.last.get(contact.slug),
                    "cadence": cadence,
                    "rhythm": rhythm(met.get(contact.slug, []), cadence),
                    "going_cold": cold.get(contact.slug),
                    "follow_up": follow.get(contact.slug),
                    "brief": shown.briefs[contact.slug],
                },
            )
        )
    return pages


MEETING_RUN = 64
"""Past meetings whose page entries a caller's memory keeps together: a save then asks it
about 160 times at 10,000 notes, not 10,000."""


def meeting_pages(
    journal: Journal, today: date, paths: SitePaths, briefs: dict[str, views.Brief], remember: Remember = just_make
) -> list[Page]:
    """Every meeting's page. A meeting had by `today` shows that meeting alone, so the
    entries of a run of MEETING_RUN such meetings are remembered under the meetings
    themselves (keys.Same) and the paths; one still to come shows the briefs of the people
    to meet, and is planned afresh."""
    pages = []
    meetings = journal.meetings
    for start in range(0, len(meetings), MEETING_RUN):
        run = meetings[start : start + MEETING_RUN]
        if all(meeting.date <= today for meeting in run):
            key = ("meeting pages", paths, Same(run))
            pages += remember(key, partial(_past_meeting_pages, run, paths, today))
        else:
            pages += (meeting_page(meeting, paths, today, briefs) for meeting in run)
    return pages


def _past_meeting_pages(meetings: tuple[Meeting, ...], paths: SitePaths, today: date) -> list[Page]:
    return [meeting_page(meeting, paths, today, {}) for meeting in meetings]


def meeting_page(meeting: Meeting, paths: SitePaths, today: date, briefs: dict[str, views.Brief]) -> Page:
    """A meeting's page in the plan: that meeting, and for one still to come (dated after
    today) the brief of each person to meet, so the preview can render it before planning
    the rest of the site (speed/incremental.py, first pages). `briefs` holds at least those people's."""
    upcoming = meeting.date > today
    return Page(
        paths.meeting(meeting.slug),
        "meeting.html",
        {
            "meeting": meeting,
            "briefs": tuple(briefs[person] for person in meeting.people) if upcoming else (),
        },
    )


def paginate(page: Page, key: str, rows: list, size: int = PAGE_ROWS) -> list[Page]:
    """The page with context[key] = rows, split into pages of `size` rows when there are
    more: 'meetings/index.html', then 'meetings/index/2.html', ..., each with a `pager`
    (its number and every page's path) for links between them. A list that fits is one page
    with no pager, so a small journal's site has no extra pages."""
    if len(rows) <= size:
        return [Page(page.path, page.template, {**page.context, key: rows, "pager": None, "total": len(rows)})]
    stem = page.path.removesuffix(".html")
    count = -(-len(rows) // size)
    paths = [page.path] + [f"{stem}/{number}.html" for number in range(2, count + 1)]
    return [
        Page(
            path,
            page.template,
            {**page.context, key: rows[start : start + size], "total": len(rows), "pager": Pager(number, tuple(paths))},
        )
        for number, (path, start) in enumerate(zip(paths, range(0, len(rows), size)), 1)
    ]


def tag_groups(journal: Journal) -> dict[str, dict]:
    """tag -> {"meetings": [...], "contacts": [...]}, tags sorted case-insensitively. Tags
    written differently but folding alike ('Rust', 'rust') are one tag with one page, shown
    as the spelling that sorts first."""
    found: dict[str, dict] = {}
    spelled: dict[str, str] = {}
    groups: dict[str, dict] = {}  # tag as written -> its group: each spelling is folded once

    def group(tag: str) -> dict:
        tagged = groups.get(tag)
        if tagged is None:
            key = fold(tag)
            tagged = groups[tag] = found.setdefault(key, {"meetings": [], "contacts": []})
            spelled[key] = min(tag, spelled.get(key, tag))
        return tagged

    for meeting in reversed(journal.meetings):
        for tag in meeting.tags:
            group(tag)["meetings"].append(meeting)
    for contact in journal.contacts:
        for tag in contact.tags:
            group(tag)["contacts"].append(contact)
    return dict(
        sorted(
            ((spelled[key], tagged) for key, tagged in found.items()), key=lambda item: (item[0].casefold(), item[0])
        )
    )
