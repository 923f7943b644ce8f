"""A journal made of every XSS payload, in notes, in a contact card and through `journal import
vcard`, built and opened page by page in headless Chromium: no dialog opens and no request leaves
the site's folder, while links are focused, hovered and clicked and the search box shows results."""

from __future__ import annotations

from pathlib import Path

from conftest import open_search
from test_sanitise import SCRIPT_LINKS

ATTRIBUTE_LISTS = [
    "Autofocus\n{: tabindex=0 autofocus onfocus=alert(document.domain) }",
    "# Heading {: tabindex=0 autofocus onfocus=alert(2) }",
    'Fetch\n{: style="background:url(http://evil.example/bg.png)" }',
    "- item\n{: onmouseover=alert(3) }",
    "[hover](https://evil.example/){: onmouseover=alert(4) onclick=alert(5) }",
]
RAW_HTML = [
    '<script>alert("script")</script>',
    "<img src=x onerror=alert(6)>",
    '<a href="javascript:alert(7)">raw link</a>',
    "<svg onload=alert(8)>",
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body{background:url(http://evil.example/css.png)}</style>",
    "<div onclick=alert(9)>\nx\n</div>",
    "![pixel](http://evil.example/pixel.png)",
    "![pixel][p]\n\n[p]: http://evil.example/ref.png",
]
PAYLOADS = SCRIPT_LINKS + ATTRIBUTE_LISTS + RAW_HTML

VCARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Planted;Vera;;;\r\n"
    "FN:Vera Planted\r\n"
    "NOTE:Met at the fair.\\n{: tabindex=0 autofocus onfocus=alert(document.domain) }\r\n"
    "URL:javascript:alert(10)\r\n"
    "END:VCARD\r\n"
)


def _journal(payloads: list[str]) -> dict[str, str]:
    """One meeting per payload (a page each, so every autofocus gets its turn) and one card with all."""
    files = {
        "journal.yaml": "title: Hostile journal\nowner: Sam Carter\n",
        "entries/contacts/mallory.md": "---\nname: Mallory <script>alert(11)</script>\n---\n"
        + "\n\n".join(payloads)
        + "\n",
    }
    for number, payload in enumerate(payloads):
        files[f"entries/2026/2026-10-{number % 28 + 1:02d}-payload-{number}.md"] = (
            f"---\ndate: 2026-10-{number % 28 + 1:02d}\nwith: [Mallory <script>alert(11)</script>]\n---\n"
            f"# Payload {number} alert\n\n{payload}\n"
        )
    return files


def test_no_payload_runs_or_fetches_in_chromium(make_journal, cli, browser, tmp_path):
    root = make_journal(_journal(PAYLOADS))
    (tmp_path / "planted.vcf").write_bytes(VCARD.encode("utf-8"))
    imported = cli("import", "vcard", str(tmp_path / "planted.vcf"), "--root", str(root))
    assert imported.returncode == 0, imported.stderr
    assert (
        "{: tabindex=0 autofocus onfocus=alert(document.domain) }"
        in (root / "entries/contacts/vera-planted.md").read_text()
    )
    built = cli("build", "--root", str(root), "--today", "2026-11-01")
    assert built.returncode == 0, built.stderr + built.stdout
    site = (root / "site").resolve()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > len(PAYLOADS)

    context = browser.new_context()
    dialogs: list[str] = []
    outside: list[str] = []

    def only_the_site(route):
        url = route.request.url
        if url.startswith("file://") and Path(
            route.request.url.removeprefix("file://").split("?")[0].split("#")[0]
        ).resolve().is_relative_to(site):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_the_site)
    try:
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(f"{tab.url}: {dialog.message}"), dialog.dismiss()))
        for path in pages:
            tab.goto(path.as_uri())
            tab.wait_for_timeout(30)
            for element in tab.locator(".prose a, .prose [tabindex], .prose li, .prose p").all():
                element.focus()
                element.hover()
            for link in tab.locator(".prose a:not([href])").all():
                link.click()
            assert tab.url == path.as_uri(), f"a click on {path.relative_to(site)} left the page"
        tab.goto((site / "index.html").as_uri())
        open_search(tab)
        tab.fill("form.search input", "alert")
        tab.wait_for_selector("form.search a")
        assert tab.locator("form.search a").count() > 0
        tab.wait_for_timeout(100)
    finally:
        context.close()
    assert dialogs == []
    assert outside == []
