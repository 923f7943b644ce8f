"""`journal build`: the local site, top to bottom: read -> load (parse, assemble, check) ->
plan and render -> write.

Gathers everything first and writes only when nothing went wrong, so a broken note or
template leaves the previous site exactly as it was. The publish profile is publish.py's;
the preview's incremental rebuilds are speed/incremental.py's.

The build cache in the root (.journal-cache/, speed/cache.py and speed/lastbuild.py) is
wrapped around the stages from outside, as beancount's loader wraps its cache: files parsed and Markdown rendered before
are handed in by content hash, and when nothing the site is made from changed and the site
on disk is as the last build left it, the build stops there and rewrites nothing. The
stages themselves know of no cache.
"""

from __future__ import annotations

import time
from collections import ChainMap
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from .pipeline import BuildResult, load_sources, parse_entries, render_site
from .problems import Problem
from .sources import read_journal
from .speed import parallel
from .speed.cache import BuildCache, LastBuild, ParseCache, snapshot
from .speed.lastbuild import (
    build_inputs,
    build_setting,
    current_site,
    open_cache,
    prefetch_cold,
    settled_stamps,
    stamped_inputs,
)
from .speed.lent import LentMarkdown
from .speed.prefetch import MarkdownPrefetch
from .write import OutputRefused, WriteReport, output_problems, write_site

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total), stage 'parsed' or 'rendered': for a terminal's status line."""


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
    parsed = ParseCache(partial(parse_entries, map=parallel.ordered_map), cache.parsed)
    lent = LentMarkdown(lambda: ChainMap(ahead.collect(), cache.markdown("local")))
    journal, problems, file_count = load_sources(
        config_source, files, problems, parsed.parse_all, _stage(progress, "parsed")
    )
    del files  # the notes live on in the journal: a big one should not be held twice
    if problems:
        return BuildResult(tuple(problems), file_count)
    # The prefetch converts bodies until the pages are planned: render_site calls `map` then.
    pages, problems = render_site(
        root, journal, today, remember=lent.remember, progress=_stage(progress, "rendered"), map=lent.map
    )
    if problems:
        return BuildResult(tuple(problems), file_count)

    # The cache is encoded and written by another process while this one writes the site
    # (threads would take turns: encoding is Python's work). The record of this build is
    # saved after both, so that it never names results that were not kept.
    def save_results() -> None:
        cache.save_parsed(parsed.results)
        cache.save_markdown("local", lent.used)

    saved = parallel.in_background(save_results)
    try:
        report = write_site(out, pages)
    except OutputRefused as refused:
        return BuildResult((Problem(str(out), 0, str(refused)),), file_count)
    finally:
        saved()  # the cache is whole before this process may end (its worker dies with it)
    cache.save_last_build(LastBuild(inputs, snapshot(out, pages), stamped))
    return BuildResult((), file_count, report, len(pages))


def _stage(progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    return (lambda done, total: progress(stage, done, total)) if progress else None
