"""The search box finds the obvious first and gets out of the way: names and titles before
body text, in headless Chromium on a small journal and on the repository's demo."""

from __future__ import annotations

import pytest
from conftest import open_search

JOURNAL = {
    "entries/contacts/greg-mallory.md": "---\nname: Greg Mallory\ncompany: Mallory Accounting\n---\nPromised to introduce me to Terry.\n",
    "entries/contacts/terry-nguyen.md": "---\nname: Terry Nguyen\ncompany: Nguyen Print Co.\nrole: Owner\n---\nFamily print shop.\n",
    "entries/contacts/ana-lopez.md": "---\nname: Ana Lopez\n---\nKnows Terry from school.\n",
    "entries/2026/2026-10-01-breakfast.md": "---\ndate: 2026-10-01\nwith: [Ana Lopez, Terry Nguyen]\n---\n# Club breakfast\n\nEggs.\n",
    "entries/2026/2026-10-15-terry.md": "---\ndate: 2026-10-15\nwith: [Terry Nguyen]\n---\n# Coffee with Terry\n\nCards.\n",
}


def search(page, query: str) -> list[str]:
    page.fill("form.search input", query)
    page.wait_for_function(
        "document.querySelector('.search-results a') || document.querySelector('.search-results .empty')"
    )
    return [a.inner_text() for a in page.query_selector_all(".search-results a")]


@pytest.fixture
def site_page(make_journal, cli, page):
    root = make_journal(JOURNAL)
    assert cli("build", "--root", str(root), "--today", "2026-10-20").returncode == 0
    page.goto((root / "site/index.html").as_uri())
    open_search(page)
    return page


def test_names_and_titles_come_before_body_text(site_page):
    # the name, then a title, then the detail line (a meeting's people), then the notes that mention it
    assert search(site_page, "terry") == [
        "Terry Nguyen",
        "Coffee with Terry",
        "Club breakfast",
        "Ana Lopez",
        "Greg Mallory",
    ]
    assert search(site_page, "prin nguy") == ["Terry Nguyen"]  # company in the detail line
    assert search(site_page, "intro") == ["Greg Mallory"]


def test_the_list_closes_on_an_outside_click_and_on_escape(site_page):
    page = site_page
    search(page, "terry")
    assert page.is_visible(".search-results")
    page.click("main h1")
    assert page.is_hidden(".search-results")
    page.focus("form.search input")
    assert page.is_visible(".search-results")  # back, with the words still typed
    page.press("form.search input", "Escape")
    assert page.is_hidden(".search-results")
    assert page.input_value("form.search input") == "terry"
    page.press("form.search input", "Escape")
    assert page.input_value("form.search input") == ""
    search(page, "terry")
    page.focus(".search-results a")
    page.keyboard.press("Escape")
    assert page.is_hidden(".search-results")
    page.set_viewport_size({"width": 390, "height": 844})
    search(page, "terry")
    page.mouse.click(5, 800)
    assert page.is_hidden(".search-results")


def test_on_the_demo_terry_finds_terry_nguyen_first_and_the_readme_example_works(page, demo_site):
    page.goto((demo_site / "index.html").as_uri())
    open_search(page)
    found = search(page, "terry")
    assert found[0] == "Terry Nguyen"
    assert found.index("Greg Mallory") > found.index("Coffee with Terry Nguyen")
    assert "Terry Nguyen" in search(page, "prin nguy")[:2]  # README's example: the card of Nguyen Print Co.
