"""The built site: every page kind, parsed as HTML; links, escaping, determinism, atomic writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import html5lib
import pytest
from bs4 import BeautifulSoup
from conftest import TODAY_ARG, site_files
from sealed import crawl, read_tree

from journal.pipeline import load
from journal.plan import SitePaths, page_plan
from journal.render import Renderer

SMALL_JOURNAL = {
    "journal.yaml": "title: Sam's journal\nowner: Sam Carter\n",
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        aliases: [Pat]
        company: Lee Print & Design
        email: pat@example.com
        phone: "+1 555 0100"
        tags: [printing]
        cadence: 30
        status: prospect
        decide_by: 2026-11-01
        ---
        Runs the print shop on 5th.
    """,
    "entries/2026/2026-10-01-breakfast.md": """
        ---
        date: 2026-10-01 07:30
        with: [Pat, Terry Nguyen]
        where: Rosie's Diner
        tags: [bni]
        commitments:
          - by: me
            to: Pat
            what: Introduce Pat to Jane <the banker>
            kind: introduction
            introducing: Jane Roe
            consent: asked
            due: 2026-10-08
          - by: Pat
            what: Send me Jane and Terry
            kind: referral
            due: 2026-10-15
        gave:
          - to: Terry Nguyen
            what: A lead at the bakery
            kind: lead
        ---
        # Breakfast at Rosie's

        Pat wants *printers*. <script>alert("x")</script>

        ![tracker](https://example.com/pixel.png)
    """,
    "entries/2026/2026-11-20-call.md": """
        ---
        date: 2026-11-20
        with: Terry Nguyen
        follow_up: false
        received:
          - from: Terry Nguyen
            what: Coffee voucher
            kind: favor
        ---
        Quick call.
    """,
}


@pytest.fixture
def site(make_journal, cli, tmp_path):
    root = make_journal(SMALL_JOURNAL)
    result = cli("build", "--root", str(root), "--today", TODAY_ARG)
    assert result.returncode == 0, result.stderr
    return root / "site"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "html5lib")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_kind_is_written(site):
    names = set(site_files(site))
    assert names == {
        "index.html",
        "style.css",
        "search.js",
        "search-index.js",
        "calendar.ics",
        "overdue/index.html",
        "reciprocity/index.html",
        "contacts/index.html",
        "contacts/pat-lee.html",
        "contacts/terry-nguyen.html",
        "contacts/jane-roe.html",
        "meetings/index.html",
        "meetings/2026-10-01-breakfast.html",
        "meetings/2026-11-20-call.html",
        "tags/index.html",
        "tags/bni.html",
        "tags/printing.html",
    }


def test_every_page_is_well_formed_html5(site):
    for path in html_files(site):
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(path.read_bytes())  # raises on any parse error
        page = soup(path)
        assert page.html["lang"] == "en"
        assert page.find("meta", attrs={"name": "viewport"})
        title = page.title.string
        assert title.strip() and "<" not in title and "\n" not in title, (path, title)  # a title is one line of text


def test_every_page_is_reachable_from_the_dashboard_and_no_link_is_broken(site):
    reached, broken = crawl(read_tree(site))
    assert broken == []
    assert reached == {p.relative_to(site).as_posix() for p in html_files(site)}


def test_no_external_requests_and_user_text_is_escaped(site):
    for path in html_files(site):
        page = soup(path)
        scripts = page.find_all("script")
        assert [s["src"].rsplit("/", 1)[-1] for s in scripts] == ["search.js"] and not scripts[0].string, path
        assert not page.find_all("img"), path
        for tag in page.find_all(src=True):
            assert "://" not in tag["src"], path
    meeting = soup(site / "meetings/2026-10-01-breakfast.html")
    prose = meeting.select_one("section.prose")
    assert '<script>alert("x")</script>' in prose.get_text()
    assert prose.find("em").get_text() == "printers"
    assert prose.find("img") is None and "![tracker]" in prose.get_text()
    assert "Introduce Pat to Jane <the banker>" in meeting.get_text()


def test_meeting_page_links_people_and_lists_promises(site):
    page = soup(site / "meetings/2026-10-01-breakfast.html")
    assert page.h1.get_text() == "Breakfast at Rosie's"
    people = [(a.get_text(), a["href"]) for a in page.select("dl.card dd a") if "contacts/" in a["href"]]
    assert people == [("Pat Lee", "../contacts/pat-lee.html"), ("Terry Nguyen", "../contacts/terry-nguyen.html")]
    promises = [li.select_one(".what").get_text() for li in page.select("#promises li")]
    assert promises == ["Introduce Pat to Jane <the banker>", "Send me Jane and Terry"]
    assert page.select_one("#exchanges .what").get_text() == "A lead at the bakery"


