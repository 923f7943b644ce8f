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
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


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


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """The real `journal` command in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "journal.cli", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}, input=input, timeout=120,
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
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
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
                stdout=out, stderr=err, env={**os.environ, "PYTHONUNBUFFERED": "1"},
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
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, self.stdout.read_text(), self.stderr.read_text())


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
