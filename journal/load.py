"""read -> parse -> assemble: a journal root on disk becomes a Journal and a list of problems.

The one function every command starts with. Parsing is per file, so one broken file is
reported and the rest still load.
"""

from __future__ import annotations

from pathlib import Path

from . import frontmatter, parallel, schema
from .assemble import assemble
from .cache import BuildCache
from .model import Config, Journal
from .problems import Problem
from .sources import CONFIG_NAME, SourceFile, read_journal


def parse_config_file(source: SourceFile | None) -> tuple[Config, list[Problem]]:
    if source is None:
        return Config(), []
    tree, problems = frontmatter.compose(source.text, CONFIG_NAME)
    if problems:
        return Config(), problems
    return schema.parse_config(CONFIG_NAME, tree)


def parse_entry(source: SourceFile):
    """One file -> (NoteRecord or CardRecord or None, problems). Depends on nothing else."""
    document = frontmatter.split(source.text, source.path)
    if source.is_card:
        return schema.parse_card(source.path, document)
    return schema.parse_note(source.path, document)


def load(root: Path) -> tuple[Journal, list[Problem], int]:
    """(journal, problems sorted by file and line, number of files read)."""
    return load_sources(*read_journal(root))


def parse_entries(files: list[SourceFile], cache: BuildCache | None = None, progress: parallel.Progress | None = None) -> list[tuple]:
    """parse_entry of every file, in order: from the cache when it has seen the file, the
    rest spread over the cores."""
    if cache is None:
        return parallel.ordered_map(parse_entry, files, progress)
    keys = [cache.key(source.path, source.text) for source in files]
    missing = [source for source, key in zip(files, keys) if cache.parsed_result(key) is None]
    for source, result in zip(missing, parallel.ordered_map(parse_entry, missing, progress)):
        cache.keep_parsed(cache.key(source.path, source.text), result)
    return [cache.parsed_result(key) for key in keys]


def load_sources(config_source: SourceFile | None, files: list[SourceFile], problems: list[Problem],
                 cache: BuildCache | None = None, progress: parallel.Progress | None = None) -> tuple[Journal, list[Problem], int]:
    """The parse and assemble half of load(), for callers that read the files themselves."""
    problems = list(problems)
    config, found = parse_config_file(config_source)
    problems += found
    notes, cards = [], []
    for source, (record, found) in zip(files, parse_entries(files, cache, progress)):
        problems += found
        if record is not None:
            (cards if source.is_card else notes).append(record)
    journal, found = assemble(config, notes, cards)
    problems += found
    file_count = len(files) + (1 if config_source else 0)
    return journal, sorted(set(problems)), file_count
