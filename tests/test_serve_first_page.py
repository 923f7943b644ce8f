"""The first `journal serve` from cold answers the page asked for before its build has written
the site: over real HTTP, while the build waits in its hook, and byte for byte the page the
build then writes (the demo's cold `journal build`)."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, journal_of, site_files
from test_serve import JOURNAL, problems_shown, request

from journal import serve
from journal.plan import SitePaths, page_alone, page_plan
from journal.serve import Preview
from journal.speed import parallel

ALONE = {  # each kind of page plan.page_alone plans by itself, and a static file
    "/": "index.html",
    "/overdue/": "overdue/index.html",
    "/meetings/2026-10-15-coffee-with-terry.html": "meetings/2026-10-15-coffee-with-terry.html",
    "/meetings/2026-11-25-lunch-with-rick.html": "meetings/2026-11-25-lunch-with-rick.html",  # still to come
    "/contacts/dana-whitfield.html": "contacts/dana-whitfield.html",
    "/style.css": "style.css",
}
PLANNED = {"/contacts/": "contacts/index.html", "/reciprocity/": "reciprocity/index.html"}


def test_the_first_build_answers_pages_before_it_has_written_them(demo_root, demo_site):
    """Once the journal is assembled the dashboard, overdue, meeting and contact pages and the
    stylesheet answer at once; a list page waits for the plan, then answers too; a request
    made before the journal was ready waits and then gets its page; the site folder is still
    empty meanwhile. Every answer is the cold build's file, and the tabs are not told to
    reload when the build ends (they already show its pages)."""
    cold = site_files(demo_site)
    answers: dict[str, bytes] = {}
    calls: list[str] = []

    def ask(preview: Preview, path: str) -> threading.Thread:
        def get() -> None:
            answers[path] = request(preview.url, path, timeout=30)[2]

        thread = threading.Thread(target=get, daemon=True)
        thread.start()
        return thread

    with Preview(demo_root, TODAY, "127.0.0.1", 0) as preview:
        threading.Thread(target=preview.server.serve_forever, daemon=True).start()

        def early(files, serve_them) -> None:
            if not calls:  # the journal is assembled, nothing planned or written
                waiting = ask(preview, "/")
                time.sleep(0.3)
                calls.append("waiting" if "/" not in answers else "answered before serve")
                serve_them(files)
                waiting.join(10)
                for path in ALONE:
                    ask(preview, path).join(10)
                listed = ask(preview, "/contacts/")
                listed.join(0.5)
                calls.append("list waited" if "/contacts/" not in answers else "list answered")
                calls.append("site empty" if not any(preview.site.rglob("*.html")) else "site written")
            else:  # the site is planned: every page answers, the list page that waited too
                serve_them(files)
                for path in PLANNED:
                    ask(preview, path).join(10)
                calls.append("planned")

        built_before = preview.build_id
        rebuild = preview.rebuild(early=early)
        assert rebuild.problems == ()
        assert calls == ["waiting", "list waited", "site empty", "planned"]
        assert preview.build_id == built_before  # nothing to reload
        for path, name in {**ALONE, **PLANNED}.items():
            expected = preview.decorate(cold[name]) if name.endswith(".html") else cold[name]
            assert answers[path] == expected, path
            assert (preview.site / name).read_bytes() == cold[name]
        preview.server.shutdown()


def test_no_worker_is_forked_while_a_page_renders_on_demand():
    """parallel.no_fork() holds a fork back until the block ends: a page rendered in a
    request's thread is never split by a fork of the build's workers."""
    order: list[str] = []
    inside = threading.Event()

    def render() -> None:
        with parallel.no_fork():
            inside.set()
            time.sleep(0.3)
            order.append("rendered")

    thread = threading.Thread(target=render)
    with parallel.forking_beside_threads():
        thread.start()
        inside.wait(5)
        if parallel.workers() < 2:
            thread.join()
            pytest.skip("one core: nothing is forked here")
        wait = parallel.in_background(lambda: None)
        order.append("forked")
        wait()
    thread.join()
    assert order == ["rendered", "forked"]


def test_a_page_on_demand_never_answers_for_a_path_the_site_lacks(demo_root):
    assert serve._made_on_demand(None, "/", Path("/nowhere")) is None
    with Preview(demo_root, TODAY, "127.0.0.1", 0) as preview:
        seen = []

        def early(files, serve_them) -> None:
            serve_them(files)
            for path in ("/nothing.html", "/../journal.yaml", "/search-index.js", "/contacts/nobody.html"):
                seen.append(serve._made_on_demand(files, path, preview.site))

        preview.rebuild(early=early)
        assert seen == [None] * 8  # twice: assembled, then planned


@pytest.mark.parametrize("today", [TODAY, date(2026, 5, 1), date(2027, 3, 1)])
def test_every_page_planned_alone_is_the_site_plans_entry(demo_root, today):
    """plan.page_alone gives the entry page_plan gives, for every page it plans alone (the
    dashboard, overdue, every meeting's and contact's), on days before, inside and after the
    demo's year: so a page served on demand is the page the build writes."""
    journal = journal_of(demo_root)
    paths = SitePaths()
    plan = {page.path: page for page in page_plan(journal, today, paths)}
    alone = ["index.html", "overdue/index.html"]
    alone += [paths.meeting(meeting.slug) for meeting in journal.meetings]
    alone += [paths.contact(contact.slug) for contact in journal.contacts]
    for path in alone:
        assert page_alone(journal, today, paths, path) == plan[path], path
    for path in set(plan) - set(alone):
        assert page_alone(journal, today, paths, path) is None, path


def test_after_a_failed_first_build_pages_on_demand_carry_no_stale_problems(make_journal):
    """A first build that fails (a template's mistake) leaves no site and lists its problems;
    once the fix is saved, the next build serves pages on demand again: without the last
    build's problems over them, and the tabs that showed those problems are told to reload."""
    root = make_journal(JOURNAL)
    (root / "templates").mkdir()
    (root / "templates/meeting.html").write_text('{% extends "base.html" %}{% block main %}{{ 1 + "a" }}{% endblock %}')
    answers: dict[str, bytes] = {}
    with Preview(root, date(2026, 10, 5), "127.0.0.1", 0) as preview:
        threading.Thread(target=preview.server.serve_forever, daemon=True).start()
        failed = preview.rebuild()
        assert failed.problems and "TypeError" in failed.problems[0].message
        assert "TypeError" in problems_shown(BeautifulSoup(request(preview.url, "/", timeout=10)[2], "html5lib"))
        (root / "templates/meeting.html").write_text('{% extends "base.html" %}{% block main %}fixed{% endblock %}')
        told = preview.build_id

        def early(files, serve_them) -> None:
            serve_them(files)
            if "/" not in answers:
                answers["/"] = request(preview.url, "/", timeout=10)[2]
                answers["told"] = preview.build_id.encode()

        assert preview.rebuild(early=early).problems == ()
        assert problems_shown(BeautifulSoup(answers["/"], "html5lib")) == ""
        assert answers["told"].decode() != told
        preview.server.shutdown()
