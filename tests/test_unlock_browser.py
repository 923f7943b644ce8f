"""Encrypted pages in headless Chromium over real HTTP: unlock once, browse without a second
prompt, lock again; a wrong passphrase, a tampered page and a page moved to another address
show nothing; the key the browser keeps is a non-extractable CryptoKey under the site's id."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading

import pytest
from conftest import run_cli, write_files

PASSPHRASE = "open sesame 42"
SITE_ID = "9d4c2b7e0a1f4e6b8c3d5a7f9e1b2c4d"
JOURNAL = {
    "journal.yaml": f"title: Browser journal\npublish:\n  site_id: {SITE_ID}\n",
    "entries/contacts/pat-lee.md": "---\nname: Pat Lee\nemail: pat@example.com\n---\nPat likes golf.\n",
    "entries/2026/coffee.md": "---\ndate: 2026-10-01\nwith: [Pat Lee]\n---\n# Coffee with Pat\n\nWe talked shop.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("browser"), JOURNAL)
    out = root / "published"
    result = run_cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--today",
        "2026-11-01",
        "--out",
        str(out),
        env={"JOURNAL_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    return out


@contextlib.contextmanager
def serving(folder):
    """`folder` over HTTP on a free port, as GitHub Pages would serve it."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):
            # Nothing is kept: the handler answers If-Modified-Since to the second, so a page
            # republished within the second of the last build was "not modified", the browser
            # showed the old build's page, and a test of what the new build does failed one
            # run in two.
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def served(site):
    with serving(site) as url:
        yield url


def unlock(page, passphrase):
    page.fill("#passphrase", passphrase)
    page.click("button[type=submit]")


STORED_KEYS = """async () => {
    const db = await new Promise((resolve, reject) => {
        const opening = indexedDB.open("journal-keys", 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore("keys");
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = () => reject(opening.error);
    });
    const store = db.transaction("keys").objectStore("keys");
    const [names, values] = await Promise.all([store.getAllKeys(), store.getAll()].map(
        (request) => new Promise((resolve) => { request.onsuccess = () => resolve(request.result); })));
    db.close();
    const records = [];
    for (let i = 0; i < names.length; i++) {
        const key = values[i].key;
        let exported = "refused";
        try { await crypto.subtle.exportKey("raw", key); exported = "allowed"; } catch (error) {}
        records.push({name: names[i], type: key.constructor.name, extractable: key.extractable,
                      algorithm: key.algorithm.name, usages: key.usages, exported: exported});
    }
    return records;
}"""


def stored_keys(page) -> list[dict]:
    """What this origin's IndexedDB holds for journal sites, as a script of the origin sees it."""
    return page.evaluate(STORED_KEYS)


def test_unlock_once_then_browse_without_a_second_prompt_then_lock(page, served):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served + "index.html")
    assert page.title() == "Locked"
    unlock(page, PASSPHRASE)
    page.wait_for_selector("header.site")
    assert page.inner_text("h1") == "What needs me now"
    assert page.get_attribute("meta[name=robots]", "content") == "noindex, nofollow"
    session = page.evaluate("Object.entries(sessionStorage)")
    assert (
        len(session) == 1
        and session[0][0] == f"journal-session {SITE_ID}"
        and re.fullmatch(r"[0-9a-f]{32}", session[0][1])
    )
    assert stored_keys(page) == [
        {
            "name": f"{SITE_ID} {session[0][1]}",
            "type": "CryptoKey",
            "extractable": False,
            "algorithm": "AES-GCM",
            "usages": ["decrypt"],
            "exported": "refused",
        }
    ]

    page.click("nav >> text=Contacts")
    page.wait_for_selector("header.site")
    page.click("text=Pat Lee")
    page.wait_for_selector("header.site")
    assert page.inner_text("h1") == "Pat Lee"
    assert "Pat likes golf." in page.inner_text("main")
    assert "pat@example.com" not in page.content()
    assert page.locator("#passphrase").count() == 0
    assert all(url.startswith(served) for url in requests)

    page.click("#lock")
    page.wait_for_selector("#passphrase")
    assert page.evaluate("sessionStorage.length") == 0
    assert stored_keys(page) == []
    assert page.locator("header.site").count() == 0


