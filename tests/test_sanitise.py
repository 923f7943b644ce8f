"""Rendered Markdown holds only what the allowlist names, and a hostile body cannot make rendering
slow or deep: every payload a note, a card or an import can carry, with the exact HTML it becomes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import hypothesis
import pytest
from hypothesis import strategies
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor

from journal.prose import (
    BLOCK_NESTING,
    LINK_NESTING,
    LINK_TARGET,
    MARKDOWN_SETTINGS,
    converter,
    markdown_renderer,
    sanitised_html,
)

REL = 'rel="noopener noreferrer nofollow"'


def html(text: str) -> str:
    """What the templates' `markdown` filter makes of a body."""
    return converter()(text)


SCRIPT_LINKS = [
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](  javascript:alert(1)  )",
    "[a](<javascript:alert(1)>)",
    "[a](&#106;avascript:alert(1))",
    "[a](&#x6A;avascript&#58;alert(1))",
    "[a](javascript&colon;alert(1))",
    "[a](java\nscript:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a](file:///etc/passwd)",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "[a]\n\n[a]: JAVASCRIPT:alert(1)",
    "[a][r]\n\n[r]: <javascript:alert(1)>",
    "[a][r]\n\n[r]: &#106;avascript:alert(1)",
]


@pytest.mark.parametrize("note", SCRIPT_LINKS)
def test_a_script_link_in_any_spelling_loses_its_address(note):
    assert html(note) == f"<p><a {REL}>a</a></p>"


@pytest.mark.parametrize(
    "note, expected",
    [
        (
            '[a](https://ok.example/x?y=1&z=2 "T")',
            f'<p><a href="https://ok.example/x?y=1&amp;z=2" title="T" {REL}>a</a></p>',
        ),
        ("<http://ok.example/>", f'<p><a href="http://ok.example/" {REL}>http://ok.example/</a></p>'),
        ("<pat@example.com>", f'<p><a href="mailto:pat@example.com" {REL}>pat@example.com</a></p>'),
        ("[call](tel:+15550100)", f'<p><a href="tel:+15550100" {REL}>call</a></p>'),
        ("[Pat](../contacts/pat-lee.html)", f'<p><a href="../contacts/pat-lee.html" {REL}>Pat</a></p>'),
        ("[top](#fn:1)", f'<p><a href="#fn:1" {REL}>top</a></p>'),
    ],
)
def test_web_mail_phone_and_site_links_stay_clickable(note, expected):
    assert html(note) == expected


@pytest.mark.parametrize(
    "note, expected",
    [
        (
            "Hello\n{: tabindex=0 autofocus onfocus=alert(document.domain) }",
            "<p>Hello\n{: tabindex=0 autofocus onfocus=alert(document.domain) }</p>",
        ),
        ("# Title {: onclick=alert(1) }", "<h2>Title {: onclick=alert(1) }</h2>"),
        (
            'Hello\n{: style="background:url(http://evil.example/x.png)" }',
            '<p>Hello\n{: style="background:url(http://evil.example/x.png)" }</p>',
        ),
        ("- item\n{: onmouseover=alert(1) }", "<ul>\n<li>item\n{: onmouseover=alert(1) }</li>\n</ul>"),
        (
            "[a](https://ok.example/){: onmouseover=alert(1) }",
            f'<p><a href="https://ok.example/" {REL}>a</a>{{: onmouseover=alert(1) }}</p>',
        ),
    ],
)
def test_attribute_lists_are_text_attr_list_is_not_enabled(note, expected):
    assert html(note) == expected


