"""Render the journal into pages: a page plan, Jinja2 templates and Markdown bodies (prose.py).

The only module that imports jinja2. Returns {relative path: bytes}; it never
touches the disk except to read templates. Links are relative, so the site works from
file:// and from any sub-path.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import traceback
import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from importlib import resources
from pathlib import Path

import jinja2
import markupsafe

from . import charts, parallel, views, wikilinks
from .cache import MarkdownCache, digest
from .calendar import FEED_FILE, calendar_feed
from .model import KINDS, ME, Journal, Meeting
from .pagecache import Superseded
from .problems import Problem
from .prose import MARKDOWN_SETTINGS, converter
from .search import INDEX_FILE, search_index
from .text import address, fold

_TAG = re.compile(r"<[^>]*>")

STATIC_FILES = ("style.css", "search.js")
LOCKED_STATIC_FILES = ("unlock.js",)


def shipped_templates() -> Path:
    """The templates that come with the package (top-level templates/ in the source tree)."""
    return Path(str(resources.files("journal.templates")))


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates by name and source checksum, for the life of the process: the
    preview builds again on every save, and compiling templates is most of a small rebuild.
    An edited template has another checksum, so it is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


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


def page_plan(journal: Journal, today: date, paths: SitePaths, calendar: bool = True) -> list[Page]:
    """Every page of the site and what it shows; the single list the writer trusts.
    `calendar`: whether the site has the calendar feed, so the dashboard links it or not."""
    mine, theirs = views.overdue_commitments(journal, today)
    overdue = {
        "mine": mine,
        "theirs": theirs,
        "follow_ups": views.follow_ups_due(journal, today),
        "going_cold": views.going_cold(journal, today),
        "decisions": views.decisions_pending(journal, today),
        "unconsented": views.unconsented_introductions(journal, today),
    }
    upcoming = views.upcoming_commitments(journal, today)
    reciprocity = views.reciprocity(journal, today)
    by_contact = {row.contact: row for row in reciprocity}
    tags = _tags(journal)
    last = views.last_meetings(journal, today)
    pages = [
        Page("index.html", "dashboard.html", {
            **overdue,
            "now": views.needs_me_now(journal, today),
            "weights": views.ACTION_WEIGHTS,
            "upcoming": upcoming,
            "coming_up": views.upcoming_meetings(journal, today),
            "recent": [m for m in reversed(journal.meetings) if views.has_happened(m, today)][:RECENT_ON_DASHBOARD],
            "reliability": views.my_reliability(journal, today),
            "tags": tags,
            "calendar_feed": FEED_FILE if calendar else "",
        }),
        Page("overdue/index.html", "overdue.html", {
            **overdue, "upcoming": upcoming, "recently_closed": views.recently_closed(journal, today),
        }),
        *paginate(Page("reciprocity/index.html", "reciprocity.html", {
            "reliability": views.my_reliability(journal, today),
            "balance_chart": charts.balance_chart(reciprocity),
            "word_kept": charts.word_kept([c for c in journal.commitments if c.is_mine], today),
        }), "rows", sorted(reciprocity, key=lambda r: (r.balance, journal.name_of(r.contact).casefold()))),
        *paginate(Page("contacts/index.html", "contacts.html", {"last": last}),
                  "contacts", sorted(journal.contacts, key=lambda c: c.name)),
        *paginate(Page("meetings/index.html", "meetings.html", {}), "meetings", list(reversed(journal.meetings))),
        Page("tags/index.html", "tags.html", {"tags": tags}),
    ]
    cold = {item.contact: item for item in overdue["going_cold"]}
    follow = {item.contact: item for item in overdue["follow_ups"]}
    met = views.meetings_by_contact(journal)
    involved = views.promises_by_contact(journal, today)
    briefs = views.briefs(journal, today)
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
            "rhythm": charts.meeting_rhythm(met.get(contact.slug, []), views.cadence_of(journal, contact), today),
            "going_cold": cold.get(contact.slug),
            "follow_up": follow.get(contact.slug),
            "brief": briefs[contact.slug],
        }))
    pages += (meeting_page(meeting, paths, today, briefs) for meeting in journal.meetings)
    for tag, tagged in tags.items():
        pages += paginate(Page(paths.tag(tag), "tag.html", {"tag": tag, "contacts": tagged["contacts"]}), "meetings", tagged["meetings"])
    return pages


def meeting_page(meeting: Meeting, paths: SitePaths, today: date, briefs: dict[str, views.Brief]) -> Page:
    """A meeting's page in the plan: that meeting, and for one still to come (dated after
    today) the brief of each person to meet, so the preview can render it before planning
    the rest of the site (render_meetings). `briefs` holds at least those people's."""
    upcoming = meeting.date > today
    return Page(paths.meeting(meeting.slug), "meeting.html", {
        "meeting": meeting,
        "briefs": tuple(briefs[person] for person in meeting.people) if upcoming else (),
    })


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
    """tag -> {"meetings": [...], "contacts": [...]}, tags sorted case-insensitively. Tags
    written differently but folding alike ('Rust', 'rust') are one tag with one page, shown
    as the spelling that sorts first."""
    found: dict[str, dict] = {}
    spelled: dict[str, str] = {}
    for meeting in reversed(journal.meetings):
        for tag in meeting.tags:
            found.setdefault(fold(tag), {"meetings": [], "contacts": []})["meetings"].append(meeting)
            spelled[fold(tag)] = min(tag, spelled.get(fold(tag), tag))
    for contact in journal.contacts:
        for tag in contact.tags:
            found.setdefault(fold(tag), {"meetings": [], "contacts": []})["contacts"].append(contact)
            spelled[fold(tag)] = min(tag, spelled.get(fold(tag), tag))
    return dict(sorted(((spelled[key], tagged) for key, tagged in found.items()), key=lambda item: (item[0].casefold(), item[0])))


