"""journal import mail: mailboxes written by Python's mailbox (as Thunderbird, Gmail's Takeout
and Apple Mail export them) become touches, one note per person per day, that pass
`journal check`; the mailbox is read a line at a time."""

from __future__ import annotations

import email.message
import mailbox
import re
import tracemalloc
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import TODAY_ARG, problems_of, site_files
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz import ANY_CHARACTER, FUZZ

from journal.capture import Directory, as_sources, from_import_file
from journal.frontmatter import split
from journal.mail_import import Window, plan_mail, read_mailbox
from journal.pipeline import load_sources
from journal.schema import parse_note
from journal.sources import SourceFile

JOURNAL = {
    "journal.yaml": "owner: Alex Rivera\ntimezone: Europe/London\nowner_emails: [alex@example.com]\n",
    "entries/contacts/pat-lee.md": "---\nname: Pat Lee\nemail: pat@lee.example, pat@work.example\n---\n",
    "entries/contacts/terry-nguyen.md": "---\nname: Terry Nguyen\nemail: terry@nguyen.example\n---\n",
}


def message(sender: str, to: str, subject: str, when: str, message_id: str | None = None, **more: str):
    made = email.message.EmailMessage()
    made["From"], made["To"], made["Subject"] = sender, to, subject
    if when:
        made["Date"] = when
    if message_id:
        made["Message-ID"] = message_id
    for key, value in more.items():
        made[key] = value
    made.set_content("The body, which is never copied.\nFrom here on, it is only the body.\n")
    return made


def mbox(path: Path, *messages) -> bytes:
    """A mailbox as Python's mailbox writes it."""
    box = mailbox.mbox(str(path))
    for made in messages:
        box.add(made)
    box.flush()
    box.close()
    return path.read_bytes()


def line_of(data: bytes, needle: str) -> int:
    """The line of the 'From ' line of the message holding `needle`."""
    lines = data.decode("utf-8", "replace").split("\n")
    found = next(i for i, line in enumerate(lines) if needle in line)
    return max(i for i in range(found + 1) if lines[i].startswith("From ")) + 1


MAILBOX = (
    message("Pat Lee <pat@lee.example>", "alex@example.com", "Quote for the brochure", "Fri, 20 Nov 2026 09:00:00 +0000", "<1@lee.example>"),
    # Written late on the 20th in New York: the 21st in London.
    message("Alex Rivera <alex@example.com>", "Pat <PAT@WORK.example>, someone@else.example", "Re: Quote", "Fri, 20 Nov 2026 23:30:00 -0500", "<2@example.com>", Cc="Terry Nguyen <terry@nguyen.example>"),
    message("Pat Lee <pat@lee.example>", "alex@example.com", "Quote for the brochure", "Fri, 20 Nov 2026 09:00:00 +0000", "<1@lee.example>"),
    message("Shop <news@shop.example>", "alex@example.com", "Sale!", "Fri, 20 Nov 2026 09:00:00 +0000", "<3@shop.example>"),
    message("Pat Lee <pat@lee.example>", "alex@example.com", "Old times", "Fri, 20 Nov 2020 09:00:00 +0000", "<4@lee.example>"),
    message("Pat Lee <pat@lee.example>", "alex@example.com", "=?bogus?q?caf=E9?= and [[Pat Lee]]", "Sat, 21 Nov 2026 08:00:00 +0000"),
    message("Pat Lee <pat@lee.example>", "alex@example.com", "No date at all", "", "<5@lee.example>"),
)  # fmt: skip


@pytest.fixture
def root(make_journal) -> Path:
    return make_journal(JOURNAL)


def notes_of(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((root / "entries").rglob("*.md"))
        if "contacts" not in path.parts
    }


