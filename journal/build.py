"""The build pipeline, top to bottom: load -> render -> write. Used by `journal build`.

Gathers everything first and writes only when nothing went wrong, so a broken note or
template leaves the previous site exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .load import load
from .problems import Problem
from .render import render_site
from .write import WriteReport, write_site


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    file_count: int
    report: WriteReport | None = None
    page_count: int = 0


def build(root: Path, out: Path, today: date) -> BuildResult:
    journal, problems, file_count = load(root)
    if problems:
        return BuildResult(tuple(problems), file_count)
    files, problems = render_site(root, journal, today)
    if problems:
        return BuildResult(tuple(problems), file_count)
    report = write_site(out, files)
    return BuildResult((), file_count, report, len(files))
