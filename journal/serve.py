"""The preview behind `journal serve`: build, serve over HTTP, rebuild on save, reload tabs.

The only module that imports http.server. The site is built into a temporary folder the
preview owns, and a request waits while a rebuild runs, so it never sees half a site; the
pages of the notes just saved are served as soon as they are final, before the rest of the
site is done (on a big journal, the rest takes a second or two more); during the first
build, a page asked for is rendered for its request as soon as the journal is assembled
(speed/ondemand.py), the very bytes the build then writes. Served HTML, never
the files on disk, gets a tiny script that reloads the tab when a build changes the site,
and, after a bad save, an overlay listing the problems. Prints nothing: the caller gets a
Rebuild record per build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import html
import ipaddress
import mimetypes
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

from .problems import Problem, summary
from .sources import SITE
from .speed import parallel
from .speed.incremental import Incremental, Rebuilt
from .speed.memory import TRIM_AFTER_PAGES, collect_held_garbage, collector_for, give_back_free_memory
from .speed.ondemand import OnDemand
from .watch import Watcher

PREFIX = "/__journal__/"
EVENTS = PREFIX + "events"
SCRIPT = PREFIX + "live.js"
WORKER = PREFIX + "worker.js"
KEEPALIVE_SECONDS = 15
MAX_STREAMS = 64  # event streams open at once: a browser shares one among its tabs
STREAM_RETRY_SECONDS = 10  # what a refused stream is told (the script waits longer each time)
REQUEST_TIMEOUT_SECONDS = 60  # a connection that sends nothing, or reads nothing, is dropped
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
EVERY_ADDRESS = ("0.0.0.0", "::", "")
MAX_PATH = 2048  # characters of a request's path; a site's longest is a few hundred
NAME_MAX = 255  # bytes of one segment: the longest file name Linux, macOS and Windows allow

# Listens to the event stream. The browser reconnects by itself after a dropped connection
# (a restarted server); a refusal (a 503: too many streams) closes the stream for good, so
# the script asks again after a pause that doubles each time, up to a minute, at a random
# point in it, so that refused tabs do not come back together.
LISTEN_JS = b"""function listen(announced) {
  var pause = 1000;
  (function connect() {
    var source = new EventSource("/__journal__/events");
    source.onopen = function () { pause = 1000; };
    source.onmessage = function (event) { announced(event.data); };
    source.onerror = function () {
      if (source.readyState !== EventSource.CLOSED) return;
      pause = Math.min(2 * pause, 60000);
      setTimeout(connect, pause * (0.5 + Math.random() / 2));
    };
  })();
}
"""
# Reloads the tab when the server announces another build. Browsers open at most six
# connections per host, so the tabs share one event stream through a shared worker; a tab
# that loaded an older build than the one announced reloads at once, so no save is missed.
LIVE_JS = (
    b"""(function () {
  var build = document.currentScript.getAttribute("data-build");
  function announced(id) { if (id !== build) location.reload(); }
"""
    + LISTEN_JS
    + b"""  if (window.SharedWorker) {
    var worker = new SharedWorker("/__journal__/worker.js");
    worker.port.onmessage = function (event) { announced(event.data); };
    worker.port.start();
    window.addEventListener("pagehide", function () { worker.port.postMessage("gone"); });
  } else {
    listen(announced);
  }
})();
"""
)
WORKER_JS = (
    LISTEN_JS
    + b"""var tabs = [], latest = null;
