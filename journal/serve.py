"""The preview behind `journal serve`: build, serve over HTTP, rebuild on save, reload tabs.

The only module that imports http.server. The site is built into a temporary folder the
preview owns, and a request waits while a rebuild runs, so it never sees half a site; the
pages of the notes just saved are served as soon as they are final, before the rest of the
site is done (on a big journal, the rest takes a second or two more). Served HTML, never
the files on disk, gets a tiny script that reloads the tab when a build changes the site,
and, after a bad save, an overlay listing the problems. Prints nothing: the caller gets a
Rebuild record per build.
"""

from __future__ import annotations

import errno
import gc
import html
import mimetypes
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .build import BuildResult, PreviewCaches, build
from .pagecache import Superseded
from .problems import Problem, summary
from .watch import Watcher

PREFIX = "/__journal__/"
EVENTS = PREFIX + "events"
SCRIPT = PREFIX + "live.js"
WORKER = PREFIX + "worker.js"
KEEPALIVE_SECONDS = 15

# Reloads the tab when the server announces another build. Browsers open at most six
# connections per host, so the tabs share one event stream through a shared worker; a tab
# that loaded an older build than the one announced reloads at once, so no save is missed.
LIVE_JS = b"""(function () {
  var build = document.currentScript.getAttribute("data-build");
  function announced(id) { if (id !== build) location.reload(); }
  if (window.SharedWorker) {
    var worker = new SharedWorker("/__journal__/worker.js");
    worker.port.onmessage = function (event) { announced(event.data); };
    worker.port.start();
    window.addEventListener("pagehide", function () { worker.port.postMessage("gone"); });
  } else {
    new EventSource("/__journal__/events").onmessage = function (event) { announced(event.data); };
  }
})();
"""
WORKER_JS = b"""var tabs = [], latest = null;
new EventSource("/__journal__/events").onmessage = function (event) {
  latest = event.data;
  tabs.forEach(function (tab) { tab.postMessage(latest); });
};
onconnect = function (event) {
  var tab = event.ports[0];
  tabs.push(tab);
  tab.onmessage = function () { tabs.splice(tabs.indexOf(tab), 1); };
  if (latest !== null) tab.postMessage(latest);
};
"""

OVERLAY_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2em;"
    "background:rgba(40,0,0,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;text-align:left"
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


def locate(site: Path, request_path: str) -> tuple[int, Path | None]:
    """(200, file) for a file of the site; (301, None) for a folder asked without its '/';
    (403, None) for a path that leaves the site ('..', '%2e%2e', a symlink out); else 404."""
    text = unquote(urlsplit(request_path).path)
    if not text.startswith("/") or "\\" in text or "\0" in text:
        return 403, None
    parts = [part for part in text.split("/") if part]
    if ".." in parts:
        return 403, None
    site = site.resolve()
    target = site.joinpath(*parts).resolve()
    if target.is_dir() and target.is_relative_to(site):
        if not text.endswith("/"):
            return 301, None
        target = (target / "index.html").resolve()
    if not target.is_relative_to(site):
        return 403, None
    return (200, target) if target.is_file() else (404, None)


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


