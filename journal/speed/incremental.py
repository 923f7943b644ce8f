"""The preview's memory: what `journal serve` keeps between rebuilds, so that a save costs
what it changed. It sits above the stages it wraps (read, load, plan, render, write), which
know of no memory: they take a `read`, a `parse`, a `remember` and compiled templates from
here, as plain callables.

What it keeps, in the order a rebuild uses it:
- SourceCache: files read, by stat; an unchanged file is not read again.
- cache.ParseCache: parse results by content (seeded from `journal build`'s cache on the
  first build); an unchanged text is not parsed again.
- Memo, the one `remember` the stages are handed: each note's assembled share (replayed
  when nothing it depends on changed), each contact's brief, reciprocity row and chart,
  each meeting's page entry, the data files' per-document work.
- the last good Journal, for reuse_unchanged; PageCache: each page's digest and what it
  read; render.CompiledTemplates.
- `written`: the digest of each file last written to the preview's own site folder.

No page's bytes are kept: they are in the site folder, which nothing else writes, and at
10,000 notes they are 100 MB. A page reused from the last render is unchanged there; a page
rendered again is written when its digest differs. That rests on one rule: the cache holds
only pages that were written (render_all's pages count once commit() says so), and it is
emptied whenever `written` is forgotten (a write that failed part-way).

The speed rests on a chain of identities; each link is what the next one relies on, and a
test guards the result (tests/test_incremental.py: every rebuild equals a cold build, byte
for byte):
1. ParseCache hands back the very same record object for a file whose text is unchanged.
2. So the Memo can replay a note whose record `is` the one it saw last time (same
   slug, same people), giving the Meeting it gave then.
3. reuse_unchanged then swaps every Contact, Meeting and the Config that compares equal to
   the last build's for that very object, so unchanged things are the same objects.
4. So the first-pages step finds the meetings a save changed by id(): any meeting not among
   the last build's objects is new or edited.
5. And PageCache's `==` on plan entries and on noted reads short-circuits on identity
   (Python compares `x is y` first), so checking 13,000 unchanged pages costs a fraction of
   a second rather than seconds of deep comparisons.
Break a link (a copy where an object was handed back) and the preview stays correct but
slows to a cold build on every save.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections import ChainMap
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from .. import views
from ..checks import run_checks
from ..model import Journal, Meeting
from ..pipeline import assemble_sources, data_files, parse_entries, static_files
from ..plan import ContactViews, Page, SitePaths, contact_pages, meeting_page, page_plan
from ..problems import Problem
from ..render import CompiledTemplates, Renderer, template_problems
from ..sources import SITE, SourceFile, current_stamps, read_file, read_journal
from ..write import WriteReport, compare_site, update_in_place, write_site
from . import parallel
from .cache import BuildCache, LastBuild, ParseCache
from .lastbuild import build_inputs, build_setting, current_site, open_cache, prefetch_cold, stamped_inputs
from .lent import LentMarkdown
from .memory import no_collections
from .ondemand import OnDemand
from .prefetch import MarkdownPrefetch

FIRST_PAGES_AT_MOST = 20
"""More edited notes than this (a pull, a search-and-replace) are not worth showing early."""
CHECK_EVERY = 200  # pages rendered or checked between two looks for a newer save


class Superseded(Exception):
    """A newer save arrived while a preview rendered: the render is dropped and the next one
    starts at once, rather than the newer save waiting for pages it will change again."""


class SourceCache:
    """What the last read found, by path and stat, for a preview that reads the journal on
    every save: only files whose size, times or inode changed are read again (an editor
    that saves by renaming a temp file over the note gives it a new inode). A file changed
    in the last two seconds is not remembered: file times tick in milliseconds, so a second
    save of the same size within one tick would keep its stat, and be missed."""

    RECENT_NS = 2_000_000_000

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, int, int, int], tuple[SourceFile | None, list[Problem]]]] = {}
        self._asked: list[str] = []

    def read(self, root: Path, path: str) -> tuple[SourceFile | None, list[Problem]]:
        """sources.read_file(root, path), or what it gave last time if the file's stat is unchanged."""
        self._asked.append(path)
        try:
            stat = os.stat(f"{root}/{path}")  # a str, not a Path: 10,000 Paths cost 0.2 s per save
        except OSError:
            return read_file(root, path)
        key = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
        known = self._known.get(path)
        if known and known[0] == key:
            return known[1]
        result = read_file(root, path)
        if time.time_ns() - stat.st_mtime_ns > self.RECENT_NS:
            self._known[path] = (key, result)
        else:
            self._known.pop(path, None)
        return result

    def finish(self) -> None:
        """End of a read: forget files it did not ask for, so renamed and deleted notes do not pile up."""
        self._known = {path: self._known[path] for path in self._asked if path in self._known}
        self._asked = []


