"""journal import: vCard 3 and 4 files and LinkedIn's Connections.csv, shaped like real exports."""

from __future__ import annotations

from journal.frontmatter import split
from journal.pipeline import load
from journal.schema import parse_card

# Apple Contacts style vCard 3: CRLF, grouped properties, a folded photo, escapes, two of each.
APPLE_V3 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//macOS 14.1//EN\r\n"
    "N:Díaz;José;;;\r\n"
    "FN:José Díaz\r\n"
    "NICKNAME:Pepe\r\n"
    "ORG:Díaz\\, Hijos & Co;Ventas\r\n"
    "TITLE:Head of Sales\\, EMEA\r\n"
    "item1.EMAIL;type=INTERNET;type=WORK:jose@diaz.example\r\n"
    "item2.EMAIL;type=INTERNET;type=HOME;type=pref:pepe@home.example\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:+34 600 111 222\r\n"
    "TEL;type=WORK;type=VOICE:+34 91 123 4567\r\n"
    "NOTE:Met at the Madrid print fair\\; wants a distributor in the UK\\, soon. Th\r\n"
    " is note is long enough to be folded.\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHR\r\n"
    " ofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Lee;Pat;;;\r\n"
    "FN:Patricia Lee\r\n"
    "EMAIL;type=INTERNET:PAT@example.com\r\n"
    "END:VCARD\r\n"
)

# A vCard 4 (RFC 6350) from a CardDAV server: PREF=1, tel: URIs, no N on one card.
V4 = """BEGIN:VCARD
VERSION:4.0
FN:Zoë Ångström
N:Ångström;Zoë;;;
ORG:Nordic Print AB
EMAIL;TYPE=home:zoe@home.example
EMAIL;TYPE=work;PREF=1:zoe@nordic.example
TEL;VALUE=uri;TYPE="voice,cell":tel:+46-70-123-4567
URL:https://nordic.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
N:Okafor;Chidi;;;
END:VCARD
"""

LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. '
    "You will only see email addresses for connections who have allowed their connections to see or download "
    "their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn "
    'more here https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    'Siobhán,O\'Brien,https://www.linkedin.com/in/siobhan-obrien,,"Brien, O\'Brien & Partners","Partner, Tax",07 Dec 2025\n'
    "Bob,Smith,https://www.linkedin.com/in/bobsmith,bob@smith.example,Smith Bakery,Owner,15 Jan 2024\n"
    ",,https://www.linkedin.com/in/hidden,,,,02 Feb 2023\n"
    'Marek,Nowak,https://www.linkedin.com/in/mnowak,,"""Quoted"" Ltd",CTO,30 Jun 2022\n'
)

EXISTING = {
    "entries/contacts/pat-lee.md": "---\nname: Pat Lee\naliases: [Patricia Lee]\nemail: pat@example.com\n---\n",
    "entries/contacts/bob.md": "---\nname: Robert Smith\nemail: bob@smith.example\n---\n",
}


def _card(root, path):
    text = (root / path).read_text(encoding="utf-8")
    record, problems = parse_card(path, split(text, path))
    assert problems == []
    return record, text