@pytest.mark.parametrize(
    "note, expected",
    [
        ('<script>alert("x")</script>', '<p>&lt;script&gt;alert("x")&lt;/script&gt;</p>'),
        ("x <img src=x onerror=alert(1)>", "<p>x &lt;img src=x onerror=alert(1)&gt;</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>'),
        ("<svg onload=alert(1)>", "<p>&lt;svg onload=alert(1)&gt;</p>"),
        (
            '<iframe src="https://evil.example/"></iframe>',
            '<p>&lt;iframe src="https://evil.example/"&gt;&lt;/iframe&gt;</p>',
        ),
        (
            "<style>body{background:url(http://evil.example/)}</style>",
            "<p>&lt;style&gt;body{background:url(http://evil.example/)}&lt;/style&gt;</p>",
        ),
        ("<div onclick=alert(1)>\nx\n</div>", "<p>&lt;div onclick=alert(1)&gt;\nx\n&lt;/div&gt;</p>"),
        ("<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>"),
    ],
)
def test_raw_html_is_text(note, expected):
    assert html(note) == expected


@pytest.mark.parametrize(
    "note, expected",
    [
        ("![i](http://evil.example/i.png)", "<p>![i](http://evil.example/i.png)</p>"),
        ("![i]\n\n[i]: http://evil.example/i.png", f'<p>!<a href="http://evil.example/i.png" {REL}>i</a></p>'),
        ("![i][r]\n\n[r]: http://evil.example/i.png", f'<p>![i]<a href="http://evil.example/i.png" {REL}>r</a></p>'),
    ],
)
def test_images_never_load_an_image_reference_is_a_plain_link(note, expected):
    assert html(note) == expected


def test_attributes_outside_the_allowlist_are_dropped():
    assert html("```{ .py onclick=alert(1) #search }\nx\n```") == '<pre><code class="language-py">x\n</code></pre>'
    assert html('[a](https://ok.example/ "t\\" onmouseover=\\"alert(1)")') == (
        f'<p><a href="https://ok.example/" title="t\\&quot; onmouseover=\\&quot;alert(1)" {REL}>a</a></p>'
    )
    assert (
        sanitised_html(
            '<p id="search" class="x" style="color:red" onclick="alert(1)">'
            '<a class="footnote-ref evil" href="https://ok.example/" target="_top">a</a>'
            '<img src="https://evil.example/i.png"><script>alert(1)</script></p>'
        )
        == f'<p><a {REL} href="https://ok.example/">a</a></p>'
    )


def test_friendly_markdown_renders_as_before():
    note = (
        "# Coffee\n\nPat *wants* **printers** and `code`.\n\n"
        "1. one\n2. two\n\n- a\n    - b\n\n"
        "| Who | Owes |\n|:--|--:|\n| Pat | 2 |\n\n"
        "Term\n:   Definition\n\n*[BNI]: Business Network International\n\nAt BNI[^n].\n\n"
        "> quoted\n\n```python\nprint(1)\n```\n\n[^n]: The Tuesday group.\n"
    )
    assert (
        html(note)
        == f"""<h2>Coffee</h2>
<p>Pat <em>wants</em> <strong>printers</strong> and <code>code</code>.</p>
<ol>
<li>one</li>
<li>two</li>
</ol>
<ul>
<li>a<ul>
<li>b</li>
</ul>
</li>
</ul>
<table>
<thead>
<tr>
<th align="left">Who</th>
<th align="right">Owes</th>
</tr>
</thead>
<tbody>
<tr>
<td align="left">Pat</td>
<td align="right">2</td>
</tr>
</tbody>
</table>
<dl>
<dt>Term</dt>
<dd>Definition</dd>
</dl>
<p>At <abbr title="Business Network International">BNI</abbr><sup id="fnref:n"><a class="footnote-ref" href="#fn:n" {REL}>1</a></sup>.</p>
<blockquote>
<p>quoted</p>
</blockquote>
<pre><code class="language-python">print(1)
</code></pre>
<div class="footnote">
<hr>
<ol>
<li id="fn:n">
<p>The Tuesday group.&nbsp;<a class="footnote-backref" href="#fnref:n" title="Jump back to footnote 1 in the text" {REL}>↩</a></p>
</li>
</ol>
</div>"""
    )


def test_the_cache_key_names_the_sanitiser_and_is_the_same_in_every_process():
    """A build cache made before sanitising (or with another allowlist) is never reused; one made
    by the same settings always is."""
    assert "nh3" in MARKDOWN_SETTINGS and "attr_list" not in MARKDOWN_SETTINGS and "'extra'" not in MARKDOWN_SETTINGS
    printed = {
        subprocess.run(
            [sys.executable, "-c", "from journal.prose import MARKDOWN_SETTINGS; print(MARKDOWN_SETTINGS)"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert printed == {MARKDOWN_SETTINGS + "\n"}


@pytest.mark.parametrize("note", ["[" * 20000, "[" * 489 + " text", "[^" * 10000, "[a](" * 5000])
def test_unclosed_brackets_are_text(note):
    assert html(note) == f"<p>{note}</p>"


def test_links_nest_and_reach_only_so_far():
    deepest = "[ " * LINK_NESTING + "a" + " ]" * LINK_NESTING  # spaced: `[[a]]` is a wikilink
    assert html(f"{deepest}(https://ok.example/)") == f'<p><a href="https://ok.example/" {REL}>{deepest[1:-1]}</a></p>'
    too_deep = "[" + deepest + "]"
    assert html(f"{too_deep}(https://ok.example/)") == f"<p>{too_deep}(https://ok.example/)</p>"
    longest = "https://ok.example/" + "a" * (LINK_TARGET - len("(https://ok.example/)"))
    assert html(f"[a]({longest})") == f'<p><a href="{longest}" {REL}>a</a></p>'
    assert html(f"[a]({longest}a)") == f"<p>[a]({longest}a)</p>"


class _Depth(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.depth = self.deepest = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "hr"):
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        self.depth -= 1


@pytest.mark.parametrize(
    "note",
    [
        "".join("  " * level + "- zq\n" for level in range(600)),
        "".join("    " * level + "- zq\n" for level in range(600)),
        "".join("    " * level + "- zq\n\n" for level in range(1000)),
        ">" * 2000 + " zq",
        "- " * 2000 + "zq",
        "> - " * 2000 + "zq",
        "Text[^n]\n\n[^n]: " + "".join("    " * level + "- zq\n\n" for level in range(500)),
    ],
)
def test_deep_nesting_is_flattened_not_a_recursion_error(note):
    rendered = html(note)
    assert _Depth(rendered).deepest <= 2 * BLOCK_NESTING + 4
    assert rendered.count("zq") == note.count("zq")


def test_a_list_nests_eight_levels_the_rest_is_its_text():
    rendered = html("".join("    " * level + f"- {level}\n" for level in range(12)))
    assert rendered.count("<ul>") == BLOCK_NESTING // 2
    assert "<li>7<p>- 8\n- 9\n- 10\n- 11</p>" in rendered


@pytest.mark.parametrize(
    "block",
    [
        "- a\n- b\n    c\n  d\n- e",
        "- a\n\n    para\n\n        code\n- b",
        "* a\n    * b\n        * c\n* d",
        "- a\nlazy\n    - b\n    more",
    ],
)
@pytest.mark.parametrize("upstream, name", [(SaneUListProcessor, "ulist"), (SaneOListProcessor, "olist")])
def test_list_items_are_split_as_python_markdown_splits_them(block, upstream, name):
    ours = markdown_renderer().parser.blockprocessors[name]
    if name == "olist":
        block = block.replace("- ", "1. ").replace("* ", "1. ")
    theirs = upstream(markdown_renderer().parser)
    assert ours.get_items(block) == theirs.get_items(block)


_PIECES = [
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "!",
    "^",
    ":",
    "*",
    "_",
    "`",
    "```",
    "-",
    "1.",
    "#",
    "|",
    "{:",
    "}",
    "\\",
    "&",
    "&#106;",
    "javascript:",
    "data:",
    "http://x.example/",
    " ",
    "    ",
    "\n",
    "\n\n",
    "\t",
    "a",
    " onclick=alert(1) ",
    '"',
    "'",
    "[^1]",
    "[^1]:",
    "*[",
    "- ",
    "> ",
    ":   ",
    "---",
    "<script>",
    "style=",
    "é",
]


class _Allowed(HTMLParser):
    """Fails on a tag, attribute or address the allowlist does not name."""

    def handle_starttag(self, tag, attrs):
        allowed = {
            "a": {"href", "title", "class", "rel"},
            "abbr": {"title"},
            "code": {"class"},
            "div": {"class"},
            "li": {"id"},
            "ol": {"start"},
            "sup": {"id"},
            "th": {"align"},
            "td": {"align"},
        }
        assert tag in {
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
            "h1",
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
        }, tag
        for name, value in attrs:
            assert name in allowed.get(tag, ()), (tag, name)
            if name == "href":
                assert re.match(r"(https?|mailto|tel):|[^:]*($|[/?#])", value, re.IGNORECASE), value


@hypothesis.settings(max_examples=300, derandomize=True, deadline=None, database=None)
@hypothesis.given(
    strategies.lists(strategies.sampled_from(_PIECES), max_size=200).map("".join) | strategies.text(max_size=500)
)
def test_any_body_renders_within_the_allowlist(note):
    _Allowed().feed(html(note))


def test_a_journal_of_pathological_bodies_builds(make_journal, cli):
    """The cases that took minutes or ended in a RecursionError blamed on templates/meeting.html."""
    bodies = {
        "brackets": "[" * 20000,
        "footnotes": "[^" * 10000,
        "links": "[a](" * 5000,
        "bullets": "- " * 2000 + "zq",
        "list": "".join("  " * level + "- zq\n" for level in range(600)),
        "quotes": ">" * 2000 + " zq",
    }
    root = make_journal(
        {
            "journal.yaml": "title: Deep\nowner: Sam Carter\n",
            "entries/contacts/pat.md": "---\nname: Pat Lee\n---\n" + bodies["list"],
            **{
                f"entries/2026/2026-10-0{day}-{name}.md": f"---\ndate: 2026-10-0{day}\nwith: Pat Lee\n---\n{body}\n"
                for day, (name, body) in enumerate(bodies.items(), 1)
            },
        }
    )
    result = cli("build", "--root", str(root), "--today", "2026-11-01")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[" * 20000 in (root / "site/meetings/2026-10-01-brackets.html").read_text()
