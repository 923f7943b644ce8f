"""An encrypted publish build across the cores (issue 29) is the one-process build: bodies
converted ahead by a forked prefetch from a guess of what redaction makes of them, redacted
and converted in forked workers, every page sealed into its shell where it is rendered, and
the build cache saved beside the write. Its sealed pages, opened with the passphrase, are
byte for byte the pages one process renders from the redacted journal, and no Private
section or contact detail reaches a published byte, an opened page or the cache through any
of that reuse, even where the prefetch's guess kept one. The scans redaction made faster for
it find what they found before."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from conftest import write_files
from sealed import decrypt_site, leaks, open_index, read_tree, sealed_json
from test_publish_build import HOSTILE, PASSPHRASE, PUBLIC, SECRETS, SITE_ID, TODAY

from journal import encrypt
from journal.pipeline import load, render_site
from journal.publish import build_published
from journal.redact import redact
from journal.render import Renderer, markdown_key
from journal.speed import parallel
from journal.speed.lastbuild import open_cache, prefetch_published
from journal.speed.prefetch import _likely_published, converted

NOTES = parallel.MIN_ITEMS + 40
BARE = "7700900123"
"""Pat's card's number (+44 7700 900123) as a bare run of digits: a phone number only because
the card says so, which the prefetch's guess cannot know."""
BULK_SECRETS = [BARE, "bulk-secret", "card-secret"]


def _journal(root: Path) -> Path:
    """The hostile journal of test_publish_build, and enough notes for every stage to fork:
    each with a Private section in one of its spellings, some with wikilinks, some naming
    Pat's number as bare digits; cards with Private notes."""
    files = {
        **HOSTILE,
        "journal.yaml": f"title: Hostile journal\npublish:\n  site_id: {SITE_ID}\n  private_fields: [company, where]\n",
    }
    headings = [
        ("## Private", ""),
        ("## **Private**", ""),
        ("> ## Private", "> "),
        ("Private\n-------", ""),
        ("### 🔒 Private", ""),
    ]
    for number in range(NOTES):
        day = f"2026-09-{number % 28 + 1:02d}"
        link = " Ask [[Pat Lee]] first." if number % 9 == 0 else ""
        bare = f" Rang Pat on {BARE} about it." if number % 7 == 0 else ""
        heading, inside = headings[number % len(headings)]
        files[f"entries/2026/{day}-n{number}.md"] = (
            f"---\ndate: {day}\nwith: [Jordan Quill]\ntags: [bulk]\n---\n# Lead {number}\n\n"
            f"Talked about **bulk-public-{number}**.{link}{bare}\n\n- one\n- two\n\n"
            f"{heading}\n{inside}\n{inside}The bulk-secret-{number} stays home.\n"
        )
    for number in range(20):
        files[f"entries/contacts/c{number}.md"] = (
            f"---\nname: Card Person {number}\n---\nShown card-public-{number}.\n\n## Private\ncard-secret-{number}\n"
        )
    return write_files(root, files)


def test_the_phone_pattern_finds_what_it_found_before_it_looked_at_the_first_character():
    """redact._PHONE asks first for what every match starts with ('+', '(' or a digit): the
    same matches as the pattern without that look, on texts made of what numbers are made of."""
    from journal.redact import _PHONE

    look = "(?=[+(\\d])"
    assert _PHONE.pattern.startswith(look)
    before = re.compile(_PHONE.pattern.removeprefix(look))
    pieces = ["+", "(", ")", " ", "-", ".", "/", "\u00a0", "\u2013", "\n", "a", "x", "_", "٣", "１", *"0123456789"]
    rng = random.Random(29)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(20_000)]
    texts += ["Call +44 (0)1234 567890 or 555-010-9999 on 2026-10-01.", "(555) 010 9999, 555.010.9999, 555-0199"]
    for text in texts:
        assert [m.span() for m in _PHONE.finditer(text)] == [m.span() for m in before.finditer(text)], text


def test_the_digits_of_a_text_are_what_str_isdigit_keeps():
    from journal.redact import _digits

    rng = random.Random(29)
    pieces = [*"0123456789+-() .x", "²", "٣", "１", "\u00a0"]
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        expected = "".join(ch for ch in text if ch.isdigit()) if text.isascii() else None
        assert expected is None or _digits(text) == expected, text
    assert _digits("+44 (0)1234-567 890") == "4401234567890" and _digits("٣ and １２") == "312"


needs_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: nothing forks")


def in_a_fresh_interpreter(check: str, *args: str) -> None:
    """Run this module's check(*args) in a new Python: this one may run threads (the browser
    tests'), and then nothing forks."""
    code = f"from test_publish_cores import {check} as check; check(*{args!r})"
    ran = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr


