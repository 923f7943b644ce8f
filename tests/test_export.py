"""journal export json|csv|vcard and journal schema export: the documents, read back by the
tools people use (json.tool, jsonschema, Python's csv module, journal's own vCard import), what
they leave out without --private, and what the command refuses to write."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from conftest import TODAY_ARG, journal_of, run_cli
from sealed import leaks

from journal import export
from journal.export_schema import export_schema
from journal.importers import read_vcards
from journal.redact import strip_private

DAY = "2026-11-01"  # the small journal's notes lead up to it; its lunch is still to come

SMALL = {
    "journal.yaml": "owner: Sam Carter\ncadence_days: 30\n",
    "entries/contacts/pat-lee.md": """
        ---
        name: Pat Lee
        aliases: [Pat, "Lee, P."]
        company: "Lee Print; Design, Ltd"
        role: Owner
        email: [pat@example.com, pat@home.example]
        phone: "+44 1234 567890"
        tags: [printing]
        ---
        Prints everything. <script>alert("x")</script> \\ back

        ## Private

        Owes the bank.
        """,
    "entries/2026/2026-10-01-coffee.md": """
        ---
        date: 2026-10-01 08:30
        title: Coffee with Pat
        with: Pat Lee
        where: Rosie's
        commitments:
          - by: me
            what: '=HYPERLINK("http://evil.example")'
            due: 2026-10-05
            done: 2026-10-04
          - by: Pat
            what: Quote, for the brochure
            kind: favor
            due: 2026-10-10
          - by: me
            what: "-5% on the next job"
            due: 2026-12-01
          - by: Pat
            what: An old promise
            dropped: he retired
          - by: me
            what: "@mention the printer"
            kind: introduction
            introducing: Terry Nguyen
            consent: asked
            due: 2026-10-03
            done: 2026-10-08
        gave:
          - to: Pat
            what: "Lead: the bakery"
            kind: lead
        received:
          - from: Pat
            what: Intro to the chamber
            kind: introduction
            date: 2026-10-02
        ---
        Good coffee. Call +44 1234 567890 later.

        ## Private

        He looked tired.
        """,
    "entries/2026/2026-11-20-lunch.md": """
        ---
        date: 2026-11-20
        title: Lunch with Pat
        with: Pat Lee
        commitments:
          - by: me
            what: Bring the deck
        ---
        """,
}
COFFEE = "entries/2026/2026-10-01-coffee.md"
LEFT_OUT = (
    "journal export: e-mails, phones, Private sections and private_fields left out, as a publish build "
    "leaves them out; --private includes them\n"
)


def _export(root: Path, *args: str, today: str = DAY) -> subprocess.CompletedProcess:
    return run_cli("export", *args, "--root", str(root), "--today", today)


def _binary(root: Path, *args: str, today: str = DAY) -> bytes:
    """The export's very bytes on standard output (a pipe)."""
    result = subprocess.run(
        [sys.executable, "-m", "journal.cli", "export", *args, "--root", str(root), "--today", today],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _validate(document: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(export_schema())
    jsonschema.Draft202012Validator(export_schema()).validate(document)


# JSON


def test_json_export_of_the_demo_through_json_tool_validates_against_journal_schema_export(demo_root):
    exporting = subprocess.Popen(
        [sys.executable, "-m", "journal.cli", "export", "json", "--root", str(demo_root), "--today", TODAY_ARG],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    tool = subprocess.run(
        [sys.executable, "-m", "json.tool"], stdin=exporting.stdout, capture_output=True, text=True, timeout=120
    )
    assert exporting.stdout is not None and exporting.stderr is not None
    exporting.stdout.close()
    assert exporting.wait(timeout=120) == 0
    assert exporting.stderr.read().decode() == LEFT_OUT
    assert tool.returncode == 0, tool.stderr
    document = json.loads(tool.stdout)

    schema = run_cli("schema", "export")
    assert schema.returncode == 0, schema.stderr
    jsonschema.Draft202012Validator(json.loads(schema.stdout)).validate(document)

    journal = journal_of(demo_root)
    assert (document["format"], document["generated"], document["owner"], document["private"]) == (
        1,
        TODAY_ARG,
        "Sam Carter",
        False,
    )
    assert [c["name"] for c in document["contacts"]] == [c.name for c in journal.contacts]
    assert [m["title"] for m in document["meetings"]] == [m.title for m in journal.meetings]
    assert [p["what"] for p in document["promises"]] == [c.what for c in journal.commitments]
    assert len(document["exchanges"]) == len(journal.exchanges)


def test_a_promise_status_is_said_in_the_words_reliability_counts(demo_root):
    """My promises' statuses count what `journal reciprocity` calls my word, word for word."""
    result = _export(demo_root, "json", today=TODAY_ARG)
    document = json.loads(result.stdout)
    mine = [p["status"] for p in document["promises"] if p["by"] == "me"]
    word = document["my_word"]
    assert (mine.count("kept on time"), mine.count("kept late"), mine.count("open and overdue")) == (
        word["kept_on_time"],
        word["kept_late"],
        word["open_overdue"],
    )
    assert mine.count("dropped") == word["dropped"]
    assert word["fell_due"] == word["kept_on_time"] + word["kept_late"] + word["open_overdue"]
    assert {c["cadence"]["state"] for c in document["contacts"]} <= set(export.CADENCE_STATES)
    assert "going cold" in {c["cadence"]["state"] for c in document["contacts"]}


def test_json_export_with_private_holds_the_whole_small_journal(make_journal):
    root = make_journal(SMALL)
    result = _export(root, "json", "--private")
    assert (result.returncode, result.stderr) == (0, "")
    document = json.loads(result.stdout)
    _validate(document)
    pat = document["contacts"][0]
    assert pat == {
        "slug": "pat-lee",
        "name": "Pat Lee",
        "card": "entries/contacts/pat-lee.md",
        "aliases": ["Pat", "Lee, P."],
        "company": "Lee Print; Design, Ltd",
        "role": "Owner",
        "tags": ["printing"],
        "status": None,
        "decide_by": None,
        "emails": ["pat@example.com", "pat@home.example"],
        "phones": ["+44 1234 567890"],
        "notes": 'Prints everything. <script>alert("x")</script> \\ back\n\n## Private\n\nOwes the bank.\n',
        "cadence": {
            "days": 30,
            "state": "going cold",
            "last_in_touch": "2026-10-01",
            "last_in_touch_by": "in person",
            "last_met": "2026-10-01",
        },
    }
    assert [(p["what"], p["by"], p["to"], p["status"], p["line"]) for p in document["promises"]] == [
        ('=HYPERLINK("http://evil.example")', "me", "pat-lee", "kept on time", 7),
        ("Quote, for the brochure", "pat-lee", "me", "open and overdue", 11),
        ("-5% on the next job", "me", "pat-lee", "open", 15),
        ("An old promise", "pat-lee", "me", "dropped", 18),
        ("@mention the printer", "me", "pat-lee", "kept late", 21),
        ("Bring the deck", "me", "pat-lee", "upcoming", 6),
    ]
    assert document["promises"][4] == {
        "id": None,
        "by": "me",
        "to": "pat-lee",
        "what": "@mention the printer",
        "kind": "introduction",
        "made_on": "2026-10-01",
        "due": "2026-10-03",
        "done": True,
        "done_on": "2026-10-08",
        "dropped": None,
        "introducing": "terry-nguyen",
        "consent": "asked",
        "status": "kept late",
        "meeting": "2026-10-01-coffee",
        "closed_in": None,
        "source": COFFEE,
        "line": 21,
    }
    assert document["exchanges"] == [
        {
            "direction": "given",
            "from": "me",
            "to": "pat-lee",
            "what": "Lead: the bakery",
            "kind": "lead",
            "date": "2026-10-01",
            "meeting": "2026-10-01-coffee",
            "source": COFFEE,
            "line": 29,
        },
        {
            "direction": "received",
            "from": "pat-lee",
            "to": "me",
            "what": "Intro to the chamber",
            "kind": "introduction",
            "date": "2026-10-02",
            "meeting": "2026-10-01-coffee",
            "source": COFFEE,
            "line": 33,
        },
    ]
    assert document["reciprocity"] == [
        {
            "contact": "pat-lee",
            "given": 3,
            "received": 1,
            "balance": 2,
            "last_exchange": "2026-10-08",
            "by_kind": {
                "introduction": {"given": 1, "received": 1},
                "lead": {"given": 1, "received": 0},
                "other": {"given": 1, "received": 0},
            },
            "their_word": {"fell_due": 1, "kept_on_time": 0, "kept_late": 0, "open_overdue": 1, "dropped": 1},
        }
    ]
    coffee, lunch = document["meetings"]
    assert (coffee["time"], coffee["where"], coffee["upcoming"], coffee["follow_up"]) == (
        "08:30",
        "Rosie's",
        False,
        [{"contact": "pat-lee", "by": "2026-10-03"}],
    )
    assert coffee["body"] == "Good coffee. Call +44 1234 567890 later.\n\n## Private\n\nHe looked tired.\n"
    assert (lunch["upcoming"], lunch["met"], lunch["channel"]) == (True, True, "in person")


def test_json_export_without_private_is_what_a_publish_build_shows(make_journal):
    root = make_journal(SMALL)
    result = _export(root, "json")
    assert (result.returncode, result.stderr) == (0, LEFT_OUT)
    document = json.loads(result.stdout)
    _validate(document)
    pat = document["contacts"][0]
    assert (pat["emails"], pat["phones"], pat["card"]) == ([], [], "pat-lee.md")
    assert pat["notes"] == 'Prints everything. <script>alert("x")</script> \\ back\n'
    assert document["meetings"][0]["body"] == "Good coffee. Call [private] later.\n"
    assert document["promises"][0]["source"] == "2026-10-01-coffee.md"  # the file's name alone, as published
    assert document["private"] is False


def test_private_fields_are_left_out_of_an_export_as_of_a_publish_build(make_journal):
    root = make_journal(
        {**SMALL, "journal.yaml": "owner: Sam Carter\npublish:\n  private_fields: [where, company, dropped]\n"}
    )
    document = json.loads(_export(root, "json").stdout)
    assert (document["meetings"][0]["where"], document["contacts"][0]["company"]) == (None, None)
    assert document["promises"][3]["dropped"] == "reason not published"
    private = json.loads(_export(root, "json", "--private").stdout)
    assert (private["meetings"][0]["where"], private["promises"][3]["dropped"]) == ("Rosie's", "he retired")


def test_schema_export_is_a_valid_draft_2020_12_schema_and_the_editor_schemas_stay(cli):
    result = cli("schema", "export")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == export_schema()
    assert schema["properties"]["format"] == {"const": 1}
    assert json.loads(cli("schema").stdout)["title"] == "journal meeting note (front matter)"
    assert json.loads(cli("schema", "card").stdout)["title"] == "journal contact card (front matter)"


def test_the_schema_refuses_a_document_of_another_format_or_with_an_unknown_status(make_journal):
    document = json.loads(_export(make_journal(SMALL), "json").stdout)
    validator = jsonschema.Draft202012Validator(export_schema())
    assert validator.is_valid(document)
    assert not validator.is_valid({**document, "format": 2})
    assert not validator.is_valid({**document, "extra": 1})
    promise = {**document["promises"][0], "status": "broken"}
    assert not validator.is_valid({**document, "promises": [promise]})


# CSV


def test_csv_has_a_header_and_a_row_per_promise_with_formulas_defused(make_journal):
    root = make_journal(SMALL)
    rows = _rows(_binary(root, "csv", "--private"))
    assert rows == [
        ["by", "to", "what", "kind", "due", "done", "status", "source"],
        [
            "me",
            "Pat Lee",
            '\'=HYPERLINK("http://evil.example")',
            "other",
            "2026-10-05",
            "2026-10-04",
            "kept on time",
            f"{COFFEE}:7",
        ],
        ["Pat Lee", "me", "Quote, for the brochure", "favor", "2026-10-10", "", "open and overdue", f"{COFFEE}:11"],
        ["me", "Pat Lee", "'-5% on the next job", "other", "2026-12-01", "", "open", f"{COFFEE}:15"],
        ["Pat Lee", "me", "An old promise", "other", "2026-10-08", "", "dropped", f"{COFFEE}:18"],
        [
            "me",
            "Pat Lee",
            "'@mention the printer",
            "introduction",
            "2026-10-03",
            "2026-10-08",
            "kept late",
            f"{COFFEE}:21",
        ],
        [
            "me",
            "Pat Lee",
            "Bring the deck",
            "other",
            "2026-11-27",
            "",
            "upcoming",
            "entries/2026/2026-11-20-lunch.md:6",
        ],
    ]
    data = _binary(root, "csv")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # RFC 4180 rows
    assert _rows(data)[1][-1] == "2026-10-01-coffee.md:7"  # without --private, the path as published


def test_csv_of_the_demo_matches_the_model_row_for_row(demo_root):
    rows = _rows(_binary(demo_root, "csv", "--private", today=TODAY_ARG))
    journal = journal_of(demo_root)
    assert rows[0] == list(export.CSV_COLUMNS)
    assert len(rows) == len(journal.commitments) + 1
    for row, promise in zip(rows[1:], journal.commitments):
        assert row[0] == journal.name_of(promise.by) and row[1] == journal.name_of(promise.to)
        assert row[2].removeprefix("'") == promise.what and row[3] == promise.kind
        assert row[4] == promise.due.isoformat() and row[7] == f"{promise.path}:{promise.line}"
        assert row[6] in export.PROMISE_STATUSES


def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe():
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "x=1", "'quoted", ""]
    assert [export._cell(cell) for cell in cells] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "x=1",
        "'quoted",
        "",
    ]


# vCard


def test_vcard_escapes_and_folds_as_rfc_6350_says(make_journal):
    root = make_journal(SMALL)
    data = _binary(root, "vcard", "--private")
    assert data == (
        b"BEGIN:VCARD\r\n"
        b"VERSION:4.0\r\n"
        b"FN:Pat Lee\r\n"
        b"N:Lee;Pat;;;\r\n"
        b"NICKNAME:Pat,Lee\\, P.\r\n"
        b"ORG:Lee Print\\; Design\\, Ltd\r\n"
        b"TITLE:Owner\r\n"
        b"EMAIL:pat@example.com\r\n"
        b"EMAIL:pat@home.example\r\n"
        b"TEL;VALUE=text:+44 1234 567890\r\n"
        b"CATEGORIES:printing\r\n"
        b'NOTE:Prints everything. <script>alert("x")</script> \\\\ back\\n\\n## Private\\n\r\n'
        b" \\nOwes the bank.\r\n"
        b"END:VCARD\r\n"
    )
    people, problems = read_vcards("pat.vcf", data.decode("utf-8"))
    assert problems == []
    assert [(p.name, p.aliases, p.company, p.role, p.emails, p.phones) for p in people] == [
        (
            "Pat Lee",
            ("Pat", "Lee, P."),
            "Lee Print; Design, Ltd",
            "Owner",
            ("pat@example.com", "pat@home.example"),
            ("+44 1234 567890",),
        )
    ]
    assert people[0].notes == 'Prints everything. <script>alert("x")</script> \\ back\n\n## Private\n\nOwes the bank.'

    public = _binary(root, "vcard")
    assert b"EMAIL" not in public and b"TEL" not in public and b"Owes the bank" not in public


def test_fold_keeps_lines_to_75_octets_and_characters_whole():
    line = "NOTE:" + "Zoë Ångström 张伟 " * 20 + "😀" * 30
    folded = export.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join([pieces[0], *(piece[1:] for piece in pieces[1:])]) == line
    assert export.fold("FN:Pat") == "FN:Pat"


def test_vcard_text_drops_control_characters_and_escapes_the_four():
    assert export.vcard_text("a\\b,c;d\r\ne\rf\x1b\x07\x85g\th") == "a\\\\b\\,c\\;d\\ne\\nfg\th"


def test_vcard_round_trip_through_import_gives_the_same_people_emails_and_phones(demo_root, tmp_path):
    out = tmp_path / "everyone.vcf"
    result = _export(demo_root, "vcard", "--private", "--out", str(out), today=TODAY_ARG)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    fresh = tmp_path / "fresh"
    assert run_cli("init", str(fresh), "--today", TODAY_ARG).returncode == 0
    before = {c.name for c in journal_of(fresh).contacts if c.has_card}
    imported = run_cli("import", "vcard", str(out), "--root", str(fresh))
    assert imported.returncode == 0, imported.stderr

    def people(root: Path) -> set[tuple]:
        return {
            (c.name, c.aliases, c.company, c.role, c.email, c.phone)
            for c in journal_of(root).contacts
            if c.has_card and c.name not in before
        }

    demo = people(demo_root)
    assert len(demo) == 11 and all(email and phone for *_, email, phone in demo)
    assert people(fresh) == demo


def test_a_card_with_two_emails_comes_back_with_both(make_journal, tmp_path):
    """The importer puts a second address under the card's Private heading (README, Importing
    contacts): both are on the card again."""
    root = make_journal(SMALL)
    out = tmp_path / "pat.vcf"
    assert _export(root, "vcard", "--private", "--out", str(out)).returncode == 0
    fresh = make_journal({}, tmp_path / "fresh")
    assert run_cli("import", "vcard", str(out), "--root", str(fresh)).returncode == 0
    pat = journal_of(fresh).contact("pat-lee")
    assert pat is not None
    assert (pat.email, pat.phone, pat.aliases, pat.company) == (
        "pat@example.com",
        "+44 1234 567890",
        ("Pat", "Lee, P."),
        "Lee Print; Design, Ltd",
    )
    assert "- Other e-mail: pat@home.example" in pat.notes
    assert '<script>alert("x")</script> \\ back' in pat.notes


def test_import_refuses_a_vcard_whose_note_would_make_a_card_too_big(make_journal, cli, tmp_path):
    root = make_journal({})
    vcf = tmp_path / "big.vcf"
    vcf.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Small Person\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Big Note\r\nNOTE:" + "x" * 10_000_000 + "\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = cli("import", "vcard", str(vcf), "--root", str(root))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"{vcf}:5: error: the card for 'Big Note' would be 10.0 MB; entries are limited to 1 MB (shorten its NOTE)\n"
        "1 error in 1 file\n"
    )
    assert list((root / "entries").rglob("*.md")) == []


