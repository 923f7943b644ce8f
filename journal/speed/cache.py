"""The build cache in the journal root (.journal-cache/): parsed files and rendered Markdown by
content hash, and the fingerprint of the last build's inputs with the files it left on disk.

Owns that folder and the in-memory face of its parsed files (ParseCache); imports only the
standard library, the content keys and the root's layout (sources.py), and no stage imports
it: build.py wraps the stages with it from outside, as beancount's loader wraps its cache. Safe to delete at any
time: a missing, unreadable or foreign cache is an empty one (a .gitignore of `*` in it keeps
it out of git). Everything in it is keyed by the
bytes it came from, and the whole cache is dropped when `salt` (journal's version and source,
the Markdown settings) differs, so it can make a build faster but never different.

The folder holds the parsed files (shared by every profile), the rendered Markdown of each
profile in a file of its own ("local" for `journal build`, "publish" for the publish profile,
so one never evicts the other's), and the record of the last local build.

The folder sits in the journal root, which may be shared or synced: anyone who can write
there must not be able to change a build. Rendered Markdown goes into pages as it is, past
the sanitiser, and the salt and the keys are public (a version, a code digest, digests of
note text), so each file carries a keyed hash (blake2b) whose key lives outside the root,
one per user: $XDG_CACHE_HOME/networking-journal/cache-key (default ~/.cache/...), mode
0600, made on first use. A file whose tag does not verify, under this key and its own name
(a profile's bodies cannot pass for the other's), is an empty cache; without a key (no home
folder, a read-only one) a build runs without a cache.

The files are JSON, read as data and never run: a pickle would call whatever a crafted file
names, so anyone who could drop a file in the folder (a shared or synced journal, an unpacked
archive) could run code on the next build. A parsed record is stored as {"TypeName": [its
fields in order]}; the reader rebuilds only the types in the allowlist its caller hands it,
reads every field by the type's annotations (a date is stored as its ISO text, and only a
field that holds dates and never other text is read as one), and treats anything else (an
unknown name, a field of the wrong type, bad JSON) as an empty cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import types
import typing
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..keys import digest
from ..sources import CACHE_DIR, SourceFile
from ..write import SITE_MARKER

Parse = Callable[[list[SourceFile], Callable[[int, int], None] | None], list[tuple]]
"""parse(files, progress) -> each file's (record or None, problems): pipeline.parse_entries."""

_LAST_BUILD = "last-build.json"
_RESULTS = "results.json"
_FORMAT = "journal-cache 2"
_IGNORE_ALL = "# Made by journal: the build cache is never committed.\n*\n"
PROFILES = ("local", "publish")
"""The renderer profiles (render.Renderer.profile), each with its own file of Markdown bodies."""
KEY_FOLDER = "networking-journal"
KEY_NAME = "cache-key"
_KEY_BYTES = 32
_TAG_BYTES = 32


def key_path() -> Path:
    """Where this user's cache key lives: under $XDG_CACHE_HOME when it is an absolute path
    (the XDG rule), else ~/.cache. Raises RuntimeError when there is no home folder."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    folder = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return folder / KEY_FOLDER / KEY_NAME


def cache_key() -> bytes | None:
    """This user's key for the build cache's tags, made on first use; None when it can be
    neither read nor made (the build then runs without a cache). A new key is written to a
    file of its own (O_CREAT|O_EXCL, mode 0600) and linked into place, so two builds starting
    at once never see half a key: the one whose link loses reads the winner's."""
    try:
        path = key_path()
        try:
            found = path.read_bytes()
        except FileNotFoundError:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _make_key(path)
            found = path.read_bytes()
    except (OSError, RuntimeError):
        return None
    return found if len(found) == _KEY_BYTES else None


def _make_key(path: Path) -> None:
    fresh = path.with_name(f".{KEY_NAME}-{secrets.token_hex(8)}")
    handle = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(_KEY_BYTES))
        os.link(fresh, path)
    except FileExistsError:
        pass
    finally:
        fresh.unlink()


