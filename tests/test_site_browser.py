"""The built site in real headless Chromium: from file://, from a sub-path, on a phone, in print."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest
from conftest import TODAY_ARG
from test_site import SMALL_JOURNAL

PAGES = [
    "index.html",
    "overdue/index.html",
    "reciprocity/index.html",
    "contacts/index.html",
    "contacts/pat-lee.html",
    "meetings/index.html",
    "meetings/2026-10-01-breakfast.html",
    "tags/index.html",
    "tags/bni.html",
]


@pytest.fixture
def built(make_journal, cli):
    root = make_journal(SMALL_JOURNAL)
    assert cli("build", "--root", str(root), "--today", TODAY_ARG).returncode == 0
    return root / "site"


def requests_of(page):
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_navigation_works_from_file_urls_without_outside_requests(built, page):
    seen = requests_of(page)
    page.goto((built / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "What needs me now"
    for label, heading in (
        ("Overdue", "Overdue"),
        ("Reciprocity", "Reciprocity"),
        ("Contacts", "Contacts (3)"),
        ("Meetings", "Meetings (2)"),
        ("Tags", "Tags (2)"),
    ):
        page.click(f"header nav >> text={label}")
        assert page.locator("h1").inner_text() == heading
    page.click("header nav >> text=Meetings")
    page.click("text=Breakfast at Rosie's")
    page.click("dl.card >> text=Pat Lee")
    assert page.locator("h1").inner_text() == "Pat Lee"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # the stylesheet loaded
    assert all(url.startswith("file://") for url in seen), seen


def test_the_site_works_from_a_sub_path(built, page, tmp_path):
    docroot = tmp_path / "docroot"
    shutil.copytree(built, docroot / "my" / "journal")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(docroot))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        failed = []
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.goto(f"http://127.0.0.1:{server.server_port}/my/journal/index.html")
        page.click("header nav >> text=Reciprocity")
        assert page.url.endswith("/my/journal/reciprocity/index.html")
        page.click("table.reciprocity >> text=Terry Nguyen")
        assert page.locator("h1").inner_text() == "Terry Nguyen"
        assert failed == []
    finally:
        server.shutdown()


def test_every_page_fits_a_phone_screen(built, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    try:
        phone = context.new_page()
        for name in PAGES:
            phone.goto((built / name).as_uri())
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{name} is {width}px wide on a 360px phone"
    finally:
        context.close()


def test_print_hides_the_navigation(built, page):
    page.goto((built / "contacts/pat-lee.html").as_uri())
    assert page.is_visible("header nav")
    page.emulate_media(media="print")
    assert not page.is_visible("header nav")
    assert page.is_visible("h1")