class _ReadLog:
    """Stands in for the Journal while one page renders; `reads` lists what was taken from it.
    What a name gives is kept on the stand-in once noted (a value, or the function that notes
    each call), so that the page's next use of it is a plain attribute: the journal does not
    change while a page renders, and a page looks up `name` or `config` dozens of times."""

    def __init__(self, journal: Journal) -> None:
        self._log_journal = journal
        self._log_reads: list[tuple] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._log_journal, name)
        if not callable(value):
            self._log_reads.append((name, None, value))
            setattr(self, name, value)
            return value
        reads = self._log_reads

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            reads.append((name, (args, tuple(sorted(kwargs.items())) if kwargs else ()), result))
            return result

        setattr(self, name, call)
        return call


def reuse_unchanged(previous: Journal | None, journal: Journal) -> Journal:
    """`journal` with each contact, meeting and the config that equals its counterpart in
    `previous` (the last build's Journal) replaced by that very object (link 3 of the chain
    above)."""
    if previous is None:
        return journal

    def reuse(old_items: tuple, new_items: tuple, key: Callable[[Any], str]) -> tuple:
        old_by_key = {key(item): item for item in old_items}
        return tuple(old if (old := old_by_key.get(key(item))) is item or old == item else item for item in new_items)

    return dataclasses.replace(
        journal,
        config=previous.config if previous.config == journal.config else journal.config,
        contacts=reuse(previous.contacts, journal.contacts, lambda contact: contact.slug),
        meetings=reuse(previous.meetings, journal.meetings, lambda meeting: meeting.slug),
    )


def _read(journal: Journal, name: str, call: tuple | None) -> Any:
    value = getattr(journal, name)
    if call is not None:
        args, kwargs = call
        value = value(*args, **dict(kwargs))
    return value


def _read_now(journal: Journal, name: str, call: tuple | None, seen: dict) -> Any:
    """What a noted read gives now. `seen` holds the values read so far in this render:
    thousands of pages read the same names and contacts."""
    try:
        value = seen[name, call]
    except KeyError:
        value = seen[name, call] = _read(journal, name, call)
    except TypeError:  # an unhashable argument
        value = _read(journal, name, call)
    return value


_NOTHING = object()


