"""Benchmark journal against Hugo on the same synthetic journals, 1,000 and 10,000 notes.

    python bench/run.py [--sizes 1000,10000] [--no-serve]

Everything runs in one temporary folder, so the ratios compare runs on the same machine at
the same moment. Hugo (Debian's `hugo`, installed with apt-get when missing) builds one page
per note with a trivial layout and nothing else; journal builds its whole site (notes,
contacts, overdue, reciprocity, tags, index). Prints a Markdown table and PASS/FAIL for each
target of issue 5. Not a test: tests never time anything.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus, write_corpus  # noqa: E402

TODAY = "2024-06-01"
EDITS = 3
REPEATS = 3  # the cheap measurements are the median of this many runs: the machine is shared
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


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str


def tree_pss_kb(pid: int) -> int:
    """Memory of a process and all its descendants, from /proc (0 once it is gone): the
    proportional set size, so pages that forked workers share with their parent count once."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            with open(f"/proc/{current}/smaps_rollup") as status:
                for line in status:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def measure(command: list[str], cwd: Path | None = None) -> Run:
    """Wall time and peak memory: the larger of the proportional memory of the process tree,
    sampled every 50 ms (worker processes run at once), and the kernel's peak resident size of
    the biggest single process (wait4), which no sample can miss."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampled = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            sampled[0] = max(sampled[0], tree_pss_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    return Run(seconds, max(sampled[0], usage.ru_maxrss) / 1024, output)


def median_run(command: list[str], repeats: int = REPEATS, before=None) -> Run:
    """The run with the median time of `repeats` (before() runs ahead of each, untimed)."""
    runs = []
    for _ in range(repeats):
        if before:
            before()
        runs.append(measure(command))
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def ensure_hugo() -> str:
    found = shutil.which("hugo")
    if found:
        return found
    print("installing Debian's hugo with apt-get", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
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
        return sock.getsockname()[1]


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return b""


def wait_for(url: str, marker: bytes, limit: float) -> float:
    """Seconds until the page at url contains marker (polled every 2 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if marker in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.002)
    raise SystemExit(f"{url} never showed {marker!r} within {limit} s")


JOURNAL_REBUILT = (re.compile(r"built \d+ files in (\d+\.\d+) s"), 1.0)
HUGO_REBUILT = (re.compile(r"Total in (\d+(?:\.\d+)?) ms"), 0.001)
"""How each server logs a finished rebuild, and the unit of its figure in seconds."""


def edit_latency(server: list[str], note: Path, page_url, ready_url, rebuilt: tuple[re.Pattern, float]) -> tuple[float, float | None]:
    """Median seconds from appending a line to `note` until its page shows it, over EDITS
    saves, and the median whole rebuild the server logs (journal serves the edited page
    before the rest of the site is done), or None if it logs none. Each save waits for the
    last rebuild to end, so every edit is measured from an idle server."""
    process = subprocess.Popen(server, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    pattern, unit = rebuilt
    rebuilds: list[float] = []
    try:
        base = None
        for line in process.stdout:  # both servers print their address once the first build is done
            found = re.search(r"(http://(?:127\.0\.0\.1|localhost):\d+)", line)
            if found:
                base = found.group(1)
                break
        if base is None:
            raise SystemExit(f"{server[0]} serve never started")

        def drain() -> None:  # keep its pipe drained, noting each rebuild it reports
            for line in process.stdout:
                if found := pattern.search(line):
                    rebuilds.append(float(found.group(1)) * unit)

        threading.Thread(target=drain, daemon=True).start()
        wait_for(base + ready_url, b"<", 600)
        original = note.read_bytes()
        times = []
        for attempt in range(EDITS):
            marker = f"bench-edit-{attempt}-{time.time_ns()}"
            time.sleep(0.5)  # let the watcher settle between saves
            before = len(rebuilds)
            start = time.perf_counter()
            note.write_bytes(original + f"\n\n{marker}\n".encode())
            wait_for(base + page_url, marker.encode(), 120)
            times.append(time.perf_counter() - start)
            deadline = time.perf_counter() + 60
            while len(rebuilds) == before and time.perf_counter() < deadline:
                time.sleep(0.01)
        note.write_bytes(original)
        return statistics.median(times), (statistics.median(rebuilds[-EDITS:]) if len(rebuilds) >= EDITS else None)
    finally:
        process.terminate()
        process.wait(10)


def journal_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "journal.cli", *args]


