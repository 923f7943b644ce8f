"""Problem records: what every stage returns instead of raising.

Imports nothing from the package: every other module may import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that would split a problem over lines or drive the terminal: control
# characters (a newline or escape in a file name, say) and Unicode's line separators.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# What a terminal must never be handed from a journal, even inside a multi-line report: the
# control characters but newline and tab (an escape starts a sequence that can set the window
# title, clear the screen or fake a link; 0x9b is an 8-bit CSI), the line separators, and the
# bidirectional overrides that would show a name reversed.
_UNSAFE_FOR_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape
    ('\\x1b', '\\u202e'); newlines and tabs stay, so reports keep their layout."""
    return _UNSAFE_FOR_TERMINAL.sub(lambda match: repr(match.group())[1:-1], text)


def printable(text: str) -> str:
    """`text` with every control character written as an escape ('\\n', '\\x1b'), so each
    problem stays one line of plain text."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pinned to the file and line a person must edit."""

    path: str
    line: int
    message: str
    severity: str = "error"  # or "warning": worth a look, but nothing stops for it

    def __str__(self) -> str:
        where = f"{printable(self.path)}:{self.line}" if self.line else printable(self.path)
        return f"{where}: {self.severity}: {printable(self.message)}"


def _count(count: int, word: str) -> str:
    return f"1 {word}" if count == 1 else f"{count} {word}s"


def summary(problems: list[Problem], file_count: int) -> str:
    """The closing line of a report: '2 errors in 41 files', '2 errors and 1 warning in 41
    files', '1 warning in 41 files'."""
    warnings = sum(1 for problem in problems if problem.severity == "warning")
    errors = len(problems) - warnings
    counts = [_count(errors, "error")] if errors or not warnings else []
    counts += [_count(warnings, "warning")] if warnings else []
    return f"{' and '.join(counts)} in {_count(file_count, 'file')}"