def tag(key: bytes, name: str, body: bytes) -> bytes:
    """The keyed hash a cache file named `name` carries before its body."""
    hasher = hashlib.blake2b(name.encode("utf-8") + b"\0", key=key, digest_size=_TAG_BYTES)
    hasher.update(body)  # not joined to the name: a body is tens of megabytes at 10,000 notes
    return hasher.digest()


@dataclasses.dataclass(frozen=True)
class LastBuild:
    """What the last successful build read (`inputs`) and left in `out`: for each file its
    size and modification time, so a build that changes nothing can prove the site is intact.
    `stamped` is the inputs told by the sources' stats instead of their text (build.stamped_inputs),
    b"" when a source was too fresh to be told that way: a preview started after the build
    adopts its site from stats alone."""

    inputs: bytes
    files: dict  # relative path -> (size, mtime_ns)
    stamped: bytes = b""


class ParseCache:
    """parse results by digest(path, text), around `parse` (pipeline.parse_entries): a load
    re-parses only files it has not seen; hand `parse_all` to load as its parse. Seeded from
    disk by `journal build` (BuildCache.parsed), kept in memory by the preview
    (incremental.py). Holds only the files of the last load, so renamed and deleted notes do
    not pile up. For a text it has seen, it hands back the very record object it gave last
    time: the preview's identity rules (incremental.py) start here."""

    def __init__(self, parse: Parse, known: dict | None = None, *, remember_keys: bool = False) -> None:
        self._parse = parse
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

    def parse_all(self, files: list[SourceFile], progress: Callable[[int, int], None] | None = None) -> list[tuple]:
        keys = [self.key(source) for source in files]
        missing = [(key, source) for key, source in zip(keys, files) if key not in self.results]
        parsed = self._parse([source for _, source in missing], progress)
        self.results.update(zip((key for key, _ in missing), parsed))
        self.results = {key: self.results[key] for key in keys}
        if self._keys is not None and len(self._keys) > len(keys):  # edited, renamed and deleted files do not pile up
            self._keys = {(source.path, source.text): key for source, key in zip(files, keys)}
        self.parsed = len(missing)
        return [self.results[key] for key in keys]


class Malformed(ValueError):
    """A cache file that is not what this version of journal writes."""


def _same(value):
    return value


def _date(value: str) -> date:
    return date.fromisoformat(value)


def _conversions(hint, records: dict[str, type]) -> dict:
    """{JSON type: how a value of that type becomes a value annotated `hint`}. Only the
    annotations parsed records use are known; any other is a mistake in the allowlist."""
    if hint in (str, int, bool, type(None)) or hint in records.values():  # records: built by the object hook
        return {hint: _same}
    if hint is date:
        return {str: _date}
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        merged: dict = {}
        for arg in args:
            part = _conversions(arg, records)
            if part.keys() & merged.keys():
                raise TypeError(f"the build cache cannot tell the parts of {hint!r} apart")
            merged.update(part)
        return merged
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        read_item = _reader(args[0], records)
        return {list: lambda value: tuple(map(read_item, value))}
    if origin is tuple:
        readers = [_reader(arg, records) for arg in args]

        def read_fixed(value: list) -> tuple:
            if len(value) != len(readers):
                raise Malformed(f"not {len(readers)} items")
            return tuple(read(item) for read, item in zip(readers, value))

        return {list: read_fixed}
    raise TypeError(f"the build cache cannot store a field annotated {hint!r}")


def _reader(hint, records: dict[str, type]):
    """value decoded from JSON -> the value annotated `hint`, or Malformed."""
    conversions = _conversions(hint, records)

    def read(value):
        convert = conversions.get(type(value))
        if convert is None:
            raise Malformed(f"{type(value).__name__} where {hint!r} belongs")
        return convert(value)

    return read


