"""The output folder is journal's alone: a build never writes into the notes, the root or a
folder it did not make, and never through a symbolic link (hostile input, round three)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY_ARG, site_files

from journal.write import SITE_MARKER

NOTE = """\
---
date: 2026-11-02
with: Pat Lee
title: Coffee
---
Talked shop.
"""


@pytest.fixture
def root(make_journal) -> Path:
    return make_journal({"entries/2026/coffee.md": NOTE, "journal.yaml": "owner: Me\n"})


def _everything(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(cli, root: Path, out: str, *extra: str):
    return cli("build", "--root", str(root), "--out", out, "--today", TODAY_ARG, *extra)


@pytest.mark.parametrize("publish", [(), ("--publish",)])
@pytest.mark.parametrize(
    ("out", "why"),
    [
        ("entries", "the output folder is inside entries/, which journal never writes; choose another, like site/"),
        (
            "entries/2026",
            "the output folder is inside entries/, which journal never writes; choose another, like site/",
        ),
        (
            "templates/x",
            "the output folder is inside templates/, which journal never writes; choose another, like site/",
        ),
        (
            ".journal-cache",
            "the output folder is inside .journal-cache/, which journal never writes; choose another, like site/",
        ),
        (".git/site", "the output folder is inside .git/, which journal never writes; choose another, like site/"),
    ],
)
def test_a_build_never_writes_into_the_notes_or_the_journals_own_folders(cli, root, out, why, publish):
    before = _everything(root)
    result = _build(cli, root, str(root / out), *publish)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"{root / out}: error: {why}"
    assert _everything(root) == before


@pytest.mark.parametrize("out", [".", ".."])
def test_a_build_never_replaces_the_root_or_a_folder_holding_it(cli, root, out):
    before = _everything(root.parent)
    result = _build(cli, root, str(root / out))
    assert result.returncode == 1
    assert "error: the output folder holds the journal at" in result.stderr
    assert "Traceback" not in result.stderr
    assert _everything(root.parent) == before


def test_a_folder_journal_did_not_make_is_left_alone(cli, root):
    docs = root / "docs"
    docs.mkdir()
    (docs / "essay.txt").write_text("my essay")
    result = _build(cli, root, str(docs))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{docs}: error: the output folder holds files journal did not write (no {SITE_MARKER}); "
        "choose an empty or new folder, or empty this one yourself"
    )
    assert _everything(docs) == {"essay.txt": b"my essay"}


def test_a_site_link_is_never_followed(cli, root, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    (precious / SITE_MARKER).write_text("even a folder that claims to be a site")
    (root / "site").symlink_to(precious)
    result = cli("build", "--root", str(root), "--today", TODAY_ARG)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{root / 'site'}: error: the output folder is a symbolic link; journal writes only into a real folder (remove the link)"
    )
    assert sorted(p.name for p in precious.iterdir()) == [SITE_MARKER, "thesis.tex"]


def test_journals_own_folder_is_marked_and_replaced_whole(cli, root):
    out = root / "site"
    assert _build(cli, root, str(out)).returncode == 0
    assert (out / SITE_MARKER).is_file()
    assert "index.html" in site_files(out) and SITE_MARKER not in site_files(out)
    (root / "entries/2026/coffee.md").unlink()
    (root / "entries/2026/lunch.md").write_text(NOTE.replace("Coffee", "Lunch"))
    again = _build(cli, root, str(out))
    assert again.returncode == 0, again.stderr
    assert "removed" in again.stdout and (out / SITE_MARKER).is_file()
    unchanged = _build(cli, root, str(out))
    assert "(0 written, " in unchanged.stdout and ", 0 removed)" in unchanged.stdout


def test_a_site_built_before_the_marker_is_adopted_once(cli, root, tmp_path):
    out = root / "site"
    assert _build(cli, root, str(out)).returncode == 0
    (out / SITE_MARKER).unlink()  # as an older journal left it
    result = _build(cli, root, str(out))
    assert result.returncode == 0, result.stderr
    assert (out / SITE_MARKER).is_file()


def test_an_empty_or_new_folder_elsewhere_is_fine(cli, root, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _build(cli, root, str(empty)).returncode == 0
    assert _build(cli, root, str(tmp_path / "new" / "deeper")).returncode == 0
    assert (tmp_path / "new" / "deeper" / "index.html").is_file()


def test_links_that_leave_the_journal_are_refused_by_name(cli, root, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "diary.md").write_text(NOTE.replace("Talked shop.", "SECRET-DIARY"))
    (root / "entries/2026/diary.md").symlink_to(outside / "diary.md")
    (root / "entries/2026/inside.md").symlink_to(root / "entries/2026/coffee.md")  # a link within is fine
    result = _build(cli, root, str(root / "site"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "entries/2026/diary.md: error: this is a link to a file outside the journal; "
        "journal reads only files in its own folder (copy the file in instead)"
    )
    assert not (root / "site").exists()


def test_an_entries_link_to_another_tree_is_not_walked(cli, root, tmp_path):
    elsewhere = tmp_path / "usr"
    (elsewhere / "share").mkdir(parents=True)
    (elsewhere / "share" / "x.md").write_text(NOTE)
    moved = root / "entries"
    moved.rename(tmp_path / "old-entries")
    moved.symlink_to(elsewhere)
    result = cli("check", "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"entries: error: entries/ is a link to {elsewhere}, outside the journal; journal reads only its own folder"
    )


def _file_size_limit(limit: int):
    """In the child: files may grow to `limit` bytes, and a write past it fails (EFBIG) instead
    of killing the process: how a full disk looks to journal, without filling one."""
    import resource
    import signal

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_names_the_folder_and_leaves_nothing_half_written(root, tmp_path):
    import subprocess
    import sys

    out = root / "site"
    assert (
        subprocess.run([sys.executable, "-m", "journal.cli", "build", "--root", str(root), "--quiet"]).returncode == 0
    )
    before = _everything(out)
    (root / "entries/2026/long.md").write_text(NOTE.replace("Talked shop.", "word " * 60_000))
    result = subprocess.run(
        [sys.executable, "-m", "journal.cli", "build", "--root", str(root), "--today", TODAY_ARG],
        capture_output=True,
        text=True,
        preexec_fn=_file_size_limit(200_000),
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"journal: File too large while writing the site into {out}; the previous site is unchanged\n"
    )
    assert _everything(out) == before
    assert [p.name for p in (root / ".journal-cache").iterdir() if p.name.startswith(".tmp-")] == []
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.")] == []
