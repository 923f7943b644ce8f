"""Regenerate tests/golden/site from tests/golden/journal, on purpose, after a change to the
output that you have looked at: `python tests/regenerate_golden.py`, then review `git diff`."""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

from journal.build import build

GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = date(
    2026, 11, 23
)  # its own, not conftest's: the golden tree is built for this day, and a change to the tests' shared day must not change what the golden site means


def main() -> int:
    out = GOLDEN / "site"
    shutil.rmtree(out, ignore_errors=True)
    result = build(GOLDEN / "journal", out, TODAY)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
