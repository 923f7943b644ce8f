"""The design's rules that need no browser: counts read as English, a page has one h1, the
colours pass WCAG AA in both schemes."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from conftest import TODAY_ARG

from journal.prose import converter
from journal.render import plural
from journal.sources import shipped_templates

ONE_OF_EACH = {
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        tags: [printing]
        ---
        # About Pat

        Runs the print shop on 5th.
    """,
    "entries/2026/2026-10-01-breakfast.md": """
        ---
        date: 2026-10-01
        title: Breakfast at Rosie's
        with: Pat Lee
        tags: [printing]
        ---
        # Breakfast, in my own words

        ## What Pat wants

        Printers.
    """,
}


def built(make_journal, cli, files: dict[str, str]):
    root = make_journal(files)
    result = cli("build", "--root", str(root), "--today", TODAY_ARG)
    assert result.returncode == 0, result.stderr
    return root / "site"


def text_of(path) -> str:
    return " ".join(BeautifulSoup(path.read_bytes(), "html5lib").get_text().split())


def test_plural():
    assert [plural(n, "meeting") for n in (0, 1, 2)] == ["0 meetings", "1 meeting", "2 meetings"]
    assert plural(1, "relationship is", "relationships are") == "1 relationship is"
    assert plural(3, "relationship is", "relationships are") == "3 relationships are"


def test_counts_of_one_read_as_english(make_journal, cli):
    site = built(make_journal, cli, ONE_OF_EACH)
    dashboard = text_of(site / "index.html")
    assert "The 1 meeting · the 1 contact · 1 tag" in dashboard
    assert "0 relationships going cold" in dashboard
    assert "1 meeting, 1 contact" in text_of(site / "tags/index.html")


def test_a_notes_own_headings_sit_under_the_page_title(make_journal, cli):
    site = built(make_journal, cli, ONE_OF_EACH)
    meeting = BeautifulSoup((site / "meetings/2026-10-01-breakfast.html").read_bytes(), "html5lib")
    assert [h.get_text() for h in meeting.find_all("h1")] == ["Breakfast at Rosie's"]
    assert [h.get_text() for h in meeting.select(".prose h2, .prose h3")] == [
        "Breakfast, in my own words",
        "What Pat wants",
    ]
    contact = BeautifulSoup((site / "contacts/pat-lee.html").read_bytes(), "html5lib")
    assert [h.get_text() for h in contact.find_all("h1")] == ["Pat Lee"]


def test_headings_go_one_level_down_and_private_sections_are_still_dropped():
    assert converter()("# A\n\n###### F") == "<h2>A</h2>\n<h6>F</h6>"
    # A Private h5 section holds its h6 subsection; after the shift both would be h6.
    published = converter(publish=True)("##### Private\n\nsecret\n\n###### More\n\nsecret too\n\n##### Open\n\nshown")
    assert published == "<h6>Open</h6>\n<p>shown</p>"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_pass_wcag_aa_in_light_and_dark():
    css = (shipped_templates() / "style.css").read_text()
    light = dict(re.findall(r"--([\w-]+): (#[0-9a-f]{6})", css.split("@media (prefers-color-scheme: dark)")[0]))
    dark = {
        **light,
        **dict(
            re.findall(r"--([\w-]+): (#[0-9a-f]{6})", css.split("@media (prefers-color-scheme: dark)")[1].split("}")[0])
        ),
    }
    assert dark["bg"] != light["bg"]
    failing = [
        (scheme, text, ground, round(contrast(tokens[text], tokens[ground]), 2))
        for scheme, tokens in (("light", light), ("dark", dark))
        for text in ("ink", "muted", "accent", "late", "ok")
        for ground in ("bg", "surface", "accent-soft")
        if contrast(tokens[text], tokens[ground]) < 4.5
    ]
    # A filled button's label (the lock screen's Unlock) on the accent: white on the light
    # scheme's dark blue, the page's near-black on the dark scheme's light blue.
    failing += [
        (scheme, "on-accent", "accent", round(contrast(tokens["on-accent"], tokens["accent"]), 2))
        for scheme, tokens in (("light", light), ("dark", dark))
        if contrast(tokens["on-accent"], tokens["accent"]) < 4.5
    ]
    assert failing == []
    assert "color: #fff" not in css  # every filled control takes --on-accent
