"""read -> parse -> assemble -> check: a journal root on disk becomes a Journal and a list of problems.

The one function every command starts with. Parsing is per file, so one broken file is
reported and the rest still load.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import frontmatter, parallel, schema
from .assemble import Records, Remember, assemble
from .checks import Check, run_checks
from .model import Config, Journal
from .problems import Problem
from .sources import CONFIG_NAME, ENTRIES, SourceFile, entry_paths, read_file, read_journal

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


def parse_entries(files: list[SourceFile], progress: parallel.Progress | None = None) -> list[tuple]:
    """parse_entry of each file, across the cores when there are many."""
    return parallel.ordered_map(parse_entry, files, progress)


Parse = Callable[[list[SourceFile], parallel.Progress | None], list[tuple]]
"""How load parses the files: parse_entries, or a caller's memory around it (cache.ParseCache)."""


def load(root: Path, parse: Parse = parse_entries) -> tuple[Journal, list[Problem], int]:
    """(journal, problems sorted by file and line, number of files read)."""
    return load_sources(*read_journal(root), parse)


def load_with_records(root: Path) -> tuple[Journal, Records, list[Problem], int]:
    """load(), and the Records its checks were given: for the commands that look at who is
    named where (journal check's warnings, journal people)."""
    kept: list[Records] = []

    def check(journal: Journal, records: Records) -> list[Problem]:
        kept.append(records)
        return run_checks(journal, records)

    journal, problems, file_count = load_sources(*read_journal(root), check=check)
    return journal, kept[0], problems, file_count


def load_sources(
    config_source: SourceFile | None,
    files: list[SourceFile],
    problems: list[Problem],
    parse: Parse = parse_entries,
    progress: parallel.Progress | None = None,
    memo: Remember | None = None,
    check: Check = run_checks,
) -> tuple[Journal, list[Problem], int]:
    """The parse, assemble and check half of load(), for callers that read the files
    themselves. Files are parsed across the cores when there are many. A build or a preview
    passes its memory of parsed files as `parse` and a preview its assembled notes as `memo`
    (an assemble.Remember), so only what changed is parsed and assembled again, and may take
    the checks into its own hands (`check`, see incremental.Incremental.build)."""
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
    journal, found, records = assemble(config, notes, cards, memo)
    problems += found + check(journal, records)
    file_count = len(files) + (1 if config_source else 0)
    return journal, sorted(set(problems)), file_count


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