def test_the_prefetch_guess_can_keep_what_redaction_hides(tmp_path):
    """Why the build below proves something: the prefetch converts a body that still names
    Pat's number, which only the journal's cards make private."""
    journal, problems, _ = load(_journal(tmp_path / "journal"))
    assert problems == []
    meeting = next(meeting for meeting in journal.meetings if BARE in meeting.body)
    assert BARE in _likely_published(meeting.body) and "bulk-secret" not in _likely_published(meeting.body)
    assert BARE not in redact(journal).meeting(meeting.slug).body


@needs_cores
def test_a_cold_encrypted_publish_across_the_cores_is_the_one_process_build(tmp_path):
    root = _journal(tmp_path / "journal")
    in_a_fresh_interpreter("across_the_cores_as_in_one_process", str(root), str(tmp_path))


def across_the_cores_as_in_one_process(root_text: str, folder_text: str) -> None:
    root, folder = Path(root_text), Path(folder_text)
    today = date.fromisoformat(TODAY)
    assert parallel.workers() >= 2
    cold = prefetch_published(root, open_cache(root))
    assert cold.running  # a cold publish build converts bodies ahead
    cold.cancel()

    result = build_published(root, folder / "site", today, lambda: PASSPHRASE)
    assert result.problems == ()
    assert not prefetch_published(root, open_cache(root)).running  # the cache holds them now
    site = read_tree(folder / "site")
    pages = decrypt_site(folder / "site", PASSPHRASE)
    assert len(pages) > parallel.MIN_ITEMS  # enough pages to be spread over the cores

    # One process: redacted one body after another, rendered without map, seal or cache.
    journal, problems, _ = load(root)
    assert problems == []
    public = redact(journal, today)
    keys = encrypt.derive_keys(PASSPHRASE, SITE_ID)
    paths = encrypt.OpaquePaths(key=keys.path_key)
    expected, problems = render_site(root, public, today, paths, calendar=False, publish=True)
    assert problems == []
    assert pages == {path: data for path, data in expected.items() if path.endswith(".html")}
    index = open_index(folder / "site", PASSPHRASE)
    opened = b"window.journalSearchIndex=" + json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
    assert expected["search-index.js"] == opened + b";\n"

    # Each shell is the locked template around its own sealed page, as one process renders it.
    renderer = Renderer(root, public, today)
    for path, shell in site.items():
        if path.endswith(".html"):
            assert shell == renderer.locked_page(path, json.dumps(sealed_json(shell), sort_keys=True)), path
    statics = {"style.css", "search.js", "unlock.js"}
    assert set(site) == set(pages) | statics | {"search-index.js"}
    assert all(site[name] == renderer.static_file(name) for name in statics)

    # The sealed path in one process opens to the same pages.
    sealed, problems = render_site(
        root, public, today, paths, calendar=False, publish=True, seal=partial(encrypt.seal, keys)
    )
    assert problems == [] and sealed.keys() == site.keys()
    write_files(folder / "one-process", {path: data for path, data in sealed.items() if path.endswith(".html")})
    assert decrypt_site(folder / "one-process", PASSPHRASE) == pages

    # Redacting across the cores is redacting one body after another, and converting the
    # bodies across the cores is what the publish renderer makes of each, under its key.
    across = redact(journal, today, parallel.ordered_map)
    assert across.meetings == public.meetings and across.contacts == public.contacts
    bodies = [meeting.body for meeting in public.meetings] + [contact.notes for contact in public.contacts]
    publisher = Renderer(root, public, today, paths, publish=True)
    assert converted(bodies, "publish", {}) == {
        markdown_key("publish", body, {}): str(publisher.render_markdown(body))
        for body in bodies
        if body and "[[" not in body
    }

    secrets = SECRETS + BULK_SECRETS
    assert leaks(site, secrets) == [] and leaks(pages, secrets) == []
    assert leaks({"index": json.dumps(index, ensure_ascii=False).encode()}, secrets) == []
    assert leaks({"cache": (root / ".journal-cache/markdown-publish.json").read_bytes()}, secrets) == []
    shown = {secret for _, secret in leaks(pages, [*PUBLIC, "bulk-public-0", "bulk-public-7", "card-public-3"])}
    assert shown == {*PUBLIC, "bulk-public-0", "bulk-public-7", "card-public-3"}

    # Warm: every body lent by the cache, the same pages.
    assert build_published(root, folder / "warm", today, lambda: PASSPHRASE).problems == ()
    assert decrypt_site(folder / "warm", PASSPHRASE) == pages
