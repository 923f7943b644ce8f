"""The page plan: every page of the site, where it lives and what it shows.

Pure: Journal and `today` in, a list of Pages out; imports no template engine, so that
encrypt.py (OpaquePaths) and scaffold.py do not load Jinja2 or Markdown. render.py
turns each Page into bytes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
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
class ContactPlan:
    """One contact's share of the plan: its page, brief and reciprocity row (None: nothing
    exchanged or promised). They depend on nothing but the day, the config, the site's paths,
    the contact, the meetings that name the contact (as a person met or followed up, in a
    promise or in an exchange) and the dates of the notes that closed those promises, so a
    preview that knows a save changed none of those hands it back to site_plan as it was
    (speed/incremental.py)."""

    page: Page
    brief: views.Brief
    reciprocity: views.Reciprocity | None


@dataclass(frozen=True)
class SitePlan:
    pages: list[Page]
    contacts: dict[str, ContactPlan]
    meetings: dict[str, Page]  # each meeting's page, by slug


def page_plan(
    journal: Journal, today: date, paths: SitePaths, calendar: bool = True, remember: Remember = just_make
) -> list[Page]:
    """Every page of the site and what it shows; the single list the writer trusts.
    `calendar`: whether the site has the calendar feed, so the dashboard links it or not.
    `remember`: a preview's memory for each contact's brief, reciprocity row and meeting
    chart, reused while their inputs are the very same objects (keys.Same)."""
    return site_plan(journal, today, paths, calendar, remember).pages


def site_plan(
    journal: Journal,
    today: date,
    paths: SitePaths,
    calendar: bool = True,
    remember: Remember = just_make,
    known: Mapping[str, ContactPlan] | None = None,
    earlier: SitePlan | None = None,
) -> SitePlan:
    """page_plan's pages, and each contact's share of them. `known`: contacts' shares that
    are still what this journal gives them (ContactPlan says when); the others are worked out.
    `earlier`: a plan for the same day and paths, whose page of a meeting had by then is
    taken again when its meeting is the very same object (it shows that meeting alone)."""
    known = known or {}
    fresh = {contact.slug for contact in journal.contacts if contact.slug not in known} if known else None
    mine, theirs = views.overdue_commitments(journal, today)
    overdue: dict[str, Any] = {
        "mine": mine,
        "theirs": theirs,
        "follow_ups": views.follow_ups_due(journal, today),
        "going_cold": views.going_cold(journal, today),
        "decisions": views.decisions_pending(journal, today),
        "unconsented": views.unconsented_introductions(journal, today),
    }
    upcoming = views.upcoming_commitments(journal, today)
    fresh_rows = {row.contact: row for row in views.reciprocity(journal, today, fresh, remember)}
    reciprocity = [
        row
        for contact in journal.contacts
        if (row := known[contact.slug].reciprocity if contact.slug in known else fresh_rows.get(contact.slug))
    ]
    tags = tag_groups(journal)
    last = views.last_meetings(journal, today)
    pages = [
        Page(
            "index.html",
            "dashboard.html",
            {
                **overdue,
                "now": views.needs_me_now(journal, today),
                "weights": views.ACTION_WEIGHTS,
                "upcoming": upcoming,
                "coming_up": views.upcoming_meetings(journal, today),
                "recent": [m for m in reversed(journal.meetings) if views.has_happened(m, today)][:RECENT_ON_DASHBOARD],
                "reliability": views.my_reliability(journal, today),
                "tags": tags,
                "calendar_feed": FEED_FILE if calendar else "",
            },
        ),
        Page(
            "overdue/index.html",
            "overdue.html",
            {
                **overdue,
                "upcoming": upcoming,
                "recently_closed": views.recently_closed(journal, today),
            },
        ),
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
    fresh_briefs = views.briefs(journal, today, fresh, remember)
    fresh_pages = contact_pages(
        journal,
        today,
        paths,
        fresh,
        list(fresh_rows.values()),
        overdue["going_cold"],
        overdue["follow_ups"],
        last,
        fresh_briefs,
        remember,
    )
    made = iter(fresh_pages)
    contacts = {
        contact.slug: known.get(contact.slug)
        or ContactPlan(next(made), fresh_briefs[contact.slug], fresh_rows.get(contact.slug))
        for contact in journal.contacts
    }
    pages += (plan.page for plan in contacts.values())
    briefs = {slug: plan.brief for slug, plan in contacts.items()}
    before = earlier.meetings if earlier else {}
    meetings = {}
    for meeting in journal.meetings:
        page = before.get(meeting.slug)
        if page is None or page.context["meeting"] is not meeting or meeting.date > today:
            page = meeting_page(meeting, paths, today, briefs)
        meetings[meeting.slug] = page
    pages += meetings.values()
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
    return SitePlan(pages, contacts, meetings)


def contact_pages(
    journal: Journal,
    today: date,
    paths: SitePaths,
    slugs: Collection[str] | None = None,
    reciprocity: list[views.Reciprocity] | None = None,
    going_cold: list[views.GoingCold] | None = None,
    follow_ups: list[views.FollowUp] | None = None,
    last: dict[str, Meeting] | None = None,
    briefs: dict[str, views.Brief] | None = None,
    remember: Remember = just_make,
) -> list[Page]:
    """The pages of these contacts (default: all), in the journal's order. page_plan passes
    the whole-journal views it worked out for the dashboard; left out, they are worked out
    here, for `slugs` alone where a view can be (the preview renders an edited card's page
    before planning the rest of the site, speed/incremental.py). Either way the entries are equal."""
    if reciprocity is None:
        reciprocity = views.reciprocity(journal, today, slugs, remember)
    if going_cold is None:
        going_cold = views.going_cold(journal, today, slugs)
    if follow_ups is None:
        follow_ups = views.follow_ups_due(journal, today, slugs)
    if last is None:
        last = views.last_meetings(journal, today)
    if briefs is None:
        briefs = views.briefs(journal, today, slugs, remember)
    by_contact = {row.contact: row for row in reciprocity}
    cold = {item.contact: item for item in going_cold}
    follow = {item.contact: item for item in follow_ups}
    met = views.meetings_by_contact(journal, slugs)
    involved = views.promises_by_contact(journal, today, slugs)

    def rhythm(meetings: list[Meeting], cadence: int) -> charts.Rhythm | None:
        key = ("rhythm", today, cadence, Same(meetings))
        return remember(key, lambda: charts.meeting_rhythm(meetings, cadence, today))

    pages = []
    for contact in journal.contacts:
        if slugs is not None and contact.slug not in slugs:
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
                    "last_met": last.get(contact.slug),
                    "cadence": cadence,
                    "rhythm": rhythm(met.get(contact.slug, []), cadence),
                    "going_cold": cold.get(contact.slug),
                    "follow_up": follow.get(contact.slug),
                    "brief": briefs[contact.slug],
                },
            )
        )
    return pages


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