def test_contact_page_shows_timeline_promises_ledger_and_status(site):
    page = soup(site / "contacts/pat-lee.html")
    assert page.h1.get_text() == "Pat Lee"
    card = dict(
        zip(
            [dt.get_text() for dt in page.select("dl.card dt")],
            [dd.get_text(" ", strip=True) for dd in page.select("dl.card dd")],
            strict=True,
        )
    )
    assert card["Works"] == "Lee Print & Design"
    # When we last met and the cadence are said once, in the brief's first line, not again in the card.
    assert "Cadence" not in card and "Last met" not in card
    brief = page.select_one("#before-you-meet .brief-person > p").get_text(" ", strip=True)
    assert " ".join(brief.split()) == "Last met 2026-10-01 , 53 days ago · every 30 days: going cold"
    assert [li.select_one(".what").get_text() for li in page.select("#promises li")] == [
        "Introduce Pat to Jane <the banker>",
        "Send me Jane and Terry",
    ]
    assert [a.get_text() for a in page.select("#timeline td a[href*='meetings/']")] == ["Breakfast at Rosie's"]
    terry = soup(site / "contacts/terry-nguyen.html")
    ledger = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in terry.select("#ledger tbody tr")]
    assert ledger == [
        ["2026-10-01", "A lead at the bakery", "I gave", "lead", "Breakfast at Rosie's"],
        ["2026-11-20", "Coffee voucher", "I got", "favor", "2026-11-20-call"],
    ]


def test_dashboard_and_overdue_put_my_promises_first(site):
    counts = [a["href"] for a in soup(site / "index.html").select("#counts a")]
    assert (
        counts.index("overdue/index.html#mine")
        < counts.index("overdue/index.html#theirs")
        < counts.index("overdue/index.html#cold")
    )
    page = soup(site / "overdue/index.html")
    sections = [s["id"] for s in page.select("main section")]
    assert sections.index("mine") < sections.index("theirs") < sections.index("cold")
    assert page.select_one("#mine .what").get_text() == "Introduce Pat to Jane <the banker>"
    assert page.select_one("#mine .status").get_text() == "46 days overdue"
    assert page.select_one("#theirs .what").get_text() == "Send me Jane and Terry"
    overdue = soup(site / "overdue/index.html")
    assert [a.get_text() for a in overdue.select("#follow-ups .who a")] == ["Pat Lee"]
    assert [a.get_text() for a in overdue.select("#decisions .who a")] == ["Pat Lee"]
    assert [a.get_text() for a in overdue.select("#cold .who a")] == ["Pat Lee"]
    # Overdue and without consent: listed once, under My promises, and the consent list says so.
    assert overdue.select("#consent li") == []
    assert overdue.select_one("#consent p.more").get_text() == "It is listed above, under My promises."


def test_reciprocity_page_table(site):
    page = soup(site / "reciprocity/index.html")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")][:4]
        for tr in page.select("table.reciprocity tbody tr")
    ]
    assert rows == [["Pat Lee", "0", "0", "0"], ["Terry Nguyen", "1", "1", "0"]]


def test_tag_pages_list_meetings_and_contacts(site):
    assert [a.get_text() for a in soup(site / "tags/bni.html").select("#meetings td a[href*='meetings/']")] == [
        "Breakfast at Rosie's"
    ]
    assert [a.get_text() for a in soup(site / "tags/printing.html").select("#contacts a")] == ["Pat Lee"]


def test_same_input_gives_identical_bytes(make_journal, cli, tmp_path):
    root = make_journal(SMALL_JOURNAL)
    for out in ("one", "two"):
        assert cli("build", "--root", str(root), "--out", str(tmp_path / out), "--today", TODAY_ARG).returncode == 0
    assert site_files(tmp_path / "one") == site_files(tmp_path / "two")


def snapshot(site: Path) -> dict:
    return {
        p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in site.rglob("*")
        if p.is_file()
    }


