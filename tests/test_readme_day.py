"""README's "A day with journal" runs on the demo journal as written (issue 24): each command
of that block, on a copy of the demo, on the demo's day."""

from __future__ import annotations

import re
import shlex
import shutil

from conftest import REPO, TODAY_ARG


def day_with_journal() -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## A day with journal", 1)[1].split("\n## ", 1)[0]
    return [shlex.split(line, comments=True) for line in re.findall(r"^    (journal .*)$", section, re.M)]


def test_the_block_is_there_and_names_the_everyday_commands():
    names = [command[1] for command in day_with_journal()]
    assert names == ["new", "check", "overdue", "reciprocity", "brief", "people", "build", "serve"]


def test_every_command_of_a_day_with_journal_runs_on_the_demo(tmp_path, cli, serve):
    root = tmp_path / "demo"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copy2(REPO / "journal.yaml", root / "journal.yaml")
    for command in day_with_journal():
        args = [*command[1:], "--root", str(root), "--today", TODAY_ARG]
        if command[1] == "serve":
            server = serve(root, "--today", TODAY_ARG)
            assert server.url.startswith("http://127.0.0.1:")
            continue
        result = cli(*args)
        assert (command, result.returncode) == (command, 0), result.stderr
        assert "error" not in result.stderr, result.stderr
        assert result.stdout.strip(), command
