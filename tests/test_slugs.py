"""Addresses (slugs) that never merge two things: non-Latin names, names and tags that slug
alike, notes one file name apart, over-long names; `journal check`, `build` and `import` agree."""

from __future__ import annotations

import os
import random
import urllib.parse
from pathlib import Path

import html5lib
import pytest
from conftest import TODAY_ARG, site_files

from journal.pipeline import load_sources, parse_entries
from journal.sources import read_journal
from journal.speed.cache import ParseCache
from journal.speed.incremental import Memo
from journal.text import SLUG_BYTES, address, fold, slugify


def note(day: str, people: str = "[]", tags: str = "[]") -> str:
    return f"---\ndate: {day}\nwith: {people}\ntags: {tags}\n---\nMet.\n"


def test_slugs_keep_every_script_and_ascii_slugs_are_what_they_were():
    assert [
        slugify(name) for name in ("José Díaz", "José Díaz & Co.", "Zoë Ångström", "Straße", "2026-10-01 Coffee")
    ] == ["jose-diaz", "jose-diaz-co", "zoe-angstrom", "strasse", "2026-10-01-coffee"]
    assert [slugify(name) for name in ("张伟", "李娜", "Ольга Петрова", "山田太郎", "김민준", "Søren")] == [
        "张伟",
        "李娜",
        "ольга-петрова",
        "山田太郎",
        "김민준",
        "søren",
    ]
    assert slugify("会议") != slugify("встреча")


def test_an_address_is_the_bare_slug_only_when_the_slug_says_all_of_the_name():
    assert [address(name) for name in ("Pat Lee", "pat-lee", "PAT_LEE", "José Díaz", "张伟", "C")] == [
        "pat-lee",
        "pat-lee",
        "pat-lee",
        "jose-diaz",
        "张伟",
        "c",
    ]
    assert [address(name) for name in ("Pat & Lee", "C++", "C#", "🙂", "🎉", "Index")] == [
        "pat-lee-a015f867",
        "c-cedb1bac",
        "c-951a4d36",
        "x-d06f1525",
        "x-6146299c",
        "index-1bc04b52",
    ]
    assert address("José  Díaz!") == address("jose diaz!"), "one fold key, one address"


@pytest.mark.parametrize(
    "text", ["x" * 300, "张" * 300, "𠀀" * 300, "a" + "\u0301" * 300, "\u0903" * 300, "क्" * 200, "Pat Lee " * 40]
)
def test_a_slug_fits_a_file_name_and_names_its_whole_text(text):
    for slug in (slugify(text), address(text)):
        assert 0 < len(slug.encode("utf-8")) <= SLUG_BYTES
        assert slugify(slug) == slug
    assert address(text) != address(text + "y")


def test_people_without_latin_letters_or_one_punctuation_apart_get_their_own_pages(make_journal, cli):
    root = make_journal(
        {
            "entries/2026/a.md": note("2026-10-01", "[张伟, 李娜, Ольга Петрова]"),
            "entries/2026/b.md": note("2026-10-02", "[Pat & Lee, Pat Lee, pat-lee]"),
        }
    )
    check = cli("check", "--root", str(root))
    assert (check.returncode, check.stdout) == (0, "ok: 2 meetings, 5 contacts, 0 promises\n")
    assert cli("build", "--root", str(root), "--today", TODAY_ARG).returncode == 0
    contacts = {path for path in site_files(root / "site") if path.startswith("contacts/")}
    assert contacts == {
        "contacts/index.html",
        "contacts/张伟.html",
        "contacts/李娜.html",
        "contacts/ольга-петрова.html",
        "contacts/pat-lee.html",
        "contacts/pat-lee-a015f867.html",
    }
    page = (root / "site/contacts/张伟.html").read_text(encoding="utf-8")
    assert "<h1>张伟</h1>" in page


def test_tags_that_slug_alike_get_their_own_pages_and_one_tag_in_two_cases_one(make_journal, cli):
    root = make_journal(
        {
            "entries/2026/a.md": note("2026-10-01", tags="[C++, Rust]"),
            "entries/2026/b.md": note("2026-10-02", tags="[C#, rust]"),
            "entries/2026/c.md": note("2026-10-03", tags="[C]"),
        }
    )
    assert cli("build", "--root", str(root), "--today", TODAY_ARG).returncode == 0
    tags = {path for path in site_files(root / "site") if path.startswith("tags/")}
    assert tags == {"tags/index.html", "tags/c.html", "tags/c-cedb1bac.html", "tags/c-951a4d36.html", "tags/rust.html"}
    rust = (root / "site/tags/rust.html").read_text(encoding="utf-8")
    assert 'href="../meetings/a.html"' in rust and 'href="../meetings/b.html"' in rust


