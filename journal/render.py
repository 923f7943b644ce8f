"""Turn a Page of the plan (plan.py) into bytes: Jinja2 templates, their filters, Markdown
bodies (prose.py), the locked shell of an encrypted page, the static files, and a template's
mistake as a problem at its line.

The only module that imports jinja2. Never touches the disk except to read templates, and
keeps nothing between calls: Markdown already rendered comes from the caller's `remember`
(keys.py) and compiled templates from its CompiledTemplates (pipeline.render_site for a
build, speed/incremental.py for the preview), so render imports no cache. Links are relative, so the site works from file:// and from any
sub-path.
"""

from __future__ import annotations

import functools
import posixpath
import re
import traceback
import urllib.parse
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from html import unescape
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import markupsafe

from . import wikilinks
from .keys import MARKDOWN, Remember, digest, just_make
from .model import KINDS, ME, Journal
from .plan import Page, SitePaths
from .problems import Problem
from .prose import converter
from .sources import TEMPLATES, shipped_templates, template_dirs, templates_digest, user_templates
from .text import day_and_time, plural

_TAG = re.compile(r"<[^>]*>")

STATIC_FILES = ("style.css", "search.js")
LOCKED_STATIC_FILES = ("unlock.js",)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates by name and source checksum, for a process that renders again and
    again (the preview, on every save: compiling templates is most of a small rebuild). An
    edited template has another checksum, so it is compiled afresh. The preview's memory
    (speed/incremental.py) holds one and hands it to each Renderer; a one-off build has none."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


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


class Here(NamedTuple):
    """The page being rendered, `here` in its templates, which hand it to macros.html's macros
    (their `page`): the macros are imported without the page's context, so Jinja makes their
    module once, not once a page. `name` and `meeting_of` are the journal's lookups as the
    page reads them (through the preview's stand-in, which notes each)."""

    path: str
    url: Callable[[str], str]
    name: Callable[[str], str]
    meeting_of: Callable[[str], Any]
    paths: SitePaths

    def person(self, slug: str) -> tuple[str | None, str]:
        """(the address of the person's page from here, None on that very page; their name):
        what a link to them needs, in one call from a template (each call from a template
        costs a microsecond of Jinja's, and a site links people 170,000 times at 10,000 notes)."""
        target = self.paths.contact(slug)
        return (None if target == self.path else self.url(target)), self.name(slug)

    def meeting(self, slug: str) -> tuple[str | None, str]:
        """(the address of the meeting's page from here, None on that very page; its title)."""
        target = self.paths.meeting(slug)
        return (None if target == self.path else self.url(target)), self.meeting_of(slug).title


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
    """Holds the Jinja2 environment (user templates first) and the Markdown converter.
    Each body's HTML is asked of `remember` (keys.py) under (MARKDOWN, the key
    render_markdown gives it), and `markdown_used` collects each body this renderer showed,
    by that key: so a caller's memory (the build cache, the preview) reuses Markdown without
    render knowing where it is kept. `compiled` is a CompiledTemplates to share compiled
    templates with the renderers before and after this one."""

    def __init__(
        self,
        root: Path,
        journal: Journal,
        today: date,
        paths: SitePaths | None = None,
        remember: Remember = just_make,
        publish: bool = False,
        compiled: CompiledTemplates | None = None,
    ):
        self.root, self.journal, self.today = root, journal, today
        self.paths = paths or SitePaths()
        self.remember = remember
        self.markdown_used: dict[bytes, str] = {}
        self.template_dirs = template_dirs(root)
        self._loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)) for folder in self.template_dirs])
        self.env = jinja2.Environment(
            loader=self._loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=compiled,
            # One renderer makes one site: every page from the same templates, read once. A
            # template saved halfway through is the next build's (the preview rebuilds then),
            # and not looking costs 40,000 stat calls less at 10,000 notes.
            auto_reload=False,
        )
        self.markdown = converter(publish=publish)
        # The profile is part of each cached body's key: a publish build's HTML (Private
        # sections dropped) and the local site's are never served one for the other.
        self.profile = "publish" if publish else "local"
        self._shared: dict[tuple, markupsafe.Markup] = {}
        # What every page of this site sees alike, for templates imported without a page's
        # context (macros.html); the pages' own context has them too.
        self.env.globals.update(shared=self.shared, paths=self.paths, ME=ME, today=today)
        self.env.filters["markdown"] = jinja2.pass_context(
            lambda context, text: self.render_markdown(text, context.get("journal"), context.get("page_path", ""))
        )
        self.env.filters["days"] = _days
        self.env.filters["plural"] = plural
        self.env.filters["when"] = lambda due: _when(due, today)
        self.env.filters["iso"] = lambda value: value.isoformat() if value else ""
        self.env.filters["nice_date"] = lambda value: f"{value:%a %-d %b %Y}" if value else ""
        self.env.filters["month"] = lambda value: f"{value:%b %Y}"
        self.env.filters["day_and_time"] = day_and_time
        # A chart's horizontal position, as SVG takes it: '12.5%', never '12.500000001%'.
        self.env.filters["pct"] = lambda value: f"{value:.2f}".rstrip("0").rstrip(".") + "%"

    def render_markdown(self, text: str, journal=None, page_path: str = "") -> markupsafe.Markup:
        """A body's HTML on the page at page_path. Its wikilinks are looked up in `journal`
        (a page cache's stand-in notes each lookup, so the page is rendered again when what
        a link names changes) and are part of the cached HTML's key, with the addresses they
        got: the HTML depends on them as much as on the text."""
        links = self._wikilinks(text, self.journal if journal is None else journal, page_path)
        key = markdown_key(self.profile, text, links)
        html = self.markdown_used.get(key)
        if html is None:
            html = self.markdown_used[key] = self.remember((MARKDOWN, key), lambda: self.markdown(text, links))
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
        url, name, meeting_of = _relative_url(page.path), journal.name_of, journal.meeting
        context = {
            "journal": journal,
            "config": journal.config,
            "today": self.today,
            "page_path": page.path,
            "url": url,
            "paths": self.paths,
            "name": name,
            "contact": journal.contact,
            "meeting_of": meeting_of,
            "here": Here(page.path, url, name, meeting_of, self.paths),
            "ME": ME,
            "KINDS": KINDS,
            **page.context,
        }
        return self.env.get_template(page.template).render(context).encode("utf-8")

    def shared(self, name: str, **values: object) -> markupsafe.Markup:
        """Template `name` rendered with these values alone, once per distinct values: for
        the parts many pages share (base.html's header is the same on every page of a folder
        but for the current section). The fragment sees nothing of the page but `values` (and
        the filters), so they hold all its bytes depend on and a fragment is never reused
        where it would differ: a page's reads of the journal happen while the page works out
        the values, where the preview's stand-in notes them. An unhashable value renders the
        fragment every time. Kept for this renderer's life: its templates do not change."""
        key = (name, *sorted(values.items()))
        try:
            return self._shared[key]
        except KeyError:
            html = self._shared[key] = markupsafe.Markup(self.env.get_template(name).render(values))
            return html
        except TypeError:  # an unhashable value: nothing to know the fragment by
            return markupsafe.Markup(self.env.get_template(name).render(values))

    def locked_page(self, path: str, sealed: str) -> bytes:
        """The shell of an encrypted page; `sealed` is encrypt.seal's JSON (base64 and fixed
        keys only, so it is safe inside a script element)."""
        template = self.env.get_template("locked.html")
        return template.render(url=_relative_url(path), sealed=markupsafe.Markup(sealed)).encode("utf-8")

    def static_file(self, name: str) -> bytes:
        source, _, _ = self._loader.get_source(self.env, name)
        return source.encode("utf-8")