def test_a_new_tab_opens_with_the_key_of_an_open_tab_and_lock_in_one_tab_locks_every_tab(page, served):
    page.goto(served + "index.html")
    unlock(page, PASSPHRASE)
    page.wait_for_selector("header.site")

    other = page.context.new_page()  # a new tab: its own session, no token of its own
    other.goto(served + "contacts/index.html")
    other.wait_for_selector("header.site")
    assert other.inner_text("h1").startswith("Contacts")
    assert len(stored_keys(other)) == 2  # one per tab session, the second handed over, not typed
    other.click("nav >> text=Meetings")
    other.wait_for_selector("header.site")

    page.click("#lock")
    page.wait_for_selector("#passphrase")
    other.wait_for_selector("#passphrase")  # locked at once, not at its next click
    assert stored_keys(page) == []
    assert other.locator("header.site").count() == 0
    third = page.context.new_page()
    third.goto(served + "index.html")
    third.wait_for_selector("#passphrase")
    third.wait_for_timeout(1500)  # longer than a new tab waits for an open tab's key
    assert third.locator("header.site").count() == 0


def test_a_republish_keeps_open_tabs_unlocked_and_a_new_passphrase_asks_again(page, tmp_path):
    root = write_files(tmp_path, JOURNAL)
    out = root / "published"

    def publish(note: str, passphrase: str) -> None:
        (root / "entries/2026/coffee.md").write_text(JOURNAL["entries/2026/coffee.md"].replace("We talked shop.", note))
        result = run_cli(
            "build",
            "--publish",
            "--root",
            str(root),
            "--today",
            "2026-11-01",
            "--out",
            str(out),
            env={"JOURNAL_PASSPHRASE": passphrase},
        )
        assert result.returncode == 0, result.stderr

    publish("First build.", PASSPHRASE)
    with serving(out) as url:
        page.goto(url + "index.html")
        unlock(page, PASSPHRASE)
        page.wait_for_selector("header.site")
        publish("Second build.", PASSPHRASE)
        page.reload()
        page.wait_for_selector("header.site")
        page.click("nav >> text=Meetings")
        page.click("text=Coffee with Pat")
        page.wait_for_selector("header.site")
        assert "Second build." in page.inner_text("main")

        publish("Third build.", PASSPHRASE + " changed")  # which moves every opaque address, too
        page.goto(url + "index.html")
        page.wait_for_selector("#passphrase")
        page.wait_for_timeout(1500)
        assert page.inner_text("#message") == ""  # not an error: just asked again
        unlock(page, PASSPHRASE + " changed")
        page.wait_for_selector("header.site")
        page.click("nav >> text=Meetings")
        page.click("text=Coffee with Pat")
        page.wait_for_selector("header.site")
        assert "Third build." in page.inner_text("main")