def relative_url(target: str, here: list[str]) -> str:
    """posixpath.relpath(target, folder) for two clean site paths, without its calls to
    os.getcwd: a big site asks for tens of thousands of links. Percent-encoded where a
    slug is not ASCII ('contacts/%E5%BC%A0%E4%BC%9F.html'), as a URL must be; a slug holds
    no '%', '#' or '?', so an ASCII path is already a URL."""
    parts = [part for part in target.split("/") if part != "."]
    common = 0
    while common < len(here) and common < len(parts) - 1 and parts[common] == here[common]:
        common += 1
    url = "/".join([".."] * (len(here) - common) + parts[common:]) or "."
    return url if url.isascii() else urllib.parse.quote(url)


def plural(count: int, singular: str, many: str = "") -> str:
    """'1 meeting', '2 meetings', '0 meetings'; `many` for words that do not take an s
    ('1 relationship is', '2 relationships are')."""
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def _days(count: int) -> str:
    return plural(count, "day")


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

    def __init__(self, root: Path, journal: Journal, today: date, paths: SitePaths | None = None,
                 markdown_cache: MarkdownCache | None = None, publish: bool = False):
        self.journal, self.today = journal, today
        self.paths = paths or SitePaths()
        self.markdown_cache = markdown_cache or MarkdownCache()
        self.template_dirs = template_dirs(root)
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)) for folder in self.template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_COMPILED,
        )
        self.markdown = converter(publish=publish)
        # The profile is part of each cached body's key: a publish build's HTML (Private
        # sections dropped) and the local site's are never served one for the other.
        self.profile = "publish" if publish else "local"
        self.env.filters["markdown"] = jinja2.pass_context(
            lambda context, text: self.render_markdown(text, context.get("journal"), context.get("page_path", "")))
        self.env.filters["days"] = _days
        self.env.filters["plural"] = plural
        self.env.filters["when"] = lambda due: _when(due, today)
        self.env.filters["iso"] = lambda value: value.isoformat() if value else ""
        self.env.filters["nice_date"] = lambda value: f"{value:%a %-d %b %Y}" if value else ""
        self.env.filters["month"] = lambda value: f"{value:%b %Y}"
        # A chart's horizontal position, as SVG takes it: '12.5%', never '12.500000001%'.
        self.env.filters["pct"] = lambda value: f"{value:.2f}".rstrip("0").rstrip(".") + "%"

    def render_markdown(self, text: str, journal=None, page_path: str = "") -> markupsafe.Markup:
        """A body's HTML on the page at page_path. Its wikilinks are looked up in `journal`
        (a page cache's stand-in notes each lookup, so the page is rendered again when what
        a link names changes) and are part of the cached HTML's key, with the addresses they
        got: the HTML depends on them as much as on the text."""
        links = self._wikilinks(text, self.journal if journal is None else journal, page_path)
        key = digest(self.profile, text, *(part for link in sorted(links.items()) for part in link))
        html = self.markdown_cache.get(key)
        if html is None:
            html = self.markdown(text, links)
        self.markdown_cache.used[key] = html
        return markupsafe.Markup(html)

    def _wikilinks(self, text: str, journal, page_path: str) -> dict[str, str]:
        """{target: address relative to page_path} for each wikilink target in the text that
        names exactly one page."""
        links = {}
        for target in wikilinks.targets(text):
            pages = journal.linked(wikilinks.target_key(target))
            if len(pages) == 1:
                kind, slug = pages[0]
                page = self.paths.contact(slug) if kind == "contact" else self.paths.meeting(slug)
                links[target] = relative_url(page, _folder(page_path))
        return links

    def shown_text(self, text: str) -> str:
        """The text a Markdown body's page shows, for a publish build's search index: what
        the publish renderer dropped is not searchable either."""
        return unescape(_TAG.sub(" ", self.render_markdown(text)))

    def templates_digest(self) -> str:
        """A page rendered with other templates must be rendered again."""
        return templates_digest(self.template_dirs)

    def render_page(self, page: Page, journal=None) -> bytes:
        """The page's bytes. `journal` is what the templates see as the journal (default the
        one rendered); the preview's page cache passes a stand-in that notes what each page reads."""
        journal = self.journal if journal is None else journal
        context = {
            "journal": journal,
            "config": journal.config,
            "today": self.today,
            "page_path": page.path,
            "url": _relative_url(page.path),
            "paths": self.paths,
            "name": journal.name_of,
            "contact": journal.contact,
            "meeting_of": journal.meeting,
            "ME": ME,
            "KINDS": KINDS,
            **page.context,
        }
        return self.env.get_template(page.template).render(context).encode("utf-8")

    def locked_page(self, path: str, sealed: str) -> bytes:
        """The shell of an encrypted page; `sealed` is encrypt.seal's JSON (base64 and fixed
        keys only, so it is safe inside a script element)."""
        template = self.env.get_template("locked.html")
        return template.render(url=_relative_url(path), sealed=markupsafe.Markup(sealed)).encode("utf-8")

    def static_file(self, name: str) -> bytes:
        source, _, _ = self.env.loader.get_source(self.env, name)
        return source.encode("utf-8")


