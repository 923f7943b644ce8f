"""The build pipeline, top to bottom: load -> render -> write. Used by `journal build`.

Gathers everything first and writes only when nothing went wrong, so a broken note or
template leaves the previous site exactly as it was. The publish profile (what `journal
build --publish` and `journal publish` produce) adds two steps: redact, then seal.

The local site's build keeps a cache in the root (.journal-cache/): files parsed and Markdown
rendered before are reused by content hash, and when nothing the site is made from changed
and the site on disk is as the last build left it, the build stops there and rewrites nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import __version__, encrypt
from .assemble import AssembleMemo
from .cache import BuildCache, LastBuild, MarkdownCache, digest, site_unchanged, snapshot
from .calendar import FEED_FILE
from .load import PARSE_RESULT, PARSED_RECORDS, ParseCache, load, load_sources
from .model import Journal, PublishSettings
from .pagecache import PageCache, reuse_unchanged
from .problems import Problem
from .redact import redact
from .render import LOCKED_STATIC_FILES, MARKDOWN_SETTINGS, STATIC_FILES, render_locked, render_meetings, render_site, template_dirs, templates_digest
from .search import INDEX_FILE, sealed_index
from .sources import CONFIG_NAME, SourceCache, read_journal
from .write import WriteReport, update_in_place, write_site

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total), stage 'parsed' or 'rendered': for a terminal's status line."""


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    file_count: int
    report: WriteReport | None = None
    page_count: int = 0


def published_site(root: Path, journal: Journal, today: date, passphrase: Callable[[], str]) -> tuple[dict[str, bytes], list[Problem]]:
    """{path: bytes} of the publish profile: private values taken out of the model before
    rendering (redact), Markdown that drops any Private section still in a body and a search
    index of only what the pages show (render_site's `publish`), and the calendar feed left
    out unless publish.calendar. With publish.encrypt, every page sealed into a shell at an
    opaque path and the search index sealed with the same key; the calendar feed, when asked
    for, stays readable (calendar apps cannot decrypt). `passphrase` is asked only when needed."""
    public = redact(journal)
    settings = journal.config.publish
    if not settings.encrypt:
        return render_site(root, public, today, calendar=settings.calendar, publish=True)
    if not settings.site_id:
        return {}, [missing_site_id(root, settings)]
    keys = encrypt.derive_keys(passphrase(), settings.site_id)
    files, problems = render_site(root, public, today, encrypt.OpaquePaths(key=keys.path_key), calendar=settings.calendar, publish=True)
    if problems:
        return {}, problems
    sealed = {path: encrypt.seal(keys, data, path) for path, data in files.items() if path.endswith(".html")}
    shells, problems = render_locked(root, public, today, sealed)
    if problems:
        return {}, problems
    shells[INDEX_FILE] = sealed_index(files[INDEX_FILE], lambda data: encrypt.seal(keys, data, INDEX_FILE))
    if settings.calendar:
        shells[FEED_FILE] = files[FEED_FILE]
    return shells, []


def published_listing(root: Path, journal: Journal, today: date) -> tuple[list[tuple[str, bool]], list[Problem]]:
    """[(path, sealed)] of what an encrypted publish pushes, without the passphrase: each page
    and the search index under the local name of what it holds (pushed sealed, at an address
    only the passphrase computes), and the files pushed as they are. For a dry run, which
    should not need the secret to show what it would do."""
    settings = journal.config.publish
    files, problems = render_site(root, redact(journal), today, calendar=settings.calendar, publish=True)
    if problems:
        return [], problems
    listing = [(path, True) for path in files if path.endswith(".html") or path == INDEX_FILE]
    listing += [(name, False) for name in STATIC_FILES + LOCKED_STATIC_FILES]
    if settings.calendar:
        listing.append((FEED_FILE, False))
    return sorted(listing), []


def missing_site_id(root: Path, settings: PublishSettings) -> Problem:
    """The error for an encrypted publish without publish.site_id, with a fresh id to paste:
    journal never rewrites the user's journal.yaml, and the id must stay the same from then
    on (it salts the page addresses), so the user writes it down once."""
    fresh = secrets.token_hex(16)
    why = "publish.site_id is missing: an encrypted site needs a random id of its own, which keeps its page addresses the same from build to build and different from those of any other journal"
    if settings.line:
        return Problem(CONFIG_NAME, settings.line, f"{why}; add this line under 'publish:': '  site_id: {fresh}'")
    if (root / CONFIG_NAME).is_file():
        return Problem(CONFIG_NAME, 1, f"{why}; add this line to {CONFIG_NAME}: 'publish: {{site_id: {fresh}}}'")
    return Problem(CONFIG_NAME, 0, f"{why}; create {CONFIG_NAME} with this line: 'publish: {{site_id: {fresh}}}'")


FIRST_PAGES_AT_MOST = 20
"""More edited notes than this (a pull, a search-and-replace) are not worth showing early."""


@dataclass
class PreviewCaches:
    """What a long-running preview (journal serve) keeps between rebuilds, so that a save
    costs what it changed: files read (by stat), notes parsed (by content), pages rendered
    (by what they read) and the files last written to its own private site folder."""

    sources: SourceCache = field(default_factory=SourceCache)
    parsed: ParseCache = field(default_factory=lambda: ParseCache(remember_keys=True))
    assembled: AssembleMemo = field(default_factory=AssembleMemo)
    pages: PageCache = field(default_factory=PageCache)
    written: dict[str, bytes] = field(default_factory=dict)
    journal: Journal | None = None  # the last good build's, for pagecache.reuse_unchanged


