"""The smaller findings of hostile input, round three: what `journal new` writes for an odd
name, `journal import` and the owner, a site_id anyone can read."""

from __future__ import annotations

import pytest
import yaml

from journal.publish import PUBLIC_SITE_IDS


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("Dr. Ng: dentist", "2026-12-01-dr-ng-dentist.md"),
        ("#1 Fan", "2026-12-01-1-fan.md"),
        ("Ann [Acme]", "2026-12-01-ann-acme.md"),
        ("Lee, Pat", "2026-12-01-lee-pat.md"),
        ("no", "2026-12-01-no.md"),
        ('O\'Brien "Bo" {x}', "2026-12-01-o-brien-bo-x.md"),
    ],
)
def test_new_writes_notes_and_cards_that_check_with_the_name_as_typed(cli, make_journal, name, file):
    root = make_journal({"journal.yaml": "owner: Alex Sample\n"})
    made = cli("new", "meeting", name, "--root", str(root), "--today", "2026-12-01")
    assert made.returncode == 0, made.stderr
    card = cli("new", "contact", name, "--root", str(root), "--today", "2026-12-01")
    assert card.returncode == 0, card.stderr
    note = (root / "entries/2026" / file).read_text()
    front = yaml.safe_load(note.split("---")[1])
    assert front["with"] == [name]  # one person, named as typed
    assert f"# Meeting with {name}\n" in note
    checked = cli("check", "--root", str(root), "--today", "2026-12-01")
    assert (checked.returncode, checked.stdout) == (0, "ok: 1 meeting, 1 contact, 0 promises\n"), checked.stderr


def test_import_never_makes_a_card_for_the_owner(cli, make_journal, tmp_path):
    root = make_journal({"journal.yaml": "owner: Alex Sample\nowner_aliases: [Al]\n"})
    cards = tmp_path / "cards.vcf"
    cards.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEND:VCARD\r\n"
            for name in ("me", "Alex Sample", "AL", "Pat Lee")
        )
    )
    result = cli("import", "vcard", str(cards), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (root / "entries/contacts").iterdir()) == ["pat-lee.md"]
    assert "exists  Alex Sample: you, the journal's owner (owner: in journal.yaml)" in result.stdout


def test_a_site_id_anyone_can_read_is_pointed_out(cli, make_journal):
    public = next(iter(PUBLIC_SITE_IDS))
    root = make_journal({"journal.yaml": f"owner: Alex Sample\npublish:\n  site_id: {public}\n"})
    result = cli("check", "--root", str(root))
    assert result.returncode == 0
    warning = result.stderr.splitlines()[0]
    assert warning.startswith(
        "journal.yaml:2: warning: publish.site_id is the example from journal's README and demo, which anyone "
        "can read: give this journal its own (page addresses change once), like '  site_id: "
    )
    assert public not in warning
    dry = cli("publish", "--dry-run", "--root", str(root), env={"JOURNAL_PASSPHRASE": ""})
    assert "publish.site_id is the example from journal's README" in dry.stderr


def test_the_demo_and_readme_use_no_shared_site_id():
    from conftest import REPO

    for text in ((REPO / "README.md").read_text(), (REPO / "journal.yaml").read_text()):
        assert not any(public in text for public in PUBLIC_SITE_IDS)
