"""Render only the pages whose inputs changed: for the preview, which rebuilds on every save.

A page's bytes depend on its template files, `today`, its entry in the page plan and whatever
its templates read from the journal. While a page renders, a stand-in for the journal notes
each value the templates take from it (`journal.contacts`, `name('pat')`, ...); next time,
the page is reused only if its plan entry is equal and every noted read gives an equal value.
So the result is what a cold build writes, byte for byte, whatever the user's templates read.

Imports nothing third-party and nothing from the renderer: render.render_site calls it.
"""

from __future__ import annotations

import dataclasses


class Superseded(Exception):
    """A newer save arrived while a preview rendered: the render is dropped and the next one
    starts at once, rather than the newer save waiting for pages it will change again."""


CHECK_EVERY = 200  # pages rendered or checked between two looks for a newer save


class _ReadLog:
    """Stands in for the Journal while one page renders; `reads` lists what was taken from it."""

    def __init__(self, journal) -> None:
        self._log_journal = journal
        self._log_reads: list[tuple] = []

    def __getattr__(self, name: str):
        value = getattr(self._log_journal, name)
        if not callable(value):
            self._log_reads.append((name, None, value))
            return value

        def call(*args, **kwargs):
            result = value(*args, **kwargs)
            self._log_reads.append((name, (args, tuple(sorted(kwargs.items()))), result))
            return result

        return call


def reuse_unchanged(previous, journal):
    """`journal` with each contact, meeting and the config that equals its counterpart in
    `previous` (the last build's Journal) replaced by that very object. Values compared
    later (plan entries, noted reads) are then mostly the same objects, which Python
    compares by identity first: on a 10,000-note journal, checking 13,000 pages goes from
    seconds of deep comparisons to a fraction of one."""
    if previous is None:
        return journal

    def reuse(old_items, new_items, key):
        old_by_key = {key(item): item for item in old_items}
        return tuple(old if (old := old_by_key.get(key(item))) == item else item for item in new_items)

    return dataclasses.replace(
        journal,
        config=previous.config if previous.config == journal.config else journal.config,
        contacts=reuse(previous.contacts, journal.contacts, lambda contact: contact.slug),
        meetings=reuse(previous.meetings, journal.meetings, lambda meeting: meeting.slug),
    )


def _read(journal, name: str, call):
    value = getattr(journal, name)
    if call is not None:
        args, kwargs = call
        value = value(*args, **dict(kwargs))
    return value


def _reads_unchanged(journal, reads: tuple[tuple, ...], seen: dict) -> bool:
    """Whether every noted read gives an equal value now. `seen` holds the values read so
    far in this render: thousands of pages read the same names and contacts."""
    for name, call, value in reads:
        try:
            now = seen[name, call]
        except KeyError:
            now = seen[name, call] = _read(journal, name, call)
        except TypeError:  # an unhashable argument
            now = _read(journal, name, call)
        if now != value:
            return False
    return True


class Memo:
    """Values the data files (search index, calendar feed) work out per document, kept from
    one render to the next: a save changes one note, and re-deriving the other 10,000 costs
    seconds. Keys are the inputs themselves, so a value is never stale; only what the last
    render used is kept, so edited and deleted notes do not pile up. A cold build has none:
    there is nothing to reuse, and holding it would only cost memory."""

    def __init__(self) -> None:
        self._last: dict = {}
        self._now: dict = {}

    def get(self, key, make):
        """The value remembered for `key`, or make() remembered."""
        value = self._now.get(key)
        if value is None:
            value = self._last.get(key)
            if value is None:
                value = make()
            self._now[key] = value
        return value

    def finish(self) -> None:
        """End of a render: forget what it did not use."""
        self._last, self._now = self._now, {}


def remembered(memo: Memo | None, key, make):
    """memo.get(key, make), or make() without a memo."""
    return memo.get(key, make) if memo is not None else make()


class PageCache:
    """Each page's bytes from the last render, with the plan entry and the reads they came
    from, and a Memo for the data files."""

    def __init__(self) -> None:
        self._setting = None  # (today, paths, templates digest) the pages were rendered with
        self._pages: dict[str, tuple] = {}  # path -> (page, reads, bytes)
        self.rendered = 0  # pages actually rendered since the caller last set it to 0
        self.data = Memo()

    def render_all(self, renderer, plan: list, superseded=None) -> dict[str, bytes]:
        """{path: bytes} for every page in the plan; raises what render_page raises, and
        Superseded once superseded() says a newer save is waiting (the cache stays as it was,
        but for pages render_some added)."""
        self._check_setting(renderer)
        fresh: dict[str, tuple] = {}
        seen: dict = {}
        for index, page in enumerate(plan):
            if superseded is not None and index % CHECK_EVERY == 0 and superseded():
                raise Superseded
            fresh[page.path] = self._page(renderer, page, seen)
        self._pages = fresh
        return {path: content for path, (_, _, content) in fresh.items()}

    def render_some(self, renderer, pages: list) -> dict[str, bytes]:
        """{path: bytes} for these pages, remembered beside the rest for the render_all that
        follows; raises what render_page raises."""
        self._check_setting(renderer)
        seen: dict = {}
        for page in pages:
            self._pages[page.path] = self._page(renderer, page, seen)
        return {page.path: self._pages[page.path][2] for page in pages}

    def _check_setting(self, renderer) -> None:
        setting = (renderer.today, renderer.paths, renderer.templates_digest())
        if setting != self._setting:
            self._setting, self._pages = setting, {}

    def _page(self, renderer, page, seen: dict) -> tuple:
        """(page, reads, bytes): the cached entry when its plan entry and reads are unchanged."""
        cached = self._pages.get(page.path)
        if cached and cached[0] == page and _reads_unchanged(renderer.journal, cached[1], seen):
            return cached
        log = _ReadLog(renderer.journal)
        content = renderer.render_page(page, journal=log)
        self.rendered += 1
        return (page, tuple(log._log_reads), content)
