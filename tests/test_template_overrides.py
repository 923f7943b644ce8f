"""The parts every page shares are rendered once (base.html's header, through `shared`), yet
a user's own template still wins on every page, and the preview still re-renders every page a
change reaches."""

from __future__ import annotations

import posixpath
from pathlib import Path

from conftest import site_files, write_files
from test_incremental import JOURNAL, TODAY, Warm

from journal.build import build
from journal.problems import Problem

SHIPPED = Path(__file__).resolve().parent.parent / "templates"


def pages(site: Path) -> dict[str, str]:
    return {path: data.decode() for path, data in site_files(site).items() if path.endswith(".html")}


def url(target: str, page: str) -> str:
    """What `url(target)` gives on the page at `page` (render.relative_url for these paths)."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def test_a_users_base_html_lays_out_every_page(make_journal, tmp_path):
    root = make_journal(
        {
            **JOURNAL,
            "templates/base.html": """
                <!doctype html>
                <title>{% block title %}{% endblock %}</title>
                <p class="mine">{{ config.title }}: {{ page_path }} {{ url('index.html') }}</p>
                {% block main %}{% endblock %}
            """,
        }
    )
    assert build(root, tmp_path / "site", TODAY).problems == ()
    built = pages(tmp_path / "site")
    assert len(built) > 10 and {path.count("/") for path in built} == {0, 1}
    for path, html in built.items():
        assert f'<p class="mine">Test journal: {path} {url("index.html", path)}</p>' in html, path
        assert '<header class="site">' not in html, path


def test_a_users_site_header_heads_every_page(make_journal, tmp_path):
    root = make_journal(
        {
            **JOURNAL,
            "templates/site-header.html": "<header class=\"mine\">{{ title }} [{{ section }}] [{{ current }}] {{ url('tags/index.html') }}</header>\n",
        }
    )
    assert build(root, tmp_path / "site", TODAY).problems == ()
    for path, html in pages(tmp_path / "site").items():
        current = path if path.endswith("index.html") else ""
        header = f'<header class="mine">Test journal [{path.split("/")[0]}] [{current}] {url("tags/index.html", path)}</header>\n<main>'
        assert header in html, path


def test_the_shared_header_sees_only_the_values_it_is_given(make_journal, tmp_path):
    """What the header shows is its key: a value it was not given is an error, never a value
    left over from the page it was first rendered for."""
    root = make_journal({**JOURNAL, "templates/site-header.html": "<header>{{ page_path }}</header>\n"})
    result = build(root, tmp_path / "site", TODAY)
    assert result.problems == (Problem("templates/site-header.html", 1, "template error: 'page_path' is undefined"),)


def test_a_users_macros_html_draws_every_page(make_journal, tmp_path):
    shipped = (SHIPPED / "macros.html").read_text()
    link = '<a href="{{ address }}">{{ shown }}</a>'
    assert shipped.count(link) == 1  # the person macro's
    root = make_journal(
        {**JOURNAL, "templates/macros.html": shipped.replace(link, link.replace("<a ", '<a class="mine" '))}
    )
    assert build(root, tmp_path / "site", TODAY).problems == ()
    built = pages(tmp_path / "site")
    for path in ("index.html", "meetings/2026-10-01-coffee-pat.html", "tags/printing.html", "overdue/index.html"):
        assert f'<a class="mine" href="{url("contacts/pat-lee.html", path)}">Pat Lee</a>' in built[path], path
    assert '<a href="' + url("contacts/pat-lee.html", "index.html") + '">Pat Lee' not in built["index.html"]


def test_a_users_page_template_that_imports_the_macros_with_context_still_works(make_journal, tmp_path):
    """A page template copied before the macros took the page as an argument imports them
    with context and leaves `page` out: they take the page's `here`, and draw the same bytes."""
    upcoming = {"entries/2026/2026-10-09-call.md": "---\ndate: 2026-10-09\nwith: Pat\n---\nCall.\n"}
    root = make_journal({**JOURNAL, **upcoming})
    assert build(root, tmp_path / "shipped", TODAY).problems == ()
    old_style = {
        f"templates/{name}": (SHIPPED / name)
        .read_text()
        .replace('{% import "macros.html" as m %}', '{% import "macros.html" as m with context %}')
        .replace(", page=here", "")
        .replace(", here", "")
        for name in ("meeting.html", "contact.html", "tag.html", "overdue.html")
    }
    assert all(", here" not in text and "as m with context" in text for text in old_style.values())
    write_files(root, old_style)
    assert build(root, tmp_path / "old-style", TODAY).problems == ()
    assert site_files(tmp_path / "old-style") == site_files(tmp_path / "shipped")
    assert "Before you meet" in pages(tmp_path / "shipped")["meetings/2026-10-09-call.html"]


