"""Lists that grow with the journal are split into pages, and every page stays reachable."""

from __future__ import annotations

import posixpath
from datetime import date, timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import TODAY

from journal.build import build
from journal.plan import PAGE_ROWS

NOTES = 2 * PAGE_ROWS + 10  # three pages of meetings


def links(site: Path, page: str) -> list[str]:
    soup = BeautifulSoup((site / page).read_bytes(), "html5lib")
    """The pages `page` links to; a link to a section of a page (the dashboard's counts) is a link to that page."""
    return [
        posixpath.normpath(posixpath.join(posixpath.dirname(page), a["href"].partition("#")[0]))
        for a in soup.find_all("a", href=True)
        if not a["href"].startswith(("mailto:", "tel:", "#"))
    ]


def test_a_big_journal_splits_its_lists_and_every_meeting_is_reachable(make_journal, tmp_path):
    files = {}
    for index in range(NOTES):
        day = date(2026, 1, 1) + timedelta(days=index // 2)
        files[f"entries/{day.isoformat()}-n{index}.md"] = (
            f"---\ndate: {day.isoformat()}\nwith: Person {index % 250}\ntags: [bni]\n---\nNote {index}.\n"
        )
    for index in range(3):
        files[f"entries/contacts/person-{index}.md"] = f"---\nname: Person {index}\ntags: [bni]\n---\n"
    root = make_journal(files)
    assert not build(root, root / "site", TODAY).problems
    site = root / "site"
    assert sorted(p.relative_to(site).as_posix() for p in (site / "meetings/index").iterdir()) == [
        "meetings/index/2.html",
        "meetings/index/3.html",
    ]
    assert (site / "tags/bni/3.html").is_file() and (site / "contacts/index/2.html").is_file()
    tag_first, tag_third = (
        BeautifulSoup((site / page).read_bytes(), "html5lib") for page in ("tags/bni.html", "tags/bni/3.html")
    )
    assert len(tag_first.select("#contacts li")) == 3  # the tag's contacts once, on its first page
    assert not tag_third.select("#contacts") and "3 contacts tagged" in tag_third.select_one("p.more").get_text()
    first = BeautifulSoup((site / "meetings/index.html").read_bytes(), "html5lib")
    assert len(first.select("table.meetings tbody tr")) == PAGE_ROWS
    assert first.select_one("nav.pager strong[aria-current=page]").get_text() == "1"

    seen, queue = set(), ["index.html"]
    while queue:
        current = queue.pop()
        if current in seen or not current.endswith(".html"):
            continue
        seen.add(current)
        for target in links(site, current):
            assert (site / target).is_file(), f"{current}: broken link {target}"
            queue.append(target)
    meetings = {f"meetings/{path.stem}.html" for path in (root / "entries").glob("*.md")}
    assert meetings <= seen
    assert seen == {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
