"""The whole site's files for a one-off build: the page plan, every page rendered across the
cores (parallel.py), the static files and the data files (search index, calendar feed); and
the locked shells of an encrypted site. Used by build.py and publish.py; the preview renders
through incremental.py, which reuses static_files and data_files.

Keeps nothing between calls: Markdown rendered before comes in (`known_markdown`) and the
bodies this render used go out (`used_markdown`) as plain dicts, for build.py's disk cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import parallel
from .calendar import calendar_feed
from .keys import Remember, just_make
from .model import Journal
from .plan import FEED_FILE, Page, SitePaths, page_plan
from .problems import Problem
from .render import LOCKED_STATIC_FILES, STATIC_FILES, Renderer, template_problems
from .search import INDEX_FILE, search_index


def static_files(renderer: Renderer) -> dict[str, bytes]:
    """The stylesheet and scripts every site has, as the templates folders hold them."""
    return {name: renderer.static_file(name) for name in STATIC_FILES}


def data_files(
    renderer: Renderer, calendar: bool, publish: bool, remember: Remember = just_make
) -> dict[str, Callable[[], bytes]]:
    """{path: make()} of the files made from data, not templates: the search index (for a
    publish build, of only the text the pages show) and, with `calendar`, the calendar feed.
    `remember` lets a preview keep per-document work between renders."""
    journal, paths = renderer.journal, renderer.paths
    shown = renderer.shown_text if publish else None
    data = {INDEX_FILE: lambda: search_index(journal, paths, remember, shown)}
    if calendar:
        data[FEED_FILE] = lambda: calendar_feed(journal, paths, remember)
    return data


@dataclass(frozen=True)
class Rendered:
    """One page's bytes, or the template problems that stopped it, and the Markdown it used."""

    path: str
    content: bytes
    problems: list[Problem]
    markdown: dict[bytes, str]


def render_site(
    root: Path,
    journal: Journal,
    today: date,
    paths: SitePaths | None = None,
    *,
    calendar: bool = True,
    publish: bool = False,
    known_markdown: Mapping[bytes, str] | Callable[[], Mapping[bytes, str]] | None = None,
    used_markdown: dict[bytes, str] | None = None,
    progress: parallel.Progress | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """{path: bytes} for the whole site, or the template problems that stopped it; a big site
    renders across the cores. Without `calendar`, no calendar feed (a publish build leaves it
    out unless asked). `publish`: the publish profile's Markdown, which drops any Private
    section left in a body, and a search index of only the text the pages show.
    `known_markdown` lends Markdown rendered by earlier builds, or is a function that gives
    it, called once the page plan is made (a build's prefetch.py works until then);
    `used_markdown`, when given, receives every body this render used."""
    renderer = Renderer(root, journal, today, paths, publish=publish)
    try:
        plan = page_plan(journal, today, renderer.paths, calendar)
        static = static_files(renderer)
    except Exception as error:
        return {}, template_problems(root, error)
    finally:
        if callable(known_markdown):
            known_markdown = known_markdown()
    renderer.known_markdown = known_markdown if known_markdown is not None else {}
    data = data_files(renderer, calendar, publish)

    def render(job: Page | tuple[str, Callable[[], bytes]]) -> Rendered:
        if not isinstance(job, Page):  # a data file: no template, no Markdown
            path, make = job
            return Rendered(path, make(), [], {})
        renderer.markdown_used = {}
        try:
            return Rendered(job.path, renderer.render_page(job), [], renderer.markdown_used)
        except Exception as error:
            return Rendered(job.path, b"", template_problems(root, error), {})

    files: dict[str, bytes] = {}
    used: dict[bytes, str] = {}
    # The data files go first: they are the longest jobs, and the chunks are taken in order.
    for result in parallel.ordered_map(render, [*data.items(), *plan], progress):
        if result.problems:
            return {}, result.problems
        files[result.path] = result.content
        used.update(result.markdown)
    if used_markdown is not None:
        used_markdown.update(used)
    return {**files, **static}, []


def render_locked(
    root: Path, journal: Journal, today: date, sealed: dict[str, str]
) -> tuple[dict[str, bytes], list[Problem]]:
    """{path: shell} for every sealed page, with the stylesheet and the unlock script; any
    other file of the site is left out."""
    renderer = Renderer(root, journal, today)
    try:
        files = {path: renderer.locked_page(path, box) for path, box in sealed.items()}
        for name in STATIC_FILES + LOCKED_STATIC_FILES:
            files[name] = renderer.static_file(name)
    except Exception as error:
        return {}, template_problems(root, error)
    return files, []
