"""The publish profile end to end: `journal build --publish` through the real CLI, every byte
of the output scanned for every private value, encrypted pages opened and compared."""

from __future__ import annotations

import json
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import icalendar
import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from sealed import crawl, decrypt_site, leaks, open_index, read_tree

from journal.encrypt import OpaquePaths, derive_keys
from journal.pipeline import load, render_site
from journal.redact import is_private_heading, redact

PASSPHRASE = "correct horse battery staple"
TODAY = "2026-11-01"


def publish_cli(cli, root, out: str):
    """`journal build --publish` of the journal at `root` into `out`, on TODAY, with PASSPHRASE."""
    return cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--today",
        TODAY,
        "--out",
        out,
        env={"JOURNAL_PASSPHRASE": PASSPHRASE},
    )


SITE_ID = "5e1f0c9a7b3d42e8a6c1f09b2d7e4a31"

HOSTILE = {
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        company: Shadowy Holdings
        role: Owner
        email: pat.lee@hostile.example
        phone: "+44 7700 900123"
        tags: [printing]
        ---
        Likes golf.

        ## Private
        Pat's divorce is final.
        ### Deeper
        Nested secret XQ-31
        ## Public bit
        Public again, after the private part.

        Private
        -------
        Owes the bank 40k.
        """,
    "entries/2026/2026-10-01-coffee-pat.md": """
        ---
        date: 2026-10-01
        title: Coffee with Pat
        with: [Pat Lee, Jordan Quill]
        where: The Back Room at Vesper
        tags: [printing]
        commitments:
          - by: me
            what: Call Pat on +447700900123 about the brochure
            to: Pat Lee
        ---
        Pat asked me to write to pat.lee@hostile.example next week.

        ```
        # Private
        Visible after fence: code is not a heading.
        ```

        #### PRIVATE:
        Case and colon KX-7

        ## Private
        ```
        # Public
        FENCED-SECRET-88
        ```
        Still secret QQ-12 and Tom & Jerry's <b>secret</b> plan.
        ## Next
        Public again in the note.
        """,
    "entries/2026/2026-10-05-private-first.md": """
        ---
        date: 2026-10-05
        with: [Jordan Quill]
        ---
        # Private
        The merger talk ZX-99 starts the note.
        """,
}

SECRETS = [
    "pat.lee@hostile.example",
    "+44 7700 900123",
    "+447700900123",
    "7700 900123",
    "Shadowy Holdings",
    "The Back Room at Vesper",
    "Pat's divorce is final",
    "Nested secret XQ-31",
    "Owes the bank 40k",
    "Case and colon KX-7",
    "FENCED-SECRET-88",
    "Still secret QQ-12",
    "Tom & Jerry's <b>secret</b> plan",
    "merger talk ZX-99",
]
PUBLIC = [
    "Likes golf",
    "Public again, after the private part",
    "Visible after fence",
    "Public again in the note",
    "Pat Lee",
    "Coffee with Pat",
]


def hostile_journal(make_journal, encrypt: bool) -> Path:
    config = f"""
        title: Hostile journal
        publish:
          encrypt: {str(encrypt).lower()}
          site_id: {SITE_ID}
          private_fields: [company, where]
        """
    return make_journal({**HOSTILE, "journal.yaml": config})


def test_the_scan_finds_private_values_in_a_local_build(make_journal, cli, tmp_path):
    root = hostile_journal(make_journal, encrypt=False)
    result = cli("build", "--root", str(root), "--today", TODAY, "--out", str(tmp_path / "local"))
    assert result.returncode == 0, result.stderr
    found = {secret for _, secret in leaks(read_tree(tmp_path / "local"), SECRETS)}
    assert found == set(SECRETS)


def test_a_plain_publish_build_leaks_nothing_and_asks_robots_to_stay_out(make_journal, cli, tmp_path):
    root = hostile_journal(make_journal, encrypt=False)
    result = cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--today",
        TODAY,
        "--out",
        str(tmp_path / "pub"),
        env={"JOURNAL_PASSPHRASE": ""},
    )
    assert result.returncode == 0, result.stderr
    files = read_tree(tmp_path / "pub")
    assert leaks(files, SECRETS) == []
    assert {secret for _, secret in leaks(files, PUBLIC)} == set(PUBLIC)
    for path, data in files.items():
        if path.endswith(".html"):
            robots = BeautifulSoup(data, "html5lib").find("meta", attrs={"name": "robots"})
            assert robots["content"] == "noindex, nofollow", path


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory):
    """One encrypted publish build of the hostile journal, shared: each build costs two
    600,000-round key derivations."""
    from conftest import run_cli, write_files

    root = write_files(
        tmp_path_factory.mktemp("hostile"),
        {
            **HOSTILE,
            "journal.yaml": f"title: Hostile journal\npublish:\n  site_id: {SITE_ID}\n  private_fields: [company, where]\n",
        },
    )
    out = root.parent / "published"
    result = publish_cli(run_cli, root, str(out))
    assert result.returncode == 0, result.stderr
    return root, out


def test_an_encrypted_build_shows_nothing_readable(encrypted):
    _, out = encrypted
    files = read_tree(out)
    readable = (
        SECRETS
        + PUBLIC
        + ["Jordan", "Quill", "printing", "Hostile journal", "2026-10", "Oct 2026", "pat-lee", "coffee"]
    )
    assert leaks(files, readable) == []
    assert {path for path in files if not path.endswith(".html")} == {
        "style.css",
        "unlock.js",
        "search.js",
        "search-index.js",
    }
    assert files["search.js"] == (REPO / "templates/search.js").read_bytes()
    assert files["search-index.js"].startswith(b"window.journalSearchSealed=")
    shells = [BeautifulSoup(data, "html5lib") for path, data in files.items() if path.endswith(".html")]
    assert {soup.title.string for soup in shells} == {"Locked"}
    assert len({soup.get_text(" ", strip=True).split("{")[0] for soup in shells}) == 1
    for soup in shells:
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
        assert [s.get("src") for s in soup.find_all("script") if s.get("src")] in (["unlock.js"], ["../unlock.js"])


def test_every_sealed_page_opens_to_the_unencrypted_publish_build(encrypted):
    root, out = encrypted
    pages = decrypt_site(out, PASSPHRASE)
    journal, problems, _ = load(root)
    assert problems == []
    expected, problems = render_site(
        root,
        redact(journal),
        date.fromisoformat(TODAY),
        OpaquePaths(key=derive_keys(PASSPHRASE, SITE_ID).path_key),
        calendar=False,
        publish=True,
    )
    assert problems == []
    assert pages == {path: data for path, data in expected.items() if path.endswith(".html")}
    assert leaks(pages, SECRETS) == []
    assert {secret for _, secret in leaks(pages, PUBLIC)} == set(PUBLIC)
    reached, broken = crawl({**read_tree(out), **pages})
    assert broken == [] and reached == set(pages)


def test_the_sealed_search_index_opens_to_the_index_of_the_redacted_journal(encrypted):
    root, out = encrypted
    index = open_index(out, PASSPHRASE)
    journal, _, _ = load(root)
    expected, _ = render_site(
        root,
        redact(journal),
        date.fromisoformat(TODAY),
        OpaquePaths(key=derive_keys(PASSPHRASE, SITE_ID).path_key),
        publish=True,
    )
    assert (
        expected["search-index.js"]
        == b"window.journalSearchIndex="
        + json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
        + b";\n"
    )
    text = json.dumps(index, ensure_ascii=False)
    assert leaks({"search-index.js": text.encode()}, SECRETS) == []
    assert all(word not in index["words"] for word in ("shadowy", "vesper", "divorce", "xq", "zx", "merger", "hostile"))
    assert {"golf", "jordan", "printing", "brochure"} <= set(index["words"])
    published = read_tree(out)
    for url, *_ in index["docs"]:
        assert url.startswith("p/") and url in published, url


def _calendar_journal(make_journal, encrypt: bool, calendar: bool) -> Path:
    return make_journal(
        {
            **HOSTILE,
            "journal.yaml": f"""
        title: Hostile journal
        publish:
          encrypt: {str(encrypt).lower()}
          calendar: {str(calendar).lower()}
          site_id: {SITE_ID}
          private_fields: [company, where]
        """,
        }
    )


def test_a_publish_build_leaves_the_calendar_out_unless_asked_and_links_no_missing_feed(make_journal, cli, tmp_path):
    root = _calendar_journal(make_journal, encrypt=False, calendar=False)
    result = cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--today",
        TODAY,
        "--out",
        str(tmp_path / "pub"),
        env={"JOURNAL_PASSPHRASE": ""},
    )
    assert result.returncode == 0, result.stderr
    files = read_tree(tmp_path / "pub")
    assert "calendar.ics" not in files and "search-index.js" in files
    reached, broken = crawl(files)
    assert broken == [] and reached == {path for path in files if path.endswith(".html")}
    dashboard = BeautifulSoup(files["index.html"], "html5lib")
    assert not [a for a in dashboard.find_all("a", href=True) if a["href"].endswith(".ics")]

    local = cli("build", "--root", str(root), "--today", TODAY, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    assert (tmp_path / "local" / "calendar.ics").is_file()


@pytest.mark.parametrize("encrypt", [False, True])
def test_publish_calendar_true_publishes_a_readable_redacted_feed(make_journal, cli, tmp_path, encrypt):
    root = _calendar_journal(make_journal, encrypt=encrypt, calendar=True)
    result = publish_cli(cli, root, str(tmp_path / "pub"))
    assert result.returncode == 0, result.stderr
    files = read_tree(tmp_path / "pub")
    feed = icalendar.Calendar.from_ical(files["calendar.ics"])
    assert sorted(str(event["summary"]) for event in feed.walk("VEVENT")) == [
        "Follow up with Jordan Quill",
        "Follow up with Pat Lee",
        "Promise to Pat Lee: Call Pat on [private] about the brochure",
    ]
    assert leaks({"calendar.ics": files["calendar.ics"]}, SECRETS) == []
    pages = {**files, **decrypt_site(tmp_path / "pub", PASSPHRASE)} if encrypt else files
    reached, broken = crawl(pages)
    assert broken == []
    dashboard = BeautifulSoup(pages["index.html"], "html5lib")
    assert dashboard.find("a", href="calendar.ics") is not None


def test_the_demo_journal_publishes_none_of_its_private_values(tmp_path, cli):
    if not (REPO / "entries").is_dir():
        pytest.skip("no demo journal (entries/) in this checkout")
    root = tmp_path / "demo"
    shutil.copytree(REPO / "entries", root / "entries")
    if (REPO / "journal.yaml").is_file():
        shutil.copy(REPO / "journal.yaml", root / "journal.yaml")
    with open(root / "journal.yaml", "a") as settings:  # what the missing-site_id error says to add
        settings.write(f"publish:\n  site_id: {SITE_ID}\n")
    journal, problems, _ = load(root)
    assert problems == []
    secrets = demo_secrets(journal)
    assert secrets, "the demo journal has private values to look for"
    result = cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--out",
        str(tmp_path / "out"),
        env={"JOURNAL_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    files = read_tree(tmp_path / "out")
    if journal.config.publish.encrypt:
        files.update(decrypt_site(tmp_path / "out", PASSPHRASE))
        files["search-index.js (opened)"] = json.dumps(
            open_index(tmp_path / "out", PASSPHRASE), ensure_ascii=False
        ).encode()
    assert leaks(files, secrets) == []


def demo_secrets(journal) -> list[str]:
    """E-mails, phones, the lines of every Private section, and private field values."""
    from journal.redact import strip_private

    secrets = []
    for contact in journal.contacts:
        secrets += [value for value in (contact.email, contact.phone) if value]
    bodies = [c.notes for c in journal.contacts] + [m.body for m in journal.meetings]
    for body in bodies:
        kept = set(strip_private(body).split("\n"))
        secrets += [
            line.strip(" -*>#") for line in body.split("\n") if line not in kept and len(line.strip(" -*>#")) > 12
        ]
    for name in journal.config.publish.private_fields:
        for record in (*journal.contacts, *journal.meetings):
            value = getattr(record, {"with": "people"}.get(name, name), None)
            if isinstance(value, str) and len(value) > 3:
                secrets.append(value)
    return secrets


def test_a_sealed_page_opens_only_at_its_own_address_of_its_own_site(encrypted):
    from cryptography.exceptions import InvalidTag
    from sealed import open_box, page_key, sealed_json

    _, out = encrypted
    sealed = sealed_json((out / "index.html").read_bytes())
    assert (sealed["format"], sealed["site"], sealed["path"]) == (2, SITE_ID, "index.html")
    key = page_key(PASSPHRASE, sealed)
    assert open_box(key, sealed["page"], SITE_ID, "index.html").startswith(b"<!doctype html>")
    for site_id, path in ((SITE_ID, "meetings/index.html"), (SITE_ID, "search-index.js"), ("0" * 32, "index.html")):
        with pytest.raises(InvalidTag):
            open_box(key, sealed["page"], site_id, path)


def test_page_addresses_are_stable_for_a_journal_and_differ_between_journals():
    first, again, other = (
        derive_keys(PASSPHRASE, SITE_ID),
        derive_keys(PASSPHRASE, SITE_ID),
        derive_keys(PASSPHRASE, "f" * 32),
    )
    assert first.salt == again.salt and first.page_key == again.page_key  # a republish keeps the browser's key
    assert other.salt != first.salt and other.page_key != first.page_key
    assert derive_keys(PASSPHRASE + " new", SITE_ID).page_key != first.page_key  # a new passphrase, a new key
    paths = [OpaquePaths(key=keys.path_key).contact("pat-lee") for keys in (first, again, other)]
    assert paths[0] == paths[1] != paths[2]


MISSING = (
    r"publish\.site_id is missing: an encrypted site needs a random id of its own, which keeps its page addresses "
    r"the same from build to build and different from those of any other journal; "
)


@pytest.mark.parametrize(
    "config, expected",
    [
        (
            "title: Mine\npublish:\n  calendar: false\n",
            r"journal\.yaml:2: error: " + MISSING + r"add this line under 'publish:': '  site_id: [0-9a-f]{32}'",
        ),
        (
            "title: Mine\n",
            r"journal\.yaml:1: error: "
            + MISSING
            + r"add this line to journal\.yaml: 'publish: \{site_id: [0-9a-f]{32}\}'",
        ),
        (
            None,
            r"journal\.yaml: error: "
            + MISSING
            + r"create journal\.yaml with this line: 'publish: \{site_id: [0-9a-f]{32}\}'",
        ),
    ],
)
def test_an_encrypted_publish_without_a_site_id_says_what_line_to_add_and_asks_no_passphrase(
    make_journal, cli, tmp_path, config, expected
):
    import re

    files = {"entries/2026/coffee.md": "---\ndate: 2026-10-01\nwith: [Pat Lee]\n---\n"}
    root = make_journal(files if config is None else {**files, "journal.yaml": config})
    result = cli(
        "build", "--publish", "--root", str(root), "--out", str(tmp_path / "out"), env={"JOURNAL_PASSPHRASE": ""}
    )
    assert result.returncode == 1
    first, summary = result.stderr.splitlines()
    assert re.fullmatch(expected, first), first
    assert summary.startswith("1 error")
    assert not (tmp_path / "out").exists()
    pasted = re.search(r"'([^']*)'$", first).group(1)
    fixed = (config or "") + pasted + "\n" if config is None or "publish:" not in config else config + pasted + "\n"
    (root / "journal.yaml").write_text(fixed)
    again = cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--out",
        str(tmp_path / "out"),
        env={"JOURNAL_PASSPHRASE": PASSPHRASE},
    )
    assert again.returncode == 0, again.stderr


def test_a_site_id_that_is_not_random_hex_is_an_error(make_journal, cli):
    root = make_journal({"journal.yaml": "publish:\n  encrypt: true\n  site_id: my-journal\n"})
    result = cli("check", "--root", str(root))
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[0]
        == "journal.yaml:3: error: 'site_id' must be 32 to 64 hex digits (0-9, a-f), like the one `journal init` writes"
    )


def test_a_plain_publish_build_needs_no_site_id(make_journal, cli, tmp_path):
    root = make_journal(
        {
            "journal.yaml": "publish:\n  encrypt: false\n",
            "entries/2026/coffee.md": "---\ndate: 2026-10-01\nwith: [Pat Lee]\n---\n",
        }
    )
    result = cli(
        "build", "--publish", "--root", str(root), "--out", str(tmp_path / "out"), env={"JOURNAL_PASSPHRASE": ""}
    )
    assert result.returncode == 0, result.stderr


# Issue 10: each of these Private headings was published, and these contact details survived.
# Every variant is a note of its own: a public line, then the Private heading and its probe.
VARIANTS = {
    "nospace": "##Private\n{probe}",
    "emphasis": "## *Private*\n{probe}",
    "strong": "## **Private**\n{probe}",
    "attrlist": "## Private {{: #p }}\n{probe}",
    "quote": "> ## Private\n> {probe}",
    "lazyquote": "> ## Private\n{probe}",
    "listitem": "- ## Private\n  {probe}",
    "unclosedfence": "```\n## Private\n{probe}",
    "indentedfence": "  ```\n## Private\n{probe}\n  ```",
    "setextdash": "Private\n-------\n{probe}",
    "setextequals": "*PRIVATE*\n=======\n{probe}",
    "nesteditem": "- public item\n    - ## Private\n    {probe}",
    "definition": "Term\n:   ## Private\n    {probe}",
    "opening": "# **Private**\n{probe}",
}
CONTACT_DETAILS = [
    "PAT.SECRET@EXAMPLE.COM",
    "pat.secret@example.com",
    "+44 (0)1234 567890",
    "555-010-9999",
    "555.010.9999",
    "(555) 010 9999",
    "+4412345678",
    "+44 7700 900123",
    "07700 900123",
    "7700900123",
    "pat@intranet",
]
KEPT = ["2026-10-01", "10:30", "$1,234.56", "XQ-31", "invoice 123456789"]


def _variant_journal(make_journal) -> Path:
    notes = {
        f"entries/2026/2026-10-{number:02d}-{name}.md": f"---\ndate: 2026-10-{number:02d}\ntitle: Variant {name}\n---\n"
        f"Public line {name}.\n\n" + body.format(probe=f"kept-secret-{name}") + "\n"
        for number, (name, body) in enumerate(VARIANTS.items(), 1)
    }
    notes["entries/2026/2026-10-01-opening.md"] = (
        "---\ndate: 2026-10-01\n---\n# **Private**\nkept-secret-opening\n# Public\nPublic line opening.\n"
    )
    return make_journal(
        {
            "journal.yaml": "title: Variants\npublish:\n  encrypt: false\n  calendar: true\n",
            "entries/contacts/pat.md": """
            ---
            name: Pat Secret
            company: Call +4412345678 Ltd
            email: pat@intranet
            phone: "+44 7700 900123"
            ---
            Public line card. Write to PAT.SECRET@EXAMPLE.COM, pat@intranet or (555) 010 9999.

            > ## **Private**
            > kept-secret-card
            """,
            "entries/2026/2026-11-01-details.md": """
            ---
            date: 2026-11-01
            title: Lunch, then mail pat.secret@example.com
            with: [Pat Secret]
            where: "desk +44 (0)1234 567890"
            commitments:
              - by: me
                what: ring 555-010-9999 about invoice 123456789
                to: Pat Secret
                due: 2026-12-01
            gave:
              - to: Pat Secret
                what: the number 555.010.9999
            ---
            Public line details: on 2026-10-01 at 10:30 we spent $1,234.56 on XQ-31.
            Call 07700 900123 or 7700900123.
            """,
            **notes,
        }
    )


def test_no_spelling_of_a_private_section_and_no_contact_detail_is_published(make_journal, cli, tmp_path):
    root = _variant_journal(make_journal)
    local = cli("build", "--root", str(root), "--today", TODAY, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    probes = [f"kept-secret-{name}" for name in VARIANTS] + ["kept-secret-card"]
    assert {probe for _, probe in leaks(read_tree(tmp_path / "local"), probes)} == set(probes)

    result = cli(
        "build",
        "--publish",
        "--root",
        str(root),
        "--today",
        TODAY,
        "--out",
        str(tmp_path / "pub"),
        env={"JOURNAL_PASSPHRASE": ""},
    )
    assert result.returncode == 0, result.stderr
    files = read_tree(tmp_path / "pub")
    assert {"search-index.js", "calendar.ics"} <= set(files)
    assert leaks(files, probes + CONTACT_DETAILS) == []
    publics = [f"Public line {name}" for name in VARIANTS] + ["Public line card", "Public line details"]
    assert {text for _, text in leaks(files, publics + KEPT)} == set(publics + KEPT)
    for path, data in files.items():
        if path.endswith(".html"):  # the one Private heading left is a title: the opening note's, as the user wrote it
            headings = BeautifulSoup(data, "html5lib").find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
            private = [str(h) for h in headings if is_private_heading(h.get_text())]
            assert private == (["<h1>**Private**</h1>"] if path == "meetings/2026-10-01-opening.html" else []), path


def test_a_publish_build_after_a_local_one_gets_no_local_html_from_the_cache(make_journal, cli, tmp_path):
    """The local build leaves its rendered Markdown in .journal-cache; the publish build of the
    same journal must render its own (Private sections dropped), and the local build after it
    must not get the publish build's."""
    root = _variant_journal(make_journal)
    for out, publish in (("local", False), ("pub", True), ("local2", False)):
        args = ("build", "--publish") if publish else ("build",)
        result = cli(
            *args, "--root", str(root), "--today", TODAY, "--out", str(tmp_path / out), env={"JOURNAL_PASSPHRASE": ""}
        )
        assert result.returncode == 0, result.stderr
    assert leaks(read_tree(tmp_path / "pub"), ["kept-secret-quote", "kept-secret-card"]) == []
    assert read_tree(tmp_path / "local2") == read_tree(tmp_path / "local")


def test_local_and_publish_markdown_never_share_a_cache_entry(make_journal):
    from journal.render import Renderer

    root = make_journal({"entries/a.md": "---\ndate: 2026-10-01\n---\nBody.\n"})
    journal, _, _ = load(root)
    body = "Shown\n\n> ## Private\n> kept-secret\n"
    local_renderer = Renderer(root, journal, date(2026, 11, 1))
    local = local_renderer.render_markdown(body)
    publish_renderer = Renderer(root, journal, date(2026, 11, 1), lent(local_renderer.markdown_used), publish=True)
    published = publish_renderer.render_markdown(body)
    assert "kept-secret" in local and "kept-secret" not in published and "Shown" in published
    used = {**local_renderer.markdown_used, **publish_renderer.markdown_used}
    assert len(used) == 2
    assert "kept-secret" not in Renderer(root, journal, date(2026, 11, 1), lent(used), publish=True).render_markdown(
        body
    )


def lent(markdown: dict):
    """A remember that lends this Markdown, as the build cache does (speed/lent.py)."""
    from journal.speed.lent import LentMarkdown

    memory = LentMarkdown(lambda: markdown)
    memory.ready()
    return memory.remember


def cached_file(root: Path, name: str) -> list:
    """The JSON value of a build cache file, its tag checked under this user's key."""
    from journal.speed.cache import cache_key, tag

    data = (root / ".journal-cache" / name).read_bytes()
    assert data[:32] == tag(cache_key(), name, data[32:])
    return json.loads(data[32:])


def plant(root: Path, name: str, value: list) -> None:
    """Rewrite a build cache file as its owner could (the key is theirs)."""
    from journal.speed.cache import cache_key, tag

    body = json.dumps(value).encode("ascii")
    (root / ".journal-cache" / name).write_bytes(tag(cache_key(), name, body) + body)


def publish_build(root: Path, out: Path):
    from journal.publish import build_published

    result = build_published(root, out, date.fromisoformat(TODAY), lambda: "")
    assert not result.problems
    return result


def test_a_second_publish_build_parses_nothing_and_renders_no_markdown(make_journal, tmp_path):
    root = hostile_journal(make_journal, encrypt=False)
    publish_build(root, tmp_path / "first")
    cache = root / ".journal-cache"

    def written() -> dict:
        return {
            name: ((cache / name).stat().st_ino, (cache / name).stat().st_mtime_ns)
            for name in ("results.json", "markdown-publish.json")
        }

    before = written()
    publish_build(root, tmp_path / "second")
    assert read_tree(tmp_path / "second") == read_tree(tmp_path / "first")
    # Nothing new was parsed or rendered, so neither file was written again.
    assert written() == before
    assert not (cache / "markdown-local.json").exists() and not (cache / "last-build.json").exists()

    # What the cache holds is what the build uses: every record and every body came from it.
    form, salt, parsed = cached_file(root, "results.json")
    for _, record, _ in parsed:
        if "NoteRecord" in record:
            record["NoteRecord"][3] = "Title from the cache"
    plant(root, "results.json", [form, salt, parsed])
    form, salt, markdown = cached_file(root, "markdown-publish.json")
    plant(root, "markdown-publish.json", [form, salt, [[key, "<p>Body from the cache</p>"] for key, _ in markdown]])
    publish_build(root, tmp_path / "third")
    page = (tmp_path / "third/meetings/2026-10-01-coffee-pat.html").read_bytes()
    assert b"Title from the cache" in page and b"Body from the cache" in page
    assert b"Coffee with Pat" not in page and b"Public again in the note" not in page


def test_a_local_build_after_a_publish_build_keeps_its_bodies_and_its_last_build(make_journal, tmp_path):
    from journal.build import build

    root = make_journal(
        {
            "journal.yaml": "publish:\n  encrypt: false\n",
            "entries/2026/2026-10-01-a.md": "---\ndate: 2026-10-01\nwith: Pat Lee\n---\nShown.\n\n## Private\nkept-secret\n",
        }
    )
    today = date.fromisoformat(TODAY)
    assert not build(root, root / "site", today).problems
    cache = root / ".journal-cache"
    local = {name: (cache / name).read_bytes() for name in ("results.json", "markdown-local.json", "last-build.json")}
    publish_build(root, tmp_path / "pub")
    assert {name: (cache / name).read_bytes() for name in local} == local
    assert "kept-secret" not in json.dumps(cached_file(root, "markdown-publish.json"))
    again = build(root, root / "site", today)
    assert again.report.written == () and again.report.removed == ()  # the local site's record is intact
    form, salt, markdown = cached_file(root, "markdown-local.json")
    plant(root, "markdown-local.json", [form, salt, [[key, "<p>local body from the cache</p>"] for key, _ in markdown]])
    assert not build(root, tmp_path / "local-elsewhere", today).problems
    assert b"local body from the cache" in (tmp_path / "local-elsewhere/meetings/2026-10-01-a.html").read_bytes()


# Issue 23, finding 3: contact details found by what they mean, wherever they are written:
# in aliases, tags, people's names, a file's name or folder, spelled with full-width or
# invisible characters or Markdown around them; Private headings in any dress.
MEANING = {
    "journal.yaml": f"""
        title: Meaning
        publish:
          encrypt: {{encrypt}}
          calendar: true
          site_id: {SITE_ID}
          private_fields: [title]
        """,
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        aliases: [pat.alias@example.com, "+1 555 010 1111", Patty]
        tags: [tag.mail@example.com, "555-010-2323", printing]
        email: pat@example.com
        decide_by: 2026-12-01
        status: prospect
        ---
        Mail pat＠example.com, pat\u200b@example.com or pat@example\\.com; call 555\\-010\\-4444 or 555-**010**-6666.
        Or pat [at] example [dot] com.

        ## 🔒 Private
        emoji-secret-1

        ## Public
        public-1

        ## Private.
        dot-secret-2

        ## Public again
        public-2

        ## (Private)
        paren-secret-3
        """,
    "entries/contacts/555-010-3333.md": "---\nname: Sam Number\n---\nSam's card.\n",
    "entries/2026/secret-folder-divorce/2026-10-01-call-555-010-2222.md": """
        ---
        date: 2026-10-01
        title: Lunch about the divorce
        with: ["Pat Lee", "who@unknown.example", "555-010-8765", Sam Number]
        commitments:
          - by: me
            what: an introduction
            to: Pat Lee
            kind: introduction
            introducing: "intro@third.example"
            due: 2026-12-01
        ---
        Body.
        """,
}
MEANING_SECRETS = [
    "pat.alias@example.com",
    "555 010 1111",
    "tag.mail@example.com",
    "555-010-2323",
    "555-010-3333",
    "555-010-2222",
    "who@unknown.example",
    "555-010-8765",
    "intro@third.example",
    "secret-folder-divorce",
    "divorce",
    "pat@example.com",
    "555-010-4444",
    "555-010-6666",
    "pat [at] example [dot] com",
    "emoji-secret-1",
    "dot-secret-2",
    "paren-secret-3",
    "tag-mail-example",
    "who-unknown-example",
    "intro-third-example",
]
MEANING_PUBLIC = ["Pat Lee", "Patty", "printing", "public-1", "public-2", "Sam Number", "Unnamed contact 1"]


def _reader(files: dict[str, bytes]) -> dict[str, bytes]:
    """Each file as a reader takes it (a page's text with no space where a tag was,
    compatibility forms plain, invisible characters gone), and the files' names as one more."""
    seen = {}
    for path, data in files.items():
        text = data.decode("utf-8", "replace")
        if path.endswith(".html"):
            text = BeautifulSoup(data, "html5lib").get_text("")
        text = unicodedata.normalize("NFKC", text)
        seen[f"{path} (as read)"] = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").encode()
    return {**files, **seen, "(file names)": "\n".join(files).encode()}


@pytest.mark.parametrize("encrypt", [False, True])
def test_contact_details_are_found_by_meaning_in_every_published_file(make_journal, cli, tmp_path, encrypt):
    root = make_journal({**MEANING, "journal.yaml": MEANING["journal.yaml"].format(encrypt=str(encrypt).lower())})
    local = cli("build", "--root", str(root), "--today", TODAY, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    assert {secret for _, secret in leaks(_reader(read_tree(tmp_path / "local")), MEANING_SECRETS)} == set(
        MEANING_SECRETS
    )
    result = publish_cli(cli, root, str(tmp_path / "pub"))
    assert result.returncode == 0, result.stderr
    files = read_tree(tmp_path / "pub")  # encrypted: the readable files (calendar.ics) and every name
    assert "calendar.ics" in files
    assert leaks(_reader(files), MEANING_SECRETS) == []
    if encrypt:
        files = {**files, **decrypt_site(tmp_path / "pub", PASSPHRASE)}
        index = open_index(tmp_path / "pub", PASSPHRASE)
        files["search-index.js"] = json.dumps(index, ensure_ascii=False).encode()
        assert leaks(_reader(files), MEANING_SECRETS) == []
    else:
        index = json.loads(files["search-index.js"].decode().partition("=")[2].rstrip(";\n"))
    assert not {"1111", "2323", "3333", "2222", "8765", "4444", "6666", "alias", "unknown", "third", "divorce"} & set(
        index["words"]
    )
    assert {text for _, text in leaks(files, MEANING_PUBLIC)} == set(MEANING_PUBLIC)
    feed = icalendar.Calendar.from_ical(files["calendar.ics"])
    assert sorted(str(c["description"]) for c in feed.walk("VEVENT")) == [
        "after Meeting on 2026-10-01 on 2026-10-01 (2026-10-01.md)",
        "after Meeting on 2026-10-01 on 2026-10-01 (2026-10-01.md)",
        "after Meeting on 2026-10-01 on 2026-10-01 (2026-10-01.md)",
        "after Meeting on 2026-10-01 on 2026-10-01 (2026-10-01.md)",
        "decide_by in pat-lee.md",
        "introduction, promised on 2026-10-01 in Meeting on 2026-10-01 (2026-10-01.md:6)",
    ]