def markdown_key(profile: str, text: str, links: Mapping[str, str]) -> bytes:
    """The key of a body's HTML (after MARKDOWN in a remember key) and in `markdown_used`: the profile
    ('local' or 'publish'), the text, and the address each wikilink target got."""
    return digest(profile, text, *(part for link in sorted(links.items()) for part in link))


def _folder(page_path: str) -> list[str]:
    return [part for part in posixpath.dirname(page_path).split("/") if part]


def _relative_url(page_path: str) -> Callable[[str], str]:
    """The `url` of the page at page_path's templates: a target's address from there. Every
    page of a folder gets the very same function (_folder_url), so a fragment rendered once
    for a folder (Renderer.shared) is keyed by it."""
    return _folder_url(posixpath.dirname(page_path))


@functools.lru_cache(maxsize=1 << 10)
def _folder_url(folder: str) -> Callable[[str], str]:
    return partial(_url_from, tuple(part for part in folder.split("/") if part))


@functools.lru_cache(maxsize=1 << 16)
def _url_from(here: tuple[str, ...], target: str) -> str:
    """relative_url, remembered: a site's pages sit in a few folders and link to the same
    sections and people, so most of its 150,000 links at 10,000 notes were worked out before."""
    return relative_url(target, list(here))


def template_problems(root: Path, error: Exception) -> list[Problem]:
    """A template's mistake as a problem at its line: Jinja's own errors, and anything a
    template does wrong while it runs ('text' + 1 in a user's override). An exception that
    did not pass through a template is journal's own bug, and is raised again."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return [
            Problem(
                _template_path(root, error.name or error.filename or "?"),
                error.lineno,
                f"template error: {error.message}",
            )
        ]
    where = _innermost_template_frame(root, error)
    if where is not None:
        message = str(error) if isinstance(error, jinja2.TemplateError) else f"{type(error).__name__}: {error}"
        return [Problem(where[0], where[1], f"template error: {message}")]
    if isinstance(error, jinja2.TemplateError):
        return [Problem(_template_path(root, getattr(error, "name", None) or TEMPLATES), 0, f"template error: {error}")]
    raise error


def _innermost_template_frame(root: Path, error: Exception) -> tuple[str, int] | None:
    """(path as problems show it, line) of the deepest template frame of error's traceback;
    Jinja puts the template's own file and line into the traceback."""
    user = user_templates(root).resolve()
    shipped = shipped_templates().resolve()
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        template = Path(frame.filename).resolve()
        if template.is_relative_to(user):
            found = (f"{TEMPLATES}/{template.relative_to(user).as_posix()}", frame.lineno or 0)
        elif template.is_relative_to(shipped):
            found = (str(template), frame.lineno or 0)
    return found


def _template_path(root: Path, name: str) -> str:
    user = user_templates(root) / name
    return f"{TEMPLATES}/{name}" if user.is_file() else str(shipped_templates() / name)