def test_notes_one_file_name_apart_are_an_error_in_check_and_build(make_journal, cli):
    root = make_journal(
        {
            "entries/2026/Pat Lee.md": note("2026-10-01"),
            "entries/2026/pat-lee.md": note("2026-10-02"),
            "entries/contacts/Sam Roe.md": "---\nname: Sam Roe\n---\n",
            "entries/contacts/sam-roe.md": "---\nname: Samantha Roe\n---\n",
        }
    )
    expected = [
        "entries/2026/pat-lee.md:1: error: this file name gives the same address '2026-pat-lee' as entries/2026/Pat Lee.md; rename one",
        "entries/contacts/sam-roe.md:1: error: this file name gives the same address 'sam-roe' as entries/contacts/Sam Roe.md; rename one",
    ]
    for command in (["check"], ["build", "--today", TODAY_ARG]):
        result = cli(*command, "--root", str(root))
        assert result.returncode == 1
        assert result.stderr.splitlines()[:-1] == expected, result.stderr
    assert not (root / "site").exists()


def test_notes_named_in_other_scripts_get_their_own_pages(make_journal, cli):
    root = make_journal(
        {
            "entries/2026/会议.md": note("2026-10-01"),
            "entries/2026/встреча.md": note("2026-10-02"),
            "entries/2026/🙂.md": note("2026-10-03"),
            "entries/2026/🎉.md": note("2026-10-04"),
            "entries/2026/index.md": note("2026-10-04"),
        }
    )
    assert cli("build", "--root", str(root), "--today", TODAY_ARG).returncode == 0
    meetings = {path for path in site_files(root / "site") if path.startswith("meetings/")}
    assert meetings == {
        "meetings/index.html",
        "meetings/会议.html",
        "meetings/встреча.html",
        "meetings/x-d06f1525.html",
        "meetings/x-6146299c.html",
        "meetings/index-1bc04b52.html",
    }
    assert "<h1>Meetings (5)</h1>" in (root / "site/meetings/index.html").read_text(encoding="utf-8")


def test_a_crafted_name_or_tag_that_meets_a_hashed_address_is_an_error(make_journal, cli):
    root = make_journal(
        {
            "entries/2026/a.md": note("2026-10-01", "[Pat & Lee]", "[C++]"),
            "entries/2026/b.md": note("2026-10-02", "[Pat Lee a015f867]", "[c cedb1bac]"),
        }
    )
    result = cli("check", "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "entries/2026/b.md:1: error: tag 'c cedb1bac' would share the address 'c-cedb1bac' with tag 'C++' of entries/2026/a.md; write one of them differently",
        "entries/2026/b.md:3: error: 'Pat Lee a015f867' and 'Pat & Lee' (entries/2026/a.md:3) would share the address 'pat-lee-a015f867'; write one of them differently",
        "2 errors in 2 files",
    ]


def test_a_clash_is_still_found_when_a_preview_replays_the_notes_from_its_memo(make_journal):
    root = make_journal(
        {
            "entries/2026/a.md": note("2026-10-01", "[Pat & Lee]"),
            "entries/2026/b.md": note("2026-10-02", "[Pat Lee a015f867]"),
        }
    )
    cache, memo = ParseCache(parse_entries, remember_keys=True), Memo()
    first = load_sources(*read_journal(root), cache.parse_all, remember=memo.remember)[1]
    again = load_sources(*read_journal(root), cache.parse_all, remember=memo.remember)[1]
    assert (
        [str(problem) for problem in again]
        == [str(problem) for problem in first]
        == [
            "entries/2026/b.md:3: error: 'Pat Lee a015f867' and 'Pat & Lee' (entries/2026/a.md:3) would share the address 'pat-lee-a015f867'; write one of them differently"
        ]
    )


def test_a_long_name_and_tag_pass_check_and_build_with_short_addresses(make_journal, cli):
    """A name at the 100-character cap, in a script of two bytes a letter, and a 300-character
    tag: their addresses are cut to SLUG_BYTES, with a suffix that keeps them apart."""
    long_name, long_tag = "Ольга " + "Петрова" * 13, "t" * 300
    assert len(long_name) <= 100 and len(long_name.encode("utf-8")) > SLUG_BYTES
    root = make_journal({"entries/2026/a.md": note("2026-10-01", f"[{long_name}]", f"[{long_tag}]")})
    assert cli("check", "--root", str(root)).returncode == 0
    result = cli("build", "--root", str(root), "--today", TODAY_ARG)
    assert result.returncode == 0, result.stderr
    names = [path.name for path in (root / "site").rglob("*")]
    assert max(len(name.encode("utf-8")) for name in names) <= SLUG_BYTES + len(".html")
    assert f"contacts/{address(long_name)}.html" in site_files(root / "site")
    assert f"tags/{address(long_tag)}.html" in site_files(root / "site")


