"""Incremental rebuilds (what `journal serve` does on every save) give a cold build's bytes."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import site_files, write_files

from journal import plan as plan_module
from journal import sources, views
from journal.build import build, open_cache
from journal.plan import Page, SitePaths, page_plan
from journal.speed import incremental, lastbuild, parallel
from journal.speed.incremental import CHECK_EVERY, Incremental, Memo, ReadTable

TODAY = date(2026, 10, 5)

JOURNAL = {
    "journal.yaml": """
        title: Test journal
        owner: Alex
    """,
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        aliases: [Pat]
        tags: [printing]
        ---
        Pat runs the print shop.
    """,
    "entries/2026/2026-10-01-coffee-pat.md": """
        ---
        date: 2026-10-01
        with: Pat
        tags: [printing]
        commitments:
          - by: me
            what: Send Pat the deck
            due: 2026-10-03
        ---
        # Coffee with Pat

        We talked about brochures.
    """,
    "entries/2026/2026-10-02-lunch-bob.md": """
        ---
        date: 2026-10-02
        with: Bob Smith
        ---
        # Lunch with Bob

        Bob is retiring.
    """,
}


class Warm:
    """One long-lived preview memory, as journal serve keeps it, compared with a cold build."""

    def __init__(self, root: Path, tmp: Path):
        self.root, self.tmp = root, tmp
        self.out = tmp / "warm"
        self.memory = Incremental(root, self.out)
        self.builds = 0

    def rebuild(self):
        self.first: dict[str, bytes] = {}  # the edited notes' pages, as on disk when announced
        result = self.memory.build(TODAY, first_pages=self.note_first_pages)
        assert result.problems == ()
        self.builds += 1
        cold = self.tmp / f"cold-{self.builds}"
        assert build(self.root, cold, TODAY).problems == ()
        cold_files = site_files(cold)
        assert site_files(self.out) == cold_files
        assert all(data == cold_files[path] for path, data in self.first.items())  # final when announced
        return result

    def note_first_pages(self, paths):
        self.first = {path: (self.out / path).read_bytes() for path in paths}
        self.dashboard_then = (self.out / "index.html").read_bytes()


