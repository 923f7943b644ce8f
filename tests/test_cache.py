"""The build cache (.journal-cache/) makes builds faster, never different: after every kind of
change, a build with the cache gives the same bytes as a cold build (fresh cache, fresh out)."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest
from conftest import site_files

from journal import build as build_module
from journal.build import build
from journal.pipeline import load, parse_entries
from journal.sources import CACHE_DIR
from journal.speed import lastbuild
from journal.speed.cache import ParseCache, cache_key, key_path, tag
from journal.speed.lastbuild import open_cache

TODAY = date(2026, 11, 23)

JOURNAL = {
    "journal.yaml": "title: Cache test\nowner: Alex Rivera\n",
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        aliases: [Pat]
        ---
        Printer.
    """,
    "entries/2026/2026-10-01-breakfast.md": """
        ---
        date: 2026-10-01
        with: Pat
        tags: [bni]
        commitments:
          - by: me
            what: Introduce Pat to Terry
            kind: introduction
            introducing: Terry Nguyen
            due: 2026-10-08
        ---
        # Breakfast

        Pat wants *printers*.
    """,
    "entries/2026/2026-11-20-call.md": """
        ---
        date: 2026-11-20
        with: Terry Nguyen
        received:
          - from: Terry
            what: Coffee voucher
            kind: favor
        ---
        Quick **call**.
    """,
}


def tree(folder: Path) -> dict[str, bytes]:
    return site_files(folder)


def cold_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site a first build of a copy of root gives: no cache, no previous output."""
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(CACHE_DIR, "site"))
    result = build(copy, tmp_path / "cold-out", TODAY)
    assert not result.problems
    site = tree(tmp_path / "cold-out")
    shutil.rmtree(tmp_path / "cold-out")
    return site


@pytest.fixture
def warm(make_journal):
    """A journal built once, so its cache holds every file and its Markdown."""
    root = make_journal(JOURNAL)
    assert not build(root, root / "site", TODAY).problems
    assert (root / CACHE_DIR).is_dir()
    return root


def rebuild_equals_cold(root: Path, tmp_path: Path) -> None:
    result = build(root, root / "site", TODAY)
    assert not result.problems
    assert tree(root / "site") == cold_build(root, tmp_path)


def test_an_unchanged_journal_rewrites_nothing(warm, tmp_path):
    before = {path: path.stat().st_mtime_ns for path in (warm / "site").rglob("*")}
    result = build(warm, warm / "site", TODAY)
    assert result.report.written == () and result.report.removed == ()
    assert {path: path.stat().st_mtime_ns for path in (warm / "site").rglob("*")} == before
    assert tree(warm / "site") == cold_build(warm, tmp_path)


def test_an_edited_note(warm, tmp_path):
    note = warm / "entries/2026/2026-11-20-call.md"
    note.write_text(note.read_text().replace("Quick **call**.", "A long *call* with Pat Lee."))
    rebuild_equals_cold(warm, tmp_path)
    assert b"A long <em>call</em>" in (warm / "site/meetings/2026-11-20-call.html").read_bytes()


def test_a_renamed_note(warm, tmp_path):
    (warm / "entries/2026/2026-11-20-call.md").rename(warm / "entries/2026/2026-11-21-call.md")
    rebuild_equals_cold(warm, tmp_path)
    assert not (warm / "site/meetings/2026-11-20-call.html").exists()


def test_a_deleted_note(warm, tmp_path):
    (warm / "entries/2026/2026-10-01-breakfast.md").unlink()
    rebuild_equals_cold(warm, tmp_path)
    assert not (warm / "site/tags/bni.html").exists()


def test_a_changed_template(warm, tmp_path):
    (warm / "templates").mkdir()
    shipped = Path(build_module.__file__).resolve().parent.parent / "templates" / "meeting.html"
    (warm / "templates/meeting.html").write_text(shipped.read_text().replace("<h1>", '<h1 class="mine">'))
    rebuild_equals_cold(warm, tmp_path)
    assert b'<h1 class="mine">' in (warm / "site/meetings/2026-11-20-call.html").read_bytes()


def test_a_changed_journal_yaml(warm, tmp_path):
    (warm / "journal.yaml").write_text("title: Renamed\nowner: Alex Rivera\ndefault_due_days: 3\n")
    rebuild_equals_cold(warm, tmp_path)
    assert b"Renamed" in (warm / "site/index.html").read_bytes()


def read_cached(root: Path, name: str) -> list:
    """The JSON value of a cache file, its tag checked under this user's key."""
    data = (root / CACHE_DIR / name).read_bytes()
    assert data[:32] == tag(cache_key(), name, data[32:])
    return json.loads(data[32:])


