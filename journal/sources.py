"""Read a journal root from disk: journal.yaml, notes and contact cards, as decoded text.

The read stage: the only place that opens entry files. Knows which files are notes and
which are editor droppings (vim swap files, Emacs locks and backups, temp files).
"""

from __future__ import annotations

import os
import time
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


MAX_BYTES = 1_000_000  # a note of some 150,000 words; more is a mistake or an attack


def entry_paths(root: Path) -> tuple[list[str], list[Problem]]:
    """Relative paths of every note and card under entries/, sorted, and the folders that
    could not be read. Hidden folders and symlinked folders are not entered (so a folder
    cannot lead back into itself); a note that is a broken chain of symlinks (one that
    points at itself, say) is listed, so reading it reports why."""
    found: list[str] = []
    problems: list[Problem] = []

    def visit(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                items = list(listing)
        except OSError as error:
            problems.append(Problem(prefix.rstrip("/"), 0, f"cannot read this folder: {error.strerror}"))
            return
        for item in items:
            if item.is_dir(follow_symlinks=False):
                if not item.name.startswith("."):
                    visit(item.path, f"{prefix}{item.name}/")
            elif is_entry_name(item.name) and _is_file(item):
                found.append(prefix + item.name)

    visit(str(root / ENTRIES), ENTRIES + "/")
    return sorted(found), problems


def _is_file(item: os.DirEntry) -> bool:
    """A file, or a symlink that cannot be followed (a loop): worth reporting, not skipping."""
    try:
        return item.is_file()
    except OSError:
        return True


def read_file(root: Path, path: str) -> tuple[SourceFile | None, list[Problem]]:
    """A file's text; one that cannot be read or is over MAX_BYTES is a problem on line 1.
    The size is checked before reading, and at most MAX_BYTES + 1 are read (a file in /proc
    says it holds 0 bytes), so a huge file costs nothing."""
    try:
        with open(root / path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(MAX_BYTES + 1) if size <= MAX_BYTES else b""
    except OSError as error:
        return None, [Problem(path, 1, f"cannot read: {error.strerror}")]
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        shown = f"{size / 1_000_000:.1f} MB" if size > MAX_BYTES else f"over {MAX_BYTES // 1_000_000} MB"
        limited = f"{CONFIG_NAME} is" if path == CONFIG_NAME else "entries are"
        return None, [Problem(path, 1, f"file is {shown}; {limited} limited to {MAX_BYTES // 1_000_000} MB")]
    text, problems = decode(path, data)
    return (SourceFile(path, text) if text is not None else None), problems


class SourceCache:
    """What the last read found, by path and stat, for a preview that reads the journal on
    every save: only files whose size, times or inode changed are read again (an editor
    that saves by renaming a temp file over the note gives it a new inode). A file changed
    in the last two seconds is not remembered: file times tick in milliseconds, so a second
    save of the same size within one tick would keep its stat, and be missed."""

    RECENT_NS = 2_000_000_000

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple, tuple]] = {}

    def read(self, root: Path, path: str) -> tuple[SourceFile | None, list[Problem]]:
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

    def keep_only(self, paths: list[str]) -> None:
        """Forget files that are gone, so renamed and deleted notes do not pile up."""
        self._known = {path: self._known[path] for path in paths if path in self._known}


def read_journal(root: Path, cache: SourceCache | None = None) -> tuple[SourceFile | None, list[SourceFile], list[Problem]]:
    """(journal.yaml or None, entry files, problems). A missing entries/ is a problem.
    With a SourceCache, unchanged files are not read again."""
    problems: list[Problem] = []
    config = None
    settings = root / CONFIG_NAME
    if settings.is_file() or (settings.is_symlink() and not settings.exists()):  # a symlink loop is reported
        config, found = read_file(root, CONFIG_NAME)
        problems += found
    if not (root / ENTRIES).is_dir():
        problems.append(Problem(ENTRIES, 0, f"no entries/ folder in {root}; run 'journal init' or pass --root"))
        return config, [], problems
    files = []
    paths, found = entry_paths(root)
    problems += found
    read = cache.read if cache else lambda root, path: read_file(root, path)
    for path in paths:
        source, found = read(root, path)
        problems += found
        if source is not None:
            files.append(source)
    if cache:
        cache.keep_only(paths)
    return config, files, problems
