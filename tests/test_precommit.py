"""pre-commit, for real: the `journal-check` hook this repository offers, tried with
`pre-commit try-repo` (which installs this repository into pre-commit's own environment),
and the .pre-commit-config.yaml `journal init` writes, installed as a git hook that stops a
commit holding a broken note."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO, write_files

GOOD = "---\ndate: 2026-10-01\nwith: [Pat Lee]\n---\n# Coffee with Pat\n"
BROKEN = "---\ndate: 2026-10-01\nwith: [Pat Lee]\nkind: brunch\n---\n# Brunch\n"
BROKEN_LINE = (
    "entries/2026/brunch.md:4: error: unknown field 'kind'; expected one of date, title, with, where, "
    "tags, follow_up, commitments, gave, received, fulfills, releases, new, event, channel, mail"
)


def environment(tmp_path: Path) -> dict[str, str]:
    """pre-commit's store in tmp_path; `journal` and `pre-commit` from this environment;
    no GIT_ variable pointing git elsewhere."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    return {
        **base,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{base['PATH']}",
    }


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def notes_repository(root: Path, env: dict[str, str]) -> Path:
    for args in (
        ("init", "--quiet", "-b", "main"),
        ("config", "user.name", "Owner"),
        ("config", "user.email", "owner@example.org"),
    ):
        run("git", *args, cwd=root, env=env)
    return root


def test_the_hook_definition_is_the_one_init_writes():
    (offered,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (local,) = yaml.safe_load((REPO / "templates/init-pre-commit.yml").read_text())["repos"]
    (written,) = local["hooks"]
    assert local["repo"] == "local"
    assert offered["language"] == "python" and written["language"] == "system"  # installs journal / uses yours
    for key in ("id", "name", "entry", "pass_filenames", "files"):
        assert offered[key] == written[key], key
    assert offered["id"] == "journal-check" and offered["entry"] == "journal check"


def test_try_repo_runs_journal_check_on_staged_entries(tmp_path):
    env = environment(tmp_path)
    root = notes_repository(
        write_files(tmp_path / "notes", {"entries/2026/coffee.md": GOOD, "README.md": "notes\n"}), env
    )

    run("git", "add", "README.md", cwd=root, env=env)
    unrelated = run("pre-commit", "try-repo", str(REPO), "journal-check", cwd=root, env=env)
    assert unrelated.returncode == 0, unrelated.stdout + unrelated.stderr
    assert "journal check" in unrelated.stdout and "(no files to check)Skipped" in unrelated.stdout

    run("git", "add", "entries/2026/coffee.md", cwd=root, env=env)
    good = run("pre-commit", "try-repo", str(REPO), "journal-check", cwd=root, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    write_files(root, {"entries/2026/brunch.md": BROKEN})
    run("git", "add", "entries/2026/brunch.md", cwd=root, env=env)
    broken = run("pre-commit", "try-repo", str(REPO), "journal-check", cwd=root, env=env)
    assert broken.returncode == 1
    assert "Failed" in broken.stdout
    assert f"\n{BROKEN_LINE}\n1 error in 2 files\n" in broken.stdout


def test_the_config_init_writes_stops_a_commit_with_a_broken_note(cli, tmp_path):
    env = environment(tmp_path)
    root = tmp_path / "notes"
    assert cli("init", str(root), "--today", "2026-11-23").returncode == 0
    config = (root / ".pre-commit-config.yaml").read_text()
    assert "\n#     pre-commit install\n" in config
    notes_repository(root, env)
    installed = run("pre-commit", "install", cwd=root, env=env)
    assert installed.returncode == 0, installed.stderr

    run("git", "add", "--all", cwd=root, env=env)
    first = run("git", "commit", "-m", "My journal", cwd=root, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "journal check" in first.stderr and "Passed" in first.stderr  # git gives the hook's output to stderr

    write_files(root, {"entries/2026/brunch.md": BROKEN})
    run("git", "add", "entries/2026/brunch.md", cwd=root, env=env)
    refused = run("git", "commit", "-m", "Brunch", cwd=root, env=env)
    assert refused.returncode == 1
    assert f"\n{BROKEN_LINE}\n1 error in 4 files\n" in refused.stderr
    assert run("git", "rev-list", "--count", "HEAD", cwd=root, env=env).stdout == "1\n"

    write_files(root, {"entries/2026/brunch.md": GOOD})
    run("git", "add", "entries/2026/brunch.md", cwd=root, env=env)
    fixed = run("git", "commit", "-m", "Brunch", cwd=root, env=env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert run("git", "rev-list", "--count", "HEAD", cwd=root, env=env).stdout == "2\n"
