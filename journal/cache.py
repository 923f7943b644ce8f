"""The build cache in the journal root (.journal-cache/): parsed files and rendered Markdown by
content hash, and the fingerprint of the last build's inputs with the files it left on disk.

Owns that folder and nothing else; imports only the standard library. Safe to delete at any
time: a missing, unreadable or foreign cache is an empty one. Everything in it is keyed by the
bytes it came from, and the whole cache is dropped when `salt` (journal's version and source,
the Markdown settings) differs, so it can make a build faster but never different.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

CACHE_DIR = ".journal-cache"
_FILE = "build.pickle"


def digest(*parts: str | bytes) -> bytes:
    """A short hash of the parts, unambiguous in how they were split."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.digest()


@dataclass(frozen=True)
class LastBuild:
    """What the last successful build read (`inputs`) and left in `out`: for each file its
    size and modification time, so a build that changes nothing can prove the site is intact."""

    inputs: bytes
    files: dict  # relative path -> (size, mtime_ns)


class MarkdownCache:
    """Rendered Markdown by digest(text): `known` from earlier builds, `used` by this one."""

    def __init__(self, known: dict | None = None):
        self.known = known or {}
        self.used: dict = {}

    def get(self, key: bytes) -> str | None:
        return self.used.get(key) or self.known.get(key)


class BuildCache:
    """What the last build left in .journal-cache/: `parsed` files (for load.ParseCache),
    `markdown` (for a MarkdownCache) and `last_build`. Saving keeps only what the new build
    used, so renamed and deleted notes do not pile up."""

    def __init__(self, root: Path, salt: str):
        self.folder = root / CACHE_DIR
        self.salt = salt
        stored = self._read()
        self.parsed: dict = stored.get("parsed", {})
        self.markdown: dict = stored.get("markdown", {})
        self.last_build: LastBuild | None = stored.get("last_build")

    def _read(self) -> dict:
        try:
            with open(self.folder / _FILE, "rb") as file:
                stored = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return {}
        return stored if isinstance(stored, dict) and stored.get("salt") == self.salt else {}

    def save(self, parsed: dict, markdown: dict, last_build: LastBuild) -> None:
        """Write atomically; a cache that cannot be written is only a slower next build."""
        stored = {"salt": self.salt, "parsed": parsed, "markdown": markdown, "last_build": last_build}
        try:
            self.folder.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                pickle.dump(stored, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / _FILE)
        except OSError:
            return


def snapshot(out: Path, paths) -> dict:
    """(size, mtime_ns) of each file of the site, for LastBuild."""
    found = {}
    for path in paths:
        stat = (out / path).stat()
        found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def site_unchanged(out: Path, files: dict) -> bool:
    """True when `out` holds exactly these files with the recorded sizes and times."""
    count = 0
    for folder, _, names in os.walk(out):
        for name in names:
            full = os.path.join(folder, name)
            relative = os.path.relpath(full, out).replace(os.sep, "/")
            recorded = files.get(relative)
            try:
                stat = os.stat(full)
            except OSError:
                return False
            if recorded != (stat.st_size, stat.st_mtime_ns):
                return False
            count += 1
    return count == len(files)
