"""Notes as HTML: a body's Markdown rendered by Python-Markdown with bounded work, then passed
through nh3's allowlist (the Ammonia sanitiser), so that nothing a note says, whoever wrote it,
runs as script or fetches from the network.

Text in, HTML out: pure, no I/O. The only module that imports markdown and nh3.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from typing import Any

import markdown
import nh3
from markdown import blockprocessors, inlinepatterns, treeprocessors, util
from markdown.extensions.abbr import AbbrTreeprocessor
from markdown.extensions.footnotes import FootnoteInlineProcessor
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor

from .redact import is_private_heading
from .wikilinks import DEFINITION_WEIGHT, MARKDOWN_MARKS, MARKDOWN_WORK, WIKILINK, markdown_budget, parts

MARKDOWN_EXTENSIONS = ("abbr", "def_list", "fenced_code", "footnotes", "tables", "sane_lists")
"""`extra` without `attr_list` (it let a note set any attribute: `{: onfocus=... }`, `style`)
and without `md_in_html` (it only acts on raw HTML, which notes may not use)."""
_MARKDOWN_CONFIGS = {"tables": {"use_align_attribute": True}}  # align="left", not a style attribute

LINK_NESTING = 16
"""How deep brackets may nest inside a link's text. Python-Markdown looks for the `]` that closes
each `[` by reading on to the end of the paragraph: 20,000 unclosed `[` took a minute. Stopping
the search at this depth bounds the reading at LINK_NESTING times the paragraph."""

LINK_TARGET = 1024
"""How long a link's `(address "title")` may be. Python-Markdown looked for its `)` by reading on
to the end of the paragraph, so 5,000 `[a](` took 8 seconds."""

BLOCK_NESTING = 16
"""How deep blocks may nest (a quote counts one, a list in a list two: the list and its indented
item); deeper blocks are shown as a plain paragraph. Each level reparses the rest of its block
and adds frames to the stack, and later stages walk the tree recursively: a 2,000-level list
took a minute, then overflowed the stack."""

_SANITISER: dict[str, Any] = {
    "tags": {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    },
    "attributes": {
        "a": {"href", "title", "class"},
        "abbr": {"title"},
        "code": {"class"},
        "div": {"class"},
        "li": {"id"},
        "ol": {"start"},
        "sup": {"id"},
    },
    "tag_attribute_values": {
        "th": {"align": {"left", "center", "right"}},
        "td": {"align": {"left", "center", "right"}},
    },
    "url_schemes": {"http", "https", "mailto", "tel"},
    "link_rel": "noopener noreferrer nofollow",
}
"""What a rendered body may hold: the tags and attributes our Markdown extensions make, links
to web, mail and phone addresses or within the site. Everything else is dropped, whatever a
note says: no script, event handler, style, image or frame."""

_CLASSES = {
    "a": re.compile(r"footnote-(ref|backref)"),
    "div": re.compile(r"footnote"),
    "code": re.compile(r"language-[\w+#.-]+"),
}
_IDS = re.compile(r"fn(ref\d*)?:.*", re.DOTALL)


def _allowed_value(tag: str, attribute: str, value: str) -> str | None:
    """The classes and ids our extensions make (footnotes, a code block's language), no
    other: a note's id could otherwise stand in for an element the page's scripts look up."""
    if attribute == "class":
        return value if tag in _CLASSES and _CLASSES[tag].fullmatch(value) else None
    if attribute == "id":
        return value if _IDS.fullmatch(value) else None
    return value


_CLEANER = nh3.Cleaner(**_SANITISER, attribute_filter=_allowed_value)

MARKDOWN_SETTINGS = (
    f"Python-Markdown {markdown.__version__} {MARKDOWN_EXTENSIONS} {_MARKDOWN_CONFIGS} html, "
    f"headings one level down, no raw HTML or images, wikilinks {WIKILINK.pattern}, links nested {LINK_NESTING}, blocks nested {BLOCK_NESTING}, "
    f"plain text past {MARKDOWN_MARKS} marks or {MARKDOWN_WORK} work (definitions {DEFINITION_WEIGHT}), "
    f"nh3 {nh3.__version__} {json.dumps(_SANITISER, sort_keys=True, default=sorted)} {_CLASSES} {_IDS}"
)
"""What rendered Markdown depends on besides the text: part of the build cache's key, so HTML
cached by a build that sanitised differently (or not at all) is never reused. Sets are listed
sorted: their own order changes from one process to the next."""


def markdown_renderer() -> markdown.Markdown:
    """Python-Markdown without raw HTML or images, and with bounded work: notes cannot inject
    scripts or fetch anything from the network, so every page stays self-contained and safe to
    publish. Its output still goes through sanitised_html: this keeps the Markdown honest, the
    allowlist keeps the page safe."""
    renderer = markdown.Markdown(
        extensions=list(MARKDOWN_EXTENSIONS), extension_configs=_MARKDOWN_CONFIGS, output_format="html"
    )
    renderer.preprocessors.deregister("html_block")
    for name in ("html", "image_link", "image_reference", "short_image_ref"):
        renderer.inlinePatterns.deregister(name)
    links = renderer.inlinePatterns
    # A footnote's label holds no `[`: the label `[^\]]*` ran on to the end of the paragraph
    # from each `[^`, and 10,000 of them took half a minute.
    links.register(FootnoteInlineProcessor(r"\[\^([^\]\[]*)\]", links["footnote"].footnotes), "footnote", 175)
    links.register(_BoundedReference(inlinepatterns.NOIMG + r"\[", renderer), "reference", 170)
    links.register(_BoundedLink(inlinepatterns.NOIMG + r"\[", renderer), "link", 160)
    links.register(_BoundedShortReference(r"\[", renderer), "short_reference", 130)
    # After code spans and escapes, before Markdown's own links read `[[` as brackets.
    links.register(_Wikilink(renderer), "wikilink", 172)
    abbreviations = renderer.treeprocessors["abbr"]
    renderer.treeprocessors.register(_Abbreviations(renderer, abbreviations.abbrs), "abbr", 7)
    # Before the footnotes stage, which walks the tree recursively, and after it, for footnotes' own.
    renderer.treeprocessors.register(_Flatten(renderer), "flatten", 60)
    renderer.treeprocessors.register(_Flatten(renderer), "flatten_footnotes", 40)
    blocks = renderer.parser.blockprocessors
    blocks.register(_TooDeep(renderer.parser), "too_deep", 200)
    blocks.register(_OrderedList(renderer.parser), "olist", 40)
    blocks.register(_BulletList(renderer.parser), "ulist", 30)
    return renderer


def sanitised_html(html: str) -> str:
    """Rendered Markdown with only what the allowlist (_SANITISER) names."""
    return _CLEANER.clean(html)


_HEADING_LEVELS = {f"h{level}": level for level in range(1, 7)}


class _DropPrivateSections(treeprocessors.Treeprocessor):
    """The publish profile's last word on Private sections, in the tree Python-Markdown really
    parsed: a heading whose text says Private (redact.is_private_heading), in any element
    (the body, a quote, a list item), is dropped with everything after it up to the next
    heading of the same or a higher level in that element. redact.strip_private has taken
    these sections out of the text already; this catches any its reading of the Markdown
    missed, so a page never shows one. Runs last, after escapes are resolved, so the
    heading's text is what the page would show (with the entities Python-Markdown keeps
    aside, `&#80;rivate`, put back for is_private_heading to read)."""

    def _shown(self, heading: etree.Element) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks
        return util.HTML_PLACEHOLDER_RE.sub(
            lambda found: str(stash[int(found.group(1))]) if int(found.group(1)) < len(stash) else "",
            "".join(heading.itertext()),
        )

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            level = 0
            for child in list(parent):
                heading = _HEADING_LEVELS.get(child.tag, 0)
                if heading and level and heading <= level:
                    level = 0
                if heading and not level and is_private_heading(self._shown(child)):
                    level = heading
                if level:
                    parent.remove(child)  # with its tail: the text after it is in the section too


class _HeadingsDown(treeprocessors.Treeprocessor):
    """Every heading one level down (a note's `# Heading` is an h2, `######` stays h6): the
    page's title is its only h1, and a note's outline sits under it. Runs after Private
    sections are dropped, which compare levels that h5 and h6 no longer keep apart."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            level = _HEADING_LEVELS.get(element.tag)
            if level:
                element.tag = f"h{min(level + 1, 6)}"


def converter(publish: bool = False) -> Callable[..., str]:
    """A function from a body's Markdown, and the address each wikilink's target links to
    ({target as written: relative URL}; a target not in it shows as its label), to its safe
    HTML; with `publish`, every Private section is dropped from what Python-Markdown parsed.
    It holds one Python-Markdown, which keeps state while it converts: one per renderer (and
    so per worker process)."""
    renderer = markdown_renderer()
    if publish:
        renderer.treeprocessors.register(_DropPrivateSections(renderer), "drop_private_sections", -1)
    renderer.treeprocessors.register(_HeadingsDown(renderer), "headings_down", -2)

    def convert(text: str, links: Mapping[str, str] | None = None) -> str:
        if markdown_budget(text)[1]:  # journal check says why (wikilinks.warnings)
            return _plain_text(text, publish)
        renderer.reset()
        renderer.inlinePatterns["wikilink"].links = links or {}
        return sanitised_html(renderer.convert(text))

    return convert


_LEADING_MARKS = re.compile(r"^(?:[\s>+\-]|\d+[.)])*")


def _plain_text(text: str, publish: bool) -> str:
    """A body over the Markdown budget (wikilinks.markdown_budget) as the text it is, escaped:
    a paragraph for each run of lines between blank lines, a line break between lines. For a
    publish build, nothing from the first line that could be a Private heading on (any line
    that says Private, as is_private_heading reads it, after the quote and list marks it
    starts with): with no Markdown read, hiding too much is the safe mistake. Escaped text in
    <p> and <br> is what the allowlist would keep of it, so it does not go through nh3, which
    took seven seconds over a body of 950,000 ampersands."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if publish:
        private = next(
            (index for index, line in enumerate(lines) if is_private_heading(_LEADING_MARKS.sub("", line))), None
        )
        lines = lines[:private]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(html.escape(line.strip(), quote=False))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n".join(f"<p>{'<br>'.join(paragraph)}</p>" for paragraph in paragraphs if paragraph)


class _Wikilink(inlinepatterns.InlineProcessor):
    """`[[target]]` or `[[target|label]]` as a link to `links[target]`, showing the label as
    written (no Markdown inside it, as in Obsidian); a target `links` does not hold shows
    as the label alone, in plain text. Code spans and fenced code never reach it."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(WIKILINK.pattern, md)
        self.links: Mapping[str, str] = {}

    def handleMatch(self, match: re.Match, data: str):
        target, label = parts(match)
        if not target:
            return None, None, None
        href = self.links.get(target)
        if href is None:
            return util.AtomicString(label), match.start(0), match.end(0)
        link = etree.Element("a", {"href": href})
        link.text = util.AtomicString(label)
        return link, match.start(0), match.end(0)


class _BoundedLinkText:
    """getText, the search for the `]` that ends a link's text, giving up past LINK_NESTING, and
    getLink, the search for the `)` after it, shown only the next LINK_TARGET characters."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        depth = 1
        for bracket in _BRACKET.finditer(data, index):
            depth += 1 if bracket.group() == "[" else -1
            if depth == 0:
                return data[index : bracket.start()], bracket.end(), True
            if depth > LINK_NESTING:
                break
        return "", index, False

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        href, title, end, handled = super().getLink(data[index : index + LINK_TARGET], 0)
        return href, title, index + end, handled


_BRACKET = re.compile(r"[\[\]]")


class _BoundedLink(_BoundedLinkText, inlinepatterns.LinkInlineProcessor):
    pass


class _BoundedReference(_BoundedLinkText, inlinepatterns.ReferenceInlineProcessor):
    pass


class _BoundedShortReference(_BoundedLinkText, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class _LinearItems:
    """get_items as Python-Markdown has it, with each item's lines gathered in a list: it added
    each line to a growing string, so a long item took time in the square of its length."""

    def get_items(self, block: str) -> list[str]:
        items: list[list[str]] = []
        for line in block.split("\n"):
            child = self.CHILD_RE.match(line)
            if child:
                if not items and self.TAG == "ol":
                    self.STARTSWITH = re.match(r"\d+", child.group(1)).group()  # type: ignore[union-attr]  # an ordered marker starts with digits
                items.append([child.group(3)])
            elif self.INDENT_RE.match(line) and not items[-1][0].startswith(" " * self.tab_length):
                items.append([line])
            else:
                items[-1].append(line)
        return ["\n".join(lines) for lines in items]


class _OrderedList(_LinearItems, SaneOListProcessor):
    pass


class _BulletList(_LinearItems, SaneUListProcessor):
    pass


class _TooDeep(blockprocessors.BlockProcessor):
    """A block nested deeper than BLOCK_NESTING (lists in lists, quotes) becomes a paragraph of
    its lines, without their indentation (a page would not show it, and a deep list is mostly
    indentation)."""

    def test(self, parent, block: str) -> bool:
        return len(self.parser.state) >= BLOCK_NESTING

    def run(self, parent, blocks: list[str]) -> None:
        paragraph = etree.SubElement(parent, "p")
        paragraph.text = "\n".join(line.strip() for line in blocks.pop(0).strip().split("\n"))


class _Flatten(treeprocessors.Treeprocessor):
    """An element more than 2 * BLOCK_NESTING deep keeps its text and loses its children: list
    items apart by blank lines nest by their indentation alone, which _TooDeep does not see."""

    def run(self, root: etree.Element) -> None:
        deepest = 2 * BLOCK_NESTING
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            for child in element:
                if depth + 1 < deepest:
                    stack.append((child, depth + 1))
                elif len(child):
                    text = "\n".join(part.strip() for part in child.itertext() if part.strip())
                    tail = child.tail
                    child.clear()
                    child.text, child.tail = text, tail


class _Abbreviations(AbbrTreeprocessor):
    """The abbr extension's tree processor, with a text's abbreviations put in place at once:
    it inserted each at the front of its element's children, and looked up each element's
    place among its siblings, both in time with the square of their number (100,000 uses of
    one abbreviation in a paragraph took over two seconds). The same elements, in the same
    order, with the same texts."""

    def iter_element(self, el: etree.Element, parent: etree.Element | None = None, index: int = 0) -> None:
        # Last child first, as the extension goes: what is put after a child leaves the
        # places of the children before it as they were.
        for at in range(len(el) - 1, -1, -1):
            self.iter_element(el[at], el, at)
        if el.text and not isinstance(el.text, util.AtomicString):
            el.text, found = self._split(el.text)
            el[0:0] = found
        if parent is not None and el.tail and not isinstance(el.tail, util.AtomicString):
            el.tail, found = self._split(el.tail)
            parent[index + 1 : index + 1] = found

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        """(the text before the first abbreviation, an element for each, the text after it up
        to the next one its tail)."""
        found_by = self.RE.finditer  # type: ignore[union-attr]  # run() compiles RE before it walks the tree
        matches = [match for match in found_by(text) if self.abbrs[match.group(0)]]
        if not matches:
            return text, []
        ends = [match.start() for match in matches[1:]] + [len(text)]
        found = [
            self.create_element(self.abbrs[match.group(0)], match.group(0), text[match.end() : end])
            for match, end in zip(matches, ends)
        ]
        return text[: matches[0].start()], found
