"""Watch a journal root and call back once per burst of saves.

The only module that imports watchdog. Knows which paths can change the site (notes and cards
under entries/, templates/, journal.yaml) and ignores editor droppings: vim's 4913 probe and
.swp files, Emacs' .#lock and ~ backups, VS Code and JetBrains temp files. One save is several
events (write a temp file, rename it over the note, delete the backup), so the callback runs
after `quiet` seconds without a relevant event, in one thread: rebuilds never overlap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from .sources import CONFIG_NAME, ENTRIES, TEMPLATES, is_entry_name

TEMPLATE_SUFFIXES = (".html", ".css", ".js", ".md", ".yml")
# Reads (ours included: every build opens every note) must not trigger a build.
CHANGE_EVENTS = ("created", "deleted", "modified", "moved", "closed")
WATCHED_EVENTS = [
    FileCreatedEvent,
    DirCreatedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    DirMovedEvent,
    FileClosedEvent,
]
"""What the observer is asked for. With no filter inotify reports every open and close as
well, and a first build reading 10,000 notes made 20,000 events for this process to decode
and drop: a second of the build's time, with the server waiting for its first page."""


def is_template_name(name: str) -> bool:
    """True for 'meeting.html'; False for '.meeting.html.swp', 'meeting.html~', '4913'."""
    return name.endswith(TEMPLATE_SUFFIXES) and not name.startswith((".", "~", "#"))


def relevant_path(root: Path, path: str, is_directory: bool) -> str | None:
    """The path relative to root ('/'-separated) when a change there can change the site."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return None
    if not parts or any(part.startswith(".") for part in parts[:-1]):
        return None
    relative = "/".join(parts)
    if relative == CONFIG_NAME:
        return relative
    if parts[0] not in (ENTRIES, TEMPLATES):
        return None
    if is_directory:
        return None if parts[-1].startswith(".") else relative
    name_ok = is_entry_name if parts[0] == ENTRIES else is_template_name
    return relative if name_ok(parts[-1]) else None


class _Events(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS or (event.is_directory and event.event_type == "modified"):
            return
        for path in (event.src_path, event.dest_path):
            if path:
                self.watcher.noticed(str(path), event.is_directory)


class Watcher:
    """Calls on_change(changed paths) once per burst of relevant changes under root."""

    def __init__(self, root: Path, on_change: Callable[[tuple[str, ...]], None], quiet: float = 0.1) -> None:
        self.root = root.resolve()
        self._on_change = on_change
        self._quiet = quiet
        self._changed: set[str] = set()
        self._last_change = 0.0
        self._stopping = False
        self._wake = threading.Condition()
        self._observer = Observer()
        self._handler = _Events(self)
        self._folders: dict[str, ObservedWatch] = {}
        self._thread = threading.Thread(target=self._run, name="journal-rebuild", daemon=True)

    def start(self) -> None:
        # The root itself, not recursively: journal.yaml, and entries/ or templates/ appearing.
        self._observer.schedule(self._handler, str(self.root), recursive=False, event_filter=WATCHED_EVENTS)
        for folder in (ENTRIES, TEMPLATES):
            self._watch_folder(folder)
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        self._observer.stop()
        self._observer.join()
        self._thread.join()

    def pending(self) -> bool:
        """Whether changes are waiting for the next on_change: the running one is out of date."""
        with self._wake:
            return bool(self._changed)

    def _watch_folder(self, folder: str) -> None:
        """Watch entries/ or templates/ recursively (again, if it was deleted and is back)."""
        path = self.root / folder
        if folder in self._folders:
            self._observer.unschedule(self._folders.pop(folder))
        if path.is_dir():
            self._folders[folder] = self._observer.schedule(
                self._handler, str(path), recursive=True, event_filter=WATCHED_EVENTS
            )

    def noticed(self, path: str, is_directory: bool) -> None:
        relative = relevant_path(self.root, path, is_directory)
        if relative is None:
            return
        if relative in (ENTRIES, TEMPLATES) and (self.root / relative).is_dir():
            self._watch_folder(relative)
        with self._wake:
            self._changed.add(relative)
            self._last_change = time.monotonic()
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._changed and not self._stopping:
                    self._wake.wait()
                while not self._stopping:
                    remaining = self._last_change + self._quiet - time.monotonic()
                    if remaining <= 0:
                        break
                    self._wake.wait(remaining)
                if self._stopping:
                    return
                changed = tuple(sorted(self._changed))
                self._changed.clear()
            self._on_change(changed)
