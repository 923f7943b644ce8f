"""One note cannot stall a build or a check: a body with more Markdown than Python-Markdown
renders in bounded time (wikilinks.markdown_budget: MARKDOWN_MARKS marks, MARKDOWN_WORK work)
is shown as plain text, and `journal check` says why at its line.

Nothing here is timed. A payload over the budget is shown to take the plain-text way (its
HTML holds only paragraphs and line breaks, and every word); a body within it is rendered
by a Python-Markdown whose work is counted (the characters and calls its block processors,
inline patterns and fence finder are handed), and that count stays under a bound set by the
budget, whatever the body. A generous alarm only keeps a regression from hanging the run."""

from __future__ import annotations

import html
import re
import signal
import xml.etree.ElementTree as etree
from contextlib import contextmanager

import pytest
from conftest import TODAY_ARG
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.extensions.abbr import AbbrTreeprocessor

from journal import prose
from journal.pipeline import load
from journal.views import _unlinked, first_line
from journal.wikilinks import MARKDOWN_MARKS, MARKDOWN_WORK, WIKILINK_WARNINGS, markdown_budget, warnings

NEAR_THE_CAP = 950_000  # characters: a note's file is limited to 1 MB


def fill(unit: str, size: int = NEAR_THE_CAP) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def spread(unit: str, count: int, size: int = NEAR_THE_CAP) -> str:
    """`count` copies of `unit`, apart by plain words, in about `size` characters."""
    gap = max(0, size - count * len(unit)) // count
    return (fill("word ", gap) + unit) * count


# The shapes a hostile or careless note can take, each near the 1 MB cap. Before the budget,
# 23 of 42 such shapes took over 2 seconds each to render (setext headings 73 s, footnote
# references 94 s, autolinks 43 s, wikilinks 34 s, a paragraph with 500 reference definitions
# in it 15 s); the probe's payloads are among them.
SHAPES = {
    "setext headings": fill("a\n=\n"),
    "setext subheadings": fill("a\n-\n"),
    "setext headings with carriage returns": fill("a\r=\r"),
    "atx headings": fill("# a\n"),
    "private headings": fill("# Private\na\n"),
    "rules": fill("***\n"),
    "paragraphs": fill("word\n\n"),
    "hard line breaks": fill("a  \n"),
    "footnote references": fill("[^1]"),
    "footnote definitions": "".join(f"[^{n}]: x\n" for n in range(60_000))[:NEAR_THE_CAP],
    "autolinks": fill("<http://a.b> "),
    "e-mail autolinks": fill("<a@b.c> "),
    "wikilinks": fill("[[Pat Lee]] "),
    "embeds": fill("![["),
    "open wikilinks": fill("[["),
    "abbreviation definitions": "".join(f"*[W{n}]: word\n" for n in range(8_000)),
    "abbreviation uses": "*[HTML]: Hypertext\n\n" + fill("HTML "),
    "decimal entities": "&#64;" * 80_000,
    "named entities": fill("&amp;"),
    "ampersands": fill("&"),
    "emphasis": fill("*a* "),
    "strong emphasis": fill("**a** "),
    "underscores": fill("_a_ "),
    "asterisks": fill("*_"),
    "code spans": fill("`a` "),
    "open code spans": fill("`a "),
    "code spans of every length": "".join("`" * n + fill(" word", 20_000) for n in range(1, 46)),
    "links": fill("[a](b) "),
    "open links": fill("[a]("),
    "brackets": fill("["),
    "escapes": fill("\\*"),
    "tables": "a|b\n-|-\n" + fill("1|2\n"),
    "a wide table": "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n" + ("|" + "1|" * 5000 + "\n") * 80,
    "definition lists": fill("a\n: b\n\n"),
    "a definition of many terms": fill("term\n", NEAR_THE_CAP - 5) + ": b\n",
    "a table of many rows": "a|b\n-|-\n" + fill("row\n"),
    "loose lists": fill("- a\n\n"),
    "ordered lists": fill("1. a\n"),
    "fenced code": fill("```\na\n```\n"),
    "open fences": fill("```\n"),
    "quotes in quotes": fill(">"),
    "reference definitions in one paragraph": spread("\n[a]: b\n", 500),
    "footnote definitions in one paragraph": spread("\n[^a]: b\n", 500),
    "abbreviation definitions in one paragraph": spread("\n*[a]: b\n", 500),
}


class Hung(Exception):
    pass