listen(function (id) {
  latest = id;
  tabs.forEach(function (tab) { tab.postMessage(latest); });
});
onconnect = function (event) {
  var tab = event.ports[0];
  tabs.push(tab);
  tab.onmessage = function () { tabs.splice(tabs.indexOf(tab), 1); };
  if (latest !== null) tab.postMessage(latest);
};
"""
)

MISDIRECTED = (
    b"journal serve answers only requests addressed to it by the address it listens on "
    b"(127.0.0.1, localhost, [::1] or its --host): this one named another host.\n"
)
FOREIGN = (
    b"journal serve answers only its own pages and an address typed in the browser: this request "
    b"came from a page of another site, which must not read your journal. Open the preview's "
    b"address yourself.\n"
)
OWN_FETCH_SITES = ("same-origin", "none")
"""Sec-Fetch-Site values of the preview's own requests: its pages and scripts ('same-origin')
and an address typed, bookmarked or opened by `journal serve --open` ('none')."""
TOO_MANY_STREAMS = b"Too many live-reload connections are open; this page will try again later.\n"

OVERLAY_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2em max(2em,calc(50vw - 30em));"
    "background:#2b0d0d;color:#fff;font:14px/1.5 ui-monospace,monospace;text-align:left"
)


class PortInUse(Exception):
    pass


@dataclass(frozen=True)
class Rebuild:
    """One build: what triggered it, how it went and what it cost."""

    changed: tuple[str, ...]
    problems: tuple[Problem, ...]
    file_count: int
    parsed: int
    rendered: int
    page_count: int
    seconds: float
    first_pages: tuple[str, ...] = ()  # the edited notes' pages, served before the rest was done
    first_seconds: float = 0.0  # when they were
    superseded: bool = False  # dropped after its first pages: a newer save was waiting
    adopted: bool = False  # the site `journal build` left, served as it is
    learned: bool = False  # the build after adopting: every page rendered once, for the next saves


def site_path(request_target: str) -> tuple[int, tuple[str, ...]]:
    """(200, the path's segments) for a request target that can name a file of the site, its
    query and fragment dropped and its escapes decoded; (414, ()) when longer than any path a
    site has (a segment over NAME_MAX bytes cannot name a file); (404, ()) for anything but
    plain segments: '..', '.', a backslash, a NUL or other unprintable character, a target
    that is not a path ('*', 'http://host/...')."""
    raw = request_target.partition("#")[0].partition("?")[0]
    if len(raw) > MAX_PATH:
        return 414, ()
    text = unquote(raw)
    if not text.startswith("/"):
        return 404, ()
    parts = tuple(part for part in text.split("/") if part)
    if any(len(part.encode("utf-8", "surrogatepass")) > NAME_MAX for part in parts):
        return 414, ()
    if any(part in (".", "..") or "\\" in part or not part.isprintable() for part in parts):
        return 404, ()
    return 200, parts


def locate(site: Path, request_target: str) -> tuple[int, Path | None]:
    """(200, file) for a file of the site; (301, None) for a folder asked without its '/';
    (403, None) for a symlink that leads out of the site; 414 or 404 (see site_path) for a
    target that cannot name one of its files; else 404."""
    status, parts = site_path(request_target)
    if status != 200:
        return status, None
    site = site.resolve()
    try:
        target = site.joinpath(*parts).resolve()
        if target.is_dir() and target.is_relative_to(site):
            if not unquote(request_target.partition("#")[0].partition("?")[0]).endswith("/"):
                return 301, None
            target = (target / "index.html").resolve()
        if not target.is_relative_to(site):
            return 403, None
        return (200, target) if target.is_file() else (404, None)
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13): nothing to serve
        return 404, None


def host_names(bound: str) -> frozenset[str]:
    """The names a request's Host header may give for a server bound to `bound`: the loopback
    names, which only this computer reaches, and the bound address itself. A web page on
    another site can point its own name at 127.0.0.1 (DNS rebinding), but its requests then
    carry that name: refusing it keeps the unredacted journal from that page. Bound to every
    address (0.0.0.0 or ::), the preview is meant for other devices too, which reach it by an
    IP address (see host_allowed) or by this computer's name."""
    names = {*LOOPBACK_NAMES, f"[{bound}]" if ":" in bound else bound}
    if bound in EVERY_ADDRESS:
        names |= {socket.gethostname(), socket.gethostname() + ".local"}
    return frozenset(name.lower() for name in names if name)


def host_allowed(header: str | None, names: frozenset[str], any_address: bool) -> bool:
    """Whether a Host header ('localhost:8000', '[::1]') names this server; with any_address,
    an IP literal counts too: no rebinding attack can send one, since that takes a DNS name.
    The port is not compared: an SSH tunnel or a port forward changes it, an attacker cannot
    use it."""
    header = header or ""
    end = header.find("]") + 1 if header.startswith("[") else len(header.partition(":")[0])
    name, port = header[:end].lower(), header[end:]
    if port and not (port[0] == ":" and port[1:].isascii() and port[1:].isdigit() and len(port) <= 6):
        return False
    if name in names:
        return True
    if not any_address:
        return False
    try:
        if name.startswith("["):
            ipaddress.IPv6Address(name[1:-1])
        else:
            ipaddress.IPv4Address(name)
    except ValueError:
        return False
    return True


def foreign_request(host: str, fetch_site: str | None, origin: str | None, referer: str | None) -> bool:
    """Whether a request comes from a page of another origin, which must not read the
    journal: a web page can load http://127.0.0.1:8000/search-index.js as a script and read
    every name in it, whatever the Host rules say. Browsers tell by Sec-Fetch-Site; older
    ones and other clients by Origin (sent on scripts' requests, 'null' from a sandbox or a
    file) and Referer. curl sends none of them and is answered; a header that names another
    origin than `host` (the request's own Host, already checked) is refused."""
    own = f"http://{host.lower()}"
    if fetch_site is not None and fetch_site.strip().lower() not in OWN_FETCH_SITES:
        return True
    if origin is not None and origin.strip().lower() != own:
        return True
    if referer is not None:
        scheme, _, rest = referer.strip().partition("://")
        if f"{scheme.lower()}://{rest.partition('/')[0].lower()}" != own:
            return True
    return False


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


def overlay(problems: tuple[Problem, ...], file_count: int, built_before: bool) -> str:
    """The problems over every page; `built_before` says whether a site from an earlier save
    is behind them, or nothing has built yet (a new folder, a journal broken from the start)."""
    lines = "\n".join(html.escape(str(problem)) for problem in problems)
    if built_before:
        lead = "<strong>The last save did not build.</strong> This is the site of the save before; fix the problems below and save again."
    else:
        lead = "<strong>The journal does not build yet,</strong> so there is no site to show; fix the problems below and save."
    return (
        f'<div id="journal-problems" role="alert" style="{OVERLAY_STYLE}">'
        f"<p>{lead}</p>"
        f'<pre style="white-space:pre-wrap">{lines}\n{html.escape(summary(list(problems), file_count))}</pre></div>'
    )


def inject(page: bytes, snippet: str) -> bytes:
    """The page with snippet just before its closing </body> (at the end if it has none)."""
    at = page.lower().rfind(b"</body>")
    at = len(page) if at < 0 else at
    return page[:at] + snippet.encode("utf-8") + page[at:]


Announce = Callable[[tuple[str, ...]], None]
FirstPagesHook = Callable[[tuple[str, ...], Announce], None]
"""hook(paths, announce) runs when a build's first pages are written; it must call
announce(paths), which serves them and tells the tabs. Preview's default calls it at once;
a test passes one that asks for pages before and after the announcement."""
Serve = Callable[[OnDemand], None]
EarlyHook = Callable[[OnDemand, Serve], None]
"""hook(files, serve) runs when the first build has assembled the journal, and again when it
has planned the site; it must call serve(files), which answers requests from them until the
build ends (ondemand.OnDemand). Preview's default calls it at once; a test passes one that
asks for pages while the build waits."""


IDLE_SECONDS = 2.0
FIRST_ASK_SECONDS = 2.0  # how long a first build waits for the requests waiting to ask what it can make on demand


def _announce_at_once(paths: tuple[str, ...], announce: Announce) -> None:
    announce(paths)


def _serve_at_once(files: OnDemand, serve: Serve) -> None:
    serve(files)


class Preview:
    """Owns the temporary site, the memory that makes rebuilds incremental
    (incremental.Incremental) and the HTTP server."""

    def __init__(self, root: Path, today: date | None, host: str, port: int) -> None:
        self.root = root
        self._today = today
        self._folder = Path(tempfile.mkdtemp(prefix="journal-serve-"))
        self._memory = Incremental(root, self._folder / SITE)
        self._one_build = threading.Lock()  # builds run one at a time
        # Requests wait while a build runs, so they see whole sites; the pages in _early, which
        # the running build has already finished, are served at once, and while no site is
        # written yet (the first build), what _on_demand can make. The next build starts
        # only once the requests that waited for this one (_waiting) have read their pages:
        # with saves arriving back to back, a request waits for one build, never a series.
        self._site = threading.Condition()
        self._building = True  # no site yet: a request waits for the first build
        self._waiting = 0
        self._early: frozenset[Path] = frozenset()
        self._on_demand: OnDemand | None = None
        self._asked_first = 0  # requests that waited when _on_demand came and have not asked it yet
        self._announce = threading.Condition()  # wakes the event streams
        self._streams = 0  # event streams open, at most MAX_STREAMS
        self.host_names, self.any_address = host_names(host), host in EVERY_ADDRESS
        self._token = secrets.token_hex(4)  # a restarted server never repeats a build id
        self._builds = 0
        self._stopping = False
        self._first: tuple[tuple[str, ...], float] = ((), 0.0)  # the running build's first pages, and when
        self.problems: tuple[Problem, ...] = ()
        self.file_count = 0
        self._idle_trim: threading.Timer | None = None
        self.idle_trims = 0  # memory given back while idle (see TRIM_AFTER_PAGES)
        self.idle_collections = 0  # full collections made while idle (see collect_held_garbage)
        try:
            self.server = _Server((host, port), _Handler, self)
        except OSError as error:
            shutil.rmtree(self._folder)
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"port {port} on {host} is already in use; choose another with --port, e.g. --port {port + 1}"
                ) from None
            raise

    @property
    def url(self) -> str:
        host, port = str(self.server.server_address[0]), self.server.server_address[1]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    @property
    def site(self) -> Path:
        """The folder served: the preview's own, or the one `journal build` left while it is
        adopted (see rebuild)."""
        return self._memory.site

    @property
    def build_id(self) -> str:
        return f"{self._token}-{self._builds}"

    @property
    def building(self) -> bool:
        """Whether a build is running, or none has run yet (requests wait for it, but for its
        first pages and what it makes on demand)."""
        return self._building

    @property
    def waiting(self) -> int:
        """How many requests wait for the running build."""
        return self._waiting

    def rebuild(
        self,
        changed: tuple[str, ...] = (),
        superseded: Callable[[], bool] | None = None,
        first_pages: FirstPagesHook = _announce_at_once,
        adopt: bool = False,
        early: EarlyHook = _serve_at_once,
    ) -> Rebuild:
        """Build the site again; superseded() says a newer save is waiting, and the build then
        stops after its first pages, for the next one to start at once. first_pages(paths,
        announce) runs once the edited notes' pages are written (see FirstPagesHook). With
        `adopt` (the first build), the site `journal build` left is taken as it is when it is
        current; the build that follows (`learning`) renders every page once and writes the
        preview's own site, while requests read the adopted one. While no site is written
        (the first build from cold), the page a request asks for is rendered for it as soon
        as the journal is assembled (see EarlyHook); the build forks its workers beside the
        server's threads, as `journal build` does, since those render only under
        parallel.no_fork()."""
        started = time.perf_counter()
        with self._one_build:
            self._first, dropped = ((), 0.0), False
            learning = self._memory.learning
            if not learning:
                self._hold_requests()
            whole = not self._memory.has_site or learning
            served_early = False

            def serve_early(files: OnDemand) -> None:
                nonlocal served_early
                served_early = True
                early(files, self._serve_on_demand)

            try:
                with collector_for(whole), self._forking(whole and not learning):
                    today = self._today or date.today()
                    result = self._memory.adopt_built_site(today) if adopt else None
                    if result is None:
                        result = self._memory.build(
                            today,
                            lambda paths: first_pages(paths, self._first_pages),
                            superseded,
                            serve_early,
                        )
            except OSError as error:  # a full disk, say: report it and keep serving the last site
                problem = Problem(
                    str(error.filename or self.site), 0, f"cannot build the preview: {error.strerror or error}"
                )
                result = Rebuilt((problem,), self.file_count, 0)
            except Exception as error:  # journal's own bug (a template's mistake is a problem already)
                traceback.print_exc(file=sys.stderr)  # for a bug report; the site of the last good save stays
                problem = Problem(
                    str(self.root),
                    0,
                    f"the build failed: {type(error).__name__}: {error} (a bug in journal: the traceback is in the terminal)",
                )
                result = Rebuilt((problem,), self.file_count, 0)
            if result.superseded:  # the site stays whole: the last one, the first pages new
                dropped, result = True, dataclasses.replace(result, problems=self.problems, file_count=self.file_count)
            changed_pages = bool(result.report and (result.report.written or result.report.removed))
            # Tabs told of the first pages reloaded, and waited for this build's other pages;
            # a page served on demand is the very page this build wrote, so its tab stays.
            visible = result.problems != self.problems or (
                changed_pages and not self._first[0] and not (served_early and not result.problems)
            )
            with self._site:
                self.problems, self.file_count = result.problems, result.file_count
                self._building, self._early, self._on_demand = False, frozenset(), None
                self._site.notify_all()
        if visible:
            with self._announce:
                self._builds += 1
                self._announce.notify_all()
        if whole or result.rendered >= TRIM_AFTER_PAGES:
            give_back_free_memory()
        self._tidy_when_idle()
        return Rebuild(
            changed,
            result.problems,
            result.file_count,
            result.parsed,
            result.rendered,
            result.page_count,
            time.perf_counter() - started,
            self._first[0],
            max(0.0, self._first[1] - started),
            dropped,
            result.adopted,
            learning,
        )

    @staticmethod
    def _forking(beside_threads: bool):
        """parallel.forking_beside_threads for a whole build that requests may be served
        during, else nothing."""
        return parallel.forking_beside_threads() if beside_threads else contextlib.nullcontext()

    def _serve_on_demand(self, files: OnDemand) -> None:
        """From now until the build ends, a request asks `files` first (see page). The
        requests already waiting ask before the build goes on (for up to FIRST_ASK_SECONDS):
        the build's next steps hold the interpreter too, and the page a browser is waiting
        for took twice as long beside them."""
        with self._site:
            stale, self.problems = self.problems, ()  # the journal loaded: a last failed build's are gone
            self._on_demand, self._asked_first = files, self._waiting
            self._site.notify_all()
        if stale:  # the tabs showing them reload (a template failing later in this build shows them again)
            with self._announce:
                self._builds += 1
                self._announce.notify_all()
        with self._site:
            self._site.wait_for(lambda: self._asked_first <= 0, FIRST_ASK_SECONDS)

    def _asked(self, files: OnDemand) -> None:
        """A request that waited when `files` came has asked them."""
        with self._site:
            if self._on_demand is files:
                self._asked_first -= 1
                self._site.notify_all()

    def _tidy_when_idle(self) -> None:
        """Once IDLE_SECONDS pass with no rebuild after this one, the full collection a whole
        build held back (collect_held_garbage), then give_back_free_memory."""
        if self._idle_trim is not None:
            self._idle_trim.cancel()
        self._idle_trim = threading.Timer(IDLE_SECONDS, self._tidy_unless_building)
        self._idle_trim.daemon = True
        self._idle_trim.start()

    def _tidy_unless_building(self) -> None:
        if self._one_build.acquire(blocking=False):  # a build running now tidies or schedules its own
            try:
                self.idle_collections += collect_held_garbage()
                give_back_free_memory()
                self.idle_trims += 1
            finally:
                self._one_build.release()

    def _hold_requests(self) -> None:
        """From now until the build ends, requests wait for it (but for its first pages); first,
        the requests that waited for the build before have read their pages (none before
        the first build: those that wait already wait for this one)."""
        with self._site:
            while self._waiting and not self._building:
                self._site.wait()
            self._building = True

    def _first_pages(self, paths: tuple[str, ...]) -> None:
        """The edited notes' pages are written and final while the build goes on: serve them
        at once and tell the tabs, which then find every other page waiting for the build.
        The journal loaded, so the last save's problems are gone (a template failing later in
        this build shows them again)."""
        self._first = (paths, time.perf_counter())
        with self._site:
            self._early = frozenset((self.site / path).resolve() for path in paths)
            self.problems = ()
            self._site.notify_all()
        with self._announce:
            self._builds += 1
            self._announce.notify_all()

    def serve_forever(self, on_build: Callable[[Rebuild], None], on_ready: Callable[[], None] = lambda: None) -> None:
        """Serve, build the site, and rebuild on every save until KeyboardInterrupt; on_build
        sees each build. on_ready runs once the server answers and the watcher is watching,
        before the first build: a browser opened then gets its page as soon as the first
        build can make it (see rebuild), and a save made after it is never missed. The first
        build starts from the site `journal build` left when it is current (adopt); the
        build that learns the journal then follows."""
        watcher = Watcher(self.root, lambda changed: on_build(self.rebuild(changed, superseded=watcher.pending)))
        server = threading.Thread(target=self.server.serve_forever, name="journal serve", daemon=True)
        server.start()
        try:
            watcher.start()
            on_ready()
            on_build(self.rebuild(adopt=True))
            if self._memory.learning:  # the adopted site is served while the journal is learnt
                on_build(self.rebuild())
            while server.is_alive():
                server.join(3600)
        finally:
            self.server.shutdown()
            watcher.stop()

    def open_stream(self) -> bool:
        """Count an event stream in, or say no once MAX_STREAMS are open: each holds a thread
        and a file descriptor, and a thousand of them used up the process's descriptors."""
        with self._announce:
            if self._streams >= MAX_STREAMS:
                return False
            self._streams += 1
            return True

    def close_stream(self) -> None:
        with self._announce:
            self._streams -= 1

    def wait_for_build(self, seen: str | None) -> str | None:
        """The build id once it differs from seen (or after a keep-alive pause); None when stopping."""
        with self._announce:
            if self.build_id == seen and not self._stopping:
                self._announce.wait(KEEPALIVE_SECONDS)
            return None if self._stopping else self.build_id

    def page(self, request_path: str) -> tuple[int, Path | None, bytes]:
        """(status, file, bytes) for a request, read while no build is swapping the site, or
        at once if it is one of the pages a running build has already finished, or one the
        first build's files on demand can make (asked again each time they are replaced)."""
        asked: OnDemand | None = None
        while True:
            woken_by: OnDemand | None = None  # the files on demand this request waited for
            with self._site:
                if not self._building:
                    return self._read(request_path)
                if self._on_demand is None or self._on_demand is asked:
                    self._waiting += 1
                    try:
                        while self._building and (self._on_demand is None or self._on_demand is asked):
                            if self._early:  # only these files are sure to stay put until the build ends
                                status, found = locate(self.site, request_path)
                                if found in self._early:
                                    return status, found, found.read_bytes()
                            self._site.wait()
                        if not self._building:
                            return self._read(request_path)
                        woken_by = self._on_demand
                    finally:
                        self._waiting -= 1
                        self._site.notify_all()  # the next build may be waiting for this request
                asked = self._on_demand
            try:
                made = _made_on_demand(asked, request_path, self.site)
            finally:
                if woken_by is not None:
                    self._asked(woken_by)
            if made is not None:
                return made

    def _read(self, request_path: str) -> tuple[int, Path | None, bytes]:
        status, found = locate(self.site, request_path)
        return status, found, found.read_bytes() if found else b""

    def decorate(self, page: bytes) -> bytes:
        snippet = overlay(self.problems, self.file_count, self._memory.has_site) if self.problems else ""
        return inject(page, snippet + f'<script src="{SCRIPT}" data-build="{self.build_id}"></script>')

    def close(self) -> None:
        if self._idle_trim is not None:
            self._idle_trim.cancel()
        collect_held_garbage()  # the process may go on (a test suite, a program embedding the preview)
        with self._announce:
            self._stopping = True
            self._announce.notify_all()
        self.server.server_close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> Preview:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _made_on_demand(files: OnDemand | None, request_path: str, site: Path) -> tuple[int, Path, bytes] | None:
    """(200, where the file will be, its bytes) when `files` can make the file a request
    names: a folder's address ending in '/' names its index.html. None otherwise (the
    request then waits for the build)."""
    status, parts = site_path(request_path)
    if files is None or status != 200:
        return None
    if not parts or request_path.partition("#")[0].partition("?")[0].endswith("/"):
        parts = (*parts, "index.html")
    content = files.file("/".join(parts))
    return None if content is None else (200, site.joinpath(*parts), content)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address, handler, preview: Preview) -> None:
        self.preview = preview
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, handler)

    def get_request(self):
        """Out of file descriptors, the waiting connection stays in the queue and the socket
        stays readable: without a pause, serve_forever would retry accept() at full speed."""
        try:
            return super().get_request()
        except OSError as error:
            if error.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                time.sleep(0.1)
            raise

    def handle_error(self, request, client_address) -> None:
        """A tab closed, or stalled, mid-response is normal; anything else is a bug worth a traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "journal-serve"
    timeout = REQUEST_TIMEOUT_SECONDS

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal is for build results and problems."""

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def _respond(self, with_body: bool) -> None:
        preview = self.server.preview
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not host_allowed(hosts[0], preview.host_names, preview.any_address):
            return self._send(403, "text/plain; charset=utf-8", MISDIRECTED, with_body)
        headers = self.headers
        if foreign_request(hosts[0], headers["Sec-Fetch-Site"], headers["Origin"], headers["Referer"]):
            return self._send(403, "text/plain; charset=utf-8", FOREIGN, with_body)
        path = self.path.partition("#")[0].partition("?")[0]
        if path == EVENTS:
            return self._events(preview) if with_body else self._send(200, "text/event-stream", b"", with_body)
        if path in (SCRIPT, WORKER):
            return self._send(
                200, "text/javascript; charset=utf-8", LIVE_JS if path == SCRIPT else WORKER_JS, with_body
            )
        status, found, body = preview.page(self.path)
        if status == 301:  # to the folder's own path: '//host/x' must not redirect to another host
            query = self.path.partition("#")[0].partition("?")[2]
            location = "/" + quote("/".join(site_path(self.path)[1])) + "/" + (f"?{query}" if query else "")
            return self._send(301, "text/plain; charset=utf-8", b"moved\n", with_body, {"Location": location})
        if status != 200:
            message = {403: "Forbidden: outside the site", 404: "Not found", 414: "URI too long"}[status]
            body = f"<!doctype html><title>{message}</title><body><h1>{status} {message}</h1></body>".encode()
            return self._send(status, "text/html; charset=utf-8", preview.decorate(body), with_body)
        assert found is not None, "locate names the file it found with a 200"
        kind = content_type(found)
        if kind.startswith("text/html"):
            body = preview.decorate(body)
        self._send(200, kind, body, with_body)

    def _send(self, status: int, kind: str, body: bytes, with_body: bool, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")  # no other site may embed a byte
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _events(self, preview: Preview) -> None:
        """Server-Sent Events: the current build id now, then each new one (or a keep-alive).
        Past MAX_STREAMS a 503, after which the script waits longer each time before asking
        again. A stream waits on a condition: idle, it costs no CPU."""
        if not preview.open_stream():
            return self._send(
                503, "text/plain; charset=utf-8", TOO_MANY_STREAMS, True, {"Retry-After": str(STREAM_RETRY_SECONDS)}
            )
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n")
            seen = None
            while (build_id := preview.wait_for_build(seen)) is not None and not self._client_gone():
                message = f"data: {build_id}\n\n" if build_id != seen else ": keep-alive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = build_id
        except OSError:  # the tab went away, or stopped reading
            return
        finally:
            preview.close_stream()

    def _client_gone(self) -> bool:
        """Whether the other end closed the stream (an EOF waits to be read): its slot is freed
        at the next build or keep-alive, not after a write into the void."""
        self.connection.settimeout(0)
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        finally:
            self.connection.settimeout(self.timeout)
