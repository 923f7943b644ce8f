"""`journal serve` over real HTTP, with real file writes the way editors save."""

from __future__ import annotations

import gc
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import site_files, wait_until

from journal import serve
from journal.serve import Preview, locate
from journal.speed import parallel
from journal.watch import Watcher, relevant_path

NOTE = "entries/2026/2026-10-01-coffee-pat.md"
MEETING_PAGE = "meetings/2026-10-01-coffee-pat.html"
JOURNAL = {
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        ---
        Pat runs the print shop.
    """,
    NOTE: """
        ---
        date: 2026-10-01
        with: Pat Lee
        ---
        # Coffee with Pat

        first version
    """,
}
BROKEN = (
    "---\ndate: 2026-10-01\nwith: Pat Lee\ncommitments:\n  - by: me\n    what: Call\n    kind: bribe\n---\nbroken\n"
)
BROKEN_PROBLEM = (
    f"{NOTE}:7: error: commitment kind 'bribe' is not one of introduction, referral, lead, favor, follow-up, other"
)


def note_text(body: str) -> str:
    return f"---\ndate: 2026-10-01\nwith: Pat Lee\n---\n# Coffee with Pat\n\n{body}\n"


def request(url: str, path: str, method: str = "GET", timeout: float = 30) -> tuple[int, dict, bytes]:
    """A raw request: `path` goes on the wire exactly as written (no client-side cleanup)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def fetch(server, path: str) -> tuple[int, BeautifulSoup]:
    status, _, body = request(server.url, "/" + path)
    return status, BeautifulSoup(body, "html5lib")


def main_text(server, path: str) -> str:
    status, soup = fetch(server, path)
    return soup.main.get_text(" ", strip=True) if status == 200 and soup.main else ""


def problems_shown(soup: BeautifulSoup) -> str:
    found = soup.find(id="journal-problems")
    return found.get_text("\n") if found else ""


def shows(server, text: str, path: str = MEETING_PAGE) -> None:
    wait_until(lambda: text in main_text(server, path), what=f"{path} to show {text!r}")


@pytest.fixture
def journal(make_journal):
    return make_journal(JOURNAL)


def test_serves_the_built_site_with_a_reload_script_only_in_the_html_it_sends(journal, serve, cli, tmp_path):
    server = serve(journal, "--today", "2026-10-05")
    assert server.url.startswith("http://127.0.0.1:")
    assert (
        cli("build", "--root", str(journal), "--out", str(tmp_path / "cold"), "--today", "2026-10-05").returncode == 0
    )
    for path in ("index.html", MEETING_PAGE, "contacts/pat-lee.html", "overdue/index.html"):
        status, headers, body = request(server.url, "/" + path)
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        served = BeautifulSoup(body, "html5lib")
        [script] = served.find_all("script", src="/__journal__/live.js")
        script.decompose()
        assert str(served) == str(BeautifulSoup((tmp_path / "cold" / path).read_bytes(), "html5lib"))
    status, headers, body = request(server.url, "/style.css")
    assert (status, headers["Content-Type"]) == (200, "text/css; charset=utf-8")
    assert body == (tmp_path / "cold/style.css").read_bytes()
    status, headers, _ = request(server.url, "/__journal__/live.js")
    assert (status, headers["Content-Type"]) == (200, "text/javascript; charset=utf-8")
    status, headers, body = request(server.url, "/index.html", method="HEAD")
    assert (status, body) == (200, b"")
    status, headers, _ = request(server.url, "/meetings")
    assert (status, headers["Location"]) == (301, "/meetings/")
    status, soup = fetch(server, "meetings/")
    assert status == 200 and "Coffee with Pat" in soup.main.get_text()
    assert request(server.url, "/no-such-page.html")[0] == 404
    assert not (journal / "site").exists()  # the preview never writes into the journal


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/meetings/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
        "/..%5c..%5c..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd%00.html",
        "/%252e%252e/%252e%252e/etc/passwd",
    ],
)
def test_paths_outside_the_site_are_refused(journal, serve, path):
    server = serve(journal, "--today", "2026-10-05")
    status, _, body = request(server.url, path)
    assert status in (403, 404)
    assert b"root:" not in body