class ReadTable:
    """The distinct reads the cached pages noted, each under a number. At 10,000 notes the
    pages note 250,000 reads but only 13,000 distinct ones (every page reads `config`,
    hundreds read one person's name): a render asks each distinct read once what it gives
    now, and a page is unchanged when none of its numbers is among the changed ones, a set
    test that runs in C. Comparing every page's reads one by one cost 0.2 s a save."""

    SLACK = 1000  # reads of unwritten renders let pile up before pruning (see overgrown)

    def __init__(self) -> None:
        self._numbers: dict[Hashable, int] = {}  # (name, call, id(value)) -> number
        self._reads: dict[int, tuple[str, tuple | None, Any]] = {}  # number -> (name, call, value)
        self._next = 0
        self._kept = 0  # how many reads the last keep() kept

    @property
    def size(self) -> int:
        """How many distinct reads are held."""
        return len(self._reads)

    @property
    def added(self) -> int:
        """Reads added since the last keep(): about as many as re-rendered pages left unused."""
        return len(self._reads) - self._kept

    @property
    def overgrown(self) -> bool:
        """Whether renders that wrote nothing (saves failing their checks, renders dropped for
        newer saves) have added more reads than the pages hold: each holds its value."""
        return len(self._reads) > 2 * self._kept + self.SLACK

    def number(self, name: str, call: tuple | None, value: Any) -> int:
        """The number of this read, the same for the same read of the very same value (held
        here, so its id stays its own)."""
        key: Hashable = (name, call, id(value))
        try:
            number = self._numbers.get(key)
        except TypeError:  # an unhashable argument: this read is never shared
            key, number = None, None
        if number is None:
            number, self._next = self._next, self._next + 1
            self._reads[number] = (name, call, value)
            if key is not None:
                self._numbers[key] = number
        return number

    def changed(self, journal: Journal, among: Iterable[int] | None = None) -> set[int]:
        """The numbers of the reads (or of these reads) that give a different value now. Most
        give the very object they gave (reuse_unchanged), told at a glance: a Meeting's own
        comparison builds a tuple of its fields."""
        attributes: dict[str, Any] = {}
        reads = self._reads.items() if among is None else ((number, self._reads[number]) for number in set(among))
        found = set()
        for number, (name, call, value) in reads:
            now = attributes.get(name, _NOTHING)
            if now is _NOTHING:
                now = attributes[name] = getattr(journal, name)
            if call is not None:
                args, kwargs = call
                now = now(*args, **dict(kwargs)) if kwargs else now(*args)
            if now is not value and now != value:
                found.add(number)
        return found

    def keep(self, pages: Iterable[tuple[int, ...]]) -> None:
        """Forget the reads no page in `pages` noted, so edited notes' reads do not pile up."""
        live: set[int] = set().union(*pages)
        self._reads = {number: read for number, read in self._reads.items() if number in live}
        self._numbers = {key: number for key, number in self._numbers.items() if number in live}
        self._kept = len(self._reads)


