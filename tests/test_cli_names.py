"""A newcomer types a name without quotes: `journal brief Dana Whitfield`, `journal new
meeting Bob Smith`. The words are the name, as if quoted."""

from __future__ import annotations

from conftest import TODAY_ARG

CARD = "---\nname: Dana Whitfield\n---\n"


def test_brief_and_new_take_a_name_of_several_words_unquoted(make_journal, cli):
    root = make_journal({"journal.yaml": "owner: Alex Sample\n", "entries/contacts/dana.md": CARD})
    brief = cli("brief", "Dana", "Whitfield", "--root", str(root), "--today", TODAY_ARG)
    assert (brief.returncode, brief.stdout.splitlines()[0]) == (0, "Before you meet Dana Whitfield")
    made = cli("new", "meeting", "Bob", "Smith", "--root", str(root), "--today", TODAY_ARG)
    assert (made.returncode, made.stdout) == (0, f"{root}/entries/2026/{TODAY_ARG}-bob-smith.md\n")
    assert 'with: ["Bob Smith"]' in (root / f"entries/2026/{TODAY_ARG}-bob-smith.md").read_text()
