"""Markdown rendered ahead of the render stage, on a core that would otherwise wait.

A cold build parses across the cores, but then assembles, checks and plans in one process
while the other cores sit idle. Converting bodies to HTML is most of a cold build's
work and needs nothing from the assembled journal when a body has no wikilinks, so a forked
process spends that time converting bodies, and the render stage finds them done, through
the same `known_markdown` the build cache lends.

The results are keyed as render.markdown_key keys what it looks up, by the body's exact
text. The body is found as the parser finds it but without reading the YAML (which would
cost about a tenth of what converting the note does): the text below the front matter (frontmatter.divide), less
a leading '# heading' that became the title unless the front matter has a `title:` line.
A body guessed wrongly would only be a body not found and converted again, never a wrong
page: nothing here decides what a page shows.

The forked process (parallel.fork: it dies with the build) writes its results in batches to
an unnamed temporary file and stops after the batch it is on when told to. Where forking is
unsafe or the job is small, nothing is started and nothing is lent.
"""

from __future__ import annotations

import os
import pickle
import re
import select
import tempfile
from collections.abc import Mapping, Sequence
from typing import IO

from . import parallel
from .frontmatter import divide
from .prose import converter
from .render import markdown_key
from .schema import first_heading
from .sources import SourceFile
from .wikilinks import targets

BATCH = 32  # files between two looks at the stop signal: at most about 50 ms of work
_TITLE = re.compile(r"^title\s*:", re.MULTILINE)  # a `title:` key of the front matter's mapping


class MarkdownPrefetch:
    """Bodies being converted in a forked process. `collect()` stops it and hands back
    {markdown_key: HTML} of what it finished; a prefetch that never started, or was
    collected before, collects {}."""

    def __init__(self, pid: int = 0, stop: int = -1, results: IO[bytes] | None = None):
        self._pid, self._stop, self._results = pid, stop, results

    def collect(self) -> dict[bytes, str]:
        if not self._pid:
            return {}
        os.close(self._stop)  # the process sees the end of the pipe and stops
        os.waitpid(self._pid, 0)
        self._pid = 0
        assert self._results is not None
        with self._results:
            self._results.seek(0)
            return _batches(self._results)


def prefetch_markdown(files: Sequence[SourceFile], known: Mapping[bytes, str]) -> MarkdownPrefetch:
    """Start converting the bodies of `files` (notes and cards) that have no wikilinks and
    are not in `known`, as the local site's Renderer would."""
    if parallel.workers() < 2 or len(files) < parallel.MIN_ITEMS:
        return MarkdownPrefetch()
    results = tempfile.TemporaryFile()
    stop, signal = os.pipe()

    def work() -> None:
        os.close(signal)  # else this process would hold open the pipe it waits to see closed
        _convert(files, known, stop, results)

    pid = parallel.fork(work)
    os.close(stop)
    if not pid:
        os.close(signal)
        results.close()
        return MarkdownPrefetch()
    return MarkdownPrefetch(pid, signal, results)


def _convert(files: Sequence[SourceFile], known: Mapping[bytes, str], stop: int, out: IO[bytes]) -> None:
    """Convert bodies from the last file back (the render stage starts from the first, so
    what is done here is needed last) until all are done or `stop` is readable, looked at
    every BATCH files."""
    convert = converter()
    batch: list[tuple[bytes, str]] = []
    for count, source in enumerate(reversed(files), 1):
        body = _likely_body(source)
        if body and not targets(body):
            key = markdown_key("local", body, {})
            if key not in known:
                batch.append((key, convert(body)))
        if count % BATCH == 0:
            if batch:
                pickle.dump(batch, out)
                out.flush()
                batch = []
            if select.select([stop], [], [], 0)[0]:
                return
    pickle.dump(batch, out)
    out.flush()


def _likely_body(source: SourceFile) -> str:
    """The body the parser gives a note or card (schema.parse_note, parse_card), most likely."""
    divided = divide(source.text)
    if divided is None:
        return ""
    front, body, _ = divided
    if source.is_card or _TITLE.search(front):
        return body
    return first_heading(body)[1]


def _batches(results: IO[bytes]) -> dict[bytes, str]:
    done: dict[bytes, str] = {}
    while True:
        try:
            done.update(pickle.load(results))
        except (EOFError, pickle.UnpicklingError, ValueError, TypeError):  # the end, or a batch cut short
            return done