def write_cached(root: Path, name: str, value: list, key: bytes | None = None) -> None:
    """Plant a cache file as someone holding the key (this user's, unless given) would."""
    body = json.dumps(value).encode("ascii")
    (root / CACHE_DIR / name).write_bytes(tag(key or cache_key(), name, body) + body)


def poison(root: Path, profile: str = "local") -> None:
    """Make every cached Markdown rendering of `profile` wrong, and forget the last build's inputs."""
    name = f"markdown-{profile}.json"
    form, salt, markdown = read_cached(root, name)
    write_cached(root, name, [form, salt, [[key, "<p>poisoned</p>"] for key, _ in markdown]])
    (root / CACHE_DIR / "last-build.json").unlink(missing_ok=True)


def test_a_new_version_of_journal_drops_the_cache(warm, tmp_path, monkeypatch):
    poison(warm)
    assert not build(warm, warm / "site", TODAY).problems
    assert b"poisoned" in (warm / "site/meetings/2026-11-20-call.html").read_bytes()  # the cache is used...
    poison(warm)
    monkeypatch.setattr(lastbuild, "__version__", "99.0")  # ...until journal is upgraded
    rebuild_equals_cold(warm, tmp_path)
    assert b"poisoned" not in (warm / "site/meetings/2026-11-20-call.html").read_bytes()


def test_another_day_and_a_hand_edited_site_are_rebuilt(warm, tmp_path):
    (warm / "site/meetings/2026-11-20-call.html").write_text("tampered")
    (warm / "site/contacts/pat-lee.html").unlink()
    rebuild_equals_cold(warm, tmp_path)
    assert not build(warm, warm / "site", date(2026, 12, 25)).problems
    assert b"Fri 25 Dec 2026" in (warm / "site/index.html").read_bytes()


def test_a_corrupt_or_deleted_cache_is_only_slower(warm, tmp_path):
    for path in (warm / CACHE_DIR).iterdir():
        path.write_bytes(b"not JSON")
    (warm / "entries/2026/2026-11-20-call.md").write_text("---\ndate: 2026-11-20\nwith: Pat\n---\nRewritten.\n")
    rebuild_equals_cold(warm, tmp_path)
    shutil.rmtree(warm / CACHE_DIR)
    rebuild_equals_cold(warm, tmp_path)


class Payload:
    """Unpickling this runs os.system: what a crafted pickle in the cache would do."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def test_a_crafted_pickle_in_the_cache_runs_nothing(warm, tmp_path):
    proof = tmp_path / "ran"
    payload = pickle.dumps(Payload(f"touch {proof}"))
    for name in ("results.pickle", "last-build.pickle", "results.json", "markdown-local.json", "last-build.json"):
        (warm / CACHE_DIR / name).write_bytes(tag(cache_key(), name, payload) + payload)  # even under the user's key
    rebuild_equals_cold(warm, tmp_path)
    assert not proof.exists()


def crafted(root: Path, replace) -> None:
    """Rewrite results.json (the parsed files) with replace(form, salt, parsed) -> the new JSON
    value, tagged under the user's key, and forget the last build so the results are read."""
    write_cached(root, "results.json", replace(*read_cached(root, "results.json")))
    (root / CACHE_DIR / "last-build.json").unlink()


def first_note(parsed: list) -> list:
    return next(entry for entry in parsed if entry[1] and "NoteRecord" in entry[1])


@pytest.mark.parametrize(
    "change",
    [
        "a type outside the allowlist",
        "a field of the wrong type",
        "a field too many",
        "a problem that is a string",
        "a card where a person belongs",
        "a date that is not one",
        "two keys in a record",
        "a key that is not hex",
    ],
)
def test_a_crafted_cache_is_an_empty_one(warm, tmp_path, change):
    def replace(form, salt, parsed):
        entry = first_note(parsed)
        fields = entry[1]["NoteRecord"]
        if change == "a type outside the allowlist":
            entry[1] = {"Popen": [["touch", str(tmp_path / "ran")]]}
        elif change == "a field of the wrong type":
            fields[3] = 12  # the title
        elif change == "a field too many":
            fields.append("")
        elif change == "a problem that is a string":
            entry[2] = ["entries/x.md:1: error: planted"]
        elif change == "a card where a person belongs":
            card = next(entry[1] for entry in parsed if entry[1] and "CardRecord" in entry[1])
            fields[5] = [card]
        elif change == "a date that is not one":
            fields[1] = "the 5th of November"
        elif change == "two keys in a record":
            entry[1]["CardRecord"] = []
        else:
            entry[0] = "not hex at all, but 32 long ....."
        return [form, salt, parsed]

    crafted(warm, replace)
    assert open_cache(warm).parsed == {}
    rebuild_equals_cold(warm, tmp_path)
    assert not (tmp_path / "ran").exists()
    saved = read_cached(warm, "results.json")
    assert len(saved[2]) == 3  # written afresh from this build's own results


