"""The terminal: check, overdue, reciprocity (tables and JSON), new, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

TODAY = "2026-11-23"

JOURNAL = {
    "entries/contacts/pat-lee.md": "---\nname: Pat Lee\naliases: [Pat]\ncadence: 30\n---\n",
    "entries/2026/2026-10-01-breakfast.md": """
        ---
        date: 2026-10-01
        with: [Pat, Terry]
        commitments:
          - {by: me, to: Pat, what: Introduce Pat to Jane, kind: introduction, due: 2026-10-08}
          - {by: Pat, what: Send me Jane and Terry, kind: referral, due: 2026-10-15, done: 2026-10-14}
          - {by: Terry, what: Quote for the brochure, due: 2026-11-01}
        gave:
          - {to: Terry, what: A lead, kind: lead}
        ---
    """,
}


def test_check_says_ok_and_exits_0(make_journal, cli):
    root = make_journal(JOURNAL)
    result = cli("check", "--root", str(root))
    assert (result.returncode, result.stdout, result.stderr) == (0, "ok: 1 meeting, 2 contacts, 3 promises\n", "")


def test_check_reports_problems_without_traceback(make_journal, cli):
    root = make_journal(
        {
            **JOURNAL,
            "entries/bad.md": "---\ndate: 2026-10-01\nwith: Bob\ncommitments:\n  - by: me\n    what: x\n    kind: bribe\n---\n",
        }
    )
    result = cli("check", "--root", str(root))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        "entries/bad.md:7: error: commitment kind 'bribe' is not one of introduction, referral, lead, favor, follow-up, other\n"
        "1 error in 3 files\n"
    )


def test_overdue_json(make_journal, cli):
    root = make_journal(JOURNAL)
    result = cli("overdue", "--json", "--root", str(root), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "today": TODAY,
        "mine": [
            {
                "by": "me",
                "to": "pat-lee",
                "what": "Introduce Pat to Jane",
                "kind": "introduction",
                "due": "2026-10-08",
                "days_overdue": 46,
                "source": "entries/2026/2026-10-01-breakfast.md",
                "line": 5,
            }
        ],
        "theirs": [
            {
                "by": "terry",
                "to": "me",
                "what": "Quote for the brochure",
                "kind": "other",
                "due": "2026-11-01",
                "days_overdue": 22,
                "source": "entries/2026/2026-10-01-breakfast.md",
                "line": 7,
            }
        ],
        "follow_ups": [
            {"contact": "pat-lee", "met": "2026-10-01", "due": "2026-10-03", "days_overdue": 51},
            {"contact": "terry", "met": "2026-10-01", "due": "2026-10-03", "days_overdue": 51},
        ],
        "going_cold": [{"contact": "pat-lee", "last_met": "2026-10-01", "cadence": 30, "days_since": 53}],
    }


def test_overdue_table(make_journal, cli):
    root = make_journal(JOURNAL)
    lines = cli("overdue", "--root", str(root), "--today", TODAY).stdout.splitlines()
    assert lines[0] == "Overdue as of 2026-11-23"
    assert lines[2] == "My overdue promises (1)"
    assert lines[5].split() == [
        "46",
        "me",
        "Pat",
        "Lee",
        "Introduce",
        "Pat",
        "to",
        "Jane",
        "introduction",
        "entries/2026/2026-10-01-breakfast.md:5",
    ]


def test_reciprocity_json(make_journal, cli):
    root = make_journal(JOURNAL)
    result = cli("reciprocity", "--json", "--root", str(root), "--today", TODAY)
    assert json.loads(result.stdout) == [
        {
            "contact": "pat-lee",
            "name": "Pat Lee",
            "given": 0,
            "received": 1,
            "balance": -1,
            "last_exchange": "2026-10-14",
            "by_kind": {"referral": {"given": 0, "received": 1}},
            "their_due": 1,
            "their_kept_on_time": 1,
        },
        {
            "contact": "terry",
            "name": "Terry",
            "given": 1,
            "received": 0,
            "balance": 1,
            "last_exchange": "2026-10-01",
            "by_kind": {"lead": {"given": 1, "received": 0}},
            "their_due": 1,
            "their_kept_on_time": 0,
        },
    ]


def test_reciprocity_table(make_journal, cli):
    root = make_journal(JOURNAL)
    lines = cli("reciprocity", "--root", str(root), "--today", TODAY).stdout.splitlines()
    assert lines[0] == "My word: 0 of 1 due kept on time, 1 open and overdue"
    # The site's order: the person I owe most (lowest balance) first.
    assert [line.split()[:2] for line in lines[4:]] == [["Pat", "Lee"], ["Terry", "1"]]


def test_new_meeting_and_contact_never_overwrite(make_journal, cli):
    root = make_journal(JOURNAL)
    first = cli("new", "meeting", "Bob Smith", "--root", str(root), "--today", TODAY)
    second = cli("new", "meeting", "Bob Smith", "--root", str(root), "--today", TODAY)
    assert first.stdout.strip() == str(root / "entries/2026/2026-11-23-bob-smith.md")
    assert second.stdout.strip() == str(root / "entries/2026/2026-11-23-bob-smith-2.md")
    card = cli("new", "contact", "Bob Smith", "--root", str(root), "--today", TODAY)
    assert card.returncode == 0 and card.stdout.strip() == str(root / "entries/contacts/bob-smith.md")
    text = (root / "entries/contacts/bob-smith.md").read_text()
    for question in ("worthwhile", "energy", "time", "How badly", "reputation"):
        assert question in text
    (root / "entries/contacts/bob-smith.md").write_text(text + "\nmy own words\n")
    again = cli("new", "contact", "bob smith", "--root", str(root), "--today", TODAY)
    assert again.returncode == 1
    assert again.stderr == "journal: entries/contacts/bob-smith.md is already a card for bob smith; nothing written\n"
    assert (root / "entries/contacts/bob-smith.md").read_text().endswith("my own words\n")
    alias = cli("new", "contact", "Pat", "--root", str(root), "--today", TODAY)
    assert alias.returncode == 1 and "entries/contacts/pat-lee.md is already a card for Pat" in alias.stderr
    check = cli("check", "--root", str(root), "--today", TODAY)
    assert check.returncode == 0, check.stderr


def test_usage_errors_exit_2(cli, tmp_path):
    result = cli("build", "--today", "tomorrow", "--root", str(tmp_path))
    assert result.returncode == 2 and "'tomorrow' is not a date like 2026-10-01" in result.stderr


def test_missing_entries_folder_is_a_problem_not_a_traceback(cli, tmp_path):
    result = cli("build", "--root", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("entries: error: no entries/ folder in")


def test_reading_commands_do_not_load_the_site_builder():
    """`journal check`, `overdue` and `reciprocity` start without Jinja2, Markdown, icalendar,
    cryptography, watchdog or vobject: the commands that need them import them."""
    heavy = ("jinja2", "markdown", "icalendar", "cryptography", "watchdog", "vobject", "http.server")
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys, journal.cli; print([m for m in {heavy!r} if m in sys.modules])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[]"


def test_each_reading_command_runs_without_the_site_builder(make_journal):
    """Not only importing the CLI: running check, overdue, reciprocity and brief on a journal
    loads none of the builder's libraries either (each command imports what it needs)."""
    root = make_journal({"entries/2026-11-01-pat.md": "---\ndate: 2026-11-01\nwith: Pat Lee\n---\nCoffee.\n"})
    heavy = ("jinja2", "markdown", "nh3", "icalendar", "cryptography", "watchdog", "vobject", "http.server")
    for command in (["check"], ["overdue", "--json"], ["reciprocity"], ["brief", "Pat Lee"]):
        script = (
            f"import sys\nfrom journal import cli\nstatus = cli.main({[*command, '--root', str(root), '--today', TODAY]!r})\n"
            f"print(status, [m for m in {heavy!r} if m in sys.modules], file=sys.stderr)"
        )
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        assert result.stderr.splitlines()[-1] == "0 []", (command, result.stderr)


def test_schema_reads_no_journal(make_journal, cli):
    """`journal schema` works in a folder whose journal is broken: it never loads one."""
    root = make_journal({"journal.yaml": "title: [unclosed\n", "entries/bad.md": b"\xff\xfe not text"})
    result = cli("schema", "card", cwd=root)
    assert result.returncode == 0 and json.loads(result.stdout)["title"], result.stderr
