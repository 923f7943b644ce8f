"""Benchmark journal against the Markdown floor and Hugo on the same synthetic journals.

    python bench/run.py [--sizes 1000,10000] [--no-serve] [--timeout 1200]

Everything runs in one temporary folder, so the ratios compare runs on the same machine at
the same moment. The floor (bench/markdown_floor.py) reads the notes and renders their Markdown
with journal's own settings across the cores, nothing else: what no cold build can beat. Hugo
(Debian's `hugo`, installed with apt-get when missing) builds one page per note with a trivial
layout; journal builds its whole site (notes, contacts, overdue, reciprocity, tags, index).
Prints Markdown tables and PASS/FAIL for each target of issue 14 (and issue 29's: a cold
encrypted `journal build --publish` against a cold `journal build`, and `journal serve`'s
first page from cold against `hugo server`'s), judged at the biggest size.
Exits 1 if a target fails. Not a test: tests never time anything.

Every process it starts runs in its own session and is killed with its children when it
ends, fails or runs past --timeout; the temporary folder goes with it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus, write_corpus

TODAY = "2024-06-01"
TITLE = b"Benchmark journal"  # corpus.py's journal.yaml: on every page of the site once it is built
EDITS = 3
REPEATS = 3  # the cheap measurements are the median of this many runs: the machine is shared
PAGE_WAIT = 120.0  # seconds an edited page may take to show before the run gives up
REBUILD_WAIT = 60.0  # seconds a server may take to log the rebuild that follows a save
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
HUGO_CONFIG = """baseURL = "http://localhost/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""
HUGO_SINGLE = """<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}</body></html>
"""
HUGO_LIST = """<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1></body></html>
"""
# issue 14's thresholds, each a ratio to a figure measured in the same run
FLOOR_RATIO = 1.3  # cold build / Markdown floor
CORE_SHARE = 0.75  # serve's first build: CPU seconds per wall second, as a share of os.cpu_count()
SERVE_AFTER_BUILD_RATIO = 1.2  # preview ready with the build cache / warm build
EDIT_RATIO = 1.0  # edited page shows / Hugo's
SETTLE_SECONDS = 0.5  # whole site current after a save
MEMORY_RATIO = 0.5  # preview after its first build / Hugo's peak
PUBLISH_RATIO = 1.3  # issue 29: cold encrypted `journal build --publish` / cold `journal build`
FIRST_PAGE_RATIO = 1.0  # issue 29: `journal serve` from cold, dashboard answers / `hugo server`'s first page
PUBLISH_SETTINGS = "publish:\n  encrypt: true\n  site_id: 0b7e5c1d9a2f48e6b3c4d5e6f7a8b9c0\n"
PASSPHRASE = {"JOURNAL_PASSPHRASE": "bench plum basket orbit violin"}  # the build's key derivation is as ever


class BenchError(Exception):
    """A step failed or ran out of time: main prints the message and exits 2."""


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    output: str


def process_table() -> dict[int, list[str]]:
    """{pid: the fields of /proc/pid/stat after the command name} of every process now."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    table[int(entry)] = stat.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
    return table


def process_tree(pid: int) -> tuple[dict[int, list[str]], list[int]]:
    """The process table and pid with all its descendants (pid alone once it is gone)."""
    table = process_table()
    children: dict[int, list[int]] = {}
    for child, fields in table.items():
        children.setdefault(int(fields[1]), []).append(child)
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return table, tree


def tree_pss_kb(pid: int) -> int:
    """Memory of a process and all its descendants, from /proc (0 once it is gone): the
    proportional set size, so pages that forked workers share with their parent count once."""
    total = 0
    for current in process_tree(pid)[1]:
        try:
            with open(f"/proc/{current}/smaps_rollup") as status:
                for line in status:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a running process and its descendants have used so far: each
    live process's own, plus what its children that already ended used (the kernel adds those
    to the parent when it reaps them), so workers that came and went still count."""
    table, tree = process_tree(pid)
    ticks = 0
    for current in tree:
        if current in table:  # utime, stime, cutime, cstime
            ticks += sum(int(value) for value in table[current][11:15])
    return ticks / CLOCK_TICKS