@contextmanager
def safety_net(seconds: int = 120):
    """Stops a run that hangs (a regression) instead of letting it stall the suite; the
    tests' assertions are about counted work, never about this."""

    def stop(*_):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def is_plain_text(body: str, page: str) -> bool:
    """Whether `page` is `body` as plain text: only paragraphs and line breaks, and every
    word of the body, in order."""
    tags = set(re.findall(r"</?([a-z0-9]+)", page))
    return tags <= {"p", "br"} and html.unescape(re.sub(r"<[^>]+>", " ", page)).split() == body.split()


@pytest.mark.parametrize("shape", SHAPES)
def test_a_hostile_body_near_the_cap_is_over_the_budget_and_shown_as_plain_text(shape):
    body = SHAPES[shape]
    assert markdown_budget(body)[1]
    with safety_net():
        page = prose.converter()(body)
    assert is_plain_text(body, page)


def test_plain_text_is_escaped_in_paragraphs_and_lines():
    body = "&#64; <script>alert(1)</script>\n*not emphasis*\n\n\n[[Pat Lee]] & more\n" + "&" * MARKDOWN_MARKS
    assert prose.converter()(body) == (
        "<p>&amp;#64; &lt;script&gt;alert(1)&lt;/script&gt;<br>*not emphasis*</p>\n"
        f"<p>[[Pat Lee]] &amp; more<br>{'&amp;' * MARKDOWN_MARKS}</p>"
    )


def test_a_publish_build_shows_nothing_of_a_plain_body_from_a_line_that_says_private():
    body = "Met Pat.\n\n> ## Private:\nTheir salary.\n\n# Later\nmore\n" + "&" * MARKDOWN_MARKS
    assert prose.converter(publish=True)(body) == "<p>Met Pat.</p>"
    assert "Their salary" in prose.converter()(body)


def test_a_long_transcript_with_some_markdown_is_still_markdown():
    part = (
        "## Part\n\n"
        + ("Words of a long transcript, " * 50 + "as *they* said, on [the call](https://example.org).\n\n") * 50
    )
    body = "# Notes\n\n" + part * 13
    assert len(body) > 900_000 and markdown_budget(body) == (0, "")
    page = prose.converter()(body)
    assert page.startswith("<h2>Notes</h2>\n<h3>Part</h3>\n<p>Words of a long transcript,")
    assert page.count("<em>they</em>") == 650


# The warning `journal check` gives, at its line: the file's line of the body's start when
# the body holds too many marks, of the heaviest paragraph when it is too much work.

NOTE = "entries/2026/a.md"
CARD = "entries/contacts/pat-lee.md"


def body_warnings(make_journal, files: dict[str, str | bytes]) -> list[str]:
    root = make_journal({CARD: b"---\nname: Pat Lee\n---\n", **files})
    journal, problems, _ = load(root)
    assert problems == []
    with safety_net():
        return [str(warning) for warning in warnings(journal)]


def note(body: str, title: str = "") -> bytes:
    return ("---\ndate: 2026-10-01\n" + (f"title: {title}\n" if title else "") + "---\n" + body).encode()


TOO_MANY_MARKS = (
    f"this body holds more than {MARKDOWN_MARKS:,} Markdown marks (paragraphs, lines that open a list item, "
    "heading or quote, rows of tables and definition lists, uses of abbreviations, and the characters "
    "* _ ` [ < & \\ | >), more than Markdown renders in bounded time; it is shown as plain text"
)


def test_check_warns_at_the_start_of_a_body_and_of_a_card_with_too_many_marks(make_journal):
    assert body_warnings(
        make_journal,
        {
            NOTE: note("\n\n" + SHAPES["footnote references"]),
            CARD: b"---\nname: Pat Lee\n---\n" + SHAPES["decimal entities"].encode(),
            "entries/2026/b.md": note(SHAPES["setext headings"]),
            "entries/2026/c.md": note(SHAPES["abbreviation definitions"], title="Abbreviations"),
        },
    ) == [
        f"entries/2026/a.md:4: warning: {TOO_MANY_MARKS}",
        f"entries/2026/b.md:4: warning: {TOO_MANY_MARKS}",
        f"entries/2026/c.md:5: warning: {TOO_MANY_MARKS}",
        f"entries/contacts/pat-lee.md:4: warning: {TOO_MANY_MARKS}",
    ]


