"""read -> parse -> assemble: a journal root on disk becomes a Journal and a list of problems.

The one function every command starts with. Parsing is per file, so one broken file is
reported and the rest still load.
"""

from __future__ import annotations

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


def load(root: Path) -> tuple[Journal, list[Problem], int]:
    """(journal, problems sorted by file and line, number of files read)."""
    config_source, files, problems = read_journal(root)
    config, found = parse_config_file(config_source)
    problems += found
    notes, cards = [], []
    for source in files:
        record, found = parse_entry(source)
        problems += found
        if record is not None:
            (cards if source.is_card else notes).append(record)
    journal, found = assemble(config, notes, cards)
    problems += found
    file_count = len(files) + (1 if config_source else 0)
    return journal, sorted(set(problems)), file_count
