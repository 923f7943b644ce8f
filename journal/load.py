"""read -> parse -> assemble: a journal root on disk becomes a Journal and a list of problems.

The one function every command starts with. Parsing is per file, so one broken file is
reported and the rest still load.
"""

from __future__ import annotations

from pathlib import Path

from . import frontmatter, parallel, schema
from .assemble import AssembleMemo, assemble
from .cache import digest
from .model import Config, Journal
from .problems import Problem
from .sources import CONFIG_NAME, ENTRIES, SourceFile, entry_paths, read_file, read_journal

PARSED_RECORDS = (schema.NoteRecord, schema.CardRecord, schema.PersonRef, schema.IdRef, schema.FollowUpRef,
                  schema.CommitmentRecord, schema.ExchangeRecord, Problem)
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


class ParseCache:
    """parse_entry results by digest(path, text): a load re-parses only files it has not seen.
    Kept in memory by a process that loads again and again (journal serve), seeded from disk
    by `journal build` (cache.BuildCache). Holds only the files of the last load, so renamed
    and deleted notes do not pile up."""

    def __init__(self, known: dict | None = None, *, remember_keys: bool = False) -> None:
        self.results: dict[bytes, tuple] = dict(known or {})
        self.parsed = 0  # files actually parsed by the last load
        # With remember_keys (a preview), each file's key by (path, text): a preview loads the
        # same text objects again and again, and Python remembers a string's hash, so this is
        # cheaper than hashing 20 MB per save. A one-off build would only hold the texts longer.
        self._keys: dict[tuple[str, str], bytes] | None = {} if remember_keys else None

    def key(self, source: SourceFile) -> bytes:
        if self._keys is None:
            return digest(source.path, source.text)
        found = self._keys.get((source.path, source.text))
        if found is None:
            found = self._keys[source.path, source.text] = digest(source.path, source.text)
        return found

    def parse_all(self, files: list[SourceFile], progress: parallel.Progress | None = None) -> list[tuple]:
        keys = [self.key(source) for source in files]
        missing = [(key, source) for key, source in zip(keys, files) if key not in self.results]
        parsed = parallel.ordered_map(parse_entry, [source for _, source in missing], progress)
        self.results.update(zip((key for key, _ in missing), parsed))
        self.results = {key: self.results[key] for key in keys}
        if self._keys is not None and len(self._keys) > len(keys):  # edited, renamed and deleted files do not pile up
            self._keys = {(source.path, source.text): key for source, key in zip(files, keys)}
        self.parsed = len(missing)
        return [self.results[key] for key in keys]


def load(root: Path, cache: ParseCache | None = None) -> tuple[Journal, list[Problem], int]:
    """(journal, problems sorted by file and line, number of files read)."""
    return load_sources(*read_journal(root), cache)


def load_sources(config_source: SourceFile | None, files: list[SourceFile], problems: list[Problem],
                 cache: ParseCache | None = None, progress: parallel.Progress | None = None,
                 memo: AssembleMemo | None = None) -> tuple[Journal, list[Problem], int]:
    """The parse and assemble half of load(), for callers that read the files themselves.
    Files are parsed across the cores when there are many. A preview passes its ParseCache
    and AssembleMemo, so only what changed is parsed and assembled again."""
    problems = list(problems)
    config, found = parse_config_file(config_source)
    problems += found
    notes, cards = [], []
    results = (cache or ParseCache()).parse_all(files, progress)
    for source, (record, found) in zip(files, results):
        problems += found
        if record is not None:
            (cards if source.is_card else notes).append(record)
    journal, found = assemble(config, notes, cards, memo)
    problems += found
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
