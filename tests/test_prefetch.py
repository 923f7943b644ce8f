"""Markdown converted ahead (prefetch.py) is what the render stage would have made, under the
key it looks up, and only for bodies whose HTML cannot depend on the journal."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from journal.build import build, open_cache, prefetch_cold
from journal.model import Journal
from journal.pipeline import load, parse_entry, render_site
from journal.render import Renderer, markdown_key
from journal.sources import SourceFile
from journal.speed import parallel
from journal.speed.incremental import Incremental
from journal.speed.lent import LentMarkdown
from journal.speed.prefetch import _likely_body, prefetch_markdown

TODAY = date(2026, 11, 1)
NOTES = parallel.MIN_ITEMS + 40


def _journal(make_journal):
    files = {"entries/contacts/pat-lee.md": "---\nname: Pat Lee\n---\nMet at the *BNI* breakfast.\n"}
    for number in range(NOTES):
        link = " Ask [[Pat Lee]] first." if number % 7 == 0 else ""
        files[f"entries/2026/2026-10-{number % 28 + 1:02d}-n{number}.md"] = (
            f"---\ndate: 2026-10-{number % 28 + 1:02d}\nwith: [Pat Lee]\n---\n"
            f"# Coffee {number}\n\nTalked about **lead {number}** and a `referral`.{link}\n\n- one\n- two\n"
        )
    return make_journal(files)


needs_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the prefetch starts nothing")


def in_a_fresh_interpreter(check: str, *args: str) -> None:
    """Run this module's check(*args) in a new Python: this one may run threads (the browser
    tests'), and then nothing forks, the prefetch included."""
    code = f"from test_prefetch import {check} as check; check(*{args!r})"
    ran = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr


@needs_cores
@pytest.mark.parametrize("check", ["prefetched_html_is_the_renderers", "stopped_at_once", "cold_builds_only"])
def test_what_a_forked_prefetch_hands_back(make_journal, check):
    """prefetched_html_is_the_renderers: the HTML is the renderer's, under the key render
    looks up. stopped_at_once: a prefetch stopped at once hands back only finished HTML, and
    one cancelled nothing. cold_builds_only: a build after a build starts none (its cache
    lends the Markdown)."""
    in_a_fresh_interpreter(check, str(_journal(make_journal)))


def prefetched_html_is_the_renderers(root_text: str) -> None:
    root = Path(root_text)
    journal, problems, _ = load(root)
    assert not problems
    body_of = {meeting.body for meeting in journal.meetings} | {contact.notes for contact in journal.contacts}
    known_body = next(body for body in sorted(body_of) if "[[" not in body)
    known = {markdown_key("local", known_body, {}): "<p>kept</p>"}

    ahead = prefetch_markdown(root, lambda: known)
    time.sleep(1.0)  # let it finish a batch or more; what it has not done is simply not lent
    prefetched = ahead.collect()

    made = _renderers_html(root, journal)
    assert prefetched, "nothing was converted ahead"
    assert prefetched.items() <= made.items()  # the same HTML, under the key render gives it
    assert not prefetched.keys() & known.keys()  # what the cache lends is not converted again
    assert all("[[" not in body for body in body_of if markdown_key("local", body, {}) in prefetched)

    asked = []
    lent = LentMarkdown(lambda: asked.append(1) or prefetched)  # as build.py lends it: once the plan is made
    pages, problems = render_site(root, journal, TODAY, remember=lent.remember, map=lent.map)
    assert not problems
    assert asked == [1]
    assert prefetched.keys() <= lent.used.keys()  # every body converted ahead was looked up by a page
    assert lent.used.items() >= prefetched.items()


def stopped_at_once(root_text: str) -> None:
    root = Path(root_text)
    ahead = prefetch_markdown(root, dict)
    prefetched = ahead.collect()  # stopped within its first batches
    assert prefetched.items() <= _renderers_html(root, load(root)[0]).items()
    assert len(prefetched) < NOTES
    cancelled = prefetch_markdown(root, dict)
    cancelled.cancel()
    assert cancelled.collect() == {}


def cold_builds_only(root_text: str) -> None:
    root = Path(root_text)
    cold = prefetch_cold(root, open_cache(root))
    assert cold.running
    cold.cancel()
    assert not cold.running and cold.collect() == {}
    assert not build(root, root / "site", TODAY).problems
    assert not prefetch_cold(root, open_cache(root)).running


def _renderers_html(root: Path, journal: Journal) -> dict[bytes, str]:
    """{markdown_key: HTML} of every body without wikilinks, as the site's renderer makes it."""
    renderer = Renderer(root, journal, TODAY)
    bodies = [meeting.body for meeting in journal.meetings] + [contact.notes for contact in journal.contacts]
    return {markdown_key("local", body, {}): str(renderer.render_markdown(body)) for body in bodies if "[[" not in body}


def test_a_small_journal_is_not_converted_ahead(make_journal):
    root = make_journal({"entries/2026/2026-10-01-coffee.md": "---\nwith: [Pat Lee]\n---\nHello.\n"})
    assert prefetch_markdown(root, dict).collect() == {}


def test_the_previews_first_build_is_lent_the_markdown_the_build_left(make_journal, tmp_path):
    root = _journal(make_journal)
    assert not build(root, root / "site", TODAY).problems
    bodies = open_cache(root).markdown("local")
    open_cache(root).save_markdown("local", {key: "<p>lent</p>" for key in bodies})

    preview = Incremental(root, tmp_path / "preview")
    assert not preview.build(TODAY).problems
    meeting = (tmp_path / "preview/meetings/2026-10-01-n0.html").read_text()
    assert "<p>lent</p>" in meeting and "lead 0" not in meeting.split('class="prose"')[1]


@pytest.mark.parametrize(
    "path, text",
    [
        ("entries/a.md", "---\ndate: 2026-10-01\n---\n# Coffee\n\nBody.\n"),
        ("entries/a.md", "---\ndate: 2026-10-01\ntitle: Lunch\n---\n# Coffee\n\nBody.\n"),
        ("entries/a.md", "---\ntitle : Lunch\ndate: 2026-10-01\n...\n\n\n# Coffee #\nBody.\n"),
        ("entries/a.md", "---\ndate: 2026-10-01\n---\nNo heading.\n# Later heading\n"),
        ("entries/a.md", "---\ndate: 2026-10-01\n---\n"),
        (
            "entries/会议.md",
            "---\ndate: 2026-10-01\nwith: 张伟\n---\n# 与张伟喝咖啡\n\n<script>alert(1)</script> [[张伟]]\n",
        ),
        ("entries/contacts/pat.md", "---\nname: Pat\n---\n# Pat's notes\n\nLikes tea.\n"),
    ],
)
def test_the_body_is_found_as_the_parser_finds_it_without_reading_the_yaml(path, text):
    source = SourceFile(path, text)
    record = parse_entry(source)[0]
    assert record is not None
    assert _likely_body(source) == (record.notes if source.is_card else record.body)
