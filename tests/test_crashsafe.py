"""A killed build leaves a whole site: the old one or the new one, never none and never half,
and its leftovers go with the next build; its worker processes die with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import site_files

from journal.speed import parallel
from journal.write import write_site

PAGES = 400  # enough that staging the site and removing the old one each take a while

WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from test_crashsafe import site_version
from journal.write import write_site
write_site(Path(sys.argv[1]), site_version(sys.argv[2]))
"""


def site_version(version: str) -> dict[str, bytes]:
    """A site where half the pages change between versions and one page exists only in each."""
    files = {
        f"pages/{index // 100}/{index}.html": f"{version if index % 2 else 'same'} {index}".encode()
        for index in range(PAGES)
    }
    files[f"only-{version}.html"] = version.encode()
    return files


def start_writer(out: Path, version: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(out), version, str(Path(__file__).parent)])


def wait_for_staging(out: Path, writer: subprocess.Popen) -> float:
    """The moment the writer's staging folder appeared beside `out`."""
    staging = out.parent / f".{out.name}.staging-{writer.pid}"
    while not staging.exists():
        assert writer.poll() is None, "the writer ended before it staged anything"
        time.sleep(0.0005)
    return time.monotonic()


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site(tmp_path):
    out = tmp_path / "site"
    old, new = site_version("old"), site_version("new")
    write_site(out, old)
    writer = start_writer(out, "new")
    started = wait_for_staging(out, writer)
    assert writer.wait(timeout=60) == 0
    duration = time.monotonic() - started  # staging, swap and removal of the old tree
    assert site_files(out) == new and os.listdir(tmp_path) == ["site"]
    write_site(out, old)

    seen = set()

    def kill_and_look(writer: subprocess.Popen, when: str) -> None:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        site = site_files(out)
        assert site in (old, new), f"killed {when}: site/ is neither the old nor the new site ({len(site)} files)"
        leftovers = sorted(set(os.listdir(tmp_path)) - {"site"})
        seen.add(("old" if site == old else "new") + (", with leftovers" if leftovers else ""))
        assert all(name.startswith((".site.staging-", ".site.old-")) for name in leftovers), leftovers
        write_site(out, old)  # the next build, which also sets the scene for the next kill
        assert site_files(out) == old
        assert os.listdir(tmp_path) == ["site"], "the next build left a killed build's folders behind"

    for moment in range(12):  # spread over the whole write: whatever the moment, old or new
        writer = start_writer(out, "new")
        started = wait_for_staging(out, writer)
        time.sleep(max(0.0, started + duration * moment / 10 - time.monotonic()))
        kill_and_look(writer, f"at {moment}/10 of a write")
    # The two moments that matter most, reached by what the writer has done rather than by
    # timing (which a busy machine stretches): while it stages, and once it has swapped the
    # new site in but not yet removed the old one.
    writer = start_writer(out, "new")
    wait_for_staging(out, writer)
    kill_and_look(writer, "while staging")
    for _ in range(20):
        writer = start_writer(out, "new")
        swapped = out / "only-new.html"  # the new site is in place; the old one is being removed
        while not swapped.exists() and writer.poll() is None:
            time.sleep(0.0002)
        kill_and_look(writer, "after the swap")
        if "new, with leftovers" in seen:
            break
    assert {"old, with leftovers", "new, with leftovers"} <= seen, seen


def test_only_a_killed_build_of_this_site_counts_as_leftover(tmp_path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = int(finished.stdout)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / f".site.staging-{gone}/pages").mkdir(parents=True)
        (tmp_path / f".site.old-{gone}").mkdir()
        kept = [
            f".site.staging-{running.pid}",
            ".site.old-backup",
            ".site.old-12x",
            f".blog.old-{gone}",
            f".site.old-{gone}-mine",
            "site.old-1",
        ]
        for name in kept:
            (tmp_path / name).mkdir()
        (tmp_path / ".site.staging-999999998").write_text("a file, not a folder")
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "elsewhere/keep.txt").write_text("mine")
        os.symlink(tmp_path / "elsewhere", tmp_path / ".site.old-999999997")
        write_site(tmp_path / "site", {"index.html": b"hello"})
        assert sorted(os.listdir(tmp_path)) == sorted(
            kept + ["site", "elsewhere", ".site.staging-999999998", ".site.old-999999997"]
        )
        assert (tmp_path / "elsewhere/keep.txt").read_text() == "mine"
    finally:
        running.kill()
        running.wait()


def children(pid: int) -> set[int]:
    """The live processes whose parent is `pid`, from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except (OSError, ValueError):
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if entry.isdigit() and int(parent) == pid and state != "Z":
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: builds start no workers")
def test_the_workers_of_a_killed_build_die_with_it(make_journal, tmp_path):
    notes = {
        f"entries/2026/2026-01-{index % 28 + 1:02d}-note-{index}.md": f"""
        ---
        date: 2026-01-{index % 28 + 1:02d}
        with: Person {index % 50}
        tags: [t{index % 9}]
        ---
        Note {index}, with *some* Markdown.
    """
        for index in range(3 * parallel.MIN_ITEMS)
    }
    root = make_journal(notes)
    command = [
        sys.executable,
        "-m",
        "journal.cli",
        "build",
        "--root",
        str(root),
        "--out",
        str(tmp_path / "out"),
        "--today",
        "2026-02-01",
    ]
    builder = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    workers: set[int] = set()
    while not workers:
        assert builder.poll() is None, "the build ended before it started workers"
        workers = children(builder.pid)
        time.sleep(0.005)
    builder.send_signal(signal.SIGKILL)
    builder.wait()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in workers if alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert not survivors, "a worker outlived its build"


def test_a_template_failing_deep_in_a_big_build_leaves_the_old_site_and_nothing_staged(make_journal, cli, tmp_path):
    """`journal build` (a fresh process, so its render runs across the cores) whose template
    fails on one page of 800 after the others rendered: the old site stays whole, nothing is
    left staged beside it, and the problem is told as a person reads it."""
    notes = {
        f"entries/2026/2026-01-{index % 28 + 1:02d}-note-{index}.md": f"""
        ---
        date: 2026-01-{index % 28 + 1:02d}
        with: Person {index % 50}
        ---
        Note {index}.
    """
        for index in range(2 * parallel.MIN_ITEMS)
    }
    root = make_journal(notes)
    out = tmp_path / "site"
    built = cli("build", "--root", str(root), "--out", str(out), "--today", "2026-02-01")
    assert built.returncode == 0, built.stderr
    before = site_files(out)
    shipped = (Path(__file__).parent.parent / "templates/meeting.html").read_text()
    failing = '{% if meeting.slug == "2026-01-28-note-755" %}{{ no_such_value }}{% endif %}\n'
    (root / "templates").mkdir()
    (root / "templates/meeting.html").write_text(shipped.replace("{% block main %}", "{% block main %}" + failing))

    failed = cli("build", "--root", str(root), "--out", str(out), "--today", "2026-02-02")  # every page would change
    assert failed.returncode == 1
    assert "templates/meeting.html:" in failed.stderr and "'no_such_value' is undefined" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert site_files(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["journal", "site"]
