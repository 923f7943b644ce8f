"""Work spread over the cores comes back complete and in input order."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from journal.speed import parallel


def square_or_error(number: int):
    return ValueError(number) if number == 77 else number * number


def test_results_keep_their_order_and_errors_come_back_as_values():
    items = list(range(3 * parallel.MIN_ITEMS))
    seen = []
    results = parallel.ordered_map(square_or_error, items, lambda done, total: seen.append((done, total)))
    assert [r for r in results if not isinstance(r, ValueError)] == [n * n for n in items if n != 77]
    assert isinstance(results[77], ValueError) and results[77].args == (77,)
    assert seen[-1] == (len(items), len(items))


def test_a_small_job_runs_in_this_process():
    assert parallel.ordered_map(lambda n: n + 1, [1, 2, 3]) == [2, 3, 4]


def test_background_work_runs_beside_this_process_and_its_failure_is_not_lost(tmp_path):
    marker = tmp_path / "pid"
    wait = parallel.in_background(lambda: marker.write_text(str(os.getpid())))
    wait()
    here = str(os.getpid())
    assert marker.read_text() == here if parallel.workers() < 2 else marker.read_text() != here  # forked where it can

    def broken() -> None:
        raise ValueError("cannot write the cache")

    if parallel.workers() < 2:
        with pytest.raises(ValueError):
            parallel.in_background(broken)
    else:
        with pytest.raises(ChildProcessError):
            parallel.in_background(broken)()


WORKER_DIES = """
import os, time
from journal.speed import parallel
parent = os.getpid()
def square_unless_a_worker(number):
    if os.getpid() != parent:
        os._exit(3)  # a worker killed mid-chunk, as the kernel's OOM killer would
    return number * number
def fails_in_a_worker(number):
    if os.getpid() != parent:
        raise ValueError(f"a bug at {number}")
    return number
for function in (square_unless_a_worker, fails_in_a_worker):
    try:
        parallel.ordered_map(function, list(range(2 * parallel.MIN_ITEMS)), meanwhile=lambda: time.sleep(0.5))
    except (ChildProcessError, ValueError) as error:
        print(f"{type(error).__name__}: {error}")
    else:
        print("no error")
print("children left:", len(os.popen(f"ps --ppid {parent} -o pid=").read().split()) - 1)
"""


def test_a_worker_that_dies_or_raises_mid_job_is_an_error_not_a_hang_or_a_hole(tmp_path):
    """Its chunk is lost with it, so the job must fail, loudly. In a fresh interpreter: this
    one may run threads (the browser tests'), and then nothing forks."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: nothing forks")
    ran = subprocess.run([sys.executable, "-c", WORKER_DIES], capture_output=True, text=True, timeout=60)
    lines = ran.stdout.splitlines()
    assert lines[0] == "ChildProcessError: a worker ended with status 3 before its share was done", ran.stderr
    assert lines[1].startswith("ValueError: a bug at ")  # journal's own bug, raised where the job was asked for
    assert lines[2] == "children left: 0"  # the ps that counted


def _full_collections_while(grow) -> int:
    """How many full collections Python starts while grow() runs."""
    started = []

    def note(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            started.append(1)

    gc.callbacks.append(note)
    try:
        grow()
    finally:
        gc.callbacks.remove(note)
    return len(started)


def test_a_whole_build_makes_no_full_collection_and_leaves_the_collector_as_it_was():
    """A heap growing as a journal loads (by a quarter, again and again) makes Python scan
    all of it several times; inside no_full_collections it does not, the young collections
    still run, and the thresholds come back even when the build fails."""
    held: list = []

    def grow() -> None:
        held.extend([[] for _ in range(10)] for _ in range(200_000))

    assert _full_collections_while(grow) > 0  # what the build would otherwise pay
    held.clear()
    before, young = gc.get_threshold(), []
    gc.callbacks.append(lambda phase, info: young.append(info["generation"]) if phase == "start" else None)
    try:
        with pytest.raises(RuntimeError), parallel.no_full_collections():
            assert _full_collections_while(grow) == 0
            raise RuntimeError("the build failed")
    finally:
        gc.callbacks.pop()
    assert gc.get_threshold() == before
    assert 0 in young


INTERRUPTED_FORK = """
import os, signal
from journal.speed import parallel
done = []

def handler():  # a fork handler of another module (as logging's), interrupted half-way by Ctrl-C
    signal.raise_signal(signal.SIGINT)
    done.append(True)

os.register_at_fork(after_in_parent=handler)
try:
    parallel.fork(lambda: None)
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted after the fork", done, signal.getsignal(signal.SIGINT) is signal.default_int_handler)
"""


def test_ctrl_c_during_a_fork_waits_until_the_fork_is_done():
    """Python runs a signal's handler inside other modules' fork handlers; a KeyboardInterrupt
    there left logging's lock held and the preview hung on Ctrl-C. The interrupt now waits
    for the fork (every fork handler runs to its end) and then stops the caller as ever.
    In a fresh interpreter: this one may run threads (the browser tests'), and then nothing forks."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: nothing forks")
    ran = subprocess.run([sys.executable, "-c", INTERRUPTED_FORK], capture_output=True, text=True, timeout=60)
    assert ran.stdout.strip() == "interrupted after the fork [True] True", ran.stderr