def test_check_warns_at_the_paragraph_that_is_too_much_work(make_journal):
    paragraph = spread("\n[a]: b\n", 500).rstrip("\n")  # 500 definitions: 500 brackets, and 16 each
    body = "Short first paragraph.\n\n" + paragraph + "\n\nShort last one.\n"
    assert len(paragraph) == 949_999
    assert body_warnings(make_journal, {NOTE: note(body)}) == [
        f"{NOTE}:6: warning: this paragraph is 949,999 characters long and holds 8,500 Markdown marks "
        "(a reference, footnote or abbreviation definition counts 16); Markdown reads the paragraph again for "
        "each (8,075 million of at most 100 million for the body), so the body is shown as plain text: split "
        "long paragraphs with blank lines"
    ]


def test_check_warns_when_fences_would_make_markdown_read_a_long_body_again_and_again(make_journal):
    body = spread("\n\n```\na\n```\n\n", 150)
    assert body_warnings(make_journal, {NOTE: note(body)}) == [
        f"{NOTE}:4: warning: this body's 300 fences and abbreviation definitions make Markdown read all of its "
        f"{len(body):,} characters again for each (285 million of at most 100 million); it is shown as plain text"
    ]


def test_journal_check_prints_the_warning_and_passes(make_journal, cli):
    root = make_journal({CARD: b"---\nname: Pat Lee\n---\n", NOTE: note(SHAPES["wikilinks"])})
    result = cli("check", "--root", str(root), "--today", TODAY_ARG)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"{NOTE}:4: warning: {TOO_MANY_MARKS}", "1 warning in 2 files"]


def test_a_body_within_the_budget_is_warned_about_ten_wikilinks_at_most(make_journal):
    body = "".join(f"[[Nobody {n}]]\n" for n in range(1_000))
    assert markdown_budget(body) == (0, "")
    found = body_warnings(make_journal, {NOTE: note(body)})
    assert len(found) == WIKILINK_WARNINGS + 1
    assert found[0] == f"{NOTE}:4: warning: [[Nobody 0]] names no contact or meeting, so it shows as plain text"
    assert found[-1] == (
        f"{NOTE}:14: warning: 990 more wikilinks from here on name no page, or more than one, and show as plain text"
    )


# What Python-Markdown is seen to do. Its time goes where it hands a block to a block
# processor's test (each may search the whole block, and a block split at a heading or a
# definition is handed over again, rest and all), where an inline pattern is applied to a
# paragraph's text (a search, and a copy of the text for each match), and where the
# fenced-code preprocessor searches the text (from its start again after each block).


class Counted:
    def __init__(self) -> None:
        self.calls = 0
        self.characters = 0

    def saw(self, text: str) -> None:
        self.calls += 1
        self.characters += len(text)


class _CountedSearch:
    def __init__(self, pattern: re.Pattern, counted: Counted) -> None:
        self.pattern, self.counted = pattern, counted

    def search(self, text: str, *position):
        self.counted.saw(text)
        return self.pattern.search(text, *position)


def counted_converter() -> tuple[prose.markdown.Markdown, Counted]:
    renderer = prose.markdown_renderer()
    counted = Counted()
    for processor in renderer.parser.blockprocessors:
        test = processor.test

        def counted_test(parent, block, test=test):
            counted.saw(block)
            return test(parent, block)

        processor.test = counted_test
    inline = renderer.treeprocessors["inline"]
    apply = inline._InlineProcessor__applyPattern

    def counted_apply(pattern, data, *rest):
        counted.saw(data)
        return apply(pattern, data, *rest)

    inline._InlineProcessor__applyPattern = counted_apply
    fences = renderer.preprocessors["fenced_code_block"]
    fences.FENCED_BLOCK_RE = _CountedSearch(fences.FENCED_BLOCK_RE, counted)
    return renderer, counted


# Some forty block processors and inline patterns may each read a paragraph once, and a
# mark makes a few of them read it again: the bounds the budget keeps Python-Markdown's
# work under, whatever the body.
MOST_CALLS = 40 * MARKDOWN_MARKS
MOST_CHARACTERS = 40 * MARKDOWN_WORK


def rendered_within_bounds(body: str) -> bool:
    """Whether the body is shown as plain text, or rendered by Python-Markdown within
    MOST_CALLS and MOST_CHARACTERS."""
    if markdown_budget(body)[1]:
        with safety_net():
            return is_plain_text(body, prose.converter()(body))
    renderer, counted = counted_converter()
    with safety_net():
        renderer.convert(body)
    assert counted.calls <= MOST_CALLS, counted.calls
    assert counted.characters <= MOST_CHARACTERS, counted.characters
    return True


