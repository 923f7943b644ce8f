"""Content keys and the `remember` hook: how a stage lets its caller reuse work.

Pure and standard library only, so that any stage may key what it hands a caller's memory
(a body's Markdown by its text and links, a document's search words by its text) without
knowing a cache exists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from typing import Any


def digest(*parts: str | bytes) -> bytes:
    """A short hash of the parts, unambiguous in how they were split."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.digest()


Remember = Callable[[Hashable, Callable[[], Any]], Any]
"""remember(key, make) -> make()'s value, or the one a caller's memory kept for `key`. A
stage that works out values per document (search words, calendar components) takes one from
its caller, so a preview reuses them across saves while the stage knows of no cache. `key`
holds every input make() reads, so a kept value is never stale."""


MARKDOWN = "markdown"
"""The tag of a body's HTML in a remember key: remember((MARKDOWN, render.markdown_key(...)),
make). A caller's memory that keeps Markdown (the build cache) knows it by this tag."""


class Same(tuple):
    """A key part that matches only the very same objects, compared by identity: for values
    worked out from a journal's frozen objects (a contact's brief from that contact and its
    meetings), whose deep comparison would cost more than the work it saves. It holds the
    objects (`items`), so their ids stay theirs while the key lives. An equal but different
    object (a note parsed again) misses, and the value is worked out anew: never stale.

    A tuple of the ids, so that hashing and comparing run in C: a preview's save asks its
    memory tens of thousands of times. (Two objects alive at once never share an id, and
    both keys hold their objects.)"""

    items: tuple

    def __new__(cls, items: Iterable[object]) -> Same:
        held = tuple(items)
        same = super().__new__(cls, map(id, held))
        same.items = held
        return same


def just_make(key: Hashable, make: Callable[[], Any]) -> Any:
    """The remember of a caller with no memory: make() every time."""
    return make()