def bench_size(work: Path, hugo: str, count: int, serve: bool) -> dict:
    root, hugo_site = work / f"journal-{count}", work / f"hugo-{count}"
    write_corpus(root, count)
    write_hugo_site(hugo_site, count)
    out = root / "site"
    build = journal_command("build", "--root", str(root), "--out", str(out), "--today", TODAY)
    results: dict = {"count": count}

    results["j_cold"] = measure(build)
    warm = median_run(build)
    results["j_warm"] = warm
    results["j_warm_written"] = int(re.search(r"\((\d+) written", warm.output).group(1))
    shutil.rmtree(root / ".journal-cache", ignore_errors=True)
    noop = measure(build)
    results["j_noop"] = noop
    results["j_noop_written"] = int(re.search(r"\((\d+) written", noop.output).group(1))
    results["j_pages"] = int(re.search(r"built (\d+) files", warm.output).group(1))

    results["floor"] = measure([sys.executable, str(Path(__file__).with_name("markdown_floor.py")), str(root)])

    hugo_build = [hugo, "--quiet", "--source", str(hugo_site), "--destination", str(hugo_site / "public")]
    results["h_cold"] = median_run(hugo_build, before=lambda: shutil.rmtree(hugo_site / "public", ignore_errors=True))
    results["h_noop"] = median_run(hugo_build)
    results["h_pages"] = sum(1 for _ in (hugo_site / "public").rglob("*.html"))

    if serve:
        note = sorted((root / "entries").rglob("*-meeting-*.md"))[count // 2]
        slug = note.stem
        results["j_edit"], results["j_rebuild"] = edit_latency(
            journal_command("serve", "--root", str(root), "--today", TODAY, "--port", "0"),
            note, f"/meetings/{slug}.html", "/index.html", JOURNAL_REBUILT)
        hugo_note = hugo_site / "content" / note.relative_to(root / "entries")
        results["h_edit"], results["h_rebuild"] = edit_latency(
            [hugo, "server", "--source", str(hugo_site), "--bind", "127.0.0.1", "--port", str(free_port()), "--disableLiveReload"],
            hugo_note, f"/{hugo_note.parent.name}/{slug}/", "/", HUGO_REBUILT)
    return results


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: list[dict]) -> tuple[str, bool]:
    lines = ["| notes | tool | pages | cold build | warm build | no-op rebuild (no cache) | one-note edit in serve | peak memory (cold) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        j_edit = f"{r['j_edit'] * 1000:.0f} ms" if "j_edit" in r else "–"
        if r.get("j_rebuild") is not None:
            j_edit += f" (whole site {r['j_rebuild']:.2f} s)"
        h_edit = f"{r['h_edit'] * 1000:.0f} ms" if "h_edit" in r else "–"
        if r.get("h_rebuild") is not None:
            h_edit += f" (rebuild {r['h_rebuild'] * 1000:.0f} ms)"
        lines.append(f"| {r['count']:,} | journal | {r['j_pages']:,} | {r['j_cold'].seconds:.2f} s | {r['j_warm'].seconds:.2f} s ({r['j_warm_written']} written) | "
                     f"{r['j_noop'].seconds:.2f} s ({r['j_noop_written']} written) | {j_edit} | {r['j_cold'].peak_mb:.0f} MB |")
        lines.append(f"| {r['count']:,} | Hugo | {r['h_pages']:,} | {r['h_cold'].seconds:.2f} s | {r['h_noop'].seconds:.2f} s | {r['h_noop'].seconds:.2f} s | {h_edit} | {r['h_cold'].peak_mb:.0f} MB |")
        edit = ratio(r["j_edit"], r["h_edit"]) if "j_edit" in r else "–"
        lines.append(f"| {r['count']:,} | journal/Hugo | | {ratio(r['j_cold'].seconds, r['h_cold'].seconds)} | {ratio(r['j_warm'].seconds, r['h_cold'].seconds)} of Hugo's cold | "
                     f"{ratio(r['j_noop'].seconds, r['h_noop'].seconds)} | {edit} | {ratio(r['j_cold'].peak_mb, r['h_cold'].peak_mb)} |")
    big, small = results[-1], results[0]
    checks = [
        (f"cold build of {big['count']:,} notes ≤ 1.5× Hugo's", big["j_cold"].seconds <= 1.5 * big["h_cold"].seconds,
         ratio(big["j_cold"].seconds, big["h_cold"].seconds)),
        ("warm build ≤ 0.3× Hugo's cold build", big["j_warm"].seconds <= 0.3 * big["h_cold"].seconds,
         ratio(big["j_warm"].seconds, big["h_cold"].seconds)),
        ("warm build rewrites no file", big["j_warm_written"] == 0, f"{big['j_warm_written']} written"),
        ("peak memory ≤ 0.5× Hugo's", big["j_cold"].peak_mb <= 0.5 * big["h_cold"].peak_mb,
         ratio(big["j_cold"].peak_mb, big["h_cold"].peak_mb)),
    ]
    if "j_edit" in big:
        checks.append(("one-note edit in serve ≤ 2× Hugo's", big["j_edit"] <= 2 * big["h_edit"], ratio(big["j_edit"], big["h_edit"])))
    if big is not small:
        growth = big["j_cold"].seconds / small["j_cold"].seconds
        scale = big["count"] / small["count"]
        checks.append((f"cold build grows linearly ({small['count']:,} → {big['count']:,}: ≤ {1.1 * scale:.0f}×)", growth <= 1.1 * scale, f"{growth:.1f}× (Hugo {big['h_cold'].seconds / small['h_cold'].seconds:.1f}×)"))
    lines += ["", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {verdict(ok)} |" for name, ok, value in checks]
    lines += ["", "The floor of a cold build (bench/markdown_floor.py: read the notes and render their Markdown "
              "with Python-Markdown across the cores, nothing else):", ""]
    lines += [f"- {r['count']:,} notes: {r['floor'].seconds:.2f} s, {ratio(r['floor'].seconds, r['h_cold'].seconds)} Hugo's cold build"
              for r in results]
    return "\n".join(lines), all(ok for _, ok, _ in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated note counts, smallest first")
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="skip the one-note edit under serve")
    args = parser.parse_args()
    hugo = ensure_hugo()
    with tempfile.TemporaryDirectory(prefix="journal-bench-") as folder:
        results = []
        for count in (int(size) for size in args.sizes.split(",")):
            print(f"benchmarking {count:,} notes...", file=sys.stderr, flush=True)
            results.append(bench_size(Path(folder), hugo, count, args.serve))
    table, ok = report(results)
    print(f"{os.cpu_count()} cores, {subprocess.run([hugo, 'version'], capture_output=True, text=True).stdout.split()[1]}, Python {sys.version.split()[0]}\n")
    print(table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
