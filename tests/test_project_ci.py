"""This repository's own workflows (.github/workflows/, not the ones `journal init` writes for a
user's journal): CI runs README's commands on the Python versions pyproject.toml declares, and
the release's build job runs here step by step, as far as a machine without GitHub can: the
tag check and twine as written, the build with --no-isolation (this environment's setuptools,
so no network), on a copy of the repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import REPO

import journal

CI = REPO / ".github/workflows/ci.yml"
RELEASE = REPO / ".github/workflows/release.yml"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
TAG_CHECK = "Check the tag names the version"


def workflow(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def step(steps: list[dict], name: str) -> dict:
    return next(found for found in steps if found.get("name") == name)


def readme_commands() -> tuple[str, str]:
    """(the test command, the code checks) as README's Development section writes them."""
    development = (REPO / "README.md").read_text(encoding="utf-8").split("\n## Development\n", 1)[1]
    commands = [line[4:] for line in development.splitlines() if line.startswith("    ") and line.strip()]
    return next(c for c in commands if "pytest" in c), next(c for c in commands if c.startswith("ruff check"))


def declared_pythons() -> list[str]:
    """The Python versions pyproject.toml's classifiers name, like '3.11', in order."""
    pattern = re.compile(r"Programming Language :: Python :: (3\.\d+)")
    return [match[1] for found in PYPROJECT["project"]["classifiers"] if (match := pattern.fullmatch(found))]