def _folder(page_path: str) -> list[str]:
    return [part for part in posixpath.dirname(page_path).split("/") if part]


def _relative_url(page_path: str):
    here = _folder(page_path)
    return lambda target: relative_url(target, here)


def template_dirs(root: Path) -> list[Path]:
    """Where templates come from, first match wins: the journal's templates/, then ours."""
    user_templates = root / "templates"
    return ([user_templates] if user_templates.is_dir() else []) + [shipped_templates()]


def templates_digest(folders: list[Path]) -> str:
    """A hash of every file the templates may load, yours and the shipped ones (editor
    droppings aside)."""
    hasher = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.name.startswith((".", "#", "~")) or path.name.endswith("~") or not path.is_file():
                continue
            try:
                hasher.update(f"{path}\0".encode() + path.read_bytes() + b"\0")
            except FileNotFoundError:  # deleted while we looked: the watcher will rebuild
                hasher.update(f"{path} vanished\0".encode())
    return hasher.hexdigest()


@dataclass(frozen=True)
class Rendered:
    """One page's bytes, or the template problems that stopped it, and the Markdown it used."""

    path: str
    content: bytes
    problems: list
    markdown: dict


def render_site(root: Path, journal: Journal, today: date, paths: SitePaths | None = None, cache=None, *,
                calendar: bool = True, publish: bool = False, markdown_cache: MarkdownCache | None = None,
                progress: parallel.Progress | None = None, superseded=None) -> tuple[dict[str, bytes], list[Problem]]:
    """{path: bytes} for the whole site, or the template problems that stopped it. A
    pagecache.PageCache renders only the pages whose inputs changed since the last call;
    without one, a big site renders across the cores. Without `calendar`, no calendar feed
    (a publish build leaves it out unless asked). `publish`: the publish profile's Markdown,
    which drops any Private section left in a body, and a search index of only the text the
    pages show. `markdown_cache` lends Markdown rendered by earlier builds and collects what
    this one used. With a cache, superseded() is asked now and then whether a newer save
    waits; if so, pagecache.Superseded is raised."""
    renderer = Renderer(root, journal, today, paths, markdown_cache, publish)
    try:
        plan = page_plan(journal, today, renderer.paths, calendar)
        static = {name: renderer.static_file(name) for name in STATIC_FILES}
        memo = cache.data if cache is not None else None
        shown = renderer.shown_text if publish else None
        data = {INDEX_FILE: lambda: search_index(journal, renderer.paths.contact, renderer.paths.meeting, memo, shown)}
        if calendar:
            data[FEED_FILE] = lambda: calendar_feed(journal, renderer.paths.meeting, memo)
        if cache is not None:
            pages = cache.render_all(renderer, plan, superseded)
            if superseded is not None and superseded():
                raise Superseded
            files = {**pages, **static, **{path: make() for path, make in data.items()}}
            memo.finish()
            return files, []
    except Superseded:
        raise
    except Exception as error:
        return {}, _template_problems(root, error)

    def render(job: Page | tuple) -> Rendered:
        if not isinstance(job, Page):  # a data file: no template, no Markdown
            path, make = job
            return Rendered(path, make(), [], {})
        renderer.markdown_cache.used = {}
        try:
            return Rendered(job.path, renderer.render_page(job), [], renderer.markdown_cache.used)
        except Exception as error:
            return Rendered(job.path, b"", _template_problems(root, error), {})

    files: dict[str, bytes] = {}
    used: dict[bytes, str] = {}
    # The data files go first: they are the longest jobs, and a worker takes them on at once.
    for result in parallel.ordered_map(render, [*data.items(), *plan], progress):
        if result.problems:
            return {}, result.problems
        files[result.path] = result.content
        used.update(result.markdown)
    renderer.markdown_cache.used = used
    return {**files, **static}, []