def test_symlinks_out_of_the_site_are_refused(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "secret"
    (site / "notes").mkdir(parents=True)
    outside.mkdir()
    (outside / "key.txt").write_text("secret")
    (site / "index.html").write_text("home")
    (site / "notes/page.html").write_text("page")
    (site / "leak.txt").symlink_to(outside / "key.txt")
    (site / "leaks").symlink_to(outside)
    (site / "inside.html").symlink_to(site / "index.html")
    (outside / "index.html").write_text("secret index")
    assert locate(site, "/leak.txt") == (403, None)
    assert locate(site, "/leaks/key.txt") == (403, None)
    assert locate(site, "/leaks/") == (403, None)
    assert locate(site, "/inside.html") == (200, (site / "index.html").resolve())
    assert locate(site, "/") == (200, (site / "index.html").resolve())
    assert locate(site, "/notes") == (301, None)
    assert locate(site, "/notes/page.html?x=1#y") == (200, (site / "notes/page.html").resolve())
    assert locate(site, "/missing.html") == (404, None)


def test_many_concurrent_requests_and_open_event_streams(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    parts = urllib.parse.urlsplit(server.url)
    streams = []
    for _ in range(8):  # tabs waiting for a reload hold a connection each
        stream = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        stream.request("GET", "/__journal__/events")
        response = stream.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        streams.append((stream, response))
    paths = ["/index.html", "/" + MEETING_PAGE, "/contacts/pat-lee.html", "/style.css", "/meetings/"] * 40
    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(lambda path: request(server.url, path)[0], paths))
    assert results == [200] * len(paths)
    for stream, _ in streams:
        stream.close()


def test_event_stream_announces_a_new_build(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    _, soup = fetch(server, "index.html")
    build = soup.find("script", src="/__journal__/live.js")["data-build"]
    parts = urllib.parse.urlsplit(server.url)
    stream = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    stream.request("GET", "/__journal__/events")
    response = stream.getresponse()
    announced = []

    def read_events():
        for line in response.fp:
            if line.startswith(b"data: "):
                announced.append(line[6:].strip().decode())

    reader = threading.Thread(target=read_events, daemon=True)
    reader.start()
    wait_until(lambda: announced == [build], what="the current build id")
    (journal / NOTE).write_text(note_text("second version"))
    wait_until(lambda: len(announced) == 2, what="a new build id")
    assert announced[1] != build
    _, soup = fetch(server, "index.html")
    assert soup.find("script", src="/__journal__/live.js")["data-build"] == announced[1]
    stream.close()


def vim_save(path: Path, text: str) -> None:
    """vim's default save: probe the folder with '4913', keep a swap file, back up, write."""
    swap = path.with_name(f".{path.name}.swp")
    swap.write_bytes(b"b0VIM 9.0" + b"\0" * 100)
    probe = path.with_name("4913")
    probe.write_text("")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    os.rename(path, backup)
    path.write_text(text)
    backup.unlink()
    swap.unlink()


def emacs_save(path: Path, text: str) -> None:
    """Emacs: a .#lock symlink while editing, a ~ backup, a temp file renamed over the note."""
    lock = path.with_name(f".#{path.name}")
    lock.symlink_to("alex@laptop.12345:1700000000")
    shutil.copy2(path, path.with_name(path.name + "~"))
    temp = path.with_name(f".#{path.stem}-tmp{os.getpid()}")
    temp.write_text(text)
    os.rename(temp, path)
    lock.unlink()


def jetbrains_save(path: Path, text: str) -> None:
    temp = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temp.write_text(text)
    os.rename(path, old)
    os.rename(temp, path)
    old.unlink()


def vscode_atomic_save(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temp.write_text(text)
    os.replace(temp, path)


def in_place_save(path: Path, text: str) -> None:
    with open(path, "r+") as handle:  # nano, VS Code's default: truncate and write
        handle.truncate(0)
        handle.write(text)


def delete_and_recreate(path: Path, text: str) -> None:
    path.unlink()
    path.write_text(text)


@pytest.mark.parametrize(
    "save", [in_place_save, vscode_atomic_save, vim_save, emacs_save, jetbrains_save, delete_and_recreate]
)
def test_every_way_an_editor_saves_updates_the_page(journal, serve, save):
    server = serve(journal, "--today", "2026-10-05")
    shows(server, "first version")
    save(journal / NOTE, note_text(f"saved by {save.__name__}"))
    shows(server, f"saved by {save.__name__}")
    # Editor droppings left behind (backups, locks) are never read as notes.
    save(journal / NOTE, note_text("and again"))
    shows(server, "and again")
    _, soup = fetch(server, "meetings/index.html")
    assert problems_shown(soup) == ""
    assert [a.get_text() for a in soup.main.select("a[href$='coffee-pat.html']")] == ["Coffee with Pat"]


def test_editor_droppings_with_broken_yaml_are_never_read(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    folder = (journal / NOTE).parent
    for name in (
        ".#coffee.md",
        "coffee.md~",
        "4913",
        ".coffee.md.swp",
        "#coffee.md#",
        "coffee.md___jb_tmp___",
        ".~lock.coffee.md#",
    ):
        (folder / name).write_text("---\ndate: [broken\n---\n")
    (journal / NOTE).write_text(note_text("still fine"))
    shows(server, "still fine")
    _, soup = fetch(server, "index.html")
    assert problems_shown(soup) == ""


def test_a_renamed_or_deleted_note_loses_its_page(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    shows(server, "first version")
    os.rename(journal / NOTE, journal / "entries/2026/2026-10-01-breakfast-pat.md")
    wait_until(lambda: fetch(server, MEETING_PAGE)[0] == 404, what="the old page to go")
    shows(server, "first version", "meetings/2026-10-01-breakfast-pat.html")
    (journal / "entries/2026/2026-10-01-breakfast-pat.md").unlink()
    wait_until(lambda: fetch(server, "meetings/2026-10-01-breakfast-pat.html")[0] == 404, what="the deleted page to go")
    _, soup = fetch(server, "meetings/index.html")
    assert soup.main.select("a[href*='pat.html']") == []


def test_a_burst_of_fifty_saves_ends_in_the_last_one(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    shows(server, "first version")
    for number in range(50):
        (journal / NOTE).write_text(note_text(f"version {number} of 50"))
    shows(server, "version 49 of 50")

    def rebuilds() -> list[str]:
        return [line for line in server.stdout.read_text().splitlines() if line.startswith(f"{NOTE} changed: ")]

    # The edited page is served before its build finishes and prints its line: wait for the line.
    wait_until(lambda: rebuilds(), what="the rebuild's line in the terminal")
    assert 1 <= len(rebuilds()) < 50  # debounced: saves that come together build together


def test_a_bad_save_shows_the_problems_on_every_page_until_fixed(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    shows(server, "first version")
    (journal / NOTE).write_text(BROKEN)
    wait_until(lambda: problems_shown(fetch(server, "index.html")[1]), what="the problem overlay")
    for path in ("index.html", MEETING_PAGE, "contacts/", "no-such-page.html"):
        _, soup = fetch(server, path)
        assert BROKEN_PROBLEM in problems_shown(soup).splitlines()
        assert "1 error in 2 files" in problems_shown(soup).splitlines()
    assert "first version" in main_text(server, MEETING_PAGE)  # the last good site, underneath
    wait_until(lambda: BROKEN_PROBLEM in server.stderr.read_text(), what="the problem in the terminal")
    (journal / NOTE).write_text(note_text("fixed"))
    shows(server, "fixed")
    _, soup = fetch(server, "index.html")
    assert problems_shown(soup) == ""
    assert server.process.poll() is None


def test_a_template_that_fails_while_rendering_does_not_stop_the_preview(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    (journal / "templates").mkdir()
    (journal / "templates/meeting.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ 1 + "a" }}{% endblock %}'
    )
    wait_until(lambda: problems_shown(fetch(server, "index.html")[1]), what="the problem overlay")
    assert "TypeError" in problems_shown(fetch(server, "index.html")[1])
    assert "templates/meeting.html:1:" in problems_shown(fetch(server, "index.html")[1])  # where, not just what
    (journal / "templates/meeting.html").write_text(
        '{% extends "base.html" %}{% block main %}custom {{ meeting.title }}{% endblock %}'
    )
    shows(server, "custom Coffee with Pat")
    assert problems_shown(fetch(server, "index.html")[1]) == ""


def test_a_journal_broken_from_the_start_is_served_as_its_problems(make_journal, serve):
    root = make_journal({NOTE: BROKEN})
    server = serve(root, "--today", "2026-10-05")
    status, soup = fetch(server, "")
    assert status == 404
    assert BROKEN_PROBLEM in problems_shown(soup).splitlines()
    (root / NOTE).write_text(note_text("now it builds"))
    shows(server, "now it builds")


def test_prints_each_rebuild_with_its_time_and_what_it_redid(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    (journal / NOTE).write_text(note_text("second version"))
    line = wait_until(
        lambda: [x for x in server.stdout.read_text().splitlines() if x.startswith(f"{NOTE} changed: ")],
        what="the rebuild line",
    )[0]
    # The edited note's page first, then the rest of the site: 6 pages of 8 (overdue and tags untouched).
    assert re.fullmatch(
        rf"{NOTE} changed: {MEETING_PAGE} in \d+\.\d\d s, then built \d+ files in \d+\.\d\d s \(1 file parsed, 6 pages rendered\)",
        line,
    ), line


def test_ctrl_c_and_kill_stop_cleanly(journal, serve):
    for sig in (signal.SIGINT, signal.SIGTERM):
        server = serve(journal, "--today", "2026-10-05")
        result = server.stop(sig)
        assert result.returncode == 0
        assert result.stdout.splitlines()[-1] == "stopped"
        assert "Traceback" not in result.stderr


def test_a_busy_port_says_which_option_to_use(journal, cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--root", str(journal), "--port", str(port))
    assert result.returncode == 1
    assert (
        result.stderr
        == f"journal: port {port} on 127.0.0.1 is already in use; choose another with --port, e.g. --port {port + 1}\n"
    )


@pytest.mark.parametrize(
    ("path", "is_directory", "expected"),
    [
        ("entries/2026/a.md", False, "entries/2026/a.md"),
        ("entries/contacts/pat.md", False, "entries/contacts/pat.md"),
        ("journal.yaml", False, "journal.yaml"),
        ("templates/meeting.html", False, "templates/meeting.html"),
        ("templates/style.css", False, "templates/style.css"),
        ("entries/2026", True, "entries/2026"),
        ("entries", True, "entries"),
        ("entries/2026/4913", False, None),
        ("entries/2026/.a.md.swp", False, None),
        ("entries/2026/.a.md.swx", False, None),
        ("entries/2026/a.md~", False, None),
        ("entries/2026/.#a.md", False, None),
        ("entries/2026/#a.md#", False, None),
        ("entries/2026/a.md___jb_tmp___", False, None),
        ("entries/.obsidian/workspace.md", False, None),
        ("entries/.git", True, None),
        ("templates/.meeting.html.swp", False, None),
        ("templates/meeting.html~", False, None),
        ("site/index.html", False, None),
        (".git/index", False, None),
        ("notes.md", False, None),
    ],
)
def test_which_changes_can_change_the_site(tmp_path, path, is_directory, expected):
    assert relevant_path(tmp_path, str(tmp_path / path), is_directory) == expected


def test_the_watcher_calls_back_once_per_editor_save(make_journal):
    root = make_journal(JOURNAL)
    calls: list[tuple[str, ...]] = []
    changed = threading.Condition()

    def on_change(paths):
        with changed:
            calls.append(paths)
            changed.notify_all()

    watcher = Watcher(root, on_change, quiet=0.5)
    watcher.start()
    try:
        vim_save(root / NOTE, note_text("saved by vim"))
        wait_until(lambda: calls, what="the watcher to call back")
        # A second, unrelated save: anything the first one left pending would come first.
        (root / "entries/2026/sentinel.md").write_text(note_text("sentinel"))
        wait_until(lambda: len(calls) >= 2, what="the sentinel")
        assert calls == [(NOTE,), ("entries/2026/sentinel.md",)]
    finally:
        watcher.stop()


def test_the_edited_notes_page_is_served_while_the_rest_of_the_site_still_builds(journal):
    """A save shows its own page first: while the build goes on planning and checking every
    other page, that page is served over HTTP at once, also to a request that was already
    waiting for the build; the rest waits for the whole build."""
    answers = {}
    with Preview(journal, date(2026, 10, 5), "127.0.0.1", 0) as preview:
        preview.rebuild()
        threading.Thread(target=preview.server.serve_forever, daemon=True).start()

        def ask(name: str, path: str) -> threading.Thread:
            def get():
                answers[name] = request(preview.url, path, timeout=20)[2]

            thread = threading.Thread(target=get, daemon=True)
            thread.start()
            return thread

        def first_pages(paths, announce):
            waiting = ask("waiting", "/" + MEETING_PAGE)  # asked before the page is done
            ask("dashboard", "/index.html")
            time.sleep(0.3)  # both requests now wait for the build
            announce(paths)
            waiting.join(10)
            answers["during the build"] = preview.building and "waiting" in answers
            answers["dashboard during the build"] = "dashboard" in answers
            answers["paths"] = paths
            answers["asked after"] = request(preview.url, "/" + MEETING_PAGE, timeout=10)[2]

        (journal / NOTE).write_text(note_text("second version"))
        rebuild = preview.rebuild((NOTE,), first_pages=first_pages)
        assert rebuild.problems == () and rebuild.first_pages == (MEETING_PAGE,)
        assert answers["paths"] == (MEETING_PAGE,)
        assert answers["during the build"] and not answers["dashboard during the build"]
        assert b"second version" in answers["waiting"] and b"second version" in answers["asked after"]
        wait_until(lambda: "dashboard" in answers, what="the dashboard after the build")
        preview.server.shutdown()


def test_a_build_gives_way_to_a_newer_save_once_the_edited_page_is_shown(journal, tmp_path, cli):
    with Preview(journal, date(2026, 10, 5), "127.0.0.1", 0) as preview:
        preview.rebuild()
        (journal / NOTE).write_text(note_text("second version"))
        dropped = preview.rebuild((NOTE,), superseded=lambda: True)
        assert dropped.superseded and dropped.first_pages == (MEETING_PAGE,) and dropped.problems == ()
        assert b"second version" in (preview.site / MEETING_PAGE).read_bytes()
        (journal / NOTE).write_text(note_text("third version"))
        done = preview.rebuild((NOTE,), superseded=lambda: False)
        assert not done.superseded and done.problems == ()
        assert (
            cli("build", "--root", str(journal), "--out", str(tmp_path / "cold"), "--today", "2026-10-05").returncode
            == 0
        )
        assert site_files(tmp_path / "cold") == site_files(preview.site)


def test_a_bug_in_journal_prints_its_traceback_and_the_last_good_site_stays(journal, capsys):
    """A template's mistake is a problem at its line; anything else that breaks a build is
    journal's own bug: shown over the pages, its traceback on stderr for a bug report, and
    the site of the last good save still served. (The first-pages hook stands in for the bug.)"""

    def broken(paths, announce):
        raise ZeroDivisionError("a bug")

    with Preview(journal, date(2026, 10, 5), "127.0.0.1", 0) as preview:
        preview.rebuild()
        before = {
            path: path.read_bytes()
            for path in preview.site.rglob("*")
            if path.is_file() and path.name != MEETING_PAGE.split("/")[-1]
        }
        (journal / NOTE).write_text(note_text("second version"))
        failed = preview.rebuild((NOTE,), first_pages=broken)
        assert [problem.message for problem in failed.problems] == [
            "the build failed: ZeroDivisionError: a bug (a bug in journal: the traceback is in the terminal)"
        ]
        err = capsys.readouterr().err
        assert "Traceback (most recent call last)" in err and "ZeroDivisionError: a bug" in err
        # The bug struck after the edited page was written (it is final); the rest is the last good site.
        assert b"second version" in (preview.site / MEETING_PAGE).read_bytes()
        assert {path: path.read_bytes() for path in before} == before
        assert preview.rebuild((NOTE,)).problems == ()
        assert b"second version" in (preview.site / MEETING_PAGE).read_bytes()


def test_a_preview_started_after_a_build_serves_that_site_until_it_has_built_its_own(journal, serve, cli):
    assert cli("build", "--root", str(journal), "--today", "2026-10-05").returncode == 0
    built = {
        path: (data, (journal / "site" / path).stat().st_mtime_ns)
        for path, data in site_files(journal / "site").items()
    }
    server = serve(journal, "--today", "2026-10-05")
    wait_until(lambda: "took the" in server.stdout.read_text(), what="the adopted site")
    lines = server.stdout.read_text().splitlines()
    assert lines[0].startswith("serving ") and re.fullmatch(  # the address first, then the first build
        rf"took the {len(built)} files `journal build` wrote, unchanged since, in \d+\.\d\d s; learning the journal to rebuild on save",
        lines[1],
    ), lines
    assert "first version" in main_text(server, MEETING_PAGE)
    wait_until(lambda: "ready to rebuild on save: built" in server.stdout.read_text(), what="the preview's own build")
    (journal / NOTE).write_text(note_text("second version"))
    shows(server, "second version")
    assert {
        path: (data, (journal / "site" / path).stat().st_mtime_ns)
        for path, data in site_files(journal / "site").items()
    } == built  # the preview never writes into the journal's site folder


@pytest.mark.parametrize("saved_between", [False, True])
def test_the_build_after_adopting_a_site_reloads_the_tabs_only_if_its_site_differs(journal, cli, saved_between):
    """The preview's own first site equals the adopted one unless a save came in between:
    equal, the tabs are not reloaded (a reader would lose their place for nothing); different,
    they are, or they would show the adopted page until the next save."""
    assert cli("build", "--root", str(journal), "--today", "2026-10-05").returncode == 0
    with Preview(journal, date(2026, 10, 5), "127.0.0.1", 0) as preview:
        assert preview.rebuild(adopt=True).adopted
        announced = preview.build_id
        if saved_between:
            (journal / NOTE).write_text(note_text("second version"))
        learned = preview.rebuild()
        assert learned.learned and not learned.problems
        assert (preview.build_id != announced) == saved_between
        assert ("second version" in (preview.site / MEETING_PAGE).read_text()) == saved_between


def test_a_save_gives_the_memory_it_freed_back_once_the_preview_is_idle(journal, monkeypatch):
    """A save renders a few pages: trimming the heap then would cost it a tenth of its time at
    10,000 notes, so the trim waits until no rebuild has come for a while."""
    monkeypatch.setattr(serve, "IDLE_SECONDS", 1.0)
    with Preview(journal, date(2026, 10, 5), "127.0.0.1", 0) as preview:
        assert not preview.rebuild().problems  # the first build renders every page: trimmed at once
        (journal / NOTE).write_text(note_text("second version"))
        assert preview.rebuild().rendered < serve.TRIM_AFTER_PAGES
        assert preview.idle_trims == 0  # not on the save's own time
        wait_until(lambda: preview.idle_trims == 1)


def test_a_whole_build_leaves_its_full_collection_for_when_the_preview_is_idle(journal, monkeypatch):
    """Python would make the full collection the first build held back at the first
    request's allocations (0.3 s at 10,000 notes); the preview makes it once it is idle,
    and gives Python's thresholds back then, or when it closes."""
    monkeypatch.setattr(serve, "IDLE_SECONDS", 1.0)
    full: list[int] = []
    pythons = gc.get_threshold()[2]

    def note(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(note)
    try:
        with Preview(journal, date(2026, 10, 5), "127.0.0.1", 0) as preview:
            assert not preview.rebuild().problems
            assert gc.get_threshold()[2] == parallel.FULL_COLLECTIONS_OFF
            assert preview.idle_collections == 0
            wait_until(lambda: preview.idle_collections == 1)
            assert full and gc.get_threshold()[2] == pythons
        with Preview(journal, date(2026, 10, 5), "127.0.0.1", 0) as preview:
            assert not preview.rebuild().problems
        assert gc.get_threshold()[2] == pythons  # closed before it was idle
    finally:
        gc.callbacks.remove(note)


FREED_PAGES = """
import sys
from journal.speed.memory import give_back_free_memory

def resident_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) // 1024

pages, kept = [], []
for number in range(20_000):  # a site's pages, between objects that outlive them
    pages.append(bytes(9_000) + str(number).encode())
    kept.append([number])
before = resident_mb()
del pages
held = resident_mb()  # glibc gives back the top of its heap by itself, not what lies under objects in use
give_back_free_memory()
print(before, held, resident_mb())
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the resident size from /proc")
def test_the_memory_a_build_frees_goes_back_to_the_system(tmp_path):
    """The preview frees a build's pages once they are written; glibc would keep that memory
    (the objects that live on sit between the pages) until the preview exits."""
    run = subprocess.run([sys.executable, "-c", FREED_PAGES], capture_output=True, text=True, cwd=tmp_path)
    before, _, after = map(int, run.stdout.split())  # MB: built, pages freed, given back
    assert before - after > 0.8 * 180  # 20,000 pages of 9 KB
