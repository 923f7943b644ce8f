"""The build pipeline, top to bottom: load -> render -> write. Used by `journal build`.

Gathers everything first and writes only when nothing went wrong, so a broken note or
template leaves the previous site exactly as it was. The build cache (.journal-cache/ in the
root) makes a second build fast: files parsed and Markdown rendered before are reused by
content hash, and when nothing the site is made from changed and the site on disk is as the
last build left it, the build stops there and rewrites nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import __version__
from .cache import BuildCache, LastBuild, digest, site_unchanged, snapshot
from .load import load_sources
from .problems import Problem
from .render import MARKDOWN_SETTINGS, render_site, templates_digest
from .sources import read_journal
from .write import WriteReport, write_site

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total), stage 'parsed' or 'rendered': for a terminal's status line."""


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    file_count: int
    report: WriteReport | None = None
    page_count: int = 0


def cache_salt() -> str:
    """What every cached result depends on besides its own text: journal's version and code,
    and the Markdown settings. Any change empties the cache."""
    code = [path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))]
    return f"journal {__version__} {digest(*code).hex()} {MARKDOWN_SETTINGS}"


def build(root: Path, out: Path, today: date, progress: Progress | None = None) -> BuildResult:
    cache = BuildCache(root, cache_salt())
    config_source, files, problems = read_journal(root)
    file_count = len(files) + (1 if config_source else 0)
    sources = [config_source] if config_source else []
    inputs = digest(cache.salt, today.isoformat(), str(out.resolve()), templates_digest(root),
                    *(part for source in sources + files for part in (source.path, source.text)))
    last = cache.last_build
    if not problems and last and last.inputs == inputs and site_unchanged(out, last.files):
        return BuildResult((), file_count, WriteReport((), len(last.files), ()), len(last.files))
    journal, problems, file_count = load_sources(config_source, files, problems, cache, _stage(progress, "parsed"))
    if problems:
        return BuildResult(tuple(problems), file_count)
    pages, problems, markdown = render_site(root, journal, today, known_markdown=cache.known_markdown(), progress=_stage(progress, "rendered"))
    if problems:
        return BuildResult(tuple(problems), file_count)
    report = write_site(out, pages)
    cache.keep_markdown(markdown)
    cache.save(LastBuild(inputs, snapshot(out, pages)))
    return BuildResult((), file_count, report, len(pages))


def _stage(progress: Progress | None, stage: str):
    return (lambda done, total: progress(stage, done, total)) if progress else None