def test_vcard_3_and_4_create_cards_and_leave_existing_people_alone(make_journal, cli, tmp_path):
    root = make_journal(EXISTING)
    (tmp_path / "apple.vcf").write_bytes(APPLE_V3.encode("utf-8"))
    (tmp_path / "dav.vcf").write_text(V4, encoding="utf-8")
    result = cli("import", "vcard", str(tmp_path / "apple.vcf"), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "exists  Patricia Lee: entries/contacts/pat-lee.md (same name)",
        "created  entries/contacts/jose-diaz.md  José Díaz",
        "created 1 card; 1 already in the journal, left untouched",
    ]
    jose, text = _card(root, "entries/contacts/jose-diaz.md")
    assert (jose.name, [a.name for a in jose.aliases], jose.company, jose.role) == (
        "José Díaz",
        ["Pepe"],
        "Díaz, Hijos & Co",
        "Head of Sales, EMEA",
    )
    assert (jose.email, jose.phone) == ("pepe@home.example", "+34 600 111 222")
    assert (
        "Met at the Madrid print fair; wants a distributor in the UK, soon. This note is long enough to be folded."
        in jose.notes
    )
    assert jose.notes.split("## Private")[1].split() == [
        "-",
        "Other",
        "e-mail:",
        "jose@diaz.example",
        "-",
        "Other",
        "phone:",
        "+34",
        "91",
        "123",
        "4567",
    ]

    result = cli("import", "vcard", str(tmp_path / "dav.vcf"), "--root", str(root))
    assert result.returncode == 0, result.stderr
    zoe, _ = _card(root, "entries/contacts/zoe-angstrom.md")
    assert (zoe.name, zoe.company, zoe.email, zoe.phone) == (
        "Zoë Ångström",
        "Nordic Print AB",
        "zoe@nordic.example",
        "+46-70-123-4567",
    )
    assert "https://nordic.example" in zoe.notes
    chidi, _ = _card(root, "entries/contacts/chidi-okafor.md")
    assert chidi.name == "Chidi Okafor"
    assert load(root)[1] == []


def test_linkedin_export_with_preamble_quotes_and_empty_emails(make_journal, cli, tmp_path):
    root = make_journal(EXISTING)
    export = tmp_path / "Connections.csv"
    export.write_bytes(b"\xef\xbb\xbf" + LINKEDIN.replace("\n", "\r\n").encode("utf-8"))
    before = (root / "entries/contacts/bob.md").read_bytes()

    dry = cli("import", "linkedin", str(export), "--root", str(root), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "exists  Bob Smith: entries/contacts/bob.md (same e-mail)",
        "would create  Siobhán O'Brien",
        "would create  Marek Nowak",
        "would create 2 cards; 1 already in the journal, left untouched",
    ]
    assert sorted(p.name for p in (root / "entries/contacts").iterdir()) == ["bob.md", "pat-lee.md"]

    result = cli("import", "linkedin", str(export), "--root", str(root))
    assert result.returncode == 0, result.stderr
    siobhan, text = _card(root, "entries/contacts/siobhan-o-brien-cc9afb9d.md")  # the apostrophe: text.address
    assert (siobhan.name, siobhan.company, siobhan.role, siobhan.email) == (
        "Siobhán O'Brien",
        "Brien, O'Brien & Partners",
        "Partner, Tax",
        "",
    )
    assert "Connected on LinkedIn on 2025-12-07: https://www.linkedin.com/in/siobhan-obrien" in siobhan.notes
    marek, _ = _card(root, "entries/contacts/marek-nowak.md")
    assert marek.company == '"Quoted" Ltd'
    assert (root / "entries/contacts/bob.md").read_bytes() == before

    again = cli("import", "linkedin", str(export), "--root", str(root))
    assert again.stdout.splitlines()[-1] == "created 0 cards; 3 already in the journal, left untouched"


def test_broken_import_files_are_reported_with_their_line_and_nothing_is_written(make_journal, cli, tmp_path):
    root = make_journal({})
    vcf = tmp_path / "broken.vcf"
    vcf.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Example\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nORG:No Name Inc\nEND:VCARD\n",
        encoding="utf-8",
    )
    result = cli("import", "vcard", str(vcf), "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{vcf}:5: error: this vCard has no name (FN or N)", "1 error in 1 file"]
    csv_file = tmp_path / "other.csv"
    csv_file.write_text("Name,Email\nAnn,ann@example.com\n", encoding="utf-8")
    result = cli("import", "linkedin", str(csv_file), "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{csv_file}:1: error: no header row 'First Name,Last Name,URL,Email Address,Company,Position,Connected On': is this LinkedIn's Connections.csv?"
    )
    assert list((root / "entries").iterdir()) == []
