"""Read a journal root from disk: journal.yaml, notes and contact cards, as decoded text.

The read stage: the only place that opens entry files, and the one place that knows the
root's layout: journal.yaml, entries/, entries/contacts/, templates/ (the user's first, the
shipped ones second), the default site/ folder and .journal-cache/. Knows which files are
notes and which are editor droppings (vim swap files, Emacs locks and backups, temp files).
Imports only the standard library and problems.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .problems import Problem

CONFIG_NAME = "journal.yaml"
ENTRIES = "entries"
CONTACTS = "entries/contacts"
TEMPLATES = "templates"
SITE = "site"
"""The folder `journal build` writes when not told where."""
CACHE_DIR = ".journal-cache"
"""The build cache's folder (speed/cache.py)."""


Stamp = tuple[int, int, int, int]
"""A file's (mtime_ns, ctime_ns, size, inode): what its stat says of its content. Any write
moves its ctime, which no program sets back (`cp -p` and `touch -d` set the mtime only);
an editor that saves by renaming gives it a new inode."""


def stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


@dataclass(frozen=True)
class SourceFile:
    """A file's path relative to the root (with '/'), and its text with '\\n' line ends.
    `stamp` is the file's as it was opened, before it was read (None when not read from disk)."""

    path: str
    text: str
    stamp: Stamp | None = field(default=None, compare=False)

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
    points at itself, say) is listed, so reading it reports why. A link that leads out of
    the root (a note linked in from elsewhere, or entries/ itself pointing at /usr) is a
    problem, not a source: a shared folder must not publish what lies outside it."""
    found: list[str] = []
    problems: list[Problem] = []
    home = os.path.realpath(root)
    if not _inside(os.path.realpath(root / ENTRIES), home):
        shown = os.path.realpath(root / ENTRIES)
        return [], [
            Problem(
                ENTRIES, 0, f"entries/ is a link to {shown}, outside the journal; journal reads only its own folder"
            )
        ]

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
                if item.is_symlink() and not _inside(os.path.realpath(item.path), home):
                    problems.append(Problem(prefix + item.name, 0, _OUTSIDE))
                else:
                    found.append(prefix + item.name)

    visit(str(root / ENTRIES), ENTRIES + "/")
    return sorted(found), problems


_OUTSIDE = "this is a link to a file outside the journal; journal reads only files in its own folder (copy the file in instead)"


def _inside(path: str, folder: str) -> bool:
    """Whether the resolved `path` is `folder` or lies in it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _is_file(item: os.DirEntry) -> bool:
    """A file, or a symlink that cannot be followed (a loop): worth reporting, not skipping."""
    try:
        return item.is_file()
    except OSError:
        return True


Read = Callable[[Path, str], tuple[SourceFile | None, list[Problem]]]
"""read(root, path) -> (the file, or None and the problems why not): read_file or a memory of it."""


def read_file(root: Path, path: str) -> tuple[SourceFile | None, list[Problem]]:
    """A file's text; one that cannot be read or is over MAX_BYTES is a problem on line 1.
    The size is checked before reading, and at most MAX_BYTES + 1 are read (a file in /proc
    says it holds 0 bytes), so a huge file costs nothing."""
    try:
        with open(f"{root}/{path}", "rb") as handle:  # a str, not a Path: 10,000 Paths cost a tenth of a second
            stat = os.fstat(handle.fileno())
            size = stat.st_size
            data = handle.read(MAX_BYTES + 1) if size <= MAX_BYTES else b""
    except OSError as error:
        return None, [Problem(path, 1, f"cannot read: {error.strerror}")]
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        shown = f"{size / 1_000_000:.1f} MB" if size > MAX_BYTES else f"over {MAX_BYTES // 1_000_000} MB"
        limited = f"{CONFIG_NAME} is" if path == CONFIG_NAME else "entries are"
        return None, [Problem(path, 1, f"file is {shown}; {limited} limited to {MAX_BYTES // 1_000_000} MB")]
    text, problems = decode(path, data)
    return (SourceFile(path, text, stamp_of(stat)) if text is not None else None), problems


def _has_config(root: Path) -> bool:
    """Whether there is a journal.yaml to read (a broken symlink, a loop say, is reported)."""
    settings = root / CONFIG_NAME
    return settings.is_file() or (settings.is_symlink() and not settings.exists())


def current_stamps(root: Path) -> list[tuple[str, Stamp]] | None:
    """(path, stamp) of journal.yaml, when there is one, and of every entry file, in
    read_journal's order, from their stats alone (nothing is read); None when a file or
    folder cannot be looked at (reading would report it)."""
    paths, problems = entry_paths(root)
    if problems:
        return None
    if _has_config(root):
        paths.insert(0, CONFIG_NAME)
    try:
        return [(path, stamp_of(os.stat(f"{root}/{path}"))) for path in paths]
    except OSError:
        return None


def read_journal(root: Path, read: Read = read_file) -> tuple[SourceFile | None, list[SourceFile], list[Problem]]:
    """(journal.yaml or None, entry files, problems). A missing entries/ is a problem.
    `read(root, path)` reads one entry file: a preview passes one that remembers files
    whose stat did not change (incremental.SourceCache)."""
    problems: list[Problem] = []
    config = None
    if _has_config(root):
        if _inside(os.path.realpath(root / CONFIG_NAME), os.path.realpath(root)):
            config, found = read_file(root, CONFIG_NAME)
            problems += found
        else:
            problems.append(Problem(CONFIG_NAME, 0, _OUTSIDE))
    if not (root / ENTRIES).is_dir():
        problems.append(Problem(ENTRIES, 0, f"no entries/ folder in {root}; run 'journal init' or pass --root"))
        return config, [], problems
    files = []
    paths, found = entry_paths(root)
    problems += found
    for path in paths:
        source, found = read(root, path)
        problems += found
        if source is not None:
            files.append(source)
    return config, files, problems


def shipped_templates() -> Path:
    """The templates that come with the package (top-level templates/ in the source tree)."""
    return Path(str(resources.files("journal.templates")))


def user_templates(root: Path) -> Path:
    """The journal's own templates/ folder, which may not exist."""
    return root / TEMPLATES


def template_dirs(root: Path) -> list[Path]:
    """Where templates come from, first match wins: the journal's templates/, then ours."""
    user = user_templates(root)
    return ([user] if user.is_dir() else []) + [shipped_templates()]


def template_file(root: Path, name: str) -> Path:
    """The file a template name loads: the journal's own when it has one, else ours."""
    user = user_templates(root) / name
    return user if user.is_file() else shipped_templates() / name


def templates_digest(folders: list[Path]) -> str:
    """A hash of every file the templates may load, yours and the shipped ones (editor
    droppings aside)."""
    hasher = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.name.startswith((".", "#", "~")) or path.name.endswith("~") or not path.is_file():
                continue
            try:
                hasher.update(f"{path}\0".encode() + path.read_bytes() + b"\0")
            except FileNotFoundError:  # deleted while we looked: the watcher will rebuild
                hasher.update(f"{path} vanished\0".encode())
    return hasher.hexdigest()