@pytest.mark.parametrize("ticked", [False, True])
def test_remember_on_this_device_survives_a_browser_restart_only_when_ticked(browser, served, tmp_path, ticked):
    from conftest import CHROMIUM

    def launch():
        return browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )

    context = launch()
    tab = context.new_page()
    tab.goto(served + "index.html")
    assert tab.is_checked("#remember") is False  # off unless asked for
    if ticked:
        tab.check("#remember")
    unlock(tab, PASSPHRASE)
    tab.wait_for_selector("header.site")
    names = sorted(record["name"] for record in stored_keys(tab))
    assert (f"{SITE_ID} device" in names) is ticked
    context.close()

    context = launch()
    try:
        tab = context.new_page()
        tab.goto(served + "meetings/index.html")
        if ticked:
            tab.wait_for_selector("header.site")
            assert tab.inner_text("h1").startswith("Meetings")
            tab.click("#lock")
            tab.wait_for_selector("#passphrase")
            assert stored_keys(tab) == []
        else:
            tab.wait_for_selector("#passphrase")
            tab.wait_for_timeout(1500)
            assert tab.locator("header.site").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_the_lock_screen_is_designed_and_says_nothing_about_the_journal(browser, served, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(served + "index.html")
        box = page.locator("button[type=submit]").bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        assert page.locator("#passphrase").bounding_box()["height"] >= 44
        text = page.inner_text("body")
        assert "nothing" not in text.lower() or "sent anywhere" in text
        assert "neither the passphrase nor the pages are sent anywhere" in text
        for secret in ("Browser journal", "Pat", "Coffee", "golf"):
            assert secret not in text and secret not in page.title()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        unlock(page, "not the passphrase")
        page.wait_for_function("document.getElementById('message').textContent.startsWith('Wrong')")
        message, field = page.locator("#message").bounding_box(), page.locator("#passphrase").bounding_box()
        assert field["y"] < message["y"] < box["y"]  # the error inline, under the field it is about
        assert page.evaluate("getComputedStyle(document.getElementById('message')).color") != page.evaluate(
            "getComputedStyle(document.body).color"
        )
        unlock(page, PASSPHRASE)
        page.wait_for_selector("#lock")
        assert page.locator("#lock").bounding_box()["height"] >= 44
    finally:
        context.close()


def test_a_wrong_passphrase_says_so_and_shows_nothing(page, served):
    page.goto(served + "index.html")
    unlock(page, "not the passphrase")
    page.wait_for_function("document.getElementById('message').textContent.startsWith('Wrong')")
    assert page.inner_text("#message") == "Wrong passphrase."
    assert page.locator("header.site").count() == 0
    assert page.evaluate("sessionStorage.length") == 0


def test_a_tampered_page_is_refused(page, served, site):
    shell = site / "meetings" / "index.html"
    original = shell.read_text()
    start = original.index('"page": {"data": "') + len('"page": {"data": "')
    flipped = "A" if original[start + 10] != "A" else "B"
    shell.write_text(original[: start + 10] + flipped + original[start + 11 :])
    try:
        page.goto(served + "meetings/index.html")
        unlock(page, PASSPHRASE)
        page.wait_for_function("document.getElementById('message').textContent.includes('altered')")
        assert page.inner_text("#message") == "This page has been altered or damaged and cannot be shown."
        assert page.locator("header.site").count() == 0

        page.goto(served + "index.html")
        unlock(page, PASSPHRASE)
        page.wait_for_selector("header.site")
        page.goto(served + "meetings/index.html")
        page.wait_for_function("document.getElementById('message').textContent.includes('altered')")
        assert page.locator("header.site").count() == 0
        assert page.is_hidden("#unlock")
    finally:
        shell.write_text(original)


def test_a_published_site_also_unlocks_opened_from_disk(page, site):
    page.goto((site / "index.html").as_uri())
    unlock(page, PASSPHRASE)
    page.wait_for_selector("header.site")
    page.click("nav >> text=Meetings")
    page.wait_for_selector("header.site")
    assert page.inner_text("h1").startswith("Meetings")


def test_search_in_an_unlocked_site_opens_the_sealed_index_and_its_results(page, served):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served + "index.html")
    unlock(page, PASSPHRASE)
    page.wait_for_selector("header.site form.search[data-ready]")
    page.fill("form.search input", "shop")
    page.wait_for_selector(".search-results a")
    results = [(a.inner_text(), a.get_attribute("href")) for a in page.query_selector_all(".search-results a")]
    assert [title for title, _ in results] == ["Coffee with Pat"]
    assert re.fullmatch(r"\./p/[0-9a-f]{24}\.html", results[0][1])

    page.click(".search-results a")
    page.wait_for_url(re.compile(r".*/p/[0-9a-f]{24}\.html$"))
    page.wait_for_selector("header.site")
    assert page.inner_text("h1") == "Coffee with Pat"
    assert "We talked shop." in page.inner_text("main")
    assert page.locator("#passphrase").count() == 0
    assert served + "search-index.js" in requests
    assert all(url.startswith(served) for url in requests)

    page.wait_for_selector("header.site form.search[data-ready]")
    page.fill("form.search input", "golf")
    page.wait_for_selector(".search-results a")
    assert [a.inner_text() for a in page.query_selector_all(".search-results a")] == ["Pat Lee"]


MOVED = "This page's content belongs at another address of the journal, so it is not shown here."


def test_a_sealed_page_moved_to_another_address_is_refused(page, served, site):
    target = site / "contacts" / "index.html"
    original = target.read_text()
    moved = (site / "meetings" / "index.html").read_text()
    target.write_text(moved)
    try:
        page.goto(served + "contacts/index.html")
        page.wait_for_function("document.getElementById('message').textContent !== ''")
        assert page.inner_text("#message") == MOVED
        assert page.is_hidden("#unlock")

        page.goto(served + "index.html")
        unlock(page, PASSPHRASE)
        page.wait_for_selector("header.site")
        page.goto(served + "contacts/index.html")
        page.wait_for_function("document.getElementById('message').textContent !== ''")
        assert page.inner_text("#message") == MOVED
        assert page.locator("header.site").count() == 0

        # the address written into the moved page changed to match: the ciphertext still knows
        target.write_text(moved.replace('"path": "meetings/index.html"', '"path": "contacts/index.html"'))
        page.goto(served + "contacts/index.html?again")  # not the copy the browser cached a moment ago
        page.wait_for_function("document.getElementById('message').textContent.includes('altered')")
        assert page.inner_text("#message") == "This page has been altered or damaged and cannot be shown."
        assert page.locator("header.site").count() == 0
    finally:
        target.write_text(original)


def test_a_page_served_without_html_or_as_a_folder_still_opens(page, served, site):
    page.goto(served)
    unlock(page, PASSPHRASE)
    page.wait_for_selector("header.site")
    assert page.inner_text("h1") == "What needs me now"
    page.goto(served + "contacts/")
    page.wait_for_selector("header.site")
    assert page.inner_text("h1").startswith("Contacts")