def test_a_mailbox_becomes_one_touch_per_person_per_day(root, cli):
    data = mbox(root / "mail.mbox", *MAILBOX)
    done = cli("import", "mail", "mail.mbox", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"mail.mbox:{line_of(data, 'No date at all')}: warning: this message has no Date a mail program writes; it is left out"
    ]
    assert done.stdout.splitlines() == [
        "created  entries/2026/2026-11-20-e-mail-with-pat-lee.md  'E-mail with Pat Lee' on 2026-11-20",
        "created  entries/2026/2026-11-21-e-mail-with-pat-lee.md  'E-mail with Pat Lee' on 2026-11-21",
        "created  entries/2026/2026-11-21-e-mail-with-terry-nguyen.md  'E-mail with Terry Nguyen' on 2026-11-21",
        "created 3 notes from 3 messages of 7; skipped 4: 1 copy, 1 with no one on a card, 1 outside the window, 1 with a warning",
    ]
    notes = notes_of(root)
    made_up = re.sub(r"no-id-[0-9a-f]{16}", "no-id-…", notes["entries/2026/2026-11-21-e-mail-with-pat-lee.md"])
    assert made_up == (  # the message without a Message-ID is known by a digest of its date, sender and subject
        "---\n"
        "date: 2026-11-21\n"
        'title: "E-mail with Pat Lee"\n'
        "with:\n"
        '  - "Pat Lee"\n'
        'channel: "email"\n'
        "mail:\n"
        '  - "<2@example.com>"\n'
        '  - "no-id-…"\n'
        "---\n"
        "- Re: Quote\n"
        "- caf\ufffd and [\\[Pat Lee]]\n"
    )
    assert "body" not in "".join(notes.values())
    assert problems_of(root) == []


def test_a_second_run_adds_nothing(root, cli):
    mbox(root / "mail.mbox", *MAILBOX)
    assert cli("import", "mail", "mail.mbox", "--root", str(root), "--today", TODAY_ARG, cwd=root).returncode == 0
    before = site_files(root)
    done = cli("import", "mail", "mail.mbox", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "created 0 notes from 0 messages of 7; skipped 7: 4 already in the journal, 1 with no one on a card, "
        "1 outside the window, 1 with a warning"
    ]
    assert site_files(root) == before