class RecordCodec:
    """JSON for frozen dataclasses of an allowlist (the records parse_entry returns) and dates
    in them. decode(data) rebuilds those types and nothing else, or raises Malformed;
    read_result(value) turns a decoded value into one annotated `result`, or raises Malformed."""

    def __init__(self, records: tuple[type, ...], result):
        self._types = {cls.__name__: cls for cls in records}
        if len(self._types) != len(records):
            raise TypeError("record types need distinct names")
        self._fields = {
            name: tuple(field.name for field in dataclasses.fields(cls)) for name, cls in self._types.items()
        }
        self._makers = {name: self._maker(cls) for name, cls in self._types.items()}
        self.read_result = _reader(result, self._types)

    def _maker(self, cls: type):
        hints = typing.get_type_hints(cls)
        readers = [_reader(hints[field.name], self._types) for field in dataclasses.fields(cls)]

        def make(values):
            if type(values) is not list or len(values) != len(readers):
                raise Malformed(f"{cls.__name__} without its {len(readers)} fields")
            return cls(*[read(value) for read, value in zip(readers, values)])

        return make

    def _encode(self, value):
        if type(value) is date:
            return value.isoformat()
        name = type(value).__name__
        if self._types.get(name) is not type(value):
            raise TypeError(f"the build cache cannot store {type(value).__name__}")
        return {name: [getattr(value, field) for field in self._fields[name]]}

    def _decode(self, found: dict):
        if len(found) != 1:
            raise Malformed("an object that is not one record")
        ((name, values),) = found.items()
        maker = self._makers.get(name)
        if maker is None:
            raise Malformed(f"unknown record type {name!r}")
        return maker(values)

    def encode(self, value) -> bytes:
        return json.dumps(value, default=self._encode, check_circular=False, separators=(",", ":")).encode("ascii")

    def decode(self, data: bytes):
        return json.loads(data, object_hook=self._decode)


def _pairs(value, width: int) -> list:
    """`value` when it is a list of lists of `width` items, else Malformed."""
    if type(value) is not list or not all(type(item) is list and len(item) == width for item in value):
        raise Malformed("not a list of entries")
    return value


def _key(text) -> bytes:
    if type(text) is not str or len(text) != 32:
        raise Malformed("not a key")
    return bytes.fromhex(text)