def test_the_counters_see_what_made_a_shape_slow():
    """Without the budget, a tenth of the setext payload is already past the bounds: its
    work grows with the square of its length."""
    renderer, counted = counted_converter()
    with safety_net():
        renderer.convert(SHAPES["setext headings"][:95_000])
    assert counted.characters > MOST_CHARACTERS


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_cut_to_fit_the_budget_renders_within_the_bounds(shape):
    body = SHAPES[shape]
    size = len(body)
    while markdown_budget(body[:size])[1]:
        size //= 2
    assert size and rendered_within_bounds(body[:size])
    assert rendered_within_bounds(body[: 2 * size])


# Bodies made of the pieces Markdown spends its time on, repeated and spread over up to a
# megabyte: each is plain text past the budget or within the bounds before it.

PIECES = [
    "\n\n",
    "\n",
    "word ",
    "a\n=\n",
    "a\n-\n",
    "# a\n",
    "***\n",
    "- a\n",
    "1. a\n",
    "> a\n",
    "a\n: b\n",
    "[a]: b\n",
    "[^a]: b\n",
    "*[HTML]: x\n",
    "HTML ",
    "[^1]",
    "[[Pat Lee]]",
    "![[",
    "<http://a.b>",
    "<a@b.c>",
    "&#64;",
    "&",
    "*a*",
    "**",
    "_a_",
    "`",
    "``",
    "`a`",
    "[a](b)",
    "[a](",
    "[",
    "]",
    "\\*",
    "  \n",
    "|",
    "a|b\n-|-\n",
    "```\n",
    "~~~\n",
    "    a\n",
    "\r",
    "\t",
    "# Private\n",
]

piece = st.tuples(st.sampled_from(PIECES), st.integers(1, 40_000))


FILLERS = ["", "word ", "word\n", "a b c d e f g h i j k l m n o p\n"]


@st.composite
def bodies(draw) -> str:
    """Up to four pieces, each repeated up to 40,000 times with up to 200 fillers before each
    copy, cut at the size a note may have."""
    parts = []
    for unit, count in draw(st.lists(piece, min_size=1, max_size=4)):
        copy = draw(st.sampled_from(FILLERS)) * draw(st.integers(0, 200)) + unit
        parts.append(copy * min(count, 1_000_000 // len(copy) + 1))
    return "".join(parts)[: 1_000_000 - 40]


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(bodies())
def test_any_body_is_plain_text_past_the_budget_or_rendered_within_the_bounds(body):
    assert rendered_within_bounds(body)


# The rewrites that keep work linear give what they replaced.


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet="[]()! ab", max_size=30))
def test_first_line_takes_links_out_as_the_pattern_did(text):
    assert _unlinked(text) == re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)


@pytest.mark.parametrize("unit", ["![[", "[a](", "[", "[a]", "[a]("])
def test_first_line_of_900_kb_of_brackets_that_make_no_link(unit):
    body = fill(unit, 900_000)
    with safety_net():
        assert first_line(body) == body[:100] + "…"


def _abbreviations_as_the_extension_puts_them() -> prose.markdown.Markdown:
    renderer = prose.markdown_renderer()
    abbreviations = renderer.treeprocessors["abbr"].abbrs
    renderer.treeprocessors.register(AbbrTreeprocessor(renderer, abbreviations), "abbr", 7)
    return renderer


ABBREVIATED = "*[HTML]: Hypertext\n*[W3C]: World Wide Web\n*[e.g.]: for example\n*[CSS3]: ''\n\n[^1]: A HTML note\n\n"
WORDS = ["HTML", "W3C", "e.g.", "CSS3", "HTML5", "a", "*em*", "**b**", "[l](u)", "`HTML`", "\n", "\n\n", "- ", "> "]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_abbreviations_are_put_in_place_as_the_extension_puts_them(words):
    body = ABBREVIATED + " ".join(words) + " [^1]"
    ours, theirs = prose.markdown_renderer(), _abbreviations_as_the_extension_puts_them()
    assert ours.convert(body) == theirs.convert(body)


def test_the_abbreviations_of_an_element_keep_its_other_children_in_place():
    renderer = prose.markdown_renderer()
    root = etree.fromstring("<div><p>HTML a <em>HTML</em> HTML b</p></div>")
    abbreviations = renderer.treeprocessors["abbr"]
    abbreviations.abbrs.update({"HTML": "Hypertext"})
    abbreviations.run(root)
    assert etree.tostring(root, encoding="unicode") == (
        '<div><p><abbr title="Hypertext">HTML</abbr> a <em><abbr title="Hypertext">HTML</abbr></em> '
        '<abbr title="Hypertext">HTML</abbr> b</p></div>'
    )