def test_rebuilds_after_edits_renames_and_deletes_equal_cold_builds(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    warm = Warm(root, tmp_path)
    first = warm.rebuild()
    assert first.parsed == 3
    pages = sum(1 for path in first.report.written if path.endswith(".html"))
    assert first.rendered == pages  # every page; data and static files are not pages

    note = root / "entries/2026/2026-10-02-lunch-bob.md"
    note.write_text(note.read_text().replace("Bob is retiring.", "Bob is retiring in May."))
    edited = warm.rebuild()
    assert edited.parsed == 1
    assert 0 < edited.rendered < pages
    assert list(warm.first) == ["meetings/2026-10-02-lunch-bob.html"]

    # The edited note's page is written first, while the rest still shows the old title.
    note.write_text(note.read_text().replace("# Lunch with Bob", "# Lunch with Bob Smith"))
    warm.rebuild()
    assert b"Lunch with Bob Smith" in warm.first["meetings/2026-10-02-lunch-bob.html"]
    assert b"Lunch with Bob Smith" not in warm.dashboard_then
    assert b"Lunch with Bob Smith" in (warm.out / "index.html").read_bytes()

    same = warm.rebuild()  # nothing changed
    assert (same.parsed, same.rendered, warm.first) == (0, 0, {})

    # An editor's save of the same size, written to a temp file and renamed over the note:
    # the preview, which re-reads only files whose stat changed, must still see it.
    temporary = note.with_name(".2026-10-02-lunch-bob.md.tmp")
    temporary.write_text(note.read_text().replace("retiring in May", "retiring in Mar"))
    os.replace(temporary, note)
    assert warm.rebuild().parsed == 1
    assert b"retiring in Mar" in (warm.out / "meetings/2026-10-02-lunch-bob.html").read_bytes()

    card = root / "entries/contacts/pat-lee.md"
    card.write_text(card.read_text().replace("Pat runs the print shop.", "Pat runs the print shop on Main St."))
    warm.rebuild()
    assert list(warm.first) == ["contacts/pat-lee.html"]  # an edited card's page shows first too
    assert b"on Main St." in warm.first["contacts/pat-lee.html"]
    card.write_text(card.read_text().replace("name: Pat Lee", "name: Patricia Lee"))  # a name shown on many pages
    warm.rebuild()
    assert list(warm.first) == ["contacts/pat-lee.html"]

    os.rename(note, root / "entries/2026/2026-10-02-lunch-bob-smith.md")
    warm.rebuild()
    assert not (warm.out / "meetings/2026-10-02-lunch-bob.html").exists()

    (root / "entries/2026/2026-10-01-coffee-pat.md").unlink()
    warm.rebuild()
    assert not (warm.out / "meetings/2026-10-01-coffee-pat.html").exists()

    write_files(root, {"journal.yaml": "title: Renamed journal\n"})
    warm.rebuild()

    write_files(
        root,
        {
            "entries/2026/2026-10-09-call-pat.md": """
        ---
        date: 2026-10-09
        with: [Patricia Lee, Quinn]  # Patricia alone is questioned: the first name of a card
        gave:
          - to: Pat
            what: A lead for the bakery
            kind: lead
        ---
        Call.
    """
        },
    )
    warm.rebuild()


def test_a_user_template_re_renders_every_page_that_uses_it(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    warm = Warm(root, tmp_path)
    warm.rebuild()
    write_files(
        root,
        {
            "templates/meeting.html": """
        {% extends "base.html" %}
        {% block title %}{{ meeting.title }}{% endblock %}
        {% block main %}<h1>{{ meeting.title }}</h1><p>by {{ name('pat-lee') }}, {{ journal.meetings | length }} meetings, {{ meeting_of(meeting.slug).body | length }}</p>{% endblock %}
    """
        },
    )
    warm.rebuild()
    # The template reads the journal in ways the plan does not show; edits must still reach it.
    card = root / "entries/contacts/pat-lee.md"
    card.write_text(card.read_text().replace("name: Pat Lee", "name: Pat Q. Lee"))
    warm.rebuild()
    write_files(root, {"entries/2026/2026-10-03-extra.md": "---\ndate: 2026-10-03\n---\nMore.\n"})
    warm.rebuild()


def test_a_preview_starts_from_the_build_cache_and_still_equals_a_cold_build(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    assert build(root, tmp_path / "built", TODAY).problems == ()  # leaves .journal-cache/
    note = root / "entries/2026/2026-10-02-lunch-bob.md"
    note.write_text(note.read_text().replace("Bob is retiring.", "Bob is retiring soon."))
    warm = Warm(root, tmp_path)
    assert warm.rebuild().parsed == 1  # only the note edited since the build


def test_a_render_dropped_for_a_newer_save_leaves_the_memory_fit_for_the_next(make_journal, tmp_path):
    root = make_journal(JOURNAL)
    warm = Warm(root, tmp_path)
    warm.rebuild()
    note = root / "entries/2026/2026-10-02-lunch-bob.md"
    note.write_text(note.read_text().replace("# Lunch with Bob", "# Lunch with Bob Smith"))
    first = []
    dropped = warm.memory.build(TODAY, first_pages=first.append, superseded=lambda: True)
    assert dropped.superseded and dropped.problems == () and dropped.report is None
    assert first == [("meetings/2026-10-02-lunch-bob.html",)]  # shown before the render was dropped
    assert b"Lunch with Bob Smith" not in (warm.out / "index.html").read_bytes()
    note.write_text(note.read_text().replace("Bob is retiring.", "Bob retires in May."))
    warm.rebuild()  # equals a cold build
    assert b"Lunch with Bob Smith" in (warm.out / "index.html").read_bytes()


def test_a_render_dropped_after_its_last_page_leaves_nothing_to_reuse_from_it(make_journal, tmp_path):
    """The preview keeps no page bytes, only digests: a page it reuses must be on disk as it
    was rendered. A render dropped after all its pages rendered wrote none of them, so the
    next build must not take them for written."""
    root = make_journal(JOURNAL)
    warm = Warm(root, tmp_path)
    warm.rebuild()
    assert len(site_files(warm.out)) < CHECK_EVERY  # the render asks once before its pages, once after
    note = root / "entries/2026/2026-10-02-lunch-bob.md"
    note.write_text(note.read_text().replace("Bob is retiring.", "Bob retires in May."))
    asked = []

    def after_the_pages() -> bool:
        asked.append(True)
        return len(asked) > 1

    assert warm.memory.build(TODAY, superseded=after_the_pages).superseded
    assert b"Bob retires in May." not in (warm.out / "meetings/2026-10-02-lunch-bob.html").read_bytes()
    warm.rebuild()  # equals a cold build: the dropped render's pages are rendered and written now
    assert b"Bob retires in May." in (warm.out / "meetings/2026-10-02-lunch-bob.html").read_bytes()


def test_a_write_that_failed_part_way_is_followed_by_a_whole_site(make_journal, tmp_path):
    """A failed write leaves the preview's folder in an unknown state: the next build renders
    and writes every page again, though nothing changed since the failure."""
    root = make_journal(JOURNAL)
    warm = Warm(root, tmp_path)
    every_page = warm.rebuild().rendered
    shutil.rmtree(warm.out / "meetings")
    (warm.out / "meetings").write_text("a file where the meetings folder was")
    note = root / "entries/2026/2026-10-02-lunch-bob.md"
    note.write_text(note.read_text().replace("Bob is retiring.", "Bob retires in May."))
    with pytest.raises(OSError):
        warm.memory.build(TODAY)
    (warm.out / "meetings").unlink()
    assert warm.rebuild().rendered == every_page


def test_a_save_whose_first_pages_fail_part_way_leaves_none_of_them_taken_for_written(make_journal, tmp_path):
    """One save edits two notes; the second one's page fails its template after the first one's
    rendered. Neither is written, so once the mistake is fixed both are (found in review: the
    first page's new digest was kept, and the page stayed stale until the preview restarted)."""
    shipped = (Path(__file__).parents[1] / "templates/meeting.html").read_text()
    failing = shipped.replace(
        "{% block main %}", "{% block main %}{% if 'boom' in meeting.title %}{{ no_such_thing }}{% endif %}", 1
    )
    root = make_journal({**JOURNAL, "templates/meeting.html": failing})
    warm = Warm(root, tmp_path)
    warm.rebuild()
    coffee = root / "entries/2026/2026-10-01-coffee-pat.md"
    lunch = root / "entries/2026/2026-10-02-lunch-bob.md"
    coffee.write_text(coffee.read_text().replace("We talked about brochures.", "We talked about new brochures."))
    lunch.write_text(lunch.read_text().replace("# Lunch with Bob", "# Lunch with Bob boom"))
    assert warm.memory.build(TODAY, first_pages=warm.note_first_pages).problems
    lunch.write_text(lunch.read_text().replace("# Lunch with Bob boom", "# Lunch with Bob"))
    warm.rebuild()  # equals a cold build
    assert b"new brochures" in (warm.out / "meetings/2026-10-01-coffee-pat.html").read_bytes()


def test_the_reads_of_renders_never_written_do_not_pile_up(make_journal, tmp_path, monkeypatch):
    """While saves fail their checks, each renders the edited page and notes its reads, and
    nothing is written: the read table is pruned once those reads outgrow the pages' own."""
    monkeypatch.setattr(ReadTable, "SLACK", 10)
    root = make_journal(JOURNAL)
    warm = Warm(root, tmp_path)
    coffee = root / "entries/2026/2026-10-01-coffee-pat.md"
    coffee.write_text(coffee.read_text().replace("We talked", "[[Pat]] and I talked"))
    warm.rebuild()
    kept = warm.memory.page_cache.reads.size
    (root / "entries/2026/2026-09-01-me.md").write_text("---\ndate: 2026-09-01\nwith: [Alex, Pat]\n---\n# Met myself\n")
    sizes = []
    for save in range(100):
        coffee.write_text(coffee.read_text().replace("brochures", f"brochures {save}", 1))
        assert warm.memory.build(TODAY, first_pages=warm.note_first_pages).problems  # the check fails each time
        sizes.append(warm.memory.page_cache.reads.size)
    assert sizes[-1] > kept  # each failing save does note reads
    assert max(sizes) <= 2 * kept + ReadTable.SLACK + 20  # and they are pruned (20: one save's reads)


def test_the_checks_of_a_save_are_reported_with_its_other_problems_and_after_its_page(make_journal, tmp_path):
    """The preview runs the check stage once the edited note's page is out: the page shows
    at once, and the problems are the same list a cold build reports, all of them."""
    root = make_journal(JOURNAL)
    memory = Incremental(root, tmp_path / "warm")
    assert memory.build(TODAY).problems == ()
    note = root / "entries/2026/2026-10-01-coffee-pat.md"
    note.write_text(note.read_text().replace("with: Pat\n", "with: [Pat, Alex]\n"))
    shown: list[tuple[str, ...]] = []
    checked = memory.build(TODAY, first_pages=shown.append)
    assert shown == [("meetings/2026-10-01-coffee-pat.html",)]
    assert checked.problems == build(root, tmp_path / "cold", TODAY).problems
    assert "'with' lists the people you met; leave yourself out" in [problem.message for problem in checked.problems]
    bob = root / "entries/2026/2026-10-02-lunch-bob.md"
    bob.write_text(bob.read_text().replace("with: Bob Smith\n", "with: Bob Smith\nfulfills: [no-such-promise]\n"))
    both = memory.build(TODAY)
    assert both.problems == build(root, tmp_path / "cold2", TODAY).problems
    messages = [problem.message for problem in both.problems]
    assert any("no-such-promise" in message for message in messages)  # resolution
    assert "'with' lists the people you met; leave yourself out" in messages  # and the check, in one run
    bob.write_text(bob.read_text().replace("fulfills: [no-such-promise]\n", ""))
    note.write_text(note.read_text().replace("with: [Pat, Alex]\n", "with: Pat\n"))
    assert memory.build(TODAY).problems == ()  # after two failed saves, the site is whole again
    assert build(root, tmp_path / "cold3", TODAY).problems == ()
    assert site_files(tmp_path / "warm") == site_files(tmp_path / "cold3")


def test_a_first_build_across_the_cores_remembers_what_each_page_read(make_journal, tmp_path):
    """The preview's first build renders in forked workers, which send back what each page
    read by name; the values are read again here. A later save must still find the pages
    whose reads changed (a card's new name on every meeting with that person) and reuse the
    rest, and each build must equal a cold one. Run in a fresh interpreter: this one may
    run threads (the browser tests'), and then nothing forks."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: nothing forks")
    notes = {
        f"entries/2026/2026-09-{day:02d}-call-{n}.md": f"---\ndate: 2026-09-{day:02d}\nwith: {person}\n---\nCall {n}.\n"
        for n in range(parallel.MIN_ITEMS)
        for day, person in [(1 + n % 28, ["Pat", "Bob Smith", "Quinn Ray"][n % 3])]
    }
    root = make_journal({**JOURNAL, **notes})
    check = f"from test_incremental import first_build_across_the_cores as c; c({str(root)!r}, {str(tmp_path)!r})"
    ran = subprocess.run([sys.executable, "-c", check], cwd=Path(__file__).parent, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr


def first_build_across_the_cores(root: str, tmp: str) -> None:
    assert parallel.workers() > 1, "a fresh interpreter on two cores forks"
    warm = Warm(Path(root), Path(tmp))
    first = warm.rebuild()
    assert first.rendered > parallel.MIN_ITEMS
    card = Path(root) / "entries/contacts/pat-lee.md"
    card.write_text(card.read_text().replace("name: Pat Lee", "name: Patricia Lee"))
    renamed = warm.rebuild()
    pats = parallel.MIN_ITEMS // 3  # one call in three is with Pat
    assert pats < renamed.rendered < first.rendered // 2  # Pat's meetings and the pages listing them, not all


def site_stamps(site: Path) -> dict[str, tuple[bytes, int]]:
    return {path: (data, (site / path).stat().st_mtime_ns) for path, data in site_files(site).items()}


def test_a_preview_adopts_the_site_journal_build_left_only_when_it_is_current(make_journal, tmp_path):
    """Started after `journal build`, the preview serves that site until its own first build
    is done, which writes its own folder and never the root's site folder."""
    root = make_journal(JOURNAL)
    assert build(root, root / "site", TODAY).problems == ()
    built = site_stamps(root / "site")
    memory = Incremental(root, tmp_path / "warm")
    adopted = memory.adopt_built_site(TODAY)
    assert adopted is not None and adopted.adopted and adopted.page_count == len(built)
    assert (memory.site, memory.learning, memory.has_site) == (root / "site", True, True)
    assert not (tmp_path / "warm").exists()
    learned = memory.build(TODAY)
    assert learned.problems == () and learned.rendered > 0
    assert (memory.site, memory.learning) == (tmp_path / "warm", False)
    assert site_files(tmp_path / "warm") == site_files(root / "site")
    assert memory.adopt_built_site(TODAY) is None  # only ever the first build

    note = root / "entries/2026/2026-10-02-lunch-bob.md"
    note.write_text(note.read_text().replace("Bob is retiring.", "Bob is retiring soon."))
    assert memory.build(TODAY).parsed == 1
    assert b"retiring soon" in (tmp_path / "warm/meetings/2026-10-02-lunch-bob.html").read_bytes()
    assert site_stamps(root / "site") == built  # the preview never writes into the journal's site

    # Not current: a note saved since the build, another day, a site file touched since.
    assert Incremental(root, tmp_path / "a").adopt_built_site(TODAY) is None
    assert build(root, root / "site", TODAY).problems == ()
    assert Incremental(root, tmp_path / "b").adopt_built_site(date(2026, 10, 6)) is None
    os.utime(root / "site/index.html", ns=(0, 0))
    assert Incremental(root, tmp_path / "c").adopt_built_site(TODAY) is None
    assert build(root, tmp_path / "elsewhere", TODAY).problems == ()  # built with --out: not the root's site
    assert Incremental(root, tmp_path / "d").adopt_built_site(TODAY) is None


def test_a_preview_adopts_by_the_sources_stats_reading_nothing_but_never_a_changed_source(
    make_journal, tmp_path, monkeypatch
):
    """When every source was written a while before `journal build` read it, the preview
    started after the build tells from the sources' stats alone that the site is current,
    and reads no file. A source written since, even to the same size with its modification
    time set back (as `cp -p` does), is not taken for unchanged; a source touched but not
    changed is told by its text. Sources written just before the build are never told by
    their stats: file times tick coarsely."""
    root = make_journal(JOURNAL)
    assert build(root, root / "site", TODAY).problems == ()
    assert open_cache(root).last_build.stamped == b""  # written a moment ago

    monkeypatch.setattr(lastbuild, "SETTLED_NS", 50_000_000)  # a twentieth of a second, not two
    time.sleep(0.1)
    assert build(root, root / "site", TODAY).problems == ()
    assert open_cache(root).last_build.stamped != b""
    reads = []

    def counted(root: Path, path: str):
        reads.append(path)
        return sources.read_file(root, path)

    monkeypatch.setattr(incremental, "read_file", counted)
    adopted = Incremental(root, tmp_path / "a").adopt_built_site(TODAY)
    assert adopted is not None and adopted.adopted and reads == []
    assert adopted.file_count == len(JOURNAL)

    note = root / "entries/2026/2026-10-02-lunch-bob.md"
    text, before = note.read_text(), note.stat()
    note.write_text(text.replace("Bob is retiring.", "Bob is retiring!"))
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (note.stat().st_size, note.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert Incremental(root, tmp_path / "b").adopt_built_site(TODAY) is None
    assert reads  # told by the text, which changed

    note.write_text(text)
    reads.clear()
    adopted = Incremental(root, tmp_path / "c").adopt_built_site(TODAY)
    assert adopted is not None and adopted.adopted and len(reads) == len(JOURNAL) - 1  # the entries


def test_a_cards_aliases_reach_notes_that_did_not_change(make_journal, tmp_path):
    """The preview replays a note's resolution while the cards' names and aliases stay the
    same: an alias added to a card must re-resolve the notes that use it."""
    call = "entries/2026/2026-10-03-call-quinn.md"
    root = make_journal({**JOURNAL, call: "---\ndate: 2026-10-03\nwith: Quinn\n---\nCall.\n"})
    warm = Warm(root, tmp_path)
    warm.rebuild()
    assert (warm.out / "contacts/quinn.html").exists()
    card = root / "entries/contacts/pat-lee.md"
    card.write_text(card.read_text().replace("aliases: [Pat]", "aliases: [Pat, Quinn]"))
    warm.rebuild()
    assert not (warm.out / "contacts/quinn.html").exists()
    assert b"2026-10-03-call-quinn" in (warm.out / "contacts/pat-lee.html").read_bytes()


def test_a_read_table_numbers_each_distinct_read_once_and_forgets_unused_ones(make_journal, tmp_path):
    """Pages share the numbers of the reads they share; a read whose value changes is found
    once for all the pages that noted it; reads no page notes any more are forgotten."""
    root = make_journal(JOURNAL)
    memory = Incremental(root, tmp_path / "warm")
    assert memory.build(TODAY).problems == ()
    journal = memory.journal
    table = ReadTable()
    pat = table.number("name_of", (("pat-lee",), ()), journal.name_of("pat-lee"))
    assert table.number("name_of", (("pat-lee",), ()), journal.name_of("pat-lee")) == pat
    config = table.number("config", None, journal.config)
    renamed = dataclasses.replace(journal, config=dataclasses.replace(journal.config, title="Another title"))
    assert table.changed(journal) == set() and table.changed(renamed) == {config}
    table.keep([(pat,), (pat, config)])
    assert table.changed(renamed) == {config} and table.size == 2


def test_a_brief_is_remembered_while_its_inputs_are_the_very_same(make_journal, tmp_path):
    """The plan hands each contact's brief to the preview's memory under keys.Same: after an
    edit of Bob's note, Pat's brief is the one worked out before, Bob's is worked out again,
    and both equal what a journal with no memory gives."""
    root = make_journal(JOURNAL)
    memory = Incremental(root, tmp_path / "warm")
    assert memory.build(TODAY).problems == ()
    memo = Memo()
    before = views.briefs(memory.journal, TODAY, remember=memo.remember)
    memo.finish()
    note = root / "entries/2026/2026-10-02-lunch-bob.md"
    note.write_text(note.read_text().replace("Bob is retiring.", "Bob is retiring.\n\nHe asked for a card."))
    assert memory.build(TODAY).problems == ()
    after = views.briefs(memory.journal, TODAY, remember=memo.remember)
    assert after["pat-lee"] is before["pat-lee"]
    assert after["bob-smith"] is not before["bob-smith"]
    assert after == views.briefs(memory.journal, TODAY)


def test_a_reciprocity_row_is_remembered_while_its_exchanges_and_promises_are_the_very_same(make_journal, tmp_path):
    """Rows (and briefs) are kept under keys.Same of the contact's exchange meetings and
    promises: an edit of Bob's note leaves Pat's row the object it was; a favour for Bob
    written in Pat's note (a meeting Bob was not at) still reaches Bob's row and brief; each
    time both equal a memory-less computation."""
    root = make_journal(JOURNAL)
    memory = Incremental(root, tmp_path / "warm")
    memo = Memo()

    def rows() -> dict[str, views.Reciprocity]:
        assert memory.build(TODAY).problems == ()
        found = views.reciprocity(memory.journal, TODAY, remember=memo.remember)
        briefs = views.briefs(memory.journal, TODAY, remember=memo.remember)  # counts from the same ledgers
        memo.finish()
        assert found == views.reciprocity(memory.journal, TODAY) and briefs == views.briefs(memory.journal, TODAY)
        return {row.contact: row for row in found}

    pat = root / "entries/2026/2026-10-01-coffee-pat.md"
    pat.write_text(
        pat.read_text().replace("---\n# Coffee", "gave:\n  - {to: Pat, what: a draft, kind: favor}\n---\n# Coffee")
    )
    bob = root / "entries/2026/2026-10-02-lunch-bob.md"
    bob.write_text(
        bob.read_text().replace(
            "with: Bob Smith\n", "with: Bob Smith\ncommitments:\n  - {by: Bob Smith, what: a list}\n"
        )
    )
    before = rows()
    bob.write_text(bob.read_text().replace("Bob is retiring.", "Bob is retiring soon."))
    assert rows()["pat-lee"] is before["pat-lee"]
    pat.write_text(
        pat.read_text().replace("gave:\n", "gave:\n  - {to: Bob Smith, what: a printer's name, kind: referral}\n")
    )
    after = rows()
    assert (after["bob-smith"].given, before["bob-smith"].given) == (1, 0) and after["pat-lee"] == before["pat-lee"]


def test_entries_a_save_does_not_touch_are_planned_as_the_very_objects_they_were(make_journal, tmp_path, monkeypatch):
    """The plan hands each contact's brief and reciprocity row and each run of past meetings'
    page entries to the preview's memory (keys.Same): after an edit of Bob's note, Pat's
    meeting's entry (in a run of its own here) and brief are the objects planned before,
    Bob's are planned again."""
    monkeypatch.setattr(plan_module, "MEETING_RUN", 1)
    root = make_journal(JOURNAL)
    memory = Incremental(root, tmp_path / "warm")
    memo = Memo()

    def plan() -> dict[str, Page]:
        assert memory.build(TODAY).problems == ()
        pages = page_plan(memory.journal, TODAY, SitePaths(), remember=memo.remember)
        memo.finish()
        assert pages == page_plan(memory.journal, TODAY, SitePaths())
        return {page.path: page for page in pages}

    before = plan()
    bob = root / "entries/2026/2026-10-02-lunch-bob.md"
    bob.write_text(bob.read_text().replace("Bob is retiring.", "Bob is retiring in May."))
    after = plan()
    assert after["meetings/2026-10-01-coffee-pat.html"] is before["meetings/2026-10-01-coffee-pat.html"]
    assert after["meetings/2026-10-02-lunch-bob.html"] is not before["meetings/2026-10-02-lunch-bob.html"]
    pat, bob_smith = "contacts/pat-lee.html", "contacts/bob-smith.html"
    assert after[pat].context["brief"] is before[pat].context["brief"]
    assert after[bob_smith].context["brief"] is not before[bob_smith].context["brief"]


def test_a_save_reaches_every_page_it_changes(make_journal, tmp_path):
    """A favour for Terry written in Pat's note (a meeting Terry was not at), a promise of
    Pat's kept from Bob's note, a promise to Terry made at Bob's lunch, a renamed card and a
    new default cadence each reach the right pages. Warm compares every step with a cold build."""
    journal = {
        **JOURNAL,
        "entries/contacts/terry.md": "---\nname: Terry Nguyen\n---\nPrints.\n",
        "entries/2026/2026-10-01-coffee-pat.md": JOURNAL["entries/2026/2026-10-01-coffee-pat.md"].replace(
            "            due: 2026-10-03\n",
            "            due: 2026-10-03\n          - by: Pat\n            what: Send the quote\n            id: quote\n",
        ),
    }
    root = make_journal(journal)
    warm = Warm(root, tmp_path)
    warm.rebuild()
    bob = root / "entries/2026/2026-10-02-lunch-bob.md"
    bob.write_text(bob.read_text().replace("Bob is retiring.", "Bob is retiring in May."))
    warm.rebuild()
    pat = root / "entries/2026/2026-10-01-coffee-pat.md"
    pat.write_text(
        pat.read_text().replace(
            "tags: [printing]\n", "tags: [printing]\ngave:\n  - {to: Terry, what: a client, kind: referral}\n", 1
        )
    )
    warm.rebuild()
    assert "a client" in (warm.out / "contacts/terry.html").read_text()
    bob.write_text(bob.read_text().replace("with: Bob Smith\n", "with: Bob Smith\nfulfills: [quote]\n"))
    warm.rebuild()
    bob.write_text(
        bob.read_text().replace(
            "fulfills: [quote]\n", "fulfills: [quote]\ncommitments:\n  - {by: me, to: Terry, what: a print run}\n"
        )
    )
    warm.rebuild()
    assert "a print run" in (warm.out / "contacts/terry.html").read_text()
    (root / "entries/contacts/terry.md").write_text("---\nname: Terry Okafor\n---\nPrints.\n")
    warm.rebuild()
    (root / "journal.yaml").write_text("title: Test journal\nowner: Alex\ncadence_days: 3\n")
    warm.rebuild()
    terry = next(
        page for page in page_plan(warm.memory.journal, TODAY, SitePaths()) if page.path.endswith("terry.html")
    )
    assert terry.context["brief"].cadence == 3


def test_a_memo_keeps_the_parts_of_the_values_a_render_used():
    """A value made with values remembered inside its make() keeps them while it is used, so
    that when it is made again (a run of meetings after a contact's rename), its unchanged
    parts are found, though no render asked for them in between; a render that used nothing
    lets everything go."""
    memo, made = Memo(), []

    def part(number: int) -> int:
        return memo.remember(("part", number), lambda: made.append(number) or number)

    def whole(version: str) -> list[int]:
        return memo.remember(("whole", version), lambda: [part(1), part(2)])

    for version in ("first", "first", "second"):  # the second render asks for the whole only
        assert whole(version) == [1, 2]
        memo.finish()
    assert made == [1, 2]
    memo.finish()  # a render that used nothing
    assert whole("third") == [1, 2] and made == [1, 2, 1, 2]


def test_a_promise_released_by_a_note_moved_past_today_reopens_on_its_contacts_page(make_journal, tmp_path):
    """A promise released by a later note is open until that note's date; `releases` keeps no
    date on the promise, so moving the releasing note past today changes Pat's page (and an
    upcoming meeting's brief of Pat) though Pat's own note stays the very same object. Found
    by a review's random edits; Warm compares each step with a cold build."""
    root = make_journal(
        {
            "journal.yaml": "title: T\nowner: Alex\n",
            "entries/contacts/pat-lee.md": "---\nname: Pat Lee\n---\nPat.\n",
            "entries/a.md": "---\ndate: 2026-09-01\nwith: Pat Lee\ncommitments:\n"
            "  - {by: me, what: Send Pat the deck, due: 2026-09-10, id: deck}\n---\nCoffee.\n",
            "entries/b.md": "---\ndate: 2026-09-20\nwith: Sam Roe\nreleases: [deck]\n---\nLunch.\n",
            "entries/c.md": "---\ndate: 2027-02-01\nwith: Pat Lee\n---\nSoon.\n",  # upcoming: shows Pat's brief
        }
    )
    warm = Warm(root, tmp_path)
    warm.rebuild()
    releasing = root / "entries/b.md"
    for before, after in (("2026-09-20", "2027-01-20"), ("2027-01-20", "2026-09-20")):  # past today, and back
        releasing.write_text(releasing.read_text().replace(f"date: {before}", f"date: {after}"))
        warm.rebuild()


def test_the_reads_of_re_rendered_pages_are_forgotten_once_they_pile_up(make_journal, tmp_path, monkeypatch):
    """Each save re-renders the edited pages, whose old reads no page notes any more; they are
    forgotten once about SLACK of them are added, not after every save."""
    monkeypatch.setattr(ReadTable, "SLACK", 10)
    root = make_journal(JOURNAL)
    warm = Warm(root, tmp_path)
    warm.rebuild()
    table = warm.memory.page_cache.reads
    noted = warm.memory.page_cache.reads_noted()
    coffee = root / "entries/2026/2026-10-01-coffee-pat.md"
    sizes = []
    for save in range(30):
        coffee.write_text(coffee.read_text().replace("brochures", f"brochures {save}", 1))
        warm.rebuild()
        sizes.append(table.size)
    # A save here adds three reads; without pruning at commit, only the table's own guard
    # against renders never written (twice the pages' reads and SLACK) would bound it.
    assert max(sizes) <= noted + ReadTable.SLACK + 5 < 2 * noted + ReadTable.SLACK
    assert len(set(sizes)) > 1  # pruned now and then


def test_past_meetings_are_remembered_by_the_run(make_journal, tmp_path):
    """With the runs as shipped, the plan asks the memory once per run of MEETING_RUN past
    meetings, not once per meeting; a save that changes one meeting plans its run again:
    the other entries equal to before, that meeting's new. (Runs a save does not touch
    come back as the very objects: the test above, with runs of one.)"""
    root = make_journal(JOURNAL)
    memory = Incremental(root, tmp_path / "warm")
    memo = Memo()
    asked: list[tuple] = []

    def remember(key, make):
        asked.append(key)
        return memo.remember(key, make)

    def plan() -> dict[str, Page]:
        assert memory.build(TODAY).problems == ()
        asked.clear()
        pages = page_plan(memory.journal, TODAY, SitePaths(), remember=remember)
        memo.finish()
        return {page.path: page for page in pages}

    before = plan()
    runs = [key for key in asked if key[0] == "meeting pages"]
    assert len(runs) == -(-len(memory.journal.meetings) // plan_module.MEETING_RUN)
    bob = root / "entries/2026/2026-10-02-lunch-bob.md"
    bob.write_text(bob.read_text().replace("Bob is retiring.", "Bob is retiring in May."))
    after = plan()
    assert after["meetings/2026-10-01-coffee-pat.html"] == before["meetings/2026-10-01-coffee-pat.html"]
    assert after["meetings/2026-10-02-lunch-bob.html"] != before["meetings/2026-10-02-lunch-bob.html"]
