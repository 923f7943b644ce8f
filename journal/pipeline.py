"""The pipeline, one way: read -> parse -> assemble -> check (load) -> plan -> render
(render_site) -> write (write.py). The one place the stages are put together; every command
starts here.

Parsing is per file, so one broken file is reported and the rest still load. Rendering makes
the whole site's files: the page plan, every page, the static files and the data files
(search index, calendar feed), and the locked shells of an encrypted site.

Knows no cache, no preview and no process pool. A stage takes at most two things from its
caller: `map`, how its work is spread over the cores (speed/parallel.py's ordered_map, from a
command; one item after another otherwise), and `remember` (keys.py), the caller's memory of
work done before (a note's assembled share, a body's HTML, a document's search words). The
reuse is the caller's; the stages only name what they work out, by keys holding all it
depends on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import frontmatter, keys, schema
from .assemble import Records, assemble
from .calendar import calendar_feed
from .checks import Check, run_checks
from .keys import just_make
from .model import Config, Journal
from .plan import FEED_FILE, Page, SitePaths, page_plan
from .problems import Problem
from .search import INDEX_FILE, sealed_index, search_index
from .sources import CONFIG_NAME, ENTRIES, SourceFile, entry_paths, read_file, read_journal
from .write import WriteReport

if TYPE_CHECKING:  # the render half imports Jinja2 and Markdown when it runs: `journal check` never does
    from .render import Renderer

Progress = Callable[[int, int], None]
"""progress(done, total): how far a long stage is, for a terminal's status line."""
Map = Callable[[Callable[[Any], Any], Sequence[Any], Progress | None], list[Any]]
"""map(function, items, progress) -> [function(item) for item in items], in order: how a
stage's work is spread; a command passes speed.parallel.ordered_map to use every core."""


@dataclass(frozen=True)
class BuildResult:
    """What a build command made: its problems (then nothing was written), or how many
    files it read, what the write changed and how many pages the site has."""

    problems: tuple[Problem, ...]
    file_count: int
    report: WriteReport | None = None
    page_count: int = 0


def one_by_one(function: Callable[[Any], Any], items: Sequence[Any], progress: Progress | None = None) -> list[Any]:
    """Map in this process, one item after another: the stages' default."""
    results = [function(item) for item in items]
    if progress:
        progress(len(items), len(items))
    return results


PARSED_RECORDS = (
    schema.NoteRecord,
    schema.CardRecord,
    schema.PersonRef,
    schema.IdRef,
    schema.FollowUpRef,
    schema.CommitmentRecord,
    schema.ExchangeRecord,
    Problem,
)
"""Every type a parse_entry result is made of: all that the build cache may rebuild."""
PARSE_RESULT = tuple[schema.NoteRecord | schema.CardRecord | None, tuple[Problem, ...]]
"""What parse_entry returns (problems as a tuple), for the build cache to check what it reads."""


def parse_config_file(source: SourceFile | None) -> tuple[Config, list[Problem]]:
    if source is None:
        return Config(), []
    tree, problems = frontmatter.compose(source.text, CONFIG_NAME, what=CONFIG_NAME)
    if problems:
        return Config(), problems
    return schema.parse_config(CONFIG_NAME, tree)


def parse_entry(source: SourceFile):
    """One file -> (NoteRecord or CardRecord or None, problems). Depends on nothing else."""
    document = frontmatter.split(source.text, source.path)
    if source.is_card:
        return schema.parse_card(source.path, document)
    return schema.parse_note(source.path, document)


def parse_entries(files: list[SourceFile], progress: Progress | None = None, map: Map = one_by_one) -> list[tuple]:
    """parse_entry of each file, spread over the cores by `map` when the caller has a pool."""
    return map(parse_entry, files, progress)


Parse = Callable[[list[SourceFile], Progress | None], list[tuple]]
"""How load parses the files: parse_entries, or a caller's memory around it (cache.ParseCache)."""