def test_import_of_non_latin_names_makes_a_card_each_and_again_none(make_journal, cli, tmp_path):
    root = make_journal({"entries/2026/a.md": note("2026-10-01", "[张伟, Pat & Lee]")})
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEND:VCARD\r\n"
        for name in ("张伟", "李娜", "Ольга Петрова", "山田太郎", "Pat & Lee", "Pat Lee")
    )
    (tmp_path / "people.vcf").write_text(cards, encoding="utf-8")
    first = cli("import", "vcard", str(tmp_path / "people.vcf"), "--root", str(root))
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "created  entries/contacts/张伟.md  张伟",
        "created  entries/contacts/李娜.md  李娜",
        "created  entries/contacts/ольга-петрова.md  Ольга Петрова",
        "created  entries/contacts/山田太郎.md  山田太郎",
        "created  entries/contacts/pat-lee-a015f867.md  Pat & Lee",
        "created  entries/contacts/pat-lee.md  Pat Lee",
        "created 6 cards; 0 already in the journal, left untouched",
    ]
    again = cli("import", "vcard", str(tmp_path / "people.vcf"), "--root", str(root))
    assert again.stdout.splitlines()[-1] == "created 0 cards; 6 already in the journal, left untouched"
    check = cli("check", "--root", str(root))
    assert (check.returncode, check.stdout) == (0, "ok: 1 meeting, 6 contacts, 0 promises\n")


UNICODE_JOURNAL = {
    "entries/2026/会议.md": note("2026-10-01", "[张伟, Ольга Петрова]", "[C#]"),
}


def _site_links(site: Path) -> list[tuple[str, str]]:
    """(page, href) of every link between the site's pages."""
    found = []
    for page in sorted(site.rglob("*.html")):
        tree = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        found += [(page.relative_to(site).as_posix(), link.get("href")) for link in tree.iter("a") if link.get("href")]
    return found


def test_every_link_to_a_non_latin_page_is_percent_encoded_and_resolves(make_journal, cli):
    root = make_journal(UNICODE_JOURNAL)
    assert cli("build", "--root", str(root), "--today", TODAY_ARG).returncode == 0
    site = root / "site"
    links = _site_links(site)
    assert ("meetings/会议.html", "../contacts/%E5%BC%A0%E4%BC%9F.html") in links
    for page, href in links:
        assert href.isascii(), (page, href)
        target = os.path.normpath(os.path.join(os.path.dirname(page), urllib.parse.unquote(href.partition("#")[0])))
        assert (site / target).is_file(), (page, href)


def test_non_latin_pages_open_in_chromium_from_file_and_over_http(make_journal, cli, page, serve):
    root = make_journal(UNICODE_JOURNAL)
    assert cli("build", "--root", str(root), "--today", TODAY_ARG).returncode == 0
    page.goto((root / "site/meetings/index.html").as_uri())
    page.click("text=会议")
    page.click("dl.card >> text=张伟")
    assert page.locator("h1").inner_text() == "张伟"
    page.click("text=会议")
    page.click("dl.card >> text=C#")
    assert page.locator("h1").inner_text() == "Tagged “C#”"
    server = serve(root, "--today", TODAY_ARG)
    page.goto(server.url + "meetings/index.html")
    page.click("text=会议")
    page.click("dl.card >> text=Ольга Петрова")
    assert page.locator("h1").inner_text() == "Ольга Петрова"
    assert page.url.endswith("/contacts/%D0%BE%D0%BB%D1%8C%D0%B3%D0%B0-%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2%D0%B0.html")


def test_random_names_from_many_scripts_get_distinct_bounded_stable_addresses():
    """A fixed seed: 3,000 names of letters, marks, digits and punctuation from eight scripts."""
    pieces = "abcxyzéñøß张伟李娜山田ольгапетровайё김민준लक्ष्मीنورאבגΩμέ０١٢ &-_.'+#🙂\u200d\u0301"
    chooser = random.Random(10)
    seen: dict[str, str] = {}
    for _ in range(3000):
        name = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 12)))
        slug = address(name)
        assert 0 < len(slug.encode("utf-8")) <= SLUG_BYTES and slugify(slug) == slug and slug == address(name)
        assert seen.setdefault(slug, fold(name)) == fold(name), (name, slug)
