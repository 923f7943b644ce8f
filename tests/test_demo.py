"""The repository's demo journal (entries/ and journal.yaml) stays valid and shows something in
every view on the day the demo is built for, so a first-time reader sees a full dashboard."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup
from conftest import TODAY_ARG, run_cli


def test_demo_checks_clean(demo_root):
    result = run_cli("check", "--root", str(demo_root), "--today", TODAY_ARG)
    assert (result.returncode, result.stderr) == (0, "")


def test_demo_overdue_has_every_section(demo_root):
    result = run_cli("overdue", "--json", "--root", str(demo_root), "--today", TODAY_ARG)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    empty = [section for section in ("mine", "theirs", "follow_ups", "going_cold") if not data[section]]
    assert empty == []


def test_demo_reciprocity_is_lopsided_both_ways(demo_root):
    result = run_cli("reciprocity", "--json", "--root", str(demo_root), "--today", TODAY_ARG)
    assert result.returncode == 0, result.stderr
    balances = [row["balance"] for row in json.loads(result.stdout)]
    assert max(balances) > 0 and min(balances) < 0


def _listed_above(section) -> int:
    """How many of a section's promises it leaves to a list above it (each is listed once)."""
    note = section.select_one("p.more")
    if note is None:
        return 0
    said = re.match(r"(?:The other|All) (\d+|one) (?:is|are) listed above|It is listed above", note.get_text())
    assert said, note.get_text()
    return 1 if said.group(1) in (None, "one") else int(said.group(1))


def test_demo_dashboard_shows_every_section(demo_site):
    """Decisions, consent, the meetings coming up and the coming week are only on the site, not
    in the JSON: the dashboard shows the meetings coming up and the recent ones in full, and a
    count for each other list that links to it in full, one click away."""
    out = demo_site
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html5lib")
    assert [name for name in ("now", "coming-up", "recent") if not _has_items(soup.find(id=name))] == []
    counts = {a["href"]: int(a.strong.get_text()) for a in soup.select("#counts a")}
    lists = ("mine", "theirs", "follow-ups", "decisions", "cold", "consent", "upcoming")
    assert list(counts) == [f"overdue/index.html#{name}" for name in lists]
    overdue = BeautifulSoup((out / "overdue/index.html").read_text(encoding="utf-8"), "html5lib")
    assert {
        name: len(overdue.find(id=name).select(".items > li")) + _listed_above(overdue.find(id=name)) for name in lists
    } == {href.split("#")[1]: count for href, count in counts.items()}
    assert all(counts.values())  # the demo has something in every list


def test_every_link_on_the_demo_dashboard_reaches_its_anchor(demo_site):
    out = demo_site
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html5lib")
    missing = []
    for a in soup.select("main a[href*='#']"):
        path, anchor = a["href"].split("#")
        target = BeautifulSoup((out / (path or "index.html")).read_text(encoding="utf-8"), "html5lib")
        if target.find(id=anchor) is None:
            missing.append(a["href"])
    assert soup.select("#counts a") and missing == []


def _has_items(section) -> bool:
    """A list item or a table row: the sign of a section with content, not its empty text."""
    return section is not None and (section.find("li") is not None or section.find("tr") is not None)
