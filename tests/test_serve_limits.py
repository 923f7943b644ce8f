"""`journal serve` against hostile requests: forged Host headers (DNS rebinding), odd and
over-long paths, a flood of live-reload streams, and saves that never stop."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import urllib.parse
from datetime import date
from pathlib import Path

import pytest
from conftest import wait_until
from hypothesis import given, settings
from hypothesis import strategies as st
from test_serve import JOURNAL, MEETING_PAGE, NOTE, note_text, request

from journal.serve import MAX_STREAMS, Preview, host_allowed, host_names, locate

CARD, CARD_PAGE = "entries/contacts/pat-lee.md", "contacts/pat-lee.html"


def ask(url: str, path: str, host: str | None, extra: tuple[tuple[str, str], ...] = ()) -> tuple[int, dict, bytes]:
    """GET path with exactly the Host header given (None: no Host header at all)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        for name, value in ((("Host", host),) if host is not None else ()) + extra:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def journal(make_journal):
    return make_journal(JOURNAL)


def test_only_requests_addressed_to_the_preview_are_answered(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    port = urllib.parse.urlsplit(server.url).port
    for host in (
        "127.0.0.1",
        f"127.0.0.1:{port}",
        "localhost",
        f"localhost:{port}",
        f"LocalHost:{port}",
        "[::1]",
        f"[::1]:{port}",
        "localhost:2222",
    ):
        status, _, body = ask(server.url, "/" + MEETING_PAGE, host)
        assert (host, status) == (host, 200) and b"Coffee with Pat" in body
    forged = [
        "evil.example",
        f"evil.example:{port}",
        "evil.example:8000",
        "127.0.0.1.evil.example",
        f"127.0.0.1.evil.example:{port}",
        "localhost.",
        "localhost.evil.example",
        "evil.example@127.0.0.1",
        "127.0.0.1:80:80",
        "127.0.0.1:http",
        "[::1",
        "",
        "10.0.0.1",
    ]
    for path in (
        "/" + MEETING_PAGE,
        "/",
        "/__journal__/events",
        "/__journal__/live.js",
        "/no-such-page.html",
        "/" + "a" * 300,
    ):
        for host in [*forged, None]:
            status, headers, body = ask(server.url, path, host)
            assert (path, host, status, headers["Content-Type"]) == (path, host, 403, "text/plain; charset=utf-8")
            assert body == (
                b"journal serve answers only requests addressed to it by the address it listens on "
                b"(127.0.0.1, localhost, [::1] or its --host): this one named another host.\n"
            )
    status, _, _ = ask(server.url, "/" + MEETING_PAGE, "127.0.0.1", (("Host", "evil.example"),))
    assert status == 403  # two Host headers: which one the browser meant is anyone's guess
    assert server.process.poll() is None


def test_bound_to_every_address_it_also_answers_to_ip_addresses_and_its_own_name():
    names = host_names("0.0.0.0")
    hostname = socket.gethostname().lower()
    for host in (
        "localhost:8000",
        "192.168.1.20",
        "192.168.1.20:8000",
        "[fe80::1]:8000",
        "[::1]",
        hostname,
        f"{hostname}.local:8000",
    ):
        assert host_allowed(host, names, any_address=True), host
    for host in (
        "evil.example",
        "evil.example:8000",
        "192.168.1.20.evil.example",
        "192.168.1.20.nip.io",
        "[evil.example]",
        "fe80::1",
        "999.1.1.1",
        "192.168.1.20:x",
        "",
        None,
    ):
        assert not host_allowed(host, names, any_address=True), host
    bound = host_names("192.168.1.5")
    assert host_allowed("192.168.1.5:8000", bound, any_address=False)
    assert not host_allowed("192.168.1.6:8000", bound, any_address=False)
    assert host_allowed("localhost", bound, any_address=False)


def test_an_ipv6_preview_answers_to_its_bracketed_address(journal):
    try:
        preview = Preview(journal, date(2026, 10, 5), "::1", 0)
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    with preview:
        preview.rebuild()
        threading.Thread(target=preview.server.serve_forever, daemon=True).start()
        assert preview.url.startswith("http://[::1]:")
        assert ask(preview.url, "/index.html", urllib.parse.urlsplit(preview.url).netloc)[0] == 200
        assert ask(preview.url, "/index.html", "evil.example")[0] == 403
        preview.server.shutdown()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/" + "a" * 255, 404),
        ("/" + "a" * 256, 414),
        ("/meetings/" + "a" * 300 + ".html", 414),
        ("/" + "%C3%A9" * 128, 414),  # 256 bytes once decoded
        ("/" + "a/" * 1100, 414),
        ("/x?" + "q" * 5000, 404),  # the query is not part of the path
        ("/%00", 404),
        ("/index.html%00", 404),
        ("/..", 404),
        ("/meetings/../index.html", 404),
        ("/%2e%2e/index.html", 404),
        ("/meetings/%2E%2E/index.html", 404),
        ("/meetings%2f..%2findex.html", 404),
        ("/meetings\\..\\index.html", 404),
        ("/meetings%5c..%5cindex.html", 404),
        ("/./index.html", 404),
        ("/index.html%0a", 404),
        ("/%e2%80%8bindex.html", 404),  # a zero-width space: not a printable name
    ],
)
def test_odd_and_over_long_paths_get_a_clean_answer(journal, serve, path, status):
    server = serve(journal, "--today", "2026-10-05")
    answer, headers, body = request(server.url, path)
    assert answer == status
    assert headers["Content-Type"] == "text/html; charset=utf-8" and b"</h1>" in body
    assert request(server.url, "/index.html")[0] == 200
    assert "Traceback" not in server.stderr.read_text()


