"""A note from the phone: with notes_repository in journal.yaml, every contact page and the
dashboard link to GitHub's editor for a new file, prefilled with a note that passes `journal
check` saved as it is; the browser puts its own day in the link (in a sealed published page
too); without the setting there is no link."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import TODAY_ARG, problems_of, run_cli, write_files
from test_unlock_browser import serving, unlock

NAMES = ["Siobhán O'Brien", "Dr. Ng: dentist", "#1 Fan", "Lee, Pat", "张伟", "Zoë 🎉 Ångström", '<b>Bold</b> & "Co"']
JOURNAL = {
    "journal.yaml": "owner: Alex Rivera\nnotes_repository: alex/my-journal\nnotes_branch: notes/phone\n",
    **{f"entries/contacts/card-{i}.md": f"---\nname: '{name.replace(chr(39), chr(39) * 2)}'\n---\n" for i, name in enumerate(NAMES)},
    "entries/2026/2026-10-01-coffee.md": "---\ndate: 2026-10-01\nwith: [Terry Quinn]\n---\n",
}  # fmt: skip
LINK = re.compile(r'<a href="(https://github\.com/[^"]*)" data-note-day="([0-9-]+)"')


def links(page: str) -> list[tuple[str, str, str]]:
    """(the editor's address, the new file's path, its text) of each note link on a page."""
    found = []
    for href, _ in LINK.findall(page):
        url = urlsplit(href.replace("&amp;", "&"))
        query = parse_qs(url.query, keep_blank_values=True)
        found.append((f"{url.scheme}://{url.netloc}{url.path}", query["filename"][0], query["value"][0]))
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path]:
    root = write_files(tmp_path_factory.mktemp("phone"), JOURNAL)
    done = run_cli("build", "--root", str(root), "--today", TODAY_ARG, "--quiet")
    assert (done.returncode, done.stderr) == (0, "")
    return root, root / "site"


def test_every_contact_page_and_the_dashboard_link_to_a_new_note(site):
    root, out = site
    pages = sorted(out.glob("contacts/*.html"))
    contacts = [page for page in pages if page.name != "index.html"]
    assert len(contacts) == len(NAMES) + 1  # the cards, and Terry Quinn, who has none
    for page in [*contacts, out / "index.html"]:
        [(editor, path, text)] = links(page.read_text(encoding="utf-8"))
        assert editor == "https://github.com/alex/my-journal/new/notes/phone"
        assert re.fullmatch(r"entries/2026/2026-11-23-[^/]+\.md", path), path
    [(_, path, text)] = links((out / "index.html").read_text(encoding="utf-8"))
    assert (path, text) == (
        "entries/2026/2026-11-23-meeting.md",
        "---\ndate: 2026-11-23\nwith: []\nwhere:\ncommitments:\n  # - by: me\n  #   what: introduce them to ...\n"
        "  #   kind: introduction\n  #   due: 1w\n  # - by: them\n  #   what: ...\n---\n# Meeting\n\n"
        "What we talked about. What they need. Who they want to meet.\n",
    )
    [(_, path, text)] = links((out / "contacts/card-0.html").read_text(encoding="utf-8"))
    assert path == "entries/2026/2026-11-23-card-0.md"
    assert text.splitlines()[:3] == ["---", "date: 2026-11-23", "with: ['Siobhán O''Brien']"]


def test_each_prefilled_note_saved_as_it_is_passes_check(site, tmp_path):
    """Each link's file, written where GitHub would write it, in a copy of the journal: no
    problem, and the note is a meeting with the person whose page it was on."""
    root, out = site
    for page in [*sorted(out.glob("contacts/*.html")), out / "index.html"]:
        for _, path, text in links(page.read_text(encoding="utf-8")):
            copy = write_files(tmp_path / page.stem, {**JOURNAL, path: text})
            assert problems_of(copy) == [], (page.name, text)
            done = run_cli("check", "--root", str(copy), "--today", TODAY_ARG)
            assert done.returncode == 0, done.stderr
            assert done.stdout.startswith("ok: 2 meetings"), done.stdout


def test_without_the_setting_there_is_no_link(tmp_path):
    root = write_files(tmp_path, {**JOURNAL, "journal.yaml": "owner: Alex Rivera\n"})
    assert run_cli("build", "--root", str(root), "--today", TODAY_ARG, "--quiet").returncode == 0
    for page in (root / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "data-note-day" not in text and "github.com" not in text, page


def test_the_settings_are_checked(tmp_path):
    root = write_files(
        tmp_path,
        {"journal.yaml": "notes_repository: my journal\nnotes_branch: a..b\n", "entries/a.md": "---\ndate: 2026-10-01\n---\n"},
    )  # fmt: skip
    assert problems_of(root) == [
        "journal.yaml:1: error: 'notes_repository' must be OWNER/NAME of a GitHub repository, like alex/my-journal, "
        "got 'my journal'",
        "journal.yaml:2: error: 'notes_branch' must be a branch name like main, got 'a..b'",
    ]


def test_the_browser_puts_its_own_day_in_the_link_in_a_sealed_page(tmp_path, page):
    """The published site is built on 23 November; the phone opens it on 2 January: the sealed
    page, once unlocked, links to entries/2027/2027-01-02-... with 'date: 2027-01-02'."""
    journal = {**JOURNAL, "journal.yaml": JOURNAL["journal.yaml"] + "publish:\n  site_id: " + "ab" * 16 + "\n"}
    root = write_files(tmp_path, journal)
    out = root / "published"
    done = run_cli(
        "build", "--publish", "--root", str(root), "--today", TODAY_ARG, "--out", str(out),
        env={"JOURNAL_PASSPHRASE": "plum basket orbit violin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page.clock.set_fixed_time(datetime(2027, 1, 2, 8, 30))
    with serving(out) as url:
        page.goto(url + "index.html")
        unlock(page, "plum basket orbit violin")
        page.wait_for_selector("a[data-note-day]")
        href = page.get_attribute("a[data-note-day]", "href")
    url = urlsplit(href)
    query = parse_qs(url.query)
    assert query["filename"] == ["entries/2027/2027-01-02-meeting.md"]
    assert query["value"][0].startswith("---\ndate: 2027-01-02\n")
    assert page.get_attribute("a[data-note-day]", "data-note-day") == "2027-01-02"
