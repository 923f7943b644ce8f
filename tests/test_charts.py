"""The pictures: their geometry for small fixed inputs, and the inline SVG on the built pages
(a text alternative each, nothing that runs or fetches), in Chromium on a phone."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, TODAY_ARG
from test_site import SMALL_JOURNAL

from journal import charts
from journal.build import build
from journal.model import Commitment, Meeting
from journal.plan import PAGE_ROWS
from journal.views import Reciprocity


def meetings_on(*days: date) -> list[Meeting]:
    return [Meeting(f"m{number}", day, f"Meeting {number}") for number, day in enumerate(days)]


def test_a_gap_longer_than_the_cadence_is_marked_from_where_the_cadence_ran_out():
    rhythm = charts.meeting_rhythm(
        meetings_on(
            date(2026, 6, 1),
            date(2026, 6, 21),
            date(2026, 9, 19),
            date(2026, 10, 9),
            date(2026, 12, 1),
        ),
        30,
        TODAY,
    )
    # Six months at least, from the month of the first meeting: 2026-05-01 to today, 206 days.
    assert rhythm.start == date(2026, 5, 1)
    assert [(dot.on, dot.x) for dot in rhythm.dots] == [
        (date(2026, 6, 1), 15.05),
        (date(2026, 6, 21), 24.76),
        (date(2026, 9, 19), 68.45),
        (date(2026, 10, 9), 78.16),
    ]  # the meeting after today has not happened
    assert [(gap.x1, gap.x2, gap.late_x, gap.days, gap.ongoing) for gap in rhythm.gaps] == [
        (15.05, 24.76, None, 20, False),
        (24.76, 68.45, 39.32, 90, False),  # late from 2026-07-21, 30 days after 2026-06-21
        (68.45, 78.16, None, 20, False),
        (78.16, 100.0, 92.72, 45, True),  # and late again now
    ]
    assert (rhythm.late_now, len(rhythm.earlier_late_gaps), rhythm.longest_earlier) == (45, 1, 90)
    assert [(tick.x, tick.label) for tick in rhythm.ticks] == [
        (0.0, "May"),
        (15.05, "Jun"),
        (29.61, "Jul"),
        (44.66, "Aug"),
        (59.71, "Sep"),
        (74.27, "Oct"),
        (89.32, "Nov"),
    ]


def test_a_rhythm_looks_back_two_years_and_a_gap_from_before_starts_at_the_edge():
    rhythm = charts.meeting_rhythm(meetings_on(date(2023, 3, 1)), 90, TODAY)
    assert rhythm.start == date(2024, 11, 1)
    assert rhythm.dots == ()
    assert [(gap.x1, gap.x2, gap.late_x, gap.days, gap.ongoing) for gap in rhythm.gaps] == [
        (0.0, 100.0, 0.0, 1363, True)
    ]
    assert [tick.label for tick in rhythm.ticks] == ["2025", "Apr", "Jul", "Oct", "2026", "Apr", "Jul", "Oct"]
    assert charts.meeting_rhythm([], 90, TODAY) is None
    assert charts.meeting_rhythm(meetings_on(date(2026, 12, 1)), 90, TODAY) is None


def row(contact: str, given: int, received: int) -> Reciprocity:
    return Reciprocity(contact, given, received, None)


def test_balance_bars_point_each_way_from_the_axis_in_proportion():
    chart = charts.balance_chart([row("ann", 2, 1), row("bob", 0, 4), row("cy", 1, 1), row("dee", 0, 0)])
    assert [(b.contact, b.balance, b.gave_width, b.got_width) for b in chart.bars] == [
        ("bob", -4, 0.0, 42.0),  # got 4, the most of anyone: the longest bar, to the left; I owe bob most, so first
        ("cy", 0, 10.5, 10.5),
        ("ann", 1, 21.0, 10.5),  # gave 2: half of the longest bar, to the right
    ]  # dee only made promises: nothing to draw
    assert chart.total == 3


def test_the_balance_chart_keeps_the_contacts_most_out_of_balance():
    rows = [row(f"c{n}", n, 0) for n in range(1, 6)] + [row("owed", 0, 9)]
    chart = charts.balance_chart(rows, limit=3)
    assert [b.contact for b in chart.bars] == ["owed", "c4", "c5"]  # the one I owe first, as in the table
    assert chart.total == 6


def promise(due: date, done: bool = False, done_on: date | None = None, dropped: str = "") -> Commitment:
    return Commitment("me", "ann", "a thing", "other", date(2025, 1, 1), due, done, done_on, dropped)


def test_my_word_counts_promises_by_the_month_they_fell_due():
    word = charts.word_kept(
        [
            promise(date(2026, 11, 2), True, date(2026, 11, 1)),  # on time
            promise(date(2026, 11, 3), True),  # done with no date: taken on trust
            promise(date(2026, 11, 4), True, date(2026, 11, 20)),  # late
            promise(date(2026, 10, 4)),  # open and overdue
            promise(date(2026, 10, 5), dropped="no longer needed"),  # released: not counted
            promise(date(2026, 11, 30)),  # not due yet
            promise(date(2025, 11, 30)),  # before the twelve months
        ],
        TODAY,
    )
    assert [column.month for column in word.columns] == [date(2025, 12, 1)] + [
        date(2026, month, 1) for month in range(1, 12)
    ]
    assert [(c.on_time, c.late, c.not_kept) for c in word.columns[-2:]] == [(0, 0, 1), (2, 1, 0)]
    assert [(c.on_time_height, c.late_height, c.not_kept_height) for c in word.columns[-2:]] == [
        (0.0, 0.0, 33.3),
        (66.7, 33.3, 0.0),
    ]
    assert (word.on_time, word.late, word.not_kept, word.total) == (2, 1, 1, 4)
    assert sum(column.total for column in word.columns[:-2]) == 0


@pytest.fixture
def site(make_journal, cli):
    root = make_journal(
        {
            **SMALL_JOURNAL,
            "entries/contacts/evil.md": '---\nname: <b>Evil</b> & "Co"\n---\n',
            "entries/2026/2026-11-01-evil.md": '---\ndate: 2026-11-01\nwith: <b>Evil</b> & "Co"\ngave:\n  - to: <b>Evil</b> & "Co"\n    what: a <script>\n---\n',
        }
    )
    assert cli("build", "--root", str(root), "--today", TODAY_ARG).returncode == 0
    return root / "site"


def chart_of(soup: BeautifulSoup, figure_class: str):
    figure = soup.find("figure", class_=figure_class)
    assert figure is not None, f"no {figure_class}"
    svg = figure.find("svg", class_="chart-svg")
    assert svg["role"] == "img"
    named = [soup.find(id=name) for name in svg["aria-labelledby"].split()]
    assert [element.name for element in named] == ["title", "desc"]
    assert all(element.parent is svg and element.get_text(strip=True) for element in named)
    assert figure.find("figcaption").get_text(strip=True)
    return svg


def test_the_contact_page_draws_the_rhythm_of_meetings_with_a_text_alternative(site):
    soup = BeautifulSoup((site / "contacts/pat-lee.html").read_text(encoding="utf-8"), "html.parser")
    svg = chart_of(soup, "rhythm-chart")
    assert svg.find("title").get_text() == "Meetings with Pat Lee since May 2026, against a cadence of every 30 days"
    assert svg.find("desc").get_text(" ", strip=True).endswith("Meetings on 2026-10-01.")
    assert " ".join(soup.find("figure", class_="rhythm-chart").figcaption.get_text().split()) == (
        "1 meeting since May 2026, against a cadence of every 30 days. No meeting for 53 days now, "
        "23 days past the cadence. The days past the cadence are drawn as bars."
    )
    assert [circle["cx"] for circle in svg.find_all("circle", class_="chart-dot")] == ["74.27%"]  # 2026-10-01
    late = svg.find_all("g", class_="chart-late-gap")
    assert len(late) == 1
    # The days past the cadence as a bar, and at least 18 px of one, ending today.
    assert [rect.attrs for rect in late[0].find_all("rect")] == [
        {"x": "88.83%", "y": "25", "width": "11.17%", "height": "10"},
        {"x": "100%", "y": "25", "width": "18", "height": "10", "transform": "translate(-18 0)"},
    ]
    # The rhythm comes after the brief and the card of facts, before the promises.
    sections = [section["id"] for section in soup.find_all("section")]
    assert sections[:3] == ["before-you-meet", "rhythm", "promises"]


def test_the_reciprocity_page_draws_the_balance_and_my_word_with_text_alternatives(site):
    soup = BeautifulSoup((site / "reciprocity/index.html").read_text(encoding="utf-8"), "html.parser")
    balance = chart_of(soup, "balance-chart")
    assert balance.find("desc").get_text() == (
        'Terry Nguyen: gave 1, got 1, balance 0; <b>Evil</b> & "Co": gave 1, got 0, balance +1.'
    )
    # Each name with its balance right beside it.
    assert [
        (text.find(class_="chart-name").get_text(), text.find(class_="chart-balance").get_text())
        for text in balance.find_all("text")
        if text.find(class_="chart-name")
    ] == [("Terry Nguyen", "0"), ('<b>Evil</b> & "Co"', "+1")]
    assert balance.find("b") is None  # a name is text, never markup
    word = chart_of(soup, "word-chart")
    assert "Oct 2026: 0 kept on time, 0 kept late, 1 open and overdue" in word.find("desc").get_text()


def test_no_chart_runs_script_or_links_anywhere(site):
    allowed = {"svg", "title", "desc", "text", "tspan", "line", "rect", "circle", "g", "defs", "pattern"}
    attributes = {
        "class",
        "role",
        "aria-labelledby",
        "aria-hidden",
        "id",
        "width",
        "height",
        "x",
        "y",
        "dx",
        "x1",
        "x2",
        "y1",
        "y2",
        "cx",
        "cy",
        "r",
        "text-anchor",
        "transform",
        "patternunits",  # as html.parser reads them: lower case
        "patterntransform",
    }
    svgs = [
        svg
        for path in site.rglob("*.html")
        for svg in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("svg")
    ]
    assert len(svgs) >= 4
    for svg in svgs:
        for element in [svg, *svg.find_all(True)]:
            assert element.name in allowed, element.name
            assert set(element.attrs) <= attributes, element.attrs


def test_the_charts_fit_a_phone_and_name_themselves(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        phone = context.new_page()
        for name in ("contacts/pat-lee.html", "contacts/terry-nguyen.html", "reciprocity/index.html"):
            phone.goto((site / name).as_uri())
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, name
            boxes = phone.eval_on_selector_all(
                "svg.chart-svg",
                """svgs => svgs.map(svg => {
                const box = svg.getBoundingClientRect();
                return [box.left, box.right, box.height];
            })""",
            )
            assert boxes, name
            for left, right, height in boxes:
                assert 0 <= left and right <= 390 and height > 40, (name, left, right, height)
            labels = phone.eval_on_selector_all(
                "svg.chart-svg",
                """svgs => svgs.map(svg =>
                svg.getAttribute('aria-labelledby').split(' ').map(id => document.getElementById(id).textContent.trim()))""",
            )
            assert all(all(labels_of_one) for labels_of_one in labels), name
    finally:
        context.close()


def test_a_long_reciprocity_list_draws_its_charts_once_on_the_first_page(make_journal):
    files = {
        f"entries/2026-11-{1 + index % 20:02d}-n{index}.md": f"---\ndate: 2026-11-{1 + index % 20:02d}\nwith: Person {index}\ngave:\n  - to: Person {index}\n    what: a lead\n    kind: lead\n"
        + (f"received:\n  - from: Person {index}\n    what: a favour\n    kind: favor\n" * (index % 2))
        + "---\n"
        for index in range(PAGE_ROWS + 5)
    }
    root = make_journal(files)
    assert not build(root, root / "site", TODAY).problems
    first = BeautifulSoup((root / "site/reciprocity/index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(first.select("figure.balance-chart .chart-name")) == charts.BALANCE_ROWS
    assert (
        "The 12 contacts most out of balance, of 205; the table lists everyone."
        in first.select_one("figure.balance-chart figcaption").get_text()
    )
    assert first.select_one("#word p.empty").get_text() == "None of my promises fell due in the last 12 months."
    second = BeautifulSoup((root / "site/reciprocity/index/2.html").read_text(encoding="utf-8"), "html.parser")
    assert second.select("figure") == [] and second.select("#word") == []


def test_chart_colours_follow_the_colour_scheme_on_screen_and_stay_light_on_paper(site, page):
    page.goto((site / "reciprocity/index.html").as_uri())
    fill = "getComputedStyle(document.querySelector('rect.chart-gave')).fill"
    page.emulate_media(media="screen", color_scheme="light")
    light = page.evaluate(fill)
    page.emulate_media(media="screen", color_scheme="dark")
    dark = page.evaluate(fill)
    page.emulate_media(media="print", color_scheme="dark")
    assert (light, dark, page.evaluate(fill)) == ("rgb(27, 94, 155)", "rgb(108, 180, 240)", "rgb(27, 94, 155)")
    assert page.is_visible("svg.chart-svg")