@dataclass(frozen=True)
class Loaded:
    """What the parse and assemble stages made of the files, before the checks: the journal,
    the Records the checks read (who is named where), the problems so far, and how many
    files were read."""

    journal: Journal
    records: Records
    problems: list[Problem]
    file_count: int

    def checked(self, *checks: Check) -> tuple[Journal, list[Problem], int]:
        """(journal, these checks' problems with the load's, sorted by file and line, file
        count): the check stage, run when the caller is ready for it."""
        problems = list(self.problems)
        for check in checks:
            problems += check(self.journal, self.records)
        return self.journal, sorted(set(problems)), self.file_count


def load(root: Path, parse: Parse = parse_entries) -> tuple[Journal, list[Problem], int]:
    """(journal, problems sorted by file and line, number of files read)."""
    return load_sources(*read_journal(root), parse)


def load_with_records(root: Path, parse: Parse = parse_entries) -> tuple[Journal, Records, list[Problem], int]:
    """load(), and the Records its checks were given: for the commands that look at who is
    named where (journal check's warnings, journal people)."""
    loaded = assemble_sources(*read_journal(root), parse)
    journal, problems, file_count = loaded.checked(run_checks)
    return journal, loaded.records, problems, file_count


def load_sources(
    config_source: SourceFile | None,
    files: list[SourceFile],
    problems: list[Problem],
    parse: Parse = parse_entries,
    progress: Progress | None = None,
    remember: keys.Remember = just_make,
) -> tuple[Journal, list[Problem], int]:
    """The parse, assemble and check stages, for callers that read the files themselves."""
    return assemble_sources(config_source, files, problems, parse, progress, remember).checked(run_checks)


def assemble_sources(
    config_source: SourceFile | None,
    files: list[SourceFile],
    problems: list[Problem],
    parse: Parse = parse_entries,
    progress: Progress | None = None,
    remember: keys.Remember = just_make,
) -> Loaded:
    """The parse and assemble stages; the checks are Loaded.checked, for a caller that runs
    them later (the preview shows an edited note's page first) or adds its own. A build
    passes its memory of parsed files as `parse` (files are parsed across the cores when
    there are many), and a preview its memory as `remember`, which assemble keeps each
    note's share in: only what changed is parsed and assembled again."""
    problems = list(problems)
    config, found = parse_config_file(config_source)
    problems += found
    notes: list[schema.NoteRecord] = []
    cards: list[schema.CardRecord] = []
    results = parse(files, progress)
    for source, (record, found) in zip(files, results):
        problems += found
        if record is not None:
            (cards if source.is_card else notes).append(record)
    journal, found, records = assemble(config, notes, cards, remember)
    file_count = len(files) + (1 if config_source else 0)
    return Loaded(journal, records, problems + found, file_count)


def load_cards(root: Path) -> tuple[list[schema.CardRecord], list[Problem]]:
    """The cards that have a name, whatever state the rest of the journal is in, and only
    the problem that there is no journal here at all: `journal new` needs names, not a
    valid journal, and reads no notes."""
    if not (root / ENTRIES).is_dir():
        return [], [Problem(ENTRIES, 0, f"no entries/ folder in {root}; run 'journal init' or pass --root")]
    cards = []
    for path in entry_paths(root)[0]:
        source = read_file(root, path)[0]
        if source is not None and source.is_card:
            record = parse_entry(source)[0]
            if record is not None:
                cards.append(record)
    return cards, []


def static_files(renderer: Renderer, locked: bool = False) -> dict[str, bytes]:
    """The stylesheet and scripts every site has, as the templates folders hold them, and
    with `locked` (an encrypted site) the unlock script."""
    from .render import LOCKED_STATIC_FILES, STATIC_FILES

    return {name: renderer.static_file(name) for name in STATIC_FILES + (LOCKED_STATIC_FILES if locked else ())}


Seal = Callable[[bytes, str], str]
"""seal(data, path) -> the JSON of `data` sealed for its address `path`: encrypt.seal with a
build's keys, from the publish profile (the pipeline knows no cryptography)."""


