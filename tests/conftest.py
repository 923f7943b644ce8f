"""Shared fixtures: a journal written from a dict, the CLI in a subprocess, headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
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
