"""Problem records: what every stage returns instead of raising.

Imports nothing from the package: every other module may import it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pinned to the file and line a person must edit."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: error: {self.message}"


def summary(problems: list[Problem], file_count: int) -> str:
    """The closing line of a report: '2 errors in 41 files'."""
    errors = "1 error" if len(problems) == 1 else f"{len(problems)} errors"
    files = "1 file" if file_count == 1 else f"{file_count} files"
    return f"{errors} in {files}"
