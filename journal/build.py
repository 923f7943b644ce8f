"""The build pipeline, top to bottom: load -> render -> write. Used by `journal build`.

Gathers everything first and writes only when nothing went wrong, so a broken note or
template leaves the previous site exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .load import ParseCache, load
from .pagecache import PageCache
from .problems import Problem
from .render import render_site
from .write import WriteReport, write_site


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    file_count: int
    report: WriteReport | None = None
    page_count: int = 0


def build(root: Path, out: Path, today: date, parse_cache: ParseCache | None = None, page_cache: PageCache | None = None) -> BuildResult:
    """The caches, kept by a long-running preview, make a rebuild parse and render only what changed."""
    journal, problems, file_count = load(root, parse_cache)
    if problems:
        return BuildResult(tuple(problems), file_count)
    files, problems = render_site(root, journal, today, cache=page_cache)
    if problems:
        return BuildResult(tuple(problems), file_count)
    report = write_site(out, files)
    return BuildResult((), file_count, report, len(files))