def test_a_window_and_a_dry_run(root, cli):
    mbox(root / "mail.mbox", *MAILBOX)
    before = site_files(root)
    done = cli(
        "import", "mail", "mail.mbox", "--root", str(root), "--today", TODAY_ARG, "--from", "2020-01-01", "--to", "2020-12-31", "--dry-run",
        cwd=root,
    )  # fmt: skip
    assert done.stdout.splitlines() == [
        "would create  entries/2020/2020-11-20-e-mail-with-pat-lee.md  'E-mail with Pat Lee' on 2020-11-20",
        "would create 1 note from 1 message of 7; skipped 6: 5 outside the window, 1 with a warning",
    ]
    assert site_files(root) == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Subject: hello\n\nnot a mailbox\n", "mail.mbox:1: error: not an mbox file: a mailbox starts with a 'From ' line (export the mail as mbox)"),
        (b"", "mail.mbox:1: error: no message in this file: a mailbox holds 'From ' lines, then messages"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_mailbox_is_an_error(root, cli, data, expected):
    (root / "mail.mbox").write_bytes(data)
    done = cli("import", "mail", "mail.mbox", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == expected


def test_a_header_too_long_is_a_warning(root, cli):
    data = mbox(
        root / "mail.mbox",
        message("Pat Lee <pat@lee.example>", "alex@example.com", "Big", "Fri, 20 Nov 2026 09:00:00 +0000", "<1@x>", References=" ".join(f"<{i}@x.example>" for i in range(30_000))),
        message("Pat Lee <pat@lee.example>", "alex@example.com", "Small", "Fri, 20 Nov 2026 10:00:00 +0000", "<2@x>"),
    )  # fmt: skip
    done = cli("import", "mail", "mail.mbox", "--root", str(root), "--today", TODAY_ARG, cwd=root)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"mail.mbox:{line_of(data, 'Subject: Big')}: warning: this message's header is over 256 KB; it is left out"
    ]
    assert done.stdout.splitlines()[-1] == "created 1 note from 1 message of 2; skipped 1: 1 with a warning"


CONFIG = SourceFile("journal.yaml", JOURNAL["journal.yaml"])
CARDS = [SourceFile(path, text) for path, text in JOURNAL.items() if path.startswith("entries/")]
LOADED, _, _ = load_sources(CONFIG, CARDS, [])
WINDOW = Window(date(2026, 10, 24), date(2026, 12, 23), ZoneInfo("Europe/London"))


def test_a_gigabyte_body_is_read_in_the_memory_of_one_header():
    """A message whose body is 200 MB, in lines of a megabyte, as the CLI hands them: the
    reader keeps none of it (tracemalloc's peak, not a clock, is what is measured)."""
    header = [
        b"From pat@lee.example Fri Nov 20 09:00:00 2026\n",
        b"From: Pat Lee <pat@lee.example>\n",
        b"To: alex@example.com\n",
        b"Date: Fri, 20 Nov 2026 09:00:00 +0000\n",
        b"Subject: Attachment\n",
        b"\n",
    ]
    chunk = b"x" * (1 << 20)

    def lines():
        yield from header
        for _ in range(200):
            yield chunk
        yield from header

    tracemalloc.start()
    try:
        read = read_mailbox("big.mbox", lines(), WINDOW, Directory(LOADED), set())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (read.count, len(read.messages), read.skipped["copies"]) == (2, 1, 1)
    assert peak < 8 << 20


ADDRESSES = st.sampled_from(
    ["pat@lee.example", "alex@example.com", "PAT@WORK.EXAMPLE", "x@y.example", "", "<>", "a@b@c"]
)
HEADERS = st.sampled_from(["From", "To", "Cc", "Subject", "Date", "Message-ID", "Content-Type"])


@settings(FUZZ, max_examples=150)
@given(
    st.lists(
        st.tuples(
            st.text(ANY_CHARACTER, max_size=40),
            ADDRESSES,
            st.text(ANY_CHARACTER, max_size=120),
            st.one_of(st.sampled_from(["Fri, 20 Nov 2026 09:00:00 +0000", "garbage", "Mon, 1 Jan 9999 00:00:00 +1400", ""]), st.text(max_size=40)),
            st.lists(st.tuples(HEADERS, st.binary(max_size=80)), max_size=3),
        ),
        max_size=6,
    )
)  # fmt: skip
def test_any_mailbox_imports_or_is_told_why(messages):
    """Messages with hostile names, subjects, dates and raw header bytes (broken charsets,
    encoded words, control characters), as a mailbox holds them: reading never raises, every
    problem is one line, and each planned note reads back without a problem."""
    lines = []
    for name, address, subject, when, extra in messages:
        lines.append(b"From MAILER-DAEMON Fri Nov 20 09:00:00 2026\n")
        for key, value in (
            ("From", f"{name} <{address}>"),
            ("To", "alex@example.com"),
            ("Subject", subject),
            ("Date", when),
        ):
            lines.append(
                f"{key}: {value}".encode("utf-8", "surrogatepass").replace(b"\n", b" ").replace(b"\r", b" ") + b"\n"
            )
        lines += [
            key.encode() + b": " + value.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n" for key, value in extra
        ]
        lines += [b"\n", b"body\n"]
    read = read_mailbox("mail.mbox", lines, WINDOW, Directory(LOADED), set())
    for problem in read.problems:
        assert "\n" not in str(problem) and str(problem).startswith("mail.mbox:"), str(problem)
    plan = plan_mail(LOADED, read, "mail.mbox")
    for note in plan.notes:
        assert parse_note(note.path, split(note.text, note.path))[1] == [], note.text
    _, problems, _ = load_sources(CONFIG, CARDS + as_sources(plan.notes), [])
    assert [p for p in from_import_file(problems, plan.notes) if p.severity == "error"] == []
