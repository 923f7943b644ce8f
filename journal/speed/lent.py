"""The Markdown a build borrows from its cache and gives back: the build's and the publish
profile's `remember` for the render stage (pipeline.render_site), which knows of no cache."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from ..keys import MARKDOWN
from .parallel import ordered_map


class LentMarkdown:
    """The `remember` a build hands the render stage: bodies' HTML rendered before, lent by
    the cache (and by the prefetch, speed/prefetch.py), and a record of every body the site
    used (`used`), for the cache to keep. Other keys are made, not kept.

    What it lends is asked of `lend()` only when `ready()` is called, and a build calls it
    through `map` (the render stage's map, called once the pages are planned and before
    they are spread over the cores): a prefetch converts bodies until then, and each forked
    worker inherits the table instead of asking for it. Pages rendered in workers record
    nothing here; the render stage asks again, in this process, for every body it used."""

    def __init__(self, lend: Callable[[], Mapping[bytes, str]]) -> None:
        self._lend = lend
        self._known: Mapping[bytes, str] | None = None
        self.used: dict[bytes, str] = {}

    def ready(self) -> None:
        if self._known is None:
            self._known = self._lend()

    def remember(self, key: Hashable, make: Callable[[], Any]) -> Any:
        if not (isinstance(key, tuple) and key[0] == MARKDOWN):
            return make()
        html = self._known.get(key[1]) if self._known is not None else None
        if html is None:
            html = make()
        self.used[key[1]] = html
        return html

    def map(self, function: Callable, items: Sequence, progress: Callable[[int, int], None] | None = None) -> list:
        """parallel.ordered_map, once what is lent is ready."""
        self.ready()
        return ordered_map(function, items, progress)
