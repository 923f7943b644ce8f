"""`journal publish` against a real bare repository: the branch holds exactly the site, in
one commit with no parent, and the user's own repository is left exactly as it was."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import git

PLAIN = "title: Published\npublish:\n  encrypt: false\n  cname: journal.example.org\n"
ENCRYPTED = "publish:\n  site_id: 0b7e3c55a1d94f2c8e6a9d1f4b2c7e80\n"
NOTE = "---\ndate: 2026-10-01\nwith: [Pat Lee]\n---\n# Coffee with Pat\n"
OTHER = "---\ndate: 2026-10-02\nwith: [Robin]\n---\n# Tea with Robin\n"


def snapshot(repo: Path) -> dict:
    """Everything of the user's repository that publishing must not change."""
    return {
        "head": git("rev-parse", "HEAD", cwd=repo),
        "symbolic": git("symbolic-ref", "HEAD", cwd=repo),
        "refs": git("for-each-ref", cwd=repo),
        "status": git("status", "--porcelain", "--untracked-files=all", cwd=repo),
        "staged": git("diff", "--cached", cwd=repo),
        "unstaged": git("diff", cwd=repo),
        "index": (repo / ".git" / "index").read_bytes(),
    }


@pytest.fixture
def notes_repo(make_journal, tmp_path):
    """A journal in a git repository with a commit, a staged change, an unstaged change and an
    untracked file; `origin` is a bare repository in tmp_path."""
    root = make_journal({"journal.yaml": PLAIN, "entries/2026/coffee.md": NOTE, "entries/2026/tea.md": OTHER})
    bare = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(bare), cwd=tmp_path)
    git("init", "--quiet", "-b", "main", cwd=root)
    git("config", "user.name", "Notes Owner", cwd=root)
    git("config", "user.email", "owner@example.org", cwd=root)
    git("add", ".", cwd=root)
    git("commit", "--quiet", "-m", "notes", cwd=root)
    git("remote", "add", "origin", str(bare), cwd=root)
    (root / "entries/2026/staged.md").write_text(NOTE.replace("10-01", "10-03"))
    git("add", "entries/2026/staged.md", cwd=root)
    (root / "entries/2026/tea.md").write_text(OTHER + "\nedited, not staged\n")
    (root / "untracked.txt").write_text("scratch\n")
    return root, bare


def tree(bare: Path, branch: str = "gh-pages") -> list[str]:
    return git("ls-tree", "-r", "--name-only", branch, cwd=bare).split()


def test_publish_replaces_the_branch_and_leaves_the_users_repository_alone(notes_repo, cli):
    root, bare = notes_repo
    before = snapshot(root)
    result = cli("publish", "--root", str(root), "--today", "2026-11-01", "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("published 16 files to branch gh-pages of ")
    files = tree(bare)
    assert {
        ".nojekyll",
        "CNAME",
        "index.html",
        "style.css",
        "search.js",
        "search-index.js",
        "contacts/pat-lee.html",
        "contacts/robin.html",
    } <= set(files)
    assert "calendar.ics" not in files  # left out: publish.calendar is not set
    assert git("show", "gh-pages:CNAME", cwd=bare) == "journal.example.org\n"
    assert git("rev-list", "--count", "gh-pages", cwd=bare).strip() == "1"
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=bare).strip() == "Publish the journal"
    assert snapshot(root) == before

    (root / "entries/2026/tea.md").unlink()
    (root / "entries/2026/staged.md").unlink()
    before = snapshot(root)
    result = cli("publish", "--root", str(root), "--today", "2026-11-01", "--message", "Second", "--yes")
    assert result.returncode == 0, result.stderr
    assert "contacts/robin.html" not in tree(bare)
    assert git("rev-list", "--count", "gh-pages", cwd=bare).strip() == "1"
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=bare).strip() == "Second"
    assert snapshot(root) == before


def test_a_dry_run_lists_the_files_and_pushes_nothing(notes_repo, cli):
    root, bare = notes_repo
    result = cli("publish", "--root", str(root), "--dry-run", "--remote", str(bare), "--branch", "pages")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert ".nojekyll" in lines and "index.html" in lines
    assert lines[-1].startswith(f"dry run: would replace branch pages of {bare} with commit ")
    assert git("for-each-ref", cwd=bare) == ""


def test_an_encrypted_publish_to_a_url_outside_any_repository(make_journal, cli, tmp_path):
    root = make_journal({"journal.yaml": ENCRYPTED, "entries/2026/coffee.md": NOTE})
    bare = tmp_path / "public.git"
    git("init", "--quiet", "--bare", str(bare), cwd=tmp_path)
    result = cli(
        "publish", "--root", str(root), "--remote", bare.as_uri(), env={"JOURNAL_PASSPHRASE": "s3cret plum basket"}
    )
    assert result.returncode == 0, result.stderr
    files = tree(bare)
    assert "unlock.js" in files and "CNAME" not in files
    assert not any("pat" in path or "coffee" in path for path in files)


