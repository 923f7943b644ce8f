"""Render the journal into pages: a page plan, Jinja2 templates and Markdown bodies.

The only module that imports jinja2 and markdown. Returns {relative path: bytes}; it never
touches the disk except to read templates. Links are relative, so the site works from
file:// and from any sub-path.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import jinja2
import markdown
import markupsafe

from . import parallel, views
from .cache import digest
from .model import KINDS, ME, Journal, Meeting
from .problems import Problem
from .text import slugify

STATIC_FILES = ("style.css",)


def shipped_templates() -> Path:
    """The templates that come with the package (top-level templates/ in the source tree)."""
    return Path(str(resources.files("journal.templates")))


MARKDOWN_EXTENSIONS = ("extra", "sane_lists")
MARKDOWN_SETTINGS = f"Python-Markdown {markdown.__version__} {MARKDOWN_EXTENSIONS} html, no raw HTML or images"
"""What rendered Markdown depends on besides the text: part of the build cache's key."""


def _markdown_renderer() -> markdown.Markdown:
    """Python-Markdown without raw HTML or images: notes cannot inject scripts or fetch
    anything from the network, so every page stays self-contained and safe to publish."""
    renderer = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    renderer.inlinePatterns.deregister("image_link")
    renderer.inlinePatterns.deregister("image_reference")
    return renderer


@dataclass(frozen=True)
class SitePaths:
    """Where each page lives in the site, relative to its root."""

    def contact(self, slug: str) -> str:
        return f"contacts/{slug}.html"

    def meeting(self, slug: str) -> str:
        return f"meetings/{slug}.html"

    def tag(self, tag: str) -> str:
        return f"tags/{slugify(tag)}.html"


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


def page_plan(journal: Journal, today: date, paths: SitePaths) -> list[Page]:
    """Every page of the site and what it shows; the single list the writer trusts."""
    mine, theirs = views.overdue_commitments(journal, today)
    overdue = {
        "mine": mine,
        "theirs": theirs,
        "follow_ups": views.follow_ups_due(journal, today),
        "going_cold": views.going_cold(journal, today),
        "decisions": views.decisions_pending(journal, today),
        "unconsented": views.unconsented_introductions(journal),
    }
    reciprocity = views.reciprocity(journal, today)
    by_contact = {row.contact: row for row in reciprocity}
    tags = _tags(journal)
    last = views.last_meetings(journal)
    pages = [
        Page("index.html", "dashboard.html", {
            **overdue,
            "upcoming": views.upcoming_commitments(journal, today),
            "recent": list(reversed(journal.meetings[-10:])),
            "reliability": views.my_reliability(journal, today),
            "tags": tags,
        }),
        Page("overdue/index.html", "overdue.html", overdue),
        *paginate(Page("reciprocity/index.html", "reciprocity.html", {
            "reliability": views.my_reliability(journal, today),
        }), "rows", sorted(reciprocity, key=lambda r: (-r.balance, journal.name_of(r.contact).casefold()))),
        *paginate(Page("contacts/index.html", "contacts.html", {"last": last}),
                  "contacts", sorted(journal.contacts, key=lambda c: c.name)),
        *paginate(Page("meetings/index.html", "meetings.html", {}), "meetings", list(reversed(journal.meetings))),
        Page("tags/index.html", "tags.html", {"tags": tags}),
    ]
    cold = {item.contact: item for item in overdue["going_cold"]}
    follow = {item.contact: item for item in overdue["follow_ups"]}
    met = views.meetings_by_contact(journal)
    involved = views.promises_by_contact(journal)
    for contact in journal.contacts:
        promises = involved.get(contact.slug, [])
        pages.append(Page(paths.contact(contact.slug), "contact.html", {
            "contact": contact,
            "meetings": list(reversed(met.get(contact.slug, []))),
            "open_promises": [c for c in promises if c.is_open],
            "closed_promises": [c for c in promises if not c.is_open],
            "reciprocity": by_contact.get(contact.slug),
            "last_met": last.get(contact.slug),
            "cadence": views.cadence_of(journal, contact),
            "going_cold": cold.get(contact.slug),
            "follow_up": follow.get(contact.slug),
        }))
    for meeting in journal.meetings:
        pages.append(Page(paths.meeting(meeting.slug), "meeting.html", {"meeting": meeting}))
    for tag, tagged in tags.items():
        pages += paginate(Page(paths.tag(tag), "tag.html", {"tag": tag, "contacts": tagged["contacts"]}), "meetings", tagged["meetings"])
    return pages


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
        Page(path, page.template, {**page.context, key: rows[start:start + size], "total": len(rows),
                                   "pager": Pager(number, tuple(paths))})
        for number, (path, start) in enumerate(zip(paths, range(0, len(rows), size)), 1)
    ]


def _tags(journal: Journal) -> dict[str, dict]:
    """tag -> {"meetings": [...], "contacts": [...]}, tags sorted case-insensitively."""
    found: dict[str, dict] = {}
    for meeting in reversed(journal.meetings):
        for tag in meeting.tags:
            found.setdefault(tag, {"meetings": [], "contacts": []})["meetings"].append(meeting)
    for contact in journal.contacts:
        for tag in contact.tags:
            found.setdefault(tag, {"meetings": [], "contacts": []})["contacts"].append(contact)
    return dict(sorted(found.items(), key=lambda item: item[0].casefold()))


