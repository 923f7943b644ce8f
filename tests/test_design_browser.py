"""The design in real headless Chromium, on every page of the demo journal (entries/), on a
phone and a desktop: nothing wider than the screen, dates and numbers on one line, every number
in a table labelled on a phone (a row reads as a line of text there), no console error or failed
request, a dark scheme; the same for a page `journal serve` serves, and its error overlay."""

from __future__ import annotations

import pytest
from conftest import TODAY_ARG
from playwright.sync_api import expect

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

MEASURE = """() => {
  const lines = [];
  for (const td of document.querySelectorAll('td.date, td.num')) {
    if (!td.offsetParent || !td.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(td);
    const tops = [...range.getClientRects()].map(rect => rect.top);
    const lineHeight = parseFloat(getComputedStyle(td).lineHeight);
    if (Math.max(...tops) - Math.min(...tops) > lineHeight / 2) lines.push(td.textContent.trim());
  }
  const unlabelled = [...document.querySelectorAll('td.num')]
    .filter(td => td.offsetParent && td.textContent.trim())
    .filter(td => ['none', 'normal', '""'].includes(getComputedStyle(td, '::before').content))
    .map(td => td.textContent.trim());
  return {width: document.scrollingElement.scrollWidth, wrapped: lines, unlabelled: unlabelled};
}"""


def watch(tab) -> list[str]:
    """Everything that went wrong while the tab loaded pages: console errors, script errors,
    failed requests and error responses."""
    trouble: list[str] = []
    tab.on("console", lambda message: trouble.append(f"console: {message.text}") if message.type == "error" else None)
    tab.on("pageerror", lambda error: trouble.append(f"script: {error}"))
    tab.on("requestfailed", lambda request: trouble.append(f"failed: {request.url}"))
    tab.on(
        "response",
        lambda response: trouble.append(f"{response.status}: {response.url}") if response.status >= 400 else None,
    )
    return trouble


def check_page(tab, url: str, screen: str) -> list[str]:
    """What is wrong with one page on one screen, as readable lines."""
    tab.goto(url)
    found = tab.evaluate(MEASURE)
    wrong = []
    if found["width"] > SCREENS[screen]["width"]:
        wrong.append(f"{url} is {found['width']} px wide on a {SCREENS[screen]['width']} px {screen}")
    wrong += [f"{url}: '{text}' spans two lines on a {screen}" for text in found["wrapped"]]
    if screen == "phone":
        wrong += [f"{url}: '{text}' has no label on a phone" for text in found["unlabelled"]]
    return wrong


@pytest.mark.parametrize("screen", SCREENS)
def test_every_demo_page_reads_on_a_phone_and_a_desktop(demo_site, browser, screen):
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) > 40  # the demo has a page per contact, meeting and tag
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=screen == "phone")
    try:
        tab = context.new_page()
        trouble = watch(tab)
        wrong = [line for path in pages for line in check_page(tab, path.as_uri(), screen)]
        assert wrong + trouble == []
    finally:
        context.close()


def test_the_tables_have_rows_to_check(demo_site, page):
    """The measurements above are not vacuous: the demo's tables have date and number cells."""
    page.goto((demo_site / "reciprocity/index.html").as_uri())
    assert page.locator("td.num").count() >= 30
    assert page.locator("td.date").count() >= 10


def test_dark_scheme_changes_the_background(demo_site, page):
    page.goto((demo_site / "index.html").as_uri())
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(background) != light
    page.emulate_media(color_scheme="dark", media="print")  # paper is white whatever the screen
    assert page.evaluate(background) == "rgb(255, 255, 255)"


def test_nav_marks_the_current_page_focus_shows_and_taps_are_large(demo_site, browser):
    context = browser.new_context(viewport=SCREENS["phone"], is_mobile=True)
    try:
        tab = context.new_page()
        tab.goto((demo_site / "contacts/dana-whitfield.html").as_uri())
        assert tab.locator("header nav a[aria-current]").all_inner_texts() == ["Contacts"]
        heights = tab.evaluate(
            "[...document.querySelectorAll('header nav a')].map(a => a.getBoundingClientRect().height)"
        )
        assert min(heights) >= 44
        tab.goto((demo_site / "reciprocity/index.html").as_uri())
        assert tab.locator("header nav a[aria-current=page]").all_inner_texts() == ["Reciprocity"]
        tab.keyboard.press("Tab")  # the keyboard's focus is drawn, not left to the browser's faint default
        assert tab.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "3px"
        placeholder = tab.locator("form.search input")
        assert placeholder.evaluate("input => input.scrollWidth <= input.clientWidth")  # the placeholder is not cut off
    finally:
        context.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_a_served_page_has_no_error_or_failed_request(demo_root, serve, browser, screen):
    server = serve(demo_root, "--today", TODAY_ARG)
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=screen == "phone")
    try:
        tab = context.new_page()
        trouble = watch(tab)
        wrong = check_page(tab, server.url + "reciprocity/", screen)
        # One page and no further: leaving a served page aborts its reload worker's request.
        assert wrong + trouble == []
        # Chromium asks for /favicon.ico outside the page's own requests, unless the page names its icon.
        assert tab.evaluate("document.querySelector('link[rel=icon]').href") == "data:,"
    finally:
        context.close()


def test_the_serve_overlay_hides_the_page_under_it(make_journal, serve, page):
    root = make_journal({"entries/2026/2026-10-01-coffee.md": "---\ndate: 2026-10-01\nwith: Pat Lee\n---\n# Coffee\n"})
    server = serve(root, "--today", "2026-10-05")
    page.goto(server.url)
    (root / "entries/2026/2026-10-01-coffee.md").write_text("---\ndate: 2026-13-01\n---\n")
    overlay = page.locator("#journal-problems")
    expect(overlay).to_be_visible(timeout=30_000)
    assert overlay.evaluate("o => getComputedStyle(o).backgroundColor").startswith("rgb(")  # opaque: no alpha
    covering = page.evaluate("""() => {
      const box = document.querySelector('main h1').getBoundingClientRect();
      return document.elementFromPoint(box.left + 5, box.top + box.height / 2).closest('#journal-problems') !== null;
    }""")
    assert covering


def test_the_demo_dashboard_fits_one_and_a_half_desktop_screens(demo_site, browser):
    """The dashboard is read at a glance: counts that link to the lists, not ten full lists."""
    context = browser.new_context(viewport=SCREENS["desktop"])
    try:
        tab = context.new_page()
        tab.goto((demo_site / "index.html").as_uri())
        height = tab.evaluate("document.scrollingElement.scrollHeight")
        assert height <= 1.5 * SCREENS["desktop"]["height"], f"the dashboard is {height} px tall"
    finally:
        context.close()
