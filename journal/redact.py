"""The publish profile's model: a Journal with everything private taken out.

Private is a contact's `email` and `phone`, every section under a heading named "Private" (in
notes and cards), and the fields listed in journal.yaml `publish.private_fields`. Redacting
the model, before any template sees it, means no template (shipped or the user's) can leak
a private value. Pure: no I/O; imports only the model and text helpers.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import ME, Commitment, Contact, Journal, Meeting
from .text import fold

PRIVATE_HEADING = "private"
HIDDEN = "[private]"

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

# Blank values for the optional fields a user may list in publish.private_fields. A private
# field is published as if it had not been written; `to`, `due` and `done` decide who owes
# whom and what is overdue, so schema.py does not offer them.
_CONTACT_FIELDS = {
    "aliases": ("aliases", ()), "company": ("company", ""), "role": ("role", ""), "tags": ("tags", ()),
    "cadence": ("cadence", None), "status": ("status", ""), "decide_by": ("decide_by", None),
}
_MEETING_FIELDS = {"with": ("people", ()), "where": ("where", ""), "tags": ("tags", ()), "follow_up": ("follow_up", None)}
_COMMITMENT_FIELDS = {"kind": ("kind", "other"), "introducing": ("introducing", ""), "consent": ("consent", "")}


def _heading(lines: list[str], index: int) -> tuple[int, str] | None:
    """(level, text) when lines[index] starts a heading (ATX, or setext with its underline)."""
    match = _ATX.match(lines[index])
    if match:
        return len(match.group(1)), (match.group(2) or "").strip()
    if index + 1 < len(lines) and lines[index].strip() and _SETEXT.match(lines[index + 1]):
        return (1 if lines[index + 1].strip()[0] == "=" else 2), lines[index].strip()
    return None


def strip_private(markdown: str) -> str:
    """The Markdown without any section under a heading named "Private" (any level, up to the
    next heading of the same or a higher level). Headings inside code fences do not count."""
    lines = markdown.split("\n")
    kept: list[str] = []
    hiding_level = 0
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = ""
        elif opener:
            fence = opener.group(1)
        else:
            heading = _heading(lines, index)
            if heading:
                level, text = heading
                if hiding_level and level <= hiding_level:
                    hiding_level = 0
                if not hiding_level and fold(text.rstrip(":")) == PRIVATE_HEADING:
                    hiding_level = level
        if not hiding_level:
            kept.append(line)
        index += 1
    return "\n".join(kept)


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    """Private values also written in free text (an e-mail address in a note) are hidden."""
    for secret in secrets:
        text = text.replace(secret, HIDDEN)
    return text


def _secrets(journal: Journal) -> tuple[str, ...]:
    """Every e-mail address and phone number, as typed and without spaces; longest first so a
    number is not half-replaced by a shorter one it contains."""
    found = set()
    for contact in journal.contacts:
        for value in (contact.email, contact.phone):
            if value:
                found.update({value, value.replace(" ", "")})
    return tuple(sorted(found, key=lambda value: (-len(value), value)))


def _blank(record, table: dict, private: tuple[str, ...]):
    changes = dict(table[name] for name in private if name in table)
    return replace(record, **changes) if changes else record


def _contact(contact: Contact, private: tuple[str, ...], secrets: tuple[str, ...]) -> Contact:
    contact = _blank(contact, _CONTACT_FIELDS, private)
    return replace(
        contact, email="", phone="",
        notes=_scrub(strip_private(contact.notes), secrets),
        company=_scrub(contact.company, secrets), role=_scrub(contact.role, secrets),
    )


def _commitment(commitment: Commitment, private: tuple[str, ...], secrets: tuple[str, ...]) -> Commitment:
    commitment = _blank(commitment, _COMMITMENT_FIELDS, private)
    dropped = commitment.dropped
    if dropped and "dropped" in private:
        dropped = "reason not published"
    return replace(commitment, what=_scrub(commitment.what, secrets), dropped=_scrub(dropped, secrets))


def _body(meeting: Meeting) -> str:
    """A note whose opening heading was "# Private" lost that heading to its title; put it
    back so the section it opened stays hidden."""
    if fold(meeting.title.rstrip(":")) == PRIVATE_HEADING:
        return strip_private(f"# {meeting.title}\n{meeting.body}")
    return strip_private(meeting.body)


def _meeting(meeting: Meeting, private: tuple[str, ...], secrets: tuple[str, ...]) -> Meeting:
    meeting = _blank(meeting, _MEETING_FIELDS, private)
    exchanges = tuple(
        replace(e, what=_scrub(e.what, secrets)) for e in meeting.exchanges
        if not ("gave" in private and e.giver == ME) and not ("received" in private and e.receiver == ME)
    )
    commitments = () if "commitments" in private else tuple(_commitment(c, private, secrets) for c in meeting.commitments)
    title = f"Meeting on {meeting.date.isoformat()}" if "title" in private else _scrub(meeting.title, secrets)
    return replace(
        meeting, title=title, body=_scrub(_body(meeting), secrets), where=_scrub(meeting.where, secrets),
        commitments=commitments, exchanges=exchanges,
    )


def redact(journal: Journal) -> Journal:
    """The journal as a publish build may show it."""
    private = journal.config.publish.private_fields
    secrets = _secrets(journal)
    return replace(
        journal,
        contacts=tuple(_contact(contact, private, secrets) for contact in journal.contacts),
        meetings=tuple(_meeting(meeting, private, secrets) for meeting in journal.meetings),
    )