class Memo:
    """Values the data files (search index, calendar feed) work out per document, kept from
    one render to the next: a save changes one note, and re-deriving the other 10,000 costs
    seconds. `remember` is the hook search.py and calendar.py take. Keys are the inputs
    themselves, so a value is never stale; only what the last render used is kept, so edited
    and deleted notes do not pile up. A value made with values remembered inside its make()
    (a run of meetings' calendar components, each component's bytes) keeps those too while
    it is used: when the run is made again (a contact renamed), its unchanged parts are found."""

    def __init__(self) -> None:
        self._last: dict = {}
        self._now: dict = {}
        self._parts_last: dict = {}  # key -> {key: value} remembered while its value was made
        self._parts_now: dict = {}
        self._inherited: dict = {}  # the parts of the values the last render used
        self._making: list[dict] = []  # for each make() under way, what it remembered

    def remember(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value remembered for `key`, or make() remembered."""
        value = self._now.get(key)
        if value is None:
            value = self._last.get(key)
            if value is None:
                value = self._inherited.get(key)
            if value is None:
                self._making.append({})
                try:
                    value = make()
                finally:
                    made = self._making.pop()
                if made:
                    self._parts_now[key] = made
            elif kept := self._parts_last.get(key):
                self._parts_now[key] = kept
            self._now[key] = value
        if self._making:
            self._making[-1][key] = value
        return value

    def finish(self) -> None:
        """End of a render: forget what it did not use (but the parts of what it used)."""
        inherited: dict = {}
        for parts in self._parts_now.values():
            inherited.update(parts)
        self._last, self._now, self._inherited = self._now, {}, inherited
        self._parts_last, self._parts_now = self._parts_now, {}


def _tell_planned(on_demand: Callable[[OnDemand], None], early: OnDemand, plan: list[Page]) -> None:
    on_demand(early.planned(plan))


def _lent(ahead: MarkdownPrefetch, known: dict[bytes, str]) -> Mapping[bytes, str]:
    """The Markdown a first build finds done: what the prefetch converted, then the cache's."""
    return ChainMap(ahead.collect(), known)


def digest(data: bytes) -> bytes:
    """What the preview remembers of a file it wrote: enough to tell whether new bytes differ."""
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class RenderedSite:
    """A whole site as the preview writes it: every file's digest, and the bytes of the files
    made this time. A page reused from the last render has its digest only: its bytes are in
    the site folder already."""

    digests: dict[str, bytes]
    fresh: dict[str, bytes]

    def changed(self, written: dict[str, bytes]) -> dict[str, bytes]:
        """{path: bytes} of the files whose digest differs from `written`'s."""
        return {path: data for path, data in self.fresh.items() if written.get(path) != self.digests[path]}

    def whole(self) -> dict[str, bytes]:
        """{path: bytes} of every file, for a site folder written from scratch."""
        if len(self.fresh) != len(self.digests):  # PageCache's rule broken: a bug, never a user's mistake
            raise RuntimeError(
                f"{len(self.digests) - len(self.fresh)} pages were reused with no site to reuse them from"
            )
        return self.fresh


class PageCache:
    """Each page's digest from the last render, with the plan entry and the reads they came
    from, and a Memo for the data files. A page's bytes depend on its template files,
    `today`, its entry in the page plan and whatever its templates read from the journal:
    while a page renders, a stand-in for the journal notes each value the templates take
    from it (`journal.contacts`, `name('pat')`, ...); next time, the page is reused only if
    its plan entry is equal and every noted read gives an equal value. So the result is what
    a cold build writes, byte for byte, whatever the user's templates read."""

    def __init__(self) -> None:
        self._setting: tuple[date, SitePaths, str] | None = None  # what the pages were rendered with
        self._pages: dict[str, tuple[Page, tuple[int, ...], bytes]] = {}  # path -> (page, read numbers, digest)
        self._pending: dict[str, tuple[Page, tuple[int, ...], bytes]] | None = None  # render_all's, until commit()
        self._reads = ReadTable()
        self.rendered = 0  # pages actually rendered since the caller last set it to 0

    @property
    def reads(self) -> ReadTable:
        """The distinct reads the pages noted (ReadTable)."""
        return self._reads

    def reads_noted(self) -> int:
        """How many distinct reads the written pages note, of the table's `reads.size`."""
        return len(set().union(*(reads for _, reads, _ in self._pages.values())))

    def commit(self) -> None:
        """The site render_all last returned is written: its pages are what the next reuses.
        The reads no page notes any more are forgotten once about SLACK of them may have piled
        up (a save leaves a few dozen; sorting out 13,000 pages' reads after each cost 9 ms)."""
        if self._pending is not None:
            self._pages, self._pending = self._pending, None
            if self._reads.added > ReadTable.SLACK:
                self._reads.keep(reads for _, reads, _ in self._pages.values())

    def forget(self) -> None:
        """The site folder no longer matches: render every page again next time."""
        self._pages, self._pending, self._reads = {}, None, ReadTable()

    def _prune_reads(self) -> None:
        """Forget the reads of pages rendered but never written, once they pile up."""
        if self._reads.overgrown:
            self._reads.keep(reads for _, reads, _ in self._pages.values())

    def render_all(
        self,
        renderer: Renderer,
        plan: list[Page],
        superseded: Callable[[], bool] | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> tuple[RenderedSite, list[Problem]]:
        """(every page in the plan, []), or (nothing, the template problems that stopped it).
        The pages count as written, to be reused, once commit() says so. meanwhile() runs
        once, while the pages render. Raises journal's own bugs, and Superseded once
        superseded() says a newer save is waiting (the cache stays as it was, but for pages
        render_some added). With nothing to reuse (the preview's first build, which runs
        before the server's threads start), the pages render across the cores, and
        superseded() is not asked."""
        self._check_setting(renderer)
        self._pending = None
        self._prune_reads()
        if not self._pages and parallel.workers() > 1:
            return self._render_fresh(renderer, plan, meanwhile)
        if meanwhile is not None:
            meanwhile()
        entries: dict[str, tuple[Page, tuple[int, ...], bytes]] = {}
        fresh: dict[str, bytes] = {}
        changed = self._reads.changed(renderer.journal)
        try:
            for index, page in enumerate(plan):
                if superseded is not None and index % CHECK_EVERY == 0 and superseded():
                    raise Superseded
                entries[page.path], content = self._page(renderer, page, changed)
                if content is not None:
                    fresh[page.path] = content
        except Superseded:
            raise
        except Exception as error:
            return RenderedSite({}, {}), template_problems(renderer.root, error)
        self._pending = entries
        return RenderedSite({path: entry[2] for path, entry in entries.items()}, fresh), []

    def _render_fresh(
        self, renderer: Renderer, plan: list[Page], meanwhile: Callable[[], None] | None
    ) -> tuple[RenderedSite, list[Problem]]:
        """render_all for an empty cache, across the cores (parallel.py). A worker sends back
        each page's bytes and the names of what it read, not the values: those are read again
        here, from this process's journal, so that they are its very objects (link 5 of the
        chain above; a worker's copies would compare equal, but slowly) and big values such
        as the contact list do not travel 13,000 times. The journal is the one the workers
        were forked with, and reads are pure, so the values are the ones the pages saw."""
        journal = renderer.journal

        def render(page: Page) -> tuple[bytes, bytes, tuple[tuple, ...], list[Problem]]:
            log = _ReadLog(journal)
            try:
                content = renderer.render_page(page, journal=log)
            except Exception as error:
                return b"", b"", (), template_problems(renderer.root, error)
            return content, digest(content), tuple((name, call) for name, call, _ in log._log_reads), []

        def meanwhile_and_compile() -> None:
            if meanwhile is not None:
                meanwhile()
            # The workers' compiled templates die with them: compile each here too, or the
            # first save would (a tenth of a second a template).
            for name in renderer.env.list_templates(filter_func=lambda name: name.endswith(".html")):
                renderer.env.get_template(name)

        results = parallel.ordered_map(render, plan, meanwhile=meanwhile_and_compile)
        entries: dict[str, tuple[Page, tuple[int, ...], bytes]] = {}
        fresh: dict[str, bytes] = {}
        seen: dict = {}
        numbered: dict = {}  # (name, call) -> number: a read gives one value all through this render

        def number(name: str, call: tuple | None) -> int:
            try:
                return numbered[name, call]
            except KeyError:
                found = numbered[name, call] = self._reads.number(name, call, _read_now(journal, name, call, seen))
                return found
            except TypeError:  # an unhashable argument
                return self._reads.number(name, call, _read_now(journal, name, call, seen))

        known = numbered.__getitem__  # most pages read only what pages before them read
        for page, (content, page_digest, names, problems) in zip(plan, results):
            if problems:
                return RenderedSite({}, {}), problems
            try:
                numbers = tuple(map(known, names))
            except (KeyError, TypeError):
                numbers = tuple(number(*read) for read in names)
            entries[page.path], fresh[page.path] = (page, numbers, page_digest), content
        self.rendered += len(entries)
        self._pending = entries
        return RenderedSite({path: entry[2] for path, entry in entries.items()}, fresh), []

    def render_some(self, renderer: Renderer, pages: list[Page]) -> dict[str, bytes]:
        """{path: bytes} of those of these pages that had to be rendered (the others are
        written unchanged already), remembered beside the rest for the render_all that
        follows: the caller writes them at once. Raises what render_page raises, and then
        remembers none of them (a page rendered before the failure is not written)."""
        self._check_setting(renderer)
        self._prune_reads()
        cached = (self._pages.get(page.path) for page in pages)
        changed = self._reads.changed(renderer.journal, (number for entry in cached if entry for number in entry[1]))
        entries, rendered = {}, {}
        for page in pages:
            entries[page.path], content = self._page(renderer, page, changed)
            if content is not None:
                rendered[page.path] = content
        self._pages.update(entries)
        return rendered

    def _check_setting(self, renderer: Renderer) -> None:
        setting = (renderer.today, renderer.paths, renderer.templates_digest())
        if setting != self._setting:
            self._setting = setting
            self.forget()

    def _page(
        self, renderer: Renderer, page: Page, changed: set[int]
    ) -> tuple[tuple[Page, tuple[int, ...], bytes], bytes | None]:
        """((page, read numbers, digest), its bytes): the cached entry and None when its plan
        entry is equal and none of its reads is among the `changed` ones."""
        cached = self._pages.get(page.path)
        if cached and (cached[0] is page or cached[0] == page) and changed.isdisjoint(cached[1]):
            return cached, None
        log = _ReadLog(renderer.journal)
        content = renderer.render_page(page, journal=log)
        self.rendered += 1
        reads = tuple(self._reads.number(name, call, value) for name, call, value in log._log_reads)
        return (page, reads, digest(content)), content


@dataclass(frozen=True)
class Rebuilt:
    """One preview build: its problems, or what it wrote, and what it cost. `superseded`:
    dropped for a newer save after its first pages (problems then empty, nothing else written)."""

    problems: tuple[Problem, ...]
    file_count: int
    parsed: int  # files parsed, not read from memory
    rendered: int = 0  # pages rendered, not reused
    report: WriteReport | None = None
    page_count: int = 0
    superseded: bool = False
    adopted: bool = False  # the site `journal build` left, taken as it is (Incremental.adopt_built_site)


FirstPages = Callable[[tuple[str, ...]], None]
"""first_pages(paths): the edited notes' pages are written, final, before the rest of the site."""


class Incremental:
    """All the preview's memory, for one journal root and one site folder that nothing else
    writes. build() makes the site there again, reading, parsing, assembling, rendering and
    writing only what changed since the last build."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root, self.out = root, out
        self._sources = SourceCache()
        self._parsed = ParseCache(partial(parse_entries, map=parallel.ordered_map), remember_keys=True)
        self._memo = Memo()  # assembled notes, the data files' per-document work, briefs and charts
        self._pages = PageCache()
        self._compiled = CompiledTemplates()
        self._written: dict[str, bytes] = {}  # path -> digest of the bytes written there
        self._journal: Journal | None = None  # the last good build's, for reuse_unchanged
        self._stored: BuildCache | None = None  # `journal build`'s cache, read once
        self._adopted: Path | None = None  # the site folder `journal build` left, served until the next build

    @property
    def journal(self) -> Journal | None:
        """The last good build's journal (None before one): what the next save's is compared with."""
        return self._journal

    @property
    def page_cache(self) -> PageCache:
        return self._pages

    @property
    def has_site(self) -> bool:
        """Whether a build has written a site (so a failed save shows the last good one)."""
        return bool(self._written) or self._adopted is not None

    @property
    def site(self) -> Path:
        """The folder holding the site to serve: `out`, or while the site `journal build`
        left is adopted (adopt_built_site), that site's own folder, which is only read."""
        return self._adopted or self.out

    @property
    def learning(self) -> bool:
        """Whether the site served is the one `journal build` left (adopt_built_site), so the
        next build renders every page once, to learn what each reads, and writes its own."""
        return self._adopted is not None

    def adopt_built_site(self, today: date) -> Rebuilt | None:
        """For the first build: when the root's site folder holds what `journal build` wrote
        from exactly these sources for `today` (its cache's record of the inputs and of each
        file's size and time says so), serve that site as it is until the next build has
        rendered the preview's own, so a preview started after a build is ready at once.
        None when it does not. Nothing is written: journal writes a site only by renaming
        new files into place, so the folder stays whole while it is read.
        The sources' stats tell first (build.stamped_inputs): no file is read when every
        source is as the build read it. Else their text does, as `journal build` tells."""
        if self.has_site or self._journal is not None or not (self.root / SITE).is_dir():
            return None
        stored = self._stored = self._stored or open_cache(self.root)
        built = self.root / SITE
        setting = build_setting(stored, self.root, built, today)
        last = stored.last_build
        stamps = current_stamps(self.root) if last is not None and last.stamped else None
        if stamps is not None and last is not None:
            if stamped_inputs(setting, stamps) == last.stamped:
                last = current_site(stored, built, last.inputs)
                return self._adopt(built, len(stamps), last) if last else None
        config_source, entries, problems = read_journal(self.root, self._sources.read)
        self._sources.finish()
        inputs = build_inputs(setting, config_source, entries)
        last = None if problems else current_site(stored, built, inputs)
        return self._adopt(built, len(entries) + (1 if config_source else 0), last) if last else None

    def _adopt(self, built: Path, file_count: int, last: LastBuild) -> Rebuilt:
        self._adopted = built
        return Rebuilt((), file_count, 0, 0, WriteReport((), len(last.files), ()), len(last.files), adopted=True)

    def build(
        self,
        today: date,
        first_pages: FirstPages | None = None,
        superseded: Callable[[], bool] | None = None,
        on_demand: Callable[[OnDemand], None] | None = None,
    ) -> Rebuilt:
        """The site for `today`. first_pages(paths) hears of the edited notes' own pages as soon
        as they are written in their final form, before the rest of the site is planned and
        checked; superseded() is asked now and then whether a newer save waits, and if so the
        build stops (the memory is left fit for the next build). When no site is written yet,
        on_demand(files) hears, once the journal is assembled and again once the site is
        planned, of what can make the site's files before the build writes them
        (ondemand.OnDemand). Raises OSError when the folder cannot be written, and journal's
        own bugs."""
        cached_markdown, stored, ahead = None, None, MarkdownPrefetch()
        if self._journal is None:  # the first build starts from what `journal build` left
            stored = self._stored = self._stored or open_cache(self.root)

        def parse(files: list[SourceFile], progress: parallel.Progress | None = None) -> list[tuple]:
            """The parse; then the first build converts bodies ahead in another process, as
            `journal build` does (prefetch_cold), but only once the parse has had every core:
            the journal, and the first page a browser asks for, wait for the parse."""
            nonlocal ahead
            results = self._parsed.parse_all(files, progress)
            if stored is not None:
                ahead = prefetch_cold(self.root, stored)
            return results

        try:
            if stored is not None:
                cached_markdown = self._start_from(stored)
            with no_collections():
                config_source, entries, problems = read_journal(self.root, self._sources.read)
                self._sources.finish()
                # The checks wait until the edited notes' pages are out: at 10,000 notes they take as
                # long as showing the page does, and a page they would fault is shown with the overlay
                # listing their problems, as a template failing later in the build is.
                loaded = assemble_sources(config_source, entries, problems, parse, remember=self._memo.remember)
            parsed, file_count = self._parsed.parsed, loaded.file_count
            if loaded.problems:
                return Rebuilt(tuple(loaded.checked(run_checks)[1]), file_count, parsed)
            previous = self._journal
            journal = self._journal = reuse_unchanged(previous, loaded.journal)
            self._pages.rendered = 0
            if first_pages is not None and previous is not None and self._written:
                self._edited_first(today, previous, journal, first_pages)
            planned = self._serve_early(journal, today, on_demand)
            problems = loaded.checked(run_checks)[1]
            if problems:
                return Rebuilt(tuple(problems), file_count, parsed)
            lend = None if cached_markdown is None else partial(_lent, ahead, cached_markdown)
            try:
                site, problems = self._render(journal, today, lend, superseded, planned)
            except Superseded:
                return Rebuilt((), file_count, parsed, superseded=True)
        finally:
            ahead.cancel()  # collected when the pages were planned, unless the build ended before
        if problems:
            return Rebuilt(tuple(problems), file_count, parsed)
        written, self._written = self._written, {}  # forgotten if the write fails part-way
        if written:
            changed = site.changed(written)
            report = update_in_place(
                self.out, changed, set(written) - set(site.digests), kept=len(site.digests) - len(changed)
            )
        else:
            report = write_site(self.out, site.whole())
        if self._adopted is not None:  # the tabs showed the adopted site: what changed is what differs from it
            report = compare_site(self._adopted, site.whole())
        self._written, self._adopted = site.digests, None
        self._pages.commit()
        return Rebuilt((), file_count, parsed, self._pages.rendered, report, len(site.digests))

    def _start_from(self, stored: BuildCache) -> dict[bytes, str]:
        """For the first build: the parsed files `journal build` left are this memory's, and
        the Markdown it converted is returned, lent to the render."""
        if not self._parsed.results:
            self._parsed = ParseCache(
                partial(parse_entries, map=parallel.ordered_map), stored.parsed, remember_keys=True
            )
        return stored.markdown("local")

    def _serve_early(
        self, journal: Journal, today: date, on_demand: Callable[[OnDemand], None] | None
    ) -> Callable[[list[Page]], None] | None:
        """While no site is written: hand on_demand the files that can be made from the
        journal now, and return what hands it those of the plan once it is made."""
        if on_demand is None or self.has_site:
            return None
        early = OnDemand.of(self.root, journal, today, self._compiled)
        on_demand(early)
        return partial(_tell_planned, on_demand, early)

    def _renderer(self, journal: Journal, today: date) -> Renderer:
        return Renderer(self.root, journal, today, compiled=self._compiled)

    def _render(
        self,
        journal: Journal,
        today: date,
        lend_markdown: Callable[[], Mapping[bytes, str]] | None,
        superseded: Callable[[], bool] | None,
        planned: Callable[[list[Page]], None] | None = None,
    ) -> tuple[RenderedSite, list[Problem]]:
        """The whole local site, rendering only the pages whose inputs changed; or the
        template problems that stopped it. Raises Superseded. lend_markdown(), when given, is
        asked once the plan is made for the Markdown rendered before (the first build's);
        planned(plan), when given, hears of the plan as soon as it is made."""
        if not self._written:  # nothing written that a reused page could stand for
            self._pages.forget()
        renderer = self._renderer(journal, today)
        try:
            plan = page_plan(journal, today, renderer.paths, remember=self._memo.remember)
            if planned is not None:
                planned(plan)
            static = static_files(renderer)
        except Exception as error:
            return RenderedSite({}, {}), template_problems(self.root, error)
        finally:
            if lend_markdown is not None:
                lent = LentMarkdown(lend_markdown)
                lent.ready()  # before the pages are spread over the cores
                renderer.remember = lent.remember
        data = data_files(renderer, calendar=True, publish=False, remember=self._memo.remember)
        made: dict[str, bytes] = {}

        def make_data() -> None:  # while the first build's pages render on the other cores
            made.update((path, make()) for path, make in data.items())

        pages, problems = self._pages.render_all(renderer, plan, superseded, meanwhile=make_data)
        if problems:
            return pages, problems
        if superseded is not None and superseded():
            raise Superseded
        self._memo.finish()
        files = {**static, **made}
        return RenderedSite(
            {**pages.digests, **{path: digest(data) for path, data in files.items()}}, {**pages.fresh, **files}
        ), []

    def _edited_first(self, today: date, previous: Journal, journal: Journal, first_pages: FirstPages) -> None:
        """Write the pages of the meetings and contacts this save changed or added, and say
        which: the page being edited is what its author looks at, and on a big journal
        planning and checking the other 13,000 pages takes a second or two more (what Hugo's
        fast render does too). The bytes are final: the whole render that follows plans these
        pages equally and reuses them. Edited ones are found by id() (link 4 of the chain above)."""
        meetings_before = {id(meeting) for meeting in previous.meetings}
        contacts_before = {id(contact) for contact in previous.contacts}
        meetings = [meeting for meeting in journal.meetings if id(meeting) not in meetings_before]
        contacts = [contact.slug for contact in journal.contacts if id(contact) not in contacts_before]
        if not (meetings or contacts) or len(meetings) + len(contacts) > FIRST_PAGES_AT_MOST:
            return
        pages = {
            path: data
            for path, data in self._render_first(journal, today, meetings, contacts).items()
            if self._written.get(path) != digest(data)
        }
        if pages:
            written, self._written = self._written, {}  # forgotten if the write fails part-way
            update_in_place(self.out, pages, (), kept=len(written.keys() - pages.keys()))
            self._written = {**written, **{path: digest(data) for path, data in pages.items()}}
            first_pages(tuple(sorted(pages)))

    def _render_first(
        self, journal: Journal, today: date, meetings: list[Meeting], contacts: list[str]
    ) -> dict[str, bytes]:
        """{path: bytes} of those of these meetings' and contacts' pages that changed, through
        the page cache (a page that the whole render then plans equally is reused, byte for
        byte). Empty when a template fails: the whole render that follows reports it.
        Journal's own bugs are raised."""
        renderer = self._renderer(journal, today)
        try:
            people = [person for meeting in meetings if meeting.date > today for person in meeting.people]
            remember = self._memo.remember
            briefs = views.briefs(journal, today, people, remember) if people else {}
            pages = [meeting_page(meeting, renderer.paths, today, briefs) for meeting in meetings]
            if contacts:
                shown = ContactViews.of(journal, today, contacts, remember)
                pages += contact_pages(journal, today, renderer.paths, shown, remember)
            return self._pages.render_some(renderer, pages)
        except Exception as error:
            template_problems(self.root, error)  # raises it again unless a template made it
            return {}
