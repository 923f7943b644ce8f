"""Spread a big, pure, per-item job over the cores: parsing files, rendering pages.

Imports only the standard library. Workers are forked, so they share the parent's journal and
templates without pickling them, and only results travel back; the parent works too. Results come back in input
order, so the output does not depend on which core finished first. Small jobs, single-core
machines and processes that run other threads (forking those is unsafe) stay serial.

How a big job is shared: the items are cut into chunks, and every process, this one and
its forked workers, takes the next chunk's number from a pipe that holds all of them and
that nobody writes any more (a read of its four bytes is one chunk; an empty pipe is the
end). So no core waits while another has chunks queued, and nothing here hands work out.
Each worker appends its chunks' results, pickled, to a temporary file of its own, read here
once the workers have ended: results never wait on a pipe for this process, which is busy
rendering its own share, to take them.

Workers die with the build: a killed build's forked workers would otherwise work on for
nobody. On Linux the kernel kills each worker when its parent ends (prctl PR_SET_PDEATHSIG,
through ctypes); elsewhere a thread in each worker watches for the parent to change.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import struct
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import IO

MIN_ITEMS = 400  # below this, starting workers costs more than it saves
CHUNKS_PER_WORKER = 32
"""Small chunks keep the cores busy to the end: the last process to finish ends at most a
chunk after the others."""
SMALLEST_CHUNK = 16  # items: below this, a chunk's bookkeeping costs more than it balances
_NUMBER = struct.Struct("<I")  # a chunk's number in the pipe: four bytes, read whole
_RAISED = -1  # in a worker's output: what its function raised, in place of a chunk's results

Progress = Callable[[int, int], None]
_job: tuple[Callable, Sequence] | None = None  # what the forked workers inherit
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_fork_guard = threading.Lock()  # held by each fork, and by other threads' work a fork must not split
_beside_threads = 0  # blocks of forking_beside_threads running
_INTERRUPTS = (signal.SIGINT, signal.SIGTERM)


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


@contextmanager
def forking_beside_threads() -> Iterator[None]:
    """While the block runs, this process forks its workers although other threads run: the
    caller vouches that they only wait, read and write sockets and files, or work inside
    no_fork(). Forking is unsafe beside a thread in the middle of Python work because a lock
    it holds (an import's, a template cache's) stays held forever in the child; waiting on a
    condition or a socket holds none the child needs. For the preview's first build, which
    serves pages while it renders the rest (ondemand.py)."""
    global _beside_threads
    _beside_threads += 1
    try:
        yield
    finally:
        _beside_threads -= 1


@contextmanager
def no_fork() -> Iterator[None]:
    """No worker is forked while the block runs (a fork waits for it to end)."""
    with _fork_guard:
        yield


def workers() -> int:
    """How many processes, this one included, share a big job here; 1 means this one alone."""
    if (threading.active_count() > 1 and not _beside_threads) or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fork(work: Callable[[], object]) -> int:
    """Run work() in a forked process that dies with this one, and return its pid; 0 where
    forking is unsafe or pointless here (another thread runs, one core) and nothing started.
    The process exits with status 0 when work() returns, 1 when it raises."""
    if workers() < 2:
        return 0
    gc.freeze()  # the process's collector then leaves the inherited objects' pages unwritten
    try:
        return _forked(work)
    finally:
        gc.unfreeze()


def _forked(work: Callable[[], object]) -> int:
    """fork() once it is known to be safe, the collector as the caller left it."""
    parent = os.getpid()
    with _fork_guard, warnings.catch_warnings(), _interrupts_held() as interrupts:
        # Python 3.12+ warns of forking beside threads; here they vouched (forking_beside_threads).
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
        if pid == 0:
            interrupts.clear()  # the parent's to act on, not the worker's
    if pid == 0:
        status = 1
        try:
            die_with(parent)
            work()
            status = 0
        finally:
            os._exit(status)  # never the parent's cleanup, whatever work() did
    return pid


@contextmanager
def _interrupts_held() -> Iterator[list[int]]:
    """Ctrl-C and `kill` (SIGINT, SIGTERM) wait until the block ends, then act as they would
    have; the list the block gets holds those that came meanwhile. Python runs a signal's
    handler between any two bytecodes, also inside the fork handlers other modules register,
    and a KeyboardInterrupt there leaves that module's lock held for good (logging's: the
    preview, forking beside its watcher's threads, then hung on Ctrl-C at a first build's
    fork). Only the main thread can set handlers, and only a handler Python set can be put
    back: elsewhere, or beside a handler set in C (a program embedding journal), nothing is held."""
    came: list[int] = []
    if threading.current_thread() is not threading.main_thread() or None in map(signal.getsignal, _INTERRUPTS):
        yield came
        return
    handlers = {number: signal.signal(number, lambda number, frame: came.append(number)) for number in _INTERRUPTS}
    try:
        yield came
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for sent in came:
            signal.raise_signal(sent)


FULL_COLLECTIONS_OFF = 1_000_000
"""gc's third threshold while full collections are held: young collections before a full one
is considered."""
_held_from: int | None = None  # the third threshold hold_full_collections replaced


def hold_full_collections() -> None:
    """The collector runs its young generations as ever, but no full collection until
    release_full_collections(): for a build that loads a whole journal and renders a whole
    site. Loading 10,000 notes grows the heap by a quarter six or seven times, and each time
    Python scanned all of it: 0.5 s of a cold build and 0.9 s of the preview's first, in the
    process the others wait for. What pages leave in reference cycles (Jinja's macros
    imported `with context`) dies young, so the peak memory stayed the same. Forked workers
    inherit this."""
    global _held_from
    young, middle, old = gc.get_threshold()
    if _held_from is None:
        _held_from = old
    gc.set_threshold(young, middle, FULL_COLLECTIONS_OFF)


def release_full_collections() -> bool:
    """Python's own threshold back, as it was before hold_full_collections; False when
    full collections were not held."""
    global _held_from
    if _held_from is None:
        return False
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, _held_from)
    _held_from = None
    return True


@contextmanager
def no_full_collections() -> Iterator[None]:
    """hold_full_collections while the block runs (unless they were held already: the
    holder releases them)."""
    held_already = _held_from is not None
    hold_full_collections()
    try:
        yield
    finally:
        if not held_already:
            release_full_collections()


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
    must not raise: return errors as values. progress(done, total) is called as items finish
    (in a big job, as far as the chunks this process finished reach: those before them were
    taken earlier, by it or a worker).
    meanwhile(), if given, runs once in this process while the workers start on the items:
    work whose results must stay here (a preview's memory), done in the time it would
    otherwise spend on a share of the items."""
    global _job
    count = workers()
    if count < 2 or len(items) < MIN_ITEMS:
        return _here(function, items, progress, meanwhile)
    size = max(SMALLEST_CHUNK, -(-len(items) // (count * CHUNKS_PER_WORKER)))
    bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    numbers, unread = os.pipe()
    os.write(unread, b"".join(_NUMBER.pack(number) for number in range(len(bounds))))  # a few hundred bytes
    os.close(unread)  # so an empty pipe reads as the end, in every process
    outputs = [tempfile.TemporaryFile() for _ in range(count - 1)]
    _job = (function, items)
    gc.freeze()  # workers then never write to the inherited objects' pages, so those stay shared
    pids: list[int] = []
    try:
        pids = [_forked(partial(_take_chunks, numbers, bounds, output)) for output in outputs]
        if meanwhile is not None:
            meanwhile()
        chunks = _take_chunks(numbers, bounds, None, progress)
        statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        pids = []
        for output in outputs:
            chunks.update(_read_chunks(output))  # raises what a worker's function raised
        for status in statuses:
            if status != 0:
                raise ChildProcessError(f"a worker ended with status {status} before its share was done")
    finally:
        for pid in pids:  # this process failed: its workers' results are wanted no more
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        _job = None
        gc.unfreeze()
        os.close(numbers)
        for output in outputs:
            output.close()
    if progress:
        progress(len(items), len(items))
    return [result for number in range(len(bounds)) for result in chunks[number]]


def _here(function: Callable, items: Sequence, progress: Progress | None, meanwhile: Callable[[], None] | None) -> list:
    """ordered_map in this process alone: one core, or too few items to pay for workers."""
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


def _take_chunks(
    numbers: int, bounds: list[tuple[int, int]], output: IO[bytes] | None, progress: Progress | None = None
) -> dict[int, list]:
    """Run the job's chunks whose numbers this process reads from the pipe until it is
    empty: {number: results}, or, in a worker, each appended to `output` as it is done."""
    assert _job is not None, "a worker runs only the job it was forked for"
    function, items = _job
    done: dict[int, list] = {}
    while len(number := os.read(numbers, _NUMBER.size)) == _NUMBER.size:
        index = _NUMBER.unpack(number)[0]
        start, stop = bounds[index]
        try:
            results = [function(item) for item in items[start:stop]]
        except Exception as error:  # journal's own bug: shown where the job was asked for
            if output is None:
                raise
            results, index = [_picklable(error)], _RAISED
        if output is None:
            done[index] = results
            if progress:  # the chunks before this one were taken earlier: done, or nearly
                progress(stop, len(items))
        else:
            pickle.dump((index, results), output, pickle.HIGHEST_PROTOCOL)
            if index == _RAISED:
                break
    if output is not None:
        output.flush()
    return done


def _picklable(error: Exception) -> Exception:
    try:
        return pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"in a worker: {error!r}")


def _read_chunks(output: IO[bytes]) -> dict[int, list]:
    output.seek(0)
    found: dict[int, list] = {}
    while True:
        try:
            index, results = pickle.load(output)
        except EOFError:
            return found
        if index == _RAISED:
            raise results[0]
        found[index] = results