class BuildCache:
    """What earlier builds left in .journal-cache/: `last_build` (small, read at once), and
    `parsed` files (for a ParseCache) and each profile's `markdown(profile)` (lent to the render
    stage by speed/lent.py), big, read only when a build needs them. Each save keeps only what the new
    build used, so renamed and deleted notes do not pile up, and writes nothing when that is
    what the file holds already. `records` is the allowlist of types a parsed file's result
    is made of, `result` the annotation each result must fit, problems as a tuple; `key` the
    user's cache key (cache_key()), without which nothing is read or written."""

    def __init__(self, root: Path, salt: str, records: tuple[type, ...], result, key: bytes | None):
        self.folder = root / CACHE_DIR
        self.salt = salt
        self._key = key
        self._codec = RecordCodec(records, result)
        self.last_build: LastBuild | None = self._read(_LAST_BUILD, _last_build)
        self._parsed: dict | None = None
        self._markdown: dict[str, dict[bytes, str]] = {}

    def _read(self, name: str, rebuild):
        """rebuild(fields after the salt) from the named file, or None when it is missing,
        untagged or tagged under another key, from another version or malformed in any way."""
        if self._key is None:
            return None
        try:
            data = (self.folder / name).read_bytes()
            body = data[_TAG_BYTES:]
            if not hmac.compare_digest(data[:_TAG_BYTES], tag(self._key, name, body)):
                return None
            stored = self._codec.decode(body)
            if type(stored) is not list or stored[:2] != [_FORMAT, self.salt]:
                return None
            return rebuild(*stored[2:])
        except (OSError, ValueError, TypeError, RecursionError):  # Malformed is a ValueError
            return None

    @property
    def parsed(self) -> dict:
        if self._parsed is None:
            self._parsed = self._read(_RESULTS, self._rebuild_parsed) or {}
        return self._parsed

    def markdown(self, profile: str) -> dict[bytes, str]:
        if profile not in self._markdown:
            self._markdown[profile] = self._read(_markdown_file(profile), _rebuild_markdown) or {}
        return self._markdown[profile]

    def holds_markdown(self, profile: str) -> bool:
        """Whether the profile's Markdown file is there, without reading it (so whether it is
        this version's, and under this user's key, is not known)."""
        return self._key is not None and (self.folder / _markdown_file(profile)).is_file()

    def _rebuild_parsed(self, results) -> dict:
        parsed = {}
        for key, record, problems in _pairs(results, 3):
            record, problems = self._codec.read_result([record, problems])
            parsed[_key(key)] = (record, list(problems))
        return parsed

    def save_parsed(self, parsed: dict) -> None:
        """Keep these parse results (ParseCache.results). A cache that cannot be written is
        only a slower next build."""
        if self._parsed is not None and self._parsed.keys() == parsed.keys():  # content keys: the same results
            return
        self._save(_RESULTS, [[key.hex(), record, problems] for key, (record, problems) in parsed.items()])
        self._parsed = parsed

    def save_markdown(self, profile: str, markdown: dict[bytes, str]) -> None:
        """Keep these Markdown bodies of `profile` (the bodies a build's LentMarkdown saw used); the other
        profile's are left as they are."""
        if profile in self._markdown and self._markdown[profile].keys() == markdown.keys():
            return
        self._save(_markdown_file(profile), [[key.hex(), html] for key, html in markdown.items()])
        self._markdown[profile] = markdown

    def save_last_build(self, last_build: LastBuild) -> None:
        """Record the local build that just wrote its site: saved after its results, so a
        record never names results that were not kept."""
        self._save(
            _LAST_BUILD,
            last_build.inputs.hex(),
            [[path, size, mtime] for path, (size, mtime) in last_build.files.items()],
            last_build.stamped.hex(),
        )

    def _save(self, name: str, *fields: object) -> None:
        """Write the file atomically, tagged; nothing without a key or a writable folder."""
        if self._key is None:
            return
        body = self._codec.encode([_FORMAT, self.salt, *fields])
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():  # git leaves the folder out, whether or not the journal's .gitignore names it
                ignore.write_text(_IGNORE_ALL)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(tag(self._key, name, body))
                file.write(body)
            os.replace(temporary, self.folder / name)
        except OSError:  # a full disk, say: no half-written file is left behind
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _markdown_file(profile: str) -> str:
    if profile not in PROFILES:
        raise ValueError(f"no Markdown profile {profile!r}")
    return f"markdown-{profile}.json"


def _rebuild_markdown(rendered) -> dict[bytes, str]:
    markdown = {}
    for key, html in _pairs(rendered, 2):
        if type(html) is not str:
            raise Malformed("rendered Markdown")
        markdown[_key(key)] = html
    return markdown


def _last_build(inputs, files, stamped) -> LastBuild:
    if type(inputs) is not str or type(stamped) is not str:
        raise Malformed("inputs")
    recorded = {}
    for path, size, mtime in _pairs(files, 3):
        if type(path) is not str or type(size) is not int or type(mtime) is not int:
            raise Malformed("a site file")
        recorded[path] = (size, mtime)
    return LastBuild(bytes.fromhex(inputs), recorded, bytes.fromhex(stamped))


def snapshot(out: Path, paths) -> dict:
    """(size, mtime_ns) of each file of the site, for LastBuild."""
    found = {}
    for path in paths:
        stat = (out / path).stat()
        found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def site_unchanged(out: Path, files: dict) -> bool:
    """True when `out` holds exactly these files with the recorded sizes and times (and
    the marker that says journal made it, which no build lists)."""
    count = 0
    base = str(out)
    if not os.path.isfile(os.path.join(base, SITE_MARKER)):
        return False
    for folder, _, names in os.walk(base):
        inside = folder[len(base) :].strip(os.sep).replace(os.sep, "/")  # os.path.relpath cost 14 µs a file
        prefix = inside + "/" if inside else ""
        for name in names:
            if not prefix and name == SITE_MARKER:
                continue
            full = os.path.join(folder, name)
            recorded = files.get(prefix + name)
            try:
                stat = os.stat(full)
            except OSError:
                return False
            if recorded != (stat.st_size, stat.st_mtime_ns):
                return False
            count += 1
    return count == len(files)