def _locked(renderer: Renderer, seal: Seal, path: str, content: bytes) -> bytes:
    """A file of an encrypted site as it is published: a page sealed into its locked shell,
    the search index sealed, anything else (the calendar feed) as it is."""
    if path.endswith(".html"):
        return renderer.locked_page(path, seal(content, path))
    if path == INDEX_FILE:
        return sealed_index(content, lambda data: seal(data, INDEX_FILE))
    return content


def data_files(
    renderer: Renderer, calendar: bool, publish: bool, remember: keys.Remember = just_make
) -> dict[str, Callable[[], bytes]]:
    """{path: make()} of the files made from data, not templates: the search index (for a
    publish build, of only the text the pages show) and, with `calendar`, the calendar feed.
    `remember` lets a preview keep per-document work between renders."""
    journal, paths = renderer.journal, renderer.paths
    shown = renderer.shown_text if publish else None
    data = {INDEX_FILE: lambda: search_index(journal, paths, remember, shown)}
    if calendar:
        data[FEED_FILE] = lambda: calendar_feed(journal, paths, remember)
    return data


@dataclass(frozen=True)
class Rendered:
    """One page's bytes, or the template problems that stopped it, and the Markdown it used."""

    path: str
    content: bytes
    problems: list[Problem]
    markdown: dict[bytes, str]


def render_site(
    root: Path,
    journal: Journal,
    today: date,
    paths: SitePaths | None = None,
    *,
    calendar: bool = True,
    publish: bool = False,
    seal: Seal | None = None,
    remember: keys.Remember = just_make,
    progress: Progress | None = None,
    map: Map = one_by_one,
) -> tuple[dict[str, bytes], list[Problem]]:
    """{path: bytes} for the whole site, or the template problems that stopped it. Without
    `calendar`, no calendar feed (a publish build leaves it out unless asked). `publish`: the
    publish profile's Markdown, which drops any Private section left in a body, and a search
    index of only the text the pages show. `seal` (an encrypted publish build): each page is
    sealed into its locked shell, and the search index sealed, in the job that renders it, so
    on the cores `map` spreads the pages over; the site holds the unlock script too, and the
    calendar feed stays readable (calendar apps cannot decrypt). `map` spreads the pages over the cores; it is
    called once the pages are planned. `remember` is asked for each body's HTML (keys.MARKDOWN);
    since `map` may render pages in other processes, it is asked again here, in this
    process, for each body the site used, with the HTML made: a caller's memory (the build
    cache) sees every body the site shows."""
    from .render import Renderer, template_problems

    renderer = Renderer(root, journal, today, paths, remember, publish=publish)
    try:
        plan = page_plan(journal, today, renderer.paths, calendar)
        static = static_files(renderer, locked=seal is not None)
    except Exception as error:
        return {}, template_problems(root, error)
    data = data_files(renderer, calendar, publish)
    finish = partial(_locked, renderer, seal) if seal else lambda path, content: content

    def render(job: Page | tuple[str, Callable[[], bytes]]) -> Rendered:
        if not isinstance(job, Page):  # a data file: no template, no Markdown
            path, make = job
            return Rendered(path, finish(path, make()), [], {})
        renderer.markdown_used = {}
        try:
            return Rendered(job.path, finish(job.path, renderer.render_page(job)), [], renderer.markdown_used)
        except Exception as error:
            return Rendered(job.path, b"", template_problems(root, error), {})

    files: dict[str, bytes] = {}
    used: dict[bytes, str] = {}
    # The data files go first: they are the longest jobs, and the chunks are taken in order.
    for result in map(render, [*data.items(), *plan], progress):
        if result.problems:
            return {}, result.problems
        files[result.path] = result.content
        used.update(result.markdown)
    for key, html in used.items():
        remember((keys.MARKDOWN, key), partial(str, html))
    return {**files, **static}, []