@contextmanager
def started(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """Run command in its own session (stdout and stderr on one pipe), with `env` added to
    this environment, and always end it and every process it started: SIGTERM first, for a
    clean stop, then SIGKILL to the group."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **env} if env else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(process.pid, signal.SIGKILL)  # workers left behind by a killed parent
        except (ProcessLookupError, PermissionError):
            pass
        if process.poll() is None:
            process.wait()
        if process.stdout:
            process.stdout.close()


def measure(command: list[str], timeout: float, env: dict[str, str] | None = None) -> Run:
    """Wall time, CPU time of the whole process tree and peak memory of one run. Memory is
    the larger of the proportional memory of the tree, sampled every 50 ms (worker processes
    run at once), and the kernel's peak resident size of the biggest single process (wait4),
    which no sample can miss. CPU time is wait4's: the process and every child it reaped."""
    start = time.perf_counter()
    with started(command, env=env) as process:
        sampled = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                sampled[0] = max(sampled[0], tree_pss_kb(process.pid))
                done.wait(0.05)

        def stop() -> None:
            timed_out.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timed_out = threading.Event()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        alarm = threading.Timer(timeout, stop)
        alarm.start()
        assert process.stdout is not None
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        alarm.cancel()
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    if timed_out.is_set():
        raise BenchError(f"{' '.join(command)} did not finish within {timeout:g} s (--timeout); killed it")
    if process.returncode != 0:
        raise BenchError(f"{' '.join(command)} failed with status {process.returncode}:\n{output}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, max(sampled[0], usage.ru_maxrss) / 1024, output)


def median_run(
    command: list[str], timeout: float, repeats: int = REPEATS, before: Callable[[], None] | None = None
) -> Run:
    """The run with the median time of `repeats` (before() runs ahead of each, untimed)."""
    runs = []
    for _ in range(repeats):
        if before:
            before()
        runs.append(measure(command, timeout))
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def bench_publish(root: Path, build: list[str], timeout: float, results: dict[str, Any]) -> None:
    """A cold encrypted `journal build --publish` and a cold `journal build` (each with no
    .journal-cache and no output folder, removed untimed), in turn, REPEATS times: the
    median of each, so their ratio compares runs of the same minutes. The plain build runs
    last, so its cache and site are left for the warm build."""
    published = root.parent / f"{root.name}-published"
    publish = journal_command("build", "--publish", "--root", str(root), "--out", str(published), "--today", TODAY)
    runs: dict[str, list[Run]] = {"publish_cold": [], "plain_cold": []}
    for _ in range(REPEATS):
        for name, command, out, env in (
            ("publish_cold", publish, published, PASSPHRASE),
            ("plain_cold", build, root / "site", None),
        ):
            shutil.rmtree(root / ".journal-cache", ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            runs[name].append(measure(command, timeout, env))
    shutil.rmtree(published, ignore_errors=True)
    for name, made in runs.items():
        results[name] = sorted(made, key=lambda run: run.seconds)[len(made) // 2]


def ensure_hugo() -> str:
    found = shutil.which("hugo")
    if found:
        return found
    print("installing Debian's hugo with apt-get", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "hugo"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    )
    return shutil.which("hugo") or "hugo"


def write_hugo_site(site: Path, count: int) -> None:
    """The same notes as the journal's, as Hugo content, with a one-page-per-note layout."""
    (site / "layouts/_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    (site / "layouts/_default/single.html").write_text(HUGO_SINGLE)
    (site / "layouts/_default/list.html").write_text(HUGO_LIST)
    for relative, text in corpus(count).items():
        if relative.startswith("entries/") and not relative.startswith("entries/contacts/"):
            path = site / "content" / relative.removeprefix("entries/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> bytes:
    """The page's bytes, or b"" while the server is not up or answers with an error."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bytes(response.read())
    except OSError:
        return b""


JOURNAL_REBUILT = (re.compile(r"built \d+ files in (\d+\.\d+) s"), 1.0)
HUGO_REBUILT = (re.compile(r"Total in (\d+(?:\.\d+)?) ms"), 0.001)
"""How each server logs a finished rebuild (journal: every page current), and the unit of its
figure in seconds."""


@dataclass
class Server:
    """A running preview server: its process, its address and what it has logged so far."""

    command: list[str]
    process: subprocess.Popen[str]
    base: str
    rebuilt: tuple[re.Pattern[str], float]
    lines: list[str] = field(default_factory=list)
    rebuilds: list[float] = field(default_factory=list)

    def drain(self) -> None:
        """Keep its pipe drained (a full pipe would stall it), noting each rebuild it logs."""
        assert self.process.stdout is not None
        pattern, unit = self.rebuilt
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if found := pattern.search(line):
                self.rebuilds.append(float(found.group(1)) * unit)

    def failure(self, what: str) -> BenchError:
        log = "\n".join(self.lines[-20:])
        return BenchError(f"{' '.join(self.command)}: {what}; its last output:\n{log}")

    def wait_logged(self, count: int, limit: float) -> bool:
        """Whether it has logged `count` rebuilds, waiting up to limit seconds for them."""
        deadline = time.perf_counter() + limit
        while len(self.rebuilds) < count and time.perf_counter() < deadline:
            time.sleep(0.01)
        return len(self.rebuilds) >= count

    def wait_for(self, path: str, marker: bytes, limit: float) -> float:
        """Seconds until the page at path contains marker (polled every 2 ms)."""
        start = time.perf_counter()
        while time.perf_counter() - start < limit:
            if marker in fetch(self.base + path):
                return time.perf_counter() - start
            if self.process.poll() is not None:
                raise self.failure(f"exited with status {self.process.returncode} before {path} showed {marker!r}")
            time.sleep(0.002)
        raise self.failure(f"{path} never showed {marker!r} within {limit:g} s")


@contextmanager
def serving(command: list[str], port: int, rebuilt: tuple[re.Pattern[str], float]) -> Iterator[Server]:
    with started(command) as process:
        server = Server(command, process, f"http://127.0.0.1:{port}", rebuilt)
        threading.Thread(target=server.drain, daemon=True).start()
        yield server


@dataclass
class Ready:
    """A server's start: seconds until its first page answered, the CPU seconds its process
    tree had used by then, and its memory (PSS) a second later."""

    seconds: float
    cpu_seconds: float
    memory_mb: float


def wait_ready(server: Server, path: str, marker: bytes, timeout: float, started_at: float) -> Ready:
    server.wait_for(path, marker, timeout)
    return settled_start(server, started_at)


def settled_start(server: Server, started_at: float) -> Ready:
    """A server's start as it stands now (its first page answered, or its first build
    logged): its seconds and CPU seconds now, and its memory a second later."""
    seconds = time.perf_counter() - started_at
    cpu = tree_cpu_seconds(server.process.pid)
    time.sleep(1.0)  # let the first build's workers wind down: what stays is what the preview holds
    return Ready(seconds, cpu, tree_pss_kb(server.process.pid) / 1024)


@dataclass
class Edit:
    """One file saved again and again under serve, and the page that shows it."""

    name: str
    path: Path
    page: str
    shown: list[float] = field(default_factory=list)  # seconds from each save until the page showed it
    settled: list[float] = field(default_factory=list)  # the whole rebuild each save caused, as the server logs it

    def median_shown(self) -> float:
        return statistics.median(self.shown)

    def median_settled(self) -> float | None:
        return statistics.median(self.settled) if len(self.settled) == len(self.shown) else None


def edit_latency(server: Server, edits: list[Edit]) -> None:
    """Append a fresh line to each file in turn, EDITS rounds (interleaved, so each kind sees
    the machine alike), noting how long its page takes to show the line and the rebuild the
    server logs. Each save waits for the last rebuild to end, so every edit is measured from an
    idle server. The files get their bytes back, whatever happens."""
    originals = {edit.path: edit.path.read_bytes() for edit in edits}
    try:
        for attempt in range(EDITS):
            for edit in edits:
                marker = f"bench-edit-{attempt}-{time.time_ns()}"
                time.sleep(0.5)  # let the watcher settle between saves
                before = len(server.rebuilds)
                start = time.perf_counter()
                edit.path.write_bytes(originals[edit.path] + f"\n\n{marker}\n".encode())
                server.wait_for(edit.page, marker.encode(), PAGE_WAIT)
                edit.shown.append(time.perf_counter() - start)
                if server.wait_logged(before + 1, REBUILD_WAIT):
                    edit.settled.append(server.rebuilds[before])
    finally:
        for path, original in originals.items():
            path.write_bytes(original)


def journal_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "journal.cli", *args]


def contact_card(root: Path) -> tuple[Path, str]:
    """A card in the middle of the list whose page the last build wrote, and that page."""
    cards = sorted((root / "entries/contacts").glob("*.md"))
    with_pages = [card for card in cards if (root / "site/contacts" / f"{card.stem}.html").exists()]
    if not with_pages:
        raise BenchError(f"no card in {root / 'entries/contacts'} has a page in {root / 'site/contacts'}")
    card = with_pages[len(with_pages) // 2]
    return card, f"/contacts/{card.stem}.html"


def bench_journal_serve(root: Path, note: Edit, card: Edit, timeout: float, results: dict[str, Any]) -> None:
    """The preview started after a build (the build cache present), then on a bare root (no
    .journal-cache, no site/), whose first build is timed, its cores and memory measured, and
    which then takes the note and card edits."""

    def serve() -> tuple[list[str], int]:
        port = free_port()
        return journal_command("serve", "--root", str(root), "--today", TODAY, "--port", str(port)), port

    command, port = serve()
    start = time.perf_counter()
    with serving(command, port, JOURNAL_REBUILT) as server:
        results["serve_after_build"] = wait_ready(server, "/index.html", TITLE, timeout, start)
    shutil.rmtree(root / ".journal-cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    command, port = serve()
    start = time.perf_counter()
    with serving(command, port, JOURNAL_REBUILT) as server:
        server.wait_for("/index.html", TITLE, timeout)  # the page is rendered for the browser asking it
        results["serve_first_page"] = time.perf_counter() - start
        # The first build goes on writing the rest; its line is logged when the whole site is.
        if not server.wait_logged(1, timeout):
            raise server.failure(f"no first build logged within {timeout:g} s")
        results["serve_cold"] = settled_start(server, start)
        edit_latency(server, [note, card])
        results["serve_after_edits_mb"] = tree_pss_kb(server.process.pid) / 1024
    results["j_edit"], results["j_card"] = note, card


def bench_hugo_serve(hugo: str, site: Path, note: Edit, timeout: float, results: dict[str, Any]) -> None:
    port = free_port()
    command = [hugo, "server", "--source", str(site), "--bind", "127.0.0.1", "--port", str(port), "--disableLiveReload"]
    start = time.perf_counter()
    with serving(command, port, HUGO_REBUILT) as server:
        results["h_serve"] = wait_ready(server, "/", b"<", timeout, start)
        edit_latency(server, [note])
    results["h_edit"] = note


def bench_size(work: Path, hugo: str, count: int, serve: bool, timeout: float) -> dict[str, Any]:
    root, hugo_site = work / f"journal-{count}", work / f"hugo-{count}"
    write_corpus(root, count)
    with (root / "journal.yaml").open("a", encoding="utf-8") as config:  # for the encrypted publish build
        config.write(PUBLISH_SETTINGS)
    write_hugo_site(hugo_site, count)
    out = root / "site"
    build = journal_command("build", "--root", str(root), "--out", str(out), "--today", TODAY)
    results: dict[str, Any] = {"count": count}

    results["j_cold"] = measure(build, timeout)
    bench_publish(root, build, timeout, results)
    warm = median_run(build, timeout)
    results["j_warm"] = warm
    results["j_warm_written"] = written(warm)
    shutil.rmtree(root / ".journal-cache", ignore_errors=True)
    noop = measure(build, timeout)  # leaves the build cache, for the preview started after a build
    results["j_noop"] = noop
    results["j_noop_written"] = written(noop)
    results["j_pages"] = int(search(r"built (\d+) files", warm))

    results["floor"] = measure([sys.executable, str(Path(__file__).with_name("markdown_floor.py")), str(root)], timeout)

    hugo_build = [hugo, "--quiet", "--source", str(hugo_site), "--destination", str(hugo_site / "public")]
    results["h_cold"] = median_run(
        hugo_build, timeout, before=lambda: shutil.rmtree(hugo_site / "public", ignore_errors=True)
    )
    results["h_noop"] = median_run(hugo_build, timeout)
    results["h_pages"] = sum(1 for _ in (hugo_site / "public").rglob("*.html"))

    if serve:
        path = sorted((root / "entries").rglob("*-meeting-*.md"))[count // 2]
        note = Edit("note", path, f"/meetings/{path.stem}.html")
        card = Edit("card", *contact_card(root))
        bench_journal_serve(root, note, card, timeout, results)
        hugo_note = hugo_site / "content" / path.relative_to(root / "entries")
        bench_hugo_serve(
            hugo, hugo_site, Edit("note", hugo_note, f"/{hugo_note.parent.name}/{path.stem}/"), timeout, results
        )
    return results


def search(pattern: str, run: Run) -> str:
    found = re.search(pattern, run.output)
    if not found:
        raise BenchError(f"no {pattern!r} in journal build's output:\n{run.output}")
    return found.group(1)


def written(run: Run) -> int:
    return int(search(r"\((\d+) written", run))


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def cores(cpu_seconds: float, seconds: float) -> str:
    return f"{cpu_seconds / seconds:.2f} of {os.cpu_count()}"


def builds_table(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| notes | tool | pages | cold build | cores used (cold) | warm build | no-op rebuild (no cache) | peak memory (cold) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        j, h = r["j_cold"], r["h_cold"]
        lines.append(
            f"| {r['count']:,} | journal | {r['j_pages']:,} | {j.seconds:.2f} s | {cores(j.cpu_seconds, j.seconds)} | "
            f"{r['j_warm'].seconds:.2f} s ({r['j_warm_written']} written) | {r['j_noop'].seconds:.2f} s ({r['j_noop_written']} written) | {j.peak_mb:.0f} MB |"
        )
        lines.append(
            f"| {r['count']:,} | Markdown floor | | {r['floor'].seconds:.2f} s | {cores(r['floor'].cpu_seconds, r['floor'].seconds)} | | | {r['floor'].peak_mb:.0f} MB |"
        )
        lines.append(
            f"| {r['count']:,} | Hugo | {r['h_pages']:,} | {h.seconds:.2f} s | {cores(h.cpu_seconds, h.seconds)} | {r['h_noop'].seconds:.2f} s | "
            f"{r['h_noop'].seconds:.2f} s | {h.peak_mb:.0f} MB |"
        )
        lines.append(
            f"| {r['count']:,} | journal/floor, journal/Hugo | | {ratio(j.seconds, r['floor'].seconds)}, {ratio(j.seconds, h.seconds)} | | "
            f"{ratio(r['j_warm'].seconds, h.seconds)} of Hugo's cold | {ratio(r['j_noop'].seconds, r['h_noop'].seconds)} | {ratio(j.peak_mb, h.peak_mb)} |"
        )
    return lines


def per_note_table(results: list[dict[str, Any]]) -> list[str]:
    lines = ["| notes | journal cold, per note | Markdown floor, per note | Hugo cold, per note |", "|---|---|---|---|"]
    for r in results:
        count = r["count"]
        lines.append(
            f"| {count:,} | {r['j_cold'].seconds * 1000 / count:.2f} ms | {r['floor'].seconds * 1000 / count:.2f} ms | "
            f"{r['h_cold'].seconds * 1000 / count:.2f} ms |"
        )
    return lines


def publish_table(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| notes | measure | `journal build --publish`, encrypted, cold | `journal build`, cold | ratio |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        published, plain = r["publish_cold"], r["plain_cold"]
        lines.append(
            f"| {r['count']:,} | encrypted publish vs plain cold build | {published.seconds:.2f} s ({cores(published.cpu_seconds, published.seconds)} cores) | "
            f"{plain.seconds:.2f} s ({cores(plain.cpu_seconds, plain.seconds)} cores) | {ratio(published.seconds, plain.seconds)} |"
        )
    return lines


def settled(edit: Edit) -> str:
    value = edit.median_settled()
    return "not logged" if value is None else f"{value:.3f} s"


def serve_table(results: list[dict[str, Any]]) -> list[str]:
    header = (
        "| notes | server | from cold: first page answers | first build: whole site | cores used | ready after a build | "
        "memory after first build | note edit shows | note edit: whole site | card edit shows | card edit: whole site |"
    )
    lines = [header, "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if "serve_cold" not in r:
            continue
        cold, after, note, card, hugo = r["serve_cold"], r["serve_after_build"], r["j_edit"], r["j_card"], r["h_serve"]
        lines.append(
            f"| {r['count']:,} | journal serve | {r['serve_first_page']:.2f} s | {cold.seconds:.2f} s | "
            f"{cores(cold.cpu_seconds, cold.seconds)} | {after.seconds:.2f} s | "
            f"{cold.memory_mb:.0f} MB ({r['serve_after_edits_mb']:.0f} MB after the edits) | {note.median_shown() * 1000:.0f} ms | {settled(note)} | "
            f"{card.median_shown() * 1000:.0f} ms | {settled(card)} |"
        )
        lines.append(
            f"| {r['count']:,} | hugo server | {hugo.seconds:.2f} s | {hugo.seconds:.2f} s | {cores(hugo.cpu_seconds, hugo.seconds)} | | "
            f"{hugo.memory_mb:.0f} MB | "
            f"{r['h_edit'].median_shown() * 1000:.0f} ms | {settled(r['h_edit'])} | | |"
        )
    return lines


def checks(results: list[dict[str, Any]]) -> list[tuple[str, bool, str]]:
    """(target, met, what was measured) for each of issue 14's targets, at the biggest size."""
    big, small = results[-1], results[0]
    cold, floor = big["j_cold"].seconds, big["floor"].seconds
    found = [
        (
            f"cold build of {big['count']:,} notes ≤ {FLOOR_RATIO}× the Markdown floor",
            cold <= FLOOR_RATIO * floor,
            f"{ratio(cold, floor)} ({cold:.2f} s / {floor:.2f} s)",
        )
    ]
    published, plain = big["publish_cold"].seconds, big["plain_cold"].seconds
    found.append(
        (
            f"cold encrypted publish ≤ {PUBLISH_RATIO}× a plain cold build",
            published <= PUBLISH_RATIO * plain,
            f"{ratio(published, plain)} ({published:.2f} s / {plain:.2f} s)",
        )
    )
    if "serve_cold" in big:
        first, after = big["serve_cold"], big["serve_after_build"]
        note, card, hugo = big["j_edit"], big["j_card"], big["h_edit"].median_shown()
        cpus = os.cpu_count() or 1
        share = first.cpu_seconds / first.seconds / cpus
        first_page, hugo_first = big["serve_first_page"], big["h_serve"].seconds
        found += [
            (
                f"`journal serve` from cold: first page ≤ {FIRST_PAGE_RATIO}× `hugo server`'s",
                first_page <= FIRST_PAGE_RATIO * hugo_first,
                f"{ratio(first_page, hugo_first)} ({first_page:.2f} s / {hugo_first:.2f} s)",
            ),
            (
                f"serve's first build uses every core (≥ {CORE_SHARE:.0%} of {cpus})",
                share >= CORE_SHARE,
                f"{cores(first.cpu_seconds, first.seconds)} ({share:.0%})",
            ),
            (
                "serve's first build no slower than `journal build` cold",
                first.seconds <= cold,
                f"{ratio(first.seconds, cold)} ({first.seconds:.2f} s / {cold:.2f} s)",
            ),
            (
                f"preview started after a build ready ≤ {SERVE_AFTER_BUILD_RATIO}× a warm build",
                after.seconds <= SERVE_AFTER_BUILD_RATIO * big["j_warm"].seconds,
                f"{ratio(after.seconds, big['j_warm'].seconds)} ({after.seconds:.2f} s / {big['j_warm'].seconds:.2f} s)",
            ),
            (
                f"one-note edit in serve shows ≤ {EDIT_RATIO}× Hugo's",
                note.median_shown() <= EDIT_RATIO * hugo,
                f"{ratio(note.median_shown(), hugo)} ({note.median_shown() * 1000:.0f} ms / {hugo * 1000:.0f} ms)",
            ),
        ]
        for edit in (note, card):
            value = edit.median_settled()
            found.append(
                (
                    f"{edit.name} edit: whole site settles ≤ {SETTLE_SECONDS} s",
                    value is not None and value <= SETTLE_SECONDS,
                    settled(edit),
                )
            )
        found += [
            (
                f"contact card edit shows ≤ {EDIT_RATIO}× Hugo's note edit",
                card.median_shown() <= EDIT_RATIO * hugo,
                f"{ratio(card.median_shown(), hugo)} ({card.median_shown() * 1000:.0f} ms / {hugo * 1000:.0f} ms)",
            ),
            (
                "contact card edit shows no later than a note edit",
                card.median_shown() <= note.median_shown(),
                f"{ratio(card.median_shown(), note.median_shown())} ({card.median_shown() * 1000:.0f} ms / {note.median_shown() * 1000:.0f} ms)",
            ),
            (
                f"preview's memory after its first build ≤ {MEMORY_RATIO}× Hugo's peak",
                first.memory_mb <= MEMORY_RATIO * big["h_cold"].peak_mb,
                f"{ratio(first.memory_mb, big['h_cold'].peak_mb)} ({first.memory_mb:.0f} MB / {big['h_cold'].peak_mb:.0f} MB)",
            ),
        ]
    if big is not small:
        growth = cold / small["j_cold"].seconds
        scale = big["count"] / small["count"]
        found.append(
            (
                f"cold build grows at most linearly ({small['count']:,} → {big['count']:,} notes: ≤ {scale:.0f}×)",
                growth <= scale,
                f"{growth:.1f}× (Hugo {big['h_cold'].seconds / small['h_cold'].seconds:.1f}×)",
            )
        )
    return found


def report(results: list[dict[str, Any]]) -> tuple[str, bool]:
    lines = builds_table(results) + [""] + per_note_table(results) + [""] + publish_table(results)
    if any("serve_cold" in r for r in results):
        lines += ["", *serve_table(results)]
    found = checks(results)
    lines += ["", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {verdict(ok)} |" for name, ok, value in found]
    return "\n".join(lines), all(ok for _, ok, _ in found)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so every `finally` runs: servers killed, files restored, the folder removed


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="comma-separated note counts, smallest first; the targets are judged at the last",
    )
    parser.add_argument(
        "--no-serve", dest="serve", action="store_false", help="skip the preview: its start, edits and memory"
    )
    parser.add_argument(
        "--timeout", type=float, default=1200.0, help="seconds any one build or server start may take (default 1200)"
    )
    args = parser.parse_args()
    try:
        sizes = [int(size) for size in args.sizes.split(",")]
    except ValueError:
        parser.error(f"--sizes must be comma-separated whole numbers, got {args.sizes!r}")
    if sizes != sorted(sizes) or min(sizes) < 1:
        parser.error(f"--sizes must be positive and smallest first, got {args.sizes!r}")
    signal.signal(signal.SIGTERM, _stop)
    hugo = ensure_hugo()
    try:
        with tempfile.TemporaryDirectory(prefix="journal-bench-") as folder:
            results = []
            for count in sizes:
                print(f"benchmarking {count:,} notes...", file=sys.stderr, flush=True)
                results.append(bench_size(Path(folder), hugo, count, args.serve, args.timeout))
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench: interrupted; servers stopped, temporary folder removed", file=sys.stderr)
        return 130
    table, ok = report(results)
    version = subprocess.run([hugo, "version"], check=False, capture_output=True, text=True).stdout.split()
    print(f"{os.cpu_count()} cores, Hugo {version[1] if len(version) > 1 else '?'}, Python {sys.version.split()[0]}\n")
    print(table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
