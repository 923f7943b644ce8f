"""Random saves under the preview: whatever a sequence of edits, additions and deletions of
notes, cards and journal.yaml, each preview build writes the very bytes a cold build of the
same files writes (or both report problems). The preview reuses what a save left alone
(contacts' shares of the plan, meeting pages, runs of search documents and calendar
components, remembered reads); this is the property that reuse must keep. A fixed seed and
a bounded number of examples keep the run short and the same on every machine."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import TODAY, site_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.build import build
from journal.speed.incremental import Incremental

FUZZ = settings(
    derandomize=True,
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PEOPLE = ("Pat Lee", "Bob Smith", "Terry Nguyen", "Dana Fox")
NOTES = tuple(f"entries/2026/note-{number}.md" for number in range(5))
CARDS = {person: f"entries/contacts/{person.split()[0].lower()}.md" for person in PEOPLE[:3]}
DAYS = ("2026-09-01", "2026-10-15", "2026-11-20", "2026-11-23", "2026-11-30", "2026-12-20")
IDS = ("quote", "intro", "deck")
KINDS = ("introduction", "referral", "lead", "favor")

people = st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True)


@st.composite
def promise(draw) -> str:
    """A commitment as a flow mapping: mine or theirs, maybe an id, a due date, done, an
    introduction with its consent."""
    fields = {"by": draw(st.sampled_from(("me", *PEOPLE))), "what": draw(st.sampled_from(("a deck", "a quote")))}
    if fields["by"] == "me" or draw(st.booleans()):
        fields["to"] = draw(st.sampled_from([person for person in ("me", *PEOPLE) if person != fields["by"]]))
    if draw(st.booleans()):
        fields["due"] = draw(st.sampled_from(("3d", "2w", "2027-01-15")))
    if draw(st.integers(0, 5)) == 0:
        fields["id"] = draw(st.sampled_from(IDS))
    if draw(st.integers(0, 3)) == 0:
        fields["done"] = draw(st.sampled_from(("true", "2027-01-10")))
    if fields["by"] == "me" and draw(st.integers(0, 2)) == 0:
        fields["kind"] = draw(st.sampled_from(("introduction", "referral")))
        fields["introducing"] = draw(st.sampled_from(PEOPLE))
        fields["consent"] = draw(st.sampled_from(("yes", "no", "asked")))
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields.items()) + "}"


@st.composite
def note(draw) -> str:
    met = draw(people)
    lines = [f"date: {draw(st.sampled_from(DAYS))}", f"with: [{', '.join(met)}]"]
    if draw(st.booleans()):
        lines.append(f"tags: [{draw(st.sampled_from(('bni', 'print', 'bni, print')))}]")
    if draw(st.booleans()):
        lines.append(f"follow_up: {draw(st.sampled_from(('2026-12-28', '2027-01-05')))}")
    promises = draw(st.lists(promise(), max_size=3))
    if promises:
        lines += ["commitments:", *(f"  - {p}" for p in promises)]
    for direction, other in (("gave", "to"), ("received", "from")):
        if draw(st.integers(0, 2)) == 0:
            kind, who = draw(st.sampled_from(KINDS)), draw(st.sampled_from(PEOPLE))
            lines += [f"{direction}:", f"  - {{{other}: {who}, what: a {kind}, kind: {kind}}}"]
    if draw(st.integers(0, 7)) == 0:
        lines.append(f"{draw(st.sampled_from(('fulfills', 'releases')))}: [{draw(st.sampled_from(IDS))}]")
    body = draw(st.sampled_from(("Coffee.", "Talked about [[Pat Lee]] and brochures.", "Lunch; asked about the deck.")))
    return "---\n" + "\n".join(lines) + f"\n---\n{body}\n"


@st.composite
def card(draw, person: str) -> str:
    lines = [f"name: {draw(st.sampled_from((person, person + ' Jr')))}"]
    if draw(st.booleans()):
        lines.append(f"aliases: [{person}]")
    if draw(st.booleans()):
        lines.append(f"tags: [{draw(st.sampled_from(('bni', 'print')))}]")
    if draw(st.booleans()):
        lines.append(f"status: {draw(st.sampled_from(('prospect', 'active', 'dormant')))}")
    if draw(st.booleans()):
        lines.append(f"cadence: {draw(st.sampled_from((7, 30)))}")
    if draw(st.booleans()):
        lines.append(f"decide_by: {draw(st.sampled_from(DAYS))}")
    return "---\n" + "\n".join(lines) + f"\n---\n{draw(st.sampled_from(('Prints.', 'Runs a shop.')))}\n"


@st.composite
def save(draw) -> tuple[str, str | None]:
    """(path, new text), (path, None) for a deletion, or (path, "date: DAY") for a note moved
    to another day and left otherwise as it was (a closing note crossing today, say)."""
    kind = draw(st.sampled_from(("note", "note", "note", "move", "card", "config")))
    if kind == "note":
        return draw(st.sampled_from(NOTES)), draw(st.one_of(note(), st.none()))
    if kind == "move":
        return draw(st.sampled_from(NOTES)), f"date: {draw(st.sampled_from(DAYS))}"
    if kind == "card":
        person = draw(st.sampled_from(tuple(CARDS)))
        return CARDS[person], draw(st.one_of(card(person), st.none()))
    cadence = draw(st.sampled_from((14, 45)))
    return "journal.yaml", f"title: Fuzzed\nowner: Alex\ncadence_days: {cadence}\n"


@FUZZ
@given(first=st.lists(note(), min_size=1, max_size=len(NOTES)), saves=st.lists(save(), min_size=1, max_size=6))
def test_every_preview_build_equals_a_cold_build_after_random_saves(first, saves):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "journal"
        (root / "entries/2026").mkdir(parents=True)
        (root / "entries/contacts").mkdir()
        (root / "journal.yaml").write_text("title: Fuzzed\nowner: Alex\n")
        for path, text in zip(NOTES, first):
            (root / path).write_text(text)
        preview = Incremental(root, Path(folder) / "preview")
        for step, (path, text) in enumerate([("", None), *saves]):
            if path and text is None:
                (root / path).unlink(missing_ok=True)
            elif text and text.startswith("date: "):
                if (root / path).exists():
                    lines = (root / path).read_text().split("\n")
                    (root / path).write_text("\n".join([lines[0], text, *lines[2:]]))
            elif path:
                (root / path).write_text(text or "")
            warm = preview.build(TODAY)
            cold_site = Path(folder) / f"cold-{step}"
            cold = build(root, cold_site, TODAY)
            assert bool(warm.problems) == bool(cold.problems), (warm.problems, cold.problems)
            if not cold.problems:
                assert site_files(Path(folder) / "preview") == site_files(cold_site), f"after save {step}: {path}"
            shutil.rmtree(cold_site, ignore_errors=True)
            shutil.rmtree(root / ".journal-cache", ignore_errors=True)  # each cold build starts cold


def test_the_fuzzers_note_and_card_syntax_is_what_the_journal_reads(make_journal):
    """Notes and cards written as the generators above write them load without problems, so
    the property is tested on real sites, not only on journals that fail to load."""
    root = make_journal(
        {
            "entries/2026/a.md": "---\ndate: 2026-11-20\nwith: [Pat Lee, Bob Smith]\ntags: [bni]\nfollow_up: 2027-01-05\n"
            "commitments:\n  - {by: me, what: a deck, to: Pat Lee, due: 2w, id: deck}\n"
            "  - {by: me, what: a quote, to: Bob Smith, kind: introduction, introducing: Terry Nguyen, consent: asked}\n"
            "gave:\n  - {to: Terry Nguyen, what: a lead, kind: lead}\n"
            "received:\n  - {from: Bob Smith, what: a favor, kind: favor}\n---\nCoffee.\n",
            "entries/2026/b.md": "---\ndate: 2026-11-23\nwith: [Pat Lee]\nfulfills: [deck]\n---\nLunch.\n",
            "entries/contacts/pat.md": "---\nname: Pat Lee Jr\naliases: [Pat Lee]\ncadence: 7\n---\nPrints.\n",
        }
    )
    assert build(root, root / "site", TODAY).problems == ()
