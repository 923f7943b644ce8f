"""The floor of a cold build: read every note and render its Markdown, nothing else.

    python bench/markdown_floor.py ROOT

Uses journal's own Markdown settings (Python-Markdown, the design card's engine, and the sanitiser) and its own
way of spreading work over the cores, so the time it takes is what no cold build of the
same notes can beat, however little else it does. run.py measures it beside Hugo's build,
to show how much of the cold-build target is left for everything else.
"""

from __future__ import annotations

import sys
from pathlib import Path

from journal.frontmatter import split
from journal.prose import converter
from journal.speed import parallel

_renderer = None


def render(path: str) -> int:
    global _renderer
    if _renderer is None:
        _renderer = converter()
    text = Path(path).read_text(encoding="utf-8")
    return len(_renderer(split(text, path).body))


def main() -> int:
    notes = sorted(str(path) for path in Path(sys.argv[1], "entries").rglob("*.md") if "contacts" not in path.parts)
    html = sum(parallel.ordered_map(render, notes))
    print(f"{len(notes)} notes, {html:,} bytes of HTML")
    return 0


if __name__ == "__main__":
    sys.exit(main())
