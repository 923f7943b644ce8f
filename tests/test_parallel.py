"""Work spread over the cores comes back complete and in input order."""

from __future__ import annotations

import os

import pytest

from journal import parallel


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
