"""Read a journal root from disk: journal.yaml, notes and contact cards, as decoded text.

The read stage: the only place that opens entry files. Knows which files are notes and
which are editor droppings (vim swap files, Emacs locks and backups, temp files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

CONFIG_NAME = "journal.yaml"
ENTRIES = "entries"
CONTACTS = "entries/contacts"


@dataclass(frozen=True)
class SourceFile:
    """A file's path relative to the root (with '/'), and its text with '\\n' line ends."""

    path: str
    text: str

    @property
    def is_card(self) -> bool:
        return self.path.startswith(CONTACTS + "/")


def is_entry_name(name: str) -> bool:
    """True for 'note.md'; False for '.#note.md', '.note.md.swp', 'note.md~', '4913'."""
    return name.endswith(".md") and not name.startswith((".", "~", "#"))


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 (with or without BOM, CRLF or LF) -> text; anything else is a problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, f"file is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def entry_paths(root: Path) -> list[str]:
    """Relative paths of every note and card under entries/, sorted."""
    found = []
    entries = root / ENTRIES
    for folder, dirs, files in os.walk(entries):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            full = Path(folder) / name
            if is_entry_name(name) and full.is_file():
                found.append(full.relative_to(root).as_posix())
    return sorted(found)


def read_file(root: Path, path: str) -> tuple[SourceFile | None, list[Problem]]:
    try:
        data = (root / path).read_bytes()
    except OSError as error:
        return None, [Problem(path, 0, f"cannot read: {error.strerror}")]
    text, problems = decode(path, data)
    return (SourceFile(path, text) if text is not None else None), problems


def read_journal(root: Path) -> tuple[SourceFile | None, list[SourceFile], list[Problem]]:
    """(journal.yaml or None, entry files, problems). A missing entries/ is a problem."""
    problems: list[Problem] = []
    config = None
    if (root / CONFIG_NAME).is_file():
        config, found = read_file(root, CONFIG_NAME)
        problems += found
    if not (root / ENTRIES).is_dir():
        problems.append(Problem(ENTRIES, 0, f"no entries/ folder in {root}; run 'journal init' or pass --root"))
        return config, [], problems
    files = []
    for path in entry_paths(root):
        source, found = read_file(root, path)
        problems += found
        if source is not None:
            files.append(source)
    return config, files, problems