def relative_url(target: str, here: list[str]) -> str:
    """posixpath.relpath(target, folder) for two clean site paths, without its calls to
    os.getcwd: a big site asks for tens of thousands of links."""
    parts = target.split("/")
    common = 0
    while common < len(here) and common < len(parts) - 1 and parts[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + parts[common:]) or "."


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _when(due: date, today: date) -> str:
    """'3 days overdue', 'due today', 'due in 2 days'."""
    delta = (due - today).days
    if delta < 0:
        return f"{_days(-delta)} overdue"
    if delta == 0:
        return "due today"
    return f"due in {_days(delta)}"


class Renderer:
    """Holds the Jinja2 environment (user templates first) and the Markdown converter."""

    def __init__(self, root: Path, journal: Journal, today: date, paths: SitePaths | None = None, known_markdown: dict | None = None):
        self.journal, self.today = journal, today
        self.paths = paths or SitePaths()
        self.known_markdown = known_markdown or {}
        self.used_markdown: dict[bytes, str] = {}  # digest(text) -> html, for the build cache
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)) for folder in template_dirs(root)]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.markdown = _markdown_renderer()
        self._meetings_by_slug = {meeting.slug: meeting for meeting in journal.meetings}
        self.env.filters["markdown"] = self.render_markdown
        self.env.filters["days"] = _days
        self.env.filters["when"] = lambda due: _when(due, today)
        self.env.filters["iso"] = lambda value: value.isoformat() if value else ""
        self.env.filters["nice_date"] = lambda value: f"{value:%a %-d %b %Y}" if value else ""

    def render_markdown(self, text: str) -> markupsafe.Markup:
        key = digest(text)
        html = self.used_markdown.get(key) or self.known_markdown.get(key)
        if html is None:
            self.markdown.reset()
            html = self.markdown.convert(text)
        self.used_markdown[key] = html
        return markupsafe.Markup(html)

    def render_page(self, page: Page) -> bytes:
        here = [part for part in posixpath.dirname(page.path).split("/") if part]

        def url(target: str) -> str:
            return relative_url(target, here)

        journal = self.journal
        context = {
            "journal": journal,
            "config": journal.config,
            "today": self.today,
            "page_path": page.path,
            "url": url,
            "paths": self.paths,
            "name": journal.name_of,
            "contact": journal.contact,
            "meeting_of": self._meeting_of,
            "ME": ME,
            "KINDS": KINDS,
            **page.context,
        }
        return self.env.get_template(page.template).render(context).encode("utf-8")

    def _meeting_of(self, slug: str) -> Meeting | None:
        return self._meetings_by_slug.get(slug)

    def static_file(self, name: str) -> bytes:
        source, _, _ = self.env.loader.get_source(self.env, name)
        return source.encode("utf-8")


@dataclass(frozen=True)
class Rendered:
    """One page's bytes, or the template problem that stopped it, and the Markdown it used."""

    path: str
    content: bytes
    problem: Problem | None
    markdown: dict


def render_site(root: Path, journal: Journal, today: date, paths: SitePaths | None = None,
                known_markdown: dict | None = None, progress: parallel.Progress | None = None) -> tuple[dict[str, bytes], list[Problem], dict]:
    """({path: bytes} for the whole site, or the template problems that stopped it; the
    rendered Markdown by digest, for the build cache). Big sites render across the cores."""
    renderer = Renderer(root, journal, today, paths, known_markdown)
    try:
        static = {name: renderer.static_file(name) for name in STATIC_FILES}
    except jinja2.TemplateError as error:
        return {}, [_template_problem(root, error)], {}

    def render(page: Page) -> Rendered:
        renderer.used_markdown = {}
        try:
            return Rendered(page.path, renderer.render_page(page), None, renderer.used_markdown)
        except jinja2.TemplateError as error:
            return Rendered(page.path, b"", _template_problem(root, error), {})

    files: dict[str, bytes] = {}
    used: dict[bytes, str] = {}
    for result in parallel.ordered_map(render, page_plan(journal, today, renderer.paths), progress):
        if result.problem is not None:
            return {}, [result.problem], {}
        files[result.path] = result.content
        used.update(result.markdown)
    files.update(static)
    return files, [], used


def template_dirs(root: Path) -> list[Path]:
    """Where templates come from, first match wins: the journal's templates/, then ours."""
    user_templates = root / "templates"
    return ([user_templates] if user_templates.is_dir() else []) + [shipped_templates()]


def templates_digest(root: Path) -> bytes:
    """A hash of every file a template may load, yours and the shipped ones."""
    parts = []
    for folder in template_dirs(root):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith((".", "#", "~")) and not path.name.endswith(("~", ".pyc")):
                parts += [str(path), path.read_bytes()]
    return digest(*parts)


def _template_problem(root: Path, error: jinja2.TemplateError) -> Problem:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return Problem(_template_path(root, error.name or error.filename or "?"), error.lineno, f"template error: {error.message}")
    return Problem(_template_path(root, getattr(error, "name", None) or "templates"), 0, f"template error: {error}")


def _template_path(root: Path, name: str) -> str:
    user = root / "templates" / name
    return f"templates/{name}" if user.is_file() else str(shipped_templates() / name)
