"""Redaction of the model: Private sections, private fields, e-mails and phones in free text."""

from __future__ import annotations

import textwrap

from journal.load import load
from journal.redact import redact, strip_private


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_a_private_section_ends_at_the_next_heading_of_the_same_or_higher_level():
    text = md("""
        Intro
        ## Private
        secret
        ### Sub
        also secret
        ## After
        public
        # Private
        top secret
        ## Inside
        still secret
        # Out
        public again
        """)
    assert strip_private(text) == md("""
        Intro
        ## After
        public
        # Out
        public again
        """)


def test_setext_headings_case_and_a_trailing_colon_count_and_fenced_code_does_not():
    text = md("""
        PRIVATE:
        ========
        secret
        ```
        # Public
        fenced secret
        ```
        Public
        ======
        ~~~
        # Private
        ~~~
        shown
        """)
    assert strip_private(text) == md("""
        Public
        ======
        ~~~
        # Private
        ~~~
        shown
        """)


def test_private_fields_are_published_as_if_unwritten(make_journal):
    root = make_journal({
        "journal.yaml": """
            publish:
              private_fields: [where, company, tags, with, title, dropped, gave]
            """,
        "entries/contacts/pat.md": """
            ---
            name: Pat
            company: Acme
            role: Owner
            tags: [bni]
            email: pat@example.com
            ---
            Mail pat@example.com.
            """,
        "entries/a.md": """
            ---
            date: 2026-10-01
            title: Lunch at Acme
            with: [Pat]
            where: Rosie's
            tags: [bni]
            commitments:
              - by: me
                what: brochure
                dropped: he retired
            gave:
              - to: Pat
                what: a lead
            received:
              - from: Pat
                what: a referral
            ---
            Body.
            """,
    })
    journal, problems, _ = load(root)
    assert problems == []
    public = redact(journal)
    pat = public.contact("pat")
    assert (pat.company, pat.role, pat.tags, pat.email, pat.notes) == ("", "Owner", (), "", "Mail [private].\n")
    meeting = public.meetings[0]
    assert (meeting.title, meeting.where, meeting.tags, meeting.people) == ("Meeting on 2026-10-01", "", (), ())
    assert meeting.commitments[0].dropped == "reason not published"
    assert [e.what for e in meeting.exchanges] == ["a referral"]
    assert journal.contact("pat").email == "pat@example.com"


def test_to_due_and_done_cannot_be_private(make_journal, cli):
    root = make_journal({"journal.yaml": "publish:\n  private_fields: [where, due]\n"})
    result = cli("check", "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "journal.yaml:2: error: 'due' is not a field that can be kept private"
