"""`journal serve` in headless Chromium: a save reloads the tab, a bad save shows the overlay."""

from __future__ import annotations

import http.client
import urllib.parse

from playwright.sync_api import expect

from journal.serve import MAX_STREAMS

NOTE = "entries/2026/2026-10-01-coffee-pat.md"
TIMEOUT_MS = 30_000


def note_text(body: str, kind: str = "introduction") -> str:
    return (
        "---\ndate: 2026-10-01\nwith: Pat Lee\ncommitments:\n  - by: me\n    what: Introduce Pat to Terry\n"
        f"    kind: {kind}\n---\n# Coffee with Pat\n\n{body}\n"
    )


def test_the_tab_follows_saves_and_shows_problems_until_fixed(make_journal, serve, page):
    root = make_journal({NOTE: note_text("first version")})
    server = serve(root, "--today", "2026-10-05")
    page.goto(server.url + "meetings/2026-10-01-coffee-pat.html")
    main, overlay = page.locator("main"), page.locator("#journal-problems")
    expect(main).to_contain_text("first version")
    # No waiting for the event stream: a tab that connects after a build sees a newer id and reloads.

    (root / NOTE).write_text(note_text("second version"))
    expect(main).to_contain_text("second version", timeout=TIMEOUT_MS)
    expect(overlay).to_have_count(0)

    (root / NOTE).write_text(note_text("broken version", kind="bribe"))
    expect(overlay).to_be_visible(timeout=TIMEOUT_MS)
    expect(overlay).to_contain_text(
        f"{NOTE}:7: error: commitment kind 'bribe' is not one of introduction, referral, lead, favor, follow-up, other"
    )
    expect(main).to_contain_text("second version")  # the last good page, under the overlay

    (root / NOTE).write_text(note_text("fixed version"))
    expect(main).to_contain_text("fixed version", timeout=TIMEOUT_MS)
    expect(overlay).to_have_count(0)


def test_every_open_tab_reloads(make_journal, serve, browser):
    root = make_journal({NOTE: note_text("first version")})
    server = serve(root, "--today", "2026-10-05")
    context = browser.new_context()
    try:
        paths = ("index.html", "meetings/", "meetings/2026-10-01-coffee-pat.html") * 3
        tabs = [context.new_page() for _ in paths]  # more than the six connections a browser opens per host
        for tab, path in zip(tabs, paths, strict=True):
            tab.goto(server.url + path)
            expect(tab.locator("main")).to_contain_text("Coffee with Pat")
        (root / NOTE).write_text(note_text("renamed").replace("# Coffee with Pat", "# Breakfast with Pat"))
        for tab in tabs:
            expect(tab.locator("main")).to_contain_text("Breakfast with Pat", timeout=TIMEOUT_MS)
    finally:
        context.close()


def test_a_tab_refused_a_stream_asks_again_later_and_still_follows_saves(make_journal, serve, page):
    """Without the script's retry, a refused stream stays closed and the tab never reloads."""
    root = make_journal({NOTE: note_text("first version")})
    server = serve(root, "--today", "2026-10-05")
    parts = urllib.parse.urlsplit(server.url)
    held = []
    for _ in range(MAX_STREAMS):  # every place taken: the tab's stream gets a 503
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request("GET", "/__journal__/events")
        held.append((connection, connection.getresponse()))
    page.goto(server.url + "meetings/2026-10-01-coffee-pat.html")
    expect(page.locator("main")).to_contain_text("first version")
    for connection, response in held:
        response.close()
        connection.close()
    (root / NOTE).write_text(note_text("second version"))  # the build frees the places of the closed streams
    expect(page.locator("main")).to_contain_text("second version", timeout=TIMEOUT_MS)
