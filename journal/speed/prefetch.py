"""Markdown rendered ahead of the render stage, on a core that would otherwise wait.

A cold build reads the files in one process, parses across the cores, but then assembles,
checks and plans in one process while the other cores sit idle. Converting bodies to HTML is
most of a cold build's work and needs nothing from the assembled journal when a body has no
wikilinks, so a process forked before the read lists and reads the entry files itself and
spends that time converting bodies, and the render stage finds them done, through the same
speed/lent.py's LentMarkdown that lends the build cache's.

The results are keyed as render.markdown_key keys what it looks up, by the body's exact
text. The body is found as the parser finds it but without reading the YAML (which would
cost about a tenth of what converting the note does): the text below the front matter (frontmatter.divide), less
a leading '# heading' that became the title unless the front matter has a `title:` line.
A body guessed wrongly would only be a body not found and converted again, never a wrong
page: nothing here decides what a page shows.

The publish profile's bodies are the redacted ones (redact.py), which depend on the whole
journal: its Private sections out and contact details hidden, the journal's contacts' own
among them. A publish build's prefetch guesses them as redact makes them for a journal whose
cards hold no e-mail address or phone number (strip_private, then scrub), and converts them
with the publish profile's converter, which drops any Private section itself. Keyed by the
exact text as ever: a guess that differs from what redact made (a contact's own number
written as a bare run of digits, a note whose title says Private) is only never looked up,
and the build cache keeps only the bodies a page looked up (speed/lent.py).

The forked process (parallel.fork: it dies with the build) writes its results in batches to
an unnamed temporary file and stops after the batch it is on when told to. Where forking is
unsafe nothing is started, and for a small journal it converts nothing: nothing is lent.
"""

from __future__ import annotations

import os
import pickle
import re
import select
import signal
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

from ..frontmatter import divide
from ..prose import converter
from ..redact import scrub, strip_private
from ..render import markdown_key
from ..schema import first_heading
from ..sources import SourceFile, entry_paths, read_file
from ..wikilinks import targets
from . import parallel

BATCH = 32  # files between two looks at the stop signal: at most about 50 ms of work
_TITLE = re.compile(r"^title\s*:", re.MULTILINE)  # a `title:` key of the front matter's mapping


class MarkdownPrefetch:
    """Bodies being converted in a forked process. `collect()` stops it and hands back
    {markdown_key: HTML} of what it finished; a prefetch that never started, or was
    collected or cancelled before, collects {}. `cancel()` ends it unheard."""

    def __init__(self, pid: int = 0, stop: int = -1, results: IO[bytes] | None = None):
        self._pid, self._stop, self._results = pid, stop, results

    @property
    def running(self) -> bool:
        """Whether a process was started and is neither collected nor cancelled."""
        return bool(self._pid)

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

    def cancel(self) -> None:
        """End it at once, its work unwanted (a build with nothing to render, or failing)."""
        if not self._pid:
            return
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        os.close(self._stop)
        self._pid = 0
        assert self._results is not None
        self._results.close()


def prefetch_markdown(root: Path, known: Callable[[], Mapping[bytes, str]], profile: str = "local") -> MarkdownPrefetch:
    """Start converting the bodies of the notes and cards under `root` that have no wikilinks
    and are not in known(), as the `profile` ("local" or "publish") Renderer would. The
    forked process lists and reads the files, and asks known() (a build cache's Markdown,
    read there), itself: this one goes on reading them meanwhile."""
    if parallel.workers() < 2:
        return MarkdownPrefetch()
    results = tempfile.TemporaryFile()
    stop, told = os.pipe()

    def work() -> None:
        os.close(told)  # else this process would hold open the pipe it waits to see closed
        paths, _ = entry_paths(root)
        if len(paths) >= parallel.MIN_ITEMS:
            _convert(root, paths, known(), profile, stop, results)

    pid = parallel.fork(work)
    os.close(stop)
    if not pid:
        os.close(told)
        results.close()
        return MarkdownPrefetch()
    return MarkdownPrefetch(pid, told, results)


def _convert(
    root: Path, paths: Sequence[str], known: Mapping[bytes, str], profile: str, stop: int, out: IO[bytes]
) -> None:
    """Read and convert bodies from the last file back (the render stage starts from the
    first, so what is done here is needed last) until all are done or `stop` is readable,
    looked at every BATCH files. A file that cannot be read is left to the build to report."""
    publish = profile == "publish"
    convert = converter(publish=publish)
    batch: list[tuple[bytes, str]] = []
    for count, path in enumerate(reversed(paths), 1):
        source, _ = read_file(root, path)
        body = _likely_body(source) if source is not None else ""
        if publish:
            body = _likely_published(body)
        if body and not targets(body):
            key = markdown_key(profile, body, {})
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


def _likely_published(body: str) -> str:
    """The body as redact publishes it, most likely: as it does for a journal whose cards
    hold no contact details (redact._published_body, the journal's contacts aside)."""
    return scrub(strip_private(body))


def _batches(results: IO[bytes]) -> dict[bytes, str]:
    done: dict[bytes, str] = {}
    while True:
        try:
            done.update(pickle.load(results))
        except (EOFError, pickle.UnpicklingError, ValueError, TypeError):  # the end, or a batch cut short
            return done


def converted(texts: Iterable[str], profile: str, known: Mapping[bytes, str]) -> dict[bytes, str]:
    """{markdown_key: HTML} of each text without wikilinks that `known` lacks, converted across
    the cores as the `profile` ("local" or "publish") renderer converts it, under the key it
    looks up: for a build whose render stage asks for every body at once in one job (the
    publish profile's search index reads each body's shown text), so that the bodies are
    converted once, spread over the cores, and lent to the pages and the index alike."""
    keys: dict[bytes, str] = {}
    for text in texts:
        if text and not targets(text):
            key = markdown_key(profile, text, {})
            if key not in known:
                keys[key] = text
    return dict(zip(keys, parallel.ordered_map(converter(publish=profile == "publish"), list(keys.values()))))