class Preview:
    """Owns the temporary site, the caches that make rebuilds incremental and the HTTP server."""

    def __init__(self, root: Path, today: date | None, host: str, port: int) -> None:
        self.root = root
        self._today = today
        self._folder = Path(tempfile.mkdtemp(prefix="journal-serve-"))
        self.site = self._folder / "site"
        self._caches = PreviewCaches()
        self._one_build = threading.Lock()  # builds run one at a time
        # Requests wait while a build runs, so they see whole sites; the pages in _early, which
        # the running build has already finished, are served at once.
        self._site = threading.Condition()
        self._building = False
        self._early: frozenset[Path] = frozenset()
        self._announce = threading.Condition()  # wakes the event streams
        self._token = secrets.token_hex(4)  # a restarted server never repeats a build id
        self._builds = 0
        self._stopping = False
        self._first: tuple[tuple[str, ...], float] = ((), 0.0)  # the running build's first pages, and when
        self.problems: tuple[Problem, ...] = ()
        self.file_count = 0
        try:
            self.server = _Server((host, port), _Handler, self)
        except OSError as error:
            shutil.rmtree(self._folder)
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(f"port {port} on {host} is already in use; choose another with --port, e.g. --port {port + 1}") from None
            raise

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def build_id(self) -> str:
        return f"{self._token}-{self._builds}"

    def rebuild(self, changed: tuple[str, ...] = (), superseded: Callable[[], bool] | None = None) -> Rebuild:
        """Build the site again; superseded() says a newer save is waiting, and the build then
        stops after its first pages, for the next one to start at once."""
        started = time.perf_counter()
        with self._one_build:
            self._first, dropped = ((), 0.0), False
            with self._site:
                self._building = True
            gc.disable()  # a rebuild allocates a whole new journal: full collections would scan it for nothing
            try:
                result = build(self.root, self.site, self._today or date.today(), preview=self._caches,
                               first_pages=self._first_pages, superseded=superseded)
            except Superseded:  # the site stays whole: the last one, the first pages new
                dropped, result = True, BuildResult(self.problems, self.file_count)
            except OSError as error:  # a full disk, say: report it and keep serving the last site
                problem = Problem(str(error.filename or self.site), 0, f"cannot build the preview: {error.strerror or error}")
                result = BuildResult((problem,), self.file_count)
            except Exception as error:  # e.g. a template adding text to a number: shown, not fatal
                problem = Problem(str(self.root), 0, f"the build failed: {type(error).__name__}: {error}")
                result = BuildResult((problem,), self.file_count)
            finally:
                gc.enable()
            changed_pages = bool(result.report and (result.report.written or result.report.removed))
            # Tabs told of the first pages reloaded, and waited for this build's other pages.
            visible = result.problems != self.problems or (changed_pages and not self._first[0])
            with self._site:
                self.problems, self.file_count = result.problems, result.file_count
                self._building, self._early = False, frozenset()
                self._site.notify_all()
        if visible:
            with self._announce:
                self._builds += 1
                self._announce.notify_all()
        return Rebuild(
            changed, result.problems, result.file_count, self._caches.parsed.parsed,
            self._caches.pages.rendered if result.report else 0, result.page_count,
            time.perf_counter() - started, self._first[0], max(0.0, self._first[1] - started), dropped,
        )

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
        """Serve and rebuild on every save until KeyboardInterrupt; on_build sees each rebuild.
        on_ready runs once the watcher is watching, so a save made after it is never missed."""
        watcher = Watcher(self.root, lambda changed: on_build(self.rebuild(changed, superseded=watcher.pending)))
        watcher.start()
        on_ready()
        try:
            self.server.serve_forever()
        finally:
            watcher.stop()

    def wait_for_build(self, seen: str | None) -> str | None:
        """The build id once it differs from seen (or after a keep-alive pause); None when stopping."""
        with self._announce:
            if self.build_id == seen and not self._stopping:
                self._announce.wait(KEEPALIVE_SECONDS)
            return None if self._stopping else self.build_id

    def page(self, request_path: str) -> tuple[int, Path | None, bytes]:
        """(status, file, bytes) for a request, read while no build is swapping the site, or
        at once if it is one of the pages a running build has already finished."""
        with self._site:
            while self._building:
                if self._early:  # only these files are sure to stay put until the build ends
                    status, found = locate(self.site, request_path)
                    if found in self._early:
                        return status, found, found.read_bytes()
                self._site.wait()
            status, found = locate(self.site, request_path)
            return status, found, found.read_bytes() if found else b""

    def decorate(self, page: bytes) -> bytes:
        snippet = overlay(self.problems, self.file_count, bool(self._caches.written)) if self.problems else ""
        return inject(page, snippet + f'<script src="{SCRIPT}" data-build="{self.build_id}"></script>')

    def close(self) -> None:
        with self._announce:
            self._stopping = True
            self._announce.notify_all()
        self.server.server_close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> Preview:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address, handler, preview: Preview) -> None:
        self.preview = preview
        super().__init__(address, handler)

    def handle_error(self, request, client_address) -> None:
        """A tab closed mid-response is normal; anything else is a bug worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "journal-serve"

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal is for build results and problems."""

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def _respond(self, with_body: bool) -> None:
        preview = self.server.preview
        path = urlsplit(self.path).path
        if path == EVENTS:
            return self._events(preview) if with_body else self._send(200, "text/event-stream", b"", with_body)
        if path in (SCRIPT, WORKER):
            return self._send(200, "text/javascript; charset=utf-8", LIVE_JS if path == SCRIPT else WORKER_JS, with_body)
        status, found, body = preview.page(self.path)
        if status == 301:
            query = urlsplit(self.path).query
            return self._send(301, "text/plain; charset=utf-8", b"moved\n", with_body, {"Location": path + "/" + (f"?{query}" if query else "")})
        if status != 200:
            message = {403: "Forbidden: outside the site", 404: "Not found"}[status]
            body = f"<!doctype html><title>{message}</title><body><h1>{status} {message}</h1></body>".encode()
            return self._send(status, "text/html; charset=utf-8", preview.decorate(body), with_body)
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
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _events(self, preview: Preview) -> None:
        """Server-Sent Events: the current build id now, then each new one (or a keep-alive)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        seen = None
        while (build_id := preview.wait_for_build(seen)) is not None:
            message = f"data: {build_id}\n\n" if build_id != seen else ": keep-alive\n\n"
            try:
                self.wfile.write(message.encode())
                self.wfile.flush()
            except ConnectionError:
                return
            seen = build_id
