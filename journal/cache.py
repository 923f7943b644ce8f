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
_LAST_BUILD = "last-build.pickle"
_RESULTS = "results.pickle"


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
    """What the last build left in .journal-cache/: `last_build` (small, read at once), and
    `parsed` files (for load.ParseCache) and `markdown` (for a MarkdownCache), big, read only
    when a build needs them. Saving keeps only what the new build used, so renamed and
    deleted notes do not pile up."""

    def __init__(self, root: Path, salt: str):
        self.folder = root / CACHE_DIR
        self.salt = salt
        self.last_build: LastBuild | None = self._read(_LAST_BUILD)
        self._results: dict | None = None

    def _read(self, name: str):
        try:
            with open(self.folder / name, "rb") as file:
                salt, stored = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return stored if salt == self.salt else None

    def _stored_results(self) -> dict:
        if self._results is None:
            stored = self._read(_RESULTS)
            self._results = stored if isinstance(stored, dict) else {}
        return self._results

    @property
    def parsed(self) -> dict:
        return self._stored_results().get("parsed", {})

    @property
    def markdown(self) -> dict:
        return self._stored_results().get("markdown", {})

    def save(self, parsed: dict, markdown: dict, last_build: LastBuild) -> None:
        """Write atomically, the results before the record of the build that made them; a
        cache that cannot be written is only a slower next build."""
        try:
            self.folder.mkdir(exist_ok=True)
            self._write(_RESULTS, {"parsed": parsed, "markdown": markdown})
            self._write(_LAST_BUILD, last_build)
        except OSError:
            return

    def _write(self, name: str, value) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            pickle.dump((self.salt, value), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / name)


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
