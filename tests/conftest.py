"""Shared fixtures: a journal written from a dict, the CLI in a subprocess, `journal serve` on a
free port, headless Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from journal.write import SITE_MARKER

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"

TODAY = date(2026, 11, 23)
"""The day most tests read their journals on, the demo's included (its notes lead up to this
week). A test whose journal is dated around another day sets its own, and says why."""
TODAY_ARG = TODAY.isoformat()  # as the command line takes it: --today 2026-11-23


def site_files(folder: Path) -> dict[str, bytes]:
    """{path relative to folder, with '/': bytes} of every file under a built site: what the
    byte-for-byte tests compare (a cold build, a warm one, the preview's, the golden site)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path != folder / SITE_MARKER  # says journal made the folder; no page
    }


def made_with_and_without_memory(root: Path, make) -> Callable[[], tuple[bytes, bytes]]:
    """both() -> (make(journal, a preview's remember), make(journal) with no memory) for the
    journal at root as it is now: loaded again on each call, its unchanged notes and cards
    kept the very same objects (as the preview keeps them) and one Memo across calls."""
    from journal.keys import just_make
    from journal.pipeline import load
    from journal.speed.incremental import Memo, reuse_unchanged

    memo = Memo()
    previous = None

    def both() -> tuple[bytes, bytes]:
        nonlocal previous
        journal, problems, _ = load(root)
        assert problems == []
        journal = previous = reuse_unchanged(previous, journal)
        remembered = make(journal, memo.remember)
        memo.finish()
        return remembered, make(journal, just_make)

    return both


def open_search(page) -> None:
    """Put the cursor in the search box once search.js has bound its handlers (it marks the
    form data-ready; a focus or keystroke before that is lost) and its index has loaded."""
    page.wait_for_selector("form.search[data-ready]")
    page.focus("form.search input")
    page.wait_for_function("window.journalSearchIndex !== undefined")


def git(*args: str, cwd: Path) -> str:
    """git's output, run in `cwd`; a failing git fails the test."""
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def problems_of(root: Path) -> list[str]:
    """Every problem loading the journal at `root` gives, as `journal check` prints them."""
    from journal.pipeline import load

    return [str(problem) for problem in load(root)[1]]


def journal_of(root: Path):
    """The journal at `root`, which must load without a problem."""
    from journal.pipeline import load

    journal, problems, _ = load(root)
    assert [str(problem) for problem in problems] == []
    return journal


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: dedented text (or raw bytes)} under root."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture(scope="session", autouse=True)
def cache_key_home(tmp_path_factory):
    """XDG_CACHE_HOME for the whole run and every command it starts, where the build cache's
    key is made: never the real home's. Session-wide, so module fixtures have it too."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("xdg-cache")
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture
def make_journal(tmp_path):
    """make_journal({"entries/a.md": "..."}) -> a journal root in tmp_path."""

    def make(files: dict[str, str | bytes], root: Path | None = None) -> Path:
        target = root or tmp_path / "journal"
        target.mkdir(parents=True, exist_ok=True)
        (target / "entries").mkdir(exist_ok=True)
        return write_files(target, files)

    return make


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory) -> Path:
    """A copy of the repository's demo journal (entries/ and journal.yaml), made once per run,
    so nothing is ever written into the repository. Tests read it; none may change it."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy2(REPO / "journal.yaml", root / "journal.yaml")
    return root


@pytest.fixture(scope="session")
def demo_site(demo_root: Path) -> Path:
    """The demo's site as `journal build` writes it on TODAY, built once per run: quietly, with
    nothing on stderr."""
    out = demo_root / "site"
    result = run_cli("build", "--root", str(demo_root), "--out", str(out), "--today", TODAY_ARG, "--quiet")
    assert (result.returncode, result.stderr) == (0, "")
    return out


def run_cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None
) -> subprocess.CompletedProcess:
    """The real `journal` command in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "journal.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=input,
        timeout=120,
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


class Server:
    """`journal serve` in a subprocess on a free port, its output in files under tmp_path."""

    def __init__(self, root: Path, logs: Path, *args: str):
        self.root, self.stdout, self.stderr = root, logs / "serve.out", logs / "serve.err"
        with open(self.stdout, "wb") as out, open(self.stderr, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "journal.cli", "serve", "--root", str(root), "--port", "0", *args],
                stdout=out,
                stderr=err,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        self.url = ""
        wait_until(self._started, what=f"journal serve to start ({self.stderr})")

    def _started(self) -> bool:
        for line in self.stdout.read_text().splitlines():
            if line.startswith("serving ") and " at http://" in line:
                self.url = line.split(" at ")[1].split()[0]
                return True
        if self.process.poll() is not None:
            raise AssertionError(f"journal serve exited {self.process.returncode}: {self.stderr.read_text()}")
        return False

    def stop(self, sig: int = signal.SIGINT) -> subprocess.CompletedProcess:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return subprocess.CompletedProcess(
            self.process.args, self.process.returncode, self.stdout.read_text(), self.stderr.read_text()
        )


def wait_until(condition, timeout: float = 30.0, what: str = "condition"):
    """Poll condition() until it returns something truthy; fail after a generous timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def serve(tmp_path):
    """serve(root, '--today', '2026-10-05') -> a running Server; stopped after the test."""
    started = []

    def start(root: Path, *args: str) -> Server:
        logs = tmp_path / f"serve-logs-{len(started)}"
        logs.mkdir()
        started.append(Server(root, logs, *args))
        return started[-1]

    yield start
    for server in started:
        server.stop()
