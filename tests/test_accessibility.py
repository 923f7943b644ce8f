"""axe-core on every kind of page the site has, in the Chromium the other browser tests drive:
no violation of any impact (minor included) on a phone (390 px) and a desktop (1280 px), in the
light and the dark scheme, for the demo's pages, the lock screen and the site once unlocked.

axe-playwright-python bundles axe-core (axe.min.js, in the package) and injects it into the
page: nothing is fetched while the tests run."""

from __future__ import annotations

import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, TODAY_ARG, run_cli
from test_small_edges import serving

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SCHEMES = ("light", "dark")
PAGES = {
    "dashboard": "index.html",
    "overdue": "overdue/index.html",
    "reciprocity": "reciprocity/index.html",
    "contacts": "contacts/index.html",
    "meetings": "meetings/index.html",
    "tags": "tags/index.html",
    "a contact": "contacts/dana-whitfield.html",
    "a meeting to come, with its brief": "meetings/2026-11-25-lunch-with-rick.html",
    "a meeting held": "meetings/2026-11-17-referral-club-breakfast.html",
    "a tag": "tags/referral-club.html",
}
PASSPHRASE = "correct horse battery staple"


def violations(tab, where: str) -> list[str]:
    """Every axe violation on the tab's page, one line each: where, rule, impact, elements."""
    found = Axe().run(tab).response
    assert found["testEngine"]["name"] == "axe-core"
    return [
        f"{where}: {rule['id']} ({rule['impact']}) {[node['target'] for node in rule['nodes']]}"
        for rule in found["violations"]
    ]


@pytest.fixture
def context_for(browser):
    contexts = []

    def make(screen: str, scheme: str):
        contexts.append(browser.new_context(viewport=SCREENS[screen], is_mobile=screen == "phone", color_scheme=scheme))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


def test_axe_finds_what_it_should(page):
    """The check is not vacuous: a page with a contrast failure and an unnamed link fails it."""
    page.set_content(
        '<html lang="en"><title>t</title><main><h1>t</h1><a href="x"></a><p style="color:#aaa">faint</p></main></html>'
    )
    rules = {line.split(": ")[1].split(" ")[0] for line in violations(page, "sample")}
    assert {"link-name", "color-contrast"} <= rules


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("screen", SCREENS)
def test_every_kind_of_page_passes_axe(demo_site, context_for, screen, scheme):
    tab = context_for(screen, scheme).new_page()
    found = []
    for kind, path in PAGES.items():
        assert (demo_site / path).exists(), path
        tab.goto((demo_site / path).as_uri())
        found += violations(tab, f"{kind} ({path}), {screen}, {scheme}")
    assert found == []


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The demo journal, published: every page behind the lock screen."""
    root = tmp_path_factory.mktemp("published-demo")
    shutil.copytree(REPO / "entries", root / "entries")
    settings = (REPO / "journal.yaml").read_text(encoding="utf-8")
    (root / "journal.yaml").write_text(settings + "publish:\n  site_id: 0c4f1e2d3b5a69788796a5b4c3d2e1f0\n")
    out = root / "site"
    result = run_cli(
        *("build", "--publish", "--root", str(root), "--out", str(out), "--today", TODAY_ARG, "--quiet"),
        env={"JOURNAL_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("screen", SCREENS)
def test_the_lock_screen_and_the_unlocked_site_pass_axe(published, context_for, screen, scheme):
    tab = context_for(screen, scheme).new_page()
    found = []
    with serving(published, []) as url:
        tab.goto(url + "index.html")
        tab.wait_for_selector("#passphrase")
        found += violations(tab, f"the lock screen, {screen}, {scheme}")
        tab.fill("#passphrase", "not the passphrase")
        tab.click("button[type=submit]")
        tab.wait_for_function("document.getElementById('message').textContent.startsWith('Wrong')")
        found += violations(tab, f"the lock screen saying the passphrase is wrong, {screen}, {scheme}")
        tab.fill("#passphrase", PASSPHRASE)
        tab.click("button[type=submit]")
        tab.wait_for_selector("header.site")
        found += violations(tab, f"the unlocked dashboard, {screen}, {scheme}")
        tab.click("header nav >> text=Contacts")
        tab.wait_for_selector("header.site")
        tab.click("main >> text=Dana Whitfield")
        tab.wait_for_selector("header.site")
        assert tab.inner_text("h1") == "Dana Whitfield"
        found += violations(tab, f"an unlocked contact, {screen}, {scheme}")
    assert found == []
