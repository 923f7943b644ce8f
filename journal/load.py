"""read -> parse -> assemble: a journal root on disk becomes a Journal and a list of problems.

The one function every command starts with. Parsing is per file, so one broken file is
reported and the rest still load.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import frontmatter, schema
from .assemble import assemble
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


class ParseCache:
    """parse_entry results by (path, content hash), for a process that loads again and again
    (journal serve): a save re-parses only the file that changed. Holds only the files of the
    last load, so renamed and deleted notes do not pile up."""

    def __init__(self) -> None:
        self._results: dict[tuple[str, bytes], tuple] = {}
        self.parsed = 0  # files actually parsed by the last load

    def parse_all(self, files: list[SourceFile]) -> list[tuple]:
        fresh, results = {}, []
        self.parsed = 0
        for source in files:
            key = (source.path, hashlib.sha256(source.text.encode("utf-8")).digest())
            if key not in self._results:
                self._results[key] = parse_entry(source)
                self.parsed += 1
            fresh[key] = self._results[key]
            results.append(fresh[key])
        self._results = fresh
        return results


def load(root: Path, cache: ParseCache | None = None) -> tuple[Journal, list[Problem], int]:
    """(journal, problems sorted by file and line, number of files read)."""
    config_source, files, problems = read_journal(root)
    config, found = parse_config_file(config_source)
    problems += found
    notes, cards = [], []
    results = cache.parse_all(files) if cache else [parse_entry(source) for source in files]
    for source, (record, found) in zip(files, results):
        problems += found
        if record is not None:
            (cards if source.is_card else notes).append(record)
    journal, found = assemble(config, notes, cards)
    problems += found
    file_count = len(files) + (1 if config_source else 0)
    return journal, sorted(set(problems)), file_count
