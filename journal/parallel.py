"""Spread a big, pure, per-item job over the cores: parsing files, rendering pages.

Imports only the standard library. Workers are forked, so they share the parent's journal and
templates without pickling them, and only results travel back; the parent works too. Results come back in input
order, so the output does not depend on which core finished first. Small jobs, single-core
machines and processes that run other threads (forking those is unsafe) stay serial.

Workers die with the build: a killed build's forked workers would otherwise wait forever on
a queue whose other end they hold themselves. On Linux the kernel kills each worker when its
parent ends (prctl PR_SET_PDEATHSIG, through ctypes); elsewhere a thread in each worker
watches for the parent to change.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

MIN_ITEMS = 400  # below this, starting workers costs more than it saves
CHUNKS_PER_WORKER = 64
"""Small chunks keep the cores busy to the end: the pool hands a worker its next chunks
before it asks, and this process, which takes chunks from the end, cannot take those back,
so it waits out up to two chunks at the end. With 8 a worker, 2.3 s of a 10,000-note
render's 11 s went that way, one core idle; with 64, about 0.3 s."""
SMALLEST_CHUNK = 16  # items: below this, a chunk's round trip costs more than it balances

Progress = Callable[[int, int], None]
_job: tuple[Callable, Sequence] | None = None  # what the forked workers inherit
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with(parent: int) -> None:
    """A worker's first step: end when `parent` ends, however it ends."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent ended before the kernel was told
            os._exit(1)
    else:
        threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run_chunk(start: int, stop: int) -> list:
    assert _job is not None, "a worker runs only the job it was forked for"
    function, items = _job
    return [function(item) for item in items[start:stop]]


def workers() -> int:
    """How many processes, this one included, share a big job here; 1 means this one alone."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fork(work: Callable[[], object]) -> int:
    """Run work() in a forked process that dies with this one, and return its pid; 0 where
    forking is unsafe or pointless here (another thread runs, one core) and nothing started.
    The process exits with status 0 when work() returns, 1 when it raises."""
    if workers() < 2:
        return 0
    parent = os.getpid()
    gc.freeze()  # the process's collector then leaves the inherited objects' pages unwritten
    try:
        pid = os.fork()
    finally:
        if os.getpid() == parent:
            gc.unfreeze()
    if pid == 0:
        status = 1
        try:
            die_with(parent)
            work()
            status = 0
        finally:
            os._exit(status)  # never the parent's cleanup, whatever work() did
    return pid


def in_background(work: Callable[[], object]) -> Callable[[], None]:
    """Start work(), whose only results are files it writes, beside this process, and return
    wait(): it returns when work() has, and raises ChildProcessError if work() raised. Where
    fork() starts nothing, work() runs now."""
    pid = fork(work)
    if not pid:
        work()
        return lambda: None

    def wait() -> None:
        if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:
            raise ChildProcessError(f"the background work {work!r} failed")

    return wait


def ordered_map(
    function: Callable, items: Sequence, progress: Progress | None = None, meanwhile: Callable[[], None] | None = None
) -> list:
    """[function(item) for item in items], across the cores when that pays off. `function`
    must not raise: return errors as values. progress(done, total) is called as items finish.
    meanwhile(), if given, runs once in this process while the workers start on the items:
    work whose results must stay here (a preview's memory), done in the time it would
    otherwise spend on a share of the items."""
    global _job
    count = workers()
    if count < 2 or len(items) < MIN_ITEMS:
        if meanwhile is not None:
            meanwhile()
        results = []
        for index, item in enumerate(items, 1):
            results.append(function(item))
            if progress and index % 100 == 0:
                progress(index, len(items))
        if progress:
            progress(len(items), len(items))
        return results
    size = max(SMALLEST_CHUNK, -(-len(items) // (count * CHUNKS_PER_WORKER)))
    bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _job = (function, items)
    gc.freeze()  # workers then never write to the inherited objects' pages, so those stay shared
    try:
        with ProcessPoolExecutor(
            count - 1, mp_context=multiprocessing.get_context("fork"), initializer=die_with, initargs=(os.getpid(),)
        ) as pool:
            futures = {pool.submit(_run_chunk, start, stop): start for start, stop in bounds}
            chunks: dict[int, list] = {}
            if meanwhile is not None:
                meanwhile()
            # This process is a worker too (one process fewer to hold a copy of what it needs):
            # it takes chunks from the end while they are still waiting for a worker.
            for future, start in reversed(list(futures.items())):
                if future.cancel():
                    chunks[start] = _run_chunk(start, min(start + size, len(items)))
                    if progress:
                        progress(sum(len(chunk) for chunk in chunks.values()), len(items))
            for future in as_completed([future for future in futures if not future.cancelled()]):
                chunks[futures[future]] = future.result()
                if progress:
                    progress(sum(len(chunk) for chunk in chunks.values()), len(items))
    finally:
        _job = None
        gc.unfreeze()
    return [result for start, _ in bounds for result in chunks[start]]
