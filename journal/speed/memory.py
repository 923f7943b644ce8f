"""The preview's memory policy: when Python's collector runs during a rebuild, and when the
memory a build freed goes back to the system. serve.py calls these around its rebuilds;
no stage knows of them.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
from collections.abc import Callable, Iterator

from . import parallel


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None on a C library without it (macOS, musl, Windows)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):  # TypeError: Windows loads no library by None
        return None


TRIM_AFTER_PAGES = 500
"""A rebuild that rendered this many pages gives its freed memory back at once
(give_back_free_memory). One that rendered fewer (a save, most often) leaves it for when
the preview is idle (IDLE_SECONDS without a rebuild), as every rebuild leaves the full
collection a whole build held back: the trim walks the whole heap, a tenth of a save's time
at 10,000 notes, and the next save of a burst reuses that memory."""


def give_back_free_memory() -> None:
    """Return the memory a build freed to the system. A build's pages (100 MB at 10,000
    notes) are freed once written, but glibc keeps freed memory inside its heap, between
    the objects that live on, and a preview stays open all day: without this it holds that
    memory until it exits. Walks the whole heap: 5 to 50 ms at 10,000 notes."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def collector_for(whole: bool) -> Iterator[None]:
    """The collector while a rebuild runs. A save's rebuild allocates a whole new journal:
    full collections would scan it for nothing, so none runs. A build that renders every
    page (the first, or the one learning the journal) keeps the young collections: each page
    leaves a hundred objects in reference cycles (Jinja's macros imported `with context`),
    and 13,000 pages' worth left for the end grew the heap for good by 70 MB. Its full
    collections (parallel.hold_full_collections) are held until the preview is idle
    (collect_held_garbage): Python would make one at the first request after the build,
    and it takes 0.3 s at 10,000 notes."""
    if whole:
        parallel.hold_full_collections()
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextlib.contextmanager
def no_collections() -> Iterator[None]:
    """No collection at all while the block runs (the collector as it was after): for
    loading a journal, whose parsed records and model hold no reference cycles to find, so
    each young collection during the load scanned the newest of 10,000 notes' objects for
    nothing: a tenth of a second before the preview's first page at 10,000 notes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_held_garbage() -> bool:
    """The full collection a whole build held back, made now, and Python's thresholds back;
    False when none was held."""
    if not parallel.release_full_collections():
        return False
    gc.collect()
    return True
