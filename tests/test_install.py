"""The distribution: named networking-journal, versioned in one place, built by `python -m
build` into an sdist and a wheel that hold the templates, and the wheel installed into a
fresh virtual environment works from any folder. The editable install reads the repository's
templates directly."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

from conftest import REPO, write_files

import journal

WHERE = "from journal.sources import shipped_templates; print(shipped_templates())"
NOTE = {"entries/a.md": "---\ndate: 2026-10-01\nwith: Bob\n---\n# Hello\n"}
DISTRIBUTION = "networking-journal"
SHIPPED = sorted(
    path.name
    for path in (REPO / "templates").iterdir()
    if path.is_file() and path.suffix in (".html", ".css", ".js", ".md", ".yml")
)


def test_editable_install_reads_the_repository_templates_directly(tmp_path):
    # The test environment is the editable install that README's test command makes.
    found = subprocess.run([sys.executable, "-c", WHERE], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(found.stdout.strip()).resolve() == REPO / "templates"


def test_the_version_is_written_once_and_reported_everywhere(cli):
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["name"] == DISTRIBUTION
    assert "version" not in project and project["dynamic"] == ["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", journal.__version__)
    assert metadata.version(DISTRIBUTION) == journal.__version__
    assert cli("--version").stdout == f"journal {journal.__version__}\n"
    assert f"## {journal.__version__} " in (REPO / "CHANGELOG.md").read_text()


def test_python_m_build_makes_an_sdist_and_a_wheel_that_install_and_build(tmp_path):
    dist = tmp_path / "dist"
    # Without flags, build makes the sdist and then the wheel from the unpacked sdist, so a
    # file missing from the sdist fails here too.
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    version = journal.__version__
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    assert sdist.name == f"networking_journal-{version}.tar.gz"
    assert wheel.name == f"networking_journal-{version}-py3-none-any.whl"
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {f"templates/{name}" for name in SHIPPED} <= names
    assert {"CHANGELOG.md", "README.md", "pyproject.toml", "journal/cli.py"} <= names
    assert not any(name.startswith("tests/") for name in names)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        wheel_metadata = archive.read(f"networking_journal-{version}.dist-info/METADATA").decode()
    assert {f"journal/templates/{name}" for name in SHIPPED} <= names
    assert f"Name: {DISTRIBUTION}\n" in wheel_metadata and f"Version: {version}\n" in wheel_metadata

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    found = subprocess.run([str(python), "-c", WHERE], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(found.stdout.strip()).is_relative_to(venv)
    command = str(venv / "bin" / "journal")
    assert subprocess.run([command, "--version"], capture_output=True, text=True).stdout == f"journal {version}\n"
    root = write_files(tmp_path / "journal", NOTE)
    result = subprocess.run([command, "build", "--today", "2026-11-23"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Hello" in (root / "site/meetings/a.html").read_text()
    assert (root / "site/style.css").read_bytes() == (REPO / "templates/style.css").read_bytes()