def test_a_planted_record_in_a_well_formed_cache_is_the_only_way_to_change_a_build(warm, tmp_path):
    """The cache is trusted for its content, like any file in the journal, but only as data:
    a well-formed record is used (which proves the reader rebuilds records), nothing runs."""

    def replace(form, salt, parsed):
        first_note(parsed)[1]["NoteRecord"][3] = "Planted title"
        return [form, salt, parsed]

    crafted(warm, replace)
    assert not build(warm, warm / "site", TODAY).problems
    assert b"Planted title" in b"".join(path.read_bytes() for path in (warm / "site/meetings").iterdir())


def test_the_cache_gives_back_exactly_what_was_parsed(warm):
    parsed = ParseCache(parse_entries)
    load(warm, parsed.parse_all)
    stored = open_cache(warm).parsed
    assert stored == parsed.results
    assert [type(problems) for _, problems in stored.values()] == [list] * len(parsed.results)


def script_bodies(root: Path, key: bytes | None) -> None:
    """Plant markdown-local.json as someone who can write the journal's folder could: the
    right format, salt and body keys (all public or computable from the notes), every body
    a script; tagged under `key` (a guess at the user's), or untagged when None."""
    form, salt, markdown = read_cached(root, "markdown-local.json")
    value = [form, salt, [[body_key, "<script>alert('planted')</script>"] for body_key, _ in markdown]]
    if key is None:
        (root / CACHE_DIR / "markdown-local.json").write_text(json.dumps(value))
    else:
        write_cached(root, "markdown-local.json", value, key)
    (root / CACHE_DIR / "last-build.json").unlink()


@pytest.mark.parametrize("key", [None, bytes(32), b"k" * 32], ids=["untagged", "zero key", "guessed key"])
def test_planted_script_html_without_the_users_key_is_ignored(warm, tmp_path, key):
    script_bodies(warm, key)
    rebuild_equals_cold(warm, tmp_path)
    assert not [path for path, data in tree(warm / "site").items() if b"<script>alert" in data]


def test_a_cache_written_under_one_key_is_ignored_under_another(warm, tmp_path, monkeypatch):
    poison(warm)  # under this user's key: a build that read it would show it
    first = cache_key()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    assert cache_key() != first  # a fresh key, made on first use
    rebuild_equals_cold(warm, tmp_path)
    assert b"poisoned" not in (warm / "site/meetings/2026-11-20-call.html").read_bytes()


def test_the_key_is_made_once_readable_by_its_user_alone_outside_the_journal(warm, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    assert not key_path().exists()
    key = cache_key()
    assert key_path() == tmp_path / "fresh/networking-journal/cache-key"
    assert stat.S_IMODE(key_path().stat().st_mode) == 0o600
    assert key_path().read_bytes() == key and len(key) == 32
    assert cache_key() == key
    assert [path.name for path in key_path().parent.iterdir()] == ["cache-key"]  # no temporary file left
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/folder")  # not absolute: the XDG rule says ignore it
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert key_path() == tmp_path / "home/.cache/networking-journal/cache-key"


def test_without_a_key_the_build_runs_without_a_cache(make_journal, tmp_path, monkeypatch):
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    assert cache_key() is None
    root = make_journal(JOURNAL)
    for _ in range(2):
        rebuild_equals_cold(root, tmp_path)
    assert not (root / CACHE_DIR).exists()


def test_git_leaves_the_cache_out_even_without_the_journals_gitignore(warm):
    import subprocess

    subprocess.run(["git", "init", "--quiet", str(warm)], check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=warm, capture_output=True, text=True, check=True
    ).stdout
    assert "entries/2026/2026-10-01-breakfast.md" in status and CACHE_DIR not in status
