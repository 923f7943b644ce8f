"""The search box: a lazily loaded index, used from file:// in headless Chromium."""

from __future__ import annotations

import json
import re
import unicodedata

from conftest import made_with_and_without_memory, open_search
from hypothesis import given, settings
from hypothesis import strategies as st

from journal import search
from journal.pipeline import load
from journal.plan import SitePaths
from journal.search import search_index
from journal.text import fold

JOURNAL = {
    "entries/contacts/terry.md": """
        ---
        name: Terry Nguyễn
        company: Inkwell Printers
        role: Owner
        email: terry@secret.example
        ---
        Does letterpress.
    """,
    "entries/2026/2026-10-01-pat.md": """
        ---
        date: 2026-10-01
        title: Coffee with Pat
        with: Pat Lee
        commitments:
          - by: me
            what: Introduce Pat to Terry
            introducing: Terry Nguyễn
            consent: yes
        ---
        Pat mentioned a flamingo-themed brochure for the zoo.
    """,
}


def _index(root):
    journal, problems, _ = load(root)
    assert problems == []
    paths = SitePaths()
    return search_index(journal, paths).decode("utf-8")


def test_the_index_maps_folded_words_to_documents_and_leaves_out_private_fields(make_journal):
    text = _index(make_journal(JOURNAL))
    assert text.startswith("window.journalSearchIndex={") and text.endswith("};\n")
    assert "terry@secret.example" not in text and '"secret"' not in text
    assert '"nguyen":' in text and '"flamingo":' in text and '"inkwell":' in text


def test_an_index_put_together_from_remembered_chunks_equals_one_made_afresh(make_journal, monkeypatch):
    """A preview keeps each chunk of documents inverted and the documents of each run of
    meetings; a note added in the middle renumbers every later document, an edit or a
    deletion changes one chunk, and a renamed contact changes the names every meeting's
    document shows: each time the index must be what a build with no memory writes. Chunks
    of 3 documents and runs of 2 meetings, so that 9 notes and their promises span several."""
    monkeypatch.setattr(search, "_CHUNK", 3)
    monkeypatch.setattr(search, "_MEETINGS", 2)
    notes = {
        f"entries/2026/2026-10-{day:02}-n.md": f"---\ndate: 2026-10-{day:02}\nwith: Pat Lee\n"
        f"commitments:\n  - by: me\n    what: Send item {day}\n---\nword{day} shared\n"
        for day in range(1, 18, 2)
    }
    root = make_journal({**JOURNAL, **notes})
    both = made_with_and_without_memory(root, lambda journal, remember: search_index(journal, SitePaths(), remember))

    first, afresh = both()
    assert first == afresh
    (root / "entries/2026/2026-10-08-added.md").write_text("---\ndate: 2026-10-08\nwith: Terry\n---\nwedge\n")
    (root / "entries/2026/2026-10-05-n.md").write_text("---\ndate: 2026-10-05\nwith: Pat Lee\n---\nrewritten\n")
    remembered, afresh = both()
    assert remembered == afresh and b"wedge" in remembered and b"word5" not in remembered
    (root / "entries/2026/2026-10-03-n.md").unlink()
    remembered, afresh = both()
    assert remembered == afresh and b"word3" not in remembered
    (root / "entries/contacts/pat-lee.md").write_text("---\nname: Pat Lee\naliases: [Patricia Quinn]\n---\n")
    (root / "entries/contacts/terry.md").write_text("---\nname: Terry Okafor\n---\n")
    remembered, afresh = both()
    assert remembered == afresh and b"Terry Okafor" in remembered and b"quinn" in remembered


def _search(page, query):
    page.fill("form.search input", query)
    page.wait_for_function(
        "document.querySelector('.search-results a') || document.querySelector('.search-results .empty')"
    )
    return [(a.inner_text(), a.get_attribute("href")) for a in page.query_selector_all(".search-results a")]


def test_search_from_file_url_finds_note_words_and_companies(make_journal, cli, page):
    root = make_journal(JOURNAL)
    assert cli("build", "--root", str(root), "--today", "2026-10-02").returncode == 0
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((root / "site/contacts/pat-lee.html").as_uri())
    assert not any("search-index.js" in url for url in requests)
    open_search(page)

    assert _search(page, "flamin") == [("Coffee with Pat", "../meetings/2026-10-01-pat.html")]
    assert _search(page, "inkwell PRINT") == [("Terry Nguyễn", "../contacts/terry.html")]
    assert _search(page, "nguyen") == [
        ("Terry Nguyễn", "../contacts/terry.html"),
        ("Introduce Pat to Terry", "../meetings/2026-10-01-pat.html"),
    ]
    assert _search(page, "zebra") == []
    assert page.inner_text(".search-results") == "Nothing found."

    _search(page, "inkwell")
    page.press("form.search input", "Enter")
    page.wait_for_url(re.compile(r".*/contacts/terry\.html$"))
    assert page.inner_text("h1") == "Terry Nguyễn"
    assert all(url.startswith("file://") for url in requests)


def test_the_index_is_json_whatever_a_title_holds(make_journal):
    """The index's JSON is put together from pieces: a title with quotes, a backslash, a line
    separator and letters from other scripts still reads back as written."""
    title = 'Tea "at five" \\ with Zoë and Łukasz\u2028Ωmega'
    root = make_journal(
        {
            **JOURNAL,
            "entries/2026/2026-10-03-tea.md": f"---\ndate: 2026-10-03\nwith: Pat Lee\ntitle: '{title}'\n---\nŁódź straße\n",
        }
    )
    text = _index(root)
    data = json.loads(text.removeprefix("window.journalSearchIndex=").removesuffix(";\n"))
    assert [doc[1] for doc in data["docs"] if doc[2] == "meeting" and "Tea" in doc[1]] == [title]
    assert search.words(f"{title} Łódź straße") <= set(data["words"])


def test_numbers_are_written_in_base_36():
    numbers = [*range(3000), *(36**power + step for power in range(2, 9) for step in (-1, 0, 1))]
    assert all(int(search._base36(number), 36) == number for number in numbers)
    assert (search._base36(0), search._base36(35), search._base36(36), search._base36(1296)) == ("0", "z", "10", "100")


def _fold_as_written(text: str) -> str:
    """fold() as first written: NFKD, every combining mark dropped, case folded, '-' and '_'
    taken for spaces, runs of space made one. The faster fold() must not differ from it."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().replace("-", " ").replace("_", " ").split())


ACCENTED = st.text(alphabet=st.sampled_from("aZ_-  9éÉñßİıǅﬁ①\u0301\u0308\u200b\t\nŁ한글Ω½"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ACCENTED, st.text(max_size=40)))
def test_search_words_are_the_words_of_the_folded_text(text):
    assert fold(text) == _fold_as_written(text)
    assert search.words(text) == set(re.findall(r"\w{2,}", _fold_as_written(text)))