def render_meetings(root: Path, journal: Journal, today: date, cache, meetings: list[Meeting]) -> dict[str, bytes]:
    """{path: bytes} of these meetings' pages alone, through the preview's page cache: what a
    save shows first, while the rest of the site is planned and checked (a page that
    render_site then plans equally is reused, byte for byte). Empty when a template fails:
    the whole render that follows reports it."""
    renderer = Renderer(root, journal, today)
    try:
        people = [person for meeting in meetings if meeting.date > today for person in meeting.people]
        briefs = views.briefs(journal, today, people) if people else {}
        return cache.render_some(renderer, [meeting_page(meeting, renderer.paths, today, briefs) for meeting in meetings])
    except Exception:
        return {}


def render_locked(root: Path, journal: Journal, today: date, sealed: dict[str, str]) -> tuple[dict[str, bytes], list[Problem]]:
    """{path: shell} for every sealed page, with the stylesheet and the unlock script; any
    other file of the site is left out."""
    renderer = Renderer(root, journal, today)
    try:
        files = {path: renderer.locked_page(path, box) for path, box in sealed.items()}
        for name in STATIC_FILES + LOCKED_STATIC_FILES:
            files[name] = renderer.static_file(name)
    except Exception as error:
        return {}, _template_problems(root, error)
    return files, []


def _template_problems(root: Path, error: Exception) -> list[Problem]:
    """A template's mistake as a problem at its line: Jinja's own errors, and anything a
    template does wrong while it runs ('text' + 1 in a user's override). An exception that
    did not pass through a template is journal's own bug, and is raised again."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return [Problem(_template_path(root, error.name or error.filename or "?"), error.lineno, f"template error: {error.message}")]
    where = _innermost_template_frame(root, error)
    if where is not None:
        message = str(error) if isinstance(error, jinja2.TemplateError) else f"{type(error).__name__}: {error}"
        return [Problem(where[0], where[1], f"template error: {message}")]
    if isinstance(error, jinja2.TemplateError):
        return [Problem(_template_path(root, getattr(error, "name", None) or "templates"), 0, f"template error: {error}")]
    raise error


def _innermost_template_frame(root: Path, error: Exception) -> tuple[str, int] | None:
    """(path as problems show it, line) of the deepest template frame of error's traceback;
    Jinja puts the template's own file and line into the traceback."""
    user = (root / "templates").resolve()
    shipped = shipped_templates().resolve()
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        template = Path(frame.filename).resolve()
        if template.is_relative_to(user):
            found = (f"templates/{template.relative_to(user).as_posix()}", frame.lineno or 0)
        elif template.is_relative_to(shipped):
            found = (str(template), frame.lineno or 0)
    return found


def _template_path(root: Path, name: str) -> str:
    user = root / "templates" / name
    return f"templates/{name}" if user.is_file() else str(shipped_templates() / name)
