"""The command line's rough edges, each as a new user met it: help that says what a command
does, init that takes --root, a pipe closed early, a missing git remote, serve in an empty
folder, the cache kept out of git, passphrases too weak or typed differently, and a dry run
that needs no passphrase."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git
from test_serve import fetch, problems_shown

TODAY = "2026-11-01"
SITE_ID = "0b7e3c55a1d94f2c8e6a9d1f4b2c7e80"
JOURNAL = {
    "journal.yaml": f"publish:\n  site_id: {SITE_ID}\n",
    "entries/contacts/pat-lee.md": "---\nname: Pat Lee\n---\n",
    "entries/2026/coffee.md": "---\ndate: 2026-10-01\nwith: [Pat Lee]\ncommitments:\n  - {by: me, what: Call Pat, due: 2026-10-05}\n---\n# Coffee with Pat\n",
}
GOOD = "plum basket orbit violin"
WEAK = (
    "journal: no passphrase: JOURNAL_PASSPHRASE is too weak: a passphrase needs at least 12 characters and 3 words, "
    "like 'plum basket orbit violin': anyone can try passphrases against the published pages as fast as their "
    "computers allow (--weak-passphrase uses it anyway); nothing written\n"
)
COMMANDS = ("build", "publish", "init", "serve", "check", "overdue", "reciprocity", "new", "import", "export")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_says_what_it_does_in_its_own_help(cli, command):
    result = cli(command, "--help")
    assert result.returncode == 0
    description = result.stdout.split("\n\n")[1]
    assert description[0].isupper() and description.rstrip().endswith("."), description


def test_publish_help_says_where_the_passphrase_comes_from(cli):
    text = " ".join(cli("publish", "--help").stdout.split())
    assert (
        "The passphrase comes from the JOURNAL_PASSPHRASE environment variable (a CI secret), else it is typed twice"
        in text
    )
    assert "--weak-passphrase" in text


def test_init_takes_root_like_every_command(cli, tmp_path):
    result = cli("init", "--root", "mine", "--today", TODAY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mine" / "journal.yaml").is_file()
    assert sorted(os.listdir(tmp_path)) == ["mine"]
    clash = cli("init", str(tmp_path / "a"), "--root", str(tmp_path / "b"))
    assert clash.returncode == 2
    assert (
        clash.stderr
        == f"journal init: error: two roots given, {tmp_path / 'a'} and --root {tmp_path / 'b'}: give one\n"
    )


def test_init_keeps_the_build_cache_out_of_git(cli, tmp_path):
    root = tmp_path / "journal"
    assert cli("init", str(root), "--today", TODAY).returncode == 0
    assert (root / ".gitignore").read_text() == "site/\n.journal-cache/\n"
    assert cli("build", "--root", str(root), "--today", TODAY).returncode == 0
    assert (root / ".journal-cache").is_dir()
    git("init", "--quiet", cwd=root)
    git("add", ".", cwd=root)
    tracked = git("ls-files", cwd=root).split()
    assert not [path for path in tracked if path.startswith((".journal-cache/", "site/"))]


def test_a_reader_that_stops_early_is_no_error(make_journal, tmp_path):
    """`journal overdue --json | head`: the pipe closes before journal writes."""
    root = make_journal(JOURNAL)
    process = subprocess.Popen(
        [sys.executable, "-m", "journal.cli", "overdue", "--json", "--root", str(root), "--today", TODAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()
    assert process.wait(timeout=60) == 141  # as a process that SIGPIPE ended
    assert process.stderr.read() == b""
    shell = subprocess.run(
        f"'{sys.executable}' -m journal.cli overdue --json --root '{root}' --today {TODAY} | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (shell.stdout, shell.stderr) == ("{\n", "")


def test_a_missing_remote_is_said_in_journals_words_before_the_passphrase(make_journal, cli):
    root = make_journal(JOURNAL)
    result = cli("publish", "--root", str(root), "--today", TODAY, env={"JOURNAL_PASSPHRASE": ""})
    assert result.returncode == 1
    assert result.stderr == (
        "journal: the journal's folder is not a git repository, so it has no remote named 'origin': "
        "add one (git remote add origin URL) or pass --remote with the repository's URL; nothing pushed\n"
    )
    git("init", "--quiet", cwd=root)
    result = cli("publish", "--root", str(root), "--today", TODAY, "--remote", "pages", env={"JOURNAL_PASSPHRASE": ""})
    assert result.stderr == (
        "journal: the journal's git repository has no remote named 'pages': "
        "add one (git remote add pages URL) or pass --remote with the repository's URL; nothing pushed\n"
    )


def test_serve_in_a_folder_with_no_journal_does_not_speak_of_a_previous_site(serve, tmp_path):
    server = serve(tmp_path)
    status, soup = fetch(server, "")
    shown = " ".join(problems_shown(soup).split())
    assert status == 404
    assert shown.startswith(
        "The journal does not build yet, so there is no site to show; fix the problems below and save."
    )
    assert "previous" not in shown and "before" not in shown


@pytest.mark.parametrize("passphrase", ["x", "open sesame", "correct horse", "a b c"])
def test_a_weak_passphrase_is_refused_with_a_hint(make_journal, cli, tmp_path, passphrase):
    root = make_journal(JOURNAL)
    result = cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--today",
        TODAY,
        "--out",
        str(tmp_path / "out"),
        env={"JOURNAL_PASSPHRASE": passphrase},
    )
    assert (result.returncode, result.stderr) == (1, WEAK)
    assert not (tmp_path / "out").exists()
    forced = cli(
        "build",
        "--publish",
        "--weak-passphrase",
        "--root",
        str(root),
        "--today",
        TODAY,
        "--out",
        str(tmp_path / "out"),
        env={"JOURNAL_PASSPHRASE": passphrase},
    )
    assert forced.returncode == 0, forced.stderr


@pytest.mark.parametrize("passphrase", [GOOD, "plum-basket-orbit", "twelve chars ok"])
def test_a_passphrase_of_twelve_characters_and_three_words_is_taken(make_journal, cli, tmp_path, passphrase):
    root = make_journal(JOURNAL)
    result = cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--today",
        TODAY,
        "--out",
        str(tmp_path / "out"),
        env={"JOURNAL_PASSPHRASE": passphrase},
    )
    assert result.returncode == 0, result.stderr


def test_a_dry_run_lists_what_would_be_pushed_without_a_passphrase(make_journal, cli):
    root = make_journal(JOURNAL)
    result = cli("publish", "--dry-run", "--root", str(root), "--today", TODAY, env={"JOURNAL_PASSPHRASE": ""})
    assert result.returncode == 0, result.stderr
    sealed = "  (sealed, at an opaque address)"
    assert result.stdout.splitlines() == [
        ".nojekyll",
        f"contacts/index.html{sealed}",
        f"contacts/pat-lee.html{sealed}",
        f"index.html{sealed}",
        f"meetings/coffee.html{sealed}",
        f"meetings/index.html{sealed}",
        f"overdue/index.html{sealed}",
        f"reciprocity/index.html{sealed}",
        f"search-index.js{sealed}",
        "search.js",
        "style.css",
        f"tags/index.html{sealed}",
        "unlock.js",
        "dry run: would replace branch gh-pages of origin with 13 files, 9 of them sealed with the passphrase; "
        "no passphrase asked, nothing pushed (with JOURNAL_PASSPHRASE set, a dry run shows the exact files and commit)",
    ]
    assert result.stderr == ""


PROMPTS = ("Passphrase for the published site: ", "Same passphrase again: ")


def typed(root: Path, answers: list[str], *extra: str) -> tuple[int, str]:
    """(status, stderr) of `journal build --publish` with its passphrase typed at a terminal
    (a pty), each answer once its prompt is shown: getpass flushes what was typed before."""
    controller, terminal = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "JOURNAL_PASSPHRASE"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "journal.cli",
            "build",
            "--publish",
            "--root",
            str(root),
            "--today",
            TODAY,
            "--out",
            str(root / "out"),
            *extra,
        ],
        stdin=terminal,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    stderr = b""
    try:
        for asked, answer in enumerate(answers):
            while sum(stderr.decode().count(prompt) for prompt in PROMPTS) <= asked and process.poll() is None:
                ready, _, _ = select.select([process.stderr], [], [], 60)
                assert ready, f"no prompt after {stderr!r}"
                stderr += os.read(process.stderr.fileno(), 4096)
            os.write(controller, answer.encode() + b"\n")
        stderr += process.stderr.read()
        return process.wait(timeout=120), stderr.decode()
    finally:
        process.stderr.close()
        os.close(terminal)
        os.close(controller)


def test_two_different_passphrases_ask_again(make_journal):
    root = make_journal(JOURNAL)
    status, stderr = typed(root, [GOOD, GOOD + " typo", GOOD, GOOD])
    assert status == 0, stderr
    assert stderr.count("The two passphrases differ. Try again.\n") == 1
    assert (root / "out" / "index.html").is_file()


def test_a_weak_typed_passphrase_asks_again_and_three_misses_stop(make_journal):
    root = make_journal(JOURNAL)
    status, stderr = typed(root, ["x", GOOD, "y", "z"])  # weak, differ, weak
    assert status == 1
    assert stderr.count("Too weak: a passphrase needs at least 12 characters and 3 words") == 2
    assert stderr.count("The two passphrases differ. Try again.") == 1
    assert stderr.endswith("journal: no passphrase: none accepted in 3 tries; nothing written\n")
    assert not (root / "out").exists()
    assert typed(root, ["x", "x"], "--weak-passphrase")[0] == 0
