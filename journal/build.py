"""`journal build`: the local site, top to bottom: read -> load (parse, assemble, check) ->
plan and render -> write.

Gathers everything first and writes only when nothing went wrong, so a broken note or
template leaves the previous site exactly as it was. The publish profile is publish.py's;
the preview's incremental rebuilds are incremental.py's.

The build cache in the root (.journal-cache/, cache.py) is wrapped around the stages from
outside, as beancount's loader wraps its cache: files parsed and Markdown rendered before
are handed in by content hash, and when nothing the site is made from changed and the site
on disk is as the last build left it, the build stops there and rewrites nothing. The
stages themselves know of no cache.
"""

from __future__ import annotations

import time
from collections import ChainMap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from . import __version__, parallel
from .cache import BuildCache, LastBuild, ParseCache, cache_key, site_unchanged, snapshot
from .keys import digest
from .load import PARSE_RESULT, PARSED_RECORDS, load_sources, parse_entries
from .prefetch import MarkdownPrefetch, prefetch_markdown
from .problems import Problem
from .prose import MARKDOWN_SETTINGS
from .sitefiles import render_site
from .sources import SourceFile, Stamp, read_journal, template_dirs, templates_digest
from .write import OutputRefused, WriteReport, output_problems, write_site

SETTLED_NS = 2_000_000_000
"""A source written this long before the build started, or more recently, is not told by its
stamp (stamped_inputs): file times tick coarsely, so a second write within the same tick
could leave the stamp as it was."""

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total), stage 'parsed' or 'rendered': for a terminal's status line."""


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    file_count: int
    report: WriteReport | None = None
    page_count: int = 0


def build(root: Path, out: Path, today: date, progress: Progress | None = None) -> BuildResult:
    """The local site of the journal at `root`, written to `out`."""
    refused = output_problems(root, out)
    if refused:
        return BuildResult(tuple(refused), 0)
    with parallel.no_full_collections():
        cache = open_cache(root)
        ahead = prefetch_cold(root, cache)
        try:
            return _build(root, out, today, progress, cache, ahead)
        finally:
            ahead.cancel()


def _build(
    root: Path, out: Path, today: date, progress: Progress | None, cache: BuildCache, ahead: MarkdownPrefetch
) -> BuildResult:
    started_ns = time.time_ns()
    config_source, files, problems = read_journal(root)
    file_count = len(files) + (1 if config_source else 0)
    setting = build_setting(cache, root, out, today)
    inputs = build_inputs(setting, config_source, files)
    last = None if problems else current_site(cache, out, inputs)
    stamps = settled_stamps([config_source] if config_source else [], files, started_ns)
    if last:
        if stamps and not last.stamped:  # the sources settled since the build that wrote the site
            cache.save_last_build(LastBuild(last.inputs, last.files, stamped_inputs(setting, stamps)))
        return BuildResult((), file_count, WriteReport((), len(last.files), ()), len(last.files))
    stamped = stamped_inputs(setting, stamps) if stamps else b""
    parsed = ParseCache(parse_entries, cache.parsed)
    known = cache.markdown("local")
    journal, problems, file_count = load_sources(
        config_source, files, problems, parsed.parse_all, _stage(progress, "parsed")
    )
    del files  # the notes live on in the journal: a big one should not be held twice
    if problems:
        return BuildResult(tuple(problems), file_count)
    markdown: dict[bytes, str] = {}
    pages, problems = render_site(
        root,
        journal,
        today,
        known_markdown=lambda: ChainMap(ahead.collect(), known),
        used_markdown=markdown,
        progress=_stage(progress, "rendered"),
    )
    if problems:
        return BuildResult(tuple(problems), file_count)

    # The cache is encoded and written by another process while this one writes the site
    # (threads would take turns: encoding is Python's work). The record of this build is
    # saved after both, so that it never names results that were not kept.
    def save_results() -> None:
        cache.save_parsed(parsed.results)
        cache.save_markdown("local", markdown)

    saved = parallel.in_background(save_results)
    try:
        report = write_site(out, pages)
    except OutputRefused as refused:
        return BuildResult((Problem(str(out), 0, str(refused)),), file_count)
    finally:
        saved()  # the cache is whole before this process may end (its worker dies with it)
    cache.save_last_build(LastBuild(inputs, snapshot(out, pages), stamped))
    return BuildResult((), file_count, report, len(pages))


def prefetch_cold(root: Path, cache: BuildCache) -> MarkdownPrefetch:
    """For a cold build (no record of a last one: none, or one from another version of
    journal), bodies converted in another process from now on, while this one reads, loads
    and plans (one core would idle there); render_site collects them once the pages are
    planned, and a build that renders nothing ends it unheard. After a build, the cache
    holds the Markdown of every body but those saved since: nothing would be converted ahead
    but those few, and reading that cache in the other process cost as much CPU as a whole
    no-op build, so nothing is started."""
    if cache.last_build is not None:
        return MarkdownPrefetch()
    return prefetch_markdown(root, partial(cache.markdown, "local"))


def build_setting(cache: BuildCache, root: Path, out: Path, today: date) -> bytes:
    """The digest of what a local build into `out` depends on besides its sources: journal's
    version and code (the cache's salt), `today`, the folder and the templates."""
    return digest(cache.salt, today.isoformat(), str(out.resolve()), templates_digest(template_dirs(root)))


def build_inputs(setting: bytes, config_source: SourceFile | None, files: list[SourceFile]) -> bytes:
    """The digest of everything a local build of these sources depends on (`setting`:
    build_setting's)."""
    sources = [config_source] if config_source else []
    return digest(setting, *(part for source in sources + files for part in (source.path, source.text)))


def settled_stamps(
    config: list[SourceFile], files: list[SourceFile], started_ns: int
) -> list[tuple[str, Stamp]] | None:
    """(path, stamp) of each source, in reading order (sources.current_stamps'); None when
    one has no stamp or was written less than SETTLED_NS before `started_ns`: a write after
    the read moves the ctime (the stamp's second part) to after the build started."""
    stamps = []
    for source in config + files:
        if source.stamp is None or started_ns - source.stamp[1] < SETTLED_NS:
            return None
        stamps.append((source.path, source.stamp))
    return stamps


def stamped_inputs(setting: bytes, stamps: Sequence[tuple[str, Stamp]]) -> bytes:
    """build_inputs with each source's stamp standing for its text: the same while no source
    was written, and found from the sources' stats alone (sources.current_stamps)."""
    return digest(setting, "stamped", *(f"{path}\0{stamp}" for path, stamp in stamps))


def current_site(cache: BuildCache, out: Path, inputs: bytes) -> LastBuild | None:
    """The last build's record when it was made from `inputs` (build_inputs) and `out` still
    holds exactly what it wrote (no file touched since); else None."""
    last = cache.last_build
    return last if last and last.inputs == inputs and site_unchanged(out, last.files) else None


def open_cache(root: Path) -> BuildCache:
    """The build cache of the journal at `root`, as this version of journal reads it, under
    this user's key (the preview's first build and the publish profile use it too)."""
    return BuildCache(root, cache_salt(), PARSED_RECORDS, PARSE_RESULT, cache_key())


def cache_salt() -> str:
    """What every cached result depends on besides its own text: journal's version and code,
    and the Markdown settings. Any change empties the cache."""
    code = [path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))]
    return f"journal {__version__} {digest(*code).hex()} {MARKDOWN_SETTINGS}"


def _stage(progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    return (lambda done, total: progress(stage, done, total)) if progress else None
