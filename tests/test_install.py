"""The shipped templates are found by an editable install (live, never a stale copy) and by a
wheel installed into a fresh virtual environment, used from any folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, write_files

WHERE = "from journal.render import shipped_templates; print(shipped_templates())"
NOTE = {"entries/a.md": "---\ndate: 2026-10-01\nwith: Bob\n---\n# Hello\n"}


def test_editable_install_reads_the_repository_templates_directly(tmp_path):
    # The test environment is the editable install that README's test command makes.
    found = subprocess.run([sys.executable, "-c", WHERE], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(found.stdout.strip()).resolve() == REPO / "templates"


def test_a_wheel_installed_elsewhere_builds_a_journal(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True)
    wheel, = wheels.glob("journal-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    found = subprocess.run([str(python), "-c", WHERE], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(found.stdout.strip()).is_relative_to(venv)
    root = write_files(tmp_path / "journal", NOTE)
    result = subprocess.run([str(venv / "bin" / "journal"), "build", "--today", "2026-11-23"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Hello" in (root / "site/meetings/a.html").read_text()
    assert (root / "site/style.css").read_bytes() == (REPO / "templates/style.css").read_bytes()