# Privacy


def _demo_secrets(root: Path) -> list[str]:
    """Every e-mail and phone on the demo's cards (also as bare digits), and every line of a
    Private section that the rest of the journal does not say too."""
    journal = journal_of(root)
    secrets = [c.email for c in journal.contacts if c.email]
    phones = [c.phone for c in journal.contacts if c.phone]
    secrets += phones + ["".join(ch for ch in phone if ch.isdigit()) for phone in phones]
    texts = [c.notes for c in journal.contacts] + [m.body for m in journal.meetings]
    public = "\n".join(strip_private(text) for text in texts)
    for text in texts:
        kept = set(strip_private(text).splitlines())
        secrets += [
            line.strip()
            for line in text.splitlines()
            if line not in kept and len(line.strip()) > 12 and line.strip() not in public
        ]
    assert len(secrets) > 30
    return secrets


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return [value] if isinstance(value, str) else []


def _as_read(kind: str, data: bytes) -> bytes:
    """The export's bytes, then its text as a reader gets it back (JSON strings, CSV cells,
    vCard values unfolded and unescaped): a value escaped in the file is found too."""
    if kind == "json":
        texts = _strings(json.loads(data))
    elif kind == "csv":
        texts = [cell for row in _rows(data) for cell in row]
    else:
        unfolded = data.decode("utf-8").replace("\r\n ", "")
        texts = [unfolded.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")]
    return data + b"\n" + "\n".join(texts).encode("utf-8")


def test_a_default_export_holds_no_private_byte_of_the_demo(demo_root):
    secrets = _demo_secrets(demo_root)
    kinds = ("json", "csv", "vcard")
    files = {kind: _as_read(kind, _binary(demo_root, kind, today=TODAY_ARG)) for kind in kinds}
    assert leaks(files, secrets) == []
    private = {kind: _as_read(kind, _binary(demo_root, kind, "--private", today=TODAY_ARG)) for kind in kinds}
    missed = set(secrets) - {secret for _, secret in leaks(private, secrets)}
    assert all(secret.isdigit() for secret in missed)  # the scan finds what is there (bare digits aside)


def test_no_note_on_stderr_when_nothing_was_left_out(make_journal):
    root = make_journal({"entries/2026/2026-10-01-a.md": "---\ndate: 2026-10-01\nwith: Pat\n---\nHello.\n"})
    result = _export(root, "csv")
    assert (result.returncode, result.stderr) == (0, "")


# The command


def test_a_journal_with_errors_is_refused_and_nothing_is_written(make_journal, tmp_path):
    root = make_journal({**SMALL, "entries/2026/bad.md": "---\ndate: 2026-13-01\n---\n"})
    out = tmp_path / "export.json"
    for kind in ("json", "csv", "vcard"):
        result = _export(root, kind, "--out", str(out))
        assert (result.returncode, result.stdout, result.stderr) == (
            1,
            "",
            "entries/2026/bad.md:2: error: 'date' must be a date like 2026-10-01 (optionally with a time, "
            "2026-10-01 14:30), got '2026-13-01'\n1 error in 5 files\n",
        )
        assert not out.exists()
        result = _export(root, kind)
        assert (result.returncode, result.stdout) == (1, "")


def test_out_writes_the_whole_file_and_replaces_an_earlier_export(make_journal, tmp_path):
    root = make_journal(SMALL)
    out = tmp_path / "promises.csv"
    out.write_text("an earlier export\n")
    result = _export(root, "csv", "--out", str(out))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", LEFT_OUT)
    assert out.read_bytes() == _binary(root, "csv")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["journal", "promises.csv"]  # no temporary file left


def test_out_refuses_the_journal_own_files_a_folder_and_a_file_that_is_no_export(make_journal, tmp_path):
    root = make_journal(SMALL)
    readme = tmp_path / "README.md"
    readme.write_text("my notes\n")
    not_an_export = (
        "it exists and is not an export (.json, .csv, .vcf, .vcard); choose another name, or remove it yourself"
    )
    cases = {
        root / "entries" / "export.json": "it is inside entries/, which journal never writes",
        root / "entries" / "2026" / "2026-10-01-coffee.md": "it is inside entries/, which journal never writes",
        root / "journal.yaml": "it is the journal's journal.yaml",
        tmp_path: "it is a folder; give a file name, like journal.json",
        readme: not_an_export,
    }
    for out, why in cases.items():
        result = _export(root, "json", "--out", str(out))
        assert (result.returncode, result.stdout, result.stderr) == (
            1,
            "",
            f"journal: cannot write {out}: {why}; nothing written\n",
        )
    assert readme.read_text() == "my notes\n"
    assert not (root / "entries" / "export.json").exists()
    result = _export(root, "json", "--out", str(tmp_path / "no-such-folder" / "x.json"))
    assert result.returncode == 1
    assert result.stderr == (
        f"journal: cannot write {tmp_path / 'no-such-folder' / 'x.json'}: No such file or directory; nothing written\n"
    )
