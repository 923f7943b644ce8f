"""No page of another origin reads the preview (hostile input, round three): every answer
says Cross-Origin-Resource-Policy: same-origin, and a request another site's page makes is
refused, over real HTTP and from a real attacker page in Chromium."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from pathlib import Path

import pytest
from test_serve import JOURNAL, MEETING_PAGE
from test_serve_limits import ask

from journal.serve import FOREIGN, foreign_request

PATHS = ("/", "/" + MEETING_PAGE, "/search-index.js", "/__journal__/live.js", "/no-such-page.html")


@pytest.fixture
def server(make_journal, serve):
    return serve(make_journal(JOURNAL), "--today", "2026-10-05")


def test_every_answer_forbids_other_origins_to_embed_it(server):
    host = urllib.parse.urlsplit(server.url).netloc
    for path in PATHS:
        _, headers, _ = ask(server.url, path, host)
        assert (path, headers["Cross-Origin-Resource-Policy"]) == (path, "same-origin")
    _, headers, _ = ask(server.url, "/", "evil.example")
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_curl_and_the_previews_own_pages_are_answered(server):
    host = urllib.parse.urlsplit(server.url).netloc
    own = f"http://{host}"
    for extra in (
        (),  # curl, a script
        (("Sec-Fetch-Site", "none"),),  # an address typed in the browser
        (("Sec-Fetch-Site", "same-origin"), ("Referer", own + "/meetings.html")),
        (("Sec-Fetch-Site", "same-origin"), ("Origin", own), ("Referer", own + "/")),
        (("Origin", own.upper()),),
    ):
        for path in PATHS[:4]:
            status, _, _ = ask(server.url, path, host, extra)
            assert (path, extra, status) == (path, extra, 200)


@pytest.mark.parametrize(
    "extra",
    [
        (("Sec-Fetch-Site", "cross-site"),),
        (("Sec-Fetch-Site", "same-site"),),  # another port of localhost: another origin
        (("Sec-Fetch-Site", "cross-site"), ("Referer", "{own}/")),  # a forged Referer does not help
        (("Origin", "http://evil.example"),),
        (("Origin", "null"),),  # a sandboxed frame or a file:// page
        (("Origin", "{own}.evil.example"),),
        (("Origin", "https://{host}"),),
        (("Referer", "http://evil.example/page.html"),),
        (("Referer", "{own}.evil.example/"),),
        (("Referer", "http://localhost:1/"),),
    ],
)
def test_a_request_from_another_sites_page_is_refused(server, extra):
    host = urllib.parse.urlsplit(server.url).netloc
    headers = tuple((name, value.format(own=f"http://{host}", host=host)) for name, value in extra)
    for path in PATHS:
        status, answer, body = ask(server.url, path, host, headers)
        assert (path, status, body) == (path, 403, FOREIGN)
        assert answer["Cross-Origin-Resource-Policy"] == "same-origin"


def test_foreign_request_compares_the_whole_origin():
    assert not foreign_request("localhost:8000", None, None, None)
    assert not foreign_request("LOCALHOST:8000", "Same-Origin", "http://localhost:8000", "http://localhost:8000/x?y")
    assert foreign_request("localhost:8000", None, None, "http://localhost:8000@evil.example/")
    assert foreign_request("localhost:8000", None, "http://localhost:8001", None)
    assert foreign_request("localhost:8000", "cross-site", None, None)


class _Attacker(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def test_a_page_on_another_site_cannot_read_the_search_index(server, page, tmp_path: Path):
    """What the probe did: another site's page loads the preview's search index as a script
    and reads window.journalSearchIndex (every name, Private sections included)."""
    target = server.url.rstrip("/")
    (tmp_path / "attack").mkdir()
    (tmp_path / "attack" / "index.html").write_text(
        "<!doctype html><title>attacker</title>"
        f'<script src="{target}/search-index.js" referrerpolicy="no-referrer"></script>'
        f'<img src="{target}/style.css" onerror="document.body.dataset.img = \'blocked\'">'
        "<script>window.addEventListener('load', () => {"
        "  document.body.dataset.leak = window.journalSearchIndex ? 'read' : 'nothing';"
        f"  fetch('{target}/search-index.js', {{mode: 'no-cors'}}).then(() => document.body.dataset.fetch = 'done',"
        "    () => document.body.dataset.fetch = 'refused');"
        "});</script>"
    )
    handler = lambda *args: _Attacker(*args, directory=str(tmp_path / "attack"))  # noqa: E731
    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    try:
        # The preview listens on 127.0.0.1; the attacker page is on localhost: another site.
        page.goto(f"http://localhost:{attacker.server_address[1]}/")
        page.wait_for_function("document.body.dataset.leak && document.body.dataset.fetch")
        assert page.evaluate("document.body.dataset.leak") == "nothing"
        assert page.evaluate("typeof window.journalSearchIndex") == "undefined"
    finally:
        attacker.shutdown()
    # ... while the preview's own page still reads it.
    page.goto(target + "/")
    assert page.evaluate("fetch('/search-index.js').then(r => r.status)") == 200