def run_step(found: dict, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """A step's `run:` with bash -e (a runner's shell), `python` and the tools being the ones
    this test runs with."""
    assert "${{" not in found["run"]  # values come in through the environment, never pasted into a script
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["bash", "-e", "-c", found["run"]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": path, **(env or {})},
    )


def test_ci_runs_on_every_push_and_pull_request_on_the_lowest_and_highest_python_declared():
    ci = workflow(CI)
    assert ci[True] == {"push": None, "pull_request": None}  # YAML 1.1 reads 'on' as true
    assert ci["permissions"] == {"contents": "read"}
    job = ci["jobs"]["test"]
    assert job["runs-on"] == "ubuntu-latest"
    pythons = job["strategy"]["matrix"]["python"]
    assert pythons == ["3.11", "3.13"]
    declared = declared_pythons()
    assert declared == ["3.11", "3.12", "3.13"]
    assert pythons == [declared[0], declared[-1]]
    assert PYPROJECT["project"]["requires-python"] == f">={declared[0]}"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py" + declared[0].replace(".", "")
    assert PYPROJECT["tool"]["mypy"]["python_version"] == declared[0]


def test_ci_tests_in_debian_where_chromium_is_the_package_the_browser_tests_use():
    job = workflow(CI)["jobs"]["test"]
    # Debian's chromium installs /usr/bin/chromium, which conftest.CHROMIUM finds (Ubuntu's is a snap).
    assert job["container"]["image"] == "python:${{ matrix.python }}-bookworm"
    install = step(job["steps"], "Install Chromium and git")
    assert install["run"] == "apt-get update -qq && apt-get install -y -qq chromium git"
    ci_run = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "apt-get install -y -qq chromium git" in ci_run  # the same packages as this machine's CI


def test_ci_checks_the_code_and_runs_readme_test_command_verbatim():
    test_command, checks = readme_commands()
    assert test_command == "python3 -m venv .venv && . .venv/bin/activate && pip install -q -e '.[test]' && pytest -q"
    assert checks == "ruff check . && ruff format --check . && mypy"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.count(f"    {test_command}\n") == 2  # the top of README and Development say the same
    steps = workflow(CI)["jobs"]["test"]["steps"]
    assert steps[0]["uses"] == "actions/checkout@v4" and steps[0]["with"] == {"persist-credentials": False}
    assert step(steps, "Install journal with the test extras")["run"] == test_command.removesuffix(" && pytest -q")
    assert step(steps, "Lint, format and types (README's Development commands)")["run"] == (
        f". .venv/bin/activate && {checks}"
    )
    assert steps[-1] == {"name": "Tests (README's test command, verbatim)", "run": test_command}
    assert f"\n{test_command}\n" in (REPO / ".ci/run").read_text(encoding="utf-8")


def test_the_release_runs_on_a_version_tag_and_publishes_what_it_built_and_checked():
    release = workflow(RELEASE)
    assert release[True] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    names = [found.get("name", found.get("uses")) for found in build["steps"]]
    assert names == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        TAG_CHECK,
        "Install the build tools",
        "Build the sdist and the wheel",
        "Check the distributions",
        "actions/upload-artifact@v4",
    ]
    assert build["steps"][1]["with"] == {"python-version": declared_pythons()[-1]}
    assert step(build["steps"], TAG_CHECK)["run"] == 'python scripts/check_release_tag.py "$GITHUB_REF_NAME"'
    assert step(build["steps"], "Install the build tools")["run"] == "python -m pip install build twine"
    uploaded = build["steps"][-1]["with"]
    assert uploaded == {"name": "dist", "path": "dist/", "if-no-files-found": "error"}
    # Publishing is its own job: only it may ask for an identity token, in the `pypi` environment.
    assert publish["needs"] == "build"
    assert publish["environment"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert "permissions" not in build
    download, upload = publish["steps"]
    assert download == {"uses": "actions/download-artifact@v4", "with": {"name": "dist", "path": "dist/"}}
    assert upload == {"uses": "pypa/gh-action-pypi-publish@release/v1"}


@pytest.mark.parametrize(
    "tag, code, said",
    [
        (f"v{journal.__version__}", 0, f"the tag v{journal.__version__} matches the version {journal.__version__}\n"),
        (
            "v9.9.9",
            1,
            f"the tag 'v9.9.9' does not match the version in pyproject.toml, {journal.__version__}: "
            f"tag the release v{journal.__version__}, or change the version first\n",
        ),
        (
            journal.__version__,
            1,
            f"the tag '{journal.__version__}' does not match the version in pyproject.toml, {journal.__version__}: "
            f"tag the release v{journal.__version__}, or change the version first\n",
        ),
    ],
)
def test_the_tag_check_step_passes_only_the_tag_of_the_version(tag, code, said):
    checked = run_step(step(workflow(RELEASE)["jobs"]["build"]["steps"], TAG_CHECK), REPO, {"GITHUB_REF_NAME": tag})
    assert (checked.returncode, checked.stdout if code == 0 else checked.stderr) == (code, said)


def test_the_tag_check_reads_a_version_written_in_pyproject_and_says_how_to_use_it(tmp_path):
    script = str(REPO / "scripts/check_release_tag.py")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.2.3"\n', encoding="utf-8")
    found = subprocess.run([sys.executable, script, "v1.2.3"], cwd=tmp_path, capture_output=True, text=True)
    assert (found.returncode, found.stdout) == (0, "the tag v1.2.3 matches the version 1.2.3\n")
    misused = subprocess.run([sys.executable, script], cwd=tmp_path, capture_output=True, text=True)
    assert (misused.returncode, misused.stderr) == (
        2,
        f"usage: python {script} TAG   (the tag being released, like v0.2.0)\n",
    )


def test_the_release_build_job_makes_and_checks_an_sdist_and_a_wheel_that_hold_the_package(tmp_path):
    """The build job's steps on a copy of the repository (a checkout), the build without its
    isolation: the build tools are the test extras' (setuptools, build, twine)."""
    checkout = tmp_path / "checkout"
    shutil.copytree(
        REPO,
        checkout,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "site", "build", "dist", "*.egg-info", "__pycache__", ".*cache", ".hypothesis"
        ),
    )
    steps = workflow(RELEASE)["jobs"]["build"]["steps"]
    version = journal.__version__
    tagged = run_step(step(steps, TAG_CHECK), checkout, {"GITHUB_REF_NAME": f"v{version}"})
    assert tagged.returncode == 0, tagged.stderr
    build = step(steps, "Build the sdist and the wheel")
    assert build["run"] == "python -m build"
    built = run_step({"run": build["run"] + " --no-isolation"}, checkout)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    twine = step(steps, "Check the distributions")
    assert twine["run"] == "twine check --strict dist/*"
    checked = run_step(twine, checkout)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    sdist, wheel = f"networking_journal-{version}.tar.gz", f"networking_journal-{version}-py3-none-any.whl"
    said = re.sub(r"\x1b\[[0-9;]*m", "", checked.stdout)  # twine colours its words even into a pipe
    assert re.findall(r"Checking dist/(\S+): PASSED", said) == sorted([sdist, wheel])
    assert sorted(path.name for path in (checkout / "dist").iterdir()) == sorted([sdist, wheel])
    with zipfile.ZipFile(checkout / "dist" / wheel) as archive:
        names = set(archive.namelist())
    assert {f"journal/speed/{path.name}" for path in (checkout / "journal/speed").glob("*.py")} <= names
    shipped = {path.name for path in (checkout / "templates").iterdir() if path.suffix in (".html", ".css", ".js")}
    assert shipped and {f"journal/templates/{name}" for name in shipped} <= names