def test_unchanged_files_are_not_rewritten(site, cli):
    root = site.parent
    before = snapshot(site)
    result = cli("build", "--root", str(root), "--today", TODAY_ARG)
    assert "0 written" in result.stdout
    assert snapshot(site) == before
    note = root / "entries/2026/2026-11-20-call.md"
    # After the first sentence, which Terry's brief shows: only the note's own page changes.
    note.write_text(note.read_text().replace("Quick call.", "Quick call. Terry was in a hurry."))
    cli("build", "--root", str(root), "--today", TODAY_ARG)
    after = snapshot(site)
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == {"meetings/2026-11-20-call.html", "search-index.js"}


def test_a_failed_build_leaves_the_previous_site_intact(site, cli):
    root = site.parent
    before = snapshot(site)
    (root / "entries/2026/2026-11-20-call.md").write_text("---\ndate: someday\n---\n")
    result = cli("build", "--root", str(root), "--today", TODAY_ARG)
    assert result.returncode == 1
    assert result.stderr == (
        "entries/2026/2026-11-20-call.md:2: error: 'date' must be a date like 2026-10-01 (optionally with a time, 2026-10-01 14:30), got 'someday'\n"
        "1 error in 4 files\n"
    )
    assert snapshot(site) == before


def test_a_broken_user_template_is_reported_and_nothing_written(site, cli):
    root = site.parent
    before = snapshot(site)
    (root / "templates").mkdir()
    (root / "templates/meeting.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ meeting.title }\n{% endblock %}\n'
    )
    result = cli("build", "--root", str(root), "--today", TODAY_ARG)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("templates/meeting.html:3: error: template error:")
    assert snapshot(site) == before


def test_a_user_template_that_fails_while_rendering_is_reported_at_its_line(site, cli):
    root = site.parent
    before = snapshot(site)
    (root / "templates").mkdir()
    (root / "templates/meeting.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<h1>{{ meeting.title + 1 }}</h1>\n{% endblock %}\n'
    )
    with open(root / "journal.yaml", "a") as config:
        config.write("publish:\n  site_id: 3c6f1e2d9b8a47c5a0e4d2f1b7c9e8a6\n")
    for command in (("build",), ("build", "--publish")):
        result = cli(
            *command, "--root", str(root), "--today", TODAY_ARG, env={"JOURNAL_PASSPHRASE": "correct horse battery"}
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith(
            "templates/meeting.html:3: error: template error: TypeError: can only concatenate str"
        ), result.stderr
    assert snapshot(site) == before


def test_a_user_template_overrides_the_shipped_one(site, cli):
    root = site.parent
    (root / "templates").mkdir()
    (root / "templates/tags.html").write_text(
        '{% extends "base.html" %}{% block title %}Mine{% endblock %}{% block main %}<p id="mine">custom</p>{% endblock %}\n'
    )
    assert cli("build", "--root", str(root), "--today", TODAY_ARG).returncode == 0
    assert soup(site / "tags/index.html").select_one("#mine").get_text() == "custom"
    assert soup(site / "index.html").h1.get_text() == "What needs me now"


def test_base_url_gives_canonical_links_and_relative_navigation(make_journal, cli):
    root = make_journal({**SMALL_JOURNAL, "journal.yaml": "base_url: https://sam.example.org/journal/\n"})
    assert cli("build", "--root", str(root), "--today", TODAY_ARG).returncode == 0
    page = soup(root / "site/contacts/pat-lee.html")
    assert page.find("link", rel="canonical")["href"] == "https://sam.example.org/journal/contacts/pat-lee.html"
    assert page.find("link", rel="stylesheet")["href"] == "../style.css"


def test_one_build_renders_every_page_from_the_same_templates(make_journal):
    """A template saved while a build renders is the next build's: the pages of one build
    never mix two versions of it (the renderer reads each template once)."""
    root = make_journal(
        {
            "templates/meeting.html": "first {{ meeting.title }}",
            "entries/2026/2026-10-01-a.md": "---\ndate: 2026-10-01\ntitle: A\n---\n",
            "entries/2026/2026-10-02-b.md": "---\ndate: 2026-10-02\ntitle: B\n---\n",
        }
    )
    journal, problems, _ = load(root)
    assert problems == []
    today = date(2026, 10, 5)
    renderer = Renderer(root, journal, today)
    a, b = [page for page in page_plan(journal, today, SitePaths(), True) if page.template == "meeting.html"]
    assert renderer.render_page(a) == b"first A"
    (root / "templates/meeting.html").write_text("second {{ meeting.title }}")
    assert renderer.render_page(b) == b"first B"
    assert Renderer(root, journal, today).render_page(b) == b"second B"