def test_the_preview_re_renders_every_header_a_change_reaches(make_journal, tmp_path):
    """The header is rendered once for many pages; the title it shows is read by each page
    (through the preview's stand-in journal), so a new title reaches every page, and a user's
    new site-header.html does too. Warm compares each step with a cold build."""
    root = make_journal(JOURNAL)
    warm = Warm(root, tmp_path)
    warm.rebuild()
    write_files(root, {"journal.yaml": "title: Renamed journal\nowner: Alex\n"})
    warm.rebuild()
    built = pages(warm.out)
    assert all(">Renamed journal</a>\n<nav" in html for html in built.values())
    write_files(root, {"templates/site-header.html": "<header>{{ title }} of {{ section }}</header>\n"})
    warm.rebuild()
    assert "<header>Renamed journal of contacts</header>" in pages(warm.out)["contacts/pat-lee.html"]


def test_the_preview_re_renders_the_pages_whose_macros_read_a_changed_name(make_journal, tmp_path):
    """The macros are made once for every page, but what they read of the journal they read
    through the page they are given (its `name` and `meeting_of`, which `page.person` and
    `page.meeting` call), where the preview's stand-in notes it: a renamed card reaches the
    pages that link it, and only those."""
    root = make_journal(JOURNAL)
    warm = Warm(root, tmp_path)
    everything = warm.rebuild().rendered
    card = root / "entries/contacts/pat-lee.md"
    card.write_text(card.read_text().replace("name: Pat Lee", "name: Pat Q. Lee"))
    renamed = warm.rebuild()  # equals a cold build
    assert ">Pat Q. Lee</a>" in pages(warm.out)["meetings/2026-10-01-coffee-pat.html"]
    assert 0 < renamed.rendered < everything
    note = root / "entries/2026/2026-10-01-coffee-pat.md"
    note.write_text(note.read_text().replace("# Coffee with Pat", "# Coffee with Pat Q."))
    warm.rebuild()
    assert ">Coffee with Pat Q.</a>" in pages(warm.out)["contacts/pat-lee.html"]  # meeting_link's read


def test_a_users_template_that_passes_show_meeting_by_position_draws_the_same_page(make_journal, tmp_path):
    """A page template copied before the macros took the page imports them with context and
    may write promise(c, false): the page argument comes after show_meeting, so that still
    hides the 'from' link, as the shipped meeting page does by keyword."""
    root = make_journal(JOURNAL)
    assert build(root, tmp_path / "shipped", TODAY).problems == ()
    meeting = (SHIPPED / "meeting.html").read_text()
    assert "m.promise(c, show_meeting=false, page=here)" in meeting
    old_style = meeting.replace("show_meeting=false, page=here", "false").replace(
        '{% import "macros.html" as m %}', '{% import "macros.html" as m with context %}'
    )
    assert "as m with context" in old_style
    write_files(root, {"templates/meeting.html": old_style})
    assert build(root, tmp_path / "positional", TODAY).problems == ()
    assert site_files(tmp_path / "positional") == site_files(tmp_path / "shipped")