def test_no_passphrase_and_no_terminal_is_an_error(make_journal, cli, tmp_path):
    root = make_journal({"journal.yaml": ENCRYPTED, "entries/2026/coffee.md": NOTE})
    result = cli(
        "build", "--publish", "--root", str(root), "--out", str(tmp_path / "out"), env={"JOURNAL_PASSPHRASE": ""}
    )
    assert result.returncode == 1
    assert (
        result.stderr
        == "journal: no passphrase: set JOURNAL_PASSPHRASE, or run in a terminal to type the passphrase; nothing written\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_git_failure_is_reported_without_credentials(make_journal, cli, tmp_path):
    root = make_journal({"journal.yaml": PLAIN, "entries/2026/coffee.md": NOTE})
    missing = "https://user:tok3n@127.0.0.1:1/nothing.git"
    result = cli("publish", "--root", str(root), "--remote", missing, "--yes")
    assert result.returncode == 1
    assert result.stderr.startswith("journal: git: ")
    assert "tok3n" not in result.stderr + result.stdout


def test_the_public_commit_names_nobody_and_tells_nothing_finer_than_the_day(notes_repo, cli):
    root, bare = notes_repo
    home = root.parent / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Global Owner\n\temail = global@example.org\n\tsigningkey = OWNERKEY\n[commit]\n\tgpgSign = true\n"
    )
    identity = {
        "HOME": str(home),
        "GIT_AUTHOR_NAME": "Env Owner",
        "GIT_COMMITTER_EMAIL": "env@example.org",
        "EMAIL": "mail@example.org",
    }
    result = cli("publish", "--root", str(root), "--today", "2026-11-01", "--yes", env=identity)
    assert result.returncode == 0, result.stderr
    shown = git("log", "-1", "--date=raw", "--format=%an|%ae|%ad|%cn|%ce|%cd", "gh-pages", cwd=bare).strip()
    midnight = int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())
    assert shown == f"journal|journal@localhost|{midnight} +0000|journal|journal@localhost|{midnight} +0000"
    raw = git("cat-file", "-p", "gh-pages", cwd=bare)
    for personal in (
        "Notes Owner",
        "owner@example.org",
        "Env Owner",
        "env@example.org",
        "mail@example.org",
        "Global Owner",
        "global@example.org",
    ):
        assert personal not in raw
    assert "gpgsig" not in raw


def test_git_and_its_hooks_never_see_the_passphrase(make_journal, cli, tmp_path):
    root = make_journal({"journal.yaml": ENCRYPTED, "entries/2026/coffee.md": NOTE})
    bare = tmp_path / "hooked.git"
    git("init", "--quiet", "--bare", str(bare), cwd=tmp_path)
    dump = tmp_path / "hook-environment.txt"
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\nenv > '{dump}'\n")
    hook.chmod(0o755)
    passphrase = "tr0ub4dor & 3 hooks"
    result = cli("publish", "--root", str(root), "--remote", str(bare), env={"JOURNAL_PASSPHRASE": passphrase})
    assert result.returncode == 0, result.stderr
    environment = dump.read_text()
    assert "PATH=" in environment  # the hook ran and wrote what it was given
    assert "JOURNAL_PASSPHRASE" not in environment
    assert passphrase not in environment
    assert tree(bare)


READABLE = "journal: publish.encrypt is false in journal.yaml: the published pages will be readable by anyone who has their address"


def test_readable_pages_are_not_pushed_from_a_script_without_yes(notes_repo, cli):
    root, bare = notes_repo
    result = cli("publish", "--root", str(root))
    assert result.returncode == 1
    assert result.stderr == f"{READABLE}; pass --yes to publish them anyway; nothing pushed\n"
    assert git("for-each-ref", cwd=bare) == ""


@pytest.mark.parametrize("answer, pushed", [("n\n", False), ("\n", False), ("y\n", True)])
def test_readable_pages_are_pushed_from_a_terminal_only_when_confirmed(notes_repo, answer, pushed):
    root, bare = notes_repo
    controller, terminal = pty.openpty()
    try:
        os.write(controller, answer.encode())
        result = subprocess.run(
            [sys.executable, "-m", "journal.cli", "publish", "--root", str(root)],
            stdin=terminal,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.stdout.startswith("Publish readable pages? [y/N] ")
    assert result.stderr.startswith(READABLE[len("journal: ") :] + "\n")
    if pushed:
        assert result.returncode == 0, result.stderr
        assert "index.html" in tree(bare)
    else:
        assert result.returncode == 1
        assert result.stderr.endswith("journal: not confirmed; nothing pushed\n")
        assert git("for-each-ref", cwd=bare) == ""
