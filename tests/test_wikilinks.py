"""Obsidian's wikilinks: `[[Pat Lee]]` and `[[Pat Lee|Pat]]` link to the page they name, as
`with` names people; a link that names nothing is its label in plain text and a warning of
`journal check`. A mention is not a meeting."""

from __future__ import annotations

import pytest
from conftest import TODAY, site_files, write_files
from test_cache import cold_build
from test_incremental import Warm

from journal import views
from journal.build import build
from journal.encrypt import OpaquePaths
from journal.pipeline import load, render_site
from journal.redact import redact
from journal.render import Renderer

JOURNAL = {
    "journal.yaml": "title: Links\nowner: Alex\n",
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        aliases: [Patty]
        ---
        Introduced me at [[Coffee with Sam]].
    """,
    "entries/2026/2026-10-01-coffee-sam.md": """
        ---
        date: 2026-10-01
        with: Sam Doe
        ---
        # Coffee with Sam

        Sam wants to meet [[Pat Lee|Pat]].
    """,
}

LINK = 'rel="noopener noreferrer nofollow"'


@pytest.fixture
def renderer(make_journal):
    root = make_journal(JOURNAL)
    journal, problems, _ = load(root)
    assert problems == []
    return Renderer(root, journal, TODAY)


def html(renderer, text: str, page: str = "meetings/2026-10-01-coffee-sam.html") -> str:
    return str(renderer.render_markdown(text, page_path=page))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[[Pat Lee]]", f'<p><a href="../contacts/pat-lee.html" {LINK}>Pat Lee</a></p>'),
        ("[[Pat Lee|Pat]]", f'<p><a href="../contacts/pat-lee.html" {LINK}>Pat</a></p>'),
        ("[[pat-lee]]", f'<p><a href="../contacts/pat-lee.html" {LINK}>pat-lee</a></p>'),
        ("[[PATTY]] again", f'<p><a href="../contacts/pat-lee.html" {LINK}>PATTY</a> again</p>'),
        ("[[Sam Doe]]", f'<p><a href="../contacts/sam-doe.html" {LINK}>Sam Doe</a></p>'),  # no card: named in `with`
        ("[[Coffee with Sam]]", f'<p><a href="2026-10-01-coffee-sam.html" {LINK}>Coffee with Sam</a></p>'),
        (
            "[[2026-10-01-coffee-sam|that coffee]]",
            f'<p><a href="2026-10-01-coffee-sam.html" {LINK}>that coffee</a></p>',
        ),
        (
            "[[entries/2026/2026-10-01-coffee-sam]]",
            f'<p><a href="2026-10-01-coffee-sam.html" {LINK}>entries/2026/2026-10-01-coffee-sam</a></p>',
        ),
        ("[[Pat Lee#History|history]]", f'<p><a href="../contacts/pat-lee.html" {LINK}>history</a></p>'),
        ("[[Pat Leigh]] and [[Nobody|someone]]", "<p>Pat Leigh and someone</p>"),
        ("`[[Pat Lee]]`", "<p><code>[[Pat Lee]]</code></p>"),
        ("```\n[[Pat Lee]]\n```", "<pre><code>[[Pat Lee]]\n</code></pre>"),
        (r"\[[Pat Lee]]", "<p>[[Pat Lee]]</p>"),
        ("[[Pat Lee and [[Sam", "<p>[[Pat Lee and [[Sam</p>"),
        (
            "[[Pat Lee|*Pat* <b>x</b>]]",
            f'<p><a href="../contacts/pat-lee.html" {LINK}>*Pat* &lt;b&gt;x&lt;/b&gt;</a></p>',
        ),
        ("[[ |Pat]]", "<p>[[ |Pat]]</p>"),
        ("![[Pat Lee]] ![[diagram.png]]", f'<p><a href="../contacts/pat-lee.html" {LINK}>Pat Lee</a> diagram.png</p>'),
    ],
)
def test_a_wikilink_renders_as_a_link_to_what_it_names_or_as_its_label(renderer, text, expected):
    assert html(renderer, text) == expected


def test_an_address_is_relative_to_the_page_that_shows_it(renderer):
    assert (
        html(renderer, "[[Pat Lee]]", page="index.html") == f'<p><a href="contacts/pat-lee.html" {LINK}>Pat Lee</a></p>'
    )
    assert (
        html(renderer, "[[Pat Lee]]", page="tags/x/2.html")
        == f'<p><a href="../../contacts/pat-lee.html" {LINK}>Pat Lee</a></p>'
    )


def test_pages_link_each_other_and_a_mention_is_no_meeting(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    assert build(root, tmp_path / "site", TODAY).problems == ()
    meeting = (tmp_path / "site/meetings/2026-10-01-coffee-sam.html").read_text()
    card = (tmp_path / "site/contacts/pat-lee.html").read_text()
    assert f'Sam wants to meet <a href="../contacts/pat-lee.html" {LINK}>Pat</a>.' in meeting
    assert f'Introduced me at <a href="../meetings/2026-10-01-coffee-sam.html" {LINK}>Coffee with Sam</a>.' in card
    journal, _, _ = load(root)
    assert [meeting.people for meeting in journal.meetings] == [("sam-doe",)]
    assert "pat-lee" not in views.last_meetings(journal, TODAY) and "pat-lee" not in views.meetings_by_contact(journal)


def test_check_warns_at_each_link_that_names_nothing_and_exits_0(make_journal, cli):
    root = make_journal(
        {
            **JOURNAL,
            "entries/2026/2026-10-02-lunch.md": """
        ---
        date: 2026-10-02
        title: Coffee with Sam
        with: Patty
        ---
        Talked about [[Pat Leigh]], `[[Not A Link]]` and [[Sam Doe]].

        ```
        [[Also not a link]]
        ```
        Then [[Coffee with Sam]] and [[Zebra]].
    """,
            "entries/contacts/terry.md": """
        ---
        name: Terry Nguyen
        ---
        First line.

        Knows [[Sam Do|Sam]].
    """,
        }
    )
    result = cli("check", "--root", str(root))
    assert (result.returncode, result.stdout) == (0, "ok: 2 meetings, 3 contacts, 0 promises\n")
    assert result.stderr == (
        "entries/2026/2026-10-02-lunch.md:6: warning: [[Pat Leigh]] names no contact or meeting, so it shows as plain text (did you mean 'Pat Lee'?)\n"
        "entries/2026/2026-10-02-lunch.md:11: warning: [[Coffee with Sam]] could be meeting '2026-10-01-coffee-sam' or meeting '2026-10-02-lunch'; it shows as plain text until you write the file name\n"
        "entries/2026/2026-10-02-lunch.md:11: warning: [[Zebra]] names no contact or meeting, so it shows as plain text\n"
        "entries/contacts/pat-lee.md:5: warning: [[Coffee with Sam]] could be meeting '2026-10-01-coffee-sam' or meeting '2026-10-02-lunch'; it shows as plain text until you write the file name\n"
        "entries/contacts/terry.md:6: warning: [[Sam Do|Sam]] names no contact or meeting, so it shows as plain text (did you mean 'Sam Doe'?)\n"
        "5 warnings in 5 files\n"
    )
    assert cli("build", "--root", str(root), "--quiet").returncode == 0  # a warning stops nothing


def test_a_title_heading_taken_out_of_the_body_still_counts_in_line_numbers(make_journal, cli):
    root = make_journal({"entries/2026/2026-10-01-a.md": "---\ndate: 2026-10-01\n---\n\n# Title\nOne\n\n[[Nobody]]\n"})
    assert (
        cli("check", "--root", str(root)).stderr
        == "entries/2026/2026-10-01-a.md:8: warning: [[Nobody]] names no contact or meeting, so it shows as plain text\n1 warning in 1 file\n"
    )


def test_a_warm_build_equals_a_cold_one_when_a_link_starts_to_name_someone(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    write_files(
        root, {"entries/2026/2026-10-03-call.md": "---\ndate: 2026-10-03\nwith: Sam Doe\n---\nAsk [[Jordan Quill]].\n"}
    )
    assert build(root, root / "site", TODAY).problems == ()
    assert b"<p>Ask Jordan Quill.</p>" in (root / "site/meetings/2026-10-03-call.html").read_bytes()
    write_files(root, {"entries/contacts/jordan.md": "---\nname: Jordan Quill\n---\n"})
    assert build(root, root / "site", TODAY).problems == ()
    assert (
        f'Ask <a href="../contacts/jordan.html" {LINK}>Jordan Quill</a>.'.encode()
        in (root / "site/meetings/2026-10-03-call.html").read_bytes()
    )
    assert site_files(root / "site") == cold_build(root, tmp_path)  # which builds on TODAY too


def test_the_preview_renders_a_page_again_when_what_its_links_name_changes(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    write_files(
        root,
        {
            "entries/2026/2026-10-03-call.md": "---\ndate: 2026-10-03\nwith: Sam Doe\n---\nAsk [[Jordan Quill]] about [[Board dinner]].\n"
        },
    )
    warm = Warm(root, tmp_path)  # each rebuild is compared with a cold build, byte for byte
    page = warm.out / "meetings/2026-10-03-call.html"
    warm.rebuild()
    assert b"<p>Ask Jordan Quill about Board dinner.</p>" in page.read_bytes()

    write_files(root, {"entries/contacts/jordan.md": "---\nname: Jordan Quill\n---\n"})
    warm.rebuild()
    assert f'<a href="../contacts/jordan.html" {LINK}>Jordan Quill</a>'.encode() in page.read_bytes()

    write_files(root, {"entries/2026/2026-10-04-dinner.md": "---\ndate: 2026-10-04\ntitle: Board Dinner\n---\n"})
    warm.rebuild()  # the call's note is unchanged and replayed; its page still changes
    assert f'<a href="2026-10-04-dinner.html" {LINK}>Board dinner</a>'.encode() in page.read_bytes()

    (root / "entries/contacts/jordan.md").unlink()
    warm.rebuild()
    assert b"<p>Ask Jordan Quill about " in page.read_bytes()


def test_a_published_link_goes_to_the_opaque_address_and_a_private_one_disappears(make_journal):
    root = make_journal(
        {
            **JOURNAL,
            "entries/2026/2026-10-03-call.md": """
        ---
        date: 2026-10-03
        with: Sam Doe
        ---
        Ask [[Pat Lee]].

        ## Private
        Never mention [[Pat Lee|LABEL-XQ-7]].
    """,
        }
    )
    journal, _, _ = load(root)
    paths = OpaquePaths(key=b"k" * 32)
    files, problems = render_site(root, redact(journal), TODAY, paths, calendar=False, publish=True)
    assert problems == []
    page = files[paths.meeting("2026-10-03-call")].decode()
    target = paths.contact("pat-lee").removeprefix("p/")
    assert f'<p>Ask <a href="{target}" {LINK}>Pat Lee</a>.</p>' in page
    assert not any(b"LABEL-XQ-7" in data or b"contacts/pat-lee" in data for data in files.values())
