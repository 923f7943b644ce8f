"""The build pipeline, top to bottom: load -> render -> write. Used by `journal build`.

Gathers everything first and writes only when nothing went wrong, so a broken note or
template leaves the previous site exactly as it was. The publish profile (what `journal
build --publish` and `journal publish` produce) adds two steps: redact, then seal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import encrypt
from .calendar import FEED_FILE
from .load import ParseCache, load
from .model import Journal
from .pagecache import PageCache
from .problems import Problem
from .redact import redact
from .render import render_locked, render_site
from .search import INDEX_FILE, sealed_index
from .write import WriteReport, write_site


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    file_count: int
    report: WriteReport | None = None
    page_count: int = 0


def published_site(root: Path, journal: Journal, today: date, passphrase: Callable[[], str]) -> tuple[dict[str, bytes], list[Problem]]:
    """{path: bytes} of the publish profile: private values taken out of the model before
    rendering, and the calendar feed left out unless publish.calendar. With publish.encrypt,
    every page sealed into a shell at an opaque path and the search index sealed with the
    same key; the calendar feed, when asked for, stays readable (calendar apps cannot
    decrypt). `passphrase` is asked only when needed."""
    public = redact(journal)
    settings = journal.config.publish
    if not settings.encrypt:
        return render_site(root, public, today, calendar=settings.calendar)
    keys = encrypt.derive_keys(passphrase())
    files, problems = render_site(root, public, today, encrypt.OpaquePaths(key=keys.path_key), calendar=settings.calendar)
    if problems:
        return {}, problems
    sealed = {path: encrypt.seal(keys, data) for path, data in files.items() if path.endswith(".html")}
    shells, problems = render_locked(root, public, today, sealed)
    if problems:
        return {}, problems
    shells[INDEX_FILE] = sealed_index(files[INDEX_FILE], lambda data: encrypt.seal(keys, data))
    if settings.calendar:
        shells[FEED_FILE] = files[FEED_FILE]
    return shells, []


def build(root: Path, out: Path, today: date, passphrase: Callable[[], str] | None = None, *,
          parse_cache: ParseCache | None = None, page_cache: PageCache | None = None) -> BuildResult:
    """The local site, or with `passphrase` (a callback, asked only if publish.encrypt) the
    publish profile. The caches, kept by a long-running preview, make a rebuild parse and
    render only what changed."""
    journal, problems, file_count = load(root, parse_cache)
    if problems:
        return BuildResult(tuple(problems), file_count)
    if passphrase is not None:
        files, problems = published_site(root, journal, today, passphrase)
    else:
        files, problems = render_site(root, journal, today, cache=page_cache)
    if problems:
        return BuildResult(tuple(problems), file_count)
    report = write_site(out, files)
    return BuildResult((), file_count, report, len(files))