def build(root: Path, out: Path, today: date, passphrase: Callable[[], str] | None = None, *,
          preview: PreviewCaches | None = None, progress: Progress | None = None,
          first_pages: Callable[[tuple[str, ...]], None] | None = None,
          superseded: Callable[[], bool] | None = None) -> BuildResult:
    """The local site, or with `passphrase` (a callback, asked only if publish.encrypt) the
    publish profile. A preview's caches make a rebuild read, parse, render and write only
    what changed (`out` must then be the preview's own folder, which nothing else touches);
    without them, the local site uses the build cache on disk. With a preview,
    first_pages(paths) hears of the edited notes' own pages as soon as they are written in
    their final form, before the rest of the site is planned and checked, and superseded()
    is asked now and then whether a newer save waits (then pagecache.Superseded is raised,
    and the caches are left fit for the next build)."""
    if passphrase is None and preview is None:
        return _cached_build(root, out, today, progress)
    markdown = None
    if preview is not None:
        if preview.journal is None:  # the preview's first build starts from what `journal build` left
            stored = BuildCache(root, cache_salt(), PARSED_RECORDS, PARSE_RESULT)
            preview.parsed = ParseCache(stored.parsed, remember_keys=True) if not preview.parsed.results else preview.parsed
            markdown = MarkdownCache(stored.markdown)
        journal, problems, file_count = load_sources(*read_journal(root, preview.sources), preview.parsed, memo=preview.assembled)
    else:
        journal, problems, file_count = load(root)
    if problems:
        return BuildResult(tuple(problems), file_count)
    if preview is not None:
        previous = preview.journal
        journal = preview.journal = reuse_unchanged(previous, journal)
        preview.pages.rendered = 0
        if first_pages is not None and previous is not None and preview.written:
            _edited_meetings_first(root, out, today, preview, previous, journal, first_pages)
    if passphrase is not None:
        files, problems = published_site(root, journal, today, passphrase)
    else:
        files, problems = render_site(root, journal, today, cache=preview.pages, markdown_cache=markdown, superseded=superseded)
    if problems:
        return BuildResult(tuple(problems), file_count)
    if preview is None:
        report = write_site(out, files)
    else:
        written, preview.written = preview.written, {}  # forgotten if the write fails part-way
        report = update_in_place(out, files, written) if written else write_site(out, files)
        preview.written = files
    return BuildResult((), file_count, report, len(files))


def _edited_meetings_first(root: Path, out: Path, today: date, preview: PreviewCaches, previous: Journal,
                           journal: Journal, first_pages: Callable[[tuple[str, ...]], None]) -> None:
    """Write the pages of the meetings this save changed or added, and say which: the page
    being edited is what its author looks at, and on a big journal planning and checking the
    other 13,000 pages takes a second or two more (what Hugo's fast render does too). The
    bytes are final: the whole render that follows plans these pages equally and reuses them."""
    before = {id(meeting) for meeting in previous.meetings}
    edited = [meeting for meeting in journal.meetings if id(meeting) not in before]
    if not edited or len(edited) > FIRST_PAGES_AT_MOST:
        return
    pages = {path: data for path, data in render_meetings(root, journal, today, preview.pages, edited).items()
             if preview.written.get(path) != data}
    if pages:
        written, preview.written = preview.written, {}  # forgotten if the write fails part-way
        update_in_place(out, pages, {})
        preview.written = {**written, **pages}
        first_pages(tuple(sorted(pages)))


def cache_salt() -> str:
    """What every cached result depends on besides its own text: journal's version and code,
    and the Markdown settings. Any change empties the cache."""
    code = [path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))]
    return f"journal {__version__} {digest(*code).hex()} {MARKDOWN_SETTINGS}"


def _cached_build(root: Path, out: Path, today: date, progress: Progress | None) -> BuildResult:
    cache = BuildCache(root, cache_salt(), PARSED_RECORDS, PARSE_RESULT)
    config_source, files, problems = read_journal(root)
    file_count = len(files) + (1 if config_source else 0)
    sources = [config_source] if config_source else []
    inputs = digest(cache.salt, today.isoformat(), str(out.resolve()), templates_digest(template_dirs(root)),
                    *(part for source in sources + files for part in (source.path, source.text)))
    last = cache.last_build
    if not problems and last and last.inputs == inputs and site_unchanged(out, last.files):
        return BuildResult((), file_count, WriteReport((), len(last.files), ()), len(last.files))
    parsed = ParseCache(cache.parsed)
    journal, problems, file_count = load_sources(config_source, files, problems, parsed, _stage(progress, "parsed"))
    del files, sources  # the notes live on in the journal: a big one should not be held twice
    if problems:
        return BuildResult(tuple(problems), file_count)
    markdown = MarkdownCache(cache.markdown)
    pages, problems = render_site(root, journal, today, markdown_cache=markdown, progress=_stage(progress, "rendered"))
    if problems:
        return BuildResult(tuple(problems), file_count)
    report = write_site(out, pages)
    cache.save(parsed.results, markdown.used, LastBuild(inputs, snapshot(out, pages)))
    return BuildResult((), file_count, report, len(pages))


def _stage(progress: Progress | None, stage: str):
    return (lambda done, total: progress(stage, done, total)) if progress else None