def test_a_request_line_longer_than_http_server_reads_is_refused_too(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    assert request(server.url, "/" + "a" * 70_000)[0] == 414
    assert "Traceback" not in server.stderr.read_text()


def test_a_folder_redirect_stays_on_this_server(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    for path in ("//meetings", "///meetings", "/meetings", "//meetings?page=2"):
        status, headers, _ = request(server.url, path)
        assert (path, status, headers["Location"]) == (path, 301, "/meetings/" + ("?page=2" if "?" in path else ""))


def test_a_symlink_loop_in_the_site_is_not_found(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "loop").symlink_to(site / "loop")
    assert locate(site, "/loop") == (404, None)
    assert locate(site, "/loop/index.html") == (404, None)


SEGMENTS = [
    "..",
    ".",
    "%2e%2e",
    "%2E%2e",
    "%252e%252e",
    "%2f",
    "%5c",
    "\\",
    "%00",
    "",
    "site",
    "outside",
    "secret.txt",
    "index.html",
    "notes",
    "page.html",
    "leak",
    "%2fetc",
    "~",
    ":",
    ";",
    "%",
    "..%2f",
    "..\\",
    "%c0%ae%c0%ae",
]


@settings(derandomize=True, max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(SEGMENTS), max_size=8),
    st.sampled_from(["/", "//", ""]),
    st.sampled_from(["", "/", "?x=/../", "#/.."]),
)
def test_locate_never_leaves_the_site(tmp_path_factory, segments, start, end):
    root = tmp_path_factory.getbasetemp() / "locate"
    site, outside = root / "site", root / "outside"
    if not site.exists():
        (site / "notes").mkdir(parents=True)
        outside.mkdir()
        (site / "index.html").write_text("home")
        (site / "notes/page.html").write_text("page")
        (outside / "secret.txt").write_text("secret")
        (outside / "index.html").write_text("secret")
        (site / "leak").symlink_to(outside)
    status, found = locate(site, start + "/".join(segments) + end)
    if found is None:
        assert status in (301, 403, 404, 414)
    else:
        assert status == 200 and found.is_relative_to(site.resolve()) and found.read_text() in ("home", "page")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_stream(url: str) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    parts = urllib.parse.urlsplit(url)
    stream = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    stream.request("GET", "/__journal__/events")
    return stream, stream.getresponse()


def test_live_reload_streams_are_capped_and_pages_still_answered(journal, serve):
    server = serve(journal, "--today", "2026-10-05")
    streams = [open_stream(server.url) for _ in range(MAX_STREAMS)]
    assert {response.status for _, response in streams} == {200}
    refused = [open_stream(server.url) for _ in range(3 * MAX_STREAMS)]
    for stream, response in refused:
        assert (response.status, response.getheader("Retry-After")) == (503, "10")
        assert response.read() == b"Too many live-reload connections are open; this page will try again later.\n"
        response.close()
        stream.close()
    # Idle streams wait on a condition: the server barely runs (a busy loop would use the whole second).
    before = cpu_seconds(server.process.pid) if Path("/proc").is_dir() else None
    status, _, body = request(server.url, "/" + MEETING_PAGE, timeout=30)
    assert status == 200 and b"Coffee with Pat" in body
    threading.Event().wait(1.0)
    if before is not None:
        assert cpu_seconds(server.process.pid) - before < 0.5
    # Streams whose tab went away free their places at the next build.
    for stream, response in streams:
        response.close()  # the response holds the socket as well
        stream.close()
    (journal / NOTE).write_text(note_text("second version"))

    def accepted() -> bool:
        stream, response = open_stream(server.url)
        response.close()
        stream.close()
        return response.status == 200

    wait_until(accepted, what="a stream to be accepted again")
    assert server.process.poll() is None


def test_a_request_waits_for_the_build_it_arrived_during_not_the_next_one(journal):
    """Saves arriving back to back start build N+1 the moment build N ends: a request that
    waited for build N is answered from N's site before N+1 starts, never left behind it.
    The saves change a contact card's company: the card's own page is written first, so the
    request asks for the contact list, which only the whole build writes."""
    held = {name: threading.Event() for name in ("first", "second")}
    entered = {name: threading.Event() for name in held}
    answers = []

    def holding(name: str):
        def superseded() -> bool:  # asked at the start of the render: hold the build there
            if not entered[name].is_set():
                entered[name].set()
                assert held[name].wait(60)
            return False

        return superseded

    with Preview(journal, date(2026, 10, 5), "127.0.0.1", 0) as preview:
        preview.rebuild()
        threading.Thread(target=preview.server.serve_forever, daemon=True).start()
        (journal / CARD).write_text("---\nname: Pat Lee\ncompany: Second Print\n---\nPat runs the print shop.\n")

        def saves_keep_coming():  # the next build starts the moment this one ends, as the watcher does
            preview.rebuild((CARD,), superseded=holding("first"))
            preview.rebuild((CARD,), superseded=holding("second"))

        builder = threading.Thread(target=saves_keep_coming, daemon=True)
        builder.start()
        assert entered["first"].wait(30)
        asker = threading.Thread(
            target=lambda: answers.append(request(preview.url, "/contacts/", timeout=60)), daemon=True
        )
        asker.start()
        wait_until(lambda: preview.waiting == 1, what="the request to wait for the first build")
        held["first"].set()
        asker.join(30)
        assert [(status, b"Second Print" in body) for status, _, body in answers] == [(200, True)]
        assert entered["second"].wait(30) and builder.is_alive()  # the second build is still running
        held["second"].set()
        builder.join(30)
        assert not builder.is_alive()
        preview.server.shutdown()
