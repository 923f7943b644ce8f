"""`journal serve` in headless Chromium: a save reloads the tab, a bad save shows the overlay."""

from __future__ import annotations

from playwright.sync_api import expect

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
    expect(overlay).to_contain_text(f"{NOTE}:7: error: commitment kind 'bribe' is not one of introduction, referral, lead, favor, follow-up, other")
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
        for tab, path in zip(tabs, paths):
            tab.goto(server.url + path)
            expect(tab.locator("main")).to_contain_text("Coffee with Pat")
        (root / NOTE).write_text(note_text("renamed").replace("# Coffee with Pat", "# Breakfast with Pat"))
        for tab in tabs:
            expect(tab.locator("main")).to_contain_text("Breakfast with Pat", timeout=TIMEOUT_MS)
    finally:
        context.close()
